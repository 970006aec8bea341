"""Making a workspace (`fazhi init`): the folder, the copies of roster and rubric, fazhi.toml, an empty store and
a key; re-initialising one with `--force`, which keeps the same campaign's data or moves another campaign's aside
into previous/.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.history import PastYear, history_seal, year_json
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.rubric_warnings import rubric_warnings
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError, UsageError, WorkspaceError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write, user_write_errors
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric_text, load_rubric_file, parse_rubric_text, rubric_file_text
from fazhi_cli.store import KeptYear
from fazhi_cli.workspace.names import CAMPAIGN_FILES, CAMPAIGN_FOLDERS, CONFIG_NAME, FOLDERS, RUBRIC_NAME
from fazhi_cli.workspace.paths import Workspace
from fazhi_cli.workspace.settings_file.default import campaign_toml, default_campaign
from fazhi_cli.workspace.settings_file.parse import FIRST_YEAR, LAST_YEAR, read_campaign, read_settings_text


@dataclass(frozen=True)
class CreatedWorkspace:
    """What `create_workspace` made; `previous` and `moved` say where another campaign's data went."""

    workspace: Workspace
    rubric: Rubric
    units: list[Unit]
    campaign: Campaign
    previous: Path | None = None
    moved: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what in the rubric does not fit this campaign (domain.rubric_warnings)


def check_year(year: int) -> None:
    """A campaign year fazhi accepts (UsageError otherwise)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(
            f"考核年度 {year} 超出范围(应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间)",
            "请用 --year 给出正确的年份,例如 --year 2018。",
        )


def check_new_folder(root: Path) -> None:
    """A folder `fazhi init` may make a new campaign in (not a file, not a workspace already): WorkspaceError."""
    _check_folder_can_be_made(root)
    if (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"{root} 已经是考核工作区", "请换一个新的文件夹名。")


def _check_folder_can_be_made(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} 已存在且不是文件夹", "请换一个文件夹名。")
    for parent in root.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise WorkspaceError(f"无法在 {root} 建立工作区:{parent} 是文件而不是文件夹", "请换一个位置。")
            return


def _old_identity(config: Path) -> tuple[int, str] | None:
    """The year and title of the campaign already in a folder, read leniently; None when unreadable."""
    try:
        section = tomllib.loads(read_settings_text(config)).get("campaign", {})
        return int(section["year"]), str(section["title"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


SAMPLE_SETTINGS = ("考核单位", "主送机关", "抄送机关")  # what `fazhi init` writes from the sample (昭化区)


def sample_settings_warnings() -> tuple[str, ...]:
    """The reminder, for a campaign on the office's own roster, that the settings naming the district are still the
    sample's (广元市昭化区): each and how to change it."""
    return (f"设置中的{'、'.join(SAMPLE_SETTINGS)}仍是示例(广元市昭化区)的写法,会印在自评表、通报和反馈函上:"
            "请用 fazhi config set 考核单位 \"本单位名称\"、fazhi config set 主送机关 \"…\"、"
            "fazhi config set 抄送机关 \"…\" 改为本区(县)的,fazhi config show 可查看全部设置",)


def _move_aside(workspace: Workspace, label: str, copies: tuple[str, ...]) -> tuple[Path, tuple[str, ...]]:
    """Move another campaign's store, secret and folders into previous/<label>-<time>/ (settings copied)."""
    stamp = office_now().strftime("%Y%m%d-%H%M%S")
    target = workspace.previous / f"{label}-{stamp}"
    suffix = 2
    while target.exists():
        target = workspace.previous / f"{label}-{stamp}-{suffix}"
        suffix += 1
    target.mkdir(parents=True)
    moved = []
    for name in copies:
        source = workspace.root / name
        if source.is_file():
            data = source.read_bytes()
            atomic_write(target / name, lambda part, data=data: part.write_bytes(data))
            moved.append(name)
    for name in (*CAMPAIGN_FILES, *CAMPAIGN_FOLDERS):
        source = workspace.root / name
        if source.exists():
            os.replace(source, target / name)
            moved.append(name + "/" if (target / name).is_dir() else name)
    return target, tuple(moved)


