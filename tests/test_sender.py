"""Who sent a returned workbook, and what came in it (issue 20, points 3 and 6): a copy mailed from an address off
the roster never silently replaces the return a unit sent from its own address; every address in From and Sender
counts, whatever the display name holds; a forwarded mail attached in base64 is opened like one attached as it is.

Real workbooks filled from the generated ones, real e-mails written by `email.message.EmailMessage` (a header edited
in their bytes where a mail client would write what the library refuses to), real `fazhi ingest` runs, a real store.
The roster is test_held's: the sample one plus 区水利局 (unit56@example.invalid); 区司法局 is unit08@example.invalid.
"""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
import test_held
from test_held import (
    JUSTICE,
    WATER,
    WATER_ADDRESS,
    XLSX_TYPE,
    at,
    current_of,
    file_of,
    item_score,
    justice_workbook,
)
from test_ingest import outcome_line, query, wide_terminal  # noqa: F401 - wide_terminal is an autouse fixture

from fazhi_cli.domain.evidence import (
    RosterEvidence,
    from_own_address,
    identity_conflict,
    sender_addresses,
    unit_addresses,
)

ws = test_held.ws  # the fixture: a workspace on the sample roster plus 区水利局, three departments' forms generated
OWN = "unit08@example.invalid"  # 区司法局's address on the roster
STRANGER = "someone@qq.example"
APPROVE = ("approve", "--by", "区人民政府", "--date", "2018-01-15")


def message(sender: str, attachments: list[tuple[str, bytes]], subject: str = "自评表") -> EmailMessage:
    """A real e-mail from `sender` (a whole From header's text) with workbooks attached."""
    written = EmailMessage()
    written["From"] = sender
    written["To"] = "fazhiban@example.invalid"
    written["Subject"] = subject
    written["Date"] = format_datetime(at(5, 9))
    written.set_content("法制办:附件是自评表,请查收。")
    for name, data in attachments:
        written.add_attachment(data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=name)
    return written


