"""One ingest run: its context, what became of each file, and how a file is recorded or refused.

Shared by `ingest` (which decides what each incoming file is) and `review` (which takes a returned
review sheet for it), so that neither imports the other's internals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.evidence import RosterEvidence, unit_addresses
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import CHINA, office_now
from fazhi_cli.intake import Incoming
from fazhi_cli.store import FileRecord, Store
from fazhi_cli.workspace import Workspace

TAKEN = "taken"
SUPERSEDED = "superseded"
DUPLICATE = "duplicate"
REFUSED = "refused"
MATERIAL = "material"
UNPACKED = "unpacked"
REVIEW = "review"
LEDGER = "ledger"
LEDGER_PROBLEMS = "ledger_problems"  # the code of a ledger taken with rows that were not
RECTIFY_TAKEN = "rectify_taken"  # the code of a 整改 return taken (its outcome TAKEN)
RECTIFY_PROBLEMS = "rectify_problems"  # the code of a 整改 return taken with errors in it
RECTIFY_REVIEW = "rectify_review"  # the code of a 整改复核表 taken whole
REVIEW_PROBLEMS = "review_problems"  # a 复核打分表 taken with office values that do not count (未采用)
RECTIFY_REVIEW_PROBLEMS = "rectify_review_problems"  # the code of a 整改复核表 taken with rows that were not
COMPONENT_SHEET = "component"  # the code of a 评分构成表 taken whole (its outcome REVIEW)
COMPONENT_PROBLEMS = "component_problems"  # the code of a 评分构成表 taken with rows that were not
HELD = "held"
SKIPPED = "skipped"
OUTCOME_LABELS = {
    TAKEN: "已收取", SUPERSEDED: "已收取(非最新)", DUPLICATE: "重复", REFUSED: "退回", HELD: "待确认",
    MATERIAL: "附件材料", UNPACKED: "已拆包", REVIEW: "复核打分表", LEDGER: "台账", SKIPPED: "已跳过",
}  # fmt: skip


@dataclass
class FileOutcome:
    """What became of one incoming file."""

    name: str
    origin: str
    outcome: str
    unit: str | None = None
    message: str = ""
    sha256: str = ""
    code: str | None = None
    other_unit: str | None = None  # for an identity conflict: the roster unit the evidence names

    @property
    def rectify(self) -> bool:
        """True for a 整改 file (a unit's 整改 workbook, the office's 整改复核表), taken, held or refused as one: its
        codes all begin with rectify_. It changes no approved result."""
        return (self.code or "").startswith("rectify_")


@dataclass
class IngestReport:
    """The outcome of a batch, file by file."""

    files: list[FileOutcome] = field(default_factory=list)
    notice: str = ""  # once results are approved: the files were kept, the approved results do not change

    def count(self, outcome: str) -> int:
        """How many files ended with this outcome."""
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def refused(self) -> bool:
        """True when at least one file was refused or held (the command then exits 1)."""
        return self.count(REFUSED) + self.count(HELD) > 0

    @property
    def ledger_problems(self) -> bool:
        """True when a ledger was taken with rows that could not be (the command then exits 1 too)."""
        return any(f.outcome == LEDGER and f.code == LEDGER_PROBLEMS for f in self.files)

    @property
    def rectify_problems(self) -> bool:
        """True when a 整改 return was taken with errors in it (the command then exits 1 too)."""
        return any(f.outcome == TAKEN and f.code == RECTIFY_PROBLEMS for f in self.files)

    @property
    def rectify_review_problems(self) -> bool:
        """True when a 整改复核表 was taken with rows that could not be (a 销号 without its 复核意见 …): exit 1 too."""
        return any(f.outcome == REVIEW and f.code == RECTIFY_REVIEW_PROBLEMS for f in self.files)

    @property
    def review_problems(self) -> bool:
        """True when a 复核打分表 was taken with office values that do not count (exit 1 too)."""
        return any(f.outcome == REVIEW and f.code == REVIEW_PROBLEMS for f in self.files)

    @property
    def component_problems(self) -> bool:
        """True when a 评分构成表 was taken with rows that could not be (a value no number or out of 0–100, a unit
        not assessed, a unit twice): exit 1 too."""
        return any(f.outcome == REVIEW and f.code == COMPONENT_PROBLEMS for f in self.files)

    @property
    def taken_with_problems(self) -> bool:
        """True when a file was taken but something in it was not (the command exits 1, as for a refused file)."""
        return (self.ledger_problems or self.rectify_problems or self.rectify_review_problems or self.review_problems
                or self.component_problems)


def to_store_time(moment: dt.datetime) -> str:
    """A timezone-aware moment as the store keeps it: ISO 8601 in China time, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA).replace(microsecond=0).isoformat()


