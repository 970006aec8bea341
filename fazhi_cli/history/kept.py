"""Reading the kept earlier years: each one's content against its SHA-256 and the workspace's seal, so a year edited,
recomputed or swapped in by hand is refused (exit 2) naming the year, never compared with."""

from __future__ import annotations

from fazhi_cli.domain.history import PastYear, history_sealed, year_from_json
from fazhi_cli.errors import UsageError
from fazhi_cli.store import Store
from fazhi_cli.workspace import Workspace

RESTORE_HINT = ("fazhi.db 不应手工修改:请从备份恢复 fazhi.db;或用 fazhi init 新文件夹 --from 上年度工作区 "
                "重新建立本年度工作区(上年度工作区仍在时)。")


class HistoryUnsealed(UsageError):
    """A kept earlier year whose content or seal does not verify (exit 2)."""


def years_in_store(store: Store, secret: bytes) -> list[PastYear]:
    """The kept years of an open store, oldest first, each verified (`HistoryUnsealed` naming the first that is not)."""
    years = []
    for kept in store.history():
        if not history_sealed(secret, kept.year, kept.sha256, kept.content, kept.mac):
            raise HistoryUnsealed(f"保存的 {kept.year} 年度考核结果未通过印章校验(内容被改动,或不是本工作区保存的)",
                                  RESTORE_HINT)
        try:
            years.append(year_from_json(kept.content))
        except (ValueError, KeyError, TypeError):
            raise HistoryUnsealed(f"保存的 {kept.year} 年度考核结果无法读取", RESTORE_HINT) from None
    return years


def kept_years(workspace: Workspace) -> list[PastYear]:
    """The earlier years this campaign keeps, oldest first (empty for a campaign not started `--from` another)."""
    with workspace.open_store() as store:
        return years_in_store(store, workspace.secret())
