"""Connections to the office's mail servers: TLS that verifies the server's certificate (never a silent fallback
to plain text), the password from the environment or asked for, and every network failure in Chinese.

Plain text (`none`) is allowed only for a server on this machine (the settings refuse it otherwise). The
certificates trusted are the system's, or `[mail] ca_file` (relative to the workspace), or the file named by
the SSL_CERT_FILE environment variable.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

from fazhi_cli.domain.mail import PASSWORD_VARIABLE, MailSettings
from fazhi_cli.errors import FazhiError, UsageError

SETTINGS_HINT = "请检查 fazhi.toml 中 [mail] 的设置(使用说明 docs/clerk-guide.zh.md 的“邮件设置”一节)。"


class MailError(FazhiError):
    """The mail server cannot be reached or used (exit 1): nothing was sent or recorded by the failing step."""


def ssl_context(settings: MailSettings, root: Path) -> ssl.SSLContext:
    """A context that verifies the server's certificate and name: the system's CAs, or `ca_file`."""
    if not settings.ca_file:
        return ssl.create_default_context()
    path = Path(settings.ca_file)
    path = path if path.is_absolute() else root / path
    try:
        return ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"无法读取 [mail] ca_file 指定的证书文件 {path}:{exc}", SETTINGS_HINT) from None


def password_for(settings: MailSettings, ask: Callable[[], str] | None) -> str | None:
    """The mailbox password: FAZHI_MAIL_PASSWORD, else asked for; None when no login is configured."""
    if not settings.user:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    if ask is None:
        raise UsageError(f"没有邮箱密码:请设置环境变量 {PASSWORD_VARIABLE}",
                         f"例如先运行 export {PASSWORD_VARIABLE}=…(密码不会被写入任何文件)。")
    return ask()


def network_problem(exc: BaseException, host: str, port: int) -> str:
    """What went wrong talking to a server, in Chinese (the server's own reply quoted)."""
    where = f"{host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"邮件服务器 {where} 的证书未通过验证({exc.verify_message}),已停止连接,未改用明文"
    if isinstance(exc, ssl.SSLError):
        return f"与邮件服务器 {where} 的加密连接失败({exc.reason or exc}),已停止连接,未改用明文"
    if isinstance(exc, socket.gaierror):
        return f"找不到邮件服务器 {host}(域名无法解析)"
    if isinstance(exc, ConnectionRefusedError):
        return f"邮件服务器 {where} 拒绝连接(端口未开放或服务器未运行)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"连接邮件服务器 {where} 超时"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"邮件服务器 {where} 拒绝登录:用户名或密码错误({_reply(exc)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"邮件服务器 {where} 不支持所需的功能(STARTTLS 或登录):{exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"邮件服务器 {where} 断开了连接"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"邮件服务器 {where} 回复错误:{_reply(exc)}"
    if isinstance(exc, OSError):
        return f"与邮件服务器 {where} 通信失败:{exc.strerror or exc}"
    return f"与邮件服务器 {where} 通信失败:{exc}"


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"


NETWORK_ERRORS = (OSError, smtplib.SMTPException)  # ssl.SSLError and socket errors are OSErrors


class SmtpSession:
    """One SMTP connection for a batch of messages, opened again when the server drops it."""

    def __init__(self, settings: MailSettings, password: str | None, context: ssl.SSLContext) -> None:
        self.settings = settings
        self.password = password
        self.context = context
        self.client: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect, secure and log in; MailError (in Chinese) for any failure, nothing left open."""
        settings = self.settings
        host, port, timeout = settings.smtp_host, settings.smtp_port, float(settings.timeout)
        client: smtplib.SMTP | None = None
        try:
            if settings.smtp_security == "ssl":
                client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=self.context)
            else:
                client = smtplib.SMTP(host, port, timeout=timeout)
                if settings.smtp_security == "starttls":
                    client.starttls(context=self.context)
                    client.ehlo()
            if settings.user:
                _login(client, settings.user, self.password or "")
        except NETWORK_ERRORS as exc:
            _quietly_close(client)
            raise MailError(network_problem(exc, host, port), SETTINGS_HINT) from None
        except UnicodeEncodeError:
            _quietly_close(client)
            raise MailError(NON_ASCII, SETTINGS_HINT) from None
        self.client = client

    def send(self, sender: str, recipients: tuple[str, ...], data: bytes) -> dict[str, str]:
        """Hand one message to the server; returns the recipients it refused (others accepted) with its reply.

        Raises `smtplib.SMTPException` or OSError when the server accepted none of it."""
        if self.client is None:
            self.open()
        assert self.client is not None
        refused = self.client.sendmail(sender, list(recipients), data)
        return {address: f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
                for address, (code, text) in refused.items()}

    def drop(self) -> None:
        """Forget a connection the server broke (the next message opens a new one)."""
        _quietly_close(self.client)
        self.client = None

    def close(self) -> None:
        """Say goodbye to the server."""
        if self.client is not None:
            with contextlib.suppress(NETWORK_ERRORS):
                self.client.quit()
            _quietly_close(self.client)
            self.client = None


NON_ASCII = "邮箱登录名或密码含有中文等非 ASCII 字符,邮件服务器的登录方式不支持"


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with AUTH PLAIN when the server offers it (one attempt: a wrong password is then the server's 535,
    not a disconnection after trying every mechanism), else as smtplib chooses."""
    client.ehlo_or_helo_if_needed()
    if "PLAIN" in client.esmtp_features.get("auth", "").upper().split():
        client.user, client.password = user, password
        client.auth("PLAIN", client.auth_plain)
    else:
        client.login(user, password)


def _quietly_close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        with contextlib.suppress(NETWORK_ERRORS):
            client.close()


def message_problem(exc: BaseException, host: str, port: int) -> str:
    """Why the server did not take one message, in Chinese."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(f"{address} {code} {_text(text)}" for address, (code, text) in exc.recipients.items())
        return f"收件地址被服务器拒绝:{replies}"
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError) and exc.smtp_code == 552:
        return f"邮件过大,服务器拒收({_reply(exc)}):请压缩附件或联系邮箱管理员"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"发件地址被服务器拒绝({_reply(exc)})"
    if isinstance(exc, smtplib.SMTPDataError):
        return f"服务器拒收该邮件({_reply(exc)})"
    return network_problem(exc, host, port)


def _text(text: object) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
