"""Writes a unit's self-assessment workbook (自评表) with openpyxl.

Live formulas show the deduction each fact implies, each item's ceiling and the running totals; they
mirror `domain.scoring` (ROUND to two decimals so Excel's binary floats show 4.4, not 4.3999…). Only the
input cells are unlocked; the identity sheet lets ingest recognise the file without the unit typing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.identity import SELF_ASSESSMENT_FIELDS, seal
from fazhi_cli.domain.kinds import (
    ANSWER_WHOLE,
    ANSWER_YES_NO,
    MONTHLY,
    ROW_FACT,
    ROW_GROUP,
    ROW_RULE,
    kind_of,
    months_text,
)
from fazhi_cli.domain.rubric import Rubric, Task
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.layout import Row
from fazhi_cli.workbook.pages import Block, page_height, plan_breaks, print_scale
from fazhi_cli.workbook.style import (
    ALERT_FILL,
    BOLD,
    BORDER,
    CENTER,
    COMPUTED_FILL,
    HEADER_FILL,
    INPUT_FILL,
    PROTECTION_PASSWORD,
    SCORE_FORMAT,
    SECTION_FILL,
    TITLE_FONT,
    UNLOCKED,
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

GUIDE_WIDTH = 80
TITLE_HEIGHT = 24
LINE_HEIGHT = 18
FORM_HEIGHT = 24
SIDE_MARGIN, TOP_MARGIN = 0.4, 0.5  # inches, as style.print_setup sets them


def col(title: str) -> str:
    """The column letter of a 自评表 column title."""
    return get_column_letter(COLUMN_OF[title])


def _points(value: Decimal) -> int | float:
    """A rubric number as an Excel number: 10 stays an integer, 0.2 becomes the float 0.2."""
    return int(value) if value == value.to_integral_value() else float(value)


class _Validations:
    """The data validations of one sheet, with Chinese prompts and error messages."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.yes_no = self._add(
            DataValidation(type="list", formula1=f"{layout.SHEET_LISTS}!$A$1:$A$2", allow_blank=True),
            "请选择", "从下拉列表中选择“是”或“否”。", "请从下拉列表中选择“是”或“否”。",
        )
        self.whole = self._add(
            DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
            "请填写次数", "填写大于或等于 0 的整数;没有发生填 0。", "只能填写大于或等于 0 的整数。",
        )
        self.status = self._add(
            DataValidation(type="list", formula1=f"{layout.SHEET_LISTS}!$B$1:$B$3", allow_blank=True),
            "完成情况", "从下拉列表中选择:已完成、推进中或未启动。", "请从下拉列表中选择:已完成、推进中或未启动。",
        )
        self.score_by_max: dict[Decimal, DataValidation] = {}

    def _add(self, validation: DataValidation, prompt_title: str, prompt: str, error: str) -> DataValidation:
        validation.promptTitle = prompt_title
        validation.prompt = prompt
        validation.errorTitle = "输入有误"
        validation.error = error
        validation.errorStyle = "stop"  # Excel and WPS refuse the entry (not just warn): no "7分" in a number cell
        validation.showInputMessage = True
        validation.showErrorMessage = True
        self.sheet.add_data_validation(validation)
        return validation

    def answer(self, answer: str) -> DataValidation:
        """The validation of a rule's answer cell, as its kind asks (是/否 or a whole number ≥ 0)."""
        return {ANSWER_YES_NO: self.yes_no, ANSWER_WHOLE: self.whole}[answer]

    def score(self, maximum: Decimal) -> DataValidation:
        """A decimal between 0 and the item's maximum (one validation object per maximum)."""
        if maximum not in self.score_by_max:
            self.score_by_max[maximum] = self._add(
                DataValidation(
                    type="decimal", operator="between", formula1="0", formula2=str(_points(maximum)), allow_blank=True
                ),
                "请填写自评得分", f"填写 0 至 {layout.format_points(maximum)} 之间的分数,可保留两位小数。",
                f"自评得分应在 0 至 {layout.format_points(maximum)} 之间。",
            )
        return self.score_by_max[maximum]


