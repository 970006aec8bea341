"""The edge of `fazhi ingest`: turn the paths a clerk hands in into a flat stream of incoming files.

The code lives in `fazhi_cli.intake.mail` for now; the names other modules and the tests use are importable
from the package.
"""

from fazhi_cli.intake.mail import (
    _KIND_REFUSALS as _KIND_REFUSALS,  # not public: tests check that the codes of refusal_for_kind are in the table
)
from fazhi_cli.intake.mail import (
    CONTAINER_KINDS,
    DEFAULT_LIMITS,
    KINDS,
    MAX_NESTING,
    Incoming,
    collect,
    refusal_for_kind,
    sniff,
    xlsx_problem,
)

__all__ = [
    "CONTAINER_KINDS",
    "DEFAULT_LIMITS",
    "KINDS",
    "MAX_NESTING",
    "Incoming",
    "collect",
    "refusal_for_kind",
    "sniff",
    "xlsx_problem",
]
