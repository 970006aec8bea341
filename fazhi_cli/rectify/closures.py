"""Taking a returned 整改复核表 back: only the file the clerk named, sealed by this workspace under the approval in
force; the office's 销号 decisions in it (and their withdrawals) recorded, each sealed as any other decision.

The sheet is read against what it showed when written (its sealed `closures_upto`), as a 复核打分表 is: 是 on an
item it showed open closes it (销号); 否 or blank on an item it showed closed withdraws that closure while it is still
the one in force; a row that comes back as shown records nothing; a 销号 or withdrawal recorded after the sheet was
written stays, and the message says so. A 销号 of an item the unit did not report 已完成 needs a 复核意见: without one
the row is not taken, and the file's outcome says which cells (`fazhi ingest` exits 1). A unit and 编号 on two rows
refuses the sheet, naming both cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from openpyxl.utils import get_column_letter

from fazhi_cli.approval import current_state, frozen_scoreboard
from fazhi_cli.domain.identity import RECTIFY_REVIEW_FIELDS, is_sealed
from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.domain.rectification import CLOSE, WITHDRAW_CLOSE, RectifyItem, RectifyReport, needs_opinion
from fazhi_cli.domain.refusals import refusal, spreadsheet_refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import (
    DUPLICATE,
    RECTIFY_REVIEW,
    RECTIFY_REVIEW_PROBLEMS,
    REVIEW,
    Batch,
    FileOutcome,
    refuse,
)
from fazhi_cli.rectify import layout as cols
from fazhi_cli.rectify.owed import owed_items
from fazhi_cli.rectify.review import ClosureInForce, closure_history, closures_upto
from fazhi_cli.rectify.status import stored_reports
from fazhi_cli.store import Decision
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import office_sheet_rows
from fazhi_cli.workbook.reader import ReadWorkbook, RefusedWorkbook, UnreadableWorkbook, find_header

MAX_ROWS = 5000
MAX_COLUMNS = 40
YES, NO = cols.CLOSE_CHOICES


@dataclass(frozen=True)
class ReviewedRow:
    """One row of a returned 整改复核表: the unit and item, its 销号 as typed (`close` None when it is neither 是 nor
    否 nor blank) with the 复核意见, and the cells they came from."""

    unit: str
    ref: str
    close: bool | None
    typed: str
    opinion: str
    cell: str  # the 销号 cell
    opinion_cell: str


@dataclass
class ClosureChanges:
    """What a returned 整改复核表 changes: the decisions to record, the items left as a later decision set them
    (`kept`), the rows not taken (`problems`: cell and message) and those for no item owed (`not_owed`)."""

    decisions: list[Decision] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    not_owed: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for d in self.decisions if d.action == action)


def _text(row: tuple, column: int | None) -> str:
    if column is None or column >= len(row) or row[column] is None:
        return ""
    return normalise_text(str(row[column]))


def _closing(typed: str) -> bool | None:
    """是 → True, 否 or blank → False, anything else → None (the row cannot be read)."""
    if typed in ("", NO):
        return False
    return True if typed == YES else None


def read_closure_rows(data: bytes) -> list[ReviewedRow]:
    """The rows of a returned 整改复核表 with a unit and an 编号, found by the header's titles (never by position)."""
    rows = _sheet_rows(data)
    found = find_header(rows, cols.REQUIRED_REVIEW_COLUMNS)
    if found is None:
        raise UnreadableWorkbook(f"整改复核表中找不到表头({'、'.join(cols.REQUIRED_REVIEW_COLUMNS)})")
    index, titles = found
    close_letter = get_column_letter(titles[cols.COL_CLOSE] + 1)
    opinion_letter = get_column_letter(titles[cols.COL_OPINION] + 1)
    read = []
    for line, row in enumerate(rows[index + 1:], start=index + 2):
        unit, ref = _text(row, titles[cols.COL_UNIT]), _text(row, titles[cols.COL_ID])
        if not unit or not ref:
            continue
        typed = _text(row, titles[cols.COL_CLOSE])
        read.append(ReviewedRow(unit, ref, _closing(typed), typed, _text(row, titles[cols.COL_OPINION]),
                                f"{cols.SHEET_RECTIFY_REVIEW}!{close_letter}{line}",
                                f"{cols.SHEET_RECTIFY_REVIEW}!{opinion_letter}{line}"))
    return read


