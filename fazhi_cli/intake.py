"""The edge of `fazhi ingest`: turn the paths a clerk hands in into a flat stream of incoming files.

Folders are walked, e-mails (.eml) and zip archives are unpacked, and every file is classified by its
bytes (`sniff`). Nothing here parses a workbook, touches the store or writes a file, and nothing raises
for a bad input file: each problem becomes the `problem` of an `Incoming`, a Chinese message that names
the file and says what the unit should do.

Names that come from outside (attachment file names, zip entry names) are display text only: they
are never used as paths.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.policy
import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

KINDS = (
    "xlsx", "xlsm", "encrypted", "legacy", "ods", "html", "text", "pdf", "word", "image", "zip", "eml", "empty",
    "unknown",
)  # fmt: skip

MAX_FILE_BYTES = 20 * 1024 * 1024  # any single file or member
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # sum of uncompressed sizes in one zip (also for an xlsx)
MAX_RATIO = 100  # uncompressed/compressed per member (members over 1 MiB uncompressed only)
MAX_MEMBERS = 2000
MAX_NESTING = 1  # a container inside a container is unpacked; one inside that is refused

_MIB = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_HTML_PREFIXES = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta")
_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_WORKBOOK_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsm"}
_WORD_SUFFIXES = (".doc", ".dot", ".wps")
_MAIL_HEADERS = frozenset(
    {"from", "received", "mime-version", "return-path", "date", "message-id", "delivered-to", "subject", "to"}
)
_MAIL_CORE_HEADERS = ("From", "Date", "Subject", "To", "Message-ID", "Received", "MIME-Version", "Content-Type")
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_NAME_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_SKIPPED_NAMES = frozenset({"thumbs.db", "desktop.ini"})

# What the zip and mail libraries raise on a damaged input (zlib.error is not a BadZipFile).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, struct.error)
_MAIL_ERRORS = (email.errors.MessageError, ValueError, TypeError, LookupError, AttributeError, UnicodeError)


@dataclass(frozen=True)
class Incoming:
    """One incoming file: its bytes, where it came from, what it is and whether it can be taken."""

    data: bytes = field(repr=False)
    original_name: str
    origin: str
    file_time: datetime | None  # the file's own time as the sender's system set it: never trusted for order
    group: str
    kind: str
    is_container: bool = False
    problem: str | None = None
    source: Path | None = None  # a file too large to read into memory: where its bytes are to be kept from
    sent_at: datetime | None = None  # the Date header of the e-mail it came in: shown, never used for order
    explicit: bool = False  # a file the clerk named on the command line (not found in a folder or container)
    skipped: str | None = None  # why it was passed over without being kept (fazhi's own folder, a symlink)


@dataclass(frozen=True)
class _Context:
    """Where an item sits: its origin text, how its members name it, its time, group and nesting depth."""

    origin: str
    label: str | None  # None at the top level: the label is then chosen by the kind ("压缩包 x.zip")
    file_time: datetime | None
    group: str
    depth: int
    sent_at: datetime | None = None
    explicit: bool = False


@dataclass
class _Budget:
    """What one top-level input may still unpack, shared by every archive nested in it."""

    bytes_left: int = MAX_UNPACKED_BYTES
    members_left: int = MAX_MEMBERS


@dataclass(frozen=True)
class _Attachment:
    """A file found in an e-mail."""

    name: str
    data: bytes
    damaged: bool


@dataclass(frozen=True)
class _Mail:
    """What an e-mail holds, or why it cannot be read."""

    sent_at: datetime | None
    attachments: tuple[_Attachment, ...]
    problem: str | None  # "unreadable", "truncated" or None


# --- sniffing -------------------------------------------------------------------------------------------------


def sniff(data: bytes, name: str) -> str:
    """Kind by content (magic bytes / zip directory), with the name's suffix only as a tie-breaker."""
    if not data:
        return "empty"
    suffix = _suffix(name)
    if data.startswith(_ZIP_MAGIC):
        return _sniff_zip(data, suffix)
    if data.startswith(_OLE_MAGIC):
        return _sniff_ole(data, suffix)
    if data[:1024].lstrip(b" \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if _is_image(data):
        return "image"
    text = _decode_head(data)
    head = (text or "").lstrip("\ufeff \t\r\n").lower()
    if head.startswith(_HTML_PREFIXES):
        return "html"
    if suffix == ".eml" and b"\x00" not in data[:_SNIFF_BYTES]:
        return "eml"
    if text is None:
        return "unknown"
    if head.startswith("<?xml") and 'progid="excel.sheet"' in head[:1000]:
        return "legacy"  # an Excel 2003 XML spreadsheet
    if _looks_like_mail(text):
        return "eml"
    return "text"


def _suffix(name: str) -> str:
    """The lower-case suffix of a display name ('' when none)."""
    base = _base_name(name)
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def _sniff_zip(data: bytes, suffix: str) -> str:
    """Tell a workbook, an OpenDocument file, a Word document and a plain zip apart by the directory."""
    archive = _open_zip(data)
    if archive is None:
        return _WORKBOOK_SUFFIXES.get(suffix, "zip")  # broken: xlsx_problem / collect report it
    with archive:
        names = set(archive.namelist())
        mimetype = _odf_mimetype(archive) if "mimetype" in names else None
    if "[Content_Types].xml" in names:
        return _sniff_ooxml(names, suffix)
    if "word/document.xml" in names:
        return "word"
    if mimetype is not None:
        if mimetype == _ODS_MIMETYPE:
            return "ods"
        return "word" if mimetype.startswith(_ODT_MIMETYPE) else "unknown"
    return "zip"


def _sniff_ooxml(names: set[str], suffix: str) -> str:
    """An Office Open XML package: workbook, macro workbook, binary workbook, Word, or something else."""
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "legacy"  # .xlsb: to be saved as .xlsx like an old .xls
    if "word/document.xml" in names:
        return "word"
    return _WORKBOOK_SUFFIXES.get(suffix, "unknown")  # a damaged workbook, or e.g. a .pptx


def _odf_mimetype(archive: zipfile.ZipFile) -> str | None:
    """The `mimetype` member of an OpenDocument file, read only when it is small."""
    info = archive.getinfo("mimetype")
    if info.file_size > 200 or info.compress_size > 200:
        return None
    try:
        return archive.read(info).decode("ascii").strip()
    except (*_ZIP_ERRORS, RuntimeError):
        return None


def _sniff_ole(data: bytes, suffix: str) -> str:
    """An OLE compound file: a password-protected OOXML file, a Word file, or an old Excel file."""
    if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
        return "encrypted"
    if _utf16("WordDocument") in data:
        return "word"
    if _utf16("__substg1.0_") in data or _utf16("PowerPoint Document") in data:
        return "unknown"  # an Outlook .msg or a PowerPoint file
    return "word" if suffix in _WORD_SUFFIXES else "legacy"


def _utf16(stream_name: str) -> bytes:
    """A stream name as it is stored in an OLE directory."""
    return stream_name.encode("utf-16-le")


def _is_image(data: bytes) -> bool:
    """PNG, JPEG, GIF, TIFF, BMP or WebP magic bytes."""
    if data.startswith(_IMAGE_MAGIC):
        return True
    if data.startswith(b"BM") and len(data) >= 26 and data[6:10] == b"\x00\x00\x00\x00":
        return True
    return data.startswith(b"RIFF") and data[8:12] == b"WEBP"


def _decode_head(data: bytes) -> str | None:
    """The start of the data as text (UTF-8, GB18030 or UTF-16 with a BOM), or None when it is binary."""
    head = data[:_SNIFF_BYTES]
    final = len(data) <= _SNIFF_BYTES
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=final)
        except UnicodeDecodeError:
            continue
        return None if _CONTROL_CHARS.search(text) else text
    return None


