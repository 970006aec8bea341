"""`fazhi files`: every file the office received, with its state computed from what was recorded of it and the
decisions taken since (see `domain.submissions`); nothing recorded is ever written over. `files_json`: what
`fazhi files --json` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.submissions import (
    ACCEPT,
    CURRENT,
    STATE_LABELS,
    SUPERSEDED,
    FileDecision,
    current_submissions,
    file_state,
)
from fazhi_cli.infra.clock import parse_moment
from fazhi_cli.store import Store, StoredFile
from fazhi_cli.workspace import Workspace

ACTION_LABELS = {"accept": "确认采用", "reject": "不予采用", "dismiss": "撤销"}


@dataclass(frozen=True)
class ReceivedFile:
    """One received file as `fazhi files` lists it."""

    id: int
    unit: str | None  # the unit it counts for or is held for (a material: every unit that sent it, joined by 、)
    other_unit: str | None  # a held identity conflict: the unit the evidence names
    state: str
    reason: str
    received_at: dt.datetime | None
    original_name: str
    origin: str
    kind: str
    code: str | None
    sender: str | None
    current: bool  # its unit's current submission
    decision: FileDecision | None

    @property
    def label(self) -> str:
        """The state in Chinese (the office's 整改复核表 is named as such, not as a 复核打分表)."""
        if self.state == "review" and (self.code or "").startswith("rectify_review"):
            return "整改复核表"
        return STATE_LABELS.get(self.state, self.state)

    def names(self, unit: str) -> bool:
        """True when the file concerns this unit (counts or is held for it, the evidence names it, it sent it)."""
        return unit in (self.unit or "").split("、") or unit == self.other_unit


def files_json(listed: list[ReceivedFile]) -> dict[str, Any]:
    """What `fazhi files --json` prints: `{"files": [{"id", "unit", "state", "reason", …}]}`.

    Example::

        api.files_json(api.files(Path("2017考核")))["files"][0]["state"]
    """
    return json_ready({"files": [
        {"id": f.id, "unit": f.unit, "other_unit": f.other_unit, "state": f.state, "label": f.label,
         "reason": f.reason, "current": f.current, "received_at": f.received_at, "original_name": f.original_name,
         "origin": f.origin, "kind": f.kind, "code": f.code, "sender": f.sender,
         "decision": None if f.decision is None else {"action": f.decision.action, "time": f.decision.time,
                                                      "reason": f.decision.reason}}
        for f in listed
    ]})


def received_files(store: Store) -> list[ReceivedFile]:
    """Every recorded file, oldest first, with its state and the reason for it."""
    decided = store.file_decisions()
    rectify_returns = store.rectify_returns()  # a unit's 整改清单: current or superseded as its self-assessment is
    current_ids = {s.file_id for s in (*store.current_submissions().values(),
                                       *current_submissions(rectify_returns, decided).values())}
    submitted = {s.file_id: s for s in (*store.submissions(), *rectify_returns)}
    taken_shas = {s.sha256 for s in submitted.values()}
    linked = store.material_links()
    listed = []
    for record in store.files():
        submission = submitted.get(record.id)
        decision = decided.get(record.id)
        state = file_state(record.outcome, decision, submission is not None, record.id in current_ids,
                           record.id in linked)
        if state == "held" and record.sha256 in taken_shas:
            state = "duplicate"  # the same bytes were taken since, from the unit itself
        unit = submission.unit if submission else "、".join(linked[record.id]) if record.id in linked else record.unit
        is_current = record.id in current_ids
        listed.append(ReceivedFile(
            id=record.id, unit=unit, other_unit=record.other_unit, state=state,
            reason=_reason(record, state, decision, is_current), received_at=parse_moment(record.received_at),
            original_name=record.original_name, origin=record.origin, kind=record.kind, code=record.code,
            sender=record.sender, current=is_current, decision=decision,
        ))
    return listed


def workspace_files(workspace: Workspace) -> list[ReceivedFile]:
    """Every file the workspace received (`received_files` of its store)."""
    with workspace.open_store() as store:
        return received_files(store)


def _reason(record: StoredFile, state: str, decision: FileDecision | None, current: bool) -> str:
    """Why the file is in its state, in Chinese."""
    if decision is not None:
        said = f"法制办{ACTION_LABELS[decision.action]}({decision.time[:16].replace('T', ' ')}):{decision.reason}"
        if decision.action == ACCEPT:
            said += ";现为该单位的当前报送" if current else ";该单位其后另有报送,已被替代"
        return said
    if state == CURRENT:
        return record.message or "该单位当前计分所用的报送"
    if state == SUPERSEDED:
        return "该单位已有更晚报送或经确认的版本,本文件保留在历史记录中"
    if state == "duplicate":
        return "同一内容已另行收取"
    if state == "material" and record.outcome != "material":
        return "随单位的自评表再次报送,已列为其材料"
    if state == "material":
        return "随自评表报送的材料,已存档"
    return record.message or ""
