"""Killing `fazhi ingest` with SIGKILL in the middle of a batch leaves the store consistent, the originals
intact, and a rerun completes the batch."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from workbook_helpers import varied_answers

from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.workbook.filler import fill_workbook


def count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(db_path, timeout=30) as db:
        return db.execute(sql).fetchone()[0]


def _filled_batch(cli, workspace, tmp_path, count: int | None = None) -> tuple[Path, dict[str, str]]:
    """The first `count` assessed units' returns (all when None), filled with varied answers in batch/, and
    each file's SHA-256 by name (to prove the originals are never changed)."""
    assert cli("generate", cwd=workspace).code == 0
    rubric = builtin_rubric()
    units = [unit for unit in load_roster(workspace / "units.xlsx") if unit.assessed][:count]
    batch = tmp_path / "batch"
    batch.mkdir()
    for index, unit in enumerate(units):
        source = workspace / "outbox" / f"2017年度法治政府建设自评表_{unit.name}.xlsx"
        fill_workbook(source, batch / f"{index:02d}.xlsx", varied_answers(rubric, unit.type, index))
    return batch, {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()}


def test_kill_minus_nine_mid_batch_then_rerun(cli, workspace, tmp_path):
    batch, originals = _filled_batch(cli, workspace, tmp_path)

    process = subprocess.Popen([sys.executable, "-m", "fazhi_cli", "ingest", str(batch)], cwd=workspace,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    archive = workspace / "archive"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(1 for _ in archive.rglob("*.xlsx")) < 8:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    db_path = workspace / "fazhi.db"
    taken_before_rerun = count(db_path, "SELECT COUNT(*) FROM submissions")
    assert taken_before_rerun < len(originals), "the batch finished before the kill; the test proved nothing"
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = db.execute(
            "SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS "
            "(SELECT 1 FROM submission_values v WHERE v.submission_id = s.id)"
        ).fetchone()[0]
        assert orphans == 0
        for archive_name, sha in db.execute("SELECT archive_name, sha256 FROM files"):
            assert hashlib.sha256((archive / archive_name).read_bytes()).hexdigest() == sha

    rerun = cli("ingest", batch, cwd=workspace)
    assert rerun.code == 0, rerun.err
    assert count(db_path, "SELECT COUNT(*) FROM submissions") == len(originals)
    assert count(db_path, "SELECT COUNT(DISTINCT unit) FROM submissions") == len(originals)
    assert count(db_path, "SELECT COUNT(*) FROM files") == len(originals)  # nothing recorded twice
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()} == originals


KILLED_AFTER_FLUSH = """
import os, signal, sys
from fazhi_cli.ingest import chunks

flush = chunks.flush_kept


def flush_then_die(batch):
    flushed = list(batch.unflushed)
    flush(batch)
    if flushed:  # the chunk's files are durably archived, its rows not yet committed
        os.kill(os.getpid(), signal.SIGKILL)


chunks.flush_kept = flush_then_die
sys.argv = ["fazhi", "ingest", sys.argv[1]]
from fazhi_cli.cli.app import main
main()
"""


def test_kill_between_the_archive_flush_and_the_commit_then_rerun(cli, workspace, tmp_path):
    batch, originals = _filled_batch(cli, workspace, tmp_path, count=6)

    killed = subprocess.run([sys.executable, "-c", KILLED_AFTER_FLUSH, str(batch)], cwd=workspace,
                            capture_output=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    db_path = workspace / "fazhi.db"
    archive = workspace / "archive"
    kept = sorted(archive.rglob("*.xlsx"))
    assert kept, "nothing was archived before the kill"
    assert count(db_path, "SELECT COUNT(*) FROM files") == 0  # killed before the chunk's commit: no row
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for path in kept:  # what was archived is whole, under its own SHA-256, and no half copy is left
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name.split(".")[0]
    assert not [p for p in archive.rglob("*.part") if p.with_suffix("") in kept]

    rerun = cli("ingest", batch, cwd=workspace)
    assert rerun.code == 0, rerun.err
    assert count(db_path, "SELECT COUNT(*) FROM submissions") == len(originals)
    assert count(db_path, "SELECT COUNT(*) FROM files") == len(originals)  # nothing recorded twice
    with sqlite3.connect(db_path) as db:
        for archive_name, sha in db.execute("SELECT archive_name, sha256 FROM files"):
            assert hashlib.sha256((archive / archive_name).read_bytes()).hexdigest() == sha
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()} == originals
