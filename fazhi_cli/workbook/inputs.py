"""The input cells of the self-assessment workbook: unlocked, yellow, and checked by data validations with Chinese
prompts and error messages (the lists they offer live on the hidden lists sheet)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fazhi_cli.domain.kinds import ANSWER_WHOLE, ANSWER_YES_NO
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.style import INPUT_FILL, UNLOCKED


def cell_number(value: Decimal) -> int | float:
    """A rubric number as an Excel number: 10 stays an integer, 0.2 becomes the float 0.2."""
    return int(value) if value == value.to_integral_value() else float(value)


class Validations:
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
                DataValidation(type="decimal", operator="between", formula1="0", formula2=str(cell_number(maximum)),
                               allow_blank=True),
                "请填写自评得分", f"填写 0 至 {layout.format_points(maximum)} 之间的分数,可保留两位小数。",
                f"自评得分应在 0 至 {layout.format_points(maximum)} 之间。",
            )
        return self.score_by_max[maximum]


def mark_input(cell, validation: DataValidation | None = None) -> None:
    """Make `cell` an input cell: unlocked, yellow, and checked by `validation` if one is given."""
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    if validation is not None:
        validation.add(cell)
