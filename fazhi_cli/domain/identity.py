"""The identity a workbook carries, and the office's seal on it: an HMAC-SHA256 keyed by the workspace secret.

Only the office holds the secret, so only the office can make an identity that verifies: a unit that edits
the hidden identity sheet (another unit's name, another type) or builds a "review sheet" of its own cannot
produce a matching seal. The seal covers every identity field that matters, in a fixed order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

MAC_KEY = "mac"
SELF_ASSESSMENT_FIELDS = (
    "format", "format_version", "campaign", "year", "unit", "unit_type", "rubric", "rubric_version", "fingerprint",
    "generated_at",
)  # fmt: skip
# a review sheet also seals the last office value recorded when it was written: what it showed (see review.take)
REVIEW_SHEET_FIELDS = ("format", "campaign", "year", "unit_type", "rubric", "rubric_version", "generated_at",
                       "reviews_upto")
LEGACY_REVIEW_SHEET_FIELDS = REVIEW_SHEET_FIELDS[:-1]  # sheets written before they sealed it
# a review team's (考核组) sheet also seals the team and the units assigned to it
TEAM_REVIEW_SHEET_FIELDS = (*REVIEW_SHEET_FIELDS, "team", "units")
LEDGER_FIELDS = ("format", "campaign", "year", "rubric", "rubric_version", "generated_at")
# a 整改 workbook: whose it is, under which approval (its snapshot's hash) and which items (their fingerprint)
RECTIFY_FIELDS = ("format", "campaign", "year", "unit", "unit_type", "approval", "fingerprint", "generated_at")
# the office's 整改复核表 also seals the last 销号 decision recorded when it was written: what it showed
RECTIFY_REVIEW_FIELDS = ("format", "campaign", "year", "approval", "generated_at", "closures_upto")


def seal(secret: bytes, identity: Mapping[str, str], fields: tuple[str, ...]) -> str:
    """The office's seal over the identity's `fields` (hex HMAC-SHA256 of their canonical JSON)."""
    canonical = json.dumps([[name, str(identity.get(name, ""))] for name in fields], ensure_ascii=False,
                           separators=(",", ":"))
    return hmac.new(secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def is_sealed(secret: bytes, identity: Mapping[str, str], fields: tuple[str, ...]) -> bool:
    """True when the identity carries a seal that the office's secret reproduces (constant-time comparison)."""
    claimed = str(identity.get(MAC_KEY, ""))
    return bool(claimed) and hmac.compare_digest(claimed, seal(secret, identity, fields))
# the office's component sheet (评分构成表): which component, and the last component value recorded when written
COMPONENT_SHEET_FIELDS = ("format", "campaign", "year", "component", "generated_at", "components_upto")
