"""Every archived original against the SHA-256 recorded when it was taken: a file changed, replaced or gone is
named by its path under archive/."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fazhi_cli.store import Store

_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class OriginalProblem:
    """An archived original that does not verify: its path under the workspace and what is wrong."""

    path: str
    message: str

    def as_dict(self) -> dict:
        """The problem as `fazhi verify --json` gives it."""
        return {"kind": "file", "path": self.path, "message": self.message}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while block := reader.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _archived(store: Store) -> dict[str, tuple[str, str]]:
    """Each archive name recorded, once, with its recorded SHA-256 and the name it was received under."""
    found: dict[str, tuple[str, str]] = {}
    for stored in store.files():
        found.setdefault(stored.archive_name, (stored.sha256, stored.original_name))
    return found


def original_problems(
    archive: Path, store: Store, on_file: Callable[[int, int], None] | None = None,
) -> tuple[int, list[OriginalProblem]]:
    """How many archived originals were checked, and each one that does not hash to its recorded SHA-256 (or is
    gone, or is recorded outside archive/); `on_file(done, total)` is called after each."""
    archived = _archived(store)
    root = archive.resolve()
    problems = []
    for done, (name, (sha, original)) in enumerate(sorted(archived.items()), start=1):
        shown = f"archive/{name}"
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            problems.append(OriginalProblem(shown, f"记录的存档位置不在 archive/ 中(原文件名 {original})"))
        else:
            problems += _check_one(path, shown, sha, original)
        if on_file is not None:
            on_file(done, len(archived))
    return len(archived), problems


def _check_one(path: Path, shown: str, sha: str, original: str) -> list[OriginalProblem]:
    try:
        actual = _sha256(path)
    except FileNotFoundError:
        return [OriginalProblem(shown, f"原件已不在(收到时的文件名 {original})")]
    except OSError as exc:
        return [OriginalProblem(shown, f"原件无法读取:{exc.strerror}(收到时的文件名 {original})")]
    if actual != sha:
        return [OriginalProblem(shown, f"原件已被改动:其 SHA-256 与收到时记录的不符(收到时的文件名 {original})")]
    return []
