"""Reading the office mailbox by IMAP, read-only: the folder is opened with EXAMINE and every message read with
BODY.PEEK, so nothing on the server changes (no flag set, nothing moved or deleted; STORE and EXPUNGE are never
sent). TLS verifies the server's certificate; plain text only for a server on this machine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import ssl
from dataclasses import dataclass

from fazhi_cli.domain.mail import NONE, SSL, STARTTLS, MailSettings
from fazhi_cli.mail.connect import NON_ASCII, SETTINGS_HINT, MailError, network_problem

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER_FIELDS = "FROM SUBJECT MESSAGE-ID CONTENT-TYPE DATE"
CHUNK = 200  # messages whose headers are asked for at once
IMAP_ERRORS = (OSError, imaplib.IMAP4.error)  # IMAP4.abort and readonly are IMAP4.error; ssl errors are OSError
_INTERNALDATE = re.compile(rb'INTERNALDATE "\s?(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"')
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


@dataclass(frozen=True)
class ServerMessage:
    """A message on the server, as first seen: its UID, arrival time (INTERNALDATE), size and header lines."""

    uid: int
    received_at: dt.datetime | None
    size: int
    header: bytes


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
        self.client: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

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
                client = imaplib.IMAP4_SSL(host, port, ssl_context=self.context, timeout=timeout)
            else:
                client = imaplib.IMAP4(host, port, timeout=timeout)
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

    def since(self, day: dt.date) -> list[int]:
        """The UIDs of the messages that arrived on or after `day` (by INTERNALDATE)."""
        data = self._command("SEARCH", None, "SINCE", imap_date(day))
        return [int(uid) for uid in b" ".join(part for part in data if isinstance(part, bytes)).split()]

    def headers(self, uids: list[int]) -> list[ServerMessage]:
        """Each message's arrival time, size and a few header lines (nothing is marked as read)."""
        found: list[ServerMessage] = []
        for start in range(0, len(uids), CHUNK):
            chunk = uids[start : start + CHUNK]
            data = self._command("FETCH", uid_set(chunk),
                                 f"(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])")
            for part in data:
                if not isinstance(part, tuple):
                    continue
                uid, size = _UID.search(part[0]), _SIZE.search(part[0])
                if uid is not None:
                    found.append(ServerMessage(int(uid.group(1)), internaldate(part[0]),
                                               int(size.group(1)) if size else 0, part[1] or b""))
        return found

    def body(self, uid: int) -> bytes:
        """The whole message, as the server keeps it (read with BODY.PEEK: it stays unread)."""
        data = self._command("FETCH", str(uid), "(BODY.PEEK[])")
        for part in data:
            if isinstance(part, tuple) and _UID.search(part[0]) is not None:
                return part[1] or b""
        raise MailError(f"邮件服务器没有返回第 {uid} 号邮件的内容", "请稍后重新运行 fazhi fetch。")

    def _command(self, command: str, *args: str | None) -> list:
        assert self.client is not None
        try:
            status, data = self.client.uid(command, *args)
        except IMAP_ERRORS as exc:
            raise self._problem(exc) from None
        if status != "OK":
            raise MailError(f"邮件服务器拒绝了 {command} 命令:{data!r:.200}", "请稍后重新运行 fazhi fetch。")
        return data

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
