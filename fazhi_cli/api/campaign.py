"""Setting up a campaign: `fazhi init` (the workspace), `fazhi config show/set` (its settings) and `fazhi generate`
(one blank workbook per unit)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi_cli.domain.units import Unit
from fazhi_cli.history import CarriedCampaign, carry_campaign
from fazhi_cli.workbook.generate import GenerateResult, write_workbooks
from fazhi_cli.workspace import CreatedWorkspace, Workspace, create_workspace
from fazhi_cli.workspace.settings_file.edit import SettingChange, SettingRow, set_setting, show_settings

InitResult = CreatedWorkspace  # what `fazhi init` made: the workspace, its rubric, roster and campaign


def init(
    folder: Path,
    units: Path | None = None,
    rubric: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> InitResult:
    """Create a campaign workspace in `folder` (`fazhi init`); returns what was made.

    Defaults: the sample roster and the built-in 2017 Zhaohua rubric, the year taken from the rubric.
    With `force` on a workspace of another campaign (another year), that campaign's store, key and
    folders are moved to previous/ first (`result.previous`, `result.moved`); see `create_workspace`.

    Example::

        made = api.init(Path("2018考核"), units=Path("名单.xlsx"), rubric=Path("rubric-2018.yaml"), year=2018)
        made.workspace.root, made.campaign.deadline, len(made.units)
    """
    return create_workspace(folder, units, rubric, year, force)


def init_from(folder: Path, old: Path, year: int | None = None) -> CarriedCampaign:
    """Start the next campaign in `folder` from the campaign in `old` (`fazhi init DIR --from OLD`): its roster and
    rubric files, its settings with `year` (default: the old year + 1) and every date and 文号 moved to it, and the
    old campaign's approved results (with the years it kept itself) kept here, sealed, so that nothing of `old` is
    needed afterwards. `result.old_approved` is False when the old results were not approved (nothing to compare
    with); `result.warnings` names each carried text still naming the old year. Every refusal is a `UsageError`
    (exit 2), with nothing written.

    Example::

        made = api.init_from(Path("2018考核"), Path("2017考核"))
        made.year, made.kept, made.warnings
    """
    return carry_campaign(folder, old, year)


def config_show(workspace: Path | None = None) -> list[SettingRow]:
    """Every campaign setting with its Chinese name, value and meaning (`fazhi config show`).

    Example::

        {row.key: row.value for row in api.config_show(Path("2026考核"))}["deadline"]
    """
    return show_settings(Workspace.find(workspace))


def config_set(key: str, value: str, workspace: Path | None = None) -> SettingChange:
    """Change one setting in fazhi.toml (`fazhi config set KEY VALUE`), keeping the file's comments and layout,
    holding the lock. The key may be Chinese (截止日期, 联系人, 权重.乡镇, 发文字号…) or as in fazhi.toml; a date
    may be typed any usual way (2026-12-5, 2026/12/5, 2026年12月5日).

    Example::

        api.config_set("截止日期", "2026年12月5日", Path("2026考核")).after  # "2026-12-05"
    """
    found = Workspace.find(workspace)
    with found.lock():
        return set_setting(found, key, value)


def generate(
    workspace: Path | None = None,
    units: list[str] | None = None,
    unit_type: str | None = None,
    force: bool = False,
    on_progress: Callable[[Unit, int], None] | None = None,
) -> GenerateResult:
    """Write one blank self-assessment workbook per unit into outbox/ (`fazhi generate`), holding the lock.

    `units` (names on the roster) and `unit_type` narrow the units; an existing file is kept (in
    `result.kept`) unless `force`. `on_progress(unit, total)` is called after each unit.

    Example::

        result = api.generate(Path("2017考核"), units=["区发改局", "元坝镇"], force=True)
        [path.name for path in result.written]
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_workbooks(found, units, unit_type, force, on_progress)
