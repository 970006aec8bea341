"""The fast path of `fazhi generate` (`workbook.templates`): a workbook stamped from a template is the workbook
the reference writer (`writer.write_self_assessment`) writes, part for part and cell for cell, whatever the
unit's name; it survives LibreOffice; ingest tells two units of one template apart and verifies both."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from helpers import external_tool
from workbook_helpers import libreoffice_convert

from fazhi_cli.domain.identity import SELF_ASSESSMENT_FIELDS, is_sealed
from fazhi_cli.infra.files import atomic_write_all
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.filler import Answers, fill_workbook
from fazhi_cli.workbook.generate import BATCH, write_workbooks
from fazhi_cli.workbook.reader import read_workbook
from fazhi_cli.workbook.templates import WorkbookFactory, shape, stamps
from fazhi_cli.workbook.writer import write_self_assessment
from fazhi_cli.workspace import Workspace

CHINA = dt.timezone(dt.timedelta(hours=8))
MOMENT = dt.datetime(2017, 12, 5, 10, 0, 7, tzinfo=CHINA)
SECRET = b"the office's secret"
ODD_NAMES = (
    'A&B<C>"局\'',  # every character XML escapes or quotes
    "区人民政府(县)办公室",  # full-width parentheses
    "区" + "很长的单位名称" * 20 + "局",  # wraps over several lines: the guide's row grows
    "𠮷野街道",  # a character outside the Basic Multilingual Plane
    "Bureau of Justice",
    "区司法局&amp;",  # text that looks like an escape
)
REFERENCE_ONLY = ("=危险局", " 前有空格局", "局", "乙\t局")  # names no template stands in for


@pytest.fixture
def campaign(workspace):
    ws = Workspace.find(workspace)
    campaign = ws.campaign()
    return ws, campaign, ws.rubric(campaign), ws.units(campaign)


def parts(content: bytes) -> dict[str, bytes]:
    """Every file of a workbook but its creation time (docProps/core.xml), checked against its CRC."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def style_of(cell) -> tuple:
    return (repr(cell.font), repr(cell.fill), repr(cell.border), repr(cell.alignment), repr(cell.protection),
            cell.number_format, cell.quotePrefix)


