"""`fazhi validate`: check each unit's current submission against the rubric, and mark up copies to return.

The checks themselves are pure (`domain.checks`); this module loads what they need from the store and
writes the annotated copies into returns/.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_from_string

from fazhi_cli.domain.checks import ERROR, WARNING, ContentChange, Finding, Interpreted, Value, validate_submission
from fazhi_cli.domain.review_checks import office_scores
from fazhi_cli.domain.rubric import Rubric
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


@dataclass
class ValidationReport:
    """Every current submission's findings, and the files refused at ingest that still need the clerk."""

    results: list[UnitResult] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """All findings: per unit in roster order, then refused files."""
        return [f for r in self.results for f in r.findings] + self.refused

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
        report.refused.append(Finding(None, ERROR, "refused", None, None, refused["message"] or "文件被退回",
                                      file=refused["original_name"]))
    return report


def validate_workspace(workspace: Workspace) -> ValidationReport:
    """Validate the workspace's current submissions."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with Store.open(workspace.store_path) as store:
        return validate_store(store, rubric, campaign, units)


def annotated_name(year: int, unit: str) -> str:
    """The file name of a unit's marked-up copy in returns/."""
    return f"{year}年度法治政府建设自评表_{unit}_修改意见.xlsx"


def annotate(workspace: Workspace, report: ValidationReport) -> list[Path]:
    """For each unit with findings, a copy of its own returned workbook with the problem cells highlighted
    and an Excel comment on each, in returns/. Macros are never kept (saved as plain .xlsx)."""
    campaign = workspace.campaign()
    workspace.returns.mkdir(exist_ok=True)
    written = []
    for result in report.results:
        if not result.findings:
            continue
        book = openpyxl.load_workbook(workspace.archive / result.archive_name, keep_vba=False)
        general = []
        for finding in result.findings:
            if not _mark_cell(book, finding):
                general.append(finding)
        if general:
            _add_comment(book[layout.SHEET_SCORES]["A1"], "\n".join(f.message for f in general))
        target = workspace.returns / annotated_name(campaign.year, result.unit.name)
        atomic_write(target, book.save)
        written.append(target)
    return written


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
