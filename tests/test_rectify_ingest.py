"""Returned 整改 workbooks through `fazhi ingest`: taken (from openpyxl, and saved by LibreOffice as .xlsx, .xls and
.ods) with each row stored and every problem named by its cell; held when the seal does not verify or a stranger's
copy would replace the unit's own; refused for another campaign, an earlier approval, a unit that owes nothing; never
confused with a self-assessment; one bad file never stops the batch, and a kill leaves the store consistent."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import openpyxl
import pytest
from helpers import external_tool
from rectify_fill import edit_identity, fill_rectify, header, item_lines
from rectify_helpers import DEPT, POLICE, TOWN, approved_campaign
from workbook_helpers import libreoffice_convert

from fazhi_cli.infra.clock import CHINA
from fazhi_cli.rectify import approved_owed, layout
from fazhi_cli.rectify.writer import rectify_identity, write_rectify_workbook
from fazhi_cli.workbook import layout as book_layout
from fazhi_cli.workspace import Workspace

NOW = "2018-02-20T09:00:00+08:00"  # after the approval (2018-01-15), before the deadline (2018-03-31)
MEASURES, PROGRESS = layout.COL_MEASURES, layout.COL_PROGRESS
DONE_ON, EVIDENCE = layout.COL_DONE_ON, layout.COL_EVIDENCE


@pytest.fixture
def root(cli, tmp_path, office_clock) -> Path:
    """The approved campaign, its 整改 workbooks generated, the office's clock in February 2018."""
    made = approved_campaign(cli, tmp_path)
    office_clock(NOW)
    assert cli("rectify", "generate", "-w", made).code == 0
    return made


def outbox(root: Path, unit: str) -> Path:
    return root / "outbox" / "整改" / f"2017年度法治政府建设整改清单_{unit}.xlsx"


def refs(root: Path, unit: str) -> list[str]:
    return [item.ref for item in approved_owed(Workspace(root)).items[unit]]


def good_reports(root: Path, unit: str) -> dict[str, dict[str, object]]:
    """Every item reported well: the first 已完成 with its date, the others 推进中."""
    found = {}
    for index, ref in enumerate(refs(root, unit)):
        if index == 0:
            found[ref] = {MEASURES: "已修订信息报送制度,明确专人负责", PROGRESS: "已完成",
                          DONE_ON: dt.date(2018, 2, 1), EVIDENCE: "制度文件"}
        else:
            found[ref] = {MEASURES: f"正在整改第{index}项", PROGRESS: "推进中"}
    return found


def query(root: Path, sql: str, *args) -> list[sqlite3.Row]:
    with sqlite3.connect(root / "fazhi.db") as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


def file_row(root: Path, name: str) -> sqlite3.Row:
    rows = query(root, "SELECT * FROM files WHERE original_name = ? ORDER BY id DESC", name)
    assert rows, name
    return rows[0]


def stored(root: Path, unit: str) -> list[list[tuple]]:
    """Each 整改 return of the unit, its rows as stored."""
    with Workspace(root).open_store() as store:
        return [[(r.ref, r.measures, r.progress, r.done_on, r.evidence) for r in store.rectify_rows(chosen.id)]
                for chosen in store.rectify_returns(unit)]


def findings(root: Path, unit: str) -> list[dict]:
    with Workspace(root).open_store() as store:
        return store.rectify_returns(unit)[-1].findings


# --- taken --------------------------------------------------------------------------------------------------------


