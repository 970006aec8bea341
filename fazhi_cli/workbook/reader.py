"""Reads a returned self-assessment workbook by content, never by position.

The header row is found by its column titles, rows by the IDs in 编号, so an inserted row or a save from
WPS or LibreOffice does not matter. Values cross out of here as plain Python (str, int, float, None)
with the cell they came from; stored formula results are never read (the product recomputes). The sheets
are read at the zip level (`workbook.xlsx`: what openpyxl's read-only mode gives, several times faster).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from fazhi_cli.domain.numbers import NotANumber, normalise_text, parse_decimal
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.xlsx import SheetScan, open_package

MAX_ROWS = 600
# what openpyxl raises for files that are not readable workbooks (FACTS.md, "Bad inputs")
READ_ERRORS = (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, OSError, EOFError, ValueError)
# a part whose zip CRC is sound but whose XML is malformed, or an attribute of the wrong type (sheetId="abc"),
# makes openpyxl raise these while parsing
PARSE_ERRORS = (ParseError, TypeError)
MAX_COLUMNS = 40
SCANNED = frozenset({layout.SHEET_IDENTITY, layout.SHEET_SCORES, layout.SHEET_TASKS})  # the sheets `read_sheets` reads
INPUT_COLUMNS = (layout.COL_ID, layout.COL_FACT, layout.COL_SCORE, layout.COL_NOTE, layout.COL_EVIDENCE)


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook at all (message in Chinese, without the file name)."""


class RefusedWorkbook(UnreadableWorkbook):
    """A workbook no reader can open, refused with its own refusal code (`domain.refusals`): `encrypted` or
    `unreadable_spreadsheet`, for an .xls/.ods."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Cell:
    """A value as the unit left it, and where: `sheet!A1` in the unit's own file."""

    raw: str | int | float | None
    ref: str


@dataclass
class ScoreRow:
    """One ID row of the 自评表 as read."""

    id: str
    line: int
    texts: dict[str, Cell]  # the fixed text columns found (考核事项, 考核项目, 考核内容, 评分标准) by title
    max: Cell
    fact: Cell
    score: Cell
    note: Cell
    evidence: Cell

    def text(self, title: str) -> str:
        """The stripped text of a fixed text column ("" when the column is not there)."""
        cell = self.texts.get(title)
        return "" if cell is None else as_text(cell.raw)


@dataclass
class TaskRow:
    """One row of the 工作任务 sheet as read."""

    number: int
    status: Cell
    note: Cell


