"""The workspace protects itself: the store is never silently recreated, writers take the workspace lock,
the key stays private, settings are checked with messages naming the setting, and `init --force` on another
campaign moves the old data aside instead of reusing it.

Everything runs on real files, a real SQLite store and (for the lock) real subprocesses.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from helpers import set_weights
from workbook_helpers import varied_answers

from fazhi_cli.domain.limits import LIMIT_LABELS, Limits
from fazhi_cli.errors import WorkspaceError
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.store import FileRecord, Store, StoredValue
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace, campaign_toml, read_campaign

FAZHI = [sys.executable, "-m", "fazhi_cli"]


def count(db_path: Path, sql: str) -> int:
    with closing(sqlite3.connect(db_path)) as db:
        return db.execute(sql).fetchone()[0]


def filled_returns(cli, workspace: Path, folder: Path, how_many: int) -> list[Path]:
    """Real returned workbooks of the roster's first units: generated, then filled in as units would."""
    rubric = builtin_rubric()
    units = [unit for unit in load_roster(workspace / "units.xlsx") if unit.assessed][:how_many]
    names = [arg for unit in units for arg in ("--unit", unit.name)]
    assert cli("generate", *names, cwd=workspace).code == 0
    folder.mkdir(exist_ok=True)
    made = []
    for index, unit in enumerate(units):
        source = workspace / "outbox" / f"2017年度法治政府建设自评表_{unit.name}.xlsx"
        target = folder / f"{index:02d}.xlsx"
        fill_workbook(source, target, varied_answers(rubric, unit.type, index))
        made.append(target)
    return made


def assert_clean_error(result, code: int, *phrases: str) -> None:
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err
    for phrase in phrases:
        assert phrase in result.err, (phrase, result.err)


# --- the store is never silently recreated -------------------------------------------------------------


def test_report_after_the_store_is_deleted_refuses_and_keeps_the_summary(cli, workspace):
    assert cli("report", cwd=workspace).code == 0
    summary = next((workspace / "reports").glob("*.xlsx"))
    before = summary.read_bytes()
    (workspace / "fazhi.db").unlink()
    for command in ("report", "status", "score", "validate", "review-sheet"):
        result = cli(command, cwd=workspace)
        assert_clean_error(result, 2, "数据库", "不见了", "备份", "archive/")
    assert not (workspace / "fazhi.db").exists(), "the store must not be recreated empty"
    assert summary.read_bytes() == before


def test_ingest_after_the_store_is_deleted_refuses(cli, workspace, tmp_path):
    returned = filled_returns(cli, workspace, tmp_path / "in", 1)
    (workspace / "fazhi.db").unlink()
    result = cli("ingest", *returned, cwd=workspace)
    assert_clean_error(result, 2, "不见了")
    assert not (workspace / "fazhi.db").exists()


def test_a_store_missing_a_table_or_empty_or_not_sqlite(cli, workspace):
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db:
        db.execute("DROP TABLE submission_values")
        db.execute("DROP TABLE submissions")
        db.commit()
    result = cli("status", cwd=workspace)
    assert_clean_error(result, 2, "缺少数据表", "submissions", "submission_values", "备份")
    (workspace / "fazhi.db").write_bytes(b"")
    assert_clean_error(cli("report", cwd=workspace), 2, "空文件或不是 fazhi 的数据库")
    (workspace / "fazhi.db").write_bytes(b"PK\x03\x04 not a database" * 100)
    assert_clean_error(cli("score", cwd=workspace), 2, "已损坏")


def test_store_open_creates_only_when_asked(tmp_path):
    path = tmp_path / "fazhi.db"
    with pytest.raises(WorkspaceError, match="不见了"), Store.open(path):
        pass
    assert not path.exists()
    with Store.open(path, create=True) as store:
        assert store.schema_version() >= 1
    with Store.open(path) as store:
        assert store.submissions() == []


def _record(sha: str) -> FileRecord:
    return FileRecord(sha, 10, f"{sha}.xlsx", "a.xlsx", "文件 a.xlsx", "2017-12-01T00:00:00+00:00",
                      "2017-12-01T00:00:00+00:00", "workbook", "taken", "区发改局", None, "b1")


