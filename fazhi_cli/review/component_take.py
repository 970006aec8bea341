"""Taking a returned component sheet (评分构成表) back: only the file the clerk named, sealed by this workspace.

Each row gives one unit's value of the sheet's component. A value that is a number from 0 to 100 is recorded (it
replaces an earlier value of that unit); a blank one gives nothing, except that a cell which showed a value still
in force and came back blank withdraws it. A row that cannot be taken is a problem naming its cell, never a 0: a
value that is no number (or a formula) or outside 0–100, a unit not on the roster, one not assessed (or whose type
the component does not apply to), a unit on two rows (neither is taken). The rest of the sheet is taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from fazhi_cli.domain.components import ComponentProblem, component_value
from fazhi_cli.domain.identity import COMPONENT_SHEET_FIELDS, is_sealed
from fazhi_cli.domain.numbers import is_blank, normalise_text
from fazhi_cli.domain.refusals import refusal, spreadsheet_refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import (
    COMPONENT_PROBLEMS,
    COMPONENT_SHEET,
    DUPLICATE,
    REVIEW,
    Batch,
    FileOutcome,
    refuse,
)
from fazhi_cli.review.component_sheet import COL_NOTE, COL_UNIT, COL_VALUE
from fazhi_cli.store import ComponentEntry
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import office_sheet_rows
from fazhi_cli.workbook.reader import ReadWorkbook, RefusedWorkbook, UnreadableWorkbook, find_header

MAX_ROWS = 5000
MAX_COLUMNS = 20
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class ComponentRow:
    """One row of a returned component sheet: the unit as written, the 得分 as entered (None: blank), the 说明, the
    cells of the unit and of the value."""

    unit: str
    raw: object
    note: str
    unit_cell: str
    cell: str


@dataclass(frozen=True)
class RowFinding:
    """A row not taken: its cell and what is wrong (in Chinese)."""

    cell: str
    message: str


def _text(values: tuple, column: int | None) -> str:
    if column is None or column >= len(values) or values[column] is None:
        return ""
    return normalise_text(str(values[column]))


def read_component_rows(data: bytes, sheet_name: str) -> list[ComponentRow]:
    """The rows of a returned component sheet, its header found by titles (never by position); rows with neither
    a unit nor a value are skipped."""
    rows = _sheet_rows(data, sheet_name)
    found = find_header(rows, (COL_UNIT, COL_VALUE))
    if found is None:
        raise UnreadableWorkbook(f"“{sheet_name}”表中找不到表头({COL_UNIT}、{COL_VALUE})")
    index, titles = found
    unit_column, value_column = titles[COL_UNIT], titles[COL_VALUE]
    read = []
    for line, values in enumerate(rows[index + 1:], start=index + 2):
        raw = values[value_column] if value_column < len(values) else None
        unit = _text(values, unit_column)
        if not unit and is_blank(raw):
            continue
        read.append(ComponentRow(unit, None if is_blank(raw) else raw, _text(values, titles.get(COL_NOTE)),
                                 f"{sheet_name}!{get_column_letter(unit_column + 1)}{line}",
                                 f"{sheet_name}!{get_column_letter(value_column + 1)}{line}"))
    return read


def _sheet_rows(data: bytes, sheet_name: str) -> list[tuple]:
    """The component's sheet's rows, from an .xlsx or (told by its bytes) an .xls/.ods saved from it."""
    return office_sheet_rows(data, sheet_name, "评分构成表", MAX_ROWS, MAX_COLUMNS)

@dataclass
class ComponentChanges:
    """What a returned component sheet changes (values set and withdrawn), the rows it could not take, and how
    many units it gave a value for."""

    entries: list[ComponentEntry]
    problems: list[RowFinding]
    given: int = 0


def _shown(raw: object) -> str:
    return printable(str(raw))[:40]


def _unit_problem(row: ComponentRow, name: str | None, batch: Batch, component: str) -> RowFinding | None:
    """Why a row's unit cannot be given a value: not on the roster, not assessed, or not of a type the component
    applies to; None when it can."""
    if not row.unit:
        return RowFinding(row.unit_cell, "单位名称未填写,该行未采用")
    if name is None:
        roster = batch.workspace.roster(batch.campaign)
        if roster_spelling(row.unit, [unit.name for unit in roster]) is not None:
            return RowFinding(row.unit_cell, f"单位“{_shown(row.unit)}”不参加本次考核(名单中是否考核为“否”),该行未采用")
        return RowFinding(row.unit_cell, f"单位“{_shown(row.unit)}”不在本次考核的单位名单中,该行未采用")
    weight = next(c for c in batch.campaign.components if c.name == component).weight(batch.units[name].type)
    if weight is None:
        return RowFinding(row.unit_cell, f"{batch.units[name].type_label}“{name}”不参加“{component}”评分,该行未采用")
    return None


def changes_of(rows: list[ComponentRow], batch: Batch, component: str, upto: int) -> ComponentChanges:
    """What the rows change, against the values in force and those the sheet showed (recorded up to `upto`)."""
    in_force = batch.store.component_values()
    shown = batch.store.component_values(upto)
    out = ComponentChanges([], [])
    named = [(row, roster_spelling(row.unit, batch.units) if row.unit else None) for row in rows]
    cells: dict[str, list[str]] = {}
    for row, name in named:
        if name is not None:
            cells.setdefault(name, []).append(row.unit_cell)
    for row, name in named:
        problem = _unit_problem(row, name, batch, component)
        if problem is None and len(cells[name]) > 1:
            problem = RowFinding(row.unit_cell, f"单位“{name}”有不止一行({'、'.join(cells[name])}),"
                                                "不知以哪一行为准,均未采用")
        if problem is None:
            problem = _value(row, name, component, in_force, shown, out)
        if problem is not None:
            out.problems.append(problem)
    return out


def _value(row: ComponentRow, name: str, component: str, in_force: dict, shown: dict,
           out: ComponentChanges) -> RowFinding | None:
    """Record one unit's row: its value, or the withdrawal of the value it showed; a problem for a bad value."""
    current = in_force.get(name, {}).get(component)
    before = shown.get(name, {}).get(component)
    if row.raw is None:
        if current is not None and before is not None and current.id == before.id:
            why = f"评分构成表 {row.cell} 的得分被清空" + (f":{row.note}" if row.note else "")
            out.entries.append(ComponentEntry(component, name, None, None, row.cell, why))
        return None
    if isinstance(row.raw, str) and row.raw.startswith("="):
        return RowFinding(row.cell, f"得分“{_shown(row.raw)}”是公式,不计算公式,该行未采用(请直接填写数值)")
    try:
        value = component_value(row.raw)
    except ComponentProblem as problem:
        return RowFinding(row.cell, f"得分{problem}(应为 0 至 100 之间的数),该行未采用")
    out.given += 1
    if current is None or (current.value, current.note) != (value, row.note):
        out.entries.append(ComponentEntry(component, name, row.raw, value, row.cell, row.note))
    return None


