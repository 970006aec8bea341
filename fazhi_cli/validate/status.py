"""`fazhi status`: who has returned, who is missing, who has errors, days to the deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.checks import Finding
from fazhi_cli.domain.units import Unit
from fazhi_cli.validate.check import CheckedUnit, validate_store
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class Version:
    """One submission in a unit's history."""

    received_at: str
    original_name: str
    current: bool


@dataclass(frozen=True)
class UnitStatus:
    """One unit's standing in the campaign."""

    unit: Unit
    returned: bool
    received_at: dt.datetime | None
    versions: tuple[Version, ...]
    errors: int
    warnings: int
    materials: tuple[str, ...]


@dataclass(frozen=True)
class StatusReport:
    """The campaign at a glance."""

    title: str
    deadline: dt.date
    today: dt.date
    units: tuple[UnitStatus, ...]
    refused_files: int
    held: tuple[Finding, ...] = ()  # the files held for the office's decision (待确认), each naming its units
    weights_missing: tuple[str, ...] = ()  # unit types without a conversion weight in fazhi.toml
    state: ResultsState = ResultsState()  # which results are in force (初步结果 / 审定结果)
    mail: tuple = ()  # each unit's mail (`mail.MailStatus`: sent, reminded, replied), filled in above this layer

    @property
    def days_left(self) -> int:
        """Days from today to the deadline (negative once it has passed)."""
        return (self.deadline - self.today).days

    @property
    def missing(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.returned]


def campaign_status(workspace: Workspace, today: dt.date | None = None) -> StatusReport:
    """Every unit's return, history, error and warning counts and materials; and the missing units (the results
    state is the caller's to fill in: it lives above this layer)."""
    campaign, rubric, units = workspace.campaign(), workspace.rubric(), workspace.units()
    with workspace.open_store() as store:
        report = validate_store(store, rubric, campaign, units)
        results: dict[str, CheckedUnit] = {r.unit.name: r for r in report.results}
        history: dict[str, list] = {}
        for submission in store.submissions():
            history.setdefault(submission.unit, []).append(submission)
        statuses = []
        materials_of = store.materials_by_unit()
        for unit in units:
            result = results.get(unit.name)
            versions = tuple(
                Version(h.received_at, h.original_name, result is not None and h.id == result.submission_id)
                for h in history.get(unit.name, ())
            )
            materials = tuple(m.original_name for m in materials_of.get(unit.name, ()))
            statuses.append(UnitStatus(
                unit=unit, returned=result is not None, received_at=result.received_at if result else None,
                versions=versions, errors=result.errors if result else 0, warnings=result.warnings if result else 0,
                materials=materials,
            ))
    held = tuple(report.held)
    return StatusReport(campaign.title, campaign.deadline, today or dt.date.today(), tuple(statuses),
                        len(report.refused), held, tuple(campaign.weights_missing(rubric.types)))
