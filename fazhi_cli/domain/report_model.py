"""The results model: every figure and every explanation a report shows, computed once.

Totals, ranks, converted scores and grades come from `domain.results`; this module adds what the reports
show around them — each item's self, office and counted score with the deductions behind it in words,
the type averages and loss rates, the self-versus-counted differences with their reasons, task progress,
missing units and the score and grade distributions. Pure code over plain data (standard library only).

The Excel summary, the HTML pages and any later output only format a `ResultsModel`: they do no
arithmetic and re-encode no rule. The wording of a rule's deduction lives in one place, `explain_rule`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.domain import scoring
from fazhi_cli.domain.change_text import change_reason, is_changed, office_reason
from fazhi_cli.domain.checks import TASK_STATUSES
from fazhi_cli.domain.components import combination_text, component_sentence
from fazhi_cli.domain.grades import GradeCap
from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.results import BASIS_LABELS, MISSING, SELF, ItemResult, UnitResult, provisional_remark
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS, Item, Rubric, Rule
from fazhi_cli.domain.units import Unit

ZERO = Decimal(0)
HUNDRED = Decimal(100)
STATUSES = TASK_STATUSES
UNFILLED = "未填"
SCORE_BINS = ((Decimal(0), "60 以下"), (Decimal(60), "60–70"), (Decimal(70), "70–80"), (Decimal(80), "80–90"),
              (Decimal(90), "90–100"), (Decimal(100), "100 以上"))
LARGEST_GAPS = 15
BONUS_REF, PENALTY_REF, TOTAL_REF = "特别加分", "特别扣分", "合计"

Facts = Mapping[str, "bool | int"]


@dataclass(frozen=True)
class Deduction:
    """What one rule did to a unit's points, the facts behind it, and the sentence that says so.

    `points` is what the rule deducts (a bonus rule: what it adds); `fact` is the flag's answer or the
    count; `short_months` lists (month, pieces short) for a monthly rule; `applied` is False for a bonus
    that does not count because a higher one does."""

    rule_id: str
    kind: str
    points: Decimal
    fact: bool | int | None
    short_months: tuple[tuple[int, int], ...]
    applied: bool
    text: str

    @property
    def short_total(self) -> int:
        """Pieces short over the year (monthly rules)."""
        return sum(short for _, short in self.short_months)


@dataclass(frozen=True)
class ItemLine:
    """One item of one returned unit as the reports show it."""

    id: str
    name: str
    content: str
    standard: str
    max: Decimal
    claimed: Decimal | None
    ceiling: Decimal
    office: Decimal | None
    score: Decimal
    self_score: Decimal
    lost: Decimal  # 分值 − counted score
    gap: Decimal  # counted score − the self score as it counts: the effect on the total
    changed: bool  # the counted score is not what the unit claimed (office value, cap, blank, rounding)
    reason: str  # why it changed, in words ("" when not changed)
    deductions: tuple[Deduction, ...]
    note: str  # the unit's own 扣分说明
    average: Decimal | None  # the type's average counted score of this item
    ledger: tuple[str, ...] = ()  # what the office's ledger says on the item (both figures where they differ)

    @property
    def office_changed(self) -> bool:
        """An office value that differs from what the unit claimed (shaded in the detail sheet)."""
        return self.office is not None and self.changed

    @property
    def why(self) -> tuple[str, ...]:
        """Why this unit lost points on the item, from its own facts and the office's decisions: what each rule
        deducted (with the facts), the office's reason for a value of its own or the cap, the unit's own
        扣分说明; never the rule's text for a penalty that did not apply. Empty when nothing was lost."""
        if self.lost <= 0:
            return ()
        parts = [d.text for d in self.deductions]
        if self.changed:
            parts.append(self.reason)
        if self.note:
            parts.append(f"单位扣分说明:{self.note}")
        if not parts:
            parts.append(f"本单位自评扣 {self.lost} 分,未填写扣分说明")
        return tuple(parts)


@dataclass(frozen=True)
class Difference:
    """A row of the self-versus-counted comparison: an item, the special bonus or deduction, or the total."""

    unit: str
    type: str
    type_label: str
    ref: str
    name: str
    max: Decimal | None
    claimed: Decimal | None
    ceiling: Decimal | None
    office: Decimal | None
    counted: Decimal | None
    difference: Decimal | None  # the effect on the total
    reason: str
    note: str
    is_total: bool = False


@dataclass(frozen=True)
class OfficeGap:
    """An item where the office's value differs from the self score as it counts."""

    unit: str
    item: str
    name: str
    self_score: Decimal
    office: Decimal
    difference: Decimal
    reason: str


@dataclass(frozen=True)
class TaskLine:
    """One work-arrangement task of one unit and what the unit reported about it."""

    number: int
    title: str
    status: str
    note: str


