"""Validation of a unit's submission against the rubric: findings as data, one small check per concern.

A submission arrives here as plain values (raw cell value and the cell it came from, keyed by ID and
field). `interpret` reads facts and scores the way people type them and reports what it cannot read;
the checks compare scores with maxima and with the ceilings the unit's own facts imply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain import scoring
from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.numbers import NotANumber, is_blank, parse_decimal, show_raw
from fazhi_cli.domain.rubric import Item, Rubric, Rule, UnitTypeRubric

ERROR = "error"
WARNING = "warning"
TASK_STATUSES = ("已完成", "推进中", "未启动")


@dataclass(frozen=True)
class Finding:
    """One problem: what (code), how bad, where (unit, rule/item ID, cell) and a message to forward."""

    unit: str | None
    severity: str
    code: str
    ref: str | None
    cell: str | None
    message: str
    file: str | None = None
    file_id: int | None = None  # a file refused or held at ingest: its id for `fazhi accept/reject/dismiss`
    units: tuple[str, ...] = ()  # a held file: the unit its identity names, then the one the evidence names

    def as_dict(self) -> dict[str, str | None]:
        """The JSON shape fixed by the interface (`file` only for refused or held files; their id and units are
        in `fazhi files --json`)."""
        data = {"unit": self.unit, "severity": self.severity, "code": self.code, "ref": self.ref,
                "cell": self.cell, "message": self.message}
        if self.file is not None:
            data["file"] = self.file
        return data


@dataclass(frozen=True, slots=True)  # slots: a campaign holds some 550 values per unit
class Value:
    """A raw value as the unit left it, and its cell (`自评表!I14`) or None."""

    raw: object
    cell: str | None = None


Values = Mapping[tuple[str, str], Value]  # (ID, field) → value; fields: fact, score, note, evidence, status


@dataclass(frozen=True)
class ContentChange:
    """Fixed content that differs from the master rubric: a changed 分值 or text, or a missing row."""

    ref: str | None
    what: str  # a 自评表 column title (changed text), "missing", "duplicate", "hidden_row" or "hidden_column"
    cell: str | None
    found: str
    expected: str


@dataclass
class Interpreted:
    """A submission read into the scoring core's terms, with the problems met on the way."""

    facts: dict[str, bool | int] = field(default_factory=dict)
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def ceilings(self, type_rubric: UnitTypeRubric) -> dict[str, Decimal]:
        """Each item's ceiling given the unit's facts."""
        return {item.id: scoring.item_ceiling(item, self.facts) for item in type_rubric.items}


def _message(unit: str, cell: str | None, text: str) -> str:
    where = f"{cell}:" if cell else ""
    return f"【{unit}】{where}{text}"


def _read_fact(unit: str, rule: Rule, fact_id: str, value: Value | None, out: Interpreted) -> None:
    kind = kind_of(rule)
    cell = value.cell if value else None
    if value is None or is_blank(value.raw):
        out.findings.append(Finding(unit, WARNING, "fact_missing", fact_id, cell, _message(
            unit, cell, f"{fact_id}“{rule.text}”的填报值未填写,{kind.missing_meaning}。请补填。")))
        return
    try:
        out.facts[fact_id] = kind.parse(value.raw)
    except NotANumber as problem:
        why = problem.reason or "无法识别"
        out.findings.append(Finding(unit, ERROR, kind.invalid_code, fact_id, cell, _message(
            unit, cell, f"{fact_id}的填报值“{problem.shown}”{why},{kind.invalid_wanted}。请修改后重新报送。")))


def _read_score(unit: str, item: Item, value: Value | None, out: Interpreted) -> None:
    cell = value.cell if value else None
    if value is None or is_blank(value.raw):
        out.scores[item.id] = None
        out.findings.append(Finding(unit, ERROR, "score_missing", item.id, cell, _message(
            unit, cell, f"第 {item.id} 项“{item.name}”未填写自评得分(暂按 0 分计)。"
            f"请填写 0 至 {item.max} 之间的分数。")))
        return
    try:
        score = parse_decimal(value.raw)
    except NotANumber as problem:
        out.scores[item.id] = None
        if isinstance(value.raw, str) and value.raw.startswith("="):
            hint = "请直接填写数字,不要使用公式"
        elif problem.reason is None:
            hint = "请填写数字"
        else:
            hint = f"请填写 0 至 {item.max} 之间的分数"
        why = problem.reason or "不是数字"
        out.findings.append(Finding(unit, ERROR, "score_not_number", item.id, cell, _message(
            unit, cell, f"第 {item.id} 项的自评得分“{problem.shown}”{why}(暂按 0 分计)。{hint}。")))
        return
    out.scores[item.id] = score
    if score < 0:
        out.findings.append(Finding(unit, ERROR, "score_negative", item.id, cell, _message(
            unit, cell, f"第 {item.id} 项的自评得分 {score} 为负数。得分最低为 0,请修改。")))
    elif score > item.max:
        out.findings.append(Finding(unit, ERROR, "above_max", item.id, cell, _message(
            unit, cell, f"第 {item.id} 项的自评得分 {score} 超过该项分值 {item.max}。请修改。")))
    elif score != score.quantize(Decimal("0.01")):
        out.findings.append(Finding(unit, WARNING, "score_precision", item.id, cell, _message(
            unit, cell, f"第 {item.id} 项的自评得分 {score} 超过两位小数,按四舍五入保留两位小数计。")))


