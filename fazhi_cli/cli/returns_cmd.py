"""`fazhi ingest`, `fazhi validate` and `fazhi status`: the returned files and where each unit stands."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.api import OUTCOME_LABELS, FileOutcome, IngestReport, StatusReport, ValidationReport
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, messages, note, print_json, safe

OUTCOME_STYLES = {"taken": "green", "superseded": "cyan", "duplicate": "yellow", "refused": "bold red",
                  "held": "bold yellow", "material": "blue", "unpacked": "dim", "review": "magenta",
                  "ledger": "magenta", "skipped": "dim"}


def ingest(
    paths: list[Path] = typer.Argument(..., help="收到的文件:.xlsx、文件夹(含子文件夹)、.eml 邮件、.zip 压缩包。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """收取各单位报回的文件:原样存档、识别单位、读取自评内容。

    单位根据表内身份信息识别,与文件名无关;同一内容重复报送只计一次;同一单位再次报送时以最后收到的为准,
    历史版本保留。损坏、加密、旧格式、其他考核的文件会被退回并说明原因;与自评表同一邮件或压缩包中的
    工作总结、佐证材料作为该单位的材料存档。有文件被退回时退出码为 1。

    示例:

      fazhi ingest 收件箱/

      fazhi ingest 回执.eml 乡镇材料.zip 区发改局.xlsx
    """
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=messages,
                  transient=True) as progress:
        task = progress.add_task("正在收取", total=None)

        def advance(outcome: FileOutcome) -> None:
            progress.update(task, advance=1, description=f"正在收取 {safe(outcome.name)}")

        report = api.ingest(paths, workspace, on_file=advance)
    console.print(ingest_table(report))
    counts = ",".join(f"{label} {report.count(key)}" for key, label in OUTCOME_LABELS.items() if report.count(key))
    console.print(f"共处理 {len(report.files)} 个文件:{counts or '无'}")
    if report.count("held"):
        note("[bold yellow]有文件待确认[/]:身份信息校验未通过,或发件地址、文件名指向另一个单位,未计入任何单位。"
             "请与相关单位核实后用 fazhi accept 或 fazhi reject 处理(fazhi files 列出编号)。")
    if report.count("refused"):
        note("[bold red]有文件被退回[/],请把“说明”一栏转告报送单位。fazhi validate 可随时列出全部问题。")
    if report.notice:
        note(f"[bold yellow]{safe(report.notice)}[/]")
    if report.ledger_problems:
        note("[bold red]台账中有的行有误、未采用[/](见“说明”;fazhi validate 列出每个单元格),改正后重新收回台账。")
    if report.rectify_problems:
        note("[bold red]收到的整改清单中有错误[/](见“说明”,写明了单元格),请单位改正后重新报送。")
    if report.rectify_review_problems:
        note("[bold red]整改复核表中有的行有误、未采用[/](见“说明”中的单元格),改正后重新收回整改复核表。")
    if report.review_problems:
        note("[bold red]复核打分表中有的核定得分未采用[/](“说明”写明了单元格和原因,如低于自评得分而没有填写核定理由),"
             "改正后重新收回复核打分表。")
    if report.component_problems:
        note("[bold red]评分构成表中有的行有误、未采用[/](见“说明”中的单元格),改正后重新收回评分构成表。")
    if report.refused or report.taken_with_problems:
        raise typer.Exit(1)


def ingest_table(report: IngestReport) -> Table:
    """The batch, file by file."""
    table = Table(title="收取结果", show_lines=False)
    for column in ("文件", "结果", "单位", "说明"):
        table.add_column(column, overflow="fold")
    for item in report.files:
        style = OUTCOME_STYLES.get(item.outcome, "")
        code = item.code or ""
        label = ("整改复核表" if code.startswith("rectify_review") else "评分构成表" if code.startswith("component")
                 else OUTCOME_LABELS.get(item.outcome, item.outcome))
        name = safe(item.name)
        if not item.origin.startswith("文件 "):
            name += f"\n[dim]{safe(item.origin)}[/]"
        unit = safe(item.unit or "")
        if item.other_unit:
            unit += f"\n[dim](证据指向 {safe(item.other_unit)})[/]"
        table.add_row(name, f"[{style}]{label}[/]", unit, safe(item.message))
    return table


def validate(
    as_json: bool = JsonOption,
    annotate_files: bool = typer.Option(
        False, "--annotate", help="为有问题的单位生成标注了问题单元格的退回修改表,放在 returns/。"
    ),
    workspace: Path = WorkspaceOption,
) -> None:
    """校验每个单位当前的报送:得分、填报值、固定内容、截止日期、工作任务。

    错误(必须改正)和警告(建议补充)按单位列出,每条都写明单元格,可以直接转告单位。
    收取时被退回的文件也一并列出。有错误时退出码为 1。

    示例:

      fazhi validate

      fazhi validate --annotate

      fazhi validate --json > 问题清单.json
    """
    result = api.validate(workspace, annotate=annotate_files)
    report, annotated = result.report, result.annotated
    if as_json:
        print_json(api.validation_json(result))
    else:
        print_validation(report)
    for path in annotated.written:
        note(f"已生成退回修改表:{safe(str(path))}")
    for unit, reason in annotated.failed:
        note(f"[yellow]未能生成{safe(unit)}的退回修改表[/]:{safe(reason)}")
    if report.has_errors:
        raise typer.Exit(1)


def print_validation(report: ValidationReport) -> None:
    """Findings grouped by unit, then refused files."""
    clean = [r.unit.name for r in report.results if not r.findings]
    for result in report.results:
        if not result.findings:
            continue
        table = Table(title=f"{safe(result.unit.name)}:错误 {result.errors},警告 {result.warnings}",
                      title_justify="left", show_lines=False)
        for column in ("级别", "编号", "单元格", "说明"):
            table.add_column(column, overflow="fold")
        for finding in result.findings:
            level = "[bold red]错误[/]" if finding.severity == api.ERROR else "[yellow]警告[/]"
            table.add_row(level, safe(finding.ref or ""), safe(finding.cell or ""), safe(finding.message))
        console.print(table)
    if report.ledger:
        console.print(ledger_table(report.ledger))
    if report.held:
        console.print(files_table(f"待确认的文件(未计入,请用 fazhi accept 或 fazhi reject 处理):{len(report.held)} 个",
                                  report.held))
    if report.refused:
        console.print(files_table(f"被退回的文件(不需处理的可用 fazhi dismiss 撤销):{len(report.refused)} 个",
                                  report.refused))
    console.print(f"已校验 {len(report.results)} 个单位的报送:错误 {report.error_count},警告 {report.warning_count};"
                  f"无问题 {len(clean)} 个单位。")


def ledger_table(findings: list[api.Finding]) -> Table:
    """The rows of the office's ledger in force that were not taken: the cell and what is wrong."""
    table = Table(title=f"法制办台账中未采用的行:{len(findings)} 处", title_justify="left")
    for column in ("台账文件", "单元格", "说明"):
        table.add_column(column, overflow="fold")
    for finding in findings:
        table.add_row(safe(finding.file or ""), safe(finding.cell or ""), safe(finding.message))
    return table