def workbook_facts(content: bytes) -> dict:
    """What the applications show of a workbook, as openpyxl reads it: cells with their values and styles, merges,
    validations, protection, hidden states, row heights, column widths, print titles, defined names."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    facts: dict = {"sheets": book.sheetnames, "active": book.active.title,
                   "security": repr(book.security), "names": sorted(book.defined_names)}
    for sheet in book.worksheets:
        facts[sheet.title] = {
            "cells": {cell.coordinate: (cell.value, cell.data_type, style_of(cell))
                      for row in sheet.iter_rows() for cell in row},
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "validations": sorted((v.type, v.formula1, v.formula2, str(v.sqref), v.prompt, v.error)
                                  for v in sheet.data_validations.dataValidation),
            "protection": repr(sheet.protection),
            "state": sheet.sheet_state,
            "heights": {n: d.height for n, d in sheet.row_dimensions.items()},
            "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
            "print": (sheet.print_title_rows, repr(sheet.page_setup), sheet.freeze_panes,
                      [b.id for b in sheet.row_breaks.brk], sorted(sheet.defined_names)),
        }
    return facts


def reference(tmp_path: Path, campaign, rubric, unit) -> bytes:
    path = tmp_path / "reference.xlsx"
    write_self_assessment(path, campaign, rubric, unit, SECRET, MOMENT)
    return path.read_bytes()


def test_stamped_workbooks_are_the_reference_writers_part_for_part_and_cell_for_cell(campaign, tmp_path):
    _, campaign, rubric, units = campaign
    department = next(u for u in units if u.type == "department" and not rubric.tasks_for(u.name, u.type))
    township = next(u for u in units if u.type == "township")
    with_tasks = max(units, key=lambda u: len(rubric.tasks_for(u.name, u.type)))
    assert rubric.tasks_for(with_tasks.name, with_tasks.type)
    odd = [replace(department if index % 2 else township, name=name) for index, name in enumerate(ODD_NAMES)]
    factory = WorkbookFactory(campaign, rubric, SECRET)
    for unit in [department, township, with_tasks, *odd]:
        assert stamps(unit.name), unit.name
        expected, stamped = reference(tmp_path, campaign, rubric, unit), factory.content(unit, MOMENT)
        assert parts(stamped) == parts(expected), unit.name
        assert workbook_facts(stamped) == workbook_facts(expected), unit.name
    long_name = workbook_facts(factory.content(odd[2], MOMENT))[layout.SHEET_GUIDE]["heights"][2]
    assert long_name > workbook_facts(factory.content(township, MOMENT))[layout.SHEET_GUIDE]["heights"][2]


def test_a_name_no_template_can_carry_is_written_by_the_reference_writer(campaign, tmp_path):
    _, campaign, rubric, units = campaign
    factory = WorkbookFactory(campaign, rubric, SECRET)
    for name in REFERENCE_ONLY:
        unit = replace(units[0], name=name)
        assert not stamps(name)
        stamped = factory.content(unit, MOMENT)
        assert parts(stamped) == parts(reference(tmp_path, campaign, rubric, unit)), name


def test_units_of_one_shape_share_a_template_and_each_keeps_its_own_identity(campaign, tmp_path):
    _, campaign, rubric, units = campaign
    first = next(u for u in units if u.type == "township")
    second = replace(first, name=first.name[::-1])  # the same width, the same (no) tasks
    assert shape(rubric, first) == shape(rubric, second)
    assert shape(rubric, first) != shape(rubric, replace(first, name=first.name + "甲"))
    factory = WorkbookFactory(campaign, rubric, SECRET)
    identities = []
    for unit in (first, second):
        path = tmp_path / f"{unit.name}.xlsx"
        path.write_bytes(factory.content(unit, MOMENT))
        identity = read_workbook(path).identity
        assert identity[layout.ID_UNIT] == unit.name
        assert is_sealed(SECRET, identity, SELF_ASSESSMENT_FIELDS)
        identities.append(identity)
    assert identities[0][layout.ID_MAC] != identities[1][layout.ID_MAC]


def test_two_units_of_one_template_are_ingested_as_themselves_and_verified(cli, workspace, tmp_path):
    ws = Workspace.find(workspace)
    campaign = ws.campaign()
    rubric = ws.rubric(campaign)
    by_shape: dict = {}
    for unit in ws.units(campaign):
        by_shape.setdefault(shape(rubric, unit), []).append(unit)
    units = next(units for units in by_shape.values() if len(units) >= 2)[:2]
    pair = [unit.name for unit in units]
    first_item = rubric.for_type(units[0].type).items[0]
    assert cli("generate", "--unit", pair[0], "--unit", pair[1], "-w", workspace).code == 0
    returned = []
    for name in pair:
        answers = Answers()
        answers.form.update({"负责人": "王主任", "填报人": "李明"})
        answers.scores[first_item.id] = 1
        target = tmp_path / "returns" / f"{name}.xlsx"
        target.parent.mkdir(exist_ok=True)
        fill_workbook(workspace / "outbox" / f"2017年度法治政府建设自评表_{name}.xlsx", target, answers)
        returned.append(target)
    result = cli("ingest", *returned, "-w", workspace)
    assert result.code == 0, result.out
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db:
        taken = sorted(unit for (unit,) in db.execute("SELECT unit FROM submissions"))
    assert taken == sorted(pair)


@pytest.mark.libreoffice
def test_a_stamped_workbook_with_an_odd_name_survives_libreoffice(campaign, tmp_path):
    soffice = external_tool("soffice")
    _, campaign, rubric, units = campaign
    unit = replace(next(u for u in units if u.type == "department"), name=ODD_NAMES[0])
    source = tmp_path / "stamped.xlsx"
    source.write_bytes(WorkbookFactory(campaign, rubric, SECRET).content(unit, MOMENT))
    saved = libreoffice_convert(soffice, source, tmp_path / "lo", tmp_path / "profile")
    read = read_workbook(saved)
    assert read.identity[layout.ID_UNIT] == unit.name
    assert is_sealed(SECRET, read.identity, SELF_ASSESSMENT_FIELDS)
    assert read.fingerprint() == read.identity[layout.ID_FINGERPRINT]
    assert read.structure_problems == []
    book = openpyxl.load_workbook(saved)
    assert book[layout.SHEET_SCORES]["A2"].value.startswith(f"填报单位:{unit.name} ")


def test_a_batch_written_at_once_ends_with_whole_files_and_no_part(tmp_path):
    old = tmp_path / "old.bin"
    old.write_bytes(b"old")
    atomic_write_all([(old, b"new"), (tmp_path / "b.bin", b"b")])
    assert old.read_bytes() == b"new" and (tmp_path / "b.bin").read_bytes() == b"b"
    with pytest.raises(FileNotFoundError):
        atomic_write_all([(tmp_path / "c.bin", b"c"), (tmp_path / "missing" / "x.bin", b"x"),
                          (tmp_path / "d.bin", b"d")])
    assert (tmp_path / "c.bin").read_bytes() == b"c"  # written before the failure: completed, as file by file
    assert not (tmp_path / "d.bin").exists()
    assert list(tmp_path.rglob("*.part")) == []


def test_generate_reports_progress_in_order_and_keeps_existing_files_across_batches(workspace):
    ws = Workspace.find(workspace)
    units = ws.units(ws.campaign())
    assert len(units) > BATCH  # more than one batch
    (workspace / "outbox").mkdir(exist_ok=True)
    existing = workspace / "outbox" / f"2017年度法治政府建设自评表_{units[BATCH + 1].name}.xlsx"
    existing.write_bytes(b"the unit's copy")
    seen = []
    result = write_workbooks(ws, on_progress=lambda unit, total: seen.append((unit.name, total)))
    assert seen == [(unit.name, len(units)) for unit in units]
    assert result.kept == [existing] and existing.read_bytes() == b"the unit's copy"
    assert [path.name.split("_", 1)[1][:-5] for path in result.written] == [
        unit.name for unit in units if unit.name != units[BATCH + 1].name]
    assert all(read_workbook(path).identity[layout.ID_UNIT] == path.stem.split("_", 1)[1] for path in result.written)
    assert list((workspace / "outbox").glob("*.part")) == []


def test_a_batch_whose_rename_fails_leaves_no_part_and_whole_files_only(tmp_path):
    (tmp_path / "in the way.bin").mkdir()  # a folder where a file should go: renaming over it fails
    (tmp_path / "in the way.bin" / "x").write_bytes(b"")
    files = [(tmp_path / f"{index}.bin", bytes([index]) * 100) for index in range(20)]
    with pytest.raises(OSError):
        atomic_write_all([*files[:10], (tmp_path / "in the way.bin", b"x"), *files[10:]])
    assert list(tmp_path.rglob("*.part")) == []
    for path, content in files:
        assert not path.exists() or path.read_bytes() == content


def test_templates_made_ahead_on_every_core_stamp_the_workbooks_made_one_by_one(campaign, monkeypatch):
    from fazhi_cli.workbook.templates import TEMPLATES_IN_PARALLEL

    _, campaign, rubric, units = campaign
    township = next(u for u in units if u.type == "township")
    with_tasks = max(units, key=lambda u: len(rubric.tasks_for(u.name, u.type)))
    widths = [replace(township, name="镇" + "甲" * k + "乡") for k in range(TEMPLATES_IN_PARALLEL)]
    shapes = {shape(rubric, u): u for u in [*widths, with_tasks]}
    assert len(shapes) >= TEMPLATES_IN_PARALLEL
    chosen = [*shapes.values(), replace(township, name="=危险局")]  # the last one no template carries
    monkeypatch.setenv("FAZHI_WORKERS", "2")
    ahead = WorkbookFactory(campaign, rubric, SECRET)
    ahead.prepare(chosen)
    assert len(ahead._templates) == len(chosen) - 1
    monkeypatch.setenv("FAZHI_WORKERS", "1")
    lazy = WorkbookFactory(campaign, rubric, SECRET)
    for unit in chosen:
        assert parts(ahead.content(unit, MOMENT)) == parts(lazy.content(unit, MOMENT)), unit.name
