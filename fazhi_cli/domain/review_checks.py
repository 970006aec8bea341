"""The office's review (核定得分) as data: which office values count, and the findings about the rest.

Only what the office entered is an office value; it replaces the unit's self score. It must be a number
from 0 to the item's 分值; above the ceiling the unit's own facts imply it stands (the office's check
prevails) with a warning. A value lower than what the unit's own score counts for needs a 核定理由, else
it is an error and not used. An office value with its reason resolves the validation errors on its item
(`resolve_reviewed`); nothing else in a review sheet clears an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from fazhi_cli.domain import scoring
from fazhi_cli.domain.checks import ERROR, WARNING, Finding
from fazhi_cli.domain.numbers import NotANumber, is_blank, parse_decimal
from fazhi_cli.domain.rubric import Rubric, UnitTypeRubric

BONUS = "bonus"
PENALTY = "penalty"
ROW_NAMES = {BONUS: "特别加分", PENALTY: "特别扣分"}


@dataclass
class OfficeScores:
    """The office values that count, by item ID (and `bonus` / `penalty`), with findings on the others."""

    values: dict[str, Decimal] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class OfficeValue:
    """What the office entered for one item (or `bonus` / `penalty`): the raw 核定得分, its cell, its 核定理由."""

    raw: object
    cell: str | None = None
    reason: str = ""
    team: str = ""  # the review team (考核组) that set it; "" for the office itself
    sheet: str = ""  # the review sheet it came in


def _same_value(first: object, second: object) -> bool:
    """Two office values say the same: equal numbers however typed (8, "8分", 8.0), else equal text."""
    try:
        return parse_decimal(first) == parse_decimal(second)
    except NotANumber:
        return str(first).strip() == str(second).strip()


def _source(value: OfficeValue) -> str:
    return f"{value.team or '法制办'}(「{value.sheet}」{value.cell or ''})"


def resolve_sources(unit: str, office: Mapping[str, OfficeValue],
                    teams: Mapping[str, Mapping[str, OfficeValue]]) -> tuple[dict[str, OfficeValue], list[Finding]]:
    """The office value that counts for each ref of one unit, from the office's own review sheet (`office`) and its
    review teams' (`teams`: team → ref → value), with an error `review_conflict` where teams disagree.

    The office's own value prevails. Otherwise the teams' values count when they agree (one with a 核定理由 is
    taken); when two teams give different values, neither counts until one is withdrawn or changed to agree, or
    the office sets the value itself."""
    chosen = dict(office)
    by_ref: dict[str, list[OfficeValue]] = {}
    for team in sorted(teams):
        for ref, value in teams[team].items():
            if not is_blank(value.raw):
                by_ref.setdefault(ref, []).append(value)
    findings = []
    for ref, values in by_ref.items():
        if ref in chosen:
            continue
        first = values[0]
        other = next((v for v in values[1:] if not _same_value(first.raw, v.raw)), None)
        if other is None:
            chosen[ref] = next((v for v in values if (v.reason or "").strip()), first)
            continue
        shown = ROW_NAMES.get(ref, ref)
        given = ";".join(f"{_source(v)}核定 {v.raw}" for v in values)
        findings.append(Finding(unit, ERROR, "review_conflict", ref, first.cell,
                                f"【{unit}】复核打分表 {shown} 的核定得分不一致:{given},均未采用。"
                                "请由考核组撤销或改为一致,或由法制办在本办的复核打分表中核定。"))
    return chosen, findings


def _finding(unit: str, severity: str, code: str, ref: str, cell: str | None, text: str) -> Finding:
    return Finding(unit, severity, code, ref, cell, f"【{unit}】{cell or ''}:复核打分表 {text}")


def office_scores(
    unit: str,
    type_rubric: UnitTypeRubric,
    rubric: Rubric,
    reviews: Mapping[str, OfficeValue],
    facts: Mapping[str, bool | int],
    claimed: Mapping[str, Decimal | None] | None = None,
) -> OfficeScores:
    """Read the office's values for one unit; bad values are findings and are not used.

    `claimed` is the unit's own item scores: an office value below the self score as it counts (or a
    bonus below, a deduction above the unit's own) needs a reason."""
    out = OfficeScores()
    claimed = claimed or {}
    limits = {item.id: item.max for item in type_rubric.items}
    limits[BONUS] = rubric.special.max_bonus
    for ref, value in reviews.items():
        shown = ROW_NAMES.get(ref, ref)
        if is_blank(value.raw) or (ref not in limits and ref != PENALTY):
            continue
        try:
            number = parse_decimal(value.raw)
        except NotANumber as problem:
            why = problem.reason or "不是数字"
            out.findings.append(_finding(unit, ERROR, "review_not_number", ref, value.cell,
                                         f"{shown} 的核定得分“{problem.shown}”{why},未采用。"))
            continue
        if number < 0:
            out.findings.append(_finding(unit, ERROR, "review_negative", ref, value.cell,
                                         f"{shown} 的核定得分 {number} 为负数,未采用。"))
            continue
        if ref in limits and number > limits[ref]:
            out.findings.append(_finding(unit, ERROR, "review_above_max", ref, value.cell,
                                         f"{shown} 的核定得分 {number} 超过分值 {limits[ref]},未采用。"))
            continue
        reason = (value.reason or "").strip()
        own = _own_value(ref, type_rubric, rubric, facts, claimed)
        lowers = number > own if ref == PENALTY else number < own
        if lowers and not reason:
            out.findings.append(_finding(unit, ERROR, "review_no_reason", ref, value.cell,
                                         f"{shown} 的核定得分 {number} 使单位得分低于其自评({own}),但未填写核定理由,"
                                         "未采用。请在“核定理由”中说明后重新收回。"))
            continue
        if ref in limits and ref != BONUS:
            ceiling = scoring.item_ceiling(type_rubric.item(ref), facts)
            if number > ceiling:
                out.findings.append(_finding(unit, WARNING, "review_above_ceiling", ref, value.cell,
                                             f"{shown} 的核定得分 {number} 高于单位填报情形对应的得分上限 {ceiling},"
                                             "以核定得分为准。"))
        out.values[ref] = number
        out.reasons[ref] = reason
    return out