def _looks_like_mail(text: str) -> bool:
    """True when the text starts with a block of e-mail headers ("From:", "Received:", ...)."""
    lines = text.lstrip("\ufeff").splitlines()[:40]
    first = _HEADER_LINE.match(lines[0]) if lines else None
    if first is None or first.group(1).lower() not in _MAIL_HEADERS:
        return False
    headers = 0
    for line in lines:
        if not line.strip():
            break
        headers += bool(_HEADER_LINE.match(line))
    return headers >= 2


# --- refusals ---------------------------------------------------------------------------------------------------


def refusal_for_kind(kind: str, name: str) -> str | None:
    """The Chinese refusal for a file handed in as a workbook that is not one; None for kinds that are fine."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    shown = _display_name(name)
    if kind == "encrypted":
        return f"「{shown}」已加密(设有打开密码),无法读取。请取消密码后重新保存为 .xlsx 再报送。"
    if kind == "legacy":
        return (
            f"「{shown}」是旧版或非标准格式的 Excel 文件(如 .xls、.et、.xlsb),无法读取。"
            "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再报送。"
        )
    if kind == "ods":
        return f"「{shown}」是 OpenDocument 表格(.ods),无法读取。请用 Excel 或 WPS 另存为 Excel 工作簿(.xlsx)后报送。"
    if kind == "html":
        return (
            f"「{shown}」实际是网页文件(只是扩展名像 Excel),不是 Excel 工作簿。"
            "请报送下发的原始 .xlsx 自评表,不要“另存为网页”或修改扩展名。"
        )
    if kind == "text":
        return (
            f"「{shown}」实际是文本或 CSV 文件,不是 Excel 工作簿。"
            "请在下发的 .xlsx 自评表中填写后直接保存报送,不要导出为 CSV 或修改扩展名。"
        )
    if kind == "empty":
        return _empty_message(shown)
    if kind == "unknown":
        return _unknown_message(shown)
    return None


def _empty_message(shown: str) -> str:
    """The refusal for a file of zero bytes."""
    return f"「{shown}」是空文件(0 字节),可能保存或传输失败。请重新保存后报送。"


def _unknown_message(shown: str) -> str:
    """The refusal for a file that is no known kind; a few well-known names get a precise hint."""
    lowered = shown.lower()
    if lowered.endswith(".msg"):
        return (
            f"「{shown}」是 Outlook 邮件文件(.msg),无法读取。请在 Outlook 中把附件另存出来,或把邮件另存为 .eml 后导入。"
        )
    if lowered == "winmail.dat":
        return (
            f"「{shown}」是 Outlook 专用格式的附件包,无法读取。请联系报送单位以普通附件方式(非 RTF 格式邮件)重新发送。"
        )
    return f"「{shown}」无法识别为 Excel 工作簿。请报送下发的 .xlsx 自评表。"


def _too_large_message(shown: str, size: int) -> str:
    """The refusal for a file over MAX_FILE_BYTES."""
    return (
        f"「{shown}」过大({_mb(size)} MB),超过 {_mb(MAX_FILE_BYTES)} MB 的上限,未予读取。"
        "请确认是否选错了文件;自评表请单独报送,不要嵌入大图片或附件。"
    )


def _bomb_message(shown: str, reason: str) -> str:
    """The refusal for an archive whose directory promises too much."""
    return f"「{shown}」疑似压缩炸弹({reason}),未予解压。请直接报送 Excel 自评表,或只把自评表放入压缩包后重新压缩报送。"


def _mb(size: int) -> str:
    """A byte count in MB with one decimal."""
    return f"{size / _MIB:.1f}".removesuffix(".0")


# --- workbooks ----------------------------------------------------------------------------------------------------


def xlsx_problem(data: bytes, name: str) -> str | None:
    """For a zip-based workbook: None if it looks safe to hand to openpyxl, else a Chinese message.

    The central directory is checked first (member count, sizes, ratios) so that a zip bomb is caught
    without inflating it; then every part is decompressed and CRC-checked (`ZipFile.testzip`), and the
    `[Content_Types].xml` and `xl/workbook.xml` parts must exist.
    """
    shown = _display_name(name)
    archive = _open_zip(data)
    if archive is None:
        return (
            f"「{shown}」文件已损坏或不完整(可能保存或传输中断),无法打开。"
            "请用 Excel 或 WPS 打开确认无误后重新保存,再报送。"
        )
    with archive:
        infos = archive.infolist()
        reason = _directory_problem(infos, len(data), MAX_UNPACKED_BYTES, MAX_MEMBERS)
        if reason is not None:
            return f"「{shown}」内部数据异常,疑似压缩炸弹({reason}),未予读取。请在下发的自评表中重新填写后报送。"
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return f"「{shown}」不是完整的 Excel 工作簿(缺少工作簿部件)。请用 Excel 或 WPS 另存为 .xlsx 后报送。"
        if _first_corrupt_part(archive, infos) is not None:
            return (
                f"「{shown}」文件已损坏(内部数据校验失败),无法读取。请用 Excel 或 WPS 打开确认无误后重新保存,再报送。"
            )
    return None


def _first_corrupt_part(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    """The name of a part that fails to decompress or fails its CRC, else None (testzip plus zlib errors)."""
    for info in infos:
        if info.flag_bits & _ENCRYPTED_FLAG:
            return info.filename
    try:
        return archive.testzip()
    except (*_ZIP_ERRORS, RuntimeError):
        return "?"


# --- zip archives ---------------------------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive (only its central directory is read), or None when it is not a readable zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return None


def _directory_problem(infos: list[zipfile.ZipInfo], archive_size: int, max_bytes: int, max_members: int) -> str | None:
    """Why the directory looks like a zip bomb (in Chinese), judged without decompressing anything."""
    if len(infos) > max_members:
        return f"包含 {len(infos)} 个文件,超过 {max_members} 个的上限"
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        return f"解压后共 {_mb(total)} MB,超过 {_mb(max_bytes)} MB 的上限"
    for info in infos:
        if info.file_size > _MIB and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            return f"其中「{_member_path(info)}」的压缩比约为 {ratio}:1,超过 {MAX_RATIO}:1 的上限"
    if sum(info.compress_size for info in infos) > archive_size:
        return "目录中的条目相互重叠"
    return None


def _member_path(info: zipfile.ZipInfo) -> str:
    """An entry's name as text: UTF-8 when flagged, the Info-ZIP Unicode path, else UTF-8 or GBK by content."""
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename
    raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as cp437, which is reversible
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    for encoding in ("ascii", "utf-8", "gb18030"):  # UTF-8 first: macOS writes it without the flag
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


