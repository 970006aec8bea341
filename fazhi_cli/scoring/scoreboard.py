"""`fazhi score`: results from the store — self scores, the office's review, totals, ranks, converted scores.

The arithmetic is the domain's (`domain.results`, and `domain.report_model` for everything the reports
show); this module gathers its inputs from the store. `Scoreboard.frame()` lays the results out as a
pandas table for scripts; `score_json` is what `fazhi score --json` prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import pandas as pd

from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.checks import Value
from fazhi_cli.domain.grades import GradeCap
from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.numbers import NotANumber, parse_count, plain_or_none
from fazhi_cli.domain.report_model import ResultsModel, build_results_model
from fazhi_cli.domain.results import MISSING, UnitResult, missing_unit, rank_and_convert, score_unit, type_grades
from fazhi_cli.domain.review_checks import TeamReview, team_reviews
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS, Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.store import Store
from fazhi_cli.validate.check import CheckedUnit, ValidationReport, validate_store
from fazhi_cli.workspace import Workspace


@dataclass
class Scoreboard:
    """Everything the results and reports need: the campaign, its rubric and roster, each unit's result,
    the validation findings (the unit's own and the office's review), and which results these are
    (`state`: 初步结果, or 审定结果 rebuilt from the approval's snapshot)."""

    campaign: Campaign
    rubric: Rubric
    units: list[Unit]
    results: list[UnitResult]
    validation: ValidationReport
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    evidence: dict[str, dict[str, str]] = field(default_factory=dict)
    task_status: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)
    facts: dict[str, dict[str, bool | int]] = field(default_factory=dict)
    materials: dict[str, list[str]] = field(default_factory=dict)
    state: ResultsState = field(default_factory=ResultsState)
    teams: list[TeamReview] = field(default_factory=list)  # what each review team (考核组) set

    @property
    def provisional_count(self) -> int:
        """How many units' results are provisional (暂定: unresolved validation errors)."""
        return sum(1 for r in self.results if r.provisional)

    def of_type(self, unit_type: str) -> list[UnitResult]:
        """Results of one unit type: ranked units by rank, then the missing ones."""
        chosen = [r for r in self.results if r.type == unit_type]
        return sorted(chosen, key=lambda r: (r.rank is None, r.rank or 0, r.unit))

    def result(self, unit: str) -> UnitResult:
        """One unit's result."""
        return next(r for r in self.results if r.unit == unit)

    def frame(self) -> pd.DataFrame:
        """One row per unit: type, status, basis, every item score, subtotals, bonus, penalty, total, rank…"""
        rows = []
        for result in self.results:
            row = {
                "unit": result.unit, "type": result.type, "type_label": UNIT_TYPE_LABELS[result.type],
                "status": result.status, "basis": result.basis, "bonus": result.bonus, "penalty": result.penalty,
                "total": result.total, "self_total": result.self_total, "rank": result.rank,
                "converted": result.converted, "grade": result.grade, "errors": result.errors,
            }
            for item_id, item in result.items.items():
                row[f"item:{item_id}"] = item.score
                row[f"self:{item_id}"] = item.self_score
                row[f"max:{item_id}"] = item.max
            for section_id, subtotal in result.subtotals.items():
                row[f"section:{section_id}"] = subtotal
            rows.append(row)
        return pd.DataFrame(rows)

    def checked(self, unit: str) -> CheckedUnit | None:
        """One returned unit's validation (its findings, values and the office's review); None if it returned
        nothing."""
        return self._checked_by_unit.get(unit)

    def not_adopted(self) -> dict[tuple[str, str], str]:
        """The office values in force that do not count (a 核定得分 that is no number, out of range, or lowers the
        unit's score without a 核定理由), by (unit, ref), with the finding's message."""
        return {(checked.unit.name, finding.ref): finding.message for checked in self.validation.results
                for finding in checked.findings
                if finding.code in NOT_ADOPTED_CODES and finding.ref is not None}

    @cached_property
    def _checked_by_unit(self) -> dict[str, CheckedUnit]:
        return {checked.unit.name: checked for checked in self.validation.results}

    @cached_property
    def model(self) -> ResultsModel:
        """Every figure the reports show, computed once by the domain (`domain.report_model`)."""
        return build_results_model(
            self.rubric, self.units, self.results, self.facts, self.notes, self.task_status,
            [band.name for band in self.campaign.grades],
            {unit_type: self.campaign.component_weights(unit_type) for unit_type in self.rubric.types},
            self.grade_caps,
        )

    @cached_property
    def grade_caps(self) -> tuple[GradeCap, ...]:
        """Each capped grade of each unit type, in the rubric's type order (none when no grade has `max_share`):
        its places and the units its cap moved down."""
        caps = self.campaign.grade_caps
        if not caps:
            return ()
        by_type = type_grades(self.results, _bands(self.campaign), caps)
        return tuple(cap for unit_type in self.rubric.types if unit_type in by_type
                     for cap in by_type[unit_type].caps)


def _text_values(values: dict[tuple[str, str], Value], field_name: str) -> dict[str, str]:
    return {ref: str(v.raw).strip() for (ref, name), v in values.items()
            if name == field_name and v.raw is not None and str(v.raw).strip()}


