"""`fazhi fetch` against a lying IMAP server of our own on loopback: a wrong RFC822.SIZE, literals far larger than
the limits (in the headers or the body), a server that never stops talking. The client reads no more than the
limits allow, says what happened in Chinese, goes on with the other messages, and leaves the store consistent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from mail_servers import PASSWORD, FakeMessage, LyingImap, mail_settings
from test_mail_fetch import OFFICE, at, campaign, mail  # noqa: F401  (campaign is a fixture)

MIB = 1024 * 1024
LIMIT = MIB  # [limits] file_bytes for these tests


def lying_configure(root: Path, server: LyingImap) -> None:
    """A workspace whose files may be 1 MiB at most, reading the lying server (plain IMAP on loopback)."""
    path = root / "fazhi.toml"
    text = path.read_text("utf-8")
    if "[limits]" not in text:
        path.write_text(text.split("\n[mail]\n")[0] + f"\n[limits]\nfile_bytes = {LIMIT}\n", "utf-8")
    mail_settings(root, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_security": "none",
                           "imap_host": "127.0.0.1", "imap_port": server.port, "imap_security": "none",
                           "user": "fazhiban", "timeout": 10})


def reply(setup: dict, unit: str, sender: str, day: int) -> bytes:
    return mail(sender, f"{unit}自评表", at(day, 9), [(f"{unit}.xlsx", setup["filled"][unit].read_bytes())])


def fetched(root: Path) -> dict[int, tuple[str, str]]:
    with sqlite3.connect(root / "fazhi.db") as db:
        return {uid: (outcome, note) for uid, outcome, note in db.execute(
            "SELECT uid, outcome, note FROM mail_fetched")}


def taken_units(root: Path) -> set[str]:
    with sqlite3.connect(root / "fazhi.db") as db:
        return {row[0] for row in db.execute("SELECT unit FROM submissions")}


@pytest.fixture
def lying(campaign, monkeypatch):  # noqa: F811
    monkeypatch.setenv("FAZHI_MAIL_PASSWORD", PASSWORD)
    monkeypatch.setenv("FAZHI_NOW", "2017-12-13T09:00:00+08:00")
    return campaign


def test_a_body_literal_of_a_terabyte_is_refused_unread_and_the_other_messages_are_taken(lying, cli):
    root = lying["root"]
    messages = [FakeMessage(1, reply(lying, "区发改局", "unit03@example.invalid", 6), at(6, 9), literal=10**12),
                FakeMessage(2, reply(lying, "元坝镇", "unit31@example.invalid", 7), at(7, 9))]
    with LyingImap(messages) as server:
        lying_configure(root, server)
        result = cli("fetch", "-w", root)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert server.sent[1] < 64 * MIB  # what the kernel's buffers took before the client hung up, not a terabyte
    outcome, note = fetched(root)[1]
    assert outcome == "too_large" and "1000000000000 字节" in note and "上限" in note
    assert fetched(root)[2][0] == "ingested" and taken_units(root) == {"元坝镇"}
    assert "区发改局" in result.err  # the unit whose message could not be taken is named


def test_a_wrong_rfc822_size_does_not_let_a_larger_message_through(lying, cli):
    root = lying["root"]
    messages = [FakeMessage(1, reply(lying, "区发改局", "unit03@example.invalid", 6), at(6, 9), size=2000,
                            literal=64 * MIB)]
    with LyingImap(messages) as server:
        lying_configure(root, server)
        result = cli("fetch", "-w", root)
        assert server.sent[1] < 64 * MIB  # the client hung up instead of reading it all
    assert result.code == 1 and "Traceback" not in result.err
    outcome, note = fetched(root)[1]
    assert outcome == "too_large" and "2000 字节" in note and f"{64 * MIB} 字节" in note
    assert taken_units(root) == set()


def test_a_header_literal_of_a_terabyte_is_refused_and_the_others_of_its_chunk_are_read(lying, cli):
    root = lying["root"]
    messages = [FakeMessage(1, reply(lying, "区发改局", "unit03@example.invalid", 6), at(6, 9)),
                FakeMessage(2, reply(lying, "元坝镇", "unit31@example.invalid", 7), at(7, 9), header_literal=10**12),
                FakeMessage(3, reply(lying, "卫子镇", "unit32@example.invalid", 8), at(8, 9))]
    with LyingImap(messages) as server:
        lying_configure(root, server)
        result = cli("fetch", "-w", root)
        again = cli("fetch", "-w", root)  # each message was recorded once: nothing is looked at again
    assert result.code == 1 and "Traceback" not in result.err
    assert fetched(root)[2][0] == "too_large" and "第 2 号邮件未收取" in result.err
    assert taken_units(root) == {"区发改局", "卫子镇"}
    assert again.code == 0 and "3 封邮件以前已经查看过" in again.out


def test_a_server_that_never_stops_talking_is_cut_off_with_nothing_recorded(lying, cli):
    root = lying["root"]
    messages = [FakeMessage(1, reply(lying, "区发改局", "unit03@example.invalid", 6), at(6, 9))]
    with LyingImap(messages, flood=400_000) as server:
        lying_configure(root, server)
        result = cli("fetch", "-w", root)
    assert result.code == 1 and "Traceback" not in result.err
    assert "邮件服务器" in result.err and "回复过长" in result.err
    assert fetched(root) == {} and taken_units(root) == set()
