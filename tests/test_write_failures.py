"""Every user error a message, never a traceback; nothing half-written left behind.

A full disk and a read-only workspace are made for real: a small tmpfs mounted for the test (the tests run as
root, where chmod does not stop writes), filled up or remounted read-only. Where mounting is not allowed
those tests are skipped; the `.part` clean-up is then still proven with /dev/full, a real device that
answers every write with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import resource
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import openpyxl
import pytest
from helpers import REQUIRE_EXTERNAL

from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError
from fazhi_cli.infra.debug import debug_enabled
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.store import Store


def part_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MiB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}"
        if REQUIRE_EXTERNAL:  # CI runs as root on a machine that mounts: there the test must run
            pytest.fail(reason)
        pytest.skip(reason)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_up(disk: Path, leave: int) -> Path:
    """Take all but `leave` bytes of the disk with one file."""
    filler = disk / "filler.bin"
    stats = os.statvfs(disk)
    size = stats.f_bavail * stats.f_frsize - leave
    with open(filler, "wb") as out:
        os.posix_fallocate(out.fileno(), 0, size)
    return filler


def remount_read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


def assert_message(result, code: int, *phrases: str) -> None:
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err
    for phrase in phrases:
        assert phrase in result.err, (phrase, result.err)


# --- atomic_write ------------------------------------------------------------------------------------------


def test_atomic_write_replaces_the_target_only_when_complete(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", "utf-8")

    def broken(part: Path) -> None:
        part.write_text("half", "utf-8")
        raise ValueError("the writer failed")

    with pytest.raises(ValueError, match="the writer failed"):
        atomic_write(target, broken)
    assert target.read_text("utf-8") == "old" and part_files(tmp_path) == []
    atomic_write(target, lambda part: part.write_text("new", "utf-8"))
    assert target.read_text("utf-8") == "new" and part_files(tmp_path) == []


def test_atomic_write_onto_a_full_device_is_a_message_and_leaves_no_part(tmp_path):
    # /dev/full answers every write with ENOSPC; the .part name points at it, as a full disk would behave
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"previous version")
    os.symlink("/dev/full", tmp_path / "汇总.xlsx.part")
    book = openpyxl.Workbook()
    with pytest.raises(FazhiError) as caught:
        atomic_write(target, book.save)
    assert "磁盘已满" in caught.value.message and "汇总.xlsx" in caught.value.message
    assert not os.path.lexists(tmp_path / "汇总.xlsx.part")
    assert target.read_bytes() == b"previous version"


# --- a full disk --------------------------------------------------------------------------------------------


def test_generate_on_a_full_disk_stops_with_a_message_and_no_part_file(cli, small_disk):
    root = small_disk / "campaign"
    assert cli("init", root).code == 0
    fill_up(small_disk, leave=120 * 1024)
    # a real process, so that whatever Python prints on stderr while exiting is seen too
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "generate"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "磁盘已满" in done.stderr and "outbox" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert part_files(root) == []
    written = list((root / "outbox").glob("*.xlsx"))
    assert 0 < len(written) < 55
    for path in written:  # the ones written before the disk filled up are whole
        openpyxl.load_workbook(path, read_only=True).close()


def test_report_on_a_full_disk_keeps_the_previous_summary(cli, small_disk):
    root = small_disk / "campaign"
    assert cli("init", root).code == 0
    assert cli("report", cwd=root).code == 0
    summary = next((root / "reports").glob("*.xlsx"))
    before = summary.read_bytes()
    fill_up(small_disk, leave=4 * 1024)
    result = cli("report", cwd=root)
    assert_message(result, 1, "磁盘已满")
    assert summary.read_bytes() == before
    assert part_files(root) == []


def run_capped(args: list[str], cwd: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    """`fazhi ARGS` in a real process whose files may not grow past `max_file_bytes` (RLIMIT_FSIZE, as `ulimit -f`
    or a size-capped volume): Python ignores SIGXFSZ from its start, so an over-long write fails with EFBIG."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([sys.executable, "-m", "fazhi_cli", *args], cwd=cwd, preexec_fn=cap,
                          capture_output=True, text=True)


