"""The 通报 and the 请示 as a reader sees them: real documents of a real workspace, converted by LibreOffice and read
back with poppler (`pdftotext`, `pdffonts`). What GB/T 9704 asks and a reader checks by eye: no space on the page
that the text does not have (no line spread over the character grid, no gap between a digit and a Chinese
character), the 文号 as written, titles broken by meaning, page numbers outside the text block (odd pages right,
even pages left), the ranking tables in rank order, the 版记 at the foot of an even last page, and the 请示's
80 mm 版头 with its 签发人. Skipped with the reason when LibreOffice or poppler is missing, required in CI
(FAZHI_REQUIRE_EXTERNAL=1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import OFFICE_NOW
from helpers import external_tool, module_cli, require_free_fonts
from test_documents import APPROVED, approved_board
from test_letter_print import FALLBACKS, _layout_pages, _poppler, _words
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.approval import results_in_force
from fazhi_cli.documents.official import write_letters, write_notice
from fazhi_cli.workspace import Workspace

MARK = "广元市昭化区人民政府法制办公室文件"
TEXT_TOP, TEXT_BOTTOM = 37.0, 262.0  # the text block, mm from the page's top edge
CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Printed:
    document: Path
    pdf: Path

    def pages(self) -> list[str]:
        return [page for page in _layout_pages(self.pdf) if page.strip()]

    def raw_lines(self) -> list[str]:
        """Every printed line as pdftotext reads it (not laid out: a space only where the page shows a gap)."""
        return _poppler("pdftotext", "-nopgbrk", str(self.pdf), "-").splitlines()

    def source_text(self) -> str:
        """Every paragraph and table cell of the Word document, as written."""
        document = docx.Document(str(self.document))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    """The 请示 (preliminary results) and the 通报 (approved) of one workspace, each with its PDF."""
    for tool in ("soffice", "pdftotext", "pdffonts"):
        external_tool(tool)
    folder = tmp_path_factory.mktemp("notices")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the office's clock by hand (the autouse is per test)
        patch.setenv("FAZHI_NOW", OFFICE_NOW)

        cli = module_cli(patch)

        root = folder / "campaign"
        assert cli("init", root).code == 0
        returned(cli, root, folder, {"区发改局": department_case(), "区公安分局": full_marks("department"),
                                     "区政府办": full_marks("department"), "元坝镇": township_case()})
        request = write_notice(Workspace(root), board=results_in_force(Workspace(root)))
        notice = write_notice(Workspace(root), board=approved_board(root))
        letter = write_letters(Workspace(root), units=["区发改局"], board=approved_board(root))
    assert request.pdf and notice.pdf and letter.pdfs, notice.pdf_note
    return {"请示": Printed(request.document, request.pdf), "通报": Printed(notice.document, notice.pdf),
            "反馈函": Printed(letter.documents[0], letter.pdfs[0])}


KINDS = ("请示", "通报")
EVERY_KIND = (*KINDS, "反馈函")


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", EVERY_KIND)
def test_no_space_on_the_page_that_the_text_does_not_have(printed, kind):
    """A line spread over the character grid (“我 办 组 织”) or LibreOffice's extra space between Chinese and digits
    (“2017 年度”) shows as a space between two characters that the document's text has side by side."""
    document = printed[kind]
    source = re.sub(r"\s+", " ", document.source_text())
    seen = []
    for line in document.raw_lines():
        for match in re.finditer(rf"(?=([{CJK}\d,。、:;()〔〕%]) ([{CJK}\d〔(]))", line):
            pair = f"{match.group(1)} {match.group(2)}"
            if pair not in source:
                seen.append((pair, line))
    assert not seen, seen[:10]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_mark_of_the_text_is_printed(printed, kind):
    """A 、 or , falling at the end of a full line is printed (LibreOffice's hanging punctuation, turned off for the
    PDF, hangs it beyond the text block and leaves it out of the PDF)."""
    source = printed[kind].source_text()
    pdf = "".join(printed[kind].raw_lines())
    assert {mark: pdf.count(mark) for mark in "、,。;:"} == {mark: source.count(mark) for mark in "、,。;:"}


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_full_body_lines_hold_28_characters(printed, kind):
    """The 22 × 28 grid: a full body line holds 28 Chinese characters, never more (a closing mark may hang after the
    28th, LibreOffice's 标点悬挂, and the free 仿宋 draws some marks narrower than a character, so a line with marks
    can hold a mark or two more)."""
    lines = [line.strip() for line in printed[kind].raw_lines()]
    body = lines[:next(i for i, line in enumerate(lines) if line.startswith("附件:"))]  # the tables' notes are 4号
    chinese = [line for line in body if re.fullmatch(rf"[{CJK},。、:;()“”]+", line)]
    assert max(len(re.findall(rf"[{CJK}]", line)) for line in chinese) <= 28, chinese
    full = [line for line in chinese if len(line) >= 28]
    assert len(full) >= 3 and max(map(len, full)) <= 30, chinese


