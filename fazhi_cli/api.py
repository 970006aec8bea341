"""fazhi as a library: one function per command, plain arguments in, plain result objects out.

The command line (`fazhi_cli.cli`) is one client of this module; a script is another. Every function
takes a workspace folder (`None`: the current folder and its parents are searched for fazhi.toml, as
`fazhi` does without -w), never prints, raises `fazhi_cli.errors.FazhiError` (with a message and a hint
in Chinese) for a user's mistake, and holds the workspace lock while it writes. Problems found in the
units' files are data in the result, not exceptions.

A campaign from a script::

    from pathlib import Path
    import fazhi_cli

    folder = Path("2017考核")
    fazhi_cli.api.init(folder)
    fazhi_cli.api.generate(folder)                      # outbox/: one workbook per unit
    fazhi_cli.api.ingest([Path("收件箱")], folder)       # the returned files (and filled review sheets)
    checked = fazhi_cli.api.validate(folder, annotate=True)
    board = fazhi_cli.api.score(folder)
    print(fazhi_cli.api.score_json(board))             # what `fazhi score --json` prints
    fazhi_cli.api.report(folder)

The `*_json` functions give exactly the JSON-ready data the commands print with `--json`.

Also here for the command line's edge (re-exported, not results): `enable_debug`, `debug_enabled`,
`write_error` (an OSError met while writing, as a user error), `require_defusedxml`, and for printing
`format_cents` and `printable`.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi_cli import __version__
from fazhi_cli.approval import (
    ACTION_LABELS,
    Approval,
    ApprovalRefused,
    LogEntry,
    approve_results,
    read_decision_log,
    reopen_results,
    results_in_force,
    verified_state,
)
from fazhi_cli.demo import STEPS as DEMO_STEPS
from fazhi_cli.demo import DemoRun, run_demo
from fazhi_cli.documents import LetterFiles, NoticeFile, write_letters, write_notice
from fazhi_cli.domain.approval import APPROVED, PRELIMINARY, ResultsState
from fazhi_cli.domain.checks import ERROR, WARNING, Finding
from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.numbers import format_cents as format_cents
from fazhi_cli.domain.numbers import plain_number
from fazhi_cli.domain.results import BASIS_LABELS, MISSING, SCORED, UnitResult
from fazhi_cli.domain.rubric import UNIT_TYPES, Rubric, Rule, UnitTypeRubric
from fazhi_cli.domain.rubric_warnings import rubric_warnings as check_rubric_fit
from fazhi_cli.domain.submissions import ACCEPT, DISMISS, REJECT
from fazhi_cli.domain.submissions import STATE_LABELS as FILE_STATE_LABELS
from fazhi_cli.domain.text import printable as printable
from fazhi_cli.domain.units import Unit, roster_spelling
from fazhi_cli.errors import UsageError, WorkspaceError
from fazhi_cli.infra.debug import ENVIRONMENT_VARIABLE as DEBUG_VARIABLE
from fazhi_cli.infra.debug import debug_enabled as debug_enabled
from fazhi_cli.infra.files import write_error as write_error
from fazhi_cli.infra.safety import require_defusedxml as require_defusedxml
from fazhi_cli.ingest import ingest_paths
from fazhi_cli.ingest.settle import Settled, settle
from fazhi_cli.integrity import VerifyReport, verify_workspace
from fazhi_cli.ledger import write_ledger
from fazhi_cli.mail import (
    FETCH_LABELS,
    MAIL_OUTCOME_LABELS,
    FetchedMessage,
    FetchReport,
    MailOutcome,
    MailReport,
    MailStatus,
    fetch_replies,
    mail_status,
    remind_units,
    send_workbooks,
)
from fazhi_cli.receiving.batch import OUTCOME_LABELS, FileOutcome, IngestReport
from fazhi_cli.reports import ReportFiles, write_reports
from fazhi_cli.review import write_review_sheets
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import builtin_rubric, export_rubric, load_rubric_file
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.scoring import score_json as _score_data
from fazhi_cli.validate import Annotated, ValidationReport, validate_workspace
from fazhi_cli.validate import annotate as annotate_returns
from fazhi_cli.validate.received import ReceivedFile, workspace_files
from fazhi_cli.validate.status import StatusReport, UnitStatus, campaign_status
from fazhi_cli.workbook.generate import GenerateResult, selected_types, write_workbooks
from fazhi_cli.workspace import CreatedWorkspace, Workspace, create_workspace, missing_weight_message
from fazhi_cli.workspace.settings_file.edit import SettingChange, SettingRow, set_setting, show_settings

__all__ = [
    # the commands
    "init", "rubric_show", "rubric_check", "rubric_warnings", "rubric_export", "generate", "ingest", "validate",
    "review_sheets", "ledger", "score", "report", "notice", "feedback_letters", "status", "files", "accept", "reject",
    "dismiss", "approve", "reopen", "log", "verify", "demo", "version", "config_show", "config_set",
    "send", "remind", "fetch",
    # what `--json` prints
    "config_json", "rubric_json", "validation_json", "score_json", "status_json", "files_json", "log_json",
    "json_ready",
    # the results
    "InitResult", "RubricView", "GenerateResult", "IngestReport", "FileOutcome", "Validation",
    "ValidationReport", "Annotated", "Finding", "Scoreboard", "UnitResult", "ReportFiles", "StatusReport",
    "UnitStatus", "DemoRun", "Rubric", "Rule", "Unit", "Workspace", "ReceivedFile", "Settled", "ResultsState",
    "Approval", "ApprovalRefused", "LogEntry", "NoticeFile", "LetterFiles", "SettingRow", "SettingChange",
    "MailReport", "MailOutcome", "FetchReport", "FetchedMessage", "MailStatus", "VerifyReport",
    # their vocabulary
    "UNIT_TYPES", "OUTCOME_LABELS", "ERROR", "WARNING", "SCORED", "MISSING", "BASIS_LABELS", "DEMO_STEPS",
    "PRELIMINARY", "APPROVED", "ACTION_LABELS", "missing_weight_message", "FILE_STATE_LABELS",
    "MAIL_OUTCOME_LABELS", "FETCH_LABELS",
]  # fmt: skip

InitResult = CreatedWorkspace  # what `fazhi init` made: the workspace, its rubric, roster and campaign


# ---------------------------------------------------------------------------------------------- init


def init(
    folder: Path,
    units: Path | None = None,
    rubric: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> InitResult:
    """Create a campaign workspace in `folder` (`fazhi init`); returns what was made.

    Defaults: the sample roster and the built-in 2017 Zhaohua rubric, the year taken from the rubric.
    With `force` on a workspace of another campaign (another year), that campaign's store, key and
    folders are moved to previous/ first (`result.previous`, `result.moved`); see `create_workspace`.

    Example::

        made = api.init(Path("2018考核"), units=Path("名单.xlsx"), rubric=Path("rubric-2018.yaml"), year=2018)
        made.workspace.root, made.campaign.deadline, len(made.units)
    """
    return create_workspace(folder, units, rubric, year, force)


# -------------------------------------------------------------------------------------------- config


def config_show(workspace: Path | None = None) -> list[SettingRow]:
    """Every campaign setting with its Chinese name, value and meaning (`fazhi config show`).

    Example::

        {row.key: row.value for row in api.config_show(Path("2026考核"))}["deadline"]
    """
    return show_settings(Workspace.find(workspace))


def config_set(key: str, value: str, workspace: Path | None = None) -> SettingChange:
    """Change one setting in fazhi.toml (`fazhi config set KEY VALUE`), keeping the file's comments and layout,
    holding the lock. The key may be Chinese (截止日期, 联系人, 权重.乡镇, 发文字号…) or as in fazhi.toml; a date
    may be typed any usual way (2026-12-5, 2026/12/5, 2026年12月5日).

    Example::

        api.config_set("截止日期", "2026年12月5日", Path("2026考核")).after  # "2026-12-05"
    """
    found = Workspace.find(workspace)
    with found.lock():
        return set_setting(found, key, value)


def config_json(rows: list[SettingRow]) -> dict[str, Any]:
    """What `fazhi config show --json` prints: `{"settings": [{"key", "label", "value", "means"}]}`."""
    return {"settings": [{"key": r.key, "label": r.label, "value": r.value, "means": r.means} for r in rows]}


# -------------------------------------------------------------------------------------------- rubric


@dataclass(frozen=True)
class RubricView:
    """The rubric `fazhi rubric show` shows: the workspace's, or the built-in one outside a workspace."""

    rubric: Rubric
    types: tuple[str, ...]
    workspace: Workspace | None  # None: not in a workspace, the built-in rubric

    @property
    def builtin(self) -> bool:
        """True when no workspace was found and the built-in rubric is shown."""
        return self.workspace is None


