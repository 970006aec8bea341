"""The `fazhi` command: registers the command groups and turns user errors into messages."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape

from fazhi_cli import __version__
from fazhi_cli.cli import campaign_cmd, generate_cmd, returns_cmd, rubric_cmd
from fazhi_cli.cli.output import console, report_error
from fazhi_cli.demo import create_demo_workspace
from fazhi_cli.errors import FazhiError
from fazhi_cli.safety import require_defusedxml

app = typer.Typer(
    name="fazhi",
    help="法治政府建设考核工具:生成自评表、收取回执、校验、计分、排名和出具报告。\n\n"
    "先用 fazhi init 文件夹 新建工作区;fazhi demo 用示例数据演示全流程。",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    add_completion=False,
)
app.add_typer(rubric_cmd.app, name="rubric")
app.command("init")(campaign_cmd.init)
app.command("generate")(generate_cmd.generate)
app.command("ingest")(returns_cmd.ingest)
app.command("validate")(returns_cmd.validate)
app.command("status")(returns_cmd.status)


@app.command("demo")
def demo(folder: Path = typer.Argument(Path("fazhi-demo"), help="演示工作区文件夹(默认 fazhi-demo)。")) -> None:
    """用示例数据演示年终考核全流程。

    示例:

      fazhi demo

      fazhi demo /tmp/演示
    """
    workspace = create_demo_workspace(folder)
    rubric = workspace.rubric()
    units = workspace.units()
    console.print(f"[green]✓[/] 演示工作区:{escape(str(workspace.root))}")
    for unit_type in rubric.types:
        console.print(rubric_cmd.rubric_tree(rubric, unit_type))
    console.print(campaign_cmd.units_table(units))


@app.command("version")
def version() -> None:
    """显示版本号。"""
    console.print(f"fazhi {__version__}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: run the app, print user errors in Chinese, exit 0/1/2."""
    try:
        require_defusedxml()
        app(args=argv, prog_name="fazhi")
    except FazhiError as error:
        report_error(error)
        sys.exit(error.exit_code)
