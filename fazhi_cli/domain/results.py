"""Results: each unit's item scores on the right basis, subtotals, bonus, penalty, total, rank, converted
score and grade — pure functions over the interpreted submission and the office's values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from fazhi_cli.domain import scoring
from fazhi_cli.domain.components import combined_score
from fazhi_cli.domain.grades import GradeAssignment, assign_grades
from fazhi_cli.domain.ledger import ItemLedger, ledger_item_score
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.review_checks import BONUS, PENALTY
from fazhi_cli.domain.rubric import Rubric, UnitTypeRubric

SCORED = "scored"
MISSING = "missing"
SELF = "self"
ASSESSED = "assessed"
MIXED = "mixed"
BASIS_LABELS = {SELF: "自评", ASSESSED: "核定", MIXED: "部分核定", None: ""}
# the same, as a sentence a unit reads in its 反馈函 (“计分依据:自评” is the office's shorthand)
BASIS_SENTENCES = {SELF: "各项得分按你单位自评得分计算,法制办未作调整", ASSESSED: "各项得分均经法制办复核核定",
                   MIXED: "部分项目的得分经法制办复核核定,其余按你单位自评得分计算", None: ""}


@dataclass(frozen=True)
class ItemResult:
    """One item of one unit: what the unit claimed, what its facts allow, what the office set, what counts."""

    item_id: str
    max: Decimal
    claimed: Decimal | None
    ceiling: Decimal
    office: Decimal | None
    score: Decimal
    deduction: Decimal
    office_reason: str = ""  # the office's 核定理由 for its value
    ledger_deduction: Decimal = Decimal(0)  # the office's ledger deductions (实地检查, 不符合要求 cases) taken off
    ledger_lines: tuple[str, ...] = ()  # what the office's ledger says on this item (自报 2 条,台账记录 1 条 …)

    @property
    def basis(self) -> str:
        return ASSESSED if self.office is not None else SELF

    @property
    def self_score(self) -> Decimal:
        """The self score as it counts (missing 0, capped at the ceiling)."""
        return scoring.effective_item_score(self.claimed, self.ceiling)


@dataclass(frozen=True)
class UnitResult:
    """One unit's result. Missing units have status `missing` and no items, total or rank."""

    unit: str
    type: str
    status: str
    items: dict[str, ItemResult] = field(default_factory=dict)
    subtotals: dict[str, Decimal] = field(default_factory=dict)
    bonus: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    self_bonus: Decimal = Decimal(0)
    self_penalty: Decimal = Decimal(0)
    bonus_reason: str | None = None  # the office's 核定理由 when it set the bonus (None: not set)
    penalty_reason: str | None = None
    total: Decimal | None = None
    self_total: Decimal | None = None
    errors: int = 0
    rank: int | None = None
    converted: Decimal | None = None
    grade: str | None = None
    components: dict[str, Decimal | None] = field(default_factory=dict)  # 评分构成: each one's value (None: not in)
    combined: Decimal | None = None  # the total combined with the components (= total without any)

    @property
    def components_missing(self) -> tuple[str, ...]:
        """The score components whose value is not entered yet (the result stays provisional until they are)."""
        return tuple(name for name, value in self.components.items() if value is None)
    grade_capped_from: str | None = None  # the grade its total reached when a grade's cap gave it a lower one

    @property
    def claimed_total(self) -> Decimal | None:
        """The total as the unit's own form adds up: its 自评得分 as written (a blank as 0, none capped) with the
        bonus and deduction its own facts give; `self_total` is the same with each score capped as the rubric
        counts it."""
        if self.status != SCORED:
            return None
        claimed = sum((i.claimed or Decimal(0) for i in self.items.values()), Decimal(0))
        return claimed + self.self_bonus - self.self_penalty

    @property
    def items_total(self) -> Decimal | None:
        """The counted scores of the items added up, before the special bonus and deduction: with them it makes
        the total (项目得分 + 加分 − 扣分 = 总分, the total never below 0)."""
        if self.status != SCORED:
            return None
        return sum((i.score for i in self.items.values()), Decimal(0))

    @property
    def over_ceiling(self) -> tuple[str, ...]:
        """The items whose 自评得分 the unit wrote above what its own facts allow (counted at the ceiling); an
        item whose facts the office's ledger replaced is in `over_ledger_ceiling` instead."""
        return tuple(i.item_id for i in self.items.values()
                     if i.claimed is not None and i.claimed > i.ceiling and not i.ledger_lines)

    @property
    def over_ledger_ceiling(self) -> tuple[str, ...]:
        """The items whose 自评得分 is above the ceiling that the office's ledger, not the unit's own facts, gives."""
        return tuple(i.item_id for i in self.items.values()
                     if i.claimed is not None and i.claimed > i.ceiling and i.ledger_lines)

    @property
    def ledger_changed(self) -> tuple[str, ...]:
        """The items whose counted score the office's ledger changed (its facts or its deduction), without an
        office value."""
        return tuple(i.item_id for i in self.items.values()
                     if i.office is None and i.ledger_lines and i.score != (i.claimed or Decimal(0)))

    @property
    def basis(self) -> str | None:
        """self, assessed or mixed: whether the office's values replaced the self scores."""
        if self.status != SCORED:
            return None
        office = [i.office is not None for i in self.items.values()]
        if all(office):
            return ASSESSED
        return MIXED if any(office) else SELF

    @property
    def provisional(self) -> bool:
        """A result with unresolved validation errors, or a score component not entered, may still change."""
        return self.errors > 0 or (self.status == SCORED and bool(self.components_missing))