def rubric_show(workspace: Path | None = None, unit_type: str | None = None) -> RubricView:
    """The rubric in use (`fazhi rubric show`), for both unit types or the one asked for.

    The workspace's rubric when there is a workspace (given, or found upward from the current folder),
    else the built-in one; a `workspace` given that is not one is an error. `unit_type` is `department`
    or `township` (UsageError for anything else).

    Example::

        view = api.rubric_show(Path("2017考核"), unit_type="township")
        view.rubric.for_type("township").total, api.rubric_json(view)
    """
    types = selected_types(unit_type)
    try:
        found = Workspace.find(workspace)
    except WorkspaceError:
        if workspace is not None:
            raise
        return RubricView(builtin_rubric(), types, None)
    return RubricView(found.rubric(), types, found)


def rubric_check(file: Path) -> Rubric:
    """Load and check a rubric file, a workbook (.xlsx) or YAML (`fazhi rubric check`); raises RubricInvalid
    explaining every inconsistency (in a workbook, by sheet and cell).

    Example::

        rubric = api.rubric_check(Path("细则-2026.xlsx"))
        [len(rubric.for_type(t).items) for t in rubric.types]
    """
    return load_rubric_file(file)


def rubric_warnings(
    rubric: Rubric, year: int | None = None, units: Path | None = None, workspace: Path | None = None,
) -> list[str]:
    """What in a valid rubric does not fit a campaign (`fazhi rubric check` prints these as warnings): made for
    another year than `year`, years written into its texts, 区级相关部门-style words among a task's units, and
    tasks naming units not on the roster `units`. Without `year` and `units`, a `workspace` given (or found from
    the current folder) supplies its year and roster.

    Example::

        api.rubric_warnings(api.rubric_check(Path("细则-2026.xlsx")), year=2026, units=Path("名单.xlsx"))
    """
    names = None
    if units is not None:
        names = [unit.name for unit in load_roster(units, Limits())]
    elif year is None:
        try:
            found = Workspace.find(workspace)
        except WorkspaceError:
            if workspace is not None:
                raise
        else:
            campaign = found.campaign()
            year, names = campaign.year, [unit.name for unit in found.roster(campaign)]
    return check_rubric_fit(rubric, year, names)


