"""Scores, the office's review and rankings, against totals worked by hand from the seed's rules."""

from __future__ import annotations

import openpyxl
import pytest
from helpers import set_weights

from fazhi_cli.rubric_io import builtin_rubric
from fazhi_cli.workbook.filler import Answers, fill_workbook

RUBRIC = builtin_rubric()


def full_marks(unit_type: str) -> Answers:
    """Every fact clean (flags 否, counts 0, two pieces of information each month), every item full."""
    answers = Answers()
    for item in RUBRIC.for_type(unit_type).items:
        answers.scores[item.id] = float(item.max)
        for rule in item.rules:
            if rule.kind == "flag":
                answers.facts[rule.id] = "否"
            elif rule.kind == "count":
                answers.facts[rule.id] = 0
            else:
                answers.facts.update({month: 2 for month in rule.month_ids()})
    for number in (t.number for t in RUBRIC.tasks):
        answers.tasks[number] = ("已完成", "")
    return answers


def department_case() -> Answers:
    """1 piece in March, none in July (3.2: 5 − 3×0.2 = 4.4); one uncertified officer (4.1: 14); one
    criticism (2.2: 3); 6.4 scored 4 by the unit's own judgement; B2 (+3); one P1 (−2).
    Total: 100 − 0.6 − 1 − 2 − 1 + 3 − 2 = 96.4; converted at weight 5: 96.4 × 5 / 100 = 4.82."""
    answers = full_marks("department")
    answers.facts.update({"3.2a.03": 1, "3.2a.07": 0, "4.1a": 1, "2.2a": 1, "B2": "是", "P1": 1})
    answers.scores.update({"3.2": 4.4, "4.1": 14, "2.2": 3, "6.4": "4分"})
    answers.notes.update({"3.2": "3月、7月信息报送不足", "4.1": "一名执法人员未持证", "2.2": "被通报批评一次",
                          "6.4": "法制机构仅一人"})
    answers.evidence["B2"] = "市级示范单位命名文件"
    return answers


def township_case() -> Answers:
    """No information in January (2.2: 10 − 0.4 = 9.6); one absence from court (3.1: 10 − 5 = 5); one lost
    lawsuit (3.2: 15 − 3 = 12); 1.1 claimed at 15 but 4.2a 是 does not touch it; B1 and B2 (only +5);
    one P2 (−5). Total: 100 − 0.4 − 5 − 3 − 3 (4.2 ceiling 5) + 5 − 5 = 88.6; converted at weight 4:
    88.6 × 4 / 100 = 3.544, shown 3.54."""
    answers = full_marks("township")
    answers.facts.update({"2.2a.01": 0, "3.1a": 1, "3.2b": 1, "4.2a": "是", "B1": "是", "B2": "是", "P2": 1})
    answers.scores.update({"2.2": 9.6, "3.1": 5, "3.2": 12, "4.2": 5})
    answers.evidence.update({"B1": "省级示范单位命名文件", "B2": "市级示范单位命名文件"})
    return answers


def returned(cli, workspace, tmp_path, cases: dict[str, Answers]):
    assert cli("generate", cwd=workspace).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for unit, answers in cases.items():
        fill_workbook(workspace / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", inbox / f"{unit}.xlsx", answers)
    assert cli("ingest", inbox, cwd=workspace).code == 0


def by_unit(data: dict) -> dict[str, dict]:
    return {u["unit"]: u for u in data["units"]}


def test_totals_and_ranks_equal_the_hand_computation(cli, workspace, tmp_path):
    set_weights(workspace, department='"5"', township='"4"')
    returned(cli, workspace, tmp_path, {
        "区发改局": department_case(), "区司法局": department_case(), "区公安分局": full_marks("department"),
        "元坝镇": township_case(), "卫子镇": full_marks("township"),
    })
    result = cli("score", "--json", cwd=workspace)
    assert result.code == 0, result.err
    assert result.json()["weights"] == {"department": 5, "township": 4}
    units = by_unit(result.json())
    fgj = units["区发改局"]
    assert fgj["total"] == 96.4 and fgj["converted"] == 4.82 and fgj["bonus"] == 3 and fgj["penalty"] == 2
    assert fgj["items"]["3.2"] == 4.4 and fgj["items"]["4.1"] == 14 and fgj["items"]["6.4"] == 4
    assert fgj["status"] == "scored" and fgj["basis"] == "self" and fgj["errors"] == 0
    assert (units["区公安分局"]["rank"], fgj["rank"], units["区司法局"]["rank"]) == (1, 2, 2)
    assert units["区公安分局"]["total"] == 100
    town = units["元坝镇"]
    assert town["total"] == 88.6 and town["bonus"] == 5 and town["penalty"] == 5
    assert (units["卫子镇"]["rank"], town["rank"]) == (1, 2)
    assert (town["converted"], units["卫子镇"]["converted"], units["区公安分局"]["converted"]) == (3.54, 4, 5)
    missing = units["区教育局"]
    assert missing["status"] == "missing" and missing["items"] == {} and missing["rank"] is None
    assert missing["total"] is None and missing["converted"] is None
    for unit in units.values():
        for value in [unit["total"], unit["converted"], *unit["items"].values()]:
            assert value is None or round(value, 2) == value


def test_a_claim_above_the_ceiling_counts_as_the_ceiling_and_is_provisional(cli, workspace, tmp_path):
    answers = department_case()
    answers.scores["4.1"] = 15  # facts imply at most 14
    returned(cli, workspace, tmp_path, {"区发改局": answers})
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]
    assert unit["items"]["4.1"] == 14 and unit["total"] == 96.4
    assert unit["errors"] == 1 and unit["provisional"] is True


