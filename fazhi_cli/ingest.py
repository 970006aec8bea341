"""`fazhi ingest`: take returned files without losing anything.

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
import hashlib
import io
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from openpyxl.utils import get_column_letter

from fazhi_cli import intake
from fazhi_cli.batch import (  # noqa: F401  (re-exported)
    DUPLICATE,
    HELD,
    MATERIAL,
    OUTCOME_LABELS,
    REFUSED,
    REVIEW,
    SKIPPED,
    SUPERSEDED,
    TAKEN,
    UNPACKED,
    FileOutcome,
    IngestReport,
    hold,
    refuse,
    to_store_time,
)
from fazhi_cli.batch import Batch as _Batch
from fazhi_cli.clock import CHINA, office_now
from fazhi_cli.debug import debug_enabled
from fazhi_cli.domain.checks import ContentChange, suspicious_dates
from fazhi_cli.domain.identity import SELF_ASSESSMENT_FIELDS, is_sealed
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.errors import FazhiError
from fazhi_cli.intake import Incoming
from fazhi_cli.review import take_review_sheet
from fazhi_cli.store import Store, StoredValue
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import ReadWorkbook, UnreadableWorkbook, as_text, points_text, read_workbook
from fazhi_cli.workspace import Workspace

WORKBOOK_KINDS = ("xlsx", "xlsm")
MATERIAL_KINDS = ("pdf", "word", "image", "text")
ARCHIVE_SUFFIX = {
    "xlsx": "xlsx", "xlsm": "xlsx.macro", "pdf": "pdf", "word": "doc", "image": "img", "text": "txt", "zip": "zip",
    "eml": "eml", "html": "html", "ods": "ods", "legacy": "xls", "encrypted": "ole",
}  # fmt: skip


def archive_bytes(archive: Path, data: bytes, kind: str) -> tuple[str, str]:
    """Keep the bytes under archive/ by SHA-256 (never by a name from outside); returns (sha256, relative name).

    Written to a temporary file, flushed and renamed, so a crash never leaves a half file under the final name.
    """
    sha = hashlib.sha256(data).hexdigest()
    relative = f"{sha[:2]}/{sha}.{ARCHIVE_SUFFIX.get(kind, 'bin')}"
    target = archive / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + f".{os.getpid()}.part")
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    return sha, relative


def archive_file(archive: Path, source: Path, kind: str) -> tuple[str, str]:
    """Keep a file too large to hold in memory: streamed into archive/ while hashed, then named by its SHA-256."""
    archive.mkdir(parents=True, exist_ok=True)
    temporary = archive / f"incoming.{os.getpid()}.part"
    digest = hashlib.sha256()
    with open(source, "rb") as reader, open(temporary, "wb") as writer:
        while block := reader.read(1024 * 1024):
            digest.update(block)
            writer.write(block)
        writer.flush()
        os.fsync(writer.fileno())
    sha = digest.hexdigest()
    relative = f"{sha[:2]}/{sha}.{ARCHIVE_SUFFIX.get(kind, 'bin')}"
    target = archive / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        temporary.unlink()
    else:
        os.replace(temporary, target)
    return sha, relative


def _keep(batch: _Batch, item: Incoming) -> tuple[str, str]:
    """Keep an incoming file's bytes under archive/ (a too-large one streamed from its path)."""
    if item.source is not None and not item.data:
        try:
            return archive_file(batch.workspace.archive, item.source, item.kind)
        except OSError:
            pass  # gone or unreadable since it was found: nothing more than its (empty) data can be kept
    return archive_bytes(batch.workspace.archive, item.data, item.kind)


def content_changes(expected: list[layout.Row], read: ReadWorkbook) -> list[ContentChange]:
    """Where the returned workbook's fixed content differs from the master rubric's rows."""
    if read.identity.get(layout.ID_FINGERPRINT) == read.fingerprint() and read.fixed_rows():
        found_ids = set(read.rows)
        if all(row.id in found_ids for row in expected if row.role in layout.FIXED_ROLES):
            return []
    changes = []
    for row in expected:
        if row.role not in layout.FIXED_ROLES:
            continue
        got = read.rows.get(row.id)
        if got is None:
            changes.append(ContentChange(row.id, "missing", None, "", ""))
            continue
        max_text = "" if row.max is None else layout.format_points(row.max)
        pairs = (
            (layout.COL_MAX, got.max, max_text, points_text(got.max.raw)),
            (layout.COL_NAME, got.name, row.name, as_text(got.name.raw)),
            (layout.COL_CONTENT, got.content, row.content, as_text(got.content.raw)),
            (layout.COL_STANDARD, got.standard, row.standard, as_text(got.standard.raw)),
        )
        for what, cell, wanted, found in pairs:
            if found != wanted:
                changes.append(ContentChange(row.id, what, cell.ref or None, found[:60], wanted[:60]))
    return changes


