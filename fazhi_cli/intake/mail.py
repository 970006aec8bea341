"""The edge of `fazhi ingest`: turn the paths a clerk hands in into a flat stream of incoming files.

Folders are walked, e-mails (.eml), mailboxes (mbox) and zip archives are unpacked, and every file is
classified by its bytes (`sniff`). Nothing here parses a workbook, touches the store or writes a file, and
nothing raises for a bad input file: each problem becomes the `refusal` of an `Incoming`, a stable code with
a Chinese message that names the file and says what the unit should do (`fazhi_cli.domain.refusals`); what
is passed over unread (fazhi's own folders, symbolic links found in a folder, pipes and devices) comes with
the reason in `skipped`.

A unit may be an adversary: every size and count is bounded by `Limits` before anything is inflated or
parsed, and a refusal for a limit names it. Names that come from outside (file, attachment and zip entry
names) are display text only, passed through `printable`: they are never used as paths.
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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.limits import LIMIT_LABELS, Limits

KINDS = (
    "xlsx", "xlsm", "encrypted", "legacy", "ods", "html", "text", "pdf", "word", "image", "zip", "eml", "mbox",
    "archive_other", "empty", "unknown",
)  # fmt: skip
CONTAINER_KINDS = ("zip", "eml", "mbox")  # unpacked here: their members follow them in the stream

DEFAULT_LIMITS = Limits()
MAX_NESTING = 1  # a container inside a container is unpacked; one inside that is refused

_MIB = 1024 * 1024
_SNIFF_BYTES = 64 * 1024
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNICODE_PATH_EXTRA = 0x7075

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
# RAR (4 and 5), 7-Zip, gzip (also .tgz), xz and bzip2: archives fazhi does not unpack (tar is found at offset 257).
_OTHER_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"\xfd7zXZ\x00", b"BZh")
_TAR_MAGIC_OFFSET = 257
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
# The "From " line that starts each message of a mailbox file: a sender, then a date with a time and a year.
_MBOX_FROM_LINE = re.compile(rb"From [^\s]+ +[^\r\n]{0,80}?\d{1,2}:\d{2}[^\r\n]{0,40}?\d{4}[^\r\n]{0,40}$")
_MBOX_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
_SKIPPED_NAMES = frozenset({"thumbs.db", "desktop.ini"})

# What the zip and mail libraries raise on a damaged input (zlib.error is not a BadZipFile).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, struct.error)
_MAIL_ERRORS = (
    email.errors.MessageError, ValueError, TypeError, LookupError, AttributeError, UnicodeError, RecursionError,
)  # fmt: skip


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
    refusal: Refusal | None = None  # why it cannot be taken (a code and the message to forward), or None
    source: Path | None = None  # a file too large to read into memory: where its bytes are to be kept from
    sent_at: datetime | None = None  # the Date header of the e-mail it came in: shown, never used for order
    explicit: bool = False  # a file the clerk named on the command line (not found in a folder or container)
    skipped: str | None = None  # why it was passed over without being kept (fazhi's own folder, a symlink)

    @property
    def problem(self) -> str | None:
        """The refusal's Chinese message, or None."""
        return None if self.refusal is None else self.refusal.message

    @property
    def problem_code(self) -> str | None:
        """The refusal's code (`encrypted`, `too_large`, …), or None."""
        return None if self.refusal is None else self.refusal.code


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
    """The limits of one top-level input, and what it may still unpack (shared by every archive nested in it)."""

    limits: Limits
    bytes_left: int
    members_left: int

    @classmethod
    def for_input(cls, limits: Limits) -> _Budget:
        return cls(limits, limits.unpacked_bytes, limits.members)


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
    problem: str | None  # "unreadable", "truncated", "too_many" (attachments, none decoded) or None
    attachment_count: int = 0
    estimated: bool = False  # the count is of MIME boundary lines, counted without parsing the message


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
    if data.startswith(_OTHER_ARCHIVE_MAGIC) or data[_TAR_MAGIC_OFFSET : _TAR_MAGIC_OFFSET + 5] == b"ustar":
        return "archive_other"
    if _is_mbox(data):
        return "mbox"  # whatever its name: an mbox saved as .eml holds more than one message
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


