"""fazhi as a library: one function per command, plain arguments in, plain result objects out.

The command line (`fazhi_cli.cli`) is one client of this package; a script is another. Every function
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

The `*_json` functions give exactly the JSON-ready data the commands print with `--json`; each lives beside the
result it shapes (`fazhi_cli.validate.status.status_json`, `fazhi_cli.scoring.score_json`, …) and is
re-exported here.

The commands, one plain function each, by stage: `campaign` (init, config, generate), `rubric`, `returns` (ingest,
validate, status, files), `decisions` (accept, reject, dismiss, approve, reopen, log), `results` (review sheets,
ledger, score, report, notice, feedback letters, export), `mail` (send, remind, fetch), `rectify` (整改: status,
generate, review-sheet, notice), `history` (the kept earlier years; `init_from` lives in `campaign`), `integrity`
(verify) and `about` (version, demo); all are imported from `fazhi_cli.api` itself.

Also here for the command line's edge (re-exported from `edge`, not results): `enable_debug`, `debug_enabled`,
`write_error` (an OSError met while writing, as a user error), `require_defusedxml`, and for printing
`format_cents` and `printable`.
"""

from __future__ import annotations

from fazhi_cli.api.about import demo, version
from fazhi_cli.api.campaign import InitResult, config_set, config_show, generate, init, init_from
from fazhi_cli.api.decisions import accept, approve, dismiss, log, reject, reopen
from fazhi_cli.api.edge import combination_text as combination_text
from fazhi_cli.api.edge import debug_enabled as debug_enabled
from fazhi_cli.api.edge import enable_debug as enable_debug
from fazhi_cli.api.edge import format_cents as format_cents
from fazhi_cli.api.edge import printable as printable
from fazhi_cli.api.edge import require_defusedxml as require_defusedxml
from fazhi_cli.api.edge import write_error as write_error
from fazhi_cli.api.history import history
from fazhi_cli.api.integrity import verify
from fazhi_cli.api.mail import fetch, remind, send
from fazhi_cli.api.rectify import rectify_generate, rectify_notice, rectify_review_sheet, rectify_status
from fazhi_cli.api.results import (
    component_sheet,
    export,
    feedback_letters,
    ledger,
    notice,
    report,
    review_sheets,
    score,
    score_compared_json,
)
from fazhi_cli.api.returns import files, ingest, status, validate
from fazhi_cli.api.rubric import RubricView, rubric_check, rubric_export, rubric_json, rubric_show, rubric_warnings
from fazhi_cli.approval import ACTION_LABELS, Approval, ApprovalRefused, LogEntry, log_json
from fazhi_cli.demo import STEPS as DEMO_STEPS
from fazhi_cli.demo import DemoRectification, DemoRun
from fazhi_cli.documents import LetterFiles, NoticeFile, RectifyNoticeFile
from fazhi_cli.domain.approval import APPROVED, PRELIMINARY, ResultsState
from fazhi_cli.domain.checks import ERROR, WARNING, Finding
from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.rectification import STATE_LABELS as RECTIFY_STATE_LABELS
from fazhi_cli.domain.results import BASIS_LABELS, MISSING, SCORED, UnitResult
from fazhi_cli.domain.rubric import UNIT_TYPES, Rubric, Rule
from fazhi_cli.domain.rubric_display import rubric_as_dict as rubric_as_dict
from fazhi_cli.domain.rubric_display import rule_as_dict as rule_as_dict
from fazhi_cli.domain.rubric_display import rule_summary as rule_summary
from fazhi_cli.domain.rubric_display import type_rubric_as_dict as type_rubric_as_dict
from fazhi_cli.domain.submissions import STATE_LABELS as FILE_STATE_LABELS
from fazhi_cli.domain.units import Unit
from fazhi_cli.history import NOTHING_TO_COMPARE, CarriedCampaign, HistoryView, UnitHistory, YearResult
from fazhi_cli.ingest.settle import Settled
from fazhi_cli.integrity import VerifyReport
from fazhi_cli.mail import (
    FETCH_LABELS,
    MAIL_OUTCOME_LABELS,
    FetchedMessage,
    FetchReport,
    MailOutcome,
    MailReport,
    MailStatus,
)
from fazhi_cli.receiving.batch import OUTCOME_LABELS, FileOutcome, IngestReport
from fazhi_cli.rectify import RectifyGenerated, RectifyView
from fazhi_cli.rectify import status_json as rectify_status_json
from fazhi_cli.reports import ReportFiles
from fazhi_cli.reports.item_table import ItemRow, ItemTable
from fazhi_cli.reports.item_table import rows_json as export_json
from fazhi_cli.scoring import Scoreboard, score_json
from fazhi_cli.validate import Annotated, Validation, ValidationReport, status_json, validation_json
from fazhi_cli.validate.received import ReceivedFile, files_json
from fazhi_cli.validate.status import RectifyProgress, StatusReport, UnitStatus
from fazhi_cli.workbook.generate import GenerateResult
from fazhi_cli.workspace import Workspace, missing_weight_message
from fazhi_cli.workspace.settings_file.edit import SettingChange, SettingRow, config_json

__all__ = [
    # the commands
    "init", "init_from", "history", "rubric_show", "rubric_check", "rubric_warnings", "rubric_export", "generate",
    "ingest", "validate",
    "review_sheets", "component_sheet", "ledger", "score", "report", "notice", "feedback_letters", "status", "files",
    "accept", "reject",
    "dismiss", "approve", "reopen", "log", "verify", "demo", "version", "config_show", "config_set",
    "send", "remind", "fetch", "rectify_status", "rectify_generate", "rectify_review_sheet", "rectify_notice",
    "export",
    # what `--json` prints
    "config_json", "rubric_json", "validation_json", "score_json", "score_compared_json", "status_json", "files_json",
    "log_json",
    "rectify_status_json", "json_ready", "export_json",
    # the results
    "InitResult", "RubricView", "GenerateResult", "IngestReport", "FileOutcome", "Validation",
    "ValidationReport", "Annotated", "Finding", "Scoreboard", "UnitResult", "ReportFiles", "StatusReport",
    "UnitStatus", "DemoRun", "DemoRectification",
    "Rubric", "Rule", "Unit", "Workspace", "ReceivedFile", "Settled", "ResultsState",
    "Approval", "ApprovalRefused", "LogEntry", "NoticeFile", "LetterFiles", "SettingRow", "SettingChange",
    "MailReport", "MailOutcome", "FetchReport", "FetchedMessage", "MailStatus", "VerifyReport",
    "RectifyView", "RectifyNoticeFile", "RectifyProgress", "RectifyGenerated", "ItemTable", "ItemRow",
    "CarriedCampaign", "HistoryView", "UnitHistory", "YearResult", "NOTHING_TO_COMPARE",
    # their vocabulary
    "UNIT_TYPES", "OUTCOME_LABELS", "ERROR", "WARNING", "SCORED", "MISSING", "BASIS_LABELS", "DEMO_STEPS",
    "PRELIMINARY", "APPROVED", "ACTION_LABELS", "missing_weight_message", "FILE_STATE_LABELS",
    "RECTIFY_STATE_LABELS",
    "MAIL_OUTCOME_LABELS", "FETCH_LABELS",
]  # fmt: skip
