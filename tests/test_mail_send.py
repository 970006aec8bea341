"""`fazhi send` and `fazhi remind` against a real SMTP server on loopback (aiosmtpd): plain, STARTTLS and implicit
TLS with a throwaway certificate the client must verify, login, refused recipients, messages too large, a kill
half way, dry runs; and what `fazhi status` then shows."""

from __future__ import annotations

import email.header
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mail_servers import PASSWORD, SmtpServer, free_port, mail_settings, make_certificates
from workbook_helpers import varied_answers

from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.workbook.filler import fill_workbook

OFFICE = "fazhiban@example.invalid"
UNITS = ("区发改局", "元坝镇", "区司法局")
ADDRESSES = {"区发改局": "unit03@example.invalid", "区司法局": "unit08@example.invalid"}


@pytest.fixture
def certs(tmp_path):
    return make_certificates(tmp_path / "certs")


@pytest.fixture
def generated(workspace, cli) -> Path:
    """The sample campaign with the workbooks of UNITS generated (the others only where a test needs them)."""
    assert cli("generate", *[a for u in UNITS for a in ("--unit", u)], "-w", workspace).code == 0
    return workspace


def configure(workspace: Path, server: SmtpServer, certs=None, user: str | None = None, **more) -> None:
    settings = {"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_security": server.security,
                "send_interval": 0, "timeout": 5, **more}
    if certs is not None:
        settings["ca_file"] = str(certs.ca_file)
    if user is not None:
        settings["user"] = user
    mail_settings(workspace, **settings)


def sent_rows(workspace: Path) -> list[tuple]:
    with sqlite3.connect(workspace / "fazhi.db") as db:
        return db.execute("SELECT kind, unit, outcome, recipients, attachment_sha256, message_id, error "
                          "FROM mail_sent ORDER BY id").fetchall()


def test_send_delivers_one_message_per_unit_with_the_workbook_under_its_chinese_name(generated, cli, monkeypatch):
    with SmtpServer(None) as server:
        configure(generated, server)
        result = cli("send", *[a for u in UNITS for a in ("--unit", u)], "-w", generated)
        assert result.code == 0, result.err
        assert len(server.sink.received) == 3
        for unit in UNITS:
            (got,) = [r for r in server.sink.received if unit in r.message["To"]]
            message = got.message
            assert got.sender == OFFICE
            assert got.recipients == [message["To"].addresses[0].addr_spec]
            assert str(message["Subject"]) == f"【请于2017年12月10日前报送】2017年度法治政府建设考核自评表——{unit}"
            body = message.get_body(("plain",)).get_content()
            assert unit in body and "2017年12月10日" in body and "自评得分" in body
            (attachment,) = list(message.iter_attachments())
            name = f"2017年度法治政府建设自评表_{unit}.xlsx"
            assert attachment.get_filename() == name  # RFC 2231 filename*
            raw_name = attachment.get_param("name", header="content-type")  # RFC 2047 in Content-Type name
            decoded = email.header.decode_header(str(raw_name))
            assert b"".join(p if isinstance(p, bytes) else p.encode() for p, _ in decoded).decode() == name
            assert "filename*=utf-8''" in got.data.decode("ascii")
            assert attachment.get_content() == (generated / "outbox" / name).read_bytes()
        assert ADDRESSES["区发改局"] in [r.recipients[0] for r in server.sink.received]
        rows = sent_rows(generated)
        assert [(r[0], r[2]) for r in rows] == [("send", "sent")] * 3
        assert {r[1] for r in rows} == set(UNITS) and all(len(r[4]) == 64 for r in rows)
        again = cli("send", *[a for u in UNITS for a in ("--unit", u)], "-w", generated)
        assert again.code == 0 and len(server.sink.received) == 3 and "此前已发送,跳过" in again.out
        resent = cli("send", "--unit", "区发改局", "--resend", "-w", generated)
        assert resent.code == 0 and len(server.sink.received) == 4
    status = cli("status", "--json", "-w", generated).json()
    mail = {m["unit"]: m for m in status["mail"]}
    assert mail["区发改局"]["sent_at"].startswith("2017-12-05T10:00") and mail["区统计局"]["sent_at"] is None
    shown = cli("status", "-w", generated)
    assert "邮件:下发、催报和回复" in shown.out and "2017-12-05 10:00" in shown.out


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_send_over_tls_verifies_the_servers_certificate_and_logs_in(generated, cli, certs, monkeypatch, security):
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    with SmtpServer(certs, security, user=OFFICE) as server:
        configure(generated, server, certs, user=OFFICE)
        result = cli("send", "--unit", "区发改局", "-w", generated)
        assert result.code == 0, result.err
        assert [r.recipients for r in server.sink.received] == [[ADDRESSES["区发改局"]]]