def test_report_past_the_file_size_limit_is_the_full_disk_message(cli, workspace):
    assert cli("report", cwd=workspace).code == 0
    summary = workspace / "reports" / "summary.html"
    before = summary.read_bytes()
    assert len(before) > 8192
    done = run_capped(["report"], workspace, 8192)
    assert done.returncode == 1, done.stderr
    assert "磁盘已满" in done.stderr and "summary.html" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert summary.read_bytes() == before
    assert part_files(workspace) == []


def test_the_store_on_a_full_disk_is_a_message_and_stays_intact(cli, small_disk):
    root = small_disk / "campaign"
    assert cli("init", root).code == 0
    db = root / "fazhi.db"
    with closing(sqlite3.connect(db)) as connection:
        units_before = connection.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    fill_up(small_disk, leave=16 * 1024)
    many = [Unit(f"单位{n:05d}", "department", contact="联系人" * 60) for n in range(5000)]
    with pytest.raises(FazhiError) as caught, Store.open(db) as store:
        store.sync_units(many)
    assert "磁盘已满" in caught.value.message and "fazhi.db" in caught.value.message
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM units").fetchone()[0] == units_before


def test_init_on_a_full_disk_is_a_message(cli, small_disk):
    fill_up(small_disk, leave=8 * 1024)
    result = cli("init", small_disk / "campaign")
    assert_message(result, 1, "磁盘已满")
    assert part_files(small_disk) == []


# --- a read-only workspace -----------------------------------------------------------------------------


def test_a_read_only_workspace_still_shows_status_but_refuses_writes_with_a_message(cli, small_disk, tmp_path):
    root = small_disk / "campaign"
    assert cli("init", root).code == 0
    assert cli("generate", "--unit", "区发改局", cwd=root).code == 0
    remount_read_only(small_disk)
    assert cli("status", cwd=root).code == 0
    assert cli("score", cwd=root).code == 0
    for command in (("report",), ("review-sheet",), ("generate", "--force"), ("validate", "--annotate"),
                    ("ingest", str(root / "outbox"))):
        result = cli(*command, cwd=root)
        assert_message(result, 2, "只读")
    assert_message(cli("init", root, "--force"), 2, "只读")
    with pytest.raises(FazhiError, match="只读"), Store.open(root / "fazhi.db") as store:
        store.sync_units([Unit("区新局", "department")])


def test_rubric_export_into_a_missing_or_read_only_folder(cli, tmp_path, small_disk):
    assert_message(cli("rubric", "export", tmp_path / "no-such-folder" / "r.yaml"), 2, "不存在")
    assert_message(cli("rubric", "export", tmp_path), 2, "是文件夹")
    remount_read_only(small_disk)
    assert_message(cli("rubric", "export", small_disk / "r.yaml"), 2, "只读")


def test_write_error_errnos():
    from fazhi_cli.infra.files import write_error

    assert "磁盘已满" in write_error(OSError(errno.EDQUOT, "quota"), "x").message
    assert "只读" in write_error(OSError(errno.EACCES, "denied"), "x").message
    assert write_error(OSError(errno.ENOENT, "missing"), "x") is None


# --- templates, --debug --------------------------------------------------------------------------------


def test_a_customised_template_with_a_syntax_error_names_the_file_and_line(cli, workspace):
    templates = workspace / "templates"
    templates.mkdir()
    (templates / "summary.html.j2").write_text("<h1>{{ title }}</h1>\n<p>\n{% if %}\n", "utf-8")
    result = cli("report", cwd=workspace)
    assert_message(result, 1, "summary.html.j2", "第 3 行", "语法错误", "templates/")
    assert part_files(workspace) == []


def test_a_customised_template_using_an_unknown_name_names_the_file(cli, workspace):
    templates = workspace / "templates"
    templates.mkdir()
    (templates / "summary.html.j2").write_text("<h1>标题</h1>\n{{ no_such_thing.total }}\n", "utf-8")
    result = cli("report", cwd=workspace)
    assert_message(result, 1, "summary.html.j2", "第 2 行", "no_such_thing")


def test_debug_option_sets_the_switch(cli, monkeypatch):
    monkeypatch.setenv("FAZHI_DEBUG", "")
    assert not debug_enabled()
    assert cli("--debug", "version").code == 0
    assert os.environ["FAZHI_DEBUG"] == "1" and debug_enabled()
