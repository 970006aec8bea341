"""`fazhi rectify generate`: once the results are approved, one sealed 整改 workbook for each assessed unit that lost
points (or had 特别扣分), into outbox/整改."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fazhi_cli.infra.clock import office_now
from fazhi_cli.rectify.owed import approved_owed
from fazhi_cli.rectify.writer import rectify_identity, write_rectify_workbook
from fazhi_cli.workbook.generate import select_units
from fazhi_cli.workspace import Workspace
from fazhi_cli.workspace.names import rectify_file_name


@dataclass(frozen=True)
class RectifyGenerated:
    """What `fazhi rectify generate` wrote, for whom, by which deadline, and the units asked for that owe nothing."""

    written: list[Path]
    folder: Path
    deadline: dt.date
    units: list[str]
    owe_nothing: list[str]


def write_rectify_workbooks(workspace: Workspace, names: list[str] | None = None,
                            on_progress: Callable[[str, int], None] | None = None,
                            clock: Callable[[], dt.datetime] = office_now) -> RectifyGenerated:
    """Write the 整改 workbook of every owing unit (or of those `names`, typed in either width) into outbox/整改,
    each file replaced whole; `on_progress(unit, total)` after each. The caller holds the workspace lock. Before the
    approval a `UsageError` (exit 2); an unknown name a `UsageError`."""
    owed = approved_owed(workspace)
    campaign = workspace.campaign()
    roster = workspace.units(campaign)
    asked = [u.name for u in select_units(roster, names, None)] if names else list(owed.items)
    chosen = [name for name in asked if name in owed.items]
    folder = workspace.rectify_outbox
    folder.mkdir(parents=True, exist_ok=True)
    secret, moment = workspace.secret(), clock()
    written = []
    for name in chosen:
        unit, items = owed.units[name], owed.items[name]
        identity = rectify_identity(campaign, unit, items, owed.approval, secret, moment)
        target = folder / rectify_file_name(campaign.year, name)
        write_rectify_workbook(target, campaign, unit, items, owed.deadline, identity)
        written.append(target)
        if on_progress is not None:
            on_progress(name, len(chosen))
    return RectifyGenerated(written, folder, owed.deadline, chosen, [n for n in asked if n not in owed.items])
