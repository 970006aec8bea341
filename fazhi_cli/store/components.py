"""The office's score component values (评分构成) from returned component sheets: the `component_values` table.

Each sheet taken adds one row per unit it gives a value for (the value as entered, the decimal it counts as, the
说明 and the cell), and one withdrawal row per unit whose value it blanked; nothing is updated or deleted. The value
in force of a component for a unit is its latest row, unless that is a withdrawal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.store.connection import StoreBase
from fazhi_cli.store.files import FileRecord, insert_file


@dataclass(frozen=True)
class ComponentEntry:
    """One value of a score component for a unit, as a component sheet gave it (`value` None: withdrawn)."""

    component: str
    unit: str
    raw: object
    value: Decimal | None
    cell: str | None
    note: str = ""
    taken_at: str = ""
    id: int | None = None
    file_name: str = ""  # the sheet it came from (as the store returns it)

    @property
    def withdrawn(self) -> bool:
        """True for the withdrawal of an earlier value (its cell came back blank)."""
        return self.value is None


class ComponentTables(StoreBase):
    """The `Store`'s methods for the score components' values."""

    def record_components(self, record: FileRecord, entries: Iterable[ComponentEntry]) -> int:
        """Record a component sheet and the values (and withdrawals) taken from it, in one transaction."""
        with self.transaction() as db:
            file_id = insert_file(db, record)
            db.executemany(
                "INSERT INTO component_values (component, unit, raw, value, note, cell, withdrawn, file_id, taken_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(e.component, e.unit, None if e.raw is None else json.dumps(e.raw, ensure_ascii=False, default=str),
                  None if e.value is None else str(e.value), e.note, e.cell, int(e.value is None), file_id,
                  record.taken_at) for e in entries],
            )
            return file_id

    def component_history(self) -> list[ComponentEntry]:
        """Every component value recorded, in order (withdrawals included)."""
        return [
            ComponentEntry(row["component"], row["unit"], None if row["raw"] is None else json.loads(row["raw"]),
                           None if row["value"] is None else Decimal(row["value"]), row["cell"], row["note"],
                           row["taken_at"], row["id"], row["original_name"])
            for row in self.db.execute("SELECT c.*, f.original_name FROM component_values c "
                                       "JOIN files f ON f.id = c.file_id ORDER BY c.id")
        ]

    def last_component_id(self) -> int:
        """The id of the last component value recorded (0 when none)."""
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM component_values").fetchone()[0])

    def component_values(self, upto: int | None = None) -> dict[str, dict[str, ComponentEntry]]:
        """The values in force, by unit and component; with `upto`, as they were once the row of that id was
        recorded."""
        latest: dict[str, dict[str, ComponentEntry]] = {}
        for entry in self.component_history():
            if upto is not None and entry.id is not None and entry.id > upto:
                break
            by_name = latest.setdefault(entry.unit, {})
            if entry.withdrawn:
                by_name.pop(entry.component, None)
            else:
                by_name[entry.component] = entry
        return latest
