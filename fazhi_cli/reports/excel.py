"""The ranked Excel summary (`<年度>年度法治政府建设考核结果汇总.xlsx`) written from a Scoreboard.

Sheets, in order:

- `区级部门排名`, `乡镇(街道)排名`: one ranked table per unit type (section subtotals, special bonus and
  deduction, total, converted score, grade when the campaign defines bands, basis, remarks) and a native
  bar chart of the totals below the table.
- `明细-区级部门`, `明细-乡镇(街道)`: every item's counted score per unit (office values shaded).
- `自评与核定对比`: the items where the counted score is not what the unit claimed, and every unit's totals.
- `未报送`: the units that returned nothing, with their contacts from the roster.

No arithmetic happens here: every number, count and reason comes from the results model
(`Scoreboard.model`, computed by `domain.report_model`); this module only lays it out. Numbers
are written as numbers (two decimals); every piece of unit-supplied text is written as text.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.comparison import UnitComparison, change_label
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.results import BASIS_LABELS, UnitResult
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS, Section
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.workbook.layout import format_points
from fazhi_cli.workbook.style import (
    BOLD,
    BORDER,
    CENTER,
    HEADER_FILL,
    SCORE_FORMAT,
    TITLE_FONT,
    WRAP,
    clean_text,
    fit_row_height,
    print_setup,
    write_text,
)

SHEET_COMPARE = "自评与核定对比"
SHEET_MISSING = "未报送"
SHEET_NOTES = "失分与说明"
SHEET_TEAMS = "考核组"
TEAMS_COLUMNS = (("考核组", 16), ("核定的单位", 60), ("核定得分(项)", 14), ("与其他考核组不一致(项)", 22))
NOTES_HEADER_ROW = 3
NOTES_COLUMNS = (("单位", 14), ("类型", 10), ("编号", 7), ("考核项目", 22), ("分值", 7), ("得分", 8), ("失分", 8),
                 ("扣分说明(单位填报)", 48))

RANK_HEADER_ROW = 3
DETAIL_ID_ROW = 3
DETAIL_NAME_ROW = 4
COMPARE_HEADER_ROW = 3
MISSING_HEADER_ROW = 3

OFFICE_FILL = PatternFill("solid", fgColor="E2EFDA")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
ALERT_FONT = Font(color="C00000")
NOTE_FONT = Font(color="595959")
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
MIDDLE = Alignment(vertical="center")
LEFT_MIDDLE = Alignment(horizontal="left", vertical="center")
SMALL_FONT = Font(size=9)

COMPARE_COLUMNS = (
    ("单位", 16), ("类型", 11), ("编号", 8), ("考核项目", 24), ("分值", 7), ("自评得分", 9), ("得分上限", 9),
    ("核定得分", 9), ("计分得分", 9), ("差额", 8), ("说明", 30), ("扣分说明(单位填报)", 30),
)
MISSING_COLUMNS = (("单位", 20), ("类型", 12), ("联系人", 12), ("联系电话", 16), ("电子邮箱", 28))




class _Restyler:
    """The style ids an assignment gives, remembered for one workbook."""

    def __init__(self) -> None:
        self.after: dict[tuple, StyleArray] = {}
        self.kept: list[object] = []  # the values keyed by id: alive, so no other object takes their id


_RESTYLERS: WeakKeyDictionary[Workbook, _Restyler] = WeakKeyDictionary()


def restyle(cell, attribute: str, value: object) -> None:
    """`setattr(cell, attribute, value)` for a style (font, fill, alignment, border, number_format), remembered:
    openpyxl hashes the style object on every assignment (most of this workbook's writing time), while the same
    assignment to a cell styled the same way always gives the same style ids, which are copied instead."""
    book = cell.parent.parent
    restyler = _RESTYLERS.get(book)
    if restyler is None:
        restyler = _RESTYLERS[book] = _Restyler()
    current = cell._style  # None: a new cell, not styled yet
    key = (None if current is None else tuple(current), attribute, id(value))
    styled = restyler.after.get(key)
    if styled is None:
        setattr(cell, attribute, value)
        restyler.after[key] = StyleArray(cell._style)
        restyler.kept.append(value)
    else:
        cell._style = StyleArray(styled)


def ranking_sheet_name(unit_type: str) -> str:
    """区级部门排名 / 乡镇(街道)排名."""
    return f"{UNIT_TYPE_LABELS[unit_type]}排名"


def detail_sheet_name(unit_type: str) -> str:
    """明细-区级部门 / 明细-乡镇(街道)."""
    return f"明细-{UNIT_TYPE_LABELS[unit_type]}"


def write_number(cell, value: Decimal | int | None) -> None:
    """A score as an Excel number with two decimals shown (blank for None); 83.2 reads back as 83.2."""
    if value is None:
        cell.value = None
    else:
        cell.value = float(cents(Decimal(value)))
    restyle(cell, "number_format", SCORE_FORMAT)


def section_header(section: Section) -> str:
    """e.g. 一、依法科学民主决策(15)."""
    lead = f"{section.numeral}、" if section.numeral else f"{section.id}. "
    return f"{lead}{section.name}({format_points(section.max)})"


def scored(board: Scoreboard, unit_type: str) -> list[UnitResult]:
    """The units of a type that returned, in rank order."""
    return list(board.model.of_type(unit_type).ranked)


def write_summary_workbook(board: Scoreboard, path: Path,
                           compared: tuple[int, dict[str, UnitComparison]] | None = None) -> None:
    """Write the ranked summary workbook to `path` (written to a temporary name, then renamed); with `compared`
    (the last kept year's comparisons) the ranking sheets add 上年得分, 上年名次 and 升降."""
    book = Workbook()
    book.remove(book.active)
    types = list(board.rubric.types)
    for unit_type in types:
        _write_ranking(book.create_sheet(ranking_sheet_name(unit_type)), board, unit_type,
                       compared[1] if compared else None)
    for unit_type in types:
        _write_detail(book.create_sheet(detail_sheet_name(unit_type)), board, unit_type)
    _write_compare(book.create_sheet(SHEET_COMPARE), board)
    _write_notes(book.create_sheet(SHEET_NOTES), board)
    _write_missing(book.create_sheet(SHEET_MISSING), board)
    if board.teams:
        _write_teams(book.create_sheet(SHEET_TEAMS), board)
    book.properties.title = clean_text(f"{board.campaign.title}{board.state.label}")
    book.properties.creator = clean_text(board.campaign.office)
    atomic_write(path, book.save)


def _title(sheet: Worksheet, board: Scoreboard, title: str, subtitle: str, width: int) -> None:
    """Rows 1 and 2: the title, then which results these are (初步结果 / 审定结果 …) and the sheet's explanation."""
    subtitle = f"【{board.state.headline}】{subtitle}"
    last = get_column_letter(max(width, 1))
    sheet.merge_cells(f"A1:{last}1")
    write_text(sheet["A1"], title)
    restyle(sheet["A1"], "font", TITLE_FONT)
    restyle(sheet["A1"], "alignment", CENTER)
    sheet.row_dimensions[1].height = 28
    sheet.merge_cells(f"A2:{last}2")
    write_text(sheet["A2"], subtitle)
    restyle(sheet["A2"], "font", NOTE_FONT)
    restyle(sheet["A2"], "alignment", LEFT_MIDDLE)


def _header(sheet: Worksheet, line: int, columns: list[tuple[str, float]]) -> None:
    for index, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(line, index)
        write_text(cell, title)
        restyle(cell, "font", BOLD)
        restyle(cell, "fill", HEADER_FILL)
        restyle(cell, "alignment", CENTER)
        restyle(cell, "border", BORDER)
        sheet.column_dimensions[get_column_letter(index)].width = width
    fit_row_height(sheet, line, {i: w for i, (_, w) in enumerate(columns, start=1)})


def _box(sheet: Worksheet, line: int, columns: int) -> None:
    for index in range(1, columns + 1):
        restyle(sheet.cell(line, index), "border", BORDER)


def _name_width(results: list[UnitResult], minimum: int = 14) -> int:
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in r.unit) for r in results), default=0)
    return max(minimum, min(longest + 2, 40))


