"""intake against a unit that is an adversary: every file is taken or refused with a reason, one bad file never
stops a batch, and only what was handed in is read.

Every input is a real file written by the real library (zipfile, email, mailbox, tarfile, gzip, os.symlink,
os.mkfifo) in a temporary folder; nothing is mocked.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import mailbox
import os
import re
import socket
import tarfile
import threading
import time
import zipfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from test_intake import mail_message, sha, write, zip_bytes

from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.text import has_unprintable, printable
from fazhi_cli.intake import CONTAINER_KINDS, KINDS, Incoming, collect, refusal_for_kind, sniff, xlsx_problem

CHINA = timezone(timedelta(hours=8))
SECRET = b"root:$6$not-for-the-office:19000:0:99999:7:::\n"

needs_posix_links = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX links")


# --- builders ---------------------------------------------------------------------------------------------------


def workbook_bytes(rows: int = 20, sheets: int = 1) -> bytes:
    """A real workbook saved by openpyxl: `rows` rows of 4 cells on each of `sheets` sheets."""
    workbook = openpyxl.Workbook()
    for number in range(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = f"表{number + 1}"
        for row in range(rows):
            sheet.append([row, f"指标{row}", row % 10, f"说明{row}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_strings(count: int) -> bytes:
    """A shared-string table as Excel writes it (openpyxl writes its strings inline)."""
    forms = ("<si><t>指标{n}</t></si>", '<si><t xml:space="preserve">{n} </t></si>')
    entries = "".join(forms[n % 2].format(n=n) for n in range(count))
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="urn:x" count="{0}" uniqueCount="{0}">'
    return (head.format(count) + entries + "</sst>").encode("utf-8")


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def mail(attachments: dict[str, bytes], date: str = "Tue, 14 Jan 2025 09:30:00 +0800") -> EmailMessage:
    """An e-mail whose body has a line starting with "From " (an mbox must escape it)."""
    return mail_message(attachments, date, "附件是我局的自评表,请查收。\nFrom the office: see attached.\n")


def mbox_bytes(tmp_path: Path, messages: list[EmailMessage]) -> bytes:
    """A mailbox file written by `mailbox.mbox`."""
    path = tmp_path / f"box-{len(list(tmp_path.iterdir()))}.mbox"
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path.read_bytes()


def collect_within(paths: list[Path], seconds: float = 10, **options) -> list[Incoming]:
    """collect() in a thread: a test fails, instead of hanging, when something blocks (a pipe opened for reading)."""
    found: list[Incoming] = []
    worker = threading.Thread(target=lambda: found.extend(collect(paths, **options)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "collect() blocked"
    return found


# --- 1. every refusal for a limit names it -------------------------------------------------------------------------


def test_a_file_over_the_size_limit_names_the_limit(tmp_path):
    path = write(tmp_path / "大.xlsx", bytes(3000))
    (item,) = collect([path], Limits(file_bytes=2048))
    assert (item.data, item.source, item.problem_code) == (b"", path, "too_large")
    assert item.problem.startswith("「大.xlsx」过大(0 MB),超过“单个文件大小(字节)”上限 2048(0 MB),未予读取。")


def test_zip_directory_limits_name_the_limit(tmp_path):
    many = write(tmp_path / "many.zip", zip_bytes({f"{n}.txt": b"x" for n in range(6)}))
    big = write(tmp_path / "big.zip", zip_bytes({"a.txt": os.urandom(3000)}))

    (refused_many,) = collect([many], Limits(members=5))
    (refused_big,) = collect([big], Limits(unpacked_bytes=2000))
    (refused_ratio,) = collect([write(tmp_path / "r.zip", zip_bytes({"z.bin": bytes(2 * 1024 * 1024)}))])

    assert {refused_many.problem_code, refused_big.problem_code, refused_ratio.problem_code} == {"zip_bomb"}
    assert refused_many.problem.startswith("「many.zip」疑似压缩炸弹(包含 6 个文件,超过“压缩包内文件数”上限 5)")
    assert "解压后共 0 MB,超过“压缩包解压后总大小(字节)”上限 2000(0 MB)" in refused_big.problem
    assert re.search(r"其中「z\.bin」的压缩比约为 \d+:1,超过“压缩比”上限 100", refused_ratio.problem)


def test_nested_archives_share_one_budget_and_the_refusal_says_so(tmp_path):
    inner = zip_bytes({f"{n}.txt": b"x" for n in range(3)})
    outer = write(tmp_path / "outer.zip", zip_bytes({"a.txt": b"a", "b.txt": b"b", "inner.zip": inner}))

    items = list(collect([outer], Limits(members=5)))

    assert [item.original_name for item in items] == ["outer.zip", "a.txt", "b.txt", "inner.zip"]
    assert items[-1].problem_code == "zip_bomb"
    assert "包含 3 个文件(连同外层共 6 个),超过“压缩包内文件数”上限 5" in items[-1].problem


def test_a_zip_member_over_the_size_limit_names_the_limit(tmp_path):
    path = write(tmp_path / "p.zip", zip_bytes({"a.xlsx": bytes(5000), "b.txt": b"b"}))
    _, member, other = collect([path], Limits(file_bytes=4096))
    assert (member.original_name, member.data, member.problem_code) == ("a.xlsx", b"", "too_large")
    assert "超过“单个文件大小(字节)”上限 4096(0 MB)" in member.problem
    assert (other.data, other.problem) == (b"b", None)


# --- 2. fazhi's own folders and files are skipped ------------------------------------------------------------------


def workspace(tmp_path: Path) -> tuple[Path, dict[Path, str]]:
    """A campaign folder with fazhi's own folders and files, a returned workbook in inbox/ and a review sheet."""
    ws = tmp_path / "考核2025"
    book = workbook_bytes()
    write(ws / "outbox" / "区发改局.xlsx", book)
    write(ws / "review" / "复核打分表-部门.xlsx", book)
    write(ws / "returns" / "区发改局-退回.xlsx", book)
    write(ws / "reports" / "通报.docx", b"PK\x05\x06" + bytes(18))
    write(ws / "archive" / "ab" / "ab12.xlsx", book)
    write(ws / "fazhi.db", b"SQLite format 3\x00" + bytes(100))
    write(ws / "fazhi.toml", b'[campaign]\ntitle = "2025"\n')
    write(ws / "inbox" / "区司法局.xlsx", book)
    skip = {ws / "outbox": "法制办下发的空白自评表", ws / "review": "复核打分表(已填的请直接指定文件导入)"}
    skip |= {ws / name: "fazhi 自己的文件夹" for name in ("returns", "reports", "archive")}
    skip |= {ws / "fazhi.db": "fazhi 的数据库", ws / "fazhi.toml": "fazhi 的设置文件"}
    return ws, {path.resolve(): reason for path, reason in skip.items()}


