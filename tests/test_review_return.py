"""A returned review sheet is read against what it showed when written: a blank sheet written before the office's
values were set withdraws none of them (ingest says which it kept); a withdrawal's reason names the sheet and the
cell; a unit and 编号 on two rows refuses the sheet naming both cells. Real workbooks, a real store, the real CLI."""

from __future__ import annotations

import shutil

import pytest
from test_scores import by_unit, edit_review, full_marks, query, returned, review_sheet_path, review_table

from fazhi_cli.domain.identity import LEGACY_REVIEW_SHEET_FIELDS, seal

TOWNS = "乡镇(街道)"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    from fazhi_cli.cli import output

    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)
SET_LATER = {("卫子镇", "1.1"): 12, ("卫子镇", "1.2"): 8, ("元坝镇", "1.1"): 11}
REASONS = {key: "台账不全" for key in SET_LATER}


def _two_towns(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"卫子镇": full_marks("township"), "元坝镇": full_marks("township")})


def _items(cli, workspace) -> dict[str, dict]:
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    return {name: units[name]["items"] for name in ("卫子镇", "元坝镇")}


def test_a_blank_sheet_written_before_the_values_were_set_withdraws_none_of_them(cli, workspace, tmp_path):
    _two_towns(cli, workspace, tmp_path)
    assert cli("review-sheet", cwd=workspace).code == 0
    blank = tmp_path / "空白复核打分表.xlsx"
    shutil.copy(review_sheet_path(workspace, TOWNS), blank)  # the blank one the demo leaves in review/
    assert cli("review-sheet", cwd=workspace).code == 0
    filled = tmp_path / "复核打分表_已填.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), filled, SET_LATER, REASONS)
    assert cli("ingest", filled, cwd=workspace).code == 0
    before = _items(cli, workspace)
    assert before["卫子镇"]["1.1"] == 12 and before["元坝镇"]["1.1"] == 11

    again = cli("ingest", blank, cwd=workspace)  # the clerk "fills it again"
    assert again.code == 0, again.err
    assert "撤销核定 0 项" in again.out and "保留现值" in again.out
    for unit, ref in SET_LATER:
        assert f"{unit} {ref}" in again.out
    assert _items(cli, workspace) == before
    assert [r["withdrawn"] for r in query(workspace, "SELECT withdrawn FROM reviews")] == [0, 0, 0]


def test_an_old_sheet_showing_a_value_since_changed_keeps_the_later_value(cli, workspace, tmp_path):
    _two_towns(cli, workspace, tmp_path)
    assert cli("review-sheet", cwd=workspace).code == 0
    first = tmp_path / "第一次.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), first, {("卫子镇", "1.1"): 12}, {("卫子镇", "1.1"): "台账不全"})
    assert cli("ingest", first, cwd=workspace).code == 0
    assert cli("review-sheet", cwd=workspace).code == 0
    old = tmp_path / "旧表.xlsx"
    shutil.copy(review_sheet_path(workspace, TOWNS), old)  # shows 卫子镇 1.1 = 12
    second = tmp_path / "第二次.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), second, {("卫子镇", "1.1"): 13}, {("卫子镇", "1.1"): "补交台账"})
    assert cli("ingest", second, cwd=workspace).code == 0
    taken = cli("ingest", old, cwd=workspace)
    assert taken.code == 0 and "卫子镇 1.1" in taken.out and "保留现值" in taken.out
    assert _items(cli, workspace)["卫子镇"]["1.1"] == 13
    # a value the clerk types into the old sheet is the clerk's decision, and is taken
    typed = tmp_path / "旧表改.xlsx"
    edit_review(old, typed, {("卫子镇", "1.1"): 11}, {("卫子镇", "1.1"): "再次复查"})
    assert cli("ingest", typed, cwd=workspace).code == 0
    assert _items(cli, workspace)["卫子镇"]["1.1"] == 11


