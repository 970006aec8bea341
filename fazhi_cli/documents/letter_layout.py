"""The 反馈函 in GB/T 9704-2012's 信函格式 (§10.1), in python-docx: `build_letter_template` makes
`templates/feedback-letter.docx` on `layout`'s page, styles and parts.

The first page: the 发文机关标志 (the issuer's name, no 文件) centred in red 小标宋, its top edge 30 mm from
the page's top edge, and 4 mm below it a red double line, thick over thin (上粗下细); 20 mm above the page's
bottom edge a red double line, thin over thick (上细下粗); both 170 mm long, centred on the page (wider than the
156 mm text block), and no page number. Both are on the first page only: the mark and its line are the first-page
header, the lower line the first-page footer (`w:titlePg`; LibreOffice makes it a First Page style), each a
paragraph border of Word's double styles, which Word, WPS and LibreOffice all draw. Later pages keep the
“— N —” page numbers. The title follows two lines below the red line (2号小标宋), then the unit, the body, the
署名 and the date.

The table of lost items is in 五号 (10.5 pt) type, its columns sized for what they hold on one line, cell margins
included: a score up to “100.00”, an item's 编号, an item name of up to 11 characters; the reasons take the rest
of the text block.
"""

from __future__ import annotations

import math

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, Twips

from fazhi_cli.documents.layout import (
    BODY_FONT,
    FOOTER_DISTANCE,
    HEADING_FONT,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PAGE_WIDTH,
    RED,
    RED_HEX,
    TITLE_FONT,
    _add,
    _element,
    _insert_in_order,
    _no_grid,
    _paragraphs,
    _signature_part,
    _style,
    new_document,
    squeeze,
    text_width_twips,
    title_part,
)

LETTER_MARK_SIZE = Pt(24)  # 小一: the standard leaves the size to the issuer
MARK_TOP = Mm(30)  # the mark's top edge from the page's top edge
# a line of Chinese type starts above its characters, by about 0.15 em (measured on the PDF: 1.3 mm at 24 pt)
LINE_ABOVE_CHARACTERS = 0.15
RULE_BELOW_MARK = Pt(10)  # 4 mm below the characters (their line reaches 0.5 mm lower): whole points, at most 31
RULE_LENGTH = Mm(170)
RULE_FROM_BOTTOM = Mm(20)  # the lower double line's bottom edge from the page's bottom edge
RULE_WIDTH = 24  # eighths of a point: 3 pt, the two strokes and the gap between them
THICK_OVER_THIN, THIN_OVER_THICK = "thickThinSmallGap", "thinThickSmallGap"  # as bottom borders

LETTER_TABLE_SIZE = Pt(10.5)  # 五号
CELL_MARGIN = Mm(1)  # left and right in each cell
SLACK = Mm(1)  # beyond the measured text: LibreOffice and Word round glyph widths differently
# what each column holds on one line, in characters (a digit or a point is half a character); None: the rest
LOST_COLUMNS = (("编号", "{{ r.id }}", 2.5), ("考核项目", "{{ r.name }}", 11), ("分值", "{{ r.max }}", 3),
                ("得分", "{{ r.score }}", 3), ("失分", "{{ r.lost }}", 3), ("失分情形及理由", "{{ r.reasons }}", None))
CENTRED = {"编号", "分值", "得分", "失分"}


def rule_indents() -> tuple[Length, Length]:
    """The (left, right) paragraph indents, negative, that stretch a paragraph to the 170 mm centred on the page."""
    overhang = (PAGE_WIDTH - RULE_LENGTH) // 2
    return Length(overhang - MARGIN_LEFT), Length(overhang - MARGIN_RIGHT)


def column_widths() -> list[Length]:
    """The lost-items table's column widths, in whole millimetres, filling the text block."""
    padding = 2 * CELL_MARGIN.mm + SLACK.mm
    fixed = [math.ceil(holds * LETTER_TABLE_SIZE.mm + padding) for _, _, holds in LOST_COLUMNS if holds]
    rest = math.floor(Twips(text_width_twips()).mm) - sum(fixed)
    widths = iter(fixed)
    return [Mm(next(widths) if holds else rest) for _, _, holds in LOST_COLUMNS]


def _bottom_rule(p_pr, kind: str, space: Pt) -> None:
    """A red double line as the paragraph's bottom border, `space` below its text."""
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val=kind, sz=str(RULE_WIDTH), space=str(int(space.pt)), color=RED_HEX))
    _insert_in_order(p_pr, borders)


