"""Kept earlier years recorded through the real store API, as `fazhi init --from` would keep them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fazhi_cli.domain.history import PastYear, history_seal, year_json
from fazhi_cli.store.history import KeptYear
from fazhi_cli.workspace import Workspace


def keep_year(ws_path: Path, past_year: PastYear) -> None:
    """Keep `past_year` in the workspace's store, sealed with its secret."""
    workspace = Workspace(ws_path)
    text = year_json(past_year)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    kept = KeptYear(past_year.year, text, sha, history_seal(workspace.secret(), past_year.year, sha),
                    "2018-01-01T09:00:00+08:00", "")
    with workspace.open_store() as store:
        store.record_history([kept])
