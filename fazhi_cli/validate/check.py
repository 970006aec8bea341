"""`fazhi validate`: check each unit's current submission against the rubric.

The checks themselves are pure (`domain.checks`); this module loads what they need from the store and
gathers the files still held or refused. The marked-up copies are `validate.annotate`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

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
from fazhi_cli.domain.item_evidence import ItemEvidence
from fazhi_cli.domain.ledger import (
    ItemLedger,
    Ledger,
    LedgerDates,
    apply_ledger,
    build_ledger,
    entry_from_data,
)
from fazhi_cli.domain.review_checks import OfficeValue, office_scores, resolve_reviewed
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.submissions import ACCEPT, resolve_accepted
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import CHINA, office_now, parse_moment
from fazhi_cli.store import Store, StoredSubmission
from fazhi_cli.validate.evidence import add_evidence, unit_materials
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
    own_facts: dict[str, bool | int] = field(default_factory=dict)  # as the unit declared them (before the ledger)
    ledger: dict[str, ItemLedger] = field(default_factory=dict)  # the office's ledger deductions and lines by item
    evidence: dict[str, ItemEvidence] = field(default_factory=dict)  # each item's 佐证材料 matched to the files sent

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
    ledger: list[Finding] = field(default_factory=list)  # rows of the office's ledger in force that were not taken

    def findings(self) -> list[Finding]:
        """All findings: per unit in roster order, then the ledger's rows not taken, held files, refused files."""
        return [f for r in self.results for f in r.findings] + self.ledger + self.held + self.refused

    @property
    def has_errors(self) -> bool:
        return any(f.severity == ERROR for f in self.findings())

    @property
    def error_count(self) -> int:
        """Errors in the units' submissions, plus every file still held or refused and every ledger row not taken."""
        return sum(r.errors for r in self.results) + len(self.refused) + len(self.held) + len(self.ledger)

    @property
    def warning_count(self) -> int:
        """Warnings in the units' submissions."""
        return sum(r.warnings for r in self.results)


def load_values(store: Store, submission_id: int) -> dict[tuple[str, str], Value]:
    """A submission's raw values keyed by (ID, field), as the checks take them."""
    values = {}
    for ref, name, raw, cell in store.submission_value_rows(submission_id):
        if raw is None:  # most cells are blank: the same blank cell in every unit is one key and one value
            blank = _BLANKS.get((ref, name, cell))
            if blank is None:
                key = (ref, name)
                blank = _BLANKS[(ref, name, cell)] = (_KEYS.setdefault(key, key), Value(None, cell))
            values[blank[0]] = blank[1]
            continue
        key = (ref, name)
        values[_KEYS.setdefault(key, key)] = Value(raw, cell)
    return values


_KEYS: dict[tuple[str, str], tuple[str, str]] = {}  # one (ID, field) key shared by every unit's values
_BLANKS: dict[tuple[str, str, str | None], tuple[tuple[str, str], Value]] = {}  # (ID, field, cell) → key, blank


def check_unit(
    unit: Unit,
    rubric: Rubric,
    campaign: Campaign,
    row,
    values: dict[tuple[str, str], Value],
    versions: int,
    reviews: dict[str, OfficeValue] | None = None,
    accepted: str | None = None,
    ledger: Ledger | None = None,
    today: dt.date | None = None,
) -> CheckedUnit:
    """Check one unit's submission (a store row with its values), with the office's ledger facts in place of
    the unit's own where the ledger covers them (`today`: the office's date, for what is due), and the
    office's review values for it; `accepted` is the reason the office gave when it accepted this file (its
    file-level errors are then resolved)."""
    changes = [ContentChange(**c) for c in row.changes]
    received = dt.datetime.fromisoformat(row.received_at)
    tasks = [t.number for t in rubric.tasks_for(unit.name, unit.type)]
    type_rubric = rubric.for_type(unit.type)
    interpreted, findings = validate_submission(
        unit.name, type_rubric, rubric, values, changes, received, campaign.deadline, tasks
    )
    findings += check_dates(unit.name, parse_moment(row.sent_at), received, parse_moment(row.generated_at))
    dates = LedgerDates(campaign.year, campaign.deadline, campaign.case_deadline,
                        today or office_now().astimezone(CHINA).date())
    cells = {ref: value.cell for (ref, name), value in values.items() if name == "fact"}
    own_facts = interpreted.facts
    effect = apply_ledger(unit.name, type_rubric, ledger or Ledger(), own_facts, cells, dates)
    findings = [f for f in findings if not (f.code == "fact_missing" and f.ref in effect.covered)]
    findings += effect.findings
    interpreted.facts = effect.facts  # the facts that count: the office's where its ledger covers them
    office = office_scores(unit.name, type_rubric, rubric, reviews or {}, interpreted.facts, interpreted.scores)
    findings = resolve_reviewed(findings, type_rubric, office)
    if accepted is not None:
        findings = resolve_accepted(findings, accepted)
    return CheckedUnit(unit, row.id, row.archive_name, row.original_name, received, versions, values,
                      interpreted, findings + office.findings, office.values, office.reasons, own_facts, effect.items)


