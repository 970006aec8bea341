"""The snapshot an approval freezes, and the approved results rebuilt from it.

Its content is canonical JSON (`domain.approval.canonical_json`) of: the rubric's source text and hash, the
settings (fazhi.toml's text) and the roster, the store rows scoring reads that the results used
(`store.SNAPSHOT_TABLES`: the units, the submissions counted with their values and files' records, materials,
the office's review values, the clerk's file decisions), and the computed results (`score --json`'s units).
Its SHA-256 is over that text. The approved results are rebuilt by loading those rows into a store in memory
and running the very same `build_scoreboard`; they must equal the results frozen with them.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from fazhi_cli.domain.approval import canonical_json, content_hash
from fazhi_cli.domain.placeholders import campaign_values, fill_rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError
from fazhi_cli.rubric.loading import parse_rubric_text
from fazhi_cli.scoring import Scoreboard, build_scoreboard, score_json
from fazhi_cli.store import Store
from fazhi_cli.workspace import parse_campaign

SNAPSHOT_FORMAT = 1
SETTINGS_SOURCE = "审定快照中的 fazhi.toml"
RUBRIC_SOURCE = "审定快照中的评分细则"


@dataclass(frozen=True)
class SnapshotInputs:
    """What the results were computed from besides the store: fazhi.toml's text, the rubric's text, the roster."""

    settings_text: str
    rubric_text: str
    units: list[Unit]


class UnreadableSnapshot(Exception):
    """A snapshot whose content is not what `freeze` writes (not JSON, a part missing, a part unreadable)."""


class RebuildDiffers(Exception):
    """The results rebuilt from a snapshot are not the results frozen in it; `units` names the units that differ."""

    def __init__(self, units: list[str], program: str) -> None:
        super().__init__("、".join(units))
        self.units = units
        self.program = program  # the fazhi version that froze the snapshot


def _program_version() -> str:
    try:
        return metadata.version("fazhi")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return ""


def results_units(board: Scoreboard) -> list[dict]:
    """The results a snapshot freezes and is checked against: `score --json`'s units."""
    return score_json(board)["units"]


def freeze(store: Store, inputs: SnapshotInputs, board: Scoreboard, today: dt.date) -> tuple[str, str]:
    """The snapshot of `board` (computed from `store` and `inputs` as of the office's date `today`): its canonical
    JSON text and that text's SHA-256."""
    used = [checked.submission_id for checked in board.validation.results]
    content = {
        "format": SNAPSHOT_FORMAT,
        "program": _program_version(),
        "settings": {"text": inputs.settings_text, "sha256": content_hash(inputs.settings_text)},
        "rubric": {"text": inputs.rubric_text, "sha256": content_hash(inputs.rubric_text)},
        "roster": [asdict(unit) for unit in inputs.units],
        "today": today.isoformat(),  # what was due when approved (the ledger's deadlines) stays as it was
        "store": store.snapshot_rows(used),
        "results": results_units(board),
    }
    text = canonical_json(content)
    return text, content_hash(text)


def thaw(text: str) -> Scoreboard:
    """The results rebuilt from a snapshot's text (its hash already checked by the caller).

    Raises `UnreadableSnapshot` when the text is not a snapshot, `RebuildDiffers` when the rebuilt results are
    not those frozen in it (the program computes differently now, or an input was left out of the snapshot).
    """
    try:
        content = json.loads(text)
        campaign = parse_campaign(content["settings"]["text"], Path(SETTINGS_SOURCE))
        rubric = fill_rubric(parse_rubric_text(content["rubric"]["text"], RUBRIC_SOURCE),
                             campaign_values(campaign)).with_months(campaign.assessed_months)
        units = [Unit(**{**unit, "former_names": tuple(unit.get("former_names", ()))}) for unit in content["roster"]]
        frozen = content["results"]
        with Store.in_memory() as store:
            store.load_rows(content["store"])
            board = build_scoreboard(store, rubric, campaign, units, dt.date.fromisoformat(content["today"]))
    except (ValueError, KeyError, TypeError, AttributeError, sqlite3.Error, FazhiError) as exc:
        raise UnreadableSnapshot(str(exc)) from None
    rebuilt = as_frozen(results_units(board), frozen)
    if canonical_json(rebuilt) != canonical_json(frozen):
        raise RebuildDiffers(_differing_units(rebuilt, frozen), str(content.get("program", "")))
    return board


NEWER_FIELDS = ("components", "combined")  # what score --json gained after some snapshots were frozen


def as_frozen(rebuilt: list[dict], frozen: object) -> list[dict]:
    """The rebuilt results in the form of the frozen ones: a snapshot frozen before the units had `components`
    and `combined` is compared without them (its settings could set no component, so they add nothing)."""
    units = frozen if isinstance(frozen, list) else []
    if not units or not isinstance(units[0], dict) or all(name in units[0] for name in NEWER_FIELDS):
        return rebuilt
    return [{key: value for key, value in unit.items() if key not in NEWER_FIELDS} for unit in rebuilt]


def _differing_units(rebuilt: list[dict], frozen: object) -> list[str]:
    frozen_units = frozen if isinstance(frozen, list) else []
    before = {u.get("unit"): canonical_json(u) for u in frozen_units if isinstance(u, dict)}
    after = {u["unit"]: canonical_json(u) for u in rebuilt}
    names = [str(name) for name in sorted(set(before) | set(after), key=str) if before.get(name) != after.get(name)]
    return names or ["(单位顺序)"]
