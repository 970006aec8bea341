"""`fazhi ingest`: every returned file is kept byte-for-byte, workbooks are taken, everything else is refused
with a message naming the file, and one bad file never stops the batch.

Every input is a real file made here with the real libraries (openpyxl, zipfile, email, LibreOffice); the
outcome is checked through the CLI (exit code, Chinese messages) and directly in fazhi.db and archive/.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from helpers import external_tool
from workbook_helpers import libreoffice_convert, product_facts

from fazhi_cli.cli import output
from fazhi_cli.domain import scoring
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.workbook.filler import Answers, fill_workbook

RUBRIC = builtin_rubric()
UNIT_TYPES = {unit.name: unit.type for unit in load_roster(sample_roster_path())}
CHINA = dt.timezone(dt.timedelta(hours=8))
ON_TIME = dt.datetime(2017, 12, 5, 10, 0, tzinfo=CHINA)  # before the 2017-12-10 deadline
DEPT = "区发改局"
TOWN = "元坝镇"
MIB = 1024 * 1024
SCORE_SHEET = "自评表"
SCORE_PART = "xl/worksheets/sheet2.xml"  # where openpyxl writes the 自评表 (the second sheet)
FORM_ANSWERS = {"负责人": "王主任", "填报人": "李明", "联系电话": "0839-8700003", "填报日期": "2017-12-05"}


# --- builders ---------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich folds table cells at the terminal width; a wide terminal keeps each message on one line."""
    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


@pytest.fixture
def ws(cli, workspace) -> Path:
    """A 2017 workspace with the blank workbooks of one department and one township in outbox/."""
    result = cli("generate", "--unit", DEPT, "--unit", TOWN, "-w", workspace)
    assert result.code == 0, result.err
    return workspace


def outbox_file(workspace: Path, unit: str, year: int = 2017) -> Path:
    return workspace / "outbox" / f"{year}年度法治政府建设自评表_{unit}.xlsx"


def unit_type(unit: str) -> str:
    return UNIT_TYPES[unit]


def points(value) -> int | float:
    """A Decimal as a unit's Excel holds it."""
    return int(value) if value == value.to_integral_value() else float(value)


def clean_answers(unit: str) -> Answers:
    """A fully correct return: every fact answered (one deduction), scores equal to the ceilings the facts imply,
    a 扣分说明 on the item that lost points, every task's 完成情况 filled."""
    answers = Answers()
    items = RUBRIC.for_type(unit_type(unit)).items
    for item in items:
        for rule in item.rules:
            if rule.kind == "flag":
                answers.facts[rule.id] = "否"
            elif rule.kind == "count":
                answers.facts[rule.id] = 0
            else:
                answers.facts.update(dict.fromkeys(rule.month_ids(), rule.quota))
    first_count = next(rule for item in items for rule in item.rules if rule.kind == "count")
    answers.facts[first_count.id] = 1
    facts = product_facts(answers)
    for item in items:
        ceiling = scoring.item_ceiling(item, facts)
        answers.scores[item.id] = points(ceiling)
        if ceiling < item.max:
            answers.notes[item.id] = f"{first_count.id} 发生 1 次,扣 {item.max - ceiling} 分"
    answers.facts.update({"P1": 0, "P2": 0})
    for task in RUBRIC.tasks_for(unit, unit_type(unit)):
        answers.tasks[task.number] = ("已完成", "按期完成")
    answers.form.update(FORM_ANSWERS)
    return answers


