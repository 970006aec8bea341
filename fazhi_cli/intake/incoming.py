"""What intake yields and what its parts share: the `Incoming` record and `make_incoming`, which places one by
its `Context` (origin, group, nesting depth); the `Budget` one top-level input may still unpack; and the
wording of a limit in a refusal (`over_limit`, `too_large_refusal`, `mb`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fazhi_cli.domain.limits import LIMIT_LABELS, Limits
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.intake.names import display_name

DEFAULT_LIMITS = Limits()
MAX_NESTING = 1  # a container inside a container is unpacked; one inside that is refused

MIB = 1024 * 1024


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
    senders: tuple[str, ...] = ()  # the From and Sender addresses of the e-mail it came in (lower case): evidence
    mailed: bool = False  # it came in an e-mail (with or without a readable address), not handed in as a file
    containers: tuple[str, ...] = ()  # the names of the e-mails and zips it came in (and an e-mail's subject)
    workbook_check: tuple[str, Limits] | None = None  # a workbook whose zip is still to be checked: `check_workbook`

    @property
    def problem(self) -> str | None:
        """The refusal's Chinese message, or None."""
        return None if self.refusal is None else self.refusal.message

    @property
    def problem_code(self) -> str | None:
        """The refusal's code (`encrypted`, `too_large`, …), or None."""
        return None if self.refusal is None else self.refusal.code


@dataclass(frozen=True)
class Context:
    """Where an item sits: its origin text, how its members name it, its time, group and nesting depth."""

    origin: str
    label: str | None  # None at the top level: the label is then chosen by the kind ("压缩包 x.zip")
    file_time: datetime | None
    group: str
    depth: int
    sent_at: datetime | None = None
    explicit: bool = False
    senders: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    mailed: bool = False

    def member(self, origin: str, label: str, sent_at: datetime | None = None, senders: tuple[str, ...] = (),
               container: tuple[str, ...] = (), mailed: bool = False) -> Context:
        """The context of a member one level down: its origin and label, the container's names added; an e-mail's
        members carry its addresses (`mailed`, even when it has none)."""
        return Context(origin, label, self.file_time, self.group, self.depth + 1, sent_at or self.sent_at,
                       senders=senders or self.senders, containers=(*self.containers, *container),
                       mailed=mailed or self.mailed)


@dataclass
class Budget:
    """The limits of one top-level input, and what it may still unpack (shared by every archive nested in it)."""

    limits: Limits
    bytes_left: int
    members_left: int
    check_workbooks: bool = True  # False: a workbook's zip check is left to the caller (`Incoming.workbook_check`)

    @classmethod
    def for_input(cls, limits: Limits, check_workbooks: bool = True) -> Budget:
        return cls(limits, limits.unpacked_bytes, limits.members, check_workbooks)


# What unpacks one file's bytes into incoming files (`expand.expand`): handed to the unpackers of containers.
Expand = Callable[[bytes, str, Context, Budget], Iterator[Incoming]]


def make_incoming(
    data: bytes,
    name: str,
    ctx: Context,
    kind: str,
    *,
    container: bool = False,
    refused: Refusal | None = None,
    sent_at: datetime | None = None,
    source: Path | None = None,
    skipped: str | None = None,
    workbook_check: tuple[str, Limits] | None = None,
) -> Incoming:
    """An Incoming placed by its context."""
    return Incoming(
        data=data,
        original_name=display_name(name),
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
        senders=ctx.senders,
        mailed=ctx.mailed,
        containers=ctx.containers,
        workbook_check=workbook_check,
    )


def over_limit(key: str, limits: Limits) -> str:
    """A limit named for a refusal: “超过“每封邮件附件数”上限 50” (sizes also in MB)."""
    value = getattr(limits, key)
    shown = f"{value}({mb(value)} MB)" if key.endswith("_bytes") else str(value)
    return f"超过“{LIMIT_LABELS[key]}”上限 {shown}"


def too_large_refusal(shown: str, size: int, limits: Limits) -> Refusal:
    """The refusal for a file over the file size limit."""
    return refusal("too_large", name=shown, size=mb(size), limit=over_limit("file_bytes", limits))


def mb(size: int) -> str:
    """A byte count in MB with one decimal."""
    return f"{size / MIB:.1f}".removesuffix(".0")
