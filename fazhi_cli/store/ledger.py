"""The office's own records (台账) from returned ledger workbooks: the `ledger_records` and `ledger_entries` tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from fazhi_cli.store.connection import StoreBase
from fazhi_cli.store.files import FileRecord, insert_file


@dataclass(frozen=True)
class LedgerRow:
    """One row of a returned ledger as recorded: its record (sheet), unit, fields (JSON-decoded) and cell; a
    row that was not taken carries the `problem` instead."""

    record: str
    unit: str | None
    data: dict
    cell: str | None
    problem: str | None = None
    file_name: str = ""  # the ledger file it came from (as the store returns it)


class LedgerTables(StoreBase):
    """The `Store`'s methods for the returned ledgers."""

    def record_ledger(self, record: FileRecord, covered: Iterable[str], rows: Iterable[LedgerRow]) -> int:
        """Record a returned ledger: the file, the records (sheets) it covers and its rows, in one transaction."""
        with self.transaction() as db:
            file_id = insert_file(db, record)
            db.executemany("INSERT INTO ledger_records (file_id, record, taken_at) VALUES (?, ?, ?)",
                           [(file_id, name, record.taken_at) for name in dict.fromkeys(covered)])
            db.executemany(
                "INSERT INTO ledger_entries (file_id, record, unit, data, cell, problem) VALUES (?, ?, ?, ?, ?, ?)",
                [(file_id, r.record, r.unit, json.dumps(r.data, ensure_ascii=False, sort_keys=True), r.cell, r.problem)
                 for r in rows],
            )
            return file_id

    def ledger_in_force(self) -> tuple[set[str], list[LedgerRow]]:
        """The records some returned ledger covered, and the rows in force: for each record, those of the latest
        ledger file that covered it (problems included, in sheet order)."""
        latest = {row["record"]: row["file_id"] for row in self.db.execute(
            "SELECT record, file_id FROM ledger_records ORDER BY taken_at, file_id")}
        rows = []
        for record, file_id in latest.items():
            rows += [
                LedgerRow(row["record"], row["unit"], json.loads(row["data"]), row["cell"], row["problem"],
                          row["original_name"])
                for row in self.db.execute(
                    "SELECT e.*, f.original_name FROM ledger_entries e JOIN files f ON f.id = e.file_id "
                    "WHERE e.file_id = ? AND e.record = ? ORDER BY e.id", (file_id, record))
            ]
        return set(latest), rows
