"""Which submission counts, and what each received file's state is: pure rules over the store's rows.

A unit's current submission is the one with the latest effective time: when the office received it, or, if
the office accepted it later (`fazhi accept`), the time of that decision; a submission the office rejected
does not count. Ties are settled by ingest order. Times are ISO 8601 text in China time (as the store keeps
them), so text order is time order.

A file's state is computed from what was recorded of it, never written over: the latest decision on it
(accepted, rejected, dismissed) when there is one, else what ingest made of it, a taken workbook being
`current` or `superseded` by what its unit sent since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from fazhi_cli.domain.checks import ERROR, WARNING, Finding

ACCEPT = "accept"
REJECT = "reject"
DISMISS = "dismiss"
FILE_ACTIONS = (ACCEPT, REJECT, DISMISS)

CURRENT = "current"
SUPERSEDED = "superseded"
ACCEPTED = "accepted"
REJECTED = "rejected"
DISMISSED = "dismissed"
STATE_OF_ACTION = {ACCEPT: ACCEPTED, REJECT: REJECTED, DISMISS: DISMISSED}
STATE_LABELS = {
    CURRENT: "当前有效", SUPERSEDED: "已被替代", "held": "待确认", ACCEPTED: "已确认", REJECTED: "不予采用",
    "refused": "退回", DISMISSED: "已撤销", "material": "附件材料", "review": "复核打分表", "duplicate": "重复",
    "unpacked": "已拆包", "ledger": "法制办台账",
}  # fmt: skip


class Decided(Protocol):
    """A decision on a file as the store returns it."""

    action: str
    file_id: int | None
    time: str


class Submitted(Protocol):
    """A submission as the store returns it."""

    id: int
    unit: str
    file_id: int
    received_at: str


S = TypeVar("S", bound=Submitted)


@dataclass(frozen=True)
class FileDecision:
    """The decision in force on one file: the latest accept, reject or dismiss taken on it."""

    action: str
    time: str
    reason: str = ""


def decisions_in_force(decisions: Iterable[Decided]) -> dict[int, FileDecision]:
    """The latest file decision per file id (decisions in the order taken; other actions ignored)."""
    latest: dict[int, FileDecision] = {}
    for decision in decisions:
        if decision.action in FILE_ACTIONS and decision.file_id is not None:
            latest[decision.file_id] = FileDecision(decision.action, decision.time, getattr(decision, "reason", ""))
    return latest


def effective_time(received_at: str, decision: FileDecision | None) -> str | None:
    """When a submission counts from: its receipt, or a later accept decision; None once rejected."""
    if decision is None:
        return received_at
    if decision.action == REJECT:
        return None
    if decision.action == ACCEPT:
        return max(received_at, decision.time)
    return received_at


def current_submissions(submissions: Iterable[S], decided: Mapping[int, FileDecision]) -> dict[str, S]:
    """Each unit's current submission: the latest effective time wins (ties: the one ingested last)."""
    best: dict[str, tuple[tuple[str, int], S]] = {}
    for submission in submissions:
        when = effective_time(submission.received_at, decided.get(submission.file_id))
        if when is None:
            continue
        key = (when, submission.id)
        if submission.unit not in best or key > best[submission.unit][0]:
            best[submission.unit] = (key, submission)
    return {unit: chosen for unit, (_, chosen) in best.items()}


def file_state(outcome: str, decision: FileDecision | None, is_submission: bool, is_current: bool,
               is_material: bool) -> str:
    """A received file's state: the decision in force, else a submission's standing, else what ingest made of it."""
    if decision is not None:
        return STATE_OF_ACTION[decision.action]
    if is_submission:
        return CURRENT if is_current else SUPERSEDED
    if is_material and outcome == "refused":
        return "material"  # refused alone, since linked to a unit that sent it with its workbook
    return outcome


# Errors about the file as a whole (its fixed content changed, a row deleted or doubled): resolved when the office
# accepts the file (`fazhi accept`), as an error on an item is by an office value with its reason.
FILE_LEVEL_CODES = frozenset({"content_changed", "item_missing", "duplicate_id"})


def resolve_accepted(findings: Iterable[Finding], reason: str) -> list[Finding]:
    """The findings of a submission the office accepted: each file-level error kept, as a warning that says so."""
    return [
        replace(f, severity=WARNING, message=f"{f.message}(法制办已确认采用该文件:{reason})")
        if f.severity == ERROR and f.code in FILE_LEVEL_CODES else f
        for f in findings
    ]