def _is_mbox(data: bytes) -> bool:
    """True when the data starts like a mailbox file: a "From sender date" line, then a header line."""
    if not data.startswith(b"From "):
        return False
    first_end = data.find(b"\n", 0, 300)
    if first_end < 0 or not _MBOX_FROM_LINE.match(data[:first_end].rstrip(b"\r")):
        return False
    return _MBOX_HEADER_LINE.match(data, first_end + 1) is not None


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


_KIND_REFUSALS = {
    "encrypted": "encrypted", "legacy": "legacy_format", "ods": "opendocument", "html": "web_page", "text": "text_file",
    "archive_other": "other_archive", "empty": "empty",
}  # fmt: skip


def refusal_for_kind(kind: str, name: str) -> Refusal | None:
    """The refusal for a file handed in as a workbook that is not one; None for kinds that are fine."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    shown = _display_name(name)
    if kind == "unknown":
        return _unknown_refusal(shown)
    code = _KIND_REFUSALS.get(kind)
    return None if code is None else refusal(code, name=shown)


def _unknown_refusal(shown: str) -> Refusal:
    """The refusal for a file that is no known kind; a few well-known names get a precise hint."""
    lowered = shown.lower()
    if lowered.endswith(".msg"):
        return refusal("outlook_msg", name=shown)
    if lowered == "winmail.dat":
        return refusal("outlook_winmail", name=shown)
    return refusal("not_a_workbook", name=shown)


def _over_limit(key: str, limits: Limits) -> str:
    """A limit named for a refusal: “超过“每封邮件附件数”上限 50” (sizes also in MB)."""
    value = getattr(limits, key)
    shown = f"{value}({_mb(value)} MB)" if key.endswith("_bytes") else str(value)
    return f"超过“{LIMIT_LABELS[key]}”上限 {shown}"


def _too_large(shown: str, size: int, limits: Limits) -> Refusal:
    """The refusal for a file over the file size limit."""
    return refusal("too_large", name=shown, size=_mb(size), limit=_over_limit("file_bytes", limits))


def _mb(size: int) -> str:
    """A byte count in MB with one decimal."""
    return f"{size / _MIB:.1f}".removesuffix(".0")


# --- workbooks ----------------------------------------------------------------------------------------------------


def xlsx_problem(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Refusal | None:
    """For a zip-based workbook: None if it looks safe to hand to openpyxl, else the refusal.

    Everything is judged at the zip level, before any XML parser sees a byte. The central directory is
    checked first (member count, sizes, ratios) so that a zip bomb is caught without inflating it, and the
    `[Content_Types].xml` and `xl/workbook.xml` parts must exist. Then every part is decompressed in chunks
    (which checks its CRC) and the XML parts are measured on the way: none may inflate beyond
    `limits.xml_part_bytes`, and the sheets, shared strings and cells they declare are counted against
    `limits.sheets`, `limits.shared_strings` and `limits.cells`, stopping as soon as one is over. The parts
    must be in an encoding that keeps XML tags readable as bytes (UTF-8 as Excel writes them) and may not
    declare a DTD (entities could expand into markup that was never counted).
    """
    shown = _display_name(name)
    archive = _open_zip(data)
    if archive is None:
        return refusal("truncated", name=shown)
    with archive:
        infos = archive.infolist()
        reason = _directory_problem(infos, len(data), _Budget.for_input(limits))
        if reason is not None:
            return refusal("workbook_bomb", name=shown, reason=reason)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return refusal("missing_parts", name=shown)
        return _parts_problem(archive, infos, shown, limits)


_WORKBOOK_CHUNK = 1024 * 1024
# The start tags that are counted, with or without a namespace prefix: <sheet …>, <si>, <c …/>; and a DTD.
_COUNTED_TAG = re.compile(rb"<(?:[^\s<>/:!?=\"']{1,40}:)?(sheet|si|c)[\s/>]|<!(DOCTYPE|ENTITY)")
_COUNTED_TAG_LONGEST = 64  # longer than any match of _COUNTED_TAG: a match never spans more than this
_TAG_LIMITS = {b"sheet": "sheets", b"si": "shared_strings", b"c": "cells"}
# How XML starts in an encoding whose bytes hide its tags from a byte count: UTF-16/32 with or without a
# byte order mark, UTF-7, EBCDIC. Excel writes UTF-8; such a part is refused.
_HIDDEN_XML_STARTS = (
    codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00\x00\xfe\xff", b"\x00<", b"<\x00", b"\x00\x00\x00<", b"+ADw",
    b"\x4c\x6f\xa7\x94",
)  # fmt: skip
_XML_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")


@dataclass
class _TagCount:
    """Counted start tags over all the parts of one workbook, by the limit they count against."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_TAG_LIMITS.values(), 0))
    doctype: bool = False

    def add(self, text: bytes) -> None:
        for tag, declaration in _COUNTED_TAG.findall(text):
            if declaration:
                self.doctype = True
            else:
                self.counts[_TAG_LIMITS[tag]] += 1

    def over(self, limits: Limits) -> str | None:
        """The key of the first limit that is exceeded, or None."""
        return next((key for key, count in self.counts.items() if count > getattr(limits, key)), None)


