"""The office's clock: the only time fazhi trusts for when a file was received.

`FAZHI_NOW` (an ISO 8601 date-time) sets the clock for rehearsals, the demo and tests; it is the office's
own setting on its own machine, never something a unit sends.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from fazhi_cli.errors import UsageError

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
ENVIRONMENT_VARIABLE = "FAZHI_NOW"
_SIMULATED: ContextVar[dt.datetime | None] = ContextVar("fazhi_simulated_now", default=None)


def parse_moment(text: str | None) -> dt.datetime | None:
    """A stored ISO date-time (China time when it carries no zone), or None when blank or unreadable."""
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


@contextmanager
def simulated_now(moment: dt.datetime) -> Iterator[None]:
    """Within this block the office's clock says `moment` (the demo plays a year-end on its own calendar)."""
    token = _SIMULATED.set(moment)
    try:
        yield
    finally:
        _SIMULATED.reset(token)


def office_now() -> dt.datetime:
    """Now by the office's clock, timezone-aware (China time when FAZHI_NOW gives no zone); inside
    `simulated_now`, the simulated moment."""
    simulated = _SIMULATED.get()
    if simulated is not None:
        return simulated
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
