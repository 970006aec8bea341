"""A workspace the clerk may read but not write: fazhi.db read-only, the folder read-only, or everything.

Permissions are real: the workspace is handed to an ordinary user (nobody) and the CLI runs as that user in a real
process (`setpriv`), since root writes through any permission. A user who is not root runs the CLI as themself. Every
command that would write says so in Chinese and exits 2, with no traceback; commands that only read still work; and
no file of the workspace is changed or left half-written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import REQUIRE_EXTERNAL

NOBODY = 65534
READERS = (("status",), ("score",), ("files",), ("log",), ("config", "show"), ("rubric", "show"))


def clerk_prefix() -> list[str]:
    """How to run a command as an ordinary user: nothing to add unless we are root, then `setpriv` to nobody."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    runs = setpriv is not None and subprocess.run(
        [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, "-c",
         "import fazhi_cli"], capture_output=True).returncode == 0
    if not runs:
        reason = "cannot run fazhi as an ordinary user here (setpriv missing, or nobody cannot reach Python)"
        if REQUIRE_EXTERNAL:
            pytest.fail(reason)
        pytest.skip(reason)
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def clerk_workspace(cli):
    """A workspace made by `fazhi init`, with one generated workbook and its copy to hand in, in a folder every
    user may enter (pytest's own are private to root), owned by the user the commands run as."""
    folder = Path(tempfile.mkdtemp(prefix="fazhi-read-only-"))
    folder.chmod(0o755)
    root = folder / "campaign"
    assert cli("init", root).code == 0
    assert cli("generate", "--unit", "区发改局", cwd=root).code == 0
    assert cli("config", "set", "联系人", "张三", cwd=root).code == 0  # init --force would put back the default
    returned = folder / "returned"
    shutil.copytree(root / "outbox", returned)
    prefix = clerk_prefix()
    if prefix:
        for path in (folder, *folder.rglob("*")):
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    yield root, returned, prefix
    for path in (folder, *folder.rglob("*")):  # writable again, to be removed
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shutil.rmtree(folder)


def as_clerk(prefix: list[str], root: Path, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "fazhi_cli", *map(str, args)], cwd=root,
                          capture_output=True, text=True)


def contents(root: Path) -> dict[str, str]:
    """Every file of the workspace with a digest of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_only(*paths: Path) -> None:
    for path in paths:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def assert_refused(done: subprocess.CompletedProcess, *phrases: str) -> None:
    assert done.returncode == 2, (done.args, done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    for phrase in ("只读", *phrases):
        assert phrase in done.stderr, (phrase, done.stderr)


def test_a_read_only_store_refuses_every_write_and_nothing_changes(clerk_workspace):
    root, returned, prefix = clerk_workspace
    read_only(root / "fazhi.db")
    before = contents(root)
    for command in READERS:
        assert as_clerk(prefix, root, *command).returncode == 0, command
    assert_refused(as_clerk(prefix, root, "ingest", returned), "fazhi.db")
    assert_refused(as_clerk(prefix, root, "approve", "--by", "张三", "--date", "2017-12-20", "--accept-missing"),
                   "fazhi.db")
    assert_refused(as_clerk(prefix, root, "init", root, "--force"), "fazhi.db")
    assert contents(root) == before  # init --force did not rewrite fazhi.toml or the roster before failing


def test_a_read_only_workspace_folder_refuses_writes_and_leaves_no_archived_orphan(clerk_workspace):
    root, returned, prefix = clerk_workspace
    read_only(root)
    before = contents(root)
    for command in READERS:
        assert as_clerk(prefix, root, *command).returncode == 0, command
    assert_refused(as_clerk(prefix, root, "ingest", returned), "fazhi.db")
    assert_refused(as_clerk(prefix, root, "config", "set", "联系人", "李四"), "fazhi.toml")
    assert_refused(as_clerk(prefix, root, "init", root, "--force"))
    assert contents(root) == before


def test_a_workspace_read_only_throughout_refuses_each_writing_command(clerk_workspace):
    root, returned, prefix = clerk_workspace
    read_only(root, *root.rglob("*"))
    before = contents(root)
    for command in READERS:
        assert as_clerk(prefix, root, *command).returncode == 0, command
    for command in (("generate", "--force"), ("ingest", returned), ("validate", "--annotate"), ("report",),
                    ("review-sheet",), ("ledger",), ("notice", "--no-pdf"), ("feedback-letters", "--no-pdf"),
                    ("config", "set", "联系人", "李四"), ("approve", "--by", "张三", "--date", "2017-12-20",
                                                       "--accept-missing"), ("init", root, "--force"),
                    ("rubric", "export", root / "细则.yaml")):
        assert_refused(as_clerk(prefix, root, *command))
    assert contents(root) == before
