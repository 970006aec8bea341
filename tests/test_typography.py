"""The punctuation and titles of a 公文 (`domain.typography`): what each value put into an official document becomes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi_cli.domain.notice_text import display_width
from fazhi_cli.domain.typography import TITLE_CHARACTERS, document_number, official_punctuation, title_lines


@pytest.mark.parametrize(("written", "printed"), [
    ("昭府法办〔2018 〕 1 号", "昭府法办〔2018〕1号"),
    ("金依法办〔2026〕 8号", "金依法办〔2026〕8号"),
    ("金依法办[2026]8号", "金依法办〔2026〕8号"),
    ("昭府函【2018】3号", "昭府函〔2018〕3号"),
    ("昭府函(2018)3号", "昭府函〔2018〕3号"),
    ("昭府法办〔2018〕1号", "昭府法办〔2018〕1号"),
])
def test_a_document_number_is_written_with_hexagonal_brackets_and_no_spaces(written, printed):
    assert document_number(written) == printed


@pytest.mark.parametrize(("written", "printed"), [
    ("各乡镇(街道)平均得分91.75分(满分100分)", "各乡镇(街道)平均得分91.75分(满分100分)"),
    ("联系人:张三, 电话: 0839-1234567", "联系人:张三,电话:0839-1234567"),
    ("时间 10:30,地点", "时间10:30,地点"),  # a time's colon stays
    ("从总分分布看,80–90分13个", "从总分分布看,80～90分13个"),
    ("区发改局(P1 行政决策违法:1 次,扣 2 分)", "区发改局(P1 行政决策违法:1次,扣2分)"),
    ("“2.2 服务群众”(平均失分率28.5%", "“2.2 服务群众”(平均失分率28.5%"),  # an item's number keeps its space
    ("3.1 积极应诉", "3.1 积极应诉"),
    ("每月报送 2条以上,扣0.2 分", "每月报送2条以上,扣0.2分"),
    ("Hello, world", "Hello, world"),
])
def test_chinese_text_takes_full_width_marks_and_no_space_beside_numbers(written, printed):
    assert official_punctuation(written) == printed


@given(st.text(max_size=60))
def test_punctuation_is_idempotent_and_keeps_every_letter_and_digit(text):
    once = official_punctuation(text)
    assert official_punctuation(once) == once
    assert [c for c in once if c.isalnum()] == [c for c in text if c.isalnum()]


@pytest.mark.parametrize(("title", "lines"), [
    ("关于2017年度法治政府建设考核结果的通报", ("关于2017年度法治政府建设考核结果的通报",)),
    ("关于2017年度法治政府建设考核初步结果的请示", ("关于2017年度法治政府建设考核", "初步结果的请示")),
    ("关于丁家乡2017年度法治政府建设考核情况的反馈函", ("关于丁家乡2017年度法治政府建设考核", "情况的反馈函")),
    ("关于区人力资源和社会保障局2017年度法治政府建设考核初步结果的反馈函",
     ("关于区人力资源和社会保障局2017年度", "法治政府建设考核初步结果的反馈函")),
])
def test_a_long_title_breaks_after_a_whole_word(title, lines):
    assert title_lines(title) == lines


@given(st.text(alphabet="关于年度法治政府建设考核结果的通报请示区乡镇局0123456789", min_size=1, max_size=45))
def test_a_title_loses_nothing_and_each_line_is_whole_when_it_can_be(title):
    lines = title_lines(title)
    assert "".join(lines) == title and 1 <= len(lines) <= 2 and all(lines)
    if display_width(title) <= TITLE_CHARACTERS:
        assert lines == (title,)
