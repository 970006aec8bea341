"""Rule kinds as a registry: each kind's facts, reading, exact deduction and wording; an unknown kind is refused
where the rubric is loaded; a new kind is one class; and no other module switches on a kind's name."""

from __future__ import annotations

import ast
import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import fazhi_cli
from fazhi_cli.api import rule_as_dict
from fazhi_cli.cli.rubric_cmd import _rule_line
from fazhi_cli.domain import kinds, scoring
from fazhi_cli.domain.checks import Value, interpret
from fazhi_cli.domain.kinds import COUNT, FLAG, KINDS, MONTHLY, RuleKind, RuleRow, kind_of
from fazhi_cli.domain.numbers import NotANumber, parse_count
from fazhi_cli.domain.rubric import RubricProblems, Rule, build_rubric
from fazhi_cli.reports import describe_rule
from fazhi_cli.rubric.loading import builtin_rubric, builtin_rubric_text
from fazhi_cli.workbook import layout

D = Decimal
RUBRIC = builtin_rubric()
DEPT = RUBRIC.for_type("department")
TOWN = RUBRIC.for_type("township")
FLAG_RULE = DEPT.item("4.1").rules[3]  # 4.1d 发现实体或程序不规范, 3
COUNT_RULE = DEPT.item("4.1").rules[0]  # 4.1a 未持证上岗, 1 each
MONTHLY_RULE = DEPT.item("3.2").rules[0]  # 3.2a quota 2, 0.2 per missing piece
MONTHS = [f"3.2a.{m:02d}" for m in range(1, 13)]


def month_facts(**overrides: int) -> dict[str, int]:
    facts = dict.fromkeys(MONTHS, 2)
    facts.update({f"3.2a.{int(k[1:]):02d}": v for k, v in overrides.items()})
    return facts


# --- the registry -----------------------------------------------------------------------------------------------


def test_the_registry_holds_the_three_kinds_of_the_spec():
    assert list(KINDS) == ["flag", "count", "monthly"]
    assert (KINDS["flag"], KINDS["count"], KINDS["monthly"]) == (FLAG, COUNT, MONTHLY)
    assert all(isinstance(kind, RuleKind) and kind.name == name for name, kind in KINDS.items())


def test_every_rule_of_the_builtin_rubric_has_its_kind():
    rules = [r for t in RUBRIC.types.values() for i in t.items for r in i.rules] + list(RUBRIC.special.rules)
    assert {kind_of(r).name for r in rules} == {"flag", "count", "monthly"}
    assert kind_of(FLAG_RULE) is FLAG and kind_of(COUNT_RULE) is COUNT and kind_of(MONTHLY_RULE) is MONTHLY


def test_a_rule_of_unknown_kind_outside_a_loaded_rubric_is_a_bug_not_a_default():
    with pytest.raises(ValueError, match="unknown kind 'sometimes'"):
        kind_of(Rule("9.9a", "sometimes", "随便"))


# --- fact IDs ---------------------------------------------------------------------------------------------------


def test_fact_ids_one_for_flag_and_count_twelve_for_monthly():
    assert FLAG.fact_ids(FLAG_RULE) == ["4.1d"] == FLAG_RULE.fact_ids()
    assert COUNT.fact_ids(COUNT_RULE) == ["4.1a"] == COUNT_RULE.fact_ids()
    assert MONTHLY.fact_ids(MONTHLY_RULE) == MONTHS == MONTHLY_RULE.fact_ids()
    assert TOWN.item("2.2").rules[0].fact_ids()[11] == "2.2a.12"


def test_month_ids_are_the_facts_other_than_the_rule_itself():
    assert MONTHLY_RULE.month_ids() == MONTHS
    assert FLAG_RULE.month_ids() == [] and COUNT_RULE.month_ids() == []


# --- reading an answer ------------------------------------------------------------------------------------------


def test_flag_reads_yes_and_no_and_keeps_the_numbers_messages():
    assert FLAG.parse("是") is True
    assert FLAG.parse(" 否 ") is False
    with pytest.raises(NotANumber) as caught:
        FLAG.parse(True)
    assert str(caught.value) == "“TRUE”是逻辑值(TRUE/FALSE),应为“是”或“否”"
    with pytest.raises(NotANumber) as caught:
        FLAG.parse("有")
    assert (str(caught.value), caught.value.reason) == ("“有”应为“是”或“否”", None)


