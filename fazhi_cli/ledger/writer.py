"""Writing the office's ledger workbook (法制办台账, `fazhi ledger`): the current state of its records.

One sheet per record (信息报送, 规范性文件备案, 行政执法指导案例, 实地检查, 工作总结), unit names pre-filled
from the roster (only the units whose rubric uses the record), the entries already recorded written back
in, and the 工作总结 received with the returns (a material whose name holds 总结) pre-filled. A very hidden
identity sheet, sealed by the workspace secret, lets ingest recognise the ledger and refuse a forged one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.identity import LEDGER_FIELDS, seal
from fazhi_cli.domain.ledger import (
    INSPECTIONS,
    SUMMARY,
    CaseReceipt,
    Entry,
    Filing,
    InfoRow,
    Inspection,
    SummaryReceipt,
    entry_from_data,
)
from fazhi_cli.domain.numbers import plain_or_none
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import CHINA, office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.ledger import layout as ledger_layout
from fazhi_cli.ledger.layout import HEADER_ROW, SHEETS, SUMMARY_WORD, SheetLayout
from fazhi_cli.store import Store
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import HEADER_FILL, INPUT_FILL, print_setup, write_text
from fazhi_cli.workspace import Workspace, ledger_file_name

DATE_FORMAT = "yyyy-mm-dd"


def write_ledger(workspace: Workspace, folder: Path | None = None) -> Path:
    """Write the ledger workbook (into ledger/ by default); returns the file written."""
    campaign = workspace.campaign()
    rubric, units = workspace.rubric(campaign), workspace.units(campaign)
    with workspace.open_store() as store:
        covered, rows = store.ledger_in_force()
        entries: dict[str, dict[str, list[Entry]]] = {}
        for row in rows:
            if row.problem is None and row.unit:
                entry = entry_from_data(row.record, row.unit, row.data)
                entries.setdefault(row.record, {}).setdefault(row.unit, []).append(entry)
        summaries = _with_materials(entries.get(SUMMARY, {}), store, units)
    entries[SUMMARY] = summaries
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_layout in SHEETS:
        chosen = [u for u in units if _uses(rubric, u, sheet_layout.record)]
        _write_sheet(book.create_sheet(sheet_layout.name), campaign, sheet_layout, chosen,
                     entries.get(sheet_layout.record, {}))
    _identity(book.create_sheet(layout.SHEET_IDENTITY), campaign, rubric, workspace.secret())
    target_folder = folder or workspace.ledger
    target_folder.mkdir(exist_ok=True)
    target = target_folder / ledger_file_name(campaign.year)
    atomic_write(target, book.save)
    return target


def _uses(rubric: Rubric, unit: Unit, record: str) -> bool:
    """Whether the unit's rubric uses the record (实地检查 concerns every unit)."""
    return record == INSPECTIONS or record in rubric.for_type(unit.type).ledger_records()


def _with_materials(recorded: dict[str, list[Entry]], store: Store, units: list[Unit]) -> dict[str, list[Entry]]:
    """The 工作总结 receipts: those recorded, plus each material whose name holds 总结 not yet listed."""
    out = {unit: list(found) for unit, found in recorded.items()}
    materials = store.materials_by_unit()
    for unit in units:
        listed = {e.file for e in out.get(unit.name, []) if isinstance(e, SummaryReceipt)}
        for material in materials.get(unit.name, ()):
            if SUMMARY_WORD in material.original_name and material.original_name not in listed:
                received = dt.datetime.fromisoformat(material.received_at).astimezone(CHINA).date()
                out.setdefault(unit.name, []).append(SummaryReceipt(unit.name, received, material.original_name))
                listed.add(material.original_name)
    return out