def test_a_return_filled_in_excel_is_taken_its_rows_stored_and_the_status_moves(cli, root, tmp_path):
    scores = cli("score", "--json", "-w", root).json()["units"]
    returned = fill_rectify(outbox(root, DEPT), tmp_path / "in" / "区发改局整改.xlsx", good_reports(root, DEPT))
    result = cli("ingest", returned, "-w", root)
    assert result.code == 0, result.out
    row = file_row(root, returned.name)
    assert (row["outcome"], row["unit"], row["code"]) == ("taken", DEPT, "rectify_taken")
    first, *others = refs(root, DEPT)
    done = (first, "已修订信息报送制度,明确专人负责", "已完成", dt.date(2018, 2, 1), "制度文件")
    under_way = [(ref, f"正在整改第{i}项", "推进中", None, "") for i, ref in enumerate(others, 1)]
    assert stored(root, DEPT) == [[done, *under_way]]
    assert findings(root, DEPT) == []
    status = {u["unit"]: u for u in cli("rectify", "status", "--json", "-w", root).json()["units"]}
    states = [i["state"] for i in status[DEPT]["items"]]
    assert states == ["reported"] + ["in_progress"] * len(others)
    assert {i["state"] for i in status[TOWN]["items"]} == {"open"}
    again = cli("ingest", returned, "-w", root)
    assert again.code == 0 and len(stored(root, DEPT)) == 1  # the same bytes: a duplicate
    assert cli("score", "--json", "-w", root).json()["units"] == scores  # the approved results do not move


@pytest.mark.parametrize("form", ["2018/2/1", "2018年2月1日", "2018-02-01", " 2018-2-1 "])
def test_a_date_typed_as_text_is_read_as_its_day(cli, root, tmp_path, form):
    reports = good_reports(root, DEPT)
    reports[refs(root, DEPT)[0]][DONE_ON] = form
    returned = fill_rectify(outbox(root, DEPT), tmp_path / "区发改局.xlsx", reports)
    assert cli("ingest", returned, "-w", root).code == 0
    assert stored(root, DEPT)[0][0][3] == dt.date(2018, 2, 1)


def test_returns_saved_by_libreoffice_as_xlsx_xls_and_ods_are_taken_with_the_same_rows(cli, root, tmp_path):
    soffice = external_tool("soffice")
    filled = fill_rectify(outbox(root, TOWN), tmp_path / "filled" / "元坝镇整改.xlsx", good_reports(root, TOWN))
    saved = [libreoffice_convert(soffice, filled, tmp_path / to, tmp_path / "profile", to=to)
             for to in ("xlsx", "xls", "ods")]
    for path in saved:
        assert cli("ingest", path, "-w", root).code == 0, path.name
        assert file_row(root, path.name)["outcome"] == "taken"
    expected = [(ref, v[MEASURES], v[PROGRESS], v.get(DONE_ON), v.get(EVIDENCE, ""))
                for ref, v in good_reports(root, TOWN).items()]
    assert stored(root, TOWN) == [expected] * 3
    assert all(f == [] for f in (r.findings for r in _returns(root, TOWN)))


def _returns(root: Path, unit: str):
    with Workspace(root).open_store() as store:
        return store.rectify_returns(unit)


# --- validation -----------------------------------------------------------------------------------------------------


def test_each_problem_in_the_reports_is_an_error_naming_its_cell(cli, root, tmp_path):
    first, second, third, fourth, fifth = refs(root, DEPT)
    reports = {
        first: {PROGRESS: "已完成", DONE_ON: dt.date(2018, 2, 1)},  # no 整改措施
        second: {MEASURES: "已整改", PROGRESS: "已完成"},  # no 完成时间
        third: {MEASURES: "已整改", PROGRESS: "已完成", DONE_ON: dt.date(2018, 3, 1)},  # after today
        fourth: {MEASURES: "已整改", PROGRESS: "已完成", DONE_ON: "2018年1月10日"},  # before the 通报
        fifth: {MEASURES: "正在推进", PROGRESS: "差不多了", DONE_ON: "下周"},
    }
    returned = fill_rectify(outbox(root, DEPT), tmp_path / "区发改局.xlsx", reports)
    result = cli("ingest", returned, "-w", root)
    assert result.code == 1
    row = file_row(root, returned.name)
    assert (row["outcome"], row["code"]) == ("taken", "rectify_problems") and "有 6 处错误" in row["message"]
    sheet = openpyxl.load_workbook(returned)[layout.SHEET_RECTIFY]
    _, titles = header(sheet)
    lines = item_lines(sheet)

    def cell(ref: str, title: str) -> str:
        return f"{layout.SHEET_RECTIFY}!{sheet.cell(lines[ref], titles[title]).coordinate}"

    found = {(f["code"], f["ref"], f["cell"]) for f in findings(root, DEPT)}
    assert found == {
        ("rectify_done_without_measures", first, cell(first, MEASURES)),
        ("rectify_done_without_date", second, cell(second, DONE_ON)),
        ("rectify_date_future", third, cell(third, DONE_ON)),
        ("rectify_date_before_notice", fourth, cell(fourth, DONE_ON)),
        ("rectify_bad_progress", fifth, cell(fifth, PROGRESS)),
        ("rectify_bad_date", fifth, cell(fifth, DONE_ON)),
    }
    assert all(f["severity"] == "error" and f["cell"] in f["message"] for f in findings(root, DEPT))
    assert stored(root, DEPT)[0][4][2] == ""  # 差不多了 is not a 完成情况: not reported