def _own_value(ref: str, type_rubric: UnitTypeRubric, rubric: Rubric, facts: Mapping[str, bool | int],
               claimed: Mapping[str, Decimal | None]) -> Decimal:
    """What the unit's own return counts for on `ref`: the self score as it counts, or its bonus / deduction."""
    if ref == BONUS:
        return scoring.special_bonus(rubric.special, facts)
    if ref == PENALTY:
        return scoring.special_penalty(rubric.special, facts)
    ceiling = scoring.item_ceiling(type_rubric.item(ref), facts)
    return scoring.effective_item_score(claimed.get(ref), ceiling)


def item_refs(type_rubric: UnitTypeRubric) -> dict[str, str]:
    """Every ID a finding can name (item, rule, month), mapped to the item it belongs to."""
    owners: dict[str, str] = {}
    for item in type_rubric.items:
        owners[item.id] = item.id
        for rule in item.rules:
            owners[rule.id] = item.id
            owners.update(dict.fromkeys(rule.month_ids(), item.id))
    return owners


def resolve_reviewed(findings: Iterable[Finding], type_rubric: UnitTypeRubric, office: OfficeScores) -> list[Finding]:
    """The unit's findings with every error on an item the office set (with its reason) marked resolved: it
    stays listed, as a warning that says so, and no longer makes the result provisional."""
    owners = item_refs(type_rubric)
    resolved = {ref for ref, reason in office.reasons.items() if reason and ref in office.values}
    out = []
    for finding in findings:
        item = owners.get(finding.ref or "")
        if finding.severity == ERROR and item in resolved and not finding.code.startswith("review_"):
            finding = replace(finding, severity=WARNING,
                              message=f"{finding.message}(法制办已核定 {item}:{office.reasons[item]})")
        out.append(finding)
    return out


@dataclass(frozen=True)
class TeamReview:
    """What one review team (考核组) set: the units it gave office values for (in roster order), how many values it
    has in force, and how many of them disagree with another team's (`review_conflict`, so not used)."""

    team: str
    units: tuple[str, ...]
    values: int
    conflicts: int


def team_reviews(layers: Mapping[str, Mapping[str, Mapping[str, object]]], roster: Iterable[str],
                 conflicts: Iterable[tuple[str, str]]) -> list[TeamReview]:
    """Each review team's summary, by team name, from its values in force (team → unit → ref → value; the office's
    own layer, "", is left out) and the (unit, ref) in conflict."""
    order = {name: index for index, name in enumerate(roster)}
    disputed = set(conflicts)
    out = []
    for team in sorted(t for t in layers if t):
        by_unit = {unit: refs for unit, refs in layers[team].items() if refs}
        units = tuple(sorted(by_unit, key=lambda unit: (order.get(unit, len(order)), unit)))
        values = sum(len(refs) for refs in by_unit.values())
        clashing = sum(1 for unit, refs in by_unit.items() for ref in refs if (unit, ref) in disputed)
        out.append(TeamReview(team, units, values, clashing))
    return out
