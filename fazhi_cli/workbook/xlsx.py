"""The rows of a workbook's sheets, read at the zip level in one pass per sheet.

Gives exactly what openpyxl's read-only mode (`data_only=False`, `reset_dimensions()`, `iter_rows(max_row=…,
max_col=…, values_only=True)`) gives, about ten times faster: it parses only the parts the reader needs (the
content types, the workbook and its relationships, the shared strings, the number formats of the styles, and
the sheets asked for), with the same defusedxml parser, the same cell semantics (a formula is read as its
formula, never its stored result; numbers as int or float; dates by their number format; shared, inline and
rich-text strings) and the same exceptions for a damaged part. The row and column attributes (hidden) that
read-only mode cannot see are collected on the way.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import XML, ParseError, XMLPullParser

from defusedxml.ElementTree import iterparse
from openpyxl.formula.translate import Translator
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.packaging.workbook import WorkbookPackage
from openpyxl.reader.excel import _find_workbook_part, _validate_archive
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_CORE, ARC_CUSTOM, ARC_STYLE, ARC_THEME, SHARED_STRINGS
from openpyxl.xml.functions import fromstring

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _V, _F, _IS = (f"{_NS}{tag}" for tag in ("si", "t", "r", "v", "f", "is"))
_ROW, _CELL, _COL = f"{_NS}row", f"{_NS}c", f"{_NS}col"
_DIMENSION, _DATA = f"{_NS}dimension", f"{_NS}sheetData"
_ITERPARSE_BLOCK = 16 * 1024  # what xml.etree's iterparse reads at a time
_COORDINATES: dict[str, tuple[int, int]] = {}  # "B12" → (12, 2): the same few hundred cells in every return
WHOLE_PART_BYTES = 16 * 1024 * 1024  # a larger part (only a file that bypassed intake's limits) is streamed
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_PLAIN_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


@dataclass
class SheetScan:
    """One sheet's rows as openpyxl's read-only mode gives them, and its hidden rows and columns."""

    rows: list[tuple]
    hidden_lines: set[int] = field(default_factory=set)
    hidden_spans: list[tuple[str, str]] = field(default_factory=list)  # (min, max) of hidden <col>s, as written
    rest: Iterator | None = field(default=None, repr=False)  # the parse, paused after the last row read

    def finish(self) -> None:
        """Parse the rest of the sheet (its hidden rows and columns beyond the rows read; damage raises)."""
        if self.rest is not None:
            for _, element in self.rest:
                _note_hidden(element, self)
            self.rest = None


@dataclass
class Package:
    """An open workbook: its worksheets by title, and what reading their cells needs."""

    archive: zipfile.ZipFile
    sheets: dict[str, str]  # title → zip part, in workbook order (the first of a repeated title)
    strings: list[str]
    date_styles: set[int]
    timedelta_styles: set[int]
    epoch: object
    parsed: dict[str, object] = field(default_factory=dict, repr=False)  # part → its root, parsed when opened

    @property
    def sheetnames(self) -> list[str]:
        """The worksheet titles."""
        return list(self.sheets)

    def close(self) -> None:
        """Close the zip."""
        self.archive.close()

    def scan(self, title: str, max_row: int, max_col: int) -> SheetScan:
        """The sheet's first `max_row` rows, each `max_col` values wide (openpyxl read-only's rows exactly)."""
        part = self.sheets[title]
        scan = SheetScan([])
        root = self.parsed.pop(part, None)
        if root is not None:
            rows = root.iter(_ROW)
            _fill_rows(self, rows, scan, max_row, max_col)
            scan.rest = _rest_of_tree(rows, root)
            return scan
        if self.archive.getinfo(part).file_size > WHOLE_PART_BYTES:
            stream: IO[bytes] = self.archive.open(part)
        else:
            data = self.archive.read(part)
            root = parse_whole(data)
            if root is not None:
                rows = root.iter(_ROW)
                _fill_rows(self, rows, scan, max_row, max_col)
                scan.rest = _rest_of_tree(rows, root)
                return scan
            stream = io.BytesIO(data)
        events = iterparse(stream)
        _fill_rows(self, _rows_of(events, scan), scan, max_row, max_col)
        scan.rest = _closing(events, stream)
        return scan


def parse_whole(data: bytes):
    """The root element of a whole XML part parsed by the C parser, when that is as safe as defusedxml: the
    part cannot declare an entity (no DOCTYPE, the only place one can be declared, in an encoding where that
    word is plain bytes). None when the part must go through defusedxml instead, or does not parse (defusedxml
    then raises what openpyxl raised, where openpyxl would have met the damage)."""
    if not _plainly_safe(data):
        return None
    try:
        return XML(data)
    except ParseError:
        return None


def _plainly_safe(data: bytes) -> bool:
    """True when the part is UTF-8 or ASCII without a DOCTYPE (see `parse_whole`)."""
    if b"<!DOCTYPE" in data or b"\x00" in data or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    declared = _DECLARED_ENCODING.match(data.removeprefix(codecs.BOM_UTF8).lstrip())
    return declared is None or declared.group(1).decode("ascii").lower() in _PLAIN_ENCODINGS


def _rows_of(events: Iterator, scan: SheetScan) -> Iterator:
    """The <row> elements of a streamed parse (its hidden <col>s noted on the way)."""
    for _, element in events:
        if element.tag == _ROW:
            yield element
            element.clear()
        elif element.tag == _COL:
            _note_hidden(element, scan)


def _rest_of_tree(rows: Iterator, root) -> Iterator:
    """The rows after the last one read, then every <col> (for `SheetScan.finish`)."""
    yield from (("end", row) for row in rows)
    yield from (("end", col) for col in root.iter(_COL))


def _closing(parse: Iterator, stream: IO[bytes]) -> Iterator:
    try:
        yield from parse
    finally:
        stream.close()


def open_package(source, whole: frozenset[str] = frozenset()) -> Package:
    """Open a workbook as openpyxl's `load_workbook(read_only=True)` does, in its order and raising what it
    raises (the small parts through openpyxl's own parser and classes).

    The worksheets titled in `whole` (those about to be scanned) are parsed whole now where that can be done
    (`_parse_ahead`): their dimension is checked from the tree, and `scan` reads them without parsing again."""
    archive = _validate_archive(source)
    try:
        manifest = _parsed(Manifest, archive.read(ARC_CONTENT_TYPES))
        strings = _shared_strings(archive, manifest)
        workbook_part = _find_workbook_part(manifest).PartName[1:]
        package = _parsed(WorkbookPackage, archive.read(workbook_part))
        epoch = CALENDAR_MAC_1904 if package.properties.date1904 else WINDOWS_EPOCH
        _properties(archive)
        date_styles, timedelta_styles = _date_styles(archive)
        parsed: dict[str, object] = {}
        sheets = _worksheets(archive, workbook_part, package, whole, parsed)
    except BaseException:
        archive.close()
        raise
    return Package(archive, sheets, strings, date_styles, timedelta_styles, epoch, parsed)


def _properties(archive: zipfile.ZipFile) -> None:
    """The document properties and theme, read (and so checked) as openpyxl reads them; nothing is kept."""
    names = set(archive.namelist())
    if ARC_CORE in names:
        _parsed(DocumentProperties, archive.read(ARC_CORE))
    if ARC_CUSTOM in names:
        _parsed(CustomPropertyList, archive.read(ARC_CUSTOM))
    if ARC_THEME in names:
        archive.read(ARC_THEME)


def _worksheets(archive: zipfile.ZipFile, workbook_part: str, package: WorkbookPackage, whole: frozenset[str],
                parsed: dict[str, object]) -> dict[str, str]:
    """Worksheet title → zip part, found through the workbook's relationships (chartsheets left out); the roots
    of those titled in `whole` that `_parse_ahead` parsed go in `parsed`."""
    relations = _relations(archive, get_rels_path(workbook_part))
    names = set(archive.namelist())
    sheets: dict[str, str] = {}
    for sheet in package.sheets:
        if not sheet.id:
            continue
        relation = relations[sheet.id]
        if relation.target in names and "chartsheet" not in relation.Type:
            root = None
            if sheet.name in whole and sheet.name not in sheets:
                root = _parse_ahead(archive, relation.target)
            if root is None:
                _sheet_dimension(archive, relation.target)
            else:
                parsed[relation.target] = root
            sheets.setdefault(sheet.name, relation.target)
    return sheets


_MEMO: dict[tuple, object] = {}  # (what, part's bytes) → what was read from them; cleared when full
_MEMO_KEPT = 256
_MEMO_PART_BYTES = 256 * 1024  # a larger part is parsed every time


def _memo(read: Callable, source: bytes, *more):
    """`read(source, *more)`, remembered for the same bytes: the small parts (content types, workbook, its
    relationships, styles, properties) are the same in every return the product generated, so each is parsed
    once per process. Only a result is remembered (a part that raises raises every time); nothing remembered is
    changed by its users."""
    if len(source) > _MEMO_PART_BYTES:
        return read(source, *more)
    key = (read, source, *more)
    found = _MEMO.get(key, _MEMO)
    if found is _MEMO:
        found = read(source, *more)
        if len(_MEMO) >= _MEMO_KEPT:
            _MEMO.clear()
        _MEMO[key] = found
    return found


def _parsed(kind, source: bytes):
    """openpyxl's object `kind` read from a part's XML, as openpyxl reads it (`_memo`)."""
    return _memo(_from_tree, source, kind)


def _from_tree(source: bytes, kind):
    return kind.from_tree(fromstring(source))


def _relations(archive: zipfile.ZipFile, part: str) -> dict:
    """The relationships of a part by id, their targets made absolute, as openpyxl's `get_dependents` gives them."""
    return _memo(_relations_of, archive.read(part), part)


def _relations_of(source: bytes, part: str) -> dict:
    return get_dependents(_OnePart(source), part).to_dict()


class _OnePart:
    """An archive holding only the bytes already read (for `get_dependents`, which reads them itself)."""

    def __init__(self, source: bytes) -> None:
        self.source = source

    def read(self, _name: str) -> bytes:
        return self.source


def _parse_ahead(archive: zipfile.ZipFile, part: str):
    """A worksheet's root parsed whole, its dimension checked from the tree as `_sheet_dimension` checks it from
    the head (a ValueError for a bad one); None, nothing checked, when the part cannot be taken this way: too large,
    damaged (its error is met where openpyxl meets it), to be parsed by defusedxml, or laid out unusually.

    A part that parses whole parses in its first block too, and the first <dimension> or <sheetData> to end is
    the same in the tree as in the head, so the check says what `_sheet_dimension` would."""
    if archive.getinfo(part).file_size > WHOLE_PART_BYTES:
        return None
    try:
        data = archive.read(part)
    except Exception:  # noqa: BLE001 - read again as openpyxl reads it, which raises what it raises, where it does
        return None
    root = parse_whole(data)
    if root is None:
        return None
    first = _first_dimension_or_data(root)
    if first is None:
        return None
    if first.tag == _DIMENSION:
        SheetDimension.from_tree(first).boundaries  # noqa: B018 - raises as openpyxl's parse does
    return root


def _first_dimension_or_data(root):
    """The first <dimension> or <sheetData> to end in document order, when every one of them is a child of the
    root (as every spreadsheet application writes them); None otherwise."""
    nested = len(list(root.iter(_DIMENSION))) + len(list(root.iter(_DATA)))
    children = [child for child in root if child.tag in (_DIMENSION, _DATA)]
    return children[0] if children and len(children) == nested else None


def _sheet_dimension(archive: zipfile.ZipFile, part: str) -> None:
    """Read the head of a worksheet up to its dimension, as openpyxl does for every worksheet when it opens a
    workbook: damage there refuses the file as unreadable at once.

    openpyxl's parse reads the part in 16 KiB blocks; the first block alone usually holds the dimension, and is
    parsed here by the C parser when it cannot declare an entity; otherwise openpyxl's own parse runs."""
    with archive.open(part) as stream:
        head = stream.read(_ITERPARSE_BLOCK)
        if _plainly_safe(head):
            parser = XMLPullParser(events=("end",))
            parser.feed(head)
            for _, element in parser.read_events():
                if element.tag == _DIMENSION:
                    SheetDimension.from_tree(element).boundaries  # noqa: B018 - raises as openpyxl's parse does
                    return
                if element.tag == _DATA:
                    return
    with archive.open(part) as stream:
        WorkSheetParser(stream, []).parse_dimensions()


def _shared_strings(archive: zipfile.ZipFile, manifest: Manifest) -> list[str]:
    """The shared-string table as openpyxl reads it (plain text of each <si>: its <t>, then its runs)."""
    part = manifest.find(SHARED_STRINGS)
    if part is None:
        return []
    name = part.PartName[1:]
    root = parse_whole(archive.read(name)) if archive.getinfo(name).file_size <= WHOLE_PART_BYTES else None
    if root is not None:
        return [_text(node).replace("x005F_", "") for node in root.iter(_SI)]
    strings = []
    with archive.open(name) as stream:
        for _, node in iterparse(stream):
            if node.tag == _SI:
                strings.append(_text(node).replace("x005F_", ""))
                node.clear()
    return strings


def _text(node) -> str:
    """The text of an <si> or <is>: its last plain <t>, then the last <t> of each <r> run (phonetics left out)."""
    plain = None
    runs = []
    for child in node:
        if child.tag == _T:
            plain = child.text
        elif child.tag == _R:
            text = None
            for part in child:
                if part.tag == _T:
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(runs) if plain is None else plain + "".join(runs)


def _date_styles(archive: zipfile.ZipFile) -> tuple[set[int], set[int]]:
    """The cell styles (indexes of cellXfs) whose number format is a date, and those that are a duration."""
    try:
        source = archive.read(ARC_STYLE)
    except KeyError:
        return set(), set()
    return _memo(_date_styles_of, source)


def _date_styles_of(source: bytes) -> tuple[frozenset[int], frozenset[int]]:
    root = fromstring(source)
    custom = {int(fmt.get("numFmtId")): fmt.get("formatCode")
              for fmt in root.iterfind(f"{_NS}numFmts/{_NS}numFmt")}
    dates, durations = set(), set()
    for index, xf in enumerate(root.iterfind(f"{_NS}cellXfs/{_NS}xf")):
        number_format = int(xf.get("numFmtId", 0))
        code = custom[number_format] if number_format in custom else BUILTIN_FORMATS.get(number_format)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return frozenset(dates), frozenset(durations)


def _note_hidden(element, scan: SheetScan) -> None:
    if element.tag == _ROW:
        if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
            scan.hidden_lines.add(int(element.get("r")))
        element.clear()
    elif element.tag == _COL and element.get("hidden") in ("1", "true"):
        scan.hidden_spans.append((element.get("min", "0"), element.get("max", "0")))


def _fill_rows(package: Package, elements: Iterator, scan: SheetScan, max_row: int, max_col: int) -> None:
    """openpyxl's `ReadOnlyWorksheet._cells_by_row` with values only, over the <row> elements: missing rows
    filled with empty ones, a row numbered back skipped, stopping at the first row beyond `max_row`."""
    empty = (None,) * max_col
    rows = scan.rows
    counter = 1
    line = 1
    shared: dict[str, Translator] = {}
    row_counter = 0
    for element in elements:
        row_counter = _row_number(element, row_counter)
        if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
            scan.hidden_lines.add(int(element.get("r")))
        values = _row_values(package, element, row_counter, max_col, shared)
        line = row_counter
        if line > max_row:
            break
        while counter < line:
            counter += 1
            rows.append(empty)
        if counter <= line:
            rows.append(values)
            counter += 1
    if max_row < line:
        rows.extend(empty for _ in range(counter, max_row + 1))


def _row_number(element, previous: int) -> int:
    number = element.get("r")
    if number is None:
        return previous + 1
    try:
        return int(number)
    except ValueError:
        value = float(number)
        if value.is_integer():
            return int(value)
        raise ValueError(f"{number} is not a valid row number") from None


def _row_values(package: Package, element, line: int, max_col: int, shared: dict) -> tuple:
    """The row's values, `max_col` wide; every cell is parsed (as openpyxl does), those beyond are dropped."""
    values: list = [None] * max_col
    column = 0
    for cell in element:
        coordinate = cell.get("r")
        if coordinate:
            found = _COORDINATES.get(coordinate)
            if found is None:
                found = _COORDINATES[coordinate] = coordinate_to_tuple(coordinate)
            column = found[1]
        else:
            column += 1
        value = _cell_value(package, cell, coordinate, shared)
        if 1 <= column <= max_col:
            values[column - 1] = value
    return tuple(values)


def _cell_value(package: Package, cell, coordinate: str | None, shared: dict):
    """openpyxl's `WorkSheetParser.parse_cell` (data_only=False), the value alone."""
    data_type = cell.get("t", "n")
    style = cell.get("s", 0)
    if style:
        style = int(style)
    value = None if data_type == "inlineStr" else (cell.findtext(_V, None) or None)
    formula = cell.find(_F)
    if formula is not None:
        return _formula(formula, coordinate, shared)
    if value is not None:
        if data_type == "n":
            value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
            if style in package.date_styles:
                try:
                    return from_excel(value, package.epoch, timedelta=style in package.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if data_type == "s":
            return package.strings[int(value)]
        if data_type == "b":
            return bool(int(value))
        if data_type == "d":
            return from_ISO8601(value)
        return value
    if data_type == "inlineStr":
        child = cell.find(_IS)
        if child is not None:
            return _text(child)
    return value


def _formula(formula, coordinate: str | None, shared: dict):
    """openpyxl's `parse_formula`: "=" and the text; shared formulas translated to their cell."""
    kind = formula.get("t")
    value = "=" if formula.text is None else "=" + formula.text
    if kind == "array":
        return ArrayFormula(ref=formula.get("ref"), text=value)
    if kind == "shared":
        index = formula.get("si")
        if index in shared:
            return shared[index].translate_formula(coordinate)
        if value != "=":
            shared[index] = Translator(value, coordinate)
    elif kind == "dataTable":
        return DataTableFormula(**formula.attrib)
    return value