def test_a_certificate_that_does_not_verify_stops_before_anything_is_sent(generated, cli, certs, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    other = make_certificates(tmp_path / "other", "另一个")
    with SmtpServer(certs, "starttls", user=OFFICE) as server:
        configure(generated, server, other, user=OFFICE)
        result = cli("send", "--unit", "区发改局", "-w", generated)
        assert result.code == 1
        assert "证书未通过验证" in result.err and "未改用明文" in result.err and "Traceback" not in result.err
        assert server.sink.received == [] and sent_rows(generated) == []


def test_a_wrong_password_is_said_in_chinese_and_nothing_is_recorded(generated, cli, certs, monkeypatch):
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", "wrong")
    with SmtpServer(certs, "starttls", user=OFFICE) as server:
        configure(generated, server, certs, user=OFFICE)
        result = cli("send", "-w", generated)
        assert result.code == 1 and "用户名或密码错误" in result.err
        assert server.sink.received == [] and sent_rows(generated) == []


def test_an_unreachable_server_is_said_in_chinese(generated, cli):
    mail_settings(generated, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_port": free_port(),
                                "smtp_security": "none", "timeout": 3})
    result = cli("send", "-w", generated)
    assert result.code == 1 and "拒绝连接" in result.err and sent_rows(generated) == []


def test_plain_text_is_refused_for_a_server_that_is_not_on_this_machine(generated, cli):
    mail_settings(generated, **{"from": OFFICE, "smtp_host": "smtp.example.gov.cn", "smtp_security": "none"})
    result = cli("send", "--dry-run", "-w", generated)
    assert result.code == 2 and "只能用于本机服务器" in result.err


def test_one_units_refusal_is_reported_and_the_rest_go_on(generated, cli):
    with SmtpServer(None) as server:
        server.sink.refuse_recipients.add(ADDRESSES["区发改局"])
        server.sink.too_large_for.add(ADDRESSES["区司法局"])
        configure(generated, server)
        result = cli("send", *[a for u in UNITS for a in ("--unit", u)], "-w", generated)
        assert result.code == 1
        assert "收件地址被服务器拒绝" in result.out and "User unknown" in result.out
        assert "邮件过大" in result.out
        assert [r.recipients for r in server.sink.received] == [["unit31@example.invalid"]]
        rows = {r[1]: r for r in sent_rows(generated)}
        assert rows["元坝镇"][2] == "sent" and rows["区发改局"][2] == "failed" and rows["区司法局"][2] == "failed"
        assert "552" in rows["区司法局"][6]
        server.sink.refuse_recipients.clear()
        server.sink.too_large_for.clear()
        rerun = cli("send", *[a for u in UNITS for a in ("--unit", u)], "-w", generated)
        assert rerun.code == 0, rerun.out
        assert sorted(r.recipients[0] for r in server.sink.received) == sorted(
            [*ADDRESSES.values(), "unit31@example.invalid"])


def test_a_server_size_limit_refuses_each_message_clearly(generated, cli):
    with SmtpServer(None, data_size_limit=2000) as server:
        configure(generated, server)
        result = cli("send", "--unit", "区发改局", "--unit", "元坝镇", "-w", generated)
        assert result.code == 1 and result.out.count("邮件过大") == 2 and server.sink.received == []


def test_dry_run_writes_eml_files_and_sends_and_records_nothing(generated, cli):
    assert cli("generate", "--type", "township", "-w", generated).code == 0
    result = cli("send", "--type", "township", "--dry-run", "-w", generated)
    assert result.code == 0, result.err
    files = sorted((generated / "outbox" / "mail").glob("*.eml"))
    assert len(files) == 25 and (generated / "outbox" / "mail" / "元坝镇_下发.eml") in files
    assert sent_rows(generated) == [] and "未发送任何邮件" in result.err
    ingest = cli("ingest", generated / "outbox", "-w", generated)  # fazhi's own folder: skipped, never taken
    assert "已跳过" in ingest.out


def test_several_roster_addresses_each_get_the_message(cli, tmp_path):
    roster = tmp_path / "units.csv"
    roster.write_text("单位名称,单位类型,联系人,联系电话,电子邮箱\n"
                      "区发改局,区级部门,刘英,1,a@example.invalid; b@example.invalid\n"
                      "元坝镇,乡镇(街道),张三,2,c@example.invalid\n", "utf-8")
    root = tmp_path / "ws"
    assert cli("init", root, "--units", roster).code == 0
    assert cli("generate", "-w", root).code == 0
    with SmtpServer(None) as server:
        configure(root, server)
        assert cli("send", "--unit", "区发改局", "-w", root).code == 0
        assert server.sink.received[0].recipients == ["a@example.invalid", "b@example.invalid"]