def _parts_problem(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str, limits: Limits
) -> Refusal | None:
    """Decompress every part in chunks: damage, an XML part too large or oddly encoded, or too many tags."""
    corrupt = refusal("damaged", name=shown)
    if any(info.flag_bits & _ENCRYPTED_FLAG for info in infos):
        return corrupt
    tags = _TagCount()
    for info in infos:
        try:
            problem = _part_problem(archive, info, shown, limits, tags)
        except (*_ZIP_ERRORS, RuntimeError):
            return corrupt
        if problem is not None:
            return problem
    return None


def _part_problem(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: Limits, tags: _TagCount
) -> Refusal | None:
    """One part, streamed: binary parts (pictures, embedded files) are only CRC-checked; XML parts are measured."""
    part = printable(info.filename)
    with archive.open(info) as stream:
        head = stream.read(_WORKBOOK_CHUNK)
        start = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
        hidden = start.startswith(_HIDDEN_XML_STARTS) or not _readable_declared_encoding(start)
        if not hidden and not start.startswith(b"<"):  # not XML (a picture, printer settings): no parser reads it
            while stream.read(_WORKBOOK_CHUNK):  # the CRC is checked when the end is reached
                pass
            return None
        if info.file_size > limits.xml_part_bytes:
            limit = _over_limit("xml_part_bytes", limits)
            return refusal("part_too_large", name=shown, part=part, size=_mb(info.file_size), limit=limit)
        if hidden:
            return refusal("unsafe_encoding", name=shown, part=part)
        carried = b""
        chunk = head
        while chunk:
            text = carried + chunk
            last_tag = text.rfind(b"<")
            cut = last_tag if last_tag >= 0 and len(text) - last_tag < _COUNTED_TAG_LONGEST else len(text)
            tags.add(text[:cut])  # a tag cut by the chunk boundary is counted with the next chunk
            carried = text[cut:]
            over = tags.over(limits)
            if tags.doctype or over is not None:
                break
            chunk = stream.read(_WORKBOOK_CHUNK)
        else:
            tags.add(carried)
    over = tags.over(limits)
    if tags.doctype:
        return refusal("unsafe_dtd", name=shown, part=part)
    if over is not None:
        return refusal("over_limit", name=shown, limit=_over_limit(over, limits))
    return None


