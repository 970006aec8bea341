"""`fazhi init` and `fazhi demo`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from fazhi_cli import api
from fazhi_cli.cli.output import console, messages


def init(
    folder: Path = typer.Argument(..., help="新工作区的文件夹(不存在时自动创建)。"),
    units: Path = typer.Option(None, "--units", help="单位名单(.xlsx 或 .csv);默认用示例名单。"),
    rubric: Path = typer.Option(
        None, "--rubric",
        help="评分细则:Excel 工作簿(.xlsx,可用 fazhi rubric export 导出后修改)或 YAML;默认用内置的 2017 年昭化区细则。",
    ),
    year: int = typer.Option(None, "--year", help="考核年度;默认取评分细则的年度。"),
    force: bool = typer.Option(
        False, "--force",
        help="重新初始化已有的工作区:同一年度保留已收文件和数据;另一年度则先把旧数据移到 previous/ 文件夹。",
    ),
) -> None:
    """新建一个年度考核工作区。

    生成 fazhi.toml(年度、截止日期、联系人、折算权重)、名单和细则的副本、
    outbox/ inbox/ archive/ reports/ 文件夹和数据库。

    示例:

      fazhi init 2017考核

      fazhi init 2026考核 --units 名单.xlsx --rubric 细则-2026.xlsx --year 2026
    """
    result = api.init(folder, units, rubric, year, force)
    campaign = result.campaign
    if result.previous is not None:
        moved = "、".join(result.moved)
        console.print(
            f"[yellow]![/] 此文件夹原是另一次考核的工作区;为免新旧数据混用,旧考核的数据已原样移到 "
            f"{escape(str(result.previous))}(可用 fazhi status -w 该文件夹 查看):{escape(moved)}。"
            "新考核从空白开始。",
            soft_wrap=True,
        )
    by_type = {t: sum(1 for u in result.units if u.type == t) for t in ("department", "township")}
    console.print(f"[green]✓[/] 已建立考核工作区 {escape(str(result.workspace.root))}")
    console.print(
        f"  {escape(campaign.title)};截止日期 {campaign.deadline};"
        f"区级部门 {by_type['department']} 个,乡镇(街道) {by_type['township']} 个;"
        f"评分细则 {escape(result.rubric.id)} {escape(result.rubric.version)}"
    )
    for warning in result.warnings:
        messages.print(f"[yellow]提醒:[/] {escape(api.printable(warning))}", soft_wrap=True)
    console.print(f"  下一步:cd {escape(str(folder))} 后运行 fazhi generate 生成自评表。")