def review_sheet_path(workspace, label: str):
    return workspace / "review" / f"2017年度法治政府建设复核打分表_{label}.xlsx"


def edit_review(path, target, changes: dict[tuple[str, str], object]):
    book = openpyxl.load_workbook(path)
    sheet = book["复核打分表"]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "单位名称")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(r, 1).value: r for r in range(header + 1, sheet.max_row + 1)}
    for (unit, ref), value in changes.items():
        sheet.cell(rows[unit], columns[ref]).value = value
    book.save(target)
    return rows, columns


def test_the_office_review_replaces_self_scores_and_survives_reruns(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"元坝镇": township_case(), "卫子镇": full_marks("township")})
    assert cli("review-sheet", cwd=workspace).code == 0
    sheet = review_sheet_path(workspace, "乡镇(街道)")
    book = openpyxl.load_workbook(sheet)["复核打分表"]
    prefilled = {book.cell(r, 1).value: book.cell(r, 2).value for r in range(5, book.max_row + 1)}
    assert prefilled == {"元坝镇": 15, "卫子镇": 15}
    filled = tmp_path / "复核打分表_乡镇.xlsx"
    # office: 卫子镇 1.2 from 10 to 8 and 特别加分 3; 元坝镇 3.1 to 6 (above its ceiling 5: stands, warning)
    edit_review(sheet, filled, {("卫子镇", "1.2"): 8, ("卫子镇", "特别加分"): 3, ("元坝镇", "3.1"): 6,
                                ("元坝镇", "1.1"): None})
    taken = cli("ingest", filled, cwd=workspace)
    assert taken.code == 0 and "复核打分表" in taken.out
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["卫子镇"]["total"] == 101 and units["卫子镇"]["basis"] == "assessed"  # 100 − 2 + 3
    assert units["元坝镇"]["total"] == 89.6 and units["元坝镇"]["basis"] == "mixed"  # 88.6 + 1; 1.1 left blank
    assert (units["卫子镇"]["rank"], units["元坝镇"]["rank"]) == (1, 2)
    # re-running never erases the office's scores: regenerate, re-ingest the units' files, score again
    assert cli("review-sheet", cwd=workspace).code == 0
    again = openpyxl.load_workbook(sheet)["复核打分表"]
    assert {again.cell(r, 1).value: again.cell(r, 3).value for r in range(5, again.max_row + 1)}["卫子镇"] == 8
    assert cli("ingest", tmp_path / "inbox", cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]["total"] == 101


def test_review_values_above_the_maximum_are_refused_with_an_error(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    filled = tmp_path / "复核.xlsx"
    edit_review(review_sheet_path(workspace, "乡镇(街道)"), filled, {("卫子镇", "1.2"): 12, ("卫子镇", "2.1"): "九"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.2"] == 10 and unit["items"]["2.1"] == 10  # the self scores stand
    assert unit["errors"] == 2 and unit["provisional"] is True


def test_score_human_output_ranks_and_lists_the_missing(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": department_case(), "区公安分局": full_marks("department")})
    result = cli("score", cwd=workspace)
    assert result.code == 0
    assert "区公安分局" in result.out and "96.40" in result.out and "未报送" in result.out


@pytest.mark.parametrize("weight,expected", [("5", 4.82), ("10", 9.64), ("3.5", 3.37)])
def test_converted_score_follows_the_campaign_weight(cli, workspace, tmp_path, weight, expected):
    set_weights(workspace, department=f'"{weight}"')
    returned(cli, workspace, tmp_path, {"区发改局": department_case()})
    assert by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]["converted"] == expected
