"""`fazhi files`, `fazhi accept`, `fazhi reject` and `fazhi dismiss`: the received files and the clerk's decisions
on them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, print_json, safe

STATE_STYLES = {"current": "green", "superseded": "cyan", "held": "bold yellow", "accepted": "green",
                "rejected": "magenta", "refused": "bold red", "dismissed": "dim", "material": "blue",
                "review": "magenta", "duplicate": "yellow", "unpacked": "dim",
                "ledger": "magenta"}
ReasonOption = typer.Option(..., "--reason", help="这一决定的理由(必填,记入决定记录)。")


def files(
    as_json: bool = JsonOption,
    state: str = typer.Option(None, "--state", help="只列出此状态的文件:current、superseded、held、accepted、"
                              "rejected、refused、dismissed、material、review、duplicate、unpacked、ledger。"),
    unit: str = typer.Option(None, "--unit", help="只列出与此单位有关的文件(单位全称)。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """列出收到的每个文件:编号、单位、状态和原因、收取时间、原文件名和来源。

    状态:当前有效、已被替代、待确认、已确认、不予采用、退回、已撤销、附件材料、复核打分表、重复、已拆包。
    待确认和被退回的文件用编号处理:fazhi accept / fazhi reject / fazhi dismiss。

    示例:

      fazhi files

      fazhi files --state held

      fazhi files --unit 区司法局 --json
    """
    listed = api.files(workspace, state, unit)
    if as_json:
        print_json(api.files_json(listed))
        return
    table = Table(title=f"收到的文件:{len(listed)} 个")
    for column in ("编号", "单位", "状态", "原因", "收取时间", "文件"):
        table.add_column(column, overflow="fold")
    for item in listed:
        who = safe(item.unit or "")
        if item.other_unit:
            who += f"\n[dim](证据指向 {safe(item.other_unit)})[/]"
        label = item.label + (" (当前)" if item.current and item.state == "accepted" else "")
        when = item.received_at.strftime("%Y-%m-%d %H:%M") if item.received_at else ""
        name = safe(item.original_name)
        if not item.origin.startswith("文件 "):
            name += f"\n[dim]{safe(item.origin)}[/]"
        state = Text(label, style=STATE_STYLES.get(item.state, ""))  # a state without a style still prints
        table.add_row(str(item.id), who, state, safe(item.reason), when, name)
    console.print(table)


FileIdArgument = typer.Argument(..., help="文件编号(fazhi files 列出)。")


def accept(
    file_id: int = FileIdArgument,
    reason: str = ReasonOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """确认采用一个文件:待确认的自评表计入其表内身份所属的单位;较早的报送重新成为该单位的当前报送。

    确认之后才收到的文件仍以收到的为准。

    示例:

      fazhi accept 12 --reason "已电话核实,系区司法局委托区水利局代发"
    """
    print_settled(api.accept(file_id, reason, workspace))


def reject(
    file_id: int = FileIdArgument,
    reason: str = ReasonOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """不予采用一个文件:待确认的文件不计入任何单位、不再待处理;已收取的报送不再计分,该单位回到上一次报送(或未报送)。

    示例:

      fazhi reject 12 --reason "区水利局误用了区司法局的表格,已通知其重新报送"
    """
    print_settled(api.reject(file_id, reason, workspace))


def dismiss(
    file_id: int = FileIdArgument,
    reason: str = ReasonOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """撤销一个被退回的文件(如误导入的 PDF、与考核无关的文件):fazhi validate 不再列出它。

    示例:

      fazhi dismiss 7 --reason "误导入的文件,与考核无关"
    """
    print_settled(api.dismiss(file_id, reason, workspace))


def print_settled(done: api.Settled) -> None:
    """What the decision changed, in one or two lines."""
    verb = {"accept": "已确认采用", "reject": "已不予采用", "dismiss": "已撤销"}[done.action]
    console.print(f"{verb} 文件 {done.file.id}「{safe(done.file.original_name)}」(理由:{safe(done.reason)})")
    if done.action == "dismiss" or done.unit is None:
        return
    if done.current is None:
        console.print(f"{safe(done.unit)} 现在没有有效的报送(未报送)。")
    else:
        when = done.current.received_at[:16].replace("T", " ")
        console.print(f"{safe(done.unit)} 的当前报送:「{safe(done.current.original_name)}」(收到于 {when})")