def test_rows_added_or_removed_and_the_offices_text_changed_are_errors(cli, root, tmp_path):
    first, second, *rest = refs(root, DEPT)
    source = fill_rectify(outbox(root, DEPT), tmp_path / "base.xlsx", good_reports(root, DEPT))
    book = openpyxl.load_workbook(source)
    sheet = book[layout.SHEET_RECTIFY]
    _, titles = header(sheet)
    lines = item_lines(sheet)
    sheet.cell(lines[first], titles[layout.COL_PROBLEM]).value = "我单位没有问题"
    sheet.cell(lines[first], titles[layout.COL_DEDUCTION]).value = 0
    sheet.delete_rows(lines[second])
    added = sheet.max_row + 1
    sheet.cell(added, titles[layout.COL_ID]).value = "9.9"
    sheet.cell(added, titles[MEASURES]).value = "另外一项"
    returned = tmp_path / "区发改局.xlsx"
    book.save(returned)
    assert cli("ingest", returned, "-w", root).code == 1
    problem_cell = f"{layout.SHEET_RECTIFY}!{sheet.cell(lines[first], titles[layout.COL_PROBLEM]).coordinate}"
    points_cell = f"{layout.SHEET_RECTIFY}!{sheet.cell(lines[first], titles[layout.COL_DEDUCTION]).coordinate}"
    found = {(f["code"], f["ref"], f["cell"]) for f in findings(root, DEPT)}
    assert found == {("rectify_problem_changed", first, problem_cell),
                     ("rectify_deduction_changed", first, points_cell), ("rectify_row_missing", second, None),
                     ("rectify_row_added", "9.9", f"{layout.SHEET_RECTIFY}!A{added}")}
    assert [r[0] for r in stored(root, DEPT)[0]] == [first, *rest]  # the added row is not recorded


def test_a_huge_number_a_formula_and_a_huge_text_do_not_crash(cli, root, tmp_path):
    first, second, third, *_ = refs(root, DEPT)
    reports = {first: {MEASURES: "=1+1", PROGRESS: "推进中", DONE_ON: 12345},
               second: {MEASURES: "长" * 32000, PROGRESS: "推进中", EVIDENCE: "=HYPERLINK(\"http://x\")"},
               third: {MEASURES: "整改", PROGRESS: "已完成", DONE_ON: 1e300}}
    filled = fill_rectify(outbox(root, DEPT), tmp_path / "filled.xlsx", reports)
    returned = tmp_path / "区发改局.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(returned, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>12345</v>", b"<v>1E999</v>")
            target.writestr(info, data)
    assert b"1E999" in zipfile.ZipFile(returned).read("xl/worksheets/sheet1.xml")
    result = cli("ingest", returned, "-w", root)
    assert result.code == 1 and "Traceback" not in result.err
    rows = {r[0]: r for r in stored(root, DEPT)[0]}
    assert rows[first][1] == "=1+1" and rows[second][1] == "长" * 32000
    codes = {(f["code"], f["ref"]) for f in findings(root, DEPT)}
    assert ("rectify_bad_date", first) in codes and ("rectify_bad_date", third) in codes


# --- identity -------------------------------------------------------------------------------------------------------


def test_an_identity_edited_to_another_unit_is_held_and_credits_no_one(cli, root, tmp_path):
    forged = edit_identity(fill_rectify(outbox(root, DEPT), tmp_path / "a.xlsx", good_reports(root, DEPT)),
                           tmp_path / "元坝镇整改.xlsx", unit=TOWN)
    assert cli("ingest", forged, "-w", root).code == 1
    row = file_row(root, forged.name)
    assert (row["outcome"], row["code"]) == ("held", "rectify_unverified") and "待法制办确认" in row["message"]
    assert stored(root, TOWN) == [] and stored(root, DEPT) == []


