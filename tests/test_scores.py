"""Scores, the office's review and rankings, against totals worked by hand from the seed's rules."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import openpyxl
import openpyxl.utils
import pytest
from helpers import set_weights

from fazhi_cli.rubric.loading import builtin_rubric
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


def query(workspace, sql: str, *args) -> list:
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


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


def review_table(path) -> tuple[dict[str, int], dict[tuple[str, str], int], object]:
    """The review sheet's columns by title, rows by (unit, 编号), found by title as ingest finds them."""
    book = openpyxl.load_workbook(path)
    sheet = book["复核打分表"]
    header = next(r for r in range(1, 16) if "单位名称" in [c.value for c in sheet[r]])
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {(sheet.cell(r, columns["单位名称"]).value, sheet.cell(r, columns["编号"]).value): r
            for r in range(header + 1, sheet.max_row + 1)}
    return columns, rows, book


def review_cell(path, unit: str, ref: str, title: str = "核定得分"):
    columns, rows, book = review_table(path)
    return book["复核打分表"].cell(rows[(unit, ref)], columns[title]).value


def edit_review(path, target, changes: dict[tuple[str, str], object],
                reasons: dict[tuple[str, str], str] | None = None) -> dict[tuple[str, str], str]:
    """Enter 核定得分 (and 核定理由) by (unit, 编号), as the clerk would; returns the 核定得分 cells by key."""
    columns, rows, book = review_table(path)
    sheet = book["复核打分表"]
    for (unit, ref), value in changes.items():
        sheet.cell(rows[(unit, ref)], columns["核定得分"]).value = value
    for (unit, ref), reason in (reasons or {}).items():
        sheet.cell(rows[(unit, ref)], columns["核定理由"]).value = reason
    book.save(target)
    letter = openpyxl.utils.get_column_letter(columns["核定得分"])
    return {key: f"复核打分表!{letter}{rows[key]}" for key in changes}


def test_the_review_sheet_is_long_and_holds_no_office_value_until_one_is_set(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"元坝镇": township_case(), "卫子镇": full_marks("township")})
    assert cli("review-sheet", cwd=workspace).code == 0
    columns, rows, book = review_table(review_sheet_path(workspace, "乡镇(街道)"))
    titles = {"单位名称", "编号", "考核内容", "分值", "自评得分", "得分上限", "问题", "核定得分", "核定理由"}
    assert titles <= set(columns)
    items = [i.id for i in RUBRIC.for_type("township").items]
    assert set(rows) == {(u, r) for u in ("元坝镇", "卫子镇") for r in [*items, "特别加分", "特别扣分"]}
    sheet = book["复核打分表"]
    assert all(sheet.cell(r, columns["核定得分"]).value is None for r in rows.values())  # never pre-filled
    assert sheet.cell(rows[("元坝镇", "4.2")], columns["得分上限"]).value == 5
    assert sheet.cell(rows[("元坝镇", "1.1")], columns["自评得分"]).value == 15
    assert sheet.cell(rows[("元坝镇", "1.1")], columns["核定得分"]).protection.locked is False
    assert sheet.cell(rows[("元坝镇", "1.1")], columns["自评得分"]).protection.locked is True


def test_the_office_review_replaces_self_scores_and_survives_reruns(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"元坝镇": township_case(), "卫子镇": full_marks("township")})
    assert cli("review-sheet", cwd=workspace).code == 0
    sheet = review_sheet_path(workspace, "乡镇(街道)")
    filled = tmp_path / "复核打分表_乡镇.xlsx"
    # office: 卫子镇 1.2 from 10 to 8 (with its reason) and 特别加分 3; 元坝镇 3.1 to 6 (above its ceiling 5:
    # stands, warning)
    edit_review(sheet, filled, {("卫子镇", "1.2"): 8, ("卫子镇", "特别加分"): 3, ("元坝镇", "3.1"): 6},
                {("卫子镇", "1.2"): "会议记录不全"})
    taken = cli("ingest", filled, cwd=workspace)
    assert taken.code == 0 and "复核打分表" in taken.out
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["卫子镇"]["total"] == 101 and units["卫子镇"]["basis"] == "mixed"  # 100 − 2 + 3
    assert units["元坝镇"]["total"] == 89.6 and units["元坝镇"]["basis"] == "mixed"  # 88.6 + 1
    assert (units["卫子镇"]["rank"], units["元坝镇"]["rank"]) == (1, 2)
    # the regenerated sheet shows the values in force; re-ingesting the units' files never erases them
    assert cli("review-sheet", cwd=workspace).code == 0
    assert review_cell(sheet, "卫子镇", "1.2") == 8
    assert review_cell(sheet, "卫子镇", "1.2", "核定理由") == "会议记录不全"
    assert review_cell(sheet, "卫子镇", "1.1") is None
    assert cli("ingest", tmp_path / "inbox", cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]["total"] == 101
    # the regenerated sheet, returned as it is, records nothing new
    assert cli("ingest", sheet, cwd=workspace).code == 0
    assert query(workspace, "SELECT COUNT(*) FROM reviews")[0][0] == 3


