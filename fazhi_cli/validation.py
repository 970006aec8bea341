"""`fazhi validate`: check each unit's current submission against the rubric, and mark up copies to return.

The checks themselves are pure (`domain.checks`); this module loads what they need from the store and
writes the annotated copies into returns/.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_from_string

from fazhi_cli.debug import debug_enabled
from fazhi_cli.domain.checks import (
    ERROR,
    WARNING,
    ContentChange,
    Finding,
    Interpreted,
    Value,
    check_dates,
    validate_submission,
)
from fazhi_cli.domain.review_checks import office_scores
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.text import safe_file_component
from fazhi_cli.domain.units import Unit
from fazhi_cli.files import atomic_write
from fazhi_cli.store import Store
from fazhi_cli.workbook import layout
from fazhi_cli.workspace import Campaign, Workspace

HIGHLIGHT = PatternFill("solid", fgColor="FF9999")
WARNING_HIGHLIGHT = PatternFill("solid", fgColor="FFE699")
AUTHOR = "区政府法制办"


@dataclass
class UnitResult:
    """One unit's current submission, read and checked."""

    unit: Unit
    submission_id: int
    archive_name: str
    original_name: str
    received_at: dt.datetime
    versions: int
    values: dict[tuple[str, str], Value]
    interpreted: Interpreted
    findings: list[Finding]
    office: dict[str, Decimal] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


def _moment(text: str | None) -> dt.datetime | None:
    """A stored ISO date-time (China time when it carries no zone), or None."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class ValidationReport:
    """Every current submission's findings, and the files refused or held at ingest that still need the clerk."""

    results: list[UnitResult] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)
    held: list[Finding] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """All findings: per unit in roster order, then held files, then refused files."""
        return [f for r in self.results for f in r.findings] + self.held + self.refused

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings())


def load_values(store: Store, submission_id: int) -> dict[tuple[str, str], Value]:
    """A submission's raw values keyed by (ID, field), as the checks take them."""
    return {(v.ref, v.field): Value(v.raw, v.cell) for v in store.submission_values(submission_id)}


def check_unit(
    unit: Unit,
    rubric: Rubric,
    campaign: Campaign,
    row,
    values: dict[tuple[str, str], Value],
    versions: int,
    reviews: dict[str, Value] | None = None,
) -> UnitResult:
    """Check one unit's submission (a store row with its values) and the office's review values for it."""
    changes = [ContentChange(**c) for c in json.loads(row["changes"])]
    received = dt.datetime.fromisoformat(row["received_at"])
    tasks = [t.number for t in rubric.tasks_for(unit.name, unit.type)]
    interpreted, findings = validate_submission(
        unit.name, rubric.for_type(unit.type), rubric, values, changes, received, campaign.deadline, tasks
    )
    findings += check_dates(unit.name, _moment(row["sent_at"]), received, _moment(row["generated_at"]))
    office = office_scores(unit.name, rubric.for_type(unit.type), rubric, reviews or {}, interpreted.facts)
    return UnitResult(unit, row["id"], row["archive_name"], row["original_name"], received, versions, values,
                      interpreted, findings + office.findings, office.values)


def validate_store(store: Store, rubric: Rubric, campaign: Campaign, units: list[Unit]) -> ValidationReport:
    """Check every unit's current submission and gather the refused files still outstanding."""
    report = ValidationReport()
    current = store.current_submissions()
    history = store.submissions()
    office = store.office_values()
    for unit in units:
        row = current.get(unit.name)
        if row is None:
            continue
        versions = sum(1 for h in history if h["unit"] == unit.name)
        reviews = {ref: Value(v.raw, v.cell) for ref, v in office.get(unit.name, {}).items()}
        report.results.append(
            check_unit(unit, rubric, campaign, row, load_values(store, row["id"]), versions, reviews)
        )
    for refused in store.refused_files():
        later = current.get(refused["unit"]) if refused["unit"] else None
        if later is not None and later["taken_at"] >= refused["taken_at"]:
            continue  # the unit has since sent a workbook that was taken
        report.refused.append(Finding(None, ERROR, refused["code"] or "refused", None, None,
                                      refused["message"] or "文件被退回", file=refused["original_name"]))
    for held in store.held_files():
        report.held.append(Finding(None, ERROR, "identity_unverified", None, None, held["message"] or "身份待确认",
                                   file=held["original_name"]))
    return report


def validate_workspace(workspace: Workspace) -> ValidationReport:
    """Validate the workspace's current submissions."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with Store.open(workspace.store_path) as store:
        return validate_store(store, rubric, campaign, units)


def annotated_name(year: int, unit: str) -> str:
    """The file name of a unit's marked-up copy in returns/ (the unit's name made safe for every file system)."""
    return f"{year}年度法治政府建设自评表_{safe_file_component(unit)}_修改意见.xlsx"


@dataclass
class Annotated:
    """The marked-up copies written, and the units whose copy could not be made (with the reason)."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def annotate(workspace: Workspace, report: ValidationReport) -> Annotated:
    """For each unit with findings, a copy of its own returned workbook with the problem cells highlighted
    and an Excel comment on each, in returns/. Macros are never kept (saved as plain .xlsx).

    Each copy is made in its own guard: a file that openpyxl cannot rewrite is named in `failed` (its findings
    are still in the report) and the other units' copies are made.
    """
    campaign = workspace.campaign()
    workspace.returns.mkdir(exist_ok=True)
    done = Annotated()
    for result in report.results:
        if not result.findings:
            continue
        try:
            done.written.append(_annotate_one(workspace, campaign, result))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT):
                raise
            done.failed.append((result.unit.name, _annotate_failure()))
        except Exception:
            if debug_enabled():
                raise
            done.failed.append((result.unit.name, _annotate_failure()))
    return done


def _annotate_failure() -> str:
    return "其报送的文件无法重新打开标注(文件内部数据异常),请按 fazhi validate 列出的问题直接告知该单位"


def _annotate_one(workspace: Workspace, campaign: Campaign, result: UnitResult) -> Path:
    """One unit's marked-up copy in returns/."""
    book = openpyxl.load_workbook(workspace.archive / result.archive_name, keep_vba=False)
    general = []
    for finding in result.findings:
        if not _mark_cell(book, finding):
            general.append(finding)
    if general:
        _add_comment(book[layout.SHEET_SCORES]["A1"], "\n".join(f.message for f in general))
    target = workspace.returns / annotated_name(campaign.year, result.unit.name)
    atomic_write(target, book.save)
    return target


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
