"""Taking one returned self-assessment workbook: read it, identify it (held, refused or taken), and record
everything the unit filled in with the changes to its fixed content, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from openpyxl.utils import get_column_letter

from fazhi_cli.domain.checks import ContentChange, suspicious_dates
from fazhi_cli.domain.refusals import refusal, spreadsheet_refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.clock import parse_moment
from fazhi_cli.ingest.ahead import read_taken
from fazhi_cli.ingest.identify import (
    foreign_form,
    identity_problem,
    off_roster_replacement,
    sender_conflict,
    unverified_identity,
)
from fazhi_cli.intake import Incoming
from fazhi_cli.ledger import take_ledger
from fazhi_cli.receiving.batch import DUPLICATE, TAKEN, Batch, FileOutcome, hold, refuse
from fazhi_cli.rectify.closures import take_rectify_review
from fazhi_cli.rectify.layout import RECTIFY_REVIEW_FORMAT_NAME
from fazhi_cli.rectify.take import is_rectify, take_rectify
from fazhi_cli.review.component_take import take_component_sheet
from fazhi_cli.review.take import take_review_sheet
from fazhi_cli.store import StoredValue
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import Cell, ReadWorkbook, RefusedWorkbook, UnreadableWorkbook, points_text


def content_changes(expected: dict[str, tuple[str, str, str, str]], read: ReadWorkbook) -> list[ContentChange]:
    """Where the returned workbook's fixed content differs from what the product wrote (`layout.expected_texts`
    for the workbook's format version: ID → its three text columns and 分值)."""
    untouched = read.identity.get(layout.ID_FINGERPRINT) == read.fingerprint() and read.rows
    if untouched and all(ident in read.rows for ident in expected):
        return []
    titles = (*layout.TEXT_COLUMNS[read.format_version], layout.COL_MAX)
    changes = []
    for ident, wanted_texts in expected.items():
        got = read.rows.get(ident)
        if got is None:
            changes.append(ContentChange(ident, "missing", None, "", ""))
            continue
        found_cells = (*(got.texts.get(title, Cell(None, "")) for title in titles[:3]), got.max)
        found_texts = (*(got.text(title) for title in titles[:3]), points_text(got.max.raw))
        for what, cell, wanted, found in zip(titles, found_cells, wanted_texts, found_texts, strict=True):
            if found != wanted:
                changes.append(ContentChange(ident, what, cell.ref or None, found[:60], wanted[:60]))
    return changes


def stored_values(read: ReadWorkbook) -> Iterator[StoredValue]:
    """Everything a unit filled in, as raw values with their cells."""
    for row in read.rows.values():
        for name, cell in (("fact", row.fact), ("score", row.score), ("note", row.note), ("evidence", row.evidence)):
            yield StoredValue(row.id, name, cell.raw, cell.ref or None)
    for number, task in read.tasks.items():
        yield StoredValue(f"task:{number}", "status", task.status.raw, task.status.ref or None)
        yield StoredValue(f"task:{number}", "note", task.note.raw, task.note.ref or None)
    for label, cell in read.form.items():
        yield StoredValue(layout.FORM_REF, label, cell.raw, cell.ref or None)


