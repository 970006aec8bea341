"""`collect`: the paths a clerk hands in, walked and read. Folders are walked in name order; symbolic links,
junctions, pipes, sockets, devices and fazhi's own paths found there are skipped with the reason; each
regular file is read (only its first bytes when it is over the size limit) and expanded.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.text import printable
from fazhi_cli.intake.expand import expand
from fazhi_cli.intake.incoming import DEFAULT_LIMITS, Budget, Context, Incoming, make_incoming, too_large_refusal
from fazhi_cli.intake.names import display_name, skipped_name
from fazhi_cli.intake.sniffing import CONTAINER_KINDS, SNIFF_BYTES, sniff


def collect(
    paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS, skip: Mapping[Path, str] | None = None,
    check_workbooks: bool = True,
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

    With `check_workbooks=False`, a workbook's check (`workbook_problem`) is left to the caller: the item comes
    with `workbook_check` set, and `check_workbook` (run wherever the caller likes) attaches its refusal.

    Problems never raise: they are the `refusal` of an `Incoming` (a code and a message). A file that is
    missing, unreadable or over `limits.file_bytes` comes with empty `data` (one too large names its path in
    `source`, so that its bytes can still be kept).
    """
    walk = _Walk(limits, {_resolved(Path(key)): reason for key, reason in (skip or {}).items()}, check_workbooks)
    for path in paths:
        yield from _collect_named(Path(path), walk)


@dataclass(frozen=True)
class _Walk:
    """What every path of one call shares: the limits and the paths not to read."""

    limits: Limits
    skip: Mapping[Path, str]
    check_workbooks: bool = True

    def skip_reason(self, resolved: Path, within: bool = False) -> str | None:
        """Why `resolved` is not read (it is, or with `within` lies under, a path in `skip`), or None."""
        if resolved in self.skip:
            return self.skip[resolved]
        if within:
            return next((self.skip[parent] for parent in resolved.parents if parent in self.skip), None)
        return None


_REPARSE_LINK_TAGS = (0xA000000C, 0xA0000003)  # IO_REPARSE_TAG_SYMLINK, IO_REPARSE_TAG_MOUNT_POINT (junction)


def collect_message(data: bytes, name: str, origin: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Incoming]:
    """One e-mail's bytes (fetched from a mail server), unpacked as `collect` unpacks an .eml file: the message
    (a group of its own), then its attachments and the archives in them."""
    ctx = Context(origin, None, None, f"eml:{hashlib.sha256(data).hexdigest()}", 0)
    yield from expand(data, name, ctx, Budget.for_input(limits), kind="eml")


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
    if _is_maildir(children):
        # A Maildir (a mailbox exported or copied from a mail server): its messages are the files in cur/ and
        # new/; tmp/ holds deliveries not finished, the other files are the mail server's own indexes and lists.
        children = [child for child in children if child.name in MAILDIR_MESSAGES]
    for child in children:
        yield from _collect_entry(child, resolved / child.name, walk, ancestors | {key})


MAILDIR_MESSAGES = ("cur", "new")


def _is_maildir(children: list[Path]) -> bool:
    """True for a Maildir folder: it holds the folders cur/, new/ and tmp/."""
    names = {child.name for child in children}
    return {"cur", "new", "tmp"} <= names and all(child.is_dir() for child in children
                                                   if child.name in ("cur", "new", "tmp"))


def _collect_entry(
    path: Path, resolved: Path, walk: _Walk, ancestors: frozenset[tuple[int, int]]
) -> Iterator[Incoming]:
    """An entry found in a folder, judged by `lstat`: links, special files and fazhi's own paths are skipped."""
    if skipped_name(path.name):
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
    shown = display_name(path.name)
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
        ctx = Context(origin, None, file_time, f"path:{path.absolute()}", 0, explicit=explicit)
        size = max(info.st_size, len(data))
        kind = sniff(data[:SNIFF_BYTES], shown)
        yield make_incoming(b"", shown, ctx, kind, refused=too_large_refusal(shown, size, limits), source=path)
        return
    kind = sniff(data, shown)
    prefix = kind if kind in CONTAINER_KINDS else "file"
    ctx = Context(origin, None, file_time, f"{prefix}:{hashlib.sha256(data).hexdigest()}", 0, explicit=explicit)
    yield from expand(data, shown, ctx, Budget.for_input(limits, walk.check_workbooks), kind=kind)


def _read_regular(path: Path, follow: bool, max_bytes: int) -> tuple[os.stat_result, bytes] | None:
    """The file's status and bytes (only the first ones when it is over `max_bytes`); None if not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags), "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        return info, stream.read(SNIFF_BYTES if info.st_size > max_bytes else max_bytes + 1)


def _resolved(path: Path) -> Path:
    """The absolute path with links resolved (as far as they resolve)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop
        return path.absolute()


def _path_problem(path: Path, refused: Refusal, kind: str = "unknown") -> Incoming:
    """An Incoming for a path whose bytes could not be read (missing, unreadable)."""
    ctx = Context(f"文件 {printable(path)}", None, None, f"path:{path.absolute()}", 0)
    return make_incoming(b"", path.name or str(path), ctx, kind, refused=refused)


def _skipped(path: Path, reason: str, folder: bool = False) -> Incoming:
    """An Incoming for a path passed over unread: `skipped` says why; it has no data and is not kept."""
    ctx = Context(f"{'文件夹' if folder else '文件'} {printable(path)}", None, None, f"path:{path.absolute()}", 0)
    return make_incoming(b"", path.name or str(path), ctx, "unknown", skipped=reason)


def _unreadable(path: Path, exc: OSError) -> Refusal:
    """The refusal for a path the operating system refused to read."""
    reason = exc.strerror or type(exc).__name__
    return refusal("path_unreadable", path=printable(path), reason=reason)
