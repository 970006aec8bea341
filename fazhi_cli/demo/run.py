"""The demo's year-end played in order on the office's simulated clock: a fresh demo workspace, then each step
(`STEPS`) by the product's own commands, the units' and the clerk's parts simulated (`units`, `office`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_cli.approval import Approval, approve_results
from fazhi_cli.demo.office import (
    COMPONENT,
    COMPONENT_WEIGHT,
    DISMISS_REASON,
    add_demo_grades,
    dismiss_refused,
    ingest_as_received,
    office_components,
    office_ledger,
    office_review,
    settle_held_files,
    teams_review,
)
from fazhi_cli.demo.rectify import fill_rectify_returns, office_closes
from fazhi_cli.demo.units import DemoReturns, fill_demo_returns
from fazhi_cli.documents import LetterFiles, NoticeFile, write_documents, write_notice
from fazhi_cli.documents.rectify_notice import RectifyNoticeFile, write_rectify_notice
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA, simulated_now
from fazhi_cli.ingest import IngestReport, ingest_paths
from fazhi_cli.ingest.settle import Settled
from fazhi_cli.mail import MailReport, send_rectification, send_workbooks
from fazhi_cli.rectify.generate import RectifyGenerated, write_rectify_workbooks
from fazhi_cli.rectify.review import write_rectify_review
from fazhi_cli.reports import ReportFiles, write_reports
from fazhi_cli.scoring import Scoreboard, compute_scores
from fazhi_cli.validate import Annotated, ValidationReport, validate_workspace
from fazhi_cli.validate.annotate import start_annotating
from fazhi_cli.validate.status import StatusReport, campaign_status
from fazhi_cli.workbook.generate import GenerateResult, write_workbooks
from fazhi_cli.workspace import Workspace, create_workspace, set_setting

DEMO_MARKER = ".fazhi-demo"
APPROVED_BY = "区人民政府"
APPROVED_ON = "2018-01-15"
APPROVAL_DOC = "昭府函〔2018〕3号"
RECTIFY_NOTICE_DOC = "昭府法办〔2018〕9号"


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
    request: NoticeFile | None = None  # the 请示 of the preliminary results, sent up for approval
    rectification: DemoRectification | None = None  # the 整改 after the 通报
    components: IngestReport = field(default_factory=IngestReport)  # the 第三方评估 component sheet taken back


@dataclass
class DemoRectification:
    """What the demo's 整改 produced: the 整改清单 and their mail, the returns taken, the office's 销号, the
    整改情况通报 and the reports written again with the 整改 progress."""

    generated: RectifyGenerated
    mailed: MailReport
    returned: IngestReport
    closed: IngestReport
    notice: RectifyNoticeFile
    reports: ReportFiles


STEPS = ("建立考核工作区", "生成自评表", "各单位填报并报回(模拟)", "收取", "校验并生成退回修改表",
         "法制办集中考核:台账和复核打分表", "计分和排名(初步结果)", "处理退回文件,报区政府审定", "出具报告(审定结果)",
         "出具公文:考核结果通报和反馈函", "整改:下发整改清单", "各单位报送整改情况(模拟)并收取",
         "法制办复核销号:整改复核表", "整改情况通报")


def _on_calendar(year: int, month: int, day: int, hour: int) -> dt.datetime:
    """A moment of the demo's own year-end calendar (the office's clock is simulated step by step, so that its
    decisions, the ledger's due dates and the approval fall where a real campaign's would)."""
    return dt.datetime(year, month, day, hour, 0, tzinfo=CHINA)


def _office_goes_on(workspace: Workspace, year: int, validation: ValidationReport,
                    on_step: Callable[[str], None]
                    ) -> tuple[list[Settled], StatusReport, IngestReport, IngestReport, IngestReport]:
    """After validation: the held files settled and the status taken, then the 集中考核 (the office's ledger,
    review sheets and the 第三方评估 component sheet filled and taken back, after the guiding cases were due)."""
    with simulated_now(_on_calendar(year, 12, 13, 9)):
        settled = settle_held_files(workspace, validation)
        status = campaign_status(workspace)
    on_step(STEPS[5])
    with simulated_now(_on_calendar(year, 12, 21, 10)):
        ledger = ingest_paths(workspace, [office_ledger(workspace, workspace.root / "ledger-returned", validation)])
        sheets = office_review(workspace, workspace.root / "review-returned")
        sheets += teams_review(workspace, sheets, workspace.root / "review-returned")
        reviewed = ingest_paths(workspace, sheets)
        components = ingest_paths(workspace, [office_components(workspace, workspace.root / "review-returned")])
    return settled, status, ledger, reviewed, components


def _rectification(workspace: Workspace, year: int, make_pdf: bool,
                   on_step: Callable[[str], None]) -> DemoRectification:
    """After the 通报: the 整改清单 written and mailed (a dry run), the units' returns taken as they arrive (one after
    the deadline), the office's 销号 taken back, and the 整改情况通报 with the reports written again."""
    on_step(STEPS[10])
    with simulated_now(_on_calendar(year + 1, 1, 20, 9)):
        generated = write_rectify_workbooks(workspace)
        mailed = send_rectification(workspace, dry_run=True)
    on_step(STEPS[11])
    folder = workspace.root / "整改报回"
    fill_rectify_returns(generated.written, folder, generated.deadline)
    returned = ingest_as_received(workspace, folder)
    on_step(STEPS[12])
    with simulated_now(_on_calendar(year + 1, 4, 8, 10)):
        sheet = office_closes(write_rectify_review(workspace), workspace.root / "review-returned")
        closed = ingest_paths(workspace, [sheet])
    on_step(STEPS[13])
    with simulated_now(_on_calendar(year + 1, 4, 10, 9)):
        notice = write_rectify_notice(workspace, RECTIFY_NOTICE_DOC, make_pdf)
        reports = write_reports(workspace)
    return DemoRectification(generated, mailed, returned, closed, notice, reports)


