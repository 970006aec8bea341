"""整改 after the 通报: what each unit owes (`owed`), its 整改 workbook (`layout`), where each item stands (`status`).

The units' side — the workbooks written, returned and read — and the office's — the 整改复核表 (销号) and the
整改情况通报 — each in the module named for it.
"""

from fazhi_cli.rectify.generate import RectifyGenerated, write_rectify_workbooks
from fazhi_cli.rectify.owed import Owed, approved_owed, owed_items
from fazhi_cli.rectify.status import RectifyView, rectify_view, status_json, stored_reports

__all__ = ["Owed", "RectifyGenerated", "RectifyView", "approved_owed", "owed_items", "rectify_view", "status_json",
           "stored_reports", "write_rectify_workbooks"]
