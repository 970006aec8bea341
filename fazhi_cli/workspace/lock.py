"""The workspace lock: an exclusive `flock` on fazhi.lock, held by every command that writes the workspace, so
that two never interleave. The system releases it when its holder ends, even when killed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fazhi_cli.errors import WorkspaceError
from fazhi_cli.infra.files import user_write_errors

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@contextmanager
def lock(path: Path, root: Path, wait_seconds: float = 10) -> Iterator[None]:
    """Hold the lock file `path` of the workspace at `root` (an exclusive `flock`) for the commands that write it.

    Waits up to `wait_seconds` for another fazhi command to finish, then raises `WorkspaceError`.
    The system releases the lock when its holder ends, even when killed, so a stale fazhi.lock never
    blocks. Not re-entrant: a second `lock()` in the same process waits for the first.
    """
    with user_write_errors(path):
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(descriptor):
            if time.monotonic() >= deadline:
                raise WorkspaceError(
                    f"另一个 fazhi 命令正在使用此工作区 {root}(已等待 {wait_seconds:g} 秒)",
                    "请等另一个命令(收取、生成、出报告等)结束后再运行。锁在那个命令结束时"
                    "(包括被强行关闭时)自动解除,无需删除 fazhi.lock。",
                )
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(descriptor)
    finally:
        os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt  # pragma: no cover - Windows

    try:  # pragma: no cover - Windows
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:  # pragma: no cover - Windows
        return False
    return True  # pragma: no cover - Windows


def _unlock(descriptor: int) -> None:
    if fcntl is not None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return
    import msvcrt  # pragma: no cover - Windows

    os.lseek(descriptor, 0, os.SEEK_SET)  # pragma: no cover - Windows
    msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)  # pragma: no cover - Windows
