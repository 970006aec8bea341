"""`fazhi fetch` against Debian's dovecot on loopback (IMAPS with a throwaway certificate): replies from units taken
once each at the server's arrival time, the identity conflict held, the limits applied, nothing changed on the
server; and `fazhi ingest` of a Maildir folder."""

from __future__ import annotations

import base64
import datetime as dt
import mailbox
import re
import sqlite3
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from mail_servers import PASSWORD, Dovecot, mail_settings, make_certificates
from workbook_helpers import varied_answers

from fazhi_cli.demo.units import _write_zip
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.store import MIGRATIONS, SCHEMA_MAIL_DIGEST
from fazhi_cli.workbook.filler import fill_workbook

CHINA = dt.timezone(dt.timedelta(hours=8))
OFFICE = "fazhiban@example.invalid"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLED = {"区发改局": "department", "区司法局": "department", "元坝镇": "township", "卫子镇": "township"}


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2017, month, day, hour, minute, tzinfo=CHINA)


def mail(sender: str, subject: str, sent: dt.datetime, attachments: list[tuple[str, bytes]] = (),
         body: str = "请查收。") -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, OFFICE, subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<{abs(hash((sender, subject, sent)))}@example.invalid>"
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = (XLSX if name.endswith(".xlsx") else "application/octet-stream").split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def gb2312_reply(sender: str, data: bytes, sent: dt.datetime) -> bytes:
    """A reply as an old Chinese client writes it: the attachment name an RFC 2047 word in GB2312, quoted."""
    word = "=?gb2312?B?" + base64.b64encode("区发改局自评表(定稿).xlsx".encode("gb2312")).decode() + "?="
    payload = base64.encodebytes(data).decode()
    return (f"From: {sender}\r\nTo: {OFFICE}\r\nSubject: =?gb2312?B?"
            f"{base64.b64encode('回复:自评表'.encode('gb2312')).decode()}?=\r\n"
            f"Date: {format_datetime(sent)}\r\nMessage-ID: <gb2312-reply@example.invalid>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=gb2312\r\n"
            f"\r\n\r\n--XX\r\nContent-Type: {XLSX}; name=\"{word}\"\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename=\"{word}\"\r\n\r\n{payload}\r\n--XX--\r\n").encode("ascii")


@pytest.fixture
def campaign(workspace, cli, tmp_path) -> dict:
    """The sample campaign, four units' workbooks filled in, and the certificates of the mail server."""
    assert cli("generate", *[a for u in FILLED for a in ("--unit", u)], "-w", workspace).code == 0
    rubric = builtin_rubric()
    filled = {}
    for number, (unit, unit_type) in enumerate(FILLED.items()):
        target = tmp_path / "filled" / f"{unit}.xlsx"
        target.parent.mkdir(exist_ok=True)
        fill_workbook(workspace / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", target,
                      varied_answers(rubric, unit_type, number))
        filled[unit] = target
    certs = make_certificates(tmp_path / "certs")
    return {"root": workspace, "filled": filled, "certs": certs, "tmp": tmp_path}


def configure(root: Path, server: Dovecot, ca_file: Path, port: int | None = None, security: str = "ssl") -> None:
    mail_settings(root, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_security": "none",
                           "imap_host": "127.0.0.1", "imap_port": port or server.ssl_port, "imap_security": security,
                           "user": server.user, "ca_file": str(ca_file), "timeout": 10})


def fill_mailbox(server: Dovecot, filled: dict[str, Path], tmp: Path) -> None:
    data = {unit: path.read_bytes() for unit, path in filled.items()}
    server.append(gb2312_reply("unit03@example.invalid", data["区发改局"], at(6, 9, 10)), at(6, 9, 15))
    zipped = tmp / "乡镇.zip"
    _write_zip(zipped, {"元坝镇": filled["元坝镇"]}, at(7, 16))
    zip_reply = mail("unit31@example.invalid", "元坝镇自评表", at(7, 16, 30), [("元坝镇材料.zip", zipped.read_bytes())])
    server.append(zip_reply, at(7, 16, 40))
    server.append(mail("unit23@example.invalid", "区环保局自评表", at(8, 11), [("自评表.xlsx", data["区司法局"])]),
                  at(8, 11, 5))
    server.append(mail("unit08@example.invalid", "自评表明天报送", at(9, 8)), at(9, 8, 1))
    server.append(mail("unit32@example.invalid", "卫子镇自评表", at(10, 23, 50), [("卫子镇.xlsx", data["卫子镇"])]),
                  at(12, 10))  # sent before the deadline by its Date, received after it
    many = [(f"照片{n}.jpg", b"\xff\xd8\xff" + bytes([n % 256]) * 20) for n in range(200)]
    server.append(mail("unit20@example.invalid", "区商务局佐证材料", at(8, 15), many), at(8, 15, 2))
    server.append(mail("news@example.invalid", "政务简报", at(8, 9), [("简报.pdf", b"%PDF-1.4\n%%EOF\n")]), at(8, 9))
    server.append(mail("unit03@example.invalid", "去年的自评表", at(1, 9, month=1), [("旧.xlsx", data["区发改局"])]),
                  at(1, 9, month=1).replace(year=2016))
    for number in range(300):
        server.append(mail(f"list{number}@example.invalid", f"通知 {number}", at(5, 8)), at(5, 8))


