"""Scoring as pure functions over plain data, with exact decimal arithmetic (rubric-2017.md).

Facts are a mapping from rule ID (or monthly fact ID such as `3.2a.03`) to a bool (flag) or an int
(count, month). A fact that is absent counts as no deduction; reporting it missing is validation's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from fazhi_cli.domain import kinds
from fazhi_cli.domain.kinds import ZERO, Facts
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.rubric import Item, Rule, SpecialRules


def rule_deduction(rule: Rule, facts: Facts) -> Decimal:
    """The points one rule deducts given the unit's facts."""
    return kinds.kind_of(rule).deduction(rule, facts)


def item_deduction(item: Item, facts: Facts) -> Decimal:
    """The sum of the item's rule deductions (may exceed the item's maximum)."""
    return sum((rule_deduction(rule, facts) for rule in item.rules), ZERO)


def item_ceiling(item: Item, facts: Facts) -> Decimal:
    """The most the item can score given the facts: max(0, maximum − rule deductions)."""
    return max(ZERO, item.max - item_deduction(item, facts))


def effective_item_score(score: Decimal | None, ceiling: Decimal) -> Decimal:
    """The score that counts toward a (possibly provisional) total: a missing score counts 0, a claim
    above the ceiling counts as the ceiling, a negative one as 0; kept to two decimals."""
    if score is None:
        return ZERO
    return cents(min(max(score, ZERO), ceiling))


def special_bonus(special: SpecialRules, facts: Facts) -> Decimal:
    """The highest bonus claimed (B1 and B2 do not add up); 0 when none."""
    claimed = [rule.points for rule in special.bonus if facts.get(rule.id) is True]
    return max(claimed, default=ZERO)


def special_penalty(special: SpecialRules, facts: Facts) -> Decimal:
    """The special deduction: Σ per × count over the penalty rules (2×P1 + 5×P2)."""
    return sum((rule_deduction(rule, facts) for rule in special.penalty), ZERO)


def total_score(item_scores: Iterable[Decimal], bonus: Decimal, penalty: Decimal) -> Decimal:
    """Σ item scores + bonus − special deduction, never below 0, to two decimals."""
    return cents(max(ZERO, sum(item_scores, ZERO) + bonus - penalty))


def competition_ranks(totals: Mapping[str, Decimal]) -> dict[str, int]:
    """Rank by total descending; equal totals share a rank and the next is skipped (1, 2, 2, 4)."""
    ordered = sorted(totals.values(), reverse=True)
    first_position = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {name: first_position[value] for name, value in totals.items()}


def converted_score(total: Decimal, weight: Decimal) -> Decimal:
    """折算分值: total × weight / 100, to two decimals."""
    return cents(total * weight / Decimal(100))


def grade_for(total: Decimal, bands: Iterable[tuple[str, Decimal]]) -> str | None:
    """The grade of the first band (name, minimum total) whose minimum the total reaches; bands are
    tried from the highest minimum down. None when no band is defined or reached."""
    for name, minimum in sorted(bands, key=lambda band: band[1], reverse=True):
        if total >= minimum:
            return name
    return None