def _readable_declared_encoding(start: bytes) -> bool:
    """False when an XML declaration names an encoding in which tags are not plain ASCII bytes (UTF-16, UTF-7…)."""
    declared = _XML_DECLARED_ENCODING.match(start)
    if declared is None:
        return True
    try:
        encoding = declared.group(1).decode("ascii")
        return "<c r/><si>".encode(encoding) == b"<c r/><si>" and codecs.lookup(encoding).name != "utf-7"
    except (LookupError, UnicodeError):
        return False


# --- zip archives ---------------------------------------------------------------------------------------------------


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive (only its central directory is read), or None when it is not a readable zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return None


def _directory_problem(infos: list[zipfile.ZipInfo], archive_size: int, budget: _Budget) -> str | None:
    """Why the directory looks like a zip bomb (in Chinese), judged without decompressing anything.

    The counts are those of this archive plus what the archives around it already unpacked (`budget`).
    """
    limits = budget.limits
    if len(infos) > budget.members_left:
        counted = limits.members - budget.members_left + len(infos)
        nested = f"(连同外层共 {counted} 个)" if counted != len(infos) else ""
        return f"包含 {len(infos)} 个文件{nested},{_over_limit('members', limits)}"
    total = sum(info.file_size for info in infos)
    if total > budget.bytes_left:
        counted = limits.unpacked_bytes - budget.bytes_left + total
        nested = f"(连同外层共 {_mb(counted)} MB)" if counted != total else ""
        return f"解压后共 {_mb(total)} MB{nested},{_over_limit('unpacked_bytes', limits)}"
    for info in infos:
        if info.file_size > _MIB and info.file_size > limits.ratio * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            shown = printable(_member_path(info))
            return f"其中「{shown}」的压缩比约为 {ratio}:1,{_over_limit('ratio', limits)}"
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
        yield _incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    archive = _open_zip(data)
    if archive is None:
        yield _incoming(data, name, ctx, kind, container=True, refused=refusal("archive_damaged", name=shown))
        return
    with archive:
        infos = archive.infolist()
        reason = _directory_problem(infos, len(data), budget)
        if reason is not None:
            bomb = refusal("zip_bomb", name=shown, reason=reason)
            yield _incoming(data, name, ctx, kind, container=True, refused=bomb)
            return
        budget.bytes_left -= sum(info.file_size for info in infos)
        budget.members_left -= len(infos)
        members = []
        for info in infos:
            member_path = _member_path(info)
            if not _skipped_member(info, member_path):
                members.append((info, member_path))
        empty = None if members else refusal("archive_empty", name=shown)
        yield _incoming(data, name, ctx, kind, container=True, refused=empty)
        label = ctx.label or f"压缩包 {shown}"
        for info, member_path in members:
            yield from _zip_member(archive, info, member_path, ctx, label, budget)


def _zip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member_path: str, ctx: _Context, label: str, budget: _Budget
) -> Iterator[Incoming]:
    """One member of an archive: read it (unless too large, encrypted or damaged) and expand it."""
    shown_path = printable("/".join(_path_parts(member_path)))
    origin = f"{label} 中的 {shown_path}"
    member_ctx = _Context(origin, origin, ctx.file_time, ctx.group, ctx.depth + 1, ctx.sent_at)
    name = _display_name(member_path)
    if info.flag_bits & _ENCRYPTED_FLAG:
        yield _incoming(b"", name, member_ctx, "encrypted", refused=refusal("archive_password", name=name))
        return
    if info.file_size > budget.limits.file_bytes:
        kind = sniff(_read_member_head(archive, info), name)
        yield _incoming(b"", name, member_ctx, kind, refused=_too_large(name, info.file_size, budget.limits))
        return
    try:
        member = archive.read(info)
    except NotImplementedError:
        yield _incoming(b"", name, member_ctx, "unknown", refused=refusal("archive_method", name=name))
        return
    except (*_ZIP_ERRORS, RuntimeError):
        damaged = refusal("member_damaged", name=name)
        yield _incoming(b"", name, member_ctx, _kind_by_name(name), refused=damaged)
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