def run_demo(root: Path, on_step: Callable[[str], None] = lambda _: None, make_pdf: bool = False) -> DemoRun:
    """The whole year-end job on the sample data, step by step (`on_step` is told each step's name); the
    documents' PDFs only with `make_pdf` (LibreOffice takes longer than the rest of the demo together)."""
    started = time.perf_counter()
    on_step(STEPS[0])
    workspace = create_demo_workspace(root)
    year = workspace.campaign().year
    with workspace.lock():
        set_setting(workspace, f"components.{COMPONENT}", COMPONENT_WEIGHT)  # a 第三方评估 beside the rubric
        add_demo_grades(workspace)  # 优秀 capped at 30 % of each type
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
            settled, status, ledger, reviewed, components = _office_goes_on(workspace, year, validation, on_step)
        except BaseException:
            with contextlib.suppress(Exception):
                annotating()  # the pool is never left running
            raise
        annotated = annotating()
        on_step(STEPS[6])
        with simulated_now(_on_calendar(year, 12, 22, 9)):
            board = compute_scores(workspace)
            request = write_notice(workspace, make_pdf=make_pdf, board=board)
        on_step(STEPS[7])
        with simulated_now(_on_calendar(year + 1, 1, 15, 16)):
            dismissed = dismiss_refused(workspace, DISMISS_REASON)
            approval = approve_results(workspace, APPROVED_BY, APPROVED_ON, APPROVAL_DOC, accept_missing=True)
        with simulated_now(_on_calendar(year + 1, 1, 16, 9)):
            on_step(STEPS[8])
            reports = write_reports(workspace)
            on_step(STEPS[9])
            notice, letters = write_documents(workspace, make_pdf=make_pdf, board=approval.board)
        rectification = _rectification(workspace, year, make_pdf, on_step)
    elapsed = time.perf_counter() - started
    return DemoRun(workspace, generated, returns, ingested, validation, annotated, status, settled, reviewed, board,
                   dismissed, approval, reports, notice, letters, elapsed, ledger, mailed, request, rectification,
                   components=components)
