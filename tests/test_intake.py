"""intake: paths, folders, e-mails and zip archives become a flat stream of classified incoming files.

Every input is built here with the real libraries (openpyxl, zipfile, email); nothing is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import random
import struct
import time
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from fazhi_cli.domain.limits import Limits
from fazhi_cli.intake import (
    KINDS,
    Incoming,
    collect,
    refusal_for_kind,
    sniff,
    xlsx_problem,
)

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
CHINA = timezone(timedelta(hours=8))
UNIT_WORKBOOK = "区发改局自评表.xlsx"


# --- builders ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx() -> bytes:
    """A real workbook saved by openpyxl, with enough rows that its sheet part compresses to a few KB."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评"
    sheet.append(["序号", "指标", "自评分", "说明"])
    for row in range(1, 301):
        sheet.append([row, f"指标{row}: 依法决策 {row * 7919 % 1000}", row % 10, f"说明文字 {row * 31 % 97}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip made by zipfile (UTF-8 flag set for non-ASCII names, as zipfile does)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_with_raw_names(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A zip whose entry names are the given raw bytes with no UTF-8 flag, as Chinese Windows tools write them.

    zipfile always flags non-ASCII names as UTF-8, so each entry is written under an ASCII placeholder of
    the same length and the placeholder is then replaced in the local header and the central directory.
    """
    placeholders = [f"@{index:0{len(raw) - 1}d}".encode("ascii") for index, (raw, _) in enumerate(entries)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for placeholder, (_, data) in zip(placeholders, entries, strict=True):
            archive.writestr(placeholder.decode("ascii"), data)
    result = buffer.getvalue()
    for placeholder, (raw, _) in zip(placeholders, entries, strict=True):
        assert result.count(placeholder) == 2  # local header and central directory
        result = result.replace(placeholder, raw)
    return result


def mail_message(attachments: dict[str, bytes], date: str = "Tue, 14 Jan 2025 09:30:00 +0800",
                 body: str = "附件是我局的自评表,请查收。") -> EmailMessage:
    """An e-mail with a text body and the given attachments, built with EmailMessage."""
    message = EmailMessage()
    message["From"] = "fgj@example.gov.cn"
    message["To"] = "fzb@example.gov.cn"
    message["Subject"] = "法治政府建设自评表"
    message["Date"] = date
    message.set_content(body)
    for name, data in attachments.items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message


def mail_bytes(attachments: dict[str, bytes], date: str = "Tue, 14 Jan 2025 09:30:00 +0800") -> bytes:
    """The e-mail of `mail_message` as bytes."""
    return mail_message(attachments, date).as_bytes()


def flip_member_bytes(data: bytes, member: str) -> bytes:
    """The zip with a few bytes in the middle of one member's compressed data inverted."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    corrupted = bytearray(data)
    for offset in range(middle, middle + 8):
        corrupted[offset] ^= 0xFF
    return bytes(corrupted)


def write(path: Path, data: bytes) -> Path:
    """Write a file (making its folder) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sha(data: bytes) -> str:
    """The hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def names(items: list[Incoming]) -> list[str]:
    """The display names of incoming files, in order."""
    return [item.original_name for item in items]


# --- e-mail -------------------------------------------------------------------------------------------------------


def test_gb2312_attachment_name_is_decoded_and_the_date_is_sent_at(tmp_path, xlsx):
    encoded = base64.b64encode(UNIT_WORKBOOK.encode("gb2312")).decode("ascii")
    body = base64.encodebytes(xlsx).decode("ascii")
    raw = (
        "From: fgj@example.gov.cn\r\nTo: fzb@example.gov.cn\r\nSubject: =?GB2312?B?19TGwA==?=\r\n"
        "Date: Tue, 14 Jan 2025 09:30:00 +0800\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="BOUNDARY"\r\n\r\n'
        "--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplease find attached\r\n"
        f'--BOUNDARY\r\nContent-Type: application/vnd.ms-excel; name="=?GB2312?B?{encoded}?="\r\n'
        f'Content-Disposition: attachment; filename="=?GB2312?B?{encoded}?="\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{body}\r\n--BOUNDARY--\r\n"
    ).encode("ascii")
    path = write(tmp_path / "回执.eml", raw)

    mail, attachment = list(collect([path]))

    sent = datetime(2025, 1, 14, 9, 30, tzinfo=CHINA)
    assert (mail.kind, mail.is_container, mail.problem, mail.data) == ("eml", True, None, raw)
    assert mail.sent_at == sent
    assert mail.file_time == attachment.file_time == datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    assert attachment.original_name == UNIT_WORKBOOK
    assert (attachment.kind, attachment.problem, attachment.data) == ("xlsx", None, xlsx)
    assert attachment.origin == "邮件 回执.eml 的附件"
    assert attachment.sent_at == sent and attachment.sent_at.utcoffset() == timedelta(hours=8)
    assert attachment.group == mail.group == f"eml:{sha(raw)}"


def test_raw_gbk_attachment_name_without_encoded_words_is_recovered(tmp_path):
    raw = (
        b"From: a@example.cn\nDate: Tue, 14 Jan 2025 09:30:00 +0800\n"
        b'Content-Type: multipart/mixed; boundary="B"\n\n--B\n'
        b'Content-Disposition: attachment; filename="' + "自评说明.txt".encode("gbk") + b'"\n\n'
        b"hello\n--B--\n"
    )
    items = list(collect([write(tmp_path / "m.eml", raw)]))
    assert names(items) == ["m.eml", "自评说明.txt"]
    assert items[1].kind == "text"


def test_files_in_one_email_share_a_group_and_a_zip_attachment_is_unpacked(tmp_path, xlsx):
    raw = mail_bytes({UNIT_WORKBOOK: xlsx, "说明.pdf": b"%PDF-1.4\n%...", "b.zip": zip_bytes({"c.xlsx": xlsx})})
    other = mail_bytes({"另一单位.xlsx": xlsx}, date="Wed, 15 Jan 2025 10:00:00 +0800")
    write(tmp_path / "in" / "回执.eml", raw)
    write(tmp_path / "in" / "回执2.eml", other)

    items = list(collect([tmp_path / "in"]))

    assert names(items) == ["回执.eml", UNIT_WORKBOOK, "说明.pdf", "b.zip", "c.xlsx", "回执2.eml", "另一单位.xlsx"]
    assert [item.kind for item in items] == ["eml", "xlsx", "pdf", "zip", "xlsx", "eml", "xlsx"]
    assert [item.is_container for item in items] == [True, False, False, True, False, True, False]
    assert {item.group for item in items[:5]} == {f"eml:{sha(raw)}"}
    assert {item.group for item in items[5:]} == {f"eml:{sha(other)}"}
    assert items[4].origin == "邮件 回执.eml 的附件 b.zip 中的 c.xlsx"
    assert {item.sent_at for item in items[:5]} == {datetime(2025, 1, 14, 9, 30, tzinfo=CHINA)}
    assert {item.sent_at for item in items[5:]} == {datetime(2025, 1, 15, 10, 0, tzinfo=CHINA)}
    assert all(item.problem is None for item in items)


def test_email_without_attachments_or_truncated_gets_a_problem(tmp_path, xlsx):
    bare = write(tmp_path / "a.eml", mail_bytes({}))
    whole = mail_bytes({UNIT_WORKBOOK: xlsx})
    head = whole[: len(whole) * 2 // 3]
    while len(head.rsplit(b"\n", 1)[-1].strip()) % 4 != 2:  # cut inside a base64 quartet: padding is wrong
        head = head[:-1]
    cut = write(tmp_path / "b.eml", head)

    (no_attachment,) = collect([bare])
    truncated, damaged = collect([cut])

    assert (no_attachment.original_name, no_attachment.problem_code) == ("a.eml", "mail_no_attachment")
    assert (truncated.original_name, truncated.problem_code) == ("b.eml", "mail_truncated")
    assert (damaged.original_name, damaged.problem_code) == (UNIT_WORKBOOK, "attachment_damaged")


# --- zip archives -------------------------------------------------------------------------------------------------


def test_zip_with_gbk_names_and_no_utf8_flag_yields_chinese_names(tmp_path, xlsx):
    workbook_name = ("材料/" + UNIT_WORKBOOK).encode("gbk")
    data = zip_with_raw_names([(workbook_name, xlsx), ("说明.txt".encode("gbk"), "自评说明".encode("gbk"))])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(info.flag_bits & 0x800 == 0 for info in archive.infolist())
    path = write(tmp_path / "报送.zip", data)

    container, workbook, note = collect([path])

    assert (container.kind, container.is_container, container.origin) == ("zip", True, f"文件 {path}")
    assert names([workbook, note]) == [UNIT_WORKBOOK, "说明.txt"]
    assert workbook.origin == f"压缩包 报送.zip 中的 材料/{UNIT_WORKBOOK}"
    assert (workbook.kind, workbook.problem, workbook.data) == ("xlsx", None, xlsx)
    assert note.kind == "text"
    assert {container.group, workbook.group, note.group} == {f"zip:{sha(data)}"}


def test_zip_with_utf8_names_without_the_flag_as_macos_writes_them(tmp_path):
    data = zip_with_raw_names([(UNIT_WORKBOOK.encode("utf-8"), b"a,b\n1,2\n")])
    _, member = collect([write(tmp_path / "mac.zip", data)])
    assert member.original_name == UNIT_WORKBOOK


def test_macosx_lock_files_and_hidden_files_are_skipped(tmp_path, xlsx):
    data = zip_bytes(
        {
            "材料/": b"",
            "__MACOSX/材料/._a.xlsx": b"\x00\x05\x16\x07",
            "材料/~$a.xlsx": b"lock",
            "材料/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "材料/Thumbs.db": OLE_MAGIC,
            "材料/a.xlsx": xlsx,
        }
    )
    write(tmp_path / "in" / "pack.zip", data)
    write(tmp_path / "in" / "~$b.xlsx", b"lock")
    write(tmp_path / "in" / ".hidden.xlsx", xlsx)
    write(tmp_path / "in" / ".git" / "b.xlsx", xlsx)

    items = list(collect([tmp_path / "in", tmp_path / "in" / "~$b.xlsx"]))

    assert names(items) == ["pack.zip", "a.xlsx"]


def test_zip_in_a_zip_is_unpacked_one_level(tmp_path, xlsx):
    outer = zip_bytes({"inner.zip": zip_bytes({"c.xlsx": xlsx})})
    items = list(collect([write(tmp_path / "outer.zip", outer)]))

    assert names(items) == ["outer.zip", "inner.zip", "c.xlsx"]
    assert [item.is_container for item in items] == [True, True, False]
    assert all(item.problem is None for item in items)
    assert items[2].origin == "压缩包 outer.zip 中的 inner.zip 中的 c.xlsx"
    assert {item.group for item in items} == {f"zip:{sha(outer)}"}


def test_zip_nested_two_levels_is_refused(tmp_path, xlsx):
    outer = zip_bytes({"mid.zip": zip_bytes({"inner.zip": zip_bytes({"c.xlsx": xlsx})})})
    items = list(collect([write(tmp_path / "outer.zip", outer)]))

    assert names(items) == ["outer.zip", "mid.zip", "inner.zip"]
    assert items[2].is_container and items[2].kind == "zip"
    assert items[2].problem_code == "too_deep"


def test_zip_bomb_is_refused_from_the_central_directory(tmp_path):
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("zeros.bin", "w") as stream,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(300):  # 300 MB of zeros, streamed: about 1.4 MB compressed
            stream.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    path = write(tmp_path / "bomb.zip", bomb)

    started = time.perf_counter()
    items = list(collect([path]))
    problem = xlsx_problem(bomb, "bomb.xlsx")
    elapsed = time.perf_counter() - started

    assert elapsed < 0.2
    assert len(items) == 1 and items[0].is_container
    assert items[0].problem_code == "zip_bomb" and "300 MB" in items[0].problem
    assert problem is not None and problem.code == "workbook_bomb"


def test_member_with_an_extreme_compression_ratio_is_refused(tmp_path):
    data = zip_bytes({"a.xlsx": bytes(2 * 1024 * 1024)})
    (container,) = collect([write(tmp_path / "ratio.zip", data)])
    assert container.problem_code == "zip_bomb" and "压缩比" in container.problem


def test_truncated_zip_gets_a_problem(tmp_path, xlsx):
    data = zip_bytes({"c.xlsx": xlsx})
    (container,) = collect([write(tmp_path / "cut.zip", data[: len(data) // 2])])
    assert (container.kind, container.problem_code) == ("zip", "archive_damaged")


# --- workbooks ----------------------------------------------------------------------------------------------------


def test_a_sound_workbook_has_no_problem_and_a_macro_workbook_is_xlsm(tmp_path, xlsx):
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xlsm = zip_bytes({**parts, "xl/vbaProject.bin": OLE_MAGIC})

    (loose,) = collect([write(tmp_path / UNIT_WORKBOOK, xlsx)])

    assert (loose.kind, loose.problem, loose.data) == ("xlsx", None, xlsx)
    assert loose.origin == f"文件 {tmp_path / UNIT_WORKBOOK}"
    assert loose.group == f"file:{sha(xlsx)}"
    assert xlsx_problem(xlsx, UNIT_WORKBOOK) is None
    assert sniff(xlsm, "a.xlsm") == "xlsm" and xlsx_problem(xlsm, "a.xlsm") is None


def test_workbook_with_one_corrupted_part_is_refused(tmp_path, xlsx):
    corrupted = flip_member_bytes(xlsx, "xl/worksheets/sheet1.xml")

    problem = xlsx_problem(corrupted, UNIT_WORKBOOK)
    (item,) = collect([write(tmp_path / UNIT_WORKBOOK, corrupted)])

    assert sniff(corrupted, UNIT_WORKBOOK) == "xlsx"
    assert problem is not None and problem.code == "damaged"
    assert (item.original_name, item.refusal) == (UNIT_WORKBOOK, problem)


def test_truncated_workbook_is_refused(tmp_path, xlsx):
    truncated = xlsx[: len(xlsx) - 200]

    (item,) = collect([write(tmp_path / UNIT_WORKBOOK, truncated)])

    assert item.kind == "xlsx"
    assert item.problem_code == "truncated"


def test_workbook_missing_its_workbook_part_is_refused(xlsx):
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist() if info.filename != "xl/workbook.xml"}
    assert xlsx_problem(zip_bytes(parts), "a.xlsx").code == "missing_parts"


# --- sniffing -------------------------------------------------------------------------------------------------------


def test_encrypted_ole_is_encrypted(tmp_path):
    data = OLE_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    data += bytes(512)

    (item,) = collect([write(tmp_path / UNIT_WORKBOOK, data)])

    assert (item.kind, item.problem) == ("encrypted", None)
    assert refusal_for_kind(item.kind, item.original_name).code == "encrypted"


def test_other_ole_files_are_xls_or_word():
    assert sniff(OLE_MAGIC + bytes(64) + "Workbook".encode("utf-16-le"), "a.xls") == "xls"
    assert sniff(OLE_MAGIC + bytes(64), "a.et") == "xls"
    assert sniff(OLE_MAGIC + bytes(64), "a.xlsx") == "xls"  # by the bytes, never the name
    assert sniff(OLE_MAGIC + bytes(64) + "WordDocument".encode("utf-16-le"), "a.xls") == "word"
    assert sniff(OLE_MAGIC + bytes(64), "a.doc") == "word"


def test_csv_renamed_xlsx_is_text(tmp_path):
    for encoding in ("utf-8-sig", "gbk"):
        data = "单位,自评分\n区发改局,95\n".encode(encoding)
        (item,) = collect([write(tmp_path / encoding / UNIT_WORKBOOK, data)])
        assert (item.kind, item.problem) == ("text", None)
    assert refusal_for_kind("text", UNIT_WORKBOOK).code == "text_file"


def test_html_page_renamed_xls_is_html():
    page = "\ufeff  <!DOCTYPE html>\n<html><body><table><tr><td>区发改局</td></tr></table></body></html>"
    assert sniff(page.encode("utf-8"), "自评表.xls") == "html"
    assert sniff(b'<HTML xmlns:x="urn:schemas-microsoft-com:office:excel">', "a.xls") == "html"
    assert sniff(b"\r\n<table border=1><tr><td>1</td></tr></table>", "a.xlsx") == "html"


def test_random_bytes_are_unknown_and_empty_is_empty(tmp_path):
    noise = random.Random(0).randbytes(4096)
    assert sniff(noise, "a.xlsx") == "unknown"
    (empty,) = collect([write(tmp_path / "空.xlsx", b"")])
    assert (empty.kind, empty.data) == ("empty", b"")
    assert (empty.original_name, empty.problem_code) == ("空.xlsx", "empty")


def test_other_kinds_are_recognised_by_content(xlsx):
    ods = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    docx = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    pptx = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
    assert sniff(ods, "a.xlsx") == "ods"
    assert sniff(docx, "a.xlsx") == "word"
    assert sniff(pptx, "a.pptx") == "unknown"
    assert sniff(xlsx, "renamed.zip") == "xlsx"
    assert sniff(b"PK\x05\x06" + bytes(18), "empty.zip") == "zip"
    assert sniff(b"%PDF-1.7\n", "a.xlsx") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n" + bytes(16), "a.xlsx") == "image"
    assert sniff(b"\xff\xd8\xff\xe0" + bytes(16), "a.jpg") == "image"
    assert sniff(b"Received: from x\nFrom: a@b\nSubject: s\n\nbody", "message.txt") == "eml"
    assert sniff(b"From the desk of the director\n", "a.txt") == "text"
    assert sniff(b"PK\x03\x04broken", "a.xlsx") == "xlsx"
    assert sniff(b"PK\x03\x04broken", "a.bin") == "zip"


def test_refusal_for_kind():
    refused = {kind: refusal_for_kind(kind, "区司法局.xlsx") for kind in KINDS}
    assert {kind for kind, found in refused.items() if found is None} == {
        "xlsx", "xlsm", "xls", "ods", "pdf", "word", "image", "zip", "eml", "mbox",
    }  # fmt: skip
    assert all(found.message.startswith("「区司法局.xlsx」") for found in refused.values() if found)
    with pytest.raises(ValueError):
        refusal_for_kind("docx", "a.docx")


# --- paths ------------------------------------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_a_deterministic_order(tmp_path, xlsx):
    root = tmp_path / "inbox"
    for relative in ["c.xlsx", "b/2.xlsx", "a.txt", "b/1.csv", "b/sub/0.xlsx", "d/e.xlsx"]:
        write(root / relative, xlsx if relative.endswith(".xlsx") else b"x,y\n")

    first = [item.origin for item in collect([root])]
    second = [item.origin for item in collect([root])]

    expected = ["a.txt", "b/1.csv", "b/2.xlsx", "b/sub/0.xlsx", "c.xlsx", "d/e.xlsx"]
    assert first == second == [f"文件 {root / relative}" for relative in expected]


def test_loose_file_time_is_its_mtime_and_it_has_no_sent_at(tmp_path, xlsx):
    path = write(tmp_path / "a.xlsx", xlsx)
    stamp = datetime(2025, 1, 10, 8, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))

    (item,) = collect([path])

    assert item.file_time == datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
    assert item.file_time.tzinfo is not None
    assert item.sent_at is None


def test_zip_members_take_the_mtime_of_the_outer_file(tmp_path, xlsx):
    path = write(tmp_path / "a.zip", zip_bytes({"c.xlsx": xlsx}))
    stamp = datetime(2025, 1, 10, 8, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    assert {item.file_time for item in collect([path])} == {datetime(2025, 1, 10, 8, 0, tzinfo=UTC)}


def test_missing_path_is_a_problem_not_an_error(tmp_path):
    missing = tmp_path / "nowhere.xlsx"
    (item,) = collect([missing])
    assert (item.kind, item.data, item.original_name) == ("empty", b"", "nowhere.xlsx")
    assert item.problem_code == "path_missing" and item.problem.startswith(f"「{missing}」")
    assert item.file_time is None and item.sent_at is None


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as stream:
        stream.truncate(Limits().file_bytes + 1)  # sparse: nothing is written to disk
    (item,) = collect([path])
    assert (item.data, item.source) == (b"", path)
    assert item.problem_code == "too_large"
    assert item.problem.startswith("「huge.xlsx」过大(20 MB),超过“单个文件大小(字节)”上限 20971520(20 MB),未予读取。")


def test_password_protected_zip_member_is_refused(tmp_path, xlsx):
    data = bytearray(zip_bytes({"c.xlsx": xlsx}))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local header, central directory
        position = data.find(signature) + flag_offset
        data[position] |= 0x1
    _, member = collect([write(tmp_path / "locked.zip", bytes(data))])
    assert (member.kind, member.data) == ("encrypted", b"")
    assert (member.original_name, member.problem_code) == ("c.xlsx", "archive_password")


def test_text_named_eml_that_is_no_email_is_refused(tmp_path):
    (item,) = collect([write(tmp_path / "x.eml", "这不是邮件\n".encode())])
    assert (item.kind, item.is_container) == ("eml", True)
    assert item.problem_code == "mail_unreadable"


def test_damaged_inputs_never_raise(tmp_path, xlsx):
    """Seeded random damage to a workbook, a nested zip and an e-mail: every result is data, never an exception."""
    nested = zip_bytes({"c.xlsx": xlsx, "n.zip": zip_bytes({"x.xlsx": xlsx})})
    seeds = [("a.xlsx", xlsx), ("b.zip", nested), ("m.eml", mail_bytes({"a.xlsx": xlsx, "b.zip": nested}))]
    rng = random.Random(2025)
    for round_ in range(150):
        name, original = rng.choice(seeds)
        data = bytearray(original)
        if round_ % 2:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 16)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        for item in collect([write(tmp_path / name, bytes(data))]):
            assert item.kind in KINDS
            assert item.file_time is not None and item.file_time.tzinfo is not None
            assert item.sent_at is None or item.sent_at.tzinfo is not None