# --- e-mail ---------------------------------------------------------------------------------------------------------


def _expand_mail(data: bytes, name: str, kind: str, ctx: _Context, budget: _Budget) -> Iterator[Incoming]:
    """The message itself (dated by its Date header), then each attachment."""
    shown = _display_name(name)
    if ctx.depth > MAX_NESTING:
        yield _incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    mail = _read_mail(data, budget.limits.attachments)
    refused = _mail_refusal(shown, mail, budget.limits)
    yield _incoming(data, name, ctx, kind, container=True, refused=refused, sent_at=mail.sent_at)
    if mail.problem in ("unreadable", "too_many"):
        return
    label = ctx.label or f"邮件 {shown}"
    origin = f"{label} 的附件"
    for attachment in mail.attachments:
        member_ctx = _Context(origin, f"{origin} {attachment.name}", ctx.file_time, ctx.group, ctx.depth + 1,
                              mail.sent_at)
        if attachment.damaged:
            damaged = refusal("attachment_damaged", name=attachment.name)
            member_kind = sniff(attachment.data, attachment.name)
            yield _incoming(attachment.data, attachment.name, member_ctx, member_kind, refused=damaged)
        else:
            yield from _expand(attachment.data, attachment.name, member_ctx, budget)


def _expand_mbox(data: bytes, name: str, kind: str, ctx: _Context, budget: _Budget) -> Iterator[Incoming]:
    """A mailbox file: itself, then every message as an e-mail (with its attachments), or refused as a whole.

    At the top level each message is a group of its own (one e-mail, one unit); inside a zip or an e-mail
    the messages stay in the group of what holds them.
    """
    shown = _display_name(name)
    if ctx.depth > MAX_NESTING:
        yield _incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    messages = _mbox_messages(data)
    if len(messages) > budget.limits.messages:
        limit = _over_limit("messages", budget.limits)
        too_many = refusal("too_many_messages", name=shown, count=len(messages), limit=limit)
        yield _incoming(data, name, ctx, kind, container=True, refused=too_many)
        return
    yield _incoming(data, name, ctx, kind, container=True)
    label = ctx.label or f"邮箱文件 {shown}"
    for number, message in enumerate(messages, start=1):
        origin = f"{label} 中的第 {number} 封邮件"
        group = f"eml:{hashlib.sha256(message).hexdigest()}" if ctx.depth == 0 else ctx.group
        message_ctx = _Context(origin, origin, ctx.file_time, group, ctx.depth, ctx.sent_at)
        yield from _expand_mail(message, f"{shown} 第 {number} 封邮件", "eml", message_ctx, budget)


def _mbox_messages(data: bytes) -> list[bytes]:
    """The messages of a mailbox file, each without its "From " line; a message starts at every such line."""
    starts = [0]
    position = data.find(b"\nFrom ")
    while position >= 0:
        line_end = data.find(b"\n", position + 1)
        line = data[position + 1 : line_end if line_end >= 0 else len(data)].rstrip(b"\r")
        if len(line) < 300 and _MBOX_FROM_LINE.match(line):
            starts.append(position + 1)
        position = data.find(b"\nFrom ", position + 1)
    messages = []
    for start, end in zip(starts, [*starts[1:], len(data)], strict=True):
        body_start = data.find(b"\n", start, end)
        messages.append(data[body_start + 1 : end] if body_start >= 0 else b"")
    return messages


def _mail_refusal(shown: str, mail: _Mail, limits: Limits) -> Refusal | None:
    """The message's own problem: unreadable, too many attachments, truncated, or without attachments."""
    if mail.problem == "unreadable":
        return refusal("mail_unreadable", name=shown)
    if mail.problem == "too_many":
        number = mail.attachment_count
        count = f"约有 {number} 个附件或邮件部分" if mail.estimated else f"有 {number} 个附件"
        return refusal("too_many_attachments", name=shown, count=count, limit=_over_limit("attachments", limits))
    if mail.problem == "truncated":
        return refusal("mail_truncated", name=shown)
    if not mail.attachments:
        return refusal("mail_no_attachment", name=shown)
    return None