def test_walking_the_workspace_skips_fazhis_own_folders_and_files(tmp_path):
    ws, skip = workspace(tmp_path)

    items = list(collect([ws], skip=skip))

    assert [(item.origin, item.skipped) for item in items] == [
        (f"文件夹 {ws / 'archive'}", "fazhi 自己的文件夹"),
        (f"文件 {ws / 'fazhi.db'}", "fazhi 的数据库"),
        (f"文件 {ws / 'fazhi.toml'}", "fazhi 的设置文件"),
        (f"文件 {ws / 'inbox' / '区司法局.xlsx'}", None),
        (f"文件夹 {ws / 'outbox'}", "法制办下发的空白自评表"),
        (f"文件夹 {ws / 'reports'}", "fazhi 自己的文件夹"),
        (f"文件夹 {ws / 'returns'}", "fazhi 自己的文件夹"),
        (f"文件夹 {ws / 'review'}", "复核打分表(已填的请直接指定文件导入)"),
    ]
    for item in items:
        if item.skipped:
            assert (item.data, item.kind, item.problem, item.is_container, item.explicit) == (
                b"", "unknown", None, False, False,
            )  # fmt: skip
    taken = items[3]
    assert (taken.kind, taken.problem, taken.explicit) == ("xlsx", None, False)


def test_a_review_sheet_named_explicitly_is_taken_from_the_review_folder(tmp_path):
    ws, skip = workspace(tmp_path)
    sheet = ws / "review" / "复核打分表-部门.xlsx"

    (item,) = collect([sheet], skip=skip)

    assert (item.skipped, item.problem, item.kind, item.explicit) == (None, None, "xlsx", True)
    assert item.data == sheet.read_bytes()


