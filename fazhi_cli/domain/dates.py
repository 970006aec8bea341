"""Dates as a person types them: 2026-12-5, 2026/12/5, 2026.12.5, 2026年12月5日, in either width."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

DATE_EXAMPLES = "2026-12-05、2026/12/5、2026.12.5 或 2026年12月5日"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


class NotADate(ValueError):
    """The text is not a date a person meant (message in Chinese)."""


def parse_date(raw: object) -> dt.date:
    """The date in a text typed any usual way (full-width digits and punctuation too); raises NotADate."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    found = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if found is None:
        raise NotADate(f"“{text[:40]}”不是日期(可写成 {DATE_EXAMPLES})")
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NotADate(f"“{text[:40]}”不是日历上有的日期({year} 年 {month} 月没有 {day} 日)") from None
