"""Evidence per item (佐证材料): each item's named files matched to the files sent with the return, the rubric's
需佐证 mark (YAML and the rubric workbook), `evidence_missing` warnings, and the review sheet's 佐证材料 column."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import yaml

from fazhi_cli.domain import scoring
from fazhi_cli.domain.checks import WARNING, Value
from fazhi_cli.domain.item_evidence import (
    CODE,
    Material,
    check_evidence,
    item_evidence,
    match_names,
    split_names,
)
from fazhi_cli.domain.rubric import build_rubric, rubric_data
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric, load_rubric_file
from fazhi_cli.rubric.workbook import COL_EVIDENCE, write_rubric_workbook
from fazhi_cli.workbook.filler import Answers, fill_workbook
from fazhi_cli.workbook.writer import fingerprint

RUBRIC = builtin_rubric()
DEPARTMENT = RUBRIC.for_type("department")
UNIT_TYPES = {unit.name: unit.type for unit in load_roster(sample_roster_path())}
DEPT = "区发改局"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MARKED = ("1.1", "6.1")


def found_names(text: str, *names: str) -> dict[str, list[str]]:
    """Each name the text gives → the names of the materials it matched."""
    materials = [Material(name, f"archive/{index}") for index, name in enumerate(names)]
    return {n.name: [m.name for m in n.found] for n in match_names(text, materials)}


# ---------------------------------------------------------------------------------------------- reading a cell


def test_names_are_split_on_the_usual_separators():
    text = "工作总结.pdf、培训计划.docx,会议纪要;签到表\n照片.jpg,方案;清单"
    assert split_names(text) == ["工作总结.pdf", "培训计划.docx", "会议纪要", "签到表", "照片.jpg", "方案", "清单"]


def test_a_space_ends_a_name_only_after_an_extension():
    assert split_names("工作总结.pdf 培训计划.docx") == ["工作总结.pdf", "培训计划.docx"]
    assert split_names("2017年 工作总结.pdf") == ["2017年 工作总结.pdf"]
    assert split_names("总结.PDF 2017年 计划") == ["总结.PDF", "2017年 计划"]


def test_words_that_name_no_file_and_lone_list_marks_are_left_out():
    assert split_names("无") == [] and split_names("见附件") == [] and split_names("  ") == []
    assert split_names("1、工作总结.pdf;2、培训计划.pdf") == ["工作总结.pdf", "培训计划.pdf"]
    assert split_names("《工作总结》.pdf、“培训计划.pdf”") == ["工作总结》.pdf", "培训计划.pdf"]


# ---------------------------------------------------------------------------------------------- matching


def test_case_and_full_width_characters_do_not_matter():
    assert found_names("决策目录.PDF", "决策目录.pdf") == {"决策目录.PDF": ["决策目录.pdf"]}
    assert found_names("２０１７年学法计划.ｐｄｆ", "2017年学法计划.pdf") == {
        "2017年学法计划.pdf": ["2017年学法计划.pdf"]}
    assert found_names("（一）职责清单.pdf", "(一)职责清单.PDF") == {"(一)职责清单.pdf": ["(一)职责清单.PDF"]}


def test_a_missing_extension_matches_any_extension_but_a_given_one_must_agree():
    assert found_names("培训计划", "培训计划.docx", "培训计划.pdf", "培训计划表.pdf") == {
        "培训计划": ["培训计划.docx", "培训计划.pdf"]}
    assert found_names("培训计划.pdf", "培训计划.docx") == {"培训计划.pdf": []}


def test_a_folder_in_front_list_marks_and_spaces_are_ignored():
    assert found_names("附件/培训计划.pdf、D:\\材料\\决策目录", "培训计划.pdf", "决策目录.docx") == {
        "附件/培训计划.pdf": ["培训计划.pdf"], "D:\\材料\\决策目录": ["决策目录.docx"]}
    assert found_names("1.会议纪要.pdf", "会议纪要.pdf") == {"1.会议纪要.pdf": ["会议纪要.pdf"]}
    assert found_names("培训 计划.pdf", "培训计划.pdf") == {"培训 计划.pdf": ["培训计划.pdf"]}


def test_naming_the_zip_names_every_file_in_it():
    materials = [Material("a.pdf", "archive/a", ("佐证材料.zip",)), Material("b.pdf", "archive/b", ("佐证材料.zip",)),
                 Material("c.pdf", "archive/c")]
    [named] = match_names("佐证材料.ZIP", materials)
    assert [m.name for m in named.found] == ["a.pdf", "b.pdf"]


# ---------------------------------------------------------------------------------------------- warnings


def _values(**texts: str) -> dict[tuple[str, str], Value]:
    return {(ref.replace("_", "."), "evidence"): Value(text, f"自评表!L{index}")
            for index, (ref, text) in enumerate(texts.items(), start=10)}


def test_a_named_file_that_did_not_arrive_is_a_warning_naming_it():
    values = _values(**{"1_1": "决策目录.pdf、签到表.jpg", "2_1": "审批清单"})
    evidence = item_evidence(DEPARTMENT, values, [Material("决策目录.PDF", "archive/x.pdf"),
                                                  Material("审批清单.xlsx", "archive/y.xlsx")])
    [finding] = check_evidence(DEPT, DEPARTMENT, evidence)
    assert (finding.code, finding.severity, finding.ref, finding.cell) == (CODE, WARNING, "1.1", "自评表!L10")
    assert "「签到表.jpg」" in finding.message and "决策目录" not in finding.message
    assert evidence["1.1"].shown() == "决策目录.PDF:archive/x.pdf\n签到表.jpg:未收到"


def test_an_item_marked_as_needing_evidence_that_names_none_is_a_warning():
    marked = replace(DEPARTMENT, sections=tuple(
        replace(s, items=tuple(replace(i, evidence=i.id in MARKED) for i in s.items)) for s in DEPARTMENT.sections))
    values = {**_values(**{"6_1": "职责清单.pdf"}), ("1.1", "evidence"): Value(None, "自评表!L5")}
    evidence = item_evidence(marked, values, [Material("职责清单.pdf", "archive/z.pdf")])
    [finding] = check_evidence(DEPT, marked, evidence)
    assert (finding.ref, finding.cell) == ("1.1", "自评表!L5") and "需要佐证材料" in finding.message
    assert check_evidence(DEPT, DEPARTMENT, item_evidence(DEPARTMENT, values, [])) == [
        f for f in check_evidence(DEPT, DEPARTMENT, item_evidence(DEPARTMENT, values, [])) if f.ref == "6.1"]


# ---------------------------------------------------------------------------------------------- the rubric's mark


def _marked_data() -> dict:
    data = rubric_data(RUBRIC)
    for section in data["unit_types"]["department"]["sections"]:
        for item in section["items"]:
            if item["id"] in MARKED:
                item["evidence"] = True
    return data


def test_the_mark_is_optional_and_changes_no_form_fingerprint():
    assert "evidence" not in yaml.safe_dump(rubric_data(RUBRIC), allow_unicode=True)  # an unmarked rubric as before
    marked = build_rubric(_marked_data())
    assert [i.id for i in marked.for_type("department").items if i.evidence] == list(MARKED)
    assert fingerprint(marked, "department") == fingerprint(RUBRIC, "department")
    assert build_rubric(rubric_data(marked)) == marked


def test_a_mark_that_is_no_yes_or_no_is_a_problem():
    data = _marked_data()
    data["unit_types"]["department"]["sections"][0]["items"][0]["evidence"] = "也许"
    with pytest.raises(Exception, match="需佐证"):
        build_rubric(data)


def test_the_mark_round_trips_through_the_rubric_workbook(tmp_path, cli):
    book = tmp_path / "细则.xlsx"
    write_rubric_workbook(build_rubric(_marked_data()), book)
    sheet = openpyxl.load_workbook(book)["区级部门"]
    header = {cell.value: cell.column for cell in sheet[3]}
    marks = {sheet.cell(line, header["编号"]).value: sheet.cell(line, header[COL_EVIDENCE]).value
             for line in range(4, sheet.max_row + 1)}
    assert marks["1.1"] == "是" and marks["6.1"] == "是" and marks["1.2"] is None
    edited = openpyxl.load_workbook(book)
    office = edited["区级部门"]
    line_of = {office.cell(line, header["编号"]).value: line for line in range(4, office.max_row + 1)}
    office.cell(line_of["6.1"], header[COL_EVIDENCE]).value = None  # the office takes one mark off, adds one
    office.cell(line_of["6.3"], header[COL_EVIDENCE]).value = "是"
    edited.save(book)
    assert cli("rubric", "check", book).code == 0
    items = load_rubric_file(book).for_type("department").items
    assert [i.id for i in items if i.evidence] == ["1.1", "6.3"]
    office.cell(line_of["1.2"], header[COL_EVIDENCE]).value = "大概"
    edited.save(book)
    checked = cli("rubric", "check", book)
    letter = openpyxl.utils.get_column_letter(header[COL_EVIDENCE])
    problem = f"{letter}{line_of['1.2']} 区级部门细则 第 1.2 项:“需佐证”应为“是”或留空"
    assert checked.code == 2 and problem in checked.err


# ---------------------------------------------------------------------------------------------- through the commands


def _answers(rubric, evidence: dict[str, str]) -> Answers:
    """A correct return of the department: every fact clean, full marks, tasks done, the form's block filled."""
    answers = Answers()
    type_rubric = rubric.for_type("department")
    for item in type_rubric.items:
        for rule in item.rules:
            if rule.kind == "flag":
                answers.facts[rule.id] = "否"
            elif rule.kind == "count":
                answers.facts[rule.id] = 0
            else:
                answers.facts.update(dict.fromkeys(rule.month_ids(), rule.quota))
        answers.scores[item.id] = float(scoring.item_ceiling(item, {}))
    answers.facts.update({"P1": 0, "P2": 0})
    for task in rubric.tasks_for(DEPT, "department"):
        answers.tasks[task.number] = ("已完成", "按期完成")
    answers.form.update({"负责人": "王主任", "填报人": "李明", "联系电话": "0839-8700003", "填报日期": "2017-12-05"})
    answers.evidence.update(evidence)
    return answers