def test_recording_the_same_submission_twice_returns_none_instead_of_raising(workspace):
    path = workspace / "fazhi.db"
    values = [StoredValue("1.1", "self", 3, "自评表!F5")]
    with Store.open(path) as first, Store.open(path) as second:
        assert isinstance(first.record_submission(_record("ab" * 32), "zhaohua-2017", [], values), int)
        assert second.record_submission(_record("ab" * 32), "zhaohua-2017", [], values) is None
    assert count(path, "SELECT COUNT(*) FROM submissions") == 1
    assert count(path, "SELECT COUNT(*) FROM files") == 1
    assert count(path, "SELECT COUNT(*) FROM submission_values") == 1


# --- the workspace lock ----------------------------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from fazhi_cli.workspace import Workspace
    with Workspace(Path(sys.argv[1])).lock():
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def hold_lock(root: Path, seconds: float) -> subprocess.Popen:
    """A real second process holding the workspace lock for `seconds`."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_writer_waits_for_the_lock_then_gives_up_with_a_message(workspace):
    holder = hold_lock(workspace, 60)
    try:
        started = time.monotonic()
        with (pytest.raises(WorkspaceError, match="另一个 fazhi 命令正在使用此工作区") as caught,
              Workspace(workspace).lock(wait_seconds=0.5)):
            pass
        assert 0.45 <= time.monotonic() - started < 5
        assert "自动解除" in caught.value.hint
    finally:
        holder.kill()
        holder.wait()
    with Workspace(workspace).lock(wait_seconds=5):  # released when the holder was killed
        pass


def test_a_second_fazhi_command_is_refused_while_another_holds_the_workspace(workspace):
    holder = hold_lock(workspace, 60)
    try:
        started = time.monotonic()
        done = subprocess.run([*FAZHI, "report"], cwd=workspace, capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2, done.stderr
    assert "另一个 fazhi 命令正在使用此工作区" in done.stderr and "Traceback" not in done.stderr
    assert waited >= 9.5  # it waited the default 10 seconds first
    assert not (workspace / "reports" / "summary.html").exists()


def test_a_command_waits_for_the_other_to_finish(workspace):
    holder = hold_lock(workspace, 1.5)
    done = subprocess.run([*FAZHI, "review-sheet"], cwd=workspace, capture_output=True, text=True, timeout=60)
    holder.wait()
    assert done.returncode == 0, done.stderr
    assert list((workspace / "review").glob("*.xlsx"))


def test_two_concurrent_ingests_of_the_same_files_both_succeed_once_each(cli, workspace, tmp_path):
    returned = filled_returns(cli, workspace, tmp_path / "in", 6)
    runs = [subprocess.Popen([*FAZHI, "ingest", str(tmp_path / "in")], cwd=workspace, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err
    db = workspace / "fazhi.db"
    assert count(db, "SELECT COUNT(*) FROM submissions") == len(returned)
    assert count(db, "SELECT COUNT(DISTINCT sha256) FROM submissions") == len(returned)
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- the workspace key and fazhi's own paths -------------------------------------------------------------


def test_init_makes_a_private_key_that_never_appears_in_any_output(cli, workspace):
    key_file = workspace / "fazhi.secret"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = Workspace(workspace).secret()
    assert len(key) == 32 and key == key_file.read_bytes() == Workspace(workspace).secret()
    assert not list(workspace.glob("fazhi.secret*.part"))
    outputs = [cli("generate", "--unit", "区发改局", cwd=workspace), cli("report", cwd=workspace),
               cli("status", "--json", cwd=workspace), cli("review-sheet", cwd=workspace)]
    for result in outputs:
        assert result.code == 0, result.err
        for text in (result.out, result.err):
            assert key.hex() not in text
    for path in [*(workspace / "outbox").rglob("*"), *(workspace / "reports").rglob("*"),
                 *(workspace / "review").rglob("*"), workspace / "fazhi.toml"]:
        if path.is_file():
            data = path.read_bytes()
            assert key not in data and key.hex().encode() not in data, path


def test_a_missing_key_is_made_lazily_and_a_damaged_one_is_refused(workspace):
    key_file = workspace / "fazhi.secret"
    key_file.unlink()
    fresh = Workspace(workspace).secret()
    assert len(fresh) == 32 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key_file.write_bytes(b"short")
    with pytest.raises(WorkspaceError, match="已损坏"):
        Workspace(workspace).secret()


def test_own_paths_name_every_folder_and_file_of_fazhi(workspace):
    own = Workspace(workspace).own_paths()
    root = workspace.resolve()
    for name in ("outbox", "review", "returns", "reports", "archive", "templates", "previous", "fazhi.db",
                 "fazhi.toml", "fazhi.secret", "fazhi.lock", "rubric.yaml", "units.xlsx"):
        assert root / name in own, name
        assert "已跳过" in own[root / name]
    assert all(path.is_absolute() for path in own)
    assert "outbox/" in own[root / "outbox"]
    assert root / "inbox" not in own


# --- settings: [limits], weight, dates, BOM -----------------------------------------------------------


def test_fazhi_toml_lists_every_limit_and_reads_a_changed_one(workspace, cli):
    text = (workspace / "fazhi.toml").read_text("utf-8")
    defaults = Limits()
    for name, label in LIMIT_LABELS.items():
        assert f"# {name} = {getattr(defaults, name)}" in text and label in text
    assert read_campaign(workspace / "fazhi.toml").limits == defaults
    (workspace / "fazhi.toml").write_text(text + "\n[limits]\nroster_rows = 3\nfile_bytes = 1000\n", "utf-8")
    campaign = read_campaign(workspace / "fazhi.toml")
    assert campaign.limits.roster_rows == 3 and campaign.limits.file_bytes == 1000
    assert read_campaign_from_text(campaign_toml(campaign)).limits == campaign.limits
    result = cli("status", cwd=workspace)  # the sample roster has 55 units, over the limit of 3
    assert_clean_error(result, 2, "超过 3 行", "roster_rows")


def test_init_force_keeps_the_raised_limits_the_roster_was_read_under(workspace, cli, tmp_path):
    roster = tmp_path / "long.csv"
    lines = ["单位名称,单位类型"] + [f"市第{index:04d}局,区级部门" for index in range(1, 2101)]
    roster.write_text("\n".join(lines) + "\n", "utf-8")
    text = (workspace / "fazhi.toml").read_text("utf-8")
    (workspace / "fazhi.toml").write_text(text + "\n[limits]\nroster_rows = 3000\n", "utf-8")
    result = cli("init", str(workspace), "--units", str(roster), "--force")
    assert result.code == 0, result.err
    assert read_campaign(workspace / "fazhi.toml").limits.roster_rows == 3000
    assert len(cli("status", "--json", cwd=workspace).json()["units"]) == 2100


def read_campaign_from_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fazhi.toml"
        path.write_text(text, "utf-8")
        return read_campaign(path)


@pytest.mark.parametrize(
    ("setting", "phrases"),
    [
        ("[limits]\nno_such_limit = 5", ["[limits]", "no_such_limit"]),
        ("[limits]\nfile_bytes = -1", ["file_bytes", LIMIT_LABELS["file_bytes"]]),
        ("[limits]\nfile_bytes = \"big\"", ["file_bytes"]),
    ],
)
def test_bad_limits_name_the_setting(cli, workspace, setting, phrases):
    path = workspace / "fazhi.toml"
    path.write_text(path.read_text("utf-8") + "\n" + setting + "\n", "utf-8")
    assert_clean_error(cli("status", cwd=workspace), 2, "fazhi.toml", *phrases)


def replace_setting(workspace: Path, key: str, line: str) -> None:
    path = workspace / "fazhi.toml"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join(line if row.startswith(f"{key} =") else row for row in lines) + "\n", "utf-8")


@pytest.mark.parametrize("value", ['"abc"', '"nan"', '"Infinity"', '"150"', "-1", "true", '"1e400"'])
def test_a_weight_outside_0_to_100_is_refused(cli, workspace, value):
    set_weights(workspace, department=value)
    assert_clean_error(cli("score", cwd=workspace), 2, "weights.department", "区级部门折算权重", "0 至 100")


@pytest.mark.parametrize("value", ["0", '"100"', "7.5", '"5"'])
def test_a_weight_from_0_to_100_is_taken(cli, workspace, value):
    set_weights(workspace, department=value)
    assert cli("score", cwd=workspace).code == 0


def test_a_date_written_the_chinese_way_names_the_setting_and_the_form(cli, workspace):
    replace_setting(workspace, "deadline", "deadline = 2026年12月5日")  # not TOML: named, with the way to write it
    assert_clean_error(cli("status", cwd=workspace), 2, "deadline", "截止日期", "2017-12-10", "第 7 行")


@pytest.mark.parametrize("line", ['deadline = "2026年12月5日"', 'deadline = "2026/12/05"'])
def test_a_quoted_date_written_the_chinese_way_is_read(cli, workspace, line):
    replace_setting(workspace, "deadline", line)
    shown = cli("config", "show", "--json", cwd=workspace).json()["settings"]
    assert {row["key"]: row["value"] for row in shown}["deadline"] == "2026-12-05"


def test_a_bom_at_the_start_of_fazhi_toml_is_accepted(cli, workspace):
    path = workspace / "fazhi.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = cli("status", cwd=workspace)
    assert result.code == 0, result.err


# --- init: year, folder, --force on another campaign ------------------------------------------------------


@pytest.mark.parametrize("year", ["1800", "3000", "0", "-5"])
def test_init_refuses_a_year_out_of_range(cli, tmp_path, year):
    result = cli("init", tmp_path / "ws", "--year", year)
    assert_clean_error(result, 2, "考核年度", "2000", "2100")
    assert not (tmp_path / "ws").exists()


def test_init_under_a_file_says_so(cli, tmp_path):
    (tmp_path / "a-file").write_text("x", "utf-8")
    result = cli("init", tmp_path / "a-file" / "ws")
    assert_clean_error(result, 2, "是文件而不是文件夹")
    result = cli("init", tmp_path / "a-file")
    assert_clean_error(result, 2, "不是文件夹")


def sha_of_folder(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_force_on_another_year_moves_the_old_campaign_aside(cli, workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_NOW", "2018-01-05T09:30:00+08:00")
    returned = filled_returns(cli, workspace, tmp_path / "in", 1)
    assert cli("ingest", *returned, cwd=workspace).code == 0
    old_key = (workspace / "fazhi.secret").read_bytes()
    archive = sha_of_folder(workspace / "archive")
    assert archive

    result = cli("init", workspace, "--force", "--year", "2018")
    assert result.code == 0, result.err
    previous = workspace / "previous" / "2017-20180105-093000"
    assert "previous" in result.out and "fazhi.db" in result.out and "archive/" in result.out
    assert previous.is_dir()

    assert count(workspace / "fazhi.db", "SELECT COUNT(*) FROM submissions") == 0
    assert read_campaign(workspace / "fazhi.toml").year == 2018
    assert (workspace / "fazhi.secret").read_bytes() != old_key
    assert not any((workspace / "archive").iterdir())
    status = cli("status", "--json", cwd=workspace).json()
    assert status["returned"] == 0

    assert count(previous / "fazhi.db", "SELECT COUNT(*) FROM submissions") == 1
    assert (previous / "fazhi.secret").read_bytes() == old_key
    assert sha_of_folder(previous / "archive") == archive
    assert (previous / "outbox").is_dir()
    assert read_campaign(previous / "fazhi.toml").year == 2017
    old_status = cli("status", "--json", "-w", previous).json()  # the old campaign still opens
    assert old_status["returned"] == 1


def test_init_force_on_the_same_campaign_keeps_store_archive_and_key(cli, workspace, tmp_path):
    returned = filled_returns(cli, workspace, tmp_path / "in", 1)
    assert cli("ingest", *returned, cwd=workspace).code == 0
    key = (workspace / "fazhi.secret").read_bytes()
    result = cli("init", workspace, "--force")
    assert result.code == 0, result.err
    assert "previous" not in result.out and not (workspace / "previous").exists()
    assert count(workspace / "fazhi.db", "SELECT COUNT(*) FROM submissions") == 1
    assert (workspace / "fazhi.secret").read_bytes() == key


def test_init_force_waits_for_the_lock(workspace):
    holder = hold_lock(workspace, 60)
    try:
        done = subprocess.run([*FAZHI, "init", str(workspace), "--force", "--year", "2018"], capture_output=True,
                              text=True, timeout=60, cwd=workspace.parent)  # not the checkout: the installed package
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2 and "另一个 fazhi 命令正在使用此工作区" in done.stderr
    assert read_campaign(workspace / "fazhi.toml").year == 2017
    assert not (workspace / "previous").exists()


def test_lock_file_is_left_for_the_next_command(workspace):
    with Workspace(workspace).lock(wait_seconds=1):
        assert (workspace / "fazhi.lock").is_file()
    assert os.access(workspace / "fazhi.lock", os.R_OK)
