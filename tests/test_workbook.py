"""Self-assessment workbooks: layout, identity, validation, protection, print set-up, filling, reading."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import external_tool
from test_rubric_model import DEPARTMENT, DEPARTMENT_RULES, TOWNSHIP, TOWNSHIP_RULES
from workbook_helpers import libreoffice_convert, product_numbers, varied_answers

from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.filler import Answers, fill_workbook
from fazhi_cli.workbook.reader import read_workbook

RUBRIC = builtin_rubric().with_months(tuple(range(1, 12)))  # the 2017 campaign: returns due in December


def outbox_file(workspace: Path, unit: str) -> Path:
    return workspace / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx"


@pytest.fixture
def generated(cli, workspace) -> Path:
    result = cli("generate", cwd=workspace)
    assert result.code == 0, result.err
    return workspace


def expected_ids(maxima: dict, rules: dict, monthly: str) -> set[str]:
    items = {k for k in maxima if "." in k}
    months = {f"{monthly}.{m:02d}" for m in range(1, 13)}
    return items | set(rules) | months | {"B1", "B2", "P1", "P2"}


def test_generate_writes_one_workbook_per_unit_with_every_id(cli, generated):
    units = [unit for unit in load_roster(sample_roster_path()) if unit.assessed]
    files = sorted((generated / "outbox").glob("*.xlsx"))
    assert len(files) == len(units) == 54
    assert not outbox_file(generated, "区政府法制办").exists()  # the assessing office does not assess itself
    for unit_name, maxima, rules, monthly in [("区发改局", DEPARTMENT, DEPARTMENT_RULES, "3.2a"),
                                              ("拣银岩街道", TOWNSHIP, TOWNSHIP_RULES, "2.2a")]:
        read = read_workbook(outbox_file(generated, unit_name))
        assert set(read.rows) == expected_ids(maxima, rules, monthly)
        assert read.identity[layout.ID_UNIT] == unit_name
        assert read.identity[layout.ID_FINGERPRINT] == read.fingerprint()
        assert read.structure_problems == [] and read.duplicates == []
        assert {r.id: layout.format_points(Decimal(str(r.max.raw))) for r in read.rows.values()
                if r.max.raw is not None} == {k: v for k, v in maxima.items() if "." in k}


def test_generate_does_not_overwrite_without_force(cli, generated):
    target = outbox_file(generated, "区发改局")
    target.write_bytes(b"the unit's copy")
    again = cli("generate", "--unit", "区发改局", cwd=generated)
    assert again.code == 0 and "已存在,未覆盖" in again.err and target.read_bytes() == b"the unit's copy"
    forced = cli("generate", "--unit", "区发改局", "--force", cwd=generated)
    assert forced.code == 0 and "已生成 1 份" in forced.out and target.read_bytes() != b"the unit's copy"


def test_generate_by_type_and_unknown_unit(cli, workspace):
    result = cli("generate", "--type", "township", cwd=workspace)
    assert result.code == 0 and "已生成 25 份" in result.out
    unknown = cli("generate", "--unit", "区不存在局", cwd=workspace)
    assert unknown.code == 2 and "区不存在局" in unknown.err


def test_generate_refuses_a_broken_roster_or_rubric(cli, workspace):
    shutil.copyfile(workspace / "rubric.yaml", workspace / "rubric.bak")
    text = (workspace / "rubric.yaml").read_text("utf-8").replace('max: "15"', 'max: "16"', 1)
    (workspace / "rubric.yaml").write_text(text, "utf-8")
    result = cli("generate", cwd=workspace)
    assert result.code == 2 and "rubric.yaml" in result.err and "不符" in result.err
    assert list((workspace / "outbox").iterdir()) == []
    shutil.copyfile(workspace / "rubric.bak", workspace / "rubric.yaml")
    book = openpyxl.load_workbook(workspace / "units.xlsx")
    book.active["B3"] = "未知类型"
    book.save(workspace / "units.xlsx")
    result = cli("generate", cwd=workspace)
    assert result.code == 2 and "第 3 行" in result.err and "未知类型" in result.err


def test_sheets_validation_protection_and_print_setup(generated):
    book = openpyxl.load_workbook(outbox_file(generated, "区司法局"))
    assert book.sheetnames[:4] == [layout.SHEET_GUIDE, layout.SHEET_SCORES, layout.SHEET_TASKS, layout.SHEET_TARGETS]
    assert book[layout.SHEET_IDENTITY].sheet_state == "veryHidden"
    assert book[layout.SHEET_LISTS].sheet_state == "hidden"
    sheet = book[layout.SHEET_SCORES]
    validations = sheet.data_validations.dataValidation
    lists = [v for v in validations if v.type == "list"]
    assert lists and all(v.formula1.startswith(f"{layout.SHEET_LISTS}!") for v in lists)  # never inline
    assert {v.type for v in validations} == {"list", "whole", "decimal"}
    assert all(v.error and v.prompt and v.showErrorMessage for v in validations)
    assert sheet.protection.sheet and not sheet.protection.formatColumns and not sheet.protection.formatRows
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$4:$4"
    assert sheet.freeze_panes == "C5"
    header = [c.value for c in sheet[4]]
    assert header == list(layout.SCORE_COLUMNS)
    rows = {sheet.cell(r, header.index(layout.COL_ID) + 1).value: r for r in range(5, sheet.max_row + 1)}
    score_col = header.index(layout.COL_SCORE) + 1
    fact_col = header.index(layout.COL_FACT) + 1
    ceiling_col = header.index(layout.COL_CEILING) + 1
    assert sheet.cell(rows["4.1"], score_col).protection.locked is False
    assert sheet.cell(rows["4.1a"], fact_col).protection.locked is False
    assert sheet.cell(rows["4.1"], ceiling_col).protection.locked is True
    assert sheet.cell(rows["4.1"], header.index(layout.COL_MAX) + 1).protection.locked is True
    assert str(sheet.cell(rows["4.1"], ceiling_col).value).startswith("=MAX(0,")
    tasks = book[layout.SHEET_TASKS]
    assert tasks.max_row - 3 == 1 and tasks.protection.sheet  # 区级相关部门 names no unit: only task 12 names it
    task_header = [c.value for c in tasks[3]]
    row = dict(zip(task_header, [c.value for c in tasks[4]], strict=True))
    assert (row["序号"], row["牵头单位"], row["本单位角色"]) == ("12", "区政府法制办", "参与")
    assert row["参与单位"] == "区司法局、区级相关部门、各乡镇(街道)"
    targets = book[layout.SHEET_TARGETS]
    assert targets.max_row - 3 == 10


def test_township_gets_its_tasks_and_targets(generated):
    book = openpyxl.load_workbook(outbox_file(generated, "元坝镇"))
    tasks = book[layout.SHEET_TASKS]
    numbers = [int(tasks.cell(r, 1).value) for r in range(4, tasks.max_row + 1)]
    assert numbers == [1, 2, 3, 4, 8, 9, 10, 11, 12, 17, 18, 19, 20]  # 各乡镇(街道): every township
    roles = {tasks.cell(r, layout.TASK_COLUMNS.index("本单位角色") + 1).value for r in range(4, tasks.max_row + 1)}
    assert roles == {"参与"}
    assert book[layout.SHEET_TARGETS].max_row - 3 == 8


def test_filled_workbook_reads_back_and_text_stays_text(generated, tmp_path):
    source = outbox_file(generated, "区发改局")
    answers = Answers(
        facts={"4.1a": 2, "1.1a": "是", "3.2a.03": "１条", "B1": "是"},
        scores={"1.1": 8, "4.1": "13分", "3.2": 4.4},
        notes={"1.1": "=cmd|' /C calc'!A0", "4.1": "两名执法人员未持证"},
        evidence={"1.1": "决策目录.pdf"},
        tasks={1: ("已完成", "不是本单位的任务"), 5: ("推进中", "")},
    )
    filled = tmp_path / "filled.xlsx"
    fill_workbook(source, filled, answers)
    read = read_workbook(filled)
    assert read.rows["4.1a"].fact.raw == 2 and read.rows["1.1a"].fact.raw == "是"
    assert read.rows["3.2a.03"].fact.raw == "１条"
    assert read.rows["4.1"].score.raw == "13分" and read.rows["3.2"].score.raw == 4.4
    assert read.rows["1.1"].note.raw == "=cmd|' /C calc'!A0"
    assert read.rows["1.1"].score.ref.startswith("自评表!I")
    assert 1 not in read.tasks and read.tasks[5].status.raw == "推进中"
    assert read.fingerprint() == read.identity[layout.ID_FINGERPRINT]
    cell = openpyxl.load_workbook(filled)[layout.SHEET_SCORES][read.rows["1.1"].note.ref.split("!")[1]]
    assert cell.data_type == "s"


def test_reader_finds_rows_after_an_inserted_row_and_sees_a_changed_maximum(generated, tmp_path):
    book = openpyxl.load_workbook(outbox_file(generated, "区发改局"))
    sheet = book[layout.SHEET_SCORES]
    sheet.protection.sheet = False
    sheet.insert_rows(2)
    for row in range(6, sheet.max_row + 1):
        if sheet.cell(row, 2).value == "2.1":
            sheet.cell(row, 5).value = 6
    book.save(tmp_path / "changed.xlsx")
    read = read_workbook(tmp_path / "changed.xlsx")
    assert read.rows["2.1"].max.raw == 6 and read.rows["2.1"].line == 11
    assert read.fingerprint() != read.identity[layout.ID_FINGERPRINT]


@pytest.mark.libreoffice
def test_libreoffice_round_trip_keeps_identity_inputs_and_computes_the_products_numbers(generated, tmp_path):
    soffice = external_tool("soffice")
    cases = [("区发改局", "department", 1), ("区公安分局", "department", 2), ("元坝镇", "township", 3),
             ("拣银岩街道", "township", 4)]
    for unit, unit_type, seed in cases:
        answers = varied_answers(RUBRIC, unit_type, seed)
        filled = tmp_path / f"{unit}.xlsx"
        fill_workbook(outbox_file(generated, unit), filled, answers)
        saved = libreoffice_convert(soffice, filled, tmp_path / "lo", tmp_path / "profile")
        read = read_workbook(saved)
        assert read.identity[layout.ID_UNIT] == unit
        assert read.fingerprint() == read.identity[layout.ID_FINGERPRINT]
        for key, value in answers.facts.items():
            assert read.rows[key].fact.raw == value
        ceilings, total = product_numbers(RUBRIC, unit_type, answers)
        book = openpyxl.load_workbook(saved, data_only=True)
        sheet = book[layout.SHEET_SCORES]
        for item_id, ceiling in ceilings.items():
            ref = read.rows[item_id].score.ref.split("!")[1]
            computed = sheet[ref].offset(0, -1).value  # 得分上限 is left of 自评得分
            assert Decimal(str(round(computed, 2))) == ceiling, (unit, item_id)
        top_total = sheet["I2"].value
        assert Decimal(str(round(top_total, 2))) == total, unit
        assert book[layout.SHEET_IDENTITY].sheet_state in ("hidden", "veryHidden")
        assert sheet.protection.sheet and len(sheet.data_validations.dataValidation) >= 3
        lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
        assert lists and all(layout.SHEET_LISTS in v.formula1 for v in lists)
        assert sheet[read.rows["1.1"].score.ref.split("!")[1]].protection.locked is False


@pytest.mark.libreoffice
def test_blank_workbook_through_libreoffice_shows_the_blank_ceilings(generated, tmp_path):
    soffice = external_tool("soffice")
    saved = libreoffice_convert(soffice, outbox_file(generated, "卫子镇"), tmp_path / "lo", tmp_path / "profile")
    ceilings, total = product_numbers(RUBRIC, "township", Answers())
    read = read_workbook(saved)
    sheet = openpyxl.load_workbook(saved, data_only=True)[layout.SHEET_SCORES]
    for item_id, ceiling in ceilings.items():
        assert Decimal(str(round(sheet[read.rows[item_id].score.ref.split("!")[1]].offset(0, -1).value, 2))) == ceiling
    assert ceilings["2.2"] == Decimal("5.6")  # no month filled counts as none sent: 10 − 22 × 0.2 (January–November)
    assert total == 0
