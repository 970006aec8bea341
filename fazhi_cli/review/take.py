"""Taking a returned 复核打分表 back: only the file the clerk named, sealed by this workspace; what the office
decided in it (each non-blank 核定得分 with its 核定理由, and each office value it blanked) recorded.

A cell that shows the office value already in force and comes back unchanged records nothing; a blank
cell where an office value is in force withdraws it (a row of its own: history is never deleted).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import openpyxl
from openpyxl.utils import get_column_letter

from fazhi_cli.batch import DUPLICATE, REVIEW, Batch, FileOutcome, refuse
from fazhi_cli.domain.identity import REVIEW_SHEET_FIELDS, is_sealed
from fazhi_cli.domain.numbers import is_blank, normalise_text
from fazhi_cli.domain.refusals import refusal
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.intake import Incoming
from fazhi_cli.review.sheet import (
    COL_ID,
    COL_REASON,
    COL_SCORE,
    COL_UNIT,
    REQUIRED_COLUMNS,
    SHEET_REVIEW,
    SPECIAL_ROWS,
)
from fazhi_cli.store import ReviewEntry
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import READ_ERRORS, ReadWorkbook, UnreadableWorkbook, find_header


class OutdatedReviewSheet(UnreadableWorkbook):
    """A review sheet in the old wide form (one column per item), from before the long form."""


@dataclass(frozen=True)
class ReviewRow:
    """One row of a returned review sheet: the unit, the ref (item ID, `bonus` or `penalty`), the raw
    核定得分 (None when blank), the 核定理由 and the 核定得分 cell."""

    unit: str
    ref: str
    raw: object
    reason: str
    cell: str


def _text(row: tuple, column: int | None) -> str:
    if column is None or column >= len(row) or row[column] is None:
        return ""
    return normalise_text(str(row[column]))


def read_review_rows(data: bytes, item_ids: list[str]) -> list[ReviewRow]:
    """The rows of a returned review sheet, found by the header titles (never by position); rows whose
    编号 is not one of `item_ids`, 特别加分 or 特别扣分 are skipped."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except READ_ERRORS as exc:
        raise UnreadableWorkbook("复核打分表无法读取") from exc
    try:
        if SHEET_REVIEW not in book.sheetnames:
            raise UnreadableWorkbook(f"找不到工作表“{SHEET_REVIEW}”")
        sheet = book[SHEET_REVIEW]
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(min_row=1, max_row=5000, max_col=40, values_only=True))
    finally:
        book.close()
    found_header = find_header(rows, REQUIRED_COLUMNS)
    if found_header is None:
        if find_header(rows, (COL_UNIT,)) is not None:
            raise OutdatedReviewSheet("是旧版(每个单位一行)的复核打分表")
        raise UnreadableWorkbook(f"复核打分表中找不到表头({'、'.join(REQUIRED_COLUMNS)})")
    index, titles = found_header
    known = set(item_ids)
    found = []
    for line, row in enumerate(rows[index + 1 :], start=index + 2):
        unit, row_id = _text(row, titles[COL_UNIT]), _text(row, titles[COL_ID])
        ref = SPECIAL_ROWS.get(row_id, row_id if row_id in known else None)
        if not unit or ref is None:
            continue
        column = titles[COL_SCORE]
        raw = row[column] if column < len(row) else None
        found.append(ReviewRow(unit, ref, None if is_blank(raw) else raw, _text(row, titles[COL_REASON]),
                               f"{SHEET_REVIEW}!{get_column_letter(column + 1)}{line}"))
    return found


def decisions(rows: list[ReviewRow], in_force: dict[str, dict[str, ReviewEntry]]) -> list[ReviewEntry]:
    """What the returned rows change: new or changed office values, and withdrawals of values in force."""
    latest: dict[tuple[str, str], ReviewRow] = {}
    for row in rows:
        latest[(row.unit, row.ref)] = row  # a row repeated further down wins
    out = []
    for (unit, ref), row in latest.items():
        current = in_force.get(unit, {}).get(ref)
        if row.raw is None:
            if current is not None:
                out.append(ReviewEntry(unit, ref, None, row.cell, row.reason, withdrawn=True))
        elif current is None or current.raw != row.raw or current.reason != row.reason:
            out.append(ReviewEntry(unit, ref, row.raw, row.cell, row.reason))
    return out


def take_review_sheet(batch: Batch, item: Incoming, read: ReadWorkbook, sha: str, archive_name: str) -> FileOutcome:
    """Take a returned 复核打分表 for ingest: only a file the clerk named, sealed by this workspace."""
    identity = read.identity
    name = item.original_name
    unit_type = identity.get(layout.ID_UNIT_TYPE, "")
    if identity.get(layout.ID_CAMPAIGN) != batch.campaign.campaign_id or unit_type not in batch.rubric.types:
        foreign = refusal("foreign_review", name=name)
        return refuse(batch, item, sha, archive_name, foreign.message, code=foreign.code)
    if not item.explicit:
        not_named = refusal("review_not_named", name=name, origin=item.origin)
        return refuse(batch, item, sha, archive_name, not_named.message, code=not_named.code)
    if not is_sealed(batch.secret, identity, REVIEW_SHEET_FIELDS):
        forged = refusal("review_forged", name=name)
        return refuse(batch, item, sha, archive_name, forged.message, code=forged.code)
    if batch.store.file_by_sha_and_outcome(sha, REVIEW) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, None, "与已收到的复核打分表相同,未重复计入", sha)
    item_ids = [i.id for i in batch.rubric.for_type(unit_type).items]
    try:
        rows = read_review_rows(item.data, item_ids)
    except OutdatedReviewSheet:
        outdated = refusal("review_outdated", name=name)
        return refuse(batch, item, sha, archive_name, outdated.message, code=outdated.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("review_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    rows = [replace(r, unit=roster_spelling(r.unit, batch.units) or r.unit) for r in rows]
    names = list(dict.fromkeys(r.unit for r in rows))
    unknown = [u for u in names if u not in batch.units or batch.units[u].type != unit_type]
    refused_units = set(unknown)
    changes = decisions([r for r in rows if r.unit not in refused_units], batch.store.office_values())
    record = batch.record(item, sha, archive_name, REVIEW, item.kind)
    batch.store.record_reviews(record, changes)
    values = sum(1 for c in changes if not c.withdrawn)
    message = (f"复核打分表({UNIT_TYPE_LABELS[unit_type]}):{len(names) - len(unknown)} 个单位;"
               f"记录核定得分 {values} 项,撤销核定 {len(changes) - values} 项")
    if unknown:
        message += f";名单中没有或类型不符、未采用:{'、'.join(unknown)}"
    return FileOutcome(name, item.origin, REVIEW, None, message, sha)
