"""Data as strict JSON carries it: `json_ready`, the one conversion every `--json` result goes through."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from fazhi_cli.domain.numbers import plain_number


def json_ready(data: Any) -> Any:
    """The data as strict JSON can carry it: a Decimal as a number with at most two decimals, no negative
    zero, dates and times in ISO 8601, and no NaN or infinity (a bug if one gets here: ValueError, never
    bad JSON)."""
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
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data
