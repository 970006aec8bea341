"""`fazhi ledger`: the office's own records (法制办台账)."""

from __future__ import annotations

from pathlib import Path

from fazhi_cli import api
from fazhi_cli.cli.common import WorkspaceOption
from fazhi_cli.cli.output import console, safe


def ledger(workspace: Path = WorkspaceOption) -> None:
    """生成法制办台账(信息报送、规范性文件备案、行政执法指导案例、实地检查、工作总结),放在工作区的 ledger/ 文件夹。

    台账是法制办自己掌握的情况:已记录的内容会写回表中,随自评表报送的工作总结已预填。
    填好后用 fazhi ingest 直接指定该文件收回(12 月内可多次收回,以最后收回的为准)。
    台账记录的情况取代单位自报的对应填报值,两者不一致时在 fazhi validate 和反馈页中列出。

    示例:

      fazhi ledger

      fazhi ingest ledger/2017年度法治政府建设法制办台账.xlsx
    """
    path = api.ledger(workspace)
    console.print(f"[green]✓[/] 已生成 {safe(str(path))}")
