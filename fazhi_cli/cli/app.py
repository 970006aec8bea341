"""The `fazhi` command: registers the command groups and turns user errors into messages."""

from __future__ import annotations

import sys

import typer

from fazhi_cli import api
from fazhi_cli.cli import (
    campaign_cmd,
    config_cmd,
    decisions_cmd,
    demo_cmd,
    export_cmd,
    files_cmd,
    generate_cmd,
    integrity_cmd,
    ledger_cmd,
    mail_cmd,
    rectify_cmd,
    results_cmd,
    returns_cmd,
    rubric_cmd,
)
from fazhi_cli.cli.chinese import ChineseGroup, ClickException, NoArgsIsHelp, install, usage_error
from fazhi_cli.cli.output import console, messages, report_error
from fazhi_cli.errors import FazhiError, UsageError

install()  # Click's and Typer's own messages and help headings in Chinese
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="fazhi",
    help="法治政府建设考核工具:生成自评表、收取回执、校验、计分、排名和出具报告。\n\n"
    "先用 fazhi init 文件夹 新建工作区;fazhi demo 用示例数据演示全流程。"
    "每个命令加 -h 显示其用法和示例,例如 fazhi generate -h。",
    cls=ChineseGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings=HELP_OPTIONS,
)


@app.callback()
def options(
    debug: bool = typer.Option(False, "--debug", help="程序内部出错时显示完整的出错位置(供技术人员排查)。"),
) -> None:
    """法治政府建设考核工具。"""
    if debug:
        api.enable_debug()


app.add_typer(rubric_cmd.app, name="rubric")
app.add_typer(config_cmd.app, name="config")
app.add_typer(rectify_cmd.app, name="rectify")
app.command("init")(campaign_cmd.init)
app.command("generate")(generate_cmd.generate)
app.command("ingest")(returns_cmd.ingest)
app.command("validate")(returns_cmd.validate)
app.command("status")(returns_cmd.status)
app.command("files")(files_cmd.files)
app.command("accept")(files_cmd.accept)
app.command("reject")(files_cmd.reject)
app.command("dismiss")(files_cmd.dismiss)
app.command("review-sheet")(results_cmd.review_sheet)
app.command("component-sheet")(results_cmd.component_sheet)
app.command("ledger")(ledger_cmd.ledger)
app.command("score")(results_cmd.score)
app.command("report")(results_cmd.report)
app.command("export")(export_cmd.export)
app.command("approve")(decisions_cmd.approve)
app.command("reopen")(decisions_cmd.reopen)
app.command("log")(decisions_cmd.log)
app.command("verify")(integrity_cmd.verify)
app.command("history")(campaign_cmd.history)
app.command("notice")(results_cmd.notice)
app.command("feedback-letters")(results_cmd.feedback_letters)
app.command("send")(mail_cmd.send)
app.command("remind")(mail_cmd.remind)
app.command("fetch")(mail_cmd.fetch)
app.command("demo")(demo_cmd.demo)


@app.command("version")
def version() -> None:
    """显示版本号。"""
    console.print(f"fazhi {api.version()}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: run the app, print user errors in Chinese, exit 0/1/2.

    Besides our own errors, only a full disk or an unwritable workspace met anywhere while writing
    becomes a message (exit 1); any other exception is a bug and keeps its traceback.
    """
    try:
        api.require_defusedxml()
        code = typer.main.get_command(app).main(args=argv, prog_name="fazhi", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ClickException as error:
        if NoArgsIsHelp is not None and isinstance(error, NoArgsIsHelp):
            console.print(error.format_message(), markup=False, highlight=False)  # the help page, asked for
            sys.exit(0)
        message, hint = usage_error(error)
        report_error(UsageError(message, hint))
        sys.exit(error.exit_code)
    except typer.Abort:
        messages.print("已取消。")
        sys.exit(1)
    except FazhiError as error:
        report_error(error)
        sys.exit(error.exit_code)
    except OSError as error:
        problem = api.write_error(error)
        if problem is None or api.debug_enabled():
            raise
        report_error(problem)
        sys.exit(problem.exit_code)