@dataclass(frozen=True)
class TaskProgress:
    """One task across the returned units responsible for it: how many report each status."""

    number: int
    title: str
    counts: dict[str, int]  # 已完成 / 推进中 / 未启动 / 未填
    total: int


@dataclass(frozen=True)
class ItemLoss:
    """One item of a type: the average counted score and the average loss rate (points lost / 分值)."""

    item: str
    name: str
    max: Decimal
    average: Decimal
    loss_rate: Decimal
    loss_percent: Decimal  # the rate × 100, to two decimals (for charts)


@dataclass(frozen=True)
class UnitReport:
    """Everything the reports show about one returned unit."""

    unit: Unit
    result: UnitResult
    type_label: str
    basis_label: str
    of: int  # returned units of its type (the rank is out of these)
    items: tuple[ItemLine, ...]
    bonus_lines: tuple[Deduction, ...]
    penalty_lines: tuple[Deduction, ...]
    differences: tuple[Difference, ...]  # changed items, changed bonus/deduction, then the total
    tasks: tuple[TaskLine, ...]
    remark: str  # 暂定… when provisional
    components: tuple[tuple[str, Decimal], ...] = ()  # the score components of its type: (name, weight)

    @property
    def component_text(self) -> str:
        """The unit's score with its components in a sentence (`domain.components.component_sentence`)."""
        return component_sentence(self.result.total, self.result.combined, self.result.components, self.components)

    @property
    def lost_items(self) -> tuple[ItemLine, ...]:
        """Items that lost points, in rubric order."""
        return tuple(line for line in self.items if line.lost > 0)

    @property
    def improve(self) -> tuple[ItemLine, ...]:
        """Items that lost points, most points lost first (rubric order among equals)."""
        return tuple(sorted(self.lost_items, key=lambda line: -line.lost))


@dataclass(frozen=True)
class TypeSummary:
    """One unit type: the ranked units, the missing ones, averages and loss rates."""

    type: str
    label: str
    max_total: Decimal  # the items' total plus the largest bonus
    full_marks: Decimal  # the items' total (满分)
    max_bonus: Decimal  # the largest 特别加分, on top of the 满分
    ranked: tuple[UnitResult, ...]  # rank order
    missing: tuple[str, ...]
    provisional: int
    average_total: Decimal | None
    averages: dict[str, Decimal]  # item → average counted score
    losses: tuple[ItemLoss, ...]  # highest loss rate first (rubric order among equals)
    components: tuple[tuple[str, Decimal], ...] = ()  # the type's score components: (name, weight)

    @property
    def combination(self) -> str:
        """How the combined score is made (`domain.components.combination_text`); "" without components."""
        return combination_text(dict(self.components)) if self.components else ""

    @property
    def returned(self) -> int:
        return len(self.ranked)

    @property
    def missing_count(self) -> int:
        return len(self.missing)


@dataclass(frozen=True)
class Headline:
    """The summary's headline counts."""

    units: int
    returned: int
    missing: int
    reviewed: int
    provisional: int


@dataclass(frozen=True)
class ResultsModel:
    """Every figure of every report: per type, per unit, and across the campaign."""

    headline: Headline
    types: tuple[TypeSummary, ...]
    units: dict[str, UnitReport]  # returned units by name
    missing: tuple[Unit, ...]  # type by type, in roster order
    differences: tuple[Difference, ...]  # type by type, units in rank order
    largest_gaps: tuple[OfficeGap, ...]
    tasks: tuple[TaskProgress, ...]
    distribution: tuple[tuple[str, int], ...]  # total score bins
    grades: tuple[tuple[str, int], ...]  # units per grade, in band order (empty without bands)
    grade_caps: tuple[GradeCap, ...] = ()  # each capped grade of each type: its places, the units moved down

    def of_type(self, unit_type: str) -> TypeSummary:
        return next(t for t in self.types if t.type == unit_type)

    def caps_of(self, unit_type: str) -> tuple[GradeCap, ...]:
        """The capped grades of a type with ranked units (none without `max_share`), highest grade first."""
        return tuple(cap for cap in self.grade_caps if cap.unit_type == unit_type)

    def ranked_units(self, unit_type: str) -> list[UnitReport]:
        """The returned units of a type, in rank order."""
        return [self.units[r.unit] for r in self.of_type(unit_type).ranked]


def explain_rule(rule: Rule, facts: Facts, bonus: bool = False, applied: bool = True) -> Deduction | None:
    """What a rule did given the unit's facts, in words; None when it did nothing.

    The one place where a deduction's wording lives (flag: 是, count: N 次, monthly: the months short)."""
    amount = scoring.rule_deduction(rule, facts)
    if not amount:
        return None
    verb = "加" if bonus else "扣"
    effect = f"{verb} {amount} 分" if applied else "不累加(只计最高一项加分)"
    kind = kind_of(rule)
    fact, short = kind.evidence(rule, facts)
    return Deduction(rule.id, rule.kind, amount, fact, short, applied, kind.describe(rule, facts, effect))


