"""The demo's simulated units: what each answers (seeded, so the same every run, but varied facts and scores), the
typical mistakes a few of them make, and the files they send back: loose workbooks, an e-mail with a
GB2312-encoded attachment name, a zip from a township office with GBK names, one broken file, one resubmission,
and one unit's form filled in and sent by another unit."""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import random
import shutil
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from fazhi_cli.domain import scoring
from fazhi_cli.domain.kinds import COUNT, kind_of
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.infra.parallel import map_ordered
from fazhi_cli.workbook.filler import Answers, fill_cells
from fazhi_cli.workspace import Workspace

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
ZIPPED = ("元坝镇", "卫子镇", "昭化镇", "拣银岩街道")
REASONS = ("部分制度未及时修订", "个别案卷归档不规范", "宣传报道数量不足", "培训计划执行不到位",
           "部分事项网上运行不及时", "台账资料不完整")
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TASK_NOTES = ("已按要求完成", "已制定方案并组织实施", "正在推进,预计年底完成", "")
# 区发改局 names its evidence on three items (in capitals, without an extension, in full-width digits) and sends
# the files with its e-mail, all but the 签到表 it names on 6.3: one evidence_missing warning.
EVIDENCE_NAMED = {"1.1": "重大行政决策目录.PDF", "6.1": "第一责任人职责清单",
                  "6.3": "２０１７年学法计划.pdf、培训签到表.jpg"}
EVIDENCE_SENT = ("重大行政决策目录.pdf", "第一责任人职责清单.pdf", "2017年学法计划.pdf")


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


def set_file_time(path: Path, moment: dt.datetime) -> None:
    """Date a file at `moment` (when it reached the office, as ingest reads it)."""
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
        if unit.name in BY_EMAIL:
            answers.evidence.update(EVIDENCE_NAMED)
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
        set_file_time(target, moment)
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
    set_file_time(broken, base + dt.timedelta(days=5))
    shutil.rmtree(staging)
    return DemoReturns(folder, count + 1)


def _write_email(path: Path, workbooks: dict[str, Path], moment: dt.datetime) -> int:
    """An e-mail from a unit office: its workbook (GB2312-encoded name), its 工作总结 as a PDF and the evidence files
    its items name."""
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
        for number, name in enumerate(EVIDENCE_SENT):  # each its own bytes, as real files would be
            message.add_attachment(DEMO_PDF + f"% {number}\n".encode(), maintype="application", subtype="pdf",
                                   filename=("gb2312", "", name))
    path.write_bytes(message.as_bytes())
    set_file_time(path, moment)  # it reached the office when it was sent
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
    set_file_time(path, moment)
    return 1


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
    set_file_time(path, moment)
    return 1