def _read_mail(data: bytes, max_attachments: int) -> _Mail:
    """Parse a message into its date and attachments; any parse failure makes it unreadable.

    The attachments are counted before any is decoded: over `max_attachments`, none is. A message with
    far more MIME boundary lines than attachments allowed is not even parsed (the parser needs about a
    second per thousand parts).
    """
    boundaries = data.count(b"\n--")
    if boundaries > _MIME_PARTS_PER_ATTACHMENT * max_attachments + _MIME_PARTS_SPARE:
        return _Mail(None, (), "too_many", boundaries, estimated=True)
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not any(message.get(header) is not None for header in _MAIL_CORE_HEADERS):
            return _Mail(None, (), "unreadable")
        parts = list(_attachment_parts(message))
        if len(parts) > max_attachments:
            return _Mail(_mail_date(message), (), "too_many", len(parts))
        attachments = tuple(_read_attachment(part, number) for number, part in enumerate(parts, start=1))
        truncated = any(
            isinstance(defect, email.errors.CloseBoundaryNotFoundDefect | email.errors.StartBoundaryNotFoundDefect)
            for part in message.walk()
            for defect in part.defects
        )
    except _MAIL_ERRORS:
        return _Mail(None, (), "unreadable")
    return _Mail(_mail_date(message), attachments, "truncated" if truncated else None, len(parts))


_MIME_PARTS_PER_ATTACHMENT = 4  # boundary lines allowed per attachment before a message is refused unparsed
_MIME_PARTS_SPARE = 50  # and for the body, signature pictures, forwarded messages


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


def collect(
    paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS, skip: Mapping[Path, str] | None = None
) -> Iterator[Incoming]:
    """Expand what the clerk handed in into incoming files, containers before their members.

    Folders are walked recursively in name order; .eml messages yield their attachments (with the
    message's Date header as `sent_at`), mailbox files every message with its attachments; zip archives
    yield their members (GBK names decoded); a container inside a container is unpacked, one level deeper is
    refused. Office lock files ("~$…") are skipped everywhere, hidden dot files inside folders and archives.

    Only what was handed in is read. Inside a folder, symbolic links (and Windows junctions) are not
    followed, and pipes, sockets and devices are never opened: each is an `Incoming` with the reason in
    `skipped` and no data. So is an entry whose resolved path is in `skip` (fazhi's own folders and files,
    mapped to the reason) and a folder named on the command line that is in or under one of them; a file
    named on the command line is read wherever it is (a review sheet filled in place comes back that way),
    through a symbolic link too.

    Problems never raise: they are the `refusal` of an `Incoming` (a code and a message). A file that is
    missing, unreadable or over `limits.file_bytes` comes with empty `data` (one too large names its path in
    `source`, so that its bytes can still be kept).
    """
    walk = _Walk(limits, {_resolved(Path(key)): reason for key, reason in (skip or {}).items()})
    for path in paths:
        yield from _collect_named(Path(path), walk)


@dataclass(frozen=True)
class _Walk:
    """What every path of one call shares: the limits and the paths not to read."""

    limits: Limits
    skip: Mapping[Path, str]

    def skip_reason(self, resolved: Path, within: bool = False) -> str | None:
        """Why `resolved` is not read (it is, or with `within` lies under, a path in `skip`), or None."""
        if resolved in self.skip:
            return self.skip[resolved]
        if within:
            return next((self.skip[parent] for parent in resolved.parents if parent in self.skip), None)
        return None


_REPARSE_LINK_TAGS = (0xA000000C, 0xA0000003)  # IO_REPARSE_TAG_SYMLINK, IO_REPARSE_TAG_MOUNT_POINT (junction)


