"""The 整改 model (`domain.rectification`): what a unit owes, and where each item stands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from test_scores import department_case, full_marks, returned

from fazhi_cli.domain.rectification import (
    CLOSE,
    CLOSED,
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    OPEN,
    PENALTY_REF,
    REPORTED,
    UNDER_WAY,
    WITHDRAW_CLOSE,
    Closure,
    RectifyItem,
    RectifyReport,
    UnitRectification,
    closures_in_force,
    item_state,
    needs_opinion,
    rectify_items,
    summarise,
)
from fazhi_cli.scoring import compute_scores
from fazhi_cli.workspace import Workspace

DEADLINE = dt.date(2018, 3, 31)


def _report(ref: str, progress: str) -> RectifyReport:
    return RectifyReport(ref, "建立台账" if progress else "", progress, dt.date(2018, 3, 1) if progress else None)


@pytest.mark.parametrize(("progress", "closed", "state"), [
    (None, None, OPEN), ("", None, OPEN), (NOT_STARTED, None, IN_PROGRESS), (UNDER_WAY, None, IN_PROGRESS),
    (DONE, None, REPORTED), (DONE, True, CLOSED), (UNDER_WAY, True, CLOSED), (None, True, CLOSED),
    (DONE, False, REPORTED),  # a withdrawn 销号
])
def test_each_item_state(progress, closed, state):
    report = None if progress is None else _report("1.1", progress)
    closure = None if closed is None else Closure("1.1", closed, "现场核查")
    assert item_state(report, closure) == state


def test_a_closure_needs_an_opinion_unless_the_unit_reported_it_done():
    assert not needs_opinion(_report("1.1", DONE))
    assert needs_opinion(_report("1.1", UNDER_WAY)) and needs_opinion(_report("1.1", NOT_STARTED))
    assert needs_opinion(None)


def test_a_unit_is_overdue_after_the_deadline_only_with_an_item_unfinished():
    items = (RectifyItem("1.1", "遵守行政决策程序", "台账资料不完整", Decimal("0.5")),
             RectifyItem(PENALTY_REF, PENALTY_REF, "P1 行政决策违法", Decimal(2)))
    unit = UnitRectification("区发改局", items, {"1.1": _report("1.1", DONE)},
                             {PENALTY_REF: Closure(PENALTY_REF, True, "已整改到位")})
    assert unit.states() == {"1.1": REPORTED, PENALTY_REF: CLOSED}
    assert not unit.overdue(dt.date(2018, 4, 1), DEADLINE)  # all reported or closed
    behind = UnitRectification("元坝镇", items, {"1.1": _report("1.1", UNDER_WAY)})
    assert [i.ref for i in behind.unfinished()] == ["1.1", PENALTY_REF]
    assert not behind.overdue(DEADLINE, DEADLINE) and behind.overdue(dt.date(2018, 4, 1), DEADLINE)
    summary = summarise([unit, behind], dt.date(2018, 4, 1), DEADLINE)
    assert (summary.units, summary.items, summary.closed, summary.overdue) == (2, 4, 1, ("元坝镇",))
    assert summary.by_state == {OPEN: 1, IN_PROGRESS: 1, REPORTED: 1, CLOSED: 1}


def test_the_items_are_the_points_lost_in_the_reports_words(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": department_case(), "区公安分局": full_marks("department")})
    model = compute_scores(Workspace(workspace)).model
    assert rectify_items(model.units["区公安分局"]) == ()  # lost nothing: owes no 整改
    report = model.units["区发改局"]
    items = rectify_items(report)
    assert [i.ref for i in items] == [line.id for line in report.lost_items] + [PENALTY_REF]
    first = report.lost_items[0]
    assert items[0].deduction == first.lost and items[0].problem == ";".join(first.why)
    assert items[-1].deduction == report.result.penalty and "P1" in items[-1].problem


def test_the_latest_decision_on_an_item_is_its_closure_in_force():
    decisions = [("accept", "区发改局", {}), (CLOSE, "区发改局", {"ref": "1.1", "opinion": "现场核查"}),
                 (CLOSE, "元坝镇", {"ref": PENALTY_REF, "opinion": ""}),
                 (WITHDRAW_CLOSE, "区发改局", {"ref": "1.1", "opinion": "复核有误"})]
    found = closures_in_force(decisions)
    assert found == {"区发改局": {"1.1": Closure("1.1", False, "复核有误")},
                     "元坝镇": {PENALTY_REF: Closure(PENALTY_REF, True, "")}}
    assert item_state(_report("1.1", DONE), found["区发改局"]["1.1"]) == REPORTED
