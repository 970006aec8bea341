"""Review teams (考核组): `fazhi review-sheet --team NAME --unit UNIT …` writes a team's sheet for its units only; each
office value it sets is recorded with its team; two teams' different values for one unit and item are a
`review_conflict`, neither used, until one changes or the office's own sheet decides. Real workbooks, a real store,
the real CLI."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import openpyxl
import pytest
from test_scores import by_unit, edit_review, full_marks, query, returned, review_sheet_path, review_table

from fazhi_cli.store import MIGRATIONS, SCHEMA_REVIEW_TEAMS

DEPTS, TOWNS = "区级部门", "乡镇(街道)"
FIRST, SECOND = "第一考核组", "第二考核组"
KEY = ("区发改局", "1.2")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    from fazhi_cli.cli import output

    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


def _three_units(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "区司法局": full_marks("department"),
                                        "卫子镇": full_marks("township")})


def team_sheet(workspace, label: str, team: str):
    return workspace / "review" / f"2017年度法治政府建设复核打分表_{label}_{team}.xlsx"


def _units_on(path) -> set[str]:
    return {unit for unit, _ in review_table(path)[1]}


def _team_sets(cli, workspace, tmp_path, team: str, value, reason: str = "台账不全", key=KEY, units=("区发改局",)):
    """The team's sheet written for `units`, `value` entered for `key`, taken back; returns the ingest result."""
    args = [arg for unit in units for arg in ("--unit", unit)]
    assert cli("review-sheet", "--team", team, *args, cwd=workspace).code == 0
    filled = tmp_path / f"{team}_{value}.xlsx"
    edit_review(team_sheet(workspace, DEPTS, team), filled, {key: value}, {key: reason})
    return cli("ingest", filled, cwd=workspace)


def _item(cli, workspace, unit="区发改局", ref="1.2"):
    data = by_unit(cli("score", "--json", cwd=workspace).json())[unit]
    return data["items"][ref], data["provisional"]


def _conflicts(cli, workspace) -> list[dict]:
    return [f for f in cli("validate", "--json", cwd=workspace).json()["findings"] if f["code"] == "review_conflict"]