def _bonus_lines(rubric: Rubric, facts: Facts) -> tuple[Deduction, ...]:
    """The bonus rules claimed; only the highest counts (B1 and B2 do not add up)."""
    best = scoring.special_bonus(rubric.special, facts)
    lines, counted = [], False
    for rule in rubric.special.bonus:
        applies = not counted and scoring.rule_deduction(rule, facts) == best
        line = explain_rule(rule, facts, bonus=True, applied=applies)
        if line is not None:
            counted = counted or applies
            lines.append(line)
    return tuple(lines)


def _average(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, ZERO) / len(values) if values else None


def _in_rank_order(results: Iterable[UnitResult]) -> list[UnitResult]:
    return sorted(results, key=lambda r: (r.rank is None, r.rank or 0, r.unit))


def _type_summary(rubric: Rubric, unit_type: str, results: list[UnitResult], components: Mapping) -> TypeSummary:
    type_rubric = rubric.for_type(unit_type)
    ordered = _in_rank_order(r for r in results if r.type == unit_type)
    ranked = tuple(r for r in ordered if r.status != MISSING)
    averages: dict[str, Decimal] = {}
    losses = []
    if ranked:
        for item in type_rubric.items:
            average = _average([r.items[item.id].score for r in ranked])
            averages[item.id] = average
            rate = (item.max - average) / item.max
            losses.append(ItemLoss(item.id, item.name, item.max, average, rate, cents(rate * HUNDRED)))
    losses.sort(key=lambda loss: -loss.loss_rate)
    return TypeSummary(
        type=unit_type,
        label=type_rubric.label,
        max_total=rubric.max_total(unit_type),
        full_marks=type_rubric.total,
        max_bonus=rubric.special.max_bonus,
        ranked=ranked,
        missing=tuple(r.unit for r in ordered if r.status == MISSING),
        provisional=sum(1 for r in ranked if r.provisional),
        average_total=_average([r.total for r in ranked]),
        averages=averages,
        losses=tuple(losses),
        components=tuple(components.items()),
    )


def _item_line(item: Item, counted: ItemResult, facts: Facts, note: str, average: Decimal | None) -> ItemLine:
    changed = is_changed(counted)
    return ItemLine(
        id=item.id, name=item.name, content=item.content, standard=item.standard, max=item.max,
        claimed=counted.claimed, ceiling=counted.ceiling, office=counted.office, score=counted.score,
        self_score=counted.self_score, lost=item.max - counted.score, gap=counted.score - counted.self_score,
        changed=changed, reason=change_reason(counted) if changed else "",
        deductions=tuple(d for rule in item.rules if (d := explain_rule(rule, facts))),
        note=note, average=average, ledger=counted.ledger_lines,
    )


def _differences(rubric: Rubric, result: UnitResult, items: tuple[ItemLine, ...], label: str) -> tuple[Difference, ...]:
    rows = [
        Difference(result.unit, result.type, label, line.id, line.name, line.max, line.claimed, line.ceiling,
                   line.office, line.score, line.score - (line.claimed or ZERO), line.reason, line.note)
        for line in items if line.changed
    ]
    if result.bonus != result.self_bonus:
        rows.append(Difference(result.unit, result.type, label, BONUS_REF, "特别加分", rubric.special.max_bonus,
                               result.self_bonus, None, result.bonus, result.bonus, result.bonus - result.self_bonus,
                               office_reason(result.bonus_reason), ""))
    if result.penalty != result.self_penalty:
        rows.append(Difference(result.unit, result.type, label, PENALTY_REF, "特别扣分(扣减分数)", None,
                               result.self_penalty, None, result.penalty, result.penalty,
                               result.self_penalty - result.penalty, office_reason(result.penalty_reason), ""))
    # the unit's total as its form adds up, so that the rows' differences add up to the total's
    claimed = result.claimed_total
    difference = None if result.total is None or claimed is None else result.total - claimed
    rows.append(Difference(result.unit, result.type, label, TOTAL_REF, "总分(含特别加分、扣分)",
                           rubric.for_type(result.type).total, claimed, None, None, result.total,
                           difference, f"计分依据:{BASIS_LABELS[result.basis]}", "", is_total=True))
    return tuple(rows)


