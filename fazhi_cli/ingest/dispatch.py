"""`fazhi ingest`'s batch: take returned files without losing anything.

For every incoming file: keep the original byte-for-byte in archive/ (named by its SHA-256) before
anything else, then decide — a self-assessment workbook is identified by its own identity sheet and
recorded with everything read from it in one transaction; a workbook whose identity says it is the
office's review sheet goes to `review.take_review_sheet` (taken only when the clerk named the file and its
seal verifies); other files from the same e-mail or zip are
kept as that unit's materials; everything else is refused with a message the clerk can forward.
One bad file never stops the batch, and a rerun after a crash completes it (the same bytes are
recognised and not recorded twice).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_cli import intake
from fazhi_cli.approval import current_state
from fazhi_cli.domain.refusals import refusal
from fazhi_cli.domain.submissions import current_submissions
from fazhi_cli.errors import FazhiError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.debug import debug_enabled
from fazhi_cli.ingest.ahead import is_workbook, read_ahead
from fazhi_cli.ingest.archive import keep
from fazhi_cli.ingest.chunks import chunked
from fazhi_cli.ingest.workbooks import take_workbook
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import (
    DUPLICATE,
    MATERIAL,
    SKIPPED,
    SUPERSEDED,
    TAKEN,
    UNPACKED,
    Batch,
    FileOutcome,
    IngestReport,
    refuse,
)
from fazhi_cli.workspace import Workspace

MATERIAL_KINDS = ("pdf", "word", "image", "text")


def _take_other(batch: Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
    """A non-workbook file: a unit's material when it came with that unit's workbook, else refused."""
    refused = intake.refusal_for_kind(item.kind, item.original_name)
    if item.kind in MATERIAL_KINDS and len(set(group_units)) == 1:
        unit = group_units[0]
        earlier = batch.store.file_by_sha(sha)
        if earlier is None:
            batch.store.record_material(batch.record(item, sha, archive_name, MATERIAL, item.kind, unit))
        elif batch.store.link_material(earlier.id, unit):  # the same bytes from another unit: listed for both
            return FileOutcome(item.original_name, item.origin, MATERIAL, unit,
                               "与已存档的文件内容相同,已同时列为本单位的材料", sha)
        return FileOutcome(item.original_name, item.origin, MATERIAL, unit, "随自评表报送的材料,已存档", sha)
    if refused is None:
        refused = refusal("material_alone", name=item.original_name)
    return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)





def _process_group(batch: Batch, items: list[Incoming], on_file: Callable[[FileOutcome], None]) -> None:
    """One e-mail, zip or loose file: containers first, then workbooks, then the other files (which are a
    unit's materials only when that unit's workbook came in the same group)."""
    ordered = sorted(items, key=lambda i: 0 if i.is_container else 1 if is_workbook(i) else 2)  # stable
    group_units: list[str] = []
    for item in ordered:
        if item.skipped is not None:
            outcome = FileOutcome(item.original_name, item.origin, SKIPPED, None, item.skipped, "", SKIPPED)
        else:
            sha, archive_name = keep(batch, item)
            outcome = _guarded(batch, item, sha, archive_name, group_units)
            if is_workbook(item) and outcome.unit and outcome.outcome in (TAKEN, DUPLICATE):
                group_units.append(outcome.unit)
        batch.report.files.append(outcome)
        on_file(outcome)


def _guarded(batch: Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
    """Decide one kept file in its own guard: whatever a parsing library raises on a damaged or hostile file
    becomes a `corrupt` refusal, and the batch goes on (with --debug, the traceback is shown instead).

    The store's own errors and user errors are not a file's fault: they stop the batch with their message.
    """
    try:
        return _decide(batch, item, sha, archive_name, group_units)
    except (sqlite3.Error, FazhiError):
        raise
    except Exception:
        if debug_enabled():
            raise
        corrupt = refusal("corrupt", name=item.original_name)
        return refuse(batch, item, sha, archive_name, corrupt.message, code=corrupt.code)


def _decide(batch: Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
    """What becomes of one kept file: refusal, unpacked container, workbook, material."""
    if item.refusal is not None:
        return refuse(batch, item, sha, archive_name, item.refusal.message, code=item.refusal.code)
    if item.is_container:
        return _container(batch, item, sha, archive_name)
    if is_workbook(item):
        return take_workbook(batch, item, sha, archive_name)
    return _take_other(batch, item, sha, archive_name, group_units)


def _container(batch: Batch, item: Incoming, sha: str, archive_name: str) -> FileOutcome:
    """A container that was unpacked (its members follow it): recorded once per content."""
    if batch.store.file_by_sha(sha) is None:
        batch.store.record_file(batch.record(item, sha, archive_name, UNPACKED, item.kind))
    return FileOutcome(item.original_name, item.origin, UNPACKED, None, "", sha)


def _groups(items: Iterable[Incoming]) -> Iterator[list[Incoming]]:
    """Consecutive incoming files of the same e-mail, zip or loose file."""
    current: list[Incoming] = []
    for item in items:
        if current and item.group != current[0].group:
            yield current
            current = []
        current.append(item)
    if current:
        yield current


def _mark_superseded(batch: Batch) -> None:
    """A workbook taken in this batch that is not its unit's current submission (a 整改 workbook: its current 整改
    return) is reported as superseded."""
    current = batch.store.current_submissions()
    rectify = current_submissions(batch.store.rectify_returns(), batch.store.file_decisions())
    for outcome in batch.report.files:
        latest = rectify if outcome.rectify else current
        if outcome.outcome == TAKEN and outcome.unit in latest and latest[outcome.unit].sha256 != outcome.sha256:
            outcome.outcome = SUPERSEDED
            notes = ["该单位已有更晚报送的版本,本文件保留在历史记录中", outcome.message]
            outcome.message = ";".join(note for note in notes if note)  # a date warning is kept, not replaced


def ingest_paths(
    workspace: Workspace,
    paths: list[Path],
    on_file: Callable[[FileOutcome], None] | None = None,
    clock: Callable[[], dt.datetime] = office_now,
) -> IngestReport:
    """Take every file under `paths`; returns the report (refusals are in it, never raised).

    Each file counts as received when fazhi takes it, by the office's `clock`; the sender's claimed times
    are recorded and shown, never used to order versions.
    """
    with _batch(workspace, clock) as batch:
        groups = _groups(intake.collect(paths, batch.campaign.limits, workspace.own_paths(), check_workbooks=False))
        with chunked(batch) as chunks:
            for group in read_ahead(batch, groups):
                _process_group(batch, group, on_file or (lambda _: None))
                chunks.due()
    return batch.report


@dataclass(frozen=True)
class ReceivedMessage:
    """An e-mail fetched from the office's mail server: its bytes, how it is named and where it came from, and
    when the server received it (its INTERNALDATE: the time every file in it counts as received)."""

    data: bytes = field(repr=False)
    name: str
    origin: str
    received_at: dt.datetime
    tag: object = None  # the caller's own record of the message (handed back with it to `on_message`)


def ingest_messages(
    workspace: Workspace,
    messages: Iterable[ReceivedMessage],
    on_message: Callable[[ReceivedMessage, list[FileOutcome]], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    """Take e-mails fetched from a server exactly as `ingest_paths` takes .eml files, each received at the
    server's time; `on_message(message, outcomes)` is told what became of each message's files once they are
    recorded. The messages may be a generator (each is fetched as the batch reaches it)."""
    with _batch(workspace, office_now) as batch:
        for message in messages:
            batch.clock = lambda moment=message.received_at: moment
            start = len(batch.report.files)
            items = intake.collect_message(message.data, message.name, message.origin, batch.campaign.limits)
            with chunked(batch):  # one message a chunk: its files are recorded before `on_message` is told
                for group in _groups(items):
                    _process_group(batch, group, on_file or (lambda _: None))
            if on_message is not None:
                on_message(message, batch.report.files[start:])
    return batch.report


@contextmanager
def _batch(workspace: Workspace, clock: Callable[[], dt.datetime]) -> Iterator[Batch]:
    """One ingest run over the store: the batch to process groups in, then the superseded versions marked."""
    campaign = workspace.campaign()
    rubric = workspace.rubric()
    units = {u.name: u for u in workspace.units()}
    report = IngestReport()
    with workspace.open_store() as store:
        store.check_writable()  # a read-only store is said before any file is archived
        store.sync_units(units.values())
        batch = Batch(workspace, campaign, rubric, units, store, clock().strftime("%Y%m%dT%H%M%S%f"), report,
                      workspace.secret(), clock)
        yield batch
        _mark_superseded(batch)
        state = current_state(store)
        if state.approved and any(not f.rectify for f in report.files):  # 整改 returns change no result
            report.notice = state.frozen_notice
