"""The `[mail]` settings (pure rules) and the wording of network failures."""

from __future__ import annotations

import socket
from decimal import Decimal

import pytest

from fazhi_cli.domain.mail import is_loopback, mail_settings_from
from fazhi_cli.mail.connect import network_problem


def test_defaults_and_ports_follow_the_security():
    settings = mail_settings_from({"from": "a@b.cn", "smtp_host": "smtp.b.cn", "smtp_security": "starttls",
                                   "imap_host": "imap.b.cn"})
    assert (settings.smtp_port, settings.imap_port, settings.imap_folder) == (587, 993, "INBOX")
    assert settings.send_interval == Decimal(1) and settings.configured
    assert not mail_settings_from({}).configured


@pytest.mark.parametrize(("table", "words"), [
    ({"smtp_host": "smtp.b.cn", "smtp_security": "none"}, "只能用于本机服务器"),
    ({"imap_host": "10.0.0.5", "imap_security": "none"}, "只能用于本机服务器"),
    ({"smtp_security": "tls"}, "应为 ssl、starttls 或 none"),
    ({"smtp_port": 70000}, "1 至 65535"),
    ({"send_interval": -1}, "0 至 3600"),
    ({"from": "法制办"}, "不是电子邮箱地址"),
    ({"password": "x"}, "没有“password”这一项"),
])
def test_wrong_settings_are_named(table, words):
    with pytest.raises(ValueError, match=words):
        mail_settings_from(table)


def test_plain_text_is_allowed_on_this_machine_only():
    assert all(is_loopback(h) for h in ("localhost", "127.0.0.1", "127.5.5.5", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("smtp.example.gov.cn", "10.0.0.1", "localhost.example.cn"))
    assert mail_settings_from({"smtp_host": "127.0.0.1", "smtp_security": "none"}).smtp_port == 25


def test_a_broken_mail_table_in_fazhi_toml_is_a_workspace_error(workspace, cli):
    path = workspace / "fazhi.toml"
    path.write_text(path.read_text("utf-8") + '\n[mail]\nsmtp_security = "tls"\n', "utf-8")
    result = cli("status", "-w", workspace)
    assert result.code == 2 and "smtp_security" in result.err and "Traceback" not in result.err


def test_network_failures_are_said_in_chinese():
    assert "找不到邮件服务器 smtp.nowhere" in network_problem(socket.gaierror(-2, "Name or service not known"),
                                                       "smtp.nowhere", 465)
    assert "超时" in network_problem(TimeoutError(), "127.0.0.1", 465)
