"""Score components (评分构成, issue 25): a weight per component in fazhi.toml, the component sheet written, filled
by openpyxl and taken back by ingest, each bad row named by its cell, the combined score in exact decimals, ranks
by it, provisional until every value is in, and every output naming the component and its weight. Real
workbooks, a real store, the real CLI."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from test_scores import by_unit, full_marks, query, returned

from fazhi_cli.domain.components import Component, combination_text, combined_score, component_value
from fazhi_cli.domain.results import UnitResult, rank_and_convert

NAME = "第三方评估"
SHEET = "review/2017年度法治政府建设评分构成表_第三方评估.xlsx"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    from fazhi_cli.cli import output

    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


# --- the formula ---------------------------------------------------------------------------------------------------

def test_the_combined_score_is_exact_to_two_decimals():
    weights = {NAME: Decimal("10")}
    assert combined_score(Decimal("96.4"), {NAME: Decimal("85")}, weights) == Decimal("95.26")  # 86.76 + 8.5
    two = {NAME: Decimal("10"), "群众满意度": Decimal("15")}
    # 88.6 × 75% = 66.45; 90.5 × 10% = 9.05; 77.3 × 15% = 11.595 → 87.095 → 87.10 (half up)
    assert combined_score(Decimal("88.6"), {NAME: Decimal("90.5"), "群众满意度": Decimal("77.3")}, two) \
        == Decimal("87.10")
    assert combined_score(Decimal("96.4"), {}, {}) == Decimal("96.40")  # no component: the total
    assert combined_score(Decimal("100"), {NAME: None}, weights) == Decimal("90.00")  # not in: 0, provisional
    assert combination_text(weights) == "综合得分 = 考核细则得分 × 90% + 第三方评估 × 10%"


def test_a_component_value_is_a_number_from_0_to_100():
    assert component_value("85.5") == Decimal("85.50") and component_value(100) == Decimal("100.00")
    for bad in ("优", "101", -1, True):
        with pytest.raises(ValueError):
            component_value(bad)


def test_ranks_follow_the_combined_score_and_a_missing_value_is_provisional():
    results = [UnitResult("甲", "township", "scored", total=Decimal("95")),
               UnitResult("乙", "township", "scored", total=Decimal("90"))]
    ranked = {r.unit: r for r in rank_and_convert(results, {}, (), {"township": {NAME: Decimal("50")}},
                                                  {"甲": {NAME: Decimal("60")}, "乙": {NAME: Decimal("100")}})}
    assert (ranked["甲"].combined, ranked["乙"].combined) == (Decimal("77.50"), Decimal("95.00"))
    assert (ranked["乙"].rank, ranked["甲"].rank) == (1, 2)
    assert not ranked["甲"].provisional
    half = {r.unit: r for r in rank_and_convert(results, {}, (), {"township": {NAME: Decimal("50")}},
                                                {"甲": {NAME: Decimal("60")}})}
    assert half["乙"].provisional and half["乙"].components == {NAME: None} and half["乙"].combined == Decimal("45")
    assert Component(NAME, {"township": Decimal(5)}).weight("department") is None


# --- the setting ---------------------------------------------------------------------------------------------------

def _settings(workspace: Path) -> dict:
    return tomllib.loads((workspace / "fazhi.toml").read_text(encoding="utf-8"))


def test_config_set_sets_a_component_for_every_type_or_one_type(cli, workspace):
    result = cli("config", "set", f"components.{NAME}", "10", cwd=workspace)
    assert result.code == 0, result.err
    assert _settings(workspace)["components"] == {NAME: "10"}
    assert cli("config", "set", "评分构成.群众满意度.乡镇", "5", cwd=workspace).code == 0
    assert cli("config", "set", f"评分构成.{NAME}.township", "20", cwd=workspace).code == 0
    assert _settings(workspace)["components"] == {NAME: {"department": "10", "township": "20"},
                                                  "群众满意度": {"township": "5"}}
    shown = cli("config", "show", "--json", cwd=workspace).json()["settings"]
    assert {s["key"]: s["value"] for s in shown}[f"components.{NAME}"] == "区级部门 10;乡镇(街道) 20"
    assert cli("config", "set", "评分构成.群众满意度", "删除", cwd=workspace).code == 0
    assert "群众满意度" not in _settings(workspace)["components"]


@pytest.mark.parametrize(("value", "said"), [("95", "超过 100"), ("-1", "0 至 100"), ("十", "0 至 100")])
def test_config_set_refuses_weights_over_100_negative_or_no_number(cli, workspace, value, said):
    assert cli("config", "set", "评分构成.群众满意度", "10", cwd=workspace).code == 0
    before = (workspace / "fazhi.toml").read_bytes()
    result = cli("config", "set", "--", f"评分构成.{NAME}", value, cwd=workspace)
    assert result.code == 2
    assert said in result.err and "Traceback" not in result.err
    assert (workspace / "fazhi.toml").read_bytes() == before


def test_a_component_written_by_hand_without_quotes_is_read(cli, workspace):
    path = workspace / "fazhi.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '# [components]\n# "第三方评估" = "10"', '[components]\n第三方评估 = "10"'), encoding="utf-8")
    assert cli("config", "show", cwd=workspace).code == 0
    assert cli("component-sheet", NAME, cwd=workspace).code == 0


# --- the sheet -----------------------------------------------------------------------------------------------------

def _campaign(cli, workspace, tmp_path, weight="10"):
    assert cli("config", "set", f"评分构成.{NAME}", weight, cwd=workspace).code == 0
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township"), "元坝镇": full_marks("township"),
                                        "区发改局": full_marks("department")})


def _fill(workspace: Path, target: Path, values: dict[str, object], extra: list[tuple] = ()) -> Path:
    """The component sheet with the `values` typed in its rows (a unit not listed left as it is) and `extra` rows
    added below, saved by openpyxl as the clerk's spreadsheet would."""
    book = openpyxl.load_workbook(workspace / SHEET)
    sheet = book[NAME]
    for row in range(5, sheet.max_row + 1):
        unit = sheet.cell(row, 1).value
        if unit in values:
            sheet.cell(row, 2).value = values[unit]
            sheet.cell(row, 3).value = "第三方机构评估报告"
    for extra_row in extra:
        sheet.append(list(extra_row))
    book.save(target)
    return target


