"""The roster model and the text guards (pure domain): every problem worded exactly, every unit kept exactly."""

from __future__ import annotations

import pytest

from fazhi_cli.domain.text import file_name_problem, has_unprintable, printable, safe_file_component
from fazhi_cli.domain.units import ROSTER_COLUMNS, RosterProblems, Unit, build_roster, unit_type_from_label


def rows(*records):
    """(row number, column → text) pairs, numbered from row 2 as under a header row."""
    return [(n, dict(zip(ROSTER_COLUMNS, r, strict=False))) for n, r in enumerate(records, start=2)]


def problems(header, records) -> list[str]:
    with pytest.raises(RosterProblems) as caught:
        build_roster(header, rows(*records))
    assert str(caught.value) == "; ".join(caught.value.problems)
    return caught.value.problems


def test_a_clean_roster_keeps_every_field_trimmed_and_skips_empty_rows():
    units = build_roster(ROSTER_COLUMNS, rows(
        (" 区发改局 ", "区级部门", " 张三 ", " 0839-1234567 ", " fgj@zhaohua.gov.cn "),
        ("", "", "", "", ""),
        ("元坝镇", "乡镇（街道）", "", "", ""),
        ("拣银岩街道", " 街 道 ", "李四", "", "JYY@Example.CN"),
    ))
    assert units == [
        Unit("区发改局", "department", "张三", "0839-1234567", "fgj@zhaohua.gov.cn"),
        Unit("元坝镇", "township", "", "", ""),
        Unit("拣银岩街道", "township", "李四", "", "JYY@Example.CN"),
    ]
    assert [u.type_label for u in units] == ["区级部门", "乡镇(街道)", "乡镇(街道)"]


@pytest.mark.parametrize(("label", "expected"), [
    ("区级部门", "department"), ("区级各部门", "department"), ("部门", "department"),
    ("乡镇(街道)", "township"), ("乡镇", "township"), ("街道", "township"), ("各乡镇(街道)", "township"),
    ("各乡镇（街道）", "township"), (" 乡 镇 ", "township"), ("县级部门", None), ("", None),
])
def test_unit_type_labels(label, expected):
    assert unit_type_from_label(label) == expected


def test_missing_columns_are_named_with_the_expected_header():
    assert problems(("单位名称", "联系人"), []) == [
        "缺少列:单位类型(表头应为 单位名称、单位类型、联系人、联系电话、电子邮箱)"]
    assert problems(("联系人",), []) == [
        "缺少列:单位名称、单位类型(表头应为 单位名称、单位类型、联系人、联系电话、电子邮箱)"]


def test_every_row_problem_is_collected_and_worded():
    long_name = "局" * 61
    assert problems(ROSTER_COLUMNS, [
        ("", "区级部门", "张三", "", ""),  # row 2
        (long_name, "区级部门"),  # row 3
        ("区发改局", "区级部门"),  # row 4
        ("区发改局", "乡镇"),  # row 5
        ("区财政局", "县级部门"),  # row 6
        ("区司法局", "部门", "", "", "sfj@zhaohua"),  # row 7
        ("a:b", "部门"),  # row 8
        ("\u202e局", "部门"),  # row 9
        (".hidden", "部门"),  # row 10
        ("CON", "部门"),  # row 11
        ("区\x07局", "部门"),  # row 12
        ("\x07", "部门"),  # row 13: a name of control characters only is not blank
        ("区林业局", None),  # row 14
        ("区水务局", "部门", "", "", "not an address"),  # row 15
    ]) == [
        "第 2 行: 单位名称为空",
        f"第 3 行: 单位名称“{'局' * 60}”过长(最多 60 个字)",
        "第 5 行: 单位名称“区发改局”与第 4 行重复",
        "第 6 行: “区财政局”的单位类型“县级部门”无法识别(应为 区级部门 或 乡镇(街道))",
        "第 7 行: “区司法局”的电子邮箱“sfj@zhaohua”格式不正确",
        "第 8 行: 单位名称“a:b”不能用作文件名:含有文件名中不允许的字符“:”",
        "第 9 行: 单位名称“【U+202E】局”含有看不见的字符 U+202E(文字方向控制符),请删除后重新输入单位名称",
        "第 10 行: 单位名称“.hidden”不能用作文件名:以句点开头",
        "第 11 行: 单位名称“CON”不能用作文件名:“CON”是 Windows 保留的设备名",
        "第 12 行: 单位名称“区局”不能用作文件名:含有控制字符",
        "第 13 行: 单位名称“”不能用作文件名:含有控制字符",
        "第 14 行: “区林业局”的单位类型“”无法识别(应为 区级部门 或 乡镇(街道))",
        "第 15 行: “区水务局”的电子邮箱“not an address”格式不正确",
    ]


