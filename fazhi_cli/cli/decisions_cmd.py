"""`fazhi approve`, `fazhi reopen`, `fazhi log`: the results' state (初步结果 → 审定结果) and the office's decisions."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, note, print_json, safe


def approve(
    by: str = typer.Option(..., "--by", help="审定机关,例如 区人民政府。"),
    date: str = typer.Option(..., "--date", help="审定日期,写成 YYYY-MM-DD。"),
    doc_no: str = typer.Option(None, "--doc-no", help="审定文件的文号(可选),例如 昭府函〔2018〕3号。"),
    accept_missing: bool = typer.Option(
        False, "--accept-missing", help="确认未报送的单位按“未报送”审定(否则有未报送单位时不能审定)。"
    ),
    workspace: Path = WorkspaceOption,
) -> None:
    """记录区政府对考核结果的审定:初步结果 → 审定结果,并冻结结果快照。

    尚有未解决的事项时不能审定(退出码 1,逐项列出,不作任何改动):有校验错误的单位、待确认的文件、
    未处理的被退回文件、未报送的单位(确属未报送的,加 --accept-missing)。审定后 score、report、status
    都按冻结的快照出具,并注明审定机关和日期;之后收到的文件照常存档,但不改变审定结果。
    如需变更,先 fazhi reopen --reason …,再重新审定。

    示例:

      fazhi approve --by 区人民政府 --date 2018-01-15 --doc-no 昭府函〔2018〕3号

      fazhi approve --by 区人民政府 --date 2018-01-15 --accept-missing
    """
    done = api.approve(by, date, doc_no, accept_missing, workspace)
    console.print(f"[green]✓[/] {safe(done.state.headline)}")
    console.print(f"结果快照已冻结(SHA-256 {done.state.snapshot});此后的报告均按此快照出具。")
    if done.missing:
        console.print(f"按未报送审定的单位 {len(done.missing)} 个:{'、'.join(safe(m) for m in done.missing)}")
    print_moved_down(done)


def print_moved_down(done: api.Approval) -> None:
    """The units a grade's cap (max_share) moved down at 审定, each with the grade its score reached."""
    if done.moved_down:
        console.print(f"因等次名额限制(max_share)评为下一等次的单位 {len(done.moved_down)} 个:")
        for unit, reached, given in done.moved_down:
            console.print(f"  {safe(unit)}:{safe(reached)} → {safe(given or '未评定等次')}")


def reopen(
    reason: str = typer.Option(..., "--reason", help="重新打开的理由(必填),记入决定记录。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """把已审定的结果重新打开,回到初步结果(理由必填,记入 fazhi log)。

    原审定的快照保留;改正后再次 fazhi approve 会生成新的快照。

    示例:

      fazhi reopen --reason "区政府要求复核区住建局得分"
    """
    reopened = api.reopen(reason, workspace)
    console.print(f"[green]✓[/] 已重新打开 {safe(reopened.date)} 的审定结果,现为初步结果(未经审定)。")
    note(f"原快照 {reopened.snapshot[:16]}… 保留;处理完毕后请再次 fazhi approve。")


def log(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """按时间顺序列出法制办的每项决定:核定得分及撤回、文件的确认采用 / 不予采用 / 不再处理、审定和重新打开、
    整改销号及撤回销号。

    示例:

      fazhi log

      fazhi log --json > 决定记录.json
    """
    entries = api.log(workspace)
    if as_json:
        print_json(api.log_json(entries))
        return
    table = Table(title=f"决定记录:{len(entries)} 项", title_justify="left")
    teams = any(entry.team for entry in entries)
    columns = ("时间", "决定", "单位", "编号/文件", "内容", "理由") + (("考核组",) if teams else ())
    for column in columns:
        table.add_column(column, overflow="fold")
    for entry in entries:
        row = [safe(entry.time.replace("T", " ")[:16]), safe(entry.label), safe(entry.unit or ""),
               safe(entry.ref or entry.file or ""), safe(_content(entry)), safe(entry.reason)]
        if teams:
            row.append(safe(entry.team) if entry.team else ("法制办" if entry.action in ("set", "withdrawn") else ""))
        table.add_row(*row)
    console.print(table)


def _content(entry: api.LogEntry) -> str:
    """What was decided, in a few words: the office value, or the approval's approver, date and document."""
    if entry.value is not None:
        return f"{'得分' if entry.action == 'component_set' else '核定得分'} {entry.value}"
    detail = entry.detail
    if entry.action == "approve":
        missing = detail.get("missing") or []
        return "".join((f"{detail.get('by', '')} {detail.get('date', '')}",
                        f" {detail['doc_no']}" if detail.get("doc_no") else "",
                        f";按未报送审定 {len(missing)} 个单位" if missing else ""))
    if entry.action in ("rectify_close", "rectify_withdraw"):
        return f"「{detail.get('sheet', '')}」{detail.get('cell', '')}"
    return ""
