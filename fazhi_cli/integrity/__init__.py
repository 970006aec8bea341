"""Integrity: the office's own records sealed with the workspace secret (`records`), the archived originals against
their recorded SHA-256 (`originals`), and `fazhi verify`, which checks both (`verify`)."""

from fazhi_cli.integrity.originals import original_problems
from fazhi_cli.integrity.records import RecordsUnsealed, record_breaks, require_sealed
from fazhi_cli.integrity.verify import Problem, VerifyReport, verify_workspace

__all__ = [
    "Problem", "RecordsUnsealed", "VerifyReport", "original_problems", "record_breaks", "require_sealed",
    "verify_workspace",
]  # fmt: skip