def test_only_name_and_type_columns_are_required_and_a_control_character_trimmed_away_still_counts():
    assert build_roster(("单位名称", "单位类型"), [(2, {"单位名称": "区发改局", "单位类型": "部门"})]) == [
        Unit("区发改局", "department")]
    assert problems(ROSTER_COLUMNS, [("区发改局\x1f", "部门")]) == [
        "第 2 行: 单位名称“区发改局”不能用作文件名:含有控制字符"]


def test_a_name_of_exactly_sixty_characters_is_kept():
    name = "局" * 60
    assert build_roster(ROSTER_COLUMNS, rows((name, "部门"))) == [Unit(name, "department")]


def test_a_roster_without_units_is_refused():
    assert problems(ROSTER_COLUMNS, [("", "", "", "", "")]) == ["名单中没有任何单位"]
    assert problems(ROSTER_COLUMNS, []) == ["名单中没有任何单位"]


def test_printable_removes_controls_and_bidi_and_replaces_lone_surrogates():
    assert printable("a\tb\r\nc\nd\re") == "a b c d e"
    assert printable("\x00x\x1f\x7f\x9fy\u200e\u200f\u202a\u202e\u2066\u2069\ufeffz") == "xyz"
    assert printable("\ud800ok\udfff") == "\ufffdok\ufffd"
    assert printable(12.5) == "12.5"
    assert printable("\x20~\xa0中") == " ~\xa0中"


@pytest.mark.parametrize(("text", "expected"), [
    ("区发改局", False), ("a\x00", True), ("\x1f", True), ("\x7f", True), ("\x9f", True), ("\xa0", False),
    ("\u200e", True), ("\u202c", True), ("\u2067", True), ("\ufeff", True), ("\ud800", True), (" ", False),
])
def test_has_unprintable(text, expected):
    assert has_unprintable(text) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("区发改局", None),
    ("a\x01", "含有控制字符"),
    ("a<b", "含有文件名中不允许的字符“<”"), ("a>b", "含有文件名中不允许的字符“>”"),
    ('a"b', "含有文件名中不允许的字符“\"”"), ("a/b", "含有文件名中不允许的字符“/”"),
    ("a\\b", "含有文件名中不允许的字符“\\”"), ("a|b", "含有文件名中不允许的字符“|”"),
    ("a?b", "含有文件名中不允许的字符“?”"), ("a*b", "含有文件名中不允许的字符“*”"),
    (" a", "以空格或句点开头或结尾"), ("a ", "以空格或句点开头或结尾"), ("a.", "以空格或句点开头或结尾"),
    ("con", "“CON”是 Windows 保留的设备名"), ("Com1.txt", "“COM1”是 Windows 保留的设备名"),
    ("LPT9", "“LPT9”是 Windows 保留的设备名"), ("prn .x", "“PRN”是 Windows 保留的设备名"),
    ("AUX", "“AUX”是 Windows 保留的设备名"), ("NUL", "“NUL”是 Windows 保留的设备名"),
    ("COM0", None), ("LPT10", None), ("CONSOLE", None), ("a.con", None),
])
def test_file_name_problem(name, expected):
    assert file_name_problem(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("区发改局", "区发改局"), ("a/b:c", "a_b_c"), (" .a. ", "a"), ("CON", "_CON"), ("com1.xlsx", "_com1.xlsx"),
    ("", "_"), ("...", "_"), ("a\x00b\tc", "ab c"), ("e\u0301", "\u00e9"), ("局" * 120, "局" * 100),
    ("LPT1", "_LPT1"),
])
def test_safe_file_component(name, expected):
    assert safe_file_component(name) == expected


