"""What the 通报 (or 请示) and the 反馈函 say of the score components (评分构成): how the combined score is made, the
score a unit is ranked on, and why a result is provisional when a component is not entered yet. Pure; with no
component set every sentence is the one the documents said before."""

from __future__ import annotations

from decimal import Decimal

from fazhi_cli.domain.report_model import ResultsModel, TypeSummary
from fazhi_cli.domain.results import UnitResult


def counted(result: UnitResult) -> Decimal | None:
    """The score a unit is ranked on: the combined score where there are components (else it equals the total)."""
    return result.combined if result.components else result.total


def overview_sentences(model: ResultsModel) -> str:
    """The overview's sentences on the components (per unit type that has them) and on the provisional results."""
    combinations = [f"{s.label}{s.combination}" for s in model.types if s.components]
    text = (f"考核得分由考核细则得分和评分构成得分综合而成:{';'.join(combinations)},排名按综合得分。"
            if combinations else "")
    provisional = model.headline.provisional
    waiting = sum(1 for s in model.types for r in s.ranked if r.components_missing)
    if provisional and not waiting:
        text += f"有{provisional}个单位的自评材料尚有校验错误未改正,其结果为暂定。"
    elif provisional:
        with_errors = sum(1 for s in model.types for r in s.ranked if r.errors)
        text += (f"有{provisional}个单位的结果为暂定(其中{with_errors}个尚有校验错误未改正,"
                 f"{waiting}个的评分构成得分尚未录入)。")
    return text


def ranking_notes(summary: TypeSummary) -> list[str]:
    """The ranking table's notes on the combined score and on the provisional results."""
    notes = [f"得分为综合得分,{summary.combination}"] if summary.components else []
    if summary.provisional and not any(r.components_missing for r in summary.ranked):
        notes.append(f"得分后注“暂定”的{summary.provisional}个单位尚有校验错误未改正,其结果可能变化")
    elif summary.provisional:
        notes.append(f"得分后注“暂定”的{summary.provisional}个单位尚有校验错误未改正或评分构成得分尚未录入,其结果可能变化")
    return notes


def letter_provisional(result: UnitResult) -> str:
    """The letter's sentences when the unit's result is provisional: its errors, the components not entered."""
    text = ""
    if result.provisional and (result.errors or not result.components_missing):
        text += f"你单位的自评材料尚有{result.errors}个校验错误未改正,以上结果为暂定,请尽快改正后重新报送。"
    if result.components_missing:
        text += f"你单位的{'、'.join(result.components_missing)}得分尚未录入,以上结果为暂定。"
    return text
