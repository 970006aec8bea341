"""The office's own workbooks sent back as .xls, .et or .ods (issue 22, "What units send"): a 复核打分表 and a 台账
saved by LibreOffice are read to the same values as their .xlsx, their seals included, and a formula in the ledger
is still a formula; a return's hidden rows and columns are found in .xls and .ods as in .xlsx.

The files are real: the workbooks fazhi writes, filled by the test helpers and saved as .xls and .ods by LibreOffice
headless (skipped with the reason when LibreOffice is absent, required in CI by FAZHI_REQUIRE_EXTERNAL=1).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import external_tool
from test_ingest import fill
from test_ledger import col, make_ledger, put
from test_scores import edit_review, full_marks, query, returned, review_sheet_path
from workbook_helpers import libreoffice_convert, libreoffice_encrypt

from fazhi_cli.domain.limits import Limits
from fazhi_cli.errors import RosterInvalid
from fazhi_cli.intake import workbook_problem
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import read_return_data
from fazhi_cli.workbook.reader import RefusedWorkbook

TOWNS = "乡镇(街道)"
FORMATS = ("xlsx", "xls", "et", "ods")
pytestmark = pytest.mark.libreoffice


@pytest.fixture
def soffice() -> str:
    return external_tool("soffice")


def as_each_format(soffice: str, source: Path, folder: Path) -> dict[str, Path]:
    """The workbook as it is, and saved by LibreOffice as .xls (also renamed .et, as WPS names it) and .ods."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = {"xlsx": source}
    for to in ("xls", "ods"):
        saved[to] = libreoffice_convert(soffice, source, folder / to, folder / "profile", to=to)
    saved["et"] = folder / f"{source.stem}.et"
    shutil.copyfile(saved["xls"], saved["et"])
    return saved


def copies(workspace: Path, tmp_path: Path) -> dict[str, Path]:
    """One copy of the workspace for each format, so that each file is taken into the same state."""
    return {suffix: Path(shutil.copytree(workspace, tmp_path / f"ws-{suffix}")) for suffix in FORMATS}


def test_a_review_sheet_saved_as_xls_et_or_ods_records_the_same_office_values_as_its_xlsx(
        cli, workspace, tmp_path, soffice):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township"), "元坝镇": full_marks("township")})
    assert cli("review-sheet", cwd=workspace).code == 0
    filled = tmp_path / "复核打分表_已填.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), filled, {("卫子镇", "1.1"): 12, ("元坝镇", "1.2"): 7.5},
                {("卫子镇", "1.1"): "台账不全", ("元坝镇", "1.2"): "制度未更新"})
    files, spaces = as_each_format(soffice, filled, tmp_path / "saved"), copies(workspace, tmp_path)
    recorded, scores = {}, {}
    for suffix in FORMATS:
        result = cli("ingest", files[suffix], cwd=spaces[suffix])
        assert result.code == 0, result.out + result.err
        assert "记录核定得分 2 项" in result.out, result.out
        recorded[suffix] = [tuple(r) for r in query(spaces[suffix], "SELECT unit, ref, raw, cell FROM reviews")]
        scores[suffix] = cli("score", "--json", cwd=spaces[suffix]).json()["units"]
    assert len(recorded["xlsx"]) == 2 and {r[:3] for r in recorded["xlsx"]} == {("卫子镇", "1.1", "12"),
                                                                                  ("元坝镇", "1.2", "7.5")}
    for suffix in FORMATS[1:]:
        assert recorded[suffix] == recorded["xlsx"], suffix
        assert scores[suffix] == scores["xlsx"], suffix


def test_a_forged_review_sheet_saved_as_xls_is_refused_by_its_seal(cli, workspace, tmp_path, soffice):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    assert cli("review-sheet", cwd=workspace).code == 0
    book = openpyxl.load_workbook(review_sheet_path(workspace, TOWNS))
    identity = book[layout.SHEET_IDENTITY]
    for row in identity.iter_rows():
        if row[0].value == layout.ID_REVIEWS_UPTO:
            row[1].value = "999"
    forged = tmp_path / "改过的复核表.xlsx"
    book.save(forged)
    xls = as_each_format(soffice, forged, tmp_path / "saved")["xls"]
    result = cli("ingest", xls, cwd=workspace)
    assert result.code == 1 and "Traceback" not in result.err
    row = query(workspace, "SELECT outcome, code FROM files WHERE original_name = ?", xls.name)[0]
    assert (row["outcome"], row["code"]) == ("refused", "review_forged")


