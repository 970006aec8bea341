"""Writing the office's 整改复核表 (`fazhi rectify review-sheet`): one row per owing unit and item, showing what the
unit's current 整改 return reported, with the office's 销号 (是/否) and 复核意见 as the only input cells
(`rectify.closures` reads it back).

The sheet shows the closures in force (销号 是 and their 复核意见 pre-filled), so that it is always the current state;
the id of the last 销号 decision (or withdrawal) is sealed into it, so that ingest knows what it showed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.domain.identity import RECTIFY_REVIEW_FIELDS, seal
from fazhi_cli.domain.rectification import CLOSE, WITHDRAW_CLOSE, Closure, RectifyReport
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.rectify import layout as cols
from fazhi_cli.rectify.owed import Owed, approved_owed
from fazhi_cli.rectify.status import stored_reports
from fazhi_cli.store import Decision, Store
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import (
    BORDER,
    HEADER_FILL,
    INPUT_FILL,
    UNLOCKED,
    fit_row_height,
    print_setup,
    protect,
    write_text,
)
from fazhi_cli.workspace import Workspace
from fazhi_cli.workspace.names import rectify_review_file_name

HEADER_ROW = 4
NOT_REPORTED = "未报告"  # 完成情况 of an item the unit's current return does not report
WIDTHS = {cols.COL_UNIT: 14, cols.COL_ID: 9, cols.COL_NAME: 18, cols.COL_PROBLEM: 36, cols.COL_DEDUCTION: 7,
          cols.COL_PROGRESS: 9, cols.COL_MEASURES: 30, cols.COL_DONE_ON: 11, cols.COL_EVIDENCE: 20,
          cols.COL_CLOSE: 7, cols.COL_OPINION: 30}
WRAPPED = (cols.COL_NAME, cols.COL_PROBLEM, cols.COL_MEASURES, cols.COL_EVIDENCE, cols.COL_OPINION)
INPUTS = (cols.COL_CLOSE, cols.COL_OPINION)
INSTRUCTIONS = (
    "每个须整改单位的每个问题一行,“完成情况”至“佐证材料”为该单位最近一次报回的整改清单。只需在“销号”中选择“是”或“否”,"
    "并填写“复核意见”:单位未报“已完成”(推进中、未启动或未报告)的问题销号时,必须写明复核意见,否则该行不予采用。"
    "已销号的问题显示为“是”;改为“否”或清空即撤回销号。改好后用 fazhi ingest 文件路径 收回。"
)


@dataclass(frozen=True)
class ClosureInForce:
    """The closure in force on one item (`closure.closed` False once withdrawn) and the decision that made it."""

    closure: Closure
    decision_id: int


def closure_history(store: Store) -> list[Decision]:
    """The office's 销号 decisions and their withdrawals, in the order taken."""
    return [d for d in store.decisions() if d.action in (CLOSE, WITHDRAW_CLOSE)]


def closures_upto(history: Iterable[Decision], upto: int | None = None) -> dict[str, dict[str, ClosureInForce]]:
    """Each unit's latest 销号 decision per item (with `upto`, as they stood once the decision of that id was
    recorded): what a sheet written then showed."""
    found: dict[str, dict[str, ClosureInForce]] = {}
    for decision in history:
        if decision.unit is None or decision.id is None or (upto is not None and decision.id > upto):
            continue
        ref = str(decision.detail.get("ref", ""))
        closure = Closure(ref, decision.action == CLOSE, str(decision.detail.get("opinion", "")))
        found.setdefault(decision.unit, {})[ref] = ClosureInForce(closure, decision.id)
    return found


def write_rectify_review(workspace: Workspace, folder: Path | None = None) -> Path:
    """Write the 整改复核表 (into review/ by default) after the approval (a `UsageError` before); returns the file."""
    owed = approved_owed(workspace, "整改复核")
    with workspace.open_store() as store:
        _, reports = stored_reports(store)
        history = closure_history(store)
    upto = history[-1].id if history else 0
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = cols.SHEET_RECTIFY_REVIEW
    _heading(sheet, owed)
    last = _rows(sheet, owed, reports, closures_upto(history))
    _inputs(sheet, last)
    _identity(book.create_sheet(layout.SHEET_IDENTITY), owed, upto or 0, workspace.secret())
    target_folder = folder or workspace.review
    target_folder.mkdir(exist_ok=True)
    target = target_folder / rectify_review_file_name(owed.board.campaign.year)
    atomic_write(target, book.save)
    return target


