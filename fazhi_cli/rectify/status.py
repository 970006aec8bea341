"""Where the 整改 stands: each owing unit's items with what its current 整改 return reported and what the office closed
(销号), the counts, and the units overdue by the office's clock — what `fazhi rectify status`, the review sheet, the
reminders, the 整改情况通报 and the summary all read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.rectification import (
    CLOSE,
    WITHDRAW_CLOSE,
    RectificationSummary,
    RectifyReport,
    UnitRectification,
    closures_in_force,
    summarise,
)
from fazhi_cli.domain.submissions import current_submissions
from fazhi_cli.infra.clock import CHINA, office_now
from fazhi_cli.rectify.owed import Owed, approved_owed
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.store import Store, StoredRectifyReturn
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class RectifyView:
    """The 整改 of a campaign as the office sees it today: what is owed, each unit's state, the counts."""

    owed: Owed
    units: list[UnitRectification]
    returns: dict[str, StoredRectifyReturn]  # each unit's current 整改 return
    today: dt.date
    summary: RectificationSummary

    @property
    def deadline(self) -> dt.date:
        return self.owed.deadline

    def unit(self, name: str) -> UnitRectification | None:
        """One unit's 整改 (None for a unit that owes none)."""
        return next((u for u in self.units if u.unit == name), None)

    def overdue(self, name: str) -> bool:
        """True once the deadline passed with an item of the unit still open or in progress."""
        unit = self.unit(name)
        return unit is not None and unit.overdue(self.today, self.deadline)


def stored_reports(store: Store) -> tuple[dict[str, StoredRectifyReturn], dict[str, dict[str, RectifyReport]]]:
    """Each unit's current 整改 return (the one received last, a rejected one not counted) and its reports by item."""
    current = current_submissions(store.rectify_returns(), store.file_decisions())
    reports = {unit: {row.ref: row.report() for row in store.rectify_rows(chosen.id)}
               for unit, chosen in current.items()}
    return current, reports


def closure_decisions(store: Store) -> list[tuple[str, str | None, dict]]:
    """The office's 销号 decisions and their withdrawals, in the order taken."""
    return [(d.action, d.unit, d.detail) for d in store.decisions() if d.action in (CLOSE, WITHDRAW_CLOSE)]


def rectify_view(workspace: Workspace, clock: Callable[[], dt.datetime] = office_now,
                 board: Scoreboard | None = None) -> RectifyView:
    """The 整改 as it stands by the office's clock (a `UsageError` before the results are approved); `board` the
    results in force when the caller has them already (the summary report)."""
    owed = approved_owed(workspace, board=board)
    with workspace.open_store() as store:
        returns, reports = stored_reports(store)
        closures = closures_in_force(closure_decisions(store))
    units = [UnitRectification(name, items, reports.get(name, {}), closures.get(name, {}))
             for name, items in owed.items.items()]
    today = clock().astimezone(CHINA).date()
    return RectifyView(owed, units, {u: r for u, r in returns.items() if u in owed.items}, today,
                       summarise(units, today, owed.deadline))


def status_json(view: RectifyView) -> dict:
    """What `fazhi rectify status --json` prints: `{"units": [{"unit", "overdue", "items": [{"ref", "problem",
    "deduction", "state"}]}]}`, with the deadline, today's date and the counts."""
    units = [{"unit": u.unit, "overdue": u.overdue(view.today, view.deadline),
              "items": [{"ref": i.ref, "name": i.name, "problem": i.problem, "deduction": i.deduction,
                         "state": u.state(i.ref)} for i in u.items]} for u in view.units]
    summary = view.summary
    return json_ready({"deadline": view.deadline, "today": view.today, "units": units,
                       "counts": {"units": summary.units, "items": summary.items, **summary.by_state},
                       "overdue": list(summary.overdue)})