def write_self_assessment(
    path: Path, campaign: Campaign, rubric: Rubric, unit: Unit, secret: bytes, generated_at: dt.datetime | None = None
) -> None:
    """Write the whole workbook for one unit to `path` (written to a temporary name, then renamed).

    Its identity is sealed with the workspace `secret`, so that ingest can tell it from a forgery. This is the
    reference writer; `workbook.templates` writes many units' workbooks as this one would, faster.
    """
    identity = identity_values(campaign, rubric, unit, fingerprint(rubric, unit.type), secret, generated_at)
    atomic_write(path, build_workbook(campaign, rubric, unit, identity).save)


def build_workbook(
    campaign: Campaign, rubric: Rubric, unit: Unit, identity: dict[str, str], shown_name: str | None = None
) -> Workbook:
    """The unit's workbook, carrying `identity` (see `identity_values`).

    `shown_name` is the text written wherever the workbook shows the unit's name (its own name by default); the
    unit's tasks and their roles are still those of `unit` itself.
    """
    workbook = Workbook()
    guide = workbook.active
    guide.title = layout.SHEET_GUIDE
    rows = layout.score_rows(rubric.for_type(unit.type), rubric)
    tasks = [(task, task.role(unit.name, unit.type)) for task in rubric.tasks_for(unit.name, unit.type)]
    shown = unit if shown_name is None else replace(unit, name=shown_name)
    scores = workbook.create_sheet(layout.SHEET_SCORES)
    tasks_sheet = workbook.create_sheet(layout.SHEET_TASKS)
    targets = workbook.create_sheet(layout.SHEET_TARGETS)
    _write_lists(workbook.create_sheet(layout.SHEET_LISTS))
    _write_identity(workbook.create_sheet(layout.SHEET_IDENTITY), identity)
    _write_guide(guide, campaign, rubric, shown)
    _write_scores(scores, campaign, shown, rows)
    _write_tasks(tasks_sheet, campaign, shown, tasks)
    _write_targets(targets, campaign, rubric, shown)
    workbook.active = 1
    workbook.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)
    return workbook


def _write_lists(sheet: Worksheet) -> None:
    """The lookup lists for data validation (WPS mangles inline lists, so they live on a sheet)."""
    for index, answer in enumerate(layout.YES_NO, start=1):
        sheet.cell(index, 1, answer)
    for index, status in enumerate(layout.TASK_STATUSES, start=1):
        sheet.cell(index, 2, status)
    sheet.sheet_state = "hidden"
    protect(sheet)


def fingerprint(rubric: Rubric, unit_type: str) -> str:
    """The fingerprint of the fixed content of a unit type's 自评表 (see `layout.fixed_content`)."""
    return layout.fixed_content(layout.expected_fixed_rows(layout.score_rows(rubric.for_type(unit_type), rubric)))


def identity_values(
    campaign: Campaign, rubric: Rubric, unit: Unit, fixed: str, secret: bytes, generated_at: dt.datetime | None
) -> dict[str, str]:
    """The identity a unit's workbook carries (`fixed`: the `fingerprint` of its type), sealed by the office's
    secret."""
    moment = generated_at or office_now()
    values = {
        layout.ID_FORMAT: layout.FORMAT_NAME,
        layout.ID_FORMAT_VERSION: layout.FORMAT_VERSION,
        layout.ID_CAMPAIGN: campaign.campaign_id,
        layout.ID_YEAR: str(campaign.year),
        layout.ID_UNIT: unit.name,
        layout.ID_UNIT_TYPE: unit.type,
        layout.ID_RUBRIC: rubric.id,
        layout.ID_RUBRIC_VERSION: rubric.version,
        layout.ID_FINGERPRINT: fixed,
        layout.ID_GENERATED: moment.replace(microsecond=0).isoformat(),
    }
    values[layout.ID_MAC] = seal(secret, values, SELF_ASSESSMENT_FIELDS)
    return values


def _write_identity(sheet: Worksheet, values: dict[str, str]) -> None:
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"
    protect(sheet)


