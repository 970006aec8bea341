"""The SQLite store in the campaign folder: the only module that writes saved state.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` takes a store from version n to
n + 1, so a later release opens an older campaign and brings it up to date in one transaction.
The default rollback journal is used (not WAL): safe on a shared drive, and a writer killed before
commit leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring

from fazhi_cli.domain.seals import DECISIONS, REVIEWS, ChainHead, SealedRow
from fazhi_cli.domain.submissions import FileDecision, current_submissions, decisions_in_force
from fazhi_cli.domain.units import Unit
from fazhi_cli.store.connection import (  # noqa: F401  (re-exported)
    RECOVERY_HINT,
    StoreBase,
    missing_store_error,
    sqlite_problem,
)
from fazhi_cli.store.schema import (  # noqa: F401  (re-exported)
    EXPECTED_TABLES,
    MIGRATIONS,
    SCHEMA_APPROVAL,
    SCHEMA_HELD,
    SCHEMA_LEDGER,
    SCHEMA_MAIL,
    SCHEMA_MAIL_DIGEST,
    SCHEMA_SEALS,
    SCHEMA_V1,
    SCHEMA_V2,
    SCHEMA_V3,
    SCHEMA_V4,
    SCHEMA_VERSION,
    SEALED_COLUMNS,
    SNAPSHOT_TABLES,
)
from fazhi_cli.store.seals import SealHeadMissing, seal_appended, seal_head, sealed_rows  # noqa: F401


@dataclass(frozen=True)
class FileRecord:
    """A file handed in, as recorded: where it is archived, where it came from and what became of it."""

    sha256: str
    size: int
    archive_name: str
    original_name: str
    origin: str
    received_at: str
    taken_at: str
    kind: str
    outcome: str
    unit: str | None
    message: str | None
    batch: str
    code: str | None = None  # a stable code for the outcome (corrupt, unfilled, identity_unverified, …)
    sent_at: str | None = None  # the e-mail's Date header, as the sender's system wrote it
    file_time: str | None = None  # the file's own time, as the sender's system set it
    id: int | None = None  # the store's id, once recorded
    sender: str | None = None  # the From and Sender addresses of the e-mail it came in (lower case, ", " between)
    other_unit: str | None = None  # for an identity conflict: the roster unit the evidence names


StoredFile = FileRecord  # a file as the store returns it: the record, with its `id`


@dataclass(frozen=True)
class StoredSubmission:
    """A recorded submission with what its file's record says of it (as the store returns it)."""

    id: int
    unit: str
    file_id: int
    sha256: str
    received_at: str
    taken_at: str
    rubric_id: str
    changes: list[dict]  # ContentChange fields, decoded from JSON
    generated_at: str | None
    original_name: str
    archive_name: str
    sent_at: str | None
    file_time: str | None
    origin: str
    sender: str | None = None  # the addresses of the e-mail it came in, as the file's record keeps them


def _stored_file(row: sqlite3.Row | None) -> StoredFile | None:
    if row is None:
        return None
    return FileRecord(**{name: row[name] for name in FileRecord.__dataclass_fields__})


def _stored_submission(row: sqlite3.Row) -> StoredSubmission:
    values = {name: row[name] for name in StoredSubmission.__dataclass_fields__ if name != "changes"}
    return StoredSubmission(changes=json.loads(row["changes"]), **values)


_SCALARS: dict[str, object] = {}  # decoded JSON text → its value, for texts, numbers, booleans and null
_SCALARS_KEPT = 65536
# A JSON string with nothing escaped in it (most notes and evidence): its text is what lies between the quotes.
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')


def _decoded(raw: str | None) -> object:
    """A value's JSON decoded; the same few answers (是, 否, 0, full marks, null for a blank) recur in every unit, so
    a scalar is decoded once and shared (immutable; a list or an object is decoded afresh every time)."""
    if raw is None:
        return None
    value = _SCALARS.get(raw, _SCALARS)
    if value is _SCALARS:
        plain = _PLAIN_STRING.fullmatch(raw)
        value = raw[1:-1] if plain else json.loads(raw)
        if isinstance(value, str | int | float | bool | None) and len(_SCALARS) < _SCALARS_KEPT:
            _SCALARS[raw] = value
    return value


