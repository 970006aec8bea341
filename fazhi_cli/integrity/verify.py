"""`fazhi verify`: every archived original against its recorded SHA-256, every seal on the office's records, and
every kept earlier year (`fazhi init --from`) against its seal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fazhi_cli.domain.history import history_sealed, year_from_json
from fazhi_cli.domain.seals import CHAINS, SealBreak
from fazhi_cli.integrity.originals import OriginalProblem, original_problems
from fazhi_cli.integrity.records import record_breaks
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class KeptYearProblem:
    """A kept earlier year whose content or seal does not verify, or that cannot be read."""

    year: int
    message: str

    def as_dict(self) -> dict:
        """The problem as `fazhi verify --json` gives it."""
        return {"kind": "history", "year": self.year, "message": self.message}


Problem = OriginalProblem | SealBreak | KeptYearProblem


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
    """Check every archived original, every sealed record and every kept year of the workspace (nothing is
    changed); the kept years count among the records."""
    with workspace.open_store() as store:
        files, originals = original_problems(workspace.archive, store, on_file)
        records = sum(len(store.sealed_rows(chain)) for chain in CHAINS)
        breaks = record_breaks(store)
        kept, history = _kept_year_problems(store, workspace.secret())
    return VerifyReport(files, records + kept, (*originals, *breaks, *history))


def _kept_year_problems(store: Store, secret: bytes) -> tuple[int, list[KeptYearProblem]]:
    """How many earlier years the store keeps, and each whose content or seal does not verify."""
    kept = store.history()
    problems = []
    for year in kept:
        if not history_sealed(secret, year.year, year.sha256, year.content, year.mac):
            problems.append(KeptYearProblem(year.year, f"保存的 {year.year} 年度考核结果未通过印章校验"
                                                       "(内容被改动,或不是本工作区保存的)"))
            continue
        try:
            year_from_json(year.content)
        except (ValueError, KeyError, TypeError):
            problems.append(KeptYearProblem(year.year, f"保存的 {year.year} 年度考核结果无法读取"))
    return len(kept), problems
