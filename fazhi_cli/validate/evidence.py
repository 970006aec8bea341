"""The files each unit sent with its returns, as the evidence its items name (`domain.item_evidence` matches them):
each material's name as sent, its archive path relative to the workspace, and the zips and e-mails it came in."""

from __future__ import annotations

import re

from fazhi_cli.domain.item_evidence import Material, check_evidence, item_evidence
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.store import Store, StoredFile

ARCHIVE_FOLDER = "archive"
# A member's origin names what it came in: “压缩包 材料.zip 中的 …”, “邮件 回执.eml 的附件 材料.zip 中的 …”.
_CONTAINER = re.compile(r"(?:^压缩包 |^邮件 |^文件 |的附件 |中的 )(.+?)(?= 中的 | 的附件|$)")


def _containers(origin: str) -> tuple[str, ...]:
    """The names of the zips and e-mails an origin text says a file came in (folders in a path left out)."""
    names = []
    for found in _CONTAINER.finditer(origin or ""):
        name = re.split(r"[/\\]", found.group(1))[-1].strip()
        if name.lower().endswith((".zip", ".eml")):
            names.append(name)
    return tuple(names)


def as_material(stored: StoredFile) -> Material:
    """A kept material as the matching takes it."""
    return Material(stored.original_name, f"{ARCHIVE_FOLDER}/{stored.archive_name}", _containers(stored.origin))


def unit_materials(store: Store) -> dict[str, list[Material]]:
    """Every unit's materials (whatever return they came with), by unit."""
    return {unit: [as_material(m) for m in kept] for unit, kept in store.materials_by_unit().items()}


def add_evidence(checked, rubric: Rubric, materials: dict[str, list[Material]]) -> None:
    """Match a checked unit's 佐证材料 against its materials: the matches on `checked.evidence`, the
    `evidence_missing` warnings added to its findings."""
    type_rubric = rubric.for_type(checked.unit.type)
    bonus = [rule.id for rule in rubric.special.bonus]
    checked.evidence = item_evidence(type_rubric, checked.values, materials.get(checked.unit.name, ()), bonus)
    checked.findings.extend(check_evidence(checked.unit.name, type_rubric, checked.evidence))