def _write_previous(sheet: Worksheet, line: int, column: int, found: UnitComparison | None) -> None:
    """上年得分, 上年名次 and 升降 of one unit from `column` ("—" for a unit not in last year's results)."""
    previous = found.previous if found is not None else None
    if previous is not None:
        write_number(sheet.cell(line, column), previous.total)
    if previous is not None and previous.rank is not None:
        write_number(sheet.cell(line, column + 1), previous.rank)
    else:
        write_text(sheet.cell(line, column + 1), "—")
    write_text(sheet.cell(line, column + 2), change_label(found))
    for offset in (1, 2):
        restyle(sheet.cell(line, column + offset), "alignment", CENTER)


def _write_ranking(sheet: Worksheet, board: Scoreboard, unit_type: str,
                   compared: dict[str, UnitComparison] | None = None) -> None:
    type_rubric = board.rubric.for_type(unit_type)
    summary = board.model.of_type(unit_type)
    results = list(summary.ranked)
    graded = bool(board.campaign.grades)
    columns: list[tuple[str, float]] = [("名次", 6), ("单位", _name_width(results)), ("自评总分", 9)]
    columns += [(section_header(s), 11) for s in type_rubric.sections]
    columns += [("特别加分", 8), ("特别扣分", 8), ("总分", 9)]
    components = summary.components  # (name, weight): none without [components]
    if components:
        columns += [*((f"{name}({format_points(weight)}%)", 12) for name, weight in components), ("综合得分", 9)]
    columns.append(("折算分", 8))
    if graded:
        columns.append(("等次", 8))
    columns.append(("计分依据", 9))
    if compared is not None:
        columns += [("上年得分", 9), ("上年名次", 8), ("升降", 7)]
    columns.append(("备注", 24))
    label = UNIT_TYPE_LABELS[unit_type]
    provisional = summary.provisional
    weight = board.campaign.weight(unit_type)
    conversion = (f"折算分 = 总分 × {format_points(weight)} ÷ 100。" if weight is not None else
                  f"{label}的折算权重未设置,不计算折算分(在 fazhi.toml 的 [weights] 中设置 {unit_type})。")
    subtitle = (f"{type_rubric.label}:已报送 {summary.returned} 个单位,"
                f"未报送 {summary.missing_count} 个(不排名,见“{SHEET_MISSING}”表)"
                f"{f',其中 {provisional} 个尚有校验错误(暂定)' if provisional else ''}。"
                f"自评总分为单位自评表所填(各项自评得分之和加减其自报的特别加分、扣分);"
                f"总分 = 各部分计分得分之和 + 特别加分 − 特别扣分,与自评总分的差见“{SHEET_COMPARE}”表。"
                f"{conversion}" + (f"{summary.combination},排名按综合得分。" if components else ""))
    _title(sheet, board, f"{board.campaign.title}{board.state.label}——{label}", subtitle, len(columns))
    _header(sheet, RANK_HEADER_ROW, columns)
    line = RANK_HEADER_ROW
    for result in results:
        line += 1
        restyle(sheet.cell(line, 1, result.rank), "alignment", CENTER)
        write_text(sheet.cell(line, 2), result.unit)
        values = [result.claimed_total, *(result.subtotals.get(s.id) for s in type_rubric.sections)]
        values += [result.bonus, result.penalty, result.total]
        if components:
            values += [*(result.components.get(name) for name, _ in components), result.combined]
        values.append(result.converted)
        for index, value in enumerate(values, start=3):
            write_number(sheet.cell(line, index), value)
        total_cell = sheet.cell(line, _total_column(type_rubric) + (len(components) + 1 if components else 0))
        restyle(total_cell, "font", BOLD)
        column = 3 + len(values)
        if graded:
            write_text(sheet.cell(line, column), result.grade or "")
            restyle(sheet.cell(line, column), "alignment", CENTER)
            column += 1
        write_text(sheet.cell(line, column), BASIS_LABELS.get(result.basis or "", ""))
        restyle(sheet.cell(line, column), "alignment", CENTER)
        if compared is not None:
            _write_previous(sheet, line, column + 1, compared.get(result.unit))
            column += 3
        remark = sheet.cell(line, column + 1)
        write_text(remark, board.model.units[result.unit].remark)
        restyle(remark, "font", ALERT_FONT)
        _box(sheet, line, len(columns))
    if not results:
        write_text(sheet.cell(line + 1, 1), "暂无已报送的单位。")
    caps = board.model.caps_of(unit_type)
    if results and caps:  # max_share: the places of each capped grade and who was moved down
        write_text(sheet.cell(line + 1, 1), "注:" + ";".join(cap.text for cap in caps) + "。")
        restyle(sheet.cell(line + 1, 1), "font", NOTE_FONT)
    sheet.freeze_panes = sheet.cell(RANK_HEADER_ROW + 1, 3)
    print_setup(sheet, landscape=True, title_rows=f"{RANK_HEADER_ROW}:{RANK_HEADER_ROW}")
    if results:
        _add_chart(sheet, board, unit_type, line, total_column=_total_column(type_rubric))


