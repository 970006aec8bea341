"""`fazhi send` and `fazhi remind`: one message per unit, handed to the office's SMTP server one at a time.

Each message is recorded in the store only once the server accepted it, in its own transaction: a run
killed half way and run again sends the rest and nothing twice. A unit the server refuses (an address, a
message too large, a dropped connection) is reported and recorded as failed, and the batch goes on. A dry run
writes each message as an .eml file into outbox/mail/ and sends and records nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.checks import ERROR
from fazhi_cli.domain.mail import ERRORS, KIND_LABELS, MISSING, RECTIFY, REMIND, SEND, MailSettings
from fazhi_cli.domain.text import safe_file_component
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.mail.compose import AddressProblem, Composed, Letter, compose
from fazhi_cli.mail.connect import (
    NETWORK_ERRORS,
    SETTINGS_HINT,
    SmtpSession,
    message_problem,
    password_for,
    ssl_context,
)
from fazhi_cli.receiving.batch import to_store_time
from fazhi_cli.store import SentMail, Store
from fazhi_cli.validate import annotate, validate_workspace
from fazhi_cli.workbook.generate import select_units
from fazhi_cli.workspace import Workspace, annotated_name, workbook_file_name

SENT, FAILED, ALREADY, WRITTEN, NOT_SENT = "sent", "failed", "already", "written", "not_sent"
NOTHING_OWED = "nothing_owed"  # a unit named for a 整改通知 that lost no points: nothing to send, not a failure
MAIL_OUTCOME_LABELS = {SENT: "已发送", FAILED: "发送失败", ALREADY: "此前已发送,跳过", WRITTEN: "已写出(未发送)",
                       NOT_SENT: "未发送", NOTHING_OWED: "无需整改"}  # fmt: skip


@dataclass(frozen=True)
class MailOutcome:
    """What became of one unit's message."""

    unit: str
    kind: str
    outcome: str  # sent, failed, already, written (dry run), not_sent (nothing to attach, no address)
    recipients: tuple[str, ...] = ()
    message: str = ""
    subject: str = ""
    message_id: str = ""
    path: Path | None = None  # the .eml file of a dry run


