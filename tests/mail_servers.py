"""Real mail servers on loopback for the tests: a throwaway certificate authority and server certificate
(cryptography), an SMTP server (aiosmtpd) with or without STARTTLS / implicit TLS and login, and Debian's
dovecot IMAP server run with a configuration of its own in the test's folder. Nothing listens on or connects to
anything but 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import email.policy
import getpass
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from helpers import external_tool

HOST = "127.0.0.1"
PASSWORD = "s3cret-Pass!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Certificates:
    """A CA file the client trusts, and the server's certificate chain and key signed by it."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_certificates(folder: Path, name: str = "测试") -> Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost, valid for a day."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"fazhi {name} CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(IPv4Address(HOST))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(pem))
    cert_file.write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Certificates(ca_file, cert_file, key_file)


# ------------------------------------------------------------------------------------------------ SMTP


@dataclass
class Received:
    """A message the SMTP server accepted."""

    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Sink:
    """What the SMTP server does: accepts messages, refuses some recipients or messages, can hold one."""

    received: list[Received] = field(default_factory=list)
    refuse_recipients: set[str] = field(default_factory=set)
    too_large_for: set[str] = field(default_factory=set)  # recipients whose message is refused as too large
    hold_after: int | None = None  # hold the message after this many accepted (the test then kills the client)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.too_large_for & set(envelope.rcpt_tos):
            return "552 5.3.4 Message size exceeds fixed maximum message size"
        if self.hold_after is not None and len(self.received) >= self.hold_after:
            self.holding.set()  # the client is waiting for the reply to this message: it has recorded the others
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"  # not accepted: the client was killed meanwhile
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Ok: queued"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class SmtpServer:
    """aiosmtpd on loopback: `security` none, starttls or ssl; with `user`, AUTH is required (PASSWORD)."""

    def __init__(self, certs: Certificates | None, security: str = "none", user: str | None = None,
                 data_size_limit: int = 33554432) -> None:
        self.sink = Sink()
        self.port = free_port()
        self.security = security
        kwargs: dict = {"data_size_limit": data_size_limit}
        if user is not None:
            kwargs["authenticator"] = lambda server, session, envelope, mechanism, auth_data: AuthResult(
                success=auth_data.login.decode() == user and auth_data.password.decode() == PASSWORD, handled=False)
            kwargs["auth_require_tls"] = security == "starttls"  # aiosmtpd counts only STARTTLS as TLS
        else:
            kwargs["auth_require_tls"] = False
        if security == "starttls":
            kwargs["tls_context"] = certs.server_context()
            kwargs["require_starttls"] = True
        if security == "ssl":
            self.controller = Controller(self.sink, hostname=HOST, port=self.port,
                                         ssl_context=certs.server_context(), **kwargs)
        else:
            self.controller = Controller(self.sink, hostname=HOST, port=self.port, **kwargs)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.sink.release.set()
        self.controller.stop()


def mail_settings(workspace: Path, **settings) -> None:
    """Write a [mail] table into the workspace's fazhi.toml (a clerk's edit)."""
    path = workspace / "fazhi.toml"
    text = path.read_text("utf-8").split("\n[mail]\n")[0]  # a table written by an earlier call is replaced
    lines = ["[mail]"]
    for key, value in settings.items():
        lines.append(f"{key} = {value}" if isinstance(value, int) else f'{key} = "{value}"')
    path.write_text(text + "\n" + "\n".join(lines) + "\n", "utf-8")


# ------------------------------------------------------------------------------------------------ IMAP