def _unicode_path_extra(extra: bytes, raw_name: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075) when present and matching the raw name."""
    offset = 0
    while offset + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + size]
        offset += 4 + size
        if tag != _UNICODE_PATH_EXTRA or len(body) < 5 or body[0] != 1:
            continue
        if struct.unpack_from("<I", body, 1)[0] != zlib.crc32(raw_name):
            continue
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _path_parts(member_path: str) -> list[str]:
    """The components of an entry name (either slash), without empty, '.' and '..' components."""
    return [part for part in re.split(r"[/\\]", member_path) if part not in ("", ".", "..")]


def _skipped_name(name: str) -> bool:
    """Office lock files, hidden dot files and Windows folder metadata are skipped silently."""
    return name.startswith(("~$", ".")) or name.lower() in _SKIPPED_NAMES


def _skipped_member(info: zipfile.ZipInfo, member_path: str) -> bool:
    """Directory entries, macOS resource forks, hidden folders and skipped names inside an archive."""
    parts = _path_parts(member_path)
    if info.is_dir() or member_path.endswith(("/", "\\")) or not parts:
        return True
    if any(part == "__MACOSX" or part.startswith(".") for part in parts[:-1]):
        return True
    return _skipped_name(parts[-1])


def _expand_zip(data: bytes, name: str, kind: str, ctx: _Context, budget: _Budget) -> Iterator[Incoming]:
    """The archive itself, then each member (directory checked against the budget before any inflation)."""
    shown = _display_name(name)
    if ctx.depth > MAX_NESTING:
        yield _incoming(data, name, ctx, kind, container=True, problem=_too_deep_message(shown))
        return
    archive = _open_zip(data)
    if archive is None:
        problem = f"「{shown}」压缩包已损坏或不完整(可能传输中断),无法解压。请重新压缩后报送。"
        yield _incoming(data, name, ctx, kind, container=True, problem=problem)
        return
    with archive:
        infos = archive.infolist()
        reason = _directory_problem(infos, len(data), budget.bytes_left, budget.members_left)
        if reason is not None:
            yield _incoming(data, name, ctx, kind, container=True, problem=_bomb_message(shown, reason))
            return
        budget.bytes_left -= sum(info.file_size for info in infos)
        budget.members_left -= len(infos)
        members = []
        for info in infos:
            member_path = _member_path(info)
            if not _skipped_member(info, member_path):
                members.append((info, member_path))
        problem = None if members else f"「{shown}」压缩包中没有可读取的文件。请把自评表放入压缩包后重新报送。"
        yield _incoming(data, name, ctx, kind, container=True, problem=problem)
        label = ctx.label or f"压缩包 {shown}"
        for info, member_path in members:
            yield from _zip_member(archive, info, member_path, ctx, label, budget)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member_path: str, ctx: _Context, label: str, budget: _Budget
) -> Iterator[Incoming]:
    """One member of an archive: read it (unless too large, encrypted or damaged) and expand it."""
    shown_path = "/".join(_path_parts(member_path))
    origin = f"{label} 中的 {shown_path}"
    member_ctx = _Context(origin, origin, ctx.file_time, ctx.group, ctx.depth + 1, ctx.sent_at)
    name = _display_name(member_path)
    if info.flag_bits & _ENCRYPTED_FLAG:
        problem = f"「{name}」在压缩包中设有密码,无法解压。请去掉压缩包密码后重新报送。"
        yield _incoming(b"", name, member_ctx, "encrypted", problem=problem)
        return
    if info.file_size > MAX_FILE_BYTES:
        kind = sniff(_read_member_head(archive, info), name)
        yield _incoming(b"", name, member_ctx, kind, problem=_too_large_message(name, info.file_size))
        return
    try:
        member = archive.read(info)
    except NotImplementedError:
        problem = f"「{name}」使用了不支持的压缩方式,无法解压。请用常用压缩软件的默认 ZIP 格式重新压缩后报送。"
        yield _incoming(b"", name, member_ctx, "unknown", problem=problem)
        return
    except (*_ZIP_ERRORS, RuntimeError):
        problem = f"「{name}」在压缩包中已损坏,无法解压。请重新压缩后报送。"
        yield _incoming(b"", name, member_ctx, _kind_by_name(name), problem=problem)
        return
    yield from _expand(member, name, member_ctx, budget)


def _read_member_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first bytes of a member (enough to sniff it), or b'' when it cannot be read."""
    try:
        with archive.open(info) as stream:
            return stream.read(_SNIFF_BYTES)
    except (*_ZIP_ERRORS, RuntimeError):
        return b""


