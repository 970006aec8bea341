"""Whether a valid rubric fits a campaign: warnings, not problems (the rubric still loads).

A rubric made for another year, a text that writes a year instead of `{年度}`, a task whose units are a word
such as 区级相关部门 rather than names, a task naming a unit the roster does not have: each is told once, with
every place it occurs, so the office can correct its rubric before the workbooks go out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fazhi_cli.domain.rubric import VAGUE_WORDS, Rubric, same_name, type_of_group, type_place

_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_PERIOD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*[—–\-~～至到]+\s*((?:19|20)[0-9]{2})\s*年")
_DISTRICT = re.compile(r"(?:[\u4e00-\u9fff]{2}市)?([\u4e00-\u9fff]{2}[区县])")  # 广元市昭化区 → 昭化区


_VAGUE = {same_name(word) for word in VAGUE_WORDS}


def is_vague(name: str) -> bool:
    """True for a word such as 区级相关部门 that stands for some units without naming them."""
    return same_name(name) in _VAGUE


def rubric_warnings(rubric: Rubric, year: int | None = None, unit_names: Iterable[str] | None = None,
                    office: str | None = None) -> list[str]:
    """What does not fit: the rubric's year against the campaign's `year`, years written in its texts, a period
    such as (2015—2020年) over before the campaign's year, words such as 区级相关部门 among the tasks' units, (given
    the roster's `unit_names`) tasks naming units not on it, and (given the campaign's `office`) the district the
    rubric was written for when the office is another's."""
    warnings = []
    if year is not None and rubric.year and rubric.year != year:
        warnings.append(
            f"评分细则“{rubric.id}”是为 {rubric.year} 年度制定的,本次考核为 {year} 年度:请核对分值、扣分规则、"
            "工作任务和目标责任书是否适用(可用 fazhi rubric export 细则.xlsx 导出,修改后用 fazhi init --rubric 使用)")
    if year is not None and rubric.year != year:  # a rubric of the campaign's own year may name other years
        warnings += _year_warnings(rubric, year)
    if year is not None:
        warnings += _period_warnings(rubric, year)
    if office:
        warnings += _district_warnings(rubric, office)
    warnings += _group_warnings(rubric)
    if unit_names is not None:
        warnings += _roster_warnings(rubric, unit_names)
    return warnings


def _texts(rubric: Rubric) -> Iterator[tuple[str, str]]:
    """Every text of the rubric with the place messages name it by."""
    yield "评分细则的标题", rubric.title
    yield "评分细则的来源", rubric.source
    for unit_type, type_rubric in rubric.types.items():
        for section in type_rubric.sections:
            yield f"{type_place(unit_type)} 考核事项 {section.id}", section.name
            for item in section.items:
                yield f"{type_place(unit_type)} 第 {item.id} 项", " ".join((item.name, item.content, item.standard))
                for rule in item.rules:
                    yield f"{type_place(unit_type)} 规则 {rule.id}", rule.text
    for rule in rubric.special.rules:
        yield f"特别加分和扣分 {rule.id}", rule.text
    yield "特别加分和扣分的标准", " ".join((rubric.special.standard_bonus, rubric.special.standard_penalty))
    for task in rubric.tasks:
        yield f"工作任务 {task.number}", " ".join((task.section_title, task.title, task.text))
    for unit_type, rows in rubric.targets.items():
        for row in rows:
            yield f"{type_place(unit_type)[:-2]}目标责任书 第 {row.number} 条", " ".join((row.item, row.content))


def _year_warnings(rubric: Rubric, year: int) -> list[str]:
    found: dict[str, list[str]] = {}
    for place, text in _texts(rubric):
        years = [y for y in dict.fromkeys(_YEAR.findall(text)) if int(y) != year]
        if years:
            found.setdefault("、".join(years), []).append(place)
    return [f"{'、'.join(dict.fromkeys(places))} 写有年份 {years}(本次考核为 {year} 年度);"
            "如应随年度变化,请改写为 {年度}" for years, places in found.items()]


def _period_warnings(rubric: Rubric, year: int) -> list[str]:
    """A period its texts name (纲要(2015—2020年)) that ended before the campaign's year: even a rubric of the
    campaign's own year then cites what no longer applies."""
    found: dict[str, list[str]] = {}
    for place, text in _texts(rubric):
        for match in _PERIOD.finditer(text):
            if int(match.group(2)) < year:
                found.setdefault(match.group(0), []).append(place)
    return [f"{'、'.join(dict.fromkeys(places))} 写有时期“{period}”,在 {year} 年度之前已经结束:请核对所引的规划、纲要"
            "是否仍然适用,已有新的请改为新的名称和时期" for period, places in found.items()]


def _district_warnings(rubric: Rubric, office: str) -> list[str]:
    """The district the rubric was written for (from its title or source) when the campaign's office is another's:
    its texts would name that district in every workbook."""
    found = _DISTRICT.search(f"{rubric.title} {rubric.source}")
    if found is None or found.group(1) in office:
        return []
    district = found.group(1)
    places = [place for place, text in _texts(rubric) if district in text]
    return [f"评分细则是为{district}制定的({'、'.join(places[:6])}{' 等' if len(places) > 6 else ''}写有“{district}”),"
            f"而考核单位是“{office}”:请把细则中的{district}改为本区(县)的名称(fazhi rubric export 导出修改后 "
            "fazhi init --rubric 使用)"]


def _group_warnings(rubric: Rubric) -> list[str]:
    found: dict[str, list[int]] = {}
    for task in rubric.tasks:
        for name in task.responsible:
            if is_vague(name):
                found.setdefault(name, []).append(task.number)
    return [f"工作任务 {_numbers(numbers)} 的责任单位写的是“{word}”,这不是单位名称:请在评分细则的“工作任务”表中"
            "改填具体单位的名称(在此之前,这个词不代表任何单位,不会把任务列给哪个单位)"
            for word, numbers in found.items()]


def _roster_warnings(rubric: Rubric, unit_names: Iterable[str]) -> list[str]:
    roster = {same_name(name) for name in unit_names}
    found: dict[str, list[int]] = {}
    for task in rubric.tasks:
        for name in task.responsible:
            if not is_vague(name) and not type_of_group(name) and same_name(name) not in roster:
                found.setdefault(name, []).append(task.number)
    return [f"工作任务 {_numbers(numbers)} 写有单位“{name}”,单位名单中没有这个单位:请改为名单中的单位名称或删去"
            for name, numbers in found.items()]


def _numbers(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)
