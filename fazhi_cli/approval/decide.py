"""`fazhi approve` and `fazhi reopen`: the district government's approval of the results (审定), refused while
anything is unresolved or any original or record does not verify (`fazhi verify`), freezing a snapshot in the same
transaction as its decision; and the return to 初步结果."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fazhi_cli.approval.snapshot import RebuildDiffers, SnapshotInputs, UnreadableSnapshot, freeze, thaw
from fazhi_cli.approval.state import current_state
from fazhi_cli.domain.approval import APPROVE, REOPEN, ResultsState, parse_approval_date, state_from
from fazhi_cli.domain.results import MISSING
from fazhi_cli.errors import FazhiError, UsageError
from fazhi_cli.infra.clock import CHINA, office_now
from fazhi_cli.integrity import verify_workspace
from fazhi_cli.integrity.originals import OriginalProblem
from fazhi_cli.receiving.batch import to_store_time
from fazhi_cli.scoring import Scoreboard, build_scoreboard
from fazhi_cli.store import Decision
from fazhi_cli.workspace import Workspace

BLOCKED_HINT = (
    "逐项解决后再审定。校验错误:请单位改正后重新报送,或在复核打分表中核定该项并填写核定理由(fazhi validate 查看);"
    "待确认和被退回的文件:fazhi files 查看,用 fazhi accept / reject / dismiss 处理;"
    "确属未报送的单位:加 --accept-missing,按“未报送”审定。"
)


VERIFY_HINT = "请运行 fazhi verify 查看,从备份恢复被改动或缺失的文件(archive/ 中的原件、fazhi.db)后再审定。"


class ApprovalRefused(FazhiError):
    """`approve` refused: something is unresolved (each reason in `details`) or the results are already approved."""


@dataclass(frozen=True)
class Approval:
    """What `fazhi approve` recorded: the approved state (with its snapshot's hash) and the frozen results."""

    state: ResultsState
    board: Scoreboard

    @property
    def missing(self) -> tuple[str, ...]:
        """The units approved as 未报送 (`--accept-missing`)."""
        return self.state.missing

    @property
    def moved_down(self) -> tuple[tuple[str, str, str | None], ...]:
        """The units a grade's cap (`max_share`) moved down, type by type in rank order: (unit, the grade its total
        reached, the grade given — None for none)."""
        board = self.board
        return tuple((r.unit, r.grade_capped_from, r.grade) for unit_type in board.rubric.types
                     for r in board.of_type(unit_type) if r.grade_capped_from is not None)


def approval_blockers(board: Scoreboard, accept_missing: bool = False) -> list[str]:
    """Every reason the results cannot be approved yet, in Chinese: units with unresolved validation errors, rows
    of the office's ledger that were not taken, score components not entered for a returned unit, held files,
    refused files not settled, and units that never returned (unless `accept_missing`)."""
    reasons = [f"{checked.unit.name}:尚有 {checked.errors} 个校验错误未解决"
               for checked in board.validation.results if checked.errors]
    reasons += [f"台账中未采用的行({f.file}):{f.message}" for f in board.validation.ledger]
    reasons += [f"{r.unit}:{name}得分尚未录入(fazhi component-sheet {name} 生成评分构成表)"
                for r in board.results for name in r.components_missing]
    # a unit's 整改 workbook (held or refused) is no input of the results: it never blocks their approval
    reasons += [f"待确认的文件 {f.file}:{f.message}" for f in board.validation.held if not _rectify_file(f.code)]
    reasons += [f"被退回的文件 {f.file} 尚未处理:{f.message}" for f in board.validation.refused
                if not _rectify_file(f.code)]
    if not accept_missing:
        reasons += [f"{r.unit}:未报送" for r in board.results if r.status == MISSING]
    return reasons


def _rectify_file(code: str | None) -> bool:
    """True for the code of a 整改 workbook held or refused at ingest (`rectify.take`)."""
    return (code or "").startswith("rectify_")


def _checked_arguments(by: str, date: str, doc_no: str | None) -> tuple[str, str, str]:
    by, doc_no = (by or "").strip(), (doc_no or "").strip()
    if not by:
        raise UsageError("未写明审定机关", '请用 --by 写明,例如 --by "区人民政府"。')
    day = parse_approval_date(date)
    if day is None:
        raise UsageError(f"审定日期“{(date or '')[:40]}”不是有效的日期", "请写成 YYYY-MM-DD,例如 --date 2018-01-15。")
    return by, day.isoformat(), doc_no


def _already_approved(state: ResultsState) -> ApprovalRefused:
    return ApprovalRefused(
        f"结果已于 {state.date} 由{state.by}审定(快照 {state.snapshot[:16]}…),不能重复审定;未作任何改动",
        '如需变更,请先 fazhi reopen --reason "…" 回到初步结果,再 fazhi approve。',
    )


def _require_verified(workspace: Workspace) -> None:
    """`fazhi verify` first: an original changed or gone, or a record whose seal does not verify, refuses the
    approval (`ApprovalRefused`, each named)."""
    checked = verify_workspace(workspace)
    if not checked.ok:
        problems = [f"{p.path}:{p.message}" if isinstance(p, OriginalProblem) else p.message for p in checked.problems]
        raise ApprovalRefused(f"有 {len(problems)} 处未通过校验(原件或法制办的记录),不能审定;未作任何改动",
                              VERIFY_HINT, problems)


def approve_results(
    workspace: Workspace, by: str, date: str, doc_no: str | None = None, accept_missing: bool = False,
    clock: Callable[[], dt.datetime] = office_now,
) -> Approval:
    """Approve the results (the caller holds the workspace lock): refused (`ApprovalRefused`, nothing changed)
    while anything is unresolved or when already approved; else the decision and its snapshot are recorded in
    one transaction. A bad `date` or an empty `by` is a `UsageError`."""
    by, day, doc_no = _checked_arguments(by, date, doc_no)
    _require_verified(workspace)
    campaign = workspace.campaign()
    rubric = workspace.rubric(campaign)
    inputs = SnapshotInputs(workspace.settings_text(), workspace.rubric_text(campaign), workspace.units(campaign))
    with workspace.open_store() as store:
        state = current_state(store)
        if state.approved:
            raise _already_approved(state)
        today = clock().astimezone(CHINA).date()
        board = build_scoreboard(store, rubric, campaign, inputs.units, today)
        reasons = approval_blockers(board, accept_missing)
        if reasons:
            raise ApprovalRefused(f"尚有 {len(reasons)} 项未解决,不能审定;未作任何改动", BLOCKED_HINT, reasons)
        text, sha = freeze(store, inputs, board, today)
        try:
            frozen = thaw(text)
        except (UnreadableSnapshot, RebuildDiffers) as problem:
            raise FazhiError(
                f"无法冻结审定结果:由快照重算的结果与当前结果不一致({problem}),未作任何改动",
                "这是程序的问题(快照未包含计分所用的全部数据),请联系技术人员(加 --debug 可查看详情)。",
            ) from None
        missing = [r.unit for r in board.results if r.status == MISSING]
        detail = {"by": by, "date": day, "doc_no": doc_no or None, "snapshot": sha, "missing": missing}
        decision = Decision(to_store_time(clock()), APPROVE, detail=detail)
        decision_id = store.record_approval(decision, sha, text)
    approved = state_from([Decision(decision.time, APPROVE, detail=detail, id=decision_id)])
    frozen.state = approved
    return Approval(approved, frozen)


def reopen_results(workspace: Workspace, reason: str, clock: Callable[[], dt.datetime] = office_now) -> ResultsState:
    """Return approved results to 初步结果 (the caller holds the lock); returns the approval reopened. The reason
    is required (`UsageError`); results not approved are an `ApprovalRefused`. Every snapshot is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise UsageError("未写明重新打开的理由", '请用 --reason 写明,例如 --reason "区政府要求复核区住建局得分"。')
    with workspace.open_store() as store:
        state = current_state(store)
        if not state.approved:
            raise ApprovalRefused("结果尚未审定(目前是初步结果),无需重新打开;未作任何改动",
                                  "审定用 fazhi approve --by … --date YYYY-MM-DD。")
        store.record_decision(Decision(to_store_time(clock()), REOPEN, reason=reason,
                                       detail={"snapshot": state.snapshot}))
    return state
