"""Opening the store: the connection, its transactions, the migration runner, and SQLite's errors in the user's words.

The default rollback journal is used (not WAL): safe on a shared drive, and a writer killed before
commit leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from fazhi_cli.errors import FazhiError, WorkspaceError
from fazhi_cli.store.schema import EXPECTED_TABLES, MIGRATIONS, SCHEMA_SEALS, SCHEMA_VERSION
from fazhi_cli.store.seals import seal_earlier_records

RECOVERY_HINT = (
    "请从备份恢复 fazhi.db 到工作区文件夹。收到的原件都原样保存在 archive/ 中:如没有备份,"
    "可用 fazhi init 新建一个工作区,再用 fazhi ingest 把旧工作区 archive/ 中的文件重新收取一遍。"
)


def missing_store_error(path: Path) -> WorkspaceError:
    """The message for a workspace whose fazhi.db is gone (it is never silently recreated)."""
    return WorkspaceError(f"工作区的数据库 {path} 不见了(文件已被删除或移走)", RECOVERY_HINT)


# What SQLite says (lower case) → the user's message about the store (`{path}`) and what to do.
_SQLITE_PROBLEMS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("database or disk is full",), "磁盘已满,无法写入数据库 {path}",
     "请清理磁盘空间后重试;未完成的操作已整体撤销,数据库中已有的数据没有改动。"),
    (("readonly", "read-only"), "工作区只读,无法写入数据库 {path}",
     "请确认工作区所在的磁盘、共享文件夹或 U 盘可以写入,fazhi.db 未设为只读,然后重试。"),
    (("unable to open database",), "无法打开数据库 {path}", "请检查工作区文件夹是否存在、是否有读写权限,然后重试。"),
    (("disk i/o error",), "读写数据库 {path} 时出现磁盘错误",
     "请检查磁盘或共享文件夹是否正常(空间、连接、权限)后重试;未完成的操作已整体撤销。"),
    (("database is locked", "database is busy"), "数据库 {path} 正被另一个程序使用",
     "请等其他 fazhi 命令结束(或关闭正在查看 fazhi.db 的程序)后重试。"),
)

_UNUSABLE = frozenset({"readonly", "unable to open database"})


def sqlite_problem(error: sqlite3.Error, path: Path) -> FazhiError | None:
    """The user's version of an SQLite error that is not a bug (disk full, read-only, locked …), else None."""
    text = str(error).lower()
    for needles, message, hint in _SQLITE_PROBLEMS:
        if any(needle in text for needle in needles):
            unusable = needles[0] in _UNUSABLE  # a workspace that cannot be written: exit 2
            return (WorkspaceError if unusable else FazhiError)(message.format(path=path), hint)
    return None



class StoreBase:
    """A connection to the campaign's store, its transactions and its schema (the tables' own methods are
    `Store`'s); use `Store.open(path)` as a context manager."""

    def __init__(self, connection: sqlite3.Connection, secret: bytes | None = None) -> None:
        self.db = connection
        self.secret = secret  # the workspace's key, which seals the office's records (None: nothing is sealed)

    @classmethod
    @contextmanager
    def open(cls, path: Path, create: bool = False, secret: bytes | None = None) -> Iterator[Self]:
        """Open (migrating as needed) and close the store; with the workspace's `secret`, the office's records
        are sealed as they are written (see `seal_rows`).

        Only `create=True` (used by `fazhi init`) makes a new file: a missing store in an existing
        workspace is a `WorkspaceError` explaining how to recover, never an empty store in its place.
        A file that is not a fazhi store, or lacks one of its tables, is a `WorkspaceError` too; a full
        disk or a read-only workspace met while the store is open becomes a `FazhiError` in Chinese.
        """
        path = Path(path)
        if not create and not path.is_file():
            raise missing_store_error(path)
        uri = f"{path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise sqlite_problem(exc, path) or WorkspaceError(
                f"无法打开数据库 {path}: {exc}", "请检查文件夹权限。"
            ) from None
        connection.row_factory = sqlite3.Row
        store = cls(connection, secret)
        try:
            try:
                connection.execute("PRAGMA foreign_keys = ON")
                if not create and store.schema_version() == 0:
                    raise WorkspaceError(f"{path} 是空文件或不是 fazhi 的数据库", RECOVERY_HINT)
                store.migrate()
                store.check_tables(path)
            except sqlite3.DatabaseError as exc:
                raise sqlite_problem(exc, path) or WorkspaceError(
                    f"数据库 {path} 已损坏或不是 fazhi 的数据库", RECOVERY_HINT
                ) from None
            try:
                yield store
            except sqlite3.OperationalError as exc:
                problem = sqlite_problem(exc, path)
                if problem is None:
                    raise
                raise problem from None
        finally:
            connection.close()

    def check_tables(self, path: Path) -> None:
        """Every table of the schema is there (a store someone edited by hand may lack one)."""
        present = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = sorted(EXPECTED_TABLES - present)
        if missing:
            raise WorkspaceError(f"数据库 {path} 缺少数据表:{'、'.join(missing)}(可能被其他程序改动过)", RECOVERY_HINT)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: all of it is saved, or (on any exception or kill) none of it.

        Inside a transaction already open (a chunk of an ingest batch: `begin` … `commit`), it is a savepoint:
        on an exception its own writes are undone and the chunk's earlier ones kept, as if committed apart.
        """
        if self.db.in_transaction:
            with self._savepoint() as db:
                yield db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:  # SQLite may already have rolled back (e.g. on a full disk)
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("SAVEPOINT unit_of_work")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK TO unit_of_work")
                    self.db.execute("RELEASE unit_of_work")
            raise
        self.db.execute("RELEASE unit_of_work")

    def begin(self) -> None:
        """Open a transaction that the following units of work join (as savepoints) until `commit`."""
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Save the transaction opened by `begin` (rolled back if that fails)."""
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error:
            self.rollback()
            raise

    def rollback(self) -> None:
        """Undo the transaction opened by `begin`, if SQLite has not already."""
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def check_writable(self) -> None:
        """Write as a change would (the schema version, unchanged): a read-only fazhi.db or workspace folder is
        refused now, before a command writes files the store should have recorded."""
        with self.transaction() as db:
            db.execute(f"PRAGMA user_version = {self.schema_version()}")

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
                if MIGRATIONS[step] is SCHEMA_SEALS:
                    seal_earlier_records(db, self.secret)
                db.execute(f"PRAGMA user_version = {step + 1}")

    @classmethod
    @contextmanager
    def in_memory(cls) -> Iterator[Self]:
        """A fresh store with the current schema in memory (foreign keys not enforced: it holds a snapshot's
        rows, which need not carry every row they refer to); closed on exit."""
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.row_factory = sqlite3.Row
        try:
            store = cls(connection)
            store.migrate()
            yield store
        finally:
            connection.close()
