"""`fazhi demo`: the whole year-end job on the sample data, each step printed as the clerk would see it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.rule import Rule

from fazhi_cli import api
from fazhi_cli.cli.decisions_cmd import print_moved_down
from fazhi_cli.cli.output import console, messages, safe
from fazhi_cli.cli.results_cmd import print_score_tables, state_line
from fazhi_cli.cli.returns_cmd import ingest_table, print_status


def _step(number: int) -> None:
    console.print(Rule(f"[bold]{number}. {api.DEMO_STEPS[number - 1]}[/]", align="left"))


def print_demo(run: api.DemoRun, pdf: bool = False) -> None:
    """Each step's result, in order (`pdf`: the documents' PDFs were asked for)."""
    _step(1)
    console.print(f"工作区:{safe(str(run.workspace.root))}"
                  "(示例单位名单 55 个,其中考核 54 个,内置 2017 年昭化区评分细则)")
    _step(2)
    console.print(f"已生成 {len(run.generated.written)} 份自评表,在 {safe(str(run.generated.folder))}")
    written = [o for o in run.mailed.outcomes if o.path is not None]
    if written:
        console.print(f"fazhi send --dry-run:已写出 {len(written)} 封下发邮件(未发送),在 "
                      f"{safe(str(written[0].path.parent))};配置 fazhi.toml 的 \\[mail] 后用 fazhi send 发出")
    _step(3)
    console.print(f"收件箱中有 {run.returns.files} 个文件/邮件/压缩包(含邮件、压缩包、一份损坏文件、一次重新报送):"
                  f"{safe(str(run.returns.folder))}")
    _step(4)
    console.print(ingest_table(run.ingested))
    _step(5)
    results = run.validation.results
    errors, warnings = sum(r.errors for r in results), sum(r.warnings for r in results)
    console.print(f"{len(results)} 个单位:错误 {errors},警告 {warnings};"
                  f"被退回的文件 {len(run.validation.refused)} 个;待确认的文件 {len(run.validation.held)} 个;"
                  f"退回修改表 {len(run.annotated.written)} 份,"
                  f"在 {safe(str(run.workspace.returns))}")
    for done in run.settled:
        console.print(f"[bold yellow]待确认[/] 文件 {done.file.id}「{safe(done.file.original_name)}」:"
                      f"身份是 {safe(done.file.unit or '')} 的自评表,证据指向 {safe(done.file.other_unit or '')}。"
                      f"法制办核实后 fazhi reject {done.file.id} --reason \"{safe(done.reason)}\"")
        current = done.current.original_name if done.current else "未报送"
        console.print(f"  {safe(done.unit or '')} 的当前报送仍为「{safe(current)}」,该文件不再待处理。")
    print_status(run.status)
    _step(6)
    for item in run.ledger.files:
        console.print(f"台账 {safe(item.name)}:{safe(item.message)}")
    for item in run.reviewed.files:
        console.print(f"{safe(item.name)}:{safe(item.message)}")
    for item in run.components.files:
        console.print(f"{safe(item.name)}:{safe(item.message)}")
    _step(7)
    console.print(state_line(run.board.state))
    print_score_tables(run.board)
    if run.request is not None:
        console.print(f"请示:{safe(str(run.request.document))}")
        if run.request.pdf:
            console.print(f"PDF:{safe(str(run.request.pdf))}")
    _step(8)
    for name in run.dismissed:
        console.print(f"被退回的文件 {safe(name)}:不再处理(fazhi dismiss,理由记入 fazhi log)")
    approval = run.approval
    if approval.missing:
        console.print(f"按未报送审定的单位 {len(approval.missing)} 个(--accept-missing):"
                      f"{'、'.join(safe(m) for m in approval.missing)}")
    console.print(f"[green]✓[/] {safe(approval.state.headline)};结果快照 SHA-256 {approval.state.snapshot[:16]}…")
    print_moved_down(approval)
    _step(9)
    files = run.reports
    console.print(state_line(files.state))
    console.print(f"汇总表:{safe(str(files.summary_workbook))}")
    console.print(f"汇总页:{safe(str(files.summary_page))}")
    console.print(f"反馈页:{len(files.feedback_pages)} 个,在 {safe(str(files.summary_page.parent / 'feedback'))}")
    _step(10)
    notice, letters = run.notice, run.letters
    console.print(f"{safe(notice.state.label)}:{safe(str(notice.document))}")
    if notice.pdf:
        console.print(f"PDF:{safe(str(notice.pdf))}")
    console.print(f"反馈函:{len(letters.documents)} 份,在 {safe(str(letters.folder))}"
                  + (f"(另有 PDF {len(letters.pdfs)} 份)" if letters.pdfs else ""))
    if pdf:
        for text in dict.fromkeys((notice.pdf_note, letters.pdf_note)):
            if text:
                console.print(f"[yellow]{safe(text)}[/]")
    else:
        folder = safe(str(run.workspace.root))
        console.print(f"演示只生成 Word 文档。需要 PDF(装有 LibreOffice)时运行 fazhi demo --pdf,或 "
                      f"fazhi notice -w {folder} 和 fazhi feedback-letters -w {folder}")
    if run.rectification is not None:
        print_rectification(run.rectification)
    console.print(f"[green]演示完成[/],用时 {run.seconds:.1f} 秒。报告在 {safe(str(run.workspace.reports))}")


def print_rectification(done: api.DemoRectification) -> None:
    """Steps 11–14: the 整改清单 out, the returns taken, the office's 销号, the 整改情况通报."""
    _step(11)
    generated = done.generated
    console.print(f"已生成 {len(generated.written)} 份整改清单(失分单位各一份,整改截止 "
                  f"{generated.deadline.isoformat()}),在 {safe(str(generated.folder))}")
    written = [o for o in done.mailed.outcomes if o.path is not None]
    if written:
        console.print(f"fazhi send --rectify --dry-run:已写出 {len(written)} 封整改通知(未发送)")
    _step(12)
    taken = [f for f in done.returned.files if f.unit]
    console.print(f"收到整改清单 {len(taken)} 份(另有 {len(generated.written) - len(taken)} 个单位未报送);"
                  "需要注意的:")
    for item in taken:
        if "逾期" in item.message or "错误" in item.message:
            console.print(f"  {safe(item.unit)}:{safe(item.message)}")
    _step(13)
    for item in done.closed.files:
        console.print(f"{safe(item.name)}:{safe(item.message)}")
    _step(14)
    notice = done.notice
    summary = notice.view.summary
    console.print(f"整改情况通报:{safe(str(notice.document))}")
    if notice.pdf:
        console.print(f"PDF:{safe(str(notice.pdf))}")
    console.print(f"{summary.units} 个单位 {summary.items} 个问题,已销号 {summary.closed};"
                  f"逾期未完成:{safe('、'.join(summary.overdue)) or '无'}")
    console.print(f"汇总页(含整改进度):{safe(str(done.reports.summary_page))}")


def demo(
    folder: Path = typer.Argument(Path("fazhi-demo"), help="演示工作区文件夹(默认 fazhi-demo)。"),
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 生成通报和反馈函的 PDF(多用十几秒)。"),
) -> None:
    """用示例数据演示年终考核全流程:建立工作区、生成自评表、模拟各单位报回、收取、校验、复核、计分、审定、出报告和公文。

    演示文件夹由本命令建立;再次运行时会清空重建(只清空本命令建立的演示文件夹)。公文只生成 Word 文档,
    加 --pdf 时同时生成 PDF。

    示例:

      fazhi demo

      fazhi demo /tmp/演示 --pdf
    """
    with messages.status("演示进行中") as status:
        run = api.demo(folder, on_step=lambda name: status.update(f"演示进行中:{name}"), pdf=pdf)
    print_demo(run, pdf)
