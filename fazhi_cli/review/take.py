"""Taking a returned 复核打分表 back: only the file the clerk named, sealed by this workspace; what the office
decided in it (each non-blank 核定得分 with its 核定理由, and each office value it blanked) recorded.

The sheet is read against what it showed when written (its sealed `reviews_upto`): a cell that comes back as it
was shown records nothing; a blank cell that showed the office value still in force withdraws it (a row of its own,
its reason naming the sheet and the cell: history is never deleted); a value set after the sheet was written stays.
A unit and 编号 on two rows refuses the sheet, naming both cells.

A review team's (考核组) sheet carries the team and its units in its sealed identity: its values are recorded with
the team, judged against the team's own values (what it showed), and a row for a unit not assigned to the team is
not taken (named with its cell). Which source's value counts is `domain.review_checks.resolve_sources`'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from fazhi_cli.domain.identity import (
    LEGACY_REVIEW_SHEET_FIELDS,
    REVIEW_SHEET_FIELDS,
    TEAM_REVIEW_SHEET_FIELDS,
    is_sealed,
)
from fazhi_cli.domain.numbers import is_blank, normalise_text
from fazhi_cli.domain.refusals import refusal, spreadsheet_refusal
from fazhi_cli.domain.review_checks import ROW_NAMES
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.infra.clock import parse_moment
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import DUPLICATE, REVIEW, REVIEW_PROBLEMS, Batch, FileOutcome, refuse
from fazhi_cli.review.sheet import (
    COL_ID,
    COL_REASON,
    COL_SCORE,
    COL_UNIT,
    REQUIRED_COLUMNS,
    SHEET_REVIEW,
    SPECIAL_ROWS,
)
from fazhi_cli.scoring import build_scoreboard
from fazhi_cli.store import ReviewEntry
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import office_sheet_rows
from fazhi_cli.workbook.reader import ReadWorkbook, RefusedWorkbook, UnreadableWorkbook, find_header

MAX_ROWS = 5000
MAX_COLUMNS = 40


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
    rows = _sheet_rows(data)
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


def _sheet_rows(data: bytes) -> list[tuple]:
    """The 复核打分表 sheet's rows, from an .xlsx or (told by its bytes) an .xls/.ods saved from it."""
    return office_sheet_rows(data, SHEET_REVIEW, "复核打分表", MAX_ROWS, MAX_COLUMNS)

@dataclass(frozen=True)
class ReviewChanges:
    """What a returned review sheet changes (`entries`: office values set, and withdrawals) and the office values
    it leaves as they are because they were set (or withdrawn) after the sheet was written (`kept`: unit, ref)."""

    entries: list[ReviewEntry]
    kept: list[tuple[str, str]]


def duplicate_rows(rows: list[ReviewRow]) -> list[str]:
    """Each unit and 编号 given on more than one row, with the cells of those rows (e.g. 区发改局 1.1:H5、H9)."""
    cells: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        cells.setdefault((row.unit, row.ref), []).append(row.cell)
    return [f"{unit} {ROW_NAMES.get(ref, ref)}({'、'.join(found)})"
            for (unit, ref), found in cells.items() if len(found) > 1]


def decisions(rows: list[ReviewRow], shown: dict[str, dict[str, ReviewEntry]],
              in_force: dict[str, dict[str, ReviewEntry]], sheet_name: str) -> ReviewChanges:
    """What the returned rows change, judged against what the sheet `shown` when written (not the values now
    `in_force`): a value the clerk typed or changed is set; a cell that showed the office value still in force
    and came back blank withdraws it (the reason names the sheet and the cell); a value set or withdrawn after
    the sheet was written is kept, whatever its cell holds, unless the clerk typed a new one."""
    entries, kept = [], []
    for row in rows:
        before = shown.get(row.unit, {}).get(row.ref)
        current = in_force.get(row.unit, {}).get(row.ref)
        unchanged = (before.raw, before.reason) == (row.raw, row.reason) if before else row.raw is None
        if unchanged:
            if (current.id if current else None) != (before.id if before else None):
                kept.append((row.unit, row.ref))
        elif row.raw is None:
            if current is not None and before is not None and current.id == before.id:
                why = f"复核打分表「{sheet_name}」{row.cell} 的核定得分被清空"
                why += f":{row.reason}" if row.reason else ""
                entries.append(ReviewEntry(row.unit, row.ref, None, row.cell, why, withdrawn=True))
            elif current is not None:
                kept.append((row.unit, row.ref))
        elif current is None or (current.raw, current.reason) != (row.raw, row.reason):
            entries.append(ReviewEntry(row.unit, row.ref, row.raw, row.cell, row.reason))
    return ReviewChanges(entries, kept)


