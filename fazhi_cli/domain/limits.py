"""The size limits on what fazhi reads, with their defaults; a workspace may change them in fazhi.toml.

Every refusal for a limit names it by its Chinese label and its number, so that the clerk can tell a
unit what to change or raise the limit in `[limits]` of fazhi.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one input may hold before it is refused unread."""

    file_bytes: int = 20 * MIB  # any single file, attachment or archive member
    unpacked_bytes: int = 200 * MIB  # the uncompressed total of one archive (also of an .xlsx)
    ratio: int = 100  # uncompressed/compressed per archive member over 1 MiB
    members: int = 2000  # entries of one archive (with the archives nested in it)
    xml_part_bytes: int = 10 * MIB  # one XML part of a workbook, uncompressed
    shared_strings: int = 50_000  # entries of a workbook's shared-string table
    cells: int = 200_000  # cells in all the sheets of one workbook
    sheets: int = 30  # sheets of one workbook
    attachments: int = 50  # attachments of one e-mail
    messages: int = 500  # messages of one mailbox (mbox) file
    roster_rows: int = 2000  # rows of the unit roster


LIMIT_LABELS: dict[str, str] = {
    "file_bytes": "单个文件大小(字节)",
    "unpacked_bytes": "压缩包解压后总大小(字节)",
    "ratio": "压缩比",
    "members": "压缩包内文件数",
    "xml_part_bytes": "工作簿单个内部部件大小(字节)",
    "shared_strings": "工作簿共享字符串数",
    "cells": "工作簿单元格数",
    "sheets": "工作簿工作表数",
    "attachments": "每封邮件附件数",
    "messages": "每个邮箱文件(mbox)邮件数",
    "roster_rows": "单位名单行数",
}

_MAXIMUM = 10**12


def limits_from_settings(table: Mapping[str, object]) -> Limits:
    """Limits from the `[limits]` table of fazhi.toml (missing keys keep their defaults).

    Raises ValueError with a Chinese message naming the key for an unknown key or a value that is not a
    whole number between 1 and 10^12.
    """
    known = {f.name for f in fields(Limits)}
    chosen: dict[str, int] = {}
    for key, value in table.items():
        if key not in known:
            raise ValueError(f"[limits] 中没有“{key}”这一项(可设置:{'、'.join(sorted(known))})")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAXIMUM:
            raise ValueError(f"[limits] 中 {key}({LIMIT_LABELS[key]})应为 1 至 {_MAXIMUM} 之间的整数,现为“{value}”")
        chosen[key] = value
    return Limits(**chosen)