def _write_guide(sheet: Worksheet, campaign: Campaign, rubric: Rubric, unit: Unit) -> None:
    type_rubric = rubric.for_type(unit.type)
    deadline = f"{campaign.deadline.year}年{campaign.deadline.month}月{campaign.deadline.day}日"
    case_deadline = f"{campaign.case_deadline.month}月{campaign.case_deadline.day}日"
    monthly = [rule for item in type_rubric.items for rule in item.rules if rule.kind == MONTHLY.name]
    lines = [
        (f"{campaign.title}自评表 填报说明", TITLE_FONT),
        (f"填报单位:{unit.name}    单位类型:{unit.type_label}", BOLD),
        (f"评分细则:{rubric.title}({' '.join(p for p in (type_rubric.attachment, type_rubric.label) if p)})", None),
        ("一、填报什么", BOLD),
        ("1. 在“自评表”中,对照评分细则原文(考核事项、考核内容、评分标准),如实填写黄色单元格;"
         "其余单元格不能修改。", None),
        ("2. 扣分情形行的“填报值”:是/否 从下拉列表选择;次数填写整数,没有发生填 0。分数和次数只能填数字"
         "(如 8 或 8.5,不要加“分”“次”等字),否则表格会拒绝输入。", None),
        *_monthly_lines(monthly),
        ("4. 绿色的“规则扣分”和“得分上限”根据所填情况自动计算;“自评得分”不能超过“得分上限”,"
         "超过时单元格变红。", None),
        ("5. 有失分的项目,请在“扣分说明”中写明原因;申报特别加分的,请在“佐证材料”中列明证明材料名称。", None),
        ("6. 在“工作任务”表中填写本单位牵头或参与的年度工作任务完成情况(已完成 / 推进中 / 未启动)及说明;"
         "“本单位角色”列标明本单位是牵头单位还是参与单位。", None),
        ("7. 在“自评表”末尾填写填报单位(盖章)、负责人、填报人、联系电话和填报日期;报送纸质件的,请加盖单位公章。", None),
        (f"二、计分口径(评分细则未写明之处,{campaign.office}按以下口径计分)", BOLD),
        ("1. 每项按评分标准扣分,扣完为止,不出现负分;“酌情扣分”在集中考核时核定。", None),
        ("2. 特别加分多项不累加,取最高一项;特别扣分按评分标准逐起计算。", None),
        *([("3. 法治政府建设信息按月分别计算,多报的月份不抵补其他月份;法制办台账有记录的月份按台账计。", None)]
          if monthly else []),
        ("三、何时、报给谁", BOLD),
        (f"请于 {deadline} 前,将本表(请保持 .xlsx 格式)连同年度法治政府建设工作总结和佐证材料"
         f"报送至{campaign.office}。", None),
        (f"行政执法指导案例请于 {case_deadline} 前报送。", None),
        (f"联系人:{campaign.contact}    电话:{campaign.phone}    电子邮箱:{campaign.email}", None),
        ("四、注意", BOLD),
        ("本表已设保护,只能填写黄色单元格。请勿增删工作表或行,也不要改动编号、分值和评分细则的文字:"
         "改动过的表仍会收取,但一律按原评分细则计分,改动之处列为错误,需重新报送未改动的表。", None),
        ("可用 Microsoft Excel、WPS 表格或 LibreOffice 填写;文件名可以修改,系统根据表内信息识别单位。", None),
    ]
    sheet.column_dimensions["A"].width = GUIDE_WIDTH
    for index, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(index, 1)
        write_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
        fit_row_height(sheet, index, {1: GUIDE_WIDTH}, line_height=22 if font is TITLE_FONT else 16)
    print_setup(sheet, landscape=False, title_rows=None, one_page=True)
    protect(sheet)


def _monthly_lines(monthly: list) -> list[tuple[str, Font | None]]:
    """What the guide says about monthly counts: which months are assessed and why the others are not."""
    if not monthly:
        return [("3. 没有按月填报的项目。", None)]
    rule = monthly[0]
    months = set(rule.months)
    skipped = [m for m in range(1, 13) if m not in months]
    text = (f"3. 法治政府建设信息按月填写报送条数(12 行),每月应报送 {rule.quota} 条以上;"
            f"本年度考核{months_text(rule.months)}")
    if skipped:
        text += f",{'、'.join(f'{m}月' for m in skipped)}在报送截止时尚未结束,不纳入本年度考核,不必填写"
    return [(text + "。", None)]