def provisional_remark(result: UnitResult) -> str:
    """Why a result is provisional, as the reports say it: its validation errors, the components not entered."""
    if not result.provisional:
        return ""
    if not result.components_missing:
        return f"暂定:有 {result.errors} 个校验错误"
    reasons = [f"有 {result.errors} 个校验错误"] if result.errors else []
    reasons += [f"{name}尚未录入" for name in result.components_missing]
    return "暂定:" + "、".join(reasons)


def score_unit(
    unit: str,
    type_rubric: UnitTypeRubric,
    rubric: Rubric,
    facts: Mapping[str, bool | int],
    claimed: Mapping[str, Decimal | None],
    office: Mapping[str, Decimal],
    errors: int,
    reasons: Mapping[str, str] | None = None,
    ledger: Mapping[str, ItemLedger] | None = None,
) -> UnitResult:
    """Score one returned unit: item by item on the office's value where there is one, else the self score
    less the office's ledger deductions (never below 0); `reasons` holds the office's 核定理由 by item ID (and
    `bonus` / `penalty`), `ledger` what the office's ledger does on each item. `facts` are the facts that
    count (the office's where its ledger covers them)."""
    reasons = reasons or {}
    ledger = ledger or {}
    items = {}
    for item in type_rubric.items:
        ceiling = scoring.item_ceiling(item, facts)
        own = claimed.get(item.id)
        office_value = office.get(item.id)
        kept = ledger.get(item.id, ItemLedger())
        if office_value is not None:
            counted = cents(office_value)  # the office's value for the item is final: it was set knowing the ledger
        else:
            counted = cents(ledger_item_score(scoring.effective_item_score(own, ceiling), kept.deduction))
        items[item.id] = ItemResult(item.id, item.max, own, ceiling, office_value, counted,
                                    scoring.item_deduction(item, facts),
                                    reasons.get(item.id, "") if office_value is not None else "",
                                    kept.deduction if office_value is None else Decimal(0), kept.lines)
    subtotals = {
        section.id: sum((items[i.id].score for i in section.items), Decimal(0)) for section in type_rubric.sections
    }
    self_bonus = scoring.special_bonus(rubric.special, facts)
    self_penalty = scoring.special_penalty(rubric.special, facts)
    bonus = office.get(BONUS, self_bonus)
    penalty = office.get(PENALTY, self_penalty)
    return UnitResult(
        unit=unit,
        type=type_rubric.type,
        status=SCORED,
        items=items,
        subtotals=subtotals,
        bonus=bonus,
        penalty=penalty,
        self_bonus=self_bonus,
        self_penalty=self_penalty,
        bonus_reason=reasons.get(BONUS, "") if BONUS in office else None,
        penalty_reason=reasons.get(PENALTY, "") if PENALTY in office else None,
        total=scoring.total_score((i.score for i in items.values()), bonus, penalty),
        self_total=scoring.total_score((i.self_score for i in items.values()), self_bonus, self_penalty),
        errors=errors,
    )


