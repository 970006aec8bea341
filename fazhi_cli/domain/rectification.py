"""整改 after the 通报: what each unit must rectify (the items it lost points on, and its 特别扣分), what it reported
in its 整改 workbook, what the office closed (销号), and where each item stands (`item_state`).

Pure code over plain data: the approved results (`report_model.UnitReport`) in, the items and their states out. The
words of a problem are the reasons the reports already give (what each rule deducted with the facts, the office's
reason for its own value, the unit's own 扣分说明, the ledger's record), so that the unit reads in its 整改 workbook
what it read in its 反馈函.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain.report_model import UnitReport

PENALTY_REF = "特别扣分"  # the row of a unit's 特别扣分 (one row for all its penalty rules)
DONE, UNDER_WAY, NOT_STARTED = "已完成", "推进中", "未启动"
PROGRESS = (DONE, UNDER_WAY, NOT_STARTED)  # the 完成情况 a unit chooses from
OPEN, IN_PROGRESS, REPORTED, CLOSED = "open", "in_progress", "reported", "closed"
STATES = (OPEN, IN_PROGRESS, REPORTED, CLOSED)
STATE_LABELS = {OPEN: "未报告", IN_PROGRESS: "整改中", REPORTED: "已报完成(待销号)", CLOSED: "已销号"}


@dataclass(frozen=True)
class RectifyItem:
    """One thing a unit must rectify: an item it lost points on (`ref` its 编号) or its 特别扣分 (`PENALTY_REF`)."""

    ref: str
    name: str
    problem: str  # why it lost the points, in the reports' words
    deduction: Decimal  # the points it lost


@dataclass(frozen=True)
class RectifyReport:
    """What a unit reported on one item in its returned 整改 workbook."""

    ref: str
    measures: str  # 整改措施
    progress: str  # 完成情况: one of PROGRESS, or "" when left blank
    done_on: dt.date | None  # 完成时间
    evidence: str = ""  # 佐证材料


@dataclass(frozen=True)
class Closure:
    """The office's 销号 of one item (or its withdrawal, `closed` False), with its 复核意见."""

    ref: str
    closed: bool
    opinion: str = ""


def rectify_deadline(setting: dt.date | None, approved_on: dt.date) -> dt.date:
    """The day the units report their 整改 by: the campaign's `rectify_deadline`, else a month after the approval
    (the 通报 then says 在收到本文后一个月内; the last day of a shorter month where the day does not exist)."""
    if setting is not None:
        return setting
    year, month = approved_on.year + approved_on.month // 12, approved_on.month % 12 + 1
    for day in range(approved_on.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, approved_on.day)


def rectify_items(report: UnitReport) -> tuple[RectifyItem, ...]:
    """What the unit must rectify: each item it lost points on, in rubric order, then one row for its 特别扣分 when
    any penalty applied. Empty for a unit that lost nothing (it owes no 整改)."""
    items = [RectifyItem(line.id, line.name, ";".join(line.why), line.lost) for line in report.lost_items]
    penalties = [d for d in report.penalty_lines if d.applied and d.points > 0]
    if penalties:
        items.append(RectifyItem(PENALTY_REF, PENALTY_REF, ";".join(d.text for d in penalties),
                                 sum((d.points for d in penalties), Decimal(0))))
    return tuple(items)


def item_state(report: RectifyReport | None, closure: Closure | None) -> str:
    """Where one item stands: `closed` once the office closed it (销号) — whatever the unit reported —, else
    `reported` when the unit reported it 已完成, `in_progress` when 推进中 or 未启动, `open` when nothing."""
    if closure is not None and closure.closed:
        return CLOSED
    if report is None or not report.progress:
        return OPEN
    return REPORTED if report.progress == DONE else IN_PROGRESS


def needs_opinion(report: RectifyReport | None) -> bool:
    """A 销号 needs a 复核意见 unless the unit itself reported the item 已完成 (the office then says why it closes
    what the unit did not finish, or never reported)."""
    return report is None or report.progress != DONE


@dataclass(frozen=True)
class UnitRectification:
    """One unit's 整改: its items, its reports and the office's closures, by item `ref`."""

    unit: str
    items: tuple[RectifyItem, ...]
    reports: Mapping[str, RectifyReport] = field(default_factory=dict)
    closures: Mapping[str, Closure] = field(default_factory=dict)

    def state(self, ref: str) -> str:
        """The state of one of its items."""
        return item_state(self.reports.get(ref), self.closures.get(ref))

    def states(self) -> dict[str, str]:
        """Every item's state, in item order."""
        return {item.ref: self.state(item.ref) for item in self.items}

    def unfinished(self) -> tuple[RectifyItem, ...]:
        """Items neither reported 已完成 nor closed: what a reminder is about."""
        return tuple(item for item in self.items if self.state(item.ref) in (OPEN, IN_PROGRESS))

    def overdue(self, today: dt.date, deadline: dt.date) -> bool:
        """Past the deadline (by the office's clock) with an item still open or in progress."""
        return today > deadline and bool(self.unfinished())


@dataclass(frozen=True)
class RectificationSummary:
    """The counts of a campaign's 整改: items by state, the units owing it and those overdue."""

    units: int
    items: int
    by_state: dict[str, int]
    overdue: tuple[str, ...]

    @property
    def closed(self) -> int:
        return self.by_state.get(CLOSED, 0)


def summarise(units: Iterable[UnitRectification], today: dt.date, deadline: dt.date) -> RectificationSummary:
    """How many units and items, the items by state, and the units overdue (in the order given)."""
    units = list(units)
    counts = dict.fromkeys(STATES, 0)
    for unit in units:
        for state in unit.states().values():
            counts[state] += 1
    return RectificationSummary(len(units), sum(counts.values()), counts,
                                tuple(u.unit for u in units if u.overdue(today, deadline)))


CLOSE, WITHDRAW_CLOSE = "rectify_close", "rectify_withdraw"  # the office's decisions (fazhi log: 销号, 撤回销号)


def closures_in_force(decisions: Iterable[tuple[str, str | None, Mapping]]) -> dict[str, dict[str, Closure]]:
    """Each unit's closures in force, by item: from the office's decisions in the order taken, each `(action, unit,
    detail)` with `detail` holding the item's `ref` and the `opinion` (复核意见); the later decision on an item
    stands (a withdrawal leaves it not closed). Other decisions are ignored."""
    found: dict[str, dict[str, Closure]] = {}
    for action, unit, detail in decisions:
        if action not in (CLOSE, WITHDRAW_CLOSE) or unit is None:
            continue
        ref = str(detail.get("ref", ""))
        found.setdefault(unit, {})[ref] = Closure(ref, action == CLOSE, str(detail.get("opinion", "")))
    return found
