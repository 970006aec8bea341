"""What python-calamine does not give of an .xls or .ods sheet: its hidden rows and columns, and which cells hold a
formula (with its text), so that an .xls/.ods is checked as its .xlsx is (`formats` applies them).

An .xls (also a WPS .et) is read by xlrd (`formatting_info=True`: the rows' and columns' hidden flags; only the
sheets asked for are loaded) and its formulas found by walking the sheet's BIFF records, the formula text
decompiled by xlrd where it can be. An .ods has its `content.xml` streamed through defusedxml: a row or column is
hidden by `table:visibility="collapse"` (hidden) or `"filter"` (filtered out), repeats multiplied out, and a cell
holds a formula when it has `table:formula`. Lines and columns are 1-based, as in a cell reference; only those
within `max_row` × `max_col` are kept.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import xlrd
from defusedxml.ElementTree import iterparse
from xlrd import compdoc
from xlrd import formula as xls_formula

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T_TABLE, _T_ROW, _T_COLUMN = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-column"
_T_CELLS = (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell")
_NAME, _VISIBILITY, _FORMULA = f"{{{_TABLE}}}name", f"{{{_TABLE}}}visibility", f"{{{_TABLE}}}formula"
_ROWS_REPEATED, _COLUMNS_REPEATED = f"{{{_TABLE}}}number-rows-repeated", f"{{{_TABLE}}}number-columns-repeated"
_HIDDEN = ("collapse", "filter")
MAX_CONTENT_BYTES = 10 * 1024 * 1024  # intake refuses a larger content.xml first (`limits.xml_part_bytes`)
_BIFF_FORMULA, _BIFF_EOF, _BIFF_FILEPASS = 0x0006, 0x000A, 0x002F
_FORMULA_TOKENS_AT = 22  # row, column, XF, result (8), flags, chain (4), token length: then the tokens
SHOWN_WHEN_UNDECOMPILED = "=(公式)"


class SheetFactsError(Exception):
    """The file could not be read for its rows' and columns' attributes (damaged)."""


@dataclass
class SheetFacts:
    """One sheet's hidden lines and columns, and its formula cells: (line, column) → "=text"."""

    hidden_lines: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def sheet_facts(data: bytes, kind: str, titles: Iterable[str], max_row: int, max_col: int) -> dict[str, SheetFacts]:
    """The facts of the sheets `titles` (those that exist) of an .xls (`kind` "xls") or .ods ("ods");
    raises SheetFactsError when the file cannot be read for them."""
    wanted = set(titles)
    try:
        if kind == "xls":
            return _xls_facts(data, wanted, max_row, max_col)
        return _ods_facts(data, wanted, max_row, max_col)
    except SheetFactsError:
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd, zipfile and the XML parser each raise their own errors
        raise SheetFactsError(str(exc)[:200]) from exc


def xls_encrypted(data: bytes) -> bool:
    """True when an .xls is encrypted (saved with a password to open it): its workbook globals hold a FILEPASS
    record. False for one that is not, or whose workbook stream cannot be found."""
    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
        for name in ("Workbook", "Book"):
            stream, position, size = document.locate_named_stream(name)
            if stream is not None:
                return _has_filepass(stream, position, position + size)
    except Exception:  # noqa: BLE001 - a damaged compound file is unreadable, not encrypted
        return False
    return False


# BIFF8 cell records: NUMBER, LABEL, LABELSST, RK, BOOLERR, FORMULA, BLANK (one cell each); MULRK and MULBLANK
_ONE_CELL = frozenset({0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x0201})
_MULRK, _MULBLANK, _BOUNDSHEET = 0x00BD, 0x00BE, 0x0085


