"""`fazhi validate` and `fazhi status`: every finding names the cell as it is in the unit's own file, numbers
are read the way people type them, the JSON is the interface's, and --annotate marks each cell.

Returned workbooks are real files filled from the generated ones and taken in with `fazhi ingest`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from test_ingest import (  # noqa: F401 - wide_terminal is an autouse fixture
    CHINA,
    DEPT,
    ON_TIME,
    RUBRIC,
    TOWN,
    clean_answers,
    fill,
    stamp,
    wide_terminal,
)

from fazhi_cli.domain import scoring
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.validate import validate_workspace
from fazhi_cli.workspace import Workspace

LATE = dt.datetime(2017, 12, 11, 10, 0, tzinfo=CHINA)
FINDING_KEYS = {"unit", "severity", "code", "ref", "cell", "message"}


@pytest.fixture
def ws(cli, workspace) -> Path:
    result = cli("generate", "--unit", DEPT, "--unit", TOWN, "-w", workspace)
    assert result.code == 0, result.err
    return workspace


def cell_of(path: Path, ident: str | int, title: str, sheet: str = "自评表") -> str:
    """Where a row's cell is in this very file, found by reading it with openpyxl (not with the product's reader)."""
    book = openpyxl.load_workbook(path)
    table = book[sheet]
    id_title = "编号" if sheet == "自评表" else "序号"
    for header in table.iter_rows(min_row=1, max_row=15):
        columns = {c.value: c.column for c in header if isinstance(c.value, str)}
        if id_title in columns and title in columns:
            break
    else:
        raise AssertionError(f"no header with {id_title} and {title} in {sheet}")
    for line in range(header[0].row + 1, table.max_row + 1):
        value = table.cell(line, columns[id_title]).value
        if value is not None and str(value).removesuffix(".0") == str(ident):
            return f"{sheet}!{get_column_letter(columns[title])}{line}"
    raise AssertionError(f"no row {ident} in {sheet}")


def ingest(cli, ws: Path, *paths: Path, code: int = 0):
    result = cli("ingest", *paths, "-w", ws)
    assert result.code == code, result.out + result.err
    return result


def findings(cli, ws: Path, code: int) -> list[dict]:
    result = cli("validate", "--json", "-w", ws)
    assert result.code == code, result.out + result.err
    data = result.json()
    assert list(data) == ["findings"]
    return data["findings"]


def unprotected(path: Path):
    """The workbook as a unit that removed the sheet protection (no password is set) would have it."""
    book = openpyxl.load_workbook(path)
    book["自评表"].protection.sheet = False
    return book


# --- every finding, with its cell ----------------------------------------------------------------------------------


def department_item(item_id: str):
    return next(item for item in RUBRIC.for_type("department").items if item.id == item_id)


@pytest.fixture
def bad_return(cli, ws, tmp_path, office_clock) -> Path:
    """区发改局's return with one of each problem a unit makes, received a day late (by the office's clock)."""
    answers = clean_answers(DEPT)
    answers.scores.update({"1.1": "八分", "1.2": -1, "2.1": 6, "3.1": None, "4.1": 15, "6.3": 5})
    answers.notes.pop("6.3", None)
    answers.facts.update({"1.1a": "有", "2.2a": "两次", "2.2b": "-1", "5.2a": "1.5", "4.1a": 2, "B1": "是"})
    del answers.tasks[5]  # its one task (区级相关部门 names no unit; task 5 names 区发改局)
    path = fill(ws, tmp_path / "区发改局自评表.xlsx", DEPT, answers)
    office_clock(LATE)
    ingest(cli, ws, path)
    return path


def test_each_finding_names_its_cell_in_the_units_own_file(cli, ws, bad_return):
    path = bad_return
    found = findings(cli, ws, code=1)
    assert all(set(f) == FINDING_KEYS and f["unit"] == DEPT for f in found)
    score, fact = (lambda i: cell_of(path, i, "自评得分")), (lambda i: cell_of(path, i, "填报值"))
    expected = {
        ("error", "score_not_number", "1.1", score("1.1")),
        ("error", "score_negative", "1.2", score("1.2")),
        ("error", "above_max", "2.1", score("2.1")),
        ("error", "score_missing", "3.1", score("3.1")),
        ("error", "above_ceiling", "4.1", score("4.1")),
        ("error", "flag_invalid", "1.1a", fact("1.1a")),
        ("error", "count_invalid", "2.2a", fact("2.2a")),
        ("error", "count_invalid", "2.2b", fact("2.2b")),
        ("error", "count_invalid", "5.2a", fact("5.2a")),
        ("warning", "no_explanation", "6.3", cell_of(path, "6.3", "扣分说明")),
        ("warning", "bonus_no_evidence", "B1", cell_of(path, "B1", "佐证材料")),
        ("warning", "late", None, None),
        ("warning", "task_status_missing", "task:5", cell_of(path, 5, "完成情况", sheet="工作任务")),
    }
    assert sorted((f["severity"], f["code"], f["ref"], f["cell"]) for f in found) == sorted(expected, key=str)
    assert [f["severity"] for f in found] == sorted((f["severity"] for f in found), key=["error", "warning"].index)

    ceiling = scoring.item_ceiling(department_item("4.1"), {"4.1a": 2})
    assert ceiling < 15
    phrases = {
        "score_not_number": "第 1.1 项的自评得分“八分”不是数字(暂按 0 分计)",
        "score_negative": "第 1.2 项的自评得分 -1 为负数",
        "above_max": "第 2.1 项的自评得分 6 超过该项分值 5",
        "score_missing": "未填写自评得分(暂按 0 分计)。请填写 0 至 5 之间的分数",
        "above_ceiling": f"第 4.1 项的自评得分 15 超过得分上限 {ceiling}",
        "flag_invalid": "1.1a的填报值“有”无法识别,只能填“是”或“否”",
        "count_invalid": "应填写大于或等于 0 的整数",
        "no_explanation": "第 6.3 项失分 1 分,但未填写扣分说明",
        "bonus_no_evidence": "申报特别加分 B1",
        "late": "报送时间 2017-12-11 10:00 晚于截止日期 2017-12-10",
        "task_status_missing": "工作任务第 5 项未填写完成情况",
    }
    for finding in found:
        where = f"{finding['cell']}:" if finding["cell"] else ""
        assert finding["message"].startswith(f"【{DEPT}】{where}"), finding
        assert phrases[finding["code"]] in finding["message"], finding
    counts = sorted(f["message"].split("填报值“")[1].split("”")[0] for f in found if f["code"] == "count_invalid")
    assert counts == ["-1", "1.5", "两次"]

    human = cli("validate", "-w", ws)
    assert human.code == 1
    assert f"{DEPT}:错误 9,警告 4" in human.out
    assert "已校验 1 个单位的报送:错误 9,警告 4;无问题 0 个单位。" in human.out
    assert phrases["above_ceiling"] in human.out and score("4.1") in human.out


def test_annotate_writes_a_copy_with_a_comment_and_a_fill_on_each_finding_cell(cli, ws, bad_return, tmp_path,
                                                                               office_clock):
    clean = fill(ws, tmp_path / "元坝镇.xlsx", TOWN)
    office_clock(ON_TIME)
    ingest(cli, ws, clean)
    result = cli("validate", "--annotate", "-w", ws)
    assert result.code == 1
    target = ws / "returns" / "2017年度法治政府建设自评表_区发改局_修改意见.xlsx"
    assert f"已生成退回修改表:{target}" in result.err
    assert sorted(p.name for p in (ws / "returns").iterdir()) == [target.name]  # the clean unit gets none

    found = findings(cli, ws, code=1)
    book = openpyxl.load_workbook(target)
    marked = {}
    for finding in found:
        if finding["cell"] is None:
            continue
        sheet, ref = finding["cell"].split("!")
        cell = book[sheet][ref]
        assert cell.comment is not None and finding["message"] in cell.comment.text, finding
        assert cell.comment.author == "区政府法制办"
        colour = "FF9999" if finding["severity"] == "error" else "FFE699"
        assert (cell.fill.fill_type, cell.fill.fgColor.rgb[-6:]) == ("solid", colour), finding
        marked[finding["cell"]] = finding
    late = next(f for f in found if f["code"] == "late")
    assert late["message"] in book["自评表"]["A1"].comment.text
    commented = {f"{s.title}!{c.coordinate}" for s in book.worksheets for row in s.iter_rows() for c in row
                 if c.comment is not None}
    assert commented == set(marked) | {"自评表!A1"}
    assert book["fazhi_id"].sheet_state == "veryHidden"  # the copy is still the unit's own workbook
    original = openpyxl.load_workbook(bad_return)["自评表"]
    assert all(original[c.split("!")[1]].value == book["自评表"][c.split("!")[1]].value
               for c in marked if c.startswith("自评表!"))


def test_changed_fixed_content_is_taken_and_reported(cli, ws, tmp_path):
    path = fill(ws, tmp_path / "区发改局.xlsx", DEPT)
    changed_max = cell_of(path, "6.1", "分值")
    deleted_row = int(cell_of(path, "6.4", "编号").split("!")[1].lstrip("ABCDEFGHIJK"))
    book = unprotected(path)
    sheet = book["自评表"]
    sheet[changed_max.split("!")[1]] = 10
    sheet.delete_rows(deleted_row)
    book.save(path)
    stamp(path, ON_TIME)
    result = ingest(cli, ws, path)
    assert "固定内容被改动,按原评分细则计分" in result.out
    found = findings(cli, ws, code=1)
    assert cell_of(path, "6.1", "分值") == changed_max
    assert sorted((f["severity"], f["code"], f["ref"], f["cell"]) for f in found) == sorted([
        ("error", "content_changed", "6.1", changed_max),
        ("error", "item_missing", "6.4", None),
    ], key=str)
    by_code = {f["code"]: f["message"] for f in found}
    assert "第 6.1 行的“分值”被改动(现为“10”,应为“8”)。计分按原评分细则" in by_code["content_changed"]
    assert "第 6.4 行被删除或编号被改动" in by_code["item_missing"]
    result = validate_workspace(Workspace(ws)).results[0]
    assert result.interpreted.ceilings(RUBRIC.for_type("department"))["6.1"] == 8  # scored on the master's 分值


def test_an_inserted_row_shifts_the_reported_cell_to_the_units_own_row(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    answers.scores["1.1"] = "八分"
    path = fill(ws, tmp_path / "区发改局.xlsx", DEPT, answers)
    as_generated = cell_of(path, "1.1", "自评得分")
    book = unprotected(path)
    line = int(as_generated.split("!I")[1])
    book["自评表"].insert_rows(line)
    book["自评表"].cell(line, 2).value = "本单位加的备注行"
    book.save(path)
    stamp(path, ON_TIME)
    ingest(cli, ws, path)
    found = findings(cli, ws, code=1)
    shifted = cell_of(path, "1.1", "自评得分")
    assert shifted == f"自评表!I{line + 1}" != as_generated
    assert [(f["code"], f["ref"], f["cell"]) for f in found] == [("score_not_number", "1.1", shifted)]
    assert found[0]["message"].startswith(f"【{DEPT}】{shifted}:")


def test_numbers_typed_as_people_type_them_are_accepted(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    typed = {"6.1": ("８", "8"), "4.2": ("8分", "8"), "5.2": (" 8.5 ", "8.5"), "1.1": ("８．５分", "8.5")}
    for item_id, (text, _) in typed.items():
        answers.scores[item_id] = text
        answers.notes[item_id] = "部分工作未完成"
    path = fill(ws, tmp_path / "区发改局.xlsx", DEPT, answers)
    ingest(cli, ws, path)
    assert findings(cli, ws, code=0) == []
    interpreted = validate_workspace(Workspace(ws)).results[0].interpreted
    assert {i: interpreted.scores[i] for i in typed} == {i: Decimal(v) for i, (_, v) in typed.items()}


# --- the JSON, exit codes and a clean return ------------------------------------------------------------------------


def test_validate_json_is_the_interface_shape_exactly(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    answers.scores["1.1"] = "八分"
    path = fill(ws, tmp_path / "区发改局.xlsx", DEPT, answers)
    csv = tmp_path / "区财政局自评表.xlsx"
    csv.write_text("编号,自评得分\n1.1,10\n", "utf-8")
    ingest(cli, ws, path, csv, code=1)
    result = cli("validate", "--json", "-w", ws)
    assert result.code == 1
    data = result.json()  # stdout is JSON and nothing else
    cell = cell_of(path, "1.1", "自评得分")
    unit_finding, refused = data["findings"]
    assert unit_finding == {
        "unit": DEPT, "severity": "error", "code": "score_not_number", "ref": "1.1", "cell": cell,
        "message": f"【{DEPT}】{cell}:第 1.1 项的自评得分“八分”不是数字(暂按 0 分计)。请填写数字。",
    }
    assert list(refused) == ["unit", "severity", "code", "ref", "cell", "message", "file"]
    assert {k: v for k, v in refused.items() if k != "message"} == {
        "unit": None, "severity": "error", "code": "text_file", "ref": None, "cell": None, "file": csv.name,
    }
    assert refused["message"].startswith(f"「{csv.name}」实际是文本或 CSV 文件,不是 Excel 工作簿")
    assert list(data) == ["findings"] and len(data["findings"]) == 2


def test_a_fully_correct_return_is_clean_and_exits_0(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    assert any(answers.notes.values()), "the clean return should include lost points with their note"
    paths = [fill(ws, tmp_path / "区发改局.xlsx", DEPT, answers), fill(ws, tmp_path / "元坝镇.xlsx", TOWN)]
    ingest(cli, ws, *paths)
    assert findings(cli, ws, code=0) == []
    human = cli("validate", "-w", ws)
    assert human.code == 0
    assert "已校验 2 个单位的报送:错误 0,警告 0;无问题 2 个单位。" in human.out
    annotated = cli("validate", "--annotate", "-w", ws)
    assert annotated.code == 0 and list((ws / "returns").iterdir()) == []


def test_status_lists_the_missing_units_with_their_contacts_and_the_days_left(cli, ws, tmp_path):
    ingest(cli, ws, fill(ws, tmp_path / "区发改局.xlsx", DEPT))
    result = cli("status", "--json", "-w", ws)
    assert result.code == 0
    data = result.json()
    roster = [unit for unit in load_roster(ws / "units.xlsx") if unit.assessed]  # not 区政府法制办
    assert data["deadline"] == "2017-12-10"
    assert data["days_left"] == (dt.date(2017, 12, 10) - dt.date.today()).days
    assert data["returned"] == 1 and data["refused_files"] == 0
    assert data["missing"] == [
        {"unit": u.name, "contact": u.contact, "phone": u.phone, "email": u.email} for u in roster if u.name != DEPT
    ]
    assert data["missing"][0] == {"unit": "区政府办", "contact": "李静", "phone": "0839-8700001",
                                  "email": "unit01@example.invalid"}
    returned = next(u for u in data["units"] if u["unit"] == DEPT)
    assert (returned["returned"], returned["errors"], returned["warnings"]) == (True, 0, 0)
    assert returned["received_at"] == ON_TIME.isoformat()
    human = cli("status", "-w", ws)
    assert human.code == 0
    assert f"未报送:{len(roster) - 1} 个单位" in human.out and "0839-8700001" in human.out
    assert f"截止日期 2017-12-10:已过 {-data['days_left']} 天。" in human.out
