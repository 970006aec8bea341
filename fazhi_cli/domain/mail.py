"""The office mailbox's settings (fazhi.toml `[mail]`) and the rules on them, and what a reminder is about.

Pure: a table of settings in, `MailSettings` out (or a Chinese message naming the setting). The password is
never a setting: it comes from the environment or a prompt, at the edge.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SSL, STARTTLS, NONE = "ssl", "starttls", "none"
SECURITY = (SSL, STARTTLS, NONE)
DEFAULT_PORTS = {("smtp", SSL): 465, ("smtp", STARTTLS): 587, ("smtp", NONE): 25,
                 ("imap", SSL): 993, ("imap", STARTTLS): 143, ("imap", NONE): 143}  # fmt: skip
PASSWORD_VARIABLE = "FAZHI_MAIL_PASSWORD"

SEND, REMIND = "send", "remind"
RECTIFY, RECTIFY_REMIND = "rectify", "rectify_remind"  # the 整改通知 with its 整改清单, and its reminder
KIND_LABELS = {SEND: "下发", REMIND: "催报", RECTIFY: "整改通知", RECTIFY_REMIND: "整改催办"}
MISSING, ERRORS = "missing", "errors"  # why a unit is reminded: nothing returned, or its submission has errors

MAIL_LABELS = {
    "from": "发件地址(法制办邮箱)",
    "smtp_host": "发信服务器(SMTP)",
    "smtp_port": "发信服务器端口",
    "smtp_security": "发信加密方式",
    "imap_host": "收信服务器(IMAP)",
    "imap_port": "收信服务器端口",
    "imap_security": "收信加密方式",
    "user": "邮箱登录名",
    "imap_folder": "收信文件夹",
    "send_interval": "两封邮件之间的间隔(秒)",
    "timeout": "连接超时(秒)",
    "ca_file": "信任的证书文件",
}


@dataclass(frozen=True)
class MailSettings:
    """The office mailbox: where to send from and fetch from, and how (see interface.md, Mail settings)."""

    sender: str = ""  # `from`: the office's address
    smtp_host: str = ""
    smtp_port: int = 465
    smtp_security: str = SSL
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = SSL
    user: str = ""  # blank: no login (a loopback server without authentication)
    imap_folder: str = "INBOX"
    send_interval: Decimal = Decimal(1)  # seconds between two messages (the office server's rate limit)
    timeout: Decimal = Decimal(30)
    ca_file: str = ""  # a certificate file to trust instead of the system's (a test CA, an internal CA)

    @property
    def configured(self) -> bool:
        """True when fazhi.toml says where to send from."""
        return bool(self.sender and self.smtp_host)


def is_loopback(host: str) -> bool:
    """True for this machine's own addresses: `localhost`, 127.0.0.0/8, ::1."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def mail_settings_from(table: Mapping[str, object]) -> MailSettings:
    """`[mail]` of fazhi.toml as settings; ValueError with a Chinese message naming the setting for an unknown
    key, a wrong value, or `none` security (plain text) for a server that is not on this machine."""
    unknown = [key for key in table if key not in MAIL_LABELS]
    if unknown:
        raise ValueError(f"[mail] 中没有“{unknown[0]}”这一项(可设置:{'、'.join(MAIL_LABELS)})")
    texts = {key: _text(table, key) for key in ("from", "smtp_host", "imap_host", "user", "imap_folder", "ca_file")}
    if texts["from"] and "@" not in texts["from"]:
        raise ValueError(f"[mail] 中 from({MAIL_LABELS['from']})“{texts['from']}”不是电子邮箱地址")
    chosen: dict[str, object] = {}
    for side in ("smtp", "imap"):
        security = _text(table, f"{side}_security") or SSL
        if security not in SECURITY:
            raise ValueError(f"[mail] 中 {side}_security({MAIL_LABELS[f'{side}_security']})应为 "
                             f"ssl、starttls 或 none,现为“{security}”")
        host = texts[f"{side}_host"]
        if security == NONE and host and not is_loopback(host):
            raise ValueError(f"[mail] 中 {side}_security = \"none\"(不加密)只能用于本机服务器,"
                             f"{side}_host 为“{host}”:密码和邮件会以明文经过网络,请改为 ssl 或 starttls")
        chosen[f"{side}_security"] = security
        chosen[f"{side}_port"] = _port(table, f"{side}_port", DEFAULT_PORTS[(side, security)])
    return MailSettings(
        sender=texts["from"], smtp_host=texts["smtp_host"], imap_host=texts["imap_host"], user=texts["user"],
        imap_folder=texts["imap_folder"] or "INBOX", ca_file=texts["ca_file"],
        send_interval=_seconds(table, "send_interval", Decimal(1)), timeout=_seconds(table, "timeout", Decimal(30)),
        **chosen,  # type: ignore[arg-type]
    )


def _text(table: Mapping[str, object], key: str) -> str:
    value = table.get(key, "")
    if isinstance(value, (dict, list, bool)):
        raise ValueError(f"[mail] 中 {key}({MAIL_LABELS[key]})应为一段加引号的文字")
    return str(value).strip()


def _port(table: Mapping[str, object], key: str, default: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise ValueError(f"[mail] 中 {key}({MAIL_LABELS[key]})应为 1 至 65535 之间的整数,现为“{value}”")
    return value


def _seconds(table: Mapping[str, object], key: str, default: Decimal) -> Decimal:
    value = table.get(key, default)
    try:
        seconds = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        seconds = None
    if seconds is None or not seconds.is_finite() or not Decimal(0) <= seconds <= Decimal(3600):
        raise ValueError(f"[mail] 中 {key}({MAIL_LABELS[key]})应为 0 至 3600 之间的秒数,现为“{value}”")
    return seconds
