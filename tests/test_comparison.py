"""This year against the last kept year: `fazhi score --json`'s `previous` and `repeated`, the domain comparison,
approval unaffected, and a kept year edited in the store refused (exit 2)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
from history_helpers import keep_year
from rectify_helpers import approved_campaign
from test_approval import DEPT, POLICE, TOWN

from fazhi_cli.domain.comparison import NowUnit, compare_units, most_moved, repeated_most
from fazhi_cli.domain.history import PastUnit, PastYear
from fazhi_cli.reports.excel import RANK_HEADER_ROW, ranking_sheet_name
from fazhi_cli.workspace import feedback_file_name, summary_file_name


def last_year(dept_lost: tuple[str, ...]) -> PastYear:
    """A made-up 2016: 区发改局 1st and 区公安分局 2nd of the departments, 元坝镇 not in it."""
    return PastYear(2016, "2016年度法治政府建设考核", "区人民政府", "2017-01-20", "昭府函〔2017〕2号", (
        PastUnit(DEPT, "department", Decimal("95.5"), 1, "优秀", dept_lost, ("1.1",)),
        PastUnit(POLICE, "department", Decimal("90"), 2, "良好"),
    ))


def scores(cli, root) -> dict:
    """`fazhi score --json`'s units by name."""
    result = cli("score", "--json", "-w", root)
    assert result.code == 0, result.err
    return {u["unit"]: u for u in json.loads(result.out)["units"]}


def test_score_json_without_kept_year_has_null_previous(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    units = scores(cli, root)
    assert all(u["previous"] is None and u["repeated"] == [] for u in units.values())


def test_score_json_previous_and_repeated(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(("nonexistent", *_lost_ids(cli, root))))
    units = scores(cli, root)
    assert units[DEPT]["previous"] == {"year": 2016, "total": 95.5, "rank": 1, "grade": "优秀"}
    assert units[POLICE]["previous"]["rank"] == 2
    assert units[TOWN]["previous"] is None
    assert units[DEPT]["repeated"] and "nonexistent" not in units[DEPT]["repeated"]
    assert units[POLICE]["repeated"] == []
    assert cli("verify", "-w", root).code == 0
    assert cli("report", "-w", root).code == 0


def _lost_ids(cli, root) -> tuple[str, ...]:
    """The items 区发改局 lost points on this year, as the approval kept them."""
    from fazhi_cli.approval import results_in_force
    from fazhi_cli.workspace import Workspace
    board = results_in_force(Workspace(root))
    return tuple(line.id for line in board.model.units[DEPT].lost_items)


def test_renamed_unit_matched_through_former_name():
    past = PastYear(2016, "t", "区人民政府", "2017-01-20", "d",
                    (PastUnit("旧公安局", "department", Decimal("80"), 3, "合格"),))
    now = [NowUnit(POLICE, "department", 1, (), ("旧公安局",))]
    compared = compare_units(now, past)
    assert compared[POLICE].previous.unit == "旧公安局" and compared[POLICE].change == 2


def test_edited_kept_year_is_refused(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(()))
    db = sqlite3.connect(root / "fazhi.db")
    with db:
        db.execute("UPDATE history_years SET content = replace(content, '95.5', '99.5')")
    db.close()
    result = cli("score", "--json", "-w", root)
    assert result.code == 2
    assert "2016" in result.err


def test_most_moved_and_repeated_most():
    past = PastYear(2016, "t", "b", "d", "n", (
        PastUnit("甲", "department", Decimal(90), 1, None, ("1.1", "2.1")),
        PastUnit("乙", "department", Decimal(80), 2, None, ("1.1",)),
        PastUnit("丙", "department", Decimal(70), 3, None, ()),
    ))
    now = [NowUnit("甲", "department", 2, ("1.1", "2.1")), NowUnit("乙", "department", 1, ("1.1",)),
           NowUnit("丙", "department", 3, ())]
    compared = compare_units(now, past)
    assert most_moved(compared, "department") == (["乙"], ["甲"])
    assert repeated_most(compared) == [("1.1", 2), ("2.1", 1)]
    assert compared["丙"].repeated == ()


def report(cli, root) -> Path:
    """`fazhi report`, then the reports folder."""
    result = cli("report", "-w", root)
    assert result.code == 0, result.err
    return root / "reports"


def ranking_header(reports: Path, unit_type: str) -> list:
    """The ranking sheet's header row of the summary workbook."""
    book = openpyxl.load_workbook(reports / summary_file_name(2017))
    sheet = book[ranking_sheet_name(unit_type)]
    return [cell.value for cell in sheet[RANK_HEADER_ROW]]


def test_reports_without_kept_year_show_no_comparison(cli, tmp_path):
    reports = report(cli, approved_campaign(cli, tmp_path))
    page = (reports / "summary.html").read_text("utf-8")
    assert "上年得分" not in page and "升降" not in page and "2017年度与" not in page
    assert "上年得分" not in ranking_header(reports, "department")
    assert "年度得分" not in (reports / "feedback" / feedback_file_name(DEPT)).read_text("utf-8")


def test_summary_page_and_workbook_compare_with_kept_year(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(()))
    reports = report(cli, root)
    page = (reports / "summary.html").read_text("utf-8")
    assert "<th class=\"num\">上年得分</th><th class=\"num\">上年名次</th><th>升降</th>" in page
    assert "<td>↓1</td>" in page and "<td>↑1</td>" in page and "<td>—</td>" in page
    assert "总分:2017年度与2016年度" in page and "95.50" in page
    header = ranking_header(reports, "department")
    assert header[-4:] == ["上年得分", "上年名次", "升降", "备注"]
    book = openpyxl.load_workbook(reports / summary_file_name(2017))
    sheet = book[ranking_sheet_name("department")]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=RANK_HEADER_ROW + 1, values_only=True) if row[1]}
    assert rows[DEPT][-4:-1] == (95.5, 1, "↓1") and rows[POLICE][-4:-1] == (90, 2, "↑1")
    town = book[ranking_sheet_name("township")]
    town_rows = [row for row in town.iter_rows(min_row=RANK_HEADER_ROW + 1, values_only=True) if row[1] == TOWN]
    assert town_rows[0][-4:-1] == (None, "—", "—")


def test_feedback_page_line_on_last_year(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(_lost_ids(cli, root)))
    reports = report(cli, root)
    page = (reports / "feedback" / feedback_file_name(DEPT)).read_text("utf-8")
    assert "2016年度得分 95.50 分,在" in page and "中排名第 1 名;本年度下降 1 名。" in page
    assert "连续两年失分的项目:" + _lost_ids(cli, root)[0] in page
    assert "2016年度整改尚未完成的项目:1.1。" in page
    police = (reports / "feedback" / feedback_file_name(POLICE)).read_text("utf-8")
    assert "排名第 2 名;本年度上升 1 名。" in police and "连续两年失分" not in police
    assert "2016年度得分" not in (reports / "feedback" / feedback_file_name(TOWN)).read_text("utf-8")


def test_hostile_previous_unit_name_is_escaped(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    hostile = "<script>alert(1)</script>"
    keep_year(root, PastYear(2016, "t", "区人民政府", "2017-01-20", "d", (
        PastUnit(hostile, "department", Decimal("80"), 1, "合格"),
        PastUnit(DEPT, "department", Decimal("70"), 2, "合格", (), (hostile,)),
    )))
    reports = report(cli, root)
    pages = [reports / "summary.html", *(reports / "feedback").iterdir()]
    assert all("<script>" not in p.read_text("utf-8") for p in pages)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (reports / "feedback" / feedback_file_name(DEPT)).read_text(
        "utf-8")
