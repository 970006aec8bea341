"""The demo campaign: the whole year-end run on the sample data, in a folder of its own.

`fill_demo_returns` plays the units: deterministic (seeded) but varied facts and scores, a few typical
mistakes, one broken file, one resubmission, an e-mail with a GB2312-encoded attachment name, a zip
from a township office with GBK names, and one unit's form filled in and sent by another unit (held, then
rejected by the clerk with the reason). The rest is the product's own commands, in order.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import os
import random
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import openpyxl

from fazhi_cli.approval import Approval, approve_results
from fazhi_cli.documents import LetterFiles, NoticeFile, write_documents
from fazhi_cli.domain import scoring
from fazhi_cli.domain.kinds import COUNT, kind_of
from fazhi_cli.domain.ledger import CASES, INFO, SUMMARY
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.submissions import DISMISS, REJECT
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA, simulated_now
from fazhi_cli.infra.parallel import map_ordered
from fazhi_cli.ingest import IngestReport, ingest_paths
from fazhi_cli.ingest.settle import Settled, settle
from fazhi_cli.ledger import write_ledger
from fazhi_cli.mail import MailReport, send_workbooks
from fazhi_cli.reports import ReportFiles, write_reports
from fazhi_cli.review import COL_ID, COL_REASON, COL_SCORE, COL_UNIT, SHEET_REVIEW, write_review_sheets
from fazhi_cli.scoring import Scoreboard, compute_scores
from fazhi_cli.validate import Annotated, CheckedUnit, ValidationReport, validate_workspace
from fazhi_cli.validate.annotate import start_annotating
from fazhi_cli.validate.status import StatusReport, campaign_status
from fazhi_cli.workbook.filler import Answers, fill_cells
from fazhi_cli.workbook.generate import GenerateResult, write_workbooks
from fazhi_cli.workspace import Workspace, create_workspace, ledger_file_name

DEMO_MARKER = ".fazhi-demo"
SEED = 2017
NOT_RETURNING = ("区统计局", "区旅游局", "沙坝乡", "紫云乡", "青牛乡")
BROKEN = "区水务局"  # sends a truncated file and nothing else
RESUBMITS = "区交通运输局"  # first with a mistake, then corrected
ABOVE_CEILING = "区住建局"
TEXT_SCORE = "王家镇"
NO_NOTE = "区农业局"
SCRIPT_NOTE = "区商务局"
FORMULA_NOTE = "区林业局"
LATE = "明觉乡"
BY_EMAIL = ("区发改局",)
WRONG_FORM = ("区环保局", "区司法局")  # 区环保局 fills in 区司法局's form by mistake and sends it: held, then rejected
WRONG_FORM_ADDRESS = "unit23@example.invalid"  # 区环保局's address on the sample roster
WRONG_FORM_REASON = "经电话核实,系区环保局误用了区司法局的自评表,不予采用;已通知区环保局用本单位的表格报送"
ZIPPED = ("元坝镇", "卫子镇", "昭化镇", "拣银岩街道")
REASONS = ("部分制度未及时修订", "个别案卷归档不规范", "宣传报道数量不足", "培训计划执行不到位",
           "部分事项网上运行不及时", "台账资料不完整")
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TASK_NOTES = ("已按要求完成", "已制定方案并组织实施", "正在推进,预计年底完成", "")
APPROVED_BY = "区人民政府"
APPROVED_ON = "2018-01-15"
APPROVAL_DOC = "昭府函〔2018〕3号"
DISMISS_REASON = f"文件损坏无法打开,已电话告知{BROKEN};该单位未重新报送,按未报送处理"


def prepare_demo_folder(root: Path) -> None:
    """Empty a previous demo folder (only one this command made, recognised by its marker)."""
    if not root.exists():
        return
    if (root / DEMO_MARKER).is_file():
        shutil.rmtree(root)
        return
    if root.is_dir() and not any(root.iterdir()):
        return
    raise UsageError(f"{root} 已存在且不是演示文件夹", "请指定一个新的文件夹,例如 fazhi demo 演示。")


def create_demo_workspace(root: Path) -> Workspace:
    """A fresh workspace on the sample roster and the built-in rubric, marked as a demo."""
    prepare_demo_folder(root)
    workspace = create_workspace(root).workspace
    (root / DEMO_MARKER).write_text("fazhi demo workspace; `fazhi demo` may delete and recreate it\n", "utf-8")
    return workspace


def demo_answers(rubric: Rubric, unit: Unit, rng: random.Random) -> Answers:
    """What a conscientious unit reports: mostly clean facts, honest scores, reasons for lost points."""
    answers = Answers()
    type_rubric = rubric.for_type(unit.type)
    for item in type_rubric.items:
        for rule in item.rules:
            answers.facts.update(kind_of(rule).demo_answers(rule, rng))
        facts = _facts(answers)
        ceiling = scoring.item_ceiling(item, facts)
        modesty = type(ceiling)(rng.choice(["0", "0", "0", "0.5", "1"]))
        score = max(type(ceiling)(0), ceiling - modesty)
        answers.scores[item.id] = float(score)
        if score < item.max:
            answers.notes[item.id] = rng.choice(REASONS)
    if rng.random() < 0.15:
        claim = rng.choice(["B1", "B2"])
        answers.facts[claim] = "是"
        answers.evidence[claim] = "示范单位命名文件.pdf"
    answers.facts["P1"] = rng.choices([0, 1], weights=[92, 8])[0]
    answers.facts["P2"] = 0
    for task in rubric.tasks_for(unit.name, unit.type):
        status = rng.choices(["已完成", "推进中", "未启动"], weights=[80, 17, 3])[0]
        answers.tasks[task.number] = (status, rng.choice(TASK_NOTES))
    return answers


def _facts(answers: Answers) -> dict[str, bool | int]:
    return {k: (v == "是") if isinstance(v, str) else int(v) for k, v in answers.facts.items()}


def _with_mistakes(unit: Unit, rubric: Rubric, answers: Answers) -> Answers:
    """The typical mistakes a few units make."""
    type_rubric = rubric.for_type(unit.type)
    if unit.name in (ABOVE_CEILING, RESUBMITS):
        ruled = next(i for i in type_rubric.items if i.rules and kind_of(i.rules[0]) is COUNT)
        answers.facts[ruled.rules[0].id] = 2
        answers.scores[ruled.id] = float(ruled.max)
    if unit.name == TEXT_SCORE:
        answers.scores[type_rubric.items[1].id] = "八分"
    if unit.name == NO_NOTE:
        first = type_rubric.items[0]
        answers.scores[first.id] = _one_point_lost(first, answers)
        answers.notes.pop(first.id, None)
    if unit.name == SCRIPT_NOTE:
        first = type_rubric.items[0]
        answers.scores[first.id] = _one_point_lost(first, answers)
        answers.notes[first.id] = "<script>alert('x')</script>会议记录缺失"
    if unit.name == FORMULA_NOTE:
        first = type_rubric.items[0]
        answers.scores[first.id] = _one_point_lost(first, answers)
        answers.notes[first.id] = "=1+1 制度文件待补充"
    return answers


def _one_point_lost(item, answers: Answers) -> float:
    """A score one point under what the unit's own facts allow on `item` (a lost point, never above the ceiling)."""
    return float(max(scoring.item_ceiling(item, _facts(answers)) - 1, 0))


