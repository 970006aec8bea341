"""One file's bytes become incoming files: `expand` unpacks a container (zip, e-mail, mailbox) or classifies a
file and attaches its problem. Expansion is recursive: `expand` hands itself to the archive and mail
unpackers, which call it for each member, so neither of them imports this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.intake.archives import expand_zip
from fazhi_cli.intake.incoming import Budget, Context, Incoming, make_incoming, too_large_refusal
from fazhi_cli.intake.mail import expand_mail, expand_mbox
from fazhi_cli.intake.names import display_name
from fazhi_cli.intake.sniffing import CONTAINER_KINDS, WORKBOOK_KINDS, sniff
from fazhi_cli.intake.workbooks import workbook_problem


def expand(data: bytes, name: str, ctx: Context, budget: Budget, kind: str | None = None) -> Iterator[Incoming]:
    """One file's bytes: unpack a container, or classify a file and attach its problem."""
    kind = kind or sniff(data, name)
    shown = display_name(name)
    if len(data) > budget.limits.file_bytes:
        too_large = too_large_refusal(shown, len(data), budget.limits)
        yield make_incoming(data, name, ctx, kind, container=kind in CONTAINER_KINDS, refused=too_large)
    elif kind == "zip":
        yield from expand_zip(data, name, kind, ctx, budget, expand)
    elif kind == "eml":
        yield from expand_mail(data, name, kind, ctx, budget, expand)
    elif kind == "mbox":
        yield from expand_mbox(data, name, kind, ctx, budget, expand)
    elif kind == "empty":
        yield make_incoming(data, name, ctx, kind, refused=refusal("empty", name=shown))
    elif kind in WORKBOOK_KINDS and not budget.check_workbooks:
        yield make_incoming(data, name, ctx, kind, workbook_check=(name, budget.limits))
    else:
        refused = workbook_problem(data, name, budget.limits) if kind in WORKBOOK_KINDS else None
        yield make_incoming(data, name, ctx, kind, refused=refused)


def check_workbook(item: Incoming, refused: Refusal | None = None) -> Incoming:
    """An item whose workbook check was left to the caller, with that check done: its refusal (`refused` when
    the check was already run elsewhere, on the same bytes), exactly as `expand` would have attached it."""
    if item.workbook_check is None:
        return item
    name, limits = item.workbook_check
    if refused is None:
        refused = workbook_problem(item.data, name, limits)
    return replace(item, refusal=refused, workbook_check=None)
