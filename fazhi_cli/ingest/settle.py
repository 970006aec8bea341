"""The clerk settles received files: `fazhi accept`, `fazhi reject`, `fazhi dismiss`.

- accept: a held workbook (待确认) becomes a submission of the unit its identity names, read again from the
  archived original; an earlier taken submission becomes the unit's current one explicitly. Either counts from
  the later of its receipt and the decision, so a file received after the decision still supersedes it.
- reject: a held workbook stays uncredited and stops blocking; a taken submission stops counting (its unit falls
  back to its previous submission, or to 未报送).
- dismiss: a refused file (a stray PDF, a mistyped path) stops being listed as outstanding.

Each decision is recorded with the office's time and the reason, in the same transaction as anything else it
writes. Wrong use is a `UsageError` with nothing changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fazhi_cli.domain.refusals import refusal
from fazhi_cli.domain.submissions import ACCEPT, DISMISS, REJECT
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.ingest.identify import foreign_form, identity_problem
from fazhi_cli.ingest.workbooks import submission_content
from fazhi_cli.receiving.batch import Batch, IngestReport, to_store_time
from fazhi_cli.rectify.take import RectifyRefused, accepted_rectify, is_rectify
from fazhi_cli.store import Decision, Store, StoredFile, StoredSubmission
from fazhi_cli.validate.received import ReceivedFile, received_files
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import read_return_data
from fazhi_cli.workbook.reader import ReadWorkbook, UnreadableWorkbook
from fazhi_cli.workspace import Workspace

_DONE = {ACCEPT: "确认采用", REJECT: "不予采用", DISMISS: "撤销"}
_HELD_OR_TAKEN = ("held", "current", "superseded", "accepted", "rejected")


@dataclass(frozen=True)
class Settled:
    """What a decision changed: the file as it was, the unit concerned and that unit's current submission now."""

    action: str
    file: ReceivedFile  # the file before the decision
    reason: str
    unit: str | None
    current: StoredSubmission | None  # the unit's current submission after the decision (None: 未报送)
    decision_id: int


def settle(workspace: Workspace, action: str, file_id: int, reason: str,
           clock: Callable[[], dt.datetime] = office_now) -> Settled:
    """Take the clerk's decision `action` (accept, reject, dismiss) on the received file `file_id`, with `reason`."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise UsageError("必须写明理由(--reason)", f"例如:fazhi {action} {file_id} --reason \"已电话核实\"。")
    with workspace.open_store() as store:
        listed = {f.id: f for f in received_files(store)}
        received = listed.get(file_id)
        if received is None:
            raise UsageError(f"没有编号为 {file_id} 的文件", "请用 fazhi files 查看收到的文件及其编号。")
        _check_allowed(action, received)
        decision = Decision(to_store_time(clock()), action, None, file_id, reason)
        record = store.file_by_id(file_id)
        unit, decision_id = _decide(workspace, store, action, record, decision)
        current = store.current_submissions().get(unit) if unit else None
    return Settled(action, received, reason, unit, current, decision_id)


def _check_allowed(action: str, received: ReceivedFile) -> None:
    """Refuse (UsageError, nothing changed) a decision that does not fit the file's state, or repeats one."""
    name, state = f"文件 {received.id}「{received.original_name}」", received.state
    if received.decision is not None and received.decision.action == action:
        raise UsageError(f"{name}已经{_DONE[action]}过", "同一决定不必重复;fazhi files 可查看各文件的状态。")
    if action == DISMISS and state != "refused":
        hint = ("待确认或已收取的自评表请用 fazhi reject 编号 --reason 理由 不予采用。" if state in _HELD_OR_TAKEN
                else "只有被退回的文件可以撤销。")
        raise UsageError(f"{name}的状态是“{received.label}”,不能撤销", hint)
    if action in (ACCEPT, REJECT) and state in ("refused", "dismissed"):
        hint = ("被退回的文件(无法读取或不是本次考核的自评表)不能采用;"
                "如它不需要处理,请用 fazhi dismiss 编号 --reason 理由。")
        raise UsageError(f"{name}已被退回,不能{_DONE[action]}", hint)
    if action in (ACCEPT, REJECT) and state not in _HELD_OR_TAKEN:
        raise UsageError(f"{name}的状态是“{received.label}”,不能{_DONE[action]}",
                         "只有待确认的文件和已收取的自评表、整改清单可以确认采用或不予采用。")