def _write_scores(sheet: Worksheet, campaign: Campaign, unit: Unit, rows: list[Row]) -> None:
    validations = _Validations(sheet)
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
        _input(entry)
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
    validations: _Validations,
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
        c[layout.COL_MAX].value = _points(row.max)
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
        _input(score, validations.score(row.max))
        _input(c[layout.COL_NOTE])
        _input(c[layout.COL_EVIDENCE])
        sheet.conditional_formatting.add(
            f"{i}{line}", FormulaRule(formula=[f"AND(ISNUMBER({i}{line}),{i}{line}>{h}{line})"], fill=ALERT_FILL)
        )
    elif row.role == ROW_FACT and row.id not in row.rule.counted_fact_ids():
        deduction.value = 0  # a month not assessed this campaign: nothing to fill, nothing deducted
        for cell in c.values():
            cell.font = Font(color="808080")
    elif row.role in (ROW_RULE, ROW_FACT, "bonus", "penalty"):
        kind = kind_of(row.rule)
        _input(fact, validations.answer(kind.answer))
        deduction.value = "=" + kind.excel_deduction(row.rule, f"{f}{line}")
        deduction.fill = COMPUTED_FILL
        if row.role == "bonus":
            _input(c[layout.COL_EVIDENCE])
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


def _input(cell, validation: DataValidation | None = None) -> None:
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    if validation is not None:
        validation.add(cell)


def _write_tasks(sheet: Worksheet, campaign: Campaign, unit: Unit, tasks: list[tuple[Task, str]]) -> None:
    validations = _Validations(sheet)
    widths = (6, 20, 24, 60, 18, 24, 8, 10, 30)
    _sheet_heading(sheet, f"{campaign.year}年度法治政府建设工作任务完成情况 — {unit.name}", layout.TASK_COLUMNS, widths)
    for offset, (task, role) in enumerate(tasks):
        line = 4 + offset
        category = f"{task.section}、{task.section_title}" if task.section else task.section_title
        values = (str(task.number), category, task.title, task.text, "、".join(task.lead), "、".join(task.partners),
                  role)
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(line, index)
            write_text(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
        status, note = sheet.cell(line, 8), sheet.cell(line, 9)
        for cell in (status, note):
            cell.border = BORDER
            cell.alignment = WRAP
        _input(status, validations.status)
        _input(note)
        fit_row_height(sheet, line, {index: width for index, width in enumerate(widths, start=1)})
    sheet.freeze_panes = "A4"
    print_setup(sheet, landscape=True, title_rows="3:3")
    protect(sheet)


def _write_targets(sheet: Worksheet, campaign: Campaign, rubric: Rubric, unit: Unit) -> None:
    attachment = "附件1" if unit.type == "department" else "附件2"
    widths = (6, 20, 80, 40)
    _sheet_heading(
        sheet, f"{campaign.year}年法治政府建设目标责任书({attachment})— {unit.name}", layout.TARGET_COLUMNS, widths
    )
    for offset, target in enumerate(rubric.targets.get(unit.type, ())):
        line = 4 + offset
        for index, value in enumerate((str(target.number), target.item, target.content), start=1):
            cell = sheet.cell(line, index)
            write_text(cell, value)
            cell.alignment = WRAP
            cell.border = BORDER
        note = sheet.cell(line, 4)
        note.border = BORDER
        note.alignment = WRAP
        _input(note)
        fit_row_height(sheet, line, {index: width for index, width in enumerate(widths, start=1)})
    sheet.freeze_panes = "A4"
    print_setup(sheet, landscape=True, title_rows="3:3")
    protect(sheet)


def _sheet_heading(sheet: Worksheet, title: str, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    write_text(sheet["A1"], title)
    sheet["A1"].font = TITLE_FONT
    sheet["A1"].alignment = CENTER
    write_text(sheet["A2"], "黄色单元格为填报项。")
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(3, index, name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