@pytest.fixture
def marked_ws(tmp_path, cli) -> Path:
    """A 2017 workspace whose rubric marks 1.1 and 6.1 of the departments as needing evidence, its form generated."""
    rubric_file = tmp_path / "细则.yaml"
    rubric_file.write_text(yaml.safe_dump(_marked_data(), allow_unicode=True, sort_keys=False), "utf-8")
    root = tmp_path / "marked"
    assert cli("init", root, "--rubric", rubric_file).code == 0
    assert cli("generate", "--unit", DEPT, "-w", root).code == 0
    return root


EVIDENCE = {"1.1": "重大行政决策目录.PDF、签到表.jpg", "2.1": "审批事项清单", "6.1": "第一责任人职责清单.pdf"}
SENT = ["重大行政决策目录.pdf", "审批事项清单.pdf", "第一责任人职责清单.pdf"]


def send_zip(ws: Path, tmp_path: Path, evidence: dict[str, str], files: list[str]) -> Path:
    """The department's return in one zip: its filled form and the named files."""
    form = tmp_path / "form.xlsx"
    fill_workbook(ws / "outbox" / f"2017年度法治政府建设自评表_{DEPT}.xlsx", form, _answers(RUBRIC, evidence))
    target = tmp_path / "回执.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{DEPT}自评表.xlsx", form.read_bytes())
        for number, name in enumerate(files):
            archive.writestr(f"佐证/{name}", PDF + str(number).encode())
    target.write_bytes(buffer.getvalue())
    return target


