"""The rubric as a workbook the office edits in Excel or WPS (评分细则.xlsx): writing it, and reading it back
into the plain data `domain.rubric.build_rubric` checks.

Sheets: 基本信息 (the rubric's own facts, one per row), one sheet per unit type (a row per 考核事项, 考核内容
and 扣分规则, told apart by which columns are filled), 特别加分扣分, 工作任务 and 目标责任书. Columns are found
by their titles, so the office may move them or add its own. Every value read carries its cell (`AT`), so each
problem is named by sheet and cell; what the rubric means and whether it is consistent stays in the domain.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.kinds import KINDS, kind_of
from fazhi_cli.domain.placeholders import PLACEHOLDERS
from fazhi_cli.domain.rubric import AT, LEDGER_LABELS, UNIT_TYPE_LABELS, UNIT_TYPES, Rubric, Rule
from fazhi_cli.domain.text import printable
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.workbook.style import (
    BOLD,
    BORDER,
    CENTER,
    HEADER_FILL,
    SECTION_FILL,
    TITLE_FONT,
    WRAP,
    fit_row_height,
    print_setup,
    write_text,
)

SHEET_INFO = "基本信息"
SHEET_SPECIAL = "特别加分扣分"
SHEET_TASKS = "工作任务"
SHEET_TARGETS = "目标责任书"
TYPE_SHEETS = dict(UNIT_TYPE_LABELS)  # department: 区级部门, township: 乡镇(街道)

COL_ID, COL_SECTION, COL_ITEM, COL_CONTENT = "编号", "考核事项", "考核内容", "评分标准"
COL_STANDARD, COL_MAX, COL_KIND, COL_TEXT = "扣分条款", "分值", "类型", "扣分情形"
COL_POINTS, COL_QUOTA, COL_LEDGER = "扣分", "每月要求", "台账"
COL_EVIDENCE = "需佐证"  # 是: the unit must name the files that prove the item (an older workbook has no such column)
TYPE_COLUMNS = (COL_ID, COL_SECTION, COL_ITEM, COL_CONTENT, COL_STANDARD, COL_MAX, COL_KIND, COL_TEXT, COL_POINTS,
                COL_QUOTA, COL_LEDGER, COL_EVIDENCE)
TYPE_WIDTHS = (8, 22, 22, 50, 30, 7, 8, 30, 7, 9, 10, 8)
COL_GROUP = "类别"
SPECIAL_COLUMNS = (COL_ID, COL_GROUP, COL_KIND, "情形", COL_POINTS)
SPECIAL_WIDTHS = (8, 12, 8, 60, 8)
BONUS, PENALTY = "特别加分", "特别扣分"
TASK_COLUMNS = ("序号", "类别编号", "任务类别", "任务", "任务内容", "牵头单位", "参与单位", "责任单位(原文)")
TASK_WIDTHS = (6, 8, 24, 22, 60, 20, 30, 24)
TARGET_COLUMNS = ("单位类型", "序号", "考核项目", "目标内容")
TARGET_WIDTHS = (12, 6, 22, 80)
INFO_ROWS = (  # 基本信息: label, key (a rubric key, or type.key, or special.key), what it is
    ("细则编号", "id", "区分不同细则的简短编号,例如 zhaohua-2026"),
    ("版本", "version", "例如 2026.1"),
    ("标题", "title", "评分细则的标题,显示在自评表上"),
    ("来源", "source", "出处(文件名称和文号)"),
    ("适用年度", "year", "本细则为哪一年度制定"),
    ("总分", "total", "每类单位的满分"),
    *((f"{label}名称", f"{t}.label", f"{label}细则的名称(如 区级各部门)") for t, label in TYPE_SHEETS.items()),
    *((f"{label}附件", f"{t}.attachment", "工作安排中的附件编号(可空)") for t, label in TYPE_SHEETS.items()),
    *((f"{label}总分", f"{t}.total", f"“{label}”表各考核事项分值之和") for t, label in TYPE_SHEETS.items()),
    ("特别加分标准", "special.standard_bonus", "特别加分的文字说明"),
    ("特别扣分标准", "special.standard_penalty", "特别扣分的文字说明"),
)
HEADER_SEARCH_ROWS = 15
MAX_ROWS = 2000  # more rows than any rubric has: a sheet claiming more is cut there
_SPLIT_UNITS = re.compile(r"[、,,;;\n]+")
_NUMERAL_NAME = re.compile(r"^([一二三四五六七八九十]+)[、.．]\s*(.+)$", re.S)


# ---------------------------------------------------------------------------------------------- writing


def write_rubric_workbook(rubric: Rubric, target: Path) -> None:
    """Write the whole rubric as a workbook the office can edit (atomically), with drop-downs for the choices."""
    book = Workbook()
    _write_info(book.active, rubric)
    for unit_type, label in TYPE_SHEETS.items():
        if unit_type in rubric.types:
            _write_type(book.create_sheet(label), rubric, unit_type)
    _write_special(book.create_sheet(SHEET_SPECIAL), rubric)
    _write_tasks(book.create_sheet(SHEET_TASKS), rubric)
    _write_targets(book.create_sheet(SHEET_TARGETS), rubric)
    atomic_write(target, book.save)


def _write_info(sheet: Worksheet, rubric: Rubric) -> None:
    sheet.title = SHEET_INFO
    _heading(sheet, "评分细则 基本信息", ("项目", "内容", "说明"), (16, 60, 40))
    values = {"id": rubric.id, "version": rubric.version, "title": rubric.title, "source": rubric.source,
              "year": rubric.year, "total": rubric.total,
              "special.standard_bonus": rubric.special.standard_bonus,
              "special.standard_penalty": rubric.special.standard_penalty}
    for unit_type, type_rubric in rubric.types.items():
        values.update({f"{unit_type}.label": type_rubric.label, f"{unit_type}.attachment": type_rubric.attachment,
                       f"{unit_type}.total": type_rubric.total})
    line = 4
    for label, key, note in INFO_ROWS:
        _row(sheet, line, (label, values.get(key, ""), note))
        line += 1
    guide = [
        "怎么修改评分细则",
        "1. 每类单位一张表(区级部门、乡镇(街道)):一行是一个考核事项(填“考核事项”)、一个考核内容(填“考核内容”"
        "“评分标准”“分值”)或一条扣分规则(填“类型”“扣分情形”“扣分”);规则属于它上方最近的考核内容。",
        "2. 类型:是否(发生即扣“扣分”)、次数(每次扣“扣分”)、按月(每月少于“每月要求”的,每少 1 条扣“扣分”)。",
        "3. 台账:由法制办台账提供事实的规则或考核内容:信息报送(按月规则)、指导案例、工作总结(是否规则)、"
        "备案(考核内容,仅供参考)。",
        "4. 需佐证:填“是”的考核内容,单位须在自评表“佐证材料”栏列明证明文件并随表报送,未列明或未收到的,"
        "校验时提示(evidence_missing)。",
        "5. 各考核内容分值之和应等于所属考核事项的分值,各考核事项之和应等于总分;编号不能重复。",
        "6. 工作任务:牵头单位、参与单位填写单位名单中的单位全称,多个单位用顿号分隔;“各乡镇(街道)”“区级各部门”"
        "表示该类全部单位;“区级相关部门”不是单位名称,请改为具体单位。",
        "7. 文字中的年度和日期请用占位符,生成自评表时按 fazhi.toml 的设置填入:"
        + "、".join(f"{{{name}}}({note})" for name, note in PLACEHOLDERS.items()) + "。",
        "8. 改好后运行 fazhi rubric check 本文件 检查,再用 fazhi init 文件夹 --rubric 本文件 建立考核工作区。",
    ]
    line += 1
    for index, text in enumerate(guide):
        cell = sheet.cell(line + index, 1)
        write_text(cell, text)
        if index == 0:
            cell.font = BOLD
        sheet.merge_cells(start_row=line + index, start_column=1, end_row=line + index, end_column=3)
        cell.alignment = WRAP
        sheet.row_dimensions[line + index].height = 32


def _write_type(sheet: Worksheet, rubric: Rubric, unit_type: str) -> None:
    type_rubric = rubric.for_type(unit_type)
    _heading(sheet, f"评分细则:{TYPE_SHEETS[unit_type]}({type_rubric.label})", TYPE_COLUMNS, TYPE_WIDTHS)
    line = 4
    for section in type_rubric.sections:
        name = f"{section.numeral}、{section.name}" if section.numeral else section.name
        _row(sheet, line, (section.id, name, "", "", "", section.max), fill=True)
        line += 1
        for item in section.items:
            ledger = LEDGER_LABELS.get(item.ledger, "")
            _row(sheet, line, (item.id, "", item.name, item.content, item.standard, item.max, "", "", "", "", ledger,
                               "是" if item.evidence else ""))
            line += 1
            for rule in item.rules:
                _row(sheet, line, _rule_cells(rule))
                line += 1
    _choices(sheet, COL_KIND, TYPE_COLUMNS, [kind.label for kind in KINDS.values()])
    _choices(sheet, COL_LEDGER, TYPE_COLUMNS, list(LEDGER_LABELS.values()))
    _choices(sheet, COL_EVIDENCE, TYPE_COLUMNS, ["是"])


def _rule_cells(rule: Rule) -> tuple:
    numbers = kind_of(rule).json_fields(rule)
    points = numbers.get("points", numbers.get("per", ""))
    return (rule.id, "", "", "", "", "", KINDS[rule.kind].label, rule.text, points, numbers.get("quota", ""),
            LEDGER_LABELS.get(rule.ledger, ""))


def _write_special(sheet: Worksheet, rubric: Rubric) -> None:
    _heading(sheet, "特别加分和扣分(两类单位共用)", SPECIAL_COLUMNS, SPECIAL_WIDTHS)
    line = 4
    for group, rules in ((BONUS, rubric.special.bonus), (PENALTY, rubric.special.penalty)):
        for rule in rules:
            numbers = kind_of(rule).json_fields(rule)
            _row(sheet, line, (rule.id, group, KINDS[rule.kind].label, rule.text,
                               numbers.get("points", numbers.get("per", ""))))
            line += 1
    _choices(sheet, COL_GROUP, SPECIAL_COLUMNS, [BONUS, PENALTY])
    _choices(sheet, COL_KIND, SPECIAL_COLUMNS, [kind.label for kind in KINDS.values()])


def _write_tasks(sheet: Worksheet, rubric: Rubric) -> None:
    _heading(sheet, "年度法治政府建设工作任务(牵头单位、参与单位请填写单位名单中的单位全称,多个用顿号分隔)",
             TASK_COLUMNS, TASK_WIDTHS)
    for line, task in enumerate(rubric.tasks, start=4):
        _row(sheet, line, (task.number, task.section, task.section_title, task.title, task.text, "、".join(task.lead),
                           "、".join(task.partners), task.responsible_text))


def _write_targets(sheet: Worksheet, rubric: Rubric) -> None:
    _heading(sheet, "目标责任书条目", TARGET_COLUMNS, TARGET_WIDTHS)
    line = 4
    for unit_type, rows in rubric.targets.items():
        for row in rows:
            _row(sheet, line, (TYPE_SHEETS[unit_type], row.number, row.item, row.content))
            line += 1
    _choices(sheet, "单位类型", TARGET_COLUMNS, list(TYPE_SHEETS.values()))


def _heading(sheet: Worksheet, title: str, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    write_text(sheet["A1"], title)
    sheet["A1"].font = TITLE_FONT
    write_text(sheet["A2"], "表头(第 3 行)请勿改名;可以插入、删除和移动行。")
    for index, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(3, index, name)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTER, BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    print_setup(sheet, landscape=True, title_rows="3:3")


def _row(sheet: Worksheet, line: int, values: tuple, fill: bool = False) -> None:
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(line, index)
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            cell.value = int(value) if value == int(value) else float(value)
        else:
            write_text(cell, value)
        cell.alignment, cell.border = WRAP, BORDER
        if fill:
            cell.fill = SECTION_FILL
    widths = {index: sheet.column_dimensions[get_column_letter(index)].width for index in range(1, len(values) + 1)}
    fit_row_height(sheet, line, widths)


def _choices(sheet: Worksheet, title: str, columns: tuple[str, ...], choices: list[str]) -> None:
    letter = get_column_letter(columns.index(title) + 1)
    validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
                                showErrorMessage=True, errorTitle="请从下拉列表选择",
                                error=f"只能是:{'、'.join(choices)}")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}4:{letter}{MAX_ROWS}")


# ---------------------------------------------------------------------------------------------- reading


class RubricWorkbookProblems(Exception):
    """The workbook could not be turned into rubric data: each problem names its sheet and cell."""

    def __init__(self, problems: list[str], what: str = "无法读取") -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.what = what  # how the message about the file says what is wrong with it


def read_rubric_workbook(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The rubric data in a workbook (for `build_rubric`, each value with its cell) and the problems met reading
    it; raises RubricWorkbookProblems when it is no rubric workbook at all."""
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > 100 * 1024 * 1024:
            raise RubricWorkbookProblems(["文件解压后过大,不是评分细则工作簿"])
        book = openpyxl.load_workbook(path, data_only=False)  # formulas as written: a stored result is never trusted
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, EOFError):
        raise RubricWorkbookProblems(["不是有效的 Excel 工作簿(.xlsx)"]) from None
    formulas = _formula_problems(book)
    if formulas:
        raise RubricWorkbookProblems(formulas, f"有 {len(formulas)} 处公式")
    reader = _Reader(book)
    return reader.read(), reader.problems


