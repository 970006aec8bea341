"""Conversion weights (折算权重) per unit type, from fazhi.toml's `[weights]`: the seed sets none, so a type
without one has no converted score anywhere (JSON, terminal, Excel, HTML) and `fazhi status` says so."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import set_single_weight, set_weights
from test_report_figures import read_page, sheet_rows
from test_scores import by_unit, department_case, full_marks, returned, township_case
from test_workspace_safety import assert_clean_error, read_campaign_from_text

from fazhi_cli.workspace import campaign_toml, read_campaign

SUMMARY_XLSX = "2017年度法治政府建设考核结果汇总.xlsx"
# 区发改局 96.4 (department_case), 区公安分局 100 (full marks); 元坝镇 88.6 (township_case), 卫子镇 100
CASES = {"区发改局": department_case, "区公安分局": lambda: full_marks("department"),
         "元坝镇": township_case, "卫子镇": lambda: full_marks("township")}


def return_all(cli, workspace: Path, tmp_path: Path) -> None:
    returned(cli, workspace, tmp_path, {unit: make() for unit, make in CASES.items()})


def converted(cli, workspace: Path) -> dict[str, float | None]:
    result = cli("score", "--json", cwd=workspace)
    assert result.code == 0, result.err
    return {unit: data["converted"] for unit, data in by_unit(result.json()).items() if unit in CASES}


# --- fazhi.toml ---------------------------------------------------------------------------------------------


def test_init_writes_the_weights_commented_out_and_status_says_both_are_missing(cli, workspace):
    text = (workspace / "fazhi.toml").read_text("utf-8")
    assert "# [weights]" in text and '# department = "…"' in text and '# township = "…"' in text
    settings = tomllib.loads(text)
    assert "weights" not in settings and "weight" not in settings["campaign"]
    assert read_campaign(workspace / "fazhi.toml").weights == {}
    status = cli("status", "--json", cwd=workspace)
    assert status.code == 0 and status.json()["weights_missing"] == ["department", "township"]
    shown = cli("status", cwd=workspace).out.replace("\n", "")
    assert "区级部门的折算权重未设置" in shown and "乡镇(街道)的折算权重未设置" in shown
    assert "[weights]" in shown and 'township = "…"' in shown


def test_the_weights_written_are_read_back(workspace):
    campaign = read_campaign(workspace / "fazhi.toml")
    for weights in ({"department": Decimal(5), "township": Decimal("4.5")}, {"township": Decimal(3)}):
        again = read_campaign_from_text(campaign_toml(replace(campaign, weights=weights)))
        assert again.weights == weights


# --- both set, one set, the old single weight --------------------------------------------------------------


def test_both_weights_set_convert_each_type_by_its_own(cli, workspace, tmp_path):
    set_weights(workspace, department='"5"', township="4")
    return_all(cli, workspace, tmp_path)
    # 96.4 × 5 / 100 = 4.82; 100 × 5 / 100 = 5; 88.6 × 4 / 100 = 3.544 → 3.54; 100 × 4 / 100 = 4
    assert converted(cli, workspace) == {"区发改局": 4.82, "区公安分局": 5, "元坝镇": 3.54, "卫子镇": 4}
    status = cli("status", "--json", cwd=workspace)
    assert status.json()["weights_missing"] == []
    assert "折算权重未设置" not in cli("status", cwd=workspace).out
    assert cli("report", cwd=workspace).code == 0
    book = workspace / "reports" / SUMMARY_XLSX
    towns = sheet_rows(book, "乡镇(街道)排名", 3)
    assert [(r["单位"], r["折算分"]) for r in towns] == [("卫子镇", 4), ("元坝镇", 3.54)]
    page = read_page(workspace / "reports" / "summary.html")
    assert "折算权重:区级各部门 5、各乡镇(街道) 4" in "".join(page.lines)
    feedback = "\n".join(read_page(workspace / "reports" / "feedback" / "元坝镇.html").lines)
    assert "3.54\n折算分(权重 4)" in feedback


def test_a_type_without_a_weight_shows_no_converted_score_anywhere(cli, workspace, tmp_path):
    set_weights(workspace, department='"5"')
    return_all(cli, workspace, tmp_path)
    # JSON: null for the township units, and the township weight null
    data = cli("score", "--json", cwd=workspace).json()
    assert data["weights"] == {"department": 5, "township": None}
    assert converted(cli, workspace) == {"区发改局": 4.82, "区公安分局": 5, "元坝镇": None, "卫子镇": None}
    # terminal: the township table's 折算分 column is blank, and the missing weight is said once
    shown = cli("score", cwd=workspace)
    assert shown.code == 0
    towns = shown.out[shown.out.index("乡镇(街道)"):]
    row = next(line for line in towns.splitlines() if "元坝镇" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert cells[:8] == ["2", "元坝镇", "88.60", "88.60", "5.00", "5.00", "88.60", ""]  # 自评总分 项目 加分 扣分 总分
    assert "乡镇(街道)的折算权重未设置" in shown.err.replace("\n", "") and "区级部门的折算权重" not in shown.err
    # status: terminal and JSON
    assert cli("status", "--json", cwd=workspace).json()["weights_missing"] == ["township"]
    status = cli("status", cwd=workspace).out.replace("\n", "")
    assert "乡镇(街道)的折算权重未设置" in status and "区级部门的折算权重" not in status
    # Excel summary: blank cells and the subtitle says why
    assert cli("report", cwd=workspace).code == 0
    book = workspace / "reports" / SUMMARY_XLSX
    assert [(r["单位"], r["折算分"]) for r in sheet_rows(book, "乡镇(街道)排名", 3)] == [("卫子镇", None),
                                                                                         ("元坝镇", None)]
    assert [(r["单位"], r["折算分"]) for r in sheet_rows(book, "区级部门排名", 3)] == [("区公安分局", 5),
                                                                                       ("区发改局", 4.82)]
    subtitle = openpyxl.load_workbook(book)["乡镇(街道)排名"]["A2"].value
    assert subtitle.endswith("乡镇(街道)的折算权重未设置,不计算折算分(在 fazhi.toml 的 [weights] 中设置 township)。")
    # HTML: blank in the summary's ranking, no converted card on the township's feedback page
    page = read_page(workspace / "reports" / "summary.html")
    assert "折算权重:区级各部门 5、各乡镇(街道) 未设置" in "".join(page.lines)
    rows = {r[1]: r for t in page.tables if t and t[0][:2] == ["名次", "单位"] for r in t[1:]}
    assert (rows["元坝镇"][6], rows["元坝镇"][7]) == ("88.60", "")
    assert (rows["区发改局"][6], rows["区发改局"][7]) == ("96.40", "4.82")
    town_page = (workspace / "reports" / "feedback" / "元坝镇.html").read_text("utf-8")
    assert "折算分" not in town_page and "88.60" in town_page
    department_page = "\n".join(read_page(workspace / "reports" / "feedback" / "区发改局.html").lines)
    assert "4.82\n折算分(权重 5)" in department_page


def test_the_old_single_weight_still_applies_to_both_types(cli, workspace, tmp_path):
    set_single_weight(workspace, '"5"')
    return_all(cli, workspace, tmp_path)
    # 88.6 × 5 / 100 = 4.43
    assert converted(cli, workspace) == {"区发改局": 4.82, "区公安分局": 5, "元坝镇": 4.43, "卫子镇": 5}
    assert cli("status", "--json", cwd=workspace).json()["weights_missing"] == []


def test_weights_set_per_type_take_precedence_over_the_old_single_weight(cli, workspace, tmp_path):
    set_single_weight(workspace, '"5"')
    set_weights(workspace, township='"4"')
    return_all(cli, workspace, tmp_path)
    assert converted(cli, workspace) == {"区发改局": 4.82, "区公安分局": 5, "元坝镇": 3.54, "卫子镇": 4}


# --- refusals -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"abc"', '"nan"', '"150"', "-1", "true", '""', '"…"', "[5]"])
def test_a_bad_township_weight_is_refused_naming_the_setting(cli, workspace, value):
    set_weights(workspace, department='"5"', township=value)
    for command in (("score",), ("status",), ("report",)):
        assert_clean_error(cli(*command, cwd=workspace), 2, "weights.township", "乡镇(街道)折算权重", "0 至 100")


@pytest.mark.parametrize("value", ['"abc"', '"101"', "-0.5"])
def test_a_bad_old_single_weight_is_refused_naming_the_setting(cli, workspace, value):
    set_single_weight(workspace, value)
    result = cli("score", "--json", cwd=workspace)
    assert_clean_error(result, 2, "weight(折算分值权重)", "0 至 100")
    assert result.out == ""


def test_an_unknown_unit_type_in_weights_is_refused(cli, workspace):
    set_weights(workspace, departmnet='"5"')
    assert_clean_error(cli("score", cwd=workspace), 2, "[weights]", "departmnet", "department", "township")


def test_weights_that_are_not_a_table_are_refused(cli, workspace):
    path = workspace / "fazhi.toml"
    path.write_text('weights = "5"\n' + path.read_text("utf-8"), "utf-8")  # a value, not the [weights] table
    assert_clean_error(cli("score", cwd=workspace), 2, "weights", "[weights]")
