"""A unit whose ranking is at stake is an adversary: forged office documents, forged identities, forged dates,
files made to crash the parsers, hidden rows. Each attack is a real file built here (openpyxl, zip-level edits,
e-mail), taken through the real CLI, and must end in a clear Chinese message with nothing lost or wrongly
credited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_ingest import (  # noqa: F401 - wide_terminal is an autouse fixture
    CHINA,
    DEPT,
    TOWN,
    clean_answers,
    counts,
    file_row,
    fill,
    kept,
    mail_bytes,
    outbox_file,
    outcome_line,
    query,
    rewrite_part,
    sha256,
    wide_terminal,
)

from fazhi_cli.workbook import layout

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORES_PART = "xl/worksheets/sheet2.xml"


@pytest.fixture
def ws(cli, workspace) -> Path:
    """A 2017 workspace with the blank workbooks of one department and one township in outbox/."""
    assert cli("generate", "--unit", DEPT, "--unit", TOWN, "-w", workspace).code == 0
    return workspace


def current_units(workspace: Path) -> dict[str, str]:
    """Unit → original name of its current submission."""
    rows = query(workspace, "SELECT s.unit, f.original_name FROM submissions s JOIN files f ON f.id = s.file_id "
                            "ORDER BY s.received_at, s.id")
    return {row["unit"]: row["original_name"] for row in rows}


def edit_identity(source: Path, target: Path, changes: dict[str, str]) -> Path:
    """What an attacker does with openpyxl: open the very hidden identity sheet and change values in it."""
    book = openpyxl.load_workbook(source)
    sheet = book[layout.SHEET_IDENTITY]
    for row in sheet.iter_rows(min_col=1, max_col=2):
        key = row[0].value
        if key in changes:
            row[1].value = changes[key]
    book.save(target)
    return target


def forged_review_sheet(source: Path, target: Path, own: str, rival: str) -> Path:
    """The attack from the security review: the unit's own workbook, its identity turned into a review sheet's,
    with a 复核打分表 giving itself full marks and a rival 0."""
    book = openpyxl.load_workbook(source)
    sheet = book.create_sheet("复核打分表")
    sheet.append(["单位名称", "1.1", "1.2", "特别加分", "特别扣分"])
    sheet.append([own, 10, 5, 3, 0])
    sheet.append([rival, 0, 0, 0, 20])
    identity = book[layout.SHEET_IDENTITY]
    for row in identity.iter_rows(min_col=1, max_col=2):
        if row[0].value == layout.ID_FORMAT:
            row[1].value = layout.REVIEW_FORMAT_NAME
    book.save(target)
    return target


# --- 1. forged office documents ----------------------------------------------------------------------------------


def test_a_forged_review_sheet_in_an_email_is_refused_and_changes_nothing(cli, ws, tmp_path):
    own = fill(ws, tmp_path / "own.xlsx", DEPT)
    assert cli("ingest", own, "-w", ws).code == 0
    before = cli("score", "--json", "-w", ws).json()
    forged = forged_review_sheet(own, tmp_path / "佐证材料.xlsx", DEPT, "区司法局")
    mail = tmp_path / "补充材料.eml"
    mail.write_bytes(mail_bytes("Tue, 05 Dec 2017 09:00:00 +0800", [("佐证材料.xlsx", forged.read_bytes(), XLSX_TYPE)]))
    result = cli("ingest", mail, "-w", ws)
    assert result.code == 1
    assert "退回" in outcome_line(result.out, "「佐证材料.xlsx」")
    assert file_row(ws, "佐证材料.xlsx")["code"] == "review_not_named"
    assert query(ws, "SELECT COUNT(*) FROM reviews")[0][0] == 0
    assert cli("score", "--json", "-w", ws).json() == before
    assert kept(ws, sha256(forged.read_bytes())) == forged.read_bytes()


def test_a_forged_review_sheet_named_by_the_clerk_is_refused_by_its_seal(cli, ws, tmp_path):
    own = fill(ws, tmp_path / "own.xlsx", DEPT)
    assert cli("ingest", own, "-w", ws).code == 0
    forged = forged_review_sheet(own, tmp_path / "复核打分表.xlsx", DEPT, "区司法局")
    result = cli("ingest", forged, "-w", ws)
    assert result.code == 1
    assert "退回" in outcome_line(result.out, "「复核打分表.xlsx」")
    assert file_row(ws, "复核打分表.xlsx")["code"] == "review_forged"
    assert query(ws, "SELECT COUNT(*) FROM reviews")[0][0] == 0


def test_the_offices_own_review_sheet_is_taken_only_when_named(cli, ws, tmp_path):
    assert cli("ingest", fill(ws, tmp_path / "own.xlsx", DEPT), "-w", ws).code == 0
    assert cli("review-sheet", "-w", ws).code == 0
    sheet = ws / "review" / "2017年度法治政府建设复核打分表_区级部门.xlsx"
    book = openpyxl.load_workbook(sheet)
    review = book["复核打分表"]
    columns = {c.value: c.column for c in review[4]}
    line = next(r for r in range(5, review.max_row + 1) if review.cell(r, columns["编号"]).value == "1.2")
    review.cell(line, columns["核定得分"], 1)  # 区发改局's 1.2, with its reason
    review.cell(line, columns["核定理由"], "台账不全")
    book.save(sheet)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / sheet.name).write_bytes(sheet.read_bytes())
    walked = cli("ingest", folder, "-w", ws)
    assert walked.code == 1 and "退回" in outcome_line(walked.out, sheet.name)
    assert file_row(ws, sheet.name)["code"] == "review_not_named"
    assert query(ws, "SELECT COUNT(*) FROM reviews")[0][0] == 0
    named = cli("ingest", sheet, "-w", ws)  # edited in place in review/ and named: the normal way back in
    assert "复核打分表" in outcome_line(named.out, sheet.name)
    assert query(ws, "SELECT COUNT(*) FROM reviews")[0][0] > 0


# --- 2. forged identity -----------------------------------------------------------------------------------------


def test_a_workbook_whose_identity_names_another_unit_is_held_not_credited(cli, ws, tmp_path):
    victim = fill(ws, tmp_path / "区发改局.xlsx", DEPT)
    assert cli("ingest", victim, "-w", ws).code == 0
    # another department takes 区发改局's form, gives it poor answers and claims to be 区发改局
    answers = clean_answers(DEPT)
    answers.scores["1.1"] = 0
    answers.notes["1.1"] = "未开展"
    poor = fill(ws, tmp_path / "poor.xlsx", DEPT, answers)
    forged = edit_identity(poor, tmp_path / "冒名.xlsx", {layout.ID_GENERATED: "2017-12-04T10:00:00+08:00"})
    result = cli("ingest", forged, "-w", ws)
    assert result.code == 1
    line = outcome_line(result.out, "冒名.xlsx")
    assert "待确认" in line and "校验码与本工作区不符" in line and "自称“区发改局”" in line
    assert current_units(ws) == {DEPT: "区发改局.xlsx"}  # the real submission stands
    row = file_row(ws, "冒名.xlsx")
    assert (row["outcome"], row["code"], row["unit"]) == ("held", "identity_unverified", DEPT)
    assert kept(ws, row["sha256"]) == forged.read_bytes()

    validated = cli("validate", "--json", "-w", ws)
    assert validated.code == 1
    held = [f for f in validated.json()["findings"] if f["code"] == "identity_unverified"]
    assert [(f["unit"], f["file"], f["severity"]) for f in held] == [(None, "冒名.xlsx", "error")]
    status = cli("status", "--json", "-w", ws).json()
    assert [h["file"] for h in status["held_files"]] == ["冒名.xlsx"]
    assert "待确认" in cli("status", "-w", ws).out


def test_changing_the_unit_name_in_the_identity_sheet_does_not_replace_the_other_units_submission(cli, ws, tmp_path):
    assert cli("ingest", fill(ws, tmp_path / "元坝镇.xlsx", TOWN), "-w", ws).code == 0
    own = fill(ws, tmp_path / "own.xlsx", DEPT)
    forged = edit_identity(own, tmp_path / "x.xlsx", {layout.ID_UNIT: TOWN, layout.ID_UNIT_TYPE: "township"})
    result = cli("ingest", forged, "-w", ws)
    assert result.code == 1 and "待确认" in outcome_line(result.out, "x.xlsx")
    assert current_units(ws) == {TOWN: "元坝镇.xlsx"}
    assert counts(ws)["submissions"] == 1


def test_a_form_from_another_workspace_of_the_same_campaign_is_held(cli, ws, tmp_path):
    other = tmp_path / "copy"
    assert cli("init", other).code == 0 and cli("generate", "--unit", DEPT, "-w", other).code == 0
    stranger = fill(other, tmp_path / "外来.xlsx", DEPT)
    result = cli("ingest", stranger, "-w", ws)
    assert result.code == 1 and "待确认" in outcome_line(result.out, "外来.xlsx")
    assert counts(ws)["submissions"] == 0


def test_the_secret_is_in_no_workbook_or_report(cli, ws, tmp_path):
    secret = (ws / "fazhi.secret").read_bytes()
    assert len(secret) == 32
    assert cli("ingest", fill(ws, tmp_path / "a.xlsx", DEPT), "-w", ws).code == 0
    assert cli("review-sheet", "-w", ws).code == 0
    assert cli("report", "-w", ws).code == 0
    for path in [*ws.rglob("*.xlsx"), *ws.rglob("*.html")]:
        data = path.read_bytes()
        assert secret not in data and secret.hex().encode() not in data, path
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    body = archive.read(name)
                    assert secret not in body and secret.hex().encode() not in body, (path, name)


# --- 3. a sender-chosen "latest" -------------------------------------------------------------------------------------


def test_an_email_dated_before_the_form_was_generated_is_flagged(cli, ws, tmp_path, office_clock):
    workbook = fill(ws, tmp_path / "a.xlsx", DEPT).read_bytes()  # generated at 2017-12-05 10:00 by the office
    mail = tmp_path / "早.eml"
    mail.write_bytes(mail_bytes("Wed, 01 Nov 2017 09:00:00 +0800", [("区发改局自评表.xlsx", workbook, XLSX_TYPE)]))
    office_clock(dt.datetime(2017, 12, 6, 9, 0, tzinfo=CHINA))
    result = cli("ingest", mail, "-w", ws)
    assert result.code == 0
    assert "早于该自评表的下发(生成)时间 2017-12-05 10:00" in outcome_line(result.out, "区发改局自评表.xlsx")
    found = cli("validate", "--json", "-w", ws).json()["findings"]
    assert [f["code"] for f in found] == ["date_suspicious"]


# --- 5. one damaged file never stops the batch ------------------------------------------------------------------------


def dangling_shared_string(data: bytes) -> bytes:
    """A cell pointing at shared string 99999 of a workbook that has no shared-string table (IndexError)."""
    def change(body: bytes) -> bytes:
        text, replaced = re.subn(r'<c r="A1" s="4" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                 '<c r="A1" s="4" t="s"><v>99999</v></c>', body.decode("utf-8"), count=1)
        assert replaced == 1
        return text.encode("utf-8")
    return rewrite_part(data, SCORES_PART, change)


def dangling_hyperlink(data: bytes) -> bytes:
    """A hyperlink whose relationship does not exist: read-only reading is fine, a full load raises KeyError."""
    def change(body: bytes) -> bytes:
        text = body.decode("utf-8").replace(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">", 1)
        return text.replace("</sheetData>", '</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId99"/></hyperlinks>',
                            1).encode("utf-8")
    return rewrite_part(data, SCORES_PART, change)


def test_a_file_that_crashes_the_parser_is_refused_and_the_batch_goes_on(cli, ws, tmp_path):
    folder = tmp_path / "收件箱"
    folder.mkdir()
    crashing = folder / "01 区发改局.xlsx"
    crashing.write_bytes(dangling_shared_string(fill(ws, tmp_path / "a.xlsx", DEPT).read_bytes()))
    good = fill(ws, folder / "02 元坝镇.xlsx", TOWN)
    for attempt in range(2):  # a rerun does not crash either
        result = cli("ingest", folder, "-w", ws)
        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        assert "退回" in outcome_line(result.out, "「01 区发改局.xlsx」")
        assert ("已收取" if attempt == 0 else "重复") in outcome_line(result.out, good.name)
    assert file_row(ws, crashing.name)["code"] == "corrupt"
    assert current_units(ws) == {TOWN: good.name}
    assert kept(ws, sha256(crashing.read_bytes())) == crashing.read_bytes()


def test_debug_shows_the_traceback_of_a_crash(cli, ws, tmp_path, monkeypatch):
    crashing = tmp_path / "x.xlsx"
    crashing.write_bytes(dangling_shared_string(fill(ws, tmp_path / "a.xlsx", DEPT).read_bytes()))
    monkeypatch.setenv("FAZHI_DEBUG", "1")
    with pytest.raises(IndexError):
        cli("ingest", crashing, "-w", ws)


def test_annotate_goes_on_when_one_returned_file_cannot_be_rewritten(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    answers.scores["1.1"] = "八分"  # an error, so that an annotated copy is due
    broken = tmp_path / "区发改局.xlsx"
    broken.write_bytes(dangling_hyperlink(fill(ws, tmp_path / "a.xlsx", DEPT, answers).read_bytes()))
    town = clean_answers(TOWN)
    town.scores["1.1"] = "九分"
    result = cli("ingest", broken, fill(ws, tmp_path / "元坝镇.xlsx", TOWN, town), "-w", ws)
    assert result.code == 0, result.out  # read-only reading never looks at hyperlinks: both are taken
    annotated = cli("validate", "--annotate", "-w", ws)
    assert annotated.code == 1 and "Traceback" not in annotated.err
    assert f"未能生成{DEPT}的退回修改表" in annotated.err
    assert sorted(p.name for p in (ws / "returns").iterdir()) == ["2017年度法治政府建设自评表_元坝镇_修改意见.xlsx"]


# --- 6. silent wrong results ---------------------------------------------------------------------------------------


def test_a_hidden_duplicate_row_is_an_error_naming_both_cells(cli, ws, tmp_path):
    filled = fill(ws, tmp_path / "a.xlsx", DEPT)
    book = openpyxl.load_workbook(filled)
    sheet = book[layout.SHEET_SCORES]
    sheet.protection.sheet = False
    header = next(r for r in range(1, 15) if sheet.cell(r, 2).value == "编号")
    real = next(r for r in range(header, 80) if sheet.cell(r, 2).value == "1.1")
    sheet.insert_rows(header + 1)
    for column in range(1, 12):
        sheet.cell(header + 1, column).value = sheet.cell(real + 1, column).value
    sheet.cell(header + 1, 9).value = 10
    sheet.row_dimensions[header + 1].hidden = True
    target = tmp_path / "隐藏行.xlsx"
    book.save(target)
    assert cli("ingest", target, "-w", ws).code == 0
    found = cli("validate", "--json", "-w", ws).json()["findings"]
    duplicate = next(f for f in found if f["code"] == "duplicate_id")
    assert duplicate["severity"] == "error" and duplicate["ref"] == "1.1"
    assert f"自评表!B{header + 1}" in duplicate["message"] and f"自评表!B{real + 1}" in duplicate["message"]
    hidden = next(f for f in found if f["code"] == "hidden_input")
    assert hidden["severity"] == "warning" and hidden["cell"] == f"自评表!B{header + 1}"
    score = next(u for u in cli("score", "--json", "-w", ws).json()["units"] if u["unit"] == DEPT)
    assert score["errors"] >= 1  # provisional until corrected


def test_an_unmodified_blank_workbook_is_refused_as_unfilled_wherever_it_comes_from(cli, ws):
    blank = outbox_file(ws, DEPT)
    result = cli("ingest", blank, "-w", ws)
    assert result.code == 1
    assert "退回" in outcome_line(result.out, blank.name)
    assert file_row(ws, blank.name)["code"] == "unfilled"
    assert counts(ws)["submissions"] == 0


def test_every_workbook_written_carries_a_seal(cli, ws):
    with zipfile.ZipFile(outbox_file(ws, DEPT)) as archive:
        identity = archive.read("xl/worksheets/sheet6.xml").decode("utf-8")
    assert "<t>mac</t>" in identity and re.search(r"<t>[0-9a-f]{64}</t>", identity)
    book = openpyxl.load_workbook(io.BytesIO(outbox_file(ws, DEPT).read_bytes()), read_only=True)
    assert book[layout.SHEET_IDENTITY].sheet_state == "veryHidden"


# --- 8. terminal and markup injection --------------------------------------------------------------------------------


def test_a_units_text_reaches_the_terminal_without_escape_sequences_or_markup(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    # XML cannot carry C0 controls, but it carries C1 controls (CSI \x9b is ESC [ on many terminals) and bidi
    answers.scores["1.1"] = "\x9b2J[red]八分[/]\u202e"
    taken = cli("ingest", fill(ws, tmp_path / "a\x1b[31m\x9b2J.xlsx", DEPT, answers), "-w", ws)
    assert taken.code == 0
    result = cli("validate", "-w", ws)
    assert result.code == 1
    for stream in (result.out, result.err, taken.out, taken.err):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", stream), repr(stream)
    assert "[red]八分[/]" in result.out  # markup shown literally, never interpreted


# --- the workspace protects itself --------------------------------------------------------------------------------


def test_ingest_dot_inside_the_workspace_skips_fazhis_own_folders_and_says_so(cli, ws, tmp_path):
    assert cli("ingest", fill(ws, tmp_path / "a.xlsx", DEPT), "-w", ws).code == 0
    assert cli("review-sheet", "-w", ws).code == 0
    assert cli("report", "-w", ws).code == 0
    inbox_file = fill(ws, ws / "inbox" / "元坝镇.xlsx", TOWN)
    before = counts(ws)
    result = cli("ingest", ".", cwd=ws)
    assert result.code == 0, result.out
    for folder in ("outbox", "review", "reports", "archive"):
        assert any(folder in line and "已跳过" in line for line in result.out.splitlines()), folder
    assert "已收取" in outcome_line(result.out, inbox_file.name)
    assert current_units(ws) == {DEPT: "a.xlsx", TOWN: inbox_file.name}  # no blank form taken as a submission
    assert query(ws, "SELECT COUNT(*) FROM reviews")[0][0] == 0  # the unchanged review sheets were not taken
    assert counts(ws)["files"] == before["files"] + 1  # only the inbox file was kept and recorded


def test_a_superseded_file_keeps_its_date_warning(cli, ws, tmp_path):
    """Taken and superseded in one batch: the row says both, the forged Date is not lost behind 非最新."""
    forged = tmp_path / "2099.eml"
    forged.write_bytes(mail_bytes("Thu, 01 Jan 2099 09:00:00 +0800", [
        ("区发改局自评表.xlsx", fill(ws, tmp_path / "a.xlsx", DEPT).read_bytes(), XLSX_TYPE)]))
    answers = clean_answers(DEPT)
    answers.scores["1.2"] = 4
    answers.notes["1.2"] = "信息报送不及时"
    result = cli("ingest", forged, fill(ws, tmp_path / "更正.xlsx", DEPT, answers), "-w", ws)
    line = outcome_line(result.out, "区发改局自评表.xlsx")
    assert "非最新" in line and "该单位已有更晚报送的版本" in line and "邮件日期 2099-01-01 09:00" in line