def _formula_problems(book: Workbook) -> list[str]:
    """One problem for each cell holding a formula: the rubric is read as typed, nothing in it is computed."""
    return [f"{_place(sheet.title, cell.column - 1, cell.row)}:是公式“{printable(str(cell.value))[:60]}”,"
            "评分细则不计算公式,请直接填写数值或文字(可复制后“选择性粘贴—数值”)"
            for sheet in book.worksheets for row in sheet.iter_rows(max_row=min(sheet.max_row, MAX_ROWS))
            for cell in row if cell.data_type == "f"]


class _Reader:
    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.problems: list[str] = []

    def read(self) -> dict[str, Any]:
        missing = [name for name in (SHEET_INFO, *TYPE_SHEETS.values()) if name not in self.book.sheetnames]
        if missing:
            raise RubricWorkbookProblems(
                [f"缺少工作表“{name}”(评分细则工作簿应有 {SHEET_INFO}、{'、'.join(TYPE_SHEETS.values())}、"
                 f"{SHEET_SPECIAL}、{SHEET_TASKS}、{SHEET_TARGETS} 各表)" for name in missing])
        data = self._info()
        data["unit_types"] = {t: {**data.pop(t), "sections": self._sections(t)} for t in UNIT_TYPES}
        data["special"] = {**data.pop("special"), **self._special()}
        data["tasks"] = self._tasks()
        data["targets"] = self._targets()
        return data

    def _rows(self, name: str, required: tuple[str, ...]) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
        """The sheet's header columns (title → index) and its rows below the header (line, values)."""
        if name not in self.book.sheetnames:
            return {}, []
        sheet = self.book[name]
        rows = list(sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, MAX_ROWS), values_only=True))
        for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
            titles = {_text(v): column for column, v in enumerate(values) if _text(v)}
            if all(title in titles for title in required):
                return titles, [(line, values) for line, values in enumerate(rows[index + 1:], start=index + 2)]
        self.problems.append(f"“{name}”表:找不到表头(应有 {'、'.join(required)} 等列)")
        return {}, []

    def _info(self) -> dict[str, Any]:
        columns, rows = self._rows(SHEET_INFO, ("项目", "内容"))
        by_label = {label: key for label, key, _ in INFO_ROWS}
        sheet = {"": f"“{SHEET_INFO}”表"}  # where a missing row is reported
        data: dict[str, Any] = {AT: dict(sheet), "special": {AT: dict(sheet)}}
        data.update({t: {AT: dict(sheet)} for t in UNIT_TYPES})
        for line, values in rows:
            label = _text(_get(values, columns.get("项目")))
            if label not in by_label:
                continue
            key = by_label[label]
            target, _, field = key.rpartition(".")
            holder = data[target] if target else data
            holder[field] = _value(_get(values, columns["内容"]))
            holder[AT][field] = _place(SHEET_INFO, columns["内容"], line)
        return data

    def _sections(self, unit_type: str) -> list[dict]:
        name = TYPE_SHEETS[unit_type]
        columns, rows = self._rows(name, (COL_ID, COL_MAX))
        sections: list[dict] = []
        item: dict | None = None
        for line, values in rows:
            row = {title: _get(values, column) for title, column in columns.items()}
            at = {title: _place(name, column, line) for title, column in columns.items()}
            if not any(_text(row.get(title)) for title in TYPE_COLUMNS):
                continue
            first = at[COL_ID]
            if _text(row.get(COL_KIND)) or _text(row.get(COL_TEXT)):
                if item is None:
                    self.problems.append(
                        f"{first} “{name}”表第 {line} 行:扣分规则上方没有考核内容(规则属于上方最近的考核内容)")
                    continue
                item["rules"].append(self._rule(row, at))
            elif _text(row.get(COL_SECTION)):
                numeral, section_name = _split_numeral(_text(row.get(COL_SECTION)))
                sections.append({"id": _id(row.get(COL_ID)), "numeral": numeral, "name": section_name,
                                 "max": _value(row.get(COL_MAX)), "items": [],
                                 AT: {"": first, "id": first, "name": at[COL_SECTION], "max": at.get(COL_MAX)}})
                item = None
            else:
                if not sections:
                    self.problems.append(f"{first} “{name}”表第 {line} 行:考核内容上方没有考核事项")
                    continue
                item = {"id": _id(row.get(COL_ID)), "name": _text(row.get(COL_ITEM)),
                        "content": _text(row.get(COL_CONTENT)), "standard": _text(row.get(COL_STANDARD)),
                        "max": _value(row.get(COL_MAX)), "rules": [],
                        "ledger": self._ledger(row, at), "evidence": _text(row.get(COL_EVIDENCE)),
                        AT: {"": first, "id": first, "name": at.get(COL_ITEM), "content": at.get(COL_CONTENT),
                             "standard": at.get(COL_STANDARD), "max": at.get(COL_MAX), "ledger": at.get(COL_LEDGER),
                             "evidence": at.get(COL_EVIDENCE)}}
                sections[-1]["items"].append(item)
        return sections

    def _rule(self, row: dict, at: dict) -> dict:
        label = _text(row.get(COL_KIND))
        kind = next((k.name for k in KINDS.values() if label in (k.label, k.name)), label)  # unknown: the domain says
        points = _value(row.get(COL_POINTS))
        return {"id": _id(row.get(COL_ID)), "kind": kind, "text": _text(row.get(COL_TEXT)), "points": points,
                "per": points, "quota": _value(row.get(COL_QUOTA)), "ledger": self._ledger(row, at),
                AT: {"": at[COL_ID], "id": at[COL_ID], "kind": at.get(COL_KIND), "text": at.get(COL_TEXT),
                     "points": at.get(COL_POINTS), "per": at.get(COL_POINTS), "quota": at.get(COL_QUOTA),
                     "ledger": at.get(COL_LEDGER)}}

    def _ledger(self, row: dict, at: dict) -> str:
        label = _text(row.get(COL_LEDGER))
        return next((record for record, name in LEDGER_LABELS.items() if label in (name, record)), label)

    def _special(self) -> dict[str, list[dict]]:
        columns, rows = self._rows(SHEET_SPECIAL, (COL_ID, COL_GROUP))
        found: dict[str, list[dict]] = {"bonus": [], "penalty": []}
        for line, values in rows:
            row = {title: _get(values, column) for title, column in columns.items()}
            if not any(_text(v) for v in row.values()):
                continue
            at = {title: _place(SHEET_SPECIAL, column, line) for title, column in columns.items()}
            group = _text(row.get(COL_GROUP))
            if group not in (BONUS, PENALTY):
                self.problems.append(f"{at[COL_GROUP]} 特别加分和扣分 {_id(row.get(COL_ID))}:"
                                     f"类别应为“{BONUS}”或“{PENALTY}”,实为“{group}”")
                continue
            rule = self._rule({**row, COL_TEXT: row.get("情形")}, {**at, COL_TEXT: at.get("情形")})
            found["bonus" if group == BONUS else "penalty"].append(rule)
        return found

    def _tasks(self) -> list[dict]:
        columns, rows = self._rows(SHEET_TASKS, ("序号", "任务"))
        tasks = []
        keys = ("number", "section", "section_title", "title", "text", "lead", "partners", "responsible_text")
        for line, values in rows:
            row = {key: _get(values, columns.get(title)) for key, title in zip(keys, TASK_COLUMNS, strict=True)}
            if not any(_text(v) for v in row.values()):
                continue
            at = {key: _place(SHEET_TASKS, columns[title], line) for key, title in zip(keys, TASK_COLUMNS, strict=True)
                  if title in columns}
            at[""] = at.get("number", "")
            task = {key: _text(row[key]) for key in keys}
            task["number"] = _value(row["number"])
            task["lead"], task["partners"] = _units(row["lead"]), _units(row["partners"])
            tasks.append({**task, AT: at})
        return tasks

    def _targets(self) -> dict[str, list[dict]]:
        columns, rows = self._rows(SHEET_TARGETS, ("单位类型", "序号"))
        targets: dict[str, list[dict]] = {}
        by_label = {label: unit_type for unit_type, label in TYPE_SHEETS.items()}
        by_label.update({"区级各部门": "department", "各乡镇(街道)": "township", **{t: t for t in UNIT_TYPES}})
        for line, values in rows:
            row = {title: _get(values, column) for title, column in columns.items()}
            if not any(_text(v) for v in row.values()):
                continue
            at = {title: _place(SHEET_TARGETS, column, line) for title, column in columns.items()}
            label = _text(row.get("单位类型"))
            if label not in by_label:
                self.problems.append(f"{at['单位类型']} “{SHEET_TARGETS}”表:单位类型应为"
                                     f"{'或'.join(TYPE_SHEETS.values())},实为“{label}”")
                continue
            cells = {"number": at.get("序号"), "item": at.get("考核项目"), "content": at.get("目标内容")}
            targets.setdefault(by_label[label], []).append({
                "number": _value(row.get("序号")), "item": _text(row.get("考核项目")),
                "content": _text(row.get("目标内容")), AT: {"": cells["number"], **cells}})
        return targets


def _get(values: tuple, column: int | None) -> object:
    return values[column] if column is not None and column < len(values) else None


def _place(sheet: str, column: int, line: int) -> str:
    return f"“{sheet}”表 {get_column_letter(column + 1)}{line}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip(" \u3000\t\r\n")


def _value(value: object) -> object:
    """A number cell as its exact text (0.2, not 0.20000000000000001), other cells as text, blank as None."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return _text(value)


def _id(value: object) -> str:
    """An ID cell as text (a clerk typing 1.2 into a cell Excel turned into a number still means “1.2”)."""
    return _text(value)


def _split_numeral(text: str) -> tuple[str, str]:
    """“一、依法科学民主决策” → (一, 依法科学民主决策); a name without a numeral keeps it whole."""
    match = _NUMERAL_NAME.match(text)
    return (match.group(1), match.group(2).strip()) if match else ("", text)


def _units(value: object) -> list[str]:
    return [name.strip(" \u3000") for name in _SPLIT_UNITS.split(_text(value)) if name.strip(" \u3000")]
