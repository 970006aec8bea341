"""The office's records checked against their seals: each chain of records (decisions, office values) and its
sealed head, and each approval's frozen snapshot against the hash its sealed decision recorded."""

from __future__ import annotations

from fazhi_cli.domain.approval import APPROVE, content_hash
from fazhi_cli.domain.seals import CHAINS, DECISIONS, SealBreak, chain_breaks
from fazhi_cli.errors import UsageError
from fazhi_cli.store import Store

RESTORE_HINT = ("fazhi.db 不应手工修改。请运行 fazhi verify 查看每一处,再从备份恢复 fazhi.db(及 fazhi.secret);"
                "收到的原件都保存在 archive/ 中。")


class RecordsUnsealed(UsageError):
    """The office's records do not verify against their seals (exit 2): no result is given from them."""

    def __init__(self, breaks: list[SealBreak]) -> None:
        super().__init__(f"法制办的记录有 {len(breaks)} 处未通过印章校验(数据库在 fazhi 之外被改动过),"
                         "不能据以出具结果或记录新的决定", RESTORE_HINT, [b.message for b in breaks])
        self.breaks = breaks


def record_breaks(store: Store) -> list[SealBreak]:
    """Every record of the store that does not verify: the chains and their heads, then the approvals' snapshots.
    A store opened without the secret is not checked (empty)."""
    if store.secret is None:
        return []
    breaks = [found for chain in CHAINS
              for found in chain_breaks(store.secret, chain, store.sealed_rows(chain), store.seal_head(chain))]
    if sum(b.head_forged for b in breaks) == len(CHAINS):  # no head verifies: most likely the key was changed
        breaks.insert(0, SealBreak(DECISIONS, None, "全部记录的印章都与工作区密钥不符:fazhi.secret 可能已被替换或丢失"
                                                    "(丢失时 fazhi 会生成新的密钥),请从备份恢复 fazhi.secret"))
    return breaks + _snapshot_breaks(store)


def _snapshot_breaks(store: Store) -> list[SealBreak]:
    """Each approval's snapshot must be there, its content hashing to what the (sealed) decision recorded; a
    snapshot no approval recorded does not belong."""
    approvals = {d.id: d for d in store.decisions(APPROVE)}
    snapshots = {s.decision_id: s for s in store.snapshots()}
    breaks = []
    for decision_id, decision in approvals.items():
        what = f"第 {decision_id} 条决定(审定 {decision.detail.get('date', '')})的结果快照"
        snapshot = snapshots.get(decision_id)
        if snapshot is None:
            breaks.append(SealBreak(DECISIONS, decision_id, f"{what}已不在数据库中"))
        elif not (content_hash(snapshot.content) == snapshot.sha256 == decision.detail.get("snapshot")):
            breaks.append(SealBreak(DECISIONS, decision_id, f"{what}已被改动:其内容与审定时记录的校验值不符"))
    breaks += [SealBreak(DECISIONS, s.decision_id, f"结果快照(第 {s.id} 个)没有对应的审定记录")
               for s in snapshots.values() if s.decision_id not in approvals]
    return breaks


def require_sealed(store: Store) -> None:
    """Raise `RecordsUnsealed` (exit 2, each break named) unless every record verifies."""
    breaks = record_breaks(store)
    if breaks:
        raise RecordsUnsealed(breaks)
