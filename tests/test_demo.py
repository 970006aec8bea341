"""`fazhi demo` runs the whole year-end job on the sample data and ends with the reports."""

from __future__ import annotations

import json
import sqlite3

import docx
import openpyxl
from helpers import external_tool

from fazhi_cli.demo import APPROVAL_DOC, APPROVED_BY, APPROVED_ON, BROKEN, CASE_FAULT, NOT_RETURNING, RESUBMITS
from fazhi_cli.demo.rectify import CLOSED_ON_SITE, LATE_RECTIFYING, NOT_RECTIFYING, ON_SITE_OPINION
from fazhi_cli.demo.run import RECTIFY_NOTICE_DOC
from fazhi_cli.demo.units import BY_EMAIL, EVIDENCE_SENT


def test_demo_runs_the_whole_job_and_writes_every_report(cli, tmp_path):
    folder = tmp_path / "演示"
    result = cli("demo", folder)
    assert result.code == 0, result.err
    steps = ("1. 建立考核工作区", "4. 收取", "5. 校验", "6. 法制办集中考核", "7. 计分和排名(初步结果)",
             "8. 处理退回文件,报区政府审定", "9. 出具报告(审定结果)", "演示完成")
    for step in steps:
        assert step in result.out, step
    reports = folder / "reports"
    assert (reports / "2017年度法治政府建设考核结果汇总.xlsx").is_file()
    assert (reports / "summary.html").is_file()
    with sqlite3.connect(folder / "fazhi.db") as db:
        returned = {row[0] for row in db.execute("SELECT DISTINCT unit FROM submissions")}
        versions = db.execute("SELECT COUNT(*) FROM submissions WHERE unit = ?", (RESUBMITS,)).fetchone()[0]
        refused = db.execute("SELECT COUNT(*) FROM files WHERE outcome = 'refused'").fetchone()[0]
        materials = db.execute("SELECT COUNT(*) FROM materials").fetchone()[0]
        reviews = db.execute("SELECT COUNT(DISTINCT file_id) FROM reviews").fetchone()[0]
        held = db.execute("SELECT original_name, code, unit, other_unit FROM files WHERE outcome = 'held'").fetchall()
        decided = db.execute("SELECT action, unit, reason FROM decisions WHERE action NOT LIKE 'rectify%' "
                             "ORDER BY id").fetchall()
    pages = {p.stem for p in (reports / "feedback").glob("*.html")}
    assert pages == returned and len(returned) == 54 - len(NOT_RETURNING) - 1  # 54 assessed: not 区政府法制办
    assert BROKEN not in returned and versions == 2 and refused == 1 and reviews == 4  # the office's 2, the teams' 2
    assert materials == 1 + len(EVIDENCE_SENT)  # the 工作总结 and the evidence 区发改局 sends with its e-mail
    assert held == [("区环保局自评表.xlsx", "identity_conflict", "区司法局", "区环保局")]
    assert [(d[0], d[1]) for d in decided] == [("reject", "区司法局"), ("dismiss", None), ("approve", None)]
    assert "区环保局误用了区司法局的自评表" in decided[0][2]
    assert "fazhi reject" in result.out and "待确认" in result.out
    assert any((folder / "returns").glob("*_修改意见.xlsx"))
    assert len(list((folder / "outbox" / "mail").glob("*_下发.eml"))) == 54 and "fazhi send --dry-run" in result.out
    with sqlite3.connect(folder / "fazhi.db") as db:  # the office's ledger, filled and taken back
        ledgers = db.execute("SELECT COUNT(*) FROM files WHERE outcome = 'ledger' AND code = 'ledger'").fetchone()[0]
        entries = db.execute("SELECT COUNT(*) FROM ledger_entries WHERE problem IS NULL").fetchone()[0]
    assert ledgers == 1 and entries > 0 and "台账" in result.out
    texts = [p.read_text("utf-8") for p in (reports / "feedback").glob("*.html")]
    assert any("3.2a 3月:自报" in text and "台账记录" in text for text in texts)  # one department's 3.2
    assert sum(CASE_FAULT in text and "酌情扣 1 分" in text for text in texts) == 1  # one department's 4.1e
    # it ends with the district government's approval: every report says 审定结果, with the approver and date
    approved = f"{APPROVED_BY} {APPROVED_ON} 审定"
    summary = (reports / "summary.html").read_text("utf-8")
    assert "审定结果" in summary and approved in summary and APPROVAL_DOC in summary
    assert "初步结果" not in summary
    assert "考核组复核情况" in summary and "第一考核组" in summary and "第二考核组" in summary  # two review teams
    with sqlite3.connect(folder / "fazhi.db") as db:  # the 第三方评估 component sheet, filled and taken back
        component_sheets = db.execute("SELECT code FROM files WHERE code LIKE 'component%'").fetchall()
        component_values = db.execute("SELECT COUNT(*) FROM component_values").fetchone()[0]
    assert component_sheets == [("component",)] and component_values == 54  # finding-free: one per assessed unit
    assert "第三方评估(10.00%)" in summary and "综合得分 = 考核细则得分 × 90% + 第三方评估 × 10%" in summary
    sheet = openpyxl.load_workbook(reports / "2017年度法治政府建设考核结果汇总.xlsx")["区级部门排名"]
    assert sheet["A1"].value == "2017年度法治政府建设考核审定结果——区级部门"
    assert f"审定结果({approved},{APPROVAL_DOC})" in sheet["A2"].value
    # 区发改局 names evidence on three items, one of the files not sent: one evidence_missing warning (the units
    # claiming a 特别加分 name a file none of them sends: a warning each)
    missing = [f for f in cli("validate", "--json", "-w", folder).json()["findings"] if f["code"] == "evidence_missing"]
    assert [f["ref"] for f in missing if f["unit"] == BY_EMAIL[0]] == ["6.3"]
    assert {f["ref"] for f in missing if f["unit"] != BY_EMAIL[0]} <= {"B1", "B2"}
    missing = [f for f in missing if f["unit"] == BY_EMAIL[0]]
    assert "培训签到表.jpg" in missing[0]["message"]
    exported = {r["ref"]: r for r in cli("export", "--json", "-w", folder).json() if r["unit"] == BY_EMAIL[0]}
    assert [f["name"] for f in exported["6.1"]["evidence_files"]] == ["第一责任人职责清单.pdf"]
    assert exported["6.3"]["evidence_missing"] == ["培训签到表.jpg"] and exported["6.3"]["state"] == "approved"
    score = cli("score", "--json", "-w", folder).json()
    assert score["state"] == "approved" and score["approval"]["by"] == APPROVED_BY
    assert score["approval"]["date"] == APPROVED_ON and score["approval"]["doc_no"] == APPROVAL_DOC
    assert "名次" in (reports / "feedback" / f"{RESUBMITS}.html").read_text("utf-8")  # approved: ranks shown
    letters = sorted((reports / "反馈函").glob("*.docx"))  # the official documents, as Word files only
    assert (reports / "2017年度法治政府建设考核结果通报.docx").is_file() and len(letters) == len(returned)
    assert "请示:" in result.out and (reports / "2017年度法治政府建设考核初步结果请示.docx").is_file()
    assert not list(reports.rglob("*.pdf")) and "fazhi demo --pdf" in result.out
    assert "fazhi notice -w" in " ".join(result.out.split())
    again = cli("demo", folder, "--pdf")  # a demo folder is recreated, not refused
    assert again.code == 0
    # --pdf: the 通报 and one 反馈函 per returned unit, each with its PDF (LibreOffice: CI has it)
    external_tool("soffice")
    letters = sorted((reports / "反馈函").glob("*.docx"))
    assert (reports / "2017年度法治政府建设考核结果通报.pdf").is_file() and len(letters) == len(returned)
    assert (reports / "2017年度法治政府建设考核初步结果请示.pdf").is_file()  # the 请示 sent up before the approval
    assert all(letter.with_suffix(".pdf").is_file() for letter in letters)
    assert f"另有 PDF {len(letters)} 份" in again.out
    assert (reports / "2017年度法治政府建设考核整改情况通报.pdf").is_file()


