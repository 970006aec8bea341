"""Zip archives unpacked: the archive itself, then each member that is not skipped, read only when the
directory is within the budget and the member within the file size limit, and expanded in turn (by the
`expand` passed in, so that a zip may hold e-mails and zips).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from fazhi_cli.domain.refusals import refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.intake.incoming import (
    MAX_NESTING,
    Budget,
    Context,
    Expand,
    Incoming,
    make_incoming,
    too_large_refusal,
)
from fazhi_cli.intake.names import display_name, path_parts, skipped_name
from fazhi_cli.intake.sniffing import SNIFF_BYTES, kind_by_name, sniff
from fazhi_cli.intake.zip_directory import ENCRYPTED_FLAG, ZIP_ERRORS, directory_problem, entry_name, open_zip


def expand_zip(data: bytes, name: str, kind: str, ctx: Context, budget: Budget, expand: Expand) -> Iterator[Incoming]:
    """The archive itself, then each member (directory checked against the budget before any inflation)."""
    shown = display_name(name)
    if ctx.depth > MAX_NESTING:
        yield make_incoming(data, name, ctx, kind, container=True, refused=refusal("too_deep", name=shown))
        return
    archive = open_zip(data)
    if archive is None:
        yield make_incoming(data, name, ctx, kind, container=True, refused=refusal("archive_damaged", name=shown))
        return
    with archive:
        infos = archive.infolist()
        reason = directory_problem(infos, len(data), budget)
        if reason is not None:
            bomb = refusal("zip_bomb", name=shown, reason=reason)
            yield make_incoming(data, name, ctx, kind, container=True, refused=bomb)
            return
        budget.bytes_left -= sum(info.file_size for info in infos)
        budget.members_left -= len(infos)
        members = []
        for info in infos:
            member_path = entry_name(info)
            if not _skipped_member(info, member_path):
                members.append((info, member_path))
        empty = None if members else refusal("archive_empty", name=shown)
        yield make_incoming(data, name, ctx, kind, container=True, refused=empty)
        label = ctx.label or f"压缩包 {shown}"
        for info, member_path in members:
            yield from _zip_member(archive, info, member_path, ctx, label, shown, budget, expand)


def _zip_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    member_path: str,
    ctx: Context,
    label: str,
    zip_name: str,
    budget: Budget,
    expand: Expand,
) -> Iterator[Incoming]:
    """One member of an archive: read it (unless too large, encrypted or damaged) and expand it."""
    shown_path = printable("/".join(path_parts(member_path)))
    origin = f"{label} 中的 {shown_path}"
    member_ctx = ctx.member(origin, origin, container=(zip_name,))
    name = display_name(member_path)
    if info.flag_bits & ENCRYPTED_FLAG:
        yield make_incoming(b"", name, member_ctx, "encrypted", refused=refusal("archive_password", name=name))
        return
    if info.file_size > budget.limits.file_bytes:
        kind = sniff(_read_member_head(archive, info), name)
        yield make_incoming(b"", name, member_ctx, kind, refused=too_large_refusal(name, info.file_size, budget.limits))
        return
    try:
        member = archive.read(info)
    except NotImplementedError:
        yield make_incoming(b"", name, member_ctx, "unknown", refused=refusal("archive_method", name=name))
        return
    except (*ZIP_ERRORS, RuntimeError):
        damaged = refusal("member_damaged", name=name)
        yield make_incoming(b"", name, member_ctx, kind_by_name(name), refused=damaged)
        return
    yield from expand(member, name, member_ctx, budget)


def _read_member_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first bytes of a member (enough to sniff it), or b'' when it cannot be read."""
    try:
        with archive.open(info) as stream:
            return stream.read(SNIFF_BYTES)
    except (*ZIP_ERRORS, RuntimeError):
        return b""


def _skipped_member(info: zipfile.ZipInfo, member_path: str) -> bool:
    """Directory entries, macOS resource forks, hidden folders and skipped names inside an archive."""
    parts = path_parts(member_path)
    if info.is_dir() or member_path.endswith(("/", "\\")) or not parts:
        return True
    if any(part == "__MACOSX" or part.startswith(".") for part in parts[:-1]):
        return True
    return skipped_name(parts[-1])
