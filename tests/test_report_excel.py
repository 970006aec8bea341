"""The ranked Excel summary: sheets, ranks and totals as the Scoreboard has them, chart, print set-up,
the item detail, the self/assessed comparison, the missing units, and unit text kept as text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import set_weights
from openpyxl.chart import BarChart
from workbook_helpers import varied_answers

from fazhi_cli.domain.results import MISSING
from fazhi_cli.reports.excel import (
    SHEET_COMPARE,
    SHEET_MISSING,
    detail_sheet_name,
    ranking_sheet_name,
    section_header,
    write_number,
    write_summary_workbook,
)
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.scoring import Scoreboard, compute_scores
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workbook.style import write_text
from fazhi_cli.workspace import Workspace, review_file_name, summary_file_name

RUBRIC = builtin_rubric()
TWINS = ("区政府办", "区委编办")  # identical answers, so identical totals
REVIEWED = "区发改局"  # the office sets its 1.1
OFFICE_VALUE = Decimal("6.5")
OFFICE_REASON = "制度文件未按规定备案"
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","点我")'
UNITS = {"区政府办": ("department", 1), "区委编办": ("department", 1), "区发改局": ("department", 2),
         "元坝镇": ("township", 3), "卫子镇": ("township", 4)}
GRADES = '\n[[grades]]\nname = "优秀"\nmin = "85"\n\n[[grades]]\nname = "合格"\nmin = "60"\n'


def _returned_campaign(cli, workspace: Path) -> None:
    """Five units return filled workbooks; the office then reviews one item of 区发改局."""
    unit_args = [arg for name in UNITS for arg in ("--unit", name)]
    assert cli("generate", *unit_args, cwd=workspace).code == 0
    returned = workspace.parent / "returned"
    returned.mkdir()
    for name, (unit_type, seed) in UNITS.items():
        answers = varied_answers(RUBRIC, unit_type, seed)
        if name == REVIEWED:
            answers.notes["1.1"] = FORMULA_NOTE
        source = next((workspace / "outbox").glob(f"*_{name}.xlsx"))
        fill_workbook(source, returned / source.name, answers)
    assert cli("ingest", returned, cwd=workspace).code == 0
    assert cli("review-sheet", cwd=workspace).code == 0
    review = workspace / "review" / review_file_name(2017, "department")
    book = openpyxl.load_workbook(review)
    sheet = book["复核打分表"]
    header = next(row for row in sheet.iter_rows() if "单位名称" in [c.value for c in row])
    columns = {c.value: c.column for c in header}
    key = (columns["单位名称"], columns["编号"])
    line = next(r for r in range(header[0].row + 1, sheet.max_row + 1)
                if (sheet.cell(r, key[0]).value, sheet.cell(r, key[1]).value) == (REVIEWED, "1.1"))
    sheet.cell(line, columns["核定得分"]).value = float(OFFICE_VALUE)
    sheet.cell(line, columns["核定理由"]).value = OFFICE_REASON
    book.save(review)
    assert cli("ingest", review, cwd=workspace).code == 0


@pytest.fixture
def summary(cli, workspace, tmp_path) -> tuple[Scoreboard, Path]:
    set_weights(workspace, department='"5"', township='"5"')
    _returned_campaign(cli, workspace)
    board = compute_scores(Workspace(workspace))
    path = tmp_path / summary_file_name(board.campaign.year)
    write_summary_workbook(board, path)
    return board, path


def _rows(sheet, header_row: int) -> tuple[list[str], list[tuple]]:
    header = [c.value for c in sheet[header_row]]
    rows = [r for r in sheet.iter_rows(min_row=header_row + 1, values_only=True) if r[0] is not None or r[1]]
    return header, rows


def _table(sheet, header_row: int) -> list[dict]:
    header, rows = _rows(sheet, header_row)
    return [dict(zip(header, row, strict=False)) for row in rows if any(v is not None for v in row)]


def test_sheet_names_and_file_name(summary):
    board, path = summary
    assert path.name == "2017年度法治政府建设考核结果汇总.xlsx"
    assert not path.with_name(path.name + ".part").exists()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["区级部门排名", "乡镇(街道)排名", "明细-区级部门", "明细-乡镇(街道)",
                               "自评与核定对比", "失分与说明", "未报送"]


def test_ranked_sheets_have_the_scoreboards_ranks_and_totals(summary):
    board, path = summary
    book = openpyxl.load_workbook(path)
    for unit_type in ("department", "township"):
        sheet = book[ranking_sheet_name(unit_type)]
        type_rubric = board.rubric.for_type(unit_type)
        header = [c.value for c in sheet[3]]
        assert header == ["名次", "单位", "自评总分", *[section_header(s) for s in type_rubric.sections],
                          "特别加分", "特别扣分", "总分", "折算分", "计分依据", "备注"]
        rows = _table(sheet, 3)
        expected = [r for r in board.of_type(unit_type) if r.status != MISSING]
        assert [row["单位"] for row in rows] == [r.unit for r in expected]
        for row, result in zip(rows, expected, strict=True):
            assert row["名次"] == result.rank
            assert row["总分"] == float(result.total)
            assert row["折算分"] == float(result.converted)
            assert row["特别加分"] == float(result.bonus)
            assert row["特别扣分"] == float(result.penalty)
            for section in type_rubric.sections:
                assert row[section_header(section)] == float(result.subtotals[section.id])
            assert row["计分依据"] == {"self": "自评", "assessed": "核定", "mixed": "部分核定"}[result.basis]
            assert row["备注"] == (f"暂定:有 {result.errors} 个校验错误" if result.provisional else None)
    assert section_header(board.rubric.for_type("department").sections[0]) == "一、依法科学民主决策(15)"


def test_equal_totals_share_a_rank_and_the_next_is_skipped(summary):
    board, path = summary
    rows = _table(openpyxl.load_workbook(path)["区级部门排名"], 3)
    ranks = {row["单位"]: row["名次"] for row in rows}
    totals = {row["单位"]: row["总分"] for row in rows}
    assert totals[TWINS[0]] == totals[TWINS[1]]
    assert ranks[TWINS[0]] == ranks[TWINS[1]]
    assert ranks == {TWINS[0]: 1, TWINS[1]: 1, REVIEWED: 3}  # the office lowered 区发改局's 1.1
    # the office set one item of one unit: only that unit is (partly) 核定
    assert {row["单位"]: row["计分依据"] for row in rows} == {TWINS[0]: "自评", TWINS[1]: "自评", REVIEWED: "部分核定"}
    township = _table(openpyxl.load_workbook(path)["乡镇(街道)排名"], 3)
    assert {row["计分依据"] for row in township} == {"自评"}


def test_numbers_are_numbers_with_two_decimals(summary, tmp_path):
    _, path = summary
    sheet = openpyxl.load_workbook(path)["区级部门排名"]
    total = sheet.cell(4, [c.value for c in sheet[3]].index("总分") + 1)
    assert isinstance(total.value, int | float) and total.data_type == "n"
    assert total.number_format == "0.00"
    book = openpyxl.Workbook()
    write_number(book.active["A1"], Decimal("83.20"))
    write_number(book.active["A2"], Decimal("4.4"))
    write_number(book.active["A3"], None)
    book.save(tmp_path / "n.xlsx")
    again = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    assert again["A1"].value == 83.2 and again["A2"].value == 4.4 and again["A3"].value is None
    assert again["A1"].number_format == "0.00"


def test_chart_frozen_header_and_print_setup(summary):
    _, path = summary
    book = openpyxl.load_workbook(path)
    for unit_type in ("department", "township"):
        sheet = book[ranking_sheet_name(unit_type)]
        assert len(sheet._charts) == 1
        chart = sheet._charts[0]
        assert isinstance(chart, BarChart)
        assert sheet.freeze_panes == "C4"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    for name in (detail_sheet_name("department"), detail_sheet_name("township")):
        assert book[name].freeze_panes == "C5"
        assert book[name].print_title_rows == "$3:$4"


def test_chart_plots_the_total_column_against_unit_names(summary):
    board, path = summary
    sheet = openpyxl.load_workbook(path)["区级部门排名"]
    chart = sheet._charts[0]
    last = 3 + sum(1 for r in board.of_type("department") if r.status != MISSING)
    total_letter = openpyxl.utils.get_column_letter([c.value for c in sheet[3]].index("总分") + 1)
    assert chart.series[0].val.numRef.f == f"'区级部门排名'!${total_letter}$4:${total_letter}${last}"
    assert chart.series[0].cat.numRef.f == f"'区级部门排名'!$B$4:$B${last}"
    assert "区级部门" in "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def test_detail_sheets_show_every_items_counted_score(summary):
    board, path = summary
    book = openpyxl.load_workbook(path)
    for unit_type in ("department", "township"):
        sheet = book[detail_sheet_name(unit_type)]
        items = board.rubric.for_type(unit_type).items
        ids = [c.value for c in sheet[3]]
        assert ids[:2] == ["单位", "类型"] and ids[2:2 + len(items)] == [i.id for i in items]
        names = [c.value for c in sheet[4]][2:2 + len(items)]
        assert names[0] == f"{items[0].name}({items[0].max.normalize():f}分)"
        rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
        for result in board.of_type(unit_type):
            if result.status == MISSING:
                assert result.unit not in rows
                continue
            assert [rows[result.unit][2 + n] for n in range(len(items))] == \
                [float(result.items[i.id].score) for i in items]
            assert rows[result.unit][-1] == float(result.total)
    office_cell = book[detail_sheet_name("department")]
    line = next(c.row for c in office_cell["A"] if c.value == REVIEWED)
    assert office_cell.cell(line, 3).value == float(OFFICE_VALUE)
    assert office_cell.cell(line, 3).fill.fgColor.rgb.endswith("E2EFDA")


def test_comparison_lists_office_values_and_every_units_totals(summary):
    board, path = summary
    sheet = openpyxl.load_workbook(path)[SHEET_COMPARE]
    rows = _table(sheet, 3)
    reviewed = next(r for r in rows if r["单位"] == REVIEWED and r["编号"] == "1.1")
    item = board.result(REVIEWED).items["1.1"]
    assert reviewed["核定得分"] == float(OFFICE_VALUE) == reviewed["计分得分"]
    assert reviewed["自评得分"] == (None if item.claimed is None else float(item.claimed))
    assert reviewed["得分上限"] == float(item.ceiling)
    assert reviewed["差额"] == pytest.approx(float(OFFICE_VALUE - (item.claimed or 0)))  # against the form as sent
    assert reviewed["说明"] == f"法制办核定:{OFFICE_REASON}"
    assert reviewed["扣分说明(单位填报)"] == FORMULA_NOTE
    scored = [r for r in board.results if r.status != MISSING]
    totals = {r["单位"]: r for r in rows if r["编号"] == "合计"}
    assert set(totals) == {r.unit for r in scored}
    for result in scored:
        assert totals[result.unit]["自评得分"] == pytest.approx(float(result.claimed_total))  # as the form adds up
        assert totals[result.unit]["计分得分"] == float(result.total)
        differences = [r["差额"] for r in rows if r["单位"] == result.unit and r["编号"] != "合计"]
        if result.total > 0:
            assert sum(differences) == pytest.approx(float(result.total - result.claimed_total))
        for item_id, item_result in result.items.items():
            listed = any(r["单位"] == result.unit and r["编号"] == item_id for r in rows)
            assert listed == (item_result.claimed is None or item_result.claimed != item_result.score)


def test_unit_notes_stay_text_everywhere(summary):
    _, path = summary
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    found.append(cell)
    assert any(cell.value == FORMULA_NOTE for cell in found)
    assert all(cell.data_type == "s" for cell in found)


def test_missing_units_are_listed_with_their_contacts(summary):
    board, path = summary
    rows = _table(openpyxl.load_workbook(path)[SHEET_MISSING], 3)
    missing = [u for t in ("department", "township") for u in board.units
               if u.type == t and board.result(u.name).status == MISSING]
    assert len(missing) == len(board.units) - len(UNITS)
    assert rows == [{"单位": u.name, "类型": u.type_label, "联系人": u.contact, "联系电话": u.phone,
                     "电子邮箱": u.email} for u in missing]
    assert not set(UNITS) & {row["单位"] for row in rows}


def test_grade_column_appears_only_when_the_campaign_defines_bands(cli, workspace, tmp_path):
    _returned_campaign(cli, workspace)
    config = workspace / "fazhi.toml"
    config.write_text(config.read_text("utf-8") + GRADES, "utf-8")
    board = compute_scores(Workspace(workspace))
    path = tmp_path / "graded.xlsx"
    write_summary_workbook(board, path)
    for unit_type in ("department", "township"):
        rows = _table(openpyxl.load_workbook(path)[ranking_sheet_name(unit_type)], 3)
        assert rows and "等次" in rows[0]
        for row in rows:
            assert row["等次"] == board.result(row["单位"]).grade
            assert row["等次"] in ("优秀", "合格")


def test_write_text_keeps_formula_like_text_as_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    write_text(sheet["A1"], "=SUM(A1)")
    write_text(sheet["A2"], "=1+1\x07响铃\x00")
    write_text(sheet["A3"], "普通文字")
    write_text(sheet["A4"], "")
    book.save(tmp_path / "t.xlsx")
    again = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert (again["A1"].value, again["A1"].data_type) == ("=SUM(A1)", "s")
    assert (again["A2"].value, again["A2"].data_type) == ("=1+1响铃", "s")
    assert again["A1"].quotePrefix
    assert again["A3"].value == "普通文字"
    assert again["A4"].value is None


def test_a_type_with_no_returns_still_gets_its_sheets(workspace, tmp_path):
    board = compute_scores(Workspace(workspace))
    path = tmp_path / "empty.xlsx"
    write_summary_workbook(board, path)
    book = openpyxl.load_workbook(path)
    assert book[ranking_sheet_name("department")]._charts == []
    assert book[ranking_sheet_name("department")]["A4"].value == "暂无已报送的单位。"
    assert len(_table(book[SHEET_MISSING], 3)) == len(board.units)


def _xml_parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}  # its time


def test_remembered_style_assignments_write_the_workbook_plain_assignments_write(summary, tmp_path, monkeypatch):
    """`restyle` copies the style ids an assignment gave before; assigning every style afresh (what openpyxl does,
    and what the writer did before) gives the same workbook, byte for byte, styles and cells alike."""
    from fazhi_cli.reports import excel

    board, remembered = summary
    monkeypatch.setattr(excel, "restyle", setattr)
    plain = tmp_path / "plain.xlsx"
    write_summary_workbook(board, plain)
    assert _xml_parts(remembered) == _xml_parts(plain)
    book = openpyxl.load_workbook(remembered)
    assert any(c.fill.fgColor.rgb == "00E2EFDA" for row in book[detail_sheet_name("department")].iter_rows()
               for c in row)  # the office's value is shaded: the fixture exercises the styles
