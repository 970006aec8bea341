"""`fazhi export`: the long table other systems and the 目标办 take — one row per returned unit and item, then its
特别加分 and 特别扣分 rows: the self score, the office's value, what counts, the reasons and the evidence.

Only formatting the scoreboard: `item_rows` builds the rows, `rows_json` gives them with English keys, and
`write_rows_csv` writes them for Excel (UTF-8 with a BOM; a text cell that Excel would read as a formula starts
with an apostrophe; numbers as plain decimals).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from fazhi_cli.domain.item_evidence import ItemEvidence
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.results import MISSING, UnitResult
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.scoring import Scoreboard

BONUS_ROW, PENALTY_ROW = "特别加分", "特别扣分"
# (CSV column title, JSON key); evidence_files is a list of {name, path} in JSON, "name(path)" lines in CSV
COLUMNS = (
    ("单位", "unit"), ("类型", "type_label"), ("编号", "ref"), ("考核项目", "item"), ("分值", "max"),
    ("自评得分", "self_score"), ("核定得分", "office_score"), ("计分得分", "counted"), ("核定理由", "office_reason"),
    ("扣分说明", "note"), ("佐证材料", "evidence"), ("已收到的佐证文件", "evidence_files"),
    ("未收到的佐证文件", "evidence_missing"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel or WPS would take as the start of a formula


@dataclass(frozen=True)
class ItemRow:
    """One unit and item (or its 特别加分 / 特别扣分) as the long table shows it."""

    unit: str
    type: str
    ref: str
    item: str
    max: Decimal | None
    self_score: Decimal | None
    office_score: Decimal | None
    counted: Decimal | None
    office_reason: str = ""
    note: str = ""
    evidence: str = ""
    evidence_files: tuple[tuple[str, str], ...] = ()  # (name as sent, archive path relative to the workspace)
    evidence_missing: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        return UNIT_TYPE_LABELS.get(self.type, self.type)


@dataclass
class ItemTable:
    """The rows of every returned unit, and which results they are (初步结果 / 审定结果)."""

    rows: list[ItemRow] = field(default_factory=list)
    state: str = "preliminary"
    state_label: str = ""
    units: int = 0


def _evidence(found: ItemEvidence | None) -> dict[str, Any]:
    if found is None:
        return {}
    return {"evidence": found.text, "evidence_files": tuple((m.name, m.path) for m in found.files),
            "evidence_missing": tuple(found.missing)}


def _unit_rows(board: Scoreboard, result: UnitResult) -> list[ItemRow]:
    checked = board.checked(result.unit)
    evidence = checked.evidence if checked else {}
    notes = board.notes.get(result.unit, {})
    type_rubric = board.rubric.for_type(result.type)
    rows = []
    for item in type_rubric.items:
        counted = result.items[item.id]
        rows.append(ItemRow(result.unit, result.type, item.id, item.name, item.max, counted.claimed, counted.office,
                            counted.score, counted.office_reason, notes.get(item.id, ""),
                            **_evidence(evidence.get(item.id))))
    bonus_refs = [rule.id for rule in board.rubric.special.bonus]
    claimed = [evidence[ref] for ref in bonus_refs if ref in evidence]
    rows.append(ItemRow(
        result.unit, result.type, BONUS_ROW, "特别加分", board.rubric.special.max_bonus, result.self_bonus,
        result.bonus if result.bonus_reason is not None else None, result.bonus, result.bonus_reason or "", "",
        "、".join(e.text for e in claimed if e.text), tuple((m.name, m.path) for e in claimed for m in e.files),
        tuple(name for e in claimed for name in e.missing)))
    rows.append(ItemRow(
        result.unit, result.type, PENALTY_ROW, "特别扣分", None, result.self_penalty,
        result.penalty if result.penalty_reason is not None else None, result.penalty, result.penalty_reason or ""))
    return rows


def item_rows(board: Scoreboard) -> ItemTable:
    """The long table of the scoreboard: every returned unit (by type, in rank order) and item."""
    table = ItemTable(state=board.state.state, state_label=board.state.label)
    for unit_type in board.rubric.types:
        for result in board.of_type(unit_type):
            if result.status == MISSING:
                continue
            table.rows.extend(_unit_rows(board, result))
            table.units += 1
    return table


def _number(value: Decimal | None) -> str:
    """A score as plain decimal text with at most two decimals (4.4, 10, 0.25), or "" for none."""
    if value is None:
        return ""
    text = format(cents(value).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _json_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    rounded = cents(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def rows_json(table: ItemTable) -> list[dict[str, Any]]:
    """What `fazhi export --json` prints: one object per row (keys: state, unit, type, type_label, ref, item, max,
    self_score, office_score, counted, office_reason, note, evidence, evidence_files [{name, path}],
    evidence_missing [name])."""
    return [{
        "state": table.state, "unit": r.unit, "type": r.type, "type_label": r.type_label, "ref": r.ref,
        "item": r.item, "max": _json_number(r.max), "self_score": _json_number(r.self_score),
        "office_score": _json_number(r.office_score), "counted": _json_number(r.counted),
        "office_reason": r.office_reason, "note": r.note, "evidence": r.evidence,
        "evidence_files": [{"name": name, "path": path} for name, path in r.evidence_files],
        "evidence_missing": list(r.evidence_missing),
    } for r in table.rows]


def as_text(value: str) -> str:
    """A text cell that no spreadsheet reads as a formula: one starting with = + - @ (or a tab) gets a leading
    apostrophe, which Excel shows as nothing but keeps the rest as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cells(row: ItemRow) -> list[str]:
    """One row's cells as the CSV writes them: texts guarded, numbers as plain decimals."""
    numbers = {"max": row.max, "self_score": row.self_score, "office_score": row.office_score, "counted": row.counted}
    cells = []
    for _, key in COLUMNS:
        if key in numbers:
            cells.append(_number(numbers[key]))
        elif key == "evidence_files":
            cells.append(as_text("\n".join(f"{name}({path})" for name, path in row.evidence_files)))
        elif key == "evidence_missing":
            cells.append(as_text("、".join(row.evidence_missing)))
        else:
            cells.append(as_text(str(getattr(row, key))))
    return cells


def write_rows_csv(table: ItemTable, target: Path) -> None:
    """Write the table as CSV for Excel (UTF-8 with a BOM, so Chinese opens correctly), atomically."""
    def write(part: Path) -> None:
        with open(part, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([title for title, _ in COLUMNS])
            writer.writerows(csv_cells(row) for row in table.rows)
    atomic_write(target, write)
