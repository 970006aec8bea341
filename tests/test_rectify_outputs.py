"""Where the 整改 stands in the other outputs: the summary page's 整改进度 section and `fazhi status`'s line and JSON,
after the approval only (nothing before), unit names escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from rectify_helpers import DEPT, TOWN, reported_campaign

from fazhi_cli import api
from fazhi_cli.approval import results_in_force
from fazhi_cli.domain.rectification import UnitRectification
from fazhi_cli.rectify import rectify_view
from fazhi_cli.reports.html import summary_context
from fazhi_cli.reports.render import environment, load_template, render
from fazhi_cli.workspace import Workspace

AFTER_DEADLINE = "2018-04-02T09:00:00+08:00"  # the deadline is 2018-03-31
BEFORE_DEADLINE = "2018-03-10T09:00:00+08:00"
COUNTS = {"units": 2, "items": 10, "closed": 2, "reported": 1, "in_progress": 1, "open": 6}


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Path:
    """The approved campaign: 区发改局 with one item closed after its report, one closed unreported, one 推进中, one
    已完成 awaiting 销号 and its 特别扣分 unreported; 元坝镇 nothing reported (the counts of `COUNTS`)."""
    return reported_campaign(tmp_path_factory.mktemp("rectify-outputs"))


def _compact(text: str) -> str:
    """The terminal's text without the spaces and line breaks rich puts in to wrap it."""
    return "".join(text.split())


# ------------------------------------------------------------------------------------------------ fazhi status


def test_status_after_the_approval_has_one_line_of_the_rectification(cli, campaign, office_clock):
    office_clock(AFTER_DEADLINE)
    shown = cli("status", "-w", campaign)
    assert shown.code == 0, shown.err
    line = f"整改:2 个单位 10 个问题,已销号 2,待销号 1,整改中 1,未报告 6;逾期 2 个单位({DEPT}、{TOWN})。"
    assert _compact(line) in _compact(shown.out)
    data = cli("status", "--json", "-w", campaign).json()
    assert data["rectify"] == {**COUNTS, "deadline": "2018-03-31", "today": "2018-04-02", "overdue": [DEPT, TOWN]}


def test_status_before_the_deadline_counts_no_unit_overdue(cli, campaign, office_clock):
    office_clock(BEFORE_DEADLINE)
    assert _compact("未报告 6;逾期 0 个单位。") in _compact(cli("status", "-w", campaign).out)
    assert cli("status", "--json", "-w", campaign).json()["rectify"]["overdue"] == []


def test_the_library_counts_on_the_day_it_is_given(campaign, office_clock):
    office_clock(BEFORE_DEADLINE)
    progress = api.status(campaign, today=dt.date(2018, 4, 2)).rectify
    assert progress.today == dt.date(2018, 4, 2) and progress.summary.overdue == (DEPT, TOWN)
    assert api.status(campaign).rectify.summary.overdue == ()  # the office's clock


def test_status_before_the_approval_says_nothing_of_rectification(cli, workspace):
    shown = cli("status", "-w", workspace)
    assert shown.code == 0 and "整改:" not in shown.out
    assert cli("status", "--json", "-w", workspace).json()["rectify"] is None


# ------------------------------------------------------------------------------------------------ summary.html


def _summary(root: Path) -> str:
    return (root / "reports" / "summary.html").read_text("utf-8")


def test_the_summary_shows_the_rectification_progress_once_approved(cli, campaign, office_clock):
    office_clock(AFTER_DEADLINE)
    assert cli("report", "-w", campaign).code == 0
    page = _summary(campaign)
    section = page[page.index("<h2>整改进度</h2>"):]
    assert "整改截止日期 2018-03-31,统计截至 2018-04-02" in section
    assert f"已过整改截止日期仍未完成整改:{DEPT}、{TOWN}。" in section
    cards = ['<div class="n">2</div><div class="l">需整改单位</div>',
             '<div class="n">10</div><div class="l">问题</div>',
             '<div class="n">2</div><div class="l">已销号</div>', '<div class="n">1</div><div class="l">整改中</div>',
             '<div class="n">6</div><div class="l">未报告</div>']
    assert all(card in section for card in cards), section[:800]
    dept_row = ('<tr><td>区发改局</td><td class="num">5</td><td class="num">2</td><td class="num">1</td>\n'
                '      <td class="num">1</td><td class="num">1</td>')
    assert dept_row in section and section.count('<span class="tag bad">逾期</span>') == 3  # the line, two rows


def test_before_the_approval_the_summary_has_no_rectification(cli, workspace):
    assert cli("report", "-w", workspace).code == 0
    assert "整改进度" not in _summary(workspace)


def test_before_the_deadline_no_unit_is_marked_overdue(cli, campaign, office_clock):
    office_clock(BEFORE_DEADLINE)
    assert cli("report", "-w", campaign).code == 0
    section = _summary(campaign).split("<h2>整改进度</h2>")[1]
    assert "逾期</span>" not in section and "已过整改截止日期" not in section


def test_a_unit_name_in_the_progress_table_is_escaped(campaign):
    board = results_in_force(Workspace(campaign))
    view = rectify_view(Workspace(campaign), lambda: dt.datetime.fromisoformat(AFTER_DEADLINE), board)
    name = '<script>alert("x")</script>&'
    hostile = dataclasses.replace(view, units=[UnitRectification(name, view.units[0].items)],
                                  summary=dataclasses.replace(view.summary, overdue=(name,)))
    env = environment(None)
    page = render(load_template(env, "summary.html.j2"), summary_context(board, hostile))
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;") == 2  # the overdue line, the row