def test_a_name_differing_from_another_only_by_invisible_characters_is_refused_naming_both_rows():
    # a zero-width space, a bidi mark, a variation selector: each looks exactly like the row it twins
    assert problems(ROSTER_COLUMNS, [
        ("区发改局", "部门"),  # row 2
        ("区\u200b发改局", "部门"),  # row 3
        ("区司法局\u200e", "部门"),  # row 4: its twin comes after it
        ("区司法局", "部门"),  # row 5
        ("区财政局\ufe0f", "部门"),  # row 6
        ("区财政局", "部门"),  # row 7
        ("区\u200d发改局", "部门"),  # row 8: twins row 2 and row 3
    ]) == [
        "第 3 行: 单位名称“区【U+200B】发改局”含有看不见的字符 U+200B(零宽空格),"
        "去掉后与第 2、8 行的“区发改局”相同,两者在报表、文件名和函件中无法区分",
        "第 4 行: 单位名称“区司法局【U+200E】”含有看不见的字符 U+200E(从左至右标记),"
        "去掉后与第 5 行的“区司法局”相同,两者在报表、文件名和函件中无法区分",
        "第 6 行: 单位名称“区财政局【U+FE0F】”含有看不见的字符 U+FE0F(变体选择符),"
        "去掉后与第 7 行的“区财政局”相同,两者在报表、文件名和函件中无法区分",
        "第 8 行: 单位名称“区【U+200D】发改局”含有看不见的字符 U+200D(零宽连字),"
        "去掉后与第 2、3 行的“区发改局”相同,两者在报表、文件名和函件中无法区分",
    ]


@pytest.mark.parametrize(("name", "shown", "what"), [
    ("区发改局\u200d", "区发改局【U+200D】", "U+200D(零宽连字)"),
    ("\u2060区发改局", "【U+2060】区发改局", "U+2060(字连接符)"),
    ("区发\u00ad改局", "区发【U+00AD】改局", "U+00AD(软连字符)"),
    ("区发改局\U000e0101", "区发改局【U+E0101】", "U+E0101(变体选择符)"),
    ("区\u3164发改局", "区【U+3164】发改局", "U+3164(朝鲜文填充符)"),
    ("区发改局\U000e0041", "区发改局【U+E0041】", "U+E0041(标签字符)"),
    ("区\u202e发改局", "区【U+202E】发改局", "U+202E(文字方向控制符)"),
    ("区\u034f发改\u0600局", "区【U+034F】发改【U+0600】局", "U+034F(格式字符)、U+0600(格式字符)"),
])
def test_a_name_holding_an_invisible_character_is_refused_even_without_a_twin(name, shown, what):
    assert problems(ROSTER_COLUMNS, [(name, "部门")]) == [
        f"第 2 行: 单位名称“{shown}”含有看不见的字符 {what},请删除后重新输入单位名称"]


def test_visible_spaces_and_a_twin_by_them_are_duplicates_not_invisible():
    assert build_roster(ROSTER_COLUMNS, rows(("区\u3000发改局", "部门"))) == [Unit("区\u3000发改局", "department")]
    assert problems(ROSTER_COLUMNS, [("区发改局", "部门"), ("区\u00a0发改局", "部门"), ("区\u2009发改局", "部门")]) == [
        "第 3 行: 单位名称“区\u00a0发改局”与第 2 行重复", "第 4 行: 单位名称“区\u2009发改局”与第 2 行重复"]


def test_a_typed_name_with_an_invisible_character_finds_the_roster_spelling():
    from fazhi_cli.domain.units import name_key, roster_spelling

    assert name_key("区\u200b发改局\ufe0f") == name_key("区发改局")
    assert roster_spelling("区发改局\u200d", ["区司法局", "区发改局"]) == "区发改局"
