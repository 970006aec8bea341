"""The self-assessment workbook's layout, in one place: sheet names, column titles, identity keys, and the
rows of the 自评表 derived from the rubric (shared by the writer, the reader and the fingerprint).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.domain import checks
from fazhi_cli.domain.kinds import ROW_FACT, ROW_GROUP, ROW_RULE, kind_of
from fazhi_cli.domain.rubric import Rubric, Rule, UnitTypeRubric
from fazhi_cli.workbook.legacy import v1_texts

FORMAT_NAME = "fazhi-self-assessment"
REVIEW_FORMAT_NAME = "fazhi-review-sheet"
COMPONENT_FORMAT_NAME = "fazhi-component-sheet"  # the office's 评分构成表 (review.components)
LEDGER_FORMAT_NAME = "fazhi-ledger"  # the office's own records (台账), `fazhi ledger`
# 2: the document's own columns (考核事项, 考核内容, 评分标准) and the 填报单位… block; 1: returns of the first layout
# (考核项目, 考核内容, 评分标准), still read and checked against the texts they were written with (`legacy`).
FORMAT_VERSION = "2"
LEGACY_FORMAT_VERSION = "1"

SHEET_GUIDE = "填报说明"
SHEET_SCORES = "自评表"
SHEET_TASKS = "工作任务"
SHEET_TARGETS = "目标责任书"
SHEET_IDENTITY = "fazhi_id"
SHEET_LISTS = "fazhi_lists"

# 自评表 columns, left to right. The reader finds them by title, never by position.
COL_MATTER = "考核事项"  # the section, as the document's 附件3/附件4 name it
COL_ID = "编号"
COL_NAME = "考核项目"  # format 1 only: the item's name
COL_CONTENT = "考核内容"
COL_STANDARD = "评分标准"
COL_MAX = "分值"
COL_FACT = "填报值"
COL_DEDUCTION = "规则扣分"
COL_CEILING = "得分上限"
COL_SCORE = "自评得分"
COL_NOTE = "扣分说明"
COL_EVIDENCE = "佐证材料"
SCORE_COLUMNS = (
    COL_MATTER, COL_ID, COL_CONTENT, COL_STANDARD, COL_MAX, COL_FACT, COL_DEDUCTION, COL_CEILING, COL_SCORE,
    COL_NOTE, COL_EVIDENCE,
)
# The fixed text columns of each format version, in the order the fingerprint takes them.
TEXT_COLUMNS = {FORMAT_VERSION: (COL_MATTER, COL_CONTENT, COL_STANDARD),
                LEGACY_FORMAT_VERSION: (COL_NAME, COL_CONTENT, COL_STANDARD)}
ALL_TEXT_COLUMNS = (COL_MATTER, COL_NAME, COL_CONTENT, COL_STANDARD)
REQUIRED_SCORE_COLUMNS = (COL_ID, COL_MAX, COL_FACT, COL_SCORE, COL_NOTE)
HEADER_SEARCH_ROWS = 15

# 工作任务 columns
TASK_COLUMNS = ("序号", "任务类别", "工作任务", "任务内容", "牵头单位", "参与单位", "本单位角色", "完成情况", "说明")
TASK_STATUS_COLUMN = "完成情况"
TASK_NOTE_COLUMN = "说明"
TASK_STATUSES = checks.TASK_STATUSES  # defined once, with the check that reads them

# 目标责任书 columns
TARGET_COLUMNS = ("序号", "考核项目", "目标内容", "落实情况")

YES_NO = ("是", "否")
FIXED_ROLES = ("item", ROW_RULE, ROW_GROUP, ROW_FACT, "bonus", "penalty")  # rows whose text and 分值 are fixed

# The signature block under the 自评表 (填报单位(盖章), 负责人…): label cells, each followed by its input cell.
FORM_FIELDS = checks.FORM_FIELDS  # defined once, with the check that warns when they are empty
FORM_UNIT, FORM_HEAD, FORM_FILLER, FORM_PHONE, FORM_DATE = FORM_FIELDS
FORM_REF = checks.FORM_REF  # the ID the block's values are stored under (field: the label)

# The identity sheet holds key/value pairs in columns A/B.
ID_FORMAT = "format"
ID_FORMAT_VERSION = "format_version"
ID_CAMPAIGN = "campaign"
ID_YEAR = "year"
ID_UNIT = "unit"
ID_UNIT_TYPE = "unit_type"
ID_RUBRIC = "rubric"
ID_RUBRIC_VERSION = "rubric_version"
ID_FINGERPRINT = "fingerprint"
ID_GENERATED = "generated_at"
ID_REVIEWS_UPTO = "reviews_upto"  # a review sheet's: the id of the last office value recorded when it was written
ID_TEAM = "team"  # a review team's sheet: the team (考核组) it is for
ID_TEAM_UNITS = "units"  # and the units assigned to it (a JSON list of roster names)
ID_COMPONENT = "component"  # a component sheet's: the score component it gives
ID_COMPONENTS_UPTO = "components_upto"  # and the id of the last component value recorded when it was written
ID_MAC = "mac"  # the office's seal over the identity (domain.identity), keyed by the workspace secret


@dataclass(frozen=True)
class Row:
    """One row of the 自评表 below the header, as the product writes it.

    `role` is one of: section, item, the rule roles of `domain.kinds` (rule: a rule answered on its own row;
    rule_group: the label row of a rule answered on several rows, such as a monthly rule; rule_fact: one of
    those rows), special (the 特别加分和扣分 group), bonus, penalty, total.
    """

    role: str
    id: str
    matter: str = ""  # 考核事项: the section's label, on its section row
    content: str = ""  # 考核内容
    standard: str = ""  # 评分标准
    max: Decimal | None = None
    rule: Rule | None = None
    item_id: str = ""


def score_rows(type_rubric: UnitTypeRubric, rubric: Rubric) -> list[Row]:
    """The 自评表's rows for a unit type, in order: sections, items with their rule rows, specials, total.

    The texts are the document's own: 考核事项 the section (一、依法科学民主决策(15分)), 考核内容 the item with its
    points (1.遵守行政决策程序(10分)), 评分标准 the document's text of the item. Rule rows ask for the facts;
    what the office reads into the document (计分口径) is labelled as such."""
    rows: list[Row] = []
    for section in type_rubric.sections:
        rows.append(Row("section", section.numeral, section_label(section.numeral, section.name, section.max),
                        "小计", max=section.max))
        for item in section.items:
            rows.append(Row("item", item.id, content=item_label(item.id, item.name, item.max),
                            standard=item.content, max=item.max))
            for rule in item.rules:
                rows.extend(_rule_rows(rule, item.id))
    special = rubric.special
    numeral = _next_numeral(type_rubric)
    rows.append(Row("special", numeral, f"{numeral}、特别加分和扣分" if numeral else "特别加分和扣分"))
    for rule in special.bonus:
        rows.append(Row("bonus", rule.id, content=f"特别加分:是否{rule.text}",
                        standard=f"填“是”加 {rule.points} 分(计分口径:多项不累加,取最高一项)", rule=rule))
    for rule in special.penalty:
        rows.append(Row("penalty", rule.id, content=f"特别扣分:发生次数:{rule.text}",
                        standard=f"填次数,每起扣 {rule.per} 分", rule=rule))
    rows.append(Row("total", "", content="自评总分", standard="各项自评得分(不超过得分上限)之和 + 特别加分 − 特别扣分"))
    return rows


def section_label(numeral: str, name: str, maximum: Decimal) -> str:
    """A 考核事项 as the document heads it: 一、依法科学民主决策(15分)."""
    return f"{numeral}、{name}({format_points(maximum)}分)" if numeral else f"{name}({format_points(maximum)}分)"


def item_label(item_id: str, name: str, maximum: Decimal) -> str:
    """A 考核内容 as the document numbers it within its section: 1.遵守行政决策程序(10分)."""
    number = item_id.rsplit(".", 1)[-1]
    return f"{number}.{name}({format_points(maximum)}分)"


def _rule_rows(rule: Rule, item_id: str) -> list[Row]:
    return [Row(r.role, r.id, content=r.content, standard=r.standard, rule=rule, item_id=item_id)
            for r in kind_of(rule).rows(rule)]


_NUMERALS = "一二三四五六七八九十"


def _next_numeral(type_rubric: UnitTypeRubric) -> str:
    """The numeral after the last section (七 for departments, 五 for townships), as the seed numbers it."""
    return _NUMERALS[len(type_rubric.sections)] if len(type_rubric.sections) < len(_NUMERALS) else ""


def fixed_content(rows: Iterable[tuple[str, str, str, str, str]]) -> str:
    """The fingerprint of the fixed content: ID, the three text columns of the format (`TEXT_COLUMNS`) and 分值
    of every ID row."""
    canonical = json.dumps(sorted(rows), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def expected_fixed_rows(rows: Iterable[Row]) -> list[tuple[str, str, str, str, str]]:
    """The (ID, 考核事项, 考核内容, 评分标准, 分值) tuples the product writes, as the reader will see them (考核事项
    is written on section rows only, so it is empty on every ID row)."""
    return [
        (row.id, row.matter, row.content, row.standard, "" if row.max is None else format_points(row.max))
        for row in rows
        if row.role in FIXED_ROLES
    ]


def format_version(identity: dict[str, str]) -> str:
    """The layout a returned workbook was written with (a format this product does not know reads as the current)."""
    version = identity.get(ID_FORMAT_VERSION, LEGACY_FORMAT_VERSION)
    return version if version in TEXT_COLUMNS else FORMAT_VERSION


def expected_texts(rows: list[Row], version: str, type_rubric: UnitTypeRubric, rubric: Rubric
                   ) -> dict[str, tuple[str, str, str, str]]:
    """ID → the three fixed texts (`TEXT_COLUMNS[version]`) and 分值 the product wrote on each ID row of a workbook
    of that format version."""
    fixed = [row for row in rows if row.role in FIXED_ROLES]
    maxima = {row.id: "" if row.max is None else format_points(row.max) for row in fixed}
    if version == LEGACY_FORMAT_VERSION:
        old = v1_texts(type_rubric, rubric)
        return {row.id: (*old.get(row.id, ("", "", "")), maxima[row.id]) for row in fixed}
    return {row.id: (row.matter, row.content, row.standard, maxima[row.id]) for row in fixed}


def format_points(value: Decimal) -> str:
    """Points as text without a trailing .0 (10, 0.2), for the fingerprint and messages."""
    normal = value.normalize()
    return format(normal, "f")
