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
            marked = " [cyan](需佐证)[/]" if item.evidence else ""
            leaf = branch.add(f"[green]{item.id}[/] {safe(item.name)} [bold]{item.max}[/] 分{marked}")
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
def check(
    file: Path = typer.Argument(..., help="要检查的评分细则:Excel 工作簿(.xlsx)或 YAML 文件。"),
    units: Path = typer.Option(None, "--units", help="单位名单(.xlsx 或 .csv):检查工作任务写的单位是否都在名单中。"),
    year: int = typer.Option(None, "--year", help="考核年度:检查细则是否为该年度制定、文字中是否写死了其他年份。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """检查评分细则文件:分值是否相加一致、编号是否重复、规则类型和占位符是否认识。

    工作簿中的问题按工作表和单元格逐条列出,以退出码 2 结束。细则本身无误但与考核不相符的地方
    (为其他年度制定、写死了年份、工作任务的单位不是名单中的单位)列为提醒。
    在考核工作区内运行时,按该工作区的年度和单位名单检查。

    示例:

      fazhi rubric check 细则-2026.xlsx

      fazhi rubric check 细则-2026.xlsx --year 2026 --units 名单.xlsx
    """
    rubric = api.rubric_check(file)
    counts = ",".join(f"{rubric.for_type(t).label} {len(rubric.for_type(t).items)} 项" for t in rubric.types)
    console.print(f"[green]✓[/] {safe(str(file))}: 评分细则 {safe(rubric.id)} 一致无误({counts})")
    for warning in api.rubric_warnings(rubric, year, units, workspace):
        note(f"[yellow]提醒:[/] {safe(warning)}")


@app.command("export")
def export(
    file: Path = typer.Argument(..., help="写出的文件名:.xlsx 为 Excel 工作簿(供修改),.yaml 为 YAML。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """导出评分细则,作为下一年度评分细则的起点。

    在考核工作区内导出该工作区的细则,否则导出内置的 2017 年昭化区细则。导出为 .xlsx 时,
    每类单位一张表,另有特别加分扣分、工作任务、目标责任书各表,可直接在 Excel 或 WPS 中修改。

    示例:

      fazhi rubric export 细则-2026.xlsx

      fazhi rubric export rubric-2026.yaml
    """
    api.rubric_export(file, force, workspace)
    shown = safe(str(file))
    console.print(f"[green]✓[/] 已导出评分细则到 {shown};修改后可用 fazhi rubric check {shown} 检查。")
