"""`fazhi log`: every decision the office took, in order — office values set and withdrawn (from review sheets),
score components' values set and withdrawn (from component sheets),
files accepted, rejected and dismissed, results approved and reopened (from the command line), 整改 items closed
(销号) and their closures withdrawn (from 整改复核表); `log_json`, what
`fazhi log --json` prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from fazhi_cli.approval.state import results_in_force
from fazhi_cli.domain.approval import ACTION_LABELS, COMPONENT_SET, COMPONENT_WITHDRAWN, SET, WITHDRAWN
from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.rectification import CLOSE, WITHDRAW_CLOSE
from fazhi_cli.domain.review_checks import ROW_NAMES
from fazhi_cli.infra.clock import parse_moment
from fazhi_cli.integrity import require_sealed
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
ITEM_ACTIONS = (CLOSE, WITHDRAW_CLOSE)  # decisions on one unit's item: its `ref` is in the detail


@dataclass(frozen=True)
class LogEntry:
    """One decision: when, what (`action`, labelled by `label`), for which unit and item or file, and why."""

    time: str
    action: str
    unit: str | None = None
    ref: str | None = None
    reason: str = ""
    value: object = None  # the office value set (raw, as entered)
    file: str | None = None  # the file decided on (its name as received)
    detail: dict = field(default_factory=dict)
    adopted: bool = True  # False: an office value in force that does not count (below the self score, no reason …)
    team: str = ""  # the review team (考核组) whose sheet set (or withdrew) the office value; "" for the office

    @property
    def label(self) -> str:
        """The action in Chinese (an action this version does not know is shown as recorded)."""
        label = ACTION_LABELS.get(self.action, self.action)
        return label if self.adopted else f"{label}(未采用)"

    def as_dict(self) -> dict:
        """The entry as `fazhi log --json` gives it."""
        return {"time": self.time, "action": self.action, "label": self.label, "unit": self.unit, "ref": self.ref,
                "reason": self.reason, "value": self.value, "file": self.file, "detail": self.detail,
                "adopted": self.adopted, "team": self.team or None}


def log_json(entries: list[LogEntry]) -> dict[str, Any]:
    """What `fazhi log --json` prints: `{"decisions": [{"time", "action", "unit", "ref", "reason", …}]}`; an office
    value's `team` is the review team (考核组) whose sheet set it (null: the office's own sheet).

    Example::

        api.log_json(api.log(Path("2017考核")))["decisions"][-1]["action"]
    """
    return json_ready({"decisions": [entry.as_dict() for entry in entries]})


def decision_log(store: Store, not_adopted: Collection[tuple[str, str]] = ()) -> list[LogEntry]:
    """Every decision, merged by time (ties: review values first, each source in the order recorded); only when
    every record verifies against its seal (`RecordsUnsealed`, exit 2, otherwise). An office value in force whose
    (unit, ref) is in `not_adopted` is marked so (未采用)."""
    require_sealed(store)
    in_force = {entry.id for layer in store.review_layers().values() for values in layer.values()
                for entry in values.values()}
    entries = [
        LogEntry(entry.taken_at, WITHDRAWN if entry.withdrawn else SET, entry.unit,
                 ROW_NAMES.get(entry.ref, entry.ref), entry.reason, None if entry.withdrawn else entry.raw,
                 adopted=not (entry.id in in_force and (entry.unit, entry.ref) in not_adopted), team=entry.team)
        for entry in store.review_history()
    ]
    entries += [
        LogEntry(entry.taken_at, COMPONENT_WITHDRAWN if entry.withdrawn else COMPONENT_SET, entry.unit,
                 entry.component, entry.note, None if entry.withdrawn else entry.raw, entry.file_name)
        for entry in store.component_history()
    ]
    for decision in store.decisions():
        stored = store.file_by_id(decision.file_id) if decision.file_id is not None else None
        ref = decision.detail.get("ref") if decision.action in ITEM_ACTIONS else None  # a 销号's item
        entries.append(LogEntry(decision.time, decision.action, decision.unit, ref, decision.reason, None,
                                stored.original_name if stored else None, decision.detail))
    return sorted(entries, key=lambda e: parse_moment(e.time) or _EARLIEST)  # stable: ties keep their order


def read_decision_log(workspace: Workspace) -> list[LogEntry]:
    """The workspace's decision log, the office values in force that do not count marked 未采用 (by the results in
    force: scored now while preliminary, as approved once approved)."""
    refused = results_in_force(workspace).not_adopted()
    with workspace.open_store() as store:
        return decision_log(store, refused)
