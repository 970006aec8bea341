"""The `Workspace` object: a campaign folder's own folders and paths, and the readers of what it holds (settings,
rubric, roster, store, secret, lock), each delegating to the module that handles it.

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
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.placeholders import campaign_values, fill_rubric
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError, WorkspaceError
from fazhi_cli.roster.loading import load_roster
from fazhi_cli.rubric.loading import load_rubric_file
from fazhi_cli.store import Store
from fazhi_cli.workspace.lock import lock as hold_lock
from fazhi_cli.workspace.names import CONFIG_NAME, LOCK_NAME, PREVIOUS_NAME, RUBRIC_NAME, SECRET_NAME, STORE_NAME
from fazhi_cli.workspace.secret import read_secret
from fazhi_cli.workspace.settings_file.parse import read_campaign, read_settings_text

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
    def rectify_outbox(self) -> Path:
        """Where `fazhi rectify generate` writes the units' 整改 workbooks."""
        return self.outbox / "整改"

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
