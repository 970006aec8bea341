"""`fazhi verify`: every archived original against its recorded SHA-256, and every seal on the office's records."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, messages, print_json, safe


def verify(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """校验工作区:archive/ 中的每个原件与收取时记录的 SHA-256 是否一致,法制办的每条记录(决定、核定得分、
    审定及其快照)以及保存的以前年度考核结果(fazhi init --from 带入)的印章是否相符。不作任何改动。

    全部相符时退出码 0;有不符的,逐个列出(原件给出 archive/ 中的位置,记录给出第几条及其内容)并以退出码 1
    结束。fazhi approve 审定前会先做同样的校验。

    示例:

      fazhi verify

      fazhi verify --json > 校验结果.json
    """
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=messages, transient=True, disable=as_json) as progress:
        task = progress.add_task("正在校验原件", total=None)
        checked = api.verify(workspace, lambda done, total: progress.update(task, completed=done, total=total))
    if as_json:
        print_json(checked.as_dict())
    elif checked.ok:
        console.print(f"[green]✓[/] 全部相符:原件 {checked.files} 个,法制办的记录 {checked.records} 条。")
    else:
        console.print(_problem_table(checked))
        found = f"[bold red]{len(checked.problems)} 处不符[/]"
        console.print(f"原件 {checked.files} 个,法制办的记录 {checked.records} 条,{found}。"
                      "请从备份恢复被改动或缺失的文件(archive/ 中的原件、fazhi.db)。")
    if not checked.ok:
        raise typer.Exit(1)


def _problem_table(checked: api.VerifyReport) -> Table:
    table = Table(title=f"校验不符:{len(checked.problems)} 处", title_justify="left")
    for column in ("类别", "位置", "问题"):
        table.add_column(column, overflow="fold")
    for problem in checked.problems:
        row = problem.as_dict()
        where = row.get("path") or (f"第 {row['record']} 条" if row.get("record") is not None else "")
        if row["kind"] == "history":
            where = f"{row['year']} 年度"
        kind = {"file": "原件", "history": "以前年度结果"}.get(row["kind"], "记录")
        table.add_row(kind, safe(where), safe(row["message"]))
    return table
