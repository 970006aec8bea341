"""A zip archive judged by its central directory, before anything is inflated: opening it, its entry names
(UTF-8, the Info-ZIP Unicode path, GBK) and the zip bomb checks against a `Budget`. Used by sniffing (is this
zip a workbook?), workbooks (`xlsx_problem`) and archives (unpacking).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from fazhi_cli.domain.text import printable
from fazhi_cli.intake.incoming import MIB, Budget, mb, over_limit

ENCRYPTED_FLAG = 0x1
_UTF8_FLAG = 0x800
_UNICODE_PATH_EXTRA = 0x7075

# What the zip library raises on a damaged input (zlib.error is not a BadZipFile).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, struct.error)


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive (only its central directory is read), or None when it is not a readable zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return None


def directory_problem(infos: list[zipfile.ZipInfo], archive_size: int, budget: Budget) -> str | None:
    """Why the directory looks like a zip bomb (in Chinese), judged without decompressing anything.

    The counts are those of this archive plus what the archives around it already unpacked (`budget`).
    """
    limits = budget.limits
    if len(infos) > budget.members_left:
        counted = limits.members - budget.members_left + len(infos)
        nested = f"(连同外层共 {counted} 个)" if counted != len(infos) else ""
        return f"包含 {len(infos)} 个文件{nested},{over_limit('members', limits)}"
    total = sum(info.file_size for info in infos)
    if total > budget.bytes_left:
        counted = limits.unpacked_bytes - budget.bytes_left + total
        nested = f"(连同外层共 {mb(counted)} MB)" if counted != total else ""
        return f"解压后共 {mb(total)} MB{nested},{over_limit('unpacked_bytes', limits)}"
    for info in infos:
        if info.file_size > MIB and info.file_size > limits.ratio * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            shown = printable(entry_name(info))
            return f"其中「{shown}」的压缩比约为 {ratio}:1,{over_limit('ratio', limits)}"
    if sum(info.compress_size for info in infos) > archive_size:
        return "目录中的条目相互重叠"
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
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
