"""`fazhi send`, `fazhi remind` and `fazhi fetch`: the office mailbox."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.api import FETCH_LABELS, MAIL_OUTCOME_LABELS, FetchReport, MailOutcome, MailReport
from fazhi_cli.cli.common import WorkspaceOption
from fazhi_cli.cli.output import console, messages, note, safe
from fazhi_cli.cli.returns_cmd import ingest_table
from fazhi_cli.errors import UsageError

OUTCOME_STYLES = {"sent": "green", "written": "cyan", "already": "dim", "failed": "bold red", "not_sent": "bold red",
                  "nothing_owed": "dim"}
FETCH_STYLES = {"ingested": "green", "duplicate": "dim", "unrelated": "dim", "no_attachment": "yellow",
                "too_large": "bold red"}
DryRunOption = typer.Option(False, "--dry-run", help="不发送:把要发的邮件写成 .eml 文件放在 outbox/mail/,供检查。")
ResendOption = typer.Option(False, "--resend", help="已发过的也重新发送。")


def _ask_password() -> str:
    return typer.prompt("法制办邮箱密码(不会保存)", hide_input=True, err=True)


def send(
    units: list[str] = typer.Option(None, "--unit", help="只发给这个单位(可重复)。"),
    unit_type: str = typer.Option(None, "--type", help="只发给一类单位:department(区级部门)或 township(乡镇(街道))。"),
    dry_run: bool = DryRunOption,
    resend: bool = ResendOption,
    rectify: bool = typer.Option(False, "--rectify", help="发整改通知:附件为 fazhi rectify generate 生成的整改清单。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """把空白自评表用邮件发给各单位:每个单位一封,发往单位名单中的电子邮箱,附件为该单位的自评表。

    加 --rectify(考核结果审定后):给每个失分单位发整改通知,附件为其整改清单,正文写明整改事项和截止日期。

    邮箱设置在 fazhi.toml 的 \\[mail] 一节;密码从环境变量 FAZHI_MAIL_PASSWORD 读取,没有时会询问,不会保存。
    每封邮件在服务器接收后立即记录:中断后再次运行只发尚未发出的,已发过的不会重发(除非 --resend)。
    某个单位发送失败时会说明原因,其余照常发送;有失败时退出码为 1。

    示例:

      fazhi send --dry-run

      fazhi send

      fazhi send --unit 区发改局 --resend

      fazhi send --rectify --dry-run
    """
    if rectify and unit_type:
        raise UsageError("--rectify 不能与 --type 同用", "整改通知发给所有失分单位;只发某些单位请用 --unit。")
    report = _run("正在发送", lambda on: api.send(workspace, units or None, unit_type, dry_run, resend,
                                              _ask_password, on, rectify))
    _finish(report)


def remind(
    units: list[str] = typer.Option(None, "--unit", help="只催这个单位(可重复)。"),
    dry_run: bool = DryRunOption,
    resend: bool = typer.Option(False, "--resend", help="今天已催过的也再发一次。"),
    rectify: bool = typer.Option(False, "--rectify", help="催办整改:只发给还有问题未报完成、未销号的单位。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """催报:给未报送的单位再发空白自评表,给报送有错误的单位发退回修改表并在正文中列出问题。

    加 --rectify:催办整改,只发给还有问题既未报告完成、也未销号的单位,正文列出这些问题,附件再附整改清单。

    同一单位同一情况每天只催一次(中断后再次运行只发尚未发出的);--dry-run 只写出 .eml 文件。

    示例:

      fazhi remind --dry-run

      fazhi remind

      fazhi remind --rectify --dry-run
    """
    report = _run("正在催报", lambda on: api.remind(workspace, units or None, dry_run, resend, _ask_password, on,
                                                rectify))
    _finish(report)


def _run(label: str, call) -> MailReport:
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=messages, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def advance(outcome: MailOutcome, total: int) -> None:
            progress.update(task, total=total, advance=1, description=f"{label} {safe(outcome.unit)}")

        return call(advance)


def _finish(report: MailReport) -> None:
    console.print(mail_table(report))
    counts = ",".join(f"{label} {report.count(key)}" for key, label in MAIL_OUTCOME_LABELS.items()
                      if report.count(key))
    console.print(f"共 {len(report.outcomes)} 个单位:{counts or '无'}")
    if report.dry_run and report.count("written"):
        written = next(o.path for o in report.outcomes if o.path is not None)
        note(f"未发送任何邮件;邮件已写成 .eml 文件,在 {safe(str(written.parent))}(可用邮件程序打开检查)。")
    if report.failed:
        note("[bold red]有单位的邮件没有发出[/](原因见“说明”);改正后再次运行,只会发送尚未发出的。")
        raise typer.Exit(1)


def mail_table(report: MailReport) -> Table:
    """Each unit's message: outcome, recipients and what went wrong."""
    what = {"remind": "催报", "rectify": "发送整改通知", "rectify_remind": "整改催办"}.get(report.kind, "发送自评表")
    table = Table(title=f"{what}{'(演练,未发送)' if report.dry_run else ''}")
    for column in ("单位", "结果", "收件人", "说明"):
        table.add_column(column, overflow="fold")
    for item in report.outcomes:
        style = OUTCOME_STYLES.get(item.outcome, "")
        detail = item.message or item.subject
        label = MAIL_OUTCOME_LABELS.get(item.outcome, item.outcome)
        table.add_row(safe(item.unit), f"[{style}]{label}[/]" if style else safe(label),
                      safe(", ".join(item.recipients)), safe(detail))
    return table