def stored_values(read: ReadWorkbook) -> Iterator[StoredValue]:
    """Everything a unit filled in, as raw values with their cells."""
    for row in read.rows.values():
        for name, cell in (("fact", row.fact), ("score", row.score), ("note", row.note), ("evidence", row.evidence)):
            yield StoredValue(row.id, name, cell.raw, cell.ref or None)
    for number, task in read.tasks.items():
        yield StoredValue(f"task:{number}", "status", task.status.raw, task.status.ref or None)
        yield StoredValue(f"task:{number}", "note", task.note.raw, task.note.ref or None)


def _foreign_form(batch: _Batch, name: str, identity: dict[str, str]) -> Refusal | None:
    """The refusal when the workbook is no form of this campaign at all, else None."""
    if identity.get(layout.ID_FORMAT) not in (layout.FORMAT_NAME, layout.REVIEW_FORMAT_NAME):
        return refusal("not_a_form", name=name)
    campaign = batch.campaign
    if identity.get(layout.ID_CAMPAIGN) != campaign.campaign_id:
        other = printable(identity.get(layout.ID_CAMPAIGN, "")).split(":", 1)[-1][:60] or "其他考核"
        form = "复核打分表" if identity.get(layout.ID_FORMAT) == layout.REVIEW_FORMAT_NAME else "自评表"
        return refusal("foreign_campaign", name=name, other=other, form=form, campaign=campaign.title)
    return None


def _unverified_identity(batch: _Batch, name: str, identity: dict[str, str]) -> str | None:
    """Why a workbook that claims this campaign must be held: its seal does not verify; else None."""
    if is_sealed(batch.secret, identity, SELF_ASSESSMENT_FIELDS):
        return None
    claimed = printable(identity.get(layout.ID_UNIT, ""))[:60] or "未知单位"
    return refusal("identity_unverified", name=name, unit=claimed).message


def _identity_problem(batch: _Batch, name: str, identity: dict[str, str]) -> Refusal | None:
    """Why a sealed workbook of this campaign still cannot be taken (rubric, roster), or None."""
    rubric = batch.rubric
    if identity.get(layout.ID_RUBRIC) != rubric.id or identity.get(layout.ID_RUBRIC_VERSION) != rubric.version:
        found = f"{identity.get(layout.ID_RUBRIC)} {identity.get(layout.ID_RUBRIC_VERSION)}"
        return refusal("rubric_mismatch", name=name, found=found, expected=f"{rubric.id} {rubric.version}")
    unit_name = identity.get(layout.ID_UNIT, "")
    unit = batch.units.get(unit_name)
    if unit is None:
        return refusal("unknown_unit", name=name, unit=unit_name)
    if identity.get(layout.ID_UNIT_TYPE) != unit.type:
        return refusal("unit_type_mismatch", name=name, unit=unit_name, type_label=unit.type_label)
    return None


def _take_workbook(batch: _Batch, item: Incoming, sha: str, archive_name: str) -> FileOutcome:
    """Identify, read and record one returned workbook (or refuse or hold it with the reason)."""
    name = item.original_name
    try:
        read = read_workbook(io.BytesIO(item.data))
    except UnreadableWorkbook as problem:
        unreadable = refusal("unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    foreign = _foreign_form(batch, name, read.identity)
    if foreign is not None:
        return refuse(batch, item, sha, archive_name, foreign.message, code=foreign.code)
    if read.identity.get(layout.ID_FORMAT) == layout.REVIEW_FORMAT_NAME:
        return take_review_sheet(batch, item, read, sha, archive_name)
    claimed = read.identity.get(layout.ID_UNIT, "")
    unverified = _unverified_identity(batch, name, read.identity)
    if unverified is not None:
        return hold(batch, item, sha, archive_name, unverified, claimed if claimed in batch.units else None)
    problem = _identity_problem(batch, name, read.identity)
    if problem is not None:
        return refuse(batch, item, sha, archive_name, problem.message, code=problem.code)
    unit = batch.units[claimed]
    if read.structure_problems:
        structure = refusal("structure", name=name, detail=";".join(read.structure_problems))
        return refuse(batch, item, sha, archive_name, structure.message, unit.name, code=structure.code)
    if read.is_blank():
        unfilled = refusal("unfilled", name=name)
        return refuse(batch, item, sha, archive_name, unfilled.message, unit.name, code=unfilled.code)
    if batch.store.submission_by_sha(sha) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, unit.name, "与已收到的文件内容相同,未重复计入", sha)
    expected = layout.score_rows(batch.rubric.for_type(unit.type), batch.rubric)
    changes = [vars(change) for change in (*content_changes(expected, read), *structure_changes(read))]
    record = batch.record(item, sha, archive_name, TAKEN, item.kind, unit.name)
    generated_at = read.identity.get(layout.ID_GENERATED)
    if batch.store.record_submission(record, batch.rubric.id, changes, stored_values(read), generated_at) is None:
        return FileOutcome(name, item.origin, DUPLICATE, unit.name, "与已收到的文件内容相同,未重复计入", sha)
    notes = []
    if any(c["what"] in ("missing", *CONTENT_COLUMNS) for c in changes):
        notes.append("固定内容被改动,按原评分细则计分(fazhi validate 查看)")
    if any(c["what"] == "duplicate" for c in changes):
        notes.append("有重复的编号行(fazhi validate 查看)")
    notes += time_warnings(item.sent_at, batch.clock(), generated_at)
    return FileOutcome(name, item.origin, TAKEN, unit.name, ";".join(notes), sha)


