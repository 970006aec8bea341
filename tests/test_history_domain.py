"""Earlier years' results as kept (`domain.history`): the canonical text, the seal, matching units across years by
name or 原单位名称, the items lost in both years, the change of rank."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fazhi_cli.domain.history import (
    PastUnit,
    PastYear,
    history_seal,
    history_sealed,
    match_previous,
    rank_change,
    repeated_items,
    year_from_json,
    year_json,
    years_running,
)
from fazhi_cli.domain.units import build_roster

YEAR = PastYear(2017, "2017年度法治政府建设考核", "区人民政府", "2018-01-15", "昭府函〔2018〕3号", (
    PastUnit("区发改局", "department", Decimal("96.40"), 3, "优秀", ("2.2", "3.2"), ("3.2",)),
    PastUnit("区食药工商局", "department", Decimal("88.5"), 9, None, ("1.1",)),
    PastUnit("沙坝乡", "township", None, None),
))


def test_a_year_reads_back_from_its_canonical_text_exactly():
    text = year_json(YEAR)
    assert year_from_json(text) == YEAR and year_json(year_from_json(text)) == text


@given(st.decimals(min_value=0, max_value=105, places=2), st.integers(min_value=1, max_value=60))
def test_any_total_and_rank_survive_the_text(total, rank):
    year = PastYear(2018, "t", "b", "2019-01-10", "n", (PastUnit("区发改局", "department", total, rank),))
    assert year_from_json(year_json(year)).units[0].total == total


def test_the_seal_verifies_only_with_the_secret_and_the_content_as_kept():
    import hashlib
    text = year_json(YEAR)
    sha = hashlib.sha256(text.encode()).hexdigest()
    mac = history_seal(b"k" * 32, 2017, sha)
    assert history_sealed(b"k" * 32, 2017, sha, text, mac)
    assert not history_sealed(b"x" * 32, 2017, sha, text, mac)
    assert not history_sealed(b"k" * 32, 2016, sha, text, mac)
    assert not history_sealed(b"k" * 32, 2017, sha, text.replace("96.40", "99.40"), mac)


def test_units_match_by_name_in_either_width_or_through_their_former_name():
    found = match_previous(["区发改局", "区市场监管局", "区应急局"], {"区市场监管局": ("区食药工商局",)}, YEAR)
    assert found["区发改局"].rank == 3 and found["区市场监管局"].unit == "区食药工商局"
    assert "区应急局" not in found  # new this year: no previous


def test_items_lost_both_years_and_places_gained():
    dept = YEAR.unit("区发改局")
    assert repeated_items(["1.1", "3.2", "2.2"], dept) == ("3.2", "2.2") and repeated_items(["1.1"], None) == ()
    assert rank_change(1, dept) == 2 and rank_change(5, dept) == -2 and rank_change(None, dept) is None
    assert rank_change(1, YEAR.unit("沙坝乡")) is None
    assert years_running(["优秀", "良好", "优秀", "优秀"], "优秀") == 2 and years_running([], "优秀") == 0


def test_the_roster_reads_former_names():
    header = ["单位名称", "单位类型", "原单位名称"]
    [unit] = build_roster(header, [(2, {"单位名称": "区市场监管局", "单位类型": "区级部门",
                                        "原单位名称": "区食药工商局、区工商局"})])
    assert unit.former_names == ("区食药工商局", "区工商局")
