"""Reads a returned 整改 workbook by content, never by position: the 整改清单's header by its titles within the first
15 rows, its rows by 编号. An .xlsx through openpyxl (read-only, formulas as written), an .xls/.et/.ods (told by its
bytes) through `workbook.formats`; every value crosses out as plain data (str, int, float, date or None) with its cell.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass, field

import openpyxl
from openpyxl.utils import get_column_letter

from fazhi_cli.domain.numbers import is_blank, normalise_text
from fazhi_cli.domain.rectify_checks import DONE_ON, ReturnedRow
from fazhi_cli.rectify import layout
from fazhi_cli.workbook.formats import other_format, read_other_rows
from fazhi_cli.workbook.reader import PARSE_ERRORS, READ_ERRORS, UnreadableWorkbook, find_header
from fazhi_cli.workbook.style import MAX_CELL_TEXT

EXCEL_EPOCH = dt.date(1899, 12, 30)
LAST_EXCEL_DAY = 2958465  # 9999-12-31


@dataclass
class ReadRectify:
    """The 编号 rows of a returned 整改清单, in order, and each 编号 found twice: (编号, the cell kept, the other)."""

    rows: list[ReturnedRow] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)


def read_rectify(data: bytes) -> ReadRectify:
    """The rows of a returned 整改 workbook; raises `UnreadableWorkbook` (a `RefusedWorkbook` for an .xls/.ods no
    reader opens) when it has no 整改清单 or no header."""
    rows = _sheet_rows(data)
    found = find_header(rows, layout.REQUIRED_RECTIFY_COLUMNS)
    if found is None:
        raise UnreadableWorkbook(f"“{layout.SHEET_RECTIFY}”表的前 15 行中找不到表头"
                                 f"({'、'.join(layout.REQUIRED_RECTIFY_COLUMNS)})")
    index, titles = found
    columns = {name: titles[title] for title, name in layout.COLUMN_FIELDS.items() if title in titles}
    out = ReadRectify()
    seen: dict[str, str] = {}
    for line, values in enumerate(rows[index + 1:], start=index + 2):
        row = _row(values, columns, line)
        if row is None:
            continue
        ref_cell = row.cells["ref"]
        if row.ref in seen:
            out.duplicates.append((row.ref, seen[row.ref], ref_cell))
            continue
        seen[row.ref] = ref_cell
        out.rows.append(row)
    return out


def _row(values: tuple, columns: dict[str, int], line: int) -> ReturnedRow | None:
    """One row with a 编号 as plain values by field, or None for a row without one."""
    plain = {name: _plain(values[column] if column < len(values) else None) for name, column in columns.items()}
    ref = _ref(plain.get("ref"))
    if not ref:
        return None
    plain[DONE_ON] = _as_date(plain.get(DONE_ON))
    cells = {name: f"{layout.SHEET_RECTIFY}!{get_column_letter(column + 1)}{line}" for name, column in columns.items()}
    return ReturnedRow(ref, plain, cells)


def _ref(raw: object) -> str:
    """The 编号 as text: a number typed over it (1.1) reads as its text."""
    if is_blank(raw):
        return ""
    return repr(raw) if isinstance(raw, float) else normalise_text(raw)


def _plain(value: object) -> object:
    """A cell value as plain data: text (cut at Excel's limit), a finite number, a date; anything else as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value[:MAX_CELL_TEXT]
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return str(value)[:MAX_CELL_TEXT]


def _as_date(value: object) -> object:
    """An Excel day number left in the 完成时间 (its date format lost in a copy) as its date; anything else as is."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= LAST_EXCEL_DAY \
            and float(value).is_integer():
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    return value


def _sheet_rows(data: bytes) -> list[tuple]:
    """The 整改清单's rows, from an .xlsx or (told by its bytes) an .xls/.ods saved from it."""
    kind = other_format(data)
    if kind is not None:
        rows = read_other_rows(data, kind, (layout.SHEET_RECTIFY,), layout.MAX_ROWS, layout.MAX_COLUMNS)
        if layout.SHEET_RECTIFY not in rows:
            raise UnreadableWorkbook(f"找不到工作表“{layout.SHEET_RECTIFY}”")
        return rows[layout.SHEET_RECTIFY]
    with warnings.catch_warnings():  # openpyxl warns of a date cell out of range: the checks say so, in Chinese
        warnings.simplefilter("ignore", UserWarning)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except READ_ERRORS as exc:
            raise UnreadableWorkbook("整改清单无法读取(文件已损坏或不是 Excel 工作簿)") from exc
        try:
            if layout.SHEET_RECTIFY not in book.sheetnames:
                raise UnreadableWorkbook(f"找不到工作表“{layout.SHEET_RECTIFY}”")
            sheet = book[layout.SHEET_RECTIFY]
            sheet.reset_dimensions()
            return list(sheet.iter_rows(min_row=1, max_row=layout.MAX_ROWS, max_col=layout.MAX_COLUMNS,
                                        values_only=True))
        except PARSE_ERRORS as exc:
            raise UnreadableWorkbook("整改清单已损坏(内部数据格式错误)") from exc
        finally:
            book.close()
