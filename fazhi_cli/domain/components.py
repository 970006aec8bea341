"""Score components (评分构成): sources of a unit's score beside the rubric's assessment (a 第三方评估, a survey),
each with a weight in percent of the combined score; the rubric's total carries the remaining weight.

    combined = total × (100 − Σ weights) / 100 + Σ value × weight / 100      (Decimal, two decimals)

A component may weigh the same for every unit type (`第三方评估 = "10"` in fazhi.toml's `[components]`) or differ
per type (`第三方评估 = {department = "10", township = "5"}`; a type not named is not assessed on it). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.domain.numbers import NotANumber, cents, parse_decimal, show_raw

HUNDRED = Decimal(100)
MAX_NAME = 31  # the name is the component sheet's name: Excel allows 31 characters
_NOT_IN_NAME = re.compile(r"[\[\]:*?/\\'\".\s]")


class ComponentProblem(ValueError):
    """A component setting or value that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Component:
    """One score component: its `name` (第三方评估) and its weight (percent) for each unit type it applies to."""

    name: str
    weights: Mapping[str, Decimal]

    def weight(self, unit_type: str) -> Decimal | None:
        """The component's weight for a unit type; None when that type is not assessed on it."""
        return self.weights.get(unit_type)


def check_name(name: str) -> str:
    """A component's name as given, when it can name a sheet and a setting; ComponentProblem otherwise."""
    text = name.strip()
    if not text:
        raise ComponentProblem("评分构成的名称不能为空(例如 第三方评估)")
    if len(text) > MAX_NAME:
        raise ComponentProblem(f"评分构成的名称“{text[:40]}”超过 {MAX_NAME} 个字(它也是评分构成表的工作表名)")
    if _NOT_IN_NAME.search(text):
        raise ComponentProblem(f"评分构成的名称“{text[:40]}”中不能有空格、点或 [ ] : * ? / \\ 引号"
                               "(它也是设置名和工作表名)")
    return text


def weights_for(components: Iterable[Component], unit_type: str) -> dict[str, Decimal]:
    """The components that apply to a unit type, by name, with their weights (in the order set)."""
    return {c.name: c.weights[unit_type] for c in components if unit_type in c.weights}


def check_weights(components: Iterable[Component], unit_types: Iterable[str], labels: Mapping[str, str]) -> None:
    """ComponentProblem when the weights of one unit type sum over 100 (the rubric's total would weigh less
    than nothing)."""
    components = list(components)
    for unit_type in unit_types:
        weights = weights_for(components, unit_type)
        total = sum(weights.values(), Decimal(0))
        if total > HUNDRED:
            parts = "、".join(f"{name} {weight}" for name, weight in weights.items())
            raise ComponentProblem(f"{labels.get(unit_type, unit_type)}的评分构成权重之和为 {total}({parts}),"
                                   "超过 100;考核细则得分所占权重为 100 减去这些权重之和,请减小权重")


def rubric_weight(weights: Mapping[str, Decimal]) -> Decimal:
    """The weight the rubric's total carries: 100 − Σ component weights."""
    return HUNDRED - sum(weights.values(), Decimal(0))


def combined_score(total: Decimal, values: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal:
    """total × (100 − Σ weights)/100 + Σ value × weight/100, to two decimals; a value not entered counts 0 (the
    result is then provisional). Equal to `total` when there is no component."""
    if not weights:
        return cents(total)
    combined = total * rubric_weight(weights) / HUNDRED
    combined += sum((values.get(name) or Decimal(0)) * weight / HUNDRED for name, weight in weights.items())
    return cents(combined)


def component_value(raw: object) -> Decimal:
    """A component score as entered: a number from 0 to 100 (two decimals kept); ComponentProblem otherwise."""
    try:
        value = parse_decimal(raw)
    except NotANumber as problem:
        raise ComponentProblem(f"“{problem.shown or show_raw(raw)}”不是数字") from None
    if not Decimal(0) <= value <= HUNDRED:
        raise ComponentProblem(f"{value} 不在 0 至 100 之间")
    return cents(value)


def _percent(weight: Decimal) -> str:
    return f"{weight.normalize():f}%"


def component_sentence(total: Decimal | None, combined: Decimal | None, values: Mapping[str, Decimal | None],
                       components: Iterable[tuple[str, Decimal]]) -> str:
    """A unit's score with its components, as the documents write it: 考核细则得分96.40分(占90%),第三方评估85.00分
    (占10%),综合得分95.26分; a value not entered is said so; "" without components (or without a total).
    `components` are (name, weight) pairs."""
    weights = dict(components)
    if not weights or total is None:
        return ""
    parts = [f"考核细则得分{total:.2f}分(占{_percent(rubric_weight(weights))})"]
    for name, weight in weights.items():
        value = values.get(name)
        parts.append(f"{name}{'尚未录入' if value is None else f'{value:.2f}分'}(占{_percent(weight)})")
    return ",".join(parts) + ("" if combined is None else f",综合得分{combined:.2f}分")


def combination_text(weights: Mapping[str, Decimal]) -> str:
    """The combination in words: 综合得分 = 细则得分 × 90% + 第三方评估 × 10%."""
    parts = [f"考核细则得分 × {_percent(rubric_weight(weights))}",
             *(f"{name} × {_percent(weight)}" for name, weight in weights.items())]
    return "综合得分 = " + " + ".join(parts)
