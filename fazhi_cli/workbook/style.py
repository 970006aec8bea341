"""Cell styles and the few cell and sheet helpers every workbook fazhi writes shares."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

PROTECTION_PASSWORD = "fazhi"  # keeps cells from accidental edits; not a secret (see docs/clerk-guide.zh.md)
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
FORMULA_LEADS = ("=", "+", "-", "@")

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
COMPUTED_FILL = PatternFill("solid", fgColor="E2EFDA")
ALERT_FILL = PatternFill("solid", fgColor="F8CBAD")
UNLOCKED = Protection(locked=False)
SCORE_FORMAT = "0.00"


def clean_text(value: object) -> str:
    """Text fit for a cell: control characters removed, cut at Excel's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))[:MAX_CELL_TEXT]


def write_text(cell, value: object) -> None:
    """Write text as text: a string starting with '=' must never become a formula (empty text: a blank cell)."""
    text = clean_text(value)
    if not text:
        cell.value = None
        return
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_LEADS):
        cell.quotePrefix = True  # Excel keeps it text when someone edits the cell


def protect(sheet: Worksheet) -> None:
    """Protect the sheet, leaving only unlocked cells editable but column widths and row heights free."""
    sheet.protection.sheet = True
    sheet.protection.password = PROTECTION_PASSWORD
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.selectLockedCells = False
    sheet.protection.selectUnlockedCells = False


def print_setup(sheet: Worksheet, landscape: bool, title_rows: str | None, one_page: bool = False) -> None:
    """A4, fitted to the page width, header rows repeated on every page, page numbers in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    # fit to the page width only: LibreOffice ignores fitToWidth when a page-count height is also set
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = landscape
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddFooter.center.text = "第 &P 页,共 &N 页"


def display_width(text: str) -> int:
    """Approximate width in Excel character units: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fit_row_height(sheet: Worksheet, line: int, widths: dict[int, float], line_height: float = 14.5) -> None:
    """Set a row's height from its wrapped text (LibreOffice and WPS do not grow rows written by openpyxl)."""
    lines = 1
    for index, width in widths.items():
        value = sheet.cell(line, index).value
        if isinstance(value, str) and value and not value.startswith("="):
            usable = max(width - 1.5, 4)
            lines = max(lines, -(-display_width(value) // int(usable)))
    sheet.row_dimensions[line].height = lines * line_height + 3
