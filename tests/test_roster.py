"""The roster: the sample units load, and every kind of bad row is named."""

from __future__ import annotations

import os

import openpyxl
import pytest

from fazhi_cli.errors import RosterInvalid
from fazhi_cli.roster.loading import load_roster, sample_roster_path

SEED_DEPARTMENTS = ["区政府办", "区委编办", "区发改局", "区食药工商局", "区监察局", "区政府法制办",
                    "区政务中心", "区司法局", "区公安分局", "区政府督办室"]


def test_sample_roster_holds_the_seed_units_and_both_types():
    units = load_roster(sample_roster_path())
    names = [u.name for u in units]
    assert set(SEED_DEPARTMENTS) <= set(names)
    assert "拣银岩街道" in names
    by_type = {t: sum(u.type == t for u in units) for t in ("department", "township")}
    assert 25 <= by_type["department"] <= 35 and 20 <= by_type["township"] <= 30
    assert all(u.email.endswith("@example.invalid") for u in units)
    assert {u.type for u in units if u.name == "拣银岩街道"} == {"township"}


def write_roster(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位名称", "单位类型", "联系人", "联系电话", "电子邮箱"])
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_every_bad_row_is_named(tmp_path):
    path = tmp_path / "名单.xlsx"
    write_roster(path, [
        ["区发改局", "区级部门", "王明", "1", "a@example.invalid"],
        ["", "区级部门", "李", "2", "b@example.invalid"],
        ["区发改局", "区级部门", "赵", "3", "c@example.invalid"],
        ["元坝镇", "村委会", "钱", "4", "d@example.invalid"],
        ["卫子镇", "乡镇(街道)", "孙", "5", "not-an-address"],
    ])
    with pytest.raises(RosterInvalid) as caught:
        load_roster(path)
    details = caught.value.details
    assert details == [
        "第 3 行: 单位名称为空",
        "第 4 行: 单位名称“区发改局”与第 2 行重复",
        "第 5 行: “元坝镇”的单位类型“村委会”无法识别(应为 区级部门 或 乡镇(街道))",
        "第 6 行: “卫子镇”的电子邮箱“not-an-address”格式不正确",
    ]
    assert "名单.xlsx" in caught.value.message


def test_full_width_brackets_and_gbk_csv_are_accepted(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes("单位名称,单位类型,联系人,联系电话,电子邮箱\n元坝镇,乡镇（街道）,王,1,\n".encode("gbk"))
    units = load_roster(path)
    assert [(u.name, u.type) for u in units] == [("元坝镇", "township")]


def test_missing_column_and_not_a_workbook(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("名称,类型\n元坝镇,乡镇\n", encoding="utf-8")
    with pytest.raises(RosterInvalid) as caught:
        load_roster(path)
    assert "缺少列" in caught.value.details[0]
    fake = tmp_path / "units.xlsx"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(RosterInvalid, match="不是有效的 Excel 文件"):
        load_roster(fake)


def write_csv(path, names: list[str]) -> None:
    lines = ["单位名称,单位类型,联系人,联系电话,电子邮箱"] + [f"{name},区级部门,王,1," for name in names]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")


def test_names_that_cannot_be_file_names_are_refused_with_row_and_reason(tmp_path):
    path = tmp_path / "units.csv"
    write_csv(path, ["区发改局", "区\x00局", "区\x0b局", "\x0b区局", "区:局", "区*局", "区?局", "区<局>", "区|局",
                     "区\\局", "区/局", "CON", "nul", "COM1", "lpt9.局", "区局.", ".区局", "区\u202e局", "区：局"])
    with pytest.raises(RosterInvalid) as caught:
        load_roster(path)
    details = caught.value.details
    assert len(details) == 17, details
    assert details[0] == "第 3 行: 单位名称“区局”不能用作文件名:含有控制字符"
    assert "控制字符" in details[1] and "控制字符" in details[2]
    assert "第 6 行" in details[3] and "“:”" in details[3]
    assert all("不能用作文件名" in d for d in details[:16])
    assert details[10] == "第 13 行: 单位名称“CON”不能用作文件名:“CON”是 Windows 保留的设备名"
    assert "“NUL”" in details[11] and "“COM1”" in details[12]
    assert "“LPT9”" in details[13]
    assert details[14].endswith("以空格或句点开头或结尾") and details[15].endswith("以句点开头")
    assert details[16] == ("第 19 行: 单位名称“区【U+202E】局”含有看不见的字符 U+202E(文字方向控制符),"
                           "去掉后与第 4、5 行的“区局”相同,两者在报表、文件名和函件中无法区分")
    assert not any("区：局" in d for d in details)  # a full-width colon is legal in a file name, and kept
    assert all("\x00" not in d and "\x0b" not in d and "\u202e" not in d for d in details)


def test_markup_looking_names_are_kept_and_printed_literally(cli, tmp_path, monkeypatch):
    from fazhi_cli.cli import output

    monkeypatch.setattr(output.console, "_width", 1000)  # one line per table row
    path = tmp_path / "units.csv"
    write_csv(path, ["[bold red]某局", "区[link=http]点我[i]局"])
    units = load_roster(path)
    assert [u.name for u in units] == ["[bold red]某局", "区[link=http]点我[i]局"]
    result = cli("init", tmp_path / "ws", "--units", path)
    assert result.code == 0, result.err
    status = cli("status", cwd=tmp_path / "ws")  # both are missing: listed by name
    assert "[bold red]某局" in status.out and "区[link=http]点我[i]局" in status.out


def test_a_roster_over_the_row_limit_is_refused_not_cut(tmp_path):
    from fazhi_cli.domain.limits import Limits

    names = [f"单位{n:04d}" for n in range(2001)]
    csv_path = tmp_path / "units.csv"
    write_csv(csv_path, names)
    xlsx_path = tmp_path / "units.xlsx"
    write_roster(xlsx_path, [[name, "区级部门", "王", "1", ""] for name in names])
    for path in (csv_path, xlsx_path):
        with pytest.raises(RosterInvalid) as caught:
            load_roster(path)
        assert "超过 2000 行" in caught.value.message and "单位名单行数" in caught.value.message
        assert "roster_rows" in caught.value.hint
        assert len(load_roster(path, Limits(roster_rows=2001))) == 2001
    write_csv(csv_path, names[:2000])
    csv_path.write_text(csv_path.read_text("utf-8") + ",,,,\n" * 50, "utf-8")  # blank rows do not count
    assert len(load_roster(csv_path)) == 2000


def test_a_roster_read_again_after_it_changed_is_the_new_one(tmp_path):
    """Rosters are remembered within a process; a rewrite of the same size with the same file times is still seen."""
    path = tmp_path / "名单.csv"
    path.write_text("单位名称,单位类型\n区甲局,区级部门\n区乙局,区级部门\n", "utf-8")
    before = path.stat()
    first = load_roster(path)
    first.append(first[0])  # a caller changing its list does not change what is remembered
    assert [u.name for u in load_roster(path)] == ["区甲局", "区乙局"]
    path.write_text("单位名称,单位类型\n区丙局,区级部门\n区乙局,区级部门\n", "utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same times
    assert [u.name for u in load_roster(path)] == ["区丙局", "区乙局"]
    replaced = tmp_path / "新名单.csv"
    replaced.write_text("单位名称,单位类型\n区丁局,区级部门\n", "utf-8")
    replaced.replace(path)
    assert [u.name for u in load_roster(path)] == ["区丁局"]
    path.write_text("单位名称,单位类型\n区丁局,区级部门\n区丁局,区级部门\n", "utf-8")
    with pytest.raises(RosterInvalid):
        load_roster(path)
    with pytest.raises(RosterInvalid):  # a refusal is not remembered as a roster either
        load_roster(path)


def test_init_refuses_a_roster_with_an_invisibly_different_twin_naming_both_rows(cli, tmp_path):
    path = tmp_path / "units.xlsx"
    write_roster(path, [["区发改局", "区级部门", "王", "1", ""], ["区司法局", "区级部门", "李", "2", ""],
                        ["区\u200b发改局", "区级部门", "赵", "3", ""]])
    result = cli("init", tmp_path / "ws", "--units", path)
    assert result.code == 2, result.err
    assert "第 4 行" in result.err and "区【U+200B】发改局" in result.err and "零宽空格" in result.err
    assert "去掉后与第 2 行的“区发改局”相同" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "ws" / "fazhi.toml").exists()