def eml(path: Path, written: EmailMessage, from_header: bytes | None = None, sender_header: bytes | None = None
        ) -> Path:
    """The message as a .eml file; `from_header` replaces its From line's value byte for byte (control characters
    a mail client may write), `sender_header` adds a Sender header."""
    data = bytes(written)
    if from_header is not None:
        head, separator, body = data.partition(b"\n\n")
        lines = [b"From: " + from_header if line.startswith(b"From: ") else line for line in head.split(b"\n")]
        data = b"\n".join(lines) + separator + body
    if sender_header is not None:
        data = b"Sender: " + sender_header + b"\n" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def own_return(cli, ws: Path, tmp_path: Path, office_clock) -> None:
    """区司法局's return mailed from its roster address on 4 December (1.1 at full marks)."""
    office_clock(at(4))
    own = justice_workbook(ws, tmp_path / "own.xlsx").read_bytes()
    first = eml(tmp_path / "本单位.eml", message(f"区司法局 <{OWN}>", [("区司法局自评表.xlsx", own)]))
    assert cli("ingest", first, "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "区司法局自评表.xlsx"


def copy_of_form(ws: Path, tmp_path: Path, name: str, score: float = 6) -> bytes:
    """区司法局's sealed form filled by someone else (1.1 lowered)."""
    return justice_workbook(ws, tmp_path / "copies" / name, score_1_1=score).read_bytes()


# --- 3. a stranger's copy -----------------------------------------------------------------------------------------


def test_a_strangers_copy_after_the_units_own_return_is_held_and_blocks_approval_until_decided(
        cli, ws, tmp_path, office_clock):
    own_return(cli, ws, tmp_path, office_clock)
    copy = copy_of_form(ws, tmp_path, "copy.xlsx")
    office_clock(at(5))
    result = cli("ingest", eml(tmp_path / "转发.eml", message(f"张三 <{STRANGER}>", [("修改意见.xlsx", copy)])),
                 "-w", ws)
    assert result.code == 1, result.out
    line = outcome_line(result.out, "修改意见.xlsx")
    assert "待确认" in line and STRANGER in line and "区司法局自评表.xlsx" in line and "fazhi accept" in line
    assert current_of(ws, JUSTICE, cli) == "区司法局自评表.xlsx"  # the unit's own return stands
    assert item_score(ws, cli, JUSTICE, "1.1") == 10
    row = query(ws, "SELECT * FROM files WHERE original_name = '修改意见.xlsx'")[0]
    assert (row["outcome"], row["code"], row["unit"], row["sender"]) == ("held", "sender_off_roster", JUSTICE,
                                                                          STRANGER)
    held = file_of(ws, cli, "修改意见.xlsx")
    assert (held["state"], held["unit"]) == ("held", JUSTICE)
    assert "待确认" in cli("files", "-w", ws).out
    status = cli("status", "--json", "-w", ws).json()
    assert [(h["id"], h["unit"]) for h in status["held_files"]] == [(row["id"], JUSTICE)]
    refused = cli(*APPROVE, "-w", ws)
    assert refused.code == 1 and "待确认的文件 修改意见.xlsx" in refused.out + refused.err

    office_clock(at(6))
    accepted = cli("accept", row["id"], "--reason", "经电话核实,系区司法局委托代发", "-w", ws)
    assert accepted.code == 0, accepted.err
    assert current_of(ws, JUSTICE, cli) == "修改意见.xlsx" and item_score(ws, cli, JUSTICE, "1.1") == 6
    assert cli("status", "--json", "-w", ws).json()["held_files"] == []


def test_a_strangers_copy_is_rejected_and_the_units_own_later_return_is_taken(cli, ws, tmp_path, office_clock):
    own_return(cli, ws, tmp_path, office_clock)
    office_clock(at(5))
    copy = copy_of_form(ws, tmp_path, "copy.xlsx")
    assert cli("ingest", eml(tmp_path / "x.eml", message(STRANGER, [("自评表.xlsx", copy)])), "-w", ws).code == 1
    held = file_of(ws, cli, "自评表.xlsx")
    assert cli("reject", held["id"], "--reason", "非本单位报送", "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "区司法局自评表.xlsx"
    office_clock(at(6))  # the unit's own corrected return replaces its earlier one as always
    corrected = copy_of_form(ws, tmp_path, "corrected.xlsx", score=8)
    assert cli("ingest", eml(tmp_path / "修改.eml", message(OWN, [("修改后.xlsx", corrected)])), "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "修改后.xlsx" and item_score(ws, cli, JUSTICE, "1.1") == 8


def test_a_stranger_before_any_own_return_or_a_file_the_office_hands_in_is_taken(cli, ws, tmp_path, office_clock):
    office_clock(at(3))
    first = copy_of_form(ws, tmp_path, "first.xlsx", score=9)
    assert cli("ingest", eml(tmp_path / "a.eml", message(STRANGER, [("代报.xlsx", first)])), "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "代报.xlsx"  # nothing from the unit's own address to replace
    own_return(cli, ws, tmp_path, office_clock)
    office_clock(at(5))  # the office hands in a file itself (no e-mail): trusted, it replaces the return
    by_hand = justice_workbook(ws, tmp_path / "hand" / "窗口递交.xlsx", score_1_1=7)
    assert cli("ingest", by_hand, "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "窗口递交.xlsx"
    office_clock(at(6))  # the current return is the office's own now, not the unit's mail: a stranger replaces it
    later = copy_of_form(ws, tmp_path, "later.xlsx", score=5)
    assert cli("ingest", eml(tmp_path / "b.eml", message(STRANGER, [("再报.xlsx", later)])), "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "再报.xlsx"


def test_every_address_in_from_and_sender_counts_and_a_display_name_never_loses_one(cli, ws, tmp_path, office_clock):
    own_return(cli, ws, tmp_path, office_clock)

    def ingest(day: int, name: str, **headers) -> tuple[int, str, dict]:
        office_clock(at(day))
        copy = copy_of_form(ws, tmp_path, f"{day}.xlsx", score=day)
        result = cli("ingest", eml(tmp_path / f"{day}.eml", message(STRANGER, [(name, copy)]), **headers), "-w", ws)
        return result.code, outcome_line(result.out, name), query(ws, "SELECT * FROM files WHERE original_name = ?",
                                                                   name)[0]

    # the clerk's own address in Sender (a secretary's mailbox in From): from the unit
    code, _, row = ingest(5, "秘书代发.xlsx", sender_header=f"区司法局 <{OWN}>".encode())
    assert (code, row["outcome"], row["sender"]) == (0, "taken", f"{STRANGER}, {OWN}")
    # a stranger first in From and 区水利局's own address second: the existing identity conflict
    code, line, row = ingest(6, "两个地址.xlsx", from_header=f"{STRANGER}, 水利 <{WATER_ADDRESS}>".encode())
    assert (code, row["code"], row["other_unit"]) == (1, "identity_conflict", WATER), line
    # the roster address behind a display name of control characters (decoded: 区, NUL, 司法局, CR LF)
    word = "=?utf-8?b?" + base64.b64encode("区\x00司法局\r\n".encode()).decode() + "?="
    code, _, row = ingest(7, "控制字符.xlsx", from_header=f"{word} <{OWN}>".encode())
    assert (code, row["outcome"], row["sender"]) == (0, "taken", OWN)
    # raw control bytes in the display name (a NUL, a bell, a bare CR): the address is still read
    code, _, row = ingest(8, "原始字节.xlsx", from_header=b'"\xe5\x8c\xba\x00\x07\xe5\x8f\xb8\r" <' + STRANGER.encode()
                          + b">")
    assert (code, row["code"], row["sender"]) == (1, "sender_off_roster", STRANGER)
    # a From that holds no address at all is no proof of the unit's address either
    code, _, row = ingest(9, "无地址.xlsx", from_header="区司法局".encode())
    assert (code, row["code"], row["sender"]) == (1, "sender_off_roster", None)
    assert current_of(ws, JUSTICE, cli) == "控制字符.xlsx"


# --- 6. a forwarded mail attached in base64 ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable", "7bit"])
def test_a_mail_forwarded_as_an_encoded_attachment_is_opened_like_one_attached_as_it_is(cli, ws, tmp_path, encoding):
    own = justice_workbook(ws, tmp_path / "own.xlsx").read_bytes()
    original = message(f"区司法局 <{OWN}>", [("区司法局自评表.xlsx", own)], subject="区司法局自评表")
    forward = message(f"区司法局 <{OWN}>", [], subject="转发:区司法局自评表")
    if encoding == "7bit":  # the message itself, as the library attaches one
        forward.add_attachment(original, cte=encoding, filename="区司法局自评表.eml")
    else:
        forward.add_attachment(bytes(original), maintype="message", subtype="rfc822", cte=encoding,
                               filename="区司法局自评表.eml")
    assert f"Content-Transfer-Encoding: {encoding}".encode() in bytes(forward)
    result = cli("ingest", eml(tmp_path / "转发.eml", forward), "-w", ws)
    assert result.code == 0, result.out
    assert "邮件没有附件" not in result.out
    assert current_of(ws, JUSTICE, cli) == "区司法局自评表.xlsx"
    row = query(ws, "SELECT * FROM files WHERE original_name = '区司法局自评表.xlsx'")[0]
    assert (row["outcome"], row["sender"]) == ("taken", OWN)


def test_a_base64_forward_holding_too_many_parts_is_refused_before_they_are_parsed(cli, ws, tmp_path):
    original = message(f"区司法局 <{OWN}>", [], subject="照片")
    for number in range(300):  # 300 parts: more boundary lines than a message of 50 attachments may hold
        original.add_attachment(b"\xff\xd8\xff" + bytes([number % 256]), maintype="image", subtype="jpeg",
                                filename=f"照片{number}.jpg")
    forward = message(f"区司法局 <{OWN}>", [], subject="转发:照片")
    forward.add_attachment(bytes(original), maintype="message", subtype="rfc822", cte="base64", filename="照片.eml")
    assert bytes(forward).count(b"\n--") < 10  # the parts are hidden in the base64 text
    result = cli("ingest", eml(tmp_path / "转发照片.eml", forward), "-w", ws)
    assert result.code == 1
    assert "约有" in outcome_line(result.out, "转发照片.eml")
    [row] = query(ws, "SELECT code FROM files")
    assert row["code"] == "too_many_attachments"


def test_the_evidence_over_several_addresses_pure():
    roster = RosterEvidence({JUSTICE: unit_addresses("a@x.cn"), WATER: unit_addresses("B@x.cn; c@x.cn")})
    conflict = identity_conflict(JUSTICE, ("q@qq.example", "c@x.cn"), "x.xlsx", (), roster)
    assert conflict is not None and conflict.evidence == f"发件地址 c@x.cn 属于“{WATER}”"
    assert identity_conflict(JUSTICE, ("b@x.cn", "a@x.cn"), "x.xlsx", (), roster) is None  # its own address too
    assert from_own_address(JUSTICE, "q@qq.example, A@x.cn", roster)  # as the store keeps them
    assert not from_own_address(JUSTICE, ("q@qq.example",), roster) and not from_own_address(JUSTICE, None, roster)
    assert sender_addresses("q@qq.example, a@x.cn") == ("q@qq.example", "a@x.cn")