def take_component_sheet(batch: Batch, item: Incoming, read: ReadWorkbook, sha: str, archive_name: str) -> FileOutcome:
    """Take a returned component sheet for ingest: only a file the clerk named, sealed by this workspace, of a
    component fazhi.toml sets."""
    identity = read.identity
    name = item.original_name
    if not item.explicit:
        not_named = refusal("component_not_named", name=name, origin=item.origin)
        return refuse(batch, item, sha, archive_name, not_named.message, code=not_named.code)
    if not is_sealed(batch.secret, identity, COMPONENT_SHEET_FIELDS):
        forged = refusal("component_forged", name=name)
        return refuse(batch, item, sha, archive_name, forged.message, code=forged.code)
    component = identity.get(layout.ID_COMPONENT, "")
    if component not in {c.name for c in batch.campaign.components}:
        unknown = refusal("component_unknown", name=name, component=printable(component)[:40])
        return refuse(batch, item, sha, archive_name, unknown.message, code=unknown.code)
    if batch.store.file_by_sha_and_outcome(sha, REVIEW) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, None, "与已收到的评分构成表相同,未重复计入", sha)
    try:
        rows = read_component_rows(item.data, component)
    except RefusedWorkbook as problem:
        refused = spreadsheet_refusal(problem.code, name)
        return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("component_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    upto = identity.get(layout.ID_COMPONENTS_UPTO, "")
    changes = changes_of(rows, batch, component, int(upto) if upto.isdigit() else 0)
    message = _message(component, changes)
    code = COMPONENT_PROBLEMS if changes.problems else COMPONENT_SHEET
    record = batch.record(item, sha, archive_name, REVIEW, item.kind, message=message, code=code)
    batch.store.record_components(record, changes.entries)
    return FileOutcome(name, item.origin, REVIEW, None, message, sha, code)


def _message(component: str, changes: ComponentChanges) -> str:
    """What ingest says of a component sheet: the values given and recorded, withdrawals, the rows not taken."""
    withdrawn = sum(1 for e in changes.entries if e.withdrawn)
    recorded = len(changes.entries) - withdrawn
    message = f"评分构成表({component}):{changes.given} 个单位有得分,记录新的得分 {recorded} 个"
    if withdrawn:
        message += f",撤回 {withdrawn} 个"
    problems = changes.problems
    if problems:
        shown = ";".join(f"{p.cell}:{p.message}" for p in problems[:SHOWN_PROBLEMS])
        more = f" 等 {len(problems)} 处" if len(problems) > SHOWN_PROBLEMS else ""
        message += f";有误未采用:{shown}{more}(改正后重新收回)"
    return message
