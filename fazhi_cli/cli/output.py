"""Terminal output: rich consoles (results on stdout, messages on stderr), JSON, and error reports."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

from fazhi_cli import api
from fazhi_cli.api import json_ready
from fazhi_cli.errors import FazhiError

PIPED_WIDTH = 200  # a table's width when the output goes to a file or a pipe (rich would take 80)


def _console(stderr: bool) -> Console:
    """A console whose lines rich never breaks (the terminal wraps them, so a path stays whole when copied), and
    whose tables, when the output is piped into a file, are laid out wide enough not to break paths either."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=PIPED_WIDTH if piped else None)


console = _console(stderr=False)
messages = _console(stderr=True)


def print_json(data: Any) -> None:
    """Only JSON on stdout (UTF-8, Chinese unescaped), for scripts: the api's JSON-ready data, printed as is
    (strict JSON: no NaN or Infinity)."""
    print(json.dumps(json_ready(data), ensure_ascii=False, indent=2, allow_nan=False))


def safe(text: object) -> str:
    """Text from outside (a unit, a file, a roster) made safe for the terminal: control characters and bidi
    overrides removed, rich markup escaped, so that it prints literally and cannot move the cursor."""
    return escape(api.printable(text))


def report_error(error: FazhiError) -> None:
    """Print a user error in Chinese on stderr: what is wrong, every detail, then what to do."""
    messages.print(f"[bold red]错误:[/] {safe(error.message)}", soft_wrap=True)
    for detail in error.details:
        messages.print(f"  - {safe(detail)}", soft_wrap=True)
    if error.hint:
        messages.print(f"[yellow]处理办法:[/] {safe(error.hint)}", soft_wrap=True)


def note(text: str) -> None:
    """A message for the person (stderr, so --json output stays clean)."""
    messages.print(text, soft_wrap=True)