def files_table(title: str, findings: list[api.Finding]) -> Table:
    """Findings about files (held or refused at ingest): the file and what to do."""
    table = Table(title=title, title_justify="left")
    table.add_column("编号", overflow="fold")
    table.add_column("文件", overflow="fold")
    table.add_column("说明", overflow="fold")
    for finding in findings:
        table.add_row(str(finding.file_id or ""), safe(finding.file or ""), safe(finding.message))
    return table


def status(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """各单位报送情况:是否报送、报送时间和版本、错误和警告数,未报送单位的联系方式,距截止日期天数。

    示例:

      fazhi status

      fazhi status --json
    """
    report = api.status(workspace)
    if as_json:
        print_json(api.status_json(report))
        return
    print_status(report)


def print_status(report: StatusReport) -> None:
    """The status as tables a person can scan."""
    returned = [s for s in report.units if s.returned]
    table = Table(title=f"{safe(report.title)}:已报送 {len(returned)} / {len(report.units)}")
    for column in ("单位", "类型", "报送时间", "版本", "错误", "警告", "材料"):
        table.add_column(column, overflow="fold")
    for s in returned:
        errors = f"[bold red]{s.errors}[/]" if s.errors else "0"
        warnings = f"[yellow]{s.warnings}[/]" if s.warnings else "0"
        when = s.received_at.strftime("%Y-%m-%d %H:%M") if s.received_at else ""
        table.add_row(safe(s.unit.name), s.unit.type_label, when, str(len(s.versions)), errors, warnings,
                      str(len(s.materials)))
    console.print(table)
    if report.missing:
        missing = Table(title=f"未报送:{len(report.missing)} 个单位", title_justify="left")
        for column in ("单位", "类型", "联系人", "电话", "电子邮箱"):
            missing.add_column(column, overflow="fold")
        for s in report.missing:
            missing.add_row(safe(s.unit.name), s.unit.type_label, safe(s.unit.contact), safe(s.unit.phone),
                            safe(s.unit.email))
        console.print(missing)
    days = report.days_left
    if days >= 0:
        console.print(f"截止日期 {report.deadline}:还有 [bold]{days}[/] 天。")
    else:
        console.print(f"截止日期 {report.deadline}:已过 [bold red]{-days}[/] 天。")
    if report.refused_files:
        console.print(f"[bold red]{report.refused_files} 个被退回的文件[/]尚待处理(fazhi validate 查看)。")
    for held in report.held:
        console.print(f"[bold yellow]待确认[/](编号 {held.file_id}){safe(held.file or '')}:{safe(held.message)}")
    for unit_type in report.weights_missing:
        console.print(f"[yellow]{safe(api.missing_weight_message(unit_type))}[/]")
    if report.mail:
        console.print(mail_status_table(report))
    colour = "bold green" if report.state.approved else "bold yellow"
    console.print(f"结果:[{colour}]{safe(report.state.headline)}[/]")
    if report.state.approved:
        console.print("此后收到的文件照常存档,但不改变审定结果;如需变更,先 fazhi reopen --reason …。")
    if report.rectify is not None:
        console.print(rectify_line(report.rectify))


def rectify_line(progress: api.RectifyProgress) -> str:
    """The 整改 in one line: units and items, items by state, the units overdue."""
    summary = progress.summary
    if not summary.items:
        return "整改:没有失分单位,无需整改。"
    counts = progress.as_dict()
    line = (f"整改:{summary.units} 个单位 {summary.items} 个问题,已销号 {counts['closed']},待销号 {counts['reported']},"
            f"整改中 {counts['in_progress']},未报告 {counts['open']};逾期 {len(summary.overdue)} 个单位")
    if summary.overdue:
        return f"{line}([bold red]{safe('、'.join(summary.overdue))}[/])。"
    return line + "。"


def mail_status_table(report: StatusReport) -> Table:
    """Each unit's mail: workbook sent, reminders, the last reply (when the mailbox received it, from whom)."""
    table = Table(title="邮件:下发、催报和回复", title_justify="left")
    for column in ("单位", "自评表发送", "催报", "回复(到达邮箱时间)", "回复地址"):
        table.add_column(column, overflow="fold")
    for m in report.mail:
        sent = _short(m.sent_at) or (f"[bold red]失败[/] {safe(m.send_failed)}" if m.send_failed else "[dim]未发送[/]")
        reminded = f"{_short(m.reminded_at)}(共 {m.reminders} 次)" if m.reminders else ""
        table.add_row(safe(m.unit), sent, reminded, _short(m.replied_at), safe(m.replied_by))
    return table


def _short(moment: str) -> str:
    """A stored time (ISO 8601, China time) as 2017-12-05 10:00."""
    return moment[:16].replace("T", " ") if moment else ""
