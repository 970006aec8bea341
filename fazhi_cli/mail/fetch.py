"""`fazhi fetch`: the replies in the office mailbox, taken exactly as `fazhi ingest` takes .eml files, each file
received at the server's arrival time (INTERNALDATE), each message once.

The messages that arrived since the campaign started (the first `fazhi send`, else 1 January of the campaign
year; or `--since`) are looked at by their headers first, a chunk at a time: a message already examined (its
folder, UIDVALIDITY and UID) is passed over unread, as is one too large or with nothing attached. The others are
downloaded (never more than the file size limit, whatever the server says) and passed over when they are one taken
before (the same Message-ID, sender and SHA-256 of their bytes: a Message-ID alone proves nothing), have nothing
attached, or are neither from a unit's address nor carry a workbook, an archive or an e-mail (the office's
newsletters and notices). Each message taken is recorded once its files are, in its own transaction; those passed
over are recorded a chunk at a time.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from fazhi_cli.domain.evidence import unit_addresses
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.text import printable
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import CHINA, office_now, parse_moment
from fazhi_cli.ingest import ReceivedMessage, ingest_messages
from fazhi_cli.intake import summarise_message
from fazhi_cli.mail.connect import SETTINGS_HINT, password_for, ssl_context
from fazhi_cli.mail.imap import HEADER_BYTES, ImapSession, ServerMessage, TooLarge
from fazhi_cli.receiving.batch import DUPLICATE as FILE_DUPLICATE
from fazhi_cli.receiving.batch import MATERIAL, SUPERSEDED, TAKEN, FileOutcome, IngestReport, to_store_time
from fazhi_cli.store import FetchedMail, Store
from fazhi_cli.workspace import Workspace

INGESTED, NO_ATTACHMENT, UNRELATED, TOO_LARGE, DUPLICATE = "ingested", "no_attachment", "unrelated", "too_large", \
    "duplicate"
FETCH_LABELS = {INGESTED: "已收取", NO_ATTACHMENT: "无附件", UNRELATED: "与考核无关", TOO_LARGE: "邮件过大",
                DUPLICATE: "已收取过"}  # fmt: skip
CREDITED = (TAKEN, SUPERSEDED, FILE_DUPLICATE, MATERIAL)  # a file that counts as the unit's reply (a held one does not)
# Attachments that make a message from an unknown address worth taking: workbooks, archives, e-mails.
SAME_MESSAGE = "同一邮件(Message-ID、发件人和内容都相同)已收取过"
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
    message_id: str = ""
    content_sha256: str = ""  # of the message's bytes, once downloaded


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
        """True when a file was refused or held, or a unit's message (or one whose sender could not be read) could
        not be taken (exit 1)."""
        left = any(m.unit and m.outcome in (NO_ATTACHMENT, TOO_LARGE) for m in self.messages)
        unread = any(m.outcome == TOO_LARGE and not m.sender for m in self.messages)
        return self.ingest.refused or left or unread


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
    used is a MailError before anything is recorded; one that fails later leaves every message handled until then
    recorded (the others are looked at by the next run)."""
    campaign = workspace.campaign()
    settings = campaign.mail
    if not (settings.imap_host and (settings.user or settings.imap_security == "none")):
        raise UsageError("fazhi.toml 中没有设置法制办邮箱的收信服务器([mail] 的 imap_host 和 user)", SETTINGS_HINT)
    start = since or campaign_start(workspace)
    units = workspace.units(campaign)
    owners = {address: unit.name for unit in units for address in unit_addresses(unit.email)}
    report = FetchReport(settings.imap_folder, start)
    session = ImapSession(settings, password_for(settings, ask_password), ssl_context(settings, workspace.root))
    session.open()
    try:
        with workspace.open_store() as store:
            seen = store.fetched_uids(settings.imap_folder, session.uidvalidity)
            found = session.since(start)
            report.seen_before = sum(1 for uid in found if uid in seen)
            run = _Run(session, store, report, owners, settings.sender.lower(), campaign.limits,
                       store.fetched_digests(), to_store_time(office_now()), on_message)
            report.ingest = ingest_messages(workspace, run.messages([uid for uid in found if uid not in seen]),
                                            on_message=run.done, on_file=on_file)
            run.flush()
    finally:
        session.close()
    report.messages.sort(key=lambda m: (m.received_at.isoformat() if m.received_at else "", m.uid))
    return report


