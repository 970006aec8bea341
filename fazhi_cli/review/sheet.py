"""Writing the office's review sheets (复核打分表): one per unit type, in long form (`review.take` reads them back).

One row per returned unit and item, then the unit's 特别加分 and 特别扣分 rows. The locked reference
columns show what the unit claimed, the ceiling its facts imply and the validation findings on the item;
the only input cells are 核定得分 and 核定理由. They show the office's values already set (so the sheet
is always the current state) and are otherwise empty: a self score is never copied in as the office's.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.domain.identity import REVIEW_SHEET_FIELDS, seal
from fazhi_cli.domain.numbers import plain_or_none
from fazhi_cli.domain.results import MISSING, UnitResult
from fazhi_cli.domain.review_checks import BONUS, PENALTY, item_refs
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.scoring import Scoreboard, build_scoreboard
from fazhi_cli.store import ReviewEntry
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import HEADER_FILL, INPUT_FILL, print_setup, write_text
from fazhi_cli.workspace import Workspace, review_file_name

SHEET_REVIEW = "复核打分表"
COL_UNIT = "单位名称"
COL_ID = "编号"
COL_SCORE = "核定得分"
COL_REASON = "核定理由"
COL_EVIDENCE = "佐证材料"  # reference: each file the item names, with its archive path (or 未收到)
REQUIRED_COLUMNS = (COL_UNIT, COL_ID, COL_SCORE, COL_REASON)
ROW_BONUS = "特别加分"
ROW_PENALTY = "特别扣分"
SPECIAL_ROWS = {ROW_BONUS: BONUS, ROW_PENALTY: PENALTY}
HEADER_ROW = 4
# (title, width); 核定得分 and 核定理由 are the only input cells
COLUMNS = ((COL_UNIT, 14), (COL_ID, 8), ("考核内容", 30), ("分值", 7), ("自评得分", 9), ("得分上限", 9),
           ("问题", 40), (COL_SCORE, 10), (COL_REASON, 30), (COL_EVIDENCE, 40))  # evidence last: letters stay
INPUTS = (COL_SCORE, COL_REASON)


def write_review_sheets(workspace: Workspace, folder: Path | None = None) -> list[Path]:
    """Write one 复核打分表 per unit type (into review/ by default); returns the files written."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    with workspace.open_store() as store:
        board = build_scoreboard(store, rubric, campaign, units)
        office = store.office_values()
        upto = store.last_review_id()
    secret = workspace.secret()
    target_folder = folder or workspace.root / "review"
    target_folder.mkdir(exist_ok=True)
    written = []
    for unit_type in board.rubric.types:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = SHEET_REVIEW
        _review_heading(sheet, board, unit_type)
        _review_rows(sheet, board, unit_type, office)
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.autoFilter = False
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, HEADER_ROW)}"
        print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        _review_identity(book.create_sheet(layout.SHEET_IDENTITY), board, unit_type, upto, secret)
        target = target_folder / review_file_name(board.campaign.year, unit_type)
        atomic_write(target, book.save)
        written.append(target)
    return written


def _review_heading(sheet, board: Scoreboard, unit_type: str) -> None:
    """Title, how to fill it, and the header row."""
    type_rubric = board.rubric.for_type(unit_type)
    write_text(sheet["A1"], f"{board.campaign.title}复核打分表({type_rubric.label})")
    sheet["A1"].font = Font(bold=True, size=14)
    write_text(sheet["A2"], "每个已报送单位的每个考核项目一行。只需在“核定得分”中填写法制办核定的得分,"
                            "留空表示采用单位自评(超过得分上限的按上限计);核定得分低于单位自评的,"
                            "须在“核定理由”中写明理由,否则不予采用。已核定的得分会显示在表中;"
                            "清空某个核定得分即撤销该核定。改好后用 fazhi ingest 文件路径 收回。")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 45
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width


def _problems(board: Scoreboard, unit: str, owners: dict[str, str]) -> dict[str, list[str]]:
    """The unit's validation findings by the row they concern (item ID, BONUS or PENALTY)."""
    checked = board.checked(unit)
    found: dict[str, list[str]] = {}
    for finding in checked.findings if checked else ():
        row = owners.get(finding.ref or "")
        if row is not None and not finding.code.startswith("ledger_"):  # the ledger's own lines follow
            label = "【错误】" if finding.severity == "error" else "【提示】"
            found.setdefault(row, []).append(label + finding.message)
    for item_id, kept in (checked.ledger.items() if checked else ()):
        found.setdefault(item_id, []).extend(f"【台账】{line}" for line in kept.lines)
    return found