def rubric_export(file: Path, force: bool = False, workspace: Path | None = None) -> Path:
    """Write the rubric to `file` (`fazhi rubric export`): an Excel workbook the office edits for .xlsx, YAML for
    .yaml; the workspace's rubric (given, or found from the current folder) with its placeholders as written,
    else the built-in one. The start of next year's rubric.

    An existing file is kept (UsageError) unless `force`. Returns the file written.

    Example::

        api.rubric_export(Path("细则-2026.xlsx"))
    """
    if not file.parent.is_dir():
        raise UsageError(f"文件夹 {file.parent} 不存在", "请先建立该文件夹,或换一个位置导出。")
    if file.is_dir():
        raise UsageError(f"{file} 是文件夹", "请给出要写出的文件名,例如 细则-2026.xlsx。")
    if file.exists() and not force:
        raise UsageError(f"{file} 已存在", "请换一个文件名,或加 --force 覆盖。")
    try:
        found = Workspace.find(workspace)
    except WorkspaceError:
        if workspace is not None:
            raise
        export_rubric(file)
        return file
    campaign = found.campaign()
    export_rubric(file, found.rubric_as_written(campaign), found.rubric_text(campaign))
    return file


def rule_as_dict(rule: Rule) -> dict[str, Any]:
    """A rule as JSON-ready data, with the fact IDs a workbook asks for."""
    data = {"id": rule.id, "kind": rule.kind, "text": rule.text, **kind_of(rule).json_fields(rule)}
    if rule.ledger:
        data["ledger"] = rule.ledger  # the office's record that gives the rule's facts
    return data