def _kind_by_name(name: str) -> str:
    """A kind from the suffix alone, for a member whose bytes could not be read."""
    return _WORKBOOK_SUFFIXES.get(_suffix(name), "unknown")


def _too_deep_message(shown: str) -> str:
    """The refusal for a container nested more than MAX_NESTING levels deep."""
    return (
        f"「{shown}」是多层嵌套的压缩包或邮件(压缩包里套压缩包),未予解压。"
        "请把 Excel 自评表直接放入一个压缩包,或直接作为附件报送。"
    )


# --- e-mail ---------------------------------------------------------------------------------------------------------


def _expand_mail(data: bytes, name: str, kind: str, ctx: _Context, budget: _Budget) -> Iterator[Incoming]:
    """The message itself (dated by its Date header), then each attachment."""
    shown = _display_name(name)
    if ctx.depth > MAX_NESTING:
        yield _incoming(data, name, ctx, kind, container=True, problem=_too_deep_message(shown))
        return
    mail = _read_mail(data)
    problem = _mail_problem(shown, mail)
    yield _incoming(data, name, ctx, kind, container=True, problem=problem, sent_at=mail.sent_at)
    if mail.problem == "unreadable":
        return
    label = ctx.label or f"邮件 {shown}"
    origin = f"{label} 的附件"
    for attachment in mail.attachments:
        member_ctx = _Context(origin, f"{origin} {attachment.name}", ctx.file_time, ctx.group, ctx.depth + 1,
                              mail.sent_at)
        if attachment.damaged:
            problem = f"「{attachment.name}」在邮件中已损坏或不完整,无法读取。请联系报送单位重新发送。"
            member_kind = sniff(attachment.data, attachment.name)
            yield _incoming(attachment.data, attachment.name, member_ctx, member_kind, problem=problem)
        else:
            yield from _expand(attachment.data, attachment.name, member_ctx, budget)


