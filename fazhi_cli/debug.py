"""Whether fazhi runs with --debug: internal errors then show their traceback instead of a refusal."""

from __future__ import annotations

import os


def debug_enabled() -> bool:
    """True when `fazhi --debug` (or FAZHI_DEBUG=1) asked for tracebacks."""
    return os.environ.get("FAZHI_DEBUG") == "1"
