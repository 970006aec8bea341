"""What is wrong in a returned 整改 workbook: plain rows in (each value by its field, with its cell), findings out.

A unit reports on the items it owes and only on them: a row added (an 编号 not owed) or one removed, the office's 问题
or 扣分 changed (the office's text stays what counts), a 完成情况 that is none of 已完成 / 推进中 / 未启动, an item
reported 已完成 without its 整改措施 or its 完成时间, a 完成时间 that is no date, after today (the office's clock) or
before the 通报 (the approval) — each an error naming the cell. Pure: the standard library and the domain only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from fazhi_cli.domain.checks import ERROR, WARNING, Finding
from fazhi_cli.domain.dates import NotADate, parse_date
from fazhi_cli.domain.numbers import NotANumber, is_blank, normalise_text, parse_decimal
from fazhi_cli.domain.rectification import DONE, PROGRESS, RectifyItem, RectifyReport
from fazhi_cli.domain.text import printable

# the fields of a returned row (the reader maps the columns' titles to these)
REF, NAME, PROBLEM, DEDUCTION = "ref", "name", "problem", "deduction"
MEASURES, PROGRESS_FIELD, DONE_ON, EVIDENCE = "measures", "progress", "done_on", "evidence"
SHOWN = 40  # characters of a unit's text quoted in a message


@dataclass(frozen=True)
class ReturnedRow:
    """One 编号 row of a returned 整改 workbook: each value as the unit left it (str, int, float, date or None) and
    its cell (`整改清单!E6`), by field."""

    ref: str
    values: Mapping[str, object] = field(default_factory=dict)
    cells: Mapping[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """A field's text, stripped ("" for a blank cell)."""
        raw = self.values.get(name)
        return "" if is_blank(raw) else str(raw).strip()


def _shown(raw: object) -> str:
    return printable(raw)[:SHOWN]


def _same_text(found: str, wanted: str) -> bool:
    """Equal but for the width of characters and the whitespace (an editor may re-wrap a long cell)."""
    return " ".join(normalise_text(found).split()) == " ".join(normalise_text(wanted).split())


def done_date(raw: object) -> dt.date | None:
    """The 完成时间 as a date (None when blank); raises NotADate for anything that is none."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool | int | float):
        raise NotADate(f"“{_shown(raw)}”不是日期")
    return parse_date(raw)


def row_report(row: ReturnedRow) -> RectifyReport:
    """What the unit reported on the row's item (a 完成时间 that is no date reads as none, a 完成情况 that is none of
    the three as blank: the findings say so)."""
    try:
        done_on = done_date(row.values.get(DONE_ON))
    except NotADate:
        done_on = None
    progress = normalise_text(row.text(PROGRESS_FIELD))
    return RectifyReport(row.ref, row.text(MEASURES), progress if progress in PROGRESS else "", done_on,
                         row.text(EVIDENCE))


def _finding(unit: str, severity: str, code: str, ref: str | None, cell: str | None, text: str) -> Finding:
    where = f"{cell}:" if cell else ""
    return Finding(unit, severity, code, ref, cell, f"【{unit}】{where}{text}")


def rectify_findings(unit: str, items: Sequence[RectifyItem], rows: Sequence[ReturnedRow],
                     duplicates: Iterable[tuple[str, str, str]], today: dt.date, notified_on: dt.date) -> list[Finding]:
    """Every problem of a returned 整改 workbook: the rows against the `items` owed, then each row's report.
    `duplicates`: (编号, the cell kept, the cell of the repeated row); `today` by the office's clock; `notified_on`
    the day the results were approved (the 通报)."""
    owed = {item.ref: item for item in items}
    found = {row.ref: row for row in rows}
    findings = [_finding(unit, ERROR, "rectify_row_added", row.ref, row.cells.get(REF),
                         f"编号“{_shown(row.ref)}”不是本单位的整改项目(整改清单只列法制办下发的项目),该行未采用。"
                         "请删去该行,或使用下发的整改清单重新填写。")
                for row in rows if row.ref not in owed]
    findings += [_finding(unit, ERROR, "rectify_row_missing", item.ref, None,
                          f"整改清单中没有编号为“{item.ref}”({item.name})的一行(被删除或改动了编号)。"
                          "请使用下发的整改清单,逐项填写后重新报送。")
                 for item in items if item.ref not in found]
    findings += [_finding(unit, ERROR, "rectify_duplicate_row", ref, other,
                          f"编号“{_shown(ref)}”有不止一行({kept}、{other}),以 {kept} 所在行为准。请删去重复的行。")
                 for ref, kept, other in duplicates]
    for row in rows:
        item = owed.get(row.ref)
        if item is not None:
            findings += _fixed_changed(unit, item, row)
            findings += _report_findings(unit, row, today, notified_on)
    return findings


def _fixed_changed(unit: str, item: RectifyItem, row: ReturnedRow) -> list[Finding]:
    """The office's 问题 and 扣分 as returned, against what it wrote."""
    findings = []
    if PROBLEM in row.cells and not _same_text(row.text(PROBLEM), item.problem):
        findings.append(_finding(unit, ERROR, "rectify_problem_changed", item.ref, row.cells[PROBLEM],
                                 f"第 {item.ref} 项的“问题”被改动(现为“{_shown(row.text(PROBLEM))}”),"
                                 "以法制办下发的内容为准。请勿改动问题,对问题的说明请写在“整改措施”中。"))
    if DEDUCTION in row.cells and not _same_points(row.values.get(DEDUCTION), item.deduction):
        findings.append(_finding(unit, ERROR, "rectify_deduction_changed", item.ref, row.cells[DEDUCTION],
                                 f"第 {item.ref} 项的“扣分”被改动(现为“{_shown(row.values.get(DEDUCTION) or '空白')}”,"
                                 f"下发时为 {item.deduction}),以法制办下发的内容为准。请勿改动扣分。"))
    return findings