def test_a_skipped_folder_named_explicitly_or_a_folder_inside_it_is_skipped(tmp_path):
    ws, skip = workspace(tmp_path)

    (outbox,) = collect([ws / "outbox"], skip=skip)
    (inside,) = collect([ws / "archive" / "ab"], skip=skip)

    assert (outbox.skipped, outbox.origin, outbox.data) == ("法制办下发的空白自评表", f"文件夹 {ws / 'outbox'}", b"")
    assert (inside.skipped, inside.origin) == ("fazhi 自己的文件夹", f"文件夹 {ws / 'archive' / 'ab'}")


@needs_posix_links
def test_the_workspace_reached_through_a_link_is_still_recognised(tmp_path):
    ws, skip = workspace(tmp_path)
    alias = tmp_path / "快捷方式"
    alias.symlink_to(ws, target_is_directory=True)

    items = list(collect([alias], skip=skip))

    assert [item.original_name for item in items if item.skipped is None] == ["区司法局.xlsx"]
    assert len([item for item in items if item.skipped]) == 7


# --- 3. only what was handed in: links are not followed, pipes and devices are not opened ------------------------


@needs_posix_links
def test_links_in_a_folder_are_not_followed(tmp_path):
    secret = write(tmp_path / "etc" / "shadow", SECRET)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "别人的.xlsx", workbook_bytes())
    inbox = tmp_path / "inbox"
    write(inbox / "区发改局.xlsx", workbook_bytes())
    (inbox / "shadow.xlsx").symlink_to(secret)
    (inbox / "材料").symlink_to(elsewhere, target_is_directory=True)
    (inbox / "失效.xlsx").symlink_to(tmp_path / "nowhere")
    (inbox / "loop").symlink_to(inbox / "loop")

    items = list(collect([inbox]))

    assert [(item.original_name, item.skipped is not None) for item in items] == [
        ("loop", True), ("shadow.xlsx", True), ("区发改局.xlsx", False), ("失效.xlsx", True), ("材料", True),
    ]  # fmt: skip
    assert items[1].skipped == (
        f"符号链接,未跟随:{inbox / 'shadow.xlsx'}(指向 {secret})。只导入文件夹中实际存放的文件;"
        "如确需导入其指向的文件,请在命令中直接指定该文件。"
    )
    assert items[4].skipped.startswith(f"符号链接,未跟随:{inbox / '材料'}(指向 {elsewhere})")
    assert all(item.data in (b"", (inbox / "区发改局.xlsx").read_bytes()) for item in items)
    assert not any(str(elsewhere) in item.origin or "别人的" in item.original_name for item in items)
    assert all(item.problem is None for item in items)


@needs_posix_links
def test_a_link_named_on_the_command_line_is_followed(tmp_path):
    secret = write(tmp_path / "etc" / "shadow", SECRET)
    link = tmp_path / "链接.txt"
    link.symlink_to(secret)

    (item,) = collect([link])

    assert (item.data, item.skipped, item.explicit, item.kind) == (SECRET, None, True, "text")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipes_and_sockets_are_skipped_without_being_opened(tmp_path):
    inbox = tmp_path / "inbox"
    write(inbox / "b.xlsx", workbook_bytes())
    os.mkfifo(inbox / "a.xlsx")  # opening it for reading would block until a writer came
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(inbox / "c.sock"))

        walked = collect_within([inbox])
        (named,) = collect_within([inbox / "a.xlsx"])
    finally:
        listener.close()

    assert [(item.original_name, item.skipped is not None) for item in walked] == [
        ("a.xlsx", True), ("b.xlsx", False), ("c.sock", True),
    ]  # fmt: skip
    assert walked[0].skipped == (
        f"不是普通文件(管道、套接字或设备),未予读取:{inbox / 'a.xlsx'}。请指定要导入的文件或文件夹。"
    )
    assert (named.skipped, named.data, named.problem) == (walked[0].skipped, b"", None)


# --- 4. a mailbox file, whatever its name ---------------------------------------------------------------------------


