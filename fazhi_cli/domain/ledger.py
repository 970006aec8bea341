"""The office's own records (台账) and what they do to a unit's facts and scores — pure, over plain data.

The office receives some of what the rubric asks units to declare: the monthly 法治政府建设信息, the
行政执法指导案例 (due `case_deadline`), the 工作总结 (due `deadline`) and the 规范性文件 备案; it also keeps
its 实地检查 notes. The rubric names which rule a record gives the facts of (`Rule.ledger`). Where the
office's ledger covers a fact, the office's fact counts; the unit's own figure is kept and a difference
is a warning (`ledger_differs`). What counts as covered:

- 信息报送 (`info`): a unit's row with at least one month filled covers that unit. A filled month replaces
  the unit's count; a blank month counts as 0 once the month is over, and keeps the unit's own count
  while the month is not over yet (December during the assessment).
- 行政执法指导案例 (`cases`) and 工作总结 (`summary`): once a ledger with the sheet has been taken, the sheet
  is the office's whole record: a unit with no receipt by the due date has not sent it (the flag is 是).
  Before the due date a unit without a receipt is not deducted (not due yet; a warning says so). A case
  receipt marked 不符合要求 deducts the office's 酌情扣分 (with its 理由) instead, at most the rule's points.
- 实地检查: office deductions with reasons on an item, taken off the item's score (never below 0).
- 规范性文件备案 (`filings`): reference only, shown on the item (台账:备案 N 件).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain.checks import WARNING, Finding
from fazhi_cli.domain.numbers import NO, YES
from fazhi_cli.domain.rubric import Rule, UnitTypeRubric

INFO = "info"
FILINGS = "filings"
CASES = "cases"
INSPECTIONS = "inspections"
SUMMARY = "summary"
RECORDS = (INFO, FILINGS, CASES, INSPECTIONS, SUMMARY)
RECORD_LABELS = {INFO: "信息报送", FILINGS: "规范性文件备案", CASES: "行政执法指导案例", INSPECTIONS: "实地检查",
                 SUMMARY: "工作总结"}
ZERO = Decimal(0)

Facts = Mapping[str, "bool | int"]


class NotADate(ValueError):
    """A value that is not a date as people type one (the message says what was found)."""


_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
)


def parse_date(raw: object) -> dt.date:
    """A date as Excel gives it (a date or datetime) or as people type it (2017-12-15, 2017/12/15, 2017.12.15,
    2017年12月15日); raises NotADate for anything else."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip().translate(str.maketrans("０１２３４５６７８９－／．", "0123456789-/."))
        text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} \d", text) else text
        for form in _DATE_FORMS:
            found = form.match(text)
            if found:
                try:
                    return dt.date(*(int(part) for part in found.groups()))
                except ValueError:
                    break
    raise NotADate(str(raw)[:40])


@dataclass(frozen=True)
class InfoRow:
    """信息报送: the pieces of 法治政府信息 the office received from a unit, by month (only filled months)."""

    unit: str
    months: Mapping[int, int]
    cell: str = ""


@dataclass(frozen=True)
class Filing:
    """规范性文件备案: one 规范性文件 a unit filed with the office."""

    unit: str
    title: str
    filed_on: dt.date | None
    cell: str = ""


@dataclass(frozen=True)
class CaseReceipt:
    """行政执法指导案例: what the office received from a unit, when, and whether it met the requirement; the
    office's 酌情扣分 and 理由 when it did not."""

    unit: str
    received_on: dt.date
    count: int | None
    meets: bool | None
    deduction: Decimal | None
    reason: str
    cell: str = ""


@dataclass(frozen=True)
class Inspection:
    """实地检查: a finding on an item of a unit, with the office's 酌情扣分 and 理由."""

    unit: str
    item_id: str
    finding: str
    deduction: Decimal | None
    reason: str
    cell: str = ""


@dataclass(frozen=True)
class SummaryReceipt:
    """工作总结: a unit's 工作总结 the office received, and when."""

    unit: str
    received_on: dt.date
    file: str
    cell: str = ""


Entry = InfoRow | Filing | CaseReceipt | Inspection | SummaryReceipt
ENTRY_TYPES: dict[str, type] = {INFO: InfoRow, FILINGS: Filing, CASES: CaseReceipt, INSPECTIONS: Inspection,
                                SUMMARY: SummaryReceipt}


