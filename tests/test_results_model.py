"""Results and the results model (pure domain) on a small rubric, every figure worked out by hand.

Rubric (tests/domain_data.py): departments 1.1 (10; 1.1a 是 −2, 1.1b −3 each), 1.2 (5; 1.2a two a month,
−0.2 per piece short), 1.3 (5); townships 1.1 (10; 1.1a 是 −2); bonus B1 5 / B2 3 (the highest counts);
penalty P1 −2 / P2 −5 each.

区发改局: 1.1a 是, 1.1b 1 → 1.1 capped at 10 − 2 − 3 = 5 (claims 6); March 0 pieces → 1.2 ceiling 4.6 (claims
4.6); 1.3 blank, office 4; B1 and B2 claimed (self bonus 5), office bonus 3; P1 1 → penalty 2.
Total 5 + 4.6 + 4 + 3 − 2 = 14.60, self total 5 + 4.6 + 0 + 5 − 2 = 12.60; one validation error.
区财政局: no deductions; claims 9.999 (counts 10.00), 5, −1 (counts 0): total 15.00.
区司法局: returned nothing. 元坝镇: claims 10, office 9: total 9.00, self total 10.00.
"""

from __future__ import annotations

from decimal import Decimal as D

from domain_data import small_rubric

from fazhi_cli.domain import report_model
from fazhi_cli.domain.change_text import change_reason, is_changed
from fazhi_cli.domain.report_model import (
    Deduction,
    Difference,
    Headline,
    ItemLoss,
    OfficeGap,
    TaskLine,
    TaskProgress,
    build_results_model,
    explain_rule,
)
from fazhi_cli.domain.results import ItemResult, UnitResult, missing_unit, rank_and_convert, score_unit
from fazhi_cli.domain.review_checks import BONUS
from fazhi_cli.domain.units import Unit

RUBRIC = small_rubric()
FULL_MONTHS = {f"1.2a.{m:02d}": 2 for m in range(1, 13)}
FACTS = {
    "区发改局": {"1.1a": True, "1.1b": 1, **FULL_MONTHS, "1.2a.03": 0, "B1": True, "B2": True, "P1": 1},
    "区财政局": dict(FULL_MONTHS),
    "元坝镇": {"1.1a": False},
}
UNITS = [Unit("区发改局", "department"), Unit("区财政局", "department"), Unit("区司法局", "department"),
         Unit("元坝镇", "township")]
BANDS = [("良好", D(10)), ("优秀", D(15)), ("一般", D(0))]


def results() -> list[UnitResult]:
    dept, town = RUBRIC.for_type("department"), RUBRIC.for_type("township")
    return rank_and_convert([
        score_unit("区发改局", dept, RUBRIC, FACTS["区发改局"], {"1.1": D(6), "1.2": D("4.6"), "1.3": None},
                   {"1.3": D(4), BONUS: D(3)}, errors=1),
        score_unit("区财政局", dept, RUBRIC, FACTS["区财政局"], {"1.1": D("9.999"), "1.2": D(5), "1.3": D(-1)}, {}, 0),
        missing_unit("区司法局", "department"),
        score_unit("元坝镇", town, RUBRIC, FACTS["元坝镇"], {"1.1": D(10)}, {"1.1": D(9)}, 0),
    ], {"department": D(40), "township": D(40)}, BANDS)


def model():
    notes = {"区发改局": {"1.1": "未建立制度"}}
    tasks = {"区发改局": {1: ("已完成", "学完"), 2: ("推进", "")}, "元坝镇": {3: ("未启动", "")}}
    return build_results_model(RUBRIC, UNITS, results(), FACTS, notes, tasks, ("优秀", "良好", "一般"))


def test_score_unit_counts_office_values_caps_and_blanks():
    fgj, czj, sfj, yb = results()
    assert fgj.items == {
        "1.1": ItemResult("1.1", D(10), D(6), D(5), None, D("5.00"), D(5)),
        "1.2": ItemResult("1.2", D(5), D("4.6"), D("4.6"), None, D("4.60"), D("0.4")),
        "1.3": ItemResult("1.3", D(5), None, D(5), D(4), D("4.00"), D(0)),
    }
    assert [str(i.score) for i in fgj.items.values()] == ["5.00", "4.60", "4.00"]
    assert [str(i.self_score) for i in fgj.items.values()] == ["5.00", "4.60", "0"]
    assert [i.basis for i in fgj.items.values()] == ["self", "self", "assessed"]
    assert (fgj.unit, fgj.type, fgj.status, fgj.subtotals) == ("区发改局", "department", "scored", {"1": D("13.60")})
    assert (fgj.bonus, fgj.self_bonus, fgj.penalty, fgj.self_penalty) == (D(3), D(5), D(2), D(2))
    assert (str(fgj.total), str(fgj.self_total), fgj.errors, fgj.provisional) == ("14.60", "12.60", 1, True)
    assert (fgj.rank, str(fgj.converted), fgj.grade, fgj.basis) == (2, "5.84", "良好", "mixed")
    assert (str(czj.total), czj.rank, str(czj.converted), czj.grade, czj.basis) == ("15.00", 1, "6.00", "优秀", "self")
    assert [str(i.score) for i in czj.items.values()] == ["10.00", "5.00", "0.00"]
    assert (czj.bonus, czj.penalty, czj.provisional) == (0, 0, False)
    assert sfj == UnitResult("区司法局", "department", "missing")
    assert (sfj.basis, sfj.rank, sfj.total, sfj.converted, sfj.grade, sfj.provisional) == (None,) * 5 + (False,)
    assert (str(yb.total), str(yb.self_total), yb.rank, str(yb.converted), yb.grade, yb.basis) == (
        "9.00", "10.00", 1, "3.60", "一般", "assessed")


