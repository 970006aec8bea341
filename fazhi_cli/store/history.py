"""The earlier years carried into a campaign (`history_years`): each year's canonical results text, its SHA-256 and
the workspace's seal, written once by `fazhi init --from`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fazhi_cli.store.connection import StoreBase


@dataclass(frozen=True)
class KeptYear:
    """One earlier year as kept: the canonical text (`domain.history.year_json`), its SHA-256 and seal."""

    year: int
    content: str
    sha256: str
    mac: str
    carried_at: str
    source: str = ""  # the folder it was carried from (for the record only: it may be gone)


class HistoryTables(StoreBase):
    """The `Store`'s methods for the kept earlier years."""

    def record_history(self, years: Iterable[KeptYear]) -> None:
        """Keep earlier years (a new campaign's, in one transaction); a year kept already is replaced."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO history_years (year, content, sha256, mac, carried_at, source) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(y.year, y.content, y.sha256, y.mac, y.carried_at, y.source) for y in years])

    def history(self) -> list[KeptYear]:
        """Every kept year, oldest first."""
        rows = self.db.execute(
            "SELECT year, content, sha256, mac, carried_at, source FROM history_years ORDER BY year").fetchall()
        return [KeptYear(r["year"], r["content"], r["sha256"], r["mac"], r["carried_at"], r["source"]) for r in rows]
