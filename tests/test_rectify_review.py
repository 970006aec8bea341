"""The office's 整改复核表 (`fazhi rectify review-sheet`) and its 销号 read back by `fazhi ingest`: the sheet shows what
the units reported and the closures in force; 是 closes an item (销号), 否 withdraws a closure the sheet showed; a 销号
of an item not reported 已完成 needs a 复核意见; every 销号 and withdrawal is in `fazhi log` and `fazhi rectify status`.

The units' returned reports are recorded through the real store API (`rectify_helpers.record_report`); the sheets are
the files fazhi writes, edited with openpyxl as the clerk would, and saved by LibreOffice where it matters.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import OFFICE_NOW, CliResult
from helpers import external_tool
from rectify_helpers import APPROVE, DEPT, POLICE, TOWN, approved_campaign, record_report
from test_scores import query
from workbook_helpers import libreoffice_convert

from fazhi_cli.cli.app import main
from fazhi_cli.domain.identity import RECTIFY_REVIEW_FIELDS, seal
from fazhi_cli.rectify import layout as cols
from fazhi_cli.rectify import rectify_view
from fazhi_cli.store import RectifyRow
from fazhi_cli.workbook import layout
from fazhi_cli.workspace import Workspace
from fazhi_cli.workspace.names import rectify_review_file_name

SHEET = cols.SHEET_RECTIFY_REVIEW


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One approved campaign for the module, copied for each test (approving it takes a while)."""

    def cli(*args) -> CliResult:
        try:
            main([str(a) for a in args])
        except SystemExit as exit_:
            return CliResult(exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None), "", "")
        return CliResult(0, "", "")

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAZHI_NOW", OFFICE_NOW)
        return approved_campaign(cli, tmp_path_factory.mktemp("approved"))


@pytest.fixture
def campaign(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "campaign"))


def items_of(root: Path) -> dict[str, list[str]]:
    """Each owing unit's item refs, as the approved results give them."""
    return {u.unit: [i.ref for i in u.items] for u in rectify_view(Workspace(root)).units}


def sheet_path(root: Path) -> Path:
    return root / "review" / rectify_review_file_name(2017)


def table(path: Path) -> tuple[dict[str, int], dict[tuple[str, str], int], openpyxl.Workbook]:
    """The sheet's columns by title and rows by (unit, 编号), found by title as ingest finds them."""
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    header = next(r for r in range(1, 16) if cols.COL_UNIT in [c.value for c in sheet[r]])
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {(sheet.cell(r, columns[cols.COL_UNIT]).value, sheet.cell(r, columns[cols.COL_ID]).value): r
            for r in range(header + 1, sheet.max_row + 1)}
    return columns, rows, book


def value(path: Path, unit: str, ref: str, title: str) -> object:
    columns, rows, book = table(path)
    return book[SHEET].cell(rows[(unit, ref)], columns[title]).value


def filled(source: Path, target: Path, changes: dict[tuple[str, str], tuple[object, str | None]]) -> dict:
    """The sheet with 销号 and 复核意见 entered by (unit, 编号), saved as `target`; returns the 销号 cells by key."""
    columns, rows, book = table(source)
    sheet = book[SHEET]
    for (unit, ref), (close, opinion) in changes.items():
        sheet.cell(rows[(unit, ref)], columns[cols.COL_CLOSE]).value = close
        if opinion is not None:
            sheet.cell(rows[(unit, ref)], columns[cols.COL_OPINION]).value = opinion
    book.save(target)
    letter = openpyxl.utils.get_column_letter(columns[cols.COL_CLOSE])
    return {key: f"{SHEET}!{letter}{rows[key]}" for key in changes}


def closures(root: Path) -> list[tuple]:
    """The 销号 decisions recorded: action, unit, and the detail but the sheet's file name."""
    found = query(root, "SELECT action, unit, detail FROM decisions WHERE action LIKE 'rectify_%' ORDER BY id")
    return [(r["action"], r["unit"], {k: v for k, v in json.loads(r["detail"]).items() if k != "sheet"})
            for r in found]


