"""Which results every output shows: the live 初步结果 while preliminary, or the 审定结果 rebuilt from the
approval's snapshot (checked against its hash) once approved."""

from __future__ import annotations

from fazhi_cli.approval.snapshot import RebuildDiffers, UnreadableSnapshot, thaw
from fazhi_cli.domain.approval import ResultsState, content_hash, state_from
from fazhi_cli.errors import SnapshotInvalid
from fazhi_cli.integrity import require_sealed
from fazhi_cli.scoring import Scoreboard, build_scoreboard
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace

REAPPROVE_HINT = ("fazhi.db 不应手工修改:请从备份恢复 fazhi.db;或先 fazhi reopen --reason \"…\" 回到初步结果,"
                  "再 fazhi approve 重新审定(生成新的快照,原快照保留)。")


def current_state(store: Store) -> ResultsState:
    """The campaign's results state by the decisions recorded, once every record verifies against its seal
    (`RecordsUnsealed`, exit 2, otherwise); the snapshot's content is rebuilt by `frozen_scoreboard`."""
    require_sealed(store)
    return state_from(store.decisions())


def read_state(workspace: Workspace) -> ResultsState:
    """The workspace's results state (its snapshot not checked)."""
    with workspace.open_store() as store:
        return current_state(store)


def frozen_scoreboard(store: Store, state: ResultsState) -> Scoreboard:
    """The approved results, rebuilt from the approval's snapshot.

    A snapshot that is gone, whose content no longer matches the hash recorded at approval (edited by hand),
    that cannot be read, or whose rebuilt results differ from those frozen in it is a `SnapshotInvalid`
    (exit 2): no report is made from it.
    """
    when = f"{state.by} {state.date} 审定"
    stored = store.snapshot(state.decision) if state.decision is not None else None
    if stored is None:
        raise SnapshotInvalid(f"结果已由{when},但数据库中找不到审定时冻结的快照,不能据以出具结果", REAPPROVE_HINT)
    if content_hash(stored.content) != stored.sha256 or stored.sha256 != state.snapshot:
        raise SnapshotInvalid(
            f"审定结果的快照已被改动:其内容与{when}时记录的校验值(SHA-256 {state.snapshot[:16]}…)不符,"
            "不能据以出具结果", REAPPROVE_HINT)
    try:
        board = thaw(stored.content)
    except UnreadableSnapshot:
        raise SnapshotInvalid(f"审定结果的快照({when})无法读取,不能据以出具结果", REAPPROVE_HINT) from None
    except RebuildDiffers as differs:
        raise SnapshotInvalid(
            f"由审定结果的快照({when})重算的结果与审定时冻结的结果不一致({'、'.join(differs.units)}):"
            "审定后程序的计分方式可能已经改变,不能据以出具结果",
            f"请用审定时的 fazhi 版本({differs.program or '未知'})出具结果;或先 fazhi reopen --reason \"…\","
            "再 fazhi approve 按现行程序重新审定。",
        ) from None
    board.state = state
    return board


def results_in_force(workspace: Workspace) -> Scoreboard:
    """The results every report shows: live while preliminary, the approval's frozen results once approved."""
    with workspace.open_store() as store:
        state = current_state(store)
        if state.approved:
            return frozen_scoreboard(store, state)
        campaign = workspace.campaign()
        board = build_scoreboard(store, workspace.rubric(campaign), campaign, workspace.units(campaign))
    board.state = state
    return board


def verified_state(workspace: Workspace) -> ResultsState:
    """The results state, its snapshot checked when approved (`SnapshotInvalid` as in `frozen_scoreboard`)."""
    with workspace.open_store() as store:
        state = current_state(store)
        if state.approved:
            frozen_scoreboard(store, state)
        return state