def _total_column(type_rubric) -> int:
    """The 总分 column of a ranking sheet: after 名次, 单位, 自评总分, the sections, 特别加分 and 特别扣分."""
    return 4 + len(type_rubric.sections) + 2


def _add_chart(sheet: Worksheet, board: Scoreboard, unit_type: str, last_line: int, total_column: int) -> None:
    """A horizontal bar chart of the totals (rank 1 at the top), anchored below the table."""
    count = last_line - RANK_HEADER_ROW
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = f"{board.campaign.year}年度{UNIT_TYPE_LABELS[unit_type]}法治政府建设考核总分"
    chart.y_axis.title = "总分"
    chart.x_axis.title = "单位"
    values = Reference(sheet, min_col=total_column, min_row=RANK_HEADER_ROW, max_row=last_line)
    names = Reference(sheet, min_col=2, min_row=RANK_HEADER_ROW + 1, max_row=last_line)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(names)
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # first row (rank 1) at the top
    chart.y_axis.crosses = "max"  # and the value axis still at the bottom
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = float(board.rubric.max_total(unit_type))
    chart.y_axis.majorUnit = 10
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                     showPercent=False)
    chart.gapWidth = 60
    chart.width = 24
    chart.height = max(7.5, 0.6 * count + 3)
    sheet.add_chart(chart, f"B{last_line + 3}")