def _heading(sheet, owed: Owed) -> None:
    """Title, how to fill it in, and the header row."""
    write_text(sheet["A1"], f"{owed.board.campaign.title}整改复核表")
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(sheet["A2"], INSTRUCTIONS)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(cols.REVIEW_COLUMNS))
    sheet.row_dimensions[2].height = 48
    for index, title in enumerate(cols.REVIEW_COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[title]


def _row_values(unit: str, item, report: RectifyReport | None, shown: ClosureInForce | None) -> dict[str, object]:
    closed = shown is not None and shown.closure.closed
    return {
        cols.COL_UNIT: unit, cols.COL_ID: item.ref, cols.COL_NAME: item.name, cols.COL_PROBLEM: item.problem,
        cols.COL_DEDUCTION: float(item.deduction),
        cols.COL_PROGRESS: (report.progress or NOT_REPORTED) if report else NOT_REPORTED,
        cols.COL_MEASURES: report.measures if report else "", cols.COL_DONE_ON: report.done_on if report else None,
        cols.COL_EVIDENCE: report.evidence if report else "",
        cols.COL_CLOSE: "是" if closed else "", cols.COL_OPINION: shown.closure.opinion if closed else "",
    }


def _rows(sheet, owed: Owed, reports: dict[str, dict[str, RectifyReport]],
          closures: dict[str, dict[str, ClosureInForce]]) -> int:
    """One row per owing unit and item; returns the last row written."""
    positions = {title: index for index, title in enumerate(cols.REVIEW_COLUMNS, start=1)}
    widths = {positions[title]: WIDTHS[title] for title in WRAPPED}
    line = HEADER_ROW
    for unit, items in owed.items.items():
        for item in items:
            line += 1
            values = _row_values(unit, item, reports.get(unit, {}).get(item.ref),
                                 closures.get(unit, {}).get(item.ref))
            for title, value in values.items():
                cell = sheet.cell(line, positions[title])
                if isinstance(value, str):
                    write_text(cell, value)
                else:
                    cell.value = value
                cell.border = BORDER
                cell.alignment = Alignment(wrap_text=title in WRAPPED, vertical="top")
            sheet.cell(line, positions[cols.COL_DEDUCTION]).number_format = "0.00"
            sheet.cell(line, positions[cols.COL_DONE_ON]).number_format = "yyyy-mm-dd"
            fit_row_height(sheet, line, widths)
    return line


def _inputs(sheet, last: int) -> None:
    """Only 销号 (a 是/否 list) and 复核意见 open; the rest protected; printable on A4 landscape."""
    positions = {title: index for index, title in enumerate(cols.REVIEW_COLUMNS, start=1)}
    for line in range(HEADER_ROW + 1, last + 1):
        for title in INPUTS:
            cell = sheet.cell(line, positions[title])
            cell.fill = INPUT_FILL
            cell.protection = UNLOCKED
    letter = get_column_letter(positions[cols.COL_CLOSE])
    check = DataValidation(type="list", formula1=f'"{",".join(cols.CLOSE_CHOICES)}"', allow_blank=True)
    check.error, check.errorTitle, check.showErrorMessage = "请选择“是”或“否”。", "输入有误", True
    sheet.add_data_validation(check)
    check.add(f"{letter}{HEADER_ROW + 1}:{letter}{max(last, HEADER_ROW + 1)}")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    protect(sheet)
    sheet.protection.autoFilter = False
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(cols.REVIEW_COLUMNS))}{max(last, HEADER_ROW)}"
    print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _identity(sheet, owed: Owed, upto: int, secret: bytes) -> None:
    """The sheet's identity (a very hidden sheet), sealed by the workspace secret: the approval its items come from
    and the last 销号 decision it shows (`closures_upto`)."""
    campaign = owed.board.campaign
    values = {
        layout.ID_FORMAT: cols.RECTIFY_REVIEW_FORMAT_NAME, layout.ID_CAMPAIGN: campaign.campaign_id,
        layout.ID_YEAR: str(campaign.year), cols.ID_APPROVAL: owed.approval,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(), cols.ID_CLOSURES_UPTO: str(upto),
    }
    values[layout.ID_MAC] = seal(secret, values, RECTIFY_REVIEW_FIELDS)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"