def test_a_team_sheet_holds_only_its_units_with_the_team_in_its_name_and_title(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    result = cli("review-sheet", "--team", FIRST, "--unit", "区发改局", "--unit", "卫子镇", cwd=workspace)
    assert result.code == 0, result.err
    assert _units_on(team_sheet(workspace, DEPTS, FIRST)) == {"区发改局"}
    assert _units_on(team_sheet(workspace, TOWNS, FIRST)) == {"卫子镇"}
    title = openpyxl.load_workbook(team_sheet(workspace, DEPTS, FIRST))["复核打分表"]["A1"].value
    assert FIRST in title and "复核打分表" in title
    assert not review_sheet_path(workspace, DEPTS).exists()  # the office's own sheet is not written
    # only its departments: no township sheet for this team
    assert cli("review-sheet", "--team", SECOND, "--unit", "区司法局", cwd=workspace).code == 0
    assert _units_on(team_sheet(workspace, DEPTS, SECOND)) == {"区司法局"}
    assert not team_sheet(workspace, TOWNS, SECOND).exists()
    # no --unit: every assessed unit (those returned are on it)
    assert cli("review-sheet", "--team", "第三考核组", cwd=workspace).code == 0
    assert _units_on(team_sheet(workspace, DEPTS, "第三考核组")) == {"区发改局", "区司法局"}


def test_a_unit_not_on_the_roster_or_not_assessed_is_refused(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    unknown = cli("review-sheet", "--team", FIRST, "--unit", "区不存在局", cwd=workspace)
    assert unknown.code == 2 and "名单中没有这些单位:区不存在局" in unknown.err
    not_assessed = cli("review-sheet", "--team", FIRST, "--unit", "区政府法制办", cwd=workspace)
    assert not_assessed.code == 2 and "不参加考核" in not_assessed.err and "区政府法制办" in not_assessed.err
    blank = cli("review-sheet", "--team", "  ", cwd=workspace)
    assert blank.code == 2 and "考核组名称不能为空" in blank.err
    alone = cli("review-sheet", "--unit", "区发改局", cwd=workspace)
    assert alone.code == 2 and "--team" in alone.err
    assert not (workspace / "review").exists() or not list((workspace / "review").iterdir())


def test_each_value_is_recorded_with_its_team_and_counts(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    taken = _team_sets(cli, workspace, tmp_path, FIRST, 4)
    assert taken.code == 0, taken.out + taken.err
    assert FIRST in taken.out
    assert [(r["unit"], r["ref"], r["team"]) for r in query(workspace, "SELECT unit, ref, team FROM reviews")] == [
        ("区发改局", "1.2", FIRST)]
    assert _item(cli, workspace) == (4, False)
    assert cli("verify", cwd=workspace).code == 0  # the team is sealed with the value
    # the team's next sheet shows its own value; the office's own sheet shows it among the 问题
    assert cli("review-sheet", "--team", FIRST, "--unit", "区发改局", cwd=workspace).code == 0
    columns, rows, book = review_table(team_sheet(workspace, DEPTS, FIRST))
    assert book["复核打分表"].cell(rows[KEY], columns["核定得分"]).value == 4
    assert cli("review-sheet", cwd=workspace).code == 0
    columns, rows, book = review_table(review_sheet_path(workspace, DEPTS))
    assert book["复核打分表"].cell(rows[KEY], columns["核定得分"]).value is None
    assert f"{FIRST}核定 4" in book["复核打分表"].cell(rows[KEY], columns["问题"]).value


def test_a_team_value_for_a_unit_not_assigned_to_it_is_not_taken(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert cli("review-sheet", "--team", FIRST, "--unit", "区发改局", cwd=workspace).code == 0
    columns, rows, book = review_table(team_sheet(workspace, DEPTS, FIRST))
    sheet = book["复核打分表"]
    source, spare = rows[KEY], sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(spare, column).value = sheet.cell(source, column).value
    sheet.cell(spare, columns["单位名称"]).value = "区司法局"
    sheet.cell(spare, columns["核定得分"]).value = 2
    sheet.cell(spare, columns["核定理由"]).value = "台账不全"
    added = tmp_path / "加了一行.xlsx"
    book.save(added)
    result = cli("ingest", added, cwd=workspace)
    assert result.code == 1
    letter = openpyxl.utils.get_column_letter(columns["核定得分"])
    assert f"区司法局 1.2(复核打分表!{letter}{spare})不是{FIRST}复核的单位" in result.out
    assert query(workspace, "SELECT COUNT(*) AS n FROM reviews")[0]["n"] == 0
    assert _item(cli, workspace, "区司法局")[0] != 2


def test_two_teams_that_disagree_are_a_conflict_and_neither_counts_until_one_changes(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    own, _ = _item(cli, workspace)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    second = _team_sets(cli, workspace, tmp_path, SECOND, 3)
    assert second.code == 1 and "不一致" in second.out  # ingest says the value does not count
    [conflict] = _conflicts(cli, workspace)
    assert conflict["unit"] == "区发改局" and conflict["ref"] == "1.2" and conflict["severity"] == "error"
    for text in (FIRST, SECOND, f"{FIRST}_4.xlsx", f"{SECOND}_3.xlsx", "核定 4", "核定 3"):
        assert text in conflict["message"], text
    assert cli("validate", cwd=workspace).code == 1
    assert _item(cli, workspace) == (own, True)  # neither value: the self score, provisional
    refused = cli("approve", "--by", "区人民政府", "--date", "2018-01-15", "--accept-missing", cwd=workspace)
    assert refused.code == 1 and "区发改局:尚有 1 个校验错误未解决" in refused.err  # the conflict blocks approval
    log = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert [(d["team"], d["adopted"]) for d in log] == [(FIRST, False), (SECOND, False)]
    # the second team changes its value to agree: settled, the agreed value counts
    assert _team_sets(cli, workspace, tmp_path, SECOND, 4).code == 0
    assert _conflicts(cli, workspace) == [] and _item(cli, workspace) == (4, False)


def test_a_conflict_is_settled_by_a_withdrawal(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    assert _team_sets(cli, workspace, tmp_path, SECOND, 3).code == 1
    assert cli("review-sheet", "--team", SECOND, "--unit", "区发改局", cwd=workspace).code == 0
    blanked = tmp_path / "撤销.xlsx"
    edit_review(team_sheet(workspace, DEPTS, SECOND), blanked, {KEY: None})
    assert "撤销核定 1 项" in cli("ingest", blanked, cwd=workspace).out
    assert _conflicts(cli, workspace) == [] and _item(cli, workspace) == (4, False)


def test_the_offices_own_sheet_settles_a_conflict_and_its_value_wins(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    assert _team_sets(cli, workspace, tmp_path, SECOND, 3).code == 1
    assert cli("review-sheet", cwd=workspace).code == 0
    decided = tmp_path / "法制办核定.xlsx"
    edit_review(review_sheet_path(workspace, DEPTS), decided, {KEY: 3.5}, {KEY: "法制办复查后核定"})
    assert cli("ingest", decided, cwd=workspace).code == 0
    assert _conflicts(cli, workspace) == [] and _item(cli, workspace) == (3.5, False)
    teams = [r["team"] for r in query(workspace, "SELECT team FROM reviews ORDER BY id")]
    assert teams == [FIRST, SECOND, None]
    # a team's value entered after the office decided does not displace the office's, and ingest says so
    later = _team_sets(cli, workspace, tmp_path, FIRST, 2)
    assert later.code == 0 and "以法制办为准" in later.out and "法制办核定 3.5" in later.out
    assert _conflicts(cli, workspace) == [] and _item(cli, workspace) == (3.5, False)


def test_equal_values_from_two_teams_are_no_conflict(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    assert _team_sets(cli, workspace, tmp_path, SECOND, "4分").code == 0  # the same number, typed otherwise
    assert _conflicts(cli, workspace) == [] and _item(cli, workspace) == (4, False)


@pytest.mark.parametrize("team", ["../x", "=cmd", "..\\..\\evil"])
def test_a_hostile_team_name_is_safe_in_the_file_name_and_the_sheet(cli, workspace, tmp_path, team):
    _three_units(cli, workspace, tmp_path)
    result = cli("review-sheet", "--team", team, "--unit", "区发改局", cwd=workspace)
    assert result.code == 0, result.err
    [written] = list((workspace / "review").iterdir())
    assert written.parent == workspace / "review" and "/" not in written.name and "\\" not in written.name
    assert written.name.startswith("2017年度法治政府建设复核打分表_区级部门_")
    assert not list(tmp_path.glob("*.xlsx")) and not (workspace / "x").exists()
    title = openpyxl.load_workbook(written)["复核打分表"]["A1"]
    assert title.data_type == "s" and title.value.endswith(f" — {team}")  # text, never a formula
    filled = tmp_path / "填好.xlsx"
    edit_review(written, filled, {KEY: 4}, {KEY: "台账不全"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    [entry] = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert entry["team"] == team


def test_the_log_shows_the_team_of_each_value(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    assert cli("review-sheet", cwd=workspace).code == 0
    office = tmp_path / "法制办.xlsx"
    edit_review(review_sheet_path(workspace, DEPTS), office, {("区司法局", "1.2"): 2}, {("区司法局", "1.2"): "抽查"})
    assert cli("ingest", office, cwd=workspace).code == 0
    text = cli("log", cwd=workspace).out
    assert "考核组" in text
    line = next(line for line in text.splitlines() if "区发改局" in line and "核定得分 4" in line)
    assert FIRST in line
    line = next(line for line in text.splitlines() if "区司法局" in line and "核定得分 2" in line)
    assert "法制办" in line and FIRST not in line
    entries = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert [(d["unit"], d["team"]) for d in entries] == [("区发改局", FIRST), ("区司法局", None)]


def test_the_summary_lists_each_team_with_its_units(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0
    assert _team_sets(cli, workspace, tmp_path, SECOND, 2, key=("区司法局", "1.2"), units=("区司法局",)).code == 0
    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "summary.html").read_text("utf-8")
    assert "考核组复核情况" in page
    assert f"<td>{FIRST}</td><td>区发改局</td>" in page and f"<td>{SECOND}</td><td>区司法局</td>" in page
    sheet = openpyxl.load_workbook(workspace / "reports" / "2017年度法治政府建设考核结果汇总.xlsx")["考核组"]
    rows = [tuple(c.value for c in row[:3]) for row in sheet.iter_rows(min_row=4)]
    assert rows == [(FIRST, "区发改局", 1), (SECOND, "区司法局", 1)]


def test_without_teams_the_summary_has_no_team_section(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert cli("report", cwd=workspace).code == 0
    assert "考核组复核情况" not in (workspace / "reports" / "summary.html").read_text("utf-8")
    assert "考核组" not in openpyxl.load_workbook(
        workspace / "reports" / "2017年度法治政府建设考核结果汇总.xlsx").sheetnames


def test_a_store_from_before_teams_opens_and_its_values_still_verify(cli, workspace, tmp_path):
    _three_units(cli, workspace, tmp_path)
    assert cli("review-sheet", cwd=workspace).code == 0
    office = tmp_path / "法制办.xlsx"
    edit_review(review_sheet_path(workspace, DEPTS), office, {KEY: 3}, {KEY: "抽查"})
    assert cli("ingest", office, cwd=workspace).code == 0
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db, db:  # the store as the release before teams left it
        db.execute("ALTER TABLE reviews DROP COLUMN team")
        db.execute("DROP TABLE component_values")  # a later migration: that release had not made it either
        db.execute(f"PRAGMA user_version = {MIGRATIONS.index(SCHEMA_REVIEW_TEAMS)}")
    assert _item(cli, workspace) == (3, False)
    assert cli("verify", cwd=workspace).code == 0
    [entry] = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "set"]
    assert entry["team"] is None
    assert _team_sets(cli, workspace, tmp_path, FIRST, 4).code == 0  # the upgraded store takes a team's values
    assert cli("verify", cwd=workspace).code == 0
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db, db:  # a team put on (or moved) by hand is caught
        db.execute("UPDATE reviews SET team = ? WHERE team IS NULL", (SECOND,))
    assert cli("verify", cwd=workspace).code == 1