@dataclass(frozen=True)
class StoredValue:
    """A raw value read from a submission (JSON-decoded) and its cell."""

    ref: str
    field: str
    raw: object
    cell: str | None


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
class LedgerRow:
    """One row of a returned ledger as recorded: its record (sheet), unit, fields (JSON-decoded) and cell; a
    row that was not taken carries the `problem` instead."""

    record: str
    unit: str | None
    data: dict
    cell: str | None
    problem: str | None = None
    file_name: str = ""  # the ledger file it came from (as the store returns it)


@dataclass(frozen=True)
class SentMail:
    """A message handed to the SMTP server: `outcome` is `sent` (the server accepted it) or `failed` (`error`)."""

    time: str
    kind: str  # send, remind
    unit: str
    message_id: str
    recipients: tuple[str, ...]
    subject: str = ""
    attachment: str = ""
    attachment_sha256: str = ""
    outcome: str = "sent"
    error: str = ""
    basis: str = ""  # what a reminder was about (missing, or the submission's SHA-256 with errors) and its day
    id: int | None = None


@dataclass(frozen=True)
class FetchedMail:
    """A message examined on the IMAP server, once: taken (`ingested`) or passed over (with the `note`)."""

    time: str
    folder: str
    uidvalidity: int
    uid: int
    message_id: str = ""
    received_at: str = ""  # the server's INTERNALDATE
    sender: str = ""
    subject: str = ""
    outcome: str = "ingested"
    note: str = ""
    units: tuple[str, ...] = ()  # the units whose files it brought
    id: int | None = None
    content_sha256: str = ""  # of the message's bytes, when it was downloaded


@dataclass(frozen=True)
class StoredSnapshot:
    """A frozen snapshot as stored: its approving decision, the hash recorded with it, and its content."""

    id: int
    decision_id: int
    sha256: str
    content: str


def _record_file(db: sqlite3.Connection, record: FileRecord) -> int:
    cursor = db.execute(
        "INSERT INTO files (sha256, size, archive_name, original_name, origin, received_at, taken_at, kind, "
        "outcome, unit, message, batch, code, sent_at, file_time, sender, other_unit) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.sha256, record.size, record.archive_name, record.original_name, record.origin, record.received_at,
         record.taken_at, record.kind, record.outcome, record.unit, record.message, record.batch, record.code,
         record.sent_at, record.file_time, record.sender, record.other_unit),
    )
    return int(cursor.lastrowid)


def _insert_submission(db: sqlite3.Connection, record: FileRecord, rubric_id: str, changes: list[dict],
                       values: Iterable[StoredValue], generated_at: str | None) -> int:
    """Insert the submission read from the recorded file `record` (its `id` set) and its values."""
    cursor = db.execute(
        "INSERT INTO submissions (unit, file_id, sha256, received_at, taken_at, rubric_id, changes, "
        "generated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (record.unit, record.id, record.sha256, record.received_at, record.taken_at, rubric_id,
         json.dumps(changes, ensure_ascii=False), generated_at),
    )
    submission_id = int(cursor.lastrowid)
    db.executemany(
        "INSERT INTO submission_values (submission_id, ref, field, raw, cell) VALUES (?, ?, ?, ?, ?)",
        [(submission_id, v.ref, v.field, raw_json(v.raw), v.cell) for v in values],
    )
    return submission_id


_PLAIN_JSON = {type(None): lambda _: "null", str: encode_basestring, int: int.__repr__}


def raw_json(raw: object) -> str:
    """A cell value as JSON text, exactly as `json.dumps(raw, ensure_ascii=False)` writes it: the plain types a
    workbook holds (empty, text, whole numbers) encoded directly, a hundred thousand at a time; others by json."""
    plain = _PLAIN_JSON.get(type(raw))
    return plain(raw) if plain is not None else json.dumps(raw, ensure_ascii=False)


