"""`fazhi init` (a new campaign, or the next one `--from` the last) and `fazhi history`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, messages, print_json, safe
from fazhi_cli.errors import UsageError


def init(
    folder: Path = typer.Argument(..., help="新工作区的文件夹(不存在时自动创建)。"),
    units: Path = typer.Option(None, "--units", help="单位名单(.xlsx 或 .csv);默认用示例名单。"),
    rubric: Path = typer.Option(
        None, "--rubric",
        help="评分细则:Excel 工作簿(.xlsx,可用 fazhi rubric export 导出后修改)或 YAML;默认用内置的 2017 年昭化区细则。",
    ),
    year: int = typer.Option(None, "--year", help="考核年度;默认取评分细则的年度(用 --from 时为上年度 + 1)。"),
    old: Path = typer.Option(
        None, "--from",
        help="从上年度的考核工作区开始:带入其名单、评分细则、全部设置(日期和发文字号移到新年度)及审定结果(供对比)。",
        file_okay=False,
    ),
    force: bool = typer.Option(
        False, "--force",
        help="重新初始化已有的工作区:同一年度保留已收文件和数据;另一年度则先把旧数据移到 previous/ 文件夹。",
    ),
    as_json: bool = JsonOption,
) -> None:
    """新建一个年度考核工作区。

    生成 fazhi.toml(年度、截止日期、联系人、折算权重)、名单和细则的副本、
    outbox/ inbox/ archive/ reports/ 文件夹和数据库。

    示例:

      fazhi init 2017考核

      fazhi init 2026考核 --units 名单.xlsx --rubric 细则-2026.xlsx --year 2026

      fazhi init 2018考核 --from 2017考核

      fazhi init 2019考核 --from 2018考核 --json
    """
    if old is not None:
        if units is not None or rubric is not None or force:
            raise UsageError("--from 不能与 --units、--rubric 或 --force 同用",
                             "--from 带入上年度工作区的名单和评分细则;新工作区建好后可直接修改其中的名单、细则副本。")
        made = api.init_from(folder, old, year)
        if as_json:
            print_json(made.as_dict())
        else:
            _print_carried(made)
        return
    result = api.init(folder, units, rubric, year, force)
    campaign = result.campaign
    if as_json:
        print_json({"workspace": str(result.workspace.root), "year": campaign.year, "title": campaign.title,
                    "units": len(result.units), "rubric": f"{result.rubric.id} {result.rubric.version}",
                    "previous": None if result.previous is None else str(result.previous),
                    "warnings": list(result.warnings)})
        return
    if result.previous is not None:
        moved = "、".join(result.moved)
        console.print(
            f"[yellow]![/] 此文件夹原是另一次考核的工作区;为免新旧数据混用,旧考核的数据已原样移到 "
            f"{escape(str(result.previous))}(可用 fazhi status -w 该文件夹 查看):{escape(moved)}。"
            "新考核从空白开始。",
            soft_wrap=True,
        )
    by_type = {t: sum(1 for u in result.units if u.type == t and u.assessed) for t in ("department", "township")}
    not_assessed = [u.name for u in result.units if not u.assessed]
    besides = f"(另有 {len(not_assessed)} 个单位不参加考核:{escape('、'.join(not_assessed))})" if not_assessed else ""
    console.print(f"[green]✓[/] 已建立考核工作区 {escape(str(result.workspace.root))}")
    console.print(
        f"  {escape(campaign.title)};截止日期 {campaign.deadline};"
        f"参加考核的区级部门 {by_type['department']} 个,乡镇(街道) {by_type['township']} 个{besides};"
        f"评分细则 {escape(result.rubric.id)} {escape(result.rubric.version)}"
    )
    for warning in result.warnings:
        messages.print(f"[yellow]提醒:[/] {escape(api.printable(warning))}", soft_wrap=True)
    console.print(f"  下一步:cd {escape(str(folder))} 后运行 fazhi generate 生成自评表。")


def _print_carried(made: api.CarriedCampaign) -> None:
    """What `fazhi init --from` carried, what moved to the new year, and what to check."""
    console.print(f"[green]✓[/] 已建立 {made.year} 年度考核工作区 {safe(made.workspace.root)}"
                  f"(从 {made.old_year} 年度工作区 {safe(made.source)} 带入)", soft_wrap=True)
    by_type = {t: sum(1 for u in made.units if u.type == t and u.assessed) for t in ("department", "township")}
    console.print(f"  {safe(made.title)};带入单位名单(区级部门 {by_type['department']} 个,乡镇(街道) "
                  f"{by_type['township']} 个,含联系人和地址)、评分细则 {safe(made.rubric.id)} "
                  f"{safe(made.rubric.version)} 和全部设置", soft_wrap=True)
    for line in made.moved:
        console.print(f"  已移到新年度:{safe(line)}", soft_wrap=True)
    if made.old_approved:
        kept = "、".join(str(y) for y in made.kept)
        console.print(f"  已保存 {kept} 年度的审定结果(已加印章),供与本年度对比;此后不再需要上年度文件夹。",
                      soft_wrap=True)
    else:
        earlier = "、".join(str(y) for y in made.kept)
        also = f"(已保存更早的 {earlier} 年度审定结果)" if made.kept else ""
        messages.print(f"[yellow]提醒:[/] {api.NOTHING_TO_COMPARE}{also};其余已全部带入。", soft_wrap=True)
    for warning in made.warnings:
        messages.print(f"[yellow]提醒:[/] {safe(warning)}", soft_wrap=True)
    console.print(f"  下一步:cd {safe(made.workspace.root)} 后用 fazhi config show 检查设置,再运行 fazhi generate。",
                  soft_wrap=True)


def history(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """列出每个单位历年的考核结果:工作区保存的以前年度审定结果(fazhi init --from 带入),
    以及本年度的审定结果(审定后);连续多年同一等次的单位注明“连续3年优秀”。

    更名或合并的单位,按名单的“原单位名称”列对应以前年度的结果,并注明当年的名称。

    示例:

      fazhi history

      fazhi history --json > 历年结果.json
    """
    view = api.history(workspace)
    if as_json:
        print_json(view.as_dict())
        return
    if not view.years:
        console.print("本工作区没有保存以前年度的考核结果(用 fazhi init 新文件夹 --from 上年度工作区 开始新年度时带入),"
                      "本年度结果也尚未审定。")
        return
    console.print(_history_table(view))
    if not view.approved:
        console.print(f"  {view.this_year} 年度考核结果尚未审定,未列出。")


def _history_table(view: api.HistoryView) -> Table:
    table = Table(title="历年考核结果(总分 / 名次 / 等次)", title_justify="left")
    table.add_column("单位", overflow="fold")
    for year in view.years:
        table.add_column(f"{year} 年度", overflow="fold")
    table.add_column("说明", overflow="fold")
    for unit in view.units:
        by_year = {y.year: y for y in unit.years}
        cells = [_year_cell(unit.unit, by_year.get(year)) for year in view.years]
        table.add_row(safe(unit.unit), *cells, safe(unit.note))
    return table


def _year_cell(name: str, result: api.YearResult | None) -> str:
    if result is None:
        return "—"
    total = "未报送" if result.total is None else api.format_cents(result.total)
    parts = [total, f"第 {result.rank} 名" if result.rank is not None else "", result.grade or ""]
    text = " / ".join(p for p in parts if p)
    return safe(text if result.name == name else f"{text}(原名 {result.name})")
