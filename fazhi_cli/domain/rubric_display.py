"""The rubric as `fazhi rubric show` shows it: every section, item and rule as JSON-ready data (what `--json`
prints), and each rule in one line of Chinese."""

from __future__ import annotations

from typing import Any

from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.rubric import Rubric, Rule, UnitTypeRubric


def rule_as_dict(rule: Rule) -> dict[str, Any]:
    """A rule as JSON-ready data, with the fact IDs a workbook asks for."""
    data = {"id": rule.id, "kind": rule.kind, "text": rule.text, **kind_of(rule).json_fields(rule)}
    if rule.ledger:
        data["ledger"] = rule.ledger  # the office's record that gives the rule's facts
    return data


def rule_summary(rule: Rule) -> str:
    """How a rule is answered and what it deducts, in one line of Chinese (for `fazhi rubric show`).

    Example::

        api.rule_summary(rubric.for_type("department").items[0].rules[0])  # "是/否,扣 1 分"
    """
    return kind_of(rule).summary(rule)


def type_rubric_as_dict(type_rubric: UnitTypeRubric) -> dict[str, Any]:
    """One unit type's rubric as JSON-ready data: every section, item and rule."""
    return {
        "type": type_rubric.type,
        "label": type_rubric.label,
        "total": type_rubric.total,
        "sections": [
            {
                "id": section.id,
                "numeral": section.numeral,
                "name": section.name,
                "max": section.max,
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "max": item.max,
                        "content": item.content,
                        "standard": item.standard,
                        "rules": [rule_as_dict(rule) for rule in item.rules],
                        **({"ledger": item.ledger} if item.ledger else {}),
                        **({"evidence": True} if item.evidence else {}),
                    }
                    for item in section.items
                ],
            }
            for section in type_rubric.sections
        ],
    }


def rubric_as_dict(rubric: Rubric, types: tuple[str, ...]) -> dict[str, Any]:
    """The rubric (the chosen unit types, special rules, tasks and targets) as JSON-ready data."""
    special = rubric.special
    return {
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title, "year": rubric.year},
        "types": [type_rubric_as_dict(rubric.for_type(t)) for t in types],
        "special": {
            "bonus": [rule_as_dict(r) for r in special.bonus],
            "penalty": [rule_as_dict(r) for r in special.penalty],
        },
        "tasks": [
            {"number": t.number, "title": t.title, "responsible": list(t.responsible), "lead": list(t.lead),
             "partners": list(t.partners)} for t in rubric.tasks
        ],
        "targets": {
            t: [{"number": row.number, "item": row.item} for row in rubric.targets.get(t, ())] for t in types
        },
    }