def _values(entry: Entry) -> dict[str, object]:
    """An entry's cells by column title."""
    L = ledger_layout
    if isinstance(entry, InfoRow):
        return {f"{month}月": count for month, count in entry.months.items()}
    if isinstance(entry, Filing):
        return {L.COL_TITLE: entry.title, L.COL_FILED: entry.filed_on}
    if isinstance(entry, CaseReceipt):
        meets = None if entry.meets is None else ("是" if entry.meets else "否")
        return {L.COL_RECEIVED: entry.received_on, L.COL_COUNT: entry.count, L.COL_MEETS: meets,
                L.COL_DEDUCTION: plain_or_none(entry.deduction), L.COL_REASON: entry.reason}
    if isinstance(entry, Inspection):
        return {L.COL_ID: entry.item_id, L.COL_FINDING: entry.finding,
                L.COL_DEDUCTION: plain_or_none(entry.deduction), L.COL_REASON: entry.reason}
    return {L.COL_RECEIVED: entry.received_on, L.COL_FILE: entry.file}


def _write_sheet(sheet, campaign: Campaign, sheet_layout: SheetLayout, units: list[Unit],
                 entries: dict[str, list[Entry]]) -> None:
    """Title, guide, header, then the rows: each unit's entries, or one row with its name."""
    width = len(sheet_layout.columns)
    write_text(sheet["A1"], f"{campaign.title}法制办台账:{sheet_layout.name}")
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(sheet["A2"], sheet_layout.guide + " 改好后用 fazhi ingest 文件路径 收回。")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 6))
    sheet.row_dimensions[2].height = 48
    positions = {}
    for index, (title, column_width) in enumerate(sheet_layout.columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column_width
        positions[title] = index
    line = HEADER_ROW
    for unit in units:
        for entry in entries.get(unit.name) or [None]:
            line += 1
            write_text(sheet.cell(line, 1), unit.name)
            for title, value in (_values(entry) if entry is not None else {}).items():
                cell = sheet.cell(line, positions[title])
                if isinstance(value, str):
                    write_text(cell, value)
                else:
                    cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
            for column in range(2, width + 1):
                sheet.cell(line, column).fill = INPUT_FILL
    last = max(line, HEADER_ROW + 1)
    _validations(sheet, sheet_layout, positions, last + 200)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _validations(sheet, sheet_layout: SheetLayout, positions: dict[str, int], last: int) -> None:
    """Excel's own checks on the input columns (the reader checks again: nothing typed is trusted)."""
    L = ledger_layout
    rules = {
        **dict.fromkeys(L.MONTH_COLUMNS, ("whole", "请填写 0 或正整数(条数)。")),
        L.COL_COUNT: ("whole", "请填写 0 或正整数(件数)。"),
        L.COL_DEDUCTION: ("decimal", "酌情扣分应为不小于 0 的数。"),
        L.COL_RECEIVED: ("date", "请填写日期,例如 2017-12-15。"),
        L.COL_FILED: ("date", "请填写日期,例如 2017-12-15。"),
    }
    for title, column in positions.items():
        letter = get_column_letter(column)
        area = f"{letter}{HEADER_ROW + 1}:{letter}{last}"
        if title == L.COL_MEETS:
            check = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
            check.error = "请选择“是”或“否”。"
        elif title in rules:
            kind, message = rules[title]
            if kind == "date":
                check = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
            else:
                check = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            check.error = message
        else:
            continue
        check.errorTitle = "输入有误"
        check.showErrorMessage = True
        sheet.add_data_validation(check)
        check.add(area)


def _identity(sheet, campaign: Campaign, rubric: Rubric, secret: bytes) -> None:
    """The ledger's identity (a very hidden sheet), sealed by the workspace secret: ingest recognises it
    whatever the file is called, and no one without the secret can make one."""
    values = {
        layout.ID_FORMAT: layout.LEDGER_FORMAT_NAME, layout.ID_CAMPAIGN: campaign.campaign_id,
        layout.ID_YEAR: str(campaign.year), layout.ID_RUBRIC: rubric.id, layout.ID_RUBRIC_VERSION: rubric.version,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(),
    }
    values[layout.ID_MAC] = seal(secret, values, LEDGER_FIELDS)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"