def _set_time(path: Path, moment: dt.datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


@dataclass(frozen=True)
class DemoReturns:
    """Where the demo's returned files are and what they hold."""

    folder: Path
    files: int


FILES_IN_PARALLEL = 8  # ~10 ms a file: a pool (forked in ~0.1 s) halves fifty of them


def _fill_job(job: tuple[Path, Path, Answers]) -> None:
    fill_cells(*job)  # as openpyxl would fill it (tests/test_demo_fill.py), without rewriting the whole book


def fill_demo_returns(workspace: Workspace, folder: Path) -> DemoReturns:
    """Write the units' returned files into `folder`: loose workbooks, an e-mail, a zip, a broken file."""
    rng = random.Random(SEED)
    campaign = workspace.campaign()
    rubric = workspace.rubric(campaign)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / ".staging"
    staging.mkdir(exist_ok=True)
    base = dt.datetime(campaign.year, 12, 1, 9, 0, tzinfo=CHINA)
    filled: dict[str, Path] = {}
    jobs: list[tuple[Path, Path, Answers]] = []  # filled on both cores once every unit's answers are drawn
    for index, unit in enumerate(workspace.units(campaign)):
        answers = demo_answers(rubric, unit, rng)
        if unit.name in NOT_RETURNING or unit.name == BROKEN:
            continue
        answers = _with_mistakes(unit, rubric, answers)
        source = workspace.outbox / f"{campaign.year}年度法治政府建设自评表_{unit.name}.xlsx"
        target = staging / f"{index:02d}.xlsx"
        jobs.append((source, target, copy.deepcopy(answers)))  # a resubmission changes `answers` below
        filled[unit.name] = target
        if unit.name == RESUBMITS:
            corrected = staging / f"{index:02d}-v2.xlsx"
            ruled = next(i for i in rubric.for_type(unit.type).items if i.rules and kind_of(i.rules[0]) is COUNT)
            answers.scores[ruled.id] = float(scoring.item_ceiling(ruled, _facts(answers)))
            answers.notes[ruled.id] = "已按核实情况修改"
            jobs.append((source, corrected, answers))
            filled[unit.name + "#2"] = corrected
    map_ordered(_fill_job, jobs, chunksize=4, parallel_from=FILES_IN_PARALLEL)
    count = 0
    for position, (key, path) in enumerate(sorted(filled.items())):
        name = key.split("#")[0]
        if name in BY_EMAIL or name in ZIPPED:
            continue
        suffix = "(修改版)" if key.endswith("#2") else ""
        target = folder / f"{name}自评表{suffix}.xlsx"
        shutil.move(path, target)
        day = dt.timedelta(days=position % 9, hours=position % 7)
        moment = base + day + (dt.timedelta(days=1) if key.endswith("#2") else dt.timedelta())
        if name == LATE:
            moment = dt.datetime(campaign.year, 12, 12, 16, 30, tzinfo=CHINA)
        _set_time(target, moment)
        count += 1
    count += _write_email(folder / "回执-区发改局.eml", {n: filled[n] for n in BY_EMAIL},
                          dt.datetime(campaign.year, 12, 8, 10, 15, tzinfo=CHINA))
    count += _write_zip(folder / "乡镇自评表.zip", {n: filled[n] for n in ZIPPED},
                        dt.datetime(campaign.year, 12, 9, 17, 40, tzinfo=CHINA))
    count += _write_wrong_form(workspace, rubric, folder / f"回执-{WRONG_FORM[0]}.eml",
                               dt.datetime(campaign.year, 12, 9, 11, 20, tzinfo=CHINA))
    broken = folder / f"{BROKEN}自评表.xlsx"
    source = workspace.outbox / f"{campaign.year}年度法治政府建设自评表_{BROKEN}.xlsx"
    broken.write_bytes(source.read_bytes()[:4000])
    _set_time(broken, base + dt.timedelta(days=5))
    shutil.rmtree(staging)
    return DemoReturns(folder, count + 1)


def _write_email(path: Path, workbooks: dict[str, Path], moment: dt.datetime) -> int:
    """An e-mail from a unit office: its workbook (GB2312-encoded name) and its 工作总结 as a PDF."""
    message = EmailMessage()
    message["From"] = "unit03@example.invalid"
    message["To"] = "fazhiban@example.invalid"
    message["Subject"] = "法治政府建设自评表及工作总结"
    message["Date"] = format_datetime(moment)
    message.set_content("法制办:附件为我单位自评表和年度法治政府建设工作总结,请查收。")
    for unit, workbook in workbooks.items():
        message.add_attachment(workbook.read_bytes(), maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               filename=("gb2312", "", f"{unit}自评表.xlsx"))
        message.add_attachment(DEMO_PDF, maintype="application", subtype="pdf",
                               filename=("gb2312", "", f"{unit}2017年度法治政府建设工作总结.pdf"))
    path.write_bytes(message.as_bytes())
    _set_time(path, moment)  # it reached the office when it was sent
    return 1


def _write_wrong_form(workspace: Workspace, rubric: Rubric, path: Path, moment: dt.datetime) -> int:
    """区环保局's e-mail with 区司法局's form filled in by mistake (named after 区环保局): the evidence (its address,
    the attachment's name) names another unit than the form's identity."""
    sender, owner = WRONG_FORM
    unit = next(u for u in workspace.units() if u.name == owner)
    staging = path.parent / ".staging" / "wrong.xlsx"
    source = workspace.outbox / f"{workspace.campaign().year}年度法治政府建设自评表_{owner}.xlsx"
    fill_cells(source, staging, demo_answers(rubric, unit, random.Random(SEED + 1)))
    message = EmailMessage()
    message["From"] = f"{sender} <{WRONG_FORM_ADDRESS}>"
    message["To"] = "fazhiban@example.invalid"
    message["Subject"] = f"{sender}法治政府建设自评表"
    message["Date"] = format_datetime(moment)
    message.set_content("法制办:附件为我单位自评表,请查收。")
    message.add_attachment(staging.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename=("gb2312", "", f"{sender}自评表.xlsx"))
    path.write_bytes(message.as_bytes())
    _set_time(path, moment)
    return 1


def settle_held_files(workspace: Workspace, report: ValidationReport) -> list[Settled]:
    """The clerk checks each held file with the units (by telephone) and rejects the wrong form, with the reason."""
    return [settle(workspace, REJECT, held.file_id, WRONG_FORM_REASON) for held in report.held
            if held.file_id is not None and held.units == (WRONG_FORM[1], WRONG_FORM[0])]


def _write_zip(path: Path, workbooks: dict[str, Path], moment: dt.datetime) -> int:
    """A township office's zip, written like a Chinese Windows tool: GBK names without the UTF-8 flag.

    zipfile always flags non-ASCII names as UTF-8, so members are written under ASCII placeholders of the
    same byte length, which are then replaced by the GBK bytes in the local and central headers.
    """
    buffer = io.BytesIO()
    swaps = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (unit, workbook) in enumerate(workbooks.items()):
            gbk = f"{unit}自评表.xlsx".encode("gbk")
            placeholder = f"@{number:03d}".ljust(len(gbk), "~").encode("ascii")
            info = zipfile.ZipInfo(placeholder.decode("ascii"), date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, workbook.read_bytes())
            swaps.append((placeholder, gbk))
    data = buffer.getvalue()
    for placeholder, gbk in swaps:
        data = data.replace(placeholder, gbk)
    path.write_bytes(data)
    _set_time(path, moment)
    return 1


def office_review(workspace: Workspace, folder: Path) -> list[Path]:
    """The office's 集中考核: write the review sheets and change a few scores, as the clerk would."""
    sheets = write_review_sheets(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for number, sheet_path in enumerate(sheets):
        book = openpyxl.load_workbook(sheet_path)
        sheet = book[SHEET_REVIEW]
        # the header row holds 单位名称 (found by title); lower item 1.2 of the first two units by one point,
        # each with the office's reason
        header = next(r for r in range(1, 16) if COL_UNIT in [c.value for c in sheet[r]])
        columns = {c.value: c.column for c in sheet[header]}
        lines = range(header + 1, sheet.max_row + 1)
        units = list(dict.fromkeys(sheet.cell(r, columns[COL_UNIT]).value for r in lines))
        second = [r for r in lines
                  if sheet.cell(r, columns[COL_ID]).value == "1.2"
                  and sheet.cell(r, columns[COL_UNIT]).value in units[:2]]
        for line in second:
            own = sheet.cell(line, columns["自评得分"]).value
            if isinstance(own, int | float) and own >= 1:
                sheet.cell(line, columns[COL_SCORE]).value = own - 1
                sheet.cell(line, columns[COL_REASON]).value = "经集中考核抽查,相关台账资料不完整"
        for line in lines:
            _settle_error(sheet, line, columns)
        target = folder / sheet_path.name
        book.save(target)
        _set_time(target, dt.datetime.now(CHINA) - dt.timedelta(minutes=number))
        changed.append(target)
    return changed


LEDGER_SHEETS = {INFO: "信息报送", CASES: "行政执法指导案例", SUMMARY: "工作总结"}
CASE_FAULT = "案例未经集体讨论评选,要素不全"


def _ledger_rows(sheet) -> tuple[int, dict[str, int], dict[str, int]]:
    """A ledger sheet's header line, its columns by title and each unit's first row (found by title, as the
    office's own spreadsheet macros would)."""
    header = next(r for r in range(1, 16) if "单位名称" in [c.value for c in sheet[r]])
    columns = {c.value: c.column for c in sheet[header] if c.value}
    rows: dict[str, int] = {}
    for line in range(header + 1, sheet.max_row + 1):
        rows.setdefault(sheet.cell(line, columns["单位名称"]).value, line)
    return header, columns, rows


def office_ledger(workspace: Workspace, folder: Path, validation: ValidationReport) -> Path:
    """The office's own records, as the clerk keeps them: `fazhi ledger`'s workbook filled in. The office counted
    one piece of information fewer in March than a department declared, found one department's guiding cases
    short of the requirement, received every other department's cases in time, and every returned unit's
    工作总结 (on paper where it did not come with the returns)."""
    campaign = workspace.campaign()
    rubric = workspace.rubric(campaign)
    book = openpyxl.load_workbook(write_ledger(workspace))
    info_sheet, case_sheet, summary_sheet = (book[LEDGER_SHEETS[r]] for r in (INFO, CASES, SUMMARY))
    departments = [r for r in validation.results if rubric.for_type(r.unit.type).ledger_rules(CASES)]
    counted = next(r for r in departments if _claims_information_ceiling(rubric, r))
    item, rule = rubric.for_type(counted.unit.type).ledger_rules(INFO)[0]
    _, columns, rows = _ledger_rows(info_sheet)
    for month, fact_id in enumerate(rule.fact_ids(), start=1):
        if fact_id not in rule.counted_fact_ids():
            continue  # a month not assessed: the office keeps no count of it for the assessment
        declared = int(counted.interpreted.facts.get(fact_id, rule.quota))
        info_sheet.cell(rows[counted.unit.name], columns[f"{month}月"]).value = declared - 1 if month == 3 else declared
    _, columns, rows = _ledger_rows(case_sheet)
    faulty = next(r for r in departments if r is not counted)
    for checked in departments:
        line = rows[checked.unit.name]
        case_sheet.cell(line, columns["收到日期"]).value = campaign.case_deadline - dt.timedelta(days=3)
        case_sheet.cell(line, columns["件数"]).value = 2
        case_sheet.cell(line, columns["是否符合要求"]).value = "否" if checked is faulty else "是"
        if checked is faulty:
            case_sheet.cell(line, columns["酌情扣分"]).value = 1
            case_sheet.cell(line, columns["理由"]).value = CASE_FAULT
    _, columns, rows = _ledger_rows(summary_sheet)
    for checked in validation.results:
        line = rows[checked.unit.name]
        if summary_sheet.cell(line, columns["收到日期"]).value is None:
            summary_sheet.cell(line, columns["收到日期"]).value = campaign.deadline - dt.timedelta(days=1)
            summary_sheet.cell(line, columns["文件"]).value = "工作总结(纸质)"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ledger_file_name(campaign.year)
    book.save(target)
    return target


def _claims_information_ceiling(rubric: Rubric, checked: CheckedUnit) -> bool:
    """A unit that declared two or more pieces in March and claimed the full score its facts allow on the item
    of the information rule (so one piece fewer in the office's count lowers its score)."""
    item, rule = rubric.for_type(checked.unit.type).ledger_rules(INFO)[0]
    facts = checked.interpreted.facts
    claimed = checked.interpreted.scores.get(item.id)
    march = rule.fact_ids()[2]
    return int(facts.get(march, 0)) >= 2 and claimed == scoring.item_ceiling(item, facts)


def _settle_error(sheet, line: int, columns: dict[str, int]) -> None:
    """The office settles the two validation errors the demo's units left, each with its reason: a score above
    the ceiling its facts imply (核定 at the ceiling), and a score written in words (核定 as the unit meant it)."""
    unit = sheet.cell(line, columns[COL_UNIT]).value
    own = sheet.cell(line, columns["自评得分"]).value
    ceiling = sheet.cell(line, columns["得分上限"]).value
    if unit == ABOVE_CEILING and isinstance(own, int | float) and isinstance(ceiling, int | float) and own > ceiling:
        sheet.cell(line, columns[COL_SCORE]).value = ceiling
        sheet.cell(line, columns[COL_REASON]).value = "自评得分超过其填报情形对应的得分上限,按上限核定"
    if unit == TEXT_SCORE and "八分" in str(sheet.cell(line, columns["问题"]).value or ""):
        sheet.cell(line, columns[COL_SCORE]).value = 8
        sheet.cell(line, columns[COL_REASON]).value = "自评得分填写为“八分”,经核实按 8 分核定"


def ingest_as_received(workspace: Workspace, inbox: Path) -> IngestReport:
    """Take the simulated returns in the order they reached the office, each at its simulated arrival time
    (the file's time set by `fill_demo_returns`) on the office's clock, as if the clerk had taken each one
    the moment it arrived during the first weeks of December."""
    report = IngestReport()
    for path in sorted(inbox.iterdir(), key=lambda p: (p.stat().st_mtime, p.name)):
        arrival = dt.datetime.fromtimestamp(path.stat().st_mtime, CHINA)
        batch = ingest_paths(workspace, [path], clock=lambda moment=arrival: moment)
        report.files.extend(batch.files)
    return report


def dismiss_refused(workspace: Workspace, reason: str) -> list[str]:
    """The clerk settles the files still refused (here: the broken one), each with `fazhi dismiss` and its reason;
    returns their names."""
    refused = validate_workspace(workspace).refused
    return [settle(workspace, DISMISS, finding.file_id, reason).file.original_name for finding in refused
            if finding.file_id is not None]


@dataclass
class DemoRun:
    """What each step of the demo produced, for the command to print."""

    workspace: Workspace
    generated: GenerateResult
    returns: DemoReturns
    ingested: IngestReport
    validation: ValidationReport
    annotated: Annotated
    status: StatusReport
    settled: list[Settled]
    reviewed: IngestReport
    board: Scoreboard
    dismissed: list[str]
    approval: Approval
    reports: ReportFiles
    notice: NoticeFile
    letters: LetterFiles
    seconds: float
    ledger: IngestReport = field(default_factory=IngestReport)  # the office's ledger taken back
    mailed: MailReport = field(default_factory=lambda: MailReport("send", True))  # `fazhi send --dry-run`


STEPS = ("建立考核工作区", "生成自评表", "各单位填报并报回(模拟)", "收取", "校验并生成退回修改表",
         "法制办集中考核:台账和复核打分表", "计分和排名(初步结果)", "处理退回文件,报区政府审定", "出具报告(审定结果)",
         "出具公文:考核结果通报和反馈函")

def _on_calendar(year: int, month: int, day: int, hour: int) -> dt.datetime:
    """A moment of the demo's own year-end calendar (the office's clock is simulated step by step, so that its
    decisions, the ledger's due dates and the approval fall where a real campaign's would)."""
    return dt.datetime(year, month, day, hour, 0, tzinfo=CHINA)


def _office_goes_on(workspace: Workspace, year: int, validation: ValidationReport,
                    on_step: Callable[[str], None]) -> tuple[list[Settled], StatusReport, IngestReport, IngestReport]:
    """After validation: the held files settled and the status taken, then the 集中考核 (the office's ledger and
    review sheets filled and taken back, after the guiding cases were due)."""
    with simulated_now(_on_calendar(year, 12, 13, 9)):
        settled = settle_held_files(workspace, validation)
        status = campaign_status(workspace)
    on_step(STEPS[5])
    with simulated_now(_on_calendar(year, 12, 21, 10)):
        ledger = ingest_paths(workspace, [office_ledger(workspace, workspace.root / "ledger-returned", validation)])
        reviewed = ingest_paths(workspace, office_review(workspace, workspace.root / "review-returned"))
    return settled, status, ledger, reviewed


def run_demo(root: Path, on_step: Callable[[str], None] = lambda _: None, make_pdf: bool = False) -> DemoRun:
    """The whole year-end job on the sample data, step by step (`on_step` is told each step's name); the
    documents' PDFs only with `make_pdf` (LibreOffice takes longer than the rest of the demo together)."""
    started = time.perf_counter()
    on_step(STEPS[0])
    workspace = create_demo_workspace(root)
    year = workspace.campaign().year
    with workspace.lock():
        on_step(STEPS[1])
        with simulated_now(_on_calendar(year, 11, 20, 9)):
            generated = write_workbooks(workspace)
            mailed = send_workbooks(workspace, dry_run=True)  # the messages written as .eml files, none sent
        on_step(STEPS[2])
        returns = fill_demo_returns(workspace, workspace.inbox)
        on_step(STEPS[3])
        ingested = ingest_as_received(workspace, workspace.inbox)
        on_step(STEPS[4])
        with simulated_now(_on_calendar(year, 12, 13, 9)):
            validation = validate_workspace(workspace)
            annotating = start_annotating(workspace, validation)  # made by the pool while the office goes on
        try:
            settled, status, ledger, reviewed = _office_goes_on(workspace, year, validation, on_step)
        except BaseException:
            with contextlib.suppress(Exception):
                annotating()  # the pool is never left running
            raise
        annotated = annotating()
        on_step(STEPS[6])
        with simulated_now(_on_calendar(year, 12, 22, 9)):
            board = compute_scores(workspace)
        on_step(STEPS[7])
        with simulated_now(_on_calendar(year + 1, 1, 15, 16)):
            dismissed = dismiss_refused(workspace, DISMISS_REASON)
            approval = approve_results(workspace, APPROVED_BY, APPROVED_ON, APPROVAL_DOC, accept_missing=True)
        with simulated_now(_on_calendar(year + 1, 1, 16, 9)):
            on_step(STEPS[8])
            reports = write_reports(workspace)
            on_step(STEPS[9])
            notice, letters = write_documents(workspace, make_pdf=make_pdf, board=approval.board)
    elapsed = time.perf_counter() - started
    return DemoRun(workspace, generated, returns, ingested, validation, annotated, status, settled, reviewed, board,
                   dismissed, approval, reports, notice, letters, elapsed, ledger, mailed)
