"""Writing the office's review sheets (复核打分表): one per unit type, pre-filled (`review.take` reads them back).

Rows are the units that returned, pre-filled with the score that currently counts (the office's value
where it already set one, else the self score as it counts: capped at the ceiling the unit's facts
imply). The office overwrites what it changes; every non-blank cell of a row in a returned sheet is
recorded as the office's 核定得分 for that unit, so re-running anything never erases it.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.clock import office_now
from fazhi_cli.domain.identity import REVIEW_SHEET_FIELDS, seal
from fazhi_cli.domain.numbers import plain_number
from fazhi_cli.domain.results import MISSING
from fazhi_cli.files import atomic_write
from fazhi_cli.scoring import Scoreboard, compute_scores
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import HEADER_FILL, INPUT_FILL, print_setup, write_text
from fazhi_cli.workspace import Workspace, review_file_name

SHEET_REVIEW = "复核打分表"
COL_UNIT = "单位名称"
COL_BONUS = "特别加分"
COL_PENALTY = "特别扣分"
HEADER_ROW = 4




def _number(value):
    """A score as the sheet's cell holds it: at most two decimals, never -0."""
    return plain_number(value)


def write_review_sheets(workspace: Workspace, folder: Path | None = None) -> list[Path]:
    """Write one pre-filled 复核打分表 per unit type (into review/ by default); returns the files written."""
    board = compute_scores(workspace)
    secret = workspace.secret()
    target_folder = folder or workspace.root / "review"
    target_folder.mkdir(exist_ok=True)
    written = []
    for unit_type in board.rubric.types:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = SHEET_REVIEW
        _review_heading(sheet, board, unit_type)
        _review_rows(sheet, board, unit_type)
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
        print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        _review_identity(book.create_sheet(layout.SHEET_IDENTITY), board, unit_type, secret)
        target = target_folder / review_file_name(board.campaign.year, unit_type)
        atomic_write(target, book.save)
        written.append(target)
    return written


def _review_heading(sheet, board: Scoreboard, unit_type: str) -> None:
    """Title, how to fill it, the items' names and maxima, and the header row of IDs."""
    type_rubric = board.rubric.for_type(unit_type)
    columns = [COL_UNIT, *[i.id for i in type_rubric.items], COL_BONUS, COL_PENALTY]
    write_text(sheet["A1"], f"{board.campaign.title}复核打分表({type_rubric.label})")
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(sheet["A2"], "每行为一个已报送单位,已预填当前计分(自评得分不超过其得分上限;已核定的为核定得分)。"
                            "请直接改写需要调整的得分;留空表示采用单位自评得分。改好后用 fazhi ingest 收回。")
    for index, item in enumerate(type_rubric.items, start=2):
        cell = sheet.cell(HEADER_ROW - 1, index, f"{item.name}({layout.format_points(item.max)}分)")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(size=9)
    sheet.cell(HEADER_ROW - 1, len(columns) - 1, f"最高 {layout.format_points(board.rubric.special.max_bonus)} 分")
    sheet.row_dimensions[HEADER_ROW - 1].height = 60
    for index, title in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index == 1 else 9


def _review_rows(sheet, board: Scoreboard, unit_type: str) -> None:
    """One row per returned unit, pre-filled with what counts now; each score limited to its 分值."""
    items = board.rubric.for_type(unit_type).items
    limits = [i.max for i in items] + [board.rubric.special.max_bonus, None]
    validations: dict = {}
    line = HEADER_ROW
    for result in board.of_type(unit_type):
        if result.status == MISSING:
            continue
        line += 1
        write_text(sheet.cell(line, 1), result.unit)
        values = [result.items[i.id].score for i in items] + [result.bonus, result.penalty]
        for index, (limit, value) in enumerate(zip(limits, values, strict=True), start=2):
            cell = sheet.cell(line, index, _number(value))
            cell.number_format = "0.00"
            cell.fill = INPUT_FILL
            cell.protection = Protection(locked=False)
            if limit is not None:
                if limit not in validations:
                    validations[limit] = DataValidation(type="decimal", operator="between", formula1="0",
                                                        formula2=str(_number(limit)), allow_blank=True)
                    validations[limit].error = f"核定得分应在 0 至 {layout.format_points(limit)} 之间。"
                    validations[limit].errorTitle = "输入有误"
                    validations[limit].showErrorMessage = True
                    sheet.add_data_validation(validations[limit])
                validations[limit].add(cell)


def _review_identity(sheet, board: Scoreboard, unit_type: str, secret: bytes) -> None:
    """The review sheet's identity (a very hidden sheet), sealed by the workspace secret, so that ingest
    recognises it whatever its name and no unit can make one."""
    values = {
        layout.ID_FORMAT: layout.REVIEW_FORMAT_NAME, layout.ID_CAMPAIGN: board.campaign.campaign_id,
        layout.ID_YEAR: str(board.campaign.year), layout.ID_UNIT_TYPE: unit_type,
        layout.ID_RUBRIC: board.rubric.id, layout.ID_RUBRIC_VERSION: board.rubric.version,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(),
    }
    values[layout.ID_MAC] = seal(secret, values, REVIEW_SHEET_FIELDS)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"


