"""`fazhi fetch`: the replies in the office mailbox, taken exactly as `fazhi ingest` takes .eml files, each file
received at the server's arrival time (INTERNALDATE), each message once.

The messages that arrived since the campaign started (the first `fazhi send`, else 1 January of the campaign
year; or `--since`) are looked at by their headers first: a message already examined (its folder, UIDVALIDITY
and UID, or its Message-ID) is passed over, as is one with nothing attached, one too large, and one that is
neither from a unit's address nor carries a workbook, an archive or an e-mail (the office's newsletters and
notices). Each message taken is recorded once its files are, in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fazhi_cli.batch import DUPLICATE as FILE_DUPLICATE
from fazhi_cli.batch import MATERIAL, SUPERSEDED, TAKEN, FileOutcome, IngestReport, to_store_time
from fazhi_cli.clock import CHINA, office_now, parse_moment
from fazhi_cli.domain.evidence import unit_addresses
from fazhi_cli.domain.text import printable
from fazhi_cli.errors import UsageError
from fazhi_cli.ingest import ReceivedMessage, ingest_messages
from fazhi_cli.intake import summarise_message
from fazhi_cli.mail.connect import SETTINGS_HINT, password_for, ssl_context
from fazhi_cli.mail.imap import ImapSession, ServerMessage
from fazhi_cli.store import FetchedMail
from fazhi_cli.workspace import Workspace

INGESTED, NO_ATTACHMENT, UNRELATED, TOO_LARGE, DUPLICATE = "ingested", "no_attachment", "unrelated", "too_large", \
    "duplicate"
FETCH_LABELS = {INGESTED: "已收取", NO_ATTACHMENT: "无附件", UNRELATED: "与考核无关", TOO_LARGE: "邮件过大",
                DUPLICATE: "已收取过"}  # fmt: skip
CREDITED = (TAKEN, SUPERSEDED, FILE_DUPLICATE, MATERIAL)  # a file that counts as the unit's reply (a held one does not)
# Attachments that make a message from an unknown address worth taking: workbooks, archives, e-mails.
RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".zip", ".rar", ".7z", ".eml", ".mbox")


@dataclass(frozen=True)
class FetchedMessage:
    """One message looked at: when the server received it, who sent it, and what became of it."""

    uid: int
    received_at: dt.datetime | None
    sender: str
    subject: str
    outcome: str
    note: str = ""
    unit: str | None = None  # the roster unit of the sender's address
    units: tuple[str, ...] = ()  # the units whose files it brought


@dataclass
class FetchReport:
    """One `fazhi fetch`: the folder and since when, each message looked at, and the files taken from them."""

    folder: str
    since: dt.date
    messages: list[FetchedMessage] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    seen_before: int = 0  # messages since then that earlier fetches had already examined

    def count(self, outcome: str) -> int:
        """How many messages ended with this outcome."""
        return sum(1 for m in self.messages if m.outcome == outcome)

    @property
    def problems(self) -> bool:
        """True when a file was refused or held, or a unit's message could not be taken (exit 1)."""
        unit_left = any(m.unit and m.outcome in (NO_ATTACHMENT, TOO_LARGE) for m in self.messages)
        return self.ingest.refused or unit_left


def campaign_start(workspace: Workspace) -> dt.date:
    """Where fetching starts by default: the day of the first message `fazhi send` sent, else 1 January."""
    with workspace.open_store() as store:
        sent = [m for m in store.sent_mail() if m.outcome == "sent"]
    first = parse_moment(sent[0].time) if sent else None
    return first.date() if first else dt.date(workspace.campaign().year, 1, 1)


def fetch_replies(workspace: Workspace, since: dt.date | None = None, ask_password: Callable[[], str] | None = None,
                  on_message: Callable[[FetchedMessage], None] | None = None,
                  on_file: Callable[[FileOutcome], None] | None = None) -> FetchReport:
    """Take the replies in the office mailbox (`fazhi fetch`); the caller holds the lock. A server that cannot be
    used is a MailError before anything is recorded."""
    campaign = workspace.campaign()
    settings = campaign.mail
    if not (settings.imap_host and (settings.user or settings.imap_security == "none")):
        raise UsageError("fazhi.toml 中没有设置法制办邮箱的收信服务器([mail] 的 imap_host 和 user)", SETTINGS_HINT)
    start = since or campaign_start(workspace)
    units = workspace.units(campaign)
    owners = {address: unit.name for unit in units for address in unit_addresses(unit.email)}
    office = settings.sender.lower()
    report = FetchReport(settings.imap_folder, start)
    session = ImapSession(settings, password_for(settings, ask_password), ssl_context(settings, workspace.root))
    session.open()
    try:
        with workspace.open_store() as store:
            seen = store.fetched_uids(settings.imap_folder, session.uidvalidity)
            taken_ids = store.fetched_message_ids()
            found = session.since(start)
            report.seen_before = sum(1 for uid in found if uid in seen)
            fresh = [uid for uid in found if uid not in seen]
            to_take: list[tuple[ServerMessage, FetchedMessage]] = []
            passed: list[FetchedMessage] = []
            for server in session.headers(fresh):
                looked = _first_look(server, owners, office, taken_ids, campaign.limits.file_bytes)
                if looked.outcome == INGESTED:
                    to_take.append((server, looked))
                else:
                    passed.append(looked)
            taken = _take_or_pass(session, to_take, campaign.limits.attachments, passed)
            now = to_store_time(office_now())

            def record(looked: FetchedMessage, message_id: str) -> None:
                store.record_fetched([_fetched_row(now, settings.imap_folder, session.uidvalidity, looked,
                                                   message_id)])

            def done(message: ReceivedMessage, outcomes: list[FileOutcome]) -> None:
                looked, message_id = message.tag  # type: ignore[misc]
                units_taken = tuple(dict.fromkeys(o.unit for o in outcomes if o.unit and o.outcome in CREDITED))
                looked = FetchedMessage(looked.uid, looked.received_at, looked.sender, looked.subject, INGESTED,
                                        looked.note, looked.unit, units_taken)
                record(looked, message_id)
                report.messages.append(looked)
                if on_message is not None:
                    on_message(looked)

            report.ingest = ingest_messages(workspace, taken, on_message=done, on_file=on_file)
            for looked in passed:
                report.messages.append(looked)
                if on_message is not None:
                    on_message(looked)
            store.record_fetched([_fetched_row(now, settings.imap_folder, session.uidvalidity, looked, "")
                                  for looked in passed])
    finally:
        session.close()
    report.messages.sort(key=lambda m: (m.received_at.isoformat() if m.received_at else "", m.uid))
    return report


