"""Writes a unit's 整改 workbook (整改清单) with openpyxl: a title block (the campaign, the unit, the
整改截止日期, what to do), the header, one row per item it owes (编号, 考核项目, 问题 and 扣分 locked, the unit's
four columns unlocked), a hidden sheet with the 完成情况 list, and a very hidden identity sheet sealed by the
workspace secret.

Every text the office or the unit wrote is written as text (never a formula); the sheet prints on A4 landscape,
fitted to the width, the header repeated on every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.identity import RECTIFY_FIELDS, seal
from fazhi_cli.domain.rectification import PROGRESS, RectifyItem
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.rectify import layout
from fazhi_cli.workbook import layout as book_layout
from fazhi_cli.workbook.inputs import cell_number, mark_input
from fazhi_cli.workbook.style import (
    BORDER,
    CENTER,
    HEADER_FILL,
    PROTECTION_PASSWORD,
    WRAP,
    fit_row_height,
    print_setup,
    protect,
    write_text,
)
from fazhi_cli.workbook.writer import write_identity


def items_fingerprint(items: Sequence[RectifyItem]) -> str:
    """The fingerprint of what a 整改 workbook asks: each item's 编号, 问题 and 扣分, in order (SHA-256, hex)."""
    canonical = json.dumps([[i.ref, i.problem, str(i.deduction)] for i in items], ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def rectify_identity(campaign: Campaign, unit: Unit, items: Sequence[RectifyItem], approval: str, secret: bytes,
                     generated_at: dt.datetime | None = None) -> dict[str, str]:
    """The identity a unit's 整改 workbook carries, sealed over `RECTIFY_FIELDS` by the office's secret."""
    moment = generated_at or office_now()
    values = {
        book_layout.ID_FORMAT: layout.RECTIFY_FORMAT_NAME,
        book_layout.ID_CAMPAIGN: campaign.campaign_id,
        book_layout.ID_YEAR: str(campaign.year),
        book_layout.ID_UNIT: unit.name,
        book_layout.ID_UNIT_TYPE: unit.type,
        layout.ID_APPROVAL: approval,
        book_layout.ID_FINGERPRINT: items_fingerprint(items),
        book_layout.ID_GENERATED: moment.replace(microsecond=0).isoformat(),
    }
    values[book_layout.ID_MAC] = seal(secret, values, RECTIFY_FIELDS)
    return values


def write_rectify_workbook(path: Path, campaign: Campaign, unit: Unit, items: Sequence[RectifyItem],
                           deadline: dt.date, identity: dict[str, str]) -> None:
    """Write the unit's 整改 workbook to `path` (a temporary name, then renamed), carrying `identity`
    (`rectify_identity`)."""
    atomic_write(path, build_rectify_workbook(campaign, unit, items, deadline, identity).save)


def build_rectify_workbook(campaign: Campaign, unit: Unit, items: Sequence[RectifyItem], deadline: dt.date,
                           identity: dict[str, str]) -> Workbook:
    """The 整改 workbook: the 整改清单, the hidden list of 完成情况, the identity."""
    book = Workbook()
    sheet = book.active
    sheet.title = layout.SHEET_RECTIFY
    _write_lists(book.create_sheet(book_layout.SHEET_LISTS))
    write_identity(book.create_sheet(book_layout.SHEET_IDENTITY), identity)
    _write_sheet(sheet, campaign, unit, items, deadline)
    book.active = 0
    book.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)
    return book


def _write_lists(sheet: Worksheet) -> None:
    """The 完成情况 list for the drop-down (WPS mangles inline lists, so it lives on a hidden sheet)."""
    for index, progress in enumerate(PROGRESS, start=1):
        sheet.cell(index, 1, progress)
    sheet.sheet_state = "hidden"
    protect(sheet)


def _write_sheet(sheet: Worksheet, campaign: Campaign, unit: Unit, items: Sequence[RectifyItem],
                 deadline: dt.date) -> None:
    width = len(layout.RECTIFY_COLUMNS)
    last_letter = get_column_letter(width)
    write_text(sheet["A1"], f"{campaign.title}整改清单")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = CENTER
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet.row_dimensions[1].height = 30
    write_text(sheet["A2"], f"单位:{unit.name}")
    write_text(sheet["E2"], f"整改截止日期:{deadline.year}年{deadline.month}月{deadline.day}日")
    sheet.merge_cells("A2:D2")
    sheet.merge_cells(f"E2:{last_letter}2")
    for cell in (sheet["A2"], sheet["E2"]):
        cell.font = Font(bold=True, size=12)
    write_text(sheet["A3"], layout.INSTRUCTION)
    sheet["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(f"A3:{last_letter}3")
    sheet.row_dimensions[3].height = 36
    _write_header(sheet)
    widths = {index: layout.COLUMN_WIDTHS[title] for index, title in enumerate(layout.RECTIFY_COLUMNS, start=1)}
    validations = _validations(sheet)
    for line, item in enumerate(items, start=layout.HEADER_ROW + 1):
        _write_item(sheet, line, item, validations)
        fit_row_height(sheet, line, widths, line_height=15)
        sheet.row_dimensions[line].height = max(sheet.row_dimensions[line].height or 0, 48)
    sheet.freeze_panes = sheet.cell(layout.HEADER_ROW + 1, 1)
    print_setup(sheet, landscape=True, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}")
    protect(sheet)


def _write_header(sheet: Worksheet) -> None:
    for index, title in enumerate(layout.RECTIFY_COLUMNS, start=1):
        cell = sheet.cell(layout.HEADER_ROW, index)
        write_text(cell, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = layout.COLUMN_WIDTHS[title]
    sheet.row_dimensions[layout.HEADER_ROW].height = 22


def _validations(sheet: Worksheet) -> dict[str, DataValidation]:
    """The drop-down of 完成情况 and the date check of 完成时间 (the reader checks again: nothing typed is trusted)."""
    progress = DataValidation(type="list", formula1=f"{book_layout.SHEET_LISTS}!$A$1:$A${len(PROGRESS)}",
                              allow_blank=True)
    progress.promptTitle, progress.prompt = "完成情况", "从下拉列表中选择:已完成、推进中或未启动。"
    progress.error = "请从下拉列表中选择:已完成、推进中或未启动。"
    done_on = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    done_on.promptTitle, done_on.prompt = "完成时间", "填写完成日期,例如 2018-03-01。"
    done_on.error = "请填写日期,例如 2018-03-01。"
    for check in (progress, done_on):
        check.errorTitle = "输入有误"
        check.errorStyle = "stop"
        check.showInputMessage = check.showErrorMessage = True
        sheet.add_data_validation(check)
    return {layout.COL_PROGRESS: progress, layout.COL_DONE_ON: done_on}


def _write_item(sheet: Worksheet, line: int, item: RectifyItem, validations: dict[str, DataValidation]) -> None:
    fixed = {layout.COL_ID: item.ref, layout.COL_NAME: item.name, layout.COL_PROBLEM: item.problem}
    for index, title in enumerate(layout.RECTIFY_COLUMNS, start=1):
        cell = sheet.cell(line, index)
        cell.border = BORDER
        cell.alignment = CENTER if title in (layout.COL_ID, layout.COL_DEDUCTION, layout.COL_PROGRESS,
                                             layout.COL_DONE_ON) else WRAP
        if title in fixed:
            write_text(cell, fixed[title])
        elif title == layout.COL_DEDUCTION:
            cell.value = cell_number(item.deduction)
        else:
            mark_input(cell, validations.get(title))
            if title == layout.COL_DONE_ON:
                cell.number_format = layout.DATE_FORMAT