def _shown_upto(identity: dict[str, str], history: list[ReviewEntry]) -> int:
    """The last office value recorded when the sheet was written: sealed in it, or, for a sheet written before
    that was sealed, the last one recorded by its (sealed) time of writing."""
    upto = identity.get(layout.ID_REVIEWS_UPTO, "")
    if upto.isdigit():
        return int(upto)
    written = parse_moment(identity.get(layout.ID_GENERATED))
    return max((entry.id or 0 for entry in history
                if written is not None and (parse_moment(entry.taken_at) or written) <= written), default=0)


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
    if not _sealed(batch.secret, identity):
        forged = refusal("review_forged", name=name)
        return refuse(batch, item, sha, archive_name, forged.message, code=forged.code)
    team, assigned = sheet_team(identity)
    if batch.store.file_by_sha_and_outcome(sha, REVIEW) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, None, "与已收到的复核打分表相同,未重复计入", sha)
    item_ids = [i.id for i in batch.rubric.for_type(unit_type).items]
    try:
        rows = read_review_rows(item.data, item_ids)
    except OutdatedReviewSheet:
        outdated = refusal("review_outdated", name=name)
        return refuse(batch, item, sha, archive_name, outdated.message, code=outdated.code)
    except RefusedWorkbook as problem:  # an .xls/.ods that calamine cannot read: encrypted or unreadable
        refused = spreadsheet_refusal(problem.code, name)
        return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("review_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    rows = [replace(r, unit=roster_spelling(r.unit, batch.units) or r.unit) for r in rows]
    repeated = duplicate_rows(rows)
    if repeated:
        twice = refusal("review_duplicate_rows", name=name, rows=";".join(repeated))
        return refuse(batch, item, sha, archive_name, twice.message, code=twice.code)
    names = list(dict.fromkeys(r.unit for r in rows))
    unknown = [u for u in names if u not in batch.units or batch.units[u].type != unit_type]
    refused_units = set(unknown)
    outside = unassigned_rows(rows, assigned, refused_units, team)
    refused_units |= {u for u in names if assigned is not None and u not in assigned}
    shown = batch.store.office_values(_shown_upto(identity, batch.store.review_history()), team)
    changes = decisions([r for r in rows if r.unit not in refused_units], shown,
                        batch.store.office_values(team=team), name)
    changes = ReviewChanges([replace(e, team=team) for e in changes.entries], changes.kept)
    record = batch.record(item, sha, archive_name, REVIEW, item.kind)
    file_id = batch.store.record_reviews(record, changes.entries)
    message = _taken_message(unit_type, names, unknown, changes, team) + _office_prevails(batch, changes.entries)
    refused_values = outside + not_adopted(batch, [u for u in names if u not in refused_units], changes.entries)
    if refused_values:
        message += f";其中 {len(refused_values)} 项未采用:{';'.join(refused_values)}"
        batch.store.note_on_file(file_id, message, REVIEW_PROBLEMS)
    return FileOutcome(name, item.origin, REVIEW, None, message, sha, REVIEW_PROBLEMS if refused_values else None)


def _office_prevails(batch: Batch, entries: list[ReviewEntry]) -> str:
    """For a team's values where the office's own sheet set the item already: the office's value counts, said."""
    office = batch.store.office_values()
    over = [f"{e.unit} {ROW_NAMES.get(e.ref, e.ref)}(法制办核定 {office[e.unit][e.ref].raw})" for e in entries
            if e.team and not e.withdrawn and e.ref in office.get(e.unit, {})]
    return f";以下 {len(over)} 项法制办已在本办复核打分表中核定,以法制办为准:{'、'.join(over)}" if over else ""


def _sealed(secret: bytes, identity: dict[str, str]) -> bool:
    """The sheet's identity verifies: a review team's with the team and its units sealed, else the office's own
    (or one written before the watermark was sealed)."""
    if layout.ID_TEAM in identity or layout.ID_TEAM_UNITS in identity:
        return is_sealed(secret, identity, TEAM_REVIEW_SHEET_FIELDS)
    return is_sealed(secret, identity, REVIEW_SHEET_FIELDS) or is_sealed(secret, identity, LEGACY_REVIEW_SHEET_FIELDS)


def sheet_team(identity: dict[str, str]) -> tuple[str, set[str] | None]:
    """A verified sheet's review team and the units assigned to it; ("", None) for the office's own sheet."""
    team = identity.get(layout.ID_TEAM, "")
    if not team:
        return "", None
    try:
        units = json.loads(identity.get(layout.ID_TEAM_UNITS, "[]"))
    except ValueError:
        units = []
    return team, {str(unit) for unit in units} if isinstance(units, list) else set()


def unassigned_rows(rows: list[ReviewRow], assigned: set[str] | None, unknown: set[str], team: str) -> list[str]:
    """On a review team's sheet, each row that sets a value (or a reason) for a roster unit not assigned to the
    team, naming its cell: not taken."""
    if assigned is None:
        return []
    return [f"{row.unit} {ROW_NAMES.get(row.ref, row.ref)}({row.cell})不是{team}复核的单位,该行未采用"
            for row in rows if row.unit not in assigned and row.unit not in unknown
            and (row.raw is not None or row.reason)]


def not_adopted(batch: Batch, units: list[str], entries: list[ReviewEntry]) -> list[str]:
    """The office values this sheet set that do not count — scored now, for the sheet's units only — each as the
    finding says it (which cell, why, what to do)."""
    chosen = [batch.units[name] for name in units if name in batch.units]
    if not chosen or not any(not e.withdrawn for e in entries):
        return []
    refused = build_scoreboard(batch.store, batch.rubric, batch.campaign, chosen, batch.clock().date()).not_adopted()
    return [refused[(e.unit, e.ref)] for e in entries if not e.withdrawn and (e.unit, e.ref) in refused]  # 【unit】…


def _taken_message(unit_type: str, names: list[str], unknown: list[str], changes: ReviewChanges,
                   team: str = "") -> str:
    values = sum(1 for c in changes.entries if not c.withdrawn)
    whose = f"{team}的" if team else ""
    message = (f"{whose}复核打分表({UNIT_TYPE_LABELS[unit_type]}):{len(names) - len(unknown)} 个单位;"
               f"记录核定得分 {values} 项,撤销核定 {len(changes.entries) - values} 项")
    if changes.kept:
        kept = "、".join(f"{unit} {ROW_NAMES.get(ref, ref)}" for unit, ref in changes.kept)
        message += f";本表生成后另行核定(或撤销)的 {len(changes.kept)} 项保留现值,未按本表改动:{kept}"
    if unknown:
        message += f";名单中没有或类型不符、未采用:{'、'.join(unknown)}"
    return message
