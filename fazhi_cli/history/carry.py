"""`fazhi init DIR --from OLD`: the next campaign started from the last one.

Everything is checked before anything is written: OLD is a campaign whose records, approved snapshot and kept years
all verify, the new year comes after OLD's, DIR is a folder a new campaign can be made in. Then DIR gets OLD's roster
file (contacts, addresses, 原单位名称) and rubric file as the office last edited them, its settings carried to the new
year (`history.settings`), a new secret, and the years to compare with: OLD's approved results (when approved) and
the years OLD kept itself, each sealed with the new secret, so nothing of OLD is needed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fazhi_cli.approval import results_in_force, verified_state
from fazhi_cli.domain.history import PastUnit, PastYear
from fazhi_cli.domain.rectification import CLOSED
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.rubric_warnings import rubric_warnings
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError, UsageError
from fazhi_cli.history.kept import years_in_store
from fazhi_cli.history.settings import carried_settings
from fazhi_cli.rectify import rectify_view
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.workspace import Workspace, check_new_folder, check_year, create_carried_workspace, parse_campaign
from fazhi_cli.workspace.names import CONFIG_NAME

NOTHING_TO_COMPARE = "上年度考核结果尚未审定,没有可比较的结果"


@dataclass(frozen=True)
class CarriedCampaign:
    """What `fazhi init --from` made: the new workspace, what it carried from the old one, and what to check."""

    workspace: Workspace
    source: Path
    old_year: int
    year: int
    title: str
    units: tuple[Unit, ...]
    rubric: Rubric
    old_approved: bool  # False: the old results were not approved, there is nothing of that year to compare with
    kept: tuple[int, ...]  # the earlier years kept in the new workspace, oldest first
    moved: tuple[str, ...]  # the settings moved to the new year, one line each
    warnings: tuple[str, ...]  # carried texts that still name the old year, the rubric's warnings

    def as_dict(self) -> dict:
        """What `fazhi init --from --json` prints."""
        return {"workspace": str(self.workspace.root), "from": str(self.source), "year": self.year,
                "from_year": self.old_year, "title": self.title, "units": len(self.units),
                "rubric": f"{self.rubric.id} {self.rubric.version}", "from_approved": self.old_approved,
                "kept_years": list(self.kept), "moved": list(self.moved), "warnings": list(self.warnings)}


@dataclass(frozen=True)
class _Old:
    """What is read from the old campaign, every part of it verified."""

    workspace: Workspace
    year: int
    files: dict[str, bytes]
    settings: str
    units: list[Unit]
    rubric: Rubric
    approved: PastYear | None
    earlier: list[PastYear]


def carry_campaign(root: Path, old_root: Path, year: int | None = None) -> CarriedCampaign:
    """Start the campaign of `year` (default: the old one's + 1) in `root` from the campaign in `old_root`; see the
    module. Every refusal is a `UsageError` (exit 2), with nothing written."""
    check_new_folder(root)
    old = _read_old(old_root)
    new_year = old.year + 1 if year is None else year
    if new_year <= old.year:
        raise UsageError(f"新考核年度 {new_year} 不晚于上年度工作区的考核年度 {old.year}",
                         f"--from 用于开始下一年度的考核:请用 --year 给出 {old.year} 以后的年度(默认 {old.year + 1})。")
    check_year(new_year)
    settings = carried_settings(old.settings, old.year, new_year)
    campaign = parse_campaign(settings.text, root / CONFIG_NAME)
    kept = [y for y in old.earlier if old.approved is None or y.year != old.year]
    kept = sorted([*kept, *([old.approved] if old.approved else [])], key=lambda y: y.year)
    names = [u.name for u in old.units]
    warnings = (*settings.warnings, *rubric_warnings(old.rubric, new_year, names))
    made = create_carried_workspace(root, old.files, settings.text, old.units, kept, str(old.workspace.root))
    return CarriedCampaign(made, old.workspace.root, old.year, new_year, campaign.title, tuple(old.units), old.rubric,
                           old.approved is not None, tuple(y.year for y in kept), settings.moved, tuple(warnings))


@contextmanager
def _about_old(old_root: Path) -> Iterator[None]:
    """A problem of the old workspace said as such (exit 2)."""
    try:
        yield
    except FazhiError as error:
        raise UsageError(f"不能从 {old_root} 开始新一年度的考核:{error.message}", error.hint, error.details) from None


def _read_old(old_root: Path) -> _Old:
    """The old campaign read and verified: settings, roster, rubric, records, approved snapshot, kept years."""
    if not (old_root / CONFIG_NAME).is_file():
        raise UsageError(f"{old_root} 不是考核工作区(没有 {CONFIG_NAME})",
                         "请用 --from 指定上年度的考核工作区文件夹(其中有 fazhi.toml 和 fazhi.db)。")
    old = Workspace(old_root)
    with _about_old(old_root):
        campaign = old.campaign()
        units = old.roster(campaign)
        rubric = old.rubric_as_written(campaign)
        files = {name: _file_bytes(old.root / name) for name in (campaign.units_file, campaign.rubric_file)}
        state = verified_state(old)
        with old.open_store() as store:
            earlier = years_in_store(store, old.secret())
        approved = _approved_year(old, results_in_force(old)) if state.approved else None
        settings = old.settings_text()
    return _Old(old, campaign.year, files, settings, units, rubric, approved, earlier)


def _file_bytes(path: Path) -> bytes:
    """The bytes of the old campaign's roster or rubric file, to be copied as they are."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取 {path}:{exc.strerror}", "请检查该文件是否存在、能否打开。") from None


def _approved_year(old: Workspace, board: Scoreboard) -> PastYear:
    """The old campaign's approved results as a kept year: each unit's total, rank, grade, the items it lost points
    on and its 整改 items not closed (none when no 整改 was recorded at all)."""
    state = board.state
    open_items = _open_rectify(old)
    reports = board.model.units
    units = []
    for result in board.results:
        report = reports.get(result.unit)
        lost = tuple(line.id for line in report.lost_items) if report is not None else ()
        units.append(PastUnit(result.unit, result.type, result.total, result.rank, result.grade, lost,
                              open_items.get(result.unit, ())))
    return PastYear(board.campaign.year, board.campaign.title, state.by, state.date, state.doc_no, tuple(units))


def _open_rectify(old: Workspace) -> dict[str, tuple[str, ...]]:
    """Each unit's 整改 items not closed, by ref; empty when the campaign recorded no 整改 (no return, no 销号)."""
    view = rectify_view(old)
    if not view.returns and not any(u.closures for u in view.units):
        return {}
    return {u.unit: tuple(i.ref for i in u.items if u.state(i.ref) != CLOSED) for u in view.units}