def _sheet_rows(data: bytes) -> list[tuple]:
    """The 整改复核表 sheet's rows, from an .xlsx or (told by its bytes) an .xls/.ods saved from it."""
    return office_sheet_rows(data, cols.SHEET_RECTIFY_REVIEW, "整改复核表", MAX_ROWS, MAX_COLUMNS)

def duplicate_rows(rows: list[ReviewedRow]) -> list[str]:
    """Each unit and 编号 given on more than one row, with the 销号 cells of those rows."""
    cells: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        cells.setdefault((row.unit, row.ref), []).append(row.cell)
    return [f"{printable(unit)[:60]} {printable(ref)[:20]}({'、'.join(found)})"
            for (unit, ref), found in cells.items() if len(found) > 1]


def _label(row: ReviewedRow) -> str:
    return f"{printable(row.unit)[:60]} {printable(row.ref)[:20]}"


def _decision(action: str, row: ReviewedRow, sheet_name: str, time: str) -> Decision:
    """The 销号 (or its withdrawal) a row makes, naming the sheet and the cell."""
    if action == CLOSE:
        reason = row.opinion or "单位报告已完成"
    else:
        reason = f"整改复核表「{sheet_name}」{row.cell} 的销号改为“{row.typed or '空白'}”"
        reason += f":{row.opinion}" if row.opinion else ""
    detail = {"ref": row.ref, "opinion": row.opinion, "cell": row.cell, "sheet": sheet_name}
    return Decision(time, action, row.unit, None, reason, detail)


def _needs_opinion_problem(row: ReviewedRow, report: RectifyReport | None) -> str:
    """Why a 销号 without a 复核意见 of an item the unit did not report 已完成 is not taken, and what to do."""
    progress = report.progress if report else ""
    said = f"单位报告为“{progress}”" if progress else "单位未报告整改情况"
    return (f"{_label(row)} {said},销号须写明复核意见,该行未采用"
            f"(请在 {row.opinion_cell} 填写复核意见后重新收回)")


def _agrees(row: ReviewedRow, current: ClosureInForce | None) -> bool:
    """True when the row asks for what is in force now (closed with its opinion, or not closed)."""
    closed = current is not None and current.closure.closed
    return row.close == closed and (not closed or row.opinion == current.closure.opinion)


def judge(rows: list[ReviewedRow], owed: dict[str, tuple[RectifyItem, ...]],
          reports: dict[str, dict[str, RectifyReport]], shown: dict[str, dict[str, ClosureInForce]],
          in_force: dict[str, dict[str, ClosureInForce]], sheet_name: str, time: str) -> ClosureChanges:
    """What the returned rows change, judged against what the sheet `shown` when written (not the closures now
    `in_force`): see the module's docstring."""
    changes = ClosureChanges()
    for row in rows:
        if row.ref not in {item.ref for item in owed.get(row.unit, ())}:
            changes.not_owed.append(_label(row))
            continue
        if row.close is None:
            changes.problems.append((row.cell, f"销号“{printable(row.typed)[:20]}”只能填“是”或“否”,该行未采用"))
            continue
        before = shown.get(row.unit, {}).get(row.ref)
        current = in_force.get(row.unit, {}).get(row.ref)
        moved = (current.decision_id if current else None) != (before.decision_id if before else None)
        was_closed = before is not None and before.closure.closed
        as_shown = row.close == was_closed and (not row.close or row.opinion == before.closure.opinion)
        if as_shown or moved:
            if moved and not _agrees(row, current):
                changes.kept.append(_label(row))
            continue
        report = reports.get(row.unit, {}).get(row.ref)
        if row.close and not row.opinion and needs_opinion(report):
            changes.problems.append((row.cell, _needs_opinion_problem(row, report)))
            continue
        changes.decisions.append(_decision(CLOSE if row.close else WITHDRAW_CLOSE, row, sheet_name, time))
    return changes