def test_validate_warns_for_the_file_not_sent_and_the_unit_is_not_provisional(cli, marked_ws, tmp_path):
    sent = send_zip(marked_ws, tmp_path, EVIDENCE, SENT)
    assert cli("ingest", sent, "-w", marked_ws).code == 0
    checked = cli("validate", "--json", "-w", marked_ws)
    assert checked.code == 0  # warnings only
    [finding] = [f for f in checked.json()["findings"] if f["code"] == CODE]
    assert (finding["ref"], finding["severity"]) == ("1.1", "warning") and "「签到表.jpg」" in finding["message"]
    assert finding["cell"].startswith("自评表!")
    unit = next(u for u in cli("score", "--json", "-w", marked_ws).json()["units"] if u["unit"] == DEPT)
    assert unit["provisional"] is False and unit["errors"] == 0


def test_a_marked_item_naming_nothing_is_warned_about(cli, marked_ws, tmp_path):
    sent = send_zip(marked_ws, tmp_path, {"1.1": "重大行政决策目录.pdf"}, ["重大行政决策目录.pdf"])
    assert cli("ingest", sent, "-w", marked_ws).code == 0
    found = [f for f in cli("validate", "--json", "-w", marked_ws).json()["findings"] if f["code"] == CODE]
    assert [(f["ref"], "需要佐证材料" in f["message"]) for f in found] == [("6.1", True)]