def test_a_withdrawal_in_the_log_names_the_sheet_and_the_cell(cli, workspace, tmp_path):
    _two_towns(cli, workspace, tmp_path)
    assert cli("review-sheet", cwd=workspace).code == 0
    filled = tmp_path / "复核打分表_已填.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), filled, {("卫子镇", "1.2"): 8},
                {("卫子镇", "1.2"): "会议记录不全"})
    assert cli("ingest", filled, cwd=workspace).code == 0
    assert cli("review-sheet", cwd=workspace).code == 0
    blanked = tmp_path / "复核打分表_撤销.xlsx"
    cells = edit_review(review_sheet_path(workspace, TOWNS), blanked, {("卫子镇", "1.2"): None},
                        {("卫子镇", "1.2"): None})
    assert "撤销核定 1 项" in cli("ingest", blanked, cwd=workspace).out
    [withdrawal] = [d for d in cli("log", "--json", cwd=workspace).json()["decisions"] if d["action"] == "withdrawn"]
    assert withdrawal["reason"] == f"复核打分表「{blanked.name}」{cells[('卫子镇', '1.2')]} 的核定得分被清空"
    assert _items(cli, workspace)["卫子镇"]["1.2"] == 10


def test_a_unit_and_item_on_two_rows_refuses_the_sheet_naming_both_cells(cli, workspace, tmp_path):
    _two_towns(cli, workspace, tmp_path)
    assert cli("review-sheet", cwd=workspace).code == 0
    columns, rows, book = review_table(review_sheet_path(workspace, TOWNS))
    sheet = book["复核打分表"]
    source, spare = rows[("卫子镇", "1.1")], sheet.max_row + 1
    for column in range(1, sheet.max_column + 1):
        sheet.cell(spare, column).value = sheet.cell(source, column).value
    score = columns["核定得分"]
    sheet.cell(source, score).value, sheet.cell(spare, score).value = 12, 9
    sheet.cell(source, columns["核定理由"]).value = sheet.cell(spare, columns["核定理由"]).value = "台账不全"
    twice = tmp_path / "复核打分表_重复.xlsx"
    book.save(twice)
    result = cli("ingest", twice, cwd=workspace)
    assert result.code == 1
    letter = "H"
    assert f"卫子镇 1.1(复核打分表!{letter}{source}、复核打分表!{letter}{spare})" in result.out + result.err
    assert query(workspace, "SELECT COUNT(*) AS n FROM reviews")[0]["n"] == 0


def test_a_sheet_written_before_the_watermark_was_sealed_is_read_by_its_time_of_writing(
        cli, workspace, tmp_path, office_clock):
    _two_towns(cli, workspace, tmp_path)
    office_clock("2017-12-10T09:00:00+08:00")
    assert cli("review-sheet", cwd=workspace).code == 0
    legacy = tmp_path / "旧版复核打分表.xlsx"
    _, _, book = review_table(review_sheet_path(workspace, TOWNS))
    identity = book["_fazhi"] if "_fazhi" in book.sheetnames else book.worksheets[-1]
    values = {identity.cell(r, 1).value: identity.cell(r, 2).value for r in range(1, identity.max_row + 1)}
    keys = [identity.cell(r, 1).value for r in range(1, identity.max_row + 1)]
    upto_row = keys.index("reviews_upto") + 1
    identity.delete_rows(upto_row)
    del values["reviews_upto"]
    mac_row = [identity.cell(r, 1).value for r in range(1, identity.max_row + 1)].index("mac") + 1
    identity.cell(mac_row, 2).value = seal((workspace / "fazhi.secret").read_bytes(), values,
                                           LEGACY_REVIEW_SHEET_FIELDS)
    book.save(legacy)
    office_clock("2017-12-11T09:00:00+08:00")
    later = tmp_path / "复核打分表_已填.xlsx"
    edit_review(review_sheet_path(workspace, TOWNS), later, SET_LATER, REASONS)
    assert cli("ingest", later, cwd=workspace).code == 0
    office_clock("2017-12-12T09:00:00+08:00")
    taken = cli("ingest", legacy, cwd=workspace)
    assert taken.code == 0 and "撤销核定 0 项" in taken.out and "保留现值" in taken.out
    assert _items(cli, workspace)["卫子镇"]["1.1"] == 12
