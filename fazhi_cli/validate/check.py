"""`fazhi validate`: check each unit's current submission against the rubric.

The checks themselves are pure (`domain.checks`); this module loads what they need from the store and
gathers the files still held or refused. The marked-up copies are `validate.annotate`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.clock import parse_moment
from fazhi_cli.domain.campaign import Campaign
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
from fazhi_cli.domain.review_checks import OfficeValue, office_scores, resolve_reviewed
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace


@dataclass
class CheckedUnit:
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
    office_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == WARNING)


@dataclass
class ValidationReport:
    """Every current submission's findings, and the files refused or held at ingest that still need the clerk."""

    results: list[CheckedUnit] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)
    held: list[Finding] = field(default_factory=list)

    def findings(self) -> list[Finding]:
        """All findings: per unit in roster order, then held files, then refused files."""
        return [f for r in self.results for f in r.findings] + self.held + self.refused

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings())

    @property
    def error_count(self) -> int:
        """Errors in the units' submissions, plus every file still held or refused."""
        return sum(r.errors for r in self.results) + len(self.refused) + len(self.held)

    @property
    def warning_count(self) -> int:
        """Warnings in the units' submissions."""
        return sum(r.warnings for r in self.results)


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
    reviews: dict[str, OfficeValue] | None = None,
) -> CheckedUnit:
    """Check one unit's submission (a store row with its values) and the office's review values for it."""
    changes = [ContentChange(**c) for c in row.changes]
    received = dt.datetime.fromisoformat(row.received_at)
    tasks = [t.number for t in rubric.tasks_for(unit.name, unit.type)]
    type_rubric = rubric.for_type(unit.type)
    interpreted, findings = validate_submission(
        unit.name, type_rubric, rubric, values, changes, received, campaign.deadline, tasks
    )
    findings += check_dates(unit.name, parse_moment(row.sent_at), received, parse_moment(row.generated_at))
    office = office_scores(unit.name, type_rubric, rubric, reviews or {}, interpreted.facts, interpreted.scores)
    findings = resolve_reviewed(findings, type_rubric, office)
    return CheckedUnit(unit, row.id, row.archive_name, row.original_name, received, versions, values,
                      interpreted, findings + office.findings, office.values, office.reasons)


def validate_store(store: Store, rubric: Rubric, campaign: Campaign, units: list[Unit]) -> ValidationReport:
    """Check every unit's current submission and gather the refused files still outstanding."""
    report = ValidationReport()
    current = store.current_submissions()
    versions = Counter(h.unit for h in store.submissions())
    office = store.office_values()
    for unit in units:
        row = current.get(unit.name)
        if row is None:
            continue
        reviews = {ref: OfficeValue(v.raw, v.cell, v.reason) for ref, v in office.get(unit.name, {}).items()}
        report.results.append(
            check_unit(unit, rubric, campaign, row, load_values(store, row.id), versions[unit.name], reviews)
        )
    dismissed = {d.file_id for d in store.decisions("dismiss")}
    for refused in store.refused_files():
        if refused.id in dismissed:
            continue  # settled by the clerk (`fazhi dismiss`)
        later = current.get(refused.unit) if refused.unit else None
        if later is not None and later.taken_at >= refused.taken_at:
            continue  # the unit has since sent a workbook that was taken
        report.refused.append(Finding(None, ERROR, refused.code or "refused", None, None,
                                      refused.message or "文件被退回", file=refused.original_name))
    for held in store.held_files():
        report.held.append(Finding(None, ERROR, "identity_unverified", None, None, held.message or "身份待确认",
                                   file=held.original_name))
    return report


def validate_workspace(workspace: Workspace) -> ValidationReport:
    """Validate the workspace's current submissions."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with Store.open(workspace.store_path) as store:
        return validate_store(store, rubric, campaign, units)