def test_ranks_are_per_type_and_shared_on_equal_totals():
    dept = RUBRIC.for_type("department")
    def unit(name, score):
        return score_unit(name, dept, RUBRIC, FULL_MONTHS, {"1.1": D(score), "1.2": D(5), "1.3": D(5)}, {}, 0)
    ranked = rank_and_convert([unit("甲", 8), unit("乙", 9), unit("丙", 8), unit("丁", 7)], {"department": D(100)})
    assert [(r.unit, r.rank, str(r.converted), r.grade) for r in ranked] == [
        ("甲", 2, "18.00", None), ("乙", 1, "19.00", None), ("丙", 2, "18.00", None), ("丁", 4, "17.00", None)]


def test_a_unit_type_without_a_weight_is_ranked_but_not_converted():
    dept, town = RUBRIC.for_type("department"), RUBRIC.for_type("township")
    ranked = rank_and_convert([
        score_unit("区发改局", dept, RUBRIC, FULL_MONTHS, {"1.1": D(8), "1.2": D(5), "1.3": D(5)}, {}, 0),
        score_unit("元坝镇", town, RUBRIC, FACTS["元坝镇"], {"1.1": D(10)}, {}, 0),
    ], {"department": D("2.5")}, BANDS)
    # 区发改局: 18 × 2.5 / 100 = 0.45; 元坝镇 (10, 良好) has no weight: ranked and graded, no converted score
    assert [(r.unit, r.rank, r.converted, r.grade) for r in ranked] == [
        ("区发改局", 1, D("0.45"), "优秀"), ("元坝镇", 1, None, "良好")]


def test_explain_rule_words_each_kind():
    dept = RUBRIC.for_type("department")
    flag, count = dept.item("1.1").rules
    monthly = dept.item("1.2").rules[0]
    facts = FACTS["区发改局"]
    assert explain_rule(flag, facts) == Deduction("1.1a", "flag", D(2), True, (), True, "1.1a 未建立制度:是,扣 2 分")
    assert explain_rule(count, {"1.1b": 2}) == Deduction("1.1b", "count", D(6), 2, (), True, "1.1b 被通报:2 次,扣 6 分")
    short = {**FULL_MONTHS, "1.2a.03": 0, "1.2a.11": 1}
    line = explain_rule(monthly, short)
    assert line == Deduction("1.2a", "monthly", D("0.6"), None, ((3, 2), (11, 1)), True,
                             "1.2a 法治政府信息报送不足:3月、11月共少报 3 条,扣 0.6 分")
    assert line.short_total == 3
    assert explain_rule(flag, {"1.1a": False}) is None and explain_rule(count, {}) is None
    bonus = RUBRIC.special.bonus[1]
    assert explain_rule(bonus, facts, bonus=True).text == "B2 市级示范:是,加 3 分"
    assert explain_rule(bonus, facts, bonus=True, applied=False).text == "B2 市级示范:是,不累加(只计最高一项加分)"


def test_change_reasons():
    def item(claimed, office, score, ceiling=D(8)):
        return ItemResult("1.1", D(10), claimed, ceiling, office, score, D(2))
    assert change_reason(item(None, None, D(0))) == "未填自评得分,按 0 计"
    assert change_reason(item(None, D(5), D(5))) == "法制办核定(未填自评得分)"
    assert change_reason(item(D(9), None, D(8))) == "自评得分超过得分上限,按上限计"
    assert change_reason(item(D(9), D(7), D(7))) == "法制办核定(自评得分超过得分上限)"
    assert change_reason(item(D(-1), None, D(0))) == "自评得分为负数,按 0 计"
    assert change_reason(item(D(-1), D(3), D(3))) == "法制办核定(自评得分为负数)"
    assert change_reason(item(D("7.555"), None, D("7.56"))) == "按两位小数计"
    assert change_reason(item(D(8), D(7), D(7))) == "法制办核定"
    assert change_reason(item(D(0), None, D(0), ceiling=D(0))) == "按两位小数计"
    assert is_changed(item(None, None, D(0))) and is_changed(item(D(9), None, D(8)))
    assert not is_changed(item(D(8), D(8), D("8.00"))) and not is_changed(item(D(8), None, D(8)))


