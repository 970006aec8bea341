"""Reading numbers and answers the way people type them, and the two-decimal rounding of scores.

Every value that comes from outside (a unit's cell, the office's review sheet, a setting) becomes a number
only here, and only as a bounded exact decimal: nothing infinite, nothing NaN, nothing beyond
MAX_MAGNITUDE, never a negative zero. A value that cannot be such a number raises NotANumber, whose
`reason` says why in Chinese (过大, 不是有限数, 逻辑值 …) so that the finding on that cell can say it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fazhi_cli.domain.text import printable

CENT = Decimal("0.01")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SCIENTIFIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE]([+-]?\d{1,9})$")
YES = "是"
NO = "否"

MAX_MAGNITUDE = Decimal(10**6)  # no score, deduction or setting is anywhere near a million
MAX_COUNT = 10_000  # occurrences of one deduction case in one year
MAX_WEIGHT = Decimal(100)
MAX_TEXT = 60  # characters of a number typed as text (a 30-digit number is already far beyond any bound)
SHOWN_LENGTH = 30  # characters of an unreadable value repeated in a message

# why a value is not a number, as the finding on its cell says it (the subject is the value in quotes)
NOT_FINITE = "不是有限数"
TOO_LARGE = f"数值过大(绝对值超过 {MAX_MAGNITUDE})"
COUNT_TOO_LARGE = f"次数过大(超过 {MAX_COUNT}),请核实"
LOGICAL = "是逻辑值(TRUE/FALSE),不是数字"
LOGICAL_ANSWER = "是逻辑值(TRUE/FALSE)"
ERROR_VALUE = "是 Excel 错误值,不是数字"
SCIENTIFIC = "是科学记数法,请直接填写数字"
TOO_LONG = "位数过多"
NOT_WHOLE = "不是大于或等于 0 的整数"

_NON_FINITE_WORDS = frozenset(
    sign + word for sign in ("", "+", "-") for word in ("inf", "infinity", "nan", "snan", "∞", "1.#inf", "1.#qnan")
)
_LOGICAL_WORDS = frozenset({"true", "false"})
_EXCEL_ERRORS = frozenset({"#num!", "#div/0!", "#value!", "#ref!", "#name?", "#n/a", "#null!", "#getting_data"})


class NotANumber(ValueError):
    """The value is not a number a person meant (message in Chinese).

    `reason` is the Chinese phrase saying why, when there is something more to say than “not readable”
    (None then); `shown` is the value as a message repeats it (TRUE for a logical cell, shortened text).
    """

    def __init__(self, message: str, reason: str | None = None, shown: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.shown = shown


def show_raw(raw: object) -> str:
    """A raw value as a message repeats it: TRUE/FALSE for a logical cell, ∞ for an infinite number,
    text without control characters and cut to SHOWN_LENGTH characters."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isnan(raw):
            return "NaN"
        if math.isinf(raw):
            return "∞" if raw > 0 else "-∞"
        return repr(raw)
    if isinstance(raw, int) and raw.bit_length() > 10_000:  # beyond what str() of an int may convert
        return "位数极多的整数"
    if isinstance(raw, Decimal) and not raw.is_finite():
        return "NaN" if raw.is_nan() else ("∞" if raw > 0 else "-∞")
    text = printable("" if raw is None else raw)
    if normalise_text(text).lower() in _LOGICAL_WORDS:
        return normalise_text(text).upper()
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


def _refuse(raw: object, reason: str | None) -> NotANumber:
    shown = show_raw(raw)
    return NotANumber(f"“{shown}”{reason or '不是数字'}", reason, shown)


def not_negative_zero(value: Decimal) -> Decimal:
    """The value, with a negative zero (-0, -0.00) made a plain zero of the same exponent."""
    return value.copy_abs() if value.is_zero() else value


def cents(value: Decimal) -> Decimal:
    """Round to two decimals, half up, as scores are kept; never a negative zero.

    Raises ValueError for a value that no bounded input can produce (infinite, NaN, or too large to
    round exactly): that is a bug, not a unit's mistake.
    """
    if not value.is_finite() or value.copy_abs() >= Decimal(10**20):
        raise ValueError(f"internal error: score {value!r} is out of bounds")
    return not_negative_zero(value.quantize(CENT, rounding=ROUND_HALF_UP))