def _mail_problem(shown: str, mail: _Mail) -> str | None:
    """The message's own problem: unreadable, truncated, or without attachments."""
    if mail.problem == "unreadable":
        return f"「{shown}」不是有效的邮件文件或已损坏,无法读取。请从邮箱重新导出该邮件(.eml)。"
    if mail.problem == "truncated":
        return f"「{shown}」邮件不完整(可能导出或传输时被截断)。请从邮箱重新导出该邮件(.eml)。"
    if not mail.attachments:
        return f"「{shown}」邮件中没有附件。请联系报送单位把自评表作为附件重新发送。"
    return None


def _read_mail(data: bytes) -> _Mail:
    """Parse a message into its date and attachments; any parse failure makes it unreadable."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not any(message.get(header) is not None for header in _MAIL_CORE_HEADERS):
            return _Mail(None, (), "unreadable")
        attachments = tuple(
            _read_attachment(part, number) for number, part in enumerate(_attachment_parts(message), start=1)
        )
        truncated = any(
            isinstance(defect, email.errors.CloseBoundaryNotFoundDefect | email.errors.StartBoundaryNotFoundDefect)
            for part in message.walk()
            for defect in part.defects
        )
    except _MAIL_ERRORS:
        return _Mail(None, (), "unreadable")
    return _Mail(_mail_date(message), attachments, "truncated" if truncated else None)


def _attachment_parts(message: Message) -> Iterator[Message]:
    """Leaf parts that are files: attachments, and any part with a file name except images embedded in the body.

    Forwarded messages (message/rfc822) are walked into, so their attachments count as this message's.
    """
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        embedded = disposition == "inline" and part.get_content_maintype() == "image" and part.get("Content-ID")
        if disposition == "attachment" or (part.get_filename() and not embedded):
            yield part


def _read_attachment(part: Message, number: int) -> _Attachment:
    """An attachment's display name and decoded bytes; base64 damage marks it damaged."""
    name = _display_name(_attachment_name(part) or f"附件{number}")
    payload = part.get_payload(decode=True)
    damaged = any(
        isinstance(defect, email.errors.InvalidBase64PaddingDefect | email.errors.InvalidBase64LengthDefect)
        for defect in part.defects
    )
    return _Attachment(name, payload if isinstance(payload, bytes) else b"", damaged)