def three_messages() -> list[EmailMessage]:
    return [
        mail({"区发改局.xlsx": b"a,b\n1,2\n"}, "Tue, 14 Jan 2025 09:30:00 +0800"),
        mail({"区司法局.xlsx": b"c,d\n", "说明.pdf": b"%PDF-1.4\n"}, "Wed, 15 Jan 2025 10:00:00 +0800"),
        mail({"元坝镇.xlsx": b"e,f\n"}, "Thu, 16 Jan 2025 11:00:00 +0800"),
    ]


@pytest.mark.parametrize("name", ["导出.mbox", "导出.eml", "Inbox"])
def test_every_message_of_a_mailbox_is_expanded_whatever_its_name(tmp_path, name):
    data = mbox_bytes(tmp_path, three_messages())
    path = write(tmp_path / "in" / name, data)

    items = list(collect([path]))

    assert [(item.original_name, item.kind, item.is_container) for item in items] == [
        (name, "mbox", True),
        (f"{name} 第 1 封邮件", "eml", True), ("区发改局.xlsx", "text", False),
        (f"{name} 第 2 封邮件", "eml", True), ("区司法局.xlsx", "text", False), ("说明.pdf", "pdf", False),
        (f"{name} 第 3 封邮件", "eml", True), ("元坝镇.xlsx", "text", False),
    ]  # fmt: skip
    assert all(item.problem is None and item.skipped is None for item in items)
    assert items[0].group == f"mbox:{sha(data)}"
    assert len({items[1].group, items[3].group, items[6].group}) == 3  # one e-mail, one group
    assert items[2].group == items[1].group and items[4].group == items[5].group == items[3].group
    assert items[4].origin == f"邮箱文件 {name} 中的第 2 封邮件 的附件"
    assert [item.sent_at for item in items[1:3]] == [datetime(2025, 1, 14, 9, 30, tzinfo=CHINA)] * 2
    assert items[6].sent_at == datetime(2025, 1, 16, 11, 0, tzinfo=CHINA)
    assert items[7].data == b"e,f\n"


def test_a_mailbox_over_the_message_limit_is_refused_whole(tmp_path):
    path = write(tmp_path / "导出.eml", mbox_bytes(tmp_path, three_messages()))

    (item,) = collect([path], Limits(messages=2))

    assert (item.kind, item.is_container) == ("mbox", True)
    assert (item.original_name, item.problem_code) == ("导出.eml", "too_many_messages")
    assert "含 3 封邮件,超过“每个邮箱文件(mbox)邮件数”上限 2" in item.problem


def test_a_mailbox_in_a_zip_stays_in_the_zips_group(tmp_path):
    box = mbox_bytes(tmp_path, three_messages()[:2])
    archive = zip_bytes({"邮件/box.mbox": box})

    items = list(collect([write(tmp_path / "p.zip", archive)]))

    assert [item.kind for item in items] == ["zip", "mbox", "eml", "text", "eml", "text", "pdf"]
    assert {item.group for item in items} == {f"zip:{sha(archive)}"}
    assert items[3].origin == "压缩包 p.zip 中的 邮件/box.mbox 中的第 1 封邮件 的附件"


def test_mailbox_sniffing_needs_a_from_line_with_a_date_and_headers():
    assert sniff(b"From a@b.cn Tue Jan 14 09:30:00 2025\nFrom: a@b.cn\n\nhi\n", "x") == "mbox"
    assert sniff(b"From - Tue Jan 14 09:30:00 2025\r\nReceived: x\r\n\r\nhi\r\n", "x.eml") == "mbox"
    assert sniff(b"From the desk of the director\n", "a.txt") == "text"
    assert sniff(b"From a@b.cn Tue Jan 14 09:30:00 2025\n\nno headers\n", "a.txt") == "text"


# --- 5. attachments per e-mail --------------------------------------------------------------------------------------


