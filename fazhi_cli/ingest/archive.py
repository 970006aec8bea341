"""Keeping every file handed in: byte-for-byte under archive/, named by its SHA-256 (never by a name from
outside), written to a temporary name before anything else is done with it, flushed and renamed a chunk of
files at a time before the chunk's rows are committed."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from fazhi_cli.infra.files import atomic_write, complete_parts, user_write_errors
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import Batch

ARCHIVE_SUFFIX = {
    "xlsx": "xlsx", "xlsm": "xlsx.macro", "pdf": "pdf", "word": "doc", "image": "img", "text": "txt", "zip": "zip",
    "eml": "eml", "html": "html", "ods": "ods", "xls": "xls", "legacy": "xls", "encrypted": "ole",
}  # fmt: skip


def _relative_name(sha: str, kind: str) -> str:
    """Where bytes are kept under archive/: by their SHA-256, with a suffix for their kind."""
    return f"{sha[:2]}/{sha}.{ARCHIVE_SUFFIX.get(kind, 'bin')}"


def archive_bytes(archive: Path, data: bytes, kind: str) -> tuple[str, str]:
    """Keep the bytes under archive/ by SHA-256 (never by a name from outside); returns (sha256, relative name).

    Written through `atomic_write` (a `.part` file, flushed and renamed), so a crash never leaves a half file
    under the final name.
    """
    sha = hashlib.sha256(data).hexdigest()
    relative = _relative_name(sha, kind)
    target = archive / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda part: part.write_bytes(data))
    return sha, relative


def archive_file(archive: Path, source: Path, kind: str) -> tuple[str, str]:
    """Keep a file too large to hold in memory: streamed into archive/ while hashed, then named by its SHA-256."""
    archive.mkdir(parents=True, exist_ok=True)
    temporary = archive / f"incoming.{os.getpid()}.part"
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as reader, open(temporary, "wb") as writer:
            while block := reader.read(1024 * 1024):
                digest.update(block)
                writer.write(block)
            writer.flush()
            os.fsync(writer.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)  # a half copy is never left behind
        raise
    sha = digest.hexdigest()
    relative = _relative_name(sha, kind)
    target = archive / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        temporary.unlink()
    else:
        os.replace(temporary, target)
    return sha, relative


def keep(batch: Batch, item: Incoming) -> tuple[str, str]:
    """Keep an incoming file's bytes under archive/ (a too-large one streamed from its path): written to its
    `.part` now, flushed and renamed with the rest of the chunk before the chunk's rows are committed
    (`flush_kept`)."""
    if item.source is not None and not item.data:
        try:
            return archive_file(batch.workspace.archive, item.source, item.kind)
        except OSError:
            pass  # gone or unreadable since it was found: nothing more than its (empty) data can be kept
    sha = hashlib.sha256(item.data).hexdigest()
    relative = _relative_name(sha, item.kind)
    target = batch.workspace.archive / relative
    if relative not in batch.unflushed and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        try:
            with user_write_errors(target):
                part.write_bytes(item.data)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
            raise
        batch.unflushed[relative] = part
    return sha, relative


def flush_kept(batch: Batch) -> None:
    """Make the chunk's kept files durable: every `.part` flushed (together), renamed over its name, and each
    folder flushed once. Called before the chunk's rows are committed: a row never names a file not yet there."""
    archive = batch.workspace.archive
    written = [(part, archive / relative) for relative, part in batch.unflushed.items()]
    batch.unflushed.clear()
    if written:
        complete_parts(written)