def create_workspace(
    root: Path,
    units_file: Path | None = None,
    rubric_file: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> CreatedWorkspace:
    """Make a new campaign folder: settings, copies of roster and rubric, folders, an empty store and a key.

    Roster and rubric are checked before anything is written, and the writing holds the workspace lock.
    An existing workspace is only overwritten with `force`: for the same campaign (same year; its title
    is kept) its store, archive and key are kept and the settings rewritten (keeping `[limits]`, which the
    roster was just read under); for another campaign the old
    store, key and folders are first moved to previous/<old year>-<time>/ (with copies of the settings,
    rubric and roster), so the new campaign starts empty and nothing of the old one is lost.
    """
    if year is not None:
        check_year(year)
    _check_folder_can_be_made(root)
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise WorkspaceError(
            f"{root} 已经是考核工作区", "如确需重新初始化(同一年度保留已收到的文件和数据),请加 --force。"
        )
    old = _old_identity(config) if config.exists() else None
    old_limits = Limits()
    if old is not None:
        with contextlib.suppress(FazhiError):
            old_limits = read_campaign(config).limits
    roster_source = units_file or sample_roster_path()
    units = load_roster(roster_source, old_limits)
    if rubric_file is None:
        rubric_text = builtin_rubric_text()
        rubric = parse_rubric_text(rubric_text, "内置评分细则")
    else:
        rubric = load_rubric_file(rubric_file)
        rubric_text = rubric_file_text(rubric_file, rubric)
    campaign_year = year or rubric.year
    check_year(campaign_year)
    warnings = tuple(rubric_warnings(rubric, campaign_year, [u.name for u in units]))
    if units_file is not None:  # the office's own roster: the sample's district settings would be wrong
        warnings += sample_settings_warnings()
    roster_copy = "units" + roster_source.suffix.lower()
    campaign = replace(default_campaign(campaign_year, roster_copy), limits=old_limits)
    if old is not None and old[0] == campaign_year:
        campaign = replace(campaign, title=old[1])  # the identity outstanding workbooks carry
    roster_bytes = roster_source.read_bytes()
    with user_write_errors(root):
        root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root)
    previous, moved = None, ()
    with workspace.lock():
        with user_write_errors():
            if config.exists() and (old is None or f"{old[0]}:{old[1]}" != campaign.campaign_id):
                copies = (CONFIG_NAME, RUBRIC_NAME, "units.xlsx", "units.xls", "units.et", "units.ods", "units.csv")
                previous, moved = _move_aside(workspace, str(old[0]) if old else "unknown", copies)
        # the units are saved only once the files are written, and the files written only once the store takes the
        # units: a read-only fazhi.db leaves the settings as they were, a failed file leaves the store as it was
        with workspace.open_store(create=True) as store, store.transaction():
            store.sync_units(units)
            with user_write_errors():
                _write_campaign_files(workspace, roster_copy, roster_bytes, rubric_text, campaign_toml(campaign))
    return CreatedWorkspace(workspace, rubric, units, campaign, previous, moved, warnings)


def create_carried_workspace(
    root: Path, files: Mapping[str, bytes], settings: str, units: list[Unit], kept: Sequence[PastYear], source: str,
) -> Workspace:
    """Make the next campaign's folder from what `fazhi init --from` carried: the roster's and rubric's files (by
    name), fazhi.toml's text, the roster's units, and the earlier years to keep, sealed with the new workspace's
    own new secret. The caller has checked everything, and the folder with `check_new_folder`."""
    check_new_folder(root)
    with user_write_errors(root):
        root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root)
    with workspace.lock(), workspace.open_store(create=True) as store, store.transaction():
        store.sync_units(units)
        store.record_history(_sealed(workspace.secret(), kept, source))
        with user_write_errors():
            for name, data in files.items():
                atomic_write(root / name, lambda part, data=data: part.write_bytes(data))
            for folder in FOLDERS:
                (root / folder).mkdir(exist_ok=True)
            atomic_write(workspace.config_path, lambda part: part.write_text(settings, encoding="utf-8"))
    return workspace


def _sealed(secret: bytes, kept: Sequence[PastYear], source: str) -> list[KeptYear]:
    """The kept years' canonical text, its SHA-256 and the new workspace's seal."""
    now = office_now().isoformat(timespec="seconds")
    sealed = []
    for year in kept:
        content = year_json(year)
        sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
        sealed.append(KeptYear(year.year, content, sha, history_seal(secret, year.year, sha), now, source))
    return sealed


def _write_campaign_files(workspace: Workspace, roster_copy: str, roster: bytes, rubric: str, settings: str) -> None:
    """The roster's and rubric's copies, the folders and fazhi.toml of a new (or re-initialised) workspace."""
    root = workspace.root
    atomic_write(root / roster_copy, lambda part: part.write_bytes(roster))
    atomic_write(root / RUBRIC_NAME, lambda part: part.write_text(rubric, encoding="utf-8"))
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    atomic_write(workspace.config_path, lambda part: part.write_text(settings, encoding="utf-8"))

