"""`fazhi generate`: one blank self-assessment workbook per unit, into outbox/."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fazhi_cli.domain.campaign import generate_warnings
from fazhi_cli.domain.rubric import UNIT_TYPES
from fazhi_cli.domain.rubric_warnings import rubric_warnings
from fazhi_cli.domain.units import TYPE_WORDS, Unit, name_key, roster_spelling, unit_type_from_label
from fazhi_cli.errors import UsageError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write_all
from fazhi_cli.infra.print_fonts import print_font_warning
from fazhi_cli.workbook.templates import WorkbookFactory
from fazhi_cli.workspace import Workspace, workbook_file_name

BATCH = 32  # workbooks written, then flushed to disk together (see files.atomic_write_all)


@dataclass(frozen=True)
class GenerateResult:
    """What `fazhi generate` wrote, and what it left alone because the file already existed."""

    written: list[Path]
    kept: list[Path]
    folder: Path
    warnings: tuple[str, ...] = ()  # what in the rubric does not fit the campaign or its roster


def selected_types(unit_type: str | None) -> tuple[str, ...]:
    """Both unit types, or the one asked for, typed in English or Chinese (UsageError for an unknown one)."""
    if unit_type is None:
        return UNIT_TYPES
    found = unit_type_from_label(unit_type)
    if found is None:
        raise UsageError(f"未知的单位类型“{unit_type}”", f"请用 --type {TYPE_WORDS}。")
    return (found,)


def select_units(units: list[Unit], names: list[str] | None, unit_type: str | None) -> list[Unit]:
    """The roster's units, narrowed to the names (typed in either width) and/or the type asked for (UsageError
    for unknown names)."""
    chosen = units
    if names:
        known = {u.name: u for u in units}
        spelled = {name: roster_spelling(name, known) for name in names}
        unknown = [name for name, found in spelled.items() if found is None]
        if unknown:
            raise UsageError(
                f"名单中没有这些单位:{'、'.join(unknown)}",
                "请检查单位名称是否与单位名单一致(fazhi status 可列出全部单位)。",
            )
        chosen = [known[found] for found in dict.fromkeys(spelled.values()) if found is not None]
    if unit_type is not None:
        wanted = selected_types(unit_type)
        chosen = [u for u in chosen if u.type in wanted]
    return chosen


def write_workbooks(
    workspace: Workspace,
    names: list[str] | None = None,
    unit_type: str | None = None,
    force: bool = False,
    on_progress: Callable[[Unit, int], None] | None = None,
) -> GenerateResult:
    """Write one self-assessment workbook per chosen unit into outbox/ (existing files kept unless force).

    The caller holds the workspace lock. `on_progress(unit, total)` is called after each unit, in order, once
    its file is on disk. Units of the same shape share one template (`workbook.templates`).
    """
    campaign = workspace.campaign()
    rubric = workspace.rubric(campaign)
    everyone = workspace.roster(campaign)
    typed = {name_key(name) for name in names or ()}
    not_assessed = [u.name for u in everyone if not u.assessed and name_key(u.name) in typed]
    if not_assessed:
        raise UsageError(f"这些单位在名单中标为不参加考核,不生成自评表:{'、'.join(not_assessed)}",
                         "如要考核,请把单位名单中该单位的“是否考核”改为“是”。")
    roster = workspace.units(campaign)
    units = select_units(roster, names, unit_type)
    workspace.outbox.mkdir(exist_ok=True)
    factory = WorkbookFactory(campaign, rubric, workspace.secret())
    targets = [(unit, workspace.outbox / workbook_file_name(campaign.year, unit.name)) for unit in units]
    factory.prepare([unit for unit, target in targets if force or not target.exists()])
    written, kept = [], []

    def finish(batch: list[tuple[Unit, Path]], fresh: set[Path], writing: Future) -> None:
        writing.result()
        for unit, target in batch:
            (written if target in fresh else kept).append(target)
            if on_progress is not None:
                on_progress(unit, len(units))

    # one thread writes and flushes a batch while the next one is made: the waits on the disk overlap the work
    with ThreadPoolExecutor(max_workers=1) as disk:
        previous = None
        for start in range(0, len(units), BATCH):
            batch = targets[start:start + BATCH]
            files = [(target, factory.content(unit)) for unit, target in batch if force or not target.exists()]
            if previous is not None:
                finish(*previous)
            previous = batch, {target for target, _ in files}, disk.submit(atomic_write_all, files)
        if previous is not None:
            finish(*previous)
    warnings = rubric_warnings(workspace.rubric_as_written(campaign), campaign.year, [u.name for u in everyone],
                               campaign.office)
    warnings += generate_warnings(campaign, office_now().date())
    font_warning = print_font_warning()
    if font_warning is not None:
        warnings.append(font_warning)
    return GenerateResult(written, kept, workspace.outbox, tuple(warnings))
