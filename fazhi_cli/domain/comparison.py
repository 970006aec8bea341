"""This year's results against the last kept year's, per unit: last year's result (matched by name or through the
roster's 原单位名称), the places gained or lost (ranks are per unit type), the items lost points on in both years and
last year's 整改 items still not closed. Pure code over plain data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fazhi_cli.domain.history import PastUnit, PastYear, match_previous, rank_change, repeated_items


@dataclass(frozen=True)
class UnitComparison:
    """One unit this year against last year (`previous` None: not in last year's results)."""

    unit: str
    type: str
    previous: PastUnit | None
    change: int | None  # places gained (negative: lost), None when either year has no rank
    repeated: tuple[str, ...]
    open_rectify: tuple[str, ...]

    def previous_json(self, year: int) -> dict | None:
        """`{"year", "total", "rank", "grade"}` of last year, or None for a unit not ranked last year."""
        p = self.previous
        if p is None or p.rank is None:
            return None
        return {"year": year, "total": p.total, "rank": p.rank, "grade": p.grade}


@dataclass(frozen=True)
class NowUnit:
    """What the comparison needs of a unit this year."""

    unit: str
    type: str
    rank: int | None
    lost: tuple[str, ...]
    former: tuple[str, ...] = ()


def compare_units(now: Sequence[NowUnit], last: PastYear) -> dict[str, UnitComparison]:
    """Each unit of this year → its comparison with `last`."""
    matched = match_previous([u.unit for u in now], {u.unit: u.former for u in now}, last)
    out = {}
    for u in now:
        previous = matched.get(u.unit)
        out[u.unit] = UnitComparison(u.unit, u.type, previous, rank_change(u.rank, previous),
                                     repeated_items(u.lost, previous),
                                     previous.open_rectify if previous is not None else ())
    return out


def most_moved(comparisons: Mapping[str, UnitComparison], unit_type: str) -> tuple[list[str], list[str]]:
    """The units of one type that rose most places and fell most (names, in name order; empty when none moved)."""
    moved = [c for c in comparisons.values() if c.type == unit_type and c.change]
    up = max((c.change for c in moved if c.change > 0), default=0)
    down = min((c.change for c in moved if c.change < 0), default=0)
    return (sorted(c.unit for c in moved if up and c.change == up),
            sorted(c.unit for c in moved if down and c.change == down))


def repeated_most(comparisons: Mapping[str, UnitComparison], limit: int = 3) -> list[tuple[str, int]]:
    """The items lost in both years by the most units: (item ID, how many units), most first, then by ID."""
    counts: dict[str, int] = {}
    for c in comparisons.values():
        for ref in c.repeated:
            counts[ref] = counts.get(ref, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def change_label(comparison: UnitComparison | None) -> str:
    """The 升降 column: "↑2" (rose two places), "↓1", "持平", or "—" when either year has no rank."""
    if comparison is None or comparison.change is None:
        return "—"
    if comparison.change > 0:
        return f"↑{comparison.change}"
    if comparison.change < 0:
        return f"↓{-comparison.change}"
    return "持平"


def change_words(change: int | None) -> str:
    """The feedback page's words for the places moved: 上升 k 名 / 下降 k 名 / 名次不变 ("" when unknown)."""
    if change is None:
        return ""
    if change > 0:
        return f"上升 {change} 名"
    if change < 0:
        return f"下降 {-change} 名"
    return "名次不变"
