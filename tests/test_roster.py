"""The roster: the sample units load, and every kind of bad row is named."""

from __future__ import annotations

import openpyxl
import pytest

from fazhi_cli.errors import RosterInvalid
from fazhi_cli.roster_io import load_roster, sample_roster_path

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
