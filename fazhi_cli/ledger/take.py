"""Taking a returned ledger (法制办台账) back: only the file the clerk named, sealed by this workspace.

Each sheet found (by name, its header by titles) is the office's current record for what it covers: the
latest ledger's entries replace the previous ones for that record, and the history stays in the store. A
bad row (a unit not on the roster, a month that is not a whole number ≥ 0, a negative count, a date that is
no date, an 酌情扣分 above the item's points, negative or without 理由, an unknown 编号, a formula in any cell) is
not taken: it is a problem naming the sheet and cell, and the rest of the ledger is taken. Formulas are read as
written, never by a stored result (openpyxl stores none; a spreadsheet may keep a stale one).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.identity import LEDGER_FIELDS, is_sealed
from fazhi_cli.domain.ledger import (
    CASES,
    FILINGS,
    INFO,
    INSPECTIONS,
    RECORD_LABELS,
    SUMMARY,
    CaseReceipt,
    Entry,
    Filing,
    InfoRow,
    Inspection,
    NotADate,
    SummaryReceipt,
    entry_data,
    parse_date,
)
from fazhi_cli.domain.numbers import NotANumber, is_blank, normalise_text, parse_count, parse_decimal, parse_flag
from fazhi_cli.domain.refusals import refusal, spreadsheet_refusal
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.text import printable
from fazhi_cli.domain.units import Unit, roster_spelling
from fazhi_cli.intake import Incoming
from fazhi_cli.ledger import layout as cols
from fazhi_cli.ledger.layout import REQUIRED, SHEETS, SheetLayout
from fazhi_cli.receiving.batch import DUPLICATE, LEDGER, LEDGER_PROBLEMS, Batch, FileOutcome, refuse
from fazhi_cli.store import LedgerRow
from fazhi_cli.workbook.formats import other_format, read_other_rows
from fazhi_cli.workbook.reader import READ_ERRORS, ReadWorkbook, RefusedWorkbook, UnreadableWorkbook, find_header

MAX_ROWS = 5000
MAX_COLUMNS = 40
SHOWN_PROBLEMS = 3


class RowProblem(ValueError):
    """A ledger row that cannot be taken: the cell and what is wrong (in Chinese)."""

    def __init__(self, cell: str, text: str) -> None:
        super().__init__(text)
        self.cell = cell
        self.text = text


@dataclass
class ReadLedger:
    """What a returned ledger holds: the records (sheets) it covers, its rows, and sheets it could not use."""

    covered: list[str]
    rows: list[LedgerRow]
    skipped: list[str]

    @property
    def problems(self) -> list[LedgerRow]:
        return [row for row in self.rows if row.problem is not None]


class _Row:
    """One sheet row with its cells by column title."""

    def __init__(self, sheet: str, values: tuple, titles: dict[str, int], line: int) -> None:
        self.sheet, self.values, self.titles, self.line = sheet, values, titles, line

    def raw(self, title: str) -> object:
        column = self.titles.get(title)
        if column is None or column >= len(self.values):
            return None
        value = self.values[column]
        return None if is_blank(value) else value

    def text(self, title: str) -> str:
        raw = self.raw(title)
        return "" if raw is None else normalise_text(str(raw))

    def cell(self, title: str) -> str:
        return f"{self.sheet}!{get_column_letter(self.titles[title] + 1)}{self.line}"

    def check_no_formula(self) -> None:
        """RowProblem for the row's first cell holding a formula (the ledger is read as typed; nothing computed)."""
        for title in self.titles:
            raw = self.raw(title)
            if isinstance(raw, str) and len(raw) > 1 and raw.startswith("="):
                raise RowProblem(self.cell(title), f"“{title}”是公式“{_shown(raw)}”,台账不计算公式,该行未采用"
                                 "(请直接填写数值或文字,可复制后“选择性粘贴—数值”)")


def _shown(raw: object) -> str:
    return printable(str(raw))[:40]


def _date(row: _Row, title: str, required: bool) -> object:
    raw = row.raw(title)
    if raw is None:
        if required:
            raise RowProblem(row.cell(title), f"“{title}”未填写,该行未采用")
        return None
    try:
        return parse_date(raw)
    except NotADate:
        raise RowProblem(row.cell(title), f"“{title}”“{_shown(raw)}”不是日期(应写成 2017-12-15),该行未采用") from None


def _count(row: _Row, title: str, what: str) -> int | None:
    raw = row.raw(title)
    if raw is None:
        return None
    try:
        return parse_count(raw)
    except NotANumber:
        raise RowProblem(row.cell(title), f"{what}“{_shown(raw)}”不是大于或等于 0 的整数,该行未采用") from None


def _deduction(row: _Row, limit: Decimal, item_id: str) -> Decimal | None:
    raw = row.raw(cols.COL_DEDUCTION)
    if raw is None:
        return None
    cell = row.cell(cols.COL_DEDUCTION)
    try:
        points = parse_decimal(raw)
    except NotANumber:
        raise RowProblem(cell, f"酌情扣分“{_shown(raw)}”不是数字,该行未采用") from None
    if points < 0:
        raise RowProblem(cell, f"酌情扣分 {points} 为负数,该行未采用")
    if points > limit:
        raise RowProblem(cell, f"酌情扣分 {points} 超过第 {item_id} 项的分值 {limit},该行未采用")
    if points and not row.text(cols.COL_REASON):
        raise RowProblem(cell, f"酌情扣分 {points} 未写明理由,该行未采用(请在“理由”中说明)")
    return points


