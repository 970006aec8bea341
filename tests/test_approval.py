"""初步结果 → 审定: `fazhi approve` refuses while anything is unresolved and then freezes a snapshot; every output
says which results it shows; after approval the results do not move until `fazhi reopen`; `fazhi log` lists every
decision; a snapshot edited by hand is detected. A three-unit campaign, real workbooks, a real store."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import docx
import openpyxl
import pytest
from helpers import reseal
from test_scores import edit_review, full_marks, review_sheet_path

from fazhi_cli.cli import output
from fazhi_cli.store import Decision
from fazhi_cli.workbook.filler import fill_workbook

ROSTER = (
    "单位名称,单位类型,联系人,联系电话,电子邮箱\n"
    "区发改局,区级部门,刘洋,0839-8700011,fgj@example.invalid\n"
    "区公安分局,区级部门,陈刚,0839-8700012,gaj@example.invalid\n"
    "元坝镇,乡镇(街道),赵敏,0839-8700021,yb@example.invalid\n"
)
DEPT, POLICE, TOWN = "区发改局", "区公安分局", "元坝镇"
SUMMARY_XLSX = "2017年度法治政府建设考核结果汇总.xlsx"
APPROVE = ("approve", "--by", "区人民政府", "--date", "2018-01-15", "--doc-no", "昭府函〔2018〕3号")
APPROVED_LINE = "审定结果(区人民政府 2018-01-15 审定,昭府函〔2018〕3号)"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


@pytest.fixture
def small(cli, tmp_path) -> Path:
    """A three-unit campaign with its workbooks generated."""
    roster = tmp_path / "units.csv"
    roster.write_text(ROSTER, "utf-8")
    root = tmp_path / "campaign"
    assert cli("init", root, "--units", roster).code == 0
    assert cli("generate", "-w", root).code == 0
    return root


def send(cli, ws: Path, unit: str, answers, name: str):
    """The unit fills its workbook (saved as `name`) and the clerk ingests it."""
    target = ws.parent / "inbox" / name
    target.parent.mkdir(exist_ok=True)
    fill_workbook(ws / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", target, answers)
    return cli("ingest", target, "-w", ws)


def above_ceiling():
    """区发改局 reports one uncertified officer (4.1 ceiling 14) but claims 15: one validation error."""
    answers = full_marks("department")
    answers.facts["4.1a"] = 1
    answers.scores["4.1"] = 15
    return answers


def corrected():
    answers = full_marks("department")
    answers.facts["4.1a"] = 1
    answers.scores["4.1"] = 14
    return answers


def rows(ws: Path, sql: str, *args) -> list:
    with closing(sqlite3.connect(ws / "fazhi.db")) as db:
        return db.execute(sql, args).fetchall()


def all_returned(cli, ws: Path) -> None:
    """Every unit returned a clean workbook."""
    assert send(cli, ws, DEPT, corrected(), "发改局.xlsx").code == 0
    assert send(cli, ws, POLICE, full_marks("department"), "公安分局.xlsx").code == 0
    assert send(cli, ws, TOWN, full_marks("township"), "元坝镇.xlsx").code == 0


def held_form(cli, ws: Path, tmp_path: Path) -> None:
    """A form from another workspace of the same campaign arrives: held (待确认), credited to nobody."""
    other = tmp_path / "other"
    assert cli("init", other, "--units", tmp_path / "units.csv").code == 0
    assert cli("generate", "--unit", POLICE, "-w", other).code == 0
    fill_workbook(other / "outbox" / f"2017年度法治政府建设自评表_{POLICE}.xlsx", tmp_path / "外来.xlsx",
                  full_marks("department"))
    assert cli("ingest", tmp_path / "外来.xlsx", "-w", ws).code == 1


def test_a_held_file_blocks_approval(cli, small, tmp_path):
    all_returned(cli, small)
    held_form(cli, small, tmp_path)
    refused = cli(*APPROVE, "-w", small)
    assert refused.code == 1 and "尚有 1 项未解决" in refused.err and "待确认的文件 外来.xlsx" in refused.err
    assert rows(small, "SELECT COUNT(*) FROM decisions")[0][0] == 0
    # settled by the clerk (`fazhi reject`), the held file no longer blocks
    [held] = [f for f in cli("files", "--json", "-w", small).json()["files"] if f["state"] == "held"]
    assert cli("reject", str(held["id"]), "--reason", "外来的表格,不予采用", "-w", small).code == 0
    done = cli(*APPROVE, "-w", small)
    assert done.code == 0, done.err
    assert [a for (a,) in rows(small, "SELECT action FROM decisions ORDER BY id")] == ["reject", "approve"]


def test_approve_refuses_with_each_reason_and_changes_nothing_then_succeeds(cli, small, tmp_path):
    assert send(cli, small, DEPT, above_ceiling(), "发改局.xlsx").code == 0
    assert send(cli, small, TOWN, full_marks("township"), "元坝镇.xlsx").code == 0
    stray = small.parent / "inbox" / "说明.txt"
    stray.write_text("附件见邮件", "utf-8")
    assert cli("ingest", stray, "-w", small).code == 1  # refused: a file with no workbook

    refused = cli(*APPROVE, "-w", small)
    assert refused.code == 1
    assert "尚有 3 项未解决,不能审定;未作任何改动" in refused.err
    for reason in (f"{DEPT}:尚有 1 个校验错误未解决", "被退回的文件 说明.txt 尚未处理", f"{POLICE}:未报送"):
        assert reason in refused.err, reason
    assert rows(small, "SELECT COUNT(*) FROM decisions")[0][0] == 0
    assert rows(small, "SELECT COUNT(*) FROM snapshots")[0][0] == 0
    assert cli("score", "--json", "-w", small).json()["state"] == "preliminary"

    # the error corrected by a resubmission; the refused file dismissed by the clerk (`fazhi dismiss`)
    assert send(cli, small, DEPT, corrected(), "发改局(修改).xlsx").code == 0
    [stray_file] = [f for f in cli("files", "--json", "-w", small).json()["files"] if f["original_name"] == "说明.txt"]
    assert cli("dismiss", str(stray_file["id"]), "--reason", "误投的文件", "-w", small).code == 0
    missing_only = cli(*APPROVE, "-w", small)
    assert missing_only.code == 1 and "尚有 1 项未解决" in missing_only.err and f"{POLICE}:未报送" in missing_only.err

    done = cli(*APPROVE, "--accept-missing", "-w", small)
    assert done.code == 0, done.err
    assert APPROVED_LINE in done.out and f"按未报送审定的单位 1 个:{POLICE}" in done.out
    [(action, detail)] = rows(small, "SELECT action, detail FROM decisions WHERE action = 'approve'")
    detail = json.loads(detail)
    assert (detail["by"], detail["date"], detail["doc_no"], detail["missing"]) == (
        "区人民政府", "2018-01-15", "昭府函〔2018〕3号", [POLICE])
    [(sha, content)] = rows(small, "SELECT sha256, content FROM snapshots")
    assert sha == detail["snapshot"] == hashlib.sha256(content.encode("utf-8")).hexdigest()
    frozen = json.loads(content)
    current = rows(small, "SELECT f.sha256 FROM submissions s JOIN files f ON f.id = s.file_id "
                          "WHERE f.original_name IN ('发改局(修改).xlsx', '元坝镇.xlsx')")
    assert {f["sha256"] for f in frozen["store"]["files"]} >= {row[0] for row in current}
    assert len(frozen["store"]["submissions"]) == 2  # the current submissions only, not 区发改局's first version
    rubric_text = (small / "rubric.yaml").read_text("utf-8")
    assert frozen["rubric"]["sha256"] == hashlib.sha256(rubric_text.encode("utf-8")).hexdigest()
    assert {u["unit"] for u in frozen["results"]} == {DEPT, POLICE, TOWN}


def test_bad_arguments_are_usage_errors_and_change_nothing(cli, small):
    all_returned(cli, small)
    for date in ("2018-02-30", "20180115", "昨天", "2018-1-5"):
        result = cli("approve", "--by", "区人民政府", "--date", date, "-w", small)
        assert result.code == 2 and "不是有效的日期" in result.err and "YYYY-MM-DD" in result.err, date
    assert cli("approve", "--by", "  ", "--date", "2018-01-15", "-w", small).code == 2
    assert cli("approve", "--date", "2018-01-15", "-w", small).code == 2  # --by is required
    assert cli("reopen", "-w", small).code == 2  # --reason is required
    assert cli("reopen", "--reason", " ", "-w", small).code == 2
    not_approved = cli("reopen", "--reason", "复核", "-w", small)
    assert not_approved.code == 1 and "结果尚未审定" in not_approved.err
    assert rows(small, "SELECT COUNT(*) FROM decisions")[0][0] == 0


def test_approving_twice_says_so_and_changes_nothing(cli, small):
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    before = rows(small, "SELECT * FROM decisions"), rows(small, "SELECT * FROM snapshots")
    again = cli("approve", "--by", "区政府", "--date", "2018-02-01", "-w", small)
    assert again.code == 1
    assert "结果已于 2018-01-15 由区人民政府审定" in again.err and "不能重复审定" in again.err
    assert "fazhi reopen" in again.err
    assert (rows(small, "SELECT * FROM decisions"), rows(small, "SELECT * FROM snapshots")) == before


def test_every_output_says_preliminary_before_and_approved_after(cli, small):
    all_returned(cli, small)
    score = cli("score", "-w", small)
    assert "初步结果(未经审定)" in score.out and "审定结果" not in score.out
    data = cli("score", "--json", "-w", small).json()
    assert data["state"] == "preliminary" and "approval" not in data
    assert "初步结果(未经审定)" in cli("status", "-w", small).out
    assert cli("status", "--json", "-w", small).json()["state"] == "preliminary"
    reported = cli("report", "-w", small)
    assert reported.code == 0 and "初步结果(未经审定)" in reported.out
    reports = small / "reports"
    book = openpyxl.load_workbook(reports / SUMMARY_XLSX)
    assert book["区级部门排名"]["A1"].value == "2017年度法治政府建设考核初步结果(未经审定)——区级部门"
    assert all(book[name]["A2"].value.startswith("【初步结果(未经审定)") for name in book.sheetnames)
    summary = (reports / "summary.html").read_text("utf-8")
    assert "<title>2017年度法治政府建设考核初步结果(未经审定)</title>" in summary and "结果汇总" not in summary
    page = (reports / "feedback" / f"{DEPT}.html").read_text("utf-8")
    assert "初步结果(未经审定)" in page
    assert "名次" not in page and "同类平均" not in page  # preliminary: no ranks unless asked
    assert cli("report", "--ranks", "-w", small).code == 0
    page = (reports / "feedback" / f"{DEPT}.html").read_text("utf-8")
    assert "名次" in page and "同类平均" in page and "初步结果(未经审定)" in page

    assert cli(*APPROVE, "-w", small).code == 0
    score = cli("score", "-w", small)
    assert APPROVED_LINE in score.out and "初步结果" not in score.out
    data = cli("score", "--json", "-w", small).json()
    sha = rows(small, "SELECT sha256 FROM snapshots")[0][0]
    assert data["state"] == "approved"
    assert data["approval"] == {"by": "区人民政府", "date": "2018-01-15", "doc_no": "昭府函〔2018〕3号",
                                "snapshot": sha}
    status = cli("status", "--json", "-w", small).json()
    assert status["state"] == "approved" and status["approval"]["snapshot"] == sha
    assert APPROVED_LINE in cli("status", "-w", small).out
    assert cli("report", "-w", small).code == 0
    book = openpyxl.load_workbook(reports / SUMMARY_XLSX)
    assert book["乡镇(街道)排名"]["A1"].value == "2017年度法治政府建设考核审定结果——乡镇(街道)"
    assert all(book[name]["A2"].value.startswith(f"【{APPROVED_LINE}】") for name in book.sheetnames)
    summary = (reports / "summary.html").read_text("utf-8")
    assert "<h1>2017年度法治政府建设考核审定结果</h1>" in summary
    assert "区人民政府 2018-01-15 审定,昭府函〔2018〕3号" in summary and "初步结果" not in summary
    page = (reports / "feedback" / f"{DEPT}.html").read_text("utf-8")
    assert "区人民政府 2018-01-15 审定" in page and "名次" in page and "初步结果" not in page


def test_after_approval_new_files_are_kept_but_results_do_not_change_until_reopened(cli, small, tmp_path,
                                                                                      office_clock):
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    frozen = cli("score", "--json", "-w", small).json()
    office_clock("2018-01-20T09:00:00+08:00")
    changed = full_marks("township")
    changed.facts["3.1a"] = 1  # one absence from court: 3.1 drops to 5
    changed.scores["3.1"] = 5
    later = send(cli, small, TOWN, changed, "元坝镇(补报).xlsx")
    assert later.code == 0
    assert "结果已于 2018-01-15 由区人民政府审定:本次收到的文件已存档,但不改变审定结果" in later.err
    assert "fazhi reopen --reason" in later.err
    assert rows(small, "SELECT COUNT(*) FROM submissions WHERE unit = ?", TOWN)[0][0] == 2  # archived, recorded
    assert cli("score", "--json", "-w", small).json() == frozen
    assert cli("review-sheet", "-w", small).code == 0
    sheet = tmp_path / "复核打分表_区级部门.xlsx"
    edit_review(review_sheet_path(small, "区级部门"), sheet, {(DEPT, "1.1"): 8}, {(DEPT, "1.1"): "制度建设台账不全"})
    reviewed = cli("ingest", sheet, "-w", small)
    assert reviewed.code == 0 and "不改变审定结果" in reviewed.err
    assert rows(small, "SELECT COUNT(*) FROM reviews")[0][0] == 1
    assert cli("score", "--json", "-w", small).json() == frozen
    assert cli("report", "-w", small).code == 0
    page = (small / "reports" / "feedback" / f"{TOWN}.html").read_text("utf-8")
    assert "审定结果" in page and "100.00" in page  # the frozen total, not the later 95

    office_clock("2018-01-22T09:00:00+08:00")
    reopened = cli("reopen", "--reason", "区政府要求按补报材料复核", "-w", small)
    assert reopened.code == 0 and "初步结果" in reopened.out
    live = cli("score", "--json", "-w", small).json()
    assert live["state"] == "preliminary" and "approval" not in live
    totals = {u["unit"]: u["total"] for u in live["units"]}
    assert totals[TOWN] == 95 and totals[DEPT] == 97  # the later return and the office's 1.1 (10 → 8) now count

    office_clock("2018-01-25T09:00:00+08:00")
    second = cli("approve", "--by", "区人民政府", "--date", "2018-01-25", "-w", small)
    assert second.code == 0, second.err
    snapshots = rows(small, "SELECT sha256, content FROM snapshots ORDER BY id")
    assert len(snapshots) == 2 and snapshots[0][0] != snapshots[1][0]  # both kept
    again = cli("score", "--json", "-w", small).json()
    assert again["approval"] == {"by": "区人民政府", "date": "2018-01-25", "doc_no": None,
                                 "snapshot": snapshots[1][0]}
    assert {u["unit"]: u["total"] for u in again["units"]} == totals

    log = cli("log", "--json", "-w", small)
    assert log.code == 0
    decisions = log.json()["decisions"]
    assert [(d["action"], d["unit"], d["ref"], d["reason"]) for d in decisions] == [
        ("approve", None, None, ""),
        ("set", DEPT, "1.1", "制度建设台账不全"),
        ("reopen", None, None, "区政府要求按补报材料复核"),
        ("approve", None, None, ""),
    ]
    assert [d["time"] for d in decisions] == ["2017-12-05T10:00:00+08:00", "2018-01-20T09:00:00+08:00",
                                              "2018-01-22T09:00:00+08:00", "2018-01-25T09:00:00+08:00"]
    assert decisions[1]["value"] == 8 and decisions[0]["detail"]["snapshot"] == snapshots[0][0]
    human = cli("log", "-w", small).out
    for text in ("审定", "核定得分", "重新打开", "区政府要求按补报材料复核"):
        assert text in human, text


def test_log_lists_office_values_set_and_withdrawn_and_file_decisions_in_order(cli, small, tmp_path, office_clock):
    all_returned(cli, small)
    assert cli("review-sheet", "-w", small).code == 0
    office_clock("2017-12-12T09:00:00+08:00")
    first = tmp_path / "first" / "复核打分表_区级部门.xlsx"
    first.parent.mkdir()
    edit_review(review_sheet_path(small, "区级部门"), first, {(DEPT, "1.1"): 9}, {(DEPT, "1.1"): "会议记录不全"})
    assert cli("ingest", first, "-w", small).code == 0
    office_clock("2017-12-13T09:00:00+08:00")
    held_form(cli, small, tmp_path)
    [held] = [f for f in cli("files", "--json", "-w", small).json()["files"] if f["state"] == "held"]
    assert cli("accept", str(held["id"]), "--reason", "经电话核实", "-w", small).code == 0
    office_clock("2017-12-14T09:00:00+08:00")
    assert cli("review-sheet", "-w", small).code == 0
    second = tmp_path / "second" / "复核打分表_区级部门.xlsx"
    second.parent.mkdir()
    edit_review(review_sheet_path(small, "区级部门"), second, {(DEPT, "1.1"): None})  # blanked: withdrawn
    assert cli("ingest", second, "-w", small).code == 0
    decisions = cli("log", "--json", "-w", small).json()["decisions"]
    assert [(d["action"], d["label"], d["unit"], d["ref"], d["file"]) for d in decisions] == [
        ("set", "核定得分", DEPT, "1.1", None),
        ("accept", "确认采用", POLICE, None, "外来.xlsx"),
        ("withdrawn", "撤回核定", DEPT, "1.1", None),
    ]
    assert decisions[1]["reason"] == "经电话核实"


def tamper(ws: Path, sql: str, *args) -> None:
    with closing(sqlite3.connect(ws / "fazhi.db")) as db, db:
        db.execute(sql, args)


RESULTS_COMMANDS = (("score", "--json"), ("score",), ("report",), ("status",))


def refuses_to_use_the_snapshot(cli, ws: Path, message: str, hint: str = "从备份恢复 fazhi.db",
                                commands=(*RESULTS_COMMANDS, ("log",))) -> None:
    for command in commands:
        result = cli(*command, "-w", ws)
        assert result.code == 2, command
        assert message in result.err and hint in result.err, (command, result.err)
        assert "Traceback" not in result.err and result.out == "", command


def test_a_hand_edited_snapshot_is_detected_and_not_used(cli, small, tmp_path):
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    assert cli("report", "-w", small).code == 0
    backup = tmp_path / "fazhi.db.backup"
    backup.write_bytes((small / "fazhi.db").read_bytes())
    tamper(small, "UPDATE snapshots SET content = replace(content, '\"total\":100', '\"total\":99')")
    refuses_to_use_the_snapshot(cli, small, "第 1 条决定(审定 2018-01-15)的结果快照已被改动")
    assert cli("reopen", "--reason", "快照被改动", "-w", small).code == 2  # no decision on unverified records
    # the way out: the store restored from the backup
    (small / "fazhi.db").write_bytes(backup.read_bytes())
    assert cli("score", "--json", "-w", small).json()["state"] == "approved"


def test_a_snapshot_whose_hash_was_forged_too_is_caught_by_the_seal_and_then_by_the_rebuild(cli, small):
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    [(content,)] = rows(small, "SELECT content FROM snapshots")

    def forge(text: str) -> None:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        tamper(small, "UPDATE snapshots SET content = ?, sha256 = ?", text, sha)
        tamper(small, "UPDATE decisions SET detail = json_set(detail, '$.snapshot', ?) WHERE action = 'approve'", sha)

    frozen = json.loads(content)
    next(u for u in frozen["results"] if u["unit"] == DEPT)["total"] = 1  # results that the inputs do not give
    forge(json.dumps(frozen, ensure_ascii=False))
    refuses_to_use_the_snapshot(cli, small, "法制办决定记录第 1 条(审定 2018-01-15)的印章不符")
    # even one holding the secret, who seals the forgery again, does not get it used
    reseal(small)
    refuses_to_use_the_snapshot(cli, small, f"重算的结果与审定时冻结的结果不一致({DEPT})", "fazhi reopen --reason",
                                RESULTS_COMMANDS)
    forge(content[:-10])  # not JSON any more
    reseal(small)
    refuses_to_use_the_snapshot(cli, small, "审定结果的快照(区人民政府 2018-01-15 审定)无法读取",
                                "fazhi reopen --reason", RESULTS_COMMANDS)


def test_a_missing_snapshot_is_detected(cli, small):
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    tamper(small, "DELETE FROM snapshots")
    refuses_to_use_the_snapshot(cli, small, "第 1 条决定(审定 2018-01-15)的结果快照已不在数据库中")


def test_the_state_is_the_last_approve_or_reopen_and_dates_are_strict():
    from fazhi_cli.domain.approval import parse_approval_date, state_from

    approve = Decision("t1", "approve", detail={"by": "区政府", "date": "2018-01-15", "snapshot": "ab"}, id=1)
    reopen = Decision("t2", "reopen", reason="复核", id=2)
    dismiss = Decision("t3", "dismiss", file_id=3, reason="误投", id=3)
    assert not state_from([]).approved
    assert state_from([approve, dismiss]).approved and state_from([approve, dismiss]).decision == 1
    assert not state_from([approve, reopen, dismiss]).approved
    assert state_from([approve, reopen, approve]).headline == "审定结果(区政府 2018-01-15 审定)"
    assert str(parse_approval_date(" 2018-01-15 ")) == "2018-01-15"
    assert [parse_approval_date(t) for t in ("2018-02-29", "2018/01/15", "", "２０１８-01-15")] == [None] * 4


def test_the_excel_summary_the_pages_and_the_notice_state_the_same_results(cli, small, tmp_path):
    """Issue 11, point 4: the summary workbook, the summary page and the notice format one results model, so
    they carry the same marking and the same ranking, before and after approval."""
    all_returned(cli, small)
    for approved in (False, True):
        if approved:
            assert cli(*APPROVE, "-w", small).code == 0
        assert cli("report", "-w", small).code == 0
        assert cli("notice", "--no-pdf", "-w", small).code == 0
        label = "审定结果" if approved else "初步结果(未经审定)"
        sheet = openpyxl.load_workbook(small / "reports" / SUMMARY_XLSX)["区级部门排名"]
        excel = [(str(r[0]), r[1], f"{r[11]:.2f}") for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
        name = "2017年度法治政府建设考核结果通报.docx" if approved else "2017年度法治政府建设考核初步结果请示.docx"
        notice = docx.Document(str(small / "reports" / name))
        table = [tuple(c.text for c in row.cells[:3]) for row in notice.tables[0].rows[1:]]
        assert excel == table and len(table) == 2
        page = (small / "reports" / "summary.html").read_text("utf-8")
        assert label in sheet["A2"].value and label in page
        assert all(unit in page for _, unit, _ in excel)
        marked = "审定" if approved else label  # the 通报 cites the approval; the 请示 is marked 初步结果
        assert any(marked in p.text for p in notice.paragraphs)
