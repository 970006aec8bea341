"""The campaign workspace: one folder per year's assessment, owning every path and the settings.

Layout::

    fazhi.toml      campaign settings
    units.xlsx      copy of the roster (or units.csv)
    rubric.yaml     copy of the rubric
    fazhi.db        the SQLite store (made only by `fazhi init`; never silently recreated)
    fazhi.secret    the workspace's random key (mode 0600; never printed or copied into any output)
    fazhi.lock      taken by every command that writes the workspace, so that two never interleave
    outbox/ inbox/ archive/ reports/ returns/ review/ ledger/
    previous/       another campaign's data, moved aside by `fazhi init --force`
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.placeholders import campaign_values, fill_rubric
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.rubric_warnings import rubric_warnings
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError, UsageError, WorkspaceError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write, user_write_errors
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric_text, load_rubric_file, parse_rubric_text, rubric_file_text
from fazhi_cli.store import Store
from fazhi_cli.workspace.lock import lock as hold_lock
from fazhi_cli.workspace.names import (
    CAMPAIGN_FILES,
    CAMPAIGN_FOLDERS,
    CONFIG_NAME,
    FOLDERS,
    LOCK_NAME,
    PREVIOUS_NAME,
    RUBRIC_NAME,
    SECRET_NAME,
    STORE_NAME,
    annotated_name,
    feedback_file_name,
    ledger_file_name,
    letter_file_name,
    notice_file_name,
    review_file_name,
    summary_file_name,
    workbook_file_name,
)
from fazhi_cli.workspace.secret import read_secret
from fazhi_cli.workspace.settings_file.default import campaign_toml, default_campaign
from fazhi_cli.workspace.settings_file.parse import (
    FIRST_YEAR,
    LAST_YEAR,
    missing_weight_message,
    parse_campaign,
    read_campaign,
    read_settings_text,
    syntax_error,
)

__all__ = [  # the names other modules import from here
    "CreatedWorkspace",
    "Workspace",
    "annotated_name",
    "campaign_toml",
    "create_workspace",
    "feedback_file_name",
    "ledger_file_name",
    "letter_file_name",
    "missing_weight_message",
    "notice_file_name",
    "parse_campaign",
    "read_campaign",
    "read_settings_text",
    "review_file_name",
    "summary_file_name",
    "syntax_error",
    "workbook_file_name",
]

_OWN_FOLDERS = {
    "outbox": "fazhi 生成的空白自评表文件夹 outbox/,已跳过",
    "review": "fazhi 生成的复核打分表文件夹 review/,已跳过(收回复核打分表时请直接指定该文件)",
    "ledger": "fazhi 生成的法制办台账文件夹 ledger/,已跳过(收回台账时请直接指定该文件)",
    "returns": "fazhi 生成的退回修改表文件夹 returns/,已跳过",
    "reports": "fazhi 生成的考核结果文件夹 reports/,已跳过",
    "archive": "fazhi 的原件存档文件夹 archive/(其中的文件都已收取过),已跳过",
    "templates": "工作区的报告模板文件夹 templates/,已跳过",
    PREVIOUS_NAME: "以前考核的数据文件夹 previous/,已跳过",
}
_OWN_FILES = {
    STORE_NAME: "fazhi 的数据库 fazhi.db,已跳过",
    STORE_NAME + "-journal": "fazhi 数据库的日志文件,已跳过",
    CONFIG_NAME: "工作区设置文件 fazhi.toml,已跳过",
    SECRET_NAME: "工作区密钥文件 fazhi.secret,已跳过",
    LOCK_NAME: "工作区锁文件 fazhi.lock,已跳过",
}


class Workspace:
    """A campaign folder: paths, settings, rubric, roster and the store's location."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    @property
    def secret_path(self) -> Path:
        return self.root / SECRET_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def returns(self) -> Path:
        return self.root / "returns"

    @property
    def review(self) -> Path:
        return self.root / "review"

    @property
    def ledger(self) -> Path:
        """Where `fazhi ledger` writes the office's ledger workbook."""
        return self.root / "ledger"

    @property
    def mail_outbox(self) -> Path:
        """Where `fazhi send --dry-run` and `fazhi remind --dry-run` write the messages they would send (.eml)."""
        return self.outbox / "mail"

    @property
    def previous(self) -> Path:
        """Where `init --force` moves another campaign's data."""
        return self.root / PREVIOUS_NAME

    @property
    def templates_override(self) -> Path:
        """A `templates/` folder here overrides the shipped report templates."""
        return self.root / "templates"

    def campaign(self) -> Campaign:
        """The campaign settings read from fazhi.toml."""
        return read_campaign(self.config_path)

    def rubric(self, campaign: Campaign | None = None) -> Rubric:
        """The workspace's own copy of the rubric, its placeholders ({年度}, {案例截止日期} …) filled from the
        settings and its monthly rules assessing the campaign's months (pass `campaign` when already read, to skip
        re-reading it)."""
        campaign = campaign or self.campaign()
        rubric = fill_rubric(load_rubric_file(self.root / campaign.rubric_file), campaign_values(campaign))
        return rubric.with_months(campaign.assessed_months)

    def rubric_as_written(self, campaign: Campaign | None = None) -> Rubric:
        """The workspace's rubric with its placeholders as written (to check it, or to export it for next year)."""
        return load_rubric_file(self.root / (campaign or self.campaign()).rubric_file)

    def settings_text(self) -> str:
        """The text of fazhi.toml, as a snapshot of approved results keeps it."""
        return read_settings_text(self.config_path)

    def rubric_text(self, campaign: Campaign | None = None) -> str:
        """The text of the workspace's rubric file (read after `rubric()` has checked it), as a snapshot keeps it."""
        path = self.root / (campaign or self.campaign()).rubric_file
        try:
            return path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"无法读取评分细则 {path}: {exc}", "请检查文件是否存在、是否为 UTF-8 编码。") from None

    def units(self, campaign: Campaign | None = None) -> list[Unit]:
        """The assessed units of the workspace's roster: those not marked 是否考核 = 否 (the assessing office);
        pass `campaign` when already read, to skip re-reading it."""
        return [unit for unit in self.roster(campaign) if unit.assessed]

    def roster(self, campaign: Campaign | None = None) -> list[Unit]:
        """Every unit of the workspace's own copy of the roster, assessed or not (at most `[limits] roster_rows`
        rows)."""
        campaign = campaign or self.campaign()
        return load_roster(self.root / campaign.units_file, campaign.limits)

    def lock(self, wait_seconds: float = 10) -> contextlib.AbstractContextManager[None]:
        """Hold the workspace's lock (an exclusive `flock` on fazhi.lock) for the commands that write it.

        Waits up to `wait_seconds` for another fazhi command to finish, then raises `WorkspaceError`.
        The system releases the lock when its holder ends, even when killed, so a stale fazhi.lock never
        blocks. Not re-entrant: a second `lock()` in the same process waits for the first.
        """
        return hold_lock(self.lock_path, self.root, wait_seconds)

    def open_store(self, create: bool = False) -> contextlib.AbstractContextManager[Store]:
        """The campaign's store, opened with the workspace's secret (which seals the office's records)."""
        return Store.open(self.store_path, create=create, secret=self.secret())

    def secret(self) -> bytes:
        """The workspace's 32-byte random key, made (mode 0600, atomically) the first time it is needed.

        Never print it or copy it into any output.
        """
        return read_secret(self.secret_path)

    def own_paths(self) -> dict[Path, str]:
        """fazhi's own folders and files here (resolved, absolute), each with why `ingest` skips it."""
        own = {(self.root / name).resolve(): reason for name, reason in _OWN_FOLDERS.items()}
        own.update({(self.root / name).resolve(): reason for name, reason in _OWN_FILES.items()})
        copies = {RUBRIC_NAME: "rubric", "units.xlsx": "units", "units.csv": "units"}
        with contextlib.suppress(FazhiError):
            campaign = self.campaign()
            copies[campaign.rubric_file] = "rubric"
            copies[campaign.units_file] = "units"
        for name, kind in copies.items():
            what = "评分细则副本" if kind == "rubric" else "单位名单副本"
            own[(self.root / name).resolve()] = f"工作区的{what} {name},已跳过"
        return own

    @classmethod
    def find(cls, explicit: Path | None = None, start: Path | None = None) -> Workspace:
        """The workspace given with -w, else the nearest folder upward holding fazhi.toml."""
        if explicit is not None:
            if not (explicit / CONFIG_NAME).is_file():
                raise WorkspaceError(
                    f"{explicit} 不是考核工作区(没有 {CONFIG_NAME})",
                    "请用 fazhi init 文件夹 新建工作区,或用 -w 指定已有的工作区。",
                )
            return cls(explicit)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder)
        raise WorkspaceError(
            f"当前文件夹 {here} 及其上级都不是考核工作区(没有 {CONFIG_NAME})",
            "请先用 fazhi init 文件夹 新建工作区并进入该文件夹,或用 -w 指定工作区。",
        )


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
                copies = (CONFIG_NAME, RUBRIC_NAME, "units.xlsx", "units.csv")
                previous, moved = _move_aside(workspace, str(old[0]) if old else "unknown", copies)
        # the units are saved only once the files are written, and the files written only once the store takes the
        # units: a read-only fazhi.db leaves the settings as they were, a failed file leaves the store as it was
        with workspace.open_store(create=True) as store, store.transaction():
            store.sync_units(units)
            with user_write_errors():
                _write_campaign_files(workspace, roster_copy, roster_bytes, rubric_text, campaign_toml(campaign))
    return CreatedWorkspace(workspace, rubric, units, campaign, previous, moved, warnings)



def _write_campaign_files(workspace: Workspace, roster_copy: str, roster: bytes, rubric: str, settings: str) -> None:
    """The roster's and rubric's copies, the folders and fazhi.toml of a new (or re-initialised) workspace."""
    root = workspace.root
    atomic_write(root / roster_copy, lambda part: part.write_bytes(roster))
    atomic_write(root / RUBRIC_NAME, lambda part: part.write_text(rubric, encoding="utf-8"))
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    atomic_write(workspace.config_path, lambda part: part.write_text(settings, encoding="utf-8"))
