"""The office's clock: the only time fazhi trusts for when a file was received.

`FAZHI_NOW` (an ISO 8601 date-time) sets the clock for rehearsals, the demo and tests; it is the office's
own setting on its own machine, never something a unit sends.
"""

from __future__ import annotations

import datetime as dt
import os

from fazhi_cli.errors import UsageError

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
ENVIRONMENT_VARIABLE = "FAZHI_NOW"


def parse_moment(text: str | None) -> dt.datetime | None:
    """A stored ISO date-time (China time when it carries no zone), or None when blank or unreadable."""
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def office_now() -> dt.datetime:
    """Now by the office's clock, timezone-aware (China time when FAZHI_NOW gives no zone)."""
    setting = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not setting:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(setting)
    except ValueError:
        raise UsageError(
            f"环境变量 {ENVIRONMENT_VARIABLE} 的值“{setting[:40]}”不是有效的日期时间",
            f"请写成 2017-12-05T10:00:00+08:00 这样的格式,或删除 {ENVIRONMENT_VARIABLE} 以使用系统时间。",
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)
