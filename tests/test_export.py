"""`fazhi export`: the long table (one row per returned unit and item, then 特别加分 and 特别扣分), as a summary,
as JSON with English keys, and as CSV for Excel (UTF-8 with a BOM; a hostile text stays text)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from test_item_evidence import DEPT, PDF, send_zip

from fazhi_cli.reports.item_table import COLUMNS, as_text
from fazhi_cli.rubric.loading import builtin_rubric

RUBRIC = builtin_rubric()
ITEMS = [item.id for item in RUBRIC.for_type("department").items]
EVIDENCE = {"1.1": "重大行政决策目录.pdf、签到表.jpg", "2.1": "=1+1"}
KEYS = ["state", "unit", "type", "type_label", "ref", "item", "max", "self_score", "office_score", "counted",
        "office_reason", "note", "evidence", "evidence_files", "evidence_missing"]


@pytest.fixture
def returned(cli, workspace, tmp_path) -> Path:
    """The department's return (a zip with its form and one of the two files its item 1.1 names), and the
    office's value on 1.2 with a hostile reason."""
    assert cli("generate", "--unit", DEPT, "-w", workspace).code == 0
    sent = send_zip(workspace, tmp_path, EVIDENCE, ["重大行政决策目录.pdf"])
    assert cli("ingest", sent, "-w", workspace).code == 0
    assert cli("review-sheet", "-w", workspace).code == 0
    [sheet_file] = (workspace / "review").glob("*区级部门*.xlsx")
    book = openpyxl.load_workbook(sheet_file)
    sheet = book["复核打分表"]
    header = {cell.value: cell.column for cell in sheet[4]}
    line = next(n for n in range(5, sheet.max_row + 1) if sheet.cell(n, header["编号"]).value == "1.2")
    sheet.cell(line, header["核定得分"]).value = 4.4
    sheet.cell(line, header["核定理由"]).value = "@SUM(A1) 备案不全"
    book.save(sheet_file)
    assert cli("ingest", sheet_file, "-w", workspace).code == 0
    return workspace


def test_json_has_a_row_per_item_and_the_special_rows(cli, returned):
    result = cli("export", "--json", "-w", returned)
    assert result.code == 0, result.err
    rows = result.json()
    assert [r["ref"] for r in rows] == [*ITEMS, "特别加分", "特别扣分"]  # only the unit that returned
    assert all(list(r) == KEYS for r in rows)
    first, second = rows[0], rows[1]
    assert (first["unit"], first["type"], first["type_label"], first["state"]) == (
        DEPT, "department", "区级部门", "preliminary")
    assert (first["max"], first["self_score"], first["office_score"], first["counted"]) == (10, 10, None, 10)
    assert first["evidence"] == "重大行政决策目录.pdf、签到表.jpg"
    assert [f["name"] for f in first["evidence_files"]] == ["重大行政决策目录.pdf"]
    assert first["evidence_files"][0]["path"].startswith("archive/")
    assert (returned / first["evidence_files"][0]["path"]).read_bytes().startswith(PDF)
    assert first["evidence_missing"] == ["签到表.jpg"]
    assert (second["office_score"], second["counted"], second["office_reason"]) == (4.4, 4.4, "@SUM(A1) 备案不全")
    assert rows[2]["evidence"] == "=1+1" and rows[2]["evidence_missing"] == ["=1+1"]


def test_csv_opens_in_excel_with_texts_that_are_no_formulas(cli, returned, tmp_path):
    target = tmp_path / "逐项得分.csv"
    result = cli("export", "--csv", target, "-w", returned)
    assert result.code == 0, result.err
    assert "已写出" in result.err and str(len(ITEMS) + 2) in result.err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == [title for title, _ in COLUMNS]
    by_ref = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_ref["1.2"]["核定得分"] == "4.4" and by_ref["1.2"]["计分得分"] == "4.4" and by_ref["1.2"]["分值"] == "5"
    assert by_ref["1.2"]["核定理由"] == "'@SUM(A1) 备案不全"
    assert by_ref["2.1"]["佐证材料"] == "'=1+1" and by_ref["2.1"]["未收到的佐证文件"] == "'=1+1"
    assert by_ref["1.1"]["已收到的佐证文件"].startswith("重大行政决策目录.pdf(archive/")
    assert by_ref["特别扣分"]["分值"] == "" and by_ref["特别扣分"]["计分得分"] == "0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_guard_prefixes_every_formula_start_and_nothing_else():
    assert [as_text(t) for t in ("=1+1", "+1", "-2", "@A1", "\tx", "正常 =1")] == [
        "'=1+1", "'+1", "'-2", "'@A1", "'\tx", "正常 =1"]


def test_without_options_a_summary_and_a_hint(cli, returned):
    result = cli("export", "-w", returned)
    assert result.code == 0
    assert DEPT in result.out and "初步结果" in result.out and "签到表.jpg" in result.out
    assert "--csv" in result.err


def test_a_folder_or_a_missing_folder_as_the_csv_is_a_usage_error(cli, returned, tmp_path):
    assert cli("export", "--csv", tmp_path / "没有" / "x.csv", "-w", returned).code == 2
    folder = tmp_path / "目录"
    folder.mkdir()
    wrong = cli("export", "--csv", folder, "-w", returned)
    assert wrong.code == 2


def test_no_workspace_is_exit_2_and_nothing_returned_is_an_empty_table(cli, workspace, tmp_path):
    assert cli("export", "-w", tmp_path / "nowhere").code == 2
    empty = cli("export", "--json", "-w", workspace)
    assert empty.code == 0 and empty.json() == []