def test_an_email_with_too_many_attachments_is_refused_whole(tmp_path):
    message = mail({"0.xlsx": b"x"})
    part = message.as_bytes().split(b"\n--")[2]  # build 5,000 parts by hand: EmailMessage needs seconds
    path = write(tmp_path / "群发.eml", message.as_bytes().replace(part, b"\n--".join([part] * 5000), 1))

    started = time.perf_counter()
    (item,) = collect([path])
    elapsed = time.perf_counter() - started

    assert (item.kind, item.is_container) == ("eml", True)
    assert (item.original_name, item.problem_code) == ("群发.eml", "too_many_attachments")
    assert "约有 5002 个附件或邮件部分,超过“每封邮件附件数”上限 50" in item.problem
    assert elapsed < 0.5  # not parsed: the e-mail library needs seconds for 5,000 parts


def test_an_email_with_a_few_attachments_too_many_is_counted_exactly(tmp_path):
    path = write(tmp_path / "m.eml", mail({f"{n}.xlsx": b"x" for n in range(60)}).as_bytes())

    (item,) = collect([path])

    assert item.sent_at == datetime(2025, 1, 14, 9, 30, tzinfo=CHINA)
    assert item.problem_code == "too_many_attachments"
    assert item.problem.startswith("「m.eml」有 60 个附件,超过“每封邮件附件数”上限 50,整封邮件未予读取。")


def test_an_email_at_the_attachment_limit_is_taken(tmp_path):
    path = write(tmp_path / "m.eml", mail({f"{n}.txt": b"x" for n in range(4)}).as_bytes())
    assert len(list(collect([path], Limits(attachments=4)))) == 5
    (refused,) = collect([path], Limits(attachments=3))
    assert refused.problem_code == "too_many_attachments"
    assert "有 4 个附件,超过“每封邮件附件数”上限 3" in refused.problem


def test_an_email_nested_too_deeply_for_the_parser_is_refused_and_the_batch_goes_on(tmp_path):
    depth = 1500  # deeper than Python's recursion limit, within 4 boundary lines per attachment allowed
    lines = [b'From: a@b.cn\nDate: Tue, 14 Jan 2025 09:30:00 +0800\nContent-Type: multipart/mixed; boundary="b0"\n']
    lines += [b'--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n' % (n, n + 1) for n in range(depth)]
    lines += [b'--b%d\nContent-Disposition: attachment; filename="x.txt"\n\nhi' % depth]
    lines += [b"--b%d--" % n for n in reversed(range(depth + 1))]
    write(tmp_path / "in" / "a.eml", b"\n".join(lines))
    write(tmp_path / "in" / "b.xlsx", workbook_bytes())

    deep, after = collect([tmp_path / "in"], Limits(attachments=1000))
    (counted,) = collect([tmp_path / "in" / "a.eml"])

    assert (deep.original_name, deep.problem_code) == ("a.eml", "mail_unreadable")
    assert (after.kind, after.problem) == ("xlsx", None)
    assert counted.problem_code == "too_many_attachments"
    assert counted.problem.startswith("「a.eml」约有 3002 个附件或邮件部分,超过“每封邮件附件数”上限 50")


# --- 6. workbook content limits, at the zip level -------------------------------------------------------------------


def test_workbook_counts_are_limited_before_any_parser():
    book = zip_bytes({**parts_of(workbook_bytes(rows=30)), "xl/sharedStrings.xml": shared_strings(60)})  # 120 cells
    three_sheets = workbook_bytes(rows=2, sheets=3)

    assert xlsx_problem(book, "a.xlsx", Limits(cells=120, shared_strings=60, sheets=1)) is None
    assert xlsx_problem(three_sheets, "b.xlsx", Limits(sheets=3)) is None
    over = [
        xlsx_problem(book, "a.xlsx", Limits(cells=119)),
        xlsx_problem(book, "a.xlsx", Limits(shared_strings=59)),
        xlsx_problem(three_sheets, "b.xlsx", Limits(sheets=2)),
    ]
    assert [problem.code for problem in over] == ["over_limit"] * 3
    assert [problem.message.split(",")[0] for problem in over] == [  # the file, and the limit by name and number
        "「a.xlsx」超过“工作簿单元格数”上限 119", "「a.xlsx」超过“工作簿共享字符串数”上限 59",
        "「b.xlsx」超过“工作簿工作表数”上限 2",
    ]  # fmt: skip