def test_a_held_return_without_its_seal_is_recorded_once_the_office_accepts_it(cli, root, tmp_path):
    unsealed = edit_identity(fill_rectify(outbox(root, DEPT), tmp_path / "a.xlsx", good_reports(root, DEPT)),
                             tmp_path / "区发改局整改.xlsx", mac=None)
    assert cli("ingest", unsealed, "-w", root).code == 1
    row = file_row(root, unsealed.name)
    assert (row["outcome"], row["code"]) == ("held", "rectify_unverified") and stored(root, DEPT) == []
    accepted = cli("accept", str(row["id"]), "--reason", "已电话核实,系该单位报送", "-w", root)
    assert accepted.code == 0, accepted.err
    assert len(stored(root, DEPT)) == 1 and stored(root, DEPT)[0][0][2] == "已完成"
    decisions = query(root, "SELECT action, unit, file_id FROM decisions WHERE action = 'accept'")
    assert [tuple(d) for d in decisions] == [("accept", DEPT, row["id"])]
    status = {u["unit"]: u for u in cli("rectify", "status", "--json", "-w", root).json()["units"]}
    assert status[DEPT]["items"][0]["state"] == "reported"


def test_a_return_of_another_campaign_is_refused_naming_the_整改清单(cli, root, tmp_path):
    other = edit_identity(outbox(root, DEPT), tmp_path / "区发改局.xlsx", campaign="fazhi:2016年度法治政府建设考核")
    assert cli("ingest", other, "-w", root).code == 1
    row = file_row(root, other.name)
    assert (row["outcome"], row["code"]) == ("refused", "foreign_campaign") and "整改清单" in row["message"]


def test_a_unit_that_owes_nothing_is_refused_even_with_a_sealed_workbook(cli, root, tmp_path):
    workspace = Workspace(root)
    owed = approved_owed(workspace)
    police = owed.units.get(POLICE) or next(u for u in workspace.units(workspace.campaign()) if u.name == POLICE)
    items = owed.items[DEPT]
    path = tmp_path / "区公安分局整改.xlsx"
    write_rectify_workbook(path, workspace.campaign(), police, items, owed.deadline,
                           rectify_identity(workspace.campaign(), police, items, owed.approval, workspace.secret()))
    assert cli("ingest", path, "-w", root).code == 1
    row = file_row(root, path.name)
    assert (row["outcome"], row["code"]) == ("refused", "rectify_owes_nothing") and "无需整改" in row["message"]


def test_a_return_after_a_reopening_and_one_of_an_earlier_approval_are_refused(cli, root, tmp_path):
    returned = fill_rectify(outbox(root, DEPT), tmp_path / "区发改局.xlsx", good_reports(root, DEPT))
    assert cli("reopen", "--reason", "区政府要求复核", "-w", root).code == 0
    assert cli("ingest", returned, "-w", root).code == 1
    assert file_row(root, returned.name)["code"] == "rectify_not_approved"
    assert "当前的整改清单" in file_row(root, returned.name)["message"]
    again = cli("approve", "--by", "区人民政府", "--date", "2018-01-20", "-w", root)
    assert again.code == 0, again.err
    second = shutil.copy(returned, tmp_path / "区发改局(再次).xlsx")
    with zipfile.ZipFile(second, "a") as archive:  # other bytes, same content: not the refused file again
        archive.writestr("docProps/custom-note.txt", "x")
    assert cli("ingest", second, "-w", root).code == 1
    row = file_row(root, Path(second).name)
    assert (row["outcome"], row["code"]) == ("refused", "rectify_outdated") and "当前的整改清单" in row["message"]
    assert stored(root, DEPT) == []


