"""Whether `fazhi --debug` was given: then internal errors keep their traceback instead of a message."""

from __future__ import annotations

import os

ENVIRONMENT_VARIABLE = "FAZHI_DEBUG"


def debug_enabled() -> bool:
    """True when `--debug` was given (or FAZHI_DEBUG is set to anything but empty or 0)."""
    return os.environ.get(ENVIRONMENT_VARIABLE, "").strip() not in ("", "0")
