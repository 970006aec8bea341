"""The SQLite store in the campaign folder: the only module that writes saved state.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` takes a store from version n to
n + 1, so a later release opens an older campaign and brings it up to date in one transaction.
The default rollback journal is used (not WAL): safe on a shared drive, and a writer killed before
commit leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import WorkspaceError

SCHEMA_V1 = """
CREATE TABLE units (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('department', 'township')),
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
-- every file handed in, kept byte-for-byte under archive/ by its SHA-256
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    archive_name TEXT NOT NULL,
    original_name TEXT NOT NULL,
    origin TEXT NOT NULL,
    received_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    unit TEXT,
    message TEXT,
    batch TEXT NOT NULL
);
CREATE INDEX files_sha ON files (sha256);
-- a unit's returned self-assessment workbook; the current one is the latest received
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units (name),
    file_id INTEGER NOT NULL REFERENCES files (id),
    sha256 TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]'
);
-- what was read from a submission, raw (JSON-encoded cell value) with the cell it came from
CREATE TABLE submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    ref TEXT NOT NULL,
    field TEXT NOT NULL,
    raw TEXT,
    cell TEXT,
    PRIMARY KEY (submission_id, ref, field)
);
-- other files a unit sent with its workbook: 工作总结, 佐证材料
CREATE TABLE materials (
    file_id INTEGER NOT NULL REFERENCES files (id),
    unit TEXT NOT NULL REFERENCES units (name),
    PRIMARY KEY (file_id, unit)
);
-- the office's 核定得分, layered over the self scores, never erased, the latest per (unit, ref) counts
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units (name),
    ref TEXT NOT NULL,
    raw TEXT,
    cell TEXT,
    file_id INTEGER NOT NULL REFERENCES files (id),
    taken_at TEXT NOT NULL
);
"""

MIGRATIONS: tuple[str, ...] = (SCHEMA_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """A connection to the campaign's store; use `Store.open(path)` as a context manager."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    @contextmanager
    def open(cls, path: Path) -> Iterator[Store]:
        """Open (creating or migrating as needed) and close the store."""
        try:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise WorkspaceError(f"无法打开数据库 {path}: {exc}", "请检查文件夹权限。") from None
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        store = cls(connection)
        try:
            store.migrate()
            yield store
        finally:
            connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: all of it is saved, or (on any exception or kill) none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        """The store's schema version (0 for a new file)."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Bring the schema up to `SCHEMA_VERSION`, one transaction per step."""
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                f"数据库的版本({version})比本程序支持的({SCHEMA_VERSION})更新", "请升级 fazhi 后再使用此工作区。"
            )
        for step in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                for statement in MIGRATIONS[step].split(";\n"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {step + 1}")

    def sync_units(self, units: Iterable[Unit]) -> None:
        """Record the roster's units (new ones added, contacts updated; history never deleted)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO units (name, type, contact, phone, email) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET type = excluded.type, contact = excluded.contact, "
                "phone = excluded.phone, email = excluded.email",
                [(u.name, u.type, u.contact, u.phone, u.email) for u in units],
            )

    def unit_names(self) -> list[str]:
        """The names of the units recorded in the store."""
        return [row["name"] for row in self.db.execute("SELECT name FROM units ORDER BY name")]
