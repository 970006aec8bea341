"""`fazhi verify`: every archived original and every seal on the office's records checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi_cli.integrity import VerifyReport, verify_workspace
from fazhi_cli.workspace import Workspace


def verify(workspace: Path | None = None, on_file: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check every archived original against its recorded SHA-256 and every seal on the office's records
    (`fazhi verify`); nothing is changed. `report.ok` is True when all verify; `report.problems` names each file
    (its path under archive/) or record that does not. `on_file(done, total)` follows the originals.

    Example::

        checked = api.verify(Path("2017考核"))
        checked.ok, [p.as_dict() for p in checked.problems]
    """
    return verify_workspace(Workspace.find(workspace), on_file)
