"""E-mails (.eml) and mailbox files (mbox) unpacked: the message, dated by its Date header, then each
attachment, expanded in turn (by the `expand` passed in, so that an e-mail may hold zips); a mailbox yields
each of its messages as an e-mail. Parsing uses `email.policy.default`, bounded by the attachment limit.
"""

from __future__ import annotations

import email
import email.errors
import email.policy
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.intake.incoming import MAX_NESTING, Budget, Context, Expand, Incoming, make_incoming, over_limit
from fazhi_cli.intake.names import display_name
from fazhi_cli.intake.sniffing import MBOX_FROM_LINE, sniff

_MAIL_CORE_HEADERS = frozenset(
    {"from", "date", "subject", "to", "message-id", "received", "mime-version", "content-type"})
# What the mail library raises on a damaged input.
_MAIL_ERRORS = (
    email.errors.MessageError, ValueError, TypeError, LookupError, AttributeError, UnicodeError, RecursionError,
)  # fmt: skip


@dataclass(frozen=True)
class _Attachment:
    """A file found in an e-mail."""

    name: str
    data: bytes
    damaged: bool


@dataclass(frozen=True)
class _Mail:
    """What an e-mail holds, or why it cannot be read."""

    sent_at: datetime | None
    attachments: tuple[_Attachment, ...]
    problem: str | None  # "unreadable", "truncated", "too_many" (attachments, none decoded) or None
    attachment_count: int = 0
    estimated: bool = False  # the count is of MIME boundary lines, counted without parsing the message
    senders: tuple[str, ...] = ()  # every address in From and Sender, lower case
    subject: str = ""


def expand_mail(data: bytes, name: str, kind: str, ctx: Context, budget: Budget, expand: Expand) -> Iterator[Incoming]:
    """The message itself (dated by its Date header), then each attachment."""
    shown = display_name(name)
    if ctx.depth > MAX_NESTING:
        yield make_incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    mail = _read_mail(data, budget.limits.attachments)
    refused = _mail_refusal(shown, mail, budget.limits)
    yield make_incoming(data, name, ctx, kind, container=True, refused=refused, sent_at=mail.sent_at)
    if mail.problem in ("unreadable", "too_many"):
        return
    label = ctx.label or f"邮件 {shown}"
    origin = f"{label} 的附件"
    for attachment in mail.attachments:
        member_ctx = ctx.member(origin, f"{origin} {attachment.name}", mail.sent_at, mail.senders,
                                (shown, *([mail.subject] if mail.subject else [])), mailed=True)
        if attachment.damaged:
            damaged = refusal("attachment_damaged", name=attachment.name)
            member_kind = sniff(attachment.data, attachment.name)
            yield make_incoming(attachment.data, attachment.name, member_ctx, member_kind, refused=damaged)
        else:
            yield from expand(attachment.data, attachment.name, member_ctx, budget)


@dataclass(frozen=True)
class MessageSummary:
    """What a message says of itself before anything in it is taken: who sent it (every address in From and
    Sender), its subject and Message-ID, and the names of its attachments (none decoded); `many` when it has too
    many parts to list."""

    senders: tuple[str, ...]
    subject: str
    message_id: str
    attachment_names: tuple[str, ...]
    many: bool = False

    @property
    def sender(self) -> str | None:
        """The first address (From's first, as a mail client shows it), or None."""
        return self.senders[0] if self.senders else None