def message(root: Path, path: Path) -> str:
    """What ingest said of the file (as recorded: the terminal table wraps it)."""
    return query(root, "SELECT message FROM files WHERE original_name = ? ORDER BY id DESC", path.name)[0]["message"]


def states(cli, root: Path) -> dict[tuple[str, str], str]:
    data = cli("rectify", "status", "--json", "-w", root).json()
    return {(u["unit"], i["ref"]): i["state"] for u in data["units"] for i in u["items"]}


def reported(root: Path, refs: list[str]) -> None:
    """区发改局 reports its first item 已完成 (its measures written as a formula would be), its second 推进中."""
    record_report(root, DEPT, [
        RectifyRow(refs[0], "=HYPERLINK(\"http://x\")制度已修订", "已完成", None, "修订后的制度文本"),
        RectifyRow(refs[1], "正在组织培训", "推进中", None, ""),
    ])


def test_the_sheet_has_a_row_per_owing_unit_and_item_with_what_the_unit_reported(cli, campaign):
    owed = items_of(campaign)
    refs = owed[DEPT]
    reported(campaign, refs)
    result = cli("rectify", "review-sheet", "-w", campaign)
    assert result.code == 0, result.err
    path = sheet_path(campaign)
    columns, rows, book = table(path)
    assert list(columns) == list(cols.REVIEW_COLUMNS)
    assert list(rows) == [(unit, ref) for unit in (DEPT, TOWN) for ref in owed[unit]]  # 区公安分局 owes nothing
    sheet = book[SHEET]
    first, second, town = rows[(DEPT, refs[0])], rows[(DEPT, refs[1])], rows[(TOWN, owed[TOWN][0])]
    progress, measures = columns[cols.COL_PROGRESS], columns[cols.COL_MEASURES]
    assert [sheet.cell(r, progress).value for r in (first, second, town)] == ["已完成", "推进中", "未报告"]
    assert sheet.cell(first, measures).value.startswith("=HYPERLINK") and sheet.cell(first, measures).data_type == "s"
    assert sheet.cell(first, columns[cols.COL_EVIDENCE]).value == "修订后的制度文本"
    assert sheet.cell(first, columns[cols.COL_CLOSE]).value is None
    assert sheet.protection.sheet
    assert not sheet.cell(first, columns[cols.COL_CLOSE]).protection.locked
    assert not sheet.cell(first, columns[cols.COL_OPINION]).protection.locked
    assert sheet.cell(first, measures).protection.locked and sheet.cell(first, columns[cols.COL_UNIT]).protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    close_cell = f"{openpyxl.utils.get_column_letter(columns[cols.COL_CLOSE])}{first}"
    assert lists[0].formula1 == '"是,否"' and close_cell in str(lists[0].sqref)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows and book[layout.SHEET_IDENTITY].sheet_state == "veryHidden"
    identity = {r[0].value: r[1].value for r in book[layout.SHEET_IDENTITY].iter_rows()}
    assert identity[layout.ID_FORMAT] == cols.RECTIFY_REVIEW_FORMAT_NAME and identity[cols.ID_CLOSURES_UPTO] == "0"
    assert identity[cols.ID_APPROVAL] == rectify_view(Workspace(campaign)).owed.approval