def test_headline_types_and_losses():
    m = model()
    assert m.headline == Headline(units=4, returned=3, missing=1, reviewed=2, provisional=1)
    dept, town = m.types
    assert (dept.type, dept.label, dept.max_total, dept.missing, dept.provisional) == (
        "department", "区级各部门", D(25), ("区司法局",), 1)
    assert [r.unit for r in dept.ranked] == ["区财政局", "区发改局"]
    assert (dept.returned, dept.missing_count, str(dept.average_total)) == (2, 1, "14.80")
    assert dept.averages == {"1.1": D("7.5"), "1.2": D("4.8"), "1.3": D(2)}
    assert dept.losses == (
        ItemLoss("1.3", "培训", D(5), D(2), D("0.6"), D("60.00")),
        ItemLoss("1.1", "决策程序", D(10), D("7.5"), D("0.25"), D("25.00")),
        ItemLoss("1.2", "信息报送", D(5), D("4.8"), D("0.04"), D("4.00")),
    )
    assert [str(loss.loss_percent) for loss in dept.losses] == ["60.00", "25.00", "4.00"]
    assert (town.type, town.label, town.max_total, town.missing, town.provisional) == (
        "township", "各乡镇(街道)", D(15), (), 0)
    assert town.losses == (ItemLoss("1.1", "决策程序", D(10), D(9), D("0.1"), D("10.00")),)
    assert m.of_type("township") is town
    assert [r.unit.name for r in m.ranked_units("department")] == ["区财政局", "区发改局"]
    assert m.missing == (UNITS[2],)
    assert m.grades == (("优秀", 1), ("良好", 1), ("一般", 1))
    assert m.distribution == (("60 以下", 3), ("60–70", 0), ("70–80", 0), ("80–90", 0), ("90–100", 0),
                              ("100 以上", 0))


def test_the_report_of_a_reviewed_unit():
    report = model().units["区发改局"]
    assert (report.unit, report.type_label, report.basis_label, report.of) == (UNITS[0], "区级各部门", "部分核定", 2)
    assert report.remark == "暂定:有 1 个校验错误"
    one, two, three = report.items
    assert (one.id, one.name, one.content, one.standard, one.max) == (
        "1.1", "决策程序", "遵守程序", "按规定扣分", D(10))
    assert (one.claimed, one.ceiling, one.office, str(one.score), str(one.self_score)) == (
        D(6), D(5), None, "5.00", "5.00")
    assert (str(one.lost), str(one.gap), one.changed, one.reason) == (
        "5.00", "0.00", True, "自评得分超过得分上限,按上限计")
    assert (one.note, one.average, one.office_changed) == ("未建立制度", D("7.5"), False)
    assert [d.text for d in one.deductions] == ["1.1a 未建立制度:是,扣 2 分", "1.1b 被通报:1 次,扣 3 分"]
    assert (two.changed, two.reason, two.note, str(two.lost), two.average) == (False, "", "", "0.40", D("4.8"))
    assert [(d.short_months, d.text) for d in two.deductions] == [
        (((3, 2),), "1.2a 法治政府信息报送不足:3月共少报 2 条,扣 0.4 分")]
    assert (three.standard, three.claimed, three.office, str(three.score), str(three.self_score)) == (
        "", None, D(4), "4.00", "0")
    assert (str(three.lost), str(three.gap), three.changed, three.office_changed, three.deductions) == (
        "1.00", "4.00", True, True, ())
    assert three.reason == "法制办核定(未填自评得分)"
    assert [line.id for line in report.lost_items] == ["1.1", "1.2", "1.3"]
    assert [line.id for line in report.improve] == ["1.1", "1.3", "1.2"]
    assert report.bonus_lines == (
        Deduction("B1", "flag", D(5), True, (), True, "B1 省级示范:是,加 5 分"),
        Deduction("B2", "flag", D(3), True, (), False, "B2 市级示范:是,不累加(只计最高一项加分)"),
    )
    assert report.penalty_lines == (Deduction("P1", "count", D(2), 1, (), True, "P1 违法:1 次,扣 2 分"),)
    assert report.tasks == (TaskLine(1, "学习", "已完成", "学完"), TaskLine(2, "审批", "推进", ""))
    assert report.differences == (
        Difference("区发改局", "department", "区级部门", "1.1", "决策程序", D(10), D(6), D(5), None, D(5), D(-1),
                   "自评得分超过得分上限,按上限计", "未建立制度"),  # 5 − 6: against the form as sent
        Difference("区发改局", "department", "区级部门", "1.3", "培训", D(5), None, D(5), D(4), D(4), D(4),
                   "法制办核定(未填自评得分)", ""),
        Difference("区发改局", "department", "区级部门", "特别加分", "特别加分", D(5), D(5), None, D(3), D(3), D(-2),
                   "法制办核定", ""),
        Difference("区发改局", "department", "区级部门", "合计", "总分(含特别加分、扣分)", D(20), D("13.60"), None,
                   None, D("14.60"), D(1), "计分依据:部分核定", "", is_total=True),  # the form adds to 13.6: −1 + 4 − 2
    )