def stamp(path: Path, when: dt.datetime) -> Path:
    """Set the file's modification time, as the unit's save left it."""
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def fill(workspace: Path, target: Path, unit: str = DEPT, answers: Answers | None = None,
         when: dt.datetime = ON_TIME) -> Path:
    """The unit's generated workbook, filled and saved as `target` at time `when`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fill_workbook(outbox_file(workspace, unit), target, answers or clean_answers(unit))
    return stamp(target, when)


def rewrite_part(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one zip member rewritten (all others copied), CRCs computed afresh."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        assert part in source.namelist()
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


def zip_with_gbk_names(members: list[tuple[str, bytes]]) -> bytes:
    """A zip as Chinese Windows tools write it: names in GBK, no UTF-8 flag (zipfile always sets the flag for
    non-ASCII names, so each entry is written under an ASCII placeholder of the same length, then renamed)."""
    raw_names = [name.encode("gbk") for name, _ in members]
    placeholders = [f"#{index:0{len(raw) - 1}d}".encode("ascii") for index, raw in enumerate(raw_names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for placeholder, (_, data) in zip(placeholders, members, strict=True):
            archive.writestr(placeholder.decode("ascii"), data)
    result = buffer.getvalue()
    for placeholder, raw in zip(placeholders, raw_names, strict=True):
        assert result.count(placeholder) == 2  # local header and central directory
        result = result.replace(placeholder, raw)
    with zipfile.ZipFile(io.BytesIO(result)) as check:
        assert all(not info.flag_bits & 0x800 for info in check.infolist())
    return result


def gb2312_word(name: str) -> str:
    """An RFC 2047 encoded word in GB2312, as Chinese mail clients write attachment names."""
    return f"=?GB2312?B?{base64.b64encode(name.encode('gb2312')).decode('ascii')}?="


def mail_bytes(date: str, attachments: list[tuple[str, bytes, str]]) -> bytes:
    """An e-mail whose attachment names are GB2312 encoded words inside quotes (built by hand, not by the policy)."""
    message = EmailMessage()
    message["From"] = f"{DEPT} <unit03@example.invalid>"
    message["To"] = "fazhiban@example.invalid"
    message["Subject"] = "2017年度法治政府建设自评表"
    message["Date"] = date
    message.set_content("法制办:附件是我单位的自评表和工作总结,请查收。")
    for number, (_, data, mime) in enumerate(attachments):
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"ATTACHMENT{number}.bin")
    raw = message.as_bytes()
    for number, (name, _, _) in enumerate(attachments):
        placeholder = f'filename="ATTACHMENT{number}.bin"'.encode("ascii")
        assert raw.count(placeholder) == 1
        raw = raw.replace(placeholder, f'filename="{gb2312_word(name)}"'.encode("ascii"))
    return raw


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def query(workspace: Path, sql: str, *args) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


def file_row(workspace: Path, name: str) -> sqlite3.Row:
    """The one `files` row of a file handed in under this name."""
    rows = query(workspace, "SELECT * FROM files WHERE original_name = ?", name)
    assert len(rows) == 1, (name, [dict(r) for r in rows])
    return rows[0]


def kept(workspace: Path, sha: str) -> bytes:
    """The bytes kept under archive/ for this SHA-256, checked against it."""
    rows = query(workspace, "SELECT DISTINCT archive_name FROM files WHERE sha256 = ?", sha)
    assert len(rows) == 1, sha
    data = (workspace / "archive" / rows[0]["archive_name"]).read_bytes()
    assert sha256(data) == sha
    return data


def archived(workspace: Path) -> set[str]:
    """The SHA-256 of every file under archive/."""
    return {sha256(p.read_bytes()) for p in (workspace / "archive").rglob("*") if p.is_file()}


def counts(workspace: Path) -> dict[str, int]:
    tables = ("files", "submissions", "submission_values", "materials")
    found = {t: query(workspace, f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}
    found["archive"] = sum(1 for p in (workspace / "archive").rglob("*") if p.is_file())
    return found


def outcome_line(out: str, name: str) -> str:
    """The report table's line for one file: the line its name starts (a message may name it too), else the one
    line naming it."""
    lines = ([line for line in out.splitlines() if line.lstrip("│ ").startswith(name)]
             or [line for line in out.splitlines() if name in line])
    assert len(lines) == 1, (name, out)
    return lines[0]


# --- bad files, one of each kind ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A file a unit might send that must be refused: its name, kind, the refusal's code, how it is made."""

    name: str
    kind: str
    code: str
    build: Callable[[Callable, Path, Path], bytes]  # (cli, workspace, scratch folder) -> the file's bytes
    phrase: str = ""  # what the message must say beyond its template (facts read from the file)


def random_bytes(cli, workspace, scratch) -> bytes:
    return random.Random(4).randbytes(20_000)


def csv_text(cli, workspace, scratch) -> bytes:
    return "编号,自评得分,扣分说明\r\n1.1,10,\r\n1.2,4,少报送一次\r\n".encode("gb18030")


