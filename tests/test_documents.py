"""`fazhi notice` and `fazhi feedback-letters`: GB/T 9704 Word documents opened with python-docx, their
wording in both results states, escaping, the templates, and (with LibreOffice) their PDFs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from helpers import external_tool, set_weights
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.documents import layout, letter_layout
from fazhi_cli.documents.layout import line_pitch
from fazhi_cli.documents.official import write_letters, write_notice
from fazhi_cli.documents.render import fill, template_path
from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.notice_text import compose_notice
from fazhi_cli.scoring import compute_scores
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace, workbook_file_name

REPO = Path(__file__).resolve().parents[1]
NOTICE = "2017年度法治政府建设考核初步结果请示.docx"
APPROVED = ResultsState(state="approved", by="区人民政府常务会议", date="2018-01-15", doc_no="昭府法办〔2018〕2号")


def approved_board(folder):
    """The workspace's results as approved results (the documents word themselves by `board.state`)."""
    board = compute_scores(Workspace(folder))
    board.state = APPROVED
    return board
HOSTILE = "区{{ x }}&'局"  # what a roster name may hold (the roster refuses < > and ")


@pytest.fixture
def scored(cli, workspace, tmp_path) -> Path:
    set_weights(workspace, department='"5"')
    returned(cli, workspace, tmp_path, {
        "区发改局": department_case(), "区公安分局": full_marks("department"), "区政府办": full_marks("department"),
        "元坝镇": township_case(),
    })
    return workspace


@pytest.fixture
def notice_doc(cli, scored) -> docx.document.Document:
    result = cli("notice", "--doc-no", "昭府法办〔2018〕7号", "--no-pdf", cwd=scored)
    assert result.code == 0, result.err
    assert "初步结果" in result.out
    return docx.Document(str(scored / "reports" / NOTICE))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _style_size(style) -> Pt:
    while style.font.size is None:
        style = style.base_style
    return style.font.size


def _east_asia(style) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def _mm(*lengths) -> tuple[float, ...]:
    """Lengths in millimetres to 0.1 mm (Word keeps twips: 210 mm is 11906 twips)."""
    return tuple(round(length.mm, 1) for length in lengths)


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


# --------------------------------------------------------------------------------------------- the page