def test_a_malformed_roster_address_is_named_at_init(cli, tmp_path):
    roster = tmp_path / "units.csv"
    roster.write_text("单位名称,单位类型,联系人,联系电话,电子邮箱\n区发改局,区级部门,刘英,1,a@example.invalid;刘英@单位\n",
                      "utf-8")
    result = cli("init", tmp_path / "ws", "--units", roster)
    assert result.code == 2 and "第 2 行" in result.err and "刘英@单位" in result.err


def test_a_send_killed_half_way_and_run_again_sends_every_unit_exactly_once(generated, tmp_path):
    """A real `fazhi send` process, killed while the server holds its 21st message; the rerun sends the rest.
    The processes run outside the source tree (cwd=tmp_path), so that they import the installed package."""
    assert subprocess.run([sys.executable, "-m", "fazhi_cli", "generate", "-w", str(generated)], cwd=tmp_path,
                          capture_output=True, timeout=300).returncode == 0
    with SmtpServer(None) as server:
        configure(generated, server)
        server.sink.hold_after = 20
        env = {**os.environ, "FAZHI_NOW": "2017-12-05T10:00:00+08:00"}
        command = [sys.executable, "-m", "fazhi_cli", "send", "-w", str(generated)]
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert server.sink.holding.wait(120), process.stderr.read() if process.poll() is not None else "no 21st"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert len(server.sink.received) == 20 and len(sent_rows(generated)) == 20
        server.sink.hold_after = None
        server.sink.release.set()
        time.sleep(0.1)
        rerun = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        assert "此前已发送,跳过 20" in rerun.stdout
    recipients = [r.recipients[0] for r in server.sink.received]
    assert len(recipients) == 54 and len(set(recipients)) == 54  # the 54 assessed units
    rows = sent_rows(generated)
    assert len(rows) == 54 and {r[2] for r in rows} == {"sent"} and len({r[1] for r in rows}) == 54


def test_remind_sends_the_blank_workbook_to_units_missing_and_the_annotated_return_to_units_with_errors(
        generated, cli, tmp_path):
    rubric = builtin_rubric()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    answers = varied_answers(rubric, "department", 3)
    answers.scores["1.1"] = "八分"  # an error the unit must correct
    fill_workbook(generated / "outbox" / "2017年度法治政府建设自评表_区发改局.xlsx", inbox / "发改局.xlsx", answers)
    assert cli("ingest", inbox, "-w", generated).code in (0, 1)
    with SmtpServer(None) as server:
        configure(generated, server)
        result = cli("remind", "--unit", "区发改局", "--unit", "区司法局", "-w", generated)
        assert result.code == 0, result.err
        by_unit = {r.recipients[0]: r.message for r in server.sink.received}
        missing = by_unit[ADDRESSES["区司法局"]]
        assert str(missing["Subject"]).startswith("【催报】")
        assert "尚未收到" in missing.get_body(("plain",)).get_content()
        assert next(missing.iter_attachments()).get_filename() == "2017年度法治政府建设自评表_区司法局.xlsx"
        errors = by_unit[ADDRESSES["区发改局"]]
        body = errors.get_body(("plain",)).get_content()
        assert str(errors["Subject"]).startswith("【请修改后重新报送】") and "1." in body and "八分" in body
        attachment = next(errors.iter_attachments())
        assert attachment.get_filename() == "2017年度法治政府建设自评表_区发改局_修改意见.xlsx"
        assert attachment.get_content() == (generated / "returns" / attachment.get_filename()).read_bytes()
        again = cli("remind", "--unit", "区发改局", "--unit", "区司法局", "-w", generated)
        assert again.code == 0 and len(server.sink.received) == 2 and "今天已就同一情况催报过" in again.out
    status = cli("status", "--json", "-w", generated).json()
    assert {m["unit"]: m["reminders"] for m in status["mail"]}["区司法局"] == 1


def test_remind_dry_run_and_a_workspace_template_override(generated, cli):
    override = generated / "templates" / "mail"
    override.mkdir(parents=True)
    (override / "remind_subject.j2").write_text("请尽快报送:{{ unit.name }}", "utf-8")
    result = cli("remind", "--dry-run", "-w", generated)
    assert result.code == 1 and "未发送 51" in result.out  # only UNITS have their blank workbooks
    written = list((generated / "outbox" / "mail").glob("*_催报.eml"))
    assert len(written) == 3 and sent_rows(generated) == []
    import email as email_module
    import email.policy as policy

    message = email_module.message_from_bytes((generated / "outbox" / "mail" / "元坝镇_催报.eml").read_bytes(),
                                              policy=policy.default)
    assert str(message["Subject"]) == "请尽快报送:元坝镇"
