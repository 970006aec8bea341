"""The rubric as a workbook the office edits (rubric export/check, init --rubric .xlsx), placeholders filled from
the settings, tasks with lead and partner units, and warnings when a rubric does not fit the campaign."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import yaml

from fazhi_cli.domain.placeholders import fill, unknown_placeholders
from fazhi_cli.domain.rubric import build_rubric, rubric_data
from fazhi_cli.rubric.loading import builtin_rubric, load_rubric_file, rubric_yaml
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.filler import Answers, fill_workbook
from fazhi_cli.workbook.reader import read_workbook

NOW_2026 = dt.datetime(2026, 12, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def export(cli, target: Path, *args) -> Path:
    result = cli("rubric", "export", target, *args)
    assert result.code == 0, result.err
    return target


def header(sheet) -> tuple[int, dict[str, int]]:
    """The header row of a rubric workbook's sheet and each title's column (as the reader finds them)."""
    for line in range(1, 16):
        titles = {c.value: c.column for c in sheet[line] if isinstance(c.value, str)}
        if "编号" in titles or "序号" in titles or "项目" in titles:
            return line, titles
    raise AssertionError(f"no header in {sheet.title}")


def line_of(sheet, ident: str) -> int:
    line, titles = header(sheet)
    column = titles.get("编号") or titles["序号"]
    return next(r for r in range(line + 1, sheet.max_row + 1) if str(sheet.cell(r, column).value) == ident)


def set_info(book, label: str, value) -> None:
    sheet = book["基本信息"]
    line = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == label)
    sheet.cell(line, 2).value = value


def put(sheet, line: int, values: dict) -> None:
    _, titles = header(sheet)
    for title, value in values.items():
        sheet.cell(line, titles[title]).value = value


HEX_DIGEST = re.compile(r"[0-9a-fA-F]{32,}")
PROTECTION_HASHES = {"password", "hashValue", "saltValue"}


def xml_text(path: Path) -> str:
    """Every text and attribute value in a workbook's XML parts (character references decoded).

    Hex digests (the seal, sheet-protection hashes) are left out: they differ per workspace and now and
    then contain any four digits, which is not a year.
    """
    found = []
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.startswith("xl/") and part.endswith(".xml"):
                for element in ElementTree.fromstring(archive.read(part)).iter():
                    found.append(element.text or "")
                    found += [value for name, value in element.attrib.items() if name not in PROTECTION_HASHES]
    return "\n".join(value for value in found if not HEX_DIGEST.fullmatch(value))


def rubric_problems(cli, path: Path) -> list[str]:
    result = cli("rubric", "check", path)
    assert result.code == 2 and "Traceback" not in result.err, result.err
    return [line.strip()[2:] for line in result.err.splitlines() if line.strip().startswith("- ")]


# --- export and import -------------------------------------------------------------------------------------------


def test_export_then_import_gives_the_identical_rubric(cli, tmp_path):
    path = export(cli, tmp_path / "细则.xlsx")
    assert load_rubric_file(path) == builtin_rubric()
    checked = cli("rubric", "check", path)
    assert checked.code == 0 and "一致无误" in checked.out
    # what the workspace keeps of a workbook (YAML) is the same rubric again
    assert build_rubric(yaml.safe_load(rubric_yaml(builtin_rubric(), "细则.xlsx"))) == builtin_rubric()
    assert build_rubric(rubric_data(builtin_rubric())) == builtin_rubric()
    yaml_copy = export(cli, tmp_path / "rubric.yaml")  # the YAML stays, for programmers
    assert load_rubric_file(yaml_copy) == builtin_rubric()
    wrong = cli("rubric", "export", tmp_path / "细则.docx")
    assert wrong.code == 2 and ".xlsx" in wrong.err


def test_the_rubric_workbook_has_a_sheet_per_part_and_drop_downs(cli, tmp_path):
    book = openpyxl.load_workbook(export(cli, tmp_path / "细则.xlsx"))
    assert book.sheetnames == ["基本信息", "区级部门", "乡镇(街道)", "特别加分扣分", "工作任务", "目标责任书"]
    department = book["区级部门"]
    _, titles = header(department)
    assert list(titles)[:12] == ["编号", "考核事项", "考核内容", "评分标准", "扣分条款", "分值", "类型", "扣分情形",
                                 "扣分", "每月要求", "台账", "需佐证"]
    lists = {str(v.sqref)[0]: v.formula1 for v in department.data_validations.dataValidation}
    assert lists == {"G": '"是否,次数,按月"', "K": '"信息报送,指导案例,工作总结,备案"', "L": '"是"'}
    rule = line_of(department, "4.1e")
    assert department.cell(rule, titles["扣分情形"]).value == "未于{案例截止日期}前评选报送2个以上行政执法指导案例"
    assert department.cell(rule, titles["类型"]).value == "是否"
    assert department.cell(rule, titles["台账"]).value == "指导案例"
    assert department.cell(line_of(department, "3.2a"), titles["每月要求"]).value == 2
    tasks = book["工作任务"]
    _, task_titles = header(tasks)
    five = line_of(tasks, "5")
    assert tasks.cell(five, task_titles["牵头单位"]).value == "区政府办"
    assert tasks.cell(five, task_titles["参与单位"]).value.endswith("区政务中心、区级相关部门")
    assert {v.formula1 for v in book["特别加分扣分"].data_validations.dataValidation} >= {'"特别加分,特别扣分"'}
    assert book["目标责任书"].max_row - 3 == 18


def test_each_problem_of_a_rubric_workbook_names_its_sheet_and_cell(cli, tmp_path):
    path = export(cli, tmp_path / "细则.xlsx")
    book = openpyxl.load_workbook(path)
    department = book["区级部门"]
    put(department, line_of(department, "4.1"), {"分值": "十五"})
    put(department, line_of(department, "1.1a"), {"类型": "有无"})
    put(department, line_of(department, "3.2a"), {"台账": "指导案例"})
    put(department, line_of(department, "2.2b"), {"编号": "2.2a"})
    put(department, line_of(department, "5.1a"), {"扣分情形": "未于{报送日期}前出庭"})
    township = book["乡镇(街道)"]
    put(township, line_of(township, "2.2"), {"分值": 12})
    special = book["特别加分扣分"]
    put(special, line_of(special, "B2"), {"类别": "加分"})
    tasks = book["工作任务"]
    put(tasks, line_of(tasks, "3"), {"牵头单位": None, "参与单位": None})
    set_info(book, "适用年度", "明年")
    book.save(path)
    problems = rubric_problems(cli, path)
    joined = "\n".join(problems)
    for expected in (
        "“区级部门”表 F18 区级部门细则 第 4.1 项:“分值”应为数字,实为“十五”",
        "“区级部门”表 G6 区级部门细则 第 1.1 项 规则 1.1a:未知的规则类型“有无”",
        "“区级部门”表 K16 区级部门细则 第 3.2 项 规则 3.2a:台账“指导案例”只能用于“是否”类型的规则,本规则为“按月”",
        "“区级部门”表 H28 区级部门细则 第 5.1 项 规则 5.1a:“扣分情形”中的占位符“{报送日期}”不认识",
        "“区级部门”表 A11、“区级部门”表 A12 区级部门细则:编号“2.2a”重复",
        "“乡镇(街道)”表 F8 乡镇(街道)细则 考核事项 2:各项分值之和 2.1(10) + 2.2(12) = 22,与该事项分值 20 不符",
        "“特别加分扣分”表 B5 特别加分和扣分 B2:类别应为“特别加分”或“特别扣分”,实为“加分”",
        "“工作任务”表 F6 工作任务 3:缺少牵头单位或参与单位",
        "“基本信息”表 B8 评分细则:“年度”应为年份,实为“明年”",
    ):
        assert expected in joined, (expected, problems)
    assert len(problems) == 10 and all(p.startswith("“") for p in problems), problems
    assert "unit_types" not in joined and "department" not in joined


def test_a_workbook_that_is_no_rubric_is_refused_in_chinese(cli, tmp_path):
    other = tmp_path / "名单.xlsx"
    openpyxl.Workbook().save(other)
    assert any("缺少工作表“基本信息”" in p for p in rubric_problems(cli, other))
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    assert rubric_problems(cli, broken) == ["不是有效的 Excel 工作簿(.xlsx)"]


# --- placeholders ------------------------------------------------------------------------------------------------


def test_placeholders_are_filled_from_the_settings():
    values = {"年度": "2026", "截止日期": "2026年12月5日", "案例截止日期": "2026年12月15日"}
    filled = fill("未于{案例截止日期}前报送;{年度}年度;｛截止日期｝", values)
    assert filled == "未于2026年12月15日前报送;2026年度;2026年12月5日"
    assert fill("{不认识}", values) == "{不认识}" and unknown_placeholders("{年度}{不认识}{ 截止日期 }") == ["不认识"]


def test_the_2017_campaign_reads_as_before_and_a_changed_case_deadline_reaches_rule_4_1e(cli, workspace):
    shown = cli("rubric", "show", "--type", "department", "--json", cwd=workspace).json()
    items = {i["id"]: i for s in shown["types"][0]["sections"] for i in s["items"]}
    assert shown["rubric"]["title"] == "广元市昭化区2017年度法治政府建设考核评分细则"
    assert items["4.1"]["rules"][4]["text"] == "未于2017年12月20日前评选报送2个以上行政执法指导案例"
    settings = workspace / "fazhi.toml"
    settings.write_text(settings.read_text("utf-8").replace("case_deadline = 2017-12-20", "case_deadline = 2017-12-15"),
                        encoding="utf-8")
    assert cli("generate", "--unit", "区发改局", cwd=workspace).code == 0
    book = openpyxl.load_workbook(workspace / "outbox" / "2017年度法治政府建设自评表_区发改局.xlsx")
    texts = [c.value for row in book[layout.SHEET_SCORES].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("未于2017年12月15日前评选报送" in t for t in texts)
    assert not any("12月20日" in t for t in texts)


# --- a 2026 campaign from an edited rubric workbook ------------------------------------------------------------


def edited_rubric(cli, tmp_path) -> Path:
    """The built-in rubric exported and edited as the office would for 2026: points moved between 4.1 and 4.2, a
    rule added to 2.1, and the tasks replaced by two with explicit lead and partner units (and one group word)."""
    path = export(cli, tmp_path / "细则-2026.xlsx")
    book = openpyxl.load_workbook(path)
    set_info(book, "细则编号", "zhaohua-2026")
    set_info(book, "版本", "2026.1")
    set_info(book, "适用年度", 2026)
    set_info(book, "来源", "昭府办发〔2026〕8号")
    department = book["区级部门"]
    put(department, line_of(department, "4.1"), {"分值": 13})
    put(department, line_of(department, "4.2"), {"分值": 12})
    added = line_of(department, "2.1") + 1
    department.insert_rows(added)
    put(department, added, {"编号": "2.1a", "类型": "次数", "扣分情形": "审批事项超时办结", "扣分": 1})
    tasks = book["工作任务"]
    line, _ = header(tasks)
    tasks.delete_rows(line + 1, tasks.max_row)
    put(tasks, line + 1, {"序号": 1, "任务类别": "依法决策", "任务": "落实重大行政决策程序",
                          "任务内容": "{年度}年建立重大行政决策目录", "牵头单位": "区司法局",
                          "参与单位": "区发改局、元坝镇"})
    put(tasks, line + 2, {"序号": 2, "任务类别": "依法决策", "任务": "清理规范性文件", "任务内容": "开展年度清理",
                          "牵头单位": "区司法局", "参与单位": "区级相关部门"})
    book.save(path)
    return path


def test_a_2026_campaign_from_an_edited_rubric_workbook(cli, tmp_path, office_clock):
    office_clock(NOW_2026)
    rubric_path = edited_rubric(cli, tmp_path)
    root = tmp_path / "2026考核"
    made = cli("init", root, "--rubric", rubric_path, "--year", "2026")
    assert made.code == 0, made.err
    assert "工作任务 2 的责任单位写的是“区级相关部门”,这不是单位名称" in made.err
    assert "2017" not in made.err  # no year warning: the rubric is 2026's
    assert "由 细则-2026.xlsx 转换而来" in (root / "rubric.yaml").read_text("utf-8")
    generated = cli("generate", cwd=root)
    assert generated.code == 0 and "区级相关部门" in generated.err
    for path in sorted((root / "outbox").glob("*.xlsx")):
        assert "2017" not in xml_text(path), path.name
    outbox = {path.name.split("_", 1)[1][:-5]: path for path in (root / "outbox").glob("*.xlsx")}
    roles = {}
    for unit in ("区司法局", "区发改局", "元坝镇", "区财政局"):
        tasks = openpyxl.load_workbook(outbox[unit])[layout.SHEET_TASKS]
        rows = [[c.value for c in row] for row in tasks.iter_rows(min_row=4) if row[0].value]
        roles[unit] = [(row[0], row[layout.TASK_COLUMNS.index("本单位角色")]) for row in rows]
    assert roles == {"区司法局": [("1", "牵头"), ("2", "牵头")], "区发改局": [("1", "参与")], "元坝镇": [("1", "参与")],
                     "区财政局": []}
    scores = openpyxl.load_workbook(outbox["区发改局"])[layout.SHEET_SCORES]
    texts = [c.value for row in scores.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("未于2026年12月20日前评选报送" in t for t in texts)
    assert any("广元市昭化区2026年度法治政府建设考核评分细则" in t
               for t in [c.value for row in openpyxl.load_workbook(outbox["区发改局"])[layout.SHEET_GUIDE].iter_rows()
                         for c in row if isinstance(c.value, str)])

    rubric = load_rubric_file(root / "rubric.yaml")
    department = rubric.for_type("department")
    assert (department.item("4.1").max, department.item("4.2").max) == (Decimal(13), Decimal(12))
    answers = Answers(tasks={1: ("已完成", "已建立目录")})
    for item in department.items:
        answers.scores[item.id] = float(item.max)
        for rule in item.rules:
            for fact in rule.fact_ids():
                answers.facts[fact] = 2 if rule.kind == "monthly" else (0 if rule.kind == "count" else "否")
    answers.facts["2.1a"], answers.scores["2.1"] = 2, 3  # two late approvals: 2.1 falls to 5 − 2 × 1
    answers.notes["2.1"] = "两件审批事项超时办结"
    for fact in ("B1", "B2"):
        answers.facts[fact] = "否"
    answers.facts["P1"] = answers.facts["P2"] = 0
    filled = tmp_path / "区发改局.xlsx"
    fill_workbook(outbox["区发改局"], filled, answers)
    read = read_workbook(filled)
    assert read.tasks[1].status.raw == "已完成"
    assert cli("ingest", filled, cwd=root).code == 0
    units = {u["unit"]: u for u in cli("score", "--json", cwd=root).json()["units"]}
    mine = units["区发改局"]
    assert mine["errors"] == 0, cli("validate", cwd=root).out
    assert (mine["items"]["2.1"], mine["items"]["4.1"], mine["items"]["4.2"], mine["total"]) == (3, 13, 12, 98)


def test_a_rubric_for_another_year_and_units_not_on_the_roster_are_warned_about(cli, tmp_path, office_clock):
    office_clock(NOW_2026)
    made = cli("init", tmp_path / "2026考核", "--year", "2026")
    assert made.code == 0, made.err
    err = " ".join(made.err.split())
    assert "评分细则“zhaohua-2017”是为 2017 年度制定的,本次考核为 2026 年度" in err
    assert "工作任务 1 写有年份 2015、2020(本次考核为 2026 年度)" in err
    assert "评分细则的来源 写有年份 2017" in err
    # {年度} is filled: the 2026 workbooks say 2026, not 2017, in the rubric's own title and its rule 4.1e
    shown = cli("rubric", "show", "--json", cwd=tmp_path / "2026考核").json()
    assert shown["rubric"]["title"] == "广元市昭化区2026年度法治政府建设考核评分细则"
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,单位类型\n区发改局,区级部门\n区司法局,区级部门\n元坝镇,乡镇\n", encoding="utf-8")
    checked = cli("rubric", "check", export(cli, tmp_path / "细则.xlsx"), "--units", roster, "--year", "2017",
                  cwd=tmp_path)
    assert checked.code == 0
    warned = " ".join(checked.err.split())
    assert "工作任务 5、7 写有单位“区食药工商局”,单位名单中没有这个单位" in warned
    assert "区发改局”,单位名单中没有" not in warned and "各乡镇(街道)”,单位名单" not in warned
    assert "2015" not in warned  # the rubric is 2017's and so is the campaign: the years it names are its own


@pytest.mark.parametrize("unit", ["区市场监督管理局（区知识产权局）"])
def test_a_task_names_a_unit_whichever_width_its_parentheses(unit):
    from fazhi_cli.domain.rubric import Task

    task = Task(1, "一", "类别", "任务", "内容", "", ("区市场监督管理局(区知识产权局)", "区发改局"),
                lead=("区市场监督管理局(区知识产权局)",))
    assert task.role(unit, "department") == "牵头" and task.role("区发改局", "department") == "参与"
    assert task.role("元坝镇", "township") == "" and not task.applies_to("区财政局", "department")


def test_a_formula_in_the_rubric_workbook_is_named_as_a_formula_never_read_as_blank(cli, tmp_path):
    """openpyxl stores no result for a formula (and a spreadsheet may keep a stale one): it is an error at its cell."""
    path = export(cli, tmp_path / "细则.xlsx")
    book = openpyxl.load_workbook(path)
    department = book["区级部门"]
    put(department, line_of(department, "4.1"), {"分值": "=10+5"})
    put(department, line_of(department, "1.1"), {"考核内容": '="遵守"&"程序"'})
    book.save(path)
    joined = "\n".join(rubric_problems(cli, path))
    assert "“区级部门”表 F18:是公式“=10+5”,评分细则不计算公式,请直接填写数值或文字" in joined, joined
    assert "“区级部门”表 C5:是公式“=\"遵守\"&\"程序\"”" in joined, joined
    assert "实为(空)" not in joined, joined


def test_a_new_district_is_reminded_of_the_samples_settings_and_of_a_rubric_written_for_another(cli, tmp_path,
                                                                                                   office_clock):
    """Issue 27.4: a campaign on the office's own roster is told that 考核单位, 主送机关 and 抄送机关 are still
    昭化区's; once the office is another district's, `rubric check` says the rubric was written for 昭化区, and a
    period that ended before the campaign's year is named even in a rubric of that year."""
    office_clock(NOW_2026)
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,单位类型\n区发改局,区级部门\n元坝镇,乡镇\n", encoding="utf-8")
    root = tmp_path / "2026考核"
    made = cli("init", root, "--units", roster, "--year", "2026")
    assert made.code == 0, made.err
    err = " ".join(made.err.split())
    assert "考核单位、主送机关、抄送机关仍是示例(广元市昭化区)的写法" in err and "fazhi config set 考核单位" in err
    plain = cli("init", tmp_path / "示例", "--year", "2026")
    assert "仍是示例" not in plain.err  # the sample roster: a demonstration, not a district's campaign
    rubric = export(cli, tmp_path / "细则.xlsx")
    before = " ".join(cli("rubric", "check", rubric, cwd=root).err.split())
    assert "评分细则是为昭化区制定的" not in before  # the office is still the sample's
    assert "写有时期“2015—2020年”,在 2026 年度之前已经结束" in before
    assert cli("config", "set", "考核单位", "金川区人民政府法制办公室", "-w", root).code == 0
    after = " ".join(cli("rubric", "check", rubric, cwd=root).err.split())
    assert "评分细则是为昭化区制定的" in after and "而考核单位是“金川区人民政府法制办公室”" in after
    generated = " ".join(cli("generate", "-w", root).err.split())
    assert "评分细则是为昭化区制定的" in generated
