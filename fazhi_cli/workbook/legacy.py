"""The fixed texts of the first 自评表 layout (format version 1: 编号, 考核项目, 考核内容, 评分标准…), kept so
that a return of that layout is still checked against what it was written with: an untouched old return
matches its sealed fingerprint, a changed one is told cell by cell as before."""

from __future__ import annotations

from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.rubric import Rubric, UnitTypeRubric

V1_STANDARD_WHEN_EMPTY = "对照考核内容,按完成情况自评打分。"

FixedTexts = dict[str, tuple[str, str, str]]  # ID → (考核项目, 考核内容, 评分标准)


def v1_texts(type_rubric: UnitTypeRubric, rubric: Rubric) -> FixedTexts:
    """The (考核项目, 考核内容, 评分标准) that format 1 wrote on each ID row."""
    texts: FixedTexts = {}
    for item in type_rubric.items:
        texts[item.id] = (item.name, item.content, item.standard or V1_STANDARD_WHEN_EMPTY)
        for rule in item.rules:
            texts.update({row.id: (row.name, row.content, row.standard)
                          for row in kind_of(rule).first_layout_rows(rule)})
    for rule in rubric.special.bonus:
        texts[rule.id] = ("特别加分", f"是否{rule.text}", f"填“是”加 {rule.points} 分(不累加,取最高)")
    for rule in rubric.special.penalty:
        texts[rule.id] = ("特别扣分", f"发生次数:{rule.text}", f"填次数,每起扣 {rule.per} 分")
    return texts
