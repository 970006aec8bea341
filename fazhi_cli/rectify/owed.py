"""What each unit owes after the 通报: the approved results' lost items (`domain.rectification.rectify_items`), for
the assessed units that lost points, and the deadline they report by. 整改 begins only once the results are approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_cli.approval import current_state, frozen_scoreboard, results_in_force
from fazhi_cli.domain.rectification import RectifyItem, rectify_deadline, rectify_items
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import UsageError
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace

NOT_APPROVED_HINT = "整改在考核结果审定之后进行:请先 fazhi approve --by … --date … 审定结果。"


@dataclass(frozen=True)
class Owed:
    """The approved results and, for each assessed unit that lost points (in roster order), what it must rectify."""

    board: Scoreboard
    items: dict[str, tuple[RectifyItem, ...]]
    units: dict[str, Unit]
    deadline: dt.date

    @property
    def approval(self) -> str:
        """The approval these items come from: its snapshot's hash (sealed into every 整改 workbook)."""
        return self.board.state.snapshot


def owed_items(board: Scoreboard) -> dict[str, tuple[RectifyItem, ...]]:
    """Each assessed unit that lost points, in roster order, with its items; a unit that lost nothing owes nothing."""
    found = {}
    for unit in board.units:
        report = board.model.units.get(unit.name)
        items = rectify_items(report) if report is not None else ()
        if items:
            found[unit.name] = items
    return found


def approved_owed(workspace: Workspace, what: str = "整改", board: Scoreboard | None = None) -> Owed:
    """What the units owe under the approved results (`board`, by default the results in force, when the caller has
    them already); before the approval a `UsageError` (exit 2) saying so."""
    board = board or results_in_force(workspace)
    if not board.state.approved:
        raise UsageError(f"考核结果尚未审定,不能办理{what}", NOT_APPROVED_HINT)
    return owed_under(board)


def owed_in_store(store: Store) -> Owed | None:
    """What the units owe under the approved results read from an open store (an ingest's), or None when the results
    are not approved."""
    state = current_state(store)
    return owed_under(frozen_scoreboard(store, state)) if state.approved else None


def owed_under(board: Scoreboard) -> Owed:
    """What the units owe under approved results `board`."""
    approved_on = dt.date.fromisoformat(board.state.date)
    deadline = rectify_deadline(board.campaign.documents.rectify_deadline, approved_on)
    return Owed(board, owed_items(board), {u.name: u for u in board.units}, deadline)