def _attachment_name(part: Message) -> str | None:
    """The attachment's file name; raw 8-bit names (GBK or UTF-8 without encoding) are recovered from the header."""
    name = part.get_filename()
    if name and "\ufffd" not in name:
        return name
    for header, value in part.raw_items():
        if header.lower() not in ("content-disposition", "content-type"):
            continue
        found = re.search(r'(?:file)?name\s*=\s*"([^"]*)"|(?:file)?name\s*=\s*([^;\s]+)', str(value), re.IGNORECASE)
        if found:
            return _decode_raw_text(found.group(1) or found.group(2))
    return name


def _decode_raw_text(text: str) -> str:
    """Text whose non-ASCII bytes were kept as surrogates, decoded as UTF-8 or else GB18030."""
    raw = text.encode("utf-8", "surrogateescape")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _mail_date(message: Message) -> datetime | None:
    """The Date header as an aware datetime (UTC when the header gives no zone), or None."""
    try:
        header = message.get("Date")
        sent_at = getattr(header, "datetime", None)
        if sent_at is None and header is not None:
            sent_at = parsedate_to_datetime(str(header))
    except (*_MAIL_ERRORS, IndexError):
        return None
    if not isinstance(sent_at, datetime):
        return None
    return sent_at if sent_at.tzinfo is not None else sent_at.replace(tzinfo=UTC)


