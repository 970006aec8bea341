"""Ingest with a pool of workers gives exactly what it gives serially: the same outcome for every file, in the
same order, and the same store (files, submissions, values); `fazhi_cli.infra.parallel` maps in order either way."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from test_ingest import DEPT, TOWN, clean_answers

from fazhi_cli import api
from fazhi_cli.infra import parallel
from fazhi_cli.workbook.filler import fill_workbook

NOW = "2017-12-05T10:00:00+08:00"


def variant(data: bytes, index: int) -> bytes:
    """The same workbook saved again: only its document properties differ (another SHA-256, the same values)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body += f"<!-- {index} -->".encode()
            target.writestr(info, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> tuple[Path, Path]:
    """A workspace and an inbox of more than `PARALLEL_FROM` returns of two units, with damaged ones among them."""
    root = tmp_path_factory.mktemp("parallel")
    workspace = root / "campaign"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAZHI_NOW", NOW)
        api.init(workspace)
        api.generate(workspace, [DEPT, TOWN])
    folder = root / "inbox"
    folder.mkdir()
    for unit in (DEPT, TOWN):
        filled = root / f"{unit}.xlsx"
        fill_workbook(workspace / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", filled, clean_answers(unit))
        data = filled.read_bytes()
        for index in range(parallel.PARALLEL_FROM // 2 + 4):
            (folder / f"{unit}自评表_{index:02d}.xlsx").write_bytes(variant(data, index))
        (folder / f"{unit}自评表_坏.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "乱码.xlsx").write_bytes(variant(data, 99).replace(b"<sheetData>", b"<sheetData><row r=\"x\"/>", 1))
    with zipfile.ZipFile(io.BytesIO(data)) as source:  # refused by the zip check (done by the workers when pooled)
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for name, drop, dtd in (("缺部件.xlsx", "xl/workbook.xml", ""), ("声明.xlsx", "", "xl/worksheets/sheet1.xml")):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for part, body in parts.items():
                if part != drop:
                    target.writestr(part, body.replace(b"?>", b"?><!DOCTYPE x>", 1) if part == dtd else body)
        (folder / name).write_bytes(out.getvalue())
    return workspace, folder


def store_rows(workspace: Path) -> list[list[tuple]]:
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db:
        return [db.execute(query).fetchall() for query in (
            "select id, sha256, archive_name, original_name, outcome, unit, code, message from files order by id",
            "select * from submissions order by id",
            "select * from submission_values",
        )]


def ingest_with(workers: int, inbox: tuple[Path, Path], tmp_path: Path, monkeypatch) -> tuple[list, list]:
    workspace, folder = inbox
    copy = tmp_path / f"ws{workers}"
    subprocess.run(["cp", "-a", str(workspace), str(copy)], check=True)
    monkeypatch.setenv("FAZHI_WORKERS", str(workers))
    report = api.ingest([folder], copy)
    outcomes = [(f.name, f.outcome, f.unit, f.message, f.sha256, f.code) for f in report.files]
    return outcomes, store_rows(copy)


def test_a_pool_of_workers_takes_the_files_exactly_as_one_process(inbox, tmp_path, monkeypatch):
    serial = ingest_with(1, inbox, tmp_path, monkeypatch)
    pooled = ingest_with(2, inbox, tmp_path, monkeypatch)
    assert pooled == serial
    outcomes = {outcome for _, outcome, *_ in serial[0]}
    assert {"taken", "superseded", "refused"} <= outcomes, serial[0][:3]
    codes = {code for *_, code in serial[0]}
    assert {"truncated", "missing_parts"} <= codes, codes


def test_map_ordered_keeps_the_order_serially_and_in_a_pool(monkeypatch):
    items = [f"第{i}" for i in range(parallel.PARALLEL_FROM * 2)]
    monkeypatch.setenv("FAZHI_WORKERS", "2")
    assert parallel.map_ordered(str.upper, items) == [s.upper() for s in items]
    assert parallel.map_ordered(str.upper, items[:3]) == [s.upper() for s in items[:3]]
    monkeypatch.setenv("FAZHI_WORKERS", "1")
    assert parallel.workers() == 1
    monkeypatch.setenv("FAZHI_WORKERS", "zero")
    assert 1 <= parallel.workers() <= parallel.MAX_WORKERS


def test_the_installed_package_reads_ahead_from_another_folder(inbox, tmp_path):
    workspace, folder = inbox
    copy = tmp_path / "ws"
    subprocess.run(["cp", "-a", str(workspace), str(copy)], check=True)
    environment = dict(os.environ, FAZHI_WORKERS="2", FAZHI_NOW=NOW)
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "ingest", str(folder), "-w", str(copy)],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # the damaged files are refused
    assert store_rows(copy)[1]