def rule_summary(rule: Rule) -> str:
    """How a rule is answered and what it deducts, in one line of Chinese (for `fazhi rubric show`).

    Example::

        api.rule_summary(rubric.for_type("department").items[0].rules[0])  # "是/否,扣 1 分"
    """
    return kind_of(rule).summary(rule)


def type_rubric_as_dict(type_rubric: UnitTypeRubric) -> dict[str, Any]:
    """One unit type's rubric as JSON-ready data: every section, item and rule."""
    return {
        "type": type_rubric.type,
        "label": type_rubric.label,
        "total": type_rubric.total,
        "sections": [
            {
                "id": section.id,
                "numeral": section.numeral,
                "name": section.name,
                "max": section.max,
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "max": item.max,
                        "content": item.content,
                        "standard": item.standard,
                        "rules": [rule_as_dict(rule) for rule in item.rules],
                        **({"ledger": item.ledger} if item.ledger else {}),
                    }
                    for item in section.items
                ],
            }
            for section in type_rubric.sections
        ],
    }


def rubric_as_dict(rubric: Rubric, types: tuple[str, ...]) -> dict[str, Any]:
    """The rubric (the chosen unit types, special rules, tasks and targets) as JSON-ready data."""
    special = rubric.special
    return {
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title, "year": rubric.year},
        "types": [type_rubric_as_dict(rubric.for_type(t)) for t in types],
        "special": {
            "bonus": [rule_as_dict(r) for r in special.bonus],
            "penalty": [rule_as_dict(r) for r in special.penalty],
        },
        "tasks": [
            {"number": t.number, "title": t.title, "responsible": list(t.responsible), "lead": list(t.lead),
             "partners": list(t.partners)} for t in rubric.tasks
        ],
        "targets": {
            t: [{"number": row.number, "item": row.item} for row in rubric.targets.get(t, ())] for t in types
        },
    }


def rubric_json(view: RubricView) -> dict[str, Any]:
    """What `fazhi rubric show --json` prints.

    Example::

        api.rubric_json(api.rubric_show(unit_type="department"))["types"][0]["total"]
    """
    return json_ready(rubric_as_dict(view.rubric, view.types))


# ------------------------------------------------------------------------------------------ generate


def generate(
    workspace: Path | None = None,
    units: list[str] | None = None,
    unit_type: str | None = None,
    force: bool = False,
    on_progress: Callable[[Unit, int], None] | None = None,
) -> GenerateResult:
    """Write one blank self-assessment workbook per unit into outbox/ (`fazhi generate`), holding the lock.

    `units` (names on the roster) and `unit_type` narrow the units; an existing file is kept (in
    `result.kept`) unless `force`. `on_progress(unit, total)` is called after each unit.

    Example::

        result = api.generate(Path("2017考核"), units=["区发改局", "元坝镇"], force=True)
        [path.name for path in result.written]
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_workbooks(found, units, unit_type, force, on_progress)


# ------------------------------------------------------------------------------------------- returns


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


@dataclass(frozen=True)
class Validation:
    """What `fazhi validate` found, and the annotated copies it wrote (none unless asked to annotate)."""

    report: ValidationReport
    annotated: Annotated

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error (the command then exits 1)."""
        return self.report.has_errors


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


def validation_json(result: Validation) -> dict[str, Any]:
    """What `fazhi validate --json` prints: `{"findings": [...]}`, the shape fixed by the interface.

    Example::

        api.validation_json(api.validate(Path("2017考核")))["findings"]
    """
    return json_ready({"findings": [f.as_dict() for f in result.report.findings()]})


def status(workspace: Path | None = None, today: dt.date | None = None) -> StatusReport:
    """Who has returned, who is missing, who has errors, days to the deadline (`fazhi status`), and which results
    are in force (初步结果, or 审定结果 with its snapshot checked: `SnapshotInvalid` when it was edited by hand).

    Example::

        report = api.status(Path("2017考核"))
        report.days_left, [s.unit.name for s in report.missing]
    """
    found = Workspace.find(workspace)
    report = campaign_status(found, today)
    return replace(report, state=verified_state(found), mail=tuple(mail_status(found)))


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
        "mail": [
            {"unit": m.unit, "sent_at": m.sent_at or None, "send_failed": m.send_failed or None,
             "reminded_at": m.reminded_at or None, "reminders": m.reminders, "replied_at": m.replied_at or None,
             "replied_by": m.replied_by or None}
            for m in report.mail
        ],
    })