def test_fetch_takes_each_reply_once_at_the_servers_time_and_changes_nothing_on_the_server(campaign, cli,
                                                                                           monkeypatch):
    root, certs = campaign["root"], campaign["certs"]
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("FAZHI_NOW", "2017-12-13T09:00:00+08:00")
    with Dovecot(campaign["tmp"], certs) as server:
        fill_mailbox(server, campaign["filled"], campaign["tmp"])
        configure(root, server, certs.ca_file)
        flags_before = server.flags()
        result = cli("fetch", "-w", root)
        assert result.code == 1, result.err  # a held file, a refused message, a unit's message without attachment
        assert "另有 301 封与考核无关的邮件" in result.out
        assert "区司法局 的邮件「自评表明天报送」没有附件" in result.err
        with sqlite3.connect(root / "fazhi.db") as db:
            received = dict(db.execute("SELECT unit, received_at FROM submissions"))
            held = db.execute("SELECT unit, other_unit, sender, original_name FROM files WHERE outcome = 'held'"
                              ).fetchall()
            refused = db.execute("SELECT code FROM files WHERE outcome = 'refused'").fetchall()
            names = {row[0] for row in db.execute("SELECT original_name FROM files")}
            examined = db.execute("SELECT COUNT(*) FROM mail_fetched").fetchone()[0]
        assert received == {"区发改局": "2017-12-06T09:15:00+08:00", "元坝镇": "2017-12-07T16:40:00+08:00",
                            "卫子镇": "2017-12-12T10:00:00+08:00"}
        assert held == [("区司法局", "区环保局", "unit23@example.invalid", "自评表.xlsx")]
        assert refused == [("too_many_attachments",)]
        assert "区发改局自评表(定稿).xlsx" in names and "元坝镇自评表.xlsx" in names
        assert examined == 307  # every message since 1 January, each once (last year's is not looked at)
        assert server.flags() == flags_before and not any(b"\\Seen" in f for f in flags_before + server.flags())
        again = cli("fetch", "-w", root)
        assert again.code == 0, again.err
        assert "以来没有需要收取的新邮件" in again.out and "307 封邮件以前已经查看过" in again.out
        with sqlite3.connect(root / "fazhi.db") as db:
            assert db.execute("SELECT COUNT(*) FROM mail_fetched").fetchone()[0] == 307
            assert {row[0] for row in db.execute("SELECT original_name FROM files")} == names
    findings = cli("validate", "--json", "-w", root).json()["findings"]
    assert any(f["unit"] == "卫子镇" and f["code"] == "late" for f in findings)
    assert not any(f["unit"] in ("区发改局", "元坝镇") and f["code"] == "late" for f in findings)
    status = {m["unit"]: m for m in cli("status", "--json", "-w", root).json()["mail"]}
    assert status["区发改局"]["replied_at"] == "2017-12-06T09:15:00+08:00"
    assert status["区发改局"]["replied_by"] == "unit03@example.invalid"
    assert status["元坝镇"]["replied_by"] == "unit31@example.invalid"
    assert status["区司法局"]["replied_at"] is None  # its form came from 区环保局's address: held, not its reply
    assert status["区环保局"]["replied_by"] == "unit23@example.invalid"


def test_fetch_since_a_date_and_plain_imap_on_loopback(campaign, cli, monkeypatch):
    root, certs = campaign["root"], campaign["certs"]
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    with Dovecot(campaign["tmp"], certs) as server:
        fill_mailbox(server, campaign["filled"], campaign["tmp"])
        configure(root, server, certs.ca_file, port=server.port, security="none")
        result = cli("fetch", "--since", "2017-12-10", "-w", root)
        assert result.code == 0, result.err
        with sqlite3.connect(root / "fazhi.db") as db:
            assert dict(db.execute("SELECT unit, received_at FROM submissions")) == {
                "卫子镇": "2017-12-12T10:00:00+08:00"}
        assert cli("fetch", "--since", "12/10", "-w", root).code == 2


