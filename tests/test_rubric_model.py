"""The built-in rubric encodes rubric-2017.md exactly, verbatim from the seed, and checks itself."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml
from helpers import seed_text

from fazhi_cli.domain.placeholders import fill_rubric
from fazhi_cli.domain.rubric import RubricProblems, build_rubric
from fazhi_cli.rubric.loading import builtin_rubric, builtin_rubric_text

# The identifiers fixed in shared/spec/rubric-2017.md.
DEPARTMENT = {
    "1": "15", "1.1": "10", "1.2": "5", "2": "10", "2.1": "5", "2.2": "5", "3": "10", "3.1": "5",
    "3.2": "5", "4": "25", "4.1": "15", "4.2": "10", "5": "15", "5.1": "5", "5.2": "10", "6": "25",
    "6.1": "8", "6.2": "6", "6.3": "6", "6.4": "5",
}
TOWNSHIP = {
    "1": "25", "1.1": "15", "1.2": "10", "2": "20", "2.1": "10", "2.2": "10", "3": "25", "3.1": "10",
    "3.2": "15", "4": "30", "4.1": "10", "4.2": "8", "4.3": "6", "4.4": "6",
}
DEPARTMENT_RULES = {
    "1.1a": ("flag", "2"), "2.2a": ("count", "2"), "2.2b": ("count", "2"), "3.2a": ("monthly", "0.2"),
    "4.1a": ("count", "1"), "4.1b": ("flag", "2"), "4.1c": ("flag", "2"), "4.1d": ("flag", "3"),
    "4.1e": ("flag", "2"), "4.2a": ("flag", "10"), "5.1a": ("flag", "5"), "5.2a": ("count", "2"),
    "5.2b": ("count", "2"), "6.2a": ("flag", "3"), "6.2b": ("flag", "3"), "6.2c": ("flag", "3"),
}
TOWNSHIP_RULES = {
    "1.1a": ("flag", "2"), "2.2a": ("monthly", "0.2"), "3.1a": ("count", "5"), "3.2a": ("count", "3"),
    "3.2b": ("count", "3"), "4.2a": ("flag", "3"), "4.2b": ("flag", "3"), "4.2c": ("flag", "3"),
}


def rule_map(type_rubric):
    return {
        r.id: (r.kind, str(r.points if r.kind == "flag" else r.per))
        for item in type_rubric.items
        for r in item.rules
    }


@pytest.mark.parametrize(
    ("unit_type", "maxima", "rules"),
    [("department", DEPARTMENT, DEPARTMENT_RULES), ("township", TOWNSHIP, TOWNSHIP_RULES)],
)
def test_builtin_rubric_has_exactly_the_spec_items_and_rules(unit_type, maxima, rules):
    type_rubric = builtin_rubric().for_type(unit_type)
    found = {s.id: str(s.max) for s in type_rubric.sections}
    found.update({i.id: str(i.max) for i in type_rubric.items})
    assert found == maxima
    assert rule_map(type_rubric) == rules
    assert type_rubric.total == Decimal(100)


def test_monthly_rules_have_quota_two_and_twelve_fact_ids():
    rubric = builtin_rubric()
    monthly = rubric.for_type("department").item("3.2").rules[0]
    assert monthly.quota == 2
    assert monthly.month_ids()[0] == "3.2a.01" and monthly.month_ids()[-1] == "3.2a.12"
    assert rubric.for_type("township").item("2.2").rules[0].month_ids()[2] == "2.2a.03"


def test_special_rules_and_tasks_and_targets():
    rubric = builtin_rubric()
    assert [(r.id, r.kind, r.points) for r in rubric.special.bonus] == [
        ("B1", "flag", Decimal(5)), ("B2", "flag", Decimal(3))]
    assert [(r.id, r.kind, r.per) for r in rubric.special.penalty] == [
        ("P1", "count", Decimal(2)), ("P2", "count", Decimal(5))]
    assert [t.number for t in rubric.tasks] == list(range(1, 21))
    assert len(rubric.targets["department"]) == 10
    assert len(rubric.targets["township"]) == 8
    assert rubric.max_total("township") == Decimal(105)


def test_task_responsibility_groups():
    rubric = builtin_rubric()
    township_tasks = [t.number for t in rubric.tasks_for("元坝镇", "township")]
    assert township_tasks == [1, 2, 3, 4, 8, 9, 10, 11, 12, 17, 18, 19, 20]
    # 区级相关部门 names no department: a department gets the tasks that name it, as lead or partner
    assert [t.number for t in rubric.tasks_for("区发改局", "department")] == [5]
    assert [t.number for t in rubric.tasks_for("区政府办", "department")] == [3, 5, 7, 8, 9, 10, 11, 13]
    task5 = rubric.tasks[4]
    assert "区食药工商局" in task5.responsible and not task5.applies_to("元坝镇", "township")
    assert (task5.role("区政府办", "department"), task5.role("区发改局", "department")) == ("牵头", "参与")
    assert task5.role("区财政局", "department") == "" and rubric.tasks[0].role("元坝镇", "township") == "参与"


def test_texts_are_verbatim_from_the_seed():
    seed = seed_text()
    values = {"年度": "2017", "截止日期": "2017年12月10日", "案例截止日期": "2017年12月20日"}
    rubric = fill_rubric(builtin_rubric(), values)  # the placeholders filled as a 2017 campaign fills them
    texts = []
    for unit_type in rubric.types.values():
        for section in unit_type.sections:
            texts.append(section.name)
            for item in section.items:
                texts += [item.content, item.standard]
    texts += [rubric.special.standard_bonus, rubric.special.standard_penalty]
    for task in rubric.tasks:
        texts += [task.title, task.text, task.responsible_text, task.section_title]
    texts += [row.content for rows in rubric.targets.values() for row in rows]
    missing = [t for t in texts if t and t not in seed]
    assert missing == [] and rubric.title == "广元市昭化区2017年度法治政府建设考核评分细则"
    rule = rubric.for_type("department").item("4.1").rules[4]
    assert rule.text == "未于2017年12月20日前评选报送2个以上行政执法指导案例"


def _data():
    return yaml.safe_load(builtin_rubric_text())


def _problems(data) -> list[str]:
    with pytest.raises(RubricProblems) as caught:
        build_rubric(data)
    return caught.value.problems


def test_changed_maximum_is_explained_with_the_ids_and_sums():
    data = _data()
    data["unit_types"]["department"]["sections"][3]["items"][0]["max"] = "16"
    problems = _problems(data)
    assert any("考核事项 4" in p and "4.1(16) + 4.2(10) = 26" in p and "25" in p for p in problems)


def test_unknown_kind_duplicate_id_and_negative_points_are_all_reported():
    data = _data()
    items = data["unit_types"]["township"]["sections"][0]["items"]
    items[0]["rules"][0]["kind"] = "sometimes"
    items[1]["id"] = "1.1"
    data["special"]["penalty"][0]["per"] = "-2"
    problems = _problems(data)
    assert any("未知的规则类型“sometimes”" in p for p in problems)
    assert any("编号“1.1”重复" in p for p in problems)
    assert any("P1" in p and "正数" in p for p in problems)


def test_missing_unit_type_is_reported():
    data = copy.deepcopy(_data())
    del data["unit_types"]["township"]
    assert "评分细则:缺少乡镇(街道)细则" in _problems(data)


# --- build_rubric on a small rubric (tests/domain_data.py): every field kept, every problem worded ---------------


def _problems(data) -> list[str]:
    with pytest.raises(RubricProblems) as caught:
        build_rubric(data)
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def test_a_small_rubric_keeps_every_field():
    from domain_data import small_rubric

    from fazhi_cli.domain.rubric import Item, Rule, Section, TargetItem, Task

    rubric = small_rubric()
    assert (rubric.id, rubric.version, rubric.title, rubric.source, rubric.year, rubric.total) == (
        "small-2017", "1", "小评分细则", "测试", 2017, Decimal(100))
    dept = rubric.for_type("department")
    assert (dept.type, dept.label, dept.attachment, dept.total) == ("department", "区级各部门", "附件3", Decimal(20))
    assert rubric.for_type("township").attachment == ""
    assert dept.sections[0] == Section("1", "一", "决策", Decimal(20), dept.sections[0].items)
    assert dept.item("1.1") == Item("1.1", "决策程序", Decimal(10), "遵守程序", "按规定扣分", (
        Rule("1.1a", "flag", "未建立制度", points=Decimal(2)), Rule("1.1b", "count", "被通报", per=Decimal(3))))
    assert dept.item("1.2").rules == (Rule("1.2a", "monthly", "信息", per=Decimal("0.2"), quota=2),)
    assert dept.item("1.2").rules[0].month_ids()[::11] == ["1.2a.01", "1.2a.12"]
    assert dept.item("1.1").rules[0].month_ids() == []
    with pytest.raises(KeyError):
        dept.item("9.9")
    special = rubric.special
    assert (special.standard_bonus, special.standard_penalty, special.max_bonus) == ("加分标准", "扣分标准", Decimal(5))
    assert [r.id for r in special.rules] == ["B1", "B2", "P1", "P2"]
    assert rubric.max_total("township") == Decimal(15)
    assert rubric.tasks[1] == Task(2, "一", "总体", "审批", "深化改革", "区发改局", ("区发改局",))
    assert [t.number for t in rubric.tasks_for("区发改局", "department")] == [1, 2]  # 区级各部门: every department
    assert [t.number for t in rubric.tasks_for("区财政局", "department")] == [1]
    assert [t.number for t in rubric.tasks_for("元坝镇", "township")] == [3]  # 各乡镇(街道): every township
    assert rubric.targets == {"department": (TargetItem(1, "决策", "依法决策"),)}


def test_every_problem_of_a_broken_rubric_is_listed():
    from domain_data import small_data

    data = small_data()
    del data["title"]
    data["year"], data["total"] = "二〇一七", "abc"
    dept = data["unit_types"]["department"]
    dept["total"] = 21
    items = dept["sections"][0]["items"]
    items[0]["max"] = "-1"
    items[0]["rules"][1]["kind"] = "weekly"
    items[1]["rules"][0]["quota"] = "2.5"
    items[2]["id"] = "1.1"
    del items[2]["content"]
    data["unit_types"]["township"]["sections"] = []
    data["unit_types"]["county"] = {}
    data["special"]["bonus"][0]["kind"] = "count"
    data["special"]["penalty"][0]["kind"] = "flag"
    data["special"]["penalty"][1]["per"] = "inf"
    data["tasks"][0]["responsible"] = []
    data["tasks"][1]["number"] = "二"
    data["targets"] = {"county": [], "township": "x"}
    assert _problems(data) == [
        "区级部门细则 第 1.1 项 规则 1.1b:未知的规则类型“weekly”(只能是 是否(flag)、次数(count)、按月(monthly))",
        "区级部门细则 第 1.1 项:“分值”应为正数,实为 -1",
        "区级部门细则 第 1.2 项 规则 1.2a:“每月要求”应为整数,实为 2.5",
        "区级部门细则 第 1.1 项:缺少“评分标准”",
        "区级部门细则 考核事项 1:各项分值之和 1.1(-1) + 1.2(5) + 1.1(5) = 9,与该事项分值 20 不符",
        "区级部门细则:各考核事项分值之和为 20,与总分 21 不符",
        "乡镇(街道)细则:没有任何考核事项",
        "评分细则:未知的单位类型“county”(只能是 department 区级部门 或 township 乡镇(街道))",
        "特别加分 规则 B1:“加分”应为数字,实为(空)",
        "特别扣分 规则 P1:“扣分”应为数字,实为(空)",
        "特别扣分 规则 P2:“扣分”应为数字,实为“inf”",
        "特别加分 B1:加分规则应为“是否”类型",
        "特别扣分 P1:扣分规则应为“次数”类型",
        "区级部门细则:编号“1.1”重复",
        "评分细则:缺少“标题”",
        "评分细则:“年度”应为年份,实为“二〇一七”",
        "评分细则:“总分”应为数字,实为“abc”",
        "工作任务 1:缺少牵头单位或参与单位",
        "工作任务 二:“序号”应为整数,实为“二”",
        "目标责任书:未知的单位类型“county”",
        "乡镇(街道)目标责任书:应为条目的列表",
    ]


def test_rubrics_without_structure_are_refused():
    from domain_data import small_data

    assert _problems(["not", "a", "mapping"]) == ["文件内容不是一个评分细则(应为键值结构)"]
    data = small_data()
    data["unit_types"] = None
    data["targets"] = ["x"]
    data["special"]["bonus"] = None
    data["tasks"] = {"number": 1}
    assert _problems(data) == [
        "评分细则:缺少区级部门和乡镇(街道)两类评分细则",
        "工作任务:应为条目的列表",
        "目标责任书:应按单位类型列出目标责任书条目",
    ]
    data = small_data()
    data["unit_types"]["township"] = "乡镇"
    data["unit_types"]["department"]["sections"][0]["items"] = []
    del data["unit_types"]["department"]["label"]
    assert _problems(data) == [
        "区级部门细则 考核事项 1:没有任何考核内容",
        "区级部门细则:缺少“名称”",
        "评分细则:缺少乡镇(街道)细则",
    ]


def _role_by_scanning(task, unit_name: str, unit_type: str) -> str:
    """What `Task.role` answered before it remembered its names as compared: every name scanned on each call."""
    from fazhi_cli.domain.rubric import same_name, type_of_group

    def named(names: tuple[str, ...]) -> bool:
        name = same_name(unit_name)
        return any(same_name(n) == name or (unit_type and type_of_group(n) == unit_type) for n in names)

    return "牵头" if named(task.lead) else "参与" if named(task.responsible) else ""


def test_task_roles_are_what_scanning_every_name_gives():
    from fazhi_cli.roster.loading import load_roster, sample_roster_path

    rubric = builtin_rubric()
    roster = load_roster(sample_roster_path())
    names = [(u.name, u.type) for u in roster] + [("区政府办 ", "department"), ("元坝镇（街道）", "township"),
                                                  ("各乡镇(街道)", "township"), ("区级各部门", ""), ("无名单位", "")]
    answers = [(task.role(name, kind), task.applies_to(name, kind)) for task in rubric.tasks for name, kind in names]
    assert answers == [(_role_by_scanning(task, name, kind), bool(_role_by_scanning(task, name, kind)))
                       for task in rubric.tasks for name, kind in names]
    assert {role for role, _ in answers} == {"牵头", "参与", ""}
