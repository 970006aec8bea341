"""The rubric, as the rest of fazhi imports it: the model (`rubric_model`), its building and checking from plain
data (`rubric_build`) and its plain data again (`rubric_data`). This module only re-exports them."""

from __future__ import annotations

from fazhi_cli.domain.rubric_build import (
    AT,
    FIELD_LABELS,
    ITEM_LABELS,
    SECTION_LABELS,
    TARGET_LABELS,
    TASK_LABELS,
    RubricProblems,
    build_rubric,
    type_place,
)
from fazhi_cli.domain.rubric_data import RULE_NUMBERS, rubric_data
from fazhi_cli.domain.rubric_model import (
    EVERY_OF_TYPE,
    LEAD,
    LEDGER_ITEM_RECORDS,
    LEDGER_LABELS,
    LEDGER_RULE_KINDS,
    PARTNER,
    RULE_KINDS,
    UNIT_TYPE_LABELS,
    UNIT_TYPES,
    VAGUE_WORDS,
    Item,
    Rubric,
    Rule,
    Section,
    SpecialRules,
    TargetItem,
    Task,
    UnitTypeRubric,
    same_name,
    type_of_group,
)

__all__ = [
    "AT", "EVERY_OF_TYPE", "FIELD_LABELS", "ITEM_LABELS", "LEAD", "LEDGER_ITEM_RECORDS", "LEDGER_LABELS",
    "LEDGER_RULE_KINDS", "PARTNER", "RULE_KINDS", "RULE_NUMBERS", "SECTION_LABELS", "TARGET_LABELS", "TASK_LABELS",
    "UNIT_TYPES", "UNIT_TYPE_LABELS", "VAGUE_WORDS", "Item", "Rubric", "RubricProblems", "Rule", "Section",
    "SpecialRules", "TargetItem", "Task", "UnitTypeRubric", "build_rubric", "rubric_data", "same_name",
    "type_of_group", "type_place",
]
