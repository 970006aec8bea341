"""The command line speaks Chinese: help pages, usage errors (with suggestions) and Click's own words."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

# Click's and Typer's English, as they print it when left untranslated
ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "Missing", "No such", "Did you mean",
           "Try '", "Error", "required", "default:", "Invalid", "Got unexpected", "requires an argument",
           "is not a valid", "Input should", "does not exist", "Aborted", "Possible options", "<bool>", "<int>",
           "<dir>", "<path>", "<str>", "[OPTIONS]", "COMMAND", "[ARGS]", "TEXT", "INTEGER", "DIRECTORY")


def assert_chinese(text: str) -> None:
    found = [phrase for phrase in ENGLISH if phrase in text]
    assert not found, (found, text)


HELP_PAGES = [
    [], ["-h"], ["--help"], ["init", "-h"], ["generate", "--help"], ["ingest", "-h"], ["validate", "-h"],
    ["status", "-h"], ["files", "-h"], ["accept", "-h"], ["reject", "-h"], ["dismiss", "-h"], ["review-sheet", "-h"],
    ["ledger", "-h"], ["score", "-h"], ["report", "-h"], ["approve", "-h"], ["reopen", "-h"], ["log", "-h"],
    ["notice", "-h"], ["feedback-letters", "-h"], ["demo", "-h"], ["version", "-h"], ["rubric", "-h"], ["rubric"],
    ["rubric", "show", "-h"], ["rubric", "check", "-h"], ["rubric", "export", "-h"], ["config", "-h"], ["config"],
    ["config", "show", "-h"], ["config", "set", "-h"],
]


@pytest.mark.parametrize("args", HELP_PAGES, ids=lambda args: " ".join(args) or "fazhi")
def test_every_help_page_is_chinese(cli, args):
    result = cli(*args)
    assert result.code == 0, result.err
    assert result.out.startswith("用法:fazhi"), result.out
    assert_chinese(result.out + result.err)
    if args and args[-1] in ("-h", "--help") and len(args) > 1 and args[0] not in ("rubric", "config", "version"):
        assert "示例" in result.out, args
    assert "-h, --help" in result.out and "显示本帮助并退出" in result.out


@pytest.mark.parametrize(("args", "says"), [
    (["generat"], "没有 generat 命令,是否要输入 generate?"),
    (["scroe"], "没有 scroe 命令,是否要输入 score"),
    (["rubric", "shwo"], "没有 shwo 命令,是否要输入 show?"),
    (["config", "sett"], "没有 sett 命令,是否要输入 set?"),
    (["init"], "缺少参数 FOLDER(新工作区的文件夹"),
    (["ingest"], "缺少参数 PATHS"),
    (["config", "set"], "缺少参数 名称"),
    (["config", "set", "截止日期"], "缺少参数 值"),
    (["score", "--bogus"], "没有 --bogus 选项"),
    (["score", "-x"], "没有 -x 选项"),
    (["generate", "--unti", "区发改局"], "没有 --unti 选项,是否要输入 --unit?"),
    (["init", "ws", "--year", "abc"], "--year 的值有误:应为整数"),
    (["init", "ws", "--year"], "选项 --year 后面要写一个值"),
    (["version", "extra"], "多出了参数 extra"),
    (["accept", "abc", "--reason", "x"], "的值有误:应为整数"),
    (["reopen"], "缺少选项 --reason"),
])
def test_usage_errors_are_chinese_with_a_suggestion(cli, tmp_path, args, says):
    result = cli(*args, cwd=tmp_path)
    assert result.code == 2, (result.code, result.err)
    assert says in result.err, result.err
    assert "请运行 fazhi" in result.err and "-h 查看用法和示例" in result.err
    assert_chinese(result.out + result.err)
    assert "Traceback" not in result.err


def test_the_module_runs_and_speaks_chinese():
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "generat"], capture_output=True, text=True,
                          check=False, encoding="utf-8")
    assert done.returncode == 2 and "是否要输入 generate" in done.stderr
    assert_chinese(done.stdout + done.stderr)
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "-h"], capture_output=True, text=True, check=False,
                          encoding="utf-8")
    assert done.returncode == 0 and re.search(r"用法:\S*fazhi", done.stdout)