def load_ledger(store: Store, units: list[Unit]) -> tuple[Ledger, list[Finding]]:
    """The office's ledger in force, and a finding for each of its rows that was not taken (naming the sheet
    and cell; the unit when it is on the roster)."""
    covered, rows = store.ledger_in_force()
    names = {u.name for u in units}
    entries = [(r.record, entry_from_data(r.record, r.unit, r.data, r.cell or "")) for r in rows
               if r.problem is None and r.unit]
    problems = [Finding(r.unit if r.unit in names else None, ERROR, "ledger_invalid", None, r.cell,
                        f"台账 {r.cell or ''}:{r.problem}", file=r.file_name) for r in rows if r.problem is not None]
    return build_ledger(covered, entries), problems


def validate_store(store: Store, rubric: Rubric, campaign: Campaign, units: list[Unit],
                   today: dt.date | None = None) -> ValidationReport:
    """Check every unit's current submission and gather the refused files still outstanding; `today` is the
    office's date for what is due (by default, today by the office's clock)."""
    report = ValidationReport()
    current = store.current_submissions()
    versions = Counter(h.unit for h in store.submissions())
    office = store.office_values()
    decided = store.file_decisions()
    ledger, report.ledger = load_ledger(store, units)
    today = today or office_now().astimezone(CHINA).date()
    materials = unit_materials(store)
    for unit in units:
        row = current.get(unit.name)
        if row is None:
            continue
        reviews = {ref: OfficeValue(v.raw, v.cell, v.reason) for ref, v in office.get(unit.name, {}).items()}
        decision = decided.get(row.file_id)
        accepted = decision.reason if decision is not None and decision.action == ACCEPT else None
        checked = check_unit(unit, rubric, campaign, row, load_values(store, row.id), versions[unit.name], reviews,
                             accepted, ledger, today)
        add_evidence(checked, rubric, materials)
        report.results.append(checked)
    report.refused, report.held = unsettled_files(store, current)
    return report


def unsettled_files(store: Store, current: dict[str, StoredSubmission]) -> tuple[list[Finding], list[Finding]]:
    """The files refused or held at ingest that still need the clerk, as findings naming the file (and its id).

    Settled, and left out: a refused file the office dismissed, one linked since as a unit's material, or one
    whose unit has since sent a workbook that was taken; a held file the office accepted or rejected, or whose
    bytes were since taken as a submission.
    """
    decided = store.file_decisions()
    linked = store.material_links()
    refused_findings, held_findings = [], []
    for refused in store.refused_files():
        later = current.get(refused.unit) if refused.unit else None
        if refused.id in decided or refused.id in linked or (later is not None and later.taken_at >= refused.taken_at):
            continue
        refused_findings.append(Finding(None, ERROR, refused.code or "refused", None, None,
                                        refused.message or "文件被退回", file=refused.original_name,
                                        file_id=refused.id))
    for held in store.held_files():
        if held.id in decided or store.submission_by_sha(held.sha256) is not None:
            continue
        units = tuple(name for name in (held.unit, held.other_unit) if name)
        held_findings.append(Finding(None, ERROR, held.code or "identity_unverified", None, None,
                                     held.message or "身份待确认", file=held.original_name, file_id=held.id,
                                     units=units))
    return refused_findings, held_findings


def validate_workspace(workspace: Workspace) -> ValidationReport:
    """Validate the workspace's current submissions."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with workspace.open_store() as store:
        return validate_store(store, rubric, campaign, units)


