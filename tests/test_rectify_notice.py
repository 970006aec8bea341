"""`fazhi rectify notice`: the 整改情况通报 of a real approved campaign, its units' 整改 returns and the office's 销号
recorded through the store, read back with python-docx — the counts, the overdue units with their unfinished items,
the annex table — and once printed by LibreOffice (fonts, no stray spaces, the 署名 on a page with the body's last
paragraph, the 版记 on an even last page)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import docx
import pypdf
import pytest
from helpers import external_tool, require_free_fonts
from rectify_helpers import DEPT, TOWN, reported_campaign
from test_letter_print import FALLBACKS, _poppler, _words
from test_notice_print import CJK, TEXT_BOTTOM

from fazhi_cli.documents.rectify_notice import RECTIFY_NOTICE_TEMPLATE, write_rectify_notice
from fazhi_cli.documents.render import fill, template_path
from fazhi_cli.domain.rectification import Closure, UnitRectification, summarise
from fazhi_cli.domain.rectify_text import compose_rectify_notice
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.rectify import rectify_view
from fazhi_cli.workspace import Workspace

NOTICE = "2017年度法治政府建设考核整改情况通报.docx"
AFTER_DEADLINE = "2018-04-02T09:00:00+08:00"  # the deadline is 2018-03-31
BEFORE_DEADLINE = "2018-03-10T09:00:00+08:00"
HEADINGS = ["单位名称", "问题数", "已销号", "待销号", "整改中", "未报告", "是否逾期"]


def at(moment: str):
    return lambda: dt.datetime.fromisoformat(moment)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    """The approved campaign: 区发改局 reported (one item 已完成 and closed, one 推进中, one 已完成 awaiting 销号), the
    office closed one more it never reported, its 特别扣分 unreported; 元坝镇 reported nothing."""
    return reported_campaign(tmp_path_factory.mktemp("rectify-notice"))


def _document(path: Path) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs], [[c.text for c in row.cells] for row in document.tables[0].rows]


def test_the_notice_counts_the_items_and_names_each_overdue_unit_with_its_unfinished_items(cli, campaign,
                                                                                          office_clock):
    office_clock(AFTER_DEADLINE)
    result = cli("rectify", "notice", "--doc-no", "昭府法办〔2018〕9号", "--no-pdf", "-w", campaign)
    assert result.code == 0, result.err
    assert "整改情况通报" in result.out and "逾期未完成整改" in result.out
    paragraphs, table = _document(campaign / "reports" / NOTICE)
    text = "\n".join(paragraphs)
    assert paragraphs[:4] == ["广元市昭化区人民政府法制办公室文件", "昭府法办〔2018〕9号",
                              "关于2017年度法治政府建设考核", "整改情况的通报"]
    assert "区人民政府于2018年1月15日审定(昭府函〔2018〕3号)" in text and "于2018年3月31日前" in text
    assert "共有2个单位的10个问题需要整改" in text
    assert "复核销号的2个" in text and "待我办复核销号的1个" in text and "正在整改的1个" in text
    assert "尚未报告整改情况的6个" in text and "销号率20.0%" in text
    view = rectify_view(Workspace(campaign), at(AFTER_DEADLINE))
    dept = next(p for p in paragraphs if p.startswith(f"{DEPT}:"))
    items = view.unit(DEPT).items
    assert f"“{items[1].ref} {items[1].name}”(整改中)" in dept and "“特别扣分”(未报告)" in dept
    assert items[0].ref not in dept and f"“{items[2].ref}" not in dept and f"“{items[3].ref}" not in dept
    town = next(p for p in paragraphs if p.startswith(f"{TOWN}:"))
    assert all(f"“{i.ref}" in town for i in view.unit(TOWN).items if i.ref != "特别扣分")
    assert f"{DEPT}、{TOWN}要高度重视,责令限期整改" in text and "督查通报制度" in text
    assert paragraphs.index("一、整改总体情况") < paragraphs.index("二、逾期未完成整改的单位") < paragraphs.index(dept)
    assert any(p.strip() == "2018年4月2日" for p in paragraphs)  # the 成文日期: the office's day
    assert "2018年4月2日印发" in text
    assert table == [HEADINGS, [DEPT, "5", "2", "1", "1", "1", "是"], [TOWN, "5", "0", "0", "0", "5", "是"],
                     ["合计", "10", "2", "1", "1", "6", "2个"]]


def test_before_the_deadline_no_unit_is_overdue(cli, campaign, office_clock):
    office_clock(BEFORE_DEADLINE)
    assert cli("rectify", "notice", "--no-pdf", "-w", campaign).code == 0
    paragraphs, table = _document(campaign / "reports" / NOTICE)
    text = "\n".join(paragraphs)
    assert "二、整改推进情况" in paragraphs and "尚未届满" in text and "限期整改" not in text
    assert [row[-1] for row in table[1:]] == ["否", "否", "0个"]
    assert "2018年3月10日" in text


def _board_and_units(campaign: Path):
    view = rectify_view(Workspace(campaign), at(AFTER_DEADLINE))
    return view, view.owed.board


def test_once_every_item_is_closed_the_notice_says_so_and_demands_nothing_overdue(campaign):
    view, board = _board_and_units(campaign)
    closed = [dataclasses.replace(u, closures={i.ref: Closure(i.ref, True) for i in u.items}) for u in view.units]
    notice = compose_rectify_notice(closed, summarise(closed, view.today, view.deadline), board.campaign,
                                    board.state, view.deadline, view.today, "昭府法办〔2018〕9号")
    text = "\n".join(p.text for p in notice.body)
    assert "没有逾期未完成整改的单位" in text and "限期整改" not in text and "销号率100.0%" in text
    assert f"{DEPT}、{TOWN}等2个单位的问题已全部整改销号" in text
    assert all(row.overdue == "否" for row in notice.attachment.rows[:-1]) and notice.overdue == ()


def test_unit_names_are_written_as_text(campaign, tmp_path):
    view, board = _board_and_units(campaign)
    name = '<script>alert("x")</script> & {{ 7*7 }} {%p if 1 %}'
    hostile = [UnitRectification(name, view.units[0].items)]
    notice = compose_rectify_notice(hostile, summarise(hostile, view.today, view.deadline), board.campaign,
                                    board.state, view.deadline, view.today, "1")
    target = tmp_path / "hostile.docx"
    fill(template_path(RECTIFY_NOTICE_TEMPLATE, None), notice, target, notice.title)
    paragraphs, table = _document(target)
    assert table[1][0] == name and any(p.startswith(name) for p in paragraphs)


def test_before_the_approval_there_is_no_rectify_notice(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    result = cli("rectify", "notice", "--no-pdf", "-w", root)
    assert result.code == 2 and "尚未审定" in result.err and "fazhi approve" in result.err
    assert not (root / "reports" / NOTICE).exists()
    with pytest.raises(UsageError):
        write_rectify_notice(Workspace(root), make_pdf=False)


def test_rectify_notice_has_help_with_examples(cli):
    shown = cli("rectify", "notice", "--help")
    assert shown.code == 0 and "示例" in shown.out and "fazhi rectify notice --doc-no" in shown.out


@pytest.mark.libreoffice
def test_printed_it_has_the_free_fonts_no_stray_space_and_the_record_on_an_even_page(campaign, tmp_path):
    for tool in ("soffice", "pdftotext", "pdffonts", "pdftoppm"):
        external_tool(tool)
    made = write_rectify_notice(Workspace(campaign), clock=lambda: dt.datetime(2018, 4, 2, 9, tzinfo=CHINA))
    assert made.pdf is not None, made.pdf_note
    require_free_fonts(tmp_path)
    listing = _poppler("pdffonts", str(made.pdf)).splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in listing]
    assert any(n.startswith("FandolFang") for n in names) and any(n.startswith("FandolHei") for n in names), names
    assert all(line.split()[-5] == "yes" for line in listing), listing  # every font embedded
    assert not [n for n in names if n.startswith(FALLBACKS)], names
    document = docx.Document(str(made.document))
    source = re.sub(r"\s+", " ", "\n".join([p.text for p in document.paragraphs]
                                           + [c.text for t in document.tables for r in t.rows for c in r.cells]))
    lines = _poppler("pdftotext", "-nopgbrk", str(made.pdf), "-").splitlines()
    stray = [(f"{m.group(1)} {m.group(2)}", line) for line in lines
             for m in re.finditer(rf"(?=([{CJK}\d,。、:;()〔〕%]) ([{CJK}\d〔(]))", line)
             if f"{m.group(1)} {m.group(2)}" not in source]
    assert not stray, stray
    last = len(pypdf.PdfReader(str(made.pdf)).pages)
    assert last % 2 == 0
    printed = next(w for w in _words(made.pdf, last) if w.text.endswith("印发"))
    assert TEXT_BOTTOM - 12 < printed.bottom <= TEXT_BOTTOM + 1, printed
    text = _poppler("pdftotext", "-layout", str(made.pdf), "-")
    assert "关于2017年度法治政府建设考核" in text and "整改情况统计表" in text
    signed = next(page for page in text.split("\f") if re.search(r"^\s*2018年4月2日\s*$", page, re.MULTILINE))
    assert "广元市昭化区人民政府法制办公室" in signed and "附件:" in signed  # the 署名 and date with the body's
    assert "防止同类问题" in signed.replace(" ", "").replace("\n", "")  # last paragraph: never a page of them alone
    _poppler("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(made.pdf), str(tmp_path / "page"))
    assert (tmp_path / "page-1.png").stat().st_size > 10_000  # looked at by eye when written: a 公文's first page


def test_without_units_that_lost_points_the_notice_says_there_is_nothing_to_rectify(campaign):
    view, board = _board_and_units(campaign)
    notice = compose_rectify_notice([], summarise([], view.today, view.deadline), board.campaign, board.state,
                                    view.deadline, view.today, "1")
    text = "\n".join(p.text for p in notice.body)
    assert "没有单位失分,无需整改" in text and "没有需要整改的问题" in text and "限期整改" not in text
    assert notice.attachment.rows == ()
