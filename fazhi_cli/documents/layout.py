"""The GB/T 9704-2012 page (党政机关公文格式) in python-docx: the one place its measures are written down.

`build_notice_template`, `build_rectify_notice_template` and `letter_layout.build_letter_template` make the shipped
Word templates (`templates/notice.docx`, `templates/rectify-notice.docx`, `templates/feedback-letter.docx`; `make
templates` runs `templates.build_templates`). They are ordinary Word documents holding docxtpl's Jinja2 tags, so a
clerk can restyle them in Word or WPS, and a developer changes the layout here and rebuilds them.

The page: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text block);
body 3号 (16 pt) 仿宋_GB2312; 22 lines (the section's line grid) of 28 characters; title 2号 (22 pt)
方正小标宋简体; the 发文机关标志 in red over a red separator line; page numbers “— 1 —” in 4号 (14 pt)
半角宋体 below the text block, odd pages right and even pages left, one character in (单页码居右空一字,
双页码居左空一字); the 版记 between thick and thin lines. Fonts carry their common fallbacks as the font
table's alternative names (仿宋_GB2312 → 仿宋/FangSong), for machines without the official fonts, and each is named
for every script, `w:eastAsia` included (`set_fonts`), so that Word and WPS use it for Chinese; the free fonts that
stand in for them in the PDFs are `fonts`'s.
"""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
FOOTER_DISTANCE = Mm(23)  # the dashes' top 7 mm below the text block (一字线上距版心下边缘 7 mm)
HEADER_DISTANCE = Mm(15)
LINES, CHARACTERS = 22, 28
BODY_SIZE, TITLE_SIZE, PAGE_NUMBER_SIZE, MARK_SIZE, TABLE_SIZE = Pt(16), Pt(22), Pt(14), Pt(24), Pt(14)
# Lines snap to the 22-line grid; characters do not (a character grid gives each digit and half-width character a
# whole cell in LibreOffice, spacing them out): body characters are narrowed by a quarter point instead, so that 28
# fill the 156 mm line (28 × 15.75 pt) in Word, WPS and LibreOffice alike.
CHARACTER_SQUEEZE = -5  # twentieths of a point
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
DASH = "—"  # 一字线 (U+2014)

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
NUMBER_FONT = "宋体"
KAI_FONT = "楷体_GB2312"
# font table entries: name → (alternative names tried where the font is missing, panose, charset)
FONTS = {
    BODY_FONT: ("仿宋;FangSong;STFangsong", "02010609030101010101"),
    TITLE_FONT: ("宋体;SimSun;方正小标宋_GBK", "02000000000000000000"),
    HEADING_FONT: ("SimHei;黑体", "02010609060101010101"),
    NUMBER_FONT: ("SimSun", "02010600030101010101"),
    KAI_FONT: ("楷体;KaiTi;STKaiti", "02010609030101010101"),
}
GB2312_CHARSET = "86"


def text_width_twips() -> int:
    """The text block's width (156 mm) in twips, as Word rounds the page and margins."""
    return PAGE_WIDTH.twips - MARGIN_LEFT.twips - MARGIN_RIGHT.twips


def text_height_twips() -> int:
    """The text block's height (225 mm) in twips."""
    return PAGE_HEIGHT.twips - MARGIN_TOP.twips - MARGIN_BOTTOM.twips


def line_pitch() -> int:
    """The grid's line pitch in twips: the largest that fits 22 lines in the text block."""
    return text_height_twips() // LINES


# --------------------------------------------------------------------------------------- small XML helpers