def fetch(
    since: str = typer.Option(None, "--since", help="只看这一天(YYYY-MM-DD)以后到达的邮件;默认从第一次发送起。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """从法制办邮箱(IMAP)收取各单位的回复:附件和压缩包按 fazhi ingest 的规则收取,报送时间为邮件到达邮箱的时间。

    只读取,不改动、不删除服务器上的任何邮件(也不标为已读);每封邮件只收取一次,再次运行只收新邮件。
    没有附件、与考核无关的邮件跳过;有文件被退回或待确认时退出码为 1。

    示例:

      fazhi fetch

      fazhi fetch --since 2017-11-20
    """
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=messages,
                  transient=True) as progress:
        task = progress.add_task("正在收取邮件", total=None)
        report = api.fetch(workspace, since, _ask_password,
                           on_message=lambda m: progress.update(task, description=f"正在收取 {safe(m.sender)}"))
    print_fetch(report)
    if report.problems:
        raise typer.Exit(1)


def print_fetch(report: FetchReport) -> None:
    """The messages looked at (unrelated ones only counted), then the files taken from them."""
    shown = [m for m in report.messages if m.outcome != "unrelated"]
    table = Table(title=f"邮箱 {safe(report.folder)}:{report.since.isoformat()} 以来的新邮件 {len(report.messages)} 封")
    for column in ("到达时间", "发件人", "主题", "结果", "说明"):
        table.add_column(column, overflow="fold")
    for m in shown:
        when = m.received_at.strftime("%Y-%m-%d %H:%M") if m.received_at else ""
        sender = safe(m.sender) + (f"\n[dim]{safe(m.unit)}[/]" if m.unit else "")
        result = f"[{FETCH_STYLES.get(m.outcome, '')}]{FETCH_LABELS.get(m.outcome, m.outcome)}[/]"
        detail = ";".join(part for part in ("、".join(m.units), m.note) if part)
        table.add_row(when, sender, safe(m.subject), result, safe(detail))
    if shown:
        console.print(table)
    else:
        console.print(f"邮箱 {safe(report.folder)}:{report.since.isoformat()} 以来没有需要收取的新邮件。")
    unrelated = report.count("unrelated")
    if unrelated:
        console.print(f"另有 {unrelated} 封与考核无关的邮件(没有附件或不是单位发来的表格),已跳过。")
    if report.seen_before:
        console.print(f"{report.seen_before} 封邮件以前已经查看过,未重复收取。")
    if report.ingest.files:
        console.print(ingest_table(report.ingest))
    for m in report.messages:
        if m.unit and m.outcome == "no_attachment":
            note(f"[yellow]{safe(m.unit)}[/] 的邮件「{safe(m.subject)}」没有附件:请提醒该单位把自评表作为附件发送。")
        if m.outcome == "too_large" and (m.unit or not m.sender):
            who = f"[yellow]{safe(m.unit)}[/] 的邮件「{safe(m.subject)}」" if m.unit else f"第 {m.uid} 号邮件"
            note(f"{who}未收取:{safe(m.note)}。")
    if report.ingest.count("held"):
        note("[bold yellow]有文件待确认[/]:请与相关单位核实后用 fazhi accept 或 fazhi reject 处理"
             "(fazhi files 列出编号)。")
    if report.ingest.count("refused"):
        note("[bold red]有文件被退回[/],请把“说明”一栏转告报送单位(fazhi remind 可发退回修改表)。")