def test_a_整改_workbook_is_never_a_self_assessment_nor_the_other_way_round(cli, root, tmp_path):
    submissions = len(query(root, "SELECT id FROM submissions"))
    renamed = tmp_path / "区发改局整改.xlsx"
    book = openpyxl.load_workbook(fill_rectify(outbox(root, DEPT), tmp_path / "a.xlsx", good_reports(root, DEPT)))
    book[layout.SHEET_RECTIFY].title = book_layout.SHEET_SCORES
    book.save(renamed)
    assert cli("ingest", renamed, "-w", root).code == 1
    assert file_row(root, renamed.name)["code"] == "rectify_unreadable"
    swapped = edit_identity(root / "outbox" / f"2017年度法治政府建设自评表_{DEPT}.xlsx", tmp_path / "自评表.xlsx",
                            format="fazhi-rectify")
    assert cli("ingest", swapped, "-w", root).code == 1
    row = file_row(root, swapped.name)
    assert (row["outcome"], row["code"]) == ("held", "rectify_unverified")
    refused = cli("accept", str(row["id"]), "--reason", "试图采用", "-w", root)
    assert refused.code == 2 and "不能采用" in refused.err
    assert len(query(root, "SELECT id FROM submissions")) == submissions and stored(root, DEPT) == []


# --- senders --------------------------------------------------------------------------------------------------------


