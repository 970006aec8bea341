"""整改 returns: the `rectify_returns` and `rectify_rows` tables — each 整改 workbook a unit returned (with the file it
came in, recorded in the same transaction) and what it reported per item."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from fazhi_cli.domain.rectification import RectifyReport
from fazhi_cli.store.files import FileRecord, FileTables, insert_file


@dataclass(frozen=True)
class RectifyRow:
    """What a unit reported on one item of its 整改 workbook, with the cells it came from (title → cell)."""

    ref: str
    measures: str = ""
    progress: str = ""
    done_on: dt.date | None = None
    evidence: str = ""
    cells: dict[str, str] = field(default_factory=dict)

    def report(self) -> RectifyReport:
        """The row as the domain reads it."""
        return RectifyReport(self.ref, self.measures, self.progress, self.done_on, self.evidence)


@dataclass(frozen=True)
class StoredRectifyReturn:
    """A recorded 整改 return, with its file's name as received and what validation found in it (JSON-decoded)."""

    id: int
    unit: str
    file_id: int
    sha256: str
    received_at: str
    taken_at: str
    generated_at: str | None
    original_name: str
    findings: list[dict]


def insert_rectify_return(db: sqlite3.Connection, record: FileRecord, rows: Iterable[RectifyRow],
                          findings: list[dict], generated_at: str | None) -> int:
    """Insert the 整改 return read from the recorded file `record` (its `id` set) and its rows."""
    cursor = db.execute(
        "INSERT INTO rectify_returns (unit, file_id, sha256, received_at, taken_at, generated_at, findings) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (record.unit, record.id, record.sha256, record.received_at, record.taken_at, generated_at,
         json.dumps(findings, ensure_ascii=False)),
    )
    return_id = int(cursor.lastrowid)
    db.executemany(
        "INSERT INTO rectify_rows (return_id, ref, measures, progress, done_on, evidence, cells) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(return_id, r.ref, r.measures, r.progress, r.done_on.isoformat() if r.done_on else None, r.evidence,
          json.dumps(r.cells, ensure_ascii=False)) for r in rows],
    )
    return return_id


class RectifyTables(FileTables):
    """The `Store`'s methods for the 整改 returns."""

    def record_rectify_return(self, record: FileRecord, rows: Iterable[RectifyRow], findings: list[dict],
                              generated_at: str | None = None) -> int | None:
        """Record a 整改 workbook's file and what was read from it, in one transaction. None (nothing written)
        when a return with the same bytes is already recorded."""
        try:
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM rectify_returns WHERE sha256 = ?", (record.sha256,)).fetchone():
                    return None
                file_id = insert_file(db, record)
                return insert_rectify_return(db, replace(record, id=file_id), rows, findings, generated_at)
        except sqlite3.IntegrityError:
            if self.rectify_return_by_sha(record.sha256) is not None:
                return None
            raise

    def record_rectify_for_file(self, record: FileRecord, rows: Iterable[RectifyRow], findings: list[dict],
                                generated_at: str | None, db: sqlite3.Connection) -> int:
        """Record the 整改 return read from an already recorded file (a held one the office accepts), in the
        caller's transaction."""
        return insert_rectify_return(db, record, rows, findings, generated_at)

    def rectify_return_by_sha(self, sha256: str) -> StoredRectifyReturn | None:
        """The 整改 return recorded with these bytes, if any."""
        found = self._rectify_returns("r.sha256 = ?", (sha256,))
        return found[0] if found else None

    def rectify_returns(self, unit: str | None = None) -> list[StoredRectifyReturn]:
        """The 整改 returns (of one unit), in the order the office received them."""
        if unit is None:
            return self._rectify_returns("1", ())
        return self._rectify_returns("r.unit = ?", (unit,))

    def _rectify_returns(self, where: str, parameters: tuple) -> list[StoredRectifyReturn]:
        rows = self.db.execute(
            "SELECT r.id, r.unit, r.file_id, r.sha256, r.received_at, r.taken_at, r.generated_at, r.findings, "
            f"f.original_name FROM rectify_returns r JOIN files f ON f.id = r.file_id WHERE {where} "
            "ORDER BY r.received_at, r.id", parameters).fetchall()
        return [StoredRectifyReturn(row["id"], row["unit"], row["file_id"], row["sha256"], row["received_at"],
                                    row["taken_at"], row["generated_at"], row["original_name"],
                                    json.loads(row["findings"])) for row in rows]

    def rectify_rows(self, return_id: int) -> list[RectifyRow]:
        """What one 整改 return reported, item by item, in the order of its rows."""
        rows = self.db.execute(
            "SELECT ref, measures, progress, done_on, evidence, cells FROM rectify_rows WHERE return_id = ? "
            "ORDER BY rowid", (return_id,)).fetchall()
        return [RectifyRow(row["ref"], row["measures"], row["progress"],
                           dt.date.fromisoformat(row["done_on"]) if row["done_on"] else None, row["evidence"],
                           json.loads(row["cells"])) for row in rows]
