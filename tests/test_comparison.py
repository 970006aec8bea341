"""This year against the last kept year: `fazhi score --json`'s `previous` and `repeated`, the domain comparison,
approval unaffected, and a kept year edited in the store refused (exit 2)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

from history_helpers import keep_year
from rectify_helpers import approved_campaign
from test_approval import DEPT, POLICE, TOWN

from fazhi_cli.domain.comparison import NowUnit, compare_units, most_moved, repeated_most
from fazhi_cli.domain.history import PastUnit, PastYear


def last_year(dept_lost: tuple[str, ...]) -> PastYear:
    """A made-up 2016: 区发改局 1st and 区公安分局 2nd of the departments, 元坝镇 not in it."""
    return PastYear(2016, "2016年度法治政府建设考核", "区人民政府", "2017-01-20", "昭府函〔2017〕2号", (
        PastUnit(DEPT, "department", Decimal("95.5"), 1, "优秀", dept_lost, ("1.1",)),
        PastUnit(POLICE, "department", Decimal("90"), 2, "良好"),
    ))


def scores(cli, root) -> dict:
    """`fazhi score --json`'s units by name."""
    result = cli("score", "--json", "-w", root)
    assert result.code == 0, result.err
    return {u["unit"]: u for u in json.loads(result.out)["units"]}


def test_score_json_without_kept_year_has_null_previous(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    units = scores(cli, root)
    assert all(u["previous"] is None and u["repeated"] == [] for u in units.values())


def test_score_json_previous_and_repeated(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(("nonexistent", *_lost_ids(cli, root))))
    units = scores(cli, root)
    assert units[DEPT]["previous"] == {"year": 2016, "total": 95.5, "rank": 1, "grade": "优秀"}
    assert units[POLICE]["previous"]["rank"] == 2
    assert units[TOWN]["previous"] is None
    assert units[DEPT]["repeated"] and "nonexistent" not in units[DEPT]["repeated"]
    assert units[POLICE]["repeated"] == []
    assert cli("verify", "-w", root).code == 0
    assert cli("report", "-w", root).code == 0


def _lost_ids(cli, root) -> tuple[str, ...]:
    """The items 区发改局 lost points on this year, as the approval kept them."""
    from fazhi_cli.approval import results_in_force
    from fazhi_cli.workspace import Workspace
    board = results_in_force(Workspace(root))
    return tuple(line.id for line in board.model.units[DEPT].lost_items)


def test_renamed_unit_matched_through_former_name():
    past = PastYear(2016, "t", "区人民政府", "2017-01-20", "d",
                    (PastUnit("旧公安局", "department", Decimal("80"), 3, "合格"),))
    now = [NowUnit(POLICE, "department", 1, (), ("旧公安局",))]
    compared = compare_units(now, past)
    assert compared[POLICE].previous.unit == "旧公安局" and compared[POLICE].change == 2


def test_edited_kept_year_is_refused(cli, tmp_path):
    root = approved_campaign(cli, tmp_path)
    keep_year(root, last_year(()))
    db = sqlite3.connect(root / "fazhi.db")
    with db:
        db.execute("UPDATE history_years SET content = replace(content, '95.5', '99.5')")
    db.close()
    result = cli("score", "--json", "-w", root)
    assert result.code == 2
    assert "2016" in result.err


def test_most_moved_and_repeated_most():
    past = PastYear(2016, "t", "b", "d", "n", (
        PastUnit("甲", "department", Decimal(90), 1, None, ("1.1", "2.1")),
        PastUnit("乙", "department", Decimal(80), 2, None, ("1.1",)),
        PastUnit("丙", "department", Decimal(70), 3, None, ()),
    ))
    now = [NowUnit("甲", "department", 2, ("1.1", "2.1")), NowUnit("乙", "department", 1, ("1.1",)),
           NowUnit("丙", "department", 3, ())]
    compared = compare_units(now, past)
    assert most_moved(compared, "department") == (["乙"], ["甲"])
    assert repeated_most(compared) == [("1.1", 2), ("2.1", 1)]
    assert compared["丙"].repeated == ()