def _info(row: _Row, unit: Unit, rubric: Rubric) -> Entry:
    months = {}
    for number, title in enumerate(cols.MONTH_COLUMNS, start=1):
        count = _count(row, title, f"{title}信息条数")
        if count is not None:
            months[number] = count
    return InfoRow(unit.name, months)


def _filing(row: _Row, unit: Unit, rubric: Rubric) -> Entry:
    return Filing(unit.name, row.text(cols.COL_TITLE), _date(row, cols.COL_FILED, required=False))


def _case(row: _Row, unit: Unit, rubric: Rubric) -> Entry:
    received = _date(row, cols.COL_RECEIVED, required=True)
    count = _count(row, cols.COL_COUNT, "件数")
    meets_raw = row.raw(cols.COL_MEETS)
    meets = None
    if meets_raw is not None:
        try:
            meets = parse_flag(meets_raw)
        except NotANumber:
            raise RowProblem(row.cell(cols.COL_MEETS), f"是否符合要求“{_shown(meets_raw)}”只能填“是”或“否”,该行未采用"
                             ) from None
    item, _ = rubric.for_type(unit.type).ledger_rules(CASES)[0]
    return CaseReceipt(unit.name, received, count, meets, _deduction(row, item.max, item.id), row.text(cols.COL_REASON))


def _inspection(row: _Row, unit: Unit, rubric: Rubric) -> Entry:
    item_id = row.text(cols.COL_ID)
    type_rubric = rubric.for_type(unit.type)
    try:
        item = type_rubric.item(item_id)
    except KeyError:
        shown = _shown(row.raw(cols.COL_ID) or "") or "未填"
        raise RowProblem(row.cell(cols.COL_ID), f"编号“{shown}”不是{type_rubric.label}的考核项目编号(如 4.1),该行未采用"
                         ) from None
    deduction = _deduction(row, item.max, item.id)
    return Inspection(unit.name, item.id, row.text(cols.COL_FINDING), deduction, row.text(cols.COL_REASON))


def _summary(row: _Row, unit: Unit, rubric: Rubric) -> Entry:
    return SummaryReceipt(unit.name, _date(row, cols.COL_RECEIVED, required=True), row.text(cols.COL_FILE))


READERS: dict[str, Callable[[_Row, Unit, Rubric], Entry]] = {
    INFO: _info, FILINGS: _filing, CASES: _case, INSPECTIONS: _inspection, SUMMARY: _summary}


def _read_sheet(sheet_layout: SheetLayout, rows: list[tuple], rubric: Rubric, units: dict[str, Unit],
                out: ReadLedger) -> None:
    found = find_header(rows, REQUIRED[sheet_layout.record])
    if found is None:
        out.skipped.append(f"“{sheet_layout.name}”表中找不到表头({'、'.join(REQUIRED[sheet_layout.record])}),"
                           "该表未采用,沿用此前的记录")
        return
    index, titles = found
    inputs = [t for t in sheet_layout.titles if t != cols.COL_UNIT]
    read = []
    for line, values in enumerate(rows[index + 1:], start=index + 2):
        row = _Row(sheet_layout.name, values, titles, line)
        if all(row.raw(title) is None for title in inputs):
            continue  # a unit's row left blank: nothing recorded
        read.append(_read_row(sheet_layout.record, row, rubric, units))
    if not read:  # a sheet with no rows is no record: it must never deduct from every unit
        out.skipped.append(f"“{sheet_layout.name}”表中没有任何记录,未采用(不据此扣分),沿用此前的记录")
        return
    out.covered.append(sheet_layout.record)
    out.rows.extend(read)


def _read_row(record: str, row: _Row, rubric: Rubric, units: dict[str, Unit]) -> LedgerRow:
    name = row.text(cols.COL_UNIT)
    spelled = roster_spelling(name, units) if name else None
    unit = units.get(spelled) if spelled else None
    try:
        row.check_no_formula()
        if not name:
            raise RowProblem(row.cell(cols.COL_UNIT), "单位名称未填写,该行未采用")
        if unit is None:
            raise RowProblem(row.cell(cols.COL_UNIT), f"单位“{_shown(name)}”不在本次考核的单位名单中,该行未采用")
        if record != INSPECTIONS and record not in rubric.for_type(unit.type).ledger_records():
            raise RowProblem(row.cell(cols.COL_UNIT),
                             f"{unit.type_label}“{unit.name}”的评分细则不考核{RECORD_LABELS[record]},该行未采用")
        entry = READERS[record](row, unit, rubric)
    except RowProblem as problem:
        return LedgerRow(record, unit.name if unit else (name or None), {}, problem.cell, problem.text)
    return LedgerRow(record, unit.name, entry_data(entry), row.cell(cols.COL_UNIT))


