"""The 自评表 sheet of the self-assessment workbook: one row per section, item, rule and fact, with live formulas
for the deduction each fact implies, each item's ceiling and the running totals (mirroring `domain.scoring`,
ROUND to two decimals so Excel's binary floats show 4.4, not 4.3999…), the signature block, and page breaks
between sections for printing."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.kinds import ROW_FACT, ROW_GROUP, ROW_RULE, kind_of
from fazhi_cli.domain.units import Unit
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.inputs import Validations, cell_number, mark_input
from fazhi_cli.workbook.layout import Row
from fazhi_cli.workbook.pages import Block, page_height, plan_breaks, print_scale
from fazhi_cli.workbook.style import (
    ALERT_FILL,
    BOLD,
    BORDER,
    CENTER,
    COMPUTED_FILL,
    HEADER_FILL,
    SCORE_FORMAT,
    SECTION_FILL,
    TITLE_FONT,
    WRAP,
    fit_row_height,
    print_setup,
    protect,
    write_text,
)

HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
COLUMN_OF = {title: index for index, title in enumerate(layout.SCORE_COLUMNS, start=1)}
WIDTHS = {
    layout.COL_MATTER: 12, layout.COL_ID: 8, layout.COL_CONTENT: 30, layout.COL_STANDARD: 50, layout.COL_MAX: 6,
    layout.COL_FACT: 8, layout.COL_DEDUCTION: 8, layout.COL_CEILING: 8, layout.COL_SCORE: 9, layout.COL_NOTE: 26,
    layout.COL_EVIDENCE: 22,
}
TEXT_WIDTHS = (layout.COL_CONTENT, layout.COL_STANDARD)  # the columns whose wrapped text sets a row's height

TITLE_HEIGHT = 24
LINE_HEIGHT = 18
FORM_HEIGHT = 24
SIDE_MARGIN, TOP_MARGIN = 0.4, 0.5  # inches, as style.print_setup sets them


def col(title: str) -> str:
    """The column letter of a 自评表 column title."""
    return get_column_letter(COLUMN_OF[title])


def write_scores(sheet: Worksheet, campaign: Campaign, unit: Unit, rows: list[Row]) -> None:
    """Write the 自评表 on `sheet`: its heading, the `rows` (`layout.score_rows`) with their formulas and inputs, the
    live total, the signature block, the print setup and page breaks; then protect it."""
    validations = Validations(sheet)
    last_col = get_column_letter(len(layout.SCORE_COLUMNS))
    sheet.merge_cells(f"A1:{last_col}1")
    write_text(sheet["A1"], f"{campaign.title}自评表")
    sheet["A1"].font = TITLE_FONT
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = TITLE_HEIGHT
    sheet.merge_cells(f"A2:{col(layout.COL_DEDUCTION)}2")
    deadline = campaign.deadline
    write_text(sheet["A2"], f"填报单位:{unit.name}    单位类型:{unit.type_label}    "
                            f"报送截止:{deadline.year}年{deadline.month}月{deadline.day}日")
    sheet["A2"].font = BOLD
    sheet.merge_cells(f"A3:{last_col}3")
    write_text(sheet["A3"], "黄色单元格为填报项;绿色单元格自动计算。"
                            "考核事项、考核内容、评分标准和分值为评分细则原文,请勿修改。")
    for title, index in COLUMN_OF.items():
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[title]
    for line in (2, 3, HEADER_ROW):
        sheet.row_dimensions[line].height = LINE_HEIGHT
    row_of = {id(row): FIRST_DATA_ROW + offset for offset, row in enumerate(rows)}
    widths = {COLUMN_OF[t]: WIDTHS[t] for t in TEXT_WIDTHS}
    for row in rows:
        _write_score_row(sheet, row, row_of[id(row)], rows, row_of, validations)
        fit_row_height(sheet, row_of[id(row)], widths)
    _merge_matters(sheet, rows, row_of)
    total_row = row_of[id(rows[-1])]
    _write_total_summary(sheet, total_row)
    sheet.row_dimensions[total_row + 1].height = LINE_HEIGHT
    last_line = _write_form_fields(sheet, unit, total_row + 2)
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    print_setup(sheet, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _break_pages(sheet, rows, row_of, last_line)
    protect(sheet)


def _merge_matters(sheet: Worksheet, rows: list[Row], row_of: dict[int, int]) -> None:
    """考核事项 spans its section's rows, as in the document's table (its text on the section's first row)."""
    matter = COLUMN_OF[layout.COL_MATTER]
    starts = [row_of[id(row)] for row in rows if row.role in ("section", "special")]
    ends = [line - 1 for line in starts[1:]] + [row_of[id(rows[-1])] - 1]
    for first, last in zip(starts, ends, strict=True):
        sheet.cell(first, matter).alignment = Alignment(vertical="top", wrap_text=True)
        if last > first:
            sheet.merge_cells(start_row=first, start_column=matter, end_row=last, end_column=matter)


def _write_form_fields(sheet: Worksheet, unit: Unit, first: int) -> int:
    """The block every 自评表 carries (填报单位(盖章), 负责人, 填报人, 联系电话, 填报日期): each label with the unit's
    entry in the cell to its right, found by the label on return. Returns the block's last line."""
    label_columns = (COLUMN_OF[layout.COL_CONTENT], COLUMN_OF[layout.COL_NOTE])
    line = first
    for index, label in enumerate(layout.FORM_FIELDS):
        line = first + index // 2
        title = sheet.cell(line, label_columns[index % 2])
        write_text(title, label)
        title.font = BOLD
        title.alignment = Alignment(horizontal="right", vertical="center")
        entry = sheet.cell(line, label_columns[index % 2] + 1)
        entry.border = BORDER
        entry.alignment = WRAP
        mark_input(entry)
        if label == layout.FORM_UNIT:
            write_text(entry, unit.name)
        sheet.row_dimensions[line].height = FORM_HEIGHT
    return line


def _break_pages(sheet: Worksheet, rows: list[Row], row_of: dict[int, int], last_line: int) -> None:
    """Manual page breaks between sections where possible (see `pages`), so that no printed page holds only a
    few rows: blocks are a section with its first item, each further item with its rule rows, and the specials
    with the total and the signature block."""
    starts: list[tuple[int, bool]] = []
    for index, row in enumerate(rows):
        if row.role in ("section", "special"):
            starts.append((row_of[id(row)], True))
        elif row.role == "item" and rows[index - 1].role != "section":
            starts.append((row_of[id(row)], False))
    ends = [first - 1 for first, _ in starts[1:]] + [last_line]
    height = {line: sheet.row_dimensions[line].height or LINE_HEIGHT for line in range(1, last_line + 1)}
    blocks = [Block(first, sum(height[n] for n in range(first, end + 1)), opens)
              for (first, opens), end in zip(starts, ends, strict=True)]
    scale = print_scale([WIDTHS[t] for t in layout.SCORE_COLUMNS], landscape=True, side_margins=SIDE_MARGIN)
    capacity = page_height(landscape=True, top_bottom_margins=TOP_MARGIN, scale=scale, repeated=height[HEADER_ROW])
    above = sum(height[n] for n in range(1, HEADER_ROW))
    for line in plan_breaks(blocks, capacity, capacity - above):
        sheet.row_breaks.append(Break(id=line))


def _write_total_summary(sheet: Worksheet, total_row: int) -> None:
    """The live total, repeated at the top so the unit sees it while filling."""
    label = sheet[f"{col(layout.COL_CEILING)}2"]
    write_text(label, "自评总分")
    label.font = BOLD
    label.alignment = CENTER
    top = sheet[f"{col(layout.COL_SCORE)}2"]
    top.value = f"={col(layout.COL_SCORE)}{total_row}"
    top.number_format = SCORE_FORMAT
    top.font = BOLD
    top.fill = COMPUTED_FILL


def _cells_of(rows: list[Row], row_of: dict[int, int], roles: tuple[str, ...], item_id: str | None = None) -> list[int]:
    return [
        row_of[id(row)] for row in rows if row.role in roles and (item_id is None or row.item_id == item_id)
    ]


def _capped(line: int) -> str:
    score, ceiling = col(layout.COL_SCORE), col(layout.COL_CEILING)
    # VALUE() also counts a number stored as text ("4.4"), as the product does
    return f"MIN(MAX(IFERROR(VALUE({score}{line}),0),0),{ceiling}{line})"


def _write_score_row(
    sheet: Worksheet,
    row: Row,
    line: int,
    rows: list[Row],
    row_of: dict[int, int],
    validations: Validations,
) -> None:
    c = {title: sheet.cell(line, index) for title, index in COLUMN_OF.items()}
    for cell in c.values():
        cell.border = BORDER
        cell.alignment = WRAP
    write_text(c[layout.COL_MATTER], row.matter)
    if row.role not in ("section", "special"):
        write_text(c[layout.COL_ID], row.id)
    write_text(c[layout.COL_CONTENT], row.content)
    write_text(c[layout.COL_STANDARD], row.standard)
    c[layout.COL_ID].alignment = CENTER
    if row.max is not None:
        c[layout.COL_MAX].value = cell_number(row.max)
        c[layout.COL_MAX].alignment = CENTER
    fact, deduction, ceiling, score = (
        c[layout.COL_FACT], c[layout.COL_DEDUCTION], c[layout.COL_CEILING], c[layout.COL_SCORE]
    )
    for cell in (deduction, ceiling, score):
        cell.number_format = SCORE_FORMAT
    f, g, h, i = (col(t) for t in (layout.COL_FACT, layout.COL_DEDUCTION, layout.COL_CEILING, layout.COL_SCORE))
    if row.role == "section" or row.role == "special":
        for cell in c.values():
            cell.fill = SECTION_FILL
            cell.font = BOLD
        if row.role == "section":
            items = _section_item_lines(rows, row_of, row)
            ceiling.value = "=" + "+".join(f"{h}{n}" for n in items)
            score.value = "=ROUND(" + "+".join(_capped(n) for n in items) + ",2)"
    elif row.role == "item":
        c[layout.COL_CONTENT].font = BOLD
        rule_lines = _cells_of(rows, row_of, (ROW_RULE, ROW_GROUP), row.id)
        deduction.value = "=ROUND(" + "+".join(f"{g}{n}" for n in rule_lines) + ",2)" if rule_lines else 0
        ceiling.value = f"=MAX(0,{col(layout.COL_MAX)}{line}-{g}{line})"
        for cell in (deduction, ceiling):
            cell.fill = COMPUTED_FILL
        mark_input(score, validations.score(row.max))
        mark_input(c[layout.COL_NOTE])
        mark_input(c[layout.COL_EVIDENCE])
        sheet.conditional_formatting.add(
            f"{i}{line}", FormulaRule(formula=[f"AND(ISNUMBER({i}{line}),{i}{line}>{h}{line})"], fill=ALERT_FILL)
        )
    elif row.role == ROW_FACT and row.id not in row.rule.counted_fact_ids():
        deduction.value = 0  # a month not assessed this campaign: nothing to fill, nothing deducted
        for cell in c.values():
            cell.font = Font(color="808080")
    elif row.role in (ROW_RULE, ROW_FACT, "bonus", "penalty"):
        kind = kind_of(row.rule)
        mark_input(fact, validations.answer(kind.answer))
        deduction.value = "=" + kind.excel_deduction(row.rule, f"{f}{line}")
        deduction.fill = COMPUTED_FILL
        if row.role == "bonus":
            mark_input(c[layout.COL_EVIDENCE])
        if row.role == ROW_FACT:
            c[layout.COL_ID].font = Font(color="595959")
    elif row.role == ROW_GROUP:
        facts = _cells_of(rows, row_of, (ROW_FACT,), row.item_id)
        facts = [n for n in facts if rows[n - FIRST_DATA_ROW].rule is row.rule]
        deduction.value = "=ROUND(" + "+".join(f"{g}{n}" for n in facts) + ",2)"
        deduction.fill = COMPUTED_FILL
    elif row.role == "total":
        for cell in c.values():
            cell.fill = HEADER_FILL
            cell.font = BOLD
        items = _cells_of(rows, row_of, ("item",))
        bonus = _cells_of(rows, row_of, ("bonus",))
        penalty = _cells_of(rows, row_of, ("penalty",))
        score.value = (
            "=MAX(0,ROUND(" + "+".join(_capped(n) for n in items)
            + f"+MAX({','.join(f'{g}{n}' for n in bonus)})"
            + f"-({'+'.join(f'{g}{n}' for n in penalty)}),2))"
        )
        ceiling.value = "=" + "+".join(f"{h}{n}" for n in items)


def _section_item_lines(rows: list[Row], row_of: dict[int, int], section: Row) -> list[int]:
    start = rows.index(section) + 1
    lines = []
    for row in rows[start:]:
        if row.role in ("section", "special", "total"):
            break
        if row.role == "item":
            lines.append(row_of[id(row)])
    return lines
