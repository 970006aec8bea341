"""Writing the office's review sheets (复核打分表): one per unit type, in long form (`review.take` reads them back).

One row per returned unit and item, then the unit's 特别加分 and 特别扣分 rows. The locked reference
columns show what the unit claimed, the ceiling its facts imply and the validation findings on the item;
the only input cells are 核定得分 and 核定理由. They show the office's values already set (so the sheet
is always the current state) and are otherwise empty: a self score is never copied in as the office's.

A review team's (考核组) sheet holds only the units assigned to it and shows the team's own values; the office's
own sheet shows what each team set among the 问题 (`fazhi review-sheet --team NAME --unit UNIT …`).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.domain.identity import REVIEW_SHEET_FIELDS, TEAM_REVIEW_SHEET_FIELDS, seal
from fazhi_cli.domain.numbers import plain_or_none
from fazhi_cli.domain.results import MISSING, UnitResult
from fazhi_cli.domain.review_checks import BONUS, PENALTY, item_refs
from fazhi_cli.domain.text import printable, without_invisible
from fazhi_cli.domain.units import Unit, roster_spelling
from fazhi_cli.errors import UsageError
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


def write_review_sheets(workspace: Workspace, folder: Path | None = None, team: str | None = None,
                        names: list[str] | None = None) -> list[Path]:
    """Write one 复核打分表 per unit type (into review/ by default); returns the files written.

    With `team`, the sheets are that review team's (考核组): only the units `names` (all assessed units when none),
    the team in their title, file name and sealed identity, showing the team's own values; a type none of its
    units is of gets no sheet."""
    rubric, campaign, units = workspace.rubric(), workspace.campaign(), workspace.units()
    team = clean_team_name(team) if team is not None else ""
    assigned = assigned_units(workspace.roster(campaign), names) if team else None
    with workspace.open_store() as store:
        board = build_scoreboard(store, rubric, campaign, units)
        layers = store.review_layers()
        upto = store.last_review_id()
    office = layers.get(team, {})
    others = {} if team else {name: layer for name, layer in layers.items() if name}
    secret = workspace.secret()
    target_folder = folder or workspace.root / "review"
    target_folder.mkdir(exist_ok=True)
    written = []
    for unit_type in board.rubric.types:
        chosen = None if assigned is None else [u.name for u in assigned if u.type == unit_type]
        if chosen == []:
            continue
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = SHEET_REVIEW
        _review_heading(sheet, board, unit_type, team)
        _review_rows(sheet, board, unit_type, office, chosen, others)
        sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.autoFilter = False
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, HEADER_ROW)}"
        print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        _review_identity(book.create_sheet(layout.SHEET_IDENTITY), board, unit_type, upto, secret, team, chosen)
        target = target_folder / review_file_name(board.campaign.year, unit_type, team)
        atomic_write(target, book.save)
        written.append(target)
    return written


TEAM_NAME_MAX = 30


def clean_team_name(typed: str) -> str:
    """A review team's name as the clerk typed it, cleaned (full-width kept, invisible and control characters
    and surrounding spaces removed); a blank or overlong name is a `UsageError`."""
    name = " ".join(without_invisible(printable(unicodedata.normalize("NFC", typed))).split())
    if not name:
        raise UsageError("考核组名称不能为空", "请用 --team 写明考核组名称,例如 --team 第一考核组。")
    if len(name) > TEAM_NAME_MAX:
        raise UsageError(f"考核组名称太长(最多 {TEAM_NAME_MAX} 个字)", "请用简短的名称,例如 第一考核组。")
    return name


def assigned_units(roster: list[Unit], names: list[str] | None) -> list[Unit]:
    """The assessed units a review team reviews: the roster's spelling of each name given (all assessed units when
    none); a name not on the roster, or of a unit not assessed, is a `UsageError`."""
    if not names:
        return [unit for unit in roster if unit.assessed]
    known = {unit.name: unit for unit in roster}
    spelled = {name: roster_spelling(name, known) for name in names}
    unknown = [printable(name) for name, found in spelled.items() if found is None]
    if unknown:
        raise UsageError(f"名单中没有这些单位:{'、'.join(unknown)}",
                         "请检查单位名称是否与单位名单一致(fazhi status 可列出全部单位)。")
    not_assessed = [found for found in dict.fromkeys(spelled.values()) if found and not known[found].assessed]
    if not_assessed:
        raise UsageError(f"这些单位在名单中标为不参加考核,不生成复核打分表:{'、'.join(not_assessed)}",
                         "请只列出参加考核的单位。")
    return [known[found] for found in dict.fromkeys(spelled.values()) if found is not None]


def _review_heading(sheet, board: Scoreboard, unit_type: str, team: str) -> None:
    """Title (with the review team, on a team's sheet), how to fill it, and the header row."""
    type_rubric = board.rubric.for_type(unit_type)
    title = f"{board.campaign.title}复核打分表({type_rubric.label})"
    write_text(sheet["A1"], f"{title} — {team}" if team else title)
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


def _team_lines(unit: str, others: dict[str, dict[str, dict[str, ReviewEntry]]]) -> dict[str, list[str]]:
    """On the office's own sheet: what each review team set for the unit, by ref."""
    lines: dict[str, list[str]] = {}
    for team in sorted(others):
        for ref, entry in others[team].get(unit, {}).items():
            reason = f"({entry.reason})" if entry.reason else ""
            lines.setdefault(ref, []).append(f"【考核组】{team}核定 {entry.raw}{reason}")
    return lines


def _review_rows(sheet, board: Scoreboard, unit_type: str, office: dict[str, dict[str, ReviewEntry]],
                 chosen: list[str] | None = None, others: dict[str, dict[str, dict[str, ReviewEntry]]] | None = None,
                 ) -> None:
    """One row per returned unit (of `chosen`, when given) and item, then its special rows; only 核定得分 and
    核定理由 are open. `office` holds the values the sheet's own source (the office, or its team) set; `others`, on
    the office's sheet, the review teams' (shown among the 问题)."""
    type_rubric = board.rubric.for_type(unit_type)
    owners = item_refs(type_rubric)
    owners.update({rule.id: BONUS for rule in board.rubric.special.bonus})
    owners.update({rule.id: PENALTY for rule in board.rubric.special.penalty})
    positions = {title: index for index, (title, _) in enumerate(COLUMNS, start=1)}
    validations: dict = {}
    refused = board.not_adopted()
    line = HEADER_ROW
    for result in board.of_type(unit_type):
        if result.status == MISSING or (chosen is not None and result.unit not in chosen):
            continue
        problems = _problems(board, result.unit, owners)
        for ref, lines in _team_lines(result.unit, others or {}).items():
            problems.setdefault(ref, []).extend(lines)
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


def _review_identity(sheet, board: Scoreboard, unit_type: str, upto: int, secret: bytes, team: str = "",
                     chosen: list[str] | None = None) -> None:
    """The review sheet's identity (a very hidden sheet), sealed by the workspace secret, so that ingest
    recognises it whatever its name and no unit can make one; `upto` (the last office value recorded) tells
    ingest which office values the sheet showed; a review team's sheet also seals the team and its units."""
    values = {
        layout.ID_FORMAT: layout.REVIEW_FORMAT_NAME, layout.ID_CAMPAIGN: board.campaign.campaign_id,
        layout.ID_YEAR: str(board.campaign.year), layout.ID_UNIT_TYPE: unit_type,
        layout.ID_RUBRIC: board.rubric.id, layout.ID_RUBRIC_VERSION: board.rubric.version,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(),
        layout.ID_REVIEWS_UPTO: str(upto),
    }
    fields = REVIEW_SHEET_FIELDS
    if team:  # a review team's sheet: the team and its units sealed too, so that no row can join another team
        values[layout.ID_TEAM] = team
        values[layout.ID_TEAM_UNITS] = json.dumps(chosen or [], ensure_ascii=False)
        fields = TEAM_REVIEW_SHEET_FIELDS
    values[layout.ID_MAC] = seal(secret, values, fields)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"


