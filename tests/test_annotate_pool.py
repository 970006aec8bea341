"""`fazhi validate --annotate` makes its marked-up copies on every core from a handful of units: the copies are
the ones made one by one, a unit whose file cannot be rewritten is still named, and a read-only disk still stops."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from test_hostile import dangling_hyperlink
from test_ingest import clean_answers, fill
from test_write_failures import fill_up, small_disk  # noqa: F401, F811 - small_disk is a fixture

from fazhi_cli.errors import FazhiError
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.validate import annotate, validate_workspace
from fazhi_cli.workspace import Workspace

IN_PARALLEL = 8  # annotate's parallel_from: from this many copies the pool makes them


def _departments(root, count: int) -> list[str]:
    units = [u.name for u in load_roster(root / "units.xlsx") if u.assessed and u.type == "department"]
    return units[:count]


@pytest.fixture
def returned(cli, workspace, tmp_path):
    """More units with errors than a pool needs, the first with a file openpyxl cannot load in full."""
    units = _departments(workspace, IN_PARALLEL + 1)
    assert cli("generate", *[a for u in units for a in ("--unit", u)], "-w", workspace).code == 0
    files = []
    for number, unit in enumerate(units):
        answers = clean_answers(unit)
        answers.scores["1.1"] = "八分"
        answers.notes.pop("1.1", None)
        path = fill(workspace, tmp_path / "returns-in" / f"{unit}.xlsx", unit, answers)
        if number == 0:
            path.write_bytes(dangling_hyperlink(path.read_bytes()))
        files.append(path)
    assert cli("ingest", *files, "-w", workspace).code == 0
    return workspace, units


def _marks(path) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    return [(sheet.title, cell.coordinate, cell.value, cell.fill.fill_type, cell.fill.fgColor.rgb,
             cell.comment.text if cell.comment else None)
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_copies_made_on_the_pool_are_the_copies_made_one_by_one(returned, monkeypatch, tmp_path):
    root, units = returned
    workspace = Workspace(root)
    report = validate_workspace(workspace)
    made = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("FAZHI_WORKERS", workers)
        done = annotate(workspace, report)
        assert done.failed == [(units[0], done.failed[0][1])] and "无法重新打开" in done.failed[0][1]
        assert len(done.written) == len(units) - 1 >= IN_PARALLEL
        made[workers] = [(path.name, _marks(path)) for path in done.written]
        shutil.rmtree(workspace.returns)
    assert made["1"] == made["2"]
    assert all(any(mark[5] for mark in marks) for _, marks in made["2"])  # each copy has its comments


def test_a_full_disk_stops_the_pool(returned, small_disk, monkeypatch):  # noqa: F811 - the fixture
    root, _ = returned
    workspace = Workspace(root)
    report = validate_workspace(workspace)
    monkeypatch.setenv("FAZHI_WORKERS", "2")
    workspace.returns.rmdir()  # empty: nothing annotated yet
    workspace.returns.symlink_to(small_disk, target_is_directory=True)
    fill_up(small_disk, leave=4 * 1024)
    with pytest.raises(FazhiError, match="磁盘已满"):
        annotate(workspace, report)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]  # no copy, no part file left