@dataclass
class ReadWorkbook:
    """Everything read from one returned workbook."""

    identity: dict[str, str]
    rows: dict[str, ScoreRow] = field(default_factory=dict)
    tasks: dict[int, TaskRow] = field(default_factory=dict)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (ID, cell kept, cell of the other)
    structure_problems: list[str] = field(default_factory=list)
    hidden_rows: list[tuple[str, int]] = field(default_factory=list)  # (ID, line) of hidden rows in the input area
    hidden_columns: list[str] = field(default_factory=list)  # titles of hidden input columns
    input_columns: dict[str, int] = field(default_factory=dict)  # title → 1-based column of the 自评表
    form: dict[str, Cell] = field(default_factory=dict)  # the 填报单位(盖章)… block: label → its input cell
    fingerprinted: str | None = field(default=None, compare=False, repr=False)  # `fingerprint()`, once made

    def is_blank(self) -> bool:
        """True when the unit filled in nothing at all: every fact, score, note, evidence and task cell empty."""
        cells = [c for row in self.rows.values() for c in (row.fact, row.score, row.note, row.evidence)]
        cells += [c for task in self.tasks.values() for c in (task.status, task.note)]
        return all(c.raw is None or (isinstance(c.raw, str) and not c.raw.strip()) for c in cells)

    @property
    def format_version(self) -> str:
        """The layout the workbook was written with (`layout.TEXT_COLUMNS`)."""
        return layout.format_version(self.identity)

    def fixed_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(ID, the format's three text columns, 分值) of every ID row, normalised as the writer wrote them."""
        titles = layout.TEXT_COLUMNS[self.format_version]
        return [(row.id, *(row.text(title) for title in titles), points_text(row.max.raw))
                for row in self.rows.values()]

    def fingerprint(self) -> str:
        """The fingerprint of the fixed content as found in this file (made once: the rows are not changed once
        read; a workbook read by a worker process comes with it)."""
        if self.fingerprinted is None:
            self.fingerprinted = layout.fixed_content(self.fixed_rows())
        return self.fingerprinted

    def __reduce__(self):
        # sent back from a worker process as plain tuples: pickling hundreds of Cell objects one by one costs
        # more than reading the workbook
        rows = [(r.id, r.line, tuple((t, c.raw, c.ref) for t, c in r.texts.items()),
                 *((c.raw, c.ref) for c in (r.max, r.fact, r.score, r.note, r.evidence))) for r in self.rows.values()]
        tasks = [(t.number, t.status.raw, t.status.ref, t.note.raw, t.note.ref) for t in self.tasks.values()]
        form = [(label, c.raw, c.ref) for label, c in self.form.items()]
        return _rebuilt, (self.identity, rows, tasks, self.duplicates, self.structure_problems, self.hidden_rows,
                          self.hidden_columns, self.input_columns, form, self.fingerprint())


def _rebuilt(identity, rows, tasks, duplicates, problems, hidden_rows, hidden_columns, input_columns, form,
             fingerprinted=None):
    """A ReadWorkbook from the tuples of its `__reduce__` (the batch's process rebuilds a thousand of them)."""
    read = ReadWorkbook(identity, {}, {}, duplicates, problems, hidden_rows, hidden_columns, input_columns,
                        {label: Cell(raw, ref) for label, raw, ref in form}, fingerprinted)
    for ident, line, texts, most, fact, score, note, evidence in rows:
        read.rows[ident] = ScoreRow(ident, line, {title: Cell(raw, ref) for title, raw, ref in texts},
                                    Cell(*most), Cell(*fact), Cell(*score), Cell(*note), Cell(*evidence))
    for number, status, status_ref, note, note_ref in tasks:
        read.tasks[number] = TaskRow(number, Cell(status, status_ref), Cell(note, note_ref))
    return read


def as_text(raw: object) -> str:
    """A cell's text, stripped ("" for an empty cell)."""
    return "" if raw is None else str(raw).strip()


def points_text(raw: object) -> str:
    """A 分值 cell as the fingerprint writes it (10, 0.2); text that is no number stays as it is."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    try:
        return layout.format_points(parse_decimal(raw))
    except NotANumber:
        return str(raw).strip()


def _plain(value: object) -> str | int | float | None:
    """A cell value as plain data: strings, numbers and None pass; anything else (dates) becomes text."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return str(value)


def _id_text(value: object) -> str:
    """The text of an 编号 cell; a number typed over an ID (1.1) reads as its text."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return normalise_text(value)


def read_workbook(source: Path | IO[bytes]) -> ReadWorkbook:
    """Read a returned workbook; raises UnreadableWorkbook when it is not a readable .xlsx at all."""
    try:
        package = open_package(source, SCANNED)
    except (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, OSError, EOFError) as exc:
        raise UnreadableWorkbook("文件已损坏或不是 Excel 工作簿(.xlsx)") from exc
    except PARSE_ERRORS as exc:
        raise UnreadableWorkbook("文件已损坏(内部数据格式错误)") from exc
    except ValueError as exc:  # defusedxml refuses entity tricks with a ValueError
        raise UnreadableWorkbook("文件内容不安全或已损坏,无法读取") from exc
    try:
        return read_sheets(package.sheetnames, lambda title: package.scan(title, MAX_ROWS, MAX_COLUMNS))
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise UnreadableWorkbook("文件已损坏(部分内容无法解压)") from exc
    except PARSE_ERRORS as exc:
        raise UnreadableWorkbook("文件已损坏(内部数据格式错误)") from exc
    except ValueError as exc:
        raise UnreadableWorkbook("文件内容不安全或已损坏,无法读取") from exc
    finally:
        package.close()


def read_sheets(names: list[str], scan: Callable[[str], SheetScan]) -> ReadWorkbook:
    """Read the identity, 自评表 and 工作任务 sheets from `scan(title)`: each sheet's rows (`MAX_ROWS` at most,
    each `MAX_COLUMNS` wide) and hidden rows and columns."""
    identity = _read_identity(scan(layout.SHEET_IDENTITY).rows) if layout.SHEET_IDENTITY in names else {}
    result = ReadWorkbook(identity=identity)
    if layout.SHEET_SCORES not in names:
        result.structure_problems.append(f"找不到工作表“{layout.SHEET_SCORES}”")
        return result
    scores = scan(layout.SHEET_SCORES)
    _read_scores(scores.rows, result)
    if layout.SHEET_TASKS in names:
        _read_tasks(scan(layout.SHEET_TASKS).rows, result)
    if result.rows and result.input_columns:
        _find_hidden_input(scores, result)
    return result


def _read_identity(rows: list[tuple]) -> dict[str, str]:
    identity = {}
    for row in rows[:50]:
        if len(row) >= 2 and isinstance(row[0], str) and row[1] is not None:
            identity[row[0].strip()] = str(row[1]).strip()
    return identity


def find_header(rows: list[tuple], required: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The 0-based index of the header row within the first rows that holds every required title, and the
    0-based column of each title; None when no such row exists."""
    for index, row in enumerate(rows[: layout.HEADER_SEARCH_ROWS]):
        titles = {normalise_text(v): col for col, v in enumerate(row) if isinstance(v, str)}
        if all(title in titles for title in required):
            return index, titles
    return None