def _fetched_row(now: str, folder: str, uidvalidity: int, looked: FetchedMessage, message_id: str) -> FetchedMail:
    received = to_store_time(looked.received_at) if looked.received_at else ""
    return FetchedMail(now, folder, uidvalidity, looked.uid, message_id, received, looked.sender, looked.subject,
                       looked.outcome, looked.note, looked.units)


def _first_look(server: ServerMessage, owners: dict[str, str], office: str, taken_ids: set[str],
                max_bytes: int) -> FetchedMessage:
    """What the headers alone decide: a message taken before, too large, with nothing attached, or the office's
    own; else INGESTED (to be downloaded and looked at again)."""
    summary = summarise_message(server.header, 1)
    sender = summary.sender or ""
    unit = next((owners[address] for address in summary.senders if address in owners), None)
    received = server.received_at.astimezone(CHINA) if server.received_at else None
    base = {"uid": server.uid, "received_at": received, "sender": sender, "subject": summary.subject,
            "unit": unit}
    if summary.message_id and summary.message_id in taken_ids:
        return FetchedMessage(**base, outcome=DUPLICATE, note="同一邮件(Message-ID 相同)已收取过")
    if office and sender == office:
        return FetchedMessage(**base, outcome=UNRELATED, note="法制办自己发出的邮件")
    if server.size > max_bytes:
        return FetchedMessage(**base, outcome=TOO_LARGE,
                              note=f"邮件大小 {server.size / 1024 / 1024:.1f} MB,超过单个文件大小上限,未下载:"
                                   "请该单位压缩附件或分几封邮件重新发送")
    content_type = _content_type(server.header)
    if content_type.startswith(("text/", "multipart/alternative")):
        return FetchedMessage(**base, outcome=NO_ATTACHMENT if unit else UNRELATED,
                              note="邮件没有附件" if unit else "没有附件,且不是名单中单位的邮箱发来的")
    return FetchedMessage(**base, outcome=INGESTED)


def _content_type(header: bytes) -> str:
    message = email.message_from_bytes(header, policy=email.policy.compat32)
    return (message.get_content_type() if message.get("Content-Type") else "text/plain").lower()


def _take_or_pass(session: ImapSession, candidates: list[tuple[ServerMessage, FetchedMessage]],
                  max_attachments: int, passed: list[FetchedMessage]) -> Iterator[ReceivedMessage]:
    """Download each candidate as the ingest reaches it; one with nothing attached, or from an unknown address
    with nothing a unit returns, is passed over (added to `passed`) instead."""
    for server, looked in candidates:
        data = session.body(server.uid)
        summary = summarise_message(data, max_attachments)
        names = summary.attachment_names
        if not names and not summary.many:
            passed.append(_passed(looked, NO_ATTACHMENT if looked.unit else UNRELATED, "邮件没有附件"))
            continue
        if looked.unit is None and not summary.many and not any(n.lower().endswith(RETURN_SUFFIXES) for n in names):
            passed.append(_passed(looked, UNRELATED, "附件中没有表格、压缩包或邮件,且不是名单中单位的邮箱发来的"))
            continue
        received = looked.received_at or office_now()
        subject = printable(looked.subject)[:60] or "无主题"
        origin = f"邮箱 {session.settings.imap_folder} 中 {looked.sender or '未知发件人'} 的邮件(UID {server.uid})"
        yield ReceivedMessage(data, f"{subject}.eml", origin, received, (looked, summary.message_id))


def _passed(looked: FetchedMessage, outcome: str, note: str) -> FetchedMessage:
    return FetchedMessage(looked.uid, looked.received_at, looked.sender, looked.subject, outcome, note, looked.unit)
