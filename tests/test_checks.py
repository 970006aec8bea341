"""Validation and the office's review as data (pure domain): every finding with its code, cell and exact words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from domain_data import small_rubric

from fazhi_cli.domain.checks import (
    ERROR,
    WARNING,
    ContentChange,
    Finding,
    Interpreted,
    Value,
    check_bonus_evidence,
    check_ceilings,
    check_content,
    check_dates,
    check_deadline,
    check_tasks,
    interpret,
    suspicious_dates,
    validate_submission,
)
from fazhi_cli.domain.review_checks import BONUS, PENALTY, OfficeValue, office_scores, resolve_reviewed

UNIT = "区发改局"
RUBRIC = small_rubric()
DEPT = RUBRIC.for_type("department")
TZ = dt.timezone(dt.timedelta(hours=8))


def months(**answers) -> dict:
    """The twelve monthly answers of 1.2a: 2 each unless given (m03=0); None leaves the month out."""
    values = {}
    for month in range(1, 13):
        raw = answers.get(f"m{month:02d}", 2)
        if raw is not None:
            values[(f"1.2a.{month:02d}", "fact")] = Value(raw, f"自评表!F{month + 6}")
    return values


def test_finding_as_dict_adds_the_file_only_when_there_is_one():
    finding = Finding("区发改局", ERROR, "late", "1.1", "自评表!I5", "文字")
    assert finding.as_dict() == {"unit": "区发改局", "severity": "error", "code": "late", "ref": "1.1",
                                 "cell": "自评表!I5", "message": "文字"}
    assert Finding(None, WARNING, "refused", None, None, "m", file="a.xlsx").as_dict() == {
        "unit": None, "severity": "warning", "code": "refused", "ref": None, "cell": None, "message": "m",
        "file": "a.xlsx"}


def test_interpret_reads_facts_and_scores_and_words_every_problem():
    values = {
        ("1.1a", "fact"): Value("是", "自评表!F5"),
        ("1.1b", "fact"): Value("两次", "自评表!F6"),
        **months(m03=0, m05=None, m07="  "),
        ("1.1", "score"): Value(9, "自评表!I5"),
        ("1.2", "score"): Value("=SUM(A1)", "自评表!I6"),
        ("B1", "fact"): Value("是", "自评表!F20"),
        ("B2", "fact"): Value(" ", "自评表!F21"),
        ("P1", "fact"): Value("1次", "自评表!F22"),
    }
    out = interpret(UNIT, DEPT, RUBRIC, values)
    assert out.facts == {"1.1a": True, **{f"1.2a.{m:02d}": 2 for m in (1, 2, 4, 6, 8, 9, 10, 11, 12)},
                         "1.2a.03": 0, "B1": True, "P1": 1}
    assert out.scores == {"1.1": Decimal(9), "1.2": None, "1.3": None}
    assert [(f.unit, f.severity, f.code, f.ref, f.cell, f.message) for f in out.findings] == [
        (UNIT, ERROR, "count_invalid", "1.1b", "自评表!F6",
         "【区发改局】自评表!F6:1.1b的填报值“两次”无法识别,应填写大于或等于 0 的整数(次数或条数)。请修改后重新报送。"),
        (UNIT, WARNING, "fact_missing", "1.2a.05", None,
         "【区发改局】1.2a.05“信息”的填报值未填写,按当月未报送计算扣分。请补填。"),
        (UNIT, WARNING, "fact_missing", "1.2a.07", "自评表!F13",
         "【区发改局】自评表!F13:1.2a.07“信息”的填报值未填写,按当月未报送计算扣分。请补填。"),
        (UNIT, ERROR, "score_not_number", "1.2", "自评表!I6",
         "【区发改局】自评表!I6:第 1.2 项的自评得分“=SUM(A1)”不是数字(暂按 0 分计)。请直接填写数字,不要使用公式。"),
        (UNIT, ERROR, "score_missing", "1.3", None,
         "【区发改局】第 1.3 项“培训”未填写自评得分(暂按 0 分计)。请填写 0 至 5 之间的分数。"),
    ]
    # the unit's own facts cap 1.1 at 10 − 2 = 8, and 1.2 at 5 − 0.2 × 6 pieces short (March, May, July) = 3.8
    assert out.ceilings(DEPT) == {"1.1": Decimal(8), "1.2": Decimal("3.8"), "1.3": Decimal(5)}
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in check_ceilings(UNIT, DEPT, values, out)] == [
        (ERROR, "above_ceiling", "1.1", "自评表!I5",
         "【区发改局】自评表!I5:第 1.1 项的自评得分 9 超过得分上限 8(本单位填报的扣分情形应扣 2 分)。"
         "请核对填报值或将得分改为不超过 8。"),
        (WARNING, "no_explanation", "1.1", None, "【区发改局】第 1.1 项失分 1 分,但未填写扣分说明。请补充失分原因。"),
    ]
    evidence = check_bonus_evidence(UNIT, RUBRIC, values, out)
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in evidence] == [
        (WARNING, "bonus_no_evidence", "B1", None,
         "【区发改局】申报特别加分 B1(省级示范),但未列明佐证材料。请在“佐证材料”栏列明并随表报送。"),
    ]


def test_a_fact_read_as_a_logical_or_unreadable_flag_says_why():
    out = interpret(UNIT, DEPT, RUBRIC, {("1.1a", "fact"): Value(True, "自评表!F5"), **months()})
    assert [(f.code, f.message) for f in out.findings if f.ref == "1.1a"] == [
        ("flag_invalid", "【区发改局】自评表!F5:1.1a的填报值“TRUE”是逻辑值(TRUE/FALSE),只能填“是”或“否”。"
                         "请修改后重新报送。")]
    out = interpret(UNIT, DEPT, RUBRIC, {("1.1a", "fact"): Value("有"), **months()})
    assert [(f.code, f.cell, f.message) for f in out.findings if f.ref == "1.1a"] == [
        ("flag_invalid", None, "【区发改局】1.1a的填报值“有”无法识别,只能填“是”或“否”。请修改后重新报送。")]
    out = interpret(UNIT, DEPT, RUBRIC, {**months()})
    assert [(f.severity, f.code, f.message) for f in out.findings if f.ref == "1.1a"] == [
        (WARNING, "fact_missing", "【区发改局】1.1a“未建立制度”的填报值未填写,按“否”计。请补填。")]
    assert [f.message for f in out.findings if f.ref == "1.1b"] == [
        "【区发改局】1.1b“被通报”的填报值未填写,按 0 计。请补填。"]


def test_a_special_answer_that_cannot_be_read_is_an_error():
    out = interpret(UNIT, DEPT, RUBRIC, {("P2", "fact"): Value("-1", "自评表!F23")})
    assert [(f.severity, f.code, f.ref, f.message) for f in out.findings if f.ref == "P2"] == [
        (ERROR, "count_invalid", "P2",
         "【区发改局】自评表!F23:P2的填报值“-1”无法识别,应填写大于或等于 0 的整数(次数或条数)。请修改后重新报送。")]
    assert "P2" not in out.facts


@pytest.mark.parametrize(("raw", "severity", "code", "message"), [
    ("abc", ERROR, "score_not_number", "第 1.1 项的自评得分“abc”不是数字(暂按 0 分计)。请填写数字。"),
    ("inf", ERROR, "score_not_number", "第 1.1 项的自评得分“inf”不是有限数(暂按 0 分计)。请填写 0 至 10 之间的分数。"),
    (-1, ERROR, "score_negative", "第 1.1 项的自评得分 -1 为负数。得分最低为 0,请修改。"),
    (11, ERROR, "above_max", "第 1.1 项的自评得分 11 超过该项分值 10。请修改。"),
    ("9.555", WARNING, "score_precision", "第 1.1 项的自评得分 9.555 超过两位小数,按四舍五入保留两位小数计。"),
])
def test_score_problems(raw, severity, code, message):
    out = interpret(UNIT, DEPT, RUBRIC, {("1.1", "score"): Value(raw, "自评表!I5")})
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in out.findings if f.ref == "1.1"] == [
        (severity, code, "1.1", "自评表!I5", f"【区发改局】自评表!I5:{message}")]


@pytest.mark.parametrize("raw", ["9.55", 10, 0, "8"])
def test_scores_within_bounds_have_no_score_finding(raw):
    out = interpret(UNIT, DEPT, RUBRIC, {("1.1", "score"): Value(raw, "自评表!I5")})
    assert [f for f in out.findings if f.ref == "1.1"] == []
    assert out.scores["1.1"] == Decimal(str(raw))


def test_ceilings_need_notes_only_for_lost_points_and_skip_scores_above_the_maximum():
    out = Interpreted(facts={"1.1a": True, "1.1b": 1},
                      scores={"1.1": Decimal(11), "1.2": Decimal(5), "1.3": Decimal(0)})
    values = {("1.3", "note"): Value(" ", "自评表!J7"), ("1.2", "score"): Value(5, "自评表!I6")}
    # no monthly answers: 24 pieces short, 1.2 capped at 5 − 4.8 = 0.2
    assert [(f.code, f.ref, f.cell, f.message) for f in check_ceilings(UNIT, DEPT, values, out)] == [
        ("above_ceiling", "1.2", "自评表!I6",
         "【区发改局】自评表!I6:第 1.2 项的自评得分 5 超过得分上限 0.2(本单位填报的扣分情形"
         "应扣 4.8 分)。请核对填报值或将得分改为不超过 0.2。"),
        ("no_explanation", "1.3", "自评表!J7",
         "【区发改局】自评表!J7:第 1.3 项失分 5 分,但未填写扣分说明。请补充失分原因。")]
    out = Interpreted(facts={"1.1a": True, "1.1b": 1}, scores={"1.1": Decimal(5), "1.3": Decimal(4)})
    values = {("1.1", "note"): Value("未建立制度"), ("1.3", "note"): Value("少一次")}
    assert list(check_ceilings(UNIT, DEPT, values, out)) == []
    out = Interpreted(facts={"1.1a": True, "1.1b": 1}, scores={"1.1": Decimal("5.01")})
    assert [(f.code, f.cell) for f in check_ceilings(UNIT, DEPT, {("1.1", "note"): Value("x")}, out)] == [
        ("above_ceiling", None)]
    assert "应扣 5 分" in next(check_ceilings(UNIT, DEPT, {("1.1", "note"): Value("x")}, out)).message


def test_bonus_evidence_only_for_a_claimed_bonus_without_material():
    out = Interpreted(facts={"B1": False, "B2": True})
    assert list(check_bonus_evidence(UNIT, RUBRIC, {("B2", "evidence"): Value("市政府文件")}, out)) == []
    assert [(f.ref, f.cell) for f in check_bonus_evidence(UNIT, RUBRIC, {("B2", "evidence"): Value("", "自评表!H21")},
                                                           out)] == [("B2", "自评表!H21")]


def test_content_changes_are_worded_by_what_changed():
    changes = [
        ContentChange("1.1", "duplicate", "自评表!A9", "自评表!A5", ""),
        ContentChange("1.2", "hidden_row", "自评表!A6", "6", ""),
        ContentChange(None, "hidden_column", None, "扣分说明", ""),
        ContentChange("1.3", "missing", None, "", ""),
        ContentChange("1.1", "分值", "自评表!D5", "12", "10"),
    ]
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in check_content(UNIT, changes)] == [
        (ERROR, "duplicate_id", "1.1", "自评表!A9", "【区发改局】自评表!A9:编号 1.1 出现了两次(自评表!A5 和 自评表!A9),"
         "暂按 自评表!A5 所在行计。请删除多余的行后重新报送。"),
        (WARNING, "hidden_input", "1.2", "自评表!A6",
         "【区发改局】自评表!A6:编号 1.2 所在的第 6 行被隐藏。请取消隐藏并核对该行的填报内容。"),
        (WARNING, "hidden_input", None, None, "【区发改局】“扣分说明”列被隐藏。请取消隐藏并核对该列的填报内容。"),
        (ERROR, "item_missing", "1.3", None, "【区发改局】第 1.3 行被删除或编号被改动。请使用下发的原表重新填报。"),
        (ERROR, "content_changed", "1.1", "自评表!D5",
         "【区发改局】自评表!D5:第 1.1 行的“分值”被改动(现为“12”,应为“10”)。"
         "计分按原评分细则,请勿修改固定内容。"),
    ]


def test_deadline_is_the_end_of_the_day():
    deadline = dt.date(2017, 12, 10)
    assert list(check_deadline(UNIT, dt.datetime(2017, 12, 10, 23, 59, tzinfo=TZ), deadline)) == []
    assert [(f.severity, f.code, f.ref, f.cell, f.message)
            for f in check_deadline(UNIT, dt.datetime(2017, 12, 11, 0, 1, tzinfo=TZ), deadline)] == [
        (WARNING, "late", None, None, "【区发改局】报送时间 2017-12-11 00:01 晚于截止日期 2017-12-10。")]


def test_suspicious_dates_allow_ten_minutes_of_clock_skew():
    received = dt.datetime(2017, 12, 5, 10, 0, tzinfo=TZ)
    generated = dt.datetime(2017, 11, 20, 9, 0, tzinfo=TZ)
    assert suspicious_dates(None, received, generated) == []
    assert suspicious_dates(received + dt.timedelta(minutes=10), received, generated) == []
    assert suspicious_dates(generated - dt.timedelta(minutes=10), received, generated) == []
    assert suspicious_dates(generated - dt.timedelta(minutes=11), received, None) == []
    utc = dt.UTC
    assert suspicious_dates(dt.datetime(2017, 12, 5, 2, 11, tzinfo=utc), received, generated) == [
        "邮件日期 2017-12-05 10:11 晚于法制办收取时间 2017-12-05 10:00"]
    assert suspicious_dates(dt.datetime(2017, 11, 20, 0, 49, tzinfo=utc), received, generated) == [
        "邮件日期 2017-11-20 08:49 早于该自评表的下发(生成)时间 2017-11-20 09:00"]
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in check_dates(
        UNIT, received + dt.timedelta(hours=1), received, generated)] == [
        (WARNING, "date_suspicious", None, None,
         "【区发改局】邮件日期 2017-12-05 11:00 晚于法制办收取时间 2017-12-05 10:00;以法制办收取时间为准,请核实。")]


def test_tasks_need_a_status_from_the_list():
    values = {
        ("task:1", "status"): Value(" 已完成 ", "工作任务!E3"),
        ("task:2", "status"): Value("差不多", "工作任务!E4"),
        ("task:4", "status"): Value("", "工作任务!E6"),
        ("task:6", "status"): Value("推进中"),
        ("task:7", "status"): Value("未启动"),
    }
    assert [(f.severity, f.code, f.ref, f.cell, f.message) for f in check_tasks(UNIT, [1, 2, 3, 4, 6, 7], values)] == [
        (WARNING, "task_status_invalid", "task:2", "工作任务!E4",
         "【区发改局】工作任务!E4:工作任务第 2 项的完成情况“差不多”无法识别,应为已完成、推进中或未启动。"),
        (WARNING, "task_status_missing", "task:3", None,
         "【区发改局】工作任务第 3、4 项未填写完成情况。请在“工作任务”表中选择已完成、推进中或未启动。"),
    ]
    assert [f.cell for f in check_tasks(UNIT, [4, 3], values)] == ["工作任务!E6"]
    assert list(check_tasks(UNIT, [1, 6], values)) == []


def test_validate_submission_lists_errors_first_and_a_deleted_row_once():
    values = {("1.1a", "fact"): Value("否"), ("1.1b", "fact"): Value(0), **months(),
              ("1.1", "score"): Value(10), ("1.2", "score"): Value(5), ("task:1", "status"): Value("已完成")}
    changes = [ContentChange("1.3", "missing", None, "", "")]
    received = dt.datetime(2017, 12, 11, 9, 0, tzinfo=TZ)
    out, findings = validate_submission(UNIT, DEPT, RUBRIC, values, changes, received, dt.date(2017, 12, 10), [1, 2])
    assert out.scores == {"1.1": Decimal(10), "1.2": Decimal(5), "1.3": None}
    assert [(f.severity, f.code, f.ref) for f in findings] == [
        (ERROR, "item_missing", "1.3"), (WARNING, "late", None), (WARNING, "task_status_missing", "task:2")]
    values[("1.1", "score")] = Value(11)
    values[("B1", "fact")] = Value("是")
    hidden = [ContentChange("1.2", "hidden_row", "自评表!A6", "6", "")]  # a warning met before the errors
    _, findings = validate_submission(UNIT, DEPT, RUBRIC, values, hidden, received, dt.date(2017, 12, 11), [])
    assert [(f.unit, f.severity, f.code, f.ref) for f in findings] == [
        (UNIT, ERROR, "above_max", "1.1"), (UNIT, ERROR, "score_missing", "1.3"),
        (UNIT, WARNING, "hidden_input", "1.2"), (UNIT, WARNING, "bonus_no_evidence", "B1")]
    assert {f.unit for f in validate_submission(UNIT, DEPT, RUBRIC, values, changes, received, dt.date(2017, 12, 10),
                                                [2])[1]} == {UNIT}


def test_office_scores_keep_what_counts_and_word_the_rest():
    reviews = {
        "1.1": OfficeValue("9", "复核!E5"),
        "1.2": OfficeValue("x", "复核!E6"),
        "1.3": OfficeValue(-1, "复核!E7"),
        BONUS: OfficeValue(6, "复核!E20"),
        PENALTY: OfficeValue("4", "复核!E21", "被通报批评"),
        "9.9": OfficeValue(3, "复核!E30"),
        "B1": OfficeValue(1),
    }
    scores = office_scores(UNIT, DEPT, RUBRIC, reviews, {"1.1a": True})
    assert scores.values == {"1.1": Decimal(9), PENALTY: Decimal(4)}
    assert [(f.unit, f.severity, f.code, f.ref, f.cell, f.message) for f in scores.findings] == [
        (UNIT, WARNING, "review_above_ceiling", "1.1", "复核!E5",
         "【区发改局】复核!E5:复核打分表 1.1 的核定得分 9 高于单位填报情形对应的得分上限 8,以核定得分为准。"),
        (UNIT, ERROR, "review_not_number", "1.2", "复核!E6",
         "【区发改局】复核!E6:复核打分表 1.2 的核定得分“x”不是数字,未采用。"),
        (UNIT, ERROR, "review_negative", "1.3", "复核!E7",
         "【区发改局】复核!E7:复核打分表 1.3 的核定得分 -1 为负数,未采用。"),
        (UNIT, ERROR, "review_above_max", BONUS, "复核!E20",
         "【区发改局】复核!E20:复核打分表 特别加分 的核定得分 6 超过分值 5,未采用。"),
    ]


def test_office_scores_accept_values_up_to_the_limits_and_skip_blanks():
    reviews = {"1.1": OfficeValue("8"), "1.2": OfficeValue(" "), "1.3": OfficeValue("inf", "复核!E7"),
               BONUS: OfficeValue(5), PENALTY: OfficeValue(100, None, "理由")}
    scores = office_scores(UNIT, DEPT, RUBRIC, reviews, {"1.1a": True})
    assert scores.values == {"1.1": Decimal(8), BONUS: Decimal(5), PENALTY: Decimal(100)}
    assert [(f.code, f.message) for f in scores.findings] == [
        ("review_not_number", "【区发改局】复核!E7:复核打分表 1.3 的核定得分“inf”不是有限数,未采用。")]
    assert office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue(10)}, {}).findings == []
    assert office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue(0)}, {"1.1a": True}).values == {"1.1": Decimal(0)}
    assert [f.code for f in office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue("10.01")}, {}).findings] == [
        "review_above_max"]


def test_an_office_value_below_the_units_own_needs_a_reason():
    claimed = {"1.1": Decimal(10), "1.2": Decimal(5)}
    reviews = {"1.1": OfficeValue(8, "复核!H5"), "1.2": OfficeValue(3, "复核!H6", "台账不全"),
               PENALTY: OfficeValue(2, "复核!H21"), BONUS: OfficeValue(1, "复核!H20")}
    scores = office_scores(UNIT, DEPT, RUBRIC, reviews, {}, claimed)
    assert scores.values == {"1.2": Decimal(3), BONUS: Decimal(1)}  # a bonus above the unit's own needs none
    assert scores.reasons == {"1.2": "台账不全", BONUS: ""}
    missing = [f for f in scores.findings if f.code == "review_no_reason"]
    assert [(f.severity, f.ref, f.cell) for f in missing] == [(ERROR, "1.1", "复核!H5"), (ERROR, PENALTY, "复核!H21")]
    assert "未填写核定理由" in missing[0].message
    # at the self score as it counts (a claim above the ceiling counts as the ceiling) no reason is needed
    capped = office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue(8)}, {"1.1a": True}, {"1.1": Decimal(10)})
    assert capped.values == {"1.1": Decimal(8)} and capped.findings == []


def test_only_an_office_value_with_its_reason_resolves_its_items_errors():
    findings = [Finding(UNIT, ERROR, "above_ceiling", "1.1", "自评表!I5", "1.1 超过上限"),
                Finding(UNIT, ERROR, "flag_invalid", "1.1a", "自评表!F5", "1.1a 不是是/否"),
                Finding(UNIT, ERROR, "above_max", "1.2", "自评表!I6", "1.2 超过分值")]
    with_reason = office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue(8, None, "经核实")}, {})
    resolved = resolve_reviewed(findings, DEPT, with_reason)
    assert [(f.ref, f.severity) for f in resolved] == [("1.1", WARNING), ("1.1a", WARNING), ("1.2", ERROR)]
    assert resolved[0].message == "1.1 超过上限(法制办已核定 1.1:经核实)"
    without = office_scores(UNIT, DEPT, RUBRIC, {"1.1": OfficeValue(8)}, {})
    assert resolve_reviewed(findings, DEPT, without) == findings
