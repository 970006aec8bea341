"""Writing files so that a full disk, a read-only folder or a crash never leaves half a file behind.

Every file fazhi writes goes to `<name>.part` beside its target, is flushed to disk, then renamed over
the target: a reader sees the old file or the new one, never a torn one, and a failure leaves no `.part`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NoReturn

from fazhi_cli.errors import FazhiError, UsageError

# no room: the disk is full, the user's quota is used up, or the file would pass the size a volume or `ulimit -f` allows
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
WRITE_ERRNOS = DISK_FULL | NOT_WRITABLE
_LIMIT_REACHED = {errno.EDQUOT: "(已用完磁盘配额)", errno.EFBIG: "(文件超过了磁盘或系统允许的大小)"}
FLUSHERS = 8  # threads flushing and renaming a batch of files (they wait on the disk, not on the processor)


def write_error(error: OSError, target: Path | str | None = None) -> FazhiError | None:
    """The user's version of an OSError met while writing, else None: a full disk (or quota, or file size limit) a
    `FazhiError` (exit 1), a read-only place or no permission a `UsageError` (exit 2: the workspace is unusable)."""
    where = target if target is not None else (error.filename or "")
    named = f" {where}" if where else ""
    if error.errno in DISK_FULL:
        return FazhiError(
            f"磁盘已满,无法写入{named}{_LIMIT_REACHED.get(error.errno, '')}",
            "请清理磁盘空间(或换到空间充足的磁盘,或请管理员放宽配额和文件大小限制)后重试;已写好的文件和数据库都没有改动。",
        )
    if error.errno in NOT_WRITABLE:  # an unusable workspace (or target): exit 2, as for wrong usage
        return UsageError(
            f"工作区只读或没有写入权限,无法写入{named}",
            "请确认工作区所在的磁盘、共享文件夹或 U 盘可以写入(未设为只读、有写入权限)后重试。",
        )
    return None


@contextlib.contextmanager
def user_write_errors(target: Path | str | None = None) -> Iterator[None]:
    """Turn an OSError for a full disk or an unwritable folder into the user's `FazhiError`; others pass."""
    try:
        yield
    except OSError as exc:
        problem = write_error(exc, target)
        if problem is None:
            raise
        raise problem from None


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(part)` to fill `<target>.part` in the target's folder, flush it to disk and rename it
    over `target`.

    On any exception the `.part` file is removed and the exception re-raised; an OSError for a full disk
    or an unwritable folder becomes a `FazhiError` naming the target file.
    """
    temporary = target.with_name(target.name + ".part")
    try:
        write(temporary)
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException as exc:
        _drop_half_written(exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            problem = write_error(exc, target)
            if problem is not None:
                raise problem from None
        raise
    _fsync_folder(target.parent)


def atomic_write_all(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write each `(target, content)` as `atomic_write` does, with one wait on the disk for them all.

    Every `.part` file is written first, then all are flushed and renamed over their targets, then each folder is
    flushed once: a batch of small files waits on the disk far less than file by file. When writing
    one fails, the ones before it are still completed (as file by file), its `.part` is removed and the
    exception re-raised, an OSError for a full disk or an unwritable folder as a `FazhiError`.
    """
    written: list[tuple[Path, Path]] = []  # (.part, target)
    current: tuple[Path, Path] | None = None  # the one being written
    try:
        for target, content in files:
            current = target.with_name(target.name + ".part"), target
            current[0].write_bytes(content)
            written.append(current)
            current = None
    except BaseException as exc:
        _drop_half_written(exc)
        _discard([current] if current else [])
        complete_parts(written)
        _raise_for_user(exc, current[1] if current else None)
    complete_parts(written)


def complete_parts(written: list[tuple[Path, Path]]) -> None:
    """Flush each written `(part, target)` and rename the `.part` over its target, then flush their folders (on a
    failure the remaining `.part` files are removed, and an OSError for a full disk or an unwritable folder is
    raised as the user's `FazhiError`).

    A few threads flush and rename at once, and flush the folders at once (the archive spreads a chunk's files
    over up to 256 folders): the disk commits waits that come together in one go.
    """
    with ThreadPoolExecutor(FLUSHERS) as flushers:
        try:
            list(flushers.map(_fsync, [temporary for temporary, _ in written]))
            list(flushers.map(_rename, written))
        except BaseException as exc:
            _drop_half_written(exc)
            _discard(written)  # the ones renamed have no .part left
            _raise_for_user(exc, written[0][1].parent)  # the folder: a failed flush does not say which file
        list(flushers.map(_fsync_folder, dict.fromkeys(target.parent for _, target in written)))


def _rename(written: tuple[Path, Path]) -> None:
    os.replace(*written)


def _discard(parts: list[tuple[Path, Path]]) -> None:
    for temporary, _ in parts:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _raise_for_user(error: BaseException, target: Path | None) -> NoReturn:
    """Re-raise `error`, an OSError for a full disk or an unwritable folder as the user's `FazhiError`."""
    if isinstance(error, OSError):
        problem = write_error(error, target)
        if problem is not None:
            raise problem from None
    raise error


def _drop_half_written(error: BaseException) -> None:
    """Let go of the writer's half-written objects now, quietly.

    A writer that failed on a full disk (openpyxl's ZipFile, a buffered file) is kept alive by the
    traceback; when it is finally collected it tries to flush again and Python prints "Exception ignored
    in … Traceback" on stderr. Clearing the finished frames frees it here, with that report switched off.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        traceback.clear_frames(error.__traceback__)
    finally:
        sys.unraisablehook = hook


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
