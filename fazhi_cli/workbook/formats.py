"""A returned workbook read whatever format the unit saved it in (`read_return_data`): an .xlsx by the zip-level
reader (`reader.read_workbook`), an .xls (also a WPS .et, an .xls container by another name) or an .ods through
python-calamine, into the same `ReadWorkbook`, so that the identity check, the values and the totals are the same.
The office's own workbooks sent back as .xls/.ods (复核打分表, 台账) have their sheets' rows read by `read_other_rows`.

The format is told by the first bytes, never the name: the OLE2 signature is an .xls, a zip whose `mimetype`
member names an OpenDocument spreadsheet is an .ods, anything else goes to the .xlsx reader. calamine gives values
only; what it does not give (hidden rows and columns, and which cells are formulas) comes from `sheet_facts`, so a
hidden row is found and a formula is read as its formula ("=…"), never as its stored result, as in an .xlsx.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import openpyxl
import python_calamine

from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import (
    MAX_COLUMNS,
    MAX_ROWS,
    READ_ERRORS,
    ReadWorkbook,
    RefusedWorkbook,
    UnreadableWorkbook,
    read_sheets,
    read_workbook,
)
from fazhi_cli.workbook.sheet_facts import SheetFacts, SheetFactsError, sheet_facts, xls_encrypted
from fazhi_cli.workbook.xlsx import SheetScan

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_EXACT_FLOAT = 2**53  # integral floats below this are the whole numbers Excel and openpyxl read as int


def other_format(data: bytes) -> str | None:
    """"xls" for an OLE2 file, "ods" for an OpenDocument spreadsheet, None for anything else (an .xlsx)."""
    if data.startswith(OLE_MAGIC):
        return "xls"
    if data.startswith(b"PK") and ODS_MIMETYPE in data[:200]:
        return "ods"  # the stored `mimetype` member comes first in an OpenDocument file
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "mimetype" in archive.namelist() and archive.getinfo("mimetype").file_size <= 200:
                    return "ods" if archive.read("mimetype").strip() == ODS_MIMETYPE else None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
            return None
    return None


def read_return_data(data: bytes) -> ReadWorkbook:
    """A returned workbook's bytes read by the reader for their format; raises UnreadableWorkbook (a
    `RefusedWorkbook` with its refusal code for an encrypted or unreadable .xls/.ods)."""
    kind = other_format(data)
    if kind is None:
        return read_workbook(io.BytesIO(data))
    return read_calamine(data, kind)


def read_calamine(data: bytes, kind: str) -> ReadWorkbook:
    """An .xls or .ods read through python-calamine into the shape the .xlsx reader gives (hidden rows and columns
    and formulas from `sheet_facts`)."""
    with _opened(data, kind) as (book, names):
        facts = _facts(data, kind, (layout.SHEET_SCORES, layout.SHEET_TASKS), MAX_ROWS, MAX_COLUMNS)
        return read_sheets(names, lambda title: _scan(book, title, facts.get(title), MAX_ROWS, MAX_COLUMNS))


def read_other_rows(data: bytes, kind: str, titles: Iterable[str], max_row: int,
                    max_col: int) -> dict[str, list[tuple]]:
    """The rows of the sheets `titles` (those that exist) of an .xls or .ods, as openpyxl's read-only mode gives
    an .xlsx's (`data_only=False`: a formula as its "=…" text); raises `RefusedWorkbook` as `read_calamine`."""
    wanted = list(titles)
    with _opened(data, kind) as (book, names):
        present = [title for title in wanted if title in names]
        facts = _facts(data, kind, present, max_row, max_col)
        return {title: _scan(book, title, facts.get(title), max_row, max_col).rows for title in present}


def office_sheet_rows(data: bytes, title: str, what: str, max_row: int, max_col: int) -> list[tuple]:
    """One sheet's rows of an office sheet sent back (复核打分表, 评分构成表, 整改复核表: `what` names it in the
    refusal), from an .xlsx or (told by its bytes) an .xls/.ods saved from it; formulas as written (nothing is
    computed). UnreadableWorkbook when it cannot be read or has no sheet `title`."""
    kind = other_format(data)
    if kind is not None:
        rows = read_other_rows(data, kind, (title,), max_row, max_col)
        if title not in rows:
            raise UnreadableWorkbook(f"找不到工作表“{title}”")
        return rows[title]
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except READ_ERRORS as exc:
        raise UnreadableWorkbook(f"{what}无法读取") from exc
    try:
        if title not in book.sheetnames:
            raise UnreadableWorkbook(f"找不到工作表“{title}”")
        sheet = book[title]
        sheet.reset_dimensions()
        return list(sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True))
    finally:
        book.close()


@contextmanager
def _opened(data: bytes, kind: str) -> Iterator[tuple[python_calamine.CalamineWorkbook, list[str]]]:
    """The workbook opened by calamine and its worksheet titles; whatever goes wrong becomes a `RefusedWorkbook`:
    `encrypted` for a password, `unreadable_spreadsheet` for anything else."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            names = [sheet.name for sheet in book.sheets_metadata
                     if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet]
            if not names:  # calamine reads an .ods whose content it cannot parse as one without sheets
                raise RefusedWorkbook("unreadable_spreadsheet")
            yield book, names
        finally:
            book.close()
    except python_calamine.PasswordError as exc:
        raise RefusedWorkbook("encrypted") from exc
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own errors (and Rust panics) for damaged files
        # calamine cannot tell an encrypted .xls from a damaged one when it reads bytes ("Cannot detect file format")
        raise RefusedWorkbook("encrypted" if kind == "xls" and xls_encrypted(data) else "unreadable_spreadsheet"
                              ) from exc


def _facts(data: bytes, kind: str, titles: Iterable[str], max_row: int, max_col: int) -> dict[str, SheetFacts]:
    try:
        return sheet_facts(data, kind, titles, max_row, max_col)
    except SheetFactsError as exc:
        raise RefusedWorkbook("unreadable_spreadsheet") from exc


def _scan(book, title: str, facts: SheetFacts | None, max_row: int, max_col: int) -> SheetScan:
    """The sheet's first `max_row` rows from A1, each `max_col` wide, as openpyxl's read-only mode gives them:
    empty cells None, whole numbers int, a formula its "=…" text; with the hidden rows and columns."""
    rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False, nrows=max_row)
    facts = facts or SheetFacts()
    scanned = [tuple([_value(v) for v in row[:max_col]] + [None] * (max_col - len(row))) for row in rows[:max_row]]
    for (line, column), text in facts.formulas.items():
        if line <= len(scanned):
            values = list(scanned[line - 1])
            values[column - 1] = text
            scanned[line - 1] = tuple(values)
    spans = [(str(column), str(column)) for column in sorted(facts.hidden_columns)]
    return SheetScan(scanned, set(facts.hidden_lines), spans)


def _value(value: object) -> object:
    """A calamine cell value as the .xlsx reader gives it: "" is an empty cell, 10.0 the number 10."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    return value