def test_the_reports_of_self_scored_and_assessed_units():
    m = model()
    czj = m.units["区财政局"]
    assert (czj.basis_label, czj.of, czj.remark, czj.bonus_lines, czj.penalty_lines) == ("自评", 2, "", (), ())
    assert [(line.id, line.changed, line.reason) for line in czj.items] == [
        ("1.1", True, "按两位小数计"), ("1.2", False, ""), ("1.3", True, "自评得分为负数,按 0 计")]
    assert czj.tasks == (TaskLine(1, "学习", "", ""),)
    assert [(d.ref, d.difference, d.reason, d.is_total) for d in czj.differences] == [
        ("1.1", D("0.001"), "按两位小数计", False), ("1.3", D(1), "自评得分为负数,按 0 计", False),
        ("合计", D("1.001"), "计分依据:自评", True)]  # the form adds to 13.999: 15 − 13.999
    yb = m.units["元坝镇"]
    assert (yb.type_label, yb.basis_label, yb.of, yb.tasks) == (
        "各乡镇(街道)", "核定", 1, (TaskLine(3, "基层", "未启动", ""),))
    assert [(d.ref, d.type_label, d.counted, d.difference, d.reason) for d in yb.differences] == [
        ("1.1", "乡镇(街道)", D(9), D("-1.00"), "法制办核定"),
        ("合计", "乡镇(街道)", D("9.00"), D("-1.00"), "计分依据:核定")]
    assert [d.unit for d in m.differences] == ["区财政局"] * 3 + ["区发改局"] * 4 + ["元坝镇"] * 2
    assert m.largest_gaps == (
        OfficeGap("区发改局", "1.3", "培训", D(0), D(4), D(4), "法制办核定(未填自评得分)"),
        OfficeGap("元坝镇", "1.1", "决策程序", D(10), D(9), D(-1), "法制办核定"),
    )
    assert m.tasks == (
        TaskProgress(1, "学习", {"已完成": 1, "推进中": 0, "未启动": 0, "未填": 1}, 2),
        TaskProgress(2, "审批", {"已完成": 0, "推进中": 0, "未启动": 0, "未填": 1}, 1),
        TaskProgress(3, "基层", {"已完成": 0, "推进中": 0, "未启动": 1, "未填": 0}, 1),
    )


def test_a_changed_penalty_is_a_difference_row():
    dept = RUBRIC.for_type("department")
    result = score_unit("区发改局", dept, RUBRIC, FACTS["区发改局"], {"1.1": D(5), "1.2": D("4.6"), "1.3": D(5)},
                        {"penalty": D(7)}, 0)
    ranked = rank_and_convert([result], {"department": D(40)})
    m = build_results_model(RUBRIC, UNITS[:1], ranked, FACTS, {}, {})
    rows = m.units["区发改局"].differences
    assert rows[0] == Difference("区发改局", "department", "区级部门", "特别扣分", "特别扣分(扣减分数)", None, D(2),
                                 None, D(7), D(7), D(-5), "法制办核定", "")
    assert (rows[1].ref, rows[1].difference, rows[1].reason) == ("合计", D("-5.00"), "计分依据:自评")
    assert m.grades == () and m.headline.reviewed == 0


def test_distribution_bins_by_lower_bound_and_largest_gaps_are_limited():
    totals = ["59.99", "60", "69.99", "70", "80", "89.99", "90", "100", "100.01", None]
    units = [UnitResult(f"u{i}", "department", "scored" if t else "missing", total=D(t) if t else None)
             for i, t in enumerate(totals)]
    assert report_model._distribution(units) == (
        ("60 以下", 1), ("60–70", 2), ("70–80", 1), ("80–90", 2), ("90–100", 1), ("100 以上", 2))
    m = model()
    assert report_model._largest_gaps(m.units.values(), limit=1) == m.largest_gaps[:1]
    assert report_model.LARGEST_GAPS == 15