def _decide(workspace: Workspace, store: Store, action: str, record: StoredFile,
            decision: Decision) -> tuple[str | None, int]:
    """Record the decision (and, for a held workbook accepted for the first time, its submission): the unit
    concerned and the decision's id."""
    submission = next((s for s in (*store.submissions(), *store.rectify_returns()) if s.file_id == record.id), None)
    if action == ACCEPT and submission is None:
        return _accept_held(workspace, store, record, decision)
    unit = submission.unit if submission else record.unit
    return unit, store.record_decision(_with_unit(decision, unit))


def _with_unit(decision: Decision, unit: str | None) -> Decision:
    return Decision(decision.time, decision.action, unit, decision.file_id, decision.reason)


def _accept_held_rectify(workspace: Workspace, batch: Batch, store: Store, record: StoredFile, read: ReadWorkbook,
                         decision: Decision) -> tuple[str, int]:
    """Record a held 整改 workbook, read again from its archived original, as its unit's 整改 return."""
    name = record.original_name
    problem = foreign_form(batch, name, read.identity)
    if problem is None:
        try:
            content = accepted_rectify(batch, name, (workspace.archive / record.archive_name).read_bytes(),
                                       read.identity)
        except RectifyRefused as refused:
            problem = refused.problem
    if problem is not None:
        raise UsageError(f"「{name}」不能采用:{problem.message}", "请用 fazhi reject 编号 --reason 理由 不予采用。")
    if store.rectify_return_by_sha(record.sha256) is not None:
        raise UsageError(f"「{name}」的内容已作为整改清单收取过", "不必再确认;fazhi files 可查看各文件的状态。")
    decision_id = store.accept_held_rectify(record, content.unit, content.rows, content.findings_data(),
                                            content.generated_at, _with_unit(decision, content.unit))
    return content.unit, decision_id


def _accept_held(workspace: Workspace, store: Store, record: StoredFile, decision: Decision) -> tuple[str, int]:
    """Read the held workbook again from its archived original and record it as its unit's submission."""
    campaign = workspace.campaign()
    batch = Batch(workspace, campaign, workspace.rubric(campaign), {u.name: u for u in workspace.units(campaign)},
                  store, "accept", IngestReport(), workspace.secret())
    name = record.original_name
    try:
        read = read_return_data((workspace.archive / record.archive_name).read_bytes())
    except (UnreadableWorkbook, OSError) as problem:
        raise UsageError(f"无法读取存档的「{name}」:{problem}", "请检查 archive/ 文件夹是否完整。") from None
    if is_rectify(read):
        return _accept_held_rectify(workspace, batch, store, record, read, decision)
    problem = foreign_form(batch, name, read.identity) or identity_problem(batch, name, read.identity)
    if problem is None and read.structure_problems:
        problem = refusal("structure", name=name, detail=";".join(read.structure_problems))
    if problem is None and read.is_blank():
        problem = refusal("unfilled", name=name)
    if problem is not None:
        raise UsageError(f"「{name}」不能采用:{problem.message}", "请用 fazhi reject 编号 --reason 理由 不予采用。")
    unit = batch.units[read.identity.get(layout.ID_UNIT, "")]
    if store.submission_by_sha(record.sha256) is not None:
        raise UsageError(f"「{name}」的内容已作为报送收取过", "不必再确认;fazhi files 可查看各文件的状态。")
    changes, values, generated_at = submission_content(batch, unit, read)
    decision_id = store.accept_held(record, unit.name, batch.rubric.id, changes, values, generated_at,
                                    _with_unit(decision, unit.name))
    return unit.name, decision_id
