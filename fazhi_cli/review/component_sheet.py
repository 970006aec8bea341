"""Writing the office's component sheet (评分构成表, `fazhi component-sheet NAME`): one score component's values.

One sheet, named after the component, with the columns 单位名称, 得分 (0–100) and 说明 and one row per assessed unit
of the types the component applies to; the values already entered are written back in (so the sheet is always the
current state). A survey firm's table may be pasted over the rows. A very hidden identity sheet, sealed by the
workspace secret, names the component and the last value recorded when the sheet was written, so that ingest
knows what it showed (`review.component_take` reads it back).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.components import combination_text
from fazhi_cli.domain.identity import COMPONENT_SHEET_FIELDS, seal
from fazhi_cli.domain.numbers import plain_or_none
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.store import ComponentEntry
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import HEADER_FILL, INPUT_FILL, print_setup, write_text
from fazhi_cli.workspace import Workspace, component_file_name

COL_UNIT = "单位名称"
COL_VALUE = "得分"
COL_NOTE = "说明"
COLUMNS = ((COL_UNIT, 24), (COL_VALUE, 10), (COL_NOTE, 50))
HEADER_ROW = 4


def component_named(campaign: Campaign, typed: str) -> str:
    """The component fazhi.toml sets under this name (as typed, spaces around ignored); UsageError otherwise."""
    name = typed.strip()
    known = [c.name for c in campaign.components]
    if name in known:
        return name
    listed = f"已设置的评分构成:{'、'.join(known)}。" if known else "fazhi.toml 尚未设置任何评分构成。"
    example = name[:40] or "第三方评估"
    raise UsageError(f"没有名为“{name[:40]}”的评分构成。{listed}",
                     f"请先用 fazhi config set 评分构成.{example} 10 设置其权重(占综合得分的百分比)。")


def component_units(campaign: Campaign, units: list[Unit], name: str) -> list[Unit]:
    """The assessed units the component applies to (their type carries a weight for it), in roster order."""
    component = next(c for c in campaign.components if c.name == name)
    return [unit for unit in units if component.weight(unit.type) is not None]


def write_component_sheet(workspace: Workspace, typed: str, folder: Path | None = None) -> Path:
    """Write the component sheet of one score component (into review/ by default); returns the file written."""
    campaign = workspace.campaign()
    name = component_named(campaign, typed)
    units = component_units(campaign, workspace.units(campaign), name)
    with workspace.open_store() as store:
        in_force = store.component_values()
        upto = store.last_component_id()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = name
    _heading(sheet, campaign, name)
    _rows(sheet, units, {unit: entries[name] for unit, entries in in_force.items() if name in entries})
    _identity(book.create_sheet(layout.SHEET_IDENTITY), campaign, name, upto, workspace.secret())
    target_folder = folder or workspace.root / "review"
    target_folder.mkdir(exist_ok=True)
    target = target_folder / component_file_name(campaign.year, name)
    atomic_write(target, book.save)
    return target


def _heading(sheet, campaign: Campaign, name: str) -> None:
    """Title, how to fill it (with the component's weight and the combination), and the header row."""
    write_text(sheet["A1"], f"{campaign.title}评分构成表:{name}")
    sheet["A1"].font = Font(bold=True, size=14)
    combinations = []
    for unit_type, label in UNIT_TYPE_LABELS.items():
        weights = campaign.component_weights(unit_type)
        if name in weights:
            combinations.append(f"{label}:{combination_text(weights)}")
    write_text(sheet["A2"], f"每个参加“{name}”评分的单位一行。在“得分”中填写该单位的{name}得分(0 至 100 的数),"
                            "“说明”可填来源或备注;可把第三方机构的结果表(单位名称、得分)整列粘贴到表中"
                            "(选择性粘贴—数值)。留空表示尚未取得(该单位结果为暂定);清空已填的得分即撤回。"
                            f"{';'.join(combinations)}。改好后用 fazhi ingest 文件路径 收回。")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 75
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width


def _rows(sheet, units: list[Unit], shown: dict[str, ComponentEntry]) -> None:
    """One row per unit, the value in force and its 说明 written back in; Excel checks 得分 is 0–100 (the reader
    checks again: nothing typed is trusted)."""
    line = HEADER_ROW
    for unit in units:
        line += 1
        write_text(sheet.cell(line, 1), unit.name)
        entry = shown.get(unit.name)
        if entry is not None:
            sheet.cell(line, 2).value = plain_or_none(entry.value)
            if entry.note:
                write_text(sheet.cell(line, 3), entry.note)
        for column in (2, 3):
            sheet.cell(line, column).fill = INPUT_FILL
        sheet.cell(line, 3).alignment = Alignment(wrap_text=True, vertical="top")
    check = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    check.error = "得分应为 0 至 100 之间的数。"
    check.errorTitle = "输入有误"
    check.showErrorMessage = True
    sheet.add_data_validation(check)
    check.add(f"B{HEADER_ROW + 1}:B{max(line, HEADER_ROW + 1) + 200}")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    print_setup(sheet, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _identity(sheet, campaign: Campaign, name: str, upto: int, secret: bytes) -> None:
    """The sheet's identity (very hidden), sealed by the workspace secret: ingest recognises it whatever the file is
    called, and no one without the secret can make one."""
    values = {
        layout.ID_FORMAT: layout.COMPONENT_FORMAT_NAME, layout.ID_CAMPAIGN: campaign.campaign_id,
        layout.ID_YEAR: str(campaign.year), layout.ID_COMPONENT: name,
        layout.ID_GENERATED: office_now().replace(microsecond=0).isoformat(),
        layout.ID_COMPONENTS_UPTO: str(upto),
    }
    values[layout.ID_MAC] = seal(secret, values, COMPONENT_SHEET_FIELDS)
    for index, (key, value) in enumerate(values.items(), start=1):
        sheet.cell(index, 1, key)
        write_text(sheet.cell(index, 2), value)
    sheet.sheet_state = "veryHidden"