def _element(tag: str, **attributes: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


# the order of a paragraph's properties in WordprocessingML (Word refuses a file that breaks it)
P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _insert_in_order(p_pr, element) -> None:
    name = element.tag.split("}")[1]
    later = P_PR_ORDER[P_PR_ORDER.index(name) + 1:]
    for old in p_pr.findall(element.tag):
        p_pr.remove(old)
    p_pr.insert_element_before(element, *(f"w:{tag}" for tag in later))


def set_fonts(r_pr, font: str, size: Pt | None = None) -> None:
    """One font for every script of a run or style (eastAsia included), and its size."""
    fonts = r_pr.get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    if size is not None:
        r_pr.get_or_add_sz().val = size


R_PR_AFTER_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                      "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def squeeze(r_pr, twentieths: int = CHARACTER_SQUEEZE) -> None:
    """Character spacing (w:spacing in a run's properties), in twentieths of a point."""
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    r_pr.insert_element_before(_element("w:spacing", val=str(twentieths)), *(f"w:{t}" for t in R_PR_AFTER_SPACING))


def _border(p_pr, edges: dict[str, tuple[str, int, int]]) -> None:
    """Paragraph borders: edge → (colour, width in eighths of a point, space in points)."""
    borders = _element("w:pBdr")
    for edge, (colour, width, space) in edges.items():
        borders.append(_element(f"w:{edge}", val="single", sz=str(width), space=str(space), color=colour))
    _insert_in_order(p_pr, borders)


def at_page_foot(paragraph, lines_up: int) -> None:
    """Put the paragraph in a frame of one grid line, full width, `lines_up` lines above the foot of the text block:
    the 版记's place on the last page (GB/T 9704 7.4). Each line is its own frame at a fixed place (LibreOffice
    frames consecutive paragraphs with different borders not at all), anchored to the paragraph that follows."""
    frame = _element("w:framePr", w=str(text_width_twips()), h=str(line_pitch()), hRule="exact", wrap="around",
                     vAnchor="margin", hAnchor="margin", xAlign="center",
                     y=str(text_height_twips() - line_pitch() * lines_up))
    _insert_in_order(paragraph._p.get_or_add_pPr(), frame)


def _no_grid(p_pr) -> None:
    """Large type (the mark, titles) does not snap to the 28-character grid, which would spread it."""
    _insert_in_order(p_pr, _element("w:snapToGrid", val="0"))


# ---------------------------------------------------------------------------------------------- the page


def _page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch()))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, alignment) -> None:
    """“— N —” in 4号 半角宋体 with a PAGE field, one character in from the outside edge."""
    paragraph.alignment = alignment
    one_character = Pt(PAGE_NUMBER_SIZE.pt)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = one_character
    else:
        paragraph.paragraph_format.left_indent = one_character
    pieces = [("text", f"{DASH} "), ("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"),
              ("end", None), ("text", f" {DASH}")]
    for kind, value in pieces:
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind == "text":
            run.text = value
        elif kind == "instr":
            instruction = _element("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = value
            run._r.append(instruction)
        else:
            run._r.append(_element("w:fldChar", fldCharType=kind))


def _font_table(document: DocumentObject) -> None:
    table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable")
    root = table._element if hasattr(table, "_element") else None
    if root is None:  # a generic XML part: edit its blob
        from lxml import etree

        root = etree.fromstring(table.blob)
        _add_fonts(root)
        table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return
    _add_fonts(root)


def _add_fonts(root) -> None:
    for name, (alternatives, panose) in FONTS.items():
        font = _element("w:font", name=name)
        font.append(_element("w:altName", val=alternatives))
        font.append(_element("w:panose1", val=panose))
        font.append(_element("w:charset", val=GB2312_CHARSET))
        font.append(_element("w:family", val="modern" if name == NUMBER_FONT else "auto"))
        font.append(_element("w:pitch", val="variable"))
        root.append(font)


# -------------------------------------------------------------------------------------------- the styles


def _defaults(document: DocumentObject) -> None:
    """Body type everywhere by default: 3号 仿宋_GB2312, exactly one grid line a line."""
    styles = document.styles.element
    r_pr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr, BODY_FONT, BODY_SIZE)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking (no 。or ) at a line start)
    default_p_pr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for spacing in ("autoSpaceDE", "autoSpaceDN"):  # no space added between Chinese and digits or Latin
        _insert_in_order(default_p_pr, _element(f"w:{spacing}", val="0"))
    normal = document.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), BODY_FONT, BODY_SIZE)
    squeeze(normal.element.get_or_add_rPr())
    normal.font.color.rgb = RGBColor(0, 0, 0)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Twips(line_pitch())  # exactly one grid line
    fmt.widow_control = False
    p_pr = normal.element.get_or_add_pPr()
    for spacing in ("autoSpaceDE", "autoSpaceDN"):
        _insert_in_order(p_pr, _element(f"w:{spacing}", val="0"))


def _style(document: DocumentObject, name: str, font: str = BODY_FONT, size: Pt = BODY_SIZE,
           alignment=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars: int = 0, bold: bool = False):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    set_fonts(style.element.get_or_add_rPr(), font, size)
    style.font.bold = bold
    fmt = style.paragraph_format
    fmt.alignment = alignment
    if first_line_chars:
        fmt.first_line_indent = Pt(size.pt * first_line_chars)
        style.element.get_or_add_pPr().find(qn("w:ind")).set(qn("w:firstLineChars"), str(first_line_chars * 100))
    return style