def entry_data(entry: Entry) -> dict[str, object]:
    """An entry's fields (without unit and cell) as JSON-ready plain data: dates ISO, Decimals as text."""
    data: dict[str, object] = {}
    for name in entry.__dataclass_fields__:
        if name in ("unit", "cell"):
            continue
        value = getattr(entry, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif name == "months":
            value = {str(month): count for month, count in value.items()}
        data[name] = value
    return data


def entry_from_data(record: str, unit: str, data: Mapping[str, object], cell: str = "") -> Entry:
    """The entry `entry_data` wrote (KeyError for an unknown record)."""
    fields: dict[str, object] = {}
    for name, value in data.items():
        if name in ("filed_on", "received_on"):
            value = None if value is None else dt.date.fromisoformat(str(value))
        elif name == "deduction":
            value = None if value is None else Decimal(str(value))
        elif name == "months":
            value = {int(month): int(count) for month, count in dict(value).items()}
        fields[name] = value
    return ENTRY_TYPES[record](unit=unit, cell=cell, **fields)


@dataclass(frozen=True)
class Ledger:
    """The office's records in force: which records a returned ledger has covered, and their entries by unit."""

    covered: frozenset[str] = frozenset()
    entries: Mapping[str, Mapping[str, tuple[Entry, ...]]] = field(default_factory=dict)  # record → unit → entries

    def of(self, record: str, unit: str) -> tuple[Entry, ...]:
        """The entries of one record for one unit."""
        return tuple(self.entries.get(record, {}).get(unit, ()))


def build_ledger(covered: set[str], entries: list[tuple[str, Entry]]) -> Ledger:
    """A ledger from the records covered and (record, entry) pairs, kept in their order."""
    grouped: dict[str, dict[str, list[Entry]]] = {}
    for record, entry in entries:
        grouped.setdefault(record, {}).setdefault(entry.unit, []).append(entry)
    return Ledger(frozenset(covered), {record: {unit: tuple(found) for unit, found in units.items()}
                                       for record, units in grouped.items()})


@dataclass(frozen=True)
class LedgerDates:
    """The dates the ledger's facts depend on: the campaign's deadlines and the office's today."""

    year: int
    deadline: dt.date  # 工作总结 (with the returns)
    case_deadline: dt.date  # 行政执法指导案例
    today: dt.date

    def month_over(self, month: int) -> bool:
        """Whether a month of the campaign year has ended by today."""
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1]) < self.today


@dataclass(frozen=True)
class ItemLedger:
    """What the office's records do on one item: deductions taken off its score, and lines shown with it."""

    deduction: Decimal = ZERO
    lines: tuple[str, ...] = ()


@dataclass
class LedgerEffect:
    """A unit's facts with the office's facts in place, the facts the ledger covered, the findings, and per
    item the office's deductions and the lines that explain them."""

    facts: dict[str, bool | int]
    covered: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    items: dict[str, ItemLedger] = field(default_factory=dict)

    def add(self, item_id: str, line: str, deduction: Decimal = ZERO) -> None:
        """Add a line (and a deduction) to an item."""
        now = self.items.get(item_id, ItemLedger())
        self.items[item_id] = ItemLedger(now.deduction + deduction, (*now.lines, line))