def _score(cli, workspace) -> dict:
    result = cli("score", "--json", cwd=workspace)
    assert result.code == 0, result.err
    return by_unit(result.json())


def test_the_sheet_lists_each_assessed_unit_and_comes_back_through_ingest(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    made = cli("component-sheet", NAME, cwd=workspace)
    assert made.code == 0, made.err and SHEET in made.out
    book = openpyxl.load_workbook(workspace / SHEET)
    assert book.sheetnames[0] == NAME and book["fazhi_id"].sheet_state == "veryHidden"
    header = [c.value for c in book[NAME][4]]
    assert header == ["单位名称", "得分", "说明"]
    listed = [book[NAME].cell(r, 1).value for r in range(5, book[NAME].max_row + 1)]
    assert "卫子镇" in listed and "区发改局" in listed and len(listed) == len(set(listed))

    before = _score(cli, workspace)
    assert before["卫子镇"]["components"] == {NAME: None} and before["卫子镇"]["provisional"]
    assert before["卫子镇"]["combined"] == 90  # 100 × 90%, the evaluation not in yet

    filled = _fill(workspace, tmp_path / "填好的.xlsx", {"卫子镇": 80, "元坝镇": "95.5", "区发改局": 60})
    taken = cli("ingest", filled, cwd=workspace)
    assert taken.code == 0, taken.out + taken.err
    assert "评分构成表" in taken.out and "记录新的得分 3 个" in taken.out
    units = _score(cli, workspace)
    assert units["卫子镇"]["components"] == {NAME: 80} and units["卫子镇"]["combined"] == 98
    assert units["元坝镇"]["combined"] == 99.55  # 90 + 9.55
    assert (units["元坝镇"]["rank"], units["卫子镇"]["rank"]) == (1, 2)  # the same total: the component decides
    assert units["区发改局"]["combined"] == 96 and units["区发改局"]["total"] == 100
    assert not units["卫子镇"]["provisional"]
    logged = cli("log", "--json", cwd=workspace).json()["decisions"]
    mine = [d for d in logged if d["action"] == "component_set"]
    assert {(d["unit"], d["ref"], d["value"]) for d in mine} == {("卫子镇", NAME, 80), ("元坝镇", NAME, "95.5"),
                                                              ("区发改局", NAME, 60)}


def test_a_later_sheet_replaces_the_values_it_gives_and_a_blanked_value_is_withdrawn(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    assert cli("ingest", _fill(workspace, tmp_path / "一.xlsx", {"卫子镇": 80, "元坝镇": 70}), cwd=workspace).code == 0
    assert cli("component-sheet", NAME, cwd=workspace).code == 0  # shows the values in force
    second = _fill(workspace, tmp_path / "二.xlsx", {"卫子镇": 90, "元坝镇": None})
    taken = cli("ingest", second, cwd=workspace)
    assert taken.code == 0, taken.out
    assert "撤回 1 个" in taken.out
    units = _score(cli, workspace)
    assert units["卫子镇"]["components"] == {NAME: 90}
    assert units["元坝镇"]["components"] == {NAME: None} and units["元坝镇"]["provisional"]
    actions = [d["action"] for d in cli("log", "--json", cwd=workspace).json()["decisions"]]
    assert "component_withdrawn" in actions


@pytest.mark.parametrize(("values", "extra", "cell", "said"), [
    ({"卫子镇": 101}, [], "B", "不在 0 至 100 之间"),
    ({"卫子镇": "优秀"}, [], "B", "不是数字"),
    ({"卫子镇": "=80+5"}, [], "B", "公式"),
    ({}, [("不存在局", 80)], "A", "不在本次考核的单位名单中"),
    ({}, [("卫子镇", 70)], "A", "有不止一行"),
])
def test_each_bad_row_is_named_by_its_cell_and_not_taken(cli, workspace, tmp_path, values, extra, cell, said):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    filled = _fill(workspace, tmp_path / "有误.xlsx", {"元坝镇": 88, **values}, extra)
    taken = cli("ingest", filled, cwd=workspace)
    assert taken.code == 1
    assert said in taken.out and f"{NAME}!{cell}" in taken.out
    units = _score(cli, workspace)
    assert units["卫子镇"]["components"] == {NAME: None}  # never a silent 0
    assert units["元坝镇"]["components"] == {NAME: 88}  # the rest of the sheet is taken


def test_a_unit_not_assessed_is_named(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    taken = cli("ingest", _fill(workspace, tmp_path / "x.xlsx", {}, [("区政府法制办", 80)]), cwd=workspace)
    assert taken.code == 1
    assert "“区政府法制办”不参加本次考核" in taken.out and f"{NAME}!A" in taken.out


def test_a_sheet_of_another_campaign_or_forged_is_refused(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    book = openpyxl.load_workbook(workspace / SHEET)
    identity = book["fazhi_id"]
    for row in identity.iter_rows():
        if row[0].value == "campaign":
            row[1].value = "2016:2016年度法治政府建设考核"
    book.save(tmp_path / "旧的.xlsx")
    refused = cli("ingest", tmp_path / "旧的.xlsx", cwd=workspace)
    assert refused.code == 1 and "评分构成表" in refused.out and "不属于本次" in refused.out
    assert query(workspace, "SELECT COUNT(*) AS n FROM component_values")[0]["n"] == 0


def test_an_unknown_component_is_a_usage_error(cli, workspace):
    result = cli("component-sheet", "满意度", cwd=workspace)
    assert result.code == 2 and "没有名为“满意度”的评分构成" in result.err


# --- outputs -------------------------------------------------------------------------------------------------------

def test_the_score_table_shows_the_component_its_weight_and_the_combination(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    assert cli("ingest", _fill(workspace, tmp_path / "f.xlsx", {"卫子镇": 80}), cwd=workspace).code == 0
    shown = cli("score", cwd=workspace)
    assert shown.code == 0
    assert f"{NAME}(10%)" in shown.out and "综合得分" in shown.out
    assert "综合得分 = 考核细则得分 × 90% + 第三方评估 × 10%" in shown.out
    assert "暂定" in shown.out and f"未录入{NAME}" in shown.out


def test_without_components_the_score_table_is_as_before(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    shown = cli("score", cwd=workspace)
    assert "综合得分" not in shown.out and "评分构成" not in shown.out
    units = _score(cli, workspace)
    assert units["卫子镇"]["components"] == {} and units["卫子镇"]["combined"] == units["卫子镇"]["total"]
    assert "components" not in cli("score", "--json", cwd=workspace).json()


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_reports_notice_and_letters_show_the_component_its_weight_and_the_combination(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    filled = _fill(workspace, tmp_path / "f.xlsx", {"卫子镇": 80, "区发改局": 60})
    assert cli("ingest", filled, cwd=workspace).code == 0
    assert cli("report", cwd=workspace).code == 0
    reports = workspace / "reports"
    summary = (reports / "summary.html").read_text("utf-8")
    assert f"{NAME}(10.00%)" in summary and "综合得分 = 考核细则得分 × 90% + 第三方评估 × 10%" in summary
    assert "第三方评估尚未录入" in summary  # 元坝镇: provisional until entered
    page = (reports / "feedback" / "卫子镇.html").read_text("utf-8")
    assert "考核细则得分100.00分(占90%),第三方评估80.00分(占10%),综合得分98.00分" in page
    book = openpyxl.load_workbook(reports / "2017年度法治政府建设考核结果汇总.xlsx")
    ranking = book["乡镇(街道)排名"]
    cells = [str(c.value) for row in ranking.iter_rows() for c in row if c.value is not None]
    assert f"{NAME}(10%)" in cells and "综合得分" in cells and "98" in " ".join(cells)
    assert any("综合得分 = 考核细则得分 × 90%" in c for c in cells)

    made = cli("notice", "--no-pdf", cwd=workspace)
    assert made.code == 0, made.err
    notice = _docx_text(reports / "2017年度法治政府建设考核初步结果请示.docx")
    assert "综合得分 = 考核细则得分 × 90% + 第三方评估 × 10%" in notice and "排名按综合得分" in notice
    assert "评分构成得分尚未录入" in notice
    letters = cli("feedback-letters", "--no-pdf", "--unit", "卫子镇", "--unit", "元坝镇", cwd=workspace)
    assert letters.code == 0, letters.err
    letter = _docx_text(reports / "反馈函" / "2017年度法治政府建设考核反馈函_卫子镇.docx")
    assert "第三方评估80.00分(占10%),综合得分98.00分" in letter
    waiting = _docx_text(reports / "反馈函" / "2017年度法治政府建设考核反馈函_元坝镇.docx")
    assert "第三方评估得分尚未录入,以上结果为暂定" in waiting


def test_without_components_no_output_mentions_them(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    assert cli("report", cwd=workspace).code == 0
    assert cli("notice", "--no-pdf", cwd=workspace).code == 0
    assert cli("feedback-letters", "--no-pdf", cwd=workspace).code == 0
    reports = workspace / "reports"
    assert "综合得分" not in (reports / "summary.html").read_text("utf-8")
    assert "综合得分" not in (reports / "feedback" / "卫子镇.html").read_text("utf-8")
    assert "综合得分" not in _docx_text(reports / "2017年度法治政府建设考核初步结果请示.docx")
    assert "综合得分" not in _docx_text(reports / "反馈函" / "2017年度法治政府建设考核反馈函_卫子镇.docx")


def test_approval_waits_for_every_component_value_then_freezes_them(cli, workspace, tmp_path):
    _campaign(cli, workspace, tmp_path)
    approve = ("approve", "--by", "区人民政府", "--date", "2018-01-15", "--accept-missing")
    assert cli("component-sheet", NAME, cwd=workspace).code == 0
    first = _fill(workspace, tmp_path / "一.xlsx", {"卫子镇": 80, "区发改局": 60})
    assert cli("ingest", first, cwd=workspace).code == 0
    waiting = cli(*approve, cwd=workspace)
    assert waiting.code == 1 and f"元坝镇:{NAME}得分尚未录入" in waiting.err
    assert cli("ingest", _fill(workspace, tmp_path / "二.xlsx", {"元坝镇": 95.5}), cwd=workspace).code == 0
    done = cli(*approve, cwd=workspace)
    assert done.code == 0, done.err
    frozen = cli("score", "--json", cwd=workspace).json()
    assert frozen["state"] == "approved" and frozen["components"]["township"] == {NAME: 10}
    units = by_unit(frozen)
    assert units["元坝镇"]["combined"] == 99.55 and units["卫子镇"]["components"] == {NAME: 80}
    assert cli("ingest", _fill(workspace, tmp_path / "三.xlsx", {"元坝镇": 10}), cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["元坝镇"]["combined"] == 99.55  # frozen


def test_a_snapshot_frozen_before_components_compares_without_them():
    from fazhi_cli.approval.snapshot import as_frozen

    rebuilt = [{"unit": "甲", "total": 90, "components": {}, "combined": 90}]
    assert as_frozen(rebuilt, [{"unit": "甲", "total": 90}]) == [{"unit": "甲", "total": 90}]
    assert as_frozen(rebuilt, [{"unit": "甲", "total": 90, "components": {}, "combined": 90}]) == rebuilt
