"""Where the 整改 stands (`rectify.status`): what each unit owes from the approved results, nothing before approval."""

from __future__ import annotations

import datetime as dt

import pytest
from rectify_helpers import DEPT, POLICE, TOWN, approved_campaign

from fazhi_cli.domain.rectification import OPEN, PENALTY_REF, rectify_deadline
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.rectify import rectify_view, status_json
from fazhi_cli.workspace import Workspace


@pytest.fixture
def campaign(cli, tmp_path):
    return approved_campaign(cli, tmp_path)


def test_units_that_lost_points_owe_their_items_and_nothing_is_reported_yet(campaign):
    view = rectify_view(Workspace(campaign), lambda: dt.datetime(2018, 2, 1, 9, tzinfo=CHINA))
    assert [u.unit for u in view.units] == [DEPT, TOWN]  # 区公安分局 lost nothing
    dept = view.unit(DEPT)
    assert view.unit(POLICE) is None and dept.items[-1].ref == PENALTY_REF
    assert set(dept.states().values()) == {OPEN} and view.deadline == dt.date(2018, 3, 31)
    assert view.summary.overdue == ()
    data = status_json(view)
    assert data["units"][0]["unit"] == DEPT and data["units"][0]["items"][0]["state"] == OPEN
    assert data["counts"]["open"] == view.summary.items and data["deadline"] == "2018-03-31"


def test_after_the_deadline_every_unit_with_an_open_item_is_overdue(campaign):
    view = rectify_view(Workspace(campaign), lambda: dt.datetime(2018, 4, 1, 9, tzinfo=CHINA))
    assert view.summary.overdue == (DEPT, TOWN) and status_json(view)["units"][1]["overdue"] is True


def test_nothing_is_owed_before_the_approval(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    with pytest.raises(UsageError, match="尚未审定"):
        rectify_view(Workspace(root))


@pytest.mark.parametrize(("approved_on", "deadline"), [
    (dt.date(2018, 1, 15), dt.date(2018, 2, 15)), (dt.date(2018, 1, 31), dt.date(2018, 2, 28)),
    (dt.date(2018, 12, 20), dt.date(2019, 1, 20)), (dt.date(2019, 12, 31), dt.date(2020, 1, 31))])
def test_without_a_set_deadline_the_units_have_a_month(approved_on, deadline):
    assert rectify_deadline(None, approved_on) == deadline
    assert rectify_deadline(dt.date(2018, 3, 31), approved_on) == dt.date(2018, 3, 31)


def test_rectify_status_prints_each_unit_and_item_and_json_for_scripts(cli, campaign, monkeypatch):
    monkeypatch.setenv("FAZHI_NOW", "2018-04-02T09:00:00+08:00")
    shown = cli("rectify", "status", "-w", campaign)
    assert shown.code == 0 and DEPT in shown.out and "未报告" in shown.out and "已过整改截止日期" in shown.out
    data = cli("rectify", "status", "--json", "-w", campaign).json()
    assert [u["unit"] for u in data["units"]] == [DEPT, TOWN] and data["overdue"] == [DEPT, TOWN]
    assert {"ref", "problem", "deduction", "state"} <= set(data["units"][0]["items"][0])


def test_rectify_status_before_the_approval_is_a_usage_error(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    result = cli("rectify", "status", "-w", root)
    assert result.code == 2 and "尚未审定" in result.err and "fazhi approve" in result.err