def _same_points(raw: object, wanted) -> bool:
    try:
        return parse_decimal(raw) == wanted
    except NotANumber:
        return False


def _report_findings(unit: str, row: ReturnedRow, today: dt.date, notified_on: dt.date) -> list[Finding]:
    """One row's report: its 完成情况, and for 已完成 its 整改措施 and 完成时间; a 完成时间 given is a real day between
    the 通报 and today."""
    findings = []
    ref, progress = row.ref, normalise_text(row.text(PROGRESS_FIELD))
    progress_cell, date_cell = row.cells.get(PROGRESS_FIELD), row.cells.get(DONE_ON)
    if progress and progress not in PROGRESS:
        findings.append(_finding(unit, ERROR, "rectify_bad_progress", ref, progress_cell,
                                 f"第 {ref} 项的完成情况“{_shown(progress)}”不是“已完成”“推进中”或“未启动”之一"
                                 "(按未报告计)。请从下拉列表中选择。"))
    elif not progress and (row.text(MEASURES) or row.text(EVIDENCE)):
        findings.append(_finding(unit, WARNING, "rectify_no_progress", ref, progress_cell,
                                 f"第 {ref} 项填写了整改措施,但未选择完成情况(按未报告计)。"
                                 ""
                                 "请选择已完成、推进中或未启动。"))
    try:
        done_on = done_date(row.values.get(DONE_ON))
    except NotADate:
        findings.append(_finding(unit, ERROR, "rectify_bad_date", ref, date_cell,
                                 f"第 {ref} 项的完成时间“{_shown(row.values.get(DONE_ON))}”不是日期"
                                 "(应写成 2018-03-01、2018/3/1 或 2018年3月1日)。请修改。"))
        done_on = None
    if progress == DONE and not row.text(MEASURES):
        findings.append(_finding(unit, ERROR, "rectify_done_without_measures", ref, row.cells.get(MEASURES),
                                 f"第 {ref} 项报告“已完成”,但未填写整改措施。请写明采取了哪些整改措施。"))
    if progress == DONE and done_on is None and is_blank(row.values.get(DONE_ON)):
        findings.append(_finding(unit, ERROR, "rectify_done_without_date", ref, date_cell,
                                 f"第 {ref} 项报告“已完成”,但未填写完成时间。请填写完成日期(如 2018-03-01)。"))
    if done_on is not None and done_on > today:
        findings.append(_finding(unit, ERROR, "rectify_date_future", ref, date_cell,
                                 f"第 {ref} 项的完成时间 {done_on.isoformat()} 晚于今天({today.isoformat()})。"
                                 "请填写实际完成的日期。"))
    elif done_on is not None and done_on < notified_on:
        findings.append(_finding(unit, ERROR, "rectify_date_before_notice", ref, date_cell,
                                 f"第 {ref} 项的完成时间 {done_on.isoformat()} 早于考核结果通报"
                                 f"({notified_on.isoformat()}),不是针对本次通报问题的整改。请核实后修改。"))
    return findings


def errors(findings: Iterable[Finding]) -> int:
    """How many of the findings are errors."""
    return sum(1 for f in findings if f.severity == ERROR)