@pytest.mark.parametrize("kind", [COUNT, MONTHLY])
def test_count_and_monthly_read_whole_numbers_as_parse_count_does(kind):
    assert kind.parse("３次") == 3
    assert kind.parse(2.0) == 2
    assert kind.parse(0) == 0
    for raw in ("-1", "1.5", "两次", "1E3"):
        with pytest.raises(NotANumber) as caught:
            kind.parse(raw)
        with pytest.raises(NotANumber) as expected:
            parse_count(raw)
        assert (str(caught.value), caught.value.reason) == (str(expected.value), expected.value.reason)


# --- deductions (exact) -----------------------------------------------------------------------------------------


def test_flag_deducts_its_points_once_on_yes_only():
    assert FLAG.deduction(FLAG_RULE, {"4.1d": True}) == D(3)
    assert FLAG.deduction(FLAG_RULE, {"4.1d": False}) == D(0)
    assert FLAG.deduction(FLAG_RULE, {}) == D(0)


def test_count_deducts_per_occurrence():
    assert COUNT.deduction(COUNT_RULE, {"4.1a": 3}) == D(3)
    assert COUNT.deduction(TOWN.item("3.2").rules[0], {"3.2a": 2}) == D(6)  # 3 each
    assert COUNT.deduction(COUNT_RULE, {}) == D(0)
    penalty = RUBRIC.special.penalty[1]  # P2, 5 each
    assert COUNT.deduction(penalty, {"P2": 2}) == D(10)


def test_monthly_shortfall_is_not_offset_by_a_surplus_month():
    facts = month_facts(m1=6, m2=0)  # January 4 above quota, February 2 short
    assert MONTHLY.shortfall(MONTHLY_RULE, facts)[:3] == [("3.2a.01", 0), ("3.2a.02", 2), ("3.2a.03", 0)]
    assert MONTHLY.deduction(MONTHLY_RULE, facts) == D("0.4")


def test_monthly_deduction_is_exact_decimal():
    amount = MONTHLY.deduction(MONTHLY_RULE, month_facts(m3=1, m7=0))  # 3 pieces short × 0.2
    assert amount == D("0.6") and str(amount) == "0.6"
    assert str(D(5) - amount) == "4.4"


def test_a_month_without_an_answer_counts_as_none_sent():
    assert MONTHLY.deduction(MONTHLY_RULE, {}) == D("4.8")  # 12 months × 2 pieces × 0.2
    assert str(MONTHLY.deduction(MONTHLY_RULE, {})) == "4.8"


def test_scoring_asks_the_kind():
    facts = {"4.1a": 2, "4.1d": True, **month_facts(m5=0)}
    for rule in (FLAG_RULE, COUNT_RULE, MONTHLY_RULE):
        assert scoring.rule_deduction(rule, facts) == kind_of(rule).deduction(rule, facts)


# --- wording of findings ----------------------------------------------------------------------------------------


def _findings(values: dict[str, object]) -> dict[str, tuple[str, str]]:
    raw = {(fact_id, "fact"): Value(v, f"自评表!F{n}") for n, (fact_id, v) in enumerate(values.items(), start=10)}
    out = interpret("区司法局", DEPT, RUBRIC, raw)
    return {f.ref: (f.code, f.message) for f in out.findings if f.ref in values}


def test_missing_answers_say_how_each_kind_counts_them():
    found = _findings({"4.1d": "", "4.1a": None, "3.2a.04": " "})
    assert found["4.1d"] == ("fact_missing", "【区司法局】自评表!F10:4.1d“发现实体或程序不规范”的填报值未填写,"
                                             "按“否”计。请补填。")
    assert found["4.1a"] == ("fact_missing", "【区司法局】自评表!F11:4.1a“未持证上岗”的填报值未填写,按 0 计。请补填。")
    assert found["3.2a.04"] == ("fact_missing", "【区司法局】自评表!F12:3.2a.04“每月报送法治政府信息少于2条”"
                                                "的填报值未填写,按当月未报送计算扣分。请补填。")


def test_invalid_answers_say_what_each_kind_wants():
    found = _findings({"4.1d": "有", "4.1a": "-1", "3.2a.04": "两条"})
    assert found["4.1d"] == ("flag_invalid", "【区司法局】自评表!F10:4.1d的填报值“有”无法识别,"
                                             "只能填“是”或“否”。请修改后重新报送。")
    assert found["4.1a"] == ("count_invalid", "【区司法局】自评表!F11:4.1a的填报值“-1”无法识别,"
                                              "应填写大于或等于 0 的整数(次数或条数)。请修改后重新报送。")
    assert found["3.2a.04"] == ("count_invalid", "【区司法局】自评表!F12:3.2a.04的填报值“两条”无法识别,"
                                                 "应填写大于或等于 0 的整数(次数或条数)。请修改后重新报送。")


