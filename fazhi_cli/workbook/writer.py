"""Writes a unit's self-assessment workbook (自评表) with openpyxl: the guide, the 自评表 (`score_sheet`), the tasks
and targets sheets, the hidden lists and the identity sheet.

Only the input cells are unlocked (`inputs`); the identity sheet lets ingest recognise the file without the unit
typing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.identity import SELF_ASSESSMENT_FIELDS, seal
from fazhi_cli.domain.kinds import MONTHLY, months_text
from fazhi_cli.domain.rubric import Rubric, Task
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.inputs import Validations, mark_input
from fazhi_cli.workbook.score_sheet import write_scores
from fazhi_cli.workbook.style import (
    BOLD,
    BORDER,
    CENTER,
    HEADER_FILL,
    PROTECTION_PASSWORD,
    TITLE_FONT,
    WRAP,
    fit_row_height,
    print_setup,
    protect,
    write_text,
)

GUIDE_WIDTH = 80


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
    write_identity(workbook.create_sheet(layout.SHEET_IDENTITY), identity)
    _write_guide(guide, campaign, rubric, shown)
    write_scores(scores, campaign, shown, rows)
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


def write_identity(sheet: Worksheet, values: dict[str, str]) -> None:
    """Write a workbook's identity (key, value) rows into its sheet as text, very hidden and protected."""
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
        ("5. 有失分的项目,请在“扣分说明”中写明原因;申报特别加分或有证明材料的项目,请在“佐证材料”中写明所附文件的"
         "文件名(多个用顿号分隔),文件与本表放在同一封邮件或同一压缩包中报送。" + _evidence_items(type_rubric), None),
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


def _write_tasks(sheet: Worksheet, campaign: Campaign, unit: Unit, tasks: list[tuple[Task, str]]) -> None:
    validations = Validations(sheet)
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
        mark_input(status, validations.status)
        mark_input(note)
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
        mark_input(note)
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


def _evidence_items(type_rubric) -> str:
    """The guide's note of the items the rubric marks as needing evidence (需佐证), or ""."""
    marked = [item.id for item in type_rubric.items if item.evidence]
    return f"第 {'、'.join(marked)} 项须附佐证材料。" if marked else ""
