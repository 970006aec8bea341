"""Unit names as the roster spells them (full-width brackets kept), matched in either width where the clerk types
one; unit types typed in English or Chinese; a roster with a title row and several e-mail addresses in a cell."""

from __future__ import annotations

import openpyxl
import pytest
from test_scores import department_case, full_marks

from fazhi_cli.domain.units import name_key, roster_spelling, split_addresses, unit_type_from_label
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.workbook.filler import fill_workbook

FULL = "区市场监督管理局（区知识产权局）"
HALF = "区市场监督管理局(区知识产权局)"


def write_roster(path, rows, title: str | None = "昭化区法治政府建设考核单位名单") -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(["单位名称", "单位类型", "联系人", "联系电话", "电子邮箱"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_roster(path, [
        (FULL, "区级部门", "王", "1", "scj@example.invalid;zscq@example.invalid"),
        ("区发改局", "部门", "李", "2", "fgj@example.invalid、 fgj2@example.invalid"),
        ("元坝镇", "乡镇（街道）", "张", "3", "yb@example.invalid yb2@example.invalid"),
    ])
    return path


def test_a_title_row_above_the_header_and_several_addresses_in_one_cell(roster):
    units = load_roster(roster)
    assert [u.name for u in units] == [FULL, "区发改局", "元坝镇"]
    assert [u.type for u in units] == ["department", "department", "township"]
    assert units[0].email == "scj@example.invalid, zscq@example.invalid"
    assert split_addresses(units[2].email) == ["yb@example.invalid", "yb2@example.invalid"]


def test_without_a_header_in_the_first_rows_the_missing_columns_are_named(tmp_path):
    path = tmp_path / "名单.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["名称", "类型"])
    workbook.active.append(["区发改局", "部门"])
    workbook.save(path)
    with pytest.raises(Exception, match="有 1 处问题") as caught:
        load_roster(path)
    assert "缺少列:单位名称、单位类型" in caught.value.details[0]


def test_two_spellings_of_one_name_are_one_unit(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_roster(path, [(FULL, "区级部门"), (HALF, "区级部门")], title=None)
    with pytest.raises(Exception) as caught:
        load_roster(path)
    assert caught.value.details == [f"第 3 行: 单位名称“{HALF}”与第 2 行重复"]


@pytest.mark.parametrize("typed", ["department", "Department", "区级部门", "部门", "区级各部门"])
def test_department_words(typed):
    assert unit_type_from_label(typed) == "department"


@pytest.mark.parametrize("typed", ["township", "乡镇", "街道", "乡镇(街道)", "乡镇（街道）", "乡镇（街道)",
                                   "ｔｏｗｎｓｈｉｐ"])
def test_township_words(typed):
    assert unit_type_from_label(typed) == "township"


def test_name_key_and_roster_spelling():
    assert name_key(FULL) == name_key(HALF) == name_key(f" {HALF} ")
    assert roster_spelling(HALF, ["区发改局", FULL]) == FULL
    assert roster_spelling("区财政局", ["区发改局", FULL]) is None


def test_full_width_names_round_trip_through_generate_ingest_and_reports(cli, tmp_path, roster):
    root = tmp_path / "ws"
    assert cli("init", root, "--units", roster).code == 0
    for typed in (HALF, FULL):
        result = cli("generate", "--unit", typed, "--force", cwd=root)
        assert result.code == 0, result.err
    outbox = sorted(p.name for p in (root / "outbox").iterdir())
    assert outbox == [f"2017年度法治政府建设自评表_{FULL}.xlsx"]
    assert cli("generate", "--type", "乡镇（街道）", cwd=root).code == 0
    assert (root / "outbox" / "2017年度法治政府建设自评表_元坝镇.xlsx").is_file()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill_workbook(root / "outbox" / outbox[0], inbox / "scj.xlsx", department_case())
    fill_workbook(root / "outbox" / "2017年度法治政府建设自评表_元坝镇.xlsx", inbox / "yb.xlsx", full_marks("township"))
    assert cli("ingest", inbox, cwd=root).code == 0
    scores = cli("score", "--json", cwd=root).json()
    assert FULL in {u["unit"] for u in scores["units"]}
    assert cli("report", cwd=root).code == 0
    feedback = {p.name for p in (root / "reports" / "feedback").iterdir()}
    assert f"{FULL}.html" in feedback
    assert FULL in (root / "reports" / "feedback" / f"{FULL}.html").read_text("utf-8")
    listed = cli("files", "--unit", HALF, "--json", cwd=root)
    assert listed.code == 0 and {f["unit"] for f in listed.json()["files"]} == {FULL}


def test_rubric_show_takes_a_chinese_type(cli, workspace):
    result = cli("rubric", "show", "--type", "乡镇", "--json", cwd=workspace)
    assert result.code == 0, result.err
    assert [t["type"] for t in result.json()["types"]] == ["township"]