def missing_unit(unit: str, unit_type: str) -> UnitResult:
    """A unit that returned nothing: listed as 未报送, unranked."""
    return UnitResult(unit=unit, type=unit_type, status=MISSING)


def with_components(result: UnitResult, weights: Mapping[str, Decimal],
                    values: Mapping[str, Decimal]) -> UnitResult:
    """The result with its score components (those of its type, by name: the value entered or None) and the
    combined score (`domain.components.combined_score`); a unit that returned nothing gets neither."""
    if result.total is None:
        return result
    components = {name: values.get(name) for name in weights}
    return replace(result, components=components, combined=combined_score(result.total, components, weights))


def rank_and_convert(
    results: Iterable[UnitResult], weights: Mapping[str, Decimal], bands: Iterable[tuple[str, Decimal]] = (),
    component_weights: Mapping[str, Mapping[str, Decimal]] | None = None,
    component_values: Mapping[str, Mapping[str, Decimal]] | None = None,
    *, caps: Mapping[str, Decimal] | None = None,
) -> list[UnitResult]:
    """Combined scores, competition ranks within each unit type on them, converted scores and grades; missing
    units stay unranked.

    `weights` maps a unit type to its conversion weight; a type without one gets no converted score.
    `component_weights` gives each unit type's score components (name → weight), `component_values` each unit's
    values entered (name → value); without components the combined score is the total. `caps` gives the capped
    grades' shares by name (`domain.grades`); without caps a unit's grade is the band its combined score reaches."""
    component_weights = component_weights or {}
    component_values = component_values or {}
    results = [with_components(r, component_weights.get(r.type, {}), component_values.get(r.unit, {}))
               for r in results]
    bands = list(bands)
    ranks: dict[str, int] = {}
    for unit_type in {r.type for r in results}:
        totals = {r.unit: r.combined for r in results if r.type == unit_type and r.combined is not None}
        ranks.update(scoring.competition_ranks(totals))
    capped = type_grades(results, bands, caps) if caps else {}
    ranked = []
    for result in results:
        if result.combined is None:
            ranked.append(result)
            continue
        weight = weights.get(result.type)
        grading = capped.get(result.type)
        ranked.append(replace(
            result,
            rank=ranks[result.unit],
            converted=None if weight is None else scoring.converted_score(result.combined, weight),
            grade=scoring.grade_for(result.combined, bands) if grading is None else grading.grades[result.unit],
            grade_capped_from=None if grading is None else grading.capped_from(result.unit),
        ))
    return ranked


def type_grades(results: Iterable[UnitResult], bands: Iterable[tuple[str, Decimal]],
                caps: Mapping[str, Decimal] | None = None) -> dict[str, GradeAssignment]:
    """The grades of each unit type's ranked units, capped as `caps` says (`domain.grades.assign_grades`), by type:
    each unit's grade, the grade its combined score reached and the caps that applied."""
    results, bands = list(results), list(bands)
    by_type: dict[str, dict[str, Decimal]] = {}
    for r in results:
        if r.combined is not None:
            by_type.setdefault(r.type, {})[r.unit] = r.combined
    return {unit_type: assign_grades(unit_type, totals, bands, caps) for unit_type, totals in by_type.items()}
