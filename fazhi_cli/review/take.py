"""Taking a returned 复核打分表 back: only the file the clerk named, sealed by this workspace; every unit's
核定得分 recorded as the office's value."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
from openpyxl.utils import get_column_letter

from fazhi_cli.batch import DUPLICATE, REVIEW, Batch, FileOutcome, refuse
from fazhi_cli.domain.identity import REVIEW_SHEET_FIELDS, is_sealed
from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.domain.refusals import refusal
from fazhi_cli.domain.review_checks import BONUS, PENALTY
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.intake import Incoming
from fazhi_cli.review.sheet import COL_BONUS, COL_PENALTY, COL_UNIT, SHEET_REVIEW
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.reader import READ_ERRORS, ReadWorkbook, UnreadableWorkbook, find_header


@dataclass(frozen=True)
class ReviewRow:
    """One unit's row in a returned review sheet: (ref, raw, cell) for every non-blank cell."""

    unit: str
    line: int
    values: tuple[tuple[str, object, str], ...]


def read_review_rows(data: bytes, item_ids: list[str]) -> list[ReviewRow]:
    """The rows of a returned review sheet, found by the header titles (never by position)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except READ_ERRORS as exc:
        raise UnreadableWorkbook("复核打分表无法读取") from exc
    try:
        if SHEET_REVIEW not in book.sheetnames:
            raise UnreadableWorkbook(f"找不到工作表“{SHEET_REVIEW}”")
        sheet = book[SHEET_REVIEW]
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(min_row=1, max_row=500, max_col=60, values_only=True))
    finally:
        book.close()
    found_header = find_header(rows, (COL_UNIT, COL_BONUS, COL_PENALTY))
    if found_header is None:
        raise UnreadableWorkbook(f"复核打分表中找不到表头({COL_UNIT}、{COL_BONUS}、{COL_PENALTY})")
    index, titles = found_header
    refs = {i: titles[i] for i in item_ids if i in titles}
    refs[BONUS] = titles[COL_BONUS]
    refs[PENALTY] = titles[COL_PENALTY]
    found = []
    for line, row in enumerate(rows[index + 1 :], start=index + 2):
        unit = normalise_text(row[titles[COL_UNIT]] or "") if titles[COL_UNIT] < len(row) else ""
        if not unit:
            continue
        values = tuple(
            (ref, row[col], f"{SHEET_REVIEW}!{get_column_letter(col + 1)}{line}")
            for ref, col in refs.items()
            if col < len(row) and row[col] is not None and str(row[col]).strip() != ""
        )
        found.append(ReviewRow(unit, line, values))
    return found


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
    except UnreadableWorkbook as problem:
        unreadable = refusal("review_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    unknown = [r.unit for r in rows if r.unit not in batch.units or batch.units[r.unit].type != unit_type]
    values = [(r.unit, ref, raw, cell) for r in rows if r.unit not in unknown for ref, raw, cell in r.values]
    record = batch.record(item, sha, archive_name, REVIEW, item.kind)
    batch.store.record_reviews(record, values)
    message = f"复核打分表({UNIT_TYPE_LABELS[unit_type]}):{len(rows) - len(unknown)} 个单位的核定得分已记录"
    if unknown:
        message += f";名单中没有或类型不符、未采用:{'、'.join(unknown)}"
    return FileOutcome(name, item.origin, REVIEW, None, message, sha)
