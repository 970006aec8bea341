"""Taking a returned 整改 workbook: whose it is (its seal, the roster, the approval it was written under, what the unit
owes), who sent it, and what it reports — each row read, checked (`domain.rectify_checks`) and recorded with the
findings, with its file, in one transaction.

A workbook of another campaign was refused before it came here (`ingest.identify.foreign_form`). A seal that does not
verify holds it (待确认: `fazhi accept` then records it, `accepted_rectify`); a unit not on the roster, results not
approved (or reopened since), a workbook of an earlier approval and a unit that owes nothing refuse it; the evidence
naming another unit, or a stranger's copy replacing the unit's own return, holds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi_cli.domain.checks import Finding
from fazhi_cli.domain.evidence import from_own_address, identity_conflict
from fazhi_cli.domain.identity import RECTIFY_FIELDS, is_sealed
from fazhi_cli.domain.rectification import RectifyItem
from fazhi_cli.domain.rectify_checks import ReturnedRow, errors, rectify_findings, row_report
from fazhi_cli.domain.refusals import Refusal, refusal, spreadsheet_refusal
from fazhi_cli.domain.submissions import current_submissions, effective_time
from fazhi_cli.domain.text import printable
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import (
    DUPLICATE,
    RECTIFY_PROBLEMS,
    RECTIFY_TAKEN,
    TAKEN,
    Batch,
    FileOutcome,
    hold,
    refuse,
    to_store_time,
)
from fazhi_cli.rectify import layout
from fazhi_cli.rectify.owed import Owed, owed_in_store
from fazhi_cli.rectify.reader import read_rectify
from fazhi_cli.store import RectifyRow
from fazhi_cli.workbook import layout as book_layout
from fazhi_cli.workbook.reader import ReadWorkbook, RefusedWorkbook, UnreadableWorkbook

_OWED = "rectify_owed"
_SAME = "与已收到的整改清单内容相同,未重复计入"


class RectifyRefused(Exception):
    """A 整改 workbook that cannot be taken: the refusal (code and Chinese message)."""

    def __init__(self, problem: Refusal) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class RectifyContent:
    """What is recorded of a 整改 workbook: its unit, the rows as reported, the findings, the sealed generation time."""

    unit: str
    rows: list[RectifyRow]
    findings: list[Finding]
    generated_at: str | None

    @property
    def errors(self) -> int:
        return errors(self.findings)

    def findings_data(self) -> list[dict]:
        """The findings as stored (JSON)."""
        return [f.as_dict() for f in self.findings]


def is_rectify(read: ReadWorkbook) -> bool:
    """True for a workbook whose identity says it is a 整改 workbook (sealed or not)."""
    return read.identity.get(book_layout.ID_FORMAT) == layout.RECTIFY_FORMAT_NAME


def batch_owed(batch: Batch) -> Owed | None:
    """What the units owe under the approved results (read once per batch), None when they are not approved."""
    if _OWED not in batch.memo:
        batch.memo[_OWED] = owed_in_store(batch.store)
    return batch.memo[_OWED]  # type: ignore[return-value]


def claimed_unit(identity: dict[str, str]) -> str:
    """The unit the identity names, as printable display text."""
    return printable(identity.get(book_layout.ID_UNIT, ""))[:60] or "未知单位"


def owing_unit(batch: Batch, name: str, identity: dict[str, str], check_approval: bool = True) -> tuple[str, Owed]:
    """The roster unit a (sealed) 整改 workbook is for and what is owed; `RectifyRefused` for a unit not on the roster,
    results not approved, another approval (unless `check_approval` is False) or a unit that owes nothing."""
    unit_name = identity.get(book_layout.ID_UNIT, "")
    if unit_name not in batch.units:
        raise RectifyRefused(refusal("rectify_unknown_unit", name=name, unit=claimed_unit(identity)))
    owed = batch_owed(batch)
    if owed is None:
        raise RectifyRefused(refusal("rectify_not_approved", name=name))
    if check_approval and identity.get(layout.ID_APPROVAL) != owed.approval:
        raise RectifyRefused(refusal("rectify_outdated", name=name, unit=unit_name))
    if not owed.items.get(unit_name):
        raise RectifyRefused(refusal("rectify_owes_nothing", name=name, unit=unit_name))
    return unit_name, owed


def rectify_content(batch: Batch, name: str, data: bytes, identity: dict[str, str], unit: str,
                    owed: Owed) -> RectifyContent:
    """The workbook's rows read and checked against what `unit` owes; `RectifyRefused` when it cannot be read."""
    try:
        read = read_rectify(data)
    except RefusedWorkbook as problem:  # an .xls/.ods no reader opens
        raise RectifyRefused(spreadsheet_refusal(problem.code, name)) from None
    except UnreadableWorkbook as problem:
        raise RectifyRefused(refusal("rectify_unreadable", name=name, detail=problem)) from None
    items = owed.items[unit]
    today = batch.clock().astimezone(CHINA).date()
    notified_on = dt.date.fromisoformat(owed.board.state.date)
    findings = rectify_findings(unit, items, read.rows, read.duplicates, today, notified_on)
    rows = stored_rows(items, read.rows)
    return RectifyContent(unit, rows, findings, identity.get(book_layout.ID_GENERATED))


def stored_rows(items: tuple[RectifyItem, ...], rows: list[ReturnedRow]) -> list[RectifyRow]:
    """The rows recorded: each owed item's row as reported (an added row is not; a missing one has none), with its
    cells by column title."""
    owed = {item.ref for item in items}
    titles = {name: title for title, name in layout.COLUMN_FIELDS.items()}
    recorded = []
    for row in rows:
        if row.ref not in owed:
            continue
        report = row_report(row)
        cells = {titles[name]: cell for name, cell in row.cells.items()}
        recorded.append(RectifyRow(row.ref, report.measures, report.progress, report.done_on, report.evidence, cells))
    return recorded