def _write_detail(sheet: Worksheet, board: Scoreboard, unit_type: str) -> None:
    type_rubric = board.rubric.for_type(unit_type)
    reports = board.model.ranked_units(unit_type)
    results = [report.result for report in reports]
    items = type_rubric.items
    label = UNIT_TYPE_LABELS[unit_type]
    columns: list[tuple[str, float]] = [("单位", _name_width(results)), ("类型", 11)]
    columns += [(item.id, 9) for item in items]
    columns += [("特别加分", 8), ("特别扣分", 8), ("总分", 9)]
    _title(sheet, board, f"{board.campaign.title}各项得分明细——{label}",
           "表中为计分得分(已核定的按核定得分,其余按单位自评:超过得分上限的按上限计,未填的按 0 计);"
           "绿色底纹为法制办核定后与自评不同的得分。",
           len(columns))
    _header(sheet, DETAIL_ID_ROW, columns)
    names = ["", ""] + [f"{item.name}({format_points(item.max)}分)" for item in items]
    max_bonus = format_points(board.rubric.special.max_bonus)
    names += [f"最高 {max_bonus} 分", "", f"满分 {format_points(type_rubric.total)}"]
    for index, text in enumerate(names, start=1):
        cell = sheet.cell(DETAIL_NAME_ROW, index)
        write_text(cell, text)
        restyle(cell, "font", SMALL_FONT)
        restyle(cell, "fill", HEADER_FILL)
        restyle(cell, "alignment", CENTER)
        restyle(cell, "border", BORDER)
    for index in (1, 2):
        sheet.merge_cells(start_row=DETAIL_ID_ROW, start_column=index, end_row=DETAIL_NAME_ROW, end_column=index)
    fit_row_height(sheet, DETAIL_NAME_ROW, {i: w for i, (_, w) in enumerate(columns, start=1)}, line_height=12)
    line = DETAIL_NAME_ROW
    for report in reports:
        result = report.result
        line += 1
        write_text(sheet.cell(line, 1), result.unit)
        write_text(sheet.cell(line, 2), label)
        for index, item_line in enumerate(report.items, start=3):
            cell = sheet.cell(line, index)
            write_number(cell, item_line.score)
            if item_line.office_changed:
                restyle(cell, "fill", OFFICE_FILL)
        column = 3 + len(items)
        for offset, value in enumerate((result.bonus, result.penalty, result.total)):
            write_number(sheet.cell(line, column + offset), value)
        restyle(sheet.cell(line, column + 2), "font", BOLD)
        _box(sheet, line, len(columns))
    if not results:
        write_text(sheet.cell(line + 1, 1), "暂无已报送的单位。")
    sheet.freeze_panes = sheet.cell(DETAIL_NAME_ROW + 1, 3)
    print_setup(sheet, landscape=True, title_rows=f"{DETAIL_ID_ROW}:{DETAIL_NAME_ROW}")


