"""Terminal output: rich consoles (results on stdout, messages on stderr), JSON, and error reports."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape

from fazhi_cli.domain.numbers import plain_number
from fazhi_cli.domain.text import printable
from fazhi_cli.errors import FazhiError

console = Console(highlight=False)
messages = Console(stderr=True, highlight=False)


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def json_ready(data: Any) -> Any:
    """The data with every number as strict JSON can carry it: a Decimal as a number with at most two
    decimals, no negative zero, and no NaN or infinity (a bug if one gets here: ValueError, never bad JSON)."""
    if isinstance(data, dict):
        return {key: json_ready(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [json_ready(value) for value in data]
    if isinstance(data, bool) or data is None or isinstance(data, str | int):
        return data
    if isinstance(data, Decimal):
        if not data.is_finite():
            raise ValueError(f"internal error: {data!r} cannot be written as JSON")
        return plain_number(data)
    if isinstance(data, float):
        if not math.isfinite(data):
            raise ValueError(f"internal error: {data!r} cannot be written as JSON")
        return data + 0.0  # -0.0 + 0.0 is 0.0
    return data


def print_json(data: Any) -> None:
    """Only JSON on stdout (UTF-8, Chinese unescaped), for scripts; strict JSON (no NaN or Infinity)."""
    print(json.dumps(json_ready(data), ensure_ascii=False, indent=2, default=_json_default, allow_nan=False))


def safe(text: object) -> str:
    """Text from outside (a unit, a file, a roster) made safe for the terminal: control characters and bidi
    overrides removed, rich markup escaped, so that it prints literally and cannot move the cursor."""
    return escape(printable(text))


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
