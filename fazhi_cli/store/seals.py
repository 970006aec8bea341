"""The seal chains in the store: each decision and office value sealed as it is written, each chain's sealed head.

The seals themselves are `domain.seals` (an HMAC keyed by the workspace secret over a record's `SEALED_COLUMNS`
and the seal before it); here they are read from and written to the `decisions`, `reviews` and `seal_heads`
tables, on the connection (and in the transaction) the caller holds.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3

from fazhi_cli.domain.approval import ACTION_LABELS, APPROVE
from fazhi_cli.domain.seals import CHAIN_LABELS, CHAINS, DECISIONS, ChainHead, SealedRow, head_seal, seal_rows
from fazhi_cli.errors import WorkspaceError
from fazhi_cli.store.schema import SEALED_COLUMNS, SEALED_WHEN_SET


class SealHeadMissing(WorkspaceError):
    """A sealed chain's head is gone from the store: nothing more is recorded on it."""

    def __init__(self, chain: str) -> None:
        label = CHAIN_LABELS.get(chain, chain)
        super().__init__(f"{label}的印章记录缺失,不能再记录新的决定(数据库在 fazhi 之外被改动过)",
                         "请运行 fazhi verify 查看详情,并从备份恢复 fazhi.db。")


def _row_label(chain: str, row: sqlite3.Row) -> str:
    """What a sealed record is, for a message: a decision's action and day, an office value's unit and item."""
    if chain == DECISIONS:
        day = str(row["time"])[:10]
        if row["action"] == APPROVE:  # an approval is known by the date it bears
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                day = str(json.loads(row["detail"]).get("date", day))[:10]
        return f"{ACTION_LABELS.get(row['action'], row['action'])} {day}"
    return f"{row['unit']} {row['ref']}"


def seal_appended(db: sqlite3.Connection, secret: bytes | None, chain: str, ids: list[int]) -> None:
    """Seal the records `ids` (just inserted, in order) after the chain's head, and move the head on to them.

    Only these records: a row someone slipped into the table is never sealed by a later write. A chain whose
    head is gone is not given a new one (that would hide the deletion): `SealHeadMissing`.
    """
    if secret is None or not ids:
        return
    head = read_head(db, chain)
    if head is None:
        raise SealHeadMissing(chain)
    seals = seal_rows(secret, chain, head.last, [_sealed_fields(db, chain, i) for i in ids])
    db.executemany(f"UPDATE {chain} SET seal = ? WHERE id = ?", list(zip(seals, ids, strict=True)))
    _write_head(db, secret, chain, head.count + len(ids), seals[-1])


def seal_earlier_records(db: sqlite3.Connection, secret: bytes | None) -> None:
    """The step that brings seals: every record an earlier version wrote is sealed now, in order, and each
    chain gets its head (a store opened without the secret gets none: it must hold no records)."""
    for chain in CHAINS:
        ids = [row[0] for row in db.execute(f"SELECT id FROM {chain} ORDER BY id")]
        if secret is None:
            if ids:
                raise WorkspaceError("无法为已有的记录加印章:打开数据库时未提供工作区密钥",
                                     "这是程序的问题,请联系技术人员。")
            continue
        seals = seal_rows(secret, chain, "", [_sealed_fields(db, chain, i) for i in ids])
        db.executemany(f"UPDATE {chain} SET seal = ? WHERE id = ?", list(zip(seals, ids, strict=True)))
        _write_head(db, secret, chain, len(ids), seals[-1] if seals else "")


def _write_head(db: sqlite3.Connection, secret: bytes | None, chain: str, count: int, last: str) -> None:
    assert secret is not None
    db.execute("INSERT OR REPLACE INTO seal_heads (chain, count, last, mac) VALUES (?, ?, ?, ?)",
               (chain, count, last, head_seal(secret, chain, count, last)))


def _later_columns(db: sqlite3.Connection, chain: str) -> tuple[str, ...]:
    """The chain's `SEALED_WHEN_SET` columns the table has (the step that brings seals runs before some exist)."""
    present = {row[1] for row in db.execute(f"PRAGMA table_info({chain})")}
    return tuple(name for name in SEALED_WHEN_SET.get(chain, ()) if name in present)


def _covered(row: sqlite3.Row, columns: tuple[str, ...], later: tuple[str, ...]) -> dict[str, object]:
    """What a record's seal covers: its `SEALED_COLUMNS`, and each later column that holds a value."""
    fields = {name: row[name] for name in columns}
    fields.update({name: row[name] for name in later if row[name] is not None})
    return fields


def _sealed_fields(db: sqlite3.Connection, chain: str, row_id: int) -> dict[str, object]:
    columns, later = SEALED_COLUMNS[chain], _later_columns(db, chain)
    row = db.execute(f"SELECT {', '.join(columns + later)} FROM {chain} WHERE id = ?", (row_id,)).fetchone()
    return _covered(row, columns, later)


def read_head(db: sqlite3.Connection, chain: str) -> ChainHead | None:
    """A chain's sealed head as stored, or None when there is none."""
    row = db.execute("SELECT count, last, mac FROM seal_heads WHERE chain = ?", (chain,)).fetchone()
    return None if row is None else ChainHead(int(row["count"]), str(row["last"]), str(row["mac"]))


def read_sealed_rows(db: sqlite3.Connection, chain: str) -> list[SealedRow]:
    """Every record of a chain as stored, in id order: the content its seal covers and the seal."""
    columns, later = SEALED_COLUMNS[chain], _later_columns(db, chain)
    rows = db.execute(f"SELECT {', '.join(columns + later)}, seal FROM {chain} ORDER BY id")
    return [SealedRow(row["id"], _covered(row, columns, later), row["seal"], _row_label(chain, row)) for row in rows]