def test_the_review_sheet_shows_each_items_evidence_with_its_archive_path(cli, marked_ws, tmp_path):
    sent = send_zip(marked_ws, tmp_path, EVIDENCE, SENT)
    assert cli("ingest", sent, "-w", marked_ws).code == 0
    assert cli("review-sheet", "-w", marked_ws).code == 0
    [sheet_file] = (marked_ws / "review").glob("*区级部门*.xlsx")
    sheet = openpyxl.load_workbook(sheet_file)["复核打分表"]
    header = {cell.value: cell.column for cell in sheet[4]}
    rows = {sheet.cell(line, header["编号"]).value: sheet.cell(line, header["佐证材料"])
            for line in range(5, sheet.max_row + 1)}
    lines = rows["1.1"].value.split("\n")
    assert lines[0].startswith("重大行政决策目录.pdf:archive/") and lines[1] == "签到表.jpg:未收到"
    path = lines[0].split(":", 1)[1]
    assert (marked_ws / path).read_bytes().startswith(b"%PDF") and rows["1.1"].data_type == "s"
    assert rows["1.2"].value is None and rows["1.1"].protection.locked
    # the office fills it in and it comes back with the new column in place
    sheet.cell(next(line for line in range(5, sheet.max_row + 1)
                    if sheet.cell(line, header["编号"]).value == "1.1"), header["核定得分"]).value = 10
    book = sheet.parent
    book.save(sheet_file)
    taken = cli("ingest", sheet_file, "-w", marked_ws)
    assert taken.code == 0, taken.out
    unit = next(u for u in cli("score", "--json", "-w", marked_ws).json()["units"] if u["unit"] == DEPT)
    assert unit["basis"] == "mixed"


def test_the_mark_does_not_touch_campaigns_on_the_built_in_rubric(cli, workspace, tmp_path):
    assert not any(i.evidence for t in RUBRIC.types.values() for i in t.items)
    assert cli("generate", "--unit", DEPT, "-w", workspace).code == 0
    sent = send_zip(workspace, tmp_path, {}, [])
    assert cli("ingest", sent, "-w", workspace).code == 0
    assert [f for f in cli("validate", "--json", "-w", workspace).json()["findings"] if f["code"] == CODE] == []


def test_the_form_tells_the_unit_which_items_need_evidence(cli, marked_ws, workspace):
    def guide(root: Path) -> str:
        book = openpyxl.load_workbook(root / "outbox" / f"2017年度法治政府建设自评表_{DEPT}.xlsx")
        return "\n".join(str(c.value) for row in book["填报说明"].iter_rows() for c in row if c.value)
    assert "第 1.1、6.1 项须附佐证材料" in guide(marked_ws) and "同一压缩包" in guide(marked_ws)
    assert cli("generate", "--unit", DEPT, "-w", workspace).code == 0
    assert "须附佐证材料" not in guide(workspace)


def test_the_feedback_page_lists_each_items_evidence_escaped(cli, marked_ws, tmp_path):
    named = {**EVIDENCE, "3.1": "说明<script>alert(1)</script>.pdf"}
    assert cli("ingest", send_zip(marked_ws, tmp_path, named, SENT), "-w", marked_ws).code == 0
    assert cli("report", "-w", marked_ws).code == 0
    page = (marked_ws / "reports" / "feedback" / f"{DEPT}.html").read_text("utf-8")
    assert "佐证材料:重大行政决策目录.PDF<" in page and "佐证材料:签到表.jpg(未收到)" in page
    assert "<script>alert" not in page and "说明&lt;script&gt;alert(1)&lt;/script&gt;.pdf(未收到)" in page


def test_rubric_show_says_which_items_need_evidence(cli, marked_ws):
    shown = cli("rubric", "show", "--type", "department", "-w", marked_ws)
    assert shown.code == 0 and "遵守行政决策程序 10 分 (需佐证)" in shown.out
    assert "规范性文件审查、报备 5 分 (需佐证)" not in shown.out
    data = cli("rubric", "show", "--json", "-w", marked_ws).json()
    text = str(data)
    assert "'evidence': True" in text and text.count("'evidence': True") == len(MARKED)


def test_invisible_characters_do_not_stop_a_match():
    assert found_names("\u200b工作总结\ufeff.pdf", "工作总结.pdf") == {"\u200b工作总结\ufeff.pdf": ["工作总结.pdf"]}
