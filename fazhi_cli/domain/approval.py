"""The campaign's results state: 初步结果 (preliminary) until the district government approves them, then 审定结果
(approved) and frozen, until the office reopens them. Pure: the state is read from the clerk's decisions.

Not to be confused with 暂定, a mark on one unit whose return still has unresolved validation errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

PRELIMINARY = "preliminary"
APPROVED = "approved"
APPROVE = "approve"
REOPEN = "reopen"
SET = "set"  # an office value (核定得分) set from a review sheet
WITHDRAWN = "withdrawn"  # and one withdrawn
COMPONENT_SET = "component_set"  # a score component's value set from a component sheet (评分构成表)
COMPONENT_WITHDRAWN = "component_withdrawn"  # and one withdrawn
ACTION_LABELS = {
    SET: "核定得分", WITHDRAWN: "撤回核定", "accept": "确认采用", "reject": "不予采用", "dismiss": "不再处理",
    APPROVE: "审定", REOPEN: "重新打开", "rectify_close": "销号", "rectify_withdraw": "撤回销号",
    COMPONENT_SET: "评分构成得分", COMPONENT_WITHDRAWN: "撤回评分构成得分",
}  # fmt: skip
PRELIMINARY_LABEL = "初步结果(未经审定)"
APPROVED_LABEL = "审定结果"
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class ResultsState:
    """Which results every output shows: preliminary, or approved (by whom, when, under which document,
    frozen in which snapshot, and which units were approved as 未报送 on purpose)."""

    state: str = PRELIMINARY
    by: str = ""
    date: str = ""
    doc_no: str = ""
    snapshot: str = ""  # the SHA-256 of the frozen snapshot's content
    missing: tuple[str, ...] = field(default_factory=tuple)
    time: str = ""  # when the approval was recorded (the office's clock)
    decision: int | None = None  # the approving decision's id in the store

    @property
    def approved(self) -> bool:
        """True once the results are approved (审定结果) and frozen."""
        return self.state == APPROVED

    @property
    def label(self) -> str:
        """初步结果(未经审定) or 审定结果."""
        return APPROVED_LABEL if self.approved else PRELIMINARY_LABEL

    @property
    def key(self) -> str:
        """`preliminary` or `approved`, as the JSON calls the states."""
        return self.state

    @property
    def day(self) -> dt.date | None:
        """The approval's date (None while preliminary or when it is not a date)."""
        try:
            return dt.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None

    @classmethod
    def preliminary(cls) -> ResultsState:
        """Results the office has not approved yet."""
        return cls()

    @property
    def headline(self) -> str:
        """The state in one line, e.g. 审定结果(区人民政府 2018-01-15 审定,昭府函〔2018〕3号)."""
        if not self.approved:
            return f"{PRELIMINARY_LABEL}:报区人民政府审定前,结果可能变化"
        document = f",{self.doc_no}" if self.doc_no else ""
        return f"{APPROVED_LABEL}({self.by} {self.date} 审定{document})"

    @property
    def frozen_notice(self) -> str:
        """What `ingest` says of files received after the approval."""
        return (f"结果已于 {self.date} 由{self.by}审定:本次收到的文件已存档,但不改变审定结果;"
                '如需变更请先 fazhi reopen --reason "…",再重新审定。')

    def as_dict(self) -> dict:
        """The approval as `score --json` gives it (`by`, `date`, `doc_no`, `snapshot`)."""
        return {"by": self.by, "date": self.date, "doc_no": self.doc_no or None, "snapshot": self.snapshot}


class DecisionLike(Protocol):
    """What the state is read from: a recorded decision (`store.Decision`)."""

    id: int | None
    action: str
    detail: dict
    time: str


def state_from(decisions: Iterable[DecisionLike]) -> ResultsState:
    """The state after the decisions, in the order taken: the last approve or reopen counts; the other
    decisions (accept, reject, dismiss …) do not change it."""
    state = ResultsState()
    for decision in decisions:
        detail = decision.detail
        if decision.action == APPROVE:
            state = ResultsState(APPROVED, str(detail.get("by", "")), str(detail.get("date", "")),
                                 str(detail.get("doc_no") or ""), str(detail.get("snapshot", "")),
                                 tuple(detail.get("missing") or ()), decision.time, decision.id)
        elif decision.action == REOPEN:
            state = ResultsState()
    return state


def parse_approval_date(text: str) -> dt.date | None:
    """The date of an approval written YYYY-MM-DD, or None when it is not a real date in that form."""
    text = (text or "").strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def canonical_json(data: object) -> str:
    """One text for one content: keys sorted, no spaces, Chinese unescaped (what a snapshot's hash is over)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def content_hash(text: str) -> str:
    """The SHA-256 of a text (UTF-8), in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
