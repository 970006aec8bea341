"""`fazhi init DIR --from OLD`: the next campaign carried from the last (roster, rubric, settings moved to the new
year, the approved results kept and sealed so that the old folder may go), chained over years; `fazhi history`; and
the refusals, each exit 2 with nothing written."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tomllib
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from rectify_helpers import approved_campaign, reported_campaign
from test_approval import DEPT, POLICE, ROSTER, TOWN, tamper
from test_scores import department_case, full_marks, township_case

from fazhi_cli.cli import output
from fazhi_cli.history import kept_years, moved_date
from fazhi_cli.rectify import rectify_view
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


@pytest.fixture
def old(cli, tmp_path) -> Path:
    """The approved three-unit 2017 campaign (approved on 2018-01-15, 整改截止 2018-03-31)."""
    return approved_campaign(cli, tmp_path)


def settings(root: Path) -> dict:
    return tomllib.loads((root / "fazhi.toml").read_text("utf-8"))


def approve_2018(cli, office_clock, root: Path, tmp_path: Path, answers=None) -> None:
    """Generate, fill, ingest and approve the 2018 campaign in `root` (every unit returned)."""
    office_clock(dt.datetime(2018, 12, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert cli("generate", "-w", root).code == 0
    inbox = tmp_path / f"returns-{root.name}"
    inbox.mkdir()
    answers = answers or {DEPT: full_marks("department"), POLICE: department_case(), TOWN: township_case()}
    for unit, filled in answers.items():
        fill_workbook(root / "outbox" / f"2018年度法治政府建设自评表_{unit}.xlsx", inbox / f"{unit}.xlsx", filled)
    assert cli("ingest", inbox, "-w", root).code == 0
    office_clock(dt.datetime(2019, 1, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    done = cli("approve", "--by", "区人民政府", "--date", "2019-01-15", "--doc-no", "昭府函〔2019〕2号", "-w", root)
    assert done.code == 0, done.err


def test_moved_date_keeps_the_day_and_makes_29_february_the_28th():
    assert moved_date(dt.date(2017, 12, 10), 1) == dt.date(2018, 12, 10)
    assert moved_date(dt.date(2020, 2, 29), 1) == dt.date(2021, 2, 28)
    assert moved_date(dt.date(2020, 2, 29), 4) == dt.date(2024, 2, 29)


def test_carries_roster_rubric_and_settings_and_keeps_the_approved_results_after_the_old_folder_is_gone(
        cli, old, tmp_path):
    assert cli("config", "set", "联系人", "王芳", "-w", old).code == 0
    new = tmp_path / "2018考核"
    made = cli("init", new, "--from", old)
    assert made.code == 0, made.err
    assert "已保存 2017 年度的审定结果" in made.out and "没有可比较的结果" not in made.err
    carried = settings(new)
    assert carried["campaign"]["year"] == 2018
    assert carried["campaign"]["title"] == "2018年度法治政府建设考核"
    assert carried["campaign"]["deadline"] == dt.date(2018, 12, 10)
    assert carried["campaign"]["contact"] == "王芳"
    assert carried["documents"]["rectify_deadline"] == dt.date(2019, 3, 31)
    assert carried["documents"]["doc_no"] == "昭府法办〔2019〕1号"
    assert (new / "units.csv").read_bytes() == (old / "units.csv").read_bytes()  # contacts and all
    assert (new / "rubric.yaml").read_text("utf-8") == (old / "rubric.yaml").read_text("utf-8")
    assert (new / "fazhi.secret").read_bytes() != (old / "fazhi.secret").read_bytes()
    board = cli("score", "--json", "-w", old).json()
    shutil.rmtree(old)
    [kept] = kept_years(Workspace(new))
    assert (kept.year, kept.approved_by, kept.approved_on, kept.doc_no) == (2017, "区人民政府", "2018-01-15",
                                                                           "昭府函〔2018〕3号")
    for unit in board["units"]:
        past = kept.unit(unit["unit"])
        assert past.total == Decimal(str(unit["total"])) and past.rank == unit["rank"]
    assert kept.unit(DEPT).lost and not kept.unit(POLICE).lost
    assert kept.unit(DEPT).open_rectify == ()  # no 整改 recorded in 2017
    shown = cli("history", "--json", "-w", new)
    assert shown.code == 0, shown.err
    data = shown.json()
    assert data["years"] == [2017]
    by_unit = {u["unit"]: u["years"] for u in data["units"]}
    [dept] = by_unit[DEPT]
    assert (dept["year"], dept["name"], Decimal(str(dept["total"])), dept["rank"], dept["grade"]) == (
        2017, DEPT, kept.unit(DEPT).total, kept.unit(DEPT).rank, None)
    table = cli("history", "-w", new)
    assert table.code == 0 and "2017 年度" in table.out and DEPT in table.out
    assert cli("verify", "-w", new).code == 0


def test_a_carried_text_naming_the_old_year_is_warned_about_and_a_29_february_becomes_the_28th(cli, old, tmp_path):
    assert cli("config", "set", "考核名称", "昭化区2017年度法治考核", "-w", old).code == 0
    assert cli("config", "set", "抄送机关", "市法制办(2016年起)", "-w", old).code == 0
    assert cli("config", "set", "整改截止日期", "2020-02-29", "-w", old).code == 0
    made = cli("init", tmp_path / "2018考核", "--from", old)
    assert made.code == 0, made.err
    assert "考核名称“昭化区2017年度法治考核”仍写着 2017 年" in made.err
    assert "抄送机关“市法制办(2016年起)”仍写着 2016 年" in made.err
    assert "发文字号" not in made.err  # its year was moved, not warned about
    carried = settings(tmp_path / "2018考核")
    assert carried["campaign"]["title"] == "昭化区2017年度法治考核"
    assert carried["documents"]["rectify_deadline"] == dt.date(2021, 2, 28)


def test_from_an_unapproved_campaign_carries_the_rest_and_says_there_is_nothing_to_compare_with(cli, tmp_path):
    roster = tmp_path / "units.csv"
    roster.write_text(ROSTER, "utf-8")
    old = tmp_path / "2017考核"
    assert cli("init", old, "--units", roster).code == 0
    new = tmp_path / "2018考核"
    made = cli("init", new, "--from", old)
    assert made.code == 0, made.err
    assert "上年度考核结果尚未审定,没有可比较的结果" in made.err
    assert settings(new)["campaign"]["year"] == 2018
    assert kept_years(Workspace(new)) == []
    assert cli("history", "--json", "-w", new).json() == {"years": [], "this_year": 2018, "approved": False,
                                                          "units": [{"unit": u, "type": t, "note": "", "years": []}
                                                                    for u, t in ((DEPT, "department"),
                                                                                 (POLICE, "department"),
                                                                                 (TOWN, "township"))]}


def refused(cli, new: Path, *args) -> str:
    result = cli("init", new, *args)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err and result.err.startswith("错误")
    assert not new.exists() or not any(new.iterdir())
    return result.err


def test_bad_inputs_are_refused_with_nothing_written(cli, old, tmp_path):
    new = tmp_path / "2018考核"
    assert "不是考核工作区" in refused(cli, new, "--from", tmp_path / "returns-in")
    assert "不晚于上年度工作区的考核年度 2017" in refused(cli, new, "--from", old, "--year", "2017")
    assert "不晚于上年度工作区的考核年度 2017" in refused(cli, new, "--from", old, "--year", "2016")
    assert "不能与" in refused(cli, new, "--from", old, "--units", tmp_path / "units.csv")
    no_store = tmp_path / "无数据库"
    shutil.copytree(old, no_store)
    (no_store / "fazhi.db").unlink()
    assert "数据库" in refused(cli, new, "--from", no_store)
    new.mkdir()  # an empty folder is refused the same way, and left empty
    tamper(old, "UPDATE decisions SET detail = json_set(detail, '$.doc_no', '伪造') WHERE action = 'approve'")
    assert "未通过印章校验" in refused(cli, new, "--from", old)


def test_a_tampered_snapshot_in_the_old_campaign_is_refused(cli, old, tmp_path):
    tamper(old, "UPDATE snapshots SET content = replace(content, '\"rank\":1', '\"rank\":2')")
    err = refused(cli, tmp_path / "2018考核", "--from", old)
    assert "快照" in err


def test_chained_years_keep_every_earlier_year_and_history_shows_three(cli, office_clock, old, tmp_path):
    y2018 = tmp_path / "2018考核"
    assert cli("init", y2018, "--from", old).code == 0
    approve_2018(cli, office_clock, y2018, tmp_path)
    shutil.rmtree(old)
    y2019 = tmp_path / "2019考核"
    made = cli("init", y2019, "--from", y2018)
    assert made.code == 0, made.err
    assert "已保存 2017、2018 年度的审定结果" in made.out
    shutil.rmtree(y2018)
    again = cli("init", tmp_path / "2019再建", "--from", y2019, "--year", "2020", "--json")
    assert again.code == 0, again.err
    assert {k: again.json()[k] for k in ("year", "from_year", "from_approved", "kept_years", "units")} == {
        "year": 2020, "from_year": 2019, "from_approved": False, "kept_years": [2017, 2018], "units": 3}
    assert [y.year for y in kept_years(Workspace(y2019))] == [2017, 2018]
    data = cli("history", "--json", "-w", y2019).json()
    assert data["years"] == [2017, 2018]
    by_unit = {u["unit"]: u for u in data["units"]}
    assert [y["year"] for y in by_unit[DEPT]["years"]] == [2017, 2018]
    assert cli("verify", "-w", y2019).code == 0


GRADES = '\n[[grades]]\nname = "优秀"\nmin = "0"\n'  # every unit returned is 优秀


def test_a_grade_several_years_running_is_noted(cli, office_clock, tmp_path):
    roster = tmp_path / "units.csv"
    roster.write_text(ROSTER, "utf-8")
    y2017 = tmp_path / "2017考核"
    assert cli("init", y2017, "--units", roster).code == 0
    with (y2017 / "fazhi.toml").open("a", encoding="utf-8") as toml:
        toml.write(GRADES)
    assert cli("generate", "-w", y2017).code == 0
    inbox = tmp_path / "in-2017"
    inbox.mkdir()
    for unit, answers in ((DEPT, department_case()), (POLICE, full_marks("department"))):  # 元坝镇 未报送
        fill_workbook(y2017 / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", inbox / f"{unit}.xlsx", answers)
    assert cli("ingest", inbox, "-w", y2017).code == 0
    approve = cli("approve", "--by", "区人民政府", "--date", "2018-01-15", "--doc-no", "昭府函〔2018〕3号",
                  "--accept-missing", "-w", y2017)
    assert approve.code == 0, approve.err
    y2018 = tmp_path / "2018考核"
    assert cli("init", y2018, "--from", y2017).code == 0
    assert settings(y2018)["grades"] == [{"name": "优秀", "min": "0"}]  # the grades carried
    approve_2018(cli, office_clock, y2018, tmp_path)
    data = cli("history", "--json", "-w", y2018).json()
    assert data["years"] == [2017, 2018]
    notes = {u["unit"]: u["note"] for u in data["units"]}
    assert notes == {DEPT: "连续2年优秀", POLICE: "连续2年优秀", TOWN: ""}  # 元坝镇: not graded in 2017
    assert "连续2年优秀" in cli("history", "-w", y2018).out


def test_a_kept_year_edited_in_the_store_is_refused_by_history_and_listed_by_verify(cli, old, tmp_path):
    new = tmp_path / "2018考核"
    assert cli("init", new, "--from", old).code == 0
    with closing(sqlite3.connect(new / "fazhi.db")) as db, db:
        db.execute("UPDATE history_years SET content = replace(content, '\"rank\":2', '\"rank\":1')")
    shown = cli("history", "-w", new)
    assert shown.code == 2 and "保存的 2017 年度考核结果未通过印章校验" in shown.err
    checked = cli("verify", "--json", "-w", new)
    assert checked.code == 1
    assert {"kind": "history", "year": 2017,
            "message": "保存的 2017 年度考核结果未通过印章校验(内容被改动,或不是本工作区保存的)"} in (
        checked.json()["problems"])
    assert "以前年度结果" in cli("verify", "-w", new).out
    # and a campaign carried from it refuses too: nothing is written
    assert "未通过印章校验" in refused(cli, tmp_path / "2019考核", "--from", new)


def test_a_renamed_unit_is_matched_through_its_former_name(cli, office_clock, old, tmp_path):
    new = tmp_path / "2018考核"
    assert cli("init", new, "--from", old).code == 0
    roster = (new / "units.csv").read_text("utf-8").splitlines()
    roster[0] += ",原单位名称"
    roster = [roster[0]] + [line.replace("区公安分局,", "区公安局,") + (",区公安分局" if "区公安分局" in line else ",")
                            for line in roster[1:]]
    (new / "units.csv").write_text("\n".join(roster) + "\n", "utf-8")
    data = cli("history", "--json", "-w", new).json()
    by_unit = {u["unit"]: u["years"] for u in data["units"]}
    [year] = by_unit["区公安局"]
    assert (year["year"], year["name"]) == (2017, POLICE)
    assert "原名 区公安分局" in cli("history", "-w", new).out


def test_a_unit_added_and_one_removed(cli, old, tmp_path):
    new = tmp_path / "2018考核"
    assert cli("init", new, "--from", old).code == 0
    lines = [line for line in (new / "units.csv").read_text("utf-8").splitlines() if not line.startswith(TOWN)]
    lines.append("区司法局,区级部门,孙丽,0839-8700013,sfj@example.invalid")
    (new / "units.csv").write_text("\n".join(lines) + "\n", "utf-8")
    data = cli("history", "--json", "-w", new).json()
    by_unit = {u["unit"]: u["years"] for u in data["units"]}
    assert set(by_unit) == {DEPT, POLICE, "区司法局"}
    assert by_unit["区司法局"] == [] and len(by_unit[DEPT]) == 1


def test_the_kept_year_holds_the_rectify_items_not_closed(cli, tmp_path):
    (tmp_path / "old").mkdir()
    old = reported_campaign(tmp_path / "old")
    items = [i.ref for i in rectify_view(Workspace(old)).unit(DEPT).items]
    new = tmp_path / "2018考核"
    assert cli("init", new, "--from", old).code == 0
    [kept] = kept_years(Workspace(new))
    closed = {items[0], items[2]}  # closed by the office; the rest (under way, awaiting 销号, unreported) are open
    assert kept.unit(DEPT).open_rectify == tuple(ref for ref in items if ref not in closed)
    assert "特别扣分" in kept.unit(DEPT).open_rectify
    assert kept.unit(TOWN).open_rectify == tuple(i.ref for i in rectify_view(Workspace(old)).unit(TOWN).items)
    assert kept.unit(POLICE).open_rectify == ()
