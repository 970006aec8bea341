"""Whether a returned workbook is safe to read (`workbook_problem`): an .xlsx to hand to openpyxl (`xlsx_problem`)
or an .ods to hand to python-calamine (`ods_problem`), judged at the zip level: the directory, the parts that must
exist, and the XML parts streamed with their tags counted against the limits; an .xls (`xls_problem`) by its
records counted against the same limits.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.intake.incoming import DEFAULT_LIMITS, Budget, mb, over_limit
from fazhi_cli.intake.names import display_name
from fazhi_cli.intake.sniffing import sniff
from fazhi_cli.intake.zip_directory import ENCRYPTED_FLAG, ZIP_ERRORS, directory_problem, open_zip
from fazhi_cli.workbook.sheet_facts import xls_counts

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
    return _zip_problem(data, name, limits, _xlsx_parts_problem)


def _xlsx_parts_problem(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str,
                        limits: Limits) -> Refusal | None:
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return refusal("missing_parts", name=shown)
    return _parts_problem(archive, infos, shown, limits)


def _zip_problem(data: bytes, name: str, limits: Limits,
                 parts_problem: Callable[[zipfile.ZipFile, list[zipfile.ZipInfo], str, Limits], Refusal | None],
                 ) -> Refusal | None:
    """What every zip-based workbook goes through first: opened (else truncated), its central directory judged
    (a zip bomb), then `parts_problem` on its parts."""
    shown = display_name(name)
    archive = open_zip(data)
    if archive is None:
        return refusal("truncated", name=shown)
    with archive:
        infos = archive.infolist()
        reason = directory_problem(infos, len(data), Budget.for_input(limits))
        if reason is not None:
            return refusal("workbook_bomb", name=shown, reason=reason)
        return parts_problem(archive, infos, shown, limits)


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
    if any(info.flag_bits & ENCRYPTED_FLAG for info in infos):
        return corrupt
    tags = _TagCount()
    for info in infos:
        try:
            problem = _part_problem(archive, info, shown, limits, tags)
        except (*ZIP_ERRORS, RuntimeError):
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
            limit = over_limit("xml_part_bytes", limits)
            return refusal("part_too_large", name=shown, part=part, size=mb(info.file_size), limit=limit)
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
        return refusal("over_limit", name=shown, limit=over_limit(over, limits))
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


def workbook_problem(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Refusal | None:
    """For a returned workbook in any format fazhi reads: None if it is safe to read, else the refusal.

    The format is told by the bytes (`sniff`): an .ods is judged by `ods_problem`, an .xls (an OLE2 file, also a
    WPS .et) by `xls_problem`, anything else as an .xlsx by `xlsx_problem`.
    """
    kind = sniff(data, name)
    if kind == "ods":
        return ods_problem(data, name, limits)
    if kind == "xls":
        return xls_problem(data, name, limits)
    return xlsx_problem(data, name, limits)


def xls_problem(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Refusal | None:
    """For an .xls (an OLE2 file, also a WPS .et): None if its sheets and cells, counted from its records before any
    reader parses them, are within `limits.sheets` and `limits.cells` (nothing in it is compressed: its size is
    the file's, already checked), else the refusal. A file whose records cannot be found is left to the reader,
    which refuses it as unreadable."""
    counts = xls_counts(data)
    if counts is None:
        return None
    sheets, cells = counts
    for key, count in (("sheets", sheets), ("cells", cells)):
        if count > getattr(limits, key):
            return refusal("over_limit", name=display_name(name), limit=over_limit(key, limits))
    return None


_ODS_TAG = re.compile(rb"<table:(table-row|table-cell|table)(?=[\s/>])([^<>]*?)(/?)>|<!(DOCTYPE|ENTITY)")
_ODS_REPEATED = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*["\'](\d{1,12})["\']')
_ODS_CARRY = 4096  # a tag cut by a chunk boundary is kept for the next chunk when it is no longer than this
_MANIFEST_BYTES = 1024 * 1024


def ods_problem(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Refusal | None:
    """For an OpenDocument spreadsheet: None if it looks safe to hand to python-calamine, else the refusal.

    As for an .xlsx, judged at the zip level before any parser sees a byte: the central directory (zip bomb),
    `content.xml` present, an encrypted file (the manifest's `encryption-data`) refused as such, and
    `content.xml` streamed: no larger than `limits.xml_part_bytes`, no DTD, its sheets and its non-empty cells
    (repeats multiplied out) counted against `limits.sheets` and `limits.cells`.
    """
    return _zip_problem(data, name, limits, _ods_parts_problem)


def _ods_parts_problem(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str,
                       limits: Limits) -> Refusal | None:
    names = {info.filename for info in infos}
    if "content.xml" not in names:
        return refusal("unreadable_spreadsheet", name=shown)
    try:
        if "META-INF/manifest.xml" in names:
            manifest = archive.getinfo("META-INF/manifest.xml")
            if manifest.file_size <= _MANIFEST_BYTES and b"encryption-data" in archive.read(manifest):
                return refusal("encrypted", name=shown)
        return _ods_content_problem(archive, archive.getinfo("content.xml"), shown, limits)
    except (*ZIP_ERRORS, RuntimeError):
        return refusal("damaged", name=shown)


def _ods_content_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: Limits) -> Refusal | None:
    """`content.xml` streamed in chunks and measured (see `ods_problem`)."""
    part = printable(info.filename)
    too_large = refusal("part_too_large", name=shown, part=part, size=mb(info.file_size),
                        limit=over_limit("xml_part_bytes", limits))
    if info.file_size > limits.xml_part_bytes:
        return too_large
    sheets = cells = read = 0
    row_repeat = 1
    carried = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_WORKBOOK_CHUNK):
            read += len(chunk)
            if read > limits.xml_part_bytes:
                return too_large
            if not carried and read == len(chunk):
                start = chunk.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
                if start.startswith(_HIDDEN_XML_STARTS) or not _readable_declared_encoding(start):
                    return refusal("unsafe_encoding", name=shown, part=part)
            text = carried + chunk
            last = text.rfind(b"<")
            cut = last if last >= 0 and len(text) - last < _ODS_CARRY and b">" not in text[last:] else len(text)
            carried = text[cut:]
            for tag, attributes, closed, declaration in _ODS_TAG.findall(text[:cut]):
                if declaration:
                    return refusal("unsafe_dtd", name=shown, part=part)
                repeated = _ODS_REPEATED.search(attributes)
                count = int(repeated.group(1)) if repeated else 1
                if tag == b"table":
                    sheets += 1
                elif tag == b"table-row":
                    row_repeat = count
                elif not closed or b"value-type" in attributes:  # a cell with content: counted with its repeats
                    cells += row_repeat * count
            if sheets > limits.sheets:
                return refusal("over_limit", name=shown, limit=over_limit("sheets", limits))
            if cells > limits.cells:
                return refusal("over_limit", name=shown, limit=over_limit("cells", limits))
    return None
