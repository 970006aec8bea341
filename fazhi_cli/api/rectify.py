"""整改 after the 通报: `fazhi rectify status` (and, each in its own function, generate, review-sheet and notice)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi_cli.documents import RectifyNoticeFile, write_rectify_notice
from fazhi_cli.rectify import RectifyGenerated, RectifyView, rectify_view, write_rectify_workbooks
from fazhi_cli.rectify.review import write_rectify_review
from fazhi_cli.workspace import Workspace


def rectify_status(workspace: Path | None = None) -> RectifyView:
    """Where each unit's 整改 stands by the office's clock (`fazhi rectify status`): per unit and item open,
    in_progress, reported or closed, the counts and the units overdue; before approval a `UsageError` (exit 2).

    Example::

        view = api.rectify_status(Path("2017考核"))
        view.summary.overdue, api.rectify_status_json(view)["units"][0]["items"]
    """
    return rectify_view(Workspace.find(workspace))


def rectify_generate(units: list[str] | None = None, workspace: Path | None = None,
                     on_progress: Callable[[str, int], None] | None = None) -> RectifyGenerated:
    """Write the sealed 整改 workbook (整改清单) of each assessed unit that lost points or had 特别扣分, or of the
    `units` named among them, into outbox/整改 (`fazhi rectify generate`), holding the lock; each file replaced whole.
    Before the approval a `UsageError` (exit 2); a name not on the roster a `UsageError`; a unit named that owes
    nothing is listed in `owe_nothing`. `on_progress(unit, total)` after each file.

    Example::

        done = api.rectify_generate(workspace=Path("2017考核"))
        [path.name for path in done.written], done.deadline
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_rectify_workbooks(found, units, on_progress)


def rectify_review_sheet(workspace: Path | None = None) -> Path:
    """Write the office's 整改复核表 into review/ (`fazhi rectify review-sheet`), holding the lock; returns the file.
    One row per owing unit and item with what the unit reported; the office fills in 销号 (是/否) and 复核意见 and
    takes it back by naming it in `ingest`. Before approval a `UsageError` (exit 2).

    Example::

        sheet = api.rectify_review_sheet(Path("2017考核"))
        api.ingest([sheet], Path("2017考核"))   # after the office has filled it in
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_rectify_review(found)


def rectify_notice(workspace: Path | None = None, doc_no: str | None = None, pdf: bool = True) -> RectifyNoticeFile:
    """Write the 整改情况通报 into reports/ (`fazhi rectify notice`), holding the lock: the counts of the 整改 by the
    office's clock, the units overdue with their unfinished items and a table of every unit, laid out as the 通报
    (GB/T 9704, the Word template `rectify-notice.docx`, the workspace's templates/ may hold its own), with a PDF
    copy when LibreOffice is installed (`pdf=False`: none). `doc_no` is its 发文字号 (default: fazhi.toml's
    `[documents] doc_no`). Before the approval a `UsageError` (exit 2).

    Example::

        made = api.rectify_notice(Path("2017考核"), doc_no="昭府法办〔2018〕9号")
        made.document, made.pdf, made.view.summary.overdue
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_rectify_notice(found, doc_no, pdf)
