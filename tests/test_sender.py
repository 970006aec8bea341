"""Who sent a returned workbook, and what came in it (issue 20): a forwarded mail attached in base64 is opened like
one attached as it is.

Real workbooks filled from the generated ones, real e-mails written by `email.message.EmailMessage` (a header edited
in their bytes where a mail client would write what the library refuses to), real `fazhi ingest` runs, a real store.
The roster is test_held's: the sample one plus 区水利局 (unit56@example.invalid); 区司法局 is unit08@example.invalid.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
import test_held
from test_held import (
    JUSTICE,
    XLSX_TYPE,
    at,
    current_of,
    justice_workbook,
)
from test_ingest import outcome_line, query, wide_terminal  # noqa: F401 - wide_terminal is an autouse fixture

ws = test_held.ws  # the fixture: a workspace on the sample roster plus 区水利局, three departments' forms generated
OWN = "unit08@example.invalid"  # 区司法局's address on the roster


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