# --- collecting ---------------------------------------------------------------------------------------------------


def collect(paths: Iterable[Path]) -> Iterator[Incoming]:
    """Expand what the clerk handed in into incoming files, containers before their members.

    Folders are walked recursively in name order; .eml messages yield their attachments (dated by the
    message's Date header); zip archives yield their members (GBK names decoded); a container inside a
    container is unpacked, one level deeper is refused. Office lock files ("~$…") are skipped everywhere,
    hidden dot files inside folders and archives. Problems never raise: they are the `problem` of an
    `Incoming`. A file that is missing, unreadable or over MAX_FILE_BYTES comes with empty `data` (one over
    MAX_FILE_BYTES names its path in `source`, so that its bytes can still be kept).
    """
    for path in paths:
        yield from _collect_path(Path(path), explicit=True, ancestors=frozenset())


def _collect_path(path: Path, explicit: bool, ancestors: frozenset[tuple[int, int]]) -> Iterator[Incoming]:
    """One path handed in or found in a folder: a folder, a file, or a problem."""
    name = path.name or str(path)
    if name.startswith("~$") or (not explicit and _skipped_name(name)):
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        yield _path_problem(path, f"「{path}」不存在(或是失效的快捷方式)。请检查文件路径。", kind="empty")
        return
    except OSError as exc:
        yield _path_problem(path, _unreadable_message(path, exc))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _collect_folder(path, (info.st_dev, info.st_ino), ancestors)
    elif stat.S_ISREG(info.st_mode):
        yield from _collect_file(path, info, explicit)
    else:
        yield _path_problem(path, f"「{path}」不是普通文件,未予读取。请指定要导入的文件或文件夹。")


def _collect_folder(path: Path, key: tuple[int, int], ancestors: frozenset[tuple[int, int]]) -> Iterator[Incoming]:
    """A folder's entries in name order; a folder that links back to an ancestor is not walked again."""
    if key in ancestors:
        return
    try:
        children = sorted(path.iterdir(), key=lambda child: child.name)
    except OSError as exc:
        yield _path_problem(path, _unreadable_message(path, exc))
        return
    for child in children:
        yield from _collect_path(child, explicit=False, ancestors=ancestors | {key})


