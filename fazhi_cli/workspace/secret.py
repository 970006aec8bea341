"""The workspace's secret: fazhi.secret, a 32-byte random key (mode 0600) that seals the office's records in the
store. It is never printed or copied into any output.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from fazhi_cli.errors import WorkspaceError
from fazhi_cli.infra.files import user_write_errors

SECRET_BYTES = 32


def read_secret(path: Path) -> bytes:
    """The key in `path`, made (mode 0600, atomically) the first time it is needed.

    Never print it or copy it into any output.
    """
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _create_secret(path)
    except OSError as exc:
        raise WorkspaceError(f"无法读取工作区密钥 {path}: {exc.strerror}", "请检查文件权限。") from None
    if len(key) != SECRET_BYTES:
        raise WorkspaceError(
            f"工作区密钥 {path} 已损坏(长度不对)",
            "请从备份恢复 fazhi.secret。如没有备份,可删除它(将生成新密钥),"
            "但此前发出的自评表需用 fazhi generate --force 重新生成并重新下发。",
        )
    return key


def _create_secret(path: Path) -> bytes:
    """Write a new key to a private temporary file and link it into place; the first writer wins."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.part")
    with user_write_errors(path):
        try:
            temporary.unlink(missing_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(descriptor, secrets.token_bytes(SECRET_BYTES))
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another command made it first: use that one
            except OSError:  # no hard links on this file system (some USB drives, shares)
                if not path.exists():
                    os.replace(temporary, path)
            return path.read_bytes()
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