def test_a_close_is_recorded_in_the_log_and_status_and_the_next_sheet_shows_it(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    back = tmp_path / "复核_已填.xlsx"
    cells = filled(sheet_path(campaign), back, {(DEPT, refs[0]): ("是", None)})
    result = cli("ingest", back, "-w", campaign)
    assert result.code == 0, result.out + result.err
    assert "销号 1 项" in message(campaign, back)
    assert states(cli, campaign)[(DEPT, refs[0])] == "closed"
    assert states(cli, campaign)[(DEPT, refs[1])] == "in_progress"
    logged = [d for d in cli("log", "--json", "-w", campaign).json()["decisions"] if d["action"] == "rectify_close"]
    assert len(logged) == 1 and (logged[0]["label"], logged[0]["unit"], logged[0]["ref"]) == ("销号", DEPT, refs[0])
    assert logged[0]["detail"]["cell"] == cells[(DEPT, refs[0])] and logged[0]["file"] == back.name
    shown = cli("log", "-w", campaign)
    assert shown.code == 0 and "销号" in shown.out
    assert cli("verify", "-w", campaign).code == 0
    listed = {f["original_name"]: f for f in cli("files", "--json", "-w", campaign).json()["files"]}
    assert listed[back.name]["label"] == "整改复核表"  # not 复核打分表
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    assert value(sheet_path(campaign), DEPT, refs[0], cols.COL_CLOSE) == "是"
    identity = table(sheet_path(campaign))[2][layout.SHEET_IDENTITY]
    upto = {r[0].value: r[1].value for r in identity.iter_rows()}[cols.ID_CLOSURES_UPTO]
    assert upto == str(query(campaign, "SELECT MAX(id) AS id FROM decisions")[0]["id"])
    again = cli("ingest", sheet_path(campaign), "-w", campaign)  # comes back as shown: nothing changes
    assert again.code == 0 and len(closures(campaign)) == 1
    assert "销号 0 项,撤回销号 0 项" in message(campaign, sheet_path(campaign))


def test_a_close_of_an_item_not_reported_done_needs_an_opinion(cli, campaign, tmp_path):
    owed = items_of(campaign)
    refs = owed[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    back = tmp_path / "复核_缺意见.xlsx"
    cells = filled(sheet_path(campaign), back, {(DEPT, refs[1]): ("是", None), (TOWN, owed[TOWN][0]): ("是", None),
                                                (DEPT, refs[0]): ("是", None)})
    result = cli("ingest", back, "-w", campaign)
    assert result.code == 1, result.out
    row = query(campaign, "SELECT outcome, code, message FROM files WHERE original_name = ?", back.name)[0]
    assert (row["outcome"], row["code"]) == ("review", "rectify_review_problems")
    for key in ((DEPT, refs[1]), (TOWN, owed[TOWN][0])):
        assert cells[key] in row["message"]
    assert "推进中" in row["message"] and "未报告整改情况" in row["message"] and "复核意见" in row["message"]
    assert [(a, u) for a, u, _ in closures(campaign)] == [("rectify_close", DEPT)]  # only the item reported done
    assert states(cli, campaign)[(DEPT, refs[1])] == "in_progress"
    assert states(cli, campaign)[(TOWN, owed[TOWN][0])] == "open"
    with_opinion = tmp_path / "复核_有意见.xlsx"
    filled(back, with_opinion, {(DEPT, refs[1]): ("是", "经实地核查,培训已完成"),
                                (TOWN, owed[TOWN][0]): ("是", "已当面核实整改到位")})
    taken = cli("ingest", with_opinion, "-w", campaign)
    assert taken.code == 0, taken.out
    now = states(cli, campaign)
    assert now[(DEPT, refs[1])] == "closed" and now[(TOWN, owed[TOWN][0])] == "closed"
    opinions = [d["detail"]["opinion"] for d in cli("log", "--json", "-w", campaign).json()["decisions"]
                if d["action"] == "rectify_close"]
    assert "经实地核查,培训已完成" in opinions and "已当面核实整改到位" in opinions


def test_setting_no_withdraws_the_close_the_sheet_showed(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    first = tmp_path / "第一次.xlsx"
    filled(sheet_path(campaign), first, {(DEPT, refs[0]): ("是", "材料齐全")})
    assert cli("ingest", first, "-w", campaign).code == 0
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    assert value(sheet_path(campaign), DEPT, refs[0], cols.COL_OPINION) == "材料齐全"
    second = tmp_path / "第二次.xlsx"
    cells = filled(sheet_path(campaign), second, {(DEPT, refs[0]): ("否", None)})
    result = cli("ingest", second, "-w", campaign)
    assert result.code == 0 and "撤回销号 1 项" in message(campaign, second), result.out
    assert states(cli, campaign)[(DEPT, refs[0])] == "reported"
    logged = cli("log", "--json", "-w", campaign).json()["decisions"]
    withdrawn = [d for d in logged if d["action"] == "rectify_withdraw"]
    assert len(withdrawn) == 1 and withdrawn[0]["label"] == "撤回销号" and withdrawn[0]["ref"] == refs[0]
    assert cells[(DEPT, refs[0])] in withdrawn[0]["reason"]
    assert cli("verify", "-w", campaign).code == 0


def test_a_close_made_after_a_sheet_was_written_is_not_withdrawn_by_it(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    older = tmp_path / "旧表.xlsx"
    filled(sheet_path(campaign), older, {(DEPT, refs[1]): ("否", "仍在推进")})  # another row touched, refs[0] as shown
    newer = tmp_path / "新表.xlsx"
    filled(sheet_path(campaign), newer, {(DEPT, refs[0]): ("是", None)})
    assert cli("ingest", newer, "-w", campaign).code == 0
    result = cli("ingest", older, "-w", campaign)
    assert result.code == 0, result.out
    assert states(cli, campaign)[(DEPT, refs[0])] == "closed"
    assert [a for a, _, _ in closures(campaign)] == ["rectify_close"]
    said = message(campaign, older)
    assert "本表生成后另行销号" in said and f"{DEPT} {refs[0]}" in said


def test_rows_for_items_not_owed_are_not_used_and_a_row_twice_refuses_the_sheet(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    columns, rows, book = table(sheet_path(campaign))
    sheet = book[SHEET]
    extra = max(rows.values()) + 1
    for title, text in ((cols.COL_UNIT, POLICE), (cols.COL_ID, "1.1"), (cols.COL_CLOSE, "是")):
        sheet.cell(extra, columns[title]).value = text
    sheet.cell(rows[(DEPT, refs[0])], columns[cols.COL_CLOSE]).value = "是"
    stranger = tmp_path / "多一行.xlsx"
    book.save(stranger)
    result = cli("ingest", stranger, "-w", campaign)
    assert result.code == 0 and f"未采用:{POLICE} 1.1" in message(campaign, stranger), result.out
    assert len(closures(campaign)) == 1
    for title, text in ((cols.COL_UNIT, DEPT), (cols.COL_ID, refs[1])):
        sheet.cell(extra, columns[title]).value = text
    twice = tmp_path / "重复行.xlsx"
    book.save(twice)
    refused = cli("ingest", twice, "-w", campaign)
    assert refused.code == 1
    row = query(campaign, "SELECT outcome, code, message FROM files WHERE original_name = ?", twice.name)[0]
    letter = openpyxl.utils.get_column_letter(columns[cols.COL_CLOSE])
    assert (row["outcome"], row["code"]) == ("refused", "rectify_review_duplicate_rows")
    assert f"{letter}{rows[(DEPT, refs[1])]}" in row["message"] and f"{letter}{extra}" in row["message"]


def test_the_sheet_is_taken_only_when_named(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    folder = tmp_path / "收件"
    folder.mkdir()
    filled(sheet_path(campaign), folder / "整改复核.xlsx", {(DEPT, refs[0]): ("是", None)})
    result = cli("ingest", folder, "-w", campaign)
    assert result.code == 1
    row = query(campaign, "SELECT outcome, code, message FROM files WHERE original_name = ?", "整改复核.xlsx")[0]
    assert (row["outcome"], row["code"]) == ("refused", "rectify_review_not_named")
    assert "fazhi ingest 直接指定" in row["message"] and closures(campaign) == []


def identity_edited(source: Path, target: Path, changes: dict[str, str], secret: bytes | None = None) -> Path:
    """The sheet with its identity changed (and sealed again when `secret` is given)."""
    book = openpyxl.load_workbook(source)
    sheet = book[layout.SHEET_IDENTITY]
    found = {row[0].value: row for row in sheet.iter_rows()}
    for key, text in changes.items():
        found[key][1].value = text
    if secret is not None:
        values = {key: row[1].value for key, row in found.items()}
        found[layout.ID_MAC][1].value = seal(secret, values, RECTIFY_REVIEW_FIELDS)
    book.save(target)
    return target


@pytest.mark.parametrize(("changes", "resealed", "code"), [
    ({cols.ID_CLOSURES_UPTO: "999"}, False, "rectify_review_forged"),
    ({layout.ID_CAMPAIGN: "2016:其他考核"}, True, "foreign_campaign"),
    ({cols.ID_APPROVAL: "0" * 64}, True, "rectify_review_outdated"),
])
def test_a_forged_foreign_or_outdated_sheet_is_refused(cli, campaign, tmp_path, changes, resealed, code):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    edited = tmp_path / "改过.xlsx"
    filled(sheet_path(campaign), edited, {(DEPT, refs[0]): ("是", None)})
    secret = Workspace(campaign).secret() if resealed else None
    target = identity_edited(edited, tmp_path / "身份改过.xlsx", changes, secret)
    result = cli("ingest", target, "-w", campaign)
    assert result.code == 1 and "Traceback" not in result.err
    row = query(campaign, "SELECT outcome, code FROM files WHERE original_name = ?", target.name)[0]
    assert (row["outcome"], row["code"]) == ("refused", code) and closures(campaign) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("to", ["xlsx", "ods"])
def test_the_sheet_saved_by_libreoffice_is_read_the_same(cli, campaign, tmp_path, to):
    soffice = external_tool("soffice")
    owed = items_of(campaign)
    refs = owed[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    changes = {(DEPT, refs[0]): ("是", None), (TOWN, owed[TOWN][0]): ("是", "已核实,整改到位")}
    back = tmp_path / "复核_已填.xlsx"
    filled(sheet_path(campaign), back, changes)
    reference = Path(shutil.copytree(campaign, tmp_path / "reference"))
    assert cli("ingest", back, "-w", reference).code == 0
    saved = libreoffice_convert(soffice, back, tmp_path / "saved", tmp_path / "profile", to=to)
    result = cli("ingest", saved, "-w", campaign)
    assert result.code == 0, result.out + result.err
    assert "销号 2 项" in message(campaign, saved)
    assert closures(campaign) == closures(reference) and len(closures(campaign)) == 2
    assert states(cli, campaign) == states(cli, reference)


def test_before_the_approval_there_is_no_sheet(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    result = cli("rectify", "review-sheet", "-w", root)
    assert result.code == 2 and "尚未审定" in result.err and not sheet_path(root).exists()


def test_reopen_and_approve_again_with_closes_recorded(cli, campaign, tmp_path):
    refs = items_of(campaign)[DEPT]
    reported(campaign, refs)
    assert cli("rectify", "review-sheet", "-w", campaign).code == 0
    back = tmp_path / "复核_已填.xlsx"
    filled(sheet_path(campaign), back, {(DEPT, refs[0]): ("是", None)})
    assert cli("ingest", back, "-w", campaign).code == 0
    before = cli("score", "--json", "-w", campaign).json()["units"]
    assert cli("reopen", "--reason", "更正文号", "-w", campaign).code == 0
    approved = cli(*APPROVE, "-w", campaign)
    assert approved.code == 0, approved.err
    assert cli("score", "--json", "-w", campaign).json()["units"] == before
    assert cli("verify", "-w", campaign).code == 0
    assert states(cli, campaign)[(DEPT, refs[0])] == "closed"
    again = tmp_path / "旧审定的表.xlsx"
    filled(back, again, {(DEPT, refs[1]): ("是", "已核实")})
    outdated = cli("ingest", again, "-w", campaign)
    assert outdated.code == 1
    row = query(campaign, "SELECT code FROM files WHERE original_name = ?", again.name)[0]
    assert row["code"] == "rectify_review_outdated"
