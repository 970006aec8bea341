"""`fazhi config show|set`: the campaign's settings without a text editor."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.chinese import ChineseGroup
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, note, print_json, safe

app = typer.Typer(help="查看和修改本次考核的设置(截止日期、联系人、折算权重、公文设置等)。", no_args_is_help=True,
                  cls=ChineseGroup)


@app.command("show")
def show(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """列出全部设置:名称、当前值和含义。

    示例:

      fazhi config show

      fazhi config show --json
    """
    rows = api.config_show(workspace)
    if as_json:
        print_json(api.config_json(rows))
        return
    table = Table(title="考核设置(用 fazhi config set 名称 值 修改)")
    table.add_column("名称", no_wrap=True)
    table.add_column("设置项", no_wrap=True)
    table.add_column("当前值", overflow="fold")
    table.add_column("含义", overflow="fold")
    for row in rows:
        table.add_row(safe(row.label), row.key, safe(row.value), safe(row.means))
    console.print(table)


@app.command("set")
def set_(
    key: str = typer.Argument(
        ..., metavar="名称", help="设置的名称:中文名(截止日期、联系人、权重.乡镇…)或 fazhi.toml 中的写法。"),
    value: str = typer.Argument(..., metavar="值", help="新的值;日期可写 2026-12-5、2026/12/5 或 2026年12月5日。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """修改一项设置,保留 fazhi.toml 中的说明文字和排版。

    可用的名称:考核名称、考核单位、截止日期、案例截止日期、联系人、电话、邮箱、显示名次、
    区级部门权重(权重.部门)、乡镇(街道)权重(权重.乡镇)、发文机关、发文字号、主送机关、
    请示主送机关、抄送机关、印发机关、整改截止日期;评分构成.名称(如 评分构成.第三方评估,占综合得分的百分比;
    加 .区级部门 或 .乡镇 按单位类型分别设置,值写“删除”即取消);也可用 fazhi.toml 中的英文写法
    (deadline、documents.doc_no、components.第三方评估…)。

    示例:

      fazhi config set 截止日期 2026年12月5日

      fazhi config set 联系人 张三

      fazhi config set 权重.乡镇 4

      fazhi config set 评分构成.第三方评估 10

      fazhi config set 评分构成.第三方评估.乡镇 5

      fazhi config set 发文字号 "昭府法办〔2027〕1号"
    """
    change = api.config_set(key, value, workspace)
    if change.before == change.after:
        console.print(f"[green]✓[/] {safe(change.label)}({change.key})已是 {safe(change.after)},未改动")
    else:
        console.print(f"[green]✓[/] 已将{safe(change.label)}({change.key})由 {safe(change.before)} "
                      f"改为 {safe(change.after)}")
    for text in change.notes:
        note(f"[yellow]注意:[/]{safe(text)}")