def _upward_header_styles(document: DocumentObject) -> None:
    """The 版头 of a 上行文 (the 请示): the mark 80 mm below the top of the text block, then the 发文字号 one
    character from the left and the 签发人 one character from the right on one line (GB/T 9704 7.2.3, 7.2.5)."""
    mark = _style(document, "公文上行文发文机关标志", font=TITLE_FONT, size=MARK_SIZE,
                  alignment=WD_ALIGN_PARAGRAPH.CENTER)
    mark.font.color.rgb = RED
    mark.paragraph_format.space_before = Mm(80) - Twips(line_pitch())
    mark.paragraph_format.line_spacing = 1.0
    _no_grid(mark.element.get_or_add_pPr())
    number = _style(document, "公文上行文字号", alignment=WD_ALIGN_PARAGRAPH.LEFT)
    number.paragraph_format.space_before = Twips(line_pitch() * 2)
    number.paragraph_format.left_indent = number.paragraph_format.right_indent = BODY_SIZE
    number.paragraph_format.tab_stops.add_tab_stop(Twips(text_width_twips() - BODY_SIZE.twips * 2),
                                                   WD_TAB_ALIGNMENT.RIGHT)
    _border(number.element.get_or_add_pPr(), {"bottom": (RED_HEX, 12, 11)})


def _styles(document: DocumentObject) -> None:
    _defaults(document)
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    _style(document, "公文正文", first_line_chars=2)
    _style(document, "公文一级标题", font=HEADING_FONT, first_line_chars=2)
    _style(document, "公文署名", alignment=left)
    draft = _style(document, "公文征求意见稿", font=HEADING_FONT, alignment=left)
    draft.font.color.rgb = RED
    _no_grid(draft.element.get_or_add_pPr())
    mark = _style(document, "公文发文机关标志", font=TITLE_FONT, size=MARK_SIZE, alignment=center)
    mark.font.color.rgb = RED
    mark.paragraph_format.space_before = Mm(35) - Twips(line_pitch())
    mark.paragraph_format.line_spacing = 1.0
    _no_grid(mark.element.get_or_add_pPr())
    number = _style(document, "公文发文字号", alignment=center)
    number.paragraph_format.space_before = Twips(line_pitch() * 2)
    _border(number.element.get_or_add_pPr(), {"bottom": (RED_HEX, 12, 11)})  # the red separator, 4 mm below
    _upward_header_styles(document)
    title = _style(document, "公文标题", font=TITLE_FONT, size=TITLE_SIZE, alignment=center)
    title.paragraph_format.space_before = Twips(line_pitch() * 2)
    _no_grid(title.element.get_or_add_pPr())
    title_line = _style(document, "公文标题续行", font=TITLE_FONT, size=TITLE_SIZE, alignment=center)
    _no_grid(title_line.element.get_or_add_pPr())
    recipient = _style(document, "公文主送机关", alignment=left)
    recipient.paragraph_format.space_before = Twips(line_pitch())  # 标题下空一行
    attachment = _style(document, "公文附件标识", font=HEADING_FONT, alignment=left)
    attachment.paragraph_format.page_break_before = True
    attachment_title = _style(document, "公文附件标题", font=TITLE_FONT, size=TITLE_SIZE, alignment=center)
    attachment_title.paragraph_format.space_before = Twips(line_pitch())
    _no_grid(attachment_title.element.get_or_add_pPr())
    cell = _style(document, "公文表格", size=TABLE_SIZE, alignment=center)
    cell.paragraph_format.line_spacing = 1.0
    _no_grid(cell.element.get_or_add_pPr())
    head = _style(document, "公文表头", font=HEADING_FONT, size=TABLE_SIZE, alignment=center)
    head.paragraph_format.line_spacing = 1.0
    _no_grid(head.element.get_or_add_pPr())
    table_note = _style(document, "公文表注", size=TABLE_SIZE, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
    table_note.paragraph_format.line_spacing = 1.0
    copy_to = _style(document, "公文版记抄送", size=PAGE_NUMBER_SIZE, alignment=left)
    copy_to.paragraph_format.left_indent = copy_to.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE.pt)
    _border(copy_to.element.get_or_add_pPr(), {"top": ("000000", 8, 1), "bottom": ("000000", 6, 1)})
    _no_grid(copy_to.element.get_or_add_pPr())
    printed = _style(document, "公文版记印发", size=PAGE_NUMBER_SIZE, alignment=left)
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE.pt)
    printed.paragraph_format.tab_stops.add_tab_stop(Twips(text_width_twips() - Pt(PAGE_NUMBER_SIZE.pt).twips),
                                                    WD_TAB_ALIGNMENT.RIGHT)
    _border(printed.element.get_or_add_pPr(), {"bottom": ("000000", 8, 1)})
    _no_grid(printed.element.get_or_add_pPr())


