"""Evidence of who sent a file, beside the identity a workbook carries: the e-mail's From address and the names of
the file and of the e-mails and zips it came in. Pure: names and addresses in, the unit they point to out.

A unit name inside another (a roster may hold both 司法局 and 区司法局) counts as the longer one where both
match; a text naming the claimed unit, even beside another, is no evidence against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_ADDRESS_SEPARATORS = re.compile(r"[\s,;,;、]+")


def unit_addresses(email: str) -> frozenset[str]:
    """A roster's 电子邮箱 text as addresses in lower case (several may be separated by , ; 、 or spaces)."""
    return frozenset(address.lower() for address in address_list(email))


def address_list(email: str) -> tuple[str, ...]:
    """A roster's 电子邮箱 text as its addresses, in the order written, each once (the parts holding an @)."""
    return tuple(dict.fromkeys(part for part in _ADDRESS_SEPARATORS.split(email or "") if "@" in part))


def address_parts(email: str) -> tuple[str, ...]:
    """Every part of a roster's 电子邮箱 text (separated by , ; 、 or spaces), with or without an @."""
    return tuple(part for part in _ADDRESS_SEPARATORS.split(email or "") if part)


def named_units(text: str, names: Iterable[str]) -> list[str]:
    """The unit names a text names, in order of appearance: at each position the longest name that starts there."""
    by_first: dict[str, list[str]] = {}
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name)
    found: list[str] = []
    position = 0
    while position < len(text):
        match = next((n for n in by_first.get(text[position], ()) if text.startswith(n, position)), None)
        if match is None:
            position += 1
            continue
        if match not in found:
            found.append(match)
        position += len(match)
    return found


def other_unit_named(claimed: str, text: str, names: Iterable[str]) -> str | None:
    """The other unit a text names when it does not name `claimed` too, else None."""
    named = named_units(text, names)
    if claimed in named:
        return None
    return named[0] if named else None


def address_owner(claimed: str, sender: str | None, addresses: Mapping[str, frozenset[str]]) -> str | None:
    """The other unit whose roster address sent the file, when it is not also the claimed unit's, else None."""
    if not sender:
        return None
    sender = sender.lower()
    if sender in addresses.get(claimed, frozenset()):
        return None
    return next((unit for unit, owned in addresses.items() if sender in owned), None)


@dataclass(frozen=True)
class Conflict:
    """Evidence that a file claimed by one unit was sent by another: which unit, and what says so (Chinese)."""

    other: str
    evidence: str


def identity_conflict(claimed: str, sender: str | None, file_name: str, containers: Iterable[str],
                      addresses: Mapping[str, frozenset[str]]) -> Conflict | None:
    """The first piece of evidence naming another roster unit than `claimed` (the units are the keys of
    `addresses`): the From address, then the file's name, then the names of what it came in; else None."""
    owner = address_owner(claimed, sender, addresses)
    if owner is not None:
        return Conflict(owner, f"发件地址 {sender} 属于“{owner}”")
    other = other_unit_named(claimed, file_name, addresses)
    if other is not None:
        return Conflict(other, f"文件名指向“{other}”")
    together = " / ".join(containers)  # an e-mail whose name or subject names the claimed unit is no evidence
    other = other_unit_named(claimed, together, addresses)
    if other is not None:
        return Conflict(other, f"所在的邮件或压缩包「{together}」指向“{other}”")
    return None
