"""Evidence of who sent a file, beside the identity a workbook carries: the e-mail's addresses (every one in From
and Sender) and the names of the file and of the e-mails and zips it came in. Pure: names and addresses in, the
unit they point to out.

A unit name inside another (a roster may hold both 司法局 and 区司法局) counts as the longer one where both
match; a text naming the claimed unit, even beside another, is no evidence against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fazhi_cli.domain.units import split_addresses


def unit_addresses(email: str) -> frozenset[str]:
    """A roster's 电子邮箱 text as addresses in lower case (several may be separated by , ; 、 or spaces)."""
    return frozenset(part.lower() for part in split_addresses(email) if "@" in part)


class NameIndex:
    """Unit names looked up by the text at a position, longest first: the cost per text does not grow with the
    roster (a province's ten thousand names are as quick as a district's fifty-five)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if n)
        self.lengths = tuple(sorted({len(n) for n in self.names}, reverse=True))

    def longest_at(self, text: str, position: int) -> str | None:
        """The longest unit name that starts at `position` of `text`, or None."""
        room = len(text) - position
        for length in self.lengths:
            if length <= room and text[position:position + length] in self.names:
                return text[position:position + length]
        return None


def named_units(text: str, names: Iterable[str] | NameIndex) -> list[str]:
    """The unit names a text names, in order of appearance: at each position the longest name that starts there."""
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    found: list[str] = []
    position = 0
    while position < len(text):
        match = index.longest_at(text, position)
        if match is None:
            position += 1
            continue
        if match not in found:
            found.append(match)
        position += len(match)
    return found


def other_unit_named(claimed: str, text: str, names: Iterable[str] | NameIndex) -> str | None:
    """The other unit a text names when it does not name `claimed` too, else None."""
    named = named_units(text, names)
    if claimed in named:
        return None
    return named[0] if named else None


class RosterEvidence:
    """The roster's units with their addresses, indexed once for a whole batch of files: which unit owns an
    address (the first on the roster) and which names a text names."""

    def __init__(self, addresses: Mapping[str, frozenset[str]]) -> None:
        self.addresses = addresses
        self.owners: dict[str, str] = {}
        for unit, owned in addresses.items():
            for address in owned:
                self.owners.setdefault(address, unit)
        self.names = NameIndex(addresses)


def sender_addresses(senders: str | Iterable[str] | None) -> tuple[str, ...]:
    """Sender addresses in lower case, each once: a tuple of them, or one text (as the store keeps them, separated
    by commas), or None."""
    if not senders:
        return ()
    found = split_addresses(senders) if isinstance(senders, str) else senders
    return tuple(dict.fromkeys(address.strip().lower() for address in found if "@" in address))


def address_owner(claimed: str, senders: str | Iterable[str] | None, roster: RosterEvidence) -> tuple[str, str] | None:
    """The other unit whose roster address sent the file, with that address, when no address of the message is the
    claimed unit's; else None."""
    addresses = sender_addresses(senders)
    own = roster.addresses.get(claimed, frozenset())
    if any(address in own for address in addresses):
        return None
    return next(((roster.owners[a], a) for a in addresses if a in roster.owners), None)


def from_own_address(unit: str, senders: str | Iterable[str] | None, roster: RosterEvidence) -> bool:
    """True when one of the message's addresses is on the roster for `unit`."""
    own = roster.addresses.get(unit, frozenset())
    return any(address in own for address in sender_addresses(senders))


@dataclass(frozen=True)
class Conflict:
    """Evidence that a file claimed by one unit was sent by another: which unit, and what says so (Chinese)."""

    other: str
    evidence: str


def identity_conflict(claimed: str, senders: str | Iterable[str] | None, file_name: str, containers: Iterable[str],
                      addresses: Mapping[str, frozenset[str]] | RosterEvidence) -> Conflict | None:
    """The first piece of evidence naming another roster unit than `claimed` (the units are the keys of
    `addresses`, or of a batch's prepared `RosterEvidence`): the sender's addresses, then the file's name, then
    the names of what it came in; else None."""
    roster = addresses if isinstance(addresses, RosterEvidence) else RosterEvidence(addresses)
    owner = address_owner(claimed, senders, roster)
    if owner is not None:
        return Conflict(owner[0], f"发件地址 {owner[1]} 属于“{owner[0]}”")
    other = other_unit_named(claimed, file_name, roster.names)
    if other is not None:
        return Conflict(other, f"文件名指向“{other}”")
    together = " / ".join(containers)  # an e-mail whose name or subject names the claimed unit is no evidence
    other = other_unit_named(claimed, together, roster.names)
    if other is not None:
        return Conflict(other, f"所在的邮件或压缩包「{together}」指向“{other}”")
    return None