def ledger_rows(workspace: Path) -> list[tuple]:
    rows = query(workspace, "SELECT record, unit, data, cell, problem IS NOT NULL AS bad FROM ledger_entries "
                            "ORDER BY id")
    return [(r["record"], r["unit"], json.loads(r["data"]), r["cell"], r["bad"]) for r in rows]


def test_a_ledger_saved_as_xls_et_or_ods_records_the_same_rows_as_its_xlsx_and_a_formula_stays_a_formula(
        cli, workspace, tmp_path, soffice):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "区司法局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    put(book, "信息报送", "区发改局", {f"{m}月": 2 for m in range(1, 12)} | {"3月": 1})
    put(book, "行政执法指导案例", "区司法局", {"收到日期": dt.date(2017, 12, 15), "件数": 2, "是否符合要求": "否",
                                               "酌情扣分": 1, "理由": "案例未经集体讨论评选"})
    formula = put(book, "实地检查", "区发改局", {"编号": "6.4", "检查发现": "x", "酌情扣分": "=1+1", "理由": "y"})
    source = tmp_path / "台账.xlsx"
    book.save(source)
    files, spaces = as_each_format(soffice, source, tmp_path / "saved"), copies(workspace, tmp_path)
    rows, scores = {}, {}
    for suffix in FORMATS:
        result = cli("ingest", files[suffix], cwd=spaces[suffix])
        assert result.code == 1 and "Traceback" not in result.err  # the formula's row is not taken
        rows[suffix] = ledger_rows(spaces[suffix])
        scores[suffix] = cli("score", "--json", cwd=spaces[suffix]).json()["units"]
    formula_cell = f"实地检查!{col(book, '实地检查', '酌情扣分')}{formula}"
    assert [r[3] for r in rows["xlsx"] if r[4]] == [formula_cell]
    assert any(r[2].get("months", {}).get("3") == 1 for r in rows["xlsx"] if r[1] == "区发改局")
    for suffix in FORMATS[1:]:
        assert rows[suffix] == rows["xlsx"], suffix
        assert scores[suffix] == scores["xlsx"], suffix
        problem = query(spaces[suffix], "SELECT problem FROM ledger_entries WHERE problem IS NOT NULL")[0][0]
        assert "是公式“=" in problem and "台账不计算公式" in problem, problem


def test_a_hidden_row_and_column_in_an_xls_or_ods_return_are_found_as_in_its_xlsx(cli, workspace, tmp_path, soffice):
    assert cli("generate", "--unit", "区发改局", cwd=workspace).code == 0
    source = fill(workspace, tmp_path / "区发改局.xlsx", "区发改局")
    book = openpyxl.load_workbook(source)
    sheet = book[layout.SHEET_SCORES]
    header = next(r for r in range(1, 20) if layout.COL_ID in [c.value for c in sheet[r]])
    titles = {c.value: c.column_letter for c in sheet[header]}
    line = next(r for r in range(header + 1, sheet.max_row + 1) if sheet[f"{titles[layout.COL_ID]}{r}"].value == "2.1")
    sheet.row_dimensions[line].hidden = True
    sheet.column_dimensions[titles[layout.COL_NOTE]].hidden = True
    book.save(source)
    as_xlsx = read_return_data(source.read_bytes())
    assert as_xlsx.hidden_rows == [("2.1", line)] and as_xlsx.hidden_columns == [layout.COL_NOTE]
    files = as_each_format(soffice, source, tmp_path / "saved")
    for suffix in ("xls", "ods"):
        other = read_return_data(files[suffix].read_bytes())
        assert (other.hidden_rows, other.hidden_columns) == (as_xlsx.hidden_rows, as_xlsx.hidden_columns), suffix
        assert other.rows == as_xlsx.rows, suffix
    for suffix in ("xls", "ods"):
        space = Path(shutil.copytree(workspace, tmp_path / f"ws-{suffix}"))
        assert cli("ingest", files[suffix], cwd=space).code == 0
        findings = cli("validate", "--json", cwd=space).json()["findings"]
        hidden = {f["ref"] for f in findings if f["code"] == "hidden_input"}
        assert "2.1" in hidden, (suffix, findings)