class Store(StoreBase):
    """A connection to the campaign's store; use `Store.open(path)` as a context manager."""

    def sync_units(self, units: Iterable[Unit]) -> None:
        """Record the roster's units (new ones added, contacts updated; history never deleted)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO units (name, type, contact, phone, email) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET type = excluded.type, contact = excluded.contact, "
                "phone = excluded.phone, email = excluded.email",
                [(u.name, u.type, u.contact, u.phone, u.email) for u in units],
            )

    def record_file(self, record: FileRecord) -> int:
        """Record one file (refused, material, container …) in its own transaction; returns its id."""
        with self.transaction() as db:
            return _record_file(db, record)

    def record_submission(
        self: Store, record: FileRecord, rubric_id: str, changes: list[dict], values: Iterable[StoredValue],
        generated_at: str | None = None,
    ) -> int | None:
        """Record a workbook file and the submission read from it, all in one transaction.

        Returns the new submission's id, or None when a submission with the same bytes (sha256) is
        already recorded — e.g. by another `fazhi ingest` that got there first. Then nothing is written
        and the caller should treat the file as a duplicate; a `sqlite3.IntegrityError` never escapes.
        """
        try:
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM submissions WHERE sha256 = ?", (record.sha256,)).fetchone():
                    return None
                file_id = _record_file(db, record)
                return _insert_submission(db, replace(record, id=file_id), rubric_id, changes, values, generated_at)
        except sqlite3.IntegrityError:
            if self.submission_by_sha(record.sha256) is not None:
                return None
            raise

    def accept_held(
        self, held: StoredFile, unit: str, rubric_id: str, changes: list[dict], values: Iterable[StoredValue],
        generated_at: str | None, decision: Decision,
    ) -> int:
        """The office's accept of a held workbook: its submission (read again from the archived original, credited
        to `unit`) and the decision, in one transaction; returns the decision's id. The file's row is kept as it
        was recorded."""
        with self.transaction() as db:
            _insert_submission(db, replace(held, unit=unit), rubric_id, changes, values, generated_at)
            return self.record_decision(decision, db)

    def record_material(self, record: FileRecord) -> int:
        """Record a file a unit sent along with its workbook (工作总结, 佐证材料)."""
        with self.transaction() as db:
            file_id = _record_file(db, record)
            db.execute("INSERT INTO materials (file_id, unit) VALUES (?, ?)", (file_id, record.unit))
            return file_id

    def link_material(self, file_id: int, unit: str) -> bool:
        """Link an archived file to one more unit that sent it with its workbook; False if already linked."""
        with self.transaction() as db:
            cursor = db.execute("INSERT OR IGNORE INTO materials (file_id, unit) VALUES (?, ?)", (file_id, unit))
            return cursor.rowcount > 0

    def file_by_id(self, file_id: int) -> StoredFile | None:
        """The recorded file with this id, or None."""
        return _stored_file(self.db.execute("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone())

    def files(self) -> list[StoredFile]:
        """Every recorded file, in the order received."""
        return [_stored_file(row) for row in self.db.execute("SELECT * FROM files ORDER BY id")]

    def material_links(self) -> dict[int, list[str]]:
        """File id → the units it is kept as a material of (in the order linked)."""
        links: dict[int, list[str]] = {}
        for row in self.db.execute("SELECT file_id, unit FROM materials ORDER BY rowid"):
            links.setdefault(row["file_id"], []).append(row["unit"])
        return links

    def file_by_sha(self, sha256: str) -> StoredFile | None:
        """The first recorded file with these bytes, or None."""
        return _stored_file(
            self.db.execute("SELECT * FROM files WHERE sha256 = ? ORDER BY id LIMIT 1", (sha256,)).fetchone()
        )

    def file_by_sha_and_outcome(self, sha256: str, outcome: str) -> StoredFile | None:
        """The first file with these bytes recorded with this outcome, or None."""
        return _stored_file(self.db.execute(
            "SELECT * FROM files WHERE sha256 = ? AND outcome = ? ORDER BY id LIMIT 1", (sha256, outcome)
        ).fetchone())

    def submission_by_sha(self, sha256: str) -> StoredSubmission | None:
        """The submission read from a file with these bytes, or None."""
        found = self._submissions("s.sha256 = ?", (sha256,))
        return found[0] if found else None

    def submissions(self, unit: str | None = None) -> list[StoredSubmission]:
        """Every submission (of one unit), newest received first; ties settled by ingest order."""
        return self._submissions("s.unit = ?", (unit,)) if unit is not None else self._submissions("1", ())

    def _submissions(self, where: str, args: tuple) -> list[StoredSubmission]:
        sql = ("SELECT s.*, f.original_name, f.archive_name, f.sent_at, f.file_time, f.origin, f.sender "
               f"FROM submissions s JOIN files f ON f.id = s.file_id WHERE {where} "
               "ORDER BY s.received_at DESC, s.id DESC")
        return [_stored_submission(row) for row in self.db.execute(sql, args)]

    def current_submissions(self) -> dict[str, StoredSubmission]:
        """Each unit's current submission: the latest received, or accepted by the office since, and not rejected
        (ties: the one ingested last); see `domain.submissions`."""
        return current_submissions(self.submissions(), self.file_decisions())

    def file_decisions(self) -> dict[int, FileDecision]:
        """The decision in force (the latest accept, reject or dismiss) on each file decided."""
        return decisions_in_force(self.decisions())

    def submission_values(self, submission_id: int) -> list[StoredValue]:
        """The raw values read from one submission."""
        return [StoredValue(*row) for row in self.submission_value_rows(submission_id)]

    def submission_value_rows(self, submission_id: int) -> list[tuple[str, str, object, str | None]]:
        """The raw values read from one submission as (ID, field, raw, cell) tuples: validate and score read a
        thousand units' values at once. IDs, fields and cells are the same few hundred strings in every unit's
        submission, so they are shared."""
        cursor = self.db.cursor()
        cursor.row_factory = None
        cursor.execute("SELECT ref, field, raw, cell FROM submission_values WHERE submission_id = ?", (submission_id,))
        return [(sys.intern(ref), sys.intern(name), _decoded(raw), None if cell is None else sys.intern(cell))
                for ref, name, raw, cell in cursor]

    def refused_files(self) -> list[StoredFile]:
        """Files refused at ingest, one per distinct content, oldest first."""
        return self._first_of_each_content("refused")

    def held_files(self) -> list[StoredFile]:
        """Files held at ingest (an identity that does not verify), one per distinct content, oldest first."""
        return self._first_of_each_content("held")

    def _first_of_each_content(self, outcome: str) -> list[StoredFile]:
        return [_stored_file(row) for row in self.db.execute(
            "SELECT * FROM files WHERE outcome = ? AND id IN (SELECT MIN(id) FROM files GROUP BY sha256) ORDER BY id",
            (outcome,),
        )]

    def materials(self, unit: str | None = None) -> list[StoredFile]:
        """Files kept as a unit's materials."""
        sql = "SELECT f.* FROM materials m JOIN files f ON f.id = m.file_id"
        if unit is None:
            return [_stored_file(row) for row in self.db.execute(sql + " ORDER BY f.id")]
        return [_stored_file(row) for row in self.db.execute(sql + " WHERE m.unit = ? ORDER BY f.id", (unit,))]

    def materials_by_unit(self) -> dict[str, list[StoredFile]]:
        """Every unit's materials in one query (asked unit by unit, SQLite scans the files for each: quadratic)."""
        by_unit: dict[str, list[StoredFile]] = {}
        sql = "SELECT m.unit AS material_unit, f.* FROM materials m JOIN files f ON f.id = m.file_id ORDER BY f.id"
        for row in self.db.execute(sql):
            by_unit.setdefault(row["material_unit"], []).append(_stored_file(row))
        return by_unit

    def record_reviews(self, record: FileRecord, rows: Iterable[ReviewEntry]) -> int:
        """Record a review sheet and the office's decisions in it (values and withdrawals) in one transaction."""
        with self.transaction() as db:
            file_id = _record_file(db, record)
            first = db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0]
            db.executemany(
                "INSERT INTO reviews (unit, ref, raw, cell, reason, withdrawn, file_id, taken_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.unit, e.ref, None if e.withdrawn else json.dumps(e.raw, ensure_ascii=False), e.cell,
                  e.reason or None, int(e.withdrawn), file_id, record.taken_at) for e in rows],
            )
            added = [row[0] for row in db.execute("SELECT id FROM reviews WHERE id > ? ORDER BY id", (first,))]
            seal_appended(db, self.secret, REVIEWS, added)
            return file_id

    def review_history(self) -> list[ReviewEntry]:
        """Every decision taken from review sheets, in order (withdrawals included)."""
        return [
            ReviewEntry(row["unit"], row["ref"], None if row["raw"] is None else json.loads(row["raw"]), row["cell"],
                        row["reason"] or "", bool(row["withdrawn"]), row["taken_at"], row["id"])
            for row in self.db.execute("SELECT * FROM reviews ORDER BY id")
        ]

    def last_review_id(self) -> int:
        """The id of the last decision taken from a review sheet (0 when none)."""
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM reviews").fetchone()[0])

    def office_values(self, upto: int | None = None) -> dict[str, dict[str, ReviewEntry]]:
        """The office's values in force per unit and ref: the latest decision, unless it is a withdrawal; with
        `upto`, as they were once the decision of that id was recorded."""
        latest: dict[str, dict[str, ReviewEntry]] = {}
        for entry in self.review_history():
            if upto is not None and entry.id is not None and entry.id > upto:
                break
            by_ref = latest.setdefault(entry.unit, {})
            if entry.withdrawn:
                by_ref.pop(entry.ref, None)
            else:
                by_ref[entry.ref] = entry
        return latest


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

    def record_ledger(self, record: FileRecord, covered: Iterable[str], rows: Iterable[LedgerRow]) -> int:
        """Record a returned ledger: the file, the records (sheets) it covers and its rows, in one transaction."""
        with self.transaction() as db:
            file_id = _record_file(db, record)
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

    def seal_head(self, chain: str) -> ChainHead | None:
        """A chain's sealed head as stored, or None when there is none."""
        return seal_head(self.db, chain)

    def sealed_rows(self, chain: str) -> list[SealedRow]:
        """Every record of a chain as stored, in id order: the content its seal covers and the seal."""
        return sealed_rows(self.db, chain)

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

    def record_sent(self, mail: SentMail) -> int:
        """Record one message handed to the SMTP server, in its own transaction; returns its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO mail_sent (time, kind, unit, basis, message_id, recipients, subject, attachment, "
                "attachment_sha256, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (mail.time, mail.kind, mail.unit, mail.basis, mail.message_id,
                 json.dumps(list(mail.recipients), ensure_ascii=False), mail.subject, mail.attachment,
                 mail.attachment_sha256, mail.outcome, mail.error),
            )
            return int(cursor.lastrowid)

    def sent_mail(self, kind: str | None = None) -> list[SentMail]:
        """Every message recorded (of one kind), oldest first."""
        where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        return [
            SentMail(row["time"], row["kind"], row["unit"], row["message_id"], tuple(json.loads(row["recipients"])),
                     row["subject"], row["attachment"], row["attachment_sha256"], row["outcome"], row["error"],
                     row["basis"], row["id"])
            for row in self.db.execute(f"SELECT * FROM mail_sent {where} ORDER BY id", args)
        ]

    def record_fetched(self, mails: Iterable[FetchedMail]) -> None:
        """Record messages examined on the IMAP server, in one transaction (one already recorded is left as it is)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO mail_fetched (time, folder, uidvalidity, uid, message_id, received_at, sender, "
                "subject, outcome, note, units, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(m.time, m.folder, m.uidvalidity, m.uid, m.message_id, m.received_at, m.sender, m.subject, m.outcome,
                  m.note, json.dumps(list(m.units), ensure_ascii=False), m.content_sha256) for m in mails],
            )

    def fetched_uids(self, folder: str, uidvalidity: int) -> set[int]:
        """The UIDs of a folder (in this UIDVALIDITY) already examined."""
        return {row[0] for row in self.db.execute(
            "SELECT uid FROM mail_fetched WHERE folder = ? AND uidvalidity = ?", (folder, uidvalidity))}

    def fetched_digests(self) -> dict[str, set[tuple[str, str]]]:
        """The messages already taken, Message-ID → {(sender, SHA-256 of its bytes)} (blank Message-IDs left out;
        the SHA-256 is blank for a message taken before it was recorded)."""
        taken: dict[str, set[tuple[str, str]]] = {}
        for message_id, sender, digest in self.db.execute(
                "SELECT message_id, sender, content_sha256 FROM mail_fetched WHERE message_id != '' "
                "AND outcome = 'ingested'"):
            taken.setdefault(message_id, set()).add((sender, digest))
        return taken

    def fetched_mail(self) -> list[FetchedMail]:
        """Every message examined on the IMAP server, oldest first."""
        return [
            FetchedMail(row["time"], row["folder"], row["uidvalidity"], row["uid"], row["message_id"],
                        row["received_at"], row["sender"], row["subject"], row["outcome"], row["note"],
                        tuple(json.loads(row["units"])), row["id"], row["content_sha256"])
            for row in self.db.execute("SELECT * FROM mail_fetched ORDER BY id")
        ]
