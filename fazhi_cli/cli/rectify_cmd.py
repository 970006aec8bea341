"""`fazhi rectify …`: 整改 after the 通报 — the units' 整改 workbooks, where each item stands, the office's 销号 and the
整改情况通报."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.chinese import ChineseGroup
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, messages, note, print_json, safe

app = typer.Typer(
    help="整改:考核结果审定并通报后,各失分单位逐项整改,法制办复核销号。\n\n"
    "先 fazhi rectify generate 生成各单位的整改清单,fazhi send --rectify 发出;收回用 fazhi ingest;"
    "fazhi rectify status 查看进度;fazhi rectify review-sheet 生成整改复核表,填写销号后用 fazhi ingest 收回;"
    "fazhi rectify notice 生成整改情况通报。",
    no_args_is_help=True,
    cls=ChineseGroup,
)

NoPdfOption = typer.Option(False, "--no-pdf", help="不调用 LibreOffice 生成 PDF,只生成 Word 文档。")
STATE_STYLES = {"open": "red", "in_progress": "yellow", "reported": "cyan", "closed": "green"}


@app.command("generate")
def generate(
    unit: list[str] = typer.Option(None, "--unit", "-u",
                                   help="只生成这些单位(可重复);省略时为每个失分(或有特别扣分)的单位生成。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """为每个失分(或有特别扣分)的单位生成整改清单(Excel),放在 outbox/整改/。

    考核结果审定后才能生成。每份整改清单逐项列出该单位的扣分项目和问题(依据评分细则、法制办核定理由和单位的
    扣分说明),单位填写整改措施、完成情况(已完成/推进中/未启动)、完成时间和佐证材料后报回,
    用 fazhi ingest 收取。每次生成都覆盖同名文件。

    示例:

      fazhi rectify generate

      fazhi rectify generate --unit 区发改局 --unit 元坝镇
    """
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=messages, transient=True) as progress:
        task = progress.add_task("生成整改清单", total=None)

        def advance(done_unit: str, total: int) -> None:
            progress.update(task, advance=1, total=total, description=f"生成整改清单 {safe(done_unit)}")

        result = api.rectify_generate(unit, workspace, on_progress=advance)
    console.print(f"[green]✓[/] 已生成 {len(result.written)} 份整改清单(整改截止日期 {result.deadline.isoformat()}),"
                  f"保存在 {safe(str(result.folder))}")
    if result.owe_nothing:
        note(f"[yellow]这些单位没有失分项目,无需整改,未生成:[/]{safe('、'.join(result.owe_nothing))}")
    if result.written:
        note("下一步:fazhi send --rectify 发给各单位;单位报回后用 fazhi ingest 收取,fazhi rectify status 查看进度。")


@app.command("status")
def status(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """整改进度:各单位各问题未报告、整改中、已报完成(待销号)或已销号,以及逾期未完成的单位(按法制办的时钟)。

    示例:

      fazhi rectify status

      fazhi rectify status --json
    """
    view = api.rectify_status(workspace)
    if as_json:
        print_json(api.rectify_status_json(view))
        return
    print_rectify_status(view)


@app.command("review-sheet")
def review_sheet(workspace: Path = WorkspaceOption) -> None:
    """生成整改复核表(销号),放在工作区的 review/ 文件夹。

    每个须整改单位的每个问题一行,列出单位报回的完成情况、整改措施、完成时间和佐证材料;法制办在“销号”中选择
    “是”或“否”并填写“复核意见”,再用 fazhi ingest 直接指定该文件收回。单位未报“已完成”的问题销号时必须写明复核意见。
    已销号的问题预填“是”,改为“否”即撤回销号。结果审定前不能生成(退出码 2)。

    示例:

      fazhi rectify review-sheet

      fazhi ingest review/2017年度法治政府建设整改复核表.xlsx
    """
    path = api.rectify_review_sheet(workspace)
    console.print(f"[green]✓[/] 已生成 {safe(str(path))}")
    note("填写“销号”和“复核意见”后,用 fazhi ingest 直接指定该文件收回;每项销号记入 fazhi log。")


def print_rectify_status(view: api.RectifyView) -> None:
    """The 整改 as a table per unit and item, then the counts and who is overdue."""
    table = Table(title=f"整改进度(截止 {view.deadline.isoformat()},今天 {view.today.isoformat()})")
    for column in ("单位", "编号", "问题", "扣分", "状态"):
        table.add_column(column, overflow="fold")
    for unit in view.units:
        for item in unit.items:
            state = unit.state(item.ref)
            label = f"[{STATE_STYLES[state]}]{api.RECTIFY_STATE_LABELS[state]}[/]"
            table.add_row(safe(unit.unit), item.ref, safe(item.problem[:60]), api.format_cents(item.deduction), label)
    console.print(table)
    summary = view.summary
    counts = ",".join(f"{api.RECTIFY_STATE_LABELS[s]} {n}" for s, n in summary.by_state.items())
    console.print(f"{summary.units} 个单位、{summary.items} 个问题:{counts}。")
    if summary.overdue:
        console.print(f"[bold red]已过整改截止日期仍未完成:{safe('、'.join(summary.overdue))}[/]")


@app.command("notice")
def notice(
    doc_no: str = typer.Option(
        None, "--doc-no", help="发文字号,例如 昭府法办〔2018〕9号;省略时用 fazhi.toml 中的设置([documents] doc_no)。"),
    no_pdf: bool = NoPdfOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """生成整改情况通报(Word,按 GB/T 9704 党政机关公文格式,与考核结果通报同一版式),放在 reports/。

    只能在考核结果审定后生成。正文按法制办时钟的当天写成:需整改的单位和问题数,已销号、已报完成待销号、
    整改中和未报告的问题数,超过整改截止日期仍未完成的单位及其问题(或全部完成的说明),对逾期单位限期整改
    的要求;附件为各单位整改情况统计表。成文日期为当天。装有 LibreOffice 时同时生成 PDF。工作区 templates/
    中的 rectify-notice.docx 优先于内置模板。

    示例:

      fazhi rectify notice

      fazhi rectify notice --doc-no 昭府法办〔2018〕9号 --no-pdf
    """
    made = api.rectify_notice(workspace, doc_no, pdf=not no_pdf)
    console.print(f"[green]✓[/] 整改情况通报:{safe(str(made.document))}")
    if made.pdf:
        console.print(f"[green]✓[/] PDF:{safe(str(made.pdf))}")
    summary = made.view.summary
    console.print(f"{summary.units} 个单位、{summary.items} 个问题,已销号 {summary.closed} 个。")
    if summary.overdue:
        console.print(f"[bold red]逾期未完成整改:{safe('、'.join(summary.overdue))}[/]")
    if made.pdf_note:
        note(f"[yellow]{safe(made.pdf_note)}[/]")
