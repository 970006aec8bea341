"""The office's own records (台账): the ledger workbook `fazhi ledger` writes, and taking it back at ingest."""

from fazhi_cli.ledger.take import read_ledger, take_ledger
from fazhi_cli.ledger.writer import write_ledger

__all__ = ["read_ledger", "take_ledger", "write_ledger"]
