"""The rubric: `fazhi rubric show` (its result, `RubricView`, and that view's JSON beside it), `rubric check` (a
file's errors, then what does not fit the campaign) and `rubric export`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_cli.domain.json_data import json_ready
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.rubric_display import rubric_as_dict
from fazhi_cli.domain.rubric_warnings import rubric_warnings as check_rubric_fit
from fazhi_cli.errors import UsageError, WorkspaceError
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import builtin_rubric, export_rubric, load_rubric_file
from fazhi_cli.workbook.generate import selected_types
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class RubricView:
    """The rubric `fazhi rubric show` shows: the workspace's, or the built-in one outside a workspace."""

    rubric: Rubric
    types: tuple[str, ...]
    workspace: Workspace | None  # None: not in a workspace, the built-in rubric

    @property
    def builtin(self) -> bool:
        """True when no workspace was found and the built-in rubric is shown."""
        return self.workspace is None


def rubric_show(workspace: Path | None = None, unit_type: str | None = None) -> RubricView:
    """The rubric in use (`fazhi rubric show`), for both unit types or the one asked for.

    The workspace's rubric when there is a workspace (given, or found upward from the current folder),
    else the built-in one; a `workspace` given that is not one is an error. `unit_type` is `department`
    or `township` (UsageError for anything else).

    Example::

        view = api.rubric_show(Path("2017考核"), unit_type="township")
        view.rubric.for_type("township").total, api.rubric_json(view)
    """
    types = selected_types(unit_type)
    try:
        found = Workspace.find(workspace)
    except WorkspaceError:
        if workspace is not None:
            raise
        return RubricView(builtin_rubric(), types, None)
    return RubricView(found.rubric(), types, found)


def rubric_check(file: Path) -> Rubric:
    """Load and check a rubric file, a workbook (.xlsx) or YAML (`fazhi rubric check`); raises RubricInvalid
    explaining every inconsistency (in a workbook, by sheet and cell).

    Example::

        rubric = api.rubric_check(Path("细则-2026.xlsx"))
        [len(rubric.for_type(t).items) for t in rubric.types]
    """
    return load_rubric_file(file)


def rubric_warnings(
    rubric: Rubric, year: int | None = None, units: Path | None = None, workspace: Path | None = None,
) -> list[str]:
    """What in a valid rubric does not fit a campaign (`fazhi rubric check` prints these as warnings): made for
    another year than `year`, years written into its texts, a period such as (2015—2020年) already over,
    区级相关部门-style words among a task's units, and tasks naming units not on the roster `units`. Without `year`
    and `units`, a `workspace` given (or found from the current folder) supplies its year and roster, and its
    考核单位, against which a rubric written for another district is told.

    Example::

        api.rubric_warnings(api.rubric_check(Path("细则-2026.xlsx")), year=2026, units=Path("名单.xlsx"))
    """
    names, office = None, None
    if units is not None:
        names = [unit.name for unit in load_roster(units, Limits())]
    elif year is None:
        try:
            found = Workspace.find(workspace)
        except WorkspaceError:
            if workspace is not None:
                raise
        else:
            campaign = found.campaign()
            year, names, office = campaign.year, [unit.name for unit in found.roster(campaign)], campaign.office
    return check_rubric_fit(rubric, year, names, office)


def rubric_export(file: Path, force: bool = False, workspace: Path | None = None) -> Path:
    """Write the rubric to `file` (`fazhi rubric export`): an Excel workbook the office edits for .xlsx, YAML for
    .yaml; the workspace's rubric (given, or found from the current folder) with its placeholders as written,
    else the built-in one. The start of next year's rubric.

    An existing file is kept (UsageError) unless `force`. Returns the file written.

    Example::

        api.rubric_export(Path("细则-2026.xlsx"))
    """
    if not file.parent.is_dir():
        raise UsageError(f"文件夹 {file.parent} 不存在", "请先建立该文件夹,或换一个位置导出。")
    if file.is_dir():
        raise UsageError(f"{file} 是文件夹", "请给出要写出的文件名,例如 细则-2026.xlsx。")
    if file.exists() and not force:
        raise UsageError(f"{file} 已存在", "请换一个文件名,或加 --force 覆盖。")
    try:
        found = Workspace.find(workspace)
    except WorkspaceError:
        if workspace is not None:
            raise
        export_rubric(file)
        return file
    campaign = found.campaign()
    export_rubric(file, found.rubric_as_written(campaign), found.rubric_text(campaign))
    return file


def rubric_json(view: RubricView) -> dict[str, Any]:
    """What `fazhi rubric show --json` prints.

    Example::

        api.rubric_json(api.rubric_show(unit_type="department"))["types"][0]["total"]
    """
    return json_ready(rubric_as_dict(view.rubric, view.types))