def summarise_message(data: bytes, max_attachments: int) -> MessageSummary:
    """The sender, subject, Message-ID and attachment names of a message (an unreadable one has none of them)."""
    allowance = _part_allowance(max_attachments) - data.count(b"\n--")
    if allowance < 0:
        message = _parse(data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
        return MessageSummary(_senders(message), _subject(message), _message_id(message), (), many=True)
    try:
        message = _parse(data)
        names = tuple(display_name(_attachment_name(part) or f"附件{number}")
                      for number, part in enumerate(_attachment_parts(message, allowance), start=1))
    except _TooManyParts:
        return MessageSummary(_senders(message), _subject(message), _message_id(message), (), many=True)
    except _MAIL_ERRORS:
        return MessageSummary((), "", "", ())
    return MessageSummary(_senders(message), _subject(message), _message_id(message), names,
                          many=len(names) > max_attachments)


def _message_id(message: Message) -> str:
    """The Message-ID header (angle brackets kept), or ''."""
    try:
        return printable(" ".join(str(message.get("Message-ID") or "").split()))[:300]
    except (*_MAIL_ERRORS, IndexError):
        return ""


def expand_mbox(data: bytes, name: str, kind: str, ctx: Context, budget: Budget, expand: Expand) -> Iterator[Incoming]:
    """A mailbox file: itself, then every message as an e-mail (with its attachments), or refused as a whole.

    At the top level each message is a group of its own (one e-mail, one unit); inside a zip or an e-mail
    the messages stay in the group of what holds them.
    """
    shown = display_name(name)
    if ctx.depth > MAX_NESTING:
        yield make_incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    messages = _mbox_messages(data)
    if len(messages) > budget.limits.messages:
        limit = over_limit("messages", budget.limits)
        too_many = refusal("too_many_messages", name=shown, count=len(messages), limit=limit)
        yield make_incoming(data, name, ctx, kind, container=True, refused=too_many)
        return
    yield make_incoming(data, name, ctx, kind, container=True)
    label = ctx.label or f"邮箱文件 {shown}"
    for number, message in enumerate(messages, start=1):
        origin = f"{label} 中的第 {number} 封邮件"
        group = f"eml:{hashlib.sha256(message).hexdigest()}" if ctx.depth == 0 else ctx.group
        message_ctx = Context(origin, origin, ctx.file_time, group, ctx.depth, ctx.sent_at, senders=ctx.senders,
                              containers=ctx.containers, mailed=ctx.mailed)
        yield from expand_mail(message, f"{shown} 第 {number} 封邮件", "eml", message_ctx, budget, expand)


def _mbox_messages(data: bytes) -> list[bytes]:
    """The messages of a mailbox file, each without its "From " line; a message starts at every such line."""
    starts = [0]
    position = data.find(b"\nFrom ")
    while position >= 0:
        line_end = data.find(b"\n", position + 1)
        line = data[position + 1 : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        if len(line) < 300 and MBOX_FROM_LINE.match(line):
            starts.append(position + 1)
        position = data.find(b"\nFrom ", position + 1)
    messages = []
    for start, end in zip(starts, [*starts[1:], len(data)], strict=True):
        body_start = data.find(b"\n", start, end)
        messages.append(data[body_start + 1 : end] if body_start >= 0 else b"")
    return messages


def _mail_refusal(shown: str, mail: _Mail, limits: Limits) -> Refusal | None:
    """The message's own problem: unreadable, too many attachments, truncated, or without attachments."""
    if mail.problem == "unreadable":
        return refusal("mail_unreadable", name=shown)
    if mail.problem == "too_many":
        number = mail.attachment_count
        count = f"约有 {number} 个附件或邮件部分" if mail.estimated else f"有 {number} 个附件"
        return refusal("too_many_attachments", name=shown, count=count, limit=over_limit("attachments", limits))
    if mail.problem == "truncated":
        return refusal("mail_truncated", name=shown)
    if not mail.attachments:
        return refusal("mail_no_attachment", name=shown)
    return None


def _read_mail(data: bytes, max_attachments: int) -> _Mail:
    """Parse a message into its date and attachments; any parse failure makes it unreadable.

    The attachments are counted before any is decoded: over `max_attachments`, none is. A message with
    far more MIME boundary lines than attachments allowed is not even parsed (the parser needs about a
    second per thousand parts).
    """
    boundaries = data.count(b"\n--")
    allowance = _part_allowance(max_attachments) - boundaries
    if allowance < 0:
        return _Mail(None, (), "too_many", boundaries, estimated=True)
    try:
        message = _parse(data)
        if not {name.lower() for name in message} & _MAIL_CORE_HEADERS:  # names only: a value may not parse
            return _Mail(None, (), "unreadable")
        senders, subject = _senders(message), _subject(message)
        try:
            parts = list(_attachment_parts(message, allowance))
        except _TooManyParts as many:
            return _Mail(_mail_date(message), (), "too_many", boundaries + many.count, estimated=True,
                         senders=senders, subject=subject)
        if len(parts) > max_attachments:
            return _Mail(_mail_date(message), (), "too_many", len(parts), senders=senders, subject=subject)
        attachments = tuple(_read_attachment(part, number) for number, part in enumerate(parts, start=1))
        truncated = any(
            isinstance(defect, email.errors.CloseBoundaryNotFoundDefect | email.errors.StartBoundaryNotFoundDefect)
            for part in message.walk()
            for defect in part.defects
        )
    except _MAIL_ERRORS:
        return _Mail(None, (), "unreadable")
    return _Mail(_mail_date(message), attachments, "truncated" if truncated else None, len(parts),
                 senders=senders, subject=subject)


_MIME_PARTS_PER_ATTACHMENT = 4  # boundary lines allowed per attachment before a message is refused unparsed
_MIME_PARTS_SPARE = 50  # and for the body, signature pictures, forwarded messages
_FORWARDS_DECODED = 3  # forwarded messages in base64 inside forwarded messages in base64, opened this deep
_TRANSFER_ENCODED = ("base64", "quoted-printable")


class _TooManyParts(Exception):
    """The forwarded messages decoded hold more MIME boundary lines than the message may have (`count` of them)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _part_allowance(max_attachments: int) -> int:
    """The MIME boundary lines a message may hold (its own and those of forwarded messages decoded in it)."""
    return _MIME_PARTS_PER_ATTACHMENT * max_attachments + _MIME_PARTS_SPARE


def _parse(data: bytes) -> Message:
    """A message parsed with `email.policy.default`, its header block repaired first (`_header_repaired`)."""
    return email.message_from_bytes(_header_repaired(data), policy=email.policy.default)


_BARE_CR = re.compile(rb"\r(?!\n)")


def _header_repaired(data: bytes) -> bytes:
    """The message with each bare CR of its header block made a space: illegal there, it is a line break to the
    parser, which would end a header in the middle of a display name and lose the address and every header after
    it. The body is left as it is."""
    ends = [end for end in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if end >= 0]
    if not ends:
        return data
    end = min(ends) + 2  # the separator's start included, so that a CR before it is seen with its LF
    return _BARE_CR.sub(b" ", data[:end]) + data[end:]


def _attachment_parts(message: Message, allowance: int) -> Iterator[Message]:
    """Leaf parts that are files: attachments, and any part with a file name except images embedded in the body.

    Forwarded messages (message/rfc822) are walked into, so their attachments count as this message's; one
    attached in base64 or quoted-printable is decoded and parsed first (`_decoded_forward`), its MIME boundary
    lines counted against `allowance` (over it: `_TooManyParts`).
    """
    left = [allowance]
    for part in _leaves(message, left, 0):
        disposition = part.get_content_disposition()
        embedded = disposition == "inline" and part.get_content_maintype() == "image" and part.get("Content-ID")
        if disposition == "attachment" or (part.get_filename() and not embedded):
            yield part


def _leaves(part: Message, left: list[int], depth: int) -> Iterator[Message]:
    """The leaf parts of a message in order, an encoded forwarded message replaced by what it holds."""
    forwarded = _decoded_forward(part, left, depth)
    if forwarded is not None:
        yield from _leaves(forwarded, left, depth + 1)
    elif part.is_multipart():
        for sub in part.get_payload():
            yield from _leaves(sub, left, depth)
    else:
        yield part


def _source_text(inner: Message) -> str:
    """The encoded text the parser took for a message: the lines it read as headers put back as they came (a
    space after the colon aside), then the body as it came."""
    lines = "".join(f"{name}:{value}\n" for name, value in inner.raw_items())
    separated = lines and not any(isinstance(d, email.errors.MissingHeaderBodySeparatorDefect) for d in inner.defects)
    body = inner.get_payload()
    if not isinstance(body, str):  # its first lines declared it multipart: as the library writes it out again
        return inner.as_string(policy=email.policy.compat32.clone(max_line_length=0))
    return lines + ("\n" if separated else "") + body


def _decoded_forward(part: Message, left: list[int], depth: int) -> Message | None:
    """A forwarded message attached in base64 or quoted-printable, decoded and parsed; None for any other part.

    The parser takes a message/rfc822 part's body as a message whatever its transfer encoding, so an encoded one
    arrives as a message made of pieces of the encoded text (none for base64, whose lines never look like
    headers); the text is put together again (`_source_text`) and decoded the way the mail library decodes an
    attachment.
    """
    encoding = str(part.get("Content-Transfer-Encoding") or "").strip().lower()
    if part.get_content_maintype() != "message" or encoding not in _TRANSFER_ENCODED or depth >= _FORWARDS_DECODED:
        return None
    payload = part.get_payload()
    if not isinstance(payload, list) or len(payload) != 1:
        return None
    carrier = Message()
    carrier["Content-Transfer-Encoding"] = encoding
    carrier.set_payload(_source_text(payload[0]))
    decoded = carrier.get_payload(decode=True)
    if not isinstance(decoded, bytes):
        return None
    boundaries = decoded.count(b"\n--")
    left[0] -= boundaries
    if left[0] < 0:
        raise _TooManyParts(boundaries)
    return _parse(decoded)


def _read_attachment(part: Message, number: int) -> _Attachment:
    """An attachment's display name and decoded bytes; base64 damage marks it damaged."""
    name = display_name(_attachment_name(part) or f"附件{number}")
    payload = part.get_payload(decode=True)
    damaged = any(
        isinstance(defect, email.errors.InvalidBase64PaddingDefect | email.errors.InvalidBase64LengthDefect)
        for defect in part.defects
    )
    return _Attachment(name, payload if isinstance(payload, bytes) else b"", damaged)


def _attachment_name(part: Message) -> str | None:
    """The attachment's file name; raw 8-bit names (GBK or UTF-8 without encoding) are recovered from the header."""
    name = part.get_filename()
    if name and "\ufffd" not in name:
        return name
    for header, value in part.raw_items():
        if header.lower() not in ("content-disposition", "content-type"):
            continue
        found = re.search(r'(?:file)?name\s*=\s*"([^"]*)"|(?:file)?name\s*=\s*([^;\s]+)', str(value), re.IGNORECASE)
        if found:
            return _decode_raw_text(found.group(1) or found.group(2))
    return name


def _decode_raw_text(text: str) -> str:
    """Text whose non-ASCII bytes were kept as surrogates, decoded as UTF-8 or else GB18030."""
    raw = text.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _mail_date(message: Message) -> datetime | None:
    """The Date header as an aware datetime (UTC when the header gives no zone), or None."""
    try:
        header = message.get("Date")
        sent_at = getattr(header, "datetime", None)
        if sent_at is None and header is not None:
            sent_at = parsedate_to_datetime(str(header))
    except (*_MAIL_ERRORS, IndexError):
        return None
    if not isinstance(sent_at, datetime):
        return None
    return sent_at if sent_at.tzinfo is not None else sent_at.replace(tzinfo=UTC)


_ADDRESS_HEADERS = ("from", "sender")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _senders(message: Message) -> tuple[str, ...]:
    """Every address in the From and Sender headers (From's first), in lower case, each once: the evidence of who
    sent the message.

    Read from each header's raw text with its control characters blanked and its encoded words left undecoded:
    a display name holding control characters, raw or RFC 2047-encoded (which the mail library refuses to make
    an address of), never hides the address beside it.
    """
    try:
        raw = [(name.lower(), str(value)) for name, value in message.raw_items()]
    except (*_MAIL_ERRORS, IndexError):
        return ()
    found: list[str] = []
    for header in _ADDRESS_HEADERS:
        for name, value in raw:
            if name == header:
                found += _addresses(_CONTROLS.sub(" ", value).replace("=?", "= ?"))
    cleaned = (printable(address.strip().lower())[:200] for address in found if "@" in address)
    return tuple(dict.fromkeys(address for address in cleaned if address))


def _addresses(text: str) -> list[str]:
    """The addresses an address header's text holds, as the mail library parses it (or, where its parser gives
    up, as the older one does)."""
    try:
        return [address.addr_spec for address in email.policy.default.header_factory("From", text).addresses]
    except (*_MAIL_ERRORS, IndexError):
        return [address for _, address in getaddresses([text])]


def _subject(message: Message) -> str:
    """The Subject header as display text (one line, at most 200 characters), or ''."""
    try:
        header = message.get("Subject")
    except (*_MAIL_ERRORS, IndexError):
        return ""
    return printable(" ".join(str(header or "").split()))[:200]