CONTENT_COLUMNS = (layout.COL_MAX, layout.COL_NAME, layout.COL_CONTENT, layout.COL_STANDARD)


def structure_changes(read: ReadWorkbook) -> list[ContentChange]:
    """Duplicated ID rows (both cells named) and hidden rows or columns in the input area."""
    changes = [ContentChange(ref, "duplicate", other, kept, "") for ref, kept, other in read.duplicates]
    id_column = get_column_letter(read.input_columns.get(layout.COL_ID, 1))
    changes += [ContentChange(ref, "hidden_row", f"{layout.SHEET_SCORES}!{id_column}{line}", str(line), "")
                for ref, line in read.hidden_rows]
    changes += [ContentChange(None, "hidden_column", None, title, "") for title in read.hidden_columns]
    return changes


def time_warnings(sent_at: dt.datetime | None, received_at: dt.datetime, generated_at: str | None) -> list[str]:
    """Warnings about an e-mail Date that cannot be true (after the office received it, before the form existed)."""
    generated = _moment(generated_at)
    return [f"注意:{text},以法制办收取时间为准" for text in suspicious_dates(sent_at, received_at, generated)]


def _moment(text: str | None) -> dt.datetime | None:
    """An ISO date-time from an identity (China time when it has no zone), or None."""
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)


def _take_other(batch: _Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
    """A non-workbook file: a unit's material when it came with that unit's workbook, else refused."""
    refused = intake.refusal_for_kind(item.kind, item.original_name)
    if item.kind in MATERIAL_KINDS and len(set(group_units)) == 1:
        unit = group_units[0]
        if batch.store.file_by_sha(sha) is None:
            batch.store.record_material(batch.record(item, sha, archive_name, MATERIAL, item.kind, unit))
        return FileOutcome(item.original_name, item.origin, MATERIAL, unit, "随自评表报送的材料,已存档", sha)
    if refused is None:
        refused = refusal("material_alone", name=item.original_name)
    return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)


def _is_workbook(item: Incoming) -> bool:
    return not item.is_container and item.problem is None and item.kind in WORKBOOK_KINDS


def _process_group(batch: _Batch, items: list[Incoming], on_file: Callable[[FileOutcome], None]) -> None:
    """One e-mail, zip or loose file: containers first, then workbooks, then the other files (which are a
    unit's materials only when that unit's workbook came in the same group)."""
    ordered = sorted(items, key=lambda i: 0 if i.is_container else 1 if _is_workbook(i) else 2)  # stable
    group_units: list[str] = []
    for item in ordered:
        if item.skipped is not None:
            outcome = FileOutcome(item.original_name, item.origin, SKIPPED, None, item.skipped, "", SKIPPED)
        else:
            sha, archive_name = _keep(batch, item)
            outcome = _guarded(batch, item, sha, archive_name, group_units)
            if _is_workbook(item) and outcome.unit and outcome.outcome in (TAKEN, DUPLICATE):
                group_units.append(outcome.unit)
        batch.report.files.append(outcome)
        on_file(outcome)


def _guarded(batch: _Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
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


def _decide(batch: _Batch, item: Incoming, sha: str, archive_name: str, group_units: list[str]) -> FileOutcome:
    """What becomes of one kept file: unpacked container, refusal, workbook, material."""
    if item.is_container:
        return _container(batch, item, sha, archive_name)
    if item.refusal is not None:
        return refuse(batch, item, sha, archive_name, item.refusal.message, code=item.refusal.code)
    if _is_workbook(item):
        return _take_workbook(batch, item, sha, archive_name)
    return _take_other(batch, item, sha, archive_name, group_units)


def _container(batch: _Batch, item: Incoming, sha: str, archive_name: str) -> FileOutcome:
    if item.refusal is not None:
        return refuse(batch, item, sha, archive_name, item.refusal.message, code=item.refusal.code)
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


def _mark_superseded(batch: _Batch) -> None:
    """A workbook taken in this batch that is not its unit's current submission is reported as superseded."""
    current = batch.store.current_submissions()
    for outcome in batch.report.files:
        if outcome.outcome == TAKEN and outcome.unit in current and current[outcome.unit]["sha256"] != outcome.sha256:
            outcome.outcome = SUPERSEDED
            outcome.message = "该单位已有更晚报送的版本,本文件保留在历史记录中"


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
    campaign = workspace.campaign()
    rubric = workspace.rubric()
    units = {u.name: u for u in workspace.units()}
    report = IngestReport()
    with Store.open(workspace.store_path) as store:
        store.sync_units(units.values())
        batch = _Batch(workspace, campaign, rubric, units, store, clock().strftime("%Y%m%dT%H%M%S%f"), report,
                       workspace.secret(), clock)
        for group in _groups(intake.collect(paths, campaign.limits, workspace.own_paths())):
            _process_group(batch, group, on_file or (lambda _: None))
        _mark_superseded(batch)
    return report