def _tasks(values: dict[tuple[str, str], Value]) -> dict[int, tuple[str, str]]:
    tasks: dict[int, tuple[str, str]] = {}
    for (ref, name), value in values.items():
        if ref.startswith("task:") and name == "status":
            try:
                number = parse_count(ref.split(":", 1)[1])
            except NotANumber:
                continue  # not a task number this product wrote
            note = values.get((ref, "note"))
            tasks[number] = (str(value.raw or "").strip(), str(note.raw or "").strip() if note else "")
    return tasks


NOT_ADOPTED_CODES = frozenset({"review_not_number", "review_negative", "review_above_max", "review_no_reason",
                               "review_conflict"})


def build_scoreboard(store: Store, rubric: Rubric, campaign: Campaign, units: list[Unit],
                     today: dt.date | None = None) -> Scoreboard:
    """Score every unit from the store: returned ones on their current submission and the office's review, as of
    the office's date `today` (what is due by then; default: today by the office's clock)."""
    validation = validate_store(store, rubric, campaign, units, today)
    by_unit = {r.unit.name: r for r in validation.results}
    board = Scoreboard(campaign, rubric, units, [], validation)
    results = []
    materials = store.materials_by_unit()
    for unit in units:
        checked = by_unit.get(unit.name)
        if checked is None:
            results.append(missing_unit(unit.name, unit.type))
            continue
        results.append(score_unit(unit.name, rubric.for_type(unit.type), rubric, checked.interpreted.facts,
                                  checked.interpreted.scores, checked.office, checked.errors,
                                  checked.office_reasons, checked.ledger))
        board.facts[unit.name] = dict(checked.interpreted.facts)
        board.notes[unit.name] = _text_values(checked.values, "note")
        board.evidence[unit.name] = _text_values(checked.values, "evidence")
        board.task_status[unit.name] = _tasks(checked.values)
        board.materials[unit.name] = [m.original_name for m in materials.get(unit.name, ())]
    component_weights = {unit_type: campaign.component_weights(unit_type) for unit_type in rubric.types}
    board.results = rank_and_convert(results, campaign.weights, _bands(campaign), component_weights,
                                     component_values(store) if campaign.components else {},
                                     caps=campaign.grade_caps)
    conflicts = [(f.unit, f.ref) for f in validation.findings() if f.code == "review_conflict" and f.unit and f.ref]
    board.teams = team_reviews(store.review_layers(), [unit.name for unit in units], conflicts)
    return board


def component_values(store: Store) -> dict[str, dict[str, Decimal]]:
    """The score components' values in force, by unit and component name."""
    return {unit: {name: entry.value for name, entry in entries.items() if entry.value is not None}
            for unit, entries in store.component_values().items()}


def _bands(campaign: Campaign) -> list[tuple[str, Decimal]]:
    return [(band.name, band.minimum) for band in campaign.grades]


def compute_scores(workspace: Workspace) -> Scoreboard:
    """The scoreboard of a workspace."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with workspace.open_store() as store:
        return build_scoreboard(store, rubric, campaign, units)


def score_json(board: Scoreboard) -> dict[str, Any]:
    """What `fazhi score --json` prints: the document fixed by the interface (with a few more fields), JSON-ready.
    `state` is `preliminary` or `approved`, with `approval` (by, date, doc_no, snapshot) once approved. `weights`
    gives each unit type's conversion weight, null where fazhi.toml sets none (its units' `converted` is null too).
    Each unit's `components` gives its score components' values (null: not entered) and `combined` the total
    combined with them (equal to `total` without components; ranks follow it); the document's `components` (only
    when fazhi.toml sets some) each unit type's component weights.
    When a grade has a cap (`max_share`), each unit also has `grade_capped_from`: the grade its combined score
    reached when the cap gave it the next one down, else null.

    Example::

        api.score_json(api.score(Path("2017考核")))["units"][0]["total"]
    """
    units = []
    capped = bool(board.campaign.grade_caps)  # the field is there only when a grade has a cap: else as before
    for unit_type in board.rubric.types:
        for r in board.of_type(unit_type):
            units.append({
                "unit": r.unit, "type": r.type, "status": r.status, "basis": r.basis,
                "items": {item_id: plain_or_none(item.score) for item_id, item in r.items.items()},
                "subtotals": {k: plain_or_none(v) for k, v in r.subtotals.items()},
                "bonus": plain_or_none(r.bonus) if r.status != MISSING else None,
                "penalty": plain_or_none(r.penalty) if r.status != MISSING else None,
                "total": plain_or_none(r.total), "self_total": plain_or_none(r.self_total), "rank": r.rank,
                "converted": plain_or_none(r.converted), "grade": r.grade, "errors": r.errors,
                "provisional": r.provisional,
                "components": {name: plain_or_none(value) for name, value in r.components.items()},
                "combined": plain_or_none(r.combined),
                **({"grade_capped_from": r.grade_capped_from} if capped else {}),
            })
    weights = {unit_type: plain_or_none(board.campaign.weight(unit_type)) for unit_type in board.rubric.types}
    document = {"campaign": board.campaign.title, "state": board.state.state, "weights": weights, "units": units}
    if board.campaign.components:
        document["components"] = {unit_type: {name: plain_or_none(weight) for name, weight in
                                              board.campaign.component_weights(unit_type).items()}
                                  for unit_type in board.rubric.types}
    if board.state.approved:
        document["approval"] = board.state.as_dict()
    return json_ready(document)