def format_cents(value: Decimal | int | float) -> str:
    """A score for display with two decimals (`83.20`, `0.00`, never `-0.00`)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    return f"{cents(number):.2f}"


def plain_number(value: Decimal) -> int | float:
    """A score as JSON or an Excel cell holds it: at most two decimals, an int when whole, never -0."""
    rounded = cents(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def plain_or_none(value: Decimal | None) -> int | float | None:
    """`plain_number`, or None for no value (a blank cell, a JSON null)."""
    return None if value is None else plain_number(value)


def normalise_text(raw: object) -> str:
    """Full-width to half-width (`８．５` → `8.5`) and surrounding whitespace removed."""
    return unicodedata.normalize("NFKC", str(raw)).strip()


def is_blank(raw: object) -> bool:
    """True for an empty cell: None or whitespace only."""
    return raw is None or (isinstance(raw, str) and normalise_text(raw) == "")


def _bounded(raw: object, value: Decimal) -> Decimal:
    if not value.is_finite():
        raise _refuse(raw, NOT_FINITE)
    if value.copy_abs() > MAX_MAGNITUDE:  # copy_abs, not abs(): no context, so no Overflow for 1E+999999999
        raise _refuse(raw, TOO_LARGE)
    return not_negative_zero(value)


def _from_text(raw: object) -> Decimal:
    text = normalise_text(raw if raw is not None else "").replace(",", "")
    if text.endswith("分"):
        text = text[:-1].strip()
    lowered = text.lower()
    if lowered in _LOGICAL_WORDS:
        raise _refuse(raw, LOGICAL)
    if lowered in _NON_FINITE_WORDS:
        raise _refuse(raw, NOT_FINITE)
    if lowered in _EXCEL_ERRORS:
        raise _refuse(raw, ERROR_VALUE)
    if len(text) > MAX_TEXT and _NUMBER.match(text):
        raise _refuse(raw, TOO_LONG)
    if _SCIENTIFIC.match(text):  # `1E999` typed as text: exact in Decimal (the exponent has at most 9 digits)
        raise _refuse(raw, TOO_LARGE if Decimal(text).copy_abs() > MAX_MAGNITUDE else SCIENTIFIC)
    if not _NUMBER.match(text):
        raise _refuse(raw, None)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already guards this
        raise _refuse(raw, None) from exc


def parse_decimal(raw: object) -> Decimal:
    """A number as typed: `8`, `8.5`, ` 8 `, `８`, `8分`, `８．５分`, or an Excel number.

    The result is finite, within ±MAX_MAGNITUDE and never a negative zero. Raises NotANumber for
    anything else: text that is no number, a logical (TRUE/FALSE) value, an infinite or NaN value, one too
    large, a number written in scientific notation as text.
    """
    if isinstance(raw, bool):
        raise _refuse(raw, LOGICAL)
    if isinstance(raw, int):
        if abs(raw) > MAX_MAGNITUDE:  # compared as ints: no conversion of a huge number to text
            raise _refuse(raw, TOO_LARGE)
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _refuse(raw, NOT_FINITE)
        if abs(raw) > MAX_MAGNITUDE:
            raise _refuse(raw, TOO_LARGE)
        # repr gives the shortest text that reads back as the same float: 4.4, not 4.4000000000000004
        return not_negative_zero(Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        return _bounded(raw, raw)
    return _bounded(raw, _from_text(raw))


def parse_count(raw: object) -> int:
    """A whole number from 0 to MAX_COUNT (`3`, `３`, `3次`, `3起`, 3.0). Raises NotANumber."""
    number = raw
    if isinstance(raw, str):
        text = normalise_text(raw)
        for unit in ("次", "起", "条", "个"):
            if text.endswith(unit):
                text = text[: -len(unit)]
        number = text
    try:
        value = parse_decimal(number)
    except NotANumber as problem:
        reason = COUNT_TOO_LARGE if problem.reason == TOO_LARGE else problem.reason
        raise _refuse(raw, reason) from None
    if value < 0 or value != value.to_integral_value():
        shown = show_raw(raw)
        raise NotANumber(f"“{shown}”{NOT_WHOLE}", None, shown)  # the reading callers already explain
    if value > MAX_COUNT:
        raise _refuse(raw, COUNT_TOO_LARGE)
    return int(value)


def parse_flag(raw: object) -> bool:
    """是 → True, 否 → False (surrounding spaces and full-width forms tolerated). Raises NotANumber."""
    if isinstance(raw, bool) or normalise_text(raw if raw is not None else "").lower() in _LOGICAL_WORDS:
        shown = show_raw(raw)
        raise NotANumber(f"“{shown}”{LOGICAL_ANSWER},应为“是”或“否”", LOGICAL_ANSWER, shown)
    text = normalise_text(raw if raw is not None else "")
    if text == YES:
        return True
    if text == NO:
        return False
    shown = show_raw(raw)
    raise NotANumber(f"“{shown}”应为“是”或“否”", None, shown)


def parse_setting(raw: object, name: str, low: Decimal, high: Decimal) -> Decimal:
    """A number from fazhi.toml (`5`, `5.5`, `"5"`) between `low` and `high`. Raises NotANumber whose
    message names the setting."""
    try:
        value = parse_decimal(raw)
    except NotANumber as problem:
        why = problem.reason or "不是数字"
        raise NotANumber(f"fazhi.toml 中 {name} 的值“{problem.shown}”{why},应为 {low} 至 {high} 之间的数",
                         problem.reason, problem.shown) from None
    if not low <= value <= high:
        raise NotANumber(f"fazhi.toml 中 {name} 的值 {value} 超出范围,应为 {low} 至 {high} 之间的数",
                         "超出范围", str(value))
    return value


def parse_weight(raw: object, name: str = "weight(折算权重)") -> Decimal:
    """A conversion weight (折算权重) from fazhi.toml — `[weights]` per unit type, or the older single
    `weight` — a finite number from 0 to 100; `name` is the setting the refusal names. Raises NotANumber."""
    return parse_setting(raw, name, Decimal(0), MAX_WEIGHT)