def _write_compare(sheet: Worksheet, board: Scoreboard) -> None:
    columns = list(COMPARE_COLUMNS)
    _title(sheet, board, f"{board.campaign.title}自评与核定对比",
           "列出计分得分与单位自评不一致的项目(法制办核定改动、超过得分上限或未填),以及每个已报送单位的总分。"
           "自评得分为单位所填(未填按 0),总分行的自评得分为单位自评表所填各项之和加减其自报的特别加分、扣分;"
           "差额 = 计分得分 − 自评得分,为对总分的影响,一个单位各行差额之和即其总分行的差额。",
           len(columns))
    _header(sheet, COMPARE_HEADER_ROW, columns)
    line = COMPARE_HEADER_ROW
    for row in board.model.differences:
        line += 1
        _compare_row(sheet, line, (row.unit, row.type_label, row.ref, row.name),
                     (row.max, row.claimed, row.ceiling, row.office, row.counted, row.difference), row.reason, row.note)
        if row.is_total:
            for index in range(1, len(columns) + 1):
                restyle(sheet.cell(line, index), "fill", TOTAL_FILL)
                restyle(sheet.cell(line, index), "font", BOLD)
    if line == COMPARE_HEADER_ROW:
        write_text(sheet.cell(line + 1, 1), "暂无已报送的单位。")
    else:
        sheet.auto_filter.ref = f"A{COMPARE_HEADER_ROW}:{get_column_letter(len(columns))}{line}"
    sheet.freeze_panes = sheet.cell(COMPARE_HEADER_ROW + 1, 2)
    print_setup(sheet, landscape=True, title_rows=f"{COMPARE_HEADER_ROW}:{COMPARE_HEADER_ROW}")


def _compare_row(sheet: Worksheet, line: int, texts: tuple[str, ...], numbers: tuple, reason: str, note: str) -> None:
    for index, text in enumerate(texts, start=1):
        write_text(sheet.cell(line, index), text)
        restyle(sheet.cell(line, index), "alignment", WRAP)
    for index, value in enumerate(numbers, start=len(texts) + 1):
        write_number(sheet.cell(line, index), value)
        restyle(sheet.cell(line, index), "alignment", MIDDLE)
    column = len(texts) + len(numbers) + 1
    write_text(sheet.cell(line, column), reason)
    write_text(sheet.cell(line, column + 1), note)
    for index in (column, column + 1):
        restyle(sheet.cell(line, index), "alignment", LEFT)
    _box(sheet, line, column + 1)
    widths = {index: width for index, (_, width) in enumerate(COMPARE_COLUMNS, start=1) if index in (4, 11, 12)}
    fit_row_height(sheet, line, widths)