def html_table(cli, workspace, scratch) -> bytes:
    return ('<html><head><meta charset="utf-8"><title>自评表</title></head><body><table>'
            "<tr><td>编号</td><td>自评得分</td></tr><tr><td>1.1</td><td>10</td></tr></table></body></html>").encode()


def truncated(cli, workspace, scratch) -> bytes:
    data = fill(workspace, scratch / "full.xlsx").read_bytes()
    return data[: len(data) * 6 // 10]


def corrupt_part(cli, workspace, scratch) -> bytes:
    """Bytes flipped at the start of the 自评表 part's compressed data: an invalid deflate block."""
    data = bytearray(fill(workspace, scratch / "full.xlsx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SCORE_PART)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start : start + 8] = bytes(b ^ 0xFF for b in data[start : start + 8])
    with pytest.raises(zlib.error):  # what the brief calls a corrupt part: openpyxl raises zlib.error
        openpyxl.load_workbook(io.BytesIO(bytes(data)))
    return bytes(data)


def malformed_part(cli, workspace, scratch) -> bytes:
    """The 自评表 part cut in half and zipped again: sound CRCs, XML that does not parse."""
    return rewrite_part(fill(workspace, scratch / "full.xlsx").read_bytes(), SCORE_PART, lambda b: b[: len(b) // 2])


def wrong_attribute(cli, workspace, scratch) -> bytes:
    """Well-formed XML with a sheet id that is no number: openpyxl raises TypeError, not a parse error."""

    def change(body: bytes) -> bytes:
        assert b'sheetId="2"' in body
        return body.replace(b'sheetId="2"', b'sheetId="abc"')

    return rewrite_part(fill(workspace, scratch / "full.xlsx").read_bytes(), "xl/workbook.xml", change)


def encrypted(cli, workspace, scratch) -> bytes:
    """What Excel writes for a workbook with an open password: an OLE container with the encryption streams."""
    streams = ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in streams)
    return bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + names + random.Random(7).randbytes(4000)


def ods(cli, workspace, scratch) -> bytes:
    """An OpenDocument spreadsheet with no sheet in it: nothing to read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                         'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>', zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def other_campaign(cli, workspace, scratch) -> bytes:
    """A workbook generated by the 2018 campaign."""
    other = scratch / "ws2018"
    assert cli("init", other, "--year", "2018").code == 0
    assert cli("generate", "--unit", DEPT, "-w", other).code == 0
    return outbox_file(other, DEPT, 2018).read_bytes()


def unknown_unit(cli, workspace, scratch) -> bytes:
    """A workbook of this very campaign (same year and title) for a unit that is not on this roster."""
    book = openpyxl.load_workbook(workspace / "units.xlsx")
    book.active.append(["区新设局", "区级部门", "王新", "0839-8709999", "new@example.invalid"])
    roster = scratch / "名单.xlsx"
    book.save(roster)
    other = scratch / "ws_roster"
    assert cli("init", other, "--units", roster).code == 0
    shutil.copyfile(workspace / "fazhi.secret", other / "fazhi.secret")  # the office's own form, made before
    assert cli("generate", "--unit", "区新设局", "-w", other).code == 0  # the unit left the roster
    return outbox_file(other, "区新设局").read_bytes()


def entity_expansion(cli, workspace, scratch) -> bytes:
    """A billion-laughs DOCTYPE in the 自评表 part, expanded in a cell: defusedxml must refuse it."""
    entities = '<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))

    def attack(body: bytes) -> bytes:
        text = body.decode("utf-8").replace("<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1)
        text, replaced = re.subn(r"<t>[^<]*</t>", "<t>&i;</t>", text, count=1)
        assert replaced == 1
        return text.encode("utf-8")

    data = rewrite_part(fill(workspace, scratch / "full.xlsx").read_bytes(), SCORE_PART, attack)
    with pytest.raises(ValueError) as refused:  # openpyxl, through defusedxml, refuses to expand it
        openpyxl.load_workbook(io.BytesIO(data))
    assert isinstance(refused.value.__cause__, EntitiesForbidden)
    return data


def pdf_alone(cli, workspace, scratch) -> bytes:
    return PDF


CASES = {
    "random_bytes": Case("区司法局自评表.xlsx", "unknown", "not_a_workbook", random_bytes),
    "csv_renamed": Case("区财政局自评表.xlsx", "text", "text_file", csv_text),
    "html_as_xls": Case("区教育局自评表.xls", "html", "web_page", html_table),
    "truncated": Case("区交通局自评表.xlsx", "xlsx", "truncated", truncated),
    "corrupt_part": Case("区民政局自评表.xlsx", "xlsx", "damaged", corrupt_part),
    "malformed_part": Case("区水务局自评表.xlsx", "xlsx", "unreadable", malformed_part),
    "wrong_attribute": Case("区住建局自评表.xlsx", "xlsx", "unreadable", wrong_attribute),
    "encrypted": Case("区卫计局自评表.xlsx", "encrypted", "encrypted", encrypted),
    "ods": Case("区林业局自评表.ods", "ods", "unreadable_spreadsheet", ods),
    "foreign_campaign": Case("2018年度法治政府建设自评表_区发改局.xlsx", "xlsx", "foreign_campaign", other_campaign,
                             "是“2018年度法治政府建设考核”的自评表,不属于本次“2017年度法治政府建设考核”"),
    "unknown_unit": Case("2017年度法治政府建设自评表_区新设局.xlsx", "xlsx", "unknown_unit", unknown_unit,
                         "“区新设局”"),
    "entity_expansion": Case("区商务局自评表.xlsx", "xlsx", "unsafe_dtd", entity_expansion),  # before any parser
    "pdf_alone": Case("工作总结.pdf", "pdf", "material_alone", pdf_alone),
}


def write_case(case: Case, cli, workspace: Path, folder: Path, scratch: Path) -> Path:
    scratch.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.name
    path.write_bytes(case.build(cli, workspace, scratch))
    return path


def oversized(folder: Path) -> Path:
    """A sparse 21 MB file that starts like a zip."""
    path = folder / "区审计局自评表.xlsx"
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(21 * MIB)
    return path


def zip_bomb(folder: Path) -> Path:
    """A 300 KB zip whose one member inflates to 300 MB of zeros (written by streaming)."""
    path = folder / "区统计局材料.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("自评表.xlsx", "w", force_zip64=True) as member:
        block = bytes(MIB)
        for _ in range(300):
            member.write(block)
    assert path.stat().st_size < MIB
    return path


def assert_refused_and_kept(workspace: Path, result, path: Path, kind: str, code: str, phrase: str = "") -> None:
    """The file is recorded as refused with its code, named in the report with the reason (and `phrase`), and its
    bytes are kept."""
    row = file_row(workspace, path.name)
    original = sha256(path.read_bytes())
    assert (row["outcome"], row["code"], row["kind"], row["sha256"], row["unit"]) == (
        "refused", code, kind, original, None)
    assert row["size"] == path.stat().st_size
    assert row["message"].startswith(f"「{path.name}」") and phrase in row["message"]
    line = outcome_line(result.out, f"「{path.name}」")
    assert "退回" in line and row["message"] in line, line
    assert kept(workspace, original) == path.read_bytes()


# --- refusals -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", CASES)
def test_each_bad_file_is_refused_named_and_kept_byte_for_byte(case_id, cli, ws, tmp_path):
    case = CASES[case_id]
    path = write_case(case, cli, ws, tmp_path / "in", tmp_path / "scratch")
    result = cli("ingest", path, "-w", ws)
    assert result.code == 1, result.out + result.err
    assert_refused_and_kept(ws, result, path, case.kind, case.code, case.phrase)
    assert "共处理 1 个文件:退回 1" in result.out and "有文件被退回" in result.err
    assert query(ws, "SELECT COUNT(*) FROM submissions")[0][0] == 0


def test_an_oversized_file_is_refused_unread_and_still_kept(cli, ws, tmp_path):
    path = oversized(tmp_path)
    result = cli("ingest", path, "-w", ws)
    assert result.code == 1
    phrase = "过大(21 MB),超过“单个文件大小(字节)”上限 20971520(20 MB)"
    assert_refused_and_kept(ws, result, path, "xlsx", "too_large", phrase)


def test_a_zip_bomb_is_refused_without_inflating_it_and_kept(cli, ws, tmp_path):
    path = zip_bomb(tmp_path)
    result = cli("ingest", path, "-w", ws)
    assert result.code == 1
    phrase = "解压后共 300 MB,超过“压缩包解压后总大小(字节)”上限 209715200(200 MB)"
    assert_refused_and_kept(ws, result, path, "zip", "zip_bomb", phrase)
    assert counts(ws)["files"] == 1  # the member was never taken out


def test_one_bad_file_does_not_stop_the_batch_and_lock_files_are_skipped(cli, ws, tmp_path):
    folder = tmp_path / "收件箱"
    bad = [write_case(case, cli, ws, folder, tmp_path / "scratch" / key) for key, case in CASES.items()]
    bad += [oversized(folder), zip_bomb(folder)]
    first = fill(ws, folder / "00 区发改局.xlsx", DEPT)
    last = fill(ws, folder / "子文件夹" / "zz 元坝镇.xlsx", TOWN)
    lock = folder / "~$00 区发改局.xlsx"
    lock.write_bytes(b"\x05Owner".ljust(165, b"\0"))
    result = cli("ingest", folder, "-w", ws)
    assert result.code == 1
    assert f"共处理 {len(bad) + 2} 个文件:已收取 2,退回 {len(bad)}" in result.out
    for path in bad:
        assert "退回" in outcome_line(result.out, f"「{path.name}」")
    for path, unit in ((first, DEPT), (last, TOWN)):
        assert "已收取" in outcome_line(result.out, path.name)
        row = file_row(ws, path.name)
        assert (row["outcome"], row["unit"]) == ("taken", unit)
        assert kept(ws, row["sha256"]) == path.read_bytes()
    assert "~$" not in result.out + result.err
    explicit = cli("ingest", lock, "-w", ws)
    assert explicit.code == 0 and "~$" not in explicit.out + explicit.err
    assert "共处理 0 个文件:无" in explicit.out
    assert query(ws, "SELECT COUNT(*) FROM files WHERE original_name LIKE '~$%'")[0][0] == 0
    assert sha256(lock.read_bytes()) not in archived(ws)
    assert {sha256(p.read_bytes()) for p in [*bad, first, last]} == archived(ws)
    assert counts(ws)["files"] == len(bad) + 2 and counts(ws)["submissions"] == 2

    validated = cli("validate", "--json", "-w", ws)
    assert validated.code == 1
    refused = [f for f in validated.json()["findings"] if f["unit"] is None]
    assert sorted(f["file"] for f in refused) == sorted(p.name for p in bad)
    assert all(set(f) == {"unit", "severity", "code", "ref", "cell", "message", "file"} for f in refused)
    assert all((f["severity"], f["ref"], f["cell"]) == ("error", None, None) for f in refused)
    expected = {case.name: case.code for case in CASES.values()}
    expected |= {"区审计局自评表.xlsx": "too_large", "区统计局材料.zip": "zip_bomb"}
    assert {f["file"]: f["code"] for f in refused} == expected
    assert [f for f in validated.json()["findings"] if f["unit"] is not None] == []


# --- workbooks taken ------------------------------------------------------------------------------------------------


def stored_values(workspace: Path, unit: str) -> dict[tuple[str, str], object]:
    """The raw values of the unit's only submission, as the store keeps them (JSON-decoded)."""
    rows = query(workspace, "SELECT v.submission_id, v.ref, v.field, v.raw FROM submission_values v "
                 "JOIN submissions s ON s.id = v.submission_id WHERE s.unit = ?", unit)
    assert len({r["submission_id"] for r in rows}) == 1
    return {(r["ref"], r["field"]): json.loads(r["raw"]) for r in rows}


def assert_values_are(workspace: Path, unit: str, answers: Answers) -> None:
    """Every fact, score, note and task status the unit typed was read and stored."""
    values = stored_values(workspace, unit)
    assert {k: values[(k, "fact")] for k in answers.facts} == answers.facts
    assert {k: values[(k, "score")] for k in answers.scores} == answers.scores
    assert {k: values[(k, "note")] for k in answers.notes} == answers.notes
    assert {n: values[(f"task:{n}", "status")] for n in answers.tasks} == {n: s for n, (s, _) in answers.tasks.items()}


def test_a_wps_save_with_a_wrong_dimension_is_read_in_full(cli, ws, tmp_path):
    answers = clean_answers(DEPT)
    data = fill(ws, tmp_path / "filled.xlsx", DEPT, answers).read_bytes()

    def wps(body: bytes) -> bytes:
        text, replaced = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1"/>', body.decode("utf-8"))
        assert replaced == 1
        return text.encode("utf-8")

    path = tmp_path / "WPS另存.xlsx"
    path.write_bytes(rewrite_part(data, SCORE_PART, wps))
    stamp(path, ON_TIME)
    result = cli("ingest", path, "-w", ws)
    assert result.code == 0, result.out
    assert "已收取" in outcome_line(result.out, path.name)
    assert_values_are(ws, DEPT, answers)
    assert cli("validate", "--json", "-w", ws).json() == {"findings": []}


@pytest.mark.libreoffice
def test_a_libreoffice_round_trip_is_taken_with_its_values(cli, ws, tmp_path):
    soffice = external_tool("soffice")
    answers = clean_answers(TOWN)
    filled = fill(ws, tmp_path / "元坝镇自评表.xlsx", TOWN, answers)
    saved = stamp(libreoffice_convert(soffice, filled, tmp_path / "lo", tmp_path / "profile"), ON_TIME)
    assert sha256(saved.read_bytes()) != sha256(filled.read_bytes())
    with zipfile.ZipFile(saved) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # written the way LibreOffice writes, not openpyxl
    result = cli("ingest", saved, "-w", ws)
    assert result.code == 0, result.out
    row = file_row(ws, saved.name)
    assert (row["outcome"], row["unit"]) == ("taken", TOWN)
    assert_values_are(ws, TOWN, answers)
    validated = cli("validate", "--json", "-w", ws)
    assert (validated.code, validated.json()) == (0, {"findings": []})


def test_an_email_with_gb2312_names_is_received_by_the_office_clock_and_keeps_the_pdf(cli, ws, tmp_path, office_clock):
    workbook = fill(ws, tmp_path / "filled.xlsx", DEPT).read_bytes()
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raw = mail_bytes("Fri, 08 Dec 2017 09:30:00 +0000",
                     [("区发改局自评表.xlsx", workbook, xlsx_type), ("工作总结.pdf", PDF, "application/pdf")])
    assert b"=?GB2312?B?" in raw and "区发改局".encode() not in raw
    mail = tmp_path / "回复:自评表.eml"
    mail.write_bytes(raw)
    stamp(mail, dt.datetime(2018, 1, 3, tzinfo=CHINA))  # the file's own time: recorded, never trusted
    office_clock(dt.datetime(2017, 12, 8, 18, 0, tzinfo=CHINA))  # the clerk takes it half an hour after it was sent
    result = cli("ingest", mail, "-w", ws)
    assert result.code == 0, result.out
    assert "已收取" in outcome_line(result.out, "区发改局自评表.xlsx")
    assert "附件材料" in outcome_line(result.out, "工作总结.pdf")

    taken = file_row(ws, "区发改局自评表.xlsx")
    assert (taken["outcome"], taken["unit"], taken["kind"]) == ("taken", DEPT, "xlsx")
    assert taken["received_at"] == "2017-12-08T18:00:00+08:00"  # the office's clock
    assert taken["sent_at"] == "2017-12-08T17:30:00+08:00"  # the Date header, kept apart
    assert taken["file_time"] == "2018-01-03T00:00:00+08:00"
    assert taken["origin"] == "邮件 回复:自评表.eml 的附件"
    submission = query(ws, "SELECT * FROM submissions")
    assert [(s["unit"], s["received_at"]) for s in submission] == [(DEPT, "2017-12-08T18:00:00+08:00")]
    assert kept(ws, taken["sha256"]) == workbook

    pdf = file_row(ws, "工作总结.pdf")
    assert (pdf["outcome"], pdf["unit"], pdf["kind"]) == ("material", DEPT, "pdf")
    assert [tuple(m) for m in query(ws, "SELECT file_id, unit FROM materials")] == [(pdf["id"], DEPT)]
    assert kept(ws, pdf["sha256"]) == PDF
    container = file_row(ws, mail.name)
    assert (container["outcome"], container["received_at"]) == ("unpacked", "2017-12-08T18:00:00+08:00")
    assert kept(ws, container["sha256"]) == raw

    status = cli("status", "--json", "-w", ws)
    assert status.code == 0
    unit = next(u for u in status.json()["units"] if u["unit"] == DEPT)
    assert unit["returned"] and unit["materials"] == ["工作总结.pdf"]
    assert unit["received_at"] == "2017-12-08T18:00:00+08:00"
    assert cli("validate", "--json", "-w", ws).json() == {"findings": []}  # on time by the office's clock


def test_a_zip_with_gbk_names_without_the_utf8_flag(cli, ws, tmp_path):
    workbook = fill(ws, tmp_path / "filled.xlsx", TOWN).read_bytes()
    archive = tmp_path / "元坝镇材料.zip"
    archive.write_bytes(zip_with_gbk_names([("元坝镇/2017年度自评表(元坝镇).xlsx", workbook),
                                            ("元坝镇/佐证材料.pdf", PDF)]))
    stamp(archive, ON_TIME)
    result = cli("ingest", archive, "-w", ws)
    assert result.code == 0, result.out
    row = file_row(ws, "2017年度自评表(元坝镇).xlsx")
    assert (row["outcome"], row["unit"]) == ("taken", TOWN)
    assert row["origin"] == "压缩包 元坝镇材料.zip 中的 元坝镇/2017年度自评表(元坝镇).xlsx"
    assert kept(ws, row["sha256"]) == workbook
    assert (file_row(ws, "佐证材料.pdf")["outcome"], file_row(ws, "佐证材料.pdf")["unit"]) == ("material", TOWN)
    assert file_row(ws, archive.name)["outcome"] == "unpacked"
    assert "2017年度自评表(元坝镇).xlsx" in result.out


def test_the_same_content_twice_is_a_duplicate_and_changes_nothing(cli, ws, tmp_path):
    first = fill(ws, tmp_path / "区发改局.xlsx", DEPT)
    again = tmp_path / "again" / "区发改局(1).xlsx"
    again.parent.mkdir()
    shutil.copy2(first, again)
    assert cli("ingest", first, "-w", ws).code == 0
    before = counts(ws)
    for path in (first, again, again):
        result = cli("ingest", path, "-w", ws)
        assert result.code == 0
        line = outcome_line(result.out, path.name)
        assert "重复" in line and "与12-05 10:00收到的「区发改局.xlsx」内容相同,未重复计入" in line
        assert "共处理 1 个文件:重复 1" in result.out
    # nothing counts twice; the copy's coming in is listed once (a rerun of the same file records nothing more)
    assert counts(ws) == {**before, "files": before["files"] + 1}
    assert before["submissions"] == 1 and before["files"] == 1
    listed = cli("files", "--json", "-w", ws).json()["files"]
    assert [(f["original_name"], f["state"]) for f in listed] == [("区发改局.xlsx", "current"),
                                                                 ("区发改局(1).xlsx", "duplicate")]


def test_a_renamed_file_still_identifies_its_unit(cli, ws, tmp_path):
    # a name naming another unit is evidence against the identity (held: tests/test_held.py); this one names none
    path = fill(ws, tmp_path / "新建 Microsoft Excel 工作表.xlsx", DEPT)
    result = cli("ingest", path, "-w", ws)
    assert result.code == 0
    assert DEPT in outcome_line(result.out, path.name)
    assert file_row(ws, path.name)["unit"] == DEPT
    assert [s["unit"] for s in query(ws, "SELECT unit FROM submissions")] == [DEPT]


def test_the_version_the_office_received_last_is_current_whatever_its_own_dates(cli, ws, tmp_path, office_clock):
    def version(name: str, score_1_2: int, day: int) -> Path:
        answers = clean_answers(DEPT)
        answers.scores["1.2"] = score_1_2
        answers.notes["1.2"] = "" if score_1_2 == 5 else "信息报送不及时"
        return fill(ws, tmp_path / name, DEPT, answers, dt.datetime(2017, 12, day, 9, 0, tzinfo=CHINA))

    # the files' own times say 初稿 is oldest; the office receives 修改稿 first, then 初稿, then 定稿
    older, newer, newest = version("初稿.xlsx", 3, 1), version("修改稿.xlsx", 4, 3), version("定稿.xlsx", 5, 5)

    def current() -> str:
        rows = query(ws, "SELECT f.original_name FROM submissions s JOIN files f ON f.id = s.file_id "
                     "ORDER BY s.received_at DESC, s.id DESC LIMIT 1")
        return rows[0]["original_name"]

    office_clock(dt.datetime(2017, 12, 6, 9, 0, tzinfo=CHINA))
    assert cli("ingest", newer, "-w", ws).code == 0
    office_clock(dt.datetime(2017, 12, 7, 9, 0, tzinfo=CHINA))
    result = cli("ingest", older, "-w", ws)
    assert result.code == 0
    assert "非最新" not in result.out  # received last: it is current, whatever its file time says
    assert current() == older.name
    status = next(u for u in cli("status", "--json", "-w", ws).json()["units"] if u["unit"] == DEPT)
    assert [(v["original_name"], v["current"]) for v in status["versions"]] == [(older.name, True), (newer.name, False)]
    assert [v["received_at"] for v in status["versions"]] == ["2017-12-07T09:00:00+08:00", "2017-12-06T09:00:00+08:00"]
    assert query(ws, "SELECT COUNT(DISTINCT submission_id) FROM submission_values")[0][0] == 2

    result = cli("ingest", newest, "-w", ws)  # the same moment on the office's clock: ingest order settles it
    assert result.code == 0 and "已收取" in outcome_line(result.out, newest.name)
    assert current() == newest.name
    status = next(u for u in cli("status", "--json", "-w", ws).json()["units"] if u["unit"] == DEPT)
    assert [v["original_name"] for v in status["versions"]] == [newest.name, older.name, newer.name]
    assert [v["current"] for v in status["versions"]] == [True, False, False]
    validated = cli("validate", "--json", "-w", ws)
    assert validated.json() == {"findings": []}  # the current one (5 of 5 on 1.2) is clean


def test_an_email_dated_in_the_future_does_not_beat_a_later_correction(cli, ws, tmp_path, office_clock):
    """A unit dates its e-mail 2099 so that it would "win"; the office's clock decides, and the Date is flagged."""
    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    first = clean_answers(DEPT)
    first.scores["1.2"] = 4
    first.notes["1.2"] = "信息报送不及时"
    forged = tmp_path / "2099.eml"
    forged.write_bytes(mail_bytes("Thu, 01 Jan 2099 09:00:00 +0800", [
        ("区发改局自评表.xlsx", fill(ws, tmp_path / "a.xlsx", DEPT, first).read_bytes(), xlsx_type)]))
    office_clock(dt.datetime(2017, 12, 6, 9, 0, tzinfo=CHINA))
    result = cli("ingest", forged, "-w", ws)
    assert result.code == 0
    line = outcome_line(result.out, "区发改局自评表.xlsx")
    assert "邮件日期 2099-01-01 09:00 晚于法制办收取时间 2017-12-06 09:00" in line

    correction = fill(ws, tmp_path / "更正.xlsx", DEPT)
    office_clock(dt.datetime(2017, 12, 8, 9, 0, tzinfo=CHINA))
    assert cli("ingest", correction, "-w", ws).code == 0
    versions = next(u for u in cli("status", "--json", "-w", ws).json()["units"] if u["unit"] == DEPT)["versions"]
    assert [(v["original_name"], v["current"]) for v in versions] == [
        ("更正.xlsx", True), ("区发改局自评表.xlsx", False)]
    assert cli("validate", "--json", "-w", ws).json() == {"findings": []}

    # were the forged one current, validate would show its Date as a warning
    first.scores["1.2"] = 3
    again = tmp_path / "again.eml"
    again.write_bytes(mail_bytes("Thu, 01 Jan 2099 09:00:00 +0800", [
        ("区发改局自评表.xlsx", fill(ws, tmp_path / "b.xlsx", DEPT, first).read_bytes(), xlsx_type)]))
    assert cli("ingest", again, "-w", ws).code == 0
    found = cli("validate", "--json", "-w", ws).json()["findings"]
    assert [(f["code"], f["severity"]) for f in found] == [("date_suspicious", "warning")]
    assert "邮件日期 2099-01-01 09:00 晚于法制办收取时间 2017-12-08 09:00" in found[0]["message"]