def _read_scores(rows: list[tuple], result: ReadWorkbook) -> None:
    found = find_header(rows, layout.REQUIRED_SCORE_COLUMNS)
    if found is None:
        result.structure_problems.append(
            f"“{layout.SHEET_SCORES}”表的前 {layout.HEADER_SEARCH_ROWS} 行中找不到表头"
            f"({'、'.join(layout.REQUIRED_SCORE_COLUMNS)})"
        )
        return
    header_index, columns = found
    sheet_name = layout.SHEET_SCORES

    def cell(values: tuple, title: str, line: int) -> Cell:
        column = columns.get(title)
        if column is None:
            return Cell(None, "")
        raw = values[column] if column < len(values) else None
        return Cell(_plain(raw), f"{sheet_name}!{get_column_letter(column + 1)}{line}")

    id_column = columns[layout.COL_ID]
    result.input_columns = {title: columns[title] + 1 for title in INPUT_COLUMNS if title in columns}
    for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        _read_form_fields(values, offset, result)
        ident = _id_text(values[id_column] if id_column < len(values) else None)
        if not ident or not (ident[0].isdigit() or ident[0] in "BP"):
            continue
        if ident in result.rows:
            kept = result.rows[ident].line
            column = get_column_letter(id_column + 1)
            result.duplicates.append((ident, f"{sheet_name}!{column}{kept}", f"{sheet_name}!{column}{offset}"))
            continue
        result.rows[ident] = ScoreRow(
            id=ident,
            line=offset,
            texts={title: cell(values, title, offset) for title in layout.ALL_TEXT_COLUMNS if title in columns},
            max=cell(values, layout.COL_MAX, offset),
            fact=cell(values, layout.COL_FACT, offset),
            score=cell(values, layout.COL_SCORE, offset),
            note=cell(values, layout.COL_NOTE, offset),
            evidence=cell(values, layout.COL_EVIDENCE, offset),
        )


_FORM_LABELS = {normalise_text(label): label for label in layout.FORM_FIELDS}


def _read_form_fields(values: tuple, line: int, result: ReadWorkbook) -> None:
    """The 填报单位(盖章)… block: a label cell (a trailing colon allowed) and, right of it, the unit's entry."""
    for column, value in enumerate(values[:-1]):
        if not isinstance(value, str):
            continue
        label = _FORM_LABELS.get(normalise_text(value).rstrip(": "))
        if label is not None and label not in result.form:
            ref = f"{layout.SHEET_SCORES}!{get_column_letter(column + 2)}{line}"
            result.form[label] = Cell(_plain(values[column + 1]), ref)


def _read_tasks(rows: list[tuple], result: ReadWorkbook) -> None:
    found = find_header(rows, ("序号", layout.TASK_STATUS_COLUMN))
    if found is None:
        return
    header_index, columns = found
    number_column = columns["序号"]
    for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
        raw_number = values[number_column] if number_column < len(values) else None
        try:
            number = int(parse_decimal(raw_number))
        except NotANumber:
            continue

        def cell(title: str, values: tuple = values, line: int = offset) -> Cell:
            column = columns.get(title)
            if column is None:
                return Cell(None, "")
            raw = values[column] if column < len(values) else None
            return Cell(_plain(raw), f"{layout.SHEET_TASKS}!{get_column_letter(column + 1)}{line}")

        result.tasks[number] = TaskRow(number, cell(layout.TASK_STATUS_COLUMN), cell(layout.TASK_NOTE_COLUMN))


def _find_hidden_input(scores: SheetScan, result: ReadWorkbook) -> None:
    """Rows of the 自评表's ID rows and input columns that are hidden (the whole sheet's row and column
    attributes: a hidden column may be declared after the rows)."""
    scores.finish()
    hidden_columns: set[int] = set()
    for low, high in scores.hidden_spans:
        first, last = int(low), int(high)
        hidden_columns.update(c for c in result.input_columns.values() if first <= c <= last)
    result.hidden_rows = [(row.id, row.line) for row in result.rows.values() if row.line in scores.hidden_lines]
    result.hidden_columns = [title for title, column in result.input_columns.items() if column in hidden_columns]
