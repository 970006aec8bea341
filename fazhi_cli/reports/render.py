"""The Jinja2 environment for the HTML reports: shipped templates, overridable from the workspace.

Autoescaping is on for every template (`autoescape=True`: `select_autoescape()` would not escape a
template named `*.html.j2`), and undefined names are errors rather than silent blanks.
"""

from __future__ import annotations

import traceback
from decimal import Decimal
from importlib import resources
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
)

from fazhi_cli.domain.numbers import format_cents
from fazhi_cli.errors import FazhiError

TEMPLATE_HINT = "请改正工作区 templates/ 中的这个模板后重试;删除它则改用内置模板。"


def shipped_templates() -> Path:
    """The folder of the templates shipped inside the package."""
    return Path(str(resources.files("fazhi_cli.templates")))


def points(value: Decimal | None) -> str:
    """A score for display: two decimals, blank for none."""
    return "" if value is None else format_cents(value)


def percent(value: Decimal | float | None) -> str:
    """A rate as a percentage with one decimal."""
    if value is None:
        return ""
    shown = round(float(value) * 100, 1)
    return f"{shown if shown else 0.0:.1f}%"  # a rate that rounds to zero shows as 0.0%, never -0.0%


def environment(override: Path | None = None) -> Environment:
    """An environment that looks in `override` (the workspace's templates/) first, then the shipped ones."""
    loaders = []
    if override is not None and override.is_dir():
        loaders.append(FileSystemLoader(str(override)))
    loaders.append(FileSystemLoader(str(shipped_templates())))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = points
    env.filters["percent"] = percent
    return env


def text_environment(override: Path | None = None) -> Environment:
    """Like `environment`, for plain text (e-mail subjects and bodies): nothing is HTML-escaped, since nothing
    is HTML; unit-supplied text is made printable by the caller before it goes in."""
    env = environment(override)
    env.autoescape = False
    return env


def load_template(env: Environment, name: str) -> Template:
    """The template `name`; a workspace's customised template that does not parse is a `FazhiError`
    naming the file and the line."""
    try:
        return env.get_template(name)
    except TemplateSyntaxError as exc:
        raise FazhiError(
            f"报告模板 {exc.filename or name} 第 {exc.lineno} 行有语法错误:{exc.message}", TEMPLATE_HINT
        ) from None
    except UnicodeDecodeError:
        raise FazhiError(f"报告模板 {name} 不是 UTF-8 编码", "请把模板另存为 UTF-8 编码后重试。") from None


def render(template: Template, context: dict) -> str:
    """The template filled in; a customised template failing while it renders (an unknown variable, a
    wrong filter) is a `FazhiError` naming the file and the line. A shipped template failing is a bug."""
    try:
        return template.render(context)
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError) as exc:
        filename = template.filename or template.name or ""
        if not filename or Path(filename).resolve().is_relative_to(shipped_templates().resolve()):
            raise
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
        where = f"第 {lines[-1]} 行" if lines else ""
        raise FazhiError(f"报告模板 {filename} {where}出错:{exc}", TEMPLATE_HINT) from None
