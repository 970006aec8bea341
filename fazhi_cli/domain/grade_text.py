"""The 通报's words on the grades: how the ranked units spread over the grades (or, without grades, over the score
bands), and the top grade's units named when the office asks for it (“评为优秀的单位:……;其他为良好。”).

Pure code over the results model (standard library only); `notice_text` puts the sentence in its paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.report_model import ResultsModel


def _joined(names: Sequence[str]) -> str:
    return "、".join(names)


def grade_spread(model: ResultsModel, campaign: Campaign) -> str:
    """The 通报's sentence on how the units spread: the units per grade (“按等次分,优秀2个、良好5个。”), or only the top
    grade's units named when the office sets `documents.name_top_grade_only`; without grades, the total score bands."""
    if model.grades and campaign.documents.name_top_grade_only:
        return _top_grade_named(model, campaign)
    if model.grades:
        counts = [f"{name}{count}个" for name, count in model.grades if count]
        return f"按等次分,{_joined(counts)}。" if counts else ""
    counts = [f"{_score_band(name)}{count}个" for name, count in model.distribution if count]
    return f"从总分分布看,{_joined(counts)}。" if counts else ""


def _top_grade_named(model: ResultsModel, campaign: Campaign) -> str:
    """The units of the top grade named, the rest said in one word: “评为优秀的单位:区甲局、区乙局;其他为良好。”
    (`documents.name_top_grade_only`); a unit of neither grade is named with its own."""
    bands = sorted(campaign.grades, key=lambda band: band.minimum, reverse=True)
    top, following = bands[0].name, (bands[1].name if len(bands) > 1 else None)
    ranked = [r for summary in model.types for r in summary.ranked]
    named = [r.unit for r in ranked if r.grade == top]
    text = f"评为{top}的单位:{_joined(named)}" if named else f"没有单位评为{top}"
    others: dict[str | None, list[str]] = {}
    for r in ranked:
        if r.grade not in (top, following):
            others.setdefault(r.grade, []).append(r.unit)
    for grade, units in others.items():
        text += f";{_joined(units)}{'未评定等次' if grade is None else f'为{grade}'}"
    if following is not None and any(r.grade == following for r in ranked):
        text += f";其他为{following}" if named or others else f",均为{following}"
    return text + "。"


def _score_band(name: str) -> str:
    """A band of the distribution as a 公文 says it, its bounds unambiguous (以上 includes its number, 不足 does not):
    “80分以上不足90分”, “100分以上”, “不足60分”."""
    if name.endswith("以上"):
        return f"{name[:-2].strip()}分以上"
    if name.endswith("以下"):  # the lowest band holds the totals below its number
        return f"不足{name[:-2].strip()}分"
    low, high = name.split("–")
    return f"{low}分以上不足{high}分"
