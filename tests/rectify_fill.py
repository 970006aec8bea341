"""Filling a 整改 workbook as a unit would, with openpyxl, and editing its hidden identity as a forger would: the test
inputs of the 整改 workbook and ingest tests, built in code over the real generator."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.rectify import layout
from fazhi_cli.workbook import layout as book_layout


def header(sheet) -> tuple[int, dict[str, int]]:
    """The header row of a 整改清单 and each title's 1-based column."""
    for row in sheet.iter_rows(min_row=1, max_row=15):
        titles = {normalise_text(c.value): c.column for c in row if isinstance(c.value, str)}
        if all(t in titles for t in layout.REQUIRED_RECTIFY_COLUMNS):
            return row[0].row, titles
    raise AssertionError("no header")


def item_lines(sheet) -> dict[str, int]:
    """Each 编号's row."""
    line, titles = header(sheet)
    return {sheet.cell(r, titles[layout.COL_ID]).value: r for r in range(line + 1, sheet.max_row + 1)
            if sheet.cell(r, titles[layout.COL_ID]).value}


def fill_rectify(source: Path, target: Path, reports: dict[str, dict[str, object]]) -> Path:
    """`source` with each 编号's cells set (by column title), saved as `target`."""
    book = openpyxl.load_workbook(source)
    sheet = book[layout.SHEET_RECTIFY]
    _, titles = header(sheet)
    lines = item_lines(sheet)
    for ref, values in reports.items():
        for title, value in values.items():
            sheet.cell(lines[ref], titles[title]).value = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def edit_identity(source: Path, target: Path, **changes: str | None) -> Path:
    """`source` with identity keys changed (None: the key's row removed), saved as `target` (the seal as it was)."""
    book = openpyxl.load_workbook(source)
    sheet = book[book_layout.SHEET_IDENTITY]
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        key = row[0].value
        if key in changes:
            if changes[key] is None:
                row[0].value = row[1].value = None
            else:
                row[1].value = changes[key]
    book.save(target)
    return target


def identity_of(path: Path) -> dict[str, str]:
    """The identity a workbook carries."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {row[0]: row[1] for row in book[book_layout.SHEET_IDENTITY].iter_rows(values_only=True) if row[0]}
    finally:
        book.close()
