"""Shared fixtures: run the real CLI in-process, make workspaces in temporary folders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from fazhi_cli.cli.app import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


OFFICE_NOW = "2017-12-05T10:00:00+08:00"  # before the 2017 campaign's 2017-12-10 deadline


@pytest.fixture(autouse=True)
def office_clock(monkeypatch):
    """The office's clock (FAZHI_NOW) set inside the 2017 campaign; a test moves it with `office_clock(moment)`."""
    monkeypatch.setenv("FAZHI_NOW", OFFICE_NOW)

    def move(moment) -> None:
        monkeypatch.setenv("FAZHI_NOW", moment.isoformat() if hasattr(moment, "isoformat") else str(moment))

    return move


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `fazhi ARGS` in-process (optionally in a folder); returns exit code, stdout and stderr."""

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def workspace(tmp_path, cli) -> Path:
    """A campaign workspace made by `fazhi init` on the sample data."""
    root = tmp_path / "campaign"
    result = cli("init", root)
    assert result.code == 0, result.err
    return root
