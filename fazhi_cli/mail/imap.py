"""Reading the office mailbox by IMAP, read-only: the folder is opened with EXAMINE and every message read with
BODY.PEEK, so nothing on the server changes (no flag set, nothing moved or deleted; STORE and EXPUNGE are never
sent). TLS verifies the server's certificate; plain text only for a server on this machine.

The server is not trusted about sizes: every literal it announces is checked against a limit before a byte of it is
read (imaplib would allocate whatever size the server names), and each command's whole answer has a budget of bytes
and lines (a server that never stops talking is cut off). A message whose literal is over its limit is `TooLarge`:
the connection is dropped unread and opened again for the next message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

from fazhi_cli.domain.mail import NONE, SSL, STARTTLS, MailSettings
from fazhi_cli.mail.connect import NON_ASCII, SETTINGS_HINT, MailError, network_problem

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER_FIELDS = "FROM SUBJECT MESSAGE-ID CONTENT-TYPE DATE"
CHUNK = 200  # messages whose headers are asked for at once
HEADER_BYTES = 256 * 1024  # the few header lines asked for, of one message
OPENING_BUDGET = (1024 * 1024, 1000)  # bytes and lines of the greeting, login and EXAMINE answers together
SLACK = (64 * 1024, 64)  # bytes and lines of a command's answer besides its literals
MAX_REOPENS = 100  # connections opened again after a literal over its limit, in one fetch
IMAP_ERRORS = (OSError, imaplib.IMAP4.error)  # IMAP4.abort and readonly are IMAP4.error; ssl errors are OSError
_INTERNALDATE = re.compile(rb'INTERNALDATE "\s?(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"')
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ServerMessage:
    """A message on the server, as first seen: its UID, arrival time (INTERNALDATE), size and header lines;
    `header_size` is the size of header lines the server announced and that were not read (over HEADER_BYTES)."""

    uid: int
    received_at: dt.datetime | None
    size: int
    header: bytes
    header_size: int = 0


class TooLarge(MailError):
    """The server announced a literal over the limit for one message: nothing of it was read."""

    def __init__(self, uid: int, size: int, limit: int) -> None:
        super().__init__(f"邮件服务器发来的第 {uid} 号邮件有 {size} 字节,超过上限 {limit} 字节,未读取",
                         "请稍后重新运行 fazhi fetch。")
        self.uid, self.size, self.limit = uid, size, limit


class Overrun(Exception):
    """What a bounded client refused, kept on it (imaplib turns the exception raised inside a command into its own)."""

    def __init__(self, literal: int = 0) -> None:
        super().__init__(literal)
        self.literal = literal  # the size of the literal refused; 0 for an answer over its budget


class _Bounded:
    """An imaplib client that reads no literal over `literal_limit` and no more than a budget of bytes and lines
    for one command's answer (set by `bound` before each command)."""

    literal_limit = HEADER_BYTES
    bytes_left, lines_left = OPENING_BUDGET
    overrun: Overrun | None = None

    def bound(self, literal_limit: int, budget: tuple[int, int]) -> None:
        """The limits for the next command's answer."""
        self.literal_limit = literal_limit
        self.bytes_left, self.lines_left = budget
        self.overrun = None

    def read(self, size: int) -> bytes:
        """A literal of `size` bytes, refused unread when over the limit or the budget."""
        if size > self.literal_limit or size > self.bytes_left:
            self.overrun = Overrun(size)
            raise imaplib.IMAP4.abort(f"服务器要发来 {size} 字节的内容,超过上限,未读取")
        self.bytes_left -= size
        return super().read(size)  # type: ignore[misc]

    def readline(self) -> bytes:
        """One line of the answer (imaplib bounds its length), counted against the budget."""
        line = super().readline()  # type: ignore[misc]
        self.bytes_left -= len(line)
        self.lines_left -= 1
        if self.bytes_left < 0 or self.lines_left < 0:
            self.overrun = Overrun()
            raise imaplib.IMAP4.abort("服务器的回复超过应有的大小,已断开")
        return line


class _BoundedIMAP4(_Bounded, imaplib.IMAP4):
    pass


class _BoundedIMAP4SSL(_Bounded, imaplib.IMAP4_SSL):
    pass


def imap_date(day: dt.date) -> str:
    """A date as IMAP's SEARCH SINCE takes it: 5-Dec-2017."""
    return f"{day.day}-{MONTHS[day.month - 1]}-{day.year}"


