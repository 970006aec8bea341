"""The Jinja2 environment for the HTML reports: shipped templates, overridable from the workspace.

Autoescaping is on for every template (`autoescape=True`: `select_autoescape()` would not escape a
template named `*.html.j2`), and undefined names are errors rather than silent blanks.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from fazhi_cli.domain.numbers import format_cents


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