def test_kind_wording_attributes():
    assert (FLAG.missing_meaning, COUNT.missing_meaning, MONTHLY.missing_meaning) == (
        "按“否”计", "按 0 计", "按当月未报送计算扣分")
    assert (FLAG.invalid_code, COUNT.invalid_code, MONTHLY.invalid_code) == (
        "flag_invalid", "count_invalid", "count_invalid")


# --- the workbook -----------------------------------------------------------------------------------------------


def test_workbook_rows_name_the_assessed_months_and_the_offices_reading():
    rule = TOWN.item("2.2").rules[0]
    rows = MONTHLY.rows(replace(rule, months=tuple(range(1, 12))))
    assert rows[0].standard == ("考核 1—11 月,每月每少报送 1 条扣 0.2 分"
                                "(计分口径:按月分别计算,多报的月份不抵补其他月份)")
    assert [row.content for row in rows[11:]] == ["11 月报送条数", "12 月报送条数(不纳入本年度考核)"]
    assert MONTHLY.rows(rule)[0].standard.startswith("考核全年 12 个月,")


def test_first_layout_rows_ask_each_kind_as_format_1_did():
    assert MONTHLY.first_layout_rows(MONTHLY_RULE)[0].standard == (
        "每月每少报送 1 条扣 0.2 分;按月分别计算,多报的月份不抵补其他月份")
    assert FLAG.first_layout_rows(FLAG_RULE) == [
        RuleRow("rule", "4.1d", "扣分情形", "是否存在:发现实体或程序不规范", "填“是”扣 3 分,填“否”不扣分")]
    assert COUNT.first_layout_rows(COUNT_RULE) == [
        RuleRow("rule", "4.1a", "扣分情形", "发生次数:未持证上岗", "填次数,每次扣 1 分")]
    monthly = MONTHLY.first_layout_rows(MONTHLY_RULE)
    assert monthly[0] == RuleRow("rule_group", "3.2a", "扣分情形", "每月报送法治政府建设信息条数(每月应报送 2 条以上)",
                                 "每月每少报送 1 条扣 0.2 分;按月分别计算,多报的月份不抵补其他月份")
    assert monthly[1:] == [RuleRow("rule_fact", f"3.2a.{m:02d}", "", f"{m} 月报送条数", "") for m in range(1, 13)]


def test_the_layout_takes_the_kinds_rows():
    rows = {row.id: row for row in layout.score_rows(DEPT, RUBRIC)}
    flag, group, month = rows["4.1d"], rows["3.2a"], rows["3.2a.12"]
    assert (flag.role, flag.content, flag.item_id) == ("rule", "是否存在:发现实体或程序不规范", "4.1")
    assert (group.role, month.role, month.content) == ("rule_group", "rule_fact", "12 月报送条数")
    assert month.rule is MONTHLY_RULE
    assert all(role in layout.FIXED_ROLES for role in (kinds.ROW_RULE, kinds.ROW_GROUP, kinds.ROW_FACT))


def test_answer_validation_and_excel_formulas():
    assert (FLAG.answer, COUNT.answer, MONTHLY.answer) == (kinds.ANSWER_YES_NO, kinds.ANSWER_WHOLE, kinds.ANSWER_WHOLE)
    assert FLAG.excel_deduction(FLAG_RULE, "F20") == 'IF(TRIM(F20)="是",3,0)'
    assert COUNT.excel_deduction(COUNT_RULE, "F21") == "IF(ISNUMBER(F21),ROUND(F21*1,2),0)"
    assert MONTHLY.excel_deduction(MONTHLY_RULE, "F22") == "ROUND(0.2*MAX(0,2-N(F22)),2)"


# --- reports, JSON, display, demo -------------------------------------------------------------------------------


def test_deductions_in_words():
    assert describe_rule(FLAG_RULE, {"4.1d": True}) == "4.1d 发现实体或程序不规范:是,扣 3 分"
    assert describe_rule(COUNT_RULE, {"4.1a": 2}) == "4.1a 未持证上岗:2 次,扣 2 分"
    assert describe_rule(MONTHLY_RULE, month_facts(m3=1, m7=0, m8=5)) == (
        "3.2a 法治政府信息报送不足:3月、7月共少报 3 条,扣 0.6 分")
    assert describe_rule(MONTHLY_RULE, month_facts()) is None
    assert describe_rule(FLAG_RULE, {"4.1d": False}) is None