def test_the_page_is_a4_with_the_gbt9704_margins_and_a_22_by_28_grid(notice_doc):
    section = notice_doc.sections[0]
    assert _mm(section.page_width, section.page_height) == (210, 297)
    assert _mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (37, 35, 28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    # lines on the grid; characters not (LibreOffice gives a digit or a half-width bracket a whole grid cell)
    assert grid.get(qn("w:type")) == "lines"
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    pitch = int(grid.get(qn("w:linePitch")))
    assert height // pitch == 22
    normal = notice_doc.styles["Normal"].element.rPr
    squeeze = int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20
    char_pitch = _style_size(notice_doc.styles["Normal"]).pt + squeeze  # each character narrowed to fit 28
    assert int(width / 20 / char_pitch) == 28


def test_body_is_3hao_fangsong_gb2312_with_fallbacks_in_the_font_table(notice_doc, scored):
    body = notice_doc.styles["公文正文"]
    assert _east_asia(body) == "仿宋_GB2312" and _style_size(body) == Pt(16)
    assert _east_asia(notice_doc.styles["Normal"]) == "仿宋_GB2312"
    text = next(p for p in notice_doc.paragraphs if p.text.startswith("按照2017年度"))
    assert text.style.name == "公文正文"
    with zipfile.ZipFile(scored / "reports" / NOTICE) as package:
        fonts = package.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋;FangSong' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体;SimSun' in fonts


def _title(document) -> list:
    """The title's paragraphs (before the 主送机关): its first line and the lines that continue it."""
    paragraphs = document.paragraphs
    end = next(i for i, p in enumerate(paragraphs) if p.style.name == "公文主送机关")
    return [p for p in paragraphs[:end] if p.style.name in ("公文标题", "公文标题续行")]


def test_title_mark_and_number_with_the_red_separator(notice_doc):
    title = _title(notice_doc)
    # broken by meaning, two lines of at most 20 characters (a 2号 line), none alone at the end
    assert [p.text for p in title] == ["关于2017年度法治政府建设考核", "初步结果的请示"]
    assert all(_style_size(p.style) == Pt(22) and _east_asia(p.style) == "方正小标宋简体" for p in title)
    mark = _paragraph(notice_doc, "广元市昭化区人民政府法制办公室文件")
    assert str(mark.style.font.color.rgb) == "FF0000"
    # a 请示 is a 上行文: the mark 80 mm down the text block, the 发文字号 and the 签发人 on one line
    assert mark.style.name == "公文上行文发文机关标志"
    assert round(mark.style.paragraph_format.space_before.mm + Twips(line_pitch()).mm) == 80
    number = next(p for p in notice_doc.paragraphs if p.text.startswith("昭府法办〔2018〕7号\t签发人:"))
    signer = number.runs[-1]
    assert signer.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    bottom = number.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    texts = _texts(notice_doc)
    assert texts.index(mark.text) < texts.index(number.text) < texts.index(title[0].text)
    assert "区人民政府:" in texts  # the 请示's 主送机关


def test_the_approved_notice_has_the_35mm_mark_and_its_number_centred(scored):
    made = write_notice(Workspace(scored), make_pdf=False, board=approved_board(scored))
    document = docx.Document(str(made.document))
    mark = _paragraph(document, "广元市昭化区人民政府法制办公室文件")
    assert mark.style.name == "公文发文机关标志"
    assert _paragraph(document, "昭府法办〔2018〕1号").style.name == "公文发文字号"
    assert [p.text for p in _title(document)] == ["关于2017年度法治政府建设考核结果的通报"]


def test_page_numbers_are_dashes_around_a_page_field_outside_the_text_block(notice_doc):
    section = notice_doc.sections[0]
    assert notice_doc.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in xml
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == (2 if side == "right" else 0)
        run = paragraph.runs[0]._r.rPr
        assert run.rFonts.get(qn("w:eastAsia")) == "宋体" and run.sz.val == Pt(14)


def test_the_attachments_hold_exactly_the_models_ranking_in_order(notice_doc, scored):
    model = compute_scores(Workspace(scored)).model
    tables = notice_doc.tables
    assert len(tables) == len(model.types)
    for table, summary in zip(tables, model.types, strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        expected_heading = ["名次", "单位名称", "得分"] + (["折算分"] if summary.type == "department" else [])
        assert rows[0] == expected_heading  # 等次 (no grades set) and an unset weight's 折算分 are dropped
        assert [row[1] for row in rows[1:]] == [r.unit for r in summary.ranked]
        assert [row[0] for row in rows[1:]] == [str(r.rank) for r in summary.ranked]
    department = [[cell.text for cell in row.cells] for row in tables[0].rows]
    assert department[3][1:] == ["区发改局", "96.40", "4.82"]


def test_the_body_is_written_from_the_results(notice_doc):
    text = "\n".join(_texts(notice_doc))
    assert "区级各部门应参加考核29个单位,报送自评材料3个,未报送26个" in text  # not 区政府法制办
    assert "区级各部门得分前3名依次为:区公安分局(100.00分)、区政府办(100.00分)、区发改局(96.40分)" in text
    assert "失分较多的项目依次是" in text and "平均失分率" in text
    # why the units lost points, not the rule quoted (issue 27.10)
    assert re.search(r"“\d\.\d [^”]+”,平均失分率[\d.]+%,主要是\d+个单位", text) and "主要考核" not in text
    assert "有2个单位被特别扣分:区发改局" in text
    assert "于2018年3月31日前将整改情况书面报送广元市昭化区人民政府法制办公室" in text
    assert "附件:1.区级各部门2017年度法治政府建设考核初步结果排名" in text
    assert "以上考核初步结果妥否,请批示。" in text
    assert "征求意见稿 初步结果(未经审定)" in text
    assert text.count("2017年12月5日") == 2  # 成文日期 and 印发日期 on the office's clock, Arabic numerals
    assert "抄送:区委办,区人大办,区政协办,区目标办。" in text
    assert "广元市昭化区人民政府法制办公室\t2017年12月5日印发" in text


def test_approved_results_make_the_tongbao_with_the_approvals_date_and_number(scored):
    made = write_notice(Workspace(scored), make_pdf=False, board=approved_board(scored))
    assert made.document.name == "2017年度法治政府建设考核结果通报.docx"
    document = docx.Document(str(made.document))
    text = "\n".join(_texts(document))
    assert "关于2017年度法治政府建设考核结果的通报" in text and "请示" not in text and "征求意见稿" not in text
    assert "昭府法办〔2018〕2号" in text and "2018年1月15日" in text
    assert "考核结果已经区人民政府常务会议于2018年1月15日审定" in text
    assert "各乡镇人民政府,拣银岩街道办事处,区级各部门:" in text
    assert "二、考核结果" in text and "四、整改要求" in text
    tables = document.tables
    assert tables[0].rows[0].cells[0].text == "名次"


def test_the_dates_signature_sits_two_characters_right_of_the_issuer(notice_doc):
    texts = _texts(notice_doc)
    issuer = next(t for t in texts if t.strip("\u3000 ") == "广元市昭化区人民政府法制办公室")
    date = texts[texts.index(issuer) + 1]
    assert date.strip("\u3000 ") == "2017年12月5日"
    lead = len(issuer) - len(issuer.lstrip("\u3000"))
    assert len(date) - len(date.lstrip("\u3000")) == lead + 2


# ---------------------------------------------------------------------------------------------- letters


def test_one_letter_per_returned_unit_with_its_lost_items_and_reasons(cli, scored):
    result = cli("feedback-letters", "--no-pdf", cwd=scored)
    assert result.code == 0, result.err
    folder = scored / "reports" / "反馈函"
    names = sorted(p.name for p in folder.glob("*.docx"))
    units = ("区发改局", "区公安分局", "区政府办", "元坝镇")
    assert names == sorted(f"2017年度法治政府建设考核反馈函_{u}.docx" for u in units)
    document = docx.Document(str(folder / "2017年度法治政府建设考核反馈函_区发改局.docx"))
    text = "\n".join(_texts(document))
    assert "关于区发改局2017年度法治政府建设考核\n初步结果的反馈函" in text and "区发改局:" in text
    assert "考核得分96.40分(其中特别加分3.00分、特别扣分2.00分),折算分4.82分" in text
    assert "排名" not in text  # preliminary: no rank unless asked
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["编号", "考核项目", "分值", "得分", "失分", "失分情形及理由"]
    lost = {row[0]: row for row in rows[1:]}
    assert set(lost) == {"2.2", "3.2", "4.1", "6.4"}
    assert "一名执法人员未持证" in lost["4.1"][5] and "4.1a" in lost["4.1"][5]
    assert "特别扣分:P1" in text and "于2018年3月31日前将整改情况书面报送我办" in text
    assert "各项得分按你单位自评得分计算,法制办未作调整" in text and "计分依据" not in text  # issue 27.10
    assert _mm(document.sections[0].page_width) == (210,)


def test_ranks_are_shown_when_asked_or_once_approved(cli, scored):
    assert cli("feedback-letters", "--unit", "区发改局", "--ranks", "--no-pdf", cwd=scored).code == 0
    letter = scored / "reports" / "反馈函" / "2017年度法治政府建设考核反馈函_区发改局.docx"
    assert "在区级各部门3个单位中排名第3位" in "\n".join(_texts(docx.Document(str(letter))))
    made = write_letters(Workspace(scored), units=["元坝镇"], make_pdf=False, board=approved_board(scored))
    text = "\n".join(_texts(docx.Document(str(made.documents[0]))))
    assert "排名第1位" in text and "\n情况的反馈函" in text and "征求意见稿" not in text


def test_an_unknown_unit_is_a_usage_error(cli, scored):
    result = cli("feedback-letters", "--unit", "不存在局", "--no-pdf", cwd=scored)
    assert result.code == 2 and "不存在局" in result.err


# ------------------------------------------------------------------------------------------ hostile text


def test_unit_names_and_notes_with_markup_and_jinja_appear_literally(cli, tmp_path):
    roster = tmp_path / "名单.csv"
    source = (REPO / "sample_data" / "units.csv").read_text("utf-8-sig")
    roster.write_text(source.replace("区发改局,", f"{HOSTILE},", 1), "utf-8")
    root = tmp_path / "campaign"
    assert cli("init", root, "--units", roster).code == 0
    assert cli("generate", cwd=root).code == 0
    answers = department_case()
    answers.notes["4.1"] = '<script>alert("x")</script> & {{ x }} {% if 1 %}'
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill_workbook(root / "outbox" / workbook_file_name(2017, HOSTILE), inbox / "a.xlsx", answers)
    assert cli("ingest", inbox, cwd=root).code == 0
    assert cli("notice", "--no-pdf", cwd=root).code == 0
    assert cli("feedback-letters", "--no-pdf", cwd=root).code == 0
    notice = docx.Document(str(root / "reports" / NOTICE))
    assert notice.tables[0].rows[1].cells[1].text == HOSTILE
    letter = next((root / "reports" / "反馈函").glob("*.docx"))
    document = docx.Document(str(letter))
    assert f"{HOSTILE}:" in _texts(document)
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert any('<script>alert("x")</script> & {{ x }} {% if 1 %}' in c for c in cells)


def test_any_text_the_documents_carry_is_escaped(scored, tmp_path):
    board = compute_scores(Workspace(scored))
    notice = compose_notice(board.model, board.rubric, board.campaign, ResultsState.preliminary(), "1",
                            dt.date(2018, 1, 2))
    name = '<b>区"测试"&局</b> {{ 7*7 }} {%p if 1 %}'
    table = notice.attachments[0]
    rows = (dataclasses.replace(table.rows[0], unit=name + "\x07"), *table.rows[1:])
    hostile = dataclasses.replace(notice, title=name, title_lines=(name,),
                                  attachments=(dataclasses.replace(table, rows=rows), *notice.attachments[1:]))
    target = tmp_path / "hostile.docx"
    fill(template_path("notice.docx", None), hostile, target, hostile.title)
    document = docx.Document(str(target))
    assert name in _texts(document)
    assert document.tables[0].rows[1].cells[1].text == name  # the control character dropped
    assert document.core_properties.title == name


# ------------------------------------------------------------------------------------------- templates


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist() if name.endswith(".xml")}


def test_the_committed_templates_are_what_the_layout_code_builds():
    for name, build in (("notice.docx", layout.build_notice_template),
                        ("feedback-letter.docx", letter_layout.build_letter_template),
                        ("rectify-notice.docx", layout.build_rectify_notice_template)):
        fresh = io.BytesIO()
        build().save(fresh)
        committed = _parts((REPO / "templates" / name).read_bytes())
        assert committed == _parts(fresh.getvalue()), f"templates/{name} is stale: run `make templates`"


def test_a_workspace_template_overrides_the_shipped_one_and_its_errors_name_it(cli, scored):
    own = scored / "templates"
    own.mkdir()
    document = docx.Document()
    document.add_paragraph("本办自定义 {{ title }} {{ mark }}")
    document.save(str(own / "notice.docx"))
    assert cli("notice", "--no-pdf", cwd=scored).code == 0
    assert _texts(docx.Document(str(scored / "reports" / NOTICE))) == [
        "本办自定义 关于2017年度法治政府建设考核初步结果的请示 广元市昭化区人民政府法制办公室文件"]
    document.add_paragraph("{{ no_such_name }}")
    document.save(str(own / "notice.docx"))
    result = cli("notice", "--no-pdf", cwd=scored)
    assert result.code == 1 and "公文模板" in result.err and "notice.docx" in result.err
    (own / "notice.docx").write_bytes(b"not a docx")
    result = cli("notice", "--no-pdf", cwd=scored)
    assert result.code == 1 and "不是可以打开的 Word 文档" in result.err


def test_documents_settings_are_read_and_a_bad_date_is_named(cli, scored):
    settings = scored / "fazhi.toml"
    text = settings.read_text("utf-8")
    assert "[documents]" in text and 'superior = "区人民政府"' in text
    settings.write_text(text.replace('superior = "区人民政府"', 'superior = "广元市昭化区人民政府"')
                        .replace("rectify_deadline = 2018-03-31", "rectify_deadline = 2018-02-28"), "utf-8")
    assert cli("notice", "--no-pdf", cwd=scored).code == 0
    texts = _texts(docx.Document(str(scored / "reports" / NOTICE)))
    assert "广元市昭化区人民政府:" in texts and any("于2018年2月28日前" in t for t in texts)
    settings.write_text(settings.read_text("utf-8").replace("rectify_deadline = 2018-02-28",
                                                            'rectify_deadline = "明年春天"'), "utf-8")
    result = cli("notice", "--no-pdf", cwd=scored)
    assert result.code == 2 and "documents.rectify_deadline(整改情况报送截止日期)" in result.err


# --------------------------------------------------------------------------------------------- the PDFs


@pytest.mark.libreoffice
def test_pdfs_hold_the_ranking_in_order_with_cjk_fonts_embedded(cli, scored):
    external_tool("soffice")
    pdftotext, pdffonts = external_tool("pdftotext"), external_tool("pdffonts")
    result = cli("notice", cwd=scored)
    assert result.code == 0, result.err
    pdf = scored / "reports" / NOTICE.replace(".docx", ".pdf")
    assert pdf.is_file()
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, timeout=60,
                          text=True).stdout
    flat = "".join(text.split())
    ranking = compute_scores(Workspace(scored)).model.types[0].ranked
    start = flat.index("区级各部门2017年度法治政府建设考核初步结果排名")
    positions = [flat.index(r.unit, start) for r in ranking]
    assert positions == sorted(positions)
    fonts = subprocess.run([pdffonts, str(pdf)], check=True, capture_output=True, timeout=60, text=True).stdout
    embedded = [line for line in fonts.splitlines()[2:] if line.split()[-5:-4] == ["yes"]]
    assert any(key in line for line in embedded for key in ("WenQuanYi", "Noto", "CJK", "Song", "Fang", "Hei")), fonts
    letters = cli("feedback-letters", cwd=scored)
    assert letters.code == 0, letters.err
    assert len(list((scored / "reports" / "反馈函").glob("*.pdf"))) == 4
    assert not list((scored / "reports").rglob(".pdf-*"))  # the staging folder is gone