def test_review_values_above_the_maximum_are_refused_with_an_error(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    filled = tmp_path / "复核.xlsx"
    edit_review(review_sheet_path(workspace, "乡镇(街道)"), filled, {("卫子镇", "1.2"): 12, ("卫子镇", "2.1"): "九"},
                {("卫子镇", "1.2"): "理由", ("卫子镇", "2.1"): "理由"})
    assert cli("ingest", filled, cwd=workspace).code == 1  # taken, but the two values do not count: said
    [said] = [r["message"] for r in query(workspace, "SELECT message FROM files WHERE original_name = '复核.xlsx'")]
    assert "其中 2 项未采用" in said and "超过分值" in said
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.2"] == 10 and unit["items"]["2.1"] == 10  # the self scores stand
    assert unit["errors"] == 2 and unit["provisional"] is True


def test_an_untouched_review_sheet_launders_nothing(cli, workspace, tmp_path):
    """A unit claiming 10 on an 8-point item and 18 on a 15-point item is not 核定 by a review sheet that comes
    back untouched: its claims count at most their ceilings, and it stays provisional."""
    answers = full_marks("township")
    answers.scores.update({"4.2": 10, "3.2": 18})
    returned(cli, workspace, tmp_path, {"元坝镇": answers})
    before = by_unit(cli("score", "--json", cwd=workspace).json())["元坝镇"]
    assert cli("review-sheet", cwd=workspace).code == 0
    assert cli("ingest", review_sheet_path(workspace, "乡镇(街道)"), cwd=workspace).code == 0
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["元坝镇"]
    assert unit["basis"] == "self" and unit["provisional"] is True and unit["errors"] == before["errors"] >= 2
    assert unit["items"]["4.2"] == 8 and unit["items"]["3.2"] == 15 and unit["total"] == before["total"]
    assert query(workspace, "SELECT COUNT(*) FROM reviews")[0][0] == 0


def test_a_corrected_resubmission_after_a_review_counts_where_the_office_set_nothing(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    filled = tmp_path / "复核.xlsx"
    edit_review(review_sheet_path(workspace, "乡镇(街道)"), filled, {("卫子镇", "1.2"): 9},
                {("卫子镇", "1.2"): "台账缺页"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    corrected = full_marks("township")
    corrected.scores.update({"1.1": 13, "1.2": 7})
    (tmp_path / "again").mkdir()
    returned(cli, workspace, tmp_path / "again", {"卫子镇": corrected})
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.1"] == 13  # the resubmission where the office set nothing
    assert unit["items"]["1.2"] == 9  # the office's value stands over the new claim


def test_a_withdrawn_office_value_restores_the_self_score_and_stays_in_history(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    sheet = review_sheet_path(workspace, "乡镇(街道)")
    edit_review(sheet, sheet, {("卫子镇", "1.2"): 8}, {("卫子镇", "1.2"): "会议记录不全"})
    assert cli("ingest", sheet, cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]["items"]["1.2"] == 8
    cli("review-sheet", cwd=workspace)
    assert review_cell(sheet, "卫子镇", "1.2") == 8
    edit_review(sheet, sheet, {("卫子镇", "1.2"): None}, {("卫子镇", "1.2"): "经复查台账齐全"})
    taken = cli("ingest", sheet, cwd=workspace)
    assert taken.code == 0 and "撤销核定 1 项" in taken.out
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.2"] == 10 and unit["basis"] == "self" and unit["total"] == 100
    history = [dict(r) for r in query(workspace, "SELECT ref, raw, reason, withdrawn FROM reviews ORDER BY id")]
    assert history == [{"ref": "1.2", "raw": "8", "reason": "会议记录不全", "withdrawn": 0},
                       {"ref": "1.2", "raw": None, "withdrawn": 1,
                        "reason": f"复核打分表「{sheet.name}」复核打分表!H6 的核定得分被清空:经复查台账齐全"}]
    cli("review-sheet", cwd=workspace)
    assert review_cell(sheet, "卫子镇", "1.2") is None


def test_an_office_deduction_needs_its_reason(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    sheet = review_sheet_path(workspace, "乡镇(街道)")
    filled = tmp_path / "复核.xlsx"
    cells = edit_review(sheet, filled, {("卫子镇", "1.2"): 8, ("卫子镇", "特别扣分"): 2})
    taken = cli("ingest", filled, cwd=workspace)
    assert taken.code == 1 and "核定得分未采用" in taken.err  # said at once, not "记录 2 项" and all well
    [said] = [r["message"] for r in query(workspace, "SELECT message FROM files WHERE original_name = '复核.xlsx'")]
    assert "其中 2 项未采用" in said and cells[("卫子镇", "1.2")] in said and "核定理由" in said
    assert f"【卫子镇】{cells[('卫子镇', '1.2')]}" in said  # the unit named, not only the cell
    logged = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert {(d["ref"], d["adopted"], d["label"]) for d in logged} == {("1.2", False, "核定得分(未采用)"),
                                                                      ("特别扣分", False, "核定得分(未采用)")}
    assert cli("review-sheet", cwd=workspace).code == 0  # the sheet written again shows them as not counting
    book = openpyxl.load_workbook(sheet)
    marked = book["复核打分表"][cells[("卫子镇", "1.2")].split("!")[1]]
    assert marked.value == 8 and marked.comment.text.startswith("未采用:") and marked.font.color.rgb.endswith("C00000")
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.2"] == 10 and unit["penalty"] == 0 and unit["total"] == 100  # neither is used
    assert unit["provisional"] is True and unit["errors"] == 2
    found = [f for f in cli("validate", "--json", cwd=workspace).json()["findings"] if f["code"] == "review_no_reason"]
    assert {(f["ref"], f["cell"]) for f in found} == {("1.2", cells[("卫子镇", "1.2")]),
                                                      ("penalty", cells[("卫子镇", "特别扣分")])}
    assert all(f["severity"] == "error" and "核定理由" in f["message"] for f in found)
    # with its reason it counts, and the unit's feedback shows the reason
    edit_review(filled, filled, {}, {("卫子镇", "1.2"): "会议记录不全", ("卫子镇", "特别扣分"): "年内被通报一次"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    logged = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert [d["adopted"] for d in logged] == [True, True, True, True]  # the earlier two are no longer in force
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["卫子镇"]
    assert unit["items"]["1.2"] == 8 and unit["penalty"] == 2 and unit["total"] == 96 and unit["errors"] == 0
    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "feedback").glob("*卫子镇*.html")
    text = next(page).read_text("utf-8")
    assert "法制办核定:会议记录不全" in text and "法制办核定:年内被通报一次" in text


def test_an_office_value_with_its_reason_resolves_the_items_error(cli, workspace, tmp_path):
    answers = department_case()
    answers.scores["4.1"] = 15  # facts imply at most 14: an error on 4.1
    returned(cli, workspace, tmp_path, {"区发改局": answers})
    cli("review-sheet", cwd=workspace)
    sheet = review_sheet_path(workspace, "区级部门")
    assert "4.1" in review_cell(sheet, "区发改局", "4.1", "问题")
    filled = tmp_path / "复核.xlsx"
    edit_review(sheet, filled, {("区发改局", "4.1"): 14})  # no reason: counts (not lower), resolves nothing
    assert cli("ingest", filled, cwd=workspace).code == 0
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]
    assert unit["items"]["4.1"] == 14 and unit["errors"] == 1 and unit["provisional"] is True
    edit_review(filled, filled, {}, {("区发改局", "4.1"): "经核实一名执法人员未持证"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    unit = by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]
    assert unit["items"]["4.1"] == 14 and unit["errors"] == 0 and unit["provisional"] is False
    findings = cli("validate", "--json", cwd=workspace).json()["findings"]
    finding = next(f for f in findings if f["code"] == "above_ceiling")
    assert finding["severity"] == "warning" and "法制办已核定" in finding["message"]


def test_an_old_wide_review_sheet_is_refused_with_a_request_to_regenerate(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township")})
    cli("review-sheet", cwd=workspace)
    book = openpyxl.load_workbook(review_sheet_path(workspace, "乡镇(街道)"))
    sheet = book["复核打分表"]
    sheet.delete_rows(1, sheet.max_row)
    items = [i.id for i in RUBRIC.for_type("township").items]
    sheet.append(["单位名称", *items, "特别加分", "特别扣分"])
    sheet.append(["卫子镇", *[5] * len(items), 0, 0])
    old = tmp_path / "旧复核打分表.xlsx"
    book.save(old)
    taken = cli("ingest", old, cwd=workspace)
    assert taken.code == 1 and "重新生成" in taken.out
    assert query(workspace, "SELECT code FROM files WHERE original_name = ?", old.name)[0][0] == "review_outdated"
    assert query(workspace, "SELECT COUNT(*) FROM reviews")[0][0] == 0


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