def mail(path: Path, sender: str, name: str, data: bytes) -> Path:
    message = EmailMessage()
    message["From"] = f"报送人 <{sender}>"
    message["To"] = "fazhiban@example.invalid"
    message["Subject"] = "整改清单"
    message["Date"] = format_datetime(dt.datetime(2018, 2, 19, 9, tzinfo=CHINA))
    message.set_content("法制办:附件是整改清单,请查收。")
    message.add_attachment(data, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    path.write_bytes(message.as_bytes())
    return path


def test_a_strangers_mailed_copy_after_the_units_own_is_held(cli, root, tmp_path, office_clock):
    own = fill_rectify(outbox(root, DEPT), tmp_path / "own.xlsx", good_reports(root, DEPT))
    assert cli("ingest", mail(tmp_path / "own.eml", "fgj@example.invalid", "整改清单.xlsx", own.read_bytes()),
               "-w", root).code == 0
    office_clock("2018-02-21T09:00:00+08:00")
    changed = good_reports(root, DEPT)
    changed[refs(root, DEPT)[1]][PROGRESS] = "已完成"
    other = fill_rectify(outbox(root, DEPT), tmp_path / "other.xlsx", changed)
    stranger = mail(tmp_path / "stranger.eml", "someone@elsewhere.invalid", "整改清单(改).xlsx", other.read_bytes())
    assert cli("ingest", stranger, "-w", root).code == 1
    row = file_row(root, "整改清单(改).xlsx")
    assert (row["outcome"], row["code"], row["unit"]) == ("held", "rectify_sender_off_roster", DEPT)
    assert len(stored(root, DEPT)) == 1


def test_a_return_named_after_another_unit_is_held(cli, root, tmp_path):
    returned = fill_rectify(outbox(root, DEPT), tmp_path / "元坝镇整改清单.xlsx", good_reports(root, DEPT))
    assert cli("ingest", returned, "-w", root).code == 1
    row = file_row(root, returned.name)
    assert (row["outcome"], row["code"], row["other_unit"]) == ("held", "rectify_identity_conflict", TOWN)


# --- batches ----------------------------------------------------------------------------------------------------------


def test_a_corrupt_file_is_refused_while_the_batch_goes_on(cli, root, tmp_path):
    batch = tmp_path / "batch"
    good = fill_rectify(outbox(root, TOWN), batch / "b_元坝镇.xlsx", good_reports(root, TOWN))
    data = fill_rectify(outbox(root, DEPT), tmp_path / "dept.xlsx", good_reports(root, DEPT)).read_bytes()
    (batch / "a_区发改局.xlsx").write_bytes(data[: len(data) // 2])
    assert cli("ingest", batch, "-w", root).code == 1
    assert file_row(root, "a_区发改局.xlsx")["outcome"] == "refused"
    assert file_row(root, good.name)["outcome"] == "taken" and len(stored(root, TOWN)) == 1


def test_kill_minus_nine_mid_batch_leaves_the_store_consistent_and_a_rerun_completes(cli, root, tmp_path):
    batch = tmp_path / "batch"
    count = 60  # fewer than a worker pool starts for: the killed process leaves no worker holding the lock
    for index in range(count):
        reports = good_reports(root, DEPT)
        reports[refs(root, DEPT)[0]][MEASURES] = f"第 {index} 次修订的整改措施"
        fill_rectify(outbox(root, DEPT), batch / f"{index:03d}.xlsx", reports)
    originals = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()}
    process = subprocess.Popen([sys.executable, "-m", "fazhi_cli", "ingest", str(batch), "-w", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "FAZHI_NOW": NOW, "FAZHI_WORKERS": "1"})
    archive = root / "archive"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(1 for _ in archive.rglob("*.xlsx")) < 8:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    taken = len(query(root, "SELECT id FROM rectify_returns"))
    assert taken < count, "the batch finished before the kill; the test proved nothing"
    assert query(root, "PRAGMA integrity_check")[0][0] == "ok"
    assert query(root, "SELECT COUNT(*) FROM rectify_returns r WHERE NOT EXISTS "
                       "(SELECT 1 FROM files f WHERE f.id = r.file_id)")[0][0] == 0
    assert query(root, "SELECT COUNT(*) FROM rectify_rows w WHERE NOT EXISTS "
                       "(SELECT 1 FROM rectify_returns r WHERE r.id = w.return_id)")[0][0] == 0
    assert query(root, "SELECT COUNT(*) FROM rectify_returns r WHERE NOT EXISTS "
                       "(SELECT 1 FROM rectify_rows w WHERE w.return_id = r.id)")[0][0] == 0
    rerun = cli("ingest", batch, "-w", root)
    assert rerun.code == 0, rerun.out
    assert len(query(root, "SELECT id FROM rectify_returns")) == count
    assert len(query(root, "SELECT id FROM files WHERE original_name LIKE '0%.xlsx'")) == count  # none twice
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in batch.iterdir()} == originals


def test_a_return_received_after_the_deadline_is_said_to_be_late(cli, root, tmp_path, office_clock):
    on_time = cli("ingest", fill_rectify(outbox(root, DEPT), tmp_path / "按时.xlsx", good_reports(root, DEPT)),
                  "-w", root)
    assert on_time.code == 0 and "逾期" not in file_row(root, "按时.xlsx")["message"]
    office_clock("2018-04-03T10:00:00+08:00")
    late = cli("ingest", fill_rectify(outbox(root, TOWN), tmp_path / "逾期.xlsx", good_reports(root, TOWN)), "-w", root)
    assert late.code == 0 and "逾期报送" in late.out
    assert "逾期报送:整改截止 2018-03-31,法制办收到于 2018-04-03" in file_row(root, "逾期.xlsx")["message"]


def test_files_lists_a_units_rectify_returns_as_current_and_superseded_and_a_rejected_one_gives_way(cli, root,
                                                                                                   tmp_path):
    first = good_reports(root, DEPT)
    assert cli("ingest", fill_rectify(outbox(root, DEPT), tmp_path / "第一次.xlsx", first), "-w", root).code == 0
    second = {ref: {**row, PROGRESS: "已完成", DONE_ON: dt.date(2018, 2, 10), MEASURES: "已整改"}
              for ref, row in first.items()}
    assert cli("ingest", fill_rectify(outbox(root, DEPT), tmp_path / "第二次.xlsx", second), "-w", root).code == 0
    listed = {f["original_name"]: f for f in cli("files", "--json", "-w", root).json()["files"]}
    assert (listed["第一次.xlsx"]["state"], listed["第二次.xlsx"]["state"]) == ("superseded", "current")
    assert listed["第二次.xlsx"]["label"] == "当前有效" and listed["第二次.xlsx"]["current"] is True
    states = {i["state"] for i in cli("rectify", "status", "--json", "-w", root).json()["units"][0]["items"]}
    assert states == {"reported"}
    rejected = cli("reject", str(listed["第二次.xlsx"]["id"]), "--reason", "报送有误,以第一次为准", "-w", root)
    assert rejected.code == 0, rejected.err
    states = [i["state"] for i in cli("rectify", "status", "--json", "-w", root).json()["units"][0]["items"]]
    assert states[0] == "reported" and set(states[1:]) == {"in_progress"}  # the first return is current again
