"""Writes the sample roster (units.xlsx and units.csv) of the Zhaohua district.

Run: python sample_data/make_roster.py. The departments named in the seed's 责任单位 come first,
then other typical district departments; then the townships and 拣银岩街道. Contacts are invented and
e-mail addresses use the reserved example.invalid domain.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).parent
COLUMNS = ("单位名称", "单位类型", "联系人", "联系电话", "电子邮箱", "是否考核")
# The assessing office is on the roster (it leads tasks) but does not assess itself.
NOT_ASSESSED = ("区政府法制办",)

DEPARTMENTS = (
    # named in the seed's 责任单位
    "区政府办", "区委编办", "区发改局", "区食药工商局", "区监察局", "区政府法制办", "区政务中心",
    "区司法局", "区公安分局", "区政府督办室",
    # other typical district departments
    "区教育局", "区财政局", "区人社局", "区国土资源局", "区住建局", "区交通运输局", "区农业局",
    "区林业局", "区水务局", "区商务局", "区文广新局", "区卫计局", "区环保局", "区安监局", "区民政局",
    "区审计局", "区统计局", "区旅游局", "区经信局", "区城管执法局",
)
TOWNSHIPS = (
    "元坝镇", "卫子镇", "王家镇", "磨滩镇", "柏林沟镇", "太公镇", "虎跳镇", "红岩镇", "昭化镇",
    "射箭乡", "清水乡", "大朝乡", "明觉乡", "张家乡", "梅树乡", "文村乡", "石井铺乡", "晋贤乡",
    "香溪乡", "丁家乡", "青牛乡", "陈江乡", "沙坝乡", "紫云乡", "拣银岩街道",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
GIVEN = "明华强军平芳敏静丽伟磊洋勇艳杰娟涛超霞刚桂英秀兰"


def roster_rows() -> list[tuple[str, str, str, str, str, str]]:
    """The sample units: name, type, contact, phone, e-mail, 是否考核."""
    rows = []
    units = [(n, "区级部门") for n in DEPARTMENTS] + [(n, "乡镇(街道)") for n in TOWNSHIPS]
    for index, (name, label) in enumerate(units, start=1):
        contact = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
        phone = f"0839-87{index:05d}"
        email = f"unit{index:02d}@example.invalid"
        rows.append((name, label, contact, phone, email, "否" if name in NOT_ASSESSED else "是"))
    return rows


def main() -> None:
    rows = roster_rows()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "单位名单"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEF", (18, 14, 10, 16, 26, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.save(HERE / "units.xlsx")
    with open(HERE / "units.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
