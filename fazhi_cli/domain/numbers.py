"""Reading numbers and answers the way people type them, and the two-decimal rounding of scores."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
YES = "是"
NO = "否"


class NotANumber(ValueError):
    """The text is not a number a person meant (message in Chinese)."""


def cents(value: Decimal) -> Decimal:
    """Round to two decimals, half up, as scores are kept."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def normalise_text(raw: object) -> str:
    """Full-width to half-width (`８．５` → `8.5`) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", str(raw)).strip()


def is_blank(raw: object) -> bool:
    """True for an empty cell: None or whitespace only."""
    return raw is None or (isinstance(raw, str) and normalise_text(raw) == "")


def parse_decimal(raw: object) -> Decimal:
    """A number as typed: `8`, `8.5`, ` 8 `, `８`, `8分`, `８．５分`, or an Excel number. Raises NotANumber."""
    if isinstance(raw, bool):
        raise NotANumber("应填写数字")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        # repr gives the shortest text that reads back as the same float: 4.4, not 4.4000000000000004
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw
    text = normalise_text(raw if raw is not None else "").replace(",", "")
    if text.endswith("分"):
        text = text[:-1].strip()
    if not _NUMBER.match(text):
        raise NotANumber(f"“{raw}”不是数字")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise NotANumber(f"“{raw}”不是数字") from exc


def parse_count(raw: object) -> int:
    """A whole number ≥ 0 (`3`, `３`, `3次`, `3起`, 3.0). Raises NotANumber."""
    if isinstance(raw, str):
        text = normalise_text(raw)
        for unit in ("次", "起", "条", "个"):
            if text.endswith(unit):
                text = text[: -len(unit)]
        raw = text
    value = parse_decimal(raw)
    if value < 0 or value != value.to_integral_value():
        raise NotANumber(f"“{raw}”不是大于或等于 0 的整数")
    return int(value)


def parse_flag(raw: object) -> bool:
    """是 → True, 否 → False (surrounding spaces and full-width forms tolerated). Raises NotANumber."""
    text = normalise_text(raw if raw is not None else "")
    if text == YES:
        return True
    if text == NO:
        return False
    raise NotANumber(f"“{raw}”应为“是”或“否”")