@dataclass
class _Run:
    """One fetch over an open session and store: the messages' headers read a chunk at a time, each message
    decided, downloaded only when it may be taken, and recorded (those passed over a chunk at a time)."""

    session: ImapSession
    store: Store
    report: FetchReport
    owners: dict[str, str]
    office: str
    limits: Limits
    taken: dict[str, set[tuple[str, str]]]  # Message-ID → {(sender, SHA-256)} of the messages taken
    now: str
    on_message: Callable[[FetchedMessage], None] | None
    pending: list[FetchedMessage] = field(default_factory=list)

    def messages(self, uids: list[int]) -> Iterator[ReceivedMessage]:
        """The messages to take, each downloaded as the ingest reaches it; the others are passed over."""
        for chunk in self.session.headers(uids):
            for server in chunk:
                looked = _first_look(server, self.owners, self.office, self.limits.file_bytes)
                received = self._download(server, looked) if looked.outcome == INGESTED else self._pass(looked)
                if received is not None:
                    yield received
            self.flush()

    def _download(self, server: ServerMessage, looked: FetchedMessage) -> ReceivedMessage | None:
        """The whole message, unless the server sends more than the limit, it was taken before (same Message-ID,
        sender and bytes), it has nothing attached, or it is from an unknown address with nothing a unit returns."""
        limit = self.limits.file_bytes
        try:
            data = self.session.body(server.uid, limit)
        except TooLarge as exc:
            return self._pass(replace(looked, outcome=TOO_LARGE, note=(
                f"邮件服务器发来的邮件内容有 {exc.size} 字节(它此前报告的大小为 {server.size} 字节),超过单个文件大小"
                f"上限 {limit} 字节,未下载:请该单位压缩附件或分几封邮件重新发送")))
        summary = summarise_message(data, self.limits.attachments)
        looked = replace(looked, message_id=summary.message_id or "", content_sha256=hashlib.sha256(data).hexdigest())
        known = self.taken.get(looked.message_id, set()) if looked.message_id else set()
        if (looked.sender, looked.content_sha256) in known:
            return self._pass(replace(looked, outcome=DUPLICATE, note=SAME_MESSAGE))
        names = summary.attachment_names
        if not names and not summary.many:
            return self._pass(replace(looked, outcome=NO_ATTACHMENT if looked.unit else UNRELATED, note="邮件没有附件"))
        if looked.unit is None and not summary.many and not any(n.lower().endswith(RETURN_SUFFIXES) for n in names):
            return self._pass(replace(looked, outcome=UNRELATED,
                                      note="附件中没有表格、压缩包或邮件,且不是名单中单位的邮箱发来的"))
        if known:
            looked = replace(looked, note="Message-ID 与以前收取的邮件相同,但发件人或内容不同:已照常收取")
        subject = printable(looked.subject)[:60] or "无主题"
        origin = f"邮箱 {self.report.folder} 中 {looked.sender or '未知发件人'} 的邮件(UID {server.uid})"
        return ReceivedMessage(data, f"{subject}.eml", origin, looked.received_at or office_now(), looked)

    def _pass(self, looked: FetchedMessage) -> None:
        """A message not taken: told now, recorded with the others of its chunk."""
        self._tell(looked)
        self.pending.append(looked)

    def done(self, message: ReceivedMessage, outcomes: list[FileOutcome]) -> None:
        """A message taken, its files recorded: recorded itself, in its own transaction."""
        looked: FetchedMessage = message.tag  # type: ignore[assignment]
        units_taken = tuple(dict.fromkeys(o.unit for o in outcomes if o.unit and o.outcome in CREDITED))
        looked = replace(looked, outcome=INGESTED, units=units_taken)
        self.store.record_fetched([self._row(looked)])
        if looked.message_id:
            self.taken.setdefault(looked.message_id, set()).add((looked.sender, looked.content_sha256))
        self._tell(looked)

    def flush(self) -> None:
        """Record the messages passed over since the last time, in one transaction."""
        if self.pending:
            self.store.record_fetched([self._row(looked) for looked in self.pending])
            self.pending.clear()

    def _tell(self, looked: FetchedMessage) -> None:
        self.report.messages.append(looked)
        if self.on_message is not None:
            self.on_message(looked)

    def _row(self, looked: FetchedMessage) -> FetchedMail:
        received = to_store_time(looked.received_at) if looked.received_at else ""
        return FetchedMail(self.now, self.report.folder, self.session.uidvalidity, looked.uid, looked.message_id,
                           received, looked.sender, looked.subject, looked.outcome, looked.note, looked.units,
                           content_sha256=looked.content_sha256)


def _first_look(server: ServerMessage, owners: dict[str, str], office: str, max_bytes: int) -> FetchedMessage:
    """What the headers alone decide: a message too large, with nothing attached, or the office's own; else
    INGESTED (to be downloaded and looked at again)."""
    received = server.received_at.astimezone(CHINA) if server.received_at else None
    if server.header_size:
        return FetchedMessage(server.uid, received, "", "", TOO_LARGE,
                              f"邮件服务器为这封邮件发来的信头有 {server.header_size} 字节,超过上限 "
                              f"{HEADER_BYTES} 字节,未读取(无法得知发件人):请在邮箱网页版中查看这封邮件")
    summary = summarise_message(server.header, 1)
    sender = summary.sender or ""
    unit = next((owners[address] for address in summary.senders if address in owners), None)
    base = {"uid": server.uid, "received_at": received, "sender": sender, "subject": summary.subject,
            "unit": unit}
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
