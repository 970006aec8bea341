"""The units' returns: `fazhi ingest` (take the files), `fazhi validate` (check them), `fazhi status` (where
every unit stands) and `fazhi files` (every file received, with its state)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fazhi_cli.approval import read_state, results_in_force
from fazhi_cli.domain.submissions import STATE_LABELS as FILE_STATE_LABELS
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA, office_now
from fazhi_cli.ingest import ingest_paths
from fazhi_cli.mail import mail_status
from fazhi_cli.receiving.batch import FileOutcome, IngestReport
from fazhi_cli.rectify import rectify_view
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.validate import Annotated, Validation, validate_workspace
from fazhi_cli.validate import annotate as annotate_returns
from fazhi_cli.validate.received import ReceivedFile, workspace_files
from fazhi_cli.validate.status import RectifyProgress, StatusReport, campaign_status
from fazhi_cli.workspace import Workspace


def ingest(
    paths: list[Path],
    workspace: Path | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    """Take returned files (`fazhi ingest`), holding the lock: `.xlsx` files, folders, `.eml`, `.zip`.

    Every file is kept byte-for-byte; a self-assessment workbook is identified by its own identity, a
    review sheet named directly in `paths` is taken as the office's values. Refused and held files are
    in the report (`report.refused` is True when there is one), never raised. `on_file(outcome)` is
    called after each file.

    Example::

        report = api.ingest([Path("收件箱"), Path("回执.eml")], Path("2017考核"))
        [(f.name, f.outcome, f.unit, f.message) for f in report.files]
    """
    found = Workspace.find(workspace)
    with found.lock():
        return ingest_paths(found, paths, on_file=on_file)


def validate(workspace: Path | None = None, annotate: bool = False) -> Validation:
    """Check every unit's current submission against the rubric (`fazhi validate`).

    With `annotate`, also write a marked-up copy of each unit's workbook that has problems into
    returns/ (holding the lock); without it nothing is written.

    Example::

        checked = api.validate(Path("2017考核"), annotate=True)
        [(f.unit, f.code, f.cell) for f in checked.report.findings()], checked.annotated.written
    """
    found = Workspace.find(workspace)
    if not annotate:
        return Validation(validate_workspace(found), Annotated())
    with found.lock():
        report = validate_workspace(found)
        return Validation(report, annotate_returns(found, report))


def status(workspace: Path | None = None, today: dt.date | None = None) -> StatusReport:
    """Who has returned, who is missing, who has errors, days to the deadline (`fazhi status`), which results
    are in force (初步结果, or 审定结果 with its snapshot checked: `SnapshotInvalid` when it was edited by hand), and
    once approved where the 整改 stands (`report.rectify`: the counts and the units overdue).

    Example::

        report = api.status(Path("2017考核"))
        report.days_left, [s.unit.name for s in report.missing]
    """
    found = Workspace.find(workspace)
    report = campaign_status(found, today)
    state = read_state(found)
    approved = results_in_force(found) if state.approved else None  # rebuilt once: checks the snapshot, feeds 整改
    return replace(report, state=approved.state if approved else state, mail=tuple(mail_status(found)),
                   rectify=rectify_progress(found, approved, today))


def rectify_progress(workspace: Workspace, approved: Scoreboard | None,
                     today: dt.date | None = None) -> RectifyProgress | None:
    """The 整改's counts for `fazhi status` under the `approved` results: by the office's clock (or on `today`), None
    before the approval."""
    if approved is None:
        return None
    clock = office_now if today is None else (lambda: dt.datetime.combine(today, dt.time(12), CHINA))
    view = rectify_view(workspace, clock, approved)
    return RectifyProgress(view.summary, view.deadline, view.today)


def files(workspace: Path | None = None, state: str | None = None, unit: str | None = None) -> list[ReceivedFile]:
    """Every file received, with its id, unit, state and reason (`fazhi files`), oldest first.

    `state` keeps the files in that state (current, superseded, held, accepted, rejected, refused, dismissed,
    material, review, duplicate, unpacked); `unit` the files that concern that unit. Either unknown: UsageError.

    Example::

        [(f.id, f.state, f.unit) for f in api.files(Path("2017考核"), state="held")]
    """
    found = Workspace.find(workspace)
    if state is not None and state not in FILE_STATE_LABELS:
        raise UsageError(f"没有“{state}”这种状态", f"可用的状态:{'、'.join(FILE_STATE_LABELS)}。")
    if unit is not None:
        spelled = roster_spelling(unit, [u.name for u in found.units()])
        if spelled is None:
            raise UsageError(f"单位名单中没有“{unit}”", "请用名单中的单位全称,例如 --unit 区司法局。")
        unit = spelled
    listed = workspace_files(found)
    return [f for f in listed if (state is None or f.state == state) and (unit is None or f.names(unit))]
