"""What the command line's edge uses besides the commands (re-exported by the api, not results): the debug switch
(`enable_debug`, `debug_enabled`), `write_error` (an OSError met while writing, as a user error),
`require_defusedxml`, and for printing `format_cents`, `printable` and `combination_text` (a score's components)."""

from __future__ import annotations

import os

from fazhi_cli.domain.components import combination_text as combination_text
from fazhi_cli.domain.numbers import format_cents as format_cents
from fazhi_cli.domain.text import printable as printable
from fazhi_cli.infra.debug import ENVIRONMENT_VARIABLE as DEBUG_VARIABLE
from fazhi_cli.infra.debug import debug_enabled as debug_enabled
from fazhi_cli.infra.files import write_error as write_error
from fazhi_cli.infra.safety import require_defusedxml as require_defusedxml


def enable_debug() -> None:
    """Keep the traceback of an internal error instead of a message (what `fazhi --debug` does)."""
    os.environ[DEBUG_VARIABLE] = "1"