def take_rectify_review(batch: Batch, item: Incoming, read: ReadWorkbook, sha: str, archive_name: str) -> FileOutcome:
    """Take a returned 整改复核表 for ingest: only a file the clerk named, sealed by this workspace, written under
    the approval in force."""
    identity, name = read.identity, item.original_name
    if not item.explicit:
        not_named = refusal("rectify_review_not_named", name=name, origin=item.origin)
        return refuse(batch, item, sha, archive_name, not_named.message, code=not_named.code)
    if identity.get(layout.ID_CAMPAIGN) != batch.campaign.campaign_id or not is_sealed(
            batch.secret, identity, RECTIFY_REVIEW_FIELDS):
        forged = refusal("rectify_review_forged", name=name)
        return refuse(batch, item, sha, archive_name, forged.message, code=forged.code)
    state = current_state(batch.store)
    if not state.approved or identity.get(cols.ID_APPROVAL) != state.snapshot:
        outdated = refusal("rectify_review_outdated", name=name)
        return refuse(batch, item, sha, archive_name, outdated.message, code=outdated.code)
    if batch.store.file_by_sha_and_outcome(sha, REVIEW) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, None, "与已收到的整改复核表相同,未重复计入", sha)
    try:
        rows = read_closure_rows(item.data)
    except RefusedWorkbook as problem:  # an .xls/.ods that calamine cannot read: encrypted or unreadable
        refused = spreadsheet_refusal(problem.code, name)
        return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("rectify_review_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    rows = [replace(r, unit=roster_spelling(r.unit, batch.units) or r.unit) for r in rows]
    repeated = duplicate_rows(rows)
    if repeated:
        twice = refusal("rectify_review_duplicate_rows", name=name, rows=";".join(repeated))
        return refuse(batch, item, sha, archive_name, twice.message, code=twice.code)
    owed = owed_items(frozen_scoreboard(batch.store, state))
    history = closure_history(batch.store)
    upto = identity.get(cols.ID_CLOSURES_UPTO, "")
    shown = closures_upto(history, int(upto) if upto.isdigit() else 0)
    _, reports = stored_reports(batch.store)
    record = batch.record(item, sha, archive_name, REVIEW, item.kind)
    changes = judge(rows, owed, reports, shown, closures_upto(history), name, record.taken_at)
    message = _taken_message(changes)
    code = RECTIFY_REVIEW_PROBLEMS if changes.problems else RECTIFY_REVIEW
    batch.store.record_closures(replace(record, message=message, code=code), changes.decisions)
    return FileOutcome(name, item.origin, REVIEW, None, message, sha, code)


def _taken_message(changes: ClosureChanges) -> str:
    """What ingest says of a 整改复核表: the 销号 and withdrawals recorded, what it left, the rows not taken."""
    notes = [f"整改复核表:销号 {changes.count(CLOSE)} 项,撤回销号 {changes.count(WITHDRAW_CLOSE)} 项"]
    if changes.kept:
        notes.append(f"本表生成后另行销号(或撤回销号)的 {len(changes.kept)} 项保留现状,未按本表改动:"
                     f"{'、'.join(changes.kept)}")
    if changes.not_owed:
        notes.append(f"不在须整改的问题之列、未采用:{'、'.join(changes.not_owed)}")
    if changes.problems:
        notes.append("有误未采用:" + ";".join(f"{cell}:{text}" for cell, text in changes.problems))
    return ";".join(notes)