@dataclass
class Batch:
    """What one ingest run needs: the campaign, its rubric and roster, the store and the report."""

    workspace: Workspace
    campaign: Campaign
    rubric: Rubric
    units: dict[str, Unit]
    store: Store
    batch_id: str
    report: IngestReport
    secret: bytes
    clock: Callable[[], dt.datetime] = office_now
    read_ahead: dict[int, object] = field(default_factory=dict)  # id(item) → its workbook being read by a worker
    unflushed: dict[str, Path] = field(default_factory=dict)  # archive name → its `.part`, until the chunk commits
    memo: dict[str, object] = field(default_factory=dict)  # what a stage reads once per batch (the 整改 owed)
    _evidence: RosterEvidence | None = field(default=None, repr=False)

    def roster_evidence(self) -> RosterEvidence:
        """The roster's names and addresses indexed once for the batch (who else may have sent a file)."""
        if self._evidence is None:
            self._evidence = RosterEvidence({name: unit_addresses(u.email) for name, u in self.units.items()})
        return self._evidence


    def record(self, item: Incoming, sha: str, archive_name: str, outcome: str, kind: str,
               unit: str | None = None, message: str | None = None, code: str | None = None,
               other_unit: str | None = None) -> FileRecord:
        """The file's record: received by the office's clock now; the sender's claimed times kept apart."""
        kept = self.unflushed.get(archive_name) or self.workspace.archive / archive_name
        size = kept.stat().st_size  # the bytes kept, also for a too-large file
        now = to_store_time(self.clock())
        return FileRecord(
            sha256=sha, size=size, archive_name=archive_name, original_name=item.original_name,
            origin=item.origin, received_at=now, taken_at=now, kind=kind, outcome=outcome, unit=unit,
            message=message, batch=self.batch_id, code=code or outcome,
            sent_at=to_store_time(item.sent_at) if item.sent_at else None,
            file_time=to_store_time(item.file_time) if item.file_time else None,
            sender=", ".join(item.senders) or None, other_unit=other_unit,
        )


def refuse(batch: Batch, item: Incoming, sha: str, archive_name: str, message: str, unit: str | None = None,
           kind: str | None = None, code: str = REFUSED) -> FileOutcome:
    """Record a refused file (once per content) and report it."""
    return _record_once(batch, item, sha, archive_name, REFUSED, kind or item.kind, unit, message, code)


def hold(batch: Batch, item: Incoming, sha: str, archive_name: str, message: str, unit: str | None,
         code: str = "identity_unverified", other_unit: str | None = None) -> FileOutcome:
    """Record a held file (待确认: kept, not credited until the office decides with `fazhi accept` or `fazhi
    reject`) once per content: its identity does not verify, the evidence names `other_unit`, or it came from an
    address off the roster and would replace the unit's return from its own address."""
    return _record_once(batch, item, sha, archive_name, HELD, item.kind, unit, message, code, other_unit)


def _record_once(batch: Batch, item: Incoming, sha: str, archive_name: str, outcome: str, kind: str,
                 unit: str | None, message: str, code: str, other_unit: str | None = None) -> FileOutcome:
    """Record a file not taken (once per content: a rerun finds it) and report it."""
    if batch.store.file_by_sha(sha) is None:
        batch.store.record_file(batch.record(item, sha, archive_name, outcome, kind, unit, message, code, other_unit))
    return FileOutcome(item.original_name, item.origin, outcome, unit, message, sha, code, other_unit)