# --------------------------------------------------------------------------------------------- the parts


def new_document() -> DocumentObject:
    """An empty document with the GB/T 9704 page, styles, page numbers and font fallbacks."""
    document = Document()
    _page(document)
    _styles(document)
    _font_table(document)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "fazhi"
    properties.title = properties.subject = properties.keywords = properties.comments = ""
    properties.created = properties.modified = dt.datetime(2018, 1, 1)
    properties.revision = 1
    return document


def _add(document: DocumentObject, style: str, text: str = "") -> None:
    document.add_paragraph(text, style=style)


def title_part(document: DocumentObject, style: str, lines: str) -> None:
    """A title of one or more lines (`lines` names them): the first in `style`, the others continuing it."""
    _add(document, style, f"{{%p for line in {lines} %}}")
    _add(document, style, "{%p if loop.first %}")
    _add(document, style, "{{ line }}")
    _add(document, style, "{%p else %}")
    _add(document, "公文标题续行", "{{ line }}")
    _add(document, style, "{%p endif %}")
    _add(document, style, "{%p endfor %}")


def _header_part(document: DocumentObject) -> None:
    """The 版头: the 通报's (mark, centred 发文字号, red line) or the 请示's (a 上行文: mark lower down, 发文字号 and
    签发人), then the title and the 主送机关."""
    _add(document, "公文征求意见稿", "{%p if draft %}")
    _add(document, "公文征求意见稿", "{{ draft }}")
    _add(document, "公文征求意见稿", "{%p endif %}")
    _add(document, "公文发文机关标志", "{%p if approved %}")
    _add(document, "公文发文机关标志", "{{ mark }}")
    _add(document, "公文发文字号", "{{ doc_no }}")
    _add(document, "公文发文字号", "{%p else %}")
    _add(document, "公文上行文发文机关标志", "{{ mark }}")
    line = document.add_paragraph("{{ doc_no }}\t签发人:", style="公文上行文字号")
    signer = line.add_run("{{ signer }}")
    set_fonts(signer._r.get_or_add_rPr(), KAI_FONT)  # the 签发人's name in 3号楷体
    _add(document, "公文发文字号", "{%p endif %}")
    title_part(document, "公文标题", "title_lines")
    _add(document, "公文主送机关", "{{ recipient }}")


def _paragraphs(document: DocumentObject, variable: str, keep_last: bool = False) -> None:
    """The body's paragraphs; with `keep_last` the last one kept on the page of what follows (the 署名)."""
    _add(document, "公文正文", f"{{%p for p in {variable} %}}")
    _add(document, "公文正文", "{%p if p.heading %}")
    _add(document, "公文一级标题", "{{ p.text }}")
    if keep_last:
        _add(document, "公文正文", "{%p elif loop.last %}")
        document.add_paragraph("{{ p.text }}", style="公文正文").paragraph_format.keep_with_next = True
    _add(document, "公文正文", "{%p else %}")
    _add(document, "公文正文", "{{ p.text }}")
    _add(document, "公文正文", "{%p endif %}")
    _add(document, "公文正文", "{%p endfor %}")


def _kept(document: DocumentObject, style: str, text: str = "") -> None:
    """A paragraph kept on the page of the next one."""
    document.add_paragraph(text, style=style).paragraph_format.keep_with_next = True


def _signature_part(document: DocumentObject) -> None:
    _add(document, "公文署名")
    _add(document, "公文署名", "{{ signature.issuer }}")
    _add(document, "公文署名", "{{ signature.date }}")
    _add(document, "公文正文", "{%p if note %}")
    _add(document, "公文正文", "{{ note }}")
    _add(document, "公文正文", "{%p endif %}")


