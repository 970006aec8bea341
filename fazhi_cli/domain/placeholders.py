"""Placeholders in rubric texts: `{年度}`, `{截止日期}`, `{案例截止日期}`, filled from the campaign's settings.

A rubric is written once and used for many years; its texts name the year and the campaign's dates through
these placeholders, and every place that shows a text shows it filled (`fill_rubric`). A placeholder name
that is not one of `PLACEHOLDERS` is a rubric problem (`unknown_placeholders`). Braces may be half- or
full-width (`{年度}` or `｛年度｝`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any, TypeVar

from fazhi_cli.domain.campaign import Campaign

YEAR = "年度"
DEADLINE = "截止日期"
CASE_DEADLINE = "案例截止日期"
PLACEHOLDERS = {
    YEAR: "考核年度,例如 2026",
    DEADLINE: "自评材料报送截止日期,例如 2026年12月10日",
    CASE_DEADLINE: "行政执法指导案例报送截止日期,例如 2026年12月20日",
}
_PLACEHOLDER = re.compile(r"[{｛]([^{}｛｝\n]{1,20})[}｝]")

T = TypeVar("T")


def chinese_date(day: dt.date) -> str:
    """A date as official documents write it: 2017年12月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


def campaign_values(campaign: Campaign) -> dict[str, str]:
    """What each placeholder stands for in this campaign (fazhi.toml's year, deadline and case_deadline)."""
    return {
        YEAR: str(campaign.year),
        DEADLINE: chinese_date(campaign.deadline),
        CASE_DEADLINE: chinese_date(campaign.case_deadline),
    }


def placeholder_list() -> str:
    """The known placeholders as the messages list them: {年度}、{截止日期}、{案例截止日期}."""
    return "、".join(f"{{{name}}}" for name in PLACEHOLDERS)


def unknown_placeholders(text: str) -> list[str]:
    """The placeholder names in `text` that fazhi does not know (each once, in order)."""
    names = (match.group(1).strip() for match in _PLACEHOLDER.finditer(text))
    return list(dict.fromkeys(name for name in names if name not in PLACEHOLDERS))


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced by its value (unknown ones are left as written)."""
    if "{" not in text and "｛" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def fill_rubric(rubric: T, values: dict[str, str]) -> T:
    """A copy of a rubric (or any part of it) with every text's placeholders filled."""
    return _fill_any(rubric, values)


def _fill_any(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return fill(value, values)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _fill_any(getattr(value, f.name), values) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_fill_any(v, values) for v in value)
    if isinstance(value, dict):
        return {key: _fill_any(v, values) for key, v in value.items()}
    return value
