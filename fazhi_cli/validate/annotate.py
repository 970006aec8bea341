"""`fazhi validate --annotate`: a copy of each unit's own returned workbook with the problem cells marked and
commented, in returns/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_from_string

from fazhi_cli.domain.checks import ERROR, Finding
from fazhi_cli.errors import FazhiError
from fazhi_cli.infra.debug import debug_enabled
from fazhi_cli.infra.files import WRITE_ERRNOS, atomic_write
from fazhi_cli.infra.parallel import start_ordered
from fazhi_cli.validate.check import ValidationReport
from fazhi_cli.workbook import layout
from fazhi_cli.workspace import Workspace, annotated_name

HIGHLIGHT = PatternFill("solid", fgColor="FF9999")
WARNING_HIGHLIGHT = PatternFill("solid", fgColor="FFE699")
AUTHOR = "区政府法制办"


@dataclass
class Annotated:
    """The marked-up copies written, and the units whose copy could not be made (with the reason)."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def annotate(workspace: Workspace, report: ValidationReport) -> Annotated:
    """For each unit with findings, a copy of its own returned workbook with the problem cells highlighted
    and an Excel comment on each, in returns/. Macros are never kept (saved as plain .xlsx).

    Each copy is made in its own guard: a file that openpyxl cannot rewrite is named in `failed` (its findings
    are still in the report) and the other units' copies are made. A full or read-only disk stops it. The
    copies are made on every core from eight units on (each is an openpyxl load and save).
    """
    return start_annotating(workspace, report)()


def start_annotating(workspace: Workspace, report: ValidationReport) -> Callable[[], Annotated]:
    """`annotate`, handed to the pool: returns at once with a function that waits for the copies and says what
    became of them (it raises what `annotate` raises). The caller must call it, even when it fails meanwhile."""
    campaign = workspace.campaign()
    workspace.returns.mkdir(exist_ok=True)
    jobs = [_Job(result.unit.name, workspace.archive / result.archive_name,
                 workspace.returns / annotated_name(campaign.year, result.unit.name), tuple(result.findings))
            for result in report.results if result.findings]
    making = start_ordered(_annotate_guarded, jobs, chunksize=1, parallel_from=8)

    def finish() -> Annotated:
        done = Annotated()
        for job, made in zip(jobs, making.results(), strict=True):
            if made:
                done.written.append(job.target)
            else:
                done.failed.append((job.unit, _annotate_failure()))
        return done

    return finish


@dataclass(frozen=True)
class _Job:
    """One marked-up copy to make (plain data, so that a worker process can make it)."""

    unit: str
    source: Path
    target: Path
    findings: tuple[Finding, ...]


def _annotate_guarded(job: _Job) -> bool:
    """Make one copy; False when the unit's file cannot be rewritten (a disk that is full, read-only or not
    ours raises: that is not the unit's fault, and no other copy could be made either)."""
    try:
        _annotate_one(job)
    except FazhiError:
        raise  # atomic_write's full or read-only disk, already worded for the user
    except OSError as exc:
        if exc.errno in WRITE_ERRNOS:
            raise
        return False
    except Exception:
        if debug_enabled():
            raise
        return False
    return True


def _annotate_failure() -> str:
    return "其报送的文件无法重新打开标注(文件内部数据异常),请按 fazhi validate 列出的问题直接告知该单位"


def _annotate_one(job: _Job) -> None:
    """One unit's marked-up copy in returns/."""
    book = openpyxl.load_workbook(job.source, keep_vba=False)
    general = []
    for finding in job.findings:
        if not _mark_cell(book, finding):
            general.append(finding)
    if general:
        _add_comment(book[layout.SHEET_SCORES]["A1"], "\n".join(f.message for f in general))
    atomic_write(job.target, book.save)


def _mark_cell(book, finding: Finding) -> bool:
    """Highlight the finding's cell and comment on it; False when the finding has no cell in this book."""
    if not finding.cell or "!" not in finding.cell:
        return False
    sheet_name, coordinate = finding.cell.split("!", 1)
    if sheet_name not in book.sheetnames:
        return False
    try:
        coordinate_from_string(coordinate)
    except ValueError:
        return False
    cell = book[sheet_name][coordinate]
    if type(cell).__name__ == "MergedCell":
        return False
    cell.fill = HIGHLIGHT if finding.severity == ERROR else WARNING_HIGHLIGHT
    _add_comment(cell, finding.message)
    return True


def _add_comment(cell, text: str) -> None:
    existing = cell.comment.text + "\n" if cell.comment is not None else ""
    comment = Comment(existing + text, AUTHOR)
    comment.width = 320
    comment.height = 140
    cell.comment = comment