def _review_rows(sheet, board: Scoreboard, unit_type: str, office: dict[str, dict[str, ReviewEntry]]) -> None:
    """One row per returned unit and item, then its special rows; only 核定得分 and 核定理由 are open."""
    type_rubric = board.rubric.for_type(unit_type)
    owners = item_refs(type_rubric)
    owners.update({rule.id: BONUS for rule in board.rubric.special.bonus})
    owners.update({rule.id: PENALTY for rule in board.rubric.special.penalty})
    positions = {title: index for index, (title, _) in enumerate(COLUMNS, start=1)}
    validations: dict = {}
    refused = board.not_adopted()
    line = HEADER_ROW
    for result in board.of_type(unit_type):
        if result.status == MISSING:
            continue
        problems = _problems(board, result.unit, owners)
        set_now = office.get(result.unit, {})
        for ref, row_id, values in _unit_rows(board, result, type_rubric):
            line += 1
            entry = set_now.get(ref)
            cells = {COL_UNIT: result.unit, COL_ID: row_id, **values,
                     "问题": "\n".join(problems.get(ref, [])) or None,
                     COL_EVIDENCE: evidence_cell(board, result.unit, ref),
                     COL_SCORE: entry.raw if entry else None, COL_REASON: entry.reason if entry else None}
            for title, value in cells.items():
                cell = sheet.cell(line, positions[title])
                if isinstance(value, str):
                    write_text(cell, value)
                else:
                    cell.value = value
                wrapped = title in ("考核内容", "问题", COL_EVIDENCE, COL_REASON)
                cell.alignment = Alignment(wrap_text=wrapped, vertical="top")
            for title in INPUTS:
                cell = sheet.cell(line, positions[title])
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
            if entry is not None and (result.unit, ref) in refused:
                mark_not_adopted(sheet.cell(line, positions[COL_SCORE]), refused[(result.unit, ref)])
            limit = values["分值"]
            if limit is not None:
                if limit not in validations:
                    validations[limit] = DataValidation(type="decimal", operator="between", formula1="0",
                                                        formula2=str(limit), allow_blank=True)
                    validations[limit].error = f"核定得分应在 0 至 {limit} 之间。"
                    validations[limit].errorTitle = "输入有误"
                    validations[limit].showErrorMessage = True
                    sheet.add_data_validation(validations[limit])
                validations[limit].add(sheet.cell(line, positions[COL_SCORE]))


def evidence_cell(board: Scoreboard, unit: str, ref: str) -> str | None:
    """An item's evidence for the office to check before it scores: each named file with its archive path
    (relative to the workspace), or 未收到; None when the item names none."""
    checked = board.checked(unit)
    if checked is None:
        return None
    refs = [rule.id for rule in board.rubric.special.bonus] if ref == BONUS else [ref]
    shown = [checked.evidence[r].shown() for r in refs if r in checked.evidence]
    return "\n".join(text for text in shown if text) or None


def mark_not_adopted(cell, why: str) -> None:
    """Show an office value in force that does not count: red, with the reason in a comment (its value is kept as
    recorded, so that the sheet coming back unchanged changes nothing)."""
    cell.font = Font(color="C00000", bold=True)
    cell.comment = Comment(f"未采用:{why.split('】', 1)[-1]}", "fazhi", width=300, height=110)


def _unit_rows(board: Scoreboard, result: UnitResult, type_rubric):
    """(ref, 编号, reference values) for each row of one unit."""
    for item in type_rubric.items:
        counted = result.items[item.id]
        yield item.id, item.id, {"考核内容": item.name, "分值": plain_or_none(item.max),
                                 "自评得分": plain_or_none(counted.claimed), "得分上限": plain_or_none(counted.ceiling)}
    yield BONUS, ROW_BONUS, {"考核内容": f"特别加分(最高 {layout.format_points(board.rubric.special.max_bonus)} 分)",
                             "分值": plain_or_none(board.rubric.special.max_bonus),
                             "自评得分": plain_or_none(result.self_bonus),
                             "得分上限": None}
    yield PENALTY, ROW_PENALTY, {"考核内容": "特别扣分(填扣减的分数)", "分值": None,
                                 "自评得分": plain_or_none(result.self_penalty), "得分上限": None}


def _review_identity(sheet, board: Scoreboard, unit_type: str, upto: int, secret: bytes) -> None:
    """The review sheet's identity (a very hidden sheet), sealed by the workspace secret, so that ingest
    recognises it whatever its name and no unit can make one; `upto` (the last office value recorded) tells
    ingest which office values the sheet showed."""
    values = {
        layout.ID_FORMAT: layout.REVIEW_FORMAT_NAME, layout.ID_CAMPAIGN: board.campaign.campaign_id,
        layout.ID_YEAR: str(board.campaign.year), layout.ID_UNIT_TYPE: unit_type,
        layout.ID_RUBRIC: board.rubric.id, layout.ID_RUBRIC_VERSION: board.rubric.version,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(),
        layout.ID_REVIEWS_UPTO: str(upto),
    }
    values[layout.ID_MAC] = seal(secret, values, REVIEW_SHEET_FIELDS)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"