@pytest.mark.libreoffice
def test_the_numbers_read_as_written(printed):
    page_one = printed["通报"].pages()[0]
    assert "昭府法办〔2018〕1号" in page_one  # the 发文字号, no space inside or after the brackets
    text = "".join(printed["通报"].raw_lines())
    assert f"({APPROVED.doc_no})" in text  # the approval's number, full-width brackets
    assert "满分100分,另有特别加分最高" in text and "满分105" not in text


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_the_title_breaks_by_meaning_and_no_line_holds_one_character(printed, kind):
    titles = {"请示": ["关于2017年度法治政府建设考核", "初步结果的请示"],
              "通报": ["关于2017年度法治政府建设考核结果的通报"]}
    lines = [line.strip() for line in printed[kind].raw_lines()]
    start = lines.index(titles[kind][0])
    assert lines[start:start + len(titles[kind])] == titles[kind]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_are_outside_the_text_block_odd_right_even_left(printed, kind):
    pdf = printed[kind].pdf
    for page in (1, 2):
        numbers = [w for w in _words(pdf, page) if w.text == str(page) and w.top > TEXT_BOTTOM]
        assert len(numbers) == 1, [w for w in _words(pdf, page) if w.top > TEXT_BOTTOM]
        assert (numbers[0].left > 150) if page % 2 else (numbers[0].right < 60), numbers


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_the_record_is_at_the_foot_of_an_even_last_page(printed, kind):
    pdf = printed[kind].pdf
    last = len(pypdf.PdfReader(str(pdf)).pages)
    assert last % 2 == 0
    words = _words(pdf, last)
    printed_line = next(w for w in words if w.text.endswith("印发"))
    copy_to = next(w for w in words if w.text.startswith("抄送"))
    assert TEXT_BOTTOM - 12 < printed_line.bottom <= TEXT_BOTTOM + 1, printed_line
    assert copy_to.bottom < printed_line.top
    for page in range(1, last):
        assert not [w for w in _words(pdf, page) if w.text.endswith("印发")]


@pytest.mark.libreoffice
def test_the_ranking_tables_print_in_rank_order(printed):
    board = approved_board(printed["通报"].document.parent.parent)
    text = "\n".join(printed["通报"].pages())
    for summary in board.model.types:
        if not summary.ranked:
            continue
        positions = []
        for row in summary.ranked:
            match = re.search(rf"^\s*{row.rank}\s+{re.escape(row.unit)}\s+([\d.]+)\s*$", text, re.MULTILINE)
            assert match, (row.unit, text[-1500:])
            assert Decimal(match.group(1)) == row.total
            positions.append(match.start())
        assert positions == sorted(positions)


@pytest.mark.libreoffice
def test_the_request_has_the_80mm_header_with_its_signer(printed):
    words = _words(printed["请示"].pdf, 1)
    mark = next(w for w in words if w.text == MARK)
    assert TEXT_TOP + 75 < mark.top < TEXT_TOP + 85, mark  # 80 mm down the text block (上行文)
    number = next(w for w in words if w.text.startswith("昭府法办〔2018〕"))
    signer = next(w for w in words if w.text.startswith("签发人"))
    assert abs(signer.top - number.top) < 1 and signer.left > number.right + 40  # one line, 签发人 on the right
    notice_mark = next(w for w in _words(printed["通报"].pdf, 1) if w.text == MARK)
    assert notice_mark.top < TEXT_TOP + 40  # the 通报's mark 35 mm down


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", EVERY_KIND)
def test_the_official_fonts_are_stood_in_for_by_free_fonts_of_their_kind(printed, kind, tmp_path):
    require_free_fonts(tmp_path)
    listing = _poppler("pdffonts", str(printed[kind].pdf)).splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in listing]
    assert any(name.startswith("FandolFang") for name in names), names  # 仿宋 body
    assert any(name.startswith("FandolSong") for name in names), names  # 宋 page numbers, 小标宋 titles
    assert any(name.startswith("FandolHei") for name in names), names  # 黑体 headings
    assert all(line.split()[-5] == "yes" for line in listing), listing  # every font embedded
    assert not [name for name in names if name.startswith(FALLBACKS)], names
