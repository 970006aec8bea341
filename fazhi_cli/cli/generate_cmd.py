"""`fazhi generate`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fazhi_cli import api
from fazhi_cli.cli.common import WorkspaceOption
from fazhi_cli.cli.output import console, messages, note, safe


def generate(
    unit: list[str] = typer.Option(None, "--unit", "-u", help="只生成这些单位(可重复);省略时生成名单中全部单位。"),
    unit_type: str = typer.Option(None, "--type", "-t", help="只生成 department(区级部门)或 township(乡镇(街道))。"),
    force: bool = typer.Option(False, "--force", help="覆盖 outbox/ 中已有的同名自评表。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """为每个单位生成自评表(Excel),放在工作区的 outbox/ 文件夹。

    每个工作簿包含 填报说明、自评表、工作任务、目标责任书,并自带单位身份信息,
    收回后无需按文件名识别。已存在的文件不会被覆盖,除非加 --force。

    示例:

      fazhi generate

      fazhi generate --unit 区发改局 --unit 元坝镇 --force

      fazhi generate --type township
    """
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=messages,
        transient=True,
    ) as progress:
        task = progress.add_task("生成自评表", total=None)

        def advance(done_unit: api.Unit, total: int) -> None:
            progress.update(task, advance=1, total=total, description=f"生成自评表 {safe(done_unit.name)}")

        result = api.generate(workspace, unit, unit_type, force, on_progress=advance)
    console.print(f"[green]✓[/] 已生成 {len(result.written)} 份自评表,保存在 {safe(str(result.folder))}")
    for warning in result.warnings:
        note(f"[yellow]提醒:[/] {safe(warning)}")
    if result.kept:
        note(f"[yellow]{len(result.kept)} 份已存在,未覆盖[/](如需重新生成,请加 --force):")
        for path in result.kept[:10]:
            note(f"  {safe(path.name)}")
        if len(result.kept) > 10:
            note(f"  …… 共 {len(result.kept)} 份")
