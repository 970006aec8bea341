"""What `fazhi validate` gives: the report of every unit's findings with the annotated copies written, and its
JSON (what `fazhi validate --json` prints)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.validate.annotate import Annotated
from fazhi_cli.validate.check import ValidationReport


@dataclass(frozen=True)
class Validation:
    """What `fazhi validate` found, and the annotated copies it wrote (none unless asked to annotate)."""

    report: ValidationReport
    annotated: Annotated

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error (the command then exits 1)."""
        return self.report.has_errors


def validation_json(result: Validation) -> dict[str, Any]:
    """What `fazhi validate --json` prints: `{"findings": [...]}`, the shape fixed by the interface.

    Example::

        api.validation_json(api.validate(Path("2017考核")))["findings"]
    """
    return json_ready({"findings": [f.as_dict() for f in result.report.findings()]})
