"""Which results an output shows: the 初步结果 (preliminary, not yet approved) or the 审定结果 (approved).

Plain data every output that states the results takes as a parameter: the official documents (the 请示 of
the preliminary results, the 通报 of the approved ones) word themselves by it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRELIMINARY_LABEL = "初步结果(未经审定)"
APPROVED_LABEL = "审定结果"


@dataclass(frozen=True)
class ResultsState:
    """Preliminary or approved results; an approval says who approved them, when, and under what number."""

    approved: bool
    by: str | None = None
    date: dt.date | None = None
    doc_no: str | None = None

    @property
    def label(self) -> str:
        """初步结果(未经审定) or 审定结果."""
        return APPROVED_LABEL if self.approved else PRELIMINARY_LABEL

    @property
    def key(self) -> str:
        """`preliminary` or `approved`, as the JSON calls the states."""
        return "approved" if self.approved else "preliminary"

    @classmethod
    def preliminary(cls) -> ResultsState:
        """Results the office has not approved yet."""
        return cls(approved=False)
