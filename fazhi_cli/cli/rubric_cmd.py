"""`fazhi rubric show|check|export`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.tree import Tree

from fazhi_cli import api
from fazhi_cli.api import Rubric, Rule
from fazhi_cli.cli.chinese import ChineseGroup
from fazhi_cli.cli.common import TYPE_HELP, JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, note, print_json, safe

app = typer.Typer(help="查看、检查和导出评分细则。", no_args_is_help=True, cls=ChineseGroup)


def _rule_line(rule: Rule) -> str:
    how = api.rule_summary(rule)
    return f"[cyan]{rule.id}[/] {safe(rule.text)} [dim]({how})[/]"


def rubric_tree(rubric: Rubric, unit_type: str) -> Tree:
    type_rubric = rubric.for_type(unit_type)
    tree = Tree(f"[bold]{safe(type_rubric.label)}[/] ({unit_type}) 总分 {type_rubric.total}")
    for section in type_rubric.sections:
        branch = tree.add(f"[bold]{section.numeral}、{safe(section.name)}[/] ({section.max} 分)")
        for item in section.items:
            leaf = branch.add(f"[green]{item.id}[/] {safe(item.name)} [bold]{item.max}[/] 分")
            for rule in item.rules:
                leaf.add(_rule_line(rule))
    special = tree.add("[bold]特别加分和扣分[/]")
    for rule in rubric.special.bonus:
        special.add(f"[cyan]{rule.id}[/] {safe(rule.text)} [dim](是/否,加 {rule.points} 分;不累加,取最高)[/]")
    for rule in rubric.special.penalty:
        special.add(f"[cyan]{rule.id}[/] {safe(rule.text)} [dim](次数,每起扣 {rule.per} 分)[/]")
    return tree


@app.command("show")
def show(
    unit_type: str = typer.Option(None, "--type", "-t", help=TYPE_HELP),
    as_json: bool = JsonOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """显示评分细则:考核事项、分值和扣分规则。

    在工作区内显示该工作区的评分细则,否则显示内置的 2017 年昭化区评分细则。

    示例:

      fazhi rubric show --type department

      fazhi rubric show --type township --json
    """
    view = api.rubric_show(workspace, unit_type)
    if view.builtin:
        note("(不在考核工作区内,显示内置的 zhaohua-2017 评分细则)")
    if as_json:
        print_json(api.rubric_json(view))
        return
    rubric, types = view.rubric, view.types
    console.print(f"[bold]{safe(rubric.title)}[/]  编号 {rubric.id}  版本 {rubric.version}")
    for t in types:
        console.print(rubric_tree(rubric, t))
    console.print(f"工作任务 {len(rubric.tasks)} 项;目标责任书 " + ",".join(
        f"{rubric.for_type(t).label} {len(rubric.targets.get(t, ()))} 条" for t in types))


@app.command("check")
def check(file: Path = typer.Argument(..., help="要检查的评分细则 YAML 文件。")) -> None:
    """检查评分细则文件:分值是否相加一致、编号是否重复、规则类型是否已知。

    有问题时逐条列出并以退出码 2 结束。

    示例:

      fazhi rubric check rubric-2018.yaml
    """
    rubric = api.rubric_check(file)
    counts = ",".join(f"{rubric.for_type(t).label} {len(rubric.for_type(t).items)} 项" for t in rubric.types)
    console.print(f"[green]✓[/] {safe(str(file))}: 评分细则 {safe(rubric.id)} 一致无误({counts})")


@app.command("export")
def export(
    file: Path = typer.Argument(..., help="写出的 YAML 文件名。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件。"),
) -> None:
    """导出内置的评分细则,作为下一年度评分细则的起点。

    示例:

      fazhi rubric export rubric-2018.yaml
    """
    api.rubric_export(file, force)
    console.print(f"[green]✓[/] 已导出内置评分细则到 {safe(str(file))};修改后可用 fazhi rubric check 检查。")
