"""`fazhi history`: each unit's results year by year, from the years the campaign keeps."""

from __future__ import annotations

from pathlib import Path

from fazhi_cli.history import HistoryView, history_view
from fazhi_cli.workspace import Workspace


def history(workspace: Path | None = None) -> HistoryView:
    """Each unit of the roster with its kept earlier years and this year's result once approved (`fazhi history`);
    a kept year that does not verify against its seal is a `UsageError` (exit 2) naming it.

    Example::

        view = api.history(Path("2019考核"))
        view.years, [(u.unit, u.note) for u in view.units]
    """
    return history_view(Workspace.find(workspace))