def take_rectify(batch: Batch, item: Incoming, read: ReadWorkbook, sha: str, archive_name: str) -> FileOutcome:
    """Identify, read, check and record one returned 整改 workbook (or hold or refuse it, with the reason)."""
    name, identity = item.original_name, read.identity
    claimed = identity.get(book_layout.ID_UNIT, "")
    if not is_sealed(batch.secret, identity, RECTIFY_FIELDS):
        held = refusal("rectify_unverified", name=name, unit=claimed_unit(identity))
        return hold(batch, item, sha, archive_name, held.message, claimed if claimed in batch.units else None,
                    held.code)
    try:
        unit, owed = owing_unit(batch, name, identity)
    except RectifyRefused as refused:
        known = claimed if claimed in batch.units else None
        return refuse(batch, item, sha, archive_name, refused.problem.message, known, code=refused.problem.code)
    if batch.store.rectify_return_by_sha(sha) is not None:
        return FileOutcome(name, item.origin, DUPLICATE, unit, _SAME, sha, RECTIFY_TAKEN)
    held_reason = _who_sent(batch, item, unit)
    if held_reason is not None:
        held, other = held_reason
        return hold(batch, item, sha, archive_name, held.message, unit, held.code, other)
    try:
        content = rectify_content(batch, name, item.data, identity, unit, owed)
    except RectifyRefused as refused:
        return refuse(batch, item, sha, archive_name, refused.problem.message, unit, code=refused.problem.code)
    message = taken_message(content) + late_note(batch.clock().astimezone(CHINA).date(), owed.deadline)
    code = RECTIFY_PROBLEMS if content.errors else RECTIFY_TAKEN
    record = batch.record(item, sha, archive_name, TAKEN, item.kind, unit, message, code)
    if batch.store.record_rectify_return(record, content.rows, content.findings_data(), content.generated_at) is None:
        return FileOutcome(name, item.origin, DUPLICATE, unit, _SAME, sha, RECTIFY_TAKEN)
    return FileOutcome(name, item.origin, TAKEN, unit, message, sha, code)


def late_note(received_on: dt.date, deadline: dt.date) -> str:
    """Said of a return the office received after the 整改 deadline (by its own clock), else nothing."""
    if received_on <= deadline:
        return ""
    return f";逾期报送:整改截止 {deadline.isoformat()},法制办收到于 {received_on.isoformat()}"


def taken_message(content: RectifyContent) -> str:
    """What ingest says of a 整改 return taken: how many items it reported, and how many problems it has."""
    reported = sum(1 for row in content.rows if row.progress)
    message = f"整改清单:{len(content.rows)} 项,已填报完成情况 {reported} 项"
    problems = content.errors
    warnings = len(content.findings) - problems
    if problems:
        shown = ";".join(f.message.split("】", 1)[-1] for f in content.findings if f.severity == "error")
        message += f";有 {problems} 处错误,请单位改正后重新报送:{shown[:300]}"
    if warnings:
        message += f";{warnings} 处提醒"
    return message


def _who_sent(batch: Batch, item: Incoming, unit: str) -> tuple[Refusal, str | None] | None:
    """The reason to hold the workbook for who sent it (and the roster unit the evidence names), else None: the
    evidence (its e-mail's addresses, the names of the file, e-mail or zip) names another unit, or a stranger's copy
    would replace the 整改 return the unit sent from its own address."""
    conflict = identity_conflict(unit, item.senders, item.original_name, item.containers, batch.roster_evidence())
    if conflict is not None:
        return refusal("rectify_identity_conflict", name=item.original_name, unit=unit,
                       evidence=conflict.evidence), conflict.other
    stranger = off_roster_rectify(batch, item, unit)
    return (stranger, None) if stranger is not None else None


def off_roster_rectify(batch: Batch, item: Incoming, unit: str) -> Refusal | None:
    """The reason to hold a 整改 workbook mailed from no address on the roster for `unit` that would replace the 整改
    return the unit sent from its own address (its current one); else None (see `ingest.identify.off_roster_replacement`
    for the self-assessment's)."""
    roster = batch.roster_evidence()
    if not item.mailed or from_own_address(unit, item.senders, roster):
        return None
    decided = batch.store.file_decisions()
    current = current_submissions(batch.store.rectify_returns(unit), decided).get(unit)
    if current is None:
        return None
    recorded = batch.store.file_by_id(current.file_id)
    if recorded is None or not from_own_address(unit, recorded.sender, roster):
        return None
    counts_from = effective_time(current.received_at, decided.get(current.file_id))
    if counts_from is not None and to_store_time(batch.clock()) < counts_from:
        return None  # received earlier than the unit's return (mail fetched late): it replaces nothing
    sender = "、".join(item.senders) or "无法识别"
    return refusal("rectify_sender_off_roster", name=item.original_name, unit=unit, sender=sender,
                   current=current.original_name)


def accepted_rectify(batch: Batch, name: str, data: bytes, identity: dict[str, str]) -> RectifyContent:
    """What is recorded when the office accepts a held 整改 workbook (`fazhi accept`): read again from its archived
    original, for the unit its identity names; `RectifyRefused` when it cannot be taken at all (a unit not on the
    roster or owing nothing, results not approved, the file unreadable). Its seal is what the office vouches for."""
    unit, owed = owing_unit(batch, name, identity, check_approval=False)
    return rectify_content(batch, name, data, identity, unit, owed)
