"""`fazhi verify`: every archived original against its recorded SHA-256, and every seal on the office's records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fazhi_cli.domain.seals import CHAINS, SealBreak
from fazhi_cli.integrity.originals import OriginalProblem, original_problems
from fazhi_cli.integrity.records import record_breaks
from fazhi_cli.workspace import Workspace

Problem = OriginalProblem | SealBreak


@dataclass(frozen=True)
class VerifyReport:
    """What `fazhi verify` checked (originals, sealed records) and every problem found, originals first."""

    files: int
    records: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when every original and every seal verifies."""
        return not self.problems

    def as_dict(self) -> dict:
        """What `fazhi verify --json` prints."""
        return {"ok": self.ok, "files": self.files, "records": self.records,
                "problems": [problem.as_dict() for problem in self.problems]}


def verify_workspace(workspace: Workspace, on_file: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check every archived original and every sealed record of the workspace (nothing is changed)."""
    with workspace.open_store() as store:
        files, originals = original_problems(workspace.archive, store, on_file)
        records = sum(len(store.sealed_rows(chain)) for chain in CHAINS)
        breaks = record_breaks(store)
    return VerifyReport(files, records, (*originals, *breaks))
