"""A zip file assembled from parts deflated ahead of time.

A workbook template's parts are deflated once; per unit only the few short pieces that change are deflated
and spliced in. Each piece is a raw deflate stream from a fresh compressor ended by a sync flush (byte-aligned,
not final), so pieces simply concatenate into one valid stream, none referring back into another; `END`, an
empty final block, closes it. The archive is plain zip (no data descriptors, no zip64), as Excel, WPS and
LibreOffice read it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

LEVEL = 6  # zlib's default, as openpyxl's zipfile uses
END = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
VERSION = 20  # 2.0: deflate
MADE_ON_UNIX = 3
FILE_MODE = 0o600 << 16  # what openpyxl's zipfile gives a part
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")


def deflate_piece(data: bytes) -> bytes:
    """`data` as a piece of a deflate stream: it joins any pieces before and after it (see the module)."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class Entry:
    """One file of the archive, already deflated: its name, time, CRC-32, size and deflated bytes."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    crc: int
    size: int
    deflated: bytes


def entry(name: str, date_time: tuple[int, int, int, int, int, int], raw: Sequence[bytes],
          deflated: Sequence[bytes]) -> Entry:
    """The entry whose content is the pieces `raw`, given deflated (one piece each, by `deflate_piece`)."""
    crc = 0
    for piece in raw:
        crc = zlib.crc32(piece, crc)
    return Entry(name, date_time, crc, sum(len(piece) for piece in raw), b"".join(deflated) + END)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def zip_bytes(entries: Sequence[Entry]) -> bytes:
    """The zip archive of `entries`, in their order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in entries:
        name = item.name.encode("ascii")
        time, date = _dos_time(item.date_time)
        fields = (VERSION, 0, 0, zlib.DEFLATED, time, date, item.crc, len(item.deflated), item.size, len(name))
        local = LOCAL_HEADER.pack(b"PK\x03\x04", *fields, 0) + name
        central.append(CENTRAL_HEADER.pack(b"PK\x01\x02", VERSION, MADE_ON_UNIX, *fields, 0, 0, 0, 0, FILE_MODE,
                                           offset) + name)
        out += (local, item.deflated)
        offset += len(local) + len(item.deflated)
    directory = b"".join(central)
    count = len(entries)
    return b"".join(out) + directory + END_RECORD.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