def test_an_xml_part_over_its_limit_is_refused_but_a_large_picture_is_not():
    book = workbook_bytes(rows=300)
    size = len(parts_of(book)["xl/worksheets/sheet1.xml"])
    picture = zip_bytes({**parts_of(book), "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + os.urandom(size)})

    problem = xlsx_problem(book, "a.xlsx", Limits(xml_part_bytes=size - 1))

    assert problem.code == "part_too_large"
    assert problem.message.startswith(
        "「a.xlsx」中的内部部件「xl/worksheets/sheet1.xml」解压后为 0.1 MB,"
        f"超过“工作簿单个内部部件大小(字节)”上限 {size - 1}(0.1 MB),未予读取。"
    )
    assert xlsx_problem(book, "a.xlsx", Limits(xml_part_bytes=size)) is None
    assert xlsx_problem(picture, "a.xlsx", Limits(xml_part_bytes=size)) is None


def cell_sheet(cells: int) -> bytes:
    """A sheet part of about 3 MiB whose cell tags vary in form and length, so that 1 MiB chunks cut them everywhere."""
    forms = ['<c r="A{n}"><v>{n}</v></c>', '<x:c r="B{n}" t="n"><x:v>1</x:v></x:c>', "<c\tr='C{n}'/>"]
    forms.append("<c><v>2</v></c>")
    body = "".join(forms[n % 4].format(n=n) + " " * (n % 7) + "<cols/><col/>" * (n % 3) for n in range(cells))
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns:x="urn:x"><sheetData><row r="1">'
    return (head + body + "</row></sheetData></worksheet>").encode("ascii")


def test_cells_are_counted_exactly_across_chunk_boundaries():
    cells = 90_000
    sheet = cell_sheet(cells)
    assert len(sheet) > 3 * 1024 * 1024
    book = zip_bytes({**parts_of(workbook_bytes(rows=1)), "xl/worksheets/sheet1.xml": sheet})
    roomy = {"xml_part_bytes": 10**8, "ratio": 10**4}

    assert xlsx_problem(book, "a.xlsx", Limits(cells=cells, **roomy)) is None
    over = xlsx_problem(book, "a.xlsx", Limits(cells=cells - 1, **roomy))
    assert over.code == "over_limit" and "超过“工作簿单元格数”上限 89999" in over.message


@pytest.fixture(scope="module")
def five_million_shared_strings(tmp_path_factory) -> Path:
    """A 12-13 MB workbook whose shared-string table holds 5,000,000 entries (110 MB inflated), streamed out."""
    parts = parts_of(workbook_bytes(rows=1))
    path = tmp_path_factory.mktemp("bomb") / "区发改局.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/sharedStrings.xml":
                archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w") as stream:
            stream.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="urn:x" count="5000000">')
            for start in range(0, 5_000_000, 250_000):
                stream.write(b"".join(b"<si><t>%07d</t></si>" % n for n in range(start, start + 250_000)))
            stream.write(b"</sst>")
    return path


def test_five_million_shared_strings_are_refused_in_well_under_a_second(five_million_shared_strings):
    path = five_million_shared_strings
    started = time.perf_counter()
    (item,) = collect([path])
    by_part_size = time.perf_counter() - started
    started = time.perf_counter()
    (counted,) = collect([path], Limits(xml_part_bytes=200 * 1024 * 1024))
    by_count = time.perf_counter() - started

    assert 10 * 1024 * 1024 < path.stat().st_size < 16 * 1024 * 1024
    assert (item.problem_code, counted.problem_code) == ("part_too_large", "over_limit")
    assert "「区发改局.xlsx」中的内部部件「xl/sharedStrings.xml」解压后为 109.7 MB" in item.problem
    assert counted.problem.startswith("「区发改局.xlsx」超过“工作簿共享字符串数”上限 50000,未予读取。")
    assert by_part_size < 0.5 and by_count < 1.0


def test_a_part_that_hides_its_tags_or_declares_a_dtd_is_refused():
    parts = parts_of(workbook_bytes(rows=3))
    strings = shared_strings(3)
    utf16 = strings.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    utf7 = strings.replace(b'encoding="UTF-8"', b'encoding="utf-7"')
    dtd = strings.replace(b"?>", b'?><!DOCTYPE sst [<!ENTITY c "<si><t>x</t></si>">]>', 1)

    books = [zip_bytes({**parts, "xl/sharedStrings.xml": part}) for part in (utf16, utf7, dtd)]
    refused = [xlsx_problem(book, "a.xlsx") for book in books]
    assert [problem.code for problem in refused] == ["unsafe_encoding", "unsafe_encoding", "unsafe_dtd"]
    assert all("内部部件「xl/sharedStrings.xml」" in problem.message for problem in refused)  # the part is named


def test_workbook_limits_apply_to_a_workbook_inside_a_zip_and_an_email(tmp_path):
    book = workbook_bytes(rows=30)
    path = write(tmp_path / "m.eml", mail({"p.zip": zip_bytes({"a.xlsx": book})}).as_bytes())

    mail_item, archive, workbook = collect([path], Limits(cells=100))

    assert (mail_item.problem, archive.problem) == (None, None)
    assert (workbook.original_name, workbook.problem_code) == ("a.xlsx", "over_limit")


# --- 7. archives fazhi does not unpack -------------------------------------------------------------------------------


def test_rar_7z_gzip_tar_xz_and_bzip2_are_refused_with_a_hint(tmp_path):
    book = workbook_bytes()
    tarred = io.BytesIO()
    with tarfile.open(fileobj=tarred, mode="w") as archive:
        info = tarfile.TarInfo("a.xlsx")
        info.size = len(book)
        archive.addfile(info, io.BytesIO(book))
    files = {
        "a.rar": b"Rar!\x1a\x07\x01\x00" + os.urandom(64),
        "a.7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + os.urandom(64),
        "a.xlsx.gz": gzip.compress(book),
        "a.tar": tarred.getvalue(),
        "a.tar.xz": lzma.compress(tarred.getvalue()),
        "a.tar.bz2": bz2.compress(tarred.getvalue()),
        "renamed.xlsx": gzip.compress(book),
    }
    for name, data in files.items():
        write(tmp_path / "in" / name, data)

    items = list(collect([tmp_path / "in"]))

    assert {(item.original_name, item.kind, item.problem) for item in items} == {
        (name, "archive_other", None) for name in files
    }
    assert refusal_for_kind("archive_other", "a.rar").code == "other_archive"
    assert "archive_other" in KINDS and "mbox" in KINDS and set(CONTAINER_KINDS) == {"zip", "eml", "mbox"}


# --- 8. names from outside are made printable -----------------------------------------------------------------------

HOSTILE = "\x1b[31m\x9b2J\u202egpj.xlsx"


def test_control_characters_and_bidi_overrides_never_reach_the_display_texts(tmp_path):
    book = workbook_bytes()
    archive = zip_bytes({f"材料{HOSTILE}/区发改局\x1b]0;x\x07.xlsx": book, "a\u202e/b\x9b.txt": b"x"})
    message = mail({HOSTILE: book, "p.zip": archive})
    write(tmp_path / "in" / f"m{HOSTILE}.eml", message.as_bytes())

    items = list(collect([tmp_path / "in"]))

    assert len(items) == 5
    for item in items:
        for text in (item.original_name, item.origin, item.problem or "", item.skipped or ""):
            assert not has_unprintable(text), repr(text)
    mail_item, attachment, _, member, other = items
    assert mail_item.original_name == "m[31m2Jgpj.xlsx.eml"
    assert attachment.original_name == "[31m2Jgpj.xlsx"
    assert member.original_name == "区发改局]0;x.xlsx"
    assert member.origin == "邮件 m[31m2Jgpj.xlsx.eml 的附件 p.zip 中的 材料[31m2Jgpj.xlsx/区发改局]0;x.xlsx"
    assert other.origin.endswith("p.zip 中的 a/b.txt")
    assert printable(HOSTILE) == "[31m2Jgpj.xlsx"


@needs_posix_links
def test_a_hostile_link_name_and_target_are_printable_in_the_reason(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"a{HOSTILE}").symlink_to(f"/etc/\x1b[2J{HOSTILE}")

    (item,) = collect([inbox])

    assert not has_unprintable(item.skipped) and not has_unprintable(item.origin)
    assert "(指向 /etc/[2J[31m2Jgpj.xlsx)" in item.skipped
