"""The settings of one campaign (as kept in fazhi.toml): plain data that the workbook, the checks and the
reports read. Reading and writing fazhi.toml is `workspace.py`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain.limits import Limits

DEFAULT_RUBRIC_FILE = "rubric.yaml"


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest total that reaches it (a campaign setting; the seed defines none)."""

    name: str
    minimum: Decimal


@dataclass(frozen=True)
class Campaign:
    """The settings of one campaign, as kept in fazhi.toml."""

    title: str
    year: int
    office: str
    deadline: dt.date
    case_deadline: dt.date
    contact: str
    phone: str
    email: str
    weights: Mapping[str, Decimal] = field(default_factory=dict)
    show_rank_in_feedback: bool = True
    rubric_file: str = DEFAULT_RUBRIC_FILE
    units_file: str = "units.xlsx"
    grades: tuple[GradeBand, ...] = field(default_factory=tuple)
    limits: Limits = field(default_factory=Limits)

    @property
    def campaign_id(self) -> str:
        """The identity workbooks carry: year and title."""
        return f"{self.year}:{self.title}"

    def weight(self, unit_type: str) -> Decimal | None:
        """The conversion weight (折算权重) of a unit type; None when fazhi.toml does not set it."""
        return self.weights.get(unit_type)

    def weights_missing(self, unit_types: Iterable[str]) -> list[str]:
        """The unit types, in the given order, whose weight is not set (their converted scores are not shown)."""
        return [unit_type for unit_type in unit_types if unit_type not in self.weights]
