"""`fazhi rectify generate`: one sealed 整改清单 for each unit that lost points, after the approval only — its rows,
its drop-down and date check, its locked and unlocked cells, text never a formula, and printed on A4 landscape."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
import pytest
from conftest import OFFICE_NOW
from helpers import external_tool, module_cli
from rectify_fill import header, identity_of, item_lines
from rectify_helpers import DEPT, POLICE, TOWN, approved_campaign
from workbook_helpers import libreoffice_convert

from fazhi_cli.domain.identity import RECTIFY_FIELDS, is_sealed
from fazhi_cli.domain.rectification import PENALTY_REF, RectifyItem
from fazhi_cli.domain.units import Unit
from fazhi_cli.rectify import approved_owed, layout
from fazhi_cli.rectify.writer import items_fingerprint, rectify_identity, write_rectify_workbook
from fazhi_cli.workbook import layout as book_layout
from fazhi_cli.workspace import Workspace

FOLDER = ("outbox", "整改")


def rectify_file(root: Path, unit: str) -> Path:
    return root.joinpath(*FOLDER, f"2017年度法治政府建设整改清单_{unit}.xlsx")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as patch:  # module scope: the office's clock by hand (the autouse is per test)
        patch.setenv("FAZHI_NOW", OFFICE_NOW)
        cli = module_cli(patch)
        root = approved_campaign(cli, tmp_path_factory.mktemp("rectify"))
        assert cli("rectify", "generate", "-w", root).code == 0
    return root


def test_generate_before_the_approval_is_a_usage_error_and_writes_nothing(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    result = cli("rectify", "generate", "-w", root)
    assert result.code == 2 and "尚未审定" in result.err and "fazhi approve" in result.err
    assert not root.joinpath(*FOLDER).exists()


def test_only_the_units_that_lost_points_get_a_workbook_with_their_items(generated):
    files = sorted(p.name for p in generated.joinpath(*FOLDER).iterdir())
    assert files == sorted(rectify_file(generated, unit).name for unit in (DEPT, TOWN))  # 区公安分局: full marks
    owed = approved_owed(Workspace(generated))
    for unit in (DEPT, TOWN):
        sheet = openpyxl.load_workbook(rectify_file(generated, unit))[layout.SHEET_RECTIFY]
        line, titles = header(sheet)
        assert line <= 15 and set(layout.RECTIFY_COLUMNS) <= set(titles)
        rows = [(sheet.cell(r, titles[layout.COL_ID]).value, sheet.cell(r, titles[layout.COL_PROBLEM]).value,
                 Decimal(str(sheet.cell(r, titles[layout.COL_DEDUCTION]).value))) for r in item_lines(sheet).values()]
        assert rows == [(i.ref, i.problem, i.deduction) for i in owed.items[unit]]
        assert sheet.cell(1, 1).value.endswith("整改清单") and unit in sheet.cell(2, 1).value
        assert any("2018年3月31日" in str(c.value) for c in sheet[2] if c.value)
    dept_rows = [i.ref for i in owed.items[DEPT]]
    assert dept_rows[-1] == PENALTY_REF and "一名执法人员未持证" in owed.items[DEPT][dept_rows.index("4.1")].problem


def test_each_workbook_carries_a_sealed_identity_of_its_unit_and_the_approval(generated):
    owed = approved_owed(Workspace(generated))
    secret = Workspace(generated).secret()
    for unit in (DEPT, TOWN):
        path = rectify_file(generated, unit)
        identity = identity_of(path)
        assert identity["format"] == "fazhi-rectify" and identity["unit"] == unit
        assert identity["approval"] == owed.approval and identity["fingerprint"] == items_fingerprint(owed.items[unit])
        assert is_sealed(secret, identity, RECTIFY_FIELDS)
        assert not is_sealed(secret, {**identity, "unit": POLICE}, RECTIFY_FIELDS)
        book = openpyxl.load_workbook(path)
        assert book[book_layout.SHEET_IDENTITY].sheet_state == "veryHidden"


def test_progress_is_a_drop_down_the_date_is_checked_and_only_the_units_columns_are_open(generated):
    book = openpyxl.load_workbook(rectify_file(generated, DEPT))
    sheet = book[layout.SHEET_RECTIFY]
    line, titles = header(sheet)
    lines = list(item_lines(sheet).values())
    listed = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    dated = [v for v in sheet.data_validations.dataValidation if v.type == "date"]
    assert len(listed) == 1 and len(dated) == 1
    choices = book[book_layout.SHEET_LISTS]
    assert [choices.cell(i, 1).value for i in (1, 2, 3)] == ["已完成", "推进中", "未启动"]
    assert listed[0].formula1 == f"{book_layout.SHEET_LISTS}!$A$1:$A$3"
    for row in lines:
        progress = sheet.cell(row, titles[layout.COL_PROGRESS]).coordinate
        done_on = sheet.cell(row, titles[layout.COL_DONE_ON])
        assert progress in listed[0].sqref and done_on.coordinate in dated[0].sqref
        assert done_on.number_format == layout.DATE_FORMAT
        for title in layout.UNIT_COLUMNS:
            assert sheet.cell(row, titles[title]).protection.locked is False, title
        for title in (layout.COL_ID, layout.COL_NAME, layout.COL_PROBLEM, layout.COL_DEDUCTION):
            assert sheet.cell(row, titles[title]).protection.locked is True, title
    assert sheet.protection.sheet is True and book.security.lockStructure is True
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${line}:${line}"
    assert sheet.cell(lines[0], titles[layout.COL_PROBLEM]).alignment.wrap_text is True


def test_a_units_note_starting_with_equals_stays_text(tmp_path, generated):
    workspace = Workspace(generated)
    items = (RectifyItem("1.1", "=HYPERLINK(\"http://x\")", "单位扣分说明:=SUM(A1:A9)", Decimal("0.5")),
             RectifyItem("1.2", "制度建设", "+1 -2 @rule", Decimal(1)))
    unit = Unit("区发改局", "department", "", "", "")
    path = tmp_path / "eq.xlsx"
    write_rectify_workbook(path, workspace.campaign(), unit, items, dt.date(2018, 3, 31),
                           rectify_identity(workspace.campaign(), unit, items, "x", workspace.secret()))
    sheet = openpyxl.load_workbook(path)[layout.SHEET_RECTIFY]
    _, titles = header(sheet)
    lines = item_lines(sheet)
    for ref, text in (("1.1", "单位扣分说明:=SUM(A1:A9)"), ("1.2", "+1 -2 @rule")):
        cell = sheet.cell(lines[ref], titles[layout.COL_PROBLEM])
        assert cell.data_type == "s" and cell.value == text
    named = sheet.cell(lines["1.1"], titles[layout.COL_NAME])
    assert named.data_type == "s" and named.value.startswith("=") and named.quotePrefix


def test_generate_for_named_units_and_one_that_owes_nothing(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    result = cli("rectify", "generate", "--unit", POLICE, "--unit", TOWN, "-w", root)
    assert result.code == 0 and "已生成 1 份" in result.out and "无需整改" in result.err + result.out
    assert [p.name for p in root.joinpath(*FOLDER).iterdir()] == [rectify_file(root, TOWN).name]
    unknown = cli("rectify", "generate", "--unit", "不存在局", "-w", root)
    assert unknown.code == 2 and "不存在局" in unknown.err


def test_help_has_examples(cli):
    result = cli("rectify", "generate", "--help")
    assert result.code == 0 and "示例" in result.out and "fazhi rectify generate --unit" in result.out


def test_printed_on_a4_landscape_every_column_on_the_page_and_the_header_on_every_page(tmp_path, generated):
    soffice, pdftotext = external_tool("soffice"), external_tool("pdftotext")
    workspace = Workspace(generated)
    long_problem = "未按规定报送法治政府建设信息,3月、7月共少报 3 条;单位扣分说明:信息员岗位调整,交接不及时。" * 3
    items = tuple(RectifyItem(f"{n // 4 + 1}.{n % 4 + 1}", f"考核项目{n}", long_problem, Decimal("0.6"))
                  for n in range(30))
    unit = Unit("区发改局", "department", "", "", "")
    source = tmp_path / "many.xlsx"
    write_rectify_workbook(source, workspace.campaign(), unit, items, dt.date(2018, 3, 31),
                           rectify_identity(workspace.campaign(), unit, items, "x", workspace.secret()))
    pdf = libreoffice_convert(soffice, source, tmp_path / "pdf", tmp_path / "profile", to="pdf")
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) >= 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    printed = [page for page in text.split("\f") if page.strip()]
    assert len(printed) == len(pages)
    for page in printed:  # the header repeated, and the last column on the same page as the first
        assert "编号" in page and "佐证材料" in page and "完成情况" in page
    whole = "".join(printed)
    assert all(f"考核项目{n}" in whole for n in range(30))  # nothing cut off
