"""`fazhi rectify notice`: the 整改情况通报 as a Word file laid out as the 通报 is (GB/T 9704), and its PDF.

The words come from `domain.rectify_text` (composed from where the 整改 stands, `rectify.rectify_view`), the layout
from the Word template `rectify-notice.docx` (shipped, or the workspace's own); this module picks the number and
the date (the office's clock), writes the file under reports/ and asks LibreOffice for the PDF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fazhi_cli.documents import pdf
from fazhi_cli.documents.official import notice_number, record_on_even_page
from fazhi_cli.documents.render import fill, template_path
from fazhi_cli.domain.rectify_text import RectifyNotice, compose_rectify_notice
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import user_write_errors
from fazhi_cli.rectify import RectifyView, rectify_view
from fazhi_cli.workspace import Workspace
from fazhi_cli.workspace.names import rectify_notice_file_name

RECTIFY_NOTICE_TEMPLATE = "rectify-notice.docx"


@dataclass(frozen=True)
class RectifyNoticeFile:
    """What `fazhi rectify notice` wrote: the document, its PDF (None without LibreOffice), the words and the 整改
    they report."""

    document: Path
    pdf: Path | None
    pdf_note: str
    notice: RectifyNotice
    view: RectifyView


def write_rectify_notice(workspace: Workspace, doc_no: str | None = None, make_pdf: bool = True,
                         clock: Callable[[], dt.datetime] = office_now) -> RectifyNoticeFile:
    """The 整改情况通报 into reports/, with its PDF: the 整改 by the office's clock (`clock`; its date is the 成文日期),
    `doc_no` its 发文字号 (default: fazhi.toml's `[documents] doc_no`). Before the approval a `UsageError` (exit 2)."""
    view = rectify_view(workspace, clock)
    board = view.owed.board
    notice = compose_rectify_notice(view.units, view.summary, board.campaign, board.state, view.deadline, view.today,
                                    notice_number(board, doc_no))
    target = workspace.reports / rectify_notice_file_name(board.campaign.year)
    with user_write_errors(workspace.reports):
        workspace.reports.mkdir(parents=True, exist_ok=True)
    template = template_path(RECTIFY_NOTICE_TEMPLATE, workspace.templates_override)
    fill(template, notice, target, notice.title)
    copies = pdf.convert([target]) if make_pdf else pdf.PdfCopies(note=pdf.SKIPPED)
    made = RectifyNoticeFile(target, copies.files[0] if copies.files else None, copies.note, notice, view)
    return record_on_even_page(made, template)
