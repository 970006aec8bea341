"""What kind a file is, by its bytes (`sniff`), with the name's suffix only as a tie-breaker; the `KINDS`,
`CONTAINER_KINDS` and `WORKBOOK_KINDS`, and the refusal for a kind that is no workbook (`refusal_for_kind`).
"""

from __future__ import annotations

import codecs
import re
import zipfile

from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.intake.names import base_name, display_name
from fazhi_cli.intake.zip_directory import ZIP_ERRORS, open_zip

KINDS = (
    "xlsx", "xlsm", "xls", "encrypted", "legacy", "ods", "html", "text", "pdf", "word", "image", "zip", "eml", "mbox",
    "archive_other", "empty", "unknown",
)  # fmt: skip
CONTAINER_KINDS = ("zip", "eml", "mbox")  # unpacked here: their members follow them in the stream
WORKBOOK_KINDS = ("xlsx", "xlsm", "xls", "ods")  # read as returns: .xls also a WPS .et, told by its bytes

SNIFF_BYTES = 64 * 1024  # enough of a file's start to tell its kind

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
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9-]*):")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")
# The "From " line that starts each message of a mailbox file: a sender, then a date with a time and a year.
MBOX_FROM_LINE = re.compile(rb"From [^\s]+ +[^\r\n]{0,80}?\d{1,2}:\d{2}[^\r\n]{0,40}?\d{4}[^\r\n]{0,40}$")
_MBOX_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")


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
    if suffix == ".eml" and (b"\x00" not in data[:SNIFF_BYTES] or _nul_only_in_headers(data)):
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
    base = base_name(name)
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def _sniff_zip(data: bytes, suffix: str) -> str:
    """Tell a workbook, an OpenDocument file, a Word document and a plain zip apart by the directory."""
    archive = open_zip(data)
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
    except (*ZIP_ERRORS, RuntimeError):
        return None


def _sniff_ole(data: bytes, suffix: str) -> str:
    """An OLE compound file: a password-protected OOXML file, a Word file, or an Excel 97-2003 workbook (.xls,
    and the WPS .et that is one under another name)."""
    if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
        return "encrypted"
    if _utf16("WordDocument") in data:
        return "word"
    if _utf16("__substg1.0_") in data or _utf16("PowerPoint Document") in data:
        return "unknown"  # an Outlook .msg or a PowerPoint file
    return "word" if suffix in _WORD_SUFFIXES else "xls"


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
    head = data[:SNIFF_BYTES]
    final = len(data) <= SNIFF_BYTES
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
    if first_end < 0 or not MBOX_FROM_LINE.match(data[:first_end].rstrip(b"\r")):
        return False
    return _MBOX_HEADER_LINE.match(data, first_end + 1) is not None


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")


def _nul_only_in_headers(data: bytes) -> bool:
    """True for an e-mail whose NUL bytes are all in its header block (a display name a mail client wrote raw):
    its headers, control bytes left out, read as e-mail headers, and nothing after them holds a NUL."""
    head = data[:SNIFF_BYTES]
    ends = [end for end in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if end >= 0]
    if not ends or b"\x00" in head[min(ends):]:
        return False
    text = _decode_head(_CONTROL_BYTES.sub(b"", head[:min(ends)]))
    return text is not None and _looks_like_mail(text)


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


def kind_by_name(name: str) -> str:
    """A kind from the suffix alone, for a member whose bytes could not be read."""
    return _WORKBOOK_SUFFIXES.get(_suffix(name), "unknown")


_KIND_REFUSALS = {
    "encrypted": "encrypted", "legacy": "legacy_format", "html": "web_page", "text": "text_file",
    "archive_other": "other_archive", "empty": "empty",
}  # fmt: skip


def refusal_for_kind(kind: str, name: str) -> Refusal | None:
    """The refusal for a file handed in as a workbook that is not one; None for kinds that are fine."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    shown = display_name(name)
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