def _write_missing(sheet: Worksheet, board: Scoreboard) -> None:
    columns = list(MISSING_COLUMNS)
    units = board.model.missing
    _title(sheet, board, f"{board.campaign.title}未报送单位",
           f"截至汇总时未报送自评材料的单位共 {board.model.headline.missing} 个(不参加排名)。报送截止日期:"
           f"{board.campaign.deadline.isoformat()}。", len(columns))
    _header(sheet, MISSING_HEADER_ROW, columns)
    line = MISSING_HEADER_ROW
    for unit in units:
        line += 1
        for index, value in enumerate((unit.name, UNIT_TYPE_LABELS[unit.type], unit.contact, unit.phone, unit.email),
                                      start=1):
            write_text(sheet.cell(line, index), value)
        _box(sheet, line, len(columns))
    if not units:
        write_text(sheet.cell(line + 1, 1), "全部单位均已报送。")
    sheet.freeze_panes = sheet.cell(MISSING_HEADER_ROW + 1, 2)
    print_setup(sheet, landscape=False, title_rows=f"{MISSING_HEADER_ROW}:{MISSING_HEADER_ROW}")


def _write_teams(sheet: Worksheet, board: Scoreboard) -> None:
    """Each review team (考核组): the units it set office values for, how many, and how many disagree with
    another team's (not used until settled)."""
    columns = list(TEAMS_COLUMNS)
    _title(sheet, board, f"{board.campaign.title}考核组复核情况",
           "各考核组核定得分的单位和项数;两个考核组对同一单位同一项目核定的得分不一致时,两者都不采用,"
           "直到一方撤销或改为一致,或由法制办核定。", len(columns))
    _header(sheet, MISSING_HEADER_ROW, columns)
    line = MISSING_HEADER_ROW
    for team in board.teams:
        line += 1
        write_text(sheet.cell(line, 1), team.team)
        write_text(sheet.cell(line, 2), "、".join(team.units))
        sheet.cell(line, 3).value = team.values  # counts, not scores
        sheet.cell(line, 4).value = team.conflicts
        _box(sheet, line, len(columns))
    print_setup(sheet, landscape=True, title_rows=f"{MISSING_HEADER_ROW}:{MISSING_HEADER_ROW}")


def _write_notes(sheet: Worksheet, board: Scoreboard) -> None:
    """Every item where a unit lost points, with the unit's own 扣分说明 (written as text, never a formula)."""
    columns = list(NOTES_COLUMNS)
    _title(sheet, board, f"{board.campaign.title}失分项目与单位说明",
           "各单位失分的项目及其填报的扣分说明(原文照录)。", len(columns))
    _header(sheet, NOTES_HEADER_ROW, columns)
    line = NOTES_HEADER_ROW
    for unit_type in board.rubric.types:
        for report in board.model.ranked_units(unit_type):
            for item in report.lost_items:
                line += 1
                texts = (report.result.unit, UNIT_TYPE_LABELS[unit_type], item.id, item.name)
                for index, value in enumerate(texts, start=1):
                    write_text(sheet.cell(line, index), value)
                write_number(sheet.cell(line, 5), item.max)
                write_number(sheet.cell(line, 6), item.score)
                write_number(sheet.cell(line, 7), item.lost)
                write_text(sheet.cell(line, 8), item.note)
                _box(sheet, line, len(columns))
    sheet.freeze_panes = sheet.cell(NOTES_HEADER_ROW + 1, 2)
    sheet.auto_filter.ref = f"A{NOTES_HEADER_ROW}:{get_column_letter(len(columns))}{max(line, NOTES_HEADER_ROW)}"
    print_setup(sheet, landscape=True, title_rows=f"{NOTES_HEADER_ROW}:{NOTES_HEADER_ROW}")

