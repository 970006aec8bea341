"""The 反馈函 as a reader sees it: real letters of a real approved workspace, converted by LibreOffice and read back
with poppler (`pdftotext`, `pdftoppm`, `pdffonts`). The 信函格式 of GB/T 9704-2012 §10.1 (the mark 30 mm from the
top over a red double line, thick over thin; a red double line, thin over thick, 20 mm from the bottom; both
170 mm; no page number on the first page) and a lost-items table whose numbers and short item names are never
broken across lines. Skipped with the reason when LibreOffice or poppler is missing, required in CI
(FAZHI_REQUIRE_EXTERNAL=1)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import docx
import pytest
from conftest import OFFICE_NOW
from docx.shared import Mm
from helpers import external_tool, module_cli, require_free_fonts
from test_documents import approved_board
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.documents import layout, letter_layout
from fazhi_cli.documents.official import write_letters
from fazhi_cli.domain.notice_text import display_width
from fazhi_cli.workspace import Workspace

POINT = 25.4 / 72  # mm
PAGE_W, PAGE_H = 210.0, 297.0
UNITS = ("区发改局", "元坝镇")
ISSUER = "广元市昭化区人民政府法制办公室"
FALLBACKS = ("WenQuanYi", "DejaVu", "Liberation", "Droid")
NUMBER_COLUMNS = (0, 2, 3, 4)  # 编号, 分值, 得分, 失分


@dataclass(frozen=True)
class Letter:
    unit: str
    document: Path
    pdf: Path


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> dict[str, Letter]:
    """The approved letters of a department and a township that lost points, with their PDFs."""
    for tool in ("soffice", "pdftotext", "pdftoppm", "pdffonts"):
        external_tool(tool)
    folder = tmp_path_factory.mktemp("letters")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the office's clock by hand (the autouse is per test)
        patch.setenv("FAZHI_NOW", OFFICE_NOW)

        cli = module_cli(patch)

        root = folder / "campaign"
        assert cli("init", root).code == 0
        returned(cli, root, folder, {"区发改局": department_case(), "区公安分局": full_marks("department"),
                                     "元坝镇": township_case()})
        made = write_letters(Workspace(root), units=list(UNITS), board=approved_board(root))
    assert len(made.pdfs) == len(UNITS), made.pdf_note
    return {unit: Letter(unit, document, document.with_suffix(".pdf"))
            for unit in UNITS for document in made.documents if document.stem.endswith(unit)}


# ------------------------------------------------------------------------------------------ reading the PDF


def _poppler(tool: str, *args: str) -> str:
    return subprocess.run([external_tool(tool), *args], check=True, capture_output=True, timeout=120,
                          text=True).stdout


def _layout_pages(pdf: Path) -> list[str]:
    return _poppler("pdftotext", "-layout", str(pdf), "-").split("\f")


@dataclass(frozen=True)
class Word:
    text: str
    top: float  # mm from the page's top edge
    bottom: float
    left: float
    right: float


def _words(pdf: Path, page: int) -> list[Word]:
    html = _poppler("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [Word(unescape(text), float(y0) * POINT, float(y1) * POINT, float(x0) * POINT, float(x1) * POINT)
            for x0, y0, x1, y1, text in re.findall(pattern, html)]


@dataclass(frozen=True)
class Stroke:
    """A run of picture rows red across (nearly) the whole line: one stroke of a rule, in mm."""

    top: float
    bottom: float
    left: float
    right: float

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


DPI = 200


def _red(pixel: bytes) -> bool:
    return pixel[0] >= 180 and pixel[1] <= 120 and pixel[2] <= 120


def _red_strokes(pdf: Path, folder: Path) -> list[Stroke]:
    """The first page as a picture (pdftoppm): the rows red at the page's centre and across at least 150 mm."""
    target = folder / "page"
    subprocess.run([external_tool("pdftoppm"), "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(target)], check=True, timeout=120)
    data = (folder / "page.ppm").read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    width, height = int(header.group(1)), int(header.group(2))
    pixels, mm = data[header.end():], 25.4 / DPI
    rows = []
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        if not _red(row[width // 2 * 3:width // 2 * 3 + 3]):
            continue
        red = [x for x in range(width) if _red(row[x * 3:x * 3 + 3])]
        if (red[-1] - red[0]) * mm >= 150:
            rows.append((y, red[0], red[-1]))
    strokes: list[list[tuple[int, int, int]]] = []
    for row in rows:
        if strokes and row[0] == strokes[-1][-1][0] + 1:
            strokes[-1].append(row)
        else:
            strokes.append([row])
    return [Stroke(s[0][0] * mm, (s[-1][0] + 1) * mm, min(r[1] for r in s) * mm, (max(r[2] for r in s) + 1) * mm)
            for s in strokes]


def _rules(strokes: list[Stroke]) -> list[list[Stroke]]:
    """Strokes less than 1.5 mm apart make one rule (a double line is two)."""
    rules: list[list[Stroke]] = []
    for stroke in strokes:
        if rules and stroke.top - rules[-1][-1].bottom < 1.5:
            rules[-1].append(stroke)
        else:
            rules.append([stroke])
    return rules


def _table_text(pdf: Path) -> str:
    """The lost-items table as pdftotext lays it out: from its heading to the next part's heading."""
    text = "\n".join(_layout_pages(pdf))
    start = text.rfind("\n", 0, text.index("考核项目")) + 1  # the heading row's line
    return text[start:text.index("自评与考核得分的差异")]


def _table_rows(letter: Letter) -> list[list[str]]:
    table = docx.Document(str(letter.document)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


# --------------------------------------------------------------------------------------------- the checks


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit", UNITS)
def test_every_number_in_the_lost_items_table_prints_whole_on_one_line(letters, unit):
    letter = letters[unit]
    table = _table_text(letter.pdf)
    expected: dict[str, int] = {}
    for row in _table_rows(letter):
        for column in NUMBER_COLUMNS:
            expected[row[column]] = expected.get(row[column], 0) + 1
    assert any(re.fullmatch(r"1\d\.\d\d", value) for value in expected), expected  # a 分值 of two digits
    for value, times in expected.items():
        whole = re.findall(rf"(?<![\d.]){re.escape(value)}(?![\d.])", table)
        assert len(whole) >= times, (value, times, table)


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit", UNITS)
def test_an_item_name_that_fits_its_column_prints_on_one_line(letters, unit):
    letter = letters[unit]
    lines = _table_text(letter.pdf).splitlines()
    capacity = {heading: holds for heading, _, holds in letter_layout.LOST_COLUMNS}["考核项目"]
    names = [row[1] for row in _table_rows(letter)]
    short = [name for name in names if display_width(name) <= capacity]
    assert len(short) >= 2, names
    for name in short:
        assert any(name in line for line in lines), (name, lines)


def test_the_table_columns_hold_a_score_of_100_and_fill_no_more_than_the_text_block():
    widths = letter_layout.column_widths()
    assert sum(w.twips for w in widths) <= layout.text_width_twips()
    inner = [w - 2 * letter_layout.CELL_MARGIN for w in widths]
    score = 3 * letter_layout.LETTER_TABLE_SIZE  # "100.00": six half-width characters
    assert all(inner[column] >= score for column in (2, 3, 4)), [Mm(w).mm for w in widths]
    assert inner[0] >= 2 * letter_layout.LETTER_TABLE_SIZE  # the heading 编号


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit", UNITS)
def test_the_mark_is_centred_on_page_1_with_its_top_30_mm_from_the_top(letters, unit):
    mark = next(w for w in _words(letters[unit].pdf, 1) if w.text == ISSUER)
    assert 28.5 <= mark.top <= 32, mark
    assert abs((mark.left + mark.right) / 2 - PAGE_W / 2) < 2, mark


@pytest.mark.libreoffice
@pytest.mark.parametrize("unit", UNITS)
def test_red_double_lines_of_170_mm_under_the_mark_and_20_mm_from_the_bottom(letters, unit, tmp_path):
    letter = letters[unit]
    words = _words(letter.pdf, 1)
    mark = next(w for w in words if w.text == ISSUER)
    title = next(w for w in words if w.text.startswith("关于"))
    rules = _rules(_red_strokes(letter.pdf, tmp_path))
    assert len(rules) == 2, rules
    upper, lower = rules
    assert len(upper) == 2 and upper[0].thickness > upper[1].thickness, upper  # 上粗下细
    assert len(lower) == 2 and lower[0].thickness < lower[1].thickness, lower  # 上细下粗
    assert mark.bottom + 2.5 <= upper[0].top <= mark.bottom + 5.5 and upper[-1].bottom < title.top, (upper, mark)
    assert abs(PAGE_H - lower[-1].bottom - 20) <= 1, lower
    for stroke in (*upper, *lower):
        assert abs(stroke.right - stroke.left - 170) <= 1.5, stroke
        assert abs((stroke.left + stroke.right) / 2 - PAGE_W / 2) <= 1, stroke


@pytest.mark.libreoffice
def test_the_first_page_has_no_page_number_and_the_second_has_its_own(letters):
    pages = _layout_pages(letters["元坝镇"].pdf)
    assert len([page for page in pages if page.strip()]) >= 2, pages
    assert not re.search(r"—\s*1\s*—", pages[0]), pages[0]
    assert re.search(r"—\s*2\s*—", pages[1]), pages[1]


@pytest.mark.libreoffice
def test_the_letters_embed_a_fangsong_and_a_song_and_no_fallback_font(letters, tmp_path):
    require_free_fonts(tmp_path)
    for letter in letters.values():
        listed = _poppler("pdffonts", str(letter.pdf)).splitlines()[2:]
        names = [line.split()[0].split("+")[-1] for line in listed if line.strip()]
        assert all(line.split()[-5] == "yes" for line in listed if line.strip()), listed  # embedded
        assert any(name.startswith("FandolFang") for name in names), names
        assert any(name.startswith(("FandolSong", "NotoSerifCJK")) for name in names), names
        assert not [name for name in names if name.startswith(FALLBACKS)], names
