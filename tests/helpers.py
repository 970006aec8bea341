"""Helpers shared by the tests (importable as `helpers`, since tests/ is on sys.path)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "2017-zhaohua-fazhi-work-arrangement.txt"
REQUIRE_EXTERNAL = os.environ.get("FAZHI_REQUIRE_EXTERNAL") == "1"


def external_tool(name: str) -> str:
    """The path of a Debian tool a test needs; skip when absent locally, fail in CI."""
    path = shutil.which(name)
    if path is None:
        if REQUIRE_EXTERNAL:
            pytest.fail(f"{name} is required in CI (.ci/run installs it) but was not found")
        pytest.skip(f"{name} is not installed; .ci/run installs it (apt-get install)")
    return path


def seed_text() -> str:
    """The seed document, found beside the repository as in CI."""
    if not SEED.is_file():
        if REQUIRE_EXTERNAL:
            pytest.fail(f"the seed document {SEED} is missing")
        pytest.skip(f"the seed document is not beside this checkout ({SEED})")
    return SEED.read_text("utf-8")


def set_weights(workspace: Path, **weights: str) -> None:
    """Set conversion weights in the workspace's fazhi.toml as a clerk would: `[weights]` with one line per
    unit type given (department="5", township="4"). fazhi init writes no weight (the seed gives none)."""
    path = workspace / "fazhi.toml"
    lines = ["[weights]", *(f"{unit_type} = {value}" for unit_type, value in weights.items())]
    path.write_text(path.read_text("utf-8") + "\n" + "\n".join(lines) + "\n", "utf-8")


def set_single_weight(workspace: Path, value: str) -> None:
    """The single `weight` of [campaign] as workspaces made before per-type weights have it."""
    path = workspace / "fazhi.toml"
    text = path.read_text("utf-8")
    anchor = "show_rank_in_feedback ="
    assert anchor in text
    path.write_text(text.replace(anchor, f"weight = {value}\n{anchor}", 1), "utf-8")


def reseal(workspace: Path) -> None:
    """Seal every record of the workspace's store again with its own secret, as only the holder of fazhi.secret
    can: for the tests of what holds even then (a snapshot that does not parse or rebuild)."""
    import sqlite3
    from contextlib import closing

    from fazhi_cli.domain.seals import CHAINS, head_seal, seal_rows
    from fazhi_cli.store import SEALED_COLUMNS, SEALED_WHEN_SET

    secret = (workspace / "fazhi.secret").read_bytes()
    with closing(sqlite3.connect(workspace / "fazhi.db")) as db, db:
        for chain in CHAINS:
            columns, later = SEALED_COLUMNS[chain], SEALED_WHEN_SET.get(chain, ())
            rows = db.execute(f"SELECT {', '.join(columns + later)} FROM {chain} ORDER BY id").fetchall()
            fields = [{name: value for name, value in zip(columns + later, row, strict=True)
                       if name in columns or value is not None} for row in rows]
            seals = seal_rows(secret, chain, "", fields)
            db.executemany(f"UPDATE {chain} SET seal = ? WHERE id = ?",
                           [(seal, row[0]) for seal, row in zip(seals, rows, strict=True)])
            last = seals[-1] if seals else ""
            db.execute("UPDATE seal_heads SET count = ?, last = ?, mac = ? WHERE chain = ?",
                       (len(rows), last, head_seal(secret, chain, len(rows), last), chain))


def module_cli(patch: pytest.MonkeyPatch):
    """`cli(*args, cwd=None)` for a module-scoped fixture (the `cli` fixture is per test): the command run in this
    process, `patch` moving into `cwd`; its result carries the exit code only."""
    from conftest import CliResult

    from fazhi_cli.cli.app import main

    def cli(*args, cwd=None):
        if cwd is not None:
            patch.chdir(cwd)
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        return CliResult(code, "", "")

    return cli


def require_free_fonts(folder: Path) -> None:
    """Skip (locally) or fail (in CI) unless the free fonts that stand in for the official ones are on this machine
    (`make fonts`) and fontconfig can list them."""
    from fazhi_cli.documents import fonts

    config = fonts.fontconfig_file(folder)
    absent = fonts.missing(config)
    if absent or fonts.available_families(config) is None:
        reason = f"free fonts missing ({'、'.join(absent) or 'fc-list not installed'}): run `make fonts`"
        if REQUIRE_EXTERNAL:
            pytest.fail(reason)
        pytest.skip(reason)