def interpret(unit: str, type_rubric: UnitTypeRubric, rubric: Rubric, values: Values) -> Interpreted:
    """Read facts and scores from raw values; unreadable ones become findings (never a silent 0)."""
    out = Interpreted()
    for item in type_rubric.items:
        for rule in item.rules:
            for fact_id in rule.counted_fact_ids():  # a month not assessed is not read at all
                _read_fact(unit, rule, fact_id, values.get((fact_id, "fact")), out)
        _read_score(unit, item, values.get((item.id, "score")), out)
    for rule in rubric.special.rules:
        value = values.get((rule.id, "fact"))
        if value is None or is_blank(value.raw):
            continue  # the special rows are answered only when they apply
        _read_fact(unit, rule, rule.id, value, out)
    return out


def check_ceilings(unit: str, type_rubric: UnitTypeRubric, values: Values, out: Interpreted) -> Iterator[Finding]:
    """A score above the ceiling the unit's own facts imply is an error; lost points need a 扣分说明."""
    for item in type_rubric.items:
        score = out.scores.get(item.id)
        if score is None:
            continue
        ceiling = scoring.item_ceiling(item, out.facts)
        cell = values[(item.id, "score")].cell if (item.id, "score") in values else None
        if item.max >= score > ceiling:
            deduction = scoring.item_deduction(item, out.facts)
            yield Finding(unit, ERROR, "above_ceiling", item.id, cell, _message(
                unit, cell, f"第 {item.id} 项的自评得分 {score} 超过得分上限 {ceiling}(本单位填报的扣分情形"
                f"应扣 {deduction} 分)。请核对填报值或将得分改为不超过 {ceiling}。"))
        if 0 <= score < item.max:
            note = values.get((item.id, "note"))
            if note is None or is_blank(note.raw):
                note_cell = note.cell if note else None
                yield Finding(unit, WARNING, "no_explanation", item.id, note_cell, _message(
                    unit, note_cell, f"第 {item.id} 项失分 {item.max - score} 分,但未填写扣分说明。请补充失分原因。"))


def check_bonus_evidence(unit: str, rubric: Rubric, values: Values, out: Interpreted) -> Iterator[Finding]:
    """A special bonus claimed without 佐证材料 is a warning."""
    for rule in rubric.special.bonus:
        if out.facts.get(rule.id) is True:
            evidence = values.get((rule.id, "evidence"))
            if evidence is None or is_blank(evidence.raw):
                cell = evidence.cell if evidence else None
                yield Finding(unit, WARNING, "bonus_no_evidence", rule.id, cell, _message(
                    unit, cell, f"申报特别加分 {rule.id}({rule.text}),但未列明佐证材料。"
                    "请在“佐证材料”栏列明并随表报送。"))


def check_content(unit: str, changes: list[ContentChange]) -> Iterator[Finding]:
    """Changed fixed content (分值, item rows, rubric text) and duplicated ID rows are errors (the master rubric
    is used); hidden rows or columns in the input area are warnings."""
    for change in changes:
        if change.what == "duplicate":
            yield Finding(unit, ERROR, "duplicate_id", change.ref, change.cell, _message(
                unit, change.cell, f"编号 {change.ref} 出现了两次({change.found} 和 {change.cell}),"
                f"暂按 {change.found} 所在行计。请删除多余的行后重新报送。"))
            continue
        if change.what == "hidden_row":
            yield Finding(unit, WARNING, "hidden_input", change.ref, change.cell, _message(
                unit, change.cell, f"编号 {change.ref} 所在的第 {change.found} 行被隐藏。"
                "请取消隐藏并核对该行的填报内容。"))
            continue
        if change.what == "hidden_column":
            yield Finding(unit, WARNING, "hidden_input", None, None, _message(
                unit, None, f"“{change.found}”列被隐藏。请取消隐藏并核对该列的填报内容。"))
            continue
        if change.what == "missing":
            text = f"第 {change.ref} 行被删除或编号被改动。请使用下发的原表重新填报。"
            code = "item_missing"
        else:
            text = (f"第 {change.ref} 行的“{change.what}”被改动(现为“{change.found}”,应为“{change.expected}”)。"
                    "计分按原评分细则,请勿修改固定内容。")
            code = "content_changed"
        yield Finding(unit, ERROR, code, change.ref, change.cell, _message(unit, change.cell, text))