class Dovecot:
    """Debian's dovecot on loopback with a configuration of its own: IMAP (plain, loopback only) and IMAPS with the
    throwaway certificate, one user (`user`, PASSWORD) whose maildir is in a folder of the test's."""

    def __init__(self, folder: Path, certs: Certificates, user: str = "fazhiban") -> None:
        installed = Path("/usr/sbin/dovecot")  # not on a normal user's PATH
        self.binary = str(installed) if installed.is_file() else external_tool("dovecot")
        self.user = user
        self.port, self.ssl_port = free_port(), free_port()
        # dovecot's processes run as an unprivileged user when started by root: the folder must be reachable.
        self.root = Path(tempfile.mkdtemp(prefix="fazhi-dovecot-"))
        os.chmod(self.root, 0o755)
        self.folder = folder
        self.certs = certs
        self.config = self.root / "dovecot.conf"
        self.process: subprocess.Popen | None = None

    def _users(self) -> tuple[str, str, str]:
        """(internal user, login user, mail user) for the processes: dovecot's own when run as root."""
        if os.geteuid() == 0:
            return "dovecot", "dovenull", "dovecot"
        me = getpass.getuser()
        return me, me, me

    def write_config(self) -> None:
        internal, login, mail_user = self._users()
        info = pwd.getpwnam(mail_user)
        home = self.root / "home"
        mail = self.root / "mail"
        for path in (home, mail, self.root / "run", self.root / "state"):
            path.mkdir(exist_ok=True)
        passwd = self.root / "passwd"
        passwd.write_text(f"{self.user}:{{PLAIN}}{PASSWORD}:{info.pw_uid}:{info.pw_gid}::{home}::\n", "utf-8")
        shutil.copy(self.certs.cert_file, self.root / "server.pem")
        shutil.copy(self.certs.key_file, self.root / "server.key")
        for path in (home, mail):
            os.chown(path, info.pw_uid, info.pw_gid)
        self.config.write_text(f"""
protocols = imap
listen = {HOST}
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
info_log_path = {self.root}/dovecot.log
ssl = yes
ssl_cert = <{self.root}/server.pem
ssl_key = <{self.root}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {min(info.pw_uid, 100) if info.pw_uid else 1}
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}
}}
userdb {{
  driver = passwd-file
  args = {passwd}
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
""", "utf-8")

    def __enter__(self) -> Dovecot:
        self.write_config()
        self.process = subprocess.Popen([self.binary, "-F", "-c", str(self.config)], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        log = (self.root / "dovecot.log").read_text("utf-8", "replace") if (self.root / "dovecot.log").exists() else ""
        self.__exit__()
        raise RuntimeError(f"dovecot did not start: {log[-2000:]}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        shutil.rmtree(self.root, ignore_errors=True)

    def append(self, raw: bytes, arrived: dt.datetime, folder: str = "INBOX") -> None:
        """Put a message in the mailbox as if it arrived at `arrived` (APPEND's date sets INTERNALDATE)."""
        client = imaplib.IMAP4(HOST, self.port)
        try:
            client.login(self.user, PASSWORD)
            status, detail = client.append(folder, None, imaplib.Time2Internaldate(arrived), raw)
            assert status == "OK", detail
        finally:
            client.logout()

    def put_in_maildir(self, messages, folder: str = "INBOX") -> int:
        """Put (raw, arrived) messages straight into the user's maildir, as a delivery agent would (thousands in
        seconds, where APPEND takes a connection each): dovecot takes a file's time as its arrival (INTERNALDATE)."""
        info = pwd.getpwnam(self._users()[2])
        box = self.root / "mail" / self.user
        if folder != "INBOX":
            box = box / f".{folder}"
        for part in (box, box / "cur", box / "new", box / "tmp"):
            part.mkdir(parents=True, exist_ok=True)
            os.chown(part, info.pw_uid, info.pw_gid)
        count = 0
        for count, (raw, arrived) in enumerate(messages, 1):
            stamp = arrived.timestamp()
            path = box / "new" / f"{int(stamp)}.M{count}P{os.getpid()}.fazhi"
            path.write_bytes(raw)
            os.chown(path, info.pw_uid, info.pw_gid)
            os.utime(path, (stamp, stamp))
        return count

    def flags(self) -> list[bytes]:
        """Every message's flags (to show that fetching changed nothing)."""
        client = imaplib.IMAP4(HOST, self.port)
        try:
            client.login(self.user, PASSWORD)
            client.select("INBOX", readonly=True)
            status, data = client.fetch("1:*", "(FLAGS)")
            return [part for part in data if isinstance(part, bytes)]
        finally:
            client.logout()


# ------------------------------------------------------------------------------------------------ a lying IMAP server


@dataclass
class FakeMessage:
    """A message on the lying server: what it says about it (`size` for RFC822.SIZE, `literal` for the size of the
    body's literal, None for the truth) and what it sends (the message, then filler up to the literal's size)."""

    uid: int
    raw: bytes
    arrived: dt.datetime
    size: int | None = None
    literal: int | None = None
    header_literal: int | None = None


class LyingImap:
    """A small IMAP4rev1 server on loopback, plain text, just enough for fazhi's client (CAPABILITY, LOGIN, EXAMINE,
    UID SEARCH, UID FETCH, LOGOUT), that may lie about a message's size or send a literal of any size. It counts the
    literal bytes it managed to hand over (`sent`, by UID) and the connections made (`connections`)."""

    def __init__(self, messages: list[FakeMessage], uidvalidity: int = 7, flood: int = 0) -> None:
        self.messages = {m.uid: m for m in messages}
        self.uidvalidity = uidvalidity
        self.flood = flood  # untagged lines sent before each FETCH's answer (a server that never stops talking)
        self.sent: dict[int, int] = {}
        self.connections = 0
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                owner.connections += 1
                with contextlib.suppress(OSError):
                    owner._serve(self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer((HOST, 0), Handler, bind_and_activate=True)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LyingImap:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, rfile, wfile) -> None:
        wfile.write(b"* OK [CAPABILITY IMAP4rev1] fake server ready\r\n")
        while True:
            line = rfile.readline(65536)
            if not line:
                return
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, args = rest.partition(b" ")
            command = command.upper()
            if command == b"CAPABILITY":
                wfile.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")
            elif command in (b"EXAMINE", b"SELECT"):
                wfile.write(f"* {len(self.messages)} EXISTS\r\n* OK [UIDVALIDITY {self.uidvalidity}] UIDs valid\r\n"
                            .encode())
            elif command == b"UID" and args.upper().startswith(b"SEARCH"):
                wfile.write(b"* SEARCH " + " ".join(str(uid) for uid in sorted(self.messages)).encode() + b"\r\n")
            elif command == b"UID" and args.upper().startswith(b"FETCH"):
                self._fetch(wfile, args.split(b" ", 2)[1].decode(), b"HEADER.FIELDS" in args.upper())
            elif command == b"LOGOUT":
                wfile.write(b"* BYE bye\r\n" + tag + b" OK LOGOUT completed\r\n")
                return
            wfile.write(tag + b" OK " + command + b" completed\r\n")
            wfile.flush()

    def _fetch(self, wfile, uids: str, header: bool) -> None:
        for _ in range(self.flood):
            wfile.write(b"* 1 EXISTS\r\n")
        for number, uid in enumerate(sorted(self.messages), 1):
            if uid not in _uid_set(uids):
                continue
            message = self.messages[uid]
            when = message.arrived.strftime("%d-%b-%Y %H:%M:%S %z")
            if header:
                head = message.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                size = message.size if message.size is not None else len(message.raw)
                prefix = f'* {number} FETCH (UID {uid} INTERNALDATE "{when}" RFC822.SIZE {size} BODY[HEADER.FIELDS ' \
                         f'(FROM SUBJECT MESSAGE-ID CONTENT-TYPE DATE)] '
                self._literal(wfile, prefix.encode(), head, message.header_literal, None)
            else:
                self._literal(wfile, f"* {number} FETCH (UID {uid} BODY[] ".encode(), message.raw, message.literal,
                              uid)

    def _literal(self, wfile, prefix: bytes, data: bytes, declared: int | None, uid: int | None) -> None:
        """`prefix {n}` then n bytes: the data, then filler when the server claims more than it has."""
        size = len(data) if declared is None else declared
        wfile.write(prefix + f"{{{size}}}\r\n".encode())
        sent, piece = 0, data[:size]
        filler = b"x" * 65536
        while sent < size:
            chunk = piece if piece else filler[: size - sent]
            piece = b""
            wfile.write(chunk)
            sent += len(chunk)
            if uid is not None:
                self.sent[uid] = sent
        wfile.write(b")\r\n")


def _uid_set(text: str) -> set[int]:
    """The UIDs of an IMAP set such as 1:5,9 (no '*')."""
    found: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition(":")
        found.update(range(int(first), int(last or first) + 1))
    return found
