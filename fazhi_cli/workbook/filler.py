"""Fills a generated workbook as a unit would (with openpyxl): used by the demo and by the tests.

Cells are found by header title and ID, exactly as the reader finds them, so a filled workbook is what
a unit's Excel would send back (without cached formula results, which the product never trusts anyway).
`fill_cells` writes the same answers into the same cells at the zip level (the generated workbook's other
parts kept byte for byte), ten times faster: the demo's fifty returns.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import MAX_COLUMNS, MAX_ROWS, ReadWorkbook, read_sheets
from fazhi_cli.workbook.xlsx import open_package


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


def fill_cells(source: Path, target: Path, answers: Answers) -> None:
    """What `fill_workbook` writes, written at the zip level: each answer put into its empty input cell of the
    sheet's XML (found by the product's reader, by header title and ID as `fill_workbook` finds it), every
    other part copied. Only plain answers (text and numbers, no 填报单位 block) on a workbook as generated
    (each input cell there, each ID once): anything else is a `ValueError`, for `fill_workbook` to do."""
    if answers.form:
        raise ValueError("the 填报单位 block is filled by fill_workbook")
    package = open_package(source)
    try:
        read = read_sheets(package.sheetnames, lambda title: package.scan(title, MAX_ROWS, MAX_COLUMNS))
        edits = _cell_edits(read, answers)
        parts = {package.sheets[sheet]: cells for sheet, cells in edits.items()}
        members = [(info, package.archive.read(info)) for info in package.archive.infolist()]
    finally:
        package.close()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _with_cells(data, parts[info.filename]) if info.filename in parts else data)


def _cell_edits(read: ReadWorkbook, answers: Answers) -> dict[str, dict[str, object]]:
    """The values to write by sheet title and cell (A1), from the cells the reader found."""
    if read.duplicates or read.structure_problems:
        raise ValueError("not a workbook as generated")
    cells: list[tuple[str, object]] = []
    for ident, row in read.rows.items():
        for given, cell in ((answers.facts, row.fact), (answers.scores, row.score), (answers.notes, row.note),
                            (answers.evidence, row.evidence)):
            if ident in given:
                cells.append((cell.ref, given[ident]))
    for number, (status, note) in answers.tasks.items():
        if number in read.tasks:
            cells += [(read.tasks[number].status.ref, status), (read.tasks[number].note.ref, note)]
    edits: dict[str, dict[str, object]] = {}
    for ref, value in cells:
        if not ref:
            raise ValueError("an answer without its column")
        sheet, coordinate = ref.split("!")
        edits.setdefault(sheet, {})[coordinate] = value
    return edits


_EMPTY_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"( s="[0-9]+")?(?: t="[a-zA-Z]+")?(?:/>|></c>)')


def _with_cells(xml: bytes, values: dict[str, object]) -> bytes:
    """The sheet's XML with each empty cell of `values` holding its value (style kept), as openpyxl writes it."""
    written: list[str] = []

    def put(match: re.Match) -> bytes:
        coordinate = match.group(1).decode("ascii")
        if coordinate not in values:
            return match.group(0)
        written.append(coordinate)
        return _cell_xml(coordinate, match.group(2) or b"", values[coordinate])

    xml = _EMPTY_CELL.sub(put, xml)
    if sorted(written) != sorted(values):
        raise ValueError("an input cell not there, not empty, or there twice")
    return xml


def _cell_xml(coordinate: str, style: bytes, value: object) -> bytes:
    """One cell with `value`: text as an inline string, a number as openpyxl formats it (as `etree_write_cell`)."""
    head = b'<c r="' + coordinate.encode("ascii") + b'"' + style
    if value == "":
        return head + b' t="inlineStr"/>'  # openpyxl writes no text for an empty one
    if isinstance(value, str):
        if _UNWRITABLE.search(value):
            raise ValueError("text openpyxl refuses")
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return head + f' t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'.encode()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return head + b' t="n"><v>' + (b"%.16g" % value) + b"</v></c>"
    raise ValueError(f"an answer of type {type(value).__name__}")


_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl's ILLEGAL_CHARACTERS_RE refuses
