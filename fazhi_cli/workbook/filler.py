"""Fills a generated workbook as a unit would (with openpyxl): used by the demo and by the tests.

Cells are found by header title and ID, exactly as the reader finds them, so a filled workbook is what
a unit's Excel would send back (without cached formula results, which the product never trusts anyway).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.workbook import layout


@dataclass
class Answers:
    """What a unit types: facts by rule/month ID, scores/notes/evidence by item ID, task progress by number."""

    facts: dict[str, object] = field(default_factory=dict)
    scores: dict[str, object] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    tasks: dict[int, tuple[str, str]] = field(default_factory=dict)
    form: dict[str, object] = field(default_factory=dict)  # the 填报单位(盖章)… block, by label


def _header(sheet, required: tuple[str, ...]) -> tuple[int, dict[str, int]]:
    for row in sheet.iter_rows(min_row=1, max_row=layout.HEADER_SEARCH_ROWS):
        titles = {normalise_text(c.value): c.column for c in row if isinstance(c.value, str)}
        if all(t in titles for t in required):
            return row[0].row, titles
    raise ValueError(f"no header {required} in sheet {sheet.title}")


def _put(sheet, line: int, column: int, value: object) -> None:
    cell = sheet.cell(line, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a unit's text is text, even when it starts with '='


def fill_workbook(source: Path, target: Path, answers: Answers) -> None:
    """Write the answers into a copy of `source` saved as `target`."""
    workbook = openpyxl.load_workbook(source)
    sheet = workbook[layout.SHEET_SCORES]
    header_line, columns = _header(sheet, layout.REQUIRED_SCORE_COLUMNS)
    for line in range(header_line + 1, sheet.max_row + 1):
        for column in range(1, sheet.max_column):
            label = sheet.cell(line, column).value
            if isinstance(label, str) and label in answers.form:
                _put(sheet, line, column + 1, answers.form[label])
        ident = sheet.cell(line, columns[layout.COL_ID]).value
        if not isinstance(ident, str):
            continue
        if ident in answers.facts:
            _put(sheet, line, columns[layout.COL_FACT], answers.facts[ident])
        if ident in answers.scores:
            _put(sheet, line, columns[layout.COL_SCORE], answers.scores[ident])
        if ident in answers.notes:
            _put(sheet, line, columns[layout.COL_NOTE], answers.notes[ident])
        if ident in answers.evidence:
            _put(sheet, line, columns[layout.COL_EVIDENCE], answers.evidence[ident])
    if answers.tasks:
        tasks = workbook[layout.SHEET_TASKS]
        task_line, task_columns = _header(tasks, ("序号", layout.TASK_STATUS_COLUMN))
        for line in range(task_line + 1, tasks.max_row + 1):
            number = tasks.cell(line, task_columns["序号"]).value
            if number is not None and int(number) in answers.tasks:
                status, note = answers.tasks[int(number)]
                _put(tasks, line, task_columns[layout.TASK_STATUS_COLUMN], status)
                _put(tasks, line, task_columns[layout.TASK_NOTE_COLUMN], note)
    workbook.save(target)