def _collect_named(path: Path, walk: _Walk) -> Iterator[Incoming]:
    """A path named on the command line (a symbolic link is followed): a folder, a file, or a problem."""
    name = path.name or str(path)
    if name.startswith("~$"):
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        yield _path_problem(path, refusal("path_missing", path=printable(path)), kind="empty")
        return
    except OSError as exc:
        yield _path_problem(path, _unreadable(path, exc))
        return
    if stat.S_ISDIR(info.st_mode):
        resolved = _resolved(path)
        reason = walk.skip_reason(resolved, within=True)
        if reason is not None:
            yield _skipped(path, reason, folder=True)
        else:
            yield from _collect_folder(path, resolved, walk, (info.st_dev, info.st_ino), frozenset())
    elif stat.S_ISREG(info.st_mode):
        yield from _collect_file(path, walk, explicit=True)
    else:
        yield _skipped(path, _special_file_reason(path))


def _collect_folder(
    path: Path, resolved: Path, walk: _Walk, key: tuple[int, int], ancestors: frozenset[tuple[int, int]]
) -> Iterator[Incoming]:
    """A folder's entries in name order; a folder met again (a bind mount looping back) is not walked again."""
    if key in ancestors:
        return
    try:
        children = sorted(path.iterdir(), key=lambda child: child.name)
    except OSError as exc:
        yield _path_problem(path, _unreadable(path, exc))
        return
    for child in children:
        yield from _collect_entry(child, resolved / child.name, walk, ancestors | {key})


def _collect_entry(
    path: Path, resolved: Path, walk: _Walk, ancestors: frozenset[tuple[int, int]]
) -> Iterator[Incoming]:
    """An entry found in a folder, judged by `lstat`: links, special files and fazhi's own paths are skipped."""
    if _skipped_name(path.name):
        return
    try:
        info = path.lstat()
    except FileNotFoundError:  # removed while the folder was walked
        yield _path_problem(path, refusal("path_vanished", path=printable(path)))
        return
    except OSError as exc:
        yield _path_problem(path, _unreadable(path, exc))
        return
    is_folder = stat.S_ISDIR(info.st_mode) and not _is_link(info)
    reason = walk.skip_reason(resolved)
    if reason is not None:
        yield _skipped(path, reason, folder=is_folder)
    elif _is_link(info):
        yield _skipped(path, _link_reason(path))
    elif is_folder:
        yield from _collect_folder(path, resolved, walk, (info.st_dev, info.st_ino), ancestors)
    elif stat.S_ISREG(info.st_mode):
        yield from _collect_file(path, walk, explicit=False)
    else:
        yield _skipped(path, _special_file_reason(path))


def _is_link(info: os.stat_result) -> bool:
    """A symbolic link, or on Windows a junction (which `S_ISLNK` does not show)."""
    return stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0) in _REPARSE_LINK_TAGS


def _link_reason(path: Path) -> str:
    """Why a link found in a folder was not followed, naming where it points."""
    try:
        target = printable(os.readlink(path))
    except OSError:
        target = "未知位置"
    return refusal("symlink", path=printable(path), target=target).message


def _special_file_reason(path: Path) -> str:
    """Why a pipe, socket or device was not opened."""
    return refusal("not_regular_file", path=printable(path)).message


def _collect_file(path: Path, walk: _Walk, explicit: bool) -> Iterator[Incoming]:
    """A regular file: read it (only its first bytes when it is too large) and expand it.

    A file found in a folder is opened without following a link, in case it was replaced by one since it
    was listed; a pipe put in its place is opened without blocking and not read.
    """
    limits = walk.limits
    shown = _display_name(path.name)
    try:
        opened = _read_regular(path, follow=explicit, max_bytes=limits.file_bytes)
    except OSError as exc:
        yield _path_problem(path, _unreadable(path, exc))
        return
    if opened is None:
        yield _skipped(path, _special_file_reason(path))
        return
    info, data = opened
    file_time = datetime.fromtimestamp(info.st_mtime, tz=UTC).astimezone()
    origin = f"文件 {printable(path)}"
    if info.st_size > limits.file_bytes or len(data) > limits.file_bytes:  # it may have grown since fstat()
        ctx = _Context(origin, None, file_time, f"path:{path.absolute()}", 0, explicit=explicit)
        size = max(info.st_size, len(data))
        kind = sniff(data[:_SNIFF_BYTES], shown)
        yield _incoming(b"", shown, ctx, kind, refused=_too_large(shown, size, limits), source=path)
        return
    kind = sniff(data, shown)
    prefix = kind if kind in CONTAINER_KINDS else "file"
    ctx = _Context(origin, None, file_time, f"{prefix}:{hashlib.sha256(data).hexdigest()}", 0, explicit=explicit)
    yield from _expand(data, shown, ctx, _Budget.for_input(limits), kind=kind)