def _unit_report(rubric: Rubric, unit: Unit, result: UnitResult, summary: TypeSummary, facts: Facts,
                 notes: Mapping[str, str], progress: Mapping[int, tuple[str, str]]) -> UnitReport:
    type_rubric = rubric.for_type(unit.type)
    items = tuple(
        _item_line(item, result.items[item.id], facts, notes.get(item.id, ""), summary.averages.get(item.id))
        for item in type_rubric.items
    )
    tasks = tuple(
        TaskLine(t.number, t.title, *progress.get(t.number, ("", ""))) for t in rubric.tasks_for(unit.name, unit.type)
    )
    return UnitReport(
        unit=unit,
        result=result,
        type_label=type_rubric.label,
        basis_label=BASIS_LABELS[result.basis],
        of=summary.returned,
        items=items,
        bonus_lines=_bonus_lines(rubric, facts),
        penalty_lines=tuple(d for rule in rubric.special.penalty if (d := explain_rule(rule, facts))),
        differences=_differences(rubric, result, items, UNIT_TYPE_LABELS[unit.type]),
        tasks=tasks,
        remark=provisional_remark(result),
        components=summary.components,
    )


def _task_progress(rubric: Rubric, returned: list[Unit], tasks: Mapping[str, Mapping[int, tuple[str, str]]]
                   ) -> tuple[TaskProgress, ...]:
    rows = []
    for task in rubric.tasks:
        counts = dict.fromkeys((*STATUSES, UNFILLED), 0)
        for unit in returned:
            if not task.applies_to(unit.name, unit.type):
                continue
            status = tasks.get(unit.name, {}).get(task.number, ("", ""))[0]
            counts[status if status in STATUSES else UNFILLED] += 1
        rows.append(TaskProgress(task.number, task.title, counts, sum(counts.values())))
    return tuple(rows)


def _distribution(results: list[UnitResult]) -> tuple[tuple[str, int], ...]:
    counts = {name: 0 for _, name in SCORE_BINS}
    for r in results:
        if r.total is not None:
            counts[next(name for low, name in reversed(SCORE_BINS) if r.total >= low)] += 1
    return tuple(counts.items())


def _grades(results: list[UnitResult], grade_names: Sequence[str]) -> tuple[tuple[str, int], ...]:
    return tuple((name, sum(1 for r in results if r.grade == name)) for name in grade_names)


def _largest_gaps(reports: Iterable[UnitReport], limit: int = LARGEST_GAPS) -> tuple[OfficeGap, ...]:
    gaps = [
        OfficeGap(report.result.unit, line.id, line.name, line.self_score, line.score, line.gap, line.reason)
        for report in reports for line in report.items
        if line.office is not None and line.office != line.self_score
    ]
    return tuple(sorted(gaps, key=lambda g: (-abs(g.difference), g.unit, g.item))[:limit])


def build_results_model(
    rubric: Rubric,
    units: Sequence[Unit],
    results: Sequence[UnitResult],
    facts: Mapping[str, Facts],
    notes: Mapping[str, Mapping[str, str]],
    tasks: Mapping[str, Mapping[int, tuple[str, str]]],
    grade_names: Sequence[str] = (),
    component_weights: Mapping[str, Mapping[str, Decimal]] | None = None,
    grade_caps: Sequence[GradeCap] = (),
) -> ResultsModel:
    """The results model of a campaign from its ranked results (`rank_and_convert`), each type's score components
    (`component_weights`), the capped grades of each type (`results.type_grades`) and, per returned unit, its facts,
    扣分说明 by item and task progress (number → status)."""
    results = list(results)
    by_name = {r.unit: r for r in results}
    summaries = tuple(_type_summary(rubric, t, results, (component_weights or {}).get(t, {})) for t in rubric.types)
    returned = [u for u in units if by_name[u.name].status != MISSING]
    reports = {}
    units_by_name = {u.name: u for u in reversed(units)}  # the first of a name, as before
    for summary in summaries:
        for result in summary.ranked:
            unit = units_by_name[result.unit]
            reports[unit.name] = _unit_report(rubric, unit, result, summary, facts.get(unit.name, {}),
                                              notes.get(unit.name, {}), tasks.get(unit.name, {}))
    scored = [r for r in results if r.status != MISSING]
    missing_names = {r.unit for r in results if r.status == MISSING}
    return ResultsModel(
        headline=Headline(
            units=len(results), returned=len(scored), missing=len(missing_names),
            reviewed=sum(1 for r in scored if r.basis != SELF),
            provisional=sum(1 for r in scored if r.provisional),
        ),
        types=summaries,
        units=reports,
        missing=tuple(u for t in rubric.types for u in units if u.type == t and u.name in missing_names),
        differences=tuple(d for report in reports.values() for d in report.differences),
        largest_gaps=_largest_gaps(reports.values()),
        tasks=_task_progress(rubric, returned, tasks),
        distribution=_distribution(results),
        grades=_grades(results, grade_names),
        grade_caps=tuple(grade_caps),
    )