def test_a_wrong_password_or_a_certificate_that_does_not_verify_takes_nothing(campaign, cli, monkeypatch):
    root, certs = campaign["root"], campaign["certs"]
    other = make_certificates(campaign["tmp"] / "other", "另一个")
    with Dovecot(campaign["tmp"], certs) as server:
        fill_mailbox(server, campaign["filled"], campaign["tmp"])
        configure(root, server, other.ca_file)
        monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
        result = cli("fetch", "-w", root)
        assert result.code == 1 and "证书未通过验证" in result.err and "未改用明文" in result.err
        monkeypatch.setenv("FAZHI_MAIL_PASSWORD", "wrong")
        configure(root, server, certs.ca_file)
        wrong = cli("fetch", "-w", root)
        assert wrong.code == 1 and "用户名或密码错误" in wrong.err
    for run in (result, wrong):
        assert "Traceback" not in run.err
    with sqlite3.connect(root / "fazhi.db") as db:
        assert db.execute("SELECT COUNT(*) FROM mail_fetched").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0


def test_ingest_takes_a_maildir_folder_and_skips_the_mail_servers_own_files(campaign, cli):
    root, filled = campaign["root"], campaign["filled"]
    folder = campaign["tmp"] / "导出的邮箱"
    box = mailbox.Maildir(folder, create=True)
    workbook = filled["区发改局"].read_bytes()
    box.add(mail("unit03@example.invalid", "区发改局自评表", at(6, 9), [("区发改局.xlsx", workbook)]))
    box.add(mail("unit31@example.invalid", "元坝镇", at(7, 9), [("元坝镇.xlsx", filled["元坝镇"].read_bytes())]))
    (folder / "dovecot-uidlist").write_text("3 V1512345 N3\n", "utf-8")
    (folder / "dovecot.index.log").write_bytes(b"\x01\x02binary")
    (folder / "tmp" / "1512.unfinished").write_bytes(b"From: x")
    result = cli("ingest", folder, "-w", root)
    assert result.code == 0, result.out
    with sqlite3.connect(root / "fazhi.db") as db:
        assert {row[0] for row in db.execute("SELECT unit FROM submissions")} == {"区发改局", "元坝镇"}
        senders = {row[0] for row in db.execute("SELECT sender FROM files WHERE outcome = 'taken'")}
        assert senders == {"unit03@example.invalid", "unit31@example.invalid"}
        assert db.execute("SELECT COUNT(*) FROM files WHERE outcome = 'refused'").fetchone()[0] == 0


def test_fetch_holds_a_strangers_copy_of_a_units_return_and_opens_a_forward_attached_in_base64(campaign, cli,
                                                                                                 monkeypatch):
    """Issue 20, points 3 and 6, through the server: 区司法局's return from its own address, then a copy of its
    form from an address off the roster (held, 待确认); 区发改局's return forwarded as a base64 message/rfc822."""
    root, certs, filled = campaign["root"], campaign["certs"], campaign["filled"]
    justice = filled["区司法局"].read_bytes()
    copy = campaign["tmp"] / "copy.xlsx"
    fill_workbook(root / "outbox" / "2017年度法治政府建设自评表_区司法局.xlsx", copy,
                  varied_answers(builtin_rubric(), "department", 7))
    original = EmailMessage()
    original.set_content("附件")
    original["From"], original["Subject"] = "unit03@example.invalid", "区发改局自评表"
    original.add_attachment(filled["区发改局"].read_bytes(), maintype="application", subtype=XLSX.split("/")[1],
                            filename="区发改局自评表.xlsx")
    forward = EmailMessage()
    forward["From"], forward["To"], forward["Subject"] = "区发改局 <unit03@example.invalid>", OFFICE, "转发:自评表"
    forward["Date"], forward["Message-ID"] = format_datetime(at(6, 9)), "<forward@example.invalid>"
    forward.set_content("转发自评表,请查收。")
    forward.add_attachment(bytes(original), maintype="message", subtype="rfc822", cte="base64", filename="自评表.eml")
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("FAZHI_NOW", "2017-12-09T09:00:00+08:00")
    with Dovecot(campaign["tmp"], certs) as server:
        server.append(mail("区司法局 <unit08@example.invalid>", "区司法局自评表", at(5, 9),
                           [("区司法局自评表.xlsx", justice)]), at(5, 9, 5))
        server.append(mail("张三 <someone@qq.example>", "修改意见", at(6, 15), [("修改意见.xlsx", copy.read_bytes())]),
                      at(6, 15, 5))
        server.append(bytes(forward), at(6, 9, 5))
        configure(root, server, certs.ca_file)
        result = cli("fetch", "-w", root)
    assert result.code == 1, result.out + result.err
    with sqlite3.connect(root / "fazhi.db") as db:
        files = {name: (outcome, code, unit) for name, outcome, code, unit in db.execute(
            "SELECT original_name, outcome, code, unit FROM files WHERE kind = 'xlsx'")}
    assert files == {"区司法局自评表.xlsx": ("taken", "taken", "区司法局"),
                     "修改意见.xlsx": ("held", "sender_off_roster", "区司法局"),
                     "区发改局自评表.xlsx": ("taken", "taken", "区发改局")}
    listed = {f["original_name"]: f["state"] for f in cli("files", "--json", "-w", root).json()["files"]}
    assert listed["修改意见.xlsx"] == "held" and listed["区司法局自评表.xlsx"] == "current"
    assert "待确认" in cli("status", "-w", root).out