def test_a_roster_saved_as_xls_et_or_ods_holds_the_same_units_and_a_damaged_one_is_refused_in_chinese(
        cli, tmp_path, soffice):
    files = as_each_format(soffice, sample_roster_path(), tmp_path / "saved")
    expected = load_roster(files["xlsx"])
    for suffix in ("xls", "et", "ods"):
        assert load_roster(files[suffix]) == expected, suffix
    created = cli("init", tmp_path / "ws", "--units", files["et"])
    assert created.code == 0, created.err
    assert cli("status", "--json", cwd=tmp_path / "ws").code == 0
    damaged = tmp_path / "名单.xls"
    damaged.write_bytes(files["xls"].read_bytes()[:2000])
    with pytest.raises(RosterInvalid) as refused:
        load_roster(damaged)
    assert "名单.xls" in str(refused.value) and "另存为" in refused.value.hint


def test_a_rubric_workbook_saved_as_xls_or_ods_is_refused_with_how_to_save_it(cli, tmp_path, soffice):
    exported = tmp_path / "细则.xlsx"
    assert cli("rubric", "export", exported).code == 0
    files = as_each_format(soffice, exported, tmp_path / "saved")
    for suffix in ("xls", "ods"):
        result = cli("rubric", "check", files[suffix])
        assert result.code == 2 and "Traceback" not in result.err, result.err
        assert f"{files[suffix].name} 是 .xls、.et 或 .ods 格式的表格" in result.err and "另存为" in result.err
    renamed = tmp_path / "细则(其实是xls).xlsx"
    shutil.copyfile(files["xls"], renamed)  # the bytes decide, not the name
    result = cli("init", tmp_path / "ws", "--rubric", renamed)
    assert result.code == 2 and "是 .xls、.et 或 .ods 格式的表格" in result.err, result.err


def test_a_real_password_protected_xls_or_ods_return_or_review_sheet_is_refused_as_encrypted(
        cli, workspace, tmp_path, soffice):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    assert cli("generate", "--unit", "区发改局", cwd=workspace).code == 0
    assert cli("review-sheet", cwd=workspace).code == 0
    unit_return = fill(workspace, tmp_path / "区发改局.xlsx", "区发改局")
    locked = tmp_path / "locked"
    locked.mkdir()
    review = review_sheet_path(workspace, TOWNS)
    files = [libreoffice_encrypt(soffice, unit_return, locked / "区发改局自评表.xls", tmp_path / "p1"),
             libreoffice_encrypt(soffice, unit_return, locked / "区发改局自评表.ods", tmp_path / "p2"),
             libreoffice_encrypt(soffice, review, locked / "复核打分表.xls", tmp_path / "p3")]
    et = locked / "区发改局自评表.et"
    shutil.copyfile(files[0], et)
    with pytest.raises(RefusedWorkbook) as refused:
        read_return_data(files[0].read_bytes())
    assert refused.value.code == "encrypted"
    other = Path(shutil.copytree(workspace, tmp_path / "ws-et"))  # the .et holds the .xls's bytes: its own workspace
    for path, space in [*((f, workspace) for f in files), (et, other)]:
        result = cli("ingest", path, cwd=space)
        assert result.code == 1 and "Traceback" not in result.out + result.err
        rows = query(space, "SELECT outcome, code, message FROM files WHERE original_name = ?", path.name)
        assert len(rows) == 1, (path.name, result.out)
        row = rows[0]
        assert (row["outcome"], row["code"]) == ("refused", "encrypted"), path.name
        assert row["message"] == f"「{path.name}」已加密(设有打开密码),无法读取。请取消密码后重新保存为 .xlsx 再报送。"


def test_an_xls_is_held_to_the_sheet_and_cell_limits_before_it_is_parsed(tmp_path, soffice):
    xls = as_each_format(soffice, sample_roster_path(), tmp_path / "saved")["xls"].read_bytes()
    assert workbook_problem(xls, "名单.xls") is None
    too_many_cells = workbook_problem(xls, "名单.xls", Limits(cells=20))
    assert too_many_cells.code == "over_limit" and too_many_cells.message.startswith("「名单.xls」")
    assert "单元格" in too_many_cells.message
    assert "工作表数" in workbook_problem(xls, "名单.xls", Limits(sheets=0)).message