def check_deadline(unit: str, received_at: dt.datetime, deadline: dt.date) -> Iterator[Finding]:
    """Received after the deadline (end of that day) is a warning."""
    if received_at.date() > deadline:
        yield Finding(unit, WARNING, "late", None, None, _message(
            unit, None, f"报送时间 {received_at:%Y-%m-%d %H:%M} 晚于截止日期 {deadline:%Y-%m-%d}。"))


# A Date header this far after the office received the file cannot be a sending time: a wrong or forged clock.
DATE_TOLERANCE = dt.timedelta(minutes=10)


def suspicious_dates(sent_at: dt.datetime | None, received_at: dt.datetime, generated_at: dt.datetime | None
                     ) -> list[str]:
    """What cannot be true about an e-mail's Date (in Chinese): later than the office received the file, or
    earlier than the workbook was generated. The Date is the sender's claim; it never orders versions."""
    if sent_at is None:
        return []
    found = []
    if sent_at > received_at + DATE_TOLERANCE:
        found.append(f"邮件日期 {_when(sent_at)} 晚于法制办收取时间 {_when(received_at)}")
    if generated_at is not None and sent_at < generated_at - DATE_TOLERANCE:
        found.append(f"邮件日期 {_when(sent_at)} 早于该自评表的下发(生成)时间 {_when(generated_at)}")
    return found


def _when(moment: dt.datetime) -> str:
    """A moment in China time as people read it."""
    return moment.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


def check_dates(unit: str, sent_at: dt.datetime | None, received_at: dt.datetime,
                generated_at: dt.datetime | None) -> Iterator[Finding]:
    """An e-mail Date that cannot be true is a warning (the office's receiving time counts)."""
    for text in suspicious_dates(sent_at, received_at, generated_at):
        yield Finding(unit, WARNING, "date_suspicious", None, None, _message(
            unit, None, f"{text};以法制办收取时间为准,请核实。"))


def check_tasks(unit: str, task_numbers: list[int], values: Values) -> Iterator[Finding]:
    """Each of the unit's tasks needs a 完成情况 from the list; the missing ones are named in one warning."""
    missing: list[tuple[int, str | None]] = []
    for number in task_numbers:
        value = values.get((f"task:{number}", "status"))
        cell = value.cell if value else None
        if value is None or is_blank(value.raw):
            missing.append((number, cell))
        elif str(value.raw).strip() not in TASK_STATUSES:
            shown = show_raw(value.raw)
            yield Finding(unit, WARNING, "task_status_invalid", f"task:{number}", cell, _message(
                unit, cell, f"工作任务第 {number} 项的完成情况“{shown}”无法识别,应为已完成、推进中或未启动。"))
    if missing:
        numbers = "、".join(str(n) for n, _ in missing)
        cell = missing[0][1]
        yield Finding(unit, WARNING, "task_status_missing", f"task:{missing[0][0]}", cell, _message(
            unit, cell, f"工作任务第 {numbers} 项未填写完成情况。请在“工作任务”表中选择已完成、推进中或未启动。"))


FORM_REF = "form"  # the ID under which the 填报单位(盖章)… block's values are kept (field: the label)
FORM_FIELDS = ("填报单位(盖章)", "负责人", "填报人", "联系电话", "填报日期")


def check_form_fields(unit: str, values: Values) -> Iterator[Finding]:
    """The 填报单位(盖章), 负责人, 填报人, 联系电话 and 填报日期 left empty: one warning naming them (a return of the
    first layout, which had no such block, is not warned about)."""
    empty = [(label, values[(FORM_REF, label)].cell) for label in FORM_FIELDS
             if (FORM_REF, label) in values and is_blank(values[(FORM_REF, label)].raw)]
    if empty:
        cell = empty[0][1]
        names = "、".join(label for label, _ in empty)
        yield Finding(unit, WARNING, "form_field_missing", None, cell, _message(
            unit, cell, f"自评表末尾的{names}未填写。请补填,以便法制办联系核实。"))


def validate_submission(
    unit: str,
    type_rubric: UnitTypeRubric,
    rubric: Rubric,
    values: Values,
    changes: list[ContentChange],
    received_at: dt.datetime,
    deadline: dt.date,
    task_numbers: list[int],
) -> tuple[Interpreted, list[Finding]]:
    """Every finding for one submission, errors first, in rubric order within each severity."""
    out = interpret(unit, type_rubric, rubric, values)
    missing_rows = {c.ref for c in changes if c.what == "missing"}
    findings = [
        *check_content(unit, changes),
        *(f for f in out.findings if f.ref not in missing_rows),  # a deleted row is reported once, as missing
        *check_ceilings(unit, type_rubric, values, out),
        *check_bonus_evidence(unit, rubric, values, out),
        *check_deadline(unit, received_at, deadline),
        *check_tasks(unit, task_numbers, values),
        *check_form_fields(unit, values),
    ]
    findings.sort(key=lambda f: 0 if f.severity == ERROR else 1)
    return out, findings