def test_json_fields_per_kind():
    assert rule_as_dict(FLAG_RULE) == {"id": "4.1d", "kind": "flag", "text": "发现实体或程序不规范", "points": D(3)}
    assert rule_as_dict(COUNT_RULE) == {"id": "4.1a", "kind": "count", "text": "未持证上岗", "per": D(1)}
    monthly = rule_as_dict(MONTHLY_RULE)
    assert list(monthly) == ["id", "kind", "text", "per", "quota", "facts", "months", "ledger"]
    assert monthly["ledger"] == "info"  # the office's 信息报送 record gives its facts
    assert (monthly["per"], monthly["quota"], monthly["facts"]) == (D("0.2"), 2, MONTHS)


def test_one_line_display_per_kind():
    assert _rule_line(FLAG_RULE) == "[cyan]4.1d[/] 发现实体或程序不规范 [dim](是/否,扣 3 分)[/]"
    assert _rule_line(COUNT_RULE) == "[cyan]4.1a[/] 未持证上岗 [dim](次数,每次扣 1 分)[/]"
    assert _rule_line(MONTHLY_RULE) == (
        "[cyan]3.2a[/] 每月报送法治政府信息少于2条 [dim](按月填报条数,每月少于 2 条的每少 1 条扣 0.2 分(12 行))[/]")


def test_demo_answers_are_deterministic_and_readable_by_the_kind():
    for rule in (FLAG_RULE, COUNT_RULE, MONTHLY_RULE):
        kind = kind_of(rule)
        first = kind.demo_answers(rule, random.Random(7))
        assert first == kind.demo_answers(rule, random.Random(7))
        assert list(first) == rule.fact_ids()
        assert all(isinstance(kind.parse(answer), bool | int) for answer in first.values())


# --- loading: unknown kinds refused where the rubric is loaded ---------------------------------------------------


def _data() -> dict:
    return yaml.safe_load(builtin_rubric_text())


def test_an_unknown_kind_is_refused_at_load_naming_the_rule():
    data = _data()
    data["unit_types"]["department"]["sections"][0]["items"][0]["rules"][0]["kind"] = "sometimes"
    with pytest.raises(RubricProblems) as caught:
        build_rubric(data)
    assert caught.value.problems == [
        "区级部门细则 第 1.1 项 规则 1.1a:未知的规则类型“sometimes”(只能是 是否(flag)、次数(count)、按月(monthly))"]


def test_each_kind_reads_its_own_fields_at_load():
    data = _data()
    monthly = data["unit_types"]["department"]["sections"][2]["items"][1]["rules"][0]
    monthly["quota"] = "2.5"
    data["special"]["bonus"][0]["kind"] = "count"
    with pytest.raises(RubricProblems) as caught:
        build_rubric(data)
    assert caught.value.problems == [
        "区级部门细则 第 3.2 项 规则 3.2a:“每月要求”应为整数,实为 2.5",
        "特别加分 规则 B1:“加分”应为数字,实为(空)",
        "特别加分 B1:加分规则应为“是否”类型",
    ]


# --- a new kind is one class ------------------------------------------------------------------------------------


class QuarterlyKind(RuleKind):
    """A kind made up for this test: four quarterly counts, each short of `quota` deducting `per` per piece."""

    name = "quarterly"
    answer = kinds.ANSWER_WHOLE
    missing_meaning = "按当季未报送计算扣分"
    invalid_code = "count_invalid"
    invalid_wanted = "应填写大于或等于 0 的整数(次数或条数)"

    def fact_ids(self, rule: Rule) -> list[str]:
        return [f"{rule.id}.q{q}" for q in range(1, 5)]

    def read_fields(self, number, problem) -> dict[str, Any]:
        return {"per": number("per"), "quota": int(number("quota"))}

    def parse(self, raw: object) -> int:
        return parse_count(raw)

    def deduction(self, rule: Rule, facts) -> Decimal:
        return rule.per * sum(max(0, rule.quota - int(facts.get(f) or 0)) for f in self.fact_ids(rule))

    def rows(self, rule: Rule) -> list[RuleRow]:
        return [RuleRow(kinds.ROW_GROUP, rule.id, "扣分情形", f"每季度报送条数(应报送 {rule.quota} 条以上)", ""),
                *(RuleRow(kinds.ROW_FACT, f, "", f"第 {n} 季度", "") for n, f in enumerate(self.fact_ids(rule), 1))]

    def excel_deduction(self, rule: Rule, cell: str) -> str:
        return f"ROUND({kinds.excel_number(rule.per)}*MAX(0,{rule.quota}-N({cell})),2)"

    def describe(self, rule: Rule, facts, effect: str) -> str:
        return f"{rule.id} 按季度报送不足,{effect}"

    def json_fields(self, rule: Rule) -> dict[str, Any]:
        return {"per": rule.per, "quota": rule.quota, "facts": self.fact_ids(rule)}

    def summary(self, rule: Rule) -> str:
        return f"按季度填报条数,每季度少于 {rule.quota} 条的每少 1 条扣 {rule.per} 分"

    def demo_answers(self, rule: Rule, rng: random.Random) -> dict[str, object]:
        return {f: rng.choice([0, 1, 2]) for f in self.fact_ids(rule)}


