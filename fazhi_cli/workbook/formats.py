"""A returned workbook read whatever format the unit saved it in (`read_return_data`): an .xlsx by the zip-level
reader (`reader.read_workbook`), an .xls (also a WPS .et, an .xls container by another name) or an .ods through
python-calamine, into the same `ReadWorkbook`, so that the identity check, the values and the totals are the same.

The format is told by the first bytes, never the name: the OLE2 signature is an .xls, a zip whose `mimetype`
member names an OpenDocument spreadsheet is an .ods, anything else goes to the .xlsx reader. calamine gives values
only: formulas as their stored results, no hidden rows or columns (those checks are for .xlsx returns only).
"""

from __future__ import annotations

import io
import zipfile

import python_calamine

from fazhi_cli.workbook.reader import (
    MAX_COLUMNS,
    MAX_ROWS,
    ReadWorkbook,
    RefusedWorkbook,
    UnreadableWorkbook,
    read_sheets,
    read_workbook,
)
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
    """An .xls or .ods read through python-calamine into the shape the .xlsx reader gives."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            names = [sheet.name for sheet in book.sheets_metadata
                     if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet]
            if not names:  # calamine reads an .ods whose content it cannot parse as one without sheets
                raise RefusedWorkbook("unreadable_spreadsheet")
            return read_sheets(names, lambda title: _scan(book, title))
        finally:
            book.close()
    except python_calamine.PasswordError as exc:
        raise RefusedWorkbook("encrypted") from exc
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own errors (and Rust panics) for damaged files
        raise RefusedWorkbook("unreadable_spreadsheet") from exc


def _scan(book, title: str) -> SheetScan:
    """The sheet's first `MAX_ROWS` rows from A1, each `MAX_COLUMNS` wide, as openpyxl's read-only mode gives
    them: empty cells None, whole numbers int."""
    rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False, nrows=MAX_ROWS)
    return SheetScan([tuple(_value(v) for v in (list(row[:MAX_COLUMNS]) + [None] * (MAX_COLUMNS - len(row))))
                      for row in rows[:MAX_ROWS]])


def _value(value: object) -> object:
    """A calamine cell value as the .xlsx reader gives it: "" is an empty cell, 10.0 the number 10."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    return value