def internaldate(response: bytes) -> dt.datetime | None:
    """The INTERNALDATE in a FETCH response as an aware datetime, or None."""
    found = _INTERNALDATE.search(response)
    if found is None or found.group(2).decode().title() not in MONTHS:
        return None
    day, month, year, hour, minute, second = found.group(1, 2, 3, 4, 5, 6)
    offset = dt.timedelta(hours=int(found.group(8)), minutes=int(found.group(9)))
    zone = dt.timezone(offset if found.group(7) == b"+" else -offset)
    return dt.datetime(int(year), MONTHS.index(month.decode().title()) + 1, int(day), int(hour), int(minute),
                       int(second), tzinfo=zone)


def uid_set(uids: list[int]) -> str:
    """UIDs as a compact IMAP set: 1:5,9,12:14."""
    ranges: list[str] = []
    start = previous = None
    for uid in sorted(uids):
        if previous is not None and uid == previous + 1:
            previous = uid
            continue
        if start is not None:
            ranges.append(f"{start}:{previous}" if previous != start else str(start))
        start = previous = uid
    if start is not None:
        ranges.append(f"{start}:{previous}" if previous != start else str(start))
    return ",".join(ranges)


class ImapSession:
    """One read-only IMAP connection to the office mailbox's folder."""

    def __init__(self, settings: MailSettings, password: str | None, context: ssl.SSLContext) -> None:
        self.settings = settings
        self.password = password
        self.context = context
        self.client: _BoundedIMAP4 | _BoundedIMAP4SSL | None = None
        self.uidvalidity = 0
        self.reopens = 0

    def _problem(self, exc: BaseException) -> MailError:
        settings = self.settings
        if isinstance(exc, imaplib.IMAP4.error) and not isinstance(exc, imaplib.IMAP4.abort):
            text = str(exc)
            if text[:2] in ("b'", 'b"'):  # imaplib hands on the server's reply as a bytes repr
                text = text[2:-1]
            if "AUTHENTICATIONFAILED" in text.upper() or "LOGIN" in text.upper():
                return MailError(f"邮件服务器 {settings.imap_host}:{settings.imap_port} 拒绝登录:用户名或密码错误"
                                 f"({text[:200]})", SETTINGS_HINT)
            return MailError(f"邮件服务器 {settings.imap_host}:{settings.imap_port} 回复错误:{text[:200]}",
                             SETTINGS_HINT)
        return MailError(network_problem(exc, settings.imap_host, settings.imap_port), SETTINGS_HINT)

    def open(self) -> None:
        """Connect, secure, log in and EXAMINE the folder (read-only); MailError for any failure."""
        settings = self.settings
        host, port, timeout = settings.imap_host, settings.imap_port, float(settings.timeout)
        try:
            if settings.imap_security == SSL:
                client = _BoundedIMAP4SSL(host, port, ssl_context=self.context, timeout=timeout)
            else:
                client = _BoundedIMAP4(host, port, timeout=timeout)
                if settings.imap_security == STARTTLS:
                    client.starttls(ssl_context=self.context)
        except IMAP_ERRORS as exc:
            raise self._problem(exc) from None
        self.client = client
        try:
            if settings.user:
                client.login(settings.user, self.password or "")
            elif settings.imap_security != NONE:
                raise MailError("没有设置邮箱登录名 [mail] user", SETTINGS_HINT)
            status, _ = client.select(_quoted(settings.imap_folder), readonly=True)
            if status != "OK":
                raise MailError(f"邮箱中没有文件夹“{settings.imap_folder}”", "请检查 [mail] 的 imap_folder。")
            _, values = client.response("UIDVALIDITY")
            self.uidvalidity = int(values[0]) if values and values[0] else 0
        except IMAP_ERRORS as exc:
            self.close()
            raise self._problem(exc) from None
        except UnicodeEncodeError:
            self.close()
            raise MailError(NON_ASCII, SETTINGS_HINT) from None
        except MailError:
            self.close()
            raise

    def reopen(self) -> None:
        """Drop the connection (a literal refused is left unread in it) and open a new one on the same folder."""
        self.drop()
        self.reopens += 1
        if self.reopens > MAX_REOPENS:
            raise MailError(f"邮件服务器 {self.settings.imap_host} 多次发来超过上限的内容,已停止收取",
                            "请联系邮箱管理员检查服务器;已收取的邮件都已记录。")
        uidvalidity = self.uidvalidity
        self.open()
        if self.uidvalidity != uidvalidity:
            self.close()
            raise MailError(f"邮箱文件夹“{self.settings.imap_folder}”在收取过程中被服务器重建(UIDVALIDITY 改变)",
                            "请重新运行 fazhi fetch;已收取的邮件不会重复收取。")

    def since(self, day: dt.date) -> list[int]:
        """The UIDs of the messages that arrived on or after `day` (by INTERNALDATE)."""
        data = self._command("SEARCH", None, "SINCE", imap_date(day))
        return [int(uid) for uid in b" ".join(part for part in data if isinstance(part, bytes)).split()]

    def headers(self, uids: list[int]) -> Iterator[list[ServerMessage]]:
        """Each message's arrival time, size and a few header lines (nothing is marked as read), CHUNK messages at
        a time. A chunk with header lines over HEADER_BYTES is read again one message at a time: the one over it
        comes with no header lines and its announced `header_size`."""
        for start in range(0, len(uids), CHUNK):
            chunk = uids[start : start + CHUNK]
            try:
                found = self._headers(chunk)
            except TooLarge:
                self.reopen()
                found = [message for uid in chunk for message in self._header_or_size(uid)]
            yield found

    def _header_or_size(self, uid: int) -> list[ServerMessage]:
        try:
            return self._headers([uid])
        except TooLarge as exc:
            self.reopen()
            return [ServerMessage(uid, None, 0, b"", exc.size)]

    def _headers(self, uids: list[int]) -> list[ServerMessage]:
        budget = (len(uids) * (HEADER_BYTES + 1024) + SLACK[0], len(uids) * 4 + SLACK[1])
        data = self._command("FETCH", uid_set(uids),
                             f"(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])",
                             limits=(HEADER_BYTES, budget), uid=uids[0])
        asked, found = set(uids), {}
        for part in data:
            if not isinstance(part, tuple):
                continue
            uid, size = _UID.search(part[0]), _SIZE.search(part[0])
            if uid is not None and int(uid.group(1)) in asked:  # a UID not asked for is ignored
                found.setdefault(int(uid.group(1)), ServerMessage(int(uid.group(1)), internaldate(part[0]),
                                                                  int(size.group(1)) if size else 0, part[1] or b""))
        return list(found.values())

    def body(self, uid: int, limit: int) -> bytes:
        """The whole message, as the server keeps it (read with BODY.PEEK: it stays unread); TooLarge (the
        connection then opened again) when the server announces more than `limit` bytes."""
        try:
            data = self._command("FETCH", str(uid), "(BODY.PEEK[])", limits=(limit, (limit + SLACK[0], SLACK[1])),
                                 uid=uid)
        except TooLarge:
            self.reopen()
            raise
        for part in data:
            found = _UID.search(part[0]) if isinstance(part, tuple) else None
            if found is not None and int(found.group(1)) == uid:
                return part[1] or b""
        raise MailError(f"邮件服务器没有返回第 {uid} 号邮件的内容", "请稍后重新运行 fazhi fetch。")

    def _command(self, command: str, *args: str | None, limits: tuple[int, tuple[int, int]] = (HEADER_BYTES,
                 (4 * 1024 * 1024, 1000)), uid: int = 0) -> list:
        """One UID command, its answer bounded by `limits` (the largest literal, and the budget of bytes and lines
        of the whole answer)."""
        client = self.client
        assert client is not None
        client.bound(*limits)
        try:
            status, data = client.uid(command, *args)
        except IMAP_ERRORS as exc:
            overrun = client.overrun
            if overrun is None:
                raise self._problem(exc) from None
            self.drop()
            if overrun.literal and overrun.literal > limits[0]:
                raise TooLarge(uid, overrun.literal, limits[0]) from None
            where = f"{self.settings.imap_host}:{self.settings.imap_port}"
            raise MailError(f"邮件服务器 {where} 对 {command} 命令的回复过长(超过应有的大小),已断开连接",
                            "请联系邮箱管理员检查服务器,稍后重新运行 fazhi fetch;已收取的邮件都已记录。") from None
        client.untagged_responses.clear()  # what else the server said is not kept from one command to the next
        if status != "OK":
            raise MailError(f"邮件服务器拒绝了 {command} 命令:{data!r:.200}", "请稍后重新运行 fazhi fetch。")
        return data

    def drop(self) -> None:
        """Close the connection without a word to the server (its answer may be in the middle of a literal)."""
        if self.client is not None:
            with contextlib.suppress(IMAP_ERRORS):
                self.client.shutdown()
        self.client = None

    def close(self) -> None:
        """Log out (the folder was only examined: nothing to expunge)."""
        if self.client is None:
            return
        try:
            self.client.logout()
        except IMAP_ERRORS:
            with contextlib.suppress(IMAP_ERRORS):
                self.client.shutdown()
        self.client = None


def _quoted(folder: str) -> str:
    """A folder name as an IMAP quoted string."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
