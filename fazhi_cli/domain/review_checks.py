"""The office's review (核定得分) as data: which office values count, and the findings about the rest.

An office score replaces the unit's self score. It must be a number from 0 to the item's 分值; above
the ceiling the unit's own facts imply it stands (the office's check prevails) with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain import scoring
from fazhi_cli.domain.checks import ERROR, WARNING, Finding, Value
from fazhi_cli.domain.numbers import NotANumber, is_blank, parse_decimal
from fazhi_cli.domain.rubric import Rubric, UnitTypeRubric

BONUS = "bonus"
PENALTY = "penalty"


@dataclass
class OfficeScores:
    """The office values that count, by item ID (and `bonus` / `penalty`), with findings on the others."""

    values: dict[str, Decimal] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _finding(unit: str, severity: str, code: str, ref: str, cell: str | None, text: str) -> Finding:
    return Finding(unit, severity, code, ref, cell, f"【{unit}】{cell or ''}:复核打分表 {text}")


def office_scores(
    unit: str,
    type_rubric: UnitTypeRubric,
    rubric: Rubric,
    reviews: Mapping[str, Value],
    facts: Mapping[str, bool | int],
) -> OfficeScores:
    """Read the office's values for one unit; blanks keep the self score, bad values are findings."""
    out = OfficeScores()
    limits = {item.id: item.max for item in type_rubric.items}
    limits[BONUS] = rubric.special.max_bonus
    for ref, value in reviews.items():
        if is_blank(value.raw) or (ref not in limits and ref != PENALTY):
            continue
        try:
            number = parse_decimal(value.raw)
        except NotANumber as problem:
            why = problem.reason or "不是数字"
            out.findings.append(_finding(unit, ERROR, "review_not_number", ref, value.cell,
                                         f"{ref} 的核定得分“{problem.shown}”{why},未采用。"))
            continue
        if number < 0:
            out.findings.append(_finding(unit, ERROR, "review_negative", ref, value.cell,
                                         f"{ref} 的核定得分 {number} 为负数,未采用。"))
            continue
        if ref in limits and number > limits[ref]:
            out.findings.append(_finding(unit, ERROR, "review_above_max", ref, value.cell,
                                         f"{ref} 的核定得分 {number} 超过分值 {limits[ref]},未采用。"))
            continue
        if ref in limits and ref != BONUS:
            ceiling = scoring.item_ceiling(type_rubric.item(ref), facts)
            if number > ceiling:
                out.findings.append(_finding(unit, WARNING, "review_above_ceiling", ref, value.cell,
                                             f"{ref} 的核定得分 {number} 高于单位填报情形对应的得分上限 {ceiling},"
                                             "以核定得分为准。"))
        out.values[ref] = number
    return out
