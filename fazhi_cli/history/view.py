"""`fazhi history`: each unit of this year's roster with its results of the kept earlier years (matched by name, or
through the roster's 原单位名称) and this year's once approved, and how many years running it has had its grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.approval import read_state, results_in_force
from fazhi_cli.domain.history import match_previous, years_running
from fazhi_cli.history.kept import kept_years
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class YearResult:
    """One unit's result in one year, under the name it had then."""

    year: int
    name: str
    total: Decimal | None
    rank: int | None
    grade: str | None


@dataclass(frozen=True)
class UnitHistory:
    """One unit of the roster: its results year by year (oldest first; a year it has none is left out) and the
    grade it has had several years running (`running` years ending this year, or the last kept year)."""

    unit: str
    type: str
    years: tuple[YearResult, ...]
    running: int = 0
    running_grade: str | None = None

    @property
    def note(self) -> str:
        """连续3年优秀, or '' when its last grade is not two years running or more."""
        return f"连续{self.running}年{self.running_grade}" if self.running >= 2 and self.running_grade else ""


@dataclass(frozen=True)
class HistoryView:
    """The years shown (the kept ones, then this year's when approved) and each unit's history."""

    years: tuple[int, ...]
    units: tuple[UnitHistory, ...]
    this_year: int
    approved: bool

    def as_dict(self) -> dict:
        """What `fazhi history --json` prints: `{"years", "units": [{"unit", "years": [{"year", "name", "total",
        "rank", "grade"}], "running"}]}`."""
        return {"years": list(self.years), "this_year": self.this_year, "approved": self.approved,
                "units": [{"unit": u.unit, "type": u.type, "note": u.note,
                           "years": [{"year": y.year, "name": y.name, "total": y.total, "rank": y.rank,
                                      "grade": y.grade} for y in u.years]} for u in self.units]}


def history_view(workspace: Workspace) -> HistoryView:
    """The campaign's history (kept years verified: `HistoryUnsealed`, exit 2, when one is not)."""
    past = kept_years(workspace)
    campaign = workspace.campaign()
    units = workspace.units(campaign)
    approved = read_state(workspace).approved  # the preliminary results are not history: not scored here
    now = {r.unit: r for r in results_in_force(workspace).results} if approved else {}
    former = {u.name: u.former_names for u in units}
    matched = [match_previous([u.name for u in units], former, year) for year in past]
    histories = []
    for unit in units:
        years = [YearResult(year.year, found.unit, found.total, found.rank, found.grade)
                 for year, by_name in zip(past, matched, strict=True)
                 if (found := by_name.get(unit.name)) is not None]
        if unit.name in now:
            result = now[unit.name]
            years.append(YearResult(campaign.year, unit.name, result.total, result.rank, result.grade))
        histories.append(_with_running(UnitHistory(unit.name, unit.type, tuple(years)), past, campaign.year, approved))
    shown = (*(y.year for y in past), *([campaign.year] if approved else []))
    return HistoryView(tuple(shown), tuple(histories), campaign.year, approved)


def _with_running(history: UnitHistory, past: list, this_year: int, approved: bool) -> UnitHistory:
    """The unit's grade years running, every year shown counted (a year it has no result breaks the run)."""
    by_year = {y.year: y.grade for y in history.years}
    grades = [by_year.get(y.year) for y in past] + ([by_year.get(this_year)] if approved else [])
    if not grades or grades[-1] is None:
        return history
    return UnitHistory(history.unit, history.type, history.years, years_running(grades, grades[-1]), grades[-1])
