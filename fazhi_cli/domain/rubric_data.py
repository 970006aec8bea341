"""A rubric as plain data again (`rubric_data`): the shape `rubric_build.build_rubric` reads, as the workspace
keeps a rubric workbook in rubric.yaml."""

from __future__ import annotations

from typing import Any

from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.rubric_model import Rubric, Rule, UnitTypeRubric

RULE_NUMBERS = ("points", "per", "quota")  # a rule's numbers, as each kind reads the ones it needs


def rubric_data(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain data, the shape `build_rubric` reads (numbers as decimal strings): what a rubric
    workbook turns into when it is kept as the workspace's rubric.yaml."""
    return {
        "id": rubric.id, "version": rubric.version, "title": rubric.title, "source": rubric.source,
        "year": rubric.year, "total": str(rubric.total),
        "unit_types": {unit_type: _type_data(type_rubric) for unit_type, type_rubric in rubric.types.items()},
        "special": {
            "standard_bonus": rubric.special.standard_bonus, "standard_penalty": rubric.special.standard_penalty,
            "bonus": [_rule_data(r) for r in rubric.special.bonus],
            "penalty": [_rule_data(r) for r in rubric.special.penalty],
        },
        "tasks": [
            {"number": t.number, "section": t.section, "section_title": t.section_title, "title": t.title,
             "text": t.text, "responsible_text": t.responsible_text, "lead": list(t.lead), "partners": list(t.partners)}
            for t in rubric.tasks
        ],
        "targets": {
            unit_type: [{"number": row.number, "item": row.item, "content": row.content} for row in rows]
            for unit_type, rows in rubric.targets.items()
        },
    }


def _type_data(type_rubric: UnitTypeRubric) -> dict[str, Any]:
    return {
        "label": type_rubric.label, "attachment": type_rubric.attachment, "total": str(type_rubric.total),
        "sections": [
            {"id": s.id, "numeral": s.numeral, "name": s.name, "max": str(s.max), "items": [
                {"id": i.id, "name": i.name, "max": str(i.max), "content": i.content, "standard": i.standard,
                 **({"ledger": i.ledger} if i.ledger else {}),
                 **({"evidence": True} if i.evidence else {}), "rules": [_rule_data(r) for r in i.rules]}
                for i in s.items]}
            for s in type_rubric.sections
        ],
    }


def _rule_data(rule: Rule) -> dict[str, Any]:
    fields = {key: str(value) for key, value in kind_of(rule).json_fields(rule).items() if key in RULE_NUMBERS}
    ledger = {"ledger": rule.ledger} if rule.ledger else {}
    return {"id": rule.id, "kind": rule.kind, "text": rule.text, **fields, **ledger}
