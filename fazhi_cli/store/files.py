"""The files handed in and the submissions read from them: the `units`, `files`, `submissions`,
`submission_values` and `materials` tables.

`insert_file` and `insert_submission` write a file's and a submission's rows on the caller's connection: the
other table families record the file their rows come from with them, in one transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, replace
from json.encoder import encode_basestring

from fazhi_cli.domain.units import Unit
from fazhi_cli.store.connection import StoreBase


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


@dataclass(frozen=True)
class StoredValue:
    """A raw value read from a submission (JSON-decoded) and its cell."""

    ref: str
    field: str
    raw: object
    cell: str | None


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


def insert_file(db: sqlite3.Connection, record: FileRecord) -> int:
    """Insert a file's record (in the caller's transaction); returns its id."""
    cursor = db.execute(
        "INSERT INTO files (sha256, size, archive_name, original_name, origin, received_at, taken_at, kind, "
        "outcome, unit, message, batch, code, sent_at, file_time, sender, other_unit) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.sha256, record.size, record.archive_name, record.original_name, record.origin, record.received_at,
         record.taken_at, record.kind, record.outcome, record.unit, record.message, record.batch, record.code,
         record.sent_at, record.file_time, record.sender, record.other_unit),
    )
    return int(cursor.lastrowid)


def insert_submission(db: sqlite3.Connection, record: FileRecord, rubric_id: str, changes: list[dict],
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


class FileTables(StoreBase):
    """The `Store`'s methods for the units, the files handed in, the submissions read from them and their
    values, and the materials sent with them."""

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
            return insert_file(db, record)

    def record_submission(
        self, record: FileRecord, rubric_id: str, changes: list[dict], values: Iterable[StoredValue],
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
                file_id = insert_file(db, record)
                return insert_submission(db, replace(record, id=file_id), rubric_id, changes, values, generated_at)
        except sqlite3.IntegrityError:
            if self.submission_by_sha(record.sha256) is not None:
                return None
            raise

    def file_seen(self, sha256: str, origin: str, original_name: str) -> bool:
        """True when a file with these bytes, from this origin and under this name, is recorded already."""
        return self.db.execute("SELECT 1 FROM files WHERE sha256 = ? AND origin = ? AND original_name = ? LIMIT 1",
                               (sha256, origin, original_name)).fetchone() is not None

    def note_on_file(self, file_id: int, message: str, code: str) -> None:
        """Say more of a recorded file (what was found once its content was recorded): its message and code."""
        with self.transaction() as db:
            db.execute("UPDATE files SET message = ?, code = ? WHERE id = ?", (message, code, file_id))

    def record_material(self, record: FileRecord) -> int:
        """Record a file a unit sent along with its workbook (工作总结, 佐证材料)."""
        with self.transaction() as db:
            file_id = insert_file(db, record)
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