# ------------------------------------------------------------------------------------ filling many at once


def _fresh_docxtpl(template: Path, context, target: Path, title: str) -> None:
    """What `fill` did before it compiled each template once: a new DocxTemplate and Jinja2 environment per document."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined

    from fazhi_cli.documents.render import drop_blank_columns, plain

    document = DocxTemplate(str(template))
    document.render(plain(context), jinja_env=Environment(undefined=StrictUndefined, autoescape=True), autoescape=True)
    drop_blank_columns(document.docx.element.body)
    document.docx.core_properties.title = title
    document.save(str(target))


def _letter_jobs(board, folder: Path, copies: int = 1) -> list:
    from fazhi_cli.documents.official import LETTER_TEMPLATE, document_date
    from fazhi_cli.documents.press import PressJob
    from fazhi_cli.domain.notice_text import compose_letter

    template = template_path(LETTER_TEMPLATE, None)
    jobs = []
    for copy in range(copies):
        for name, report in board.model.units.items():
            letter = compose_letter(report, board.campaign, board.state, copy % 2 == 0, document_date(board.state))
            jobs.append(PressJob(template, letter, folder / f"{copy}-{name}.docx", letter.title))
    return jobs


def test_documents_filled_from_a_compiled_template_are_what_a_fresh_docxtpl_writes(scored, tmp_path):
    board = approved_board(scored)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    jobs = _letter_jobs(board, ours, copies=2)  # the second round reuses the compiled template
    notice = compose_notice(board.model, board.rubric, board.campaign, APPROVED, "1", dt.date(2018, 1, 2))
    jobs.append(jobs[0]._replace(template=template_path("notice.docx", None), context=notice,
                                 target=ours / "notice.docx", title=notice.title))
    for job in jobs:
        fill(job.template, job.context, job.target, job.title)
        _fresh_docxtpl(job.template, job.context, theirs / job.target.name, job.title)
    for job in jobs:
        assert _parts(job.target.read_bytes()) == _parts((theirs / job.target.name).read_bytes()), job.target.name


def test_pressed_letters_hold_every_part_docxtpl_writes_byte_for_byte(scored, tmp_path):
    """Issue 26: the letters pressed from one opened template are the letters a fresh docxtpl render writes, every
    part of the package (document, headers, footers, core properties, styles, content types) the same bytes."""
    from fazhi_cli.documents.press import press_all

    board = approved_board(scored)
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    theirs.mkdir()
    jobs = _letter_jobs(board, ours, copies=2)
    assert press_all(jobs) == [job.target for job in jobs]
    for job in jobs:
        _fresh_docxtpl(job.template, job.context, theirs / job.target.name, job.title)
        with zipfile.ZipFile(job.target) as pressed, zipfile.ZipFile(theirs / job.target.name) as rendered:
            assert sorted(pressed.namelist()) == sorted(rendered.namelist())
            for name in rendered.namelist():
                assert pressed.read(name) == rendered.read(name), (job.target.name, name)


def test_letters_filled_on_every_core_are_the_letters_filled_one_by_one(scored, tmp_path, monkeypatch):
    from fazhi_cli.documents.press import press_all
    from fazhi_cli.infra.parallel import PARALLEL_FROM

    board = approved_board(scored)
    made = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("FAZHI_WORKERS", workers)
        folder = tmp_path / workers
        folder.mkdir()
        jobs = _letter_jobs(board, folder, copies=PARALLEL_FROM // len(board.model.units) + 2)
        assert len(jobs) > PARALLEL_FROM
        assert press_all(jobs) == [job.target for job in jobs]
        made[workers] = [_parts(job.target.read_bytes()) for job in jobs]
    assert made["1"] == made["2"]


def test_the_signer_set_in_the_settings_signs_the_request(cli, scored):
    assert cli("config", "set", "签发人", "张三", cwd=scored).code == 0
    assert cli("notice", "--no-pdf", cwd=scored).code == 0
    document = docx.Document(str(scored / "reports" / NOTICE))
    number = next(p for p in document.paragraphs if "签发人" in p.text)
    assert number.text.endswith("\t签发人:张三") and number.runs[-1].text == "张三"


def test_a_letter_gives_the_units_own_total_as_its_form_adds_up_and_the_capped_one_apart(cli, workspace, tmp_path):
    """Issue 27.2: 区发改局 claims 15 on 4.1, whose facts allow 14: its form adds up to 100, and the letter says so
    before the 99 the rubric counts, not a bare “自评总分99.00分” the unit would dispute."""
    from test_approval import above_ceiling
    from test_scores import returned

    returned(cli, workspace, tmp_path, {"区发改局": above_ceiling()})
    assert cli("feedback-letters", "--unit", "区发改局", "--no-pdf", cwd=workspace).code == 0
    text = "\n".join(_texts(docx.Document(str(workspace / "reports" / "反馈函" /
                                                 "2017年度法治政府建设考核反馈函_区发改局.docx"))))
    assert ("你单位自评表所填的自评总分为100.00分,其中4.1项的自评得分高于你单位填报情形对应的得分上限,"
            "按上限计为99.00分") in text
