"""The office's seal on its own records: each decision (and each office value from a review sheet) is sealed
with an HMAC-SHA256 keyed by the workspace secret over its content and the seal of the record before it, and
each chain's head (how many records, the last seal) is sealed too.

So a record edited outside fazhi, a hash recomputed to match an edited snapshot, a record deleted from the middle
or the end, or one inserted, no longer verifies — and only the holder of the secret can make one that does. What
a secret cannot show is a whole store put back as it was earlier (a backup restored): that is the office's own
act. Pure: the rows come in as plain data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DECISIONS = "decisions"
REVIEWS = "reviews"
CHAINS = (DECISIONS, REVIEWS)
CHAIN_LABELS = {DECISIONS: "法制办决定记录", REVIEWS: "核定得分记录"}


@dataclass(frozen=True)
class SealedRow:
    """One record of a chain as stored: its id, the content its seal covers, and the seal stored with it."""

    id: int
    fields: Mapping[str, object]
    seal: str | None
    label: str = ""  # what the record is, for a message (e.g. 审定 2018-01-15)


@dataclass(frozen=True)
class ChainHead:
    """A chain's sealed head: how many records it holds and the last one's seal."""

    count: int
    last: str
    mac: str


@dataclass(frozen=True)
class SealBreak:
    """A record (or a chain's head) that does not verify, with a message in Chinese naming it."""

    chain: str
    record: int | None  # the record's id, None for the head
    message: str
    head_forged: bool = False  # the head's own seal fails: the head was rewritten, or the secret is another

    def as_dict(self) -> dict:
        """The break as `fazhi verify --json` gives it."""
        return {"kind": "seal", "chain": self.chain, "record": self.record, "message": self.message}


def _mac(secret: bytes, content: object) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def link_seal(secret: bytes, chain: str, previous: str, fields: Mapping[str, object]) -> str:
    """The seal of a record whose predecessor in `chain` was sealed `previous` ('' for the first)."""
    return _mac(secret, ["link", chain, previous, dict(fields)])


def head_seal(secret: bytes, chain: str, count: int, last: str) -> str:
    """The seal of a chain's head: `count` records, the last sealed `last`."""
    return _mac(secret, ["head", chain, count, last])


def seal_rows(secret: bytes, chain: str, previous: str, rows: Sequence[Mapping[str, object]]) -> list[str]:
    """The seals of `rows` appended, in order, after a record sealed `previous`."""
    seals = []
    for fields in rows:
        previous = link_seal(secret, chain, previous, fields)
        seals.append(previous)
    return seals


def chain_breaks(secret: bytes, chain: str, rows: Sequence[SealedRow], head: ChainHead | None) -> list[SealBreak]:
    """Every place where `rows` (in id order) and `head` do not verify under `secret`; empty when all do."""
    label = CHAIN_LABELS.get(chain, chain)
    if head is None:
        return [SealBreak(chain, None, f"{label}的印章记录缺失(数据库在 fazhi 之外被改动过,或 fazhi.secret 已被替换)")]
    breaks = []
    previous, previous_id = "", 0
    for row in rows:
        what = f"{label}第 {row.id} 条" + (f"({row.label})" if row.label else "")
        if not row.seal:
            breaks.append(SealBreak(chain, row.id, f"{what}没有印章:它不是由 fazhi 记录的"))
        elif not hmac.compare_digest(row.seal, link_seal(secret, chain, previous, row.fields)):
            gap = f"(其前第 {previous_id + 1}–{row.id - 1} 条已不在)" if row.id > previous_id + 1 else ""
            breaks.append(SealBreak(chain, row.id, f"{what}的印章不符:此条或其前一条记录已被改动或删除{gap}"))
        previous, previous_id = row.seal or "", row.id
    if not hmac.compare_digest(head.mac, head_seal(secret, chain, head.count, head.last)):
        breaks.append(SealBreak(chain, None, f"{label}的印章记录已被改动", head_forged=True))
    elif head.count != len(rows) or head.last != previous:
        missing = head.count - len(rows)
        change = f"少了 {missing} 条(已被删除)" if missing > 0 else "与印章记录不符(有记录被删除、替换或添加)"
        breaks.append(SealBreak(chain, None, f"{label}应有 {head.count} 条,数据库中有 {len(rows)} 条:{change}"))
    return breaks