def _table(document: DocumentObject, headings: list[str], cells: list[str], widths: list[float],
           loop: str) -> None:
    """A bordered table: a heading row, then one row per item of `loop` (docxtpl's {%tr for %} rows)."""
    table = document.add_table(rows=4, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rows = [headings, [f"{{%tr for r in {loop} %}}"] + [""] * (len(headings) - 1), cells,
            ["{%tr endfor %}"] + [""] * (len(headings) - 1)]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, widths, strict=True):
            cell.width = Mm(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["公文表头" if row is table.rows[0] else "公文表格"]
            paragraph.add_run(text)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(_element("w:tblHeader"))  # the heading row repeats on every page


def build_notice_template() -> DocumentObject:
    """The notice template: 版头, title, 主送机关, body, 附件说明, 署名 and date, 附注, the ranked tables
    as 附件 (a column whose heading comes out blank is dropped), and the 版记."""
    document = new_document()
    _header_part(document)
    _paragraphs(document, "body")
    _add(document, "公文正文")
    _add(document, "公文正文", "{%p for line in attachment_lines %}")
    _add(document, "公文署名", "{{ line }}")
    _add(document, "公文正文", "{%p endfor %}")
    _signature_part(document)
    _add(document, "公文正文", "{%p for t in attachments %}")
    _add(document, "公文附件标识", "{{ t.label }}")
    title_part(document, "公文附件标题", "t.title_lines")
    _add(document, "公文正文")  # a line between the title and its table
    _table(document, ["名次", "单位名称", "得分", "{{ '等次' if t.graded else '' }}",
                      "{{ '折算分' if t.weighted else '' }}"],
           ["{{ r.rank }}", "{{ r.unit }}", "{{ r.total }}", "{{ r.grade }}", "{{ r.converted }}"],
           [16, 56, 36, 20, 28], "t.rows")
    _add(document, "公文表注", "{%p if t.note %}")
    _add(document, "公文表注", "{{ t.note }}")
    _add(document, "公文表注", "{%p endif %}")
    _add(document, "公文正文", "{%p endfor %}")
    _record_part(document)
    return document


def _record_part(document: DocumentObject) -> None:
    """The 版记 (抄送, 印发机关 and 印发日期) at the foot of the last page, on the next page when the document asks
    (`record_on_next_page`: its body ends on an odd page)."""
    _add(document, "公文正文", "{%p if record_on_next_page %}")
    document.add_paragraph(style="公文正文").paragraph_format.page_break_before = True
    _add(document, "公文正文", "{%p endif %}")
    _add(document, "公文版记抄送", "{{ copy_to }}")
    _add(document, "公文版记印发", "{{ printer }}\t{{ printed }}")
    for lines_up, paragraph in enumerate(reversed(document.paragraphs[-2:]), start=1):
        at_page_foot(paragraph, lines_up)
    anchor = document.add_paragraph()  # a frame needs a paragraph after it, here the least there is
    anchor.paragraph_format.line_spacing = Pt(1)
    _no_grid(anchor._p.get_or_add_pPr())


RECTIFY_COLUMNS = ["单位名称", "问题数", "已销号", "待销号", "整改中", "未报告", "是否逾期"]
RECTIFY_CELLS = ["{{ r.unit }}", "{{ r.problems }}", "{{ r.closed }}", "{{ r.reported }}", "{{ r.in_progress }}",
                 "{{ r.open }}", "{{ r.overdue }}"]
# mm, on the 156 mm line: a 4号 heading of three characters fits in 19 mm, of four in 28
RECTIFY_WIDTHS = [33, 19, 19, 19, 19, 19, 28]


def build_rectify_notice_template() -> DocumentObject:
    """The 整改情况通报 template: the 通报's 版头, title, 主送机关, body, 附件说明, 署名 and date, then the 附件 (each
    unit's 整改 counts, overdue or not) and the 版记."""
    document = new_document()
    _header_part(document)
    # the body's last paragraph, the 附件说明, the 署名 and the date on one page (GB/T 9704 7.3.5: never a page of the
    # signature alone, 此页无正文)
    _paragraphs(document, "body", keep_last=True)
    _kept(document, "公文正文")
    _add(document, "公文正文", "{%p for line in attachment_lines %}")
    _kept(document, "公文署名", "{{ line }}")
    _add(document, "公文正文", "{%p endfor %}")
    _kept(document, "公文署名")
    _kept(document, "公文署名", "{{ signature.issuer }}")
    _add(document, "公文署名", "{{ signature.date }}")
    _add(document, "公文附件标识", "{{ attachment.label }}")
    title_part(document, "公文附件标题", "attachment.title_lines")
    _add(document, "公文正文")  # a line between the title and its table
    _table(document, RECTIFY_COLUMNS, RECTIFY_CELLS, RECTIFY_WIDTHS, "attachment.rows")
    _add(document, "公文表注", "{%p if attachment.note %}")
    _add(document, "公文表注", "{{ attachment.note }}")
    _add(document, "公文表注", "{%p endif %}")
    _record_part(document)
    return document