def with_message_id(raw: bytes, message_id: str) -> bytes:
    """The message with its Message-ID replaced (the same bytes otherwise)."""
    head, _, body = raw.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.lower().startswith(b"message-id:")]
    return b"\n".join(lines + [f"Message-ID: {message_id}".encode()]) + b"\n\n" + body


def test_a_message_id_alone_does_not_make_a_message_taken_before(campaign, cli, monkeypatch):
    root, certs, filled = campaign["root"], campaign["certs"], campaign["filled"]
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("FAZHI_NOW", "2017-12-13T09:00:00+08:00")
    reused = "<reused@example.invalid>"
    first = with_message_id(mail("unit03@example.invalid", "区发改局自评表", at(6, 9),
                                 [("区发改局.xlsx", filled["区发改局"].read_bytes())]), reused)
    other_sender = with_message_id(mail("unit31@example.invalid", "元坝镇自评表", at(7, 9),
                                        [("元坝镇.xlsx", filled["元坝镇"].read_bytes())]), reused)
    other_content = with_message_id(mail("unit03@example.invalid", "区发改局自评表", at(6, 9),
                                         [("区发改局.xlsx", filled["区发改局"].read_bytes())], body="更正后的说明。"),
                                    reused)
    with Dovecot(campaign["tmp"], certs) as server:
        configure(root, server, certs.ca_file)
        server.append(first, at(6, 9, 5))
        server.append(first, at(6, 9, 6))  # the same message twice in one run: taken once
        assert cli("fetch", "-w", root).code == 0
        for raw, arrived in ((other_sender, at(7, 9, 5)), (other_content, at(8, 9)), (first, at(9, 9))):
            server.append(raw, arrived)
        result = cli("fetch", "-w", root)
        assert result.code == 0, result.err
    with sqlite3.connect(root / "fazhi.db") as db:
        rows = db.execute("SELECT uid, sender, outcome, note, content_sha256 FROM mail_fetched ORDER BY uid").fetchall()
        units = {row[0] for row in db.execute("SELECT unit FROM submissions")}
    assert [(uid, outcome) for uid, _, outcome, _, _ in rows] == [
        (1, "ingested"), (2, "duplicate"), (3, "ingested"), (4, "ingested"), (5, "duplicate")]
    assert units == {"区发改局", "元坝镇"}  # 元坝镇's reply, under a Message-ID 区发改局 had used, is taken
    assert "发件人或内容不同" in rows[2][3] and "发件人或内容不同" in rows[3][3]
    assert rows[0][4] == rows[1][4] == rows[4][4] != rows[3][4] and len(rows[0][4]) == 64


def test_a_store_of_the_previous_version_gets_the_content_hash_column(workspace, cli):
    with sqlite3.connect(workspace / "fazhi.db") as db:
        db.execute("ALTER TABLE mail_fetched DROP COLUMN content_sha256")
        for later in MIGRATIONS[MIGRATIONS.index(SCHEMA_MAIL_DIGEST) + 1:]:  # the store as that version left it
            for table in re.findall(r"CREATE TABLE (\w+)", later):
                db.execute(f"DROP TABLE {table}")
            for table, column in re.findall(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", later):
                db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        db.execute("INSERT INTO mail_fetched (time, folder, uidvalidity, uid, message_id, outcome) "
                   "VALUES ('t', 'INBOX', 1, 1, '<a@b>', 'ingested')")
        db.execute(f"PRAGMA user_version = {MIGRATIONS.index(SCHEMA_MAIL_DIGEST)}")
    assert cli("status", "-w", workspace).code in (0, 1)
    with sqlite3.connect(workspace / "fazhi.db") as db:
        assert db.execute("SELECT message_id, content_sha256 FROM mail_fetched").fetchall() == [("<a@b>", "")]