# --------------------------------------------------------------------------------------------- files


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


def accept(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office verified a file (`fazhi accept ID --reason TEXT`), holding the lock: a held workbook becomes the
    submission of the unit its identity names, an earlier submission its unit's current one; recorded with the
    reason. Wrong use (unknown id, blank reason, a refused file, the same decision twice): UsageError.

    Example::

        done = api.accept(12, "已电话核实,系区司法局委托报送", Path("2017考核"))
        done.unit, done.current.original_name
    """
    return _settle(ACCEPT, file_id, reason, workspace)


def reject(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office rejects a file (`fazhi reject ID --reason TEXT`), holding the lock: a held workbook stays
    uncredited and stops blocking; a taken submission stops counting (its unit falls back to the one before).

    Example::

        api.reject(12, "区水利局误用了区司法局的表格", Path("2017考核")).current
    """
    return _settle(REJECT, file_id, reason, workspace)


def dismiss(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office dismisses a refused file (`fazhi dismiss ID --reason TEXT`), holding the lock: it is no longer
    listed as outstanding by `validate`.

    Example::

        api.dismiss(7, "误导入的文件,与考核无关", Path("2017考核"))
    """
    return _settle(DISMISS, file_id, reason, workspace)


def _settle(action: str, file_id: int, reason: str, workspace: Path | None) -> Settled:
    found = Workspace.find(workspace)
    with found.lock():
        return settle(found, action, file_id, reason)


# ------------------------------------------------------------------------------------------- results


def review_sheets(workspace: Path | None = None) -> list[Path]:
    """Write the office's review sheets (复核打分表, one per unit type) into review/ (`fazhi review-sheet`),
    holding the lock; returns the files written. Filled in, they go back through `ingest`.

    Example::

        sheets = api.review_sheets(Path("2017考核"))
        api.ingest(sheets, Path("2017考核"))   # after the office has filled them in
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_review_sheets(found)


def ledger(workspace: Path | None = None) -> Path:
    """Write the office's ledger workbook (法制办台账) into ledger/ (`fazhi ledger`), holding the lock; returns
    the file written. It shows the office's records as they stand (the 工作总结 received with the returns
    pre-filled); filled in, it goes back through `ingest` (named directly), any number of times.

    Example::

        path = api.ledger(Path("2017考核"))
        api.ingest([path], Path("2017考核"))   # after the office has filled it in
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_ledger(found)


def score(workspace: Path | None = None) -> Scoreboard:
    """Totals and rankings of every unit, by unit type (`fazhi score`): the live 初步结果, or once approved the
    审定结果 rebuilt from the approval's snapshot (`board.state` says which; a snapshot edited by hand is a
    `SnapshotInvalid`, exit 2).

    Example::

        board = api.score(Path("2017考核"))
        board.state.label, [(r.rank, r.unit, r.total) for r in board.of_type("department")]
    """
    return results_in_force(Workspace.find(workspace))


def score_json(board: Scoreboard) -> dict[str, Any]:
    """What `fazhi score --json` prints.

    Example::

        api.score_json(api.score(Path("2017考核")))["units"][0]["total"]
    """
    return json_ready(_score_data(board))


def report(workspace: Path | None = None, ranks: bool = False) -> ReportFiles:
    """Write the summary workbook, the district page and each unit's feedback page into reports/
    (`fazhi report`), holding the lock. Every output says which results it shows (初步结果(未经审定), or 审定结果
    with the approver and date); feedback pages show ranks once approved, before that only with `ranks`.

    Example::

        files = api.report(Path("2017考核"), ranks=True)
        files.summary_workbook, len(files.feedback_pages)
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_reports(found, ranks)


# ------------------------------------------------------------------------------------------- decisions


def approve(
    by: str, date: str, doc_no: str | None = None, accept_missing: bool = False, workspace: Path | None = None,
) -> Approval:
    """Record the district government's approval of the results (`fazhi approve`), holding the lock.

    Refused with `ApprovalRefused` (exit 1, each reason in `error.details`, nothing changed) while a unit has
    unresolved validation errors, a file is held or refused and not settled, or a unit never returned (unless
    `accept_missing`: they are approved as 未报送), and when the results are already approved. A `date` not
    written YYYY-MM-DD is a `UsageError`. On success the results and every input they used are frozen in a
    snapshot; every report is made from it until `reopen`.

    Example::

        done = api.approve("区人民政府", "2018-01-15", "昭府函〔2018〕3号", accept_missing=True,
                           workspace=Path("2017考核"))
        done.state.snapshot, done.missing
    """
    found = Workspace.find(workspace)
    with found.lock():
        return approve_results(found, by, date, doc_no, accept_missing)


def reopen(reason: str, workspace: Path | None = None) -> ResultsState:
    """Return approved results to 初步结果 (`fazhi reopen`), holding the lock; returns the approval reopened.

    The reason is required (`UsageError`); results not approved are an `ApprovalRefused`. The snapshot stays;
    the next approval makes a new one.

    Example::

        api.reopen("区政府要求复核区住建局得分", Path("2017考核")).date
    """
    found = Workspace.find(workspace)
    with found.lock():
        return reopen_results(found, reason)


def verify(workspace: Path | None = None, on_file: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check every archived original against its recorded SHA-256 and every seal on the office's records
    (`fazhi verify`); nothing is changed. `report.ok` is True when all verify; `report.problems` names each file
    (its path under archive/) or record that does not. `on_file(done, total)` follows the originals.

    Example::

        checked = api.verify(Path("2017考核"))
        checked.ok, [p.as_dict() for p in checked.problems]
    """
    return verify_workspace(Workspace.find(workspace), on_file)


def log(workspace: Path | None = None) -> list[LogEntry]:
    """Every decision the office took, in order (`fazhi log`): office values set and withdrawn, files accepted,
    rejected and dismissed, approvals and reopenings.

    Example::

        [(e.time, e.label, e.unit, e.ref, e.reason) for e in api.log(Path("2017考核"))]
    """
    return read_decision_log(Workspace.find(workspace))


def log_json(entries: list[LogEntry]) -> dict[str, Any]:
    """What `fazhi log --json` prints: `{"decisions": [{"time", "action", "unit", "ref", "reason", …}]}`.

    Example::

        api.log_json(api.log(Path("2017考核")))["decisions"][-1]["action"]
    """
    return json_ready({"decisions": [entry.as_dict() for entry in entries]})


def notice(workspace: Path | None = None, doc_no: str | None = None, pdf: bool = True) -> NoticeFile:
    """Write the notice of the results into reports/ (`fazhi notice`), holding the lock: the 请示 of the
    初步结果 to the 区政府 while the results are preliminary, the 通报 once approved; laid out to GB/T 9704 from
    the Word template `notice.docx` (the workspace's templates/ may hold its own), with a PDF copy when
    LibreOffice is installed (`pdf=False`: none). `doc_no` is the notice's 发文字号 (default: fazhi.toml's
    `[documents] doc_no`; the approval's own number is cited in the text).

    Example::

        made = api.notice(Path("2017考核"), doc_no="昭府法办〔2018〕3号")
        made.document, made.pdf, made.pdf_note, made.state.label
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_notice(found, doc_no, pdf)


def feedback_letters(workspace: Path | None = None, units: list[str] | None = None, ranks: bool = False,
                     pdf: bool = True) -> LetterFiles:
    """Write one 反馈函 per returned unit (or the `units` named) into reports/反馈函/ (`fazhi feedback-letters`),
    holding the lock, with PDF copies when LibreOffice is installed. The unit's rank is shown once the
    results are approved (and fazhi.toml shows ranks in feedback), or when `ranks` asks for it.

    Example::

        made = api.feedback_letters(Path("2017考核"), units=["区发改局"])
        made.documents, made.pdfs, made.not_returned
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_letters(found, units or (), ranks, pdf)


# ---------------------------------------------------------------------------------------------- mail


def send(
    workspace: Path | None = None,
    units: list[str] | None = None,
    unit_type: str | None = None,
    dry_run: bool = False,
    resend: bool = False,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[MailOutcome, int], None] | None = None,
) -> MailReport:
    """Mail each unit its blank workbook from outbox/ (`fazhi send`), holding the lock: one message per unit to
    the roster's address(es), from the office mailbox of fazhi.toml `[mail]`, the password from
    FAZHI_MAIL_PASSWORD or `ask_password()`. Each message is recorded once the server accepted it; a unit
    already sent to is skipped unless `resend`; a unit the server refuses is in the report (`report.failed`),
    the rest go on. `dry_run` writes the messages into outbox/mail/ as .eml files and sends and records nothing.
    A server that cannot be used (unreachable, wrong password, certificate not verified) is a `MailError`.

    Example::

        report = api.send(Path("2017考核"), units=["区发改局"], dry_run=True)
        [(o.unit, o.outcome, o.path) for o in report.outcomes]
    """
    found = Workspace.find(workspace)
    with found.lock():
        return send_workbooks(found, units, unit_type, dry_run, resend, ask_password, on_message)


def remind(
    workspace: Path | None = None,
    units: list[str] | None = None,
    dry_run: bool = False,
    resend: bool = False,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[MailOutcome, int], None] | None = None,
) -> MailReport:
    """Remind by mail (`fazhi remind`), holding the lock: the units that have not returned get their blank
    workbook again; those whose current submission has errors get the annotated return (as `validate
    --annotate` writes it) with the problems listed in the body. The same reminder is sent once a day unless
    `resend`; otherwise as `send`.

    Example::

        report = api.remind(Path("2017考核"), dry_run=True)
        [(o.unit, o.subject) for o in report.outcomes]
    """
    found = Workspace.find(workspace)
    with found.lock():
        return remind_units(found, units, dry_run, resend, ask_password, on_message)


def fetch(
    workspace: Path | None = None,
    since: str | None = None,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[FetchedMessage], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> FetchReport:
    """Take the replies from the office mailbox by IMAP (`fazhi fetch`), holding the lock: the messages since
    the campaign started (the first `send`, else 1 January), or since `since` (YYYY-MM-DD), read-only, each
    once; their attachments are ingested as `ingest` takes .eml files, received at the server's arrival time.

    Example::

        report = api.fetch(Path("2017考核"), since="2017-11-20")
        [(m.received_at, m.sender, m.outcome) for m in report.messages], report.ingest.files
    """
    found = Workspace.find(workspace)
    day = None
    if since is not None:
        try:
            day = dt.date.fromisoformat(since.strip())
        except ValueError:
            raise UsageError(f"--since 的日期“{since[:40]}”无效", "请写成 2017-11-20 这样的日期(年-月-日)。") from None
    with found.lock():
        return fetch_replies(found, day, ask_password, on_message, on_file)


# ---------------------------------------------------------------------------------------------- demo


def demo(folder: Path = Path("fazhi-demo"), on_step: Callable[[str], None] | None = None,
         pdf: bool = False) -> DemoRun:
    """The whole year-end run on the sample data in `folder` (`fazhi demo`), which it (re)creates.

    Only a folder that `demo` made (or an empty or missing one) is used. `on_step(name)` is told each
    step's name (one of DEMO_STEPS) as it starts. The official documents are Word files; `pdf` adds their
    PDFs (LibreOffice, some fifteen seconds more).

    Example::

        run = api.demo(Path("/tmp/演示"))
        run.reports.summary_workbook, run.seconds
    """
    return run_demo(folder, on_step or (lambda _: None), make_pdf=pdf)


def version() -> str:
    """fazhi's version (`fazhi version`).

    Example::

        api.version()
    """
    return __version__


# -------------------------------------------------------------------------------------------- output


def json_ready(data: Any) -> Any:
    """The data as strict JSON can carry it: a Decimal as a number with at most two decimals, no negative
    zero, dates and times in ISO 8601, and no NaN or infinity (a bug if one gets here: ValueError, never
    bad JSON)."""
    if isinstance(data, dict):
        return {key: json_ready(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [json_ready(value) for value in data]
    if isinstance(data, bool) or data is None or isinstance(data, str | int):
        return data
    if isinstance(data, Decimal):
        if not data.is_finite():
            raise ValueError(f"internal error: {data!r} cannot be written as JSON")
        return plain_number(data)
    if isinstance(data, float):
        if not math.isfinite(data):
            raise ValueError(f"internal error: {data!r} cannot be written as JSON")
        return data + 0.0  # -0.0 + 0.0 is 0.0
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def enable_debug() -> None:
    """Keep the traceback of an internal error instead of a message (what `fazhi --debug` does)."""
    os.environ[DEBUG_VARIABLE] = "1"

