"""Click and Typer in Chinese: their messages, help headings and usage errors, with suggestions.

Three places, because Typer's versions differ (Typer 0.29 carries its own trimmed Click, which formats messages
with f-strings; Click itself passes them through gettext): the gettext names `_`/`ngettext` of Click's and Typer's
modules are bound to a table of Chinese messages; the help formatter writes Chinese headings, usage and
option descriptions; a usage error is rebuilt in Chinese from the exception (what is missing, the nearest
option or command), with a table of Click's English sentences as the last resort. tests/test_cli_chinese.py
lists the English phrases that must never appear.
"""

from __future__ import annotations

import difflib
import importlib
import re
from types import ModuleType

import typer
import typer.core


def _click_module() -> ModuleType:
    """The Click that Typer uses: its own copy (Typer 0.29+) or the click package."""
    vendored = getattr(typer.core, "_click", None)
    return vendored if isinstance(vendored, ModuleType) else importlib.import_module("click")


CLICK = _click_module()
_ERRORS = CLICK.exceptions
ClickException = _ERRORS.ClickException
ClickUsageError = _ERRORS.UsageError
NoArgsIsHelp = getattr(_ERRORS, "NoArgsIsHelpError", None)

# Click's and Typer's message templates (their msgids) → Chinese; the {fields} are filled by Click.
MESSAGES = {
    "Usage:": "用法:",
    "Usage: ": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "Error": "错误",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "required": "必填",
    "[required]": "[必填]",
    "default: {default}": "默认:{default}",
    "[default: {}]": "[默认:{}]",
    "env var: {var}": "环境变量:{var}",
    "(dynamic)": "(自动)",
    "deprecated": "已停用",
    "(deprecated) ": "(已停用) ",
    "Aborted!": "已取消。",
    "Aborted.": "已取消。",
    "Error: {message}": "错误:{message}",
    "Try '{command} {option}' for help.": "请运行 {command} {option} 查看用法和示例。",
    "No such command {name!r}.": "没有 {name} 命令",
    "Missing command.": "缺少命令",
    "No such option {name!r}.": "没有 {name} 选项",
    "No such option: {name}": "没有 {name} 选项",
    "Did you mean {possibility}?": "是否要输入 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是否要输入以下之一:{possibilities}?)",
    "(Possible options: {possibilities})": "(可能的选项:{possibilities})",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数 {param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值有误:{message}",
    "Invalid value: {message}": "值有误:{message}",
    "Got unexpected extra argument ({args})": "多出了参数 {args}",
    "Got unexpected extra arguments ({args})": "多出了参数 {args}",
    "Option {name!r} requires an argument.": "选项 {name} 后面要写一个值",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面要写 {nargs} 个值",
    "Option {name!r} does not take a value.": "选项 {name} 后面不能写值",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 要写 {nargs} 个值",
    "Takes {nargs} values but 1 was given.": "要写 {nargs} 个值,只写了 1 个",
    "Takes {nargs} values but {len} were given.": "要写 {nargs} 个值,写了 {len} 个",
    "Invalid start character for option ({option})": "选项 {option} 的开头字符有误",
    "{value!r} is not a valid {number_type}.": "“{value}”不是{number_type}",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是 是/否(可写:{states})",
    "{value!r} is not {choice}.": "“{value}”不是 {choice}",
    "{value!r} is not one of {choices}.": "“{value}”不是以下之一:{choices}",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合以下格式:{formats}",
    "Choose from:\n\t{choices}": "可选:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在",
    "{name} {filename!r} is a directory.": "{name} {filename} 是文件夹,应为文件",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件,应为文件夹",
    "{name} {filename!r} is not readable.": "{name} {filename} 无法读取",
    "{name} {filename!r} is not writable.": "{name} {filename} 无法写入",
    "{name} {filename!r} is not executable.": "{name} {filename} 无法执行",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename}:{message}",
    "{len_type} values are required, but {len_value} was given.": "要写 {len_type} 个值,写了 {len_value} 个",
    "{len_type} values are required, but {len_value} were given.": "要写 {len_type} 个值,写了 {len_value} 个",
    "Value must be an iterable.": "值应为多项",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "unknown error": "未知错误",
    "Do you want to continue?": "是否继续?",
    "Confirm the action without prompting.": "不再询问,直接执行。",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误:两次输入不一致。",
    "Error: invalid input": "错误:输入有误",
    "Press any key to continue...": "按任意键继续……",
}
OPTIONS_METAVAR = "[选项]"
_MODULES = ("core", "exceptions", "formatting", "parser", "types", "decorators", "termui", "utils")
_TYPER_MODULES = ("typer.core", "typer.main", "typer.rich_utils", "typer._param_types")
# Click's English sentences (from f-strings, where gettext never sees them) → Chinese, tried in order
_SENTENCES = (
    (r"No such option: (\S+)", r"没有 \1 选项"),
    (r"No such option '?([^'.]+)'?\.", r"没有 \1 选项"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", r"多出了参数 \1"),
    (r"Option '([^']+)' requires an argument\.", r"选项 \1 后面要写一个值"),
    (r"Option '([^']+)' requires (\d+) arguments\.", r"选项 \1 后面要写 \2 个值"),
    (r"Option '([^']+)' does not take a value\.", r"选项 \1 后面不能写值"),
    (r"Missing command\.", "缺少命令"),
    (r"'([^']*)' is not a valid integer( range)?\.", r"“\1”不是整数"),
    (r"'([^']*)' is not a valid float( range)?\.", r"“\1”不是数字"),
    (r"Value '([^']*)' is not a valid (\w+)\.", r"“\1”不是有效的值"),
    (r"'([^']*)' is not a valid boolean.*", r"“\1”不是 是/否"),
    (r"'([^']*)' is not one of (.*)\.", r"“\1”不是以下之一:\2"),
    (r"'([^']*)' is not (.*)\.", r"“\1”不是 \2"),
    (r"(\S+) is not in the range (.*)\.", r"\1 不在 \2 范围内"),
    (r"(File|Directory|Path|文件|文件夹|路径) '([^']*)' does not exist\.", r"\1 \2 不存在"),
    (r"(File|Directory|Path|文件|文件夹|路径) '([^']*)' is a directory\.", r"\1 \2 是文件夹,应为文件"),
    (r"(File|Directory|Path|文件|文件夹|路径) '([^']*)' is a file\.", r"\1 \2 是文件,应为文件夹"),
    (r"(File|Directory|Path|文件|文件夹|路径) '([^']*)' is not readable\.", r"\1 \2 无法读取"),
    (r"Could not open file '([^']*)': (.*)", r"无法打开文件 \1:\2"),
    # Typer 0.29 checks values with pydantic, whose messages these are
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid (number|float|decimal).*", "应为数字"),
    (r"Input should be a valid boolean.*", "应为 是/否"),
    (r"Input should be a valid (date|datetime).*", "应为日期"),
    (r"Input should be .*", "写法有误"),
)
# the value types Typer shows in angle brackets (`<int>`, `<dir>`, `<list[Path]>`)
_TYPE_LABELS = {"int": "整数", "integer": "整数", "float": "数字", "str": "文字", "text": "文字", "bool": "是/否",
                "path": "路径", "dir": "文件夹", "directory": "文件夹", "file": "文件", "datetime": "日期",
                "uuid": "UUID"}
_WORDS = {"File": "文件", "Directory": "文件夹", "Path": "路径"}
# Click's metavars and help fragments, as the help page shows them
_HELP_WORDS = (
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("[required]", "[必填]"),
    ("[default: ", "[默认:"),
    ("default: ", "默认:"),
    ("env var: ", "环境变量:"),
    ("(deprecated)", "(已停用)"),
)
_METAVARS = {"TEXT": "文字", "INTEGER": "整数", "FLOAT": "数字", "PATH": "路径", "DIRECTORY": "文件夹",
             "FILE": "文件", "BOOLEAN": "是/否", "[OPTIONS]": OPTIONS_METAVAR, "COMMAND": "命令",
             "[ARGS]...": "[参数]...", "INTEGER RANGE": "整数", "FLOAT RANGE": "数字"}


def translate(message: str) -> str:
    """A Click or Typer message template in Chinese (unchanged when the table does not know it)."""
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """`ngettext` for Click: the Chinese of the singular or plural template."""
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Bind Click's and Typer's gettext names to the Chinese table, and give Click's contexts the Chinese help
    formatter."""
    names = [f"{CLICK.__name__}.{name}" for name in _MODULES] + list(_TYPER_MODULES)
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:  # not in this version of Click or Typer
            continue
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    context = CLICK.core.Context
    if not issubclass(context.formatter_class, ChineseHelpFormatter):
        context.formatter_class = type("ChineseHelpFormatter", (ChineseHelpFormatter, context.formatter_class), {})


def chinese_sentence(text: str) -> str:
    """One of Click's English sentences in Chinese (unchanged when none of the known sentences)."""
    for pattern, replacement in _SENTENCES:
        changed, count = re.subn(pattern, replacement, text)
        if count:
            return changed
    return text


def _metavars(text: str) -> str:
    words = " ".join(_METAVARS.get(word, word) for word in text.split(" "))
    words = re.sub(r"\{(\w+)\}", lambda found: found.group(1).upper(), words)  # Typer 0.29: `{paths}...`
    return re.sub(r"<([^<>]*)>", lambda found: f"<{_type_label(found.group(1))}>", words)


def _type_label(inner: str) -> str:
    """A Typer type label (`int`, `list[Path]`, `int range`) in Chinese."""
    listed = re.fullmatch(r"list\[(.*)\]", inner)
    if listed:
        return _type_label(listed.group(1)) + "…"
    return "|".join(_TYPE_LABELS.get(part.strip().removesuffix(" range").lower(), part) for part in inner.split("|"))


class ChineseHelpFormatter:
    """Mixed into Click's HelpFormatter: Chinese usage line, headings, metavars and Click's option texts."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), "用法:")  # type: ignore[misc]

    def write_heading(self, heading: str) -> None:
        super().write_heading(translate(heading))  # type: ignore[misc]

    def write_dl(self, rows, *args, **kwargs) -> None:  # noqa: ANN001 - Click's own signature
        translated = []
        for term, description in rows:
            for english, chinese in _HELP_WORDS:
                description = description.replace(english, chinese)
            translated.append((_metavars(term), description))
        super().write_dl(translated, *args, **kwargs)  # type: ignore[misc]


class ChineseGroup(typer.core.TyperGroup):
    """A command group that answers a mistyped command in Chinese with the nearest commands."""

    def resolve_command(self, ctx, args):  # noqa: ANN001, ANN201 - Click's own signature
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.5)
            suggestion = f",是否要输入 {' 或 '.join(close)}?" if close else ""
            ctx.fail(f"没有 {name} 命令{suggestion}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter) -> None:  # noqa: ANN001 - Click's own signature
        """The command list, each with a short help Click can show: Click cuts a line at a space, which Chinese has
        none of, and shows “...” for a first sentence over the width (as it did for reject and demo)."""
        width = formatter.width - 6 - max((len(name) for name in self.list_commands(ctx)), default=0)
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.short_help and command.help:
                command.short_help = short_help(command.help, width)
        super().format_commands(ctx, formatter)


def short_help(help_text: str, width: int) -> str:
    """A command's help cut for the command list: its first sentence, else what comes before its first colon, else
    as much as fits with “…” — never an empty “...”."""
    text = ""
    for line in (part.strip() for part in help_text.split("\n\n")[0].splitlines()):
        text += (" " if _latin(text[-1:]) and _latin(line[:1]) else "") + line  # lines join as written
    sentence = text.split("。")[0] + ("。" if "。" in text else "")
    if len(sentence) <= width:
        return sentence
    head = sentence.split(":")[0]
    if 4 <= len(head) <= width:
        return head + "。"
    return sentence[: max(width - 1, 8)] + "…"


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _argument_name(param: object) -> str:
    """An argument as its help shows it: its metavar, else its name in capitals (FOLDER)."""
    return getattr(param, "metavar", None) or str(getattr(param, "name", "") or "").upper()


def usage_error(error: Exception) -> tuple[str, str]:
    """What to print for a usage error: the message in Chinese (a missing argument with what it is for, an
    unknown option with the nearest ones) and the hint naming the command's help."""
    context = getattr(error, "ctx", None)
    path = context.command_path if context is not None else "fazhi"
    hint = f"请运行 {path} -h 查看用法和示例。"
    param = getattr(error, "param", None)
    if isinstance(error, _ERRORS.MissingParameter) and param is not None:
        is_argument = getattr(param, "param_type_name", "") == "argument"
        name = _argument_name(param) if is_argument else " / ".join(param.opts)
        about = (getattr(param, "help", None) or "").rstrip("。")
        what = "参数" if is_argument else "选项"
        return (f"缺少{what} {name}({about})" if about else f"缺少{what} {name}"), hint
    if isinstance(error, _ERRORS.NoSuchOption):
        name = error.option_name
        close = difflib.get_close_matches(name, sorted(error.possibilities or ()), n=3, cutoff=0.3)
        if not close and context is not None:
            known = [opt for p in context.command.get_params(context) for opt in getattr(p, "opts", ())]
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        return f"没有 {name} 选项" + (f",是否要输入 {' 或 '.join(close)}?" if close else ""), hint
    if isinstance(error, _ERRORS.BadParameter) and param is not None:
        names = " / ".join(getattr(param, "opts", ())) if getattr(param, "param_type_name", "") == "option" else (
            _argument_name(param))
        return f"{names} 的值有误:{chinese_sentence(translate(str(error.message)))}", hint
    message = error.format_message() if isinstance(error, ClickException) else str(error)
    return chinese_sentence(translate(message)), hint
