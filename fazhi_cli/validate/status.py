"""`fazhi status`: who has returned, who is missing, who has errors, days to the deadline; and its JSON
(`status_json`, what `fazhi status --json` prints)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.checks import Finding
from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.rectification import CLOSED, IN_PROGRESS, OPEN, REPORTED, RectificationSummary
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
class RectifyProgress:
    """Where the 整改 stands once the results are approved: the counts, the deadline and the office's day."""

    summary: RectificationSummary
    deadline: dt.date
    today: dt.date

    def as_dict(self) -> dict[str, Any]:
        """The counts as `fazhi status --json` shows them under "rectify"."""
        by_state = self.summary.by_state
        return {"deadline": self.deadline, "today": self.today, "units": self.summary.units,
                "items": self.summary.items, "closed": by_state[CLOSED], "reported": by_state[REPORTED],
                "in_progress": by_state[IN_PROGRESS], "open": by_state[OPEN], "overdue": list(self.summary.overdue)}


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
    rectify: RectifyProgress | None = None  # the 整改 once approved (None before), filled in above this layer

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


def status_json(report: StatusReport) -> dict[str, Any]:
    """What `fazhi status --json` prints.

    Example::

        api.status_json(api.status(Path("2017考核")))["missing"]
    """
    state = report.state
    return json_ready({
        "title": report.title,
        "state": state.state,
        **({"approval": state.as_dict()} if state.approved else {}),
        "deadline": report.deadline,
        "today": report.today,
        "days_left": report.days_left,
        "returned": sum(1 for u in report.units if u.returned),
        "refused_files": report.refused_files,
        "held_files": [
            {"id": f.file_id, "file": f.file, "unit": (f.units or (None,))[0],
             "other_unit": f.units[1] if len(f.units) > 1 else None, "code": f.code, "message": f.message}
            for f in report.held
        ],
        "weights_missing": list(report.weights_missing),
        "units": [
            {
                "unit": s.unit.name, "type": s.unit.type, "returned": s.returned,
                "received_at": s.received_at, "versions": [vars(v) for v in s.versions],
                "errors": s.errors, "warnings": s.warnings, "materials": list(s.materials),
            }
            for s in report.units
        ],
        "missing": [
            {"unit": s.unit.name, "contact": s.unit.contact, "phone": s.unit.phone, "email": s.unit.email}
            for s in report.missing
        ],
        "mail": [m.as_dict() for m in report.mail],
        "rectify": report.rectify.as_dict() if report.rectify is not None else None,
    })
