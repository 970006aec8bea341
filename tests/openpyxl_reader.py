"""The reader's former path, kept for the equivalence tests only: openpyxl's read-only mode for the cells and a
second pass over the 自评表's XML for its hidden rows and columns. `fazhi_cli.workbook.xlsx` must give the same."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import IO

import openpyxl
from defusedxml import ElementTree
from openpyxl.utils.exceptions import InvalidFileException

from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import (
    MAX_COLUMNS,
    MAX_ROWS,
    PARSE_ERRORS,
    ReadWorkbook,
    UnreadableWorkbook,
    read_sheets,
)
from fazhi_cli.workbook.xlsx import SheetScan

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_workbook_openpyxl(source: Path | IO[bytes]) -> ReadWorkbook:
    """What `read_workbook` returned when it read with openpyxl (the same messages for unreadable files)."""
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=False, keep_vba=False)
    except (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, OSError, EOFError) as exc:
        raise UnreadableWorkbook("文件已损坏或不是 Excel 工作簿(.xlsx)") from exc
    except PARSE_ERRORS as exc:
        raise UnreadableWorkbook("文件已损坏(内部数据格式错误)") from exc
    except ValueError as exc:
        raise UnreadableWorkbook("文件内容不安全或已损坏,无法读取") from exc
    try:
        return read_sheets(workbook.sheetnames, lambda title: _scan(source, workbook, title))
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise UnreadableWorkbook("文件已损坏(部分内容无法解压)") from exc
    except PARSE_ERRORS as exc:
        raise UnreadableWorkbook("文件已损坏(内部数据格式错误)") from exc
    except ValueError as exc:
        raise UnreadableWorkbook("文件内容不安全或已损坏,无法读取") from exc
    finally:
        workbook.close()


def _scan(source, workbook, title: str) -> SheetScan:
    sheet = workbook[title]
    sheet.reset_dimensions()
    scan = SheetScan(list(sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)))
    if title == layout.SHEET_SCORES:
        scan.rest = _hidden(source, scan)
    return scan


def _hidden(source, scan: SheetScan):
    """A second pass over the 自评表's XML, run when `finish()` is called (as the former reader did)."""
    if not isinstance(source, Path):
        source.seek(0)
    with zipfile.ZipFile(source) as archive:
        part = _sheet_part(archive, layout.SHEET_SCORES)
        if part is None:
            return
        with archive.open(part) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag == f"{_MAIN_NS}row":
                    if element.get("hidden") in ("1", "true") and (element.get("r") or "").isdigit():
                        scan.hidden_lines.add(int(element.get("r")))
                    element.clear()
                elif element.tag == f"{_MAIN_NS}col" and element.get("hidden") in ("1", "true"):
                    scan.hidden_spans.append((element.get("min", "0"), element.get("max", "0")))
    yield from ()


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    with archive.open("xl/workbook.xml") as stream:
        workbook = ElementTree.parse(stream).getroot()
    relation = next((sheet.get(f"{_REL_NS}id") for sheet in workbook.iter(f"{_MAIN_NS}sheet")
                     if sheet.get("name") == sheet_name), None)
    if relation is None or "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return None
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        relations = ElementTree.parse(stream).getroot()
    target = next((r.get("Target") for r in relations.iter(f"{_PACKAGE_REL_NS}Relationship")
                   if r.get("Id") == relation), None)
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return part if part in archive.namelist() else None
