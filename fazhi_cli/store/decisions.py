"""The office's decisions and approvals: the `decisions` the clerk took on the command line, the office values
taken from review sheets (`reviews`), each sealed as it is written (`store.seals`), and the `snapshots` approvals
froze.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from fazhi_cli.domain.seals import DECISIONS, REVIEWS, ChainHead, SealedRow
from fazhi_cli.domain.submissions import FileDecision, current_submissions, decisions_in_force
from fazhi_cli.store.files import (
    FileRecord,
    FileTables,
    StoredFile,
    StoredSubmission,
    StoredValue,
    insert_file,
    insert_submission,
)
from fazhi_cli.store.rectify import RectifyRow, insert_rectify_return
from fazhi_cli.store.schema import EXPECTED_TABLES, SNAPSHOT_TABLES
from fazhi_cli.store.seals import read_head, read_sealed_rows, seal_appended


@dataclass(frozen=True)
class ReviewEntry:
    """One decision from a review sheet: the office's 核定得分 (raw, JSON-decoded) with its 核定理由, or the
    withdrawal of an earlier one (`withdrawn`, raw None)."""

    unit: str
    ref: str
    raw: object
    cell: str | None
    reason: str = ""
    withdrawn: bool = False
    taken_at: str = ""
    id: int | None = None  # its row in the store, once recorded
    team: str = ""  # the review team (考核组) whose sheet set it; "" for the office's own sheet
    sheet: str = ""  # the name of the review sheet it came in (as received), once recorded


@dataclass(frozen=True)
class Decision:
    """One decision the clerk took on the command line, as recorded (the `detail` is JSON-decoded)."""

    time: str  # the office's clock, as `batch.to_store_time` writes it
    action: str  # accept, reject, dismiss, approve, reopen
    unit: str | None = None
    file_id: int | None = None
    reason: str = ""
    detail: dict = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class StoredSnapshot:
    """A frozen snapshot as stored: its approving decision, the hash recorded with it, and its content."""

    id: int
    decision_id: int
    sha256: str
    content: str


class DecisionTables(FileTables):
    """The `Store`'s methods for the office's decisions (the clerk's, and the office values of review sheets),
    their seal chains, and the approvals' snapshots (with the rows they are rebuilt from)."""

    def record_decision(self, decision: Decision, db: sqlite3.Connection | None = None) -> int:
        """Record one decision (in its own transaction, or in the caller's `db` transaction); returns its id."""
        if db is None:
            with self.transaction() as own:
                return self.record_decision(decision, own)
        cursor = db.execute(
            "INSERT INTO decisions (time, action, unit, file_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (decision.time, decision.action, decision.unit, decision.file_id, decision.reason,
             json.dumps(decision.detail, ensure_ascii=False, sort_keys=True)),
        )
        decision_id = int(cursor.lastrowid)
        seal_appended(db, self.secret, DECISIONS, [decision_id])
        return decision_id

    def decisions(self, action: str | None = None) -> list[Decision]:
        """Every recorded decision (of one action), in the order taken."""
        where, args = ("WHERE action = ?", (action,)) if action else ("", ())
        return [
            Decision(row["time"], row["action"], row["unit"], row["file_id"], row["reason"],
                     json.loads(row["detail"]), row["id"])
            for row in self.db.execute(f"SELECT * FROM decisions {where} ORDER BY id", args)
        ]

    def file_decisions(self) -> dict[int, FileDecision]:
        """The decision in force (the latest accept, reject or dismiss) on each file decided."""
        return decisions_in_force(self.decisions())

    def current_submissions(self) -> dict[str, StoredSubmission]:
        """Each unit's current submission: the latest received, or accepted by the office since, and not rejected
        (ties: the one ingested last); see `domain.submissions`."""
        return current_submissions(self.submissions(), self.file_decisions())

    def accept_held(
        self, held: StoredFile, unit: str, rubric_id: str, changes: list[dict], values: Iterable[StoredValue],
        generated_at: str | None, decision: Decision,
    ) -> int:
        """The office's accept of a held workbook: its submission (read again from the archived original, credited
        to `unit`) and the decision, in one transaction; returns the decision's id. The file's row is kept as it
        was recorded."""
        with self.transaction() as db:
            insert_submission(db, replace(held, unit=unit), rubric_id, changes, values, generated_at)
            return self.record_decision(decision, db)

    def accept_held_rectify(self, held: StoredFile, unit: str, rows: Iterable[RectifyRow], findings: list[dict],
                            generated_at: str | None, decision: Decision) -> int:
        """The office's accept of a held 整改 workbook: its 整改 return (read again from the archived original, for
        `unit`) and the decision, in one transaction; returns the decision's id."""
        with self.transaction() as db:
            insert_rectify_return(db, replace(held, unit=unit), rows, findings, generated_at)
            return self.record_decision(decision, db)

    def record_reviews(self, record: FileRecord, rows: Iterable[ReviewEntry]) -> int:
        """Record a review sheet and the office's decisions in it (values and withdrawals) in one transaction."""
        with self.transaction() as db:
            file_id = insert_file(db, record)
            first = db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
            db.executemany(
                "INSERT INTO reviews (unit, ref, raw, cell, reason, withdrawn, file_id, taken_at, team) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.unit, e.ref, None if e.withdrawn else json.dumps(e.raw, ensure_ascii=False), e.cell,
                  e.reason or None, int(e.withdrawn), file_id, record.taken_at, e.team or None) for e in rows],
            )
            added = [row[0] for row in db.execute("SELECT id FROM reviews WHERE id > ? ORDER BY id", (first,))]
            seal_appended(db, self.secret, REVIEWS, added)
            return file_id

    def record_closures(self, record: FileRecord, decisions: Iterable[Decision]) -> int:
        """Record a returned 整改复核表 and the office's 销号 decisions (and withdrawals) in it, each naming the file,
        in one transaction (each decision sealed as any other); returns the file's id."""
        with self.transaction() as db:
            file_id = insert_file(db, record)
            for decision in decisions:
                self.record_decision(replace(decision, file_id=file_id), db)
            return file_id

    def review_history(self) -> list[ReviewEntry]:
        """Every decision taken from review sheets, in order (withdrawals included), each with its team and the
        name of the sheet it came in."""
        return [
            ReviewEntry(row["unit"], row["ref"], None if row["raw"] is None else json.loads(row["raw"]), row["cell"],
                        row["reason"] or "", bool(row["withdrawn"]), row["taken_at"], row["id"], row["team"] or "",
                        row["sheet"] or "")
            for row in self.db.execute("SELECT reviews.*, files.original_name AS sheet FROM reviews "
                                       "LEFT JOIN files ON files.id = reviews.file_id ORDER BY reviews.id")
        ]

    def last_review_id(self) -> int:
        """The id of the last decision taken from a review sheet (0 when none)."""
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0])

    def review_layers(self, upto: int | None = None) -> dict[str, dict[str, dict[str, ReviewEntry]]]:
        """The values in force of each source, team → unit → ref ("" is the office's own review sheet): each
        source's latest decision, unless it is a withdrawal; with `upto`, as they were once the decision of that id
        was recorded. Which of them counts is `domain.review_checks.resolve_sources`'."""
        layers: dict[str, dict[str, dict[str, ReviewEntry]]] = {}
        for entry in self.review_history():
            if upto is not None and entry.id is not None and entry.id > upto:
                break
            by_ref = layers.setdefault(entry.team, {}).setdefault(entry.unit, {})
            if entry.withdrawn:
                by_ref.pop(entry.ref, None)
            else:
                by_ref[entry.ref] = entry
        return layers

    def office_values(self, upto: int | None = None, team: str = "") -> dict[str, dict[str, ReviewEntry]]:
        """One source's values in force per unit and ref (by default the office's own sheet; `team`: that review
        team's), as `review_layers` gives them."""
        return self.review_layers(upto).get(team, {})

    def seal_head(self, chain: str) -> ChainHead | None:
        """A chain's sealed head as stored, or None when there is none."""
        return read_head(self.db, chain)

    def sealed_rows(self, chain: str) -> list[SealedRow]:
        """Every record of a chain as stored, in id order: the content its seal covers and the seal."""
        return read_sealed_rows(self.db, chain)

    def record_approval(self, decision: Decision, sha256: str, content: str) -> int:
        """Record an approval and its snapshot in one transaction; returns the decision's id."""
        with self.transaction() as db:
            decision_id = self.record_decision(decision, db)
            db.execute("INSERT INTO snapshots (decision_id, sha256, content) VALUES (?, ?, ?)",
                       (decision_id, sha256, content))
            return decision_id

    def snapshot(self, decision_id: int) -> StoredSnapshot | None:
        """The snapshot an approval froze, or None when there is none."""
        row = self.db.execute("SELECT * FROM snapshots WHERE decision_id = ? ORDER BY id LIMIT 1",
                              (decision_id,)).fetchone()
        return None if row is None else StoredSnapshot(row["id"], row["decision_id"], row["sha256"], row["content"])

    def snapshots(self) -> list[StoredSnapshot]:
        """Every snapshot, oldest first (a reopened campaign keeps its earlier ones)."""
        return [StoredSnapshot(row["id"], row["decision_id"], row["sha256"], row["content"])
                for row in self.db.execute("SELECT * FROM snapshots ORDER BY id")]

    def snapshot_rows(self, used_submissions: Iterable[int]) -> dict[str, list[dict]]:
        """The rows of every `SNAPSHOT_TABLES` table that results on these submissions read, in store order."""
        used = json.dumps(sorted(used_submissions))
        return {
            table: [dict(row) for row in self.db.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid",
                                                         {"used": used})]
            for table, where in SNAPSHOT_TABLES.items()
        }

    def load_rows(self, tables: dict[str, list[dict]]) -> None:
        """Insert rows as `snapshot_rows` gives them (into a fresh store: see `Store.in_memory`), in one transaction."""
        with self.transaction() as db:
            for table, rows in tables.items():
                if table not in EXPECTED_TABLES:
                    raise sqlite3.DatabaseError(f"no such table: {table}")
                for row in rows:
                    columns = ", ".join(f'"{name}"' for name in row)
                    marks = ", ".join("?" for _ in row)
                    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))
