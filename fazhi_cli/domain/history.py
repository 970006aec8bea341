"""Earlier years' approved results, as a campaign started `--from` the last one keeps them: each year's units with
their total, rank, grade, the items they lost points on and the 整改 items still not closed; and the matching of this
year's units to last year's — by name (spelled in either width, as `--unit` is), or through the roster's
`原单位名称` for a unit renamed or merged since.

Pure code over plain data; `year_json` / `year_from_json` are the canonical text kept in the store (its SHA-256 and the
workspace's seal over it are the store's business).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain.units import name_key

HISTORY_FORMAT = 1


@dataclass(frozen=True)
class PastUnit:
    """One unit's approved result of an earlier year."""

    unit: str
    type: str
    total: Decimal | None  # None: not scored that year (未报送)
    rank: int | None
    grade: str | None = None
    lost: tuple[str, ...] = ()  # the item IDs it lost points on
    open_rectify: tuple[str, ...] = ()  # its 整改 items (编号, or 特别扣分) not closed when the year was carried


@dataclass(frozen=True)
class PastYear:
    """An earlier year's approved results, as carried into a later campaign."""

    year: int
    title: str
    approved_by: str
    approved_on: str
    doc_no: str
    units: tuple[PastUnit, ...] = field(default_factory=tuple)

    def unit(self, name: str) -> PastUnit | None:
        """The unit of this name (in either width), or None."""
        key = name_key(name)
        return next((u for u in self.units if name_key(u.unit) == key), None)


def year_json(year: PastYear) -> str:
    """The canonical text of a past year (sorted keys, no spaces, decimals as strings): what the store keeps."""
    data = {"format": HISTORY_FORMAT, "year": year.year, "title": year.title, "approved_by": year.approved_by,
            "approved_on": year.approved_on, "doc_no": year.doc_no,
            "units": [{"unit": u.unit, "type": u.type, "total": None if u.total is None else str(u.total),
                       "rank": u.rank, "grade": u.grade, "lost": list(u.lost), "open_rectify": list(u.open_rectify)}
                      for u in year.units]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def year_from_json(text: str) -> PastYear:
    """A past year from its canonical text (ValueError, KeyError or TypeError when it is not one)."""
    data = json.loads(text)
    if data.get("format") != HISTORY_FORMAT:
        raise ValueError(f"unknown history format {data.get('format')!r}")
    units = tuple(PastUnit(u["unit"], u["type"], None if u["total"] is None else Decimal(u["total"]), u["rank"],
                           u["grade"], tuple(u["lost"]), tuple(u["open_rectify"])) for u in data["units"])
    return PastYear(int(data["year"]), data["title"], data["approved_by"], data["approved_on"], data["doc_no"], units)


def match_previous(names: Iterable[str], former: Mapping[str, Sequence[str]], past: PastYear) -> dict[str, PastUnit]:
    """This year's unit names → their result in `past`: the same name (in either width), else a name the roster
    gives as its `原单位名称` (`former`: name → earlier names; the first that `past` knows). A unit new this year,
    or one whose earlier names `past` does not know, has none."""
    found = {}
    for name in names:
        for candidate in (name, *former.get(name, ())):
            match = past.unit(candidate)
            if match is not None:
                found[name] = match
                break
    return found


def repeated_items(lost_now: Iterable[str], previous: PastUnit | None) -> tuple[str, ...]:
    """The items a unit lost points on this year that it also lost last year, in this year's order."""
    if previous is None:
        return ()
    before = set(previous.lost)
    return tuple(ref for ref in lost_now if ref in before)


def rank_change(rank: int | None, previous: PastUnit | None) -> int | None:
    """Places gained since last year (positive: up, negative: down); None when either year has no rank."""
    if rank is None or previous is None or previous.rank is None:
        return None
    return previous.rank - rank


def years_running(grades: Sequence[str | None], grade: str) -> int:
    """How many years running, ending with the last of `grades` (oldest first), a unit has had `grade`."""
    count = 0
    for earlier in reversed(grades):
        if earlier != grade:
            break
        count += 1
    return count


def history_seal(secret: bytes, year: int, sha256: str) -> str:
    """The workspace's seal over a kept year (its year and its content's SHA-256): only the office, holding the
    secret, can make one that verifies, so a kept year edited or recomputed by hand is caught."""
    message = json.dumps(["history", year, sha256], separators=(",", ":")).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def history_sealed(secret: bytes, year: int, sha256: str, content: str, mac: str) -> bool:
    """True when a kept year's content has its recorded SHA-256 and the seal over both verifies."""
    actual = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return hmac.compare_digest(actual, sha256) and hmac.compare_digest(history_seal(secret, year, sha256), mac)