@dataclass
class MailReport:
    """One `send` or `remind` run, unit by unit."""

    kind: str
    dry_run: bool
    outcomes: list[MailOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many units ended with this outcome."""
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def failed(self) -> bool:
        """True when a unit's message could not be sent (the command then exits 1)."""
        return self.count(FAILED) + self.count(NOT_SENT) > 0


Progress = Callable[[MailOutcome, int], None]  # each unit's outcome, and how many units the run has


def send_workbooks(workspace: Workspace, names: list[str] | None = None, unit_type: str | None = None,
                   dry_run: bool = False, resend: bool = False, ask_password: Callable[[], str] | None = None,
                   on_message: Progress | None = None) -> MailReport:
    """Send each chosen unit its blank workbook from outbox/ (`fazhi send`); the caller holds the lock.

    A unit already sent its workbook is skipped unless `resend`."""
    campaign = workspace.campaign()
    units = select_units(workspace.units(campaign), names, unit_type)
    letters = [_workbook_letter(workspace, campaign, unit, SEND) for unit in units]
    done = set() if resend or dry_run else already_sent(workspace, SEND)
    return deliver(workspace, campaign, SEND, letters, lambda letter: letter.unit.name in done, dry_run,
                    ask_password, on_message)


def remind_units(workspace: Workspace, names: list[str] | None = None, dry_run: bool = False, resend: bool = False,
                 ask_password: Callable[[], str] | None = None, on_message: Progress | None = None) -> MailReport:
    """Remind the units that have not returned (their blank workbook again) and those whose current submission has
    errors (the annotated return from `validate --annotate`, the problems listed in the body) (`fazhi remind`).

    A reminder about the same thing (nothing returned, or the same submission) is sent once a day: a rerun the
    same day sends only the rest, unless `resend`. The caller holds the lock."""
    campaign = workspace.campaign()
    chosen = {u.name for u in select_units(workspace.units(campaign), names, None)}
    report = validate_workspace(workspace)
    annotated = annotate(workspace, report)
    written = {path.name: path for path in annotated.written}
    by_unit = {r.unit.name: r for r in report.results}
    today = office_now().date().isoformat()
    letters: list[Letter | MailOutcome] = []
    for unit in workspace.units(campaign):
        if unit.name not in chosen:
            continue
        checked = by_unit.get(unit.name)
        if checked is None:
            letter = _workbook_letter(workspace, campaign, unit, REMIND)
            if isinstance(letter, Letter):
                letter = Letter(REMIND, unit, letter.attachment, letter.attachment_name, f"{MISSING}:{today}", MISSING)
            letters.append(letter)
        elif checked.errors:
            problems = tuple(f"{f.cell + ' ' if f.cell else ''}{f.message}" for f in checked.findings
                             if f.severity == ERROR)
            path = written.get(annotated_name(campaign.year, unit.name))
            attachment, name = (path, path.name) if path else (workspace.archive / checked.archive_name,
                                                               checked.original_name)
            received = checked.received_at.strftime("%Y-%m-%d %H:%M")
            basis = f"{ERRORS}:{checked.submission_id}:{today}"
            letters.append(Letter(REMIND, unit, attachment, name, basis, ERRORS, problems, received))
    done = set() if resend or dry_run else already_sent(workspace, REMIND, by_basis=True)
    return deliver(workspace, campaign, REMIND, letters, lambda letter: f"{letter.unit.name}|{letter.basis}" in done,
                    dry_run, ask_password, on_message)


def _workbook_letter(workspace: Workspace, campaign: Campaign, unit: Unit, kind: str) -> Letter | MailOutcome:
    """The unit's blank workbook from outbox/, or why there is none."""
    name = workbook_file_name(campaign.year, unit.name)
    path = workspace.outbox / name
    if not path.is_file():
        return MailOutcome(unit.name, kind, NOT_SENT, message="outbox/ 中没有该单位的空白自评表:请先 fazhi generate")
    return Letter(kind, unit, path, name)


def already_sent(workspace: Workspace, kind: str, by_basis: bool = False) -> set[str]:
    """The units (or unit|basis) the server already accepted a message of this kind for."""
    with workspace.open_store() as store:
        sent = [m for m in store.sent_mail(kind) if m.outcome == SENT]
    return {f"{m.unit}|{m.basis}" if by_basis else m.unit for m in sent}


def deliver(workspace: Workspace, campaign: Campaign, kind: str, letters: list[Letter | MailOutcome],
             already: Callable[[Letter], bool], dry_run: bool, ask_password: Callable[[], str] | None,
             on_message: Progress | None) -> MailReport:
    """Compose and send (or write) each letter, in order, recording each accepted message at once."""
    settings = campaign.mail
    report = MailReport(kind, dry_run)
    total = len(letters)

    def tell(outcome: MailOutcome) -> None:
        report.outcomes.append(outcome)
        if on_message is not None:
            on_message(outcome, total)

    to_send = [x for x in letters if isinstance(x, Letter) and not already(x)]
    if dry_run:
        for item in letters:
            tell(_write_eml(workspace, campaign, settings, item) if isinstance(item, Letter) else item)
        return report
    session = _session(workspace, settings, ask_password) if to_send else None
    first = True
    try:
        with workspace.open_store() as store:
            for item in letters:
                if not isinstance(item, Letter):
                    tell(item)
                    continue
                if already(item):
                    tell(MailOutcome(item.unit.name, kind, ALREADY, message=_already_note(kind)))
                    continue
                if not first and settings.send_interval:
                    time.sleep(float(settings.send_interval))  # the office server's rate limit
                first = False
                assert session is not None
                tell(_send_one(session, store, campaign, settings, item, workspace))
    finally:
        if session is not None:
            session.close()
    return report


def _already_note(kind: str) -> str:
    if kind == SEND:
        return "此前已发送过自评表;如需重发请加 --resend"
    if kind == RECTIFY:
        return "此前已发送过整改通知;如需重发请加 --resend"
    return "今天已就同一情况催报过;如需再发请加 --resend"


def _session(workspace: Workspace, settings: MailSettings, ask_password: Callable[[], str] | None) -> SmtpSession:
    """A connected SMTP session (MailError before anything is sent when the server cannot be used)."""
    if not settings.configured:
        raise UsageError("fazhi.toml 中没有设置法制办邮箱([mail] 的 from 和 smtp_host)", SETTINGS_HINT)
    session = SmtpSession(settings, password_for(settings, ask_password), ssl_context(settings, workspace.root))
    session.open()
    return session


def _send_one(session: SmtpSession, store: Store, campaign: Campaign, settings: MailSettings, letter: Letter,
              workspace: Workspace) -> MailOutcome:
    """One message: composed, handed to the server, recorded (sent or failed) in its own transaction."""
    unit, kind = letter.unit.name, letter.kind
    now = office_now()
    try:
        composed = compose(letter, campaign, settings.sender, now, workspace.templates_override)
    except AddressProblem as problem:
        return MailOutcome(unit, kind, NOT_SENT, message=str(problem))
    try:
        refused = session.send(settings.sender, composed.recipients, composed.data)
    except NETWORK_ERRORS as exc:
        session.drop()
        error = message_problem(exc, settings.smtp_host, settings.smtp_port)
        store.record_sent(_record(composed, now, FAILED, error))
        return MailOutcome(unit, kind, FAILED, composed.recipients, error, composed.subject, composed.message_id)
    accepted = tuple(a for a in composed.recipients if a not in refused)
    note = "" if not refused else "部分收件地址被拒绝:" + "; ".join(f"{a} {r}" for a, r in refused.items())
    store.record_sent(_record(composed, now, SENT, note, accepted))
    return MailOutcome(unit, kind, SENT, accepted, note, composed.subject, composed.message_id)


def _record(composed: Composed, now, outcome: str, error: str, recipients: tuple[str, ...] | None = None) -> SentMail:
    letter = composed.letter
    return SentMail(to_store_time(now), letter.kind, letter.unit.name, composed.message_id,
                    recipients if recipients is not None else composed.recipients, composed.subject,
                    letter.attachment_name, composed.attachment_sha256, outcome, error, letter.basis)


def _write_eml(workspace: Workspace, campaign: Campaign, settings: MailSettings, letter: Letter) -> MailOutcome:
    """A dry run's message, written to outbox/mail/<unit>_<下发|催报>.eml; nothing is sent or recorded."""
    unit, kind = letter.unit.name, letter.kind
    sender = settings.sender or campaign.email or "fazhiban@localhost"
    try:
        composed = compose(letter, campaign, sender, office_now(), workspace.templates_override)
    except AddressProblem as problem:
        return MailOutcome(unit, kind, NOT_SENT, message=str(problem))
    workspace.mail_outbox.mkdir(parents=True, exist_ok=True)
    target = workspace.mail_outbox / f"{safe_file_component(unit)}_{KIND_LABELS[kind]}.eml"
    atomic_write(target, lambda part: part.write_bytes(composed.data))
    return MailOutcome(unit, kind, WRITTEN, composed.recipients, "", composed.subject, composed.message_id, target)
