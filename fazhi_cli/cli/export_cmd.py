"""`fazhi export`: the per-item long table (one row per unit and item) for other systems and the 目标办."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, note, print_json, safe

CsvOption = typer.Option(None, "--csv", help="把逐项明细写成 CSV 文件(UTF-8 带 BOM,Excel 可直接打开)。",
                         dir_okay=False)


def _summary(table: api.ItemTable) -> Table:
    """One line per unit: its rows, the items the office set, the evidence files found and those not received."""
    shown = Table(title=f"逐项明细 — {safe(table.state_label)}", title_justify="left")
    for title in ("单位", "类型", "行数", "核定项", "佐证文件", "未收到"):
        shown.add_column(title, no_wrap=True, justify="right" if title in ("行数", "核定项", "佐证文件") else "left")
    by_unit: dict[str, list[api.ItemRow]] = {}
    for row in table.rows:
        by_unit.setdefault(row.unit, []).append(row)
    for unit, rows in by_unit.items():
        missing = "、".join(safe(name) for row in rows for name in row.evidence_missing)
        shown.add_row(safe(unit), rows[0].type_label, str(len(rows)),
                      str(sum(1 for r in rows if r.office_score is not None)),
                      str(sum(len(r.evidence_files) for r in rows)), f"[yellow]{missing}[/]" if missing else "")
    return shown


def export(as_json: bool = JsonOption, csv_file: Path = CsvOption, workspace: Path = WorkspaceOption) -> None:
    """导出逐项明细(长表):每个已报送单位的每个考核项目一行,另有特别加分、特别扣分各一行。

    各列:单位、类型、编号、考核项目、分值、自评得分、核定得分、计分得分、核定理由、扣分说明、
    佐证材料(单位填写的原文)、已收到的佐证文件(文件名和存档位置)、未收到的佐证文件。
    供目标办和其他系统使用;审定前为初步结果,审定后按冻结的快照导出审定结果。

    --csv 写成 Excel 可直接打开的 CSV(以 = + - @ 开头的文字前加 ' ,不会被当作公式);
    --json 在标准输出打印对象列表(英文字段名)。

    示例:

      fazhi export

      fazhi export --csv 逐项得分.csv

      fazhi export --json > 逐项得分.json
    """
    table = api.export(workspace, csv_file)
    if as_json:
        print_json(api.export_json(table))
    else:
        console.print(state_line_of(table))
        console.print(_summary(table))
    if csv_file is not None:
        note(f"[green]✓[/] 已写出 {len(table.rows)} 行:{safe(str(csv_file))}")
    elif not as_json:
        note(f"共 {table.units} 个单位、{len(table.rows)} 行。加 --csv 文件名 导出全部明细(可用 Excel 打开),"
             "或加 --json 供脚本使用。")


def state_line_of(table: api.ItemTable) -> str:
    """Which results the table shows, marked up as `fazhi score` shows it."""
    colour = "bold green" if table.state == api.APPROVED else "bold yellow"
    return f"[{colour}]{safe(table.state_label)}[/]"
