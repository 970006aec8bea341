"""What the 通报 and each 反馈函 say of this year against the last kept year: the units that rose and fell most, the
items lost in both years by the most units; a unit's last-year score and rank, the change, its items lost in both
years and last year's 整改 items still not closed. Pure code over plain data."""

from __future__ import annotations

from collections.abc import Mapping

from fazhi_cli.domain.comparison import UnitComparison, most_moved, repeated_most
from fazhi_cli.domain.numbers import format_cents
from fazhi_cli.domain.rubric import Rubric

Compared = tuple[int, Mapping[str, UnitComparison]]  # (the last kept year, each unit's comparison with it)


def _item_name(rubric: Rubric, ref: str) -> str:
    for type_rubric in rubric.types.values():
        for item in type_rubric.items:
            if item.id == ref:
                return f"{ref} {item.name}"
    return ref


def notice_comparison(compared: Compared, rubric: Rubric, type_labels: Mapping[str, str]) -> list[str]:
    """The 通报's sentences on this year against last: per unit type the units up and down most (by places), then
    the items lost in both years by the most units. Empty when nothing compares (no unit in both years)."""
    year, units = compared
    sentences = []
    for unit_type, label in type_labels.items():
        up, down = most_moved(units, unit_type)
        parts = []
        if up:
            parts.append(f"名次上升最多的是{'、'.join(up)}(上升{units[up[0]].change}位)")
        if down:
            parts.append(f"下降最多的是{'、'.join(down)}(下降{-(units[down[0]].change or 0)}位)")
        if parts:
            sentences.append(f"与{year}年度相比,{label}中{','.join(parts)}。")
    repeated = repeated_most(units)
    if repeated:
        shown = "、".join(f"“{_item_name(rubric, ref)}”({count}个单位)" for ref, count in repeated)
        sentences.append(f"连续两年失分的单位较多的项目是{shown},相关单位要作为整改重点。")
    return sentences


def letter_comparison(compared: Compared, unit: str, type_label: str, rubric: Rubric,
                      rank_now: int | None) -> str:
    """A 反馈函's sentence on the unit against last year: its score and rank then, the change, the items it lost in
    both years and last year's 整改 items not closed; "" for a unit not ranked last year."""
    year, units = compared
    found = units.get(unit)
    if found is None or found.previous is None or found.previous.total is None:
        return ""
    before = found.previous
    text = f"你单位{year}年度考核得分{format_cents(before.total)}分"
    if before.rank is not None:
        text += f",在{type_label}中排名第{before.rank}位"
    if found.change is not None and rank_now is not None:
        text += ";本年度名次" + (f"上升{found.change}位" if found.change > 0 else
                              f"下降{-found.change}位" if found.change < 0 else "不变")
    text += "。"
    if found.repeated:
        text += f"{'、'.join(f'“{_item_name(rubric, ref)}”' for ref in found.repeated)}连续两年失分,请作为整改重点。"
    if found.open_rectify:
        text += f"{year}年度的整改事项中,{'、'.join(found.open_rectify)}尚未销号,请一并整改到位。"
    return text