def _collect_file(path: Path, info: os.stat_result, explicit: bool) -> Iterator[Incoming]:
    """A regular file: read it (only its first bytes when it is too large) and expand it."""
    file_time = datetime.fromtimestamp(info.st_mtime, tz=UTC).astimezone()
    shown = _display_name(path.name)
    too_large = info.st_size > MAX_FILE_BYTES
    try:
        with path.open("rb") as stream:
            data = stream.read(_SNIFF_BYTES if too_large else MAX_FILE_BYTES + 1)
    except OSError as exc:
        yield _path_problem(path, _unreadable_message(path, exc))
        return
    if too_large or len(data) > MAX_FILE_BYTES:  # the file may have grown since stat()
        ctx = _Context(f"文件 {path}", None, file_time, f"path:{path.absolute()}", 0, explicit=explicit)
        size = max(info.st_size, len(data))
        kind = sniff(data[:_SNIFF_BYTES], shown)
        yield _incoming(b"", shown, ctx, kind, problem=_too_large_message(shown, size), source=path)
        return
    kind = sniff(data, shown)
    prefix = kind if kind in ("zip", "eml") else "file"
    ctx = _Context(f"文件 {path}", None, file_time, f"{prefix}:{hashlib.sha256(data).hexdigest()}", 0,
                   explicit=explicit)
    yield from _expand(data, shown, ctx, _Budget(), kind=kind)


def _expand(data: bytes, name: str, ctx: _Context, budget: _Budget, kind: str | None = None) -> Iterator[Incoming]:
    """One file's bytes: unpack a container, or classify a file and attach its problem."""
    kind = kind or sniff(data, name)
    shown = _display_name(name)
    if len(data) > MAX_FILE_BYTES:
        problem = _too_large_message(shown, len(data))
        yield _incoming(data, name, ctx, kind, container=kind in ("zip", "eml"), problem=problem)
    elif kind == "zip":
        yield from _expand_zip(data, name, kind, ctx, budget)
    elif kind == "eml":
        yield from _expand_mail(data, name, kind, ctx, budget)
    elif kind == "empty":
        yield _incoming(data, name, ctx, kind, problem=_empty_message(shown))
    else:
        problem = xlsx_problem(data, name) if kind in ("xlsx", "xlsm") else None
        yield _incoming(data, name, ctx, kind, problem=problem)


def _incoming(
    data: bytes,
    name: str,
    ctx: _Context,
    kind: str,
    *,
    container: bool = False,
    problem: str | None = None,
    sent_at: datetime | None = None,
    source: Path | None = None,
) -> Incoming:
    """An Incoming placed by its context."""
    return Incoming(
        data=data,
        original_name=_display_name(name),
        origin=ctx.origin,
        file_time=ctx.file_time,
        sent_at=sent_at or ctx.sent_at,
        explicit=ctx.explicit and ctx.depth == 0 and not container,
        group=ctx.group,
        kind=kind,
        is_container=container,
        problem=problem,
        source=source,
    )


def _path_problem(path: Path, problem: str, kind: str = "unknown") -> Incoming:
    """An Incoming for a path whose bytes could not be read (missing, unreadable, not a regular file)."""
    ctx = _Context(f"文件 {path}", None, None, f"path:{path.absolute()}", 0)
    return _incoming(b"", path.name or str(path), ctx, kind, problem=problem)


def _unreadable_message(path: Path, exc: OSError) -> str:
    """The problem for a path the operating system refused to read."""
    reason = exc.strerror or type(exc).__name__
    return f"「{path}」无法读取({reason})。请检查文件是否被占用或没有访问权限。"


def _base_name(name: str) -> str:
    """The last component of a name that may carry a path with either slash."""
    parts = _path_parts(name)
    return parts[-1] if parts else name


def _display_name(name: str) -> str:
    """A name safe to show: its base name, without control characters, never empty."""
    shown = _NAME_CONTROL_CHARS.sub("", _base_name(name)).strip()
    shown = shown.encode("utf-8", "replace").decode("utf-8")  # lone surrogates would break printing
    return shown or "未命名文件"
