"""Ingest commits a chunk of files at a time and leaves the workbooks' zip check to its read-ahead workers:
a unit of work that fails inside a chunk is undone alone (a savepoint), what was decided before an exception
is kept as when every file was committed apart, the check done later is the check `collect` does, and the
values' JSON written directly is what `json.dumps` writes."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from workbook_helpers import varied_answers

from fazhi_cli import api
from fazhi_cli.ingest import stored_values
from fazhi_cli.intake import DEFAULT_LIMITS, check_workbook, collect
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.store import FileRecord, Store, raw_json
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workbook.reader import read_workbook


def _record(sha: str) -> FileRecord:
    return FileRecord(sha, 10, f"{sha}.xlsx", "a.xlsx", "文件 a.xlsx", "2017-12-01T00:00:00+00:00",
                      "2017-12-01T00:00:00+00:00", "workbook", "refused", None, None, "b1")


def _shas(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT sha256 FROM files ORDER BY id")]


def test_a_unit_of_work_that_fails_inside_a_chunk_is_undone_alone(workspace):
    path = workspace / "fazhi.db"
    with Store.open(path) as store:
        store.begin()
        store.record_file(_record("aa" * 32))
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO units (name, type) VALUES ('半途单位', 'department')")
            store.record_file(_record("bb" * 32))  # a unit of work nested in one that fails: undone with it
            raise RuntimeError("the file's decision failed")
        store.record_file(_record("cc" * 32))
        assert _shas(path) == []  # another connection sees nothing before the chunk is committed
        store.commit()
    assert _shas(path) == ["aa" * 32, "cc" * 32]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT COUNT(*) FROM units WHERE name = '半途单位'").fetchone()[0] == 0


def test_files_decided_before_an_exception_stay_recorded_and_archived(cli, workspace, tmp_path):
    assert cli("generate", cwd=workspace).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index in range(5):
        (inbox / f"{index}.pdf").write_bytes(b"%PDF-1.4\n" + bytes([index]) * 100)  # each refused, alone
    seen = []

    def stop_at_the_fourth(outcome):
        seen.append(outcome)
        if len(seen) == 4:
            raise KeyboardInterrupt  # the clerk's Ctrl-C while the fourth file is reported

    with pytest.raises(KeyboardInterrupt):
        api.ingest([inbox], workspace, on_file=stop_at_the_fourth)
    recorded = _shas(workspace / "fazhi.db")
    assert recorded == [outcome.sha256 for outcome in seen]
    for sha in recorded:
        assert list((workspace / "archive").rglob(f"{sha}.*")), sha
    assert not list((workspace / "archive").rglob("*.part"))
    again = api.ingest([inbox], workspace)
    assert len(_shas(workspace / "fazhi.db")) == 5  # the rest taken, nothing twice
    assert [f.outcome for f in again.files] == ["refused"] * 5


def _rezipped(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = change(info.filename, source.read(info))
            if body is not None:
                target.writestr(info, body)
    return out.getvalue()


def _sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet")


def test_the_check_left_to_the_caller_is_the_check_collect_does(cli, workspace, tmp_path):
    assert cli("generate", cwd=workspace).code == 0
    data = next((workspace / "outbox").glob("*.xlsx")).read_bytes()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    damaged = {
        "good.xlsx": data,
        "truncated.xlsx": data[: len(data) // 2],
        "no_workbook.xlsx": _rezipped(data, lambda name, body: None if name == "xl/workbook.xml" else body),
        "dtd.xlsx": _rezipped(data, lambda name, body: body.replace(b"?>", b"?><!DOCTYPE x>", 1)
                              if _sheet(name) else body),
        "utf16.xlsx": _rezipped(data, lambda name, body: body.decode().encode("utf-16") if _sheet(name) else body),
        "macro.xlsm": data,
    }
    for name, body in damaged.items():
        (inbox / name).write_bytes(body)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for name in ("good.xlsx", "truncated.xlsx", "dtd.xlsx"):
            archive.writestr(f"内/{name}", damaged[name])
    (inbox / "打包.zip").write_bytes(packed.getvalue())

    for limits in (DEFAULT_LIMITS, dataclasses.replace(DEFAULT_LIMITS, cells=50)):
        checked_early = list(collect([inbox], limits))
        left = list(collect([inbox], limits, check_workbooks=False))
        assert [item.workbook_check is not None for item in left].count(True) == 9
        assert [check_workbook(item) for item in left] == checked_early
        codes = {item.problem_code for item in checked_early}
        assert {"truncated", "missing_parts", None} <= codes, codes
        assert len(codes) >= 4, codes  # the DTD and the UTF-16 part refused too (cells: every workbook)


def test_the_values_json_is_what_json_dumps_writes(cli, workspace, tmp_path):
    assert cli("generate", cwd=workspace).code == 0
    rubric = builtin_rubric()
    unit = next(u for u in load_roster(workspace / "units.xlsx") if u.assessed)
    filled = tmp_path / "filled.xlsx"
    source = workspace / "outbox" / f"2017年度法治政府建设自评表_{unit.name}.xlsx"
    fill_workbook(source, filled, varied_answers(rubric, unit.type, 3))
    raws = [value.raw for value in stored_values(read_workbook(filled))]
    assert {type(raw) for raw in raws} >= {type(None), str, int}, raws[:20]
    odd = [True, False, 0, -7, 10**40, 0.1, 1e300, float("nan"), float("-inf"), "", "引号\"反斜杠\\\n\t\x00\u2028",
           "\ud800", [1, "二"], {"键": None}]
    for raw in [*raws, *odd]:
        assert raw_json(raw) == json.dumps(raw, ensure_ascii=False), raw
