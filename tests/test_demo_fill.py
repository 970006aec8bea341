"""The demo fills its units' returns at the zip level (`fill_cells`): what the product reads from them, and
every cell openpyxl sees, is what `fill_workbook` (openpyxl) writes with the same answers."""

from __future__ import annotations

import random

import openpyxl
import pytest

from fazhi_cli.demo import ABOVE_CEILING, FORMULA_NOTE, NO_NOTE, SCRIPT_NOTE, SEED, TEXT_SCORE, demo_answers
from fazhi_cli.demo.units import _with_mistakes
from fazhi_cli.workbook.filler import Answers, fill_cells, fill_workbook
from fazhi_cli.workbook.reader import read_workbook
from fazhi_cli.workspace import Workspace

MISTAKEN = (ABOVE_CEILING, TEXT_SCORE, NO_NOTE, SCRIPT_NOTE, FORMULA_NOTE)


def _run(*args: str) -> None:
    from fazhi_cli.cli.app import main

    try:
        main([str(a) for a in args])
    except SystemExit as exit_:
        assert not exit_.code, args


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("fill") / "ws"
    _run("init", root)
    workspace = Workspace(root)
    units = workspace.units()
    chosen = [u for u in units if u.name in MISTAKEN]
    chosen += [u for u in units if u.type == "department" and u not in chosen][:3]
    chosen += [u for u in units if u.type == "township" and u not in chosen][:3]
    _run("generate", *[a for u in chosen for a in ("--unit", u.name)], "-w", root)
    return workspace, chosen


def _every_cell(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [(c.coordinate, c.value, c.data_type, c.style_id) for row in sheet.iter_rows() for c in row]
            for sheet in book.worksheets}


def _both(workspace: Workspace, unit, answers: Answers, folder) -> tuple:
    source = workspace.outbox / f"{workspace.campaign().year}年度法治政府建设自评表_{unit.name}.xlsx"
    slow, fast = folder / f"{unit.name}-openpyxl.xlsx", folder / f"{unit.name}-zip.xlsx"
    fill_workbook(source, slow, answers)
    fill_cells(source, fast, answers)
    return slow, fast


def test_the_demo_answers_filled_at_the_zip_level_read_as_openpyxl_filled_them(workspace, tmp_path):
    workspace, units = workspace
    rubric = workspace.rubric()
    rng = random.Random(SEED)
    tasks = 0
    for unit in units:
        answers = _with_mistakes(unit, rubric, demo_answers(rubric, unit, rng))
        answers.notes[rubric.for_type(unit.type).items[-1].id] = "  前后有空格 & <符号> \"引号\"  "
        slow, fast = _both(workspace, unit, answers, tmp_path)
        read = read_workbook(fast)
        assert read == read_workbook(slow), unit.name
        assert any(r.fact.raw is not None for r in read.rows.values())
        tasks += sum(t.status.raw is not None for t in read.tasks.values())
        assert _every_cell(fast) == _every_cell(slow), unit.name
    assert tasks > 0
    texts = {row.note.raw for row in read_workbook(fast).rows.values()}
    assert "  前后有空格 & <符号> \"引号\"  " in texts


@pytest.mark.parametrize("change", [
    lambda a: a.form.update({"填报人": "王明"}),
    lambda a: a.facts.update({"1.1a": True}),
    lambda a: a.notes.update({"1.1": "控制字符\x07"}),
])
def test_what_the_zip_level_filler_does_not_write_is_refused(workspace, tmp_path, change):
    workspace, units = workspace
    answers = Answers(scores={"1.1": 8})
    change(answers)
    source = workspace.outbox / f"{workspace.campaign().year}年度法治政府建设自评表_{units[0].name}.xlsx"
    with pytest.raises(ValueError):
        fill_cells(source, tmp_path / "x.xlsx", answers)


def test_a_cell_already_filled_is_refused(workspace, tmp_path):
    workspace, units = workspace
    source = workspace.outbox / f"{workspace.campaign().year}年度法治政府建设自评表_{units[0].name}.xlsx"
    once = tmp_path / "once.xlsx"
    fill_cells(source, once, Answers(scores={"1.1": 8}))
    with pytest.raises(ValueError):
        fill_cells(once, tmp_path / "twice.xlsx", Answers(scores={"1.1": 7}))