def read_ledger(data: bytes, rubric: Rubric, units: dict[str, Unit]) -> ReadLedger:
    """The sheets of a returned ledger, each found by name and its header by titles (never by position)."""
    out = ReadLedger([], [], [])
    sheets = _sheet_rows(data)
    for sheet_layout in SHEETS:
        if sheet_layout.name not in sheets:
            out.skipped.append(f"没有“{sheet_layout.name}”表,沿用此前的记录")
            continue
        _read_sheet(sheet_layout, sheets[sheet_layout.name], rubric, units, out)
    return out


def _sheet_rows(data: bytes) -> dict[str, list[tuple]]:
    """The rows of the ledger's sheets found, by name, from an .xlsx or (told by its bytes) an .xls/.ods saved
    from it; formulas as written in every format (openpyxl stores no result, a spreadsheet may keep a stale one)."""
    titles = [sheet_layout.name for sheet_layout in SHEETS]
    kind = other_format(data)
    if kind is not None:
        return read_other_rows(data, kind, titles, MAX_ROWS, MAX_COLUMNS)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except READ_ERRORS as exc:
        raise UnreadableWorkbook("台账无法读取") from exc
    try:
        found = {}
        for title in titles:
            if title in book.sheetnames:
                sheet = book[title]
                sheet.reset_dimensions()
                found[title] = list(sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS,
                                                    values_only=True))
        return found
    finally:
        book.close()


def take_ledger(batch: Batch, item: Incoming, read: ReadWorkbook, sha: str, archive_name: str) -> FileOutcome:
    """Take a returned ledger for ingest: only a file the clerk named, sealed by this workspace."""
    name = item.original_name
    if not item.explicit:
        not_named = refusal("ledger_not_named", name=name, origin=item.origin)
        return refuse(batch, item, sha, archive_name, not_named.message, code=not_named.code)
    if not is_sealed(batch.secret, read.identity, LEDGER_FIELDS):
        forged = refusal("ledger_forged", name=name)
        return refuse(batch, item, sha, archive_name, forged.message, code=forged.code)
    if batch.store.file_by_sha_and_outcome(sha, LEDGER) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, None, "与已收到的台账相同,未重复计入", sha)
    try:
        ledger = read_ledger(item.data, batch.rubric, batch.units)
    except RefusedWorkbook as problem:  # an .xls/.ods that calamine cannot read: encrypted or unreadable
        refused = spreadsheet_refusal(problem.code, name)
        return refuse(batch, item, sha, archive_name, refused.message, code=refused.code)
    except UnreadableWorkbook as problem:
        unreadable = refusal("ledger_unreadable", name=name, detail=problem)
        return refuse(batch, item, sha, archive_name, unreadable.message, code=unreadable.code)
    problems = ledger.problems
    code = LEDGER_PROBLEMS if problems else LEDGER
    message = ";".join([_message(ledger), *unrecorded_notes(ledger, batch.rubric, batch.units, batch.campaign)])
    record = batch.record(item, sha, archive_name, LEDGER, item.kind, message=message, code=code)
    batch.store.record_ledger(record, ledger.covered, ledger.rows)
    return FileOutcome(name, item.origin, LEDGER, None, message, sha, code)


# the records a unit without a receipt is deducted for, and from which date
DUE: dict[str, Callable[[Campaign], dt.date]] = {CASES: lambda c: c.case_deadline, SUMMARY: lambda c: c.deadline}


def unrecorded_notes(ledger: ReadLedger, rubric: Rubric, units: dict[str, Unit], campaign: Campaign) -> list[str]:
    """For each sheet whose absence of a receipt deducts (指导案例, 工作总结): how many units it records and how many
    it will deduct from (the units assessed on that record with no row in it), and from when."""
    notes = []
    for record, due_of in DUE.items():
        if record not in ledger.covered:
            continue
        concerned = [name for name, unit in units.items() if record in rubric.for_type(unit.type).ledger_records()]
        recorded = {row.unit for row in ledger.rows if row.record == record and row.problem is None}
        missing = [name for name in concerned if name not in recorded]
        due = due_of(campaign)
        notes.append(f"{RECORD_LABELS[record]}:记录 {len(recorded)} 个单位,其余 {len(missing)} 个单位没有记录,"
                     f"{due.month}月{due.day}日后按未报送扣分" if missing else
                     f"{RECORD_LABELS[record]}:{len(recorded)} 个单位均有记录")
    return notes


def _message(ledger: ReadLedger) -> str:
    """What ingest says of a ledger: the records it covers, the rows taken, the sheets and rows not taken."""
    problems = ledger.problems
    labels = "、".join(RECORD_LABELS[r] for r in ledger.covered) or "无"
    notes = [f"法制办台账({labels}):记录 {len(ledger.rows) - len(problems)} 条", *ledger.skipped]
    if problems:
        shown = ";".join(f"{p.cell}:{p.problem}" for p in problems[:SHOWN_PROBLEMS])
        more = f" 等 {len(problems)} 处" if len(problems) > SHOWN_PROBLEMS else ""
        notes.append(f"有误未采用:{shown}{more}(fazhi validate 查看)")
    return ";".join(notes)