def _rule_style(document: DocumentObject, name: str, **style):
    made = _style(document, name, **style)
    fmt = made.paragraph_format
    fmt.left_indent, fmt.right_indent = rule_indents()
    fmt.first_line_indent = Pt(0)
    _no_grid(made.element.get_or_add_pPr())
    return made


def _letter_styles(document: DocumentObject) -> None:
    mark = _rule_style(document, "信函发文机关标志", font=TITLE_FONT, size=LETTER_MARK_SIZE,
                       alignment=WD_ALIGN_PARAGRAPH.CENTER)
    mark.font.color.rgb = RED
    mark.paragraph_format.line_spacing = 1.0
    _bottom_rule(mark.element.get_or_add_pPr(), THICK_OVER_THIN, RULE_BELOW_MARK)
    lower = _rule_style(document, "信函下红线", size=Pt(1), alignment=WD_ALIGN_PARAGRAPH.CENTER)
    lower.paragraph_format.line_spacing = Pt(1)
    _bottom_rule(lower.element.get_or_add_pPr(), THIN_OVER_THICK, Pt(0))
    for name, font, alignment in (("反馈函表头", HEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER),
                                  ("反馈函表格", BODY_FONT, WD_ALIGN_PARAGRAPH.CENTER),
                                  ("反馈函表格文字", BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT)):
        cell = _style(document, name, font=font, size=LETTER_TABLE_SIZE, alignment=alignment)
        cell.paragraph_format.line_spacing = 1.0
        squeeze(cell.element.get_or_add_rPr(), 0)  # the body's narrowing fits 28 characters a line: not here
        _no_grid(cell.element.get_or_add_pPr())


def _first_page(document: DocumentObject) -> None:
    """The mark and its line as the first page's header, the lower line as its footer (no page number)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Length(MARK_TOP - Pt(LETTER_MARK_SIZE.pt * LINE_ABOVE_CHARACTERS))
    # the lower line's bottom edge sits on the footer's: the page numbers of later pages keep their place by as
    # much space below them
    section.footer_distance = RULE_FROM_BOTTOM
    for footer in (section.footer, section.even_page_footer):
        for paragraph in footer.paragraphs:
            paragraph.paragraph_format.space_after = Length(FOOTER_DISTANCE - RULE_FROM_BOTTOM)
    header = section.first_page_header.paragraphs[0]
    header.style = document.styles["信函发文机关标志"]
    header.add_run("{{ mark }}")
    section.first_page_footer.paragraphs[0].style = document.styles["信函下红线"]


def _lost_table(document: DocumentObject) -> None:
    """The lost items: a heading row repeated on every page, then one row per item (docxtpl's {%tr for %})."""
    widths = column_widths()
    table = document.add_table(rows=4, cols=len(LOST_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = _element("w:tblCellMar")
    for edge in ("left", "right"):
        margins.append(_element(f"w:{edge}", w=str(CELL_MARGIN.twips), type="dxa"))
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # tblCellMar comes before tblLook
    if look is None:
        table._tbl.tblPr.append(margins)
    else:
        look.addprevious(margins)
    blank = [""] * (len(LOST_COLUMNS) - 1)
    rows = [[heading for heading, _, _ in LOST_COLUMNS], ["{%tr for r in lost %}", *blank],
            [cell for _, cell, _ in LOST_COLUMNS], ["{%tr endfor %}", *blank]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for number, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text, width, (heading, _, _) in zip(row.cells, texts, widths, LOST_COLUMNS, strict=True):
            cell.width = width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            style = "反馈函表头" if number == 0 else "反馈函表格" if heading in CENTRED else "反馈函表格文字"
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[style]
            paragraph.add_run(text)
    table.rows[0]._tr.get_or_add_trPr().append(_element("w:tblHeader"))


def build_letter_template() -> DocumentObject:
    """The 反馈函 template in the 信函格式: the mark and the red lines on the first page, then title, the unit, the
    score, the table of items that lost points, the differences, the 整改要求, 署名, date and 附注."""
    document = new_document()
    _letter_styles(document)
    _first_page(document)
    _add(document, "公文征求意见稿", "{%p if draft %}")
    _add(document, "公文征求意见稿", "{{ draft }}")
    _add(document, "公文征求意见稿", "{%p endif %}")
    title_part(document, "公文标题", "title_lines")
    _add(document, "公文主送机关", "{{ recipient }}")
    _paragraphs(document, "before")
    _add(document, "反馈函表格", "{%p if lost %}")
    _lost_table(document)
    _add(document, "反馈函表格", "{%p endif %}")
    _paragraphs(document, "after")
    _signature_part(document)
    return document
