"""This year's results against the last kept year's (`comparisons`), and what `fazhi score --json` prints with them
(`score_json_compared`: each unit's `previous` and `repeated`). Kept apart from `scoring.score_json`, which the
approval freezes: the comparison is never part of the frozen results."""

from __future__ import annotations

from typing import Any

from fazhi_cli.domain.comparison import NowUnit, UnitComparison, compare_units
from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.numbers import plain_or_none
from fazhi_cli.history.kept import kept_years
from fazhi_cli.scoring import Scoreboard, score_json
from fazhi_cli.workspace import Workspace


def comparisons(workspace: Workspace, board: Scoreboard) -> tuple[int, dict[str, UnitComparison]] | None:
    """(last kept year, each unit's comparison with it), or None when the campaign keeps no earlier year
    (`HistoryUnsealed`, exit 2, when a kept year does not verify)."""
    past = kept_years(workspace)
    if not past:
        return None
    last = past[-1]
    former = {u.name: tuple(u.former_names) for u in board.units}
    reports = board.model.units
    now = [NowUnit(r.unit, r.type, r.rank,
                   tuple(line.id for line in reports[r.unit].lost_items) if r.unit in reports else (),
                   former.get(r.unit, ())) for r in board.results]
    return last.year, compare_units(now, last)


def score_json_compared(workspace: Workspace, board: Scoreboard) -> dict[str, Any]:
    """`score_json`, each unit with `previous` (`{"year", "total", "rank", "grade"}` or null) and `repeated` (the
    item IDs lost in both years); both null / empty when no earlier year is kept."""
    document = score_json(board)
    compared = comparisons(workspace, board)
    for unit in document["units"]:
        found = compared[1].get(unit["unit"]) if compared else None
        previous = found.previous_json(compared[0]) if found is not None else None
        if previous is not None:
            previous = {**previous, "total": plain_or_none(previous["total"])}
        unit["previous"] = previous
        unit["repeated"] = list(found.repeated) if found is not None else []
    return json_ready(document)