def _read_regular(path: Path, follow: bool, max_bytes: int) -> tuple[os.stat_result, bytes] | None:
    """The file's status and bytes (only the first ones when it is over `max_bytes`); None if not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags), "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        return info, stream.read(_SNIFF_BYTES if info.st_size > max_bytes else max_bytes + 1)


def _resolved(path: Path) -> Path:
    """The absolute path with links resolved (as far as they resolve)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return path.absolute()


def _expand(data: bytes, name: str, ctx: _Context, budget: _Budget, kind: str | None = None) -> Iterator[Incoming]:
    """One file's bytes: unpack a container, or classify a file and attach its problem."""
    kind = kind or sniff(data, name)
    shown = _display_name(name)
    if len(data) > budget.limits.file_bytes:
        too_large = _too_large(shown, len(data), budget.limits)
        yield _incoming(data, name, ctx, kind, container=kind in CONTAINER_KINDS, refused=too_large)
    elif kind == "zip":
        yield from _expand_zip(data, name, kind, ctx, budget)
    elif kind == "eml":
        yield from _expand_mail(data, name, kind, ctx, budget)
    elif kind == "mbox":
        yield from _expand_mbox(data, name, kind, ctx, budget)
    elif kind == "empty":
        yield _incoming(data, name, ctx, kind, refused=refusal("empty", name=shown))
    else:
        refused = xlsx_problem(data, name, budget.limits) if kind in ("xlsx", "xlsm") else None
        yield _incoming(data, name, ctx, kind, refused=refused)


def _incoming(
    data: bytes,
    name: str,
    ctx: _Context,
    kind: str,
    *,
    container: bool = False,
    refused: Refusal | None = None,
    sent_at: datetime | None = None,
    source: Path | None = None,
    skipped: str | None = None,
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
        refusal=refused,
        source=source,
        skipped=skipped,
    )


def _path_problem(path: Path, refused: Refusal, kind: str = "unknown") -> Incoming:
    """An Incoming for a path whose bytes could not be read (missing, unreadable)."""
    ctx = _Context(f"文件 {printable(path)}", None, None, f"path:{path.absolute()}", 0)
    return _incoming(b"", path.name or str(path), ctx, kind, refused=refused)


def _skipped(path: Path, reason: str, folder: bool = False) -> Incoming:
    """An Incoming for a path passed over unread: `skipped` says why; it has no data and is not kept."""
    ctx = _Context(f"{'文件夹' if folder else '文件'} {printable(path)}", None, None, f"path:{path.absolute()}", 0)
    return _incoming(b"", path.name or str(path), ctx, "unknown", skipped=reason)


def _unreadable(path: Path, exc: OSError) -> Refusal:
    """The refusal for a path the operating system refused to read."""
    reason = exc.strerror or type(exc).__name__
    return refusal("path_unreadable", path=printable(path), reason=reason)


def _base_name(name: str) -> str:
    """The last component of a name that may carry a path with either slash."""
    parts = _path_parts(name)
    return parts[-1] if parts else name


def _display_name(name: str) -> str:
    """A name safe to show: its base name, without control characters or bidi overrides, never empty."""
    return printable(_base_name(name)).strip() or "未命名文件"
