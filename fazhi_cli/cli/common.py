"""Options shared by the commands."""

from __future__ import annotations

import typer

WorkspaceOption = typer.Option(
    None,
    "-w",
    "--workspace",
    help="考核工作区文件夹;省略时从当前文件夹向上查找 fazhi.toml。",
    file_okay=False,
)
JsonOption = typer.Option(False, "--json", help="只在标准输出打印 JSON,供脚本使用。")

TYPE_HELP = "只要一类单位:区级部门(department)或 乡镇(街道)(township),也可写 部门、乡镇、街道。"
