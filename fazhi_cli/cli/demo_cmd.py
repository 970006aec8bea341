"""`fazhi demo`: the whole year-end job on the sample data, each step printed as the clerk would see it."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.markup import escape
from rich.rule import Rule

from fazhi_cli import services
from fazhi_cli.cli.output import console
from fazhi_cli.cli.results_cmd import scores_table
from fazhi_cli.cli.returns_cmd import ingest_table, print_status
from fazhi_cli.demo import create_demo_workspace, fill_demo_returns, office_review
from fazhi_cli.ingest import ingest_paths
from fazhi_cli.report import write_reports
from fazhi_cli.review import take_review_sheet
from fazhi_cli.scores import compute_scores
from fazhi_cli.status import campaign_status
from fazhi_cli.validation import annotate, validate_workspace


def _step(title: str) -> None:
    console.print(Rule(f"[bold]{title}[/]", align="left"))


def demo(folder: Path = typer.Argument(Path("fazhi-demo"), help="演示工作区文件夹(默认 fazhi-demo)。")) -> None:
    """用示例数据演示年终考核全流程:建立工作区、生成自评表、模拟各单位报回、收取、校验、复核、计分、出报告。

    演示文件夹由本命令建立;再次运行时会清空重建(只清空本命令建立的演示文件夹)。

    示例:

      fazhi demo

      fazhi demo /tmp/演示
    """
    started = time.perf_counter()
    _step("1. 建立考核工作区")
    workspace = create_demo_workspace(folder)
    console.print(f"工作区:{escape(str(workspace.root))}(示例单位名单 55 个,内置 2017 年昭化区评分细则)")

    _step("2. 生成自评表")
    generated = services.generate_workbooks(workspace.root)
    console.print(f"已生成 {len(generated.written)} 份自评表,在 {escape(str(generated.folder))}")

    _step("3. 各单位填报并报回(模拟:含邮件、压缩包、一份损坏文件、一次重新报送)")
    returns = fill_demo_returns(workspace, workspace.inbox)
    console.print(f"收件箱中有 {returns.files} 个文件/邮件/压缩包:{escape(str(returns.folder))}")

    _step("4. 收取")
    report = ingest_paths(workspace, [workspace.inbox], review_handler=take_review_sheet)
    console.print(ingest_table(report))

    _step("5. 校验并生成退回修改表")
    validation = validate_workspace(workspace)
    errors = sum(r.errors for r in validation.results)
    warnings = sum(r.warnings for r in validation.results)
    annotated = annotate(workspace, validation)
    console.print(f"{len(validation.results)} 个单位:错误 {errors},警告 {warnings};被退回的文件 "
                  f"{len(validation.refused)} 个;退回修改表 {len(annotated)} 份,在 {escape(str(workspace.returns))}")
    print_status(campaign_status(workspace))

    _step("6. 法制办集中考核:复核打分表")
    reviewed = office_review(workspace, workspace.root / "review-returned")
    review_report = ingest_paths(workspace, reviewed, review_handler=take_review_sheet)
    for item in review_report.files:
        console.print(f"{escape(item.name)}:{escape(item.message)}")

    _step("7. 计分和排名")
    board = compute_scores(workspace)
    for unit_type in board.rubric.types:
        console.print(scores_table(board, unit_type))

    _step("8. 出具报告")
    files = write_reports(workspace)
    console.print(f"汇总表:{escape(str(files.summary_workbook))}")
    console.print(f"汇总页:{escape(str(files.summary_page))}")
    console.print(f"反馈页:{len(files.feedback_pages)} 个,在 {escape(str(files.summary_page.parent / 'feedback'))}")
    elapsed = time.perf_counter() - started
    console.print(f"[green]演示完成[/],用时 {elapsed:.1f} 秒。报告在 {escape(str(workspace.reports))}")