def test_a_new_kind_registered_in_one_place_flows_through_load_scoring_validation_and_layout(monkeypatch):
    monkeypatch.setitem(KINDS, "quarterly", QuarterlyKind())
    data = _data()
    data["unit_types"]["department"]["sections"][2]["items"][1]["rules"][0] = {
        "id": "3.2a", "kind": "quarterly", "text": "每季度报送法治政府信息少于6条", "quota": "6", "per": "0.2"}
    rubric = build_rubric(data)
    dept = rubric.for_type("department")
    rule = dept.item("3.2").rules[0]
    facts = {"3.2a.q1": 6, "3.2a.q2": 4, "3.2a.q3": 9, "3.2a.q4": 6}
    assert scoring.item_ceiling(dept.item("3.2"), facts) == D("4.6")
    values = {(f, "fact"): Value(v) for f, v in facts.items()}
    assert {k: v for k, v in interpret("区司法局", dept, rubric, values).facts.items() if k.startswith("3.2a")} == facts
    assert [r.id for r in layout.score_rows(dept, rubric) if r.item_id == "3.2"] == [
        "3.2a", "3.2a.q1", "3.2a.q2", "3.2a.q3", "3.2a.q4"]
    assert rule_as_dict(rule)["facts"] == ["3.2a.q1", "3.2a.q2", "3.2a.q3", "3.2a.q4"]
    assert describe_rule(rule, facts) == "3.2a 按季度报送不足,扣 0.4 分"


# --- the registry is the only place -----------------------------------------------------------------------------

PACKAGE = Path(fazhi_cli.__file__).parent
KIND_NAMES = {"flag", "count", "monthly"}


def _kind_names_in(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in KIND_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_kind_names_in(element) for element in node.elts)
    return False


def kind_switches(tree: ast.AST) -> list[int]:
    """Lines that compare with a kind's name, key a mapping by one, or match on one."""
    lines = []
    for node in ast.walk(tree):
        compared = isinstance(node, ast.Compare) and any(_kind_names_in(n) for n in (node.left, *node.comparators))
        keyed = isinstance(node, ast.Dict) and any(k is not None and _kind_names_in(k) for k in node.keys)
        matched = isinstance(node, ast.MatchValue) and _kind_names_in(node.value)
        if compared or keyed or matched:
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_switch_on_a_kind():
    source = 'if rule.kind == "flag": pass\nx = kind in ("count", "monthly")\nT = {"monthly": 1}\n'
    assert kind_switches(ast.parse(source)) == [1, 2, 3]


def test_no_module_but_the_registry_switches_on_a_kind_name():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "domain" / "kinds.py":
            continue
        lines = kind_switches(ast.parse(path.read_text("utf-8")))
        if lines:
            found[str(path.relative_to(PACKAGE))] = lines
    assert found == {}


def test_a_month_not_assessed_neither_deducts_nor_is_asked():
    """Returns are due on December 10: a blank December is no shortfall, no warning, and no lower ceiling."""
    item = TOWN.item("2.2")
    rubric = builtin_rubric().with_months(tuple(range(1, 12)))
    town = rubric.for_type("township")
    rule = town.item("2.2").rules[0]
    facts = {f"2.2a.{m:02d}": 2 for m in range(1, 12)}
    assert rule.counted_fact_ids() == [f"2.2a.{m:02d}" for m in range(1, 12)] and len(rule.fact_ids()) == 12
    assert MONTHLY.deduction(rule, facts) == 0 and scoring.item_ceiling(town.item("2.2"), facts) == item.max
    assert MONTHLY.deduction(item.rules[0], facts) == D("0.4")  # all twelve months asked: December short by 2
    values = {(fact_id, "fact"): Value(2, f"自评表!F{n}") for n, fact_id in enumerate(facts, start=10)}
    values[("2.2", "score")] = Value(10, "自评表!I9")
    out = interpret("元坝镇", town, rubric, values)
    assert [f for f in out.findings if f.ref and f.ref.startswith("2.2")] == []
    assert "2.2a.12" not in out.facts