def xls_counts(data: bytes) -> tuple[int, int] | None:
    """(sheets, cells) of an .xls, counted from its BIFF records without parsing a cell (blank formatted cells
    included, as an .xlsx's <c> tags are counted); None when its workbook stream cannot be found."""
    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
        stream, position, size = document.locate_named_stream("Workbook")
        if stream is None:
            stream, position, size = document.locate_named_stream("Book")
    except Exception:  # noqa: BLE001 - a damaged compound file: calamine refuses it as unreadable
        return None
    if stream is None:
        return None
    sheets = cells = 0
    end = position + size
    while position + 4 <= end:
        code, length = struct.unpack_from("<HH", stream, position)
        if code in _ONE_CELL:
            cells += 1
        elif code == _MULRK:
            cells += max(0, (length - 6) // 6)
        elif code == _MULBLANK:
            cells += max(0, (length - 6) // 2)
        elif code == _BOUNDSHEET:
            sheets += 1
        position += 4 + length
    return sheets, cells


def _has_filepass(stream: bytes, position: int, end: int) -> bool:
    """Whether the globals substream (up to its EOF record) holds a FILEPASS record."""
    while position + 4 <= end:
        code, length = struct.unpack_from("<HH", stream, position)
        if code == _BIFF_FILEPASS:
            return True
        if code == _BIFF_EOF:
            return False
        position += 4 + length
    return False


def _xls_facts(data: bytes, wanted: set[str], max_row: int, max_col: int) -> dict[str, SheetFacts]:
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    try:
        found = {}
        for index, title in enumerate(book.sheet_names()):
            if title not in wanted or title in found:
                continue
            sheet = book.sheet_by_index(index)
            facts = SheetFacts(
                {row + 1 for row, info in sheet.rowinfo_map.items() if info.hidden and row < max_row},
                {column + 1 for column, info in sheet.colinfo_map.items() if info.hidden and column < max_col})
            facts.formulas = _xls_formulas(book, book._sh_abs_posn[index], max_row, max_col)
            found[title] = facts
            book.unload_sheet(index)
        return found
    finally:
        book.release_resources()


def _xls_formulas(book, position: int, max_row: int, max_col: int) -> dict[tuple[int, int], str]:
    """The FORMULA records of the sheet whose substream starts at `position` in the workbook stream."""
    stream = book.mem
    formulas = {}
    while position + 4 <= len(stream):
        code, length = struct.unpack_from("<HH", stream, position)
        record = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if code == _BIFF_EOF:
            break
        if code == _BIFF_FORMULA and len(record) >= _FORMULA_TOKENS_AT:
            row, column = struct.unpack_from("<HH", record)
            if row < max_row and column < max_col:
                formulas[(row + 1, column + 1)] = _decompiled(book, record, row, column)
    return formulas


def _decompiled(book, record: bytes, row: int, column: int) -> str:
    """The formula's text as xlrd decompiles it ("=1.0+1.0"), or a plain mark where it cannot."""
    (size,) = struct.unpack_from("<H", record, _FORMULA_TOKENS_AT - 2)
    tokens = record[_FORMULA_TOKENS_AT : _FORMULA_TOKENS_AT + size]
    try:
        text = xls_formula.decompile_formula(book, tokens, size, xls_formula.FMLA_TYPE_CELL, row, column)
    except Exception:  # noqa: BLE001 - xlrd decompiles only some tokens; the cell is a formula all the same
        return SHOWN_WHEN_UNDECOMPILED
    return f"={text}" if text else SHOWN_WHEN_UNDECOMPILED


def _ods_facts(data: bytes, wanted: set[str], max_row: int, max_col: int) -> dict[str, SheetFacts]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.getinfo("content.xml").file_size > MAX_CONTENT_BYTES:
            raise SheetFactsError("content.xml is too large")
        with archive.open("content.xml") as stream:
            return _OdsWalk(wanted, max_row, max_col).walk(stream)


class _OdsWalk:
    """One pass over `content.xml`: the top-level tables asked for, their columns, rows and formula cells."""

    def __init__(self, wanted: set[str], max_row: int, max_col: int) -> None:
        self.wanted, self.max_row, self.max_col = wanted, max_row, max_col
        self.found: dict[str, SheetFacts] = {}
        self.depth = 0  # tables open (a table inside a cell is a subtable: its rows are not the sheet's)
        self.current: SheetFacts | None = None
        self.line = self.column = self.cell = 0
        self.row_repeat = 1

    def walk(self, stream) -> dict[str, SheetFacts]:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "start":
                self._start(element)
            else:
                if element.tag == _T_TABLE:
                    self.depth -= 1
                    if self.depth == 0:
                        self.current = None
                element.clear()
        return self.found

    def _start(self, element) -> None:
        tag = element.tag
        if tag == _T_TABLE:
            self.depth += 1
            title = element.get(_NAME, "")
            if self.depth == 1 and title in self.wanted and title not in self.found:
                self.current = self.found[title] = SheetFacts()
                self.line = self.column = 0
            return
        if self.current is None or self.depth != 1:
            return
        if tag == _T_COLUMN:
            count = _repeat(element, _COLUMNS_REPEATED)
            if element.get(_VISIBILITY) in _HIDDEN:
                self.current.hidden_columns.update(_span(self.column, count, self.max_col))
            self.column += count
        elif tag == _T_ROW:
            self.row_repeat = _repeat(element, _ROWS_REPEATED)
            if element.get(_VISIBILITY) in _HIDDEN:
                self.current.hidden_lines.update(_span(self.line, self.row_repeat, self.max_row))
            self.line += self.row_repeat
            self.cell = 0
        elif tag in _T_CELLS:
            count = _repeat(element, _COLUMNS_REPEATED)
            formula = element.get(_FORMULA)
            first_line = self.line - self.row_repeat + 1
            if formula is not None and first_line <= self.max_row:
                text = _ods_formula(formula)
                self.current.formulas.update({(line, column): text
                                              for line in _span(first_line - 1, self.row_repeat, self.max_row)
                                              for column in _span(self.cell, count, self.max_col)})
            self.cell += count


def _span(before: int, count: int, limit: int) -> range:
    """The 1-based lines (or columns) after `before` that `count` repeats cover, up to `limit`."""
    return range(before + 1, min(before + count, limit) + 1)


def _repeat(element, attribute: str) -> int:
    """A `number-…-repeated` count (1 when absent or not a positive whole number)."""
    text = element.get(attribute, "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def _ods_formula(text: str) -> str:
    """An ODF formula ("of:=[.A1]+1") as it is shown in a cell ("=[.A1]+1")."""
    _, equals, rest = text.partition("=")
    return f"={rest}" if equals else f"={text}"