def take_workbook(batch: Batch, item: Incoming, sha: str, archive_name: str) -> FileOutcome:
    """Identify, read and record one returned workbook (or refuse or hold it with the reason)."""
    name = item.original_name
    try:
        read = read_taken(batch, item)
    except RefusedWorkbook as problem:  # an encrypted or damaged .xls/.ods: its own refusal
        unreadable = spreadsheet_refusal(problem.code, name)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    foreign = foreign_form(batch, name, read.identity)
    if foreign is not None:
        return refuse(batch, item, sha, archive_name, foreign.message, code=foreign.code)
    if read.identity.get(layout.ID_FORMAT) == layout.REVIEW_FORMAT_NAME:
        return take_review_sheet(batch, item, read, sha, archive_name)
    if read.identity.get(layout.ID_FORMAT) == layout.COMPONENT_FORMAT_NAME:
        return take_component_sheet(batch, item, read, sha, archive_name)
    if read.identity.get(layout.ID_FORMAT) == layout.LEDGER_FORMAT_NAME:
        return take_ledger(batch, item, read, sha, archive_name)
    if read.identity.get(layout.ID_FORMAT) == RECTIFY_REVIEW_FORMAT_NAME:
        return take_rectify_review(batch, item, read, sha, archive_name)
    if is_rectify(read):  # a unit's 整改 workbook: never read as a self-assessment (it has no 自评表)
        return take_rectify(batch, item, read, sha, archive_name)
    claimed = read.identity.get(layout.ID_UNIT, "")
    unverified = unverified_identity(batch, name, read.identity)
    if unverified is not None:
        return hold(batch, item, sha, archive_name, unverified, claimed if claimed in batch.units else None)
    problem = identity_problem(batch, name, read.identity)
    if problem is not None:
        return refuse(batch, item, sha, archive_name, problem.message, code=problem.code)
    unit = batch.units[claimed]
    if read.structure_problems:
        structure = refusal("structure", name=name, detail=";".join(read.structure_problems))
        return refuse(batch, item, sha, archive_name, structure.message, unit.name, code=structure.code)
    if read.is_blank():
        unfilled = refusal("unfilled", name=name)
        return refuse(batch, item, sha, archive_name, unfilled.message, unit.name, code=unfilled.code)
    earlier_same = batch.store.submission_by_sha(sha)
    if earlier_same is not None:
        return duplicate(batch, item, sha, archive_name, unit.name, earlier_same)
    conflict = sender_conflict(batch, item, unit.name)
    if conflict is not None:
        evidence, held = conflict
        return hold(batch, item, sha, archive_name, held.message, unit.name, held.code, evidence.other)
    stranger = off_roster_replacement(batch, item, unit.name)
    if stranger is not None:
        return hold(batch, item, sha, archive_name, stranger.message, unit.name, stranger.code)
    changes, values, generated_at = submission_content(batch, unit, read)
    record = batch.record(item, sha, archive_name, TAKEN, item.kind, unit.name)
    before = batch.store.submissions(unit.name)
    if batch.store.record_submission(record, batch.rubric.id, changes, values, generated_at) is None:
        return FileOutcome(name, item.origin, DUPLICATE, unit.name, "与已收到的文件内容相同,未重复计入", sha)
    notes = [replaces(before[0])] if before else []
    if any(c["what"] in ("missing", *CONTENT_COLUMNS) for c in changes):
        notes.append("固定内容被改动,按原评分细则计分(fazhi validate 查看)")
    if any(c["what"] == "duplicate" for c in changes):
        notes.append("有重复的编号行(fazhi validate 查看)")
    notes += time_warnings(item.sent_at, batch.clock(), generated_at)
    return FileOutcome(name, item.origin, TAKEN, unit.name, ";".join(notes), sha)


def replaces(earlier) -> str:
    """Said of a return that becomes the unit's current one: which earlier return it replaces (kept in history)."""
    return f"替代此前收到的「{printable(earlier.original_name)}」({_when(earlier.received_at)}收到,保留在历史记录中)"


def _when(stored_time: str) -> str:
    """A stored time as a clerk reads it: 12-03 10:00."""
    return stored_time[5:16].replace("T", " ")


def duplicate(batch: Batch, item: Incoming, sha: str, archive_name: str, unit: str, earlier) -> FileOutcome:
    """The same bytes as a return already taken: nothing counts twice, but the file's coming in is recorded (once
    per name and origin, so a rerun of the same folder records nothing more), naming the return it repeats."""
    message = (f"与{_when(earlier.received_at)}收到的「{printable(earlier.original_name)}」内容相同,"
               "未重复计入")
    if not batch.store.file_seen(sha, item.origin, item.original_name):
        batch.store.record_file(batch.record(item, sha, archive_name, DUPLICATE, item.kind, unit, message))
    return FileOutcome(item.original_name, item.origin, DUPLICATE, unit, message, sha)


def submission_content(
    batch: Batch, unit: Unit, read: ReadWorkbook
) -> tuple[list[dict], list[StoredValue], str | None]:
    """What is recorded of a unit's workbook: the changes to its fixed content, the values filled in, and the
    sealed generation time."""
    key = f"expected texts:{unit.type}:{read.format_version}"  # the same for every unit of a type: built once
    expected = batch.memo.get(key)
    if expected is None:
        type_rubric = batch.rubric.for_type(unit.type)
        rows = layout.score_rows(type_rubric, batch.rubric)
        expected = batch.memo[key] = layout.expected_texts(rows, read.format_version, type_rubric, batch.rubric)
    changes = [vars(change) for change in (*content_changes(expected, read), *structure_changes(read))]
    return changes, list(stored_values(read)), read.identity.get(layout.ID_GENERATED)


CONTENT_COLUMNS = (layout.COL_MAX, *layout.ALL_TEXT_COLUMNS)


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
    generated = parse_moment(generated_at)
    return [f"注意:{text},以法制办收取时间为准" for text in suspicious_dates(sent_at, received_at, generated)]


