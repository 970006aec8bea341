"""`fazhi send --rectify` and `fazhi remind --rectify` through a real SMTP server on loopback (aiosmtpd): each unit
that lost points gets its 整改清单 with the deadline and its items; reminders go only to units with items neither
reported nor closed; nothing twice."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from mail_servers import PASSWORD, Dovecot, SmtpServer, mail_settings, make_certificates
from rectify_fill import fill_rectify
from rectify_helpers import DEPT, POLICE, TOWN, approved_campaign, record_report
from test_mail_fetch import CHINA, mail

from fazhi_cli.domain.rectification import DONE
from fazhi_cli.store import RectifyRow

OFFICE = "fazhiban@example.invalid"


@pytest.fixture
def generated(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_NOW", "2018-01-20T09:00:00+08:00")
    root = approved_campaign(cli, tmp_path)
    assert cli("rectify", "generate", "-w", root).code == 0
    return root


def configure(workspace, server) -> None:
    mail_settings(workspace, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_port": server.port,
                                "smtp_security": server.security, "send_interval": 0, "timeout": 5})


def sent(workspace) -> list[tuple]:
    with sqlite3.connect(workspace / "fazhi.db") as db:
        return db.execute("SELECT kind, unit, outcome FROM mail_sent ORDER BY id").fetchall()


def test_each_unit_that_lost_points_gets_its_rectification_list_once(generated, cli):
    with SmtpServer(None) as server:
        configure(generated, server)
        result = cli("send", "--rectify", "-w", generated)
        assert result.code == 0, result.err
        got = {r.message["To"].addresses[0].display_name: r.message for r in server.sink.received}
        assert set(got) == {DEPT, TOWN}  # 区公安分局 lost nothing
        message = got[DEPT]
        assert str(message["Subject"]) == ("【请于2018年3月31日前报送整改情况】2017年度法治政府建设考核整改通知——"
                                           f"{DEPT}")
        body = message.get_body(("plain",)).get_content()
        assert "2018年3月31日" in body and "特别扣分" in body and "整改措施" in body
        (attachment,) = list(message.iter_attachments())
        name = f"2017年度法治政府建设整改清单_{DEPT}.xlsx"
        assert attachment.get_filename() == name
        assert attachment.get_content() == (generated / "outbox" / "整改" / name).read_bytes()
        again = cli("send", "--rectify", "-w", generated)
        assert again.code == 0 and len(server.sink.received) == 2 and "此前已发送,跳过" in again.out
        named = cli("send", "--rectify", "--unit", POLICE, "-w", generated)
        assert named.code == 0 and "无需整改" in named.out and len(server.sink.received) == 2
    assert sent(generated) == [("rectify", DEPT, "sent"), ("rectify", TOWN, "sent")]


def test_a_reminder_goes_only_to_units_with_items_neither_reported_nor_closed(generated, cli):
    view = cli("rectify", "status", "--json", "-w", generated).json()
    dept_items = [i["ref"] for i in view["units"][0]["items"]]
    done = [RectifyRow(ref, "建立台账", DONE, dt.date(2018, 1, 19)) for ref in dept_items]
    record_report(generated, DEPT, done)  # 区发改局 reported every item 已完成
    with SmtpServer(None) as server:
        configure(generated, server)
        result = cli("remind", "--rectify", "-w", generated)
        assert result.code == 0, result.err
        assert [r.message["To"].addresses[0].display_name for r in server.sink.received] == [TOWN]
        body = server.sink.received[0].message.get_body(("plain",)).get_content()
        town_items = view["units"][1]["items"]
        assert all(item["ref"] in body for item in town_items) and "还有" in body
        again = cli("remind", "--rectify", "-w", generated)
        assert again.code == 0 and len(server.sink.received) == 1  # once a day


def test_rectify_mail_before_the_approval_is_a_usage_error(cli, tmp_path):
    root = tmp_path / "fresh"
    assert cli("init", root).code == 0
    for command in (("send", "--rectify", "--dry-run"), ("remind", "--rectify", "--dry-run")):
        result = cli(*command, "-w", root)
        assert result.code == 2 and "尚未审定" in result.err


def test_rectify_and_type_together_is_a_usage_error(generated, cli):
    result = cli("send", "--rectify", "--type", "township", "--dry-run", "-w", generated)
    assert result.code == 2 and "--rectify" in result.err


def test_a_rectify_reply_fetched_from_the_office_mailbox_is_taken_at_the_servers_time(generated, cli, tmp_path,
                                                                                    monkeypatch):
    """Debian's dovecot on loopback: 区发改局 replies with its filled 整改清单 from its own address; `fazhi fetch`
    takes it at the server's arrival time, and a stranger's copy of 元坝镇's, mailed after 元坝镇's own, is held."""
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    refs = [i["ref"] for i in cli("rectify", "status", "--json", "-w", generated).json()["units"][0]["items"]]
    done = {ref: {"整改措施": "已整改", "完成情况": "已完成", "完成时间": dt.date(2018, 1, 19)} for ref in refs}
    source = generated / "outbox" / "整改"
    dept = fill_rectify(source / f"2017年度法治政府建设整改清单_{DEPT}.xlsx", tmp_path / "发改.xlsx", done).read_bytes()
    town_refs = [i["ref"] for i in cli("rectify", "status", "--json", "-w", generated).json()["units"][1]["items"]]
    town = fill_rectify(source / f"2017年度法治政府建设整改清单_{TOWN}.xlsx", tmp_path / "元坝.xlsx",
                        {ref: {"整改措施": "推进中", "完成情况": "推进中"} for ref in town_refs}).read_bytes()
    forged = fill_rectify(source / f"2017年度法治政府建设整改清单_{TOWN}.xlsx", tmp_path / "转发.xlsx",
                          {ref: {"整改措施": "已整改", "完成情况": "已完成", "完成时间": dt.date(2018, 1, 19)}
                           for ref in town_refs}).read_bytes()
    certs = make_certificates(tmp_path / "certs")
    with Dovecot(tmp_path, certs) as server:
        sent = dt.datetime(2018, 1, 19, 15, tzinfo=CHINA)
        server.append(mail("fgj@example.invalid", "区发改局整改情况", sent, [("整改清单.xlsx", dept)]),
                      sent + dt.timedelta(minutes=5))
        server.append(mail("yb@example.invalid", "元坝镇整改情况", sent, [("元坝镇整改.xlsx", town)]),
                      sent + dt.timedelta(minutes=6))
        server.append(mail("someone@example.invalid", "转发", sent, [("元坝镇整改.xlsx", forged)]),
                      sent + dt.timedelta(minutes=7))
        mail_settings(generated, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_security": "none",
                                    "imap_host": "127.0.0.1", "imap_port": server.ssl_port, "imap_security": "ssl",
                                    "user": server.user, "ca_file": str(certs.ca_file), "timeout": 10})
        result = cli("fetch", "--since", "2018-01-16", "-w", generated)
    assert result.code in (0, 1), result.err
    with sqlite3.connect(generated / "fazhi.db") as db:
        taken = db.execute("SELECT unit, received_at FROM rectify_returns ORDER BY id").fetchall()
    assert taken == [(DEPT, "2018-01-19T15:05:00+08:00"), (TOWN, "2018-01-19T15:06:00+08:00")]
    status = {u["unit"]: u for u in cli("rectify", "status", "--json", "-w", generated).json()["units"]}
    assert {i["state"] for i in status[DEPT]["items"]} == {"reported"}
    assert {i["state"] for i in status[TOWN]["items"]} == {"in_progress"}  # the stranger's 已完成 not counted
    held = [f for f in cli("files", "--json", "-w", generated).json()["files"] if f["state"] == "held"]
    assert [(f["unit"], f["code"]) for f in held] == [(TOWN, "rectify_sender_off_roster")]