def test_demo_goes_on_past_the_approval_to_the_rectification(cli, tmp_path, office_clock):
    """整改清单 out to each unit that lost points, most returned (one late, one item 推进中), two never; the office's
    销号 (one item 推进中 closed on site, with its opinion); the 整改情况通报 naming the two units still open;
    summary.html with the 整改 progress."""
    folder = tmp_path / "演示"
    result = cli("demo", folder)
    assert result.code == 0, result.err
    for step in ("11. 整改:下发整改清单", "12. 各单位报送整改情况", "13. 法制办复核销号", "14. 整改情况通报"):
        assert step in result.out, step
    owed = list((folder / "outbox" / "整改").glob("*.xlsx"))
    assert len(owed) == len(list((folder / "outbox" / "mail").glob("*_整改通知.eml"))) > 40
    office_clock("2018-04-10T09:00:00+08:00")  # the day of the demo's 整改情况通报
    status = cli("rectify", "status", "--json", "-w", folder).json()
    by_unit = {u["unit"]: u for u in status["units"]}
    assert set(status["overdue"]) == set(NOT_RECTIFYING)
    assert all(i["state"] == "open" for u in NOT_RECTIFYING for i in by_unit[u]["items"])
    assert {i["state"] for i in by_unit[CLOSED_ON_SITE]["items"]} == {"closed"}
    assert {i["state"] for i in by_unit[LATE_RECTIFYING]["items"]} == {"closed"}
    assert status["counts"]["closed"] == status["counts"]["items"] - sum(
        len(by_unit[u]["items"]) for u in NOT_RECTIFYING)
    assert f"{LATE_RECTIFYING}:" in result.out and "逾期报送" in result.out
    log = cli("log", "--json", "-w", folder).json()["decisions"]
    on_site = [d for d in log if d["action"] == "rectify_close" and d["unit"] == CLOSED_ON_SITE
               and ON_SITE_OPINION in str(d["detail"])]
    assert len(on_site) == 1 and on_site[0]["label"] == "销号"
    notice = docx.Document(folder / "reports" / "2017年度法治政府建设考核整改情况通报.docx")
    text = "\n".join(p.text for p in notice.paragraphs)
    assert all(unit in text for unit in NOT_RECTIFYING) and RECTIFY_NOTICE_DOC in text
    summary = (folder / "reports" / "summary.html").read_text("utf-8")
    assert "整改进度" in summary and all(unit in summary for unit in NOT_RECTIFYING)
    assert cli("verify", "-w", folder).code == 0


def test_demo_refuses_a_folder_it_did_not_make(cli, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", "utf-8")
    result = cli("demo", tmp_path / "mine")
    assert result.code == 2 and "不是演示文件夹" in result.err
    assert (tmp_path / "mine" / "notes.txt").read_text("utf-8") == "keep me"


def test_demo_scores_are_consistent_with_score_json(cli, tmp_path):
    folder = tmp_path / "demo"
    assert cli("demo", folder).code == 0
    data = json.loads(cli("score", "--json", "-w", folder).out)
    scored = [u for u in data["units"] if u["status"] == "scored"]
    for unit in scored:
        subtotal = round(sum(unit["items"].values()) + unit["bonus"] - unit["penalty"], 2)
        assert max(0, subtotal) == unit["total"], unit["unit"]
    for unit_type in ("department", "township"):
        ranks = sorted(u["rank"] for u in scored if u["type"] == unit_type)
        assert ranks[0] == 1
