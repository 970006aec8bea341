"""The use cases the commands call: each takes plain arguments, does one job, returns plain data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.rubric import UNIT_TYPES, Rubric, Rule, UnitTypeRubric
from fazhi_cli.domain.text import safe_file_component
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import UsageError, WorkspaceError
from fazhi_cli.report import ReportFiles, write_reports
from fazhi_cli.review import write_review_sheets
from fazhi_cli.rubric_io import builtin_rubric, export_builtin_rubric, load_rubric_file
from fazhi_cli.workbook.writer import write_self_assessment
from fazhi_cli.workspace import CreatedWorkspace, Workspace, create_workspace

InitResult = CreatedWorkspace  # what `fazhi init` made


def init_campaign(
    root: Path,
    units_file: Path | None = None,
    rubric_file: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> InitResult:
    """Create a campaign workspace (defaults: the built-in rubric and the sample roster).

    With `force` on a workspace of another campaign (another year), that campaign's store, key and
    folders are moved to previous/ first; see `create_workspace`.
    """
    return create_workspace(root, units_file, rubric_file, year, force)


def rubric_in_use(workspace_dir: Path | None) -> tuple[Rubric, Workspace | None]:
    """The workspace's rubric when there is a workspace (-w or found upward), else the built-in one."""
    try:
        workspace = Workspace.find(workspace_dir)
    except WorkspaceError:
        if workspace_dir is not None:
            raise
        return builtin_rubric(), None
    return workspace.rubric(), workspace


def selected_types(unit_type: str | None) -> tuple[str, ...]:
    """Both unit types, or the one asked for (UsageError for an unknown one)."""
    if unit_type is None:
        return UNIT_TYPES
    if unit_type not in UNIT_TYPES:
        raise UsageError(
            f"未知的单位类型“{unit_type}”", "请用 --type department(区级部门)或 --type township(乡镇(街道))。"
        )
    return (unit_type,)


def check_rubric(path: Path) -> Rubric:
    """Load and check a rubric file; raises RubricInvalid explaining every inconsistency."""
    return load_rubric_file(path)


def export_rubric(target: Path, force: bool = False) -> None:
    """Write the built-in rubric to `target` as the starting point for next year's rubric."""
    if not target.parent.is_dir():
        raise UsageError(f"文件夹 {target.parent} 不存在", "请先建立该文件夹,或换一个位置导出。")
    if target.is_dir():
        raise UsageError(f"{target} 是文件夹", "请给出要写出的文件名,例如 rubric-2018.yaml。")
    if target.exists() and not force:
        raise UsageError(f"{target} 已存在", "请换一个文件名,或加 --force 覆盖。")
    export_builtin_rubric(target)


def rule_as_dict(rule: Rule) -> dict[str, Any]:
    """A rule as JSON-ready data, with the fact IDs a workbook asks for."""
    return {"id": rule.id, "kind": rule.kind, "text": rule.text, **kind_of(rule).json_fields(rule)}


def type_rubric_as_dict(type_rubric: UnitTypeRubric) -> dict[str, Any]:
    """One unit type's rubric as JSON-ready data: every section, item and rule."""
    return {
        "type": type_rubric.type,
        "label": type_rubric.label,
        "total": type_rubric.total,
        "sections": [
            {
                "id": section.id,
                "numeral": section.numeral,
                "name": section.name,
                "max": section.max,
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "max": item.max,
                        "content": item.content,
                        "standard": item.standard,
                        "rules": [rule_as_dict(rule) for rule in item.rules],
                    }
                    for item in section.items
                ],
            }
            for section in type_rubric.sections
        ],
    }


def rubric_as_dict(rubric: Rubric, types: tuple[str, ...]) -> dict[str, Any]:
    """The rubric (the chosen unit types, special rules, tasks and targets) as JSON-ready data."""
    special = rubric.special
    return {
        "rubric": {"id": rubric.id, "version": rubric.version, "title": rubric.title, "year": rubric.year},
        "types": [type_rubric_as_dict(rubric.for_type(t)) for t in types],
        "special": {
            "bonus": [rule_as_dict(r) for r in special.bonus],
            "penalty": [rule_as_dict(r) for r in special.penalty],
        },
        "tasks": [
            {"number": t.number, "title": t.title, "responsible": list(t.responsible)} for t in rubric.tasks
        ],
        "targets": {
            t: [{"number": row.number, "item": row.item} for row in rubric.targets.get(t, ())] for t in types
        },
    }


@dataclass(frozen=True)
class GenerateResult:
    """What `fazhi generate` wrote, and what it left alone because the file already existed."""

    written: list[Path]
    kept: list[Path]
    folder: Path


def workbook_file_name(year: int, unit_name: str) -> str:
    """`<年度>年度法治政府建设自评表_<单位名称>.xlsx` (the name made safe for every file system)."""
    return f"{year}年度法治政府建设自评表_{safe_file_component(unit_name)}.xlsx"


def select_units(units: list[Unit], names: list[str] | None, unit_type: str | None) -> list[Unit]:
    """The roster's units, narrowed to the names and/or the type asked for (UsageError for unknown names)."""
    chosen = units
    if names:
        known = {u.name: u for u in units}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(
                f"名单中没有这些单位:{'、'.join(unknown)}",
                "请检查单位名称是否与单位名单一致(fazhi status 可列出全部单位)。",
            )
        chosen = [known[n] for n in dict.fromkeys(names)]
    if unit_type is not None:
        selected_types(unit_type)
        chosen = [u for u in chosen if u.type == unit_type]
    return chosen


def generate_workbooks(
    workspace_dir: Path | None,
    names: list[str] | None = None,
    unit_type: str | None = None,
    force: bool = False,
    on_progress: Callable[[Unit, int], None] | None = None,
) -> GenerateResult:
    """Write one self-assessment workbook per chosen unit into outbox/ (existing files kept unless force),
    holding the workspace lock.

    `on_progress(unit, total)` is called after each unit.
    """
    workspace = Workspace.find(workspace_dir)
    with workspace.lock():
        return write_workbooks(workspace, names, unit_type, force, on_progress)


def write_workbooks(
    workspace: Workspace,
    names: list[str] | None = None,
    unit_type: str | None = None,
    force: bool = False,
    on_progress: Callable[[Unit, int], None] | None = None,
) -> GenerateResult:
    """`generate_workbooks` for a caller that already holds the workspace lock."""
    campaign = workspace.campaign()
    rubric = workspace.rubric()
    units = select_units(workspace.units(), names, unit_type)
    workspace.outbox.mkdir(exist_ok=True)
    secret = workspace.secret()
    written, kept = [], []
    for unit in units:
        target = workspace.outbox / workbook_file_name(campaign.year, unit.name)
        if target.exists() and not force:
            kept.append(target)
        else:
            write_self_assessment(target, campaign, rubric, unit, secret)
            written.append(target)
        if on_progress is not None:
            on_progress(unit, len(units))
    return GenerateResult(written, kept, workspace.outbox)


def review_sheets(workspace_dir: Path | None) -> list[Path]:
    """Write the review sheets into review/, holding the workspace lock; returns the files written."""
    workspace = Workspace.find(workspace_dir)
    with workspace.lock():
        return write_review_sheets(workspace)


def reports(workspace_dir: Path | None) -> ReportFiles:
    """Write the summary workbook and the pages into reports/, holding the workspace lock."""
    workspace = Workspace.find(workspace_dir)
    with workspace.lock():
        return write_reports(workspace)
