"""The ledger's rules in the pure domain: which of the office's facts replace the unit's, and what they deduct."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from fazhi_cli.domain.ledger import (
    CASES,
    INFO,
    INSPECTIONS,
    SUMMARY,
    CaseReceipt,
    InfoRow,
    Inspection,
    LedgerDates,
    NotADate,
    SummaryReceipt,
    apply_ledger,
    build_ledger,
    entry_data,
    entry_from_data,
    ledger_item_score,
    parse_date,
)
from fazhi_cli.rubric.loading import builtin_rubric

DEPARTMENT = builtin_rubric().for_type("department")
EARLY = LedgerDates(2017, dt.date(2017, 12, 10), dt.date(2017, 12, 20), dt.date(2017, 12, 5))
LATE = LedgerDates(2017, dt.date(2017, 12, 10), dt.date(2017, 12, 20), dt.date(2017, 12, 21))
OWN = {**{f"3.2a.{m:02d}": 2 for m in range(1, 13)}, "4.1e": False, "6.2c": False}


def effect(covered, entries, dates=EARLY, own=OWN):
    return apply_ledger("区发改局", DEPARTMENT, build_ledger(set(covered), entries), own, {"3.2a.03": "自评表!F20"},
                        dates)


def test_nothing_is_covered_without_a_ledger():
    found = effect([], [])
    assert found.facts == OWN and not found.findings and not found.items


def test_a_covered_info_row_replaces_months_and_blank_past_months_count_zero():
    found = effect([INFO], [(INFO, InfoRow("区发改局", {3: 1, 1: 2}))])
    assert found.facts["3.2a.03"] == 1 and found.facts["3.2a.01"] == 2
    assert found.facts["3.2a.02"] == 0  # February is over and blank: none received
    assert found.facts["3.2a.12"] == 2  # December is not over: the unit's own count stands
    march = next(f for f in found.findings if f.ref == "3.2a.03")
    assert march.cell == "自评表!F20" and "3.2a 3月:自报 2 条,台账记录 1 条" in march.message
    assert "3.2a 3月:自报 2 条,台账记录 1 条" in found.items["3.2"].lines


def test_an_empty_info_row_covers_nothing():
    assert effect([INFO], [(INFO, InfoRow("区发改局", {}))]).facts == OWN


def test_cases_before_and_after_the_deadline():
    assert effect([CASES], []).facts["4.1e"] is False  # not due yet
    assert [f.code for f in effect([CASES], []).findings] == ["ledger_not_due"]
    after = effect([CASES], [], LATE)
    assert after.facts["4.1e"] is True and after.findings[0].code == "ledger_differs"
    late = effect([CASES], [(CASES, CaseReceipt("区发改局", dt.date(2017, 12, 22), 2, True, None, ""))])
    assert late.facts["4.1e"] is True  # received after 12-20: not by the deadline


def test_cases_that_fail_the_requirement_deduct_the_office_points_capped_by_the_rule():
    failing = [(CASES, CaseReceipt("区发改局", dt.date(2017, 12, 15), 1, False, D("1.5"), "要素不全")),
               (CASES, CaseReceipt("区发改局", dt.date(2017, 12, 16), 1, False, D(1), "未评选"))]
    found = effect([CASES], failing)
    assert found.facts["4.1e"] is False and found.items["4.1"].deduction == 2
    assert "按该规则最多 2 分计" in found.items["4.1"].lines[0] and "要素不全;未评选" in found.items["4.1"].lines[0]
    meets = effect([CASES], [(CASES, CaseReceipt("区发改局", dt.date(2017, 12, 15), 2, True, None, ""))])
    assert meets.items["4.1"].deduction == 0


def test_summary_and_inspections():
    found = effect([SUMMARY], [(SUMMARY, SummaryReceipt("区发改局", dt.date(2017, 12, 11), "总结.pdf"))])
    assert found.facts["6.2c"] is True  # after 12-10
    inspected = effect([INSPECTIONS], [(INSPECTIONS, Inspection("区发改局", "6.4", "仅一人", D(4), "人员不足")),
                                       (INSPECTIONS, Inspection("区发改局", "6.4", "无专职", D(3), "无专职"))])
    assert inspected.items["6.4"].deduction == 7
    assert ledger_item_score(D(5), D(7)) == 0 and ledger_item_score(D(5), D("1.5")) == D("3.5")


def test_entries_round_trip_as_plain_data():
    entry = CaseReceipt("区发改局", dt.date(2017, 12, 15), 2, False, D("1.5"), "理由")
    assert entry_from_data(CASES, "区发改局", entry_data(entry)) == entry
    row = InfoRow("区发改局", {3: 1})
    assert entry_from_data(INFO, "区发改局", entry_data(row)) == row


@pytest.mark.parametrize("raw", ["2017-12-15", "2017/12/15", " 2017.12.15 ", "2017年12月15日", "２０１７－１２－１５",
                                 dt.datetime(2017, 12, 15, 8), dt.date(2017, 12, 15)])
def test_dates_as_people_type_them(raw):
    assert parse_date(raw) == dt.date(2017, 12, 15)


@pytest.mark.parametrize("raw", ["上周", "2017-13-01", "12-15", 43084, ""])
def test_what_is_not_a_date(raw):
    with pytest.raises(NotADate):
        parse_date(raw)
