"""The pure wording helpers of the official documents (`domain.notice_text`, `domain.approval.ResultsState`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.campaign import Campaign, DocumentSettings, default_documents
from fazhi_cli.domain.notice_text import chinese_date, display_width, rectify_by, signature

CAMPAIGN = Campaign("2017年度法治政府建设考核", 2017, "广元市昭化区人民政府法制办公室", dt.date(2017, 12, 10),
                    dt.date(2017, 12, 20), "", "", "")


def test_dates_are_written_with_arabic_numerals_and_no_leading_zeros():
    assert chinese_date(dt.date(2018, 1, 15)) == "2018年1月15日"
    assert chinese_date(dt.date(2017, 12, 5)) == "2017年12月5日"


def test_display_width_counts_wide_characters_as_one_and_others_as_half():
    assert display_width("法制办") == 3
    assert display_width("2018年") == 3
    assert display_width("a,b") == 1.5


def test_the_date_starts_two_characters_right_of_the_issuer():
    placed = signature("广元市昭化区人民政府法制办公室", dt.date(2018, 1, 15))
    assert placed.issuer == "\u3000" * 11 + "广元市昭化区人民政府法制办公室"  # 28 − 2 − 15
    assert placed.date == "\u3000" * 13 + "2018年1月15日"


def test_a_date_longer_than_the_issuer_ends_two_characters_in_and_pushes_the_issuer_left():
    placed = signature("法制办", dt.date(2018, 12, 31))  # the date is 7 characters wide
    assert display_width(placed.date) == 26
    assert display_width(placed.issuer) == 26 - 7 - 2 + 3


def test_results_state_labels():
    assert ResultsState.preliminary().label == "初步结果(未经审定)"
    assert ResultsState.preliminary().key == "preliminary"
    approved = ResultsState("approved", "区人民政府", "2018-01-15", "昭府法办〔2018〕1号")
    assert (approved.label, approved.key) == ("审定结果", "approved")


def test_documents_settings_default_to_the_issuer_and_the_next_spring():
    assert CAMPAIGN.issuer == CAMPAIGN.printer == "广元市昭化区人民政府法制办公室"
    assert default_documents(2017) == DocumentSettings(doc_no="昭府法办〔2018〕1号",
                                                       rectify_deadline=dt.date(2018, 3, 31))
    assert rectify_by(CAMPAIGN) == "在收到本文后一个月内"
    dated = dataclasses.replace(CAMPAIGN, documents=default_documents(2017))
    assert rectify_by(dated) == "于2018年3月31日前"
    own = dataclasses.replace(CAMPAIGN, documents=DocumentSettings(issuer="区法治办", printer="区政府办"))
    assert (own.issuer, own.printer) == ("区法治办", "区政府办")


def test_score_bands_say_whether_their_bounds_are_in():
    """以上 includes its number and 不足 does not: a total of exactly 100 is plainly in “100分以上” (the 2026 run)."""
    from fazhi_cli.domain.grade_text import _score_band

    assert [_score_band(b) for b in ("60 以下", "80–90", "90–100", "100 以上")] == [
        "不足60分", "80分以上不足90分", "90分以上不足100分", "100分以上"]
