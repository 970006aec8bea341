"""Grades (等次) and their caps: which grade each ranked unit of a type gets when a grade may go to at most a share
of the type's ranked units (`[[grades]]` `max_share`).

The rule, as the clerk's guide states it:
- the cap of a grade is floor(max_share × the number of ranked units of the type) — provisional units are ranked,
  so they count and compete for the places; units that returned nothing are not ranked and do not count;
- units take the grade in rank order; a unit beyond the cap that reached the grade's minimum gets the next grade
  down (which may itself be capped: the same rule again, the units moved down first since they rank higher);
- units with equal scores at the cap's boundary keep the higher grade together only when all of them fit in the
  places left; otherwise all of them move down. The cap is never exceeded and equal scores always get equal grades
  (the places left over stay unused).

Pure code over plain data (standard library only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from fazhi_cli.domain.numbers import NotANumber, normalise_text, parse_decimal

SHARE_FORM = 'max_share = "0.3" 或 max_share = "30%"(大于 0、不超过 1 的比例)'
HUNDRED = Decimal(100)


class NotAShare(ValueError):
    """A `max_share` that is no share above 0 and at most 1 (the message in Chinese, naming the value)."""


def parse_share(raw: object) -> Decimal:
    """A grade's `max_share` as fazhi.toml writes it: `"0.3"`, `0.3`, `"30%"` (full-width too); above 0, at most 1.
    Raises NotAShare."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise NotAShare(f"“{str(raw)[:30]}”不是比例")
    text = normalise_text(raw) if isinstance(raw, str) else raw
    percent = isinstance(text, str) and text.endswith("%")
    try:
        value = parse_decimal(text[:-1].strip() if percent else text)
    except NotANumber:
        raise NotAShare(f"“{str(raw)[:30]}”不是比例") from None
    share = value / HUNDRED if percent else value
    if not Decimal(0) < share <= Decimal(1):
        raise NotAShare(f"“{str(raw)[:30]}”超出范围:应大于 0、不超过 1(即不超过 100%)")
    return share


def share_text(share: Decimal) -> str:
    """A share as the reports write it: 30%, 33.3%."""
    percent = (share * HUNDRED).normalize()
    return f"{percent:f}%"


def cap_places(share: Decimal, ranked: int) -> int:
    """How many units of a type may get a capped grade: share × ranked units, rounded down."""
    return int((share * ranked).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class GradeCap:
    """One capped grade within one unit type: its share, its places, and the units beyond it (moved down, in rank
    order, each with the grade it was given); `tied` the units with equal scores at the boundary that moved down
    together because not all of them fitted in the places left."""

    unit_type: str
    grade: str
    share: Decimal
    ranked: int
    places: int
    moved: tuple[tuple[str, str | None], ...] = ()
    tied: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The note under a ranking: “优秀等次限30%(3个),区甲局、区乙局因名额限制评为良好”."""
        text = f"{self.grade}等次限{share_text(self.share)}({self.places}个)"
        if not self.moved:
            return text
        by_grade: dict[str | None, list[str]] = {}
        for unit, given in self.moved:
            by_grade.setdefault(given, []).append(unit)
        for number, (given, units) in enumerate(by_grade.items()):
            why = "因名额限制" if number == 0 else ""
            text += f",{'、'.join(units)}{why}{'未评定等次' if given is None else f'评为{given}'}"
        if self.tied:
            text += f"({'、'.join(self.tied)}得分相同,剩余名额不足以全部评为{self.grade},同分单位等次相同)"
        return text


@dataclass(frozen=True)
class GradeAssignment:
    """The grades of one unit type's ranked units: each unit's grade, the grade its score reached (before any cap),
    and the caps that applied."""

    grades: dict[str, str | None]
    reached: dict[str, str | None]
    caps: tuple[GradeCap, ...] = field(default_factory=tuple)

    def capped_from(self, unit: str) -> str | None:
        """The grade a unit's score reached when a cap gave it a lower one; None when it got what it reached."""
        reached = self.reached.get(unit)
        return reached if reached != self.grades.get(unit) else None


def _reached(value: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str | None:
    return next((name for name, minimum in bands if value >= minimum), None)


def _tie_groups(units: Sequence[str], values: Mapping[str, Decimal]) -> list[list[str]]:
    groups: list[list[str]] = []
    for unit in units:
        if groups and values[groups[-1][0]] == values[unit]:
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return groups


def _fill(candidates: list[str], values: Mapping[str, Decimal], places: int) -> tuple[list[str], list[str]]:
    """The candidates (in rank order) that take a capped grade, and the tied group at the boundary that did not fit
    (empty when the cut fell between different scores)."""
    taken: list[str] = []
    for group in _tie_groups(candidates, values):
        if len(taken) + len(group) > places:
            return taken, (group if len(taken) < places else [])
        taken += group
    return taken, []


def assign_grades(unit_type: str, values: Mapping[str, Decimal], bands: Iterable[tuple[str, Decimal]],
                  caps: Mapping[str, Decimal] | None = None) -> GradeAssignment:
    """The grades of one type's ranked units, by the score they are ranked on (`values`); `bands` are (name,
    minimum) and `caps` the share of the ranked units a grade may go to, by grade name (see the module's rule)."""
    caps = caps or {}
    ordered_bands = sorted(bands, key=lambda band: band[1], reverse=True)
    order = sorted(values, key=lambda unit: (-values[unit], unit))
    reached = {unit: _reached(values[unit], ordered_bands) for unit in order}
    grades: dict[str, str | None] = dict.fromkeys(order)
    left = list(order)
    applied = []
    for name, minimum in ordered_bands:
        candidates = [unit for unit in left if values[unit] >= minimum]
        share = caps.get(name)
        taken, tied = candidates, []
        if share is not None:
            places = cap_places(share, len(order))
            taken, tied = _fill(candidates, values, places)
        given = set(taken)
        for unit in taken:
            grades[unit] = name
        left = [unit for unit in left if unit not in given]
        if share is not None:
            applied.append((name, share, places, [unit for unit in candidates if unit not in given], tied))
    notes = tuple(GradeCap(unit_type, name, share, len(order), places, tuple((u, grades[u]) for u in moved),
                           tuple(tied)) for name, share, places, moved, tied in applied)
    return GradeAssignment(grades, reached, notes)