def _short(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _show_flag(value: bool | int | None) -> str:
    if value is None:
        return "未填"
    return f"“{YES if value else NO}”"  # 自报“否”


def _differs(unit: str, effect: LedgerEffect, item_id: str, ref: str, cell: str | None, text: str) -> None:
    """A fact where the office's record and the unit's own figure differ: a warning, and a line on the item."""
    where = f"{cell}:" if cell else ""
    effect.findings.append(Finding(unit, WARNING, "ledger_differs", ref, cell,
                                   f"【{unit}】{where}{text},按台账计。"))
    effect.add(item_id, text)


def _info(unit: str, item_id: str, rule: Rule, ledger: Ledger, own: Facts, cells: Mapping[str, str | None],
          dates: LedgerDates, effect: LedgerEffect) -> None:
    rows = [e for e in ledger.of(INFO, unit) if isinstance(e, InfoRow) and e.months]
    if INFO not in ledger.covered or not rows:
        return
    months = dict(rows[-1].months)
    counted = set(rule.counted_fact_ids())
    for number, fact_id in enumerate(rule.fact_ids(), start=1):
        if fact_id not in counted:
            continue  # a month not assessed this campaign
        if number in months:
            office = months[number]
        elif dates.month_over(number):
            office = 0
        else:
            continue  # a month not over yet and not recorded: the unit's own count stands
        effect.covered.add(fact_id)
        effect.facts[fact_id] = office
        mine = own.get(fact_id)
        if mine != office:
            said = "未填" if mine is None else f"{int(mine)} 条"
            _differs(unit, effect, item_id, fact_id, cells.get(fact_id),
                     f"{rule.id} {number}月:自报 {said},台账记录 {office} 条")


def _cases(unit: str, item_id: str, rule: Rule, ledger: Ledger, own: Facts, cells: Mapping[str, str | None],
           dates: LedgerDates, effect: LedgerEffect) -> None:
    if CASES not in ledger.covered:
        return
    receipts = [e for e in ledger.of(CASES, unit) if isinstance(e, CaseReceipt)]
    in_time = [r for r in receipts if r.received_on <= dates.case_deadline]
    if in_time:
        office = False
        pieces = sum(r.count or 0 for r in in_time)
        received = f"台账记录 {_short(in_time[0].received_on)} 收到" + (f" {pieces} 件" if pieces else "")
        failing = [r for r in in_time if r.meets is False]
        if failing:
            asked = sum((r.deduction or ZERO for r in failing), ZERO)
            points = min(asked, rule.points)
            reasons = ";".join(r.reason for r in failing if r.reason)
            capped = f"(按该规则最多 {rule.points} 分计)" if asked > points else ""
            line = f"{rule.id} 行政执法指导案例:{received},不符合要求,酌情扣 {points} 分{capped}"
            effect.add(item_id, line + (f"(理由:{reasons})" if reasons else ""), points)
        else:
            effect.add(item_id, f"{rule.id} 行政执法指导案例:{received},符合要求")
    else:
        office = _missing(unit, item_id, rule, "行政执法指导案例", receipts, dates.case_deadline, dates.today, effect)
    _flag_fact(unit, item_id, rule, office, own, cells, effect)


def _summary(unit: str, item_id: str, rule: Rule, ledger: Ledger, own: Facts, cells: Mapping[str, str | None],
             dates: LedgerDates, effect: LedgerEffect) -> None:
    if SUMMARY not in ledger.covered:
        return
    receipts = [e for e in ledger.of(SUMMARY, unit) if isinstance(e, SummaryReceipt)]
    in_time = [r for r in receipts if r.received_on <= dates.deadline]
    if in_time:
        office = False
        effect.add(item_id, f"{rule.id} 工作总结:台账记录 {_short(in_time[0].received_on)} 收到")
    else:
        office = _missing(unit, item_id, rule, "工作总结", receipts, dates.deadline, dates.today, effect)
    _flag_fact(unit, item_id, rule, office, own, cells, effect)


def _missing(unit: str, item_id: str, rule: Rule, record: str, receipts: list, deadline: dt.date, today: dt.date,
             effect: LedgerEffect) -> bool:
    """Nothing received in time: 未报送 (True) once late receipts exist or the due date has passed; before it, no
    deduction yet (False) with a `ledger_not_due` warning."""
    due = _short(deadline)
    if receipts or today > deadline:
        late = f"({_short(receipts[0].received_on)} 才收到)" if receipts else ""
        effect.add(item_id, f"{rule.id} {record}:台账记录截至 {due} 未收到{late}")
        return True
    text = f"{rule.id} {record} {due} 前报送,台账尚无记录,尚未到期,暂不扣分"
    effect.findings.append(Finding(unit, WARNING, "ledger_not_due", rule.id, None, f"【{unit}】{text}。"))
    effect.add(item_id, text)
    return False


def _flag_fact(unit: str, item_id: str, rule: Rule, office: bool, own: Facts, cells: Mapping[str, str | None],
               effect: LedgerEffect) -> None:
    effect.covered.add(rule.id)
    effect.facts[rule.id] = office
    mine = own.get(rule.id)
    if mine is None or bool(mine) != office:
        _differs(unit, effect, item_id, rule.id, cells.get(rule.id),
                 f"{rule.id}“{rule.text}”:自报{_show_flag(mine)},台账记录为{_show_flag(office)}")


_RULE_RECORDS = {INFO: _info, CASES: _cases, SUMMARY: _summary}


def apply_ledger(unit: str, type_rubric: UnitTypeRubric, ledger: Ledger, own: Facts,
                 cells: Mapping[str, str | None], dates: LedgerDates) -> LedgerEffect:
    """The unit's facts with the office's in place where its ledger covers them (`own` is what the unit
    declared; `cells` the cell of each of its facts), with a `ledger_differs` warning for each difference,
    the office's deductions (不符合要求 cases, 实地检查) and the lines each item shows."""
    effect = LedgerEffect(dict(own))
    for item in type_rubric.items:
        for rule in item.rules:
            if rule.ledger in _RULE_RECORDS:
                _RULE_RECORDS[rule.ledger](unit, item.id, rule, ledger, own, cells, dates, effect)
        if item.ledger == FILINGS and FILINGS in ledger.covered:
            filings = [e for e in ledger.of(FILINGS, unit) if isinstance(e, Filing)]
            titles = "、".join(f"《{f.title}》" for f in filings[:5] if f.title)
            more = " 等" if len(filings) > 5 else ""
            effect.add(item.id, f"备案 {len(filings)} 件" + (f"({titles}{more})" if titles else ""))
    items = {item.id: item for item in type_rubric.items}
    for entry in ledger.of(INSPECTIONS, unit):
        if not isinstance(entry, Inspection) or entry.item_id not in items:
            continue
        points = entry.deduction or ZERO
        said = f"实地检查:{entry.finding}" if entry.finding else "实地检查"
        if points:
            said += f",酌情扣 {points} 分"
        effect.add(entry.item_id, said + (f"(理由:{entry.reason})" if entry.reason else ""), points)
    return effect


def ledger_item_score(score: Decimal, deduction: Decimal) -> Decimal:
    """An item's score after the office's ledger deductions: never below 0."""
    return max(ZERO, score - deduction)
