"""The built-in rubric encodes rubric-2017.md exactly, verbatim from the seed, and checks itself."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml
from helpers import seed_text

from fazhi_cli.domain.rubric import RubricProblems, build_rubric
from fazhi_cli.rubric_io import builtin_rubric, builtin_rubric_text

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
    assert len(rubric.tasks_for("区发改局", "department")) == 20
    task5 = rubric.tasks[4]
    assert "区食药工商局" in task5.responsible and not task5.applies_to("元坝镇", "township")


def test_texts_are_verbatim_from_the_seed():
    seed = seed_text()
    rubric = builtin_rubric()
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
    assert missing == []


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
    assert any("township" in p for p in _problems(data))
