"""An approved campaign in which units lost points, for the 整改 tests: the three-unit roster of the approval tests,
区发改局 with `department_case` (four items lost and a 特别扣分), 元坝镇 with `township_case`, 区公安分局 full marks;
and the units' 整改 returns and the office's 销号 recorded through the store's API (`record_report`,
`record_closure`), for the tests of what is made of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from helpers import module_cli
from test_approval import APPROVE, DEPT, POLICE, ROSTER, TOWN
from test_scores import department_case, full_marks, township_case

from fazhi_cli.domain.rectification import CLOSE, DONE, UNDER_WAY
from fazhi_cli.rectify import rectify_view
from fazhi_cli.store import Decision, FileRecord, RectifyRow
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace

DEADLINE = "2018-03-31"  # the campaign's rectify_deadline (fazhi init's default for 2017)


def approved_campaign(cli, tmp_path: Path) -> Path:
    """The three-unit campaign, every unit returned (two lost points), approved on 2018-01-15."""
    roster = tmp_path / "units.csv"
    roster.write_text(ROSTER, "utf-8")
    root = tmp_path / "campaign"
    assert cli("init", root, "--units", roster).code == 0
    assert cli("generate", "-w", root).code == 0
    inbox = tmp_path / "returns-in"
    inbox.mkdir()
    for unit, answers in ((DEPT, department_case()), (POLICE, full_marks("department")), (TOWN, township_case())):
        fill_workbook(root / "outbox" / f"2017年度法治政府建设自评表_{unit}.xlsx", inbox / f"{unit}.xlsx", answers)
    assert cli("ingest", inbox, "-w", root).code == 0
    result = cli(*APPROVE, "-w", root)
    assert result.code == 0, result.err
    return root


def record_report(ws: Path, unit: str, rows: list[RectifyRow], received_at: str = "2018-02-10T09:00:00+08:00") -> int:
    """Record a unit's returned 整改 report (its rows) as the units' ingest would, through the real store API, with
    an archived original, so that the office's side can be tested without the units' workbook."""
    data = json.dumps([unit, received_at, [vars(r) for r in rows]], ensure_ascii=False, default=str).encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    archive_name = f"rectify-{sha[:16]}.xlsx"
    workspace = Workspace(ws)
    (workspace.archive / archive_name).write_bytes(data)
    record = FileRecord(sha256=sha, size=len(data), archive_name=archive_name,
                        original_name=f"2017年度法治政府建设整改清单_{unit}.xlsx", origin=f"文件 {unit}.xlsx",
                        received_at=received_at, taken_at=received_at, kind="xlsx", outcome="taken", unit=unit,
                        message="", batch="test-rectify")
    with workspace.open_store() as store:
        recorded = store.record_rectify_return(record, rows, [], None)
    assert recorded is not None
    return recorded


def record_closure(root: Path, unit: str, ref: str, opinion: str = "", time: str = "2018-03-20T10:00:00+08:00",
                   action: str = CLOSE) -> int:
    """The office's 销号 of one item (or with `action=WITHDRAW_CLOSE` its withdrawal), as the 整改复核表 records it: a
    decision with the item's `ref` and the 复核意见."""
    with Workspace(root).open_store() as store:
        return store.record_decision(Decision(time=time, action=action, unit=unit,
                                              detail={"ref": ref, "opinion": opinion}))


def reported_campaign(folder: Path) -> Path:
    """The approved campaign (made in `folder` at 2018-01-20 by the office's clock) with 区发改局's 整改 under way: one
    item reported 已完成 and closed, one 推进中, one closed by the office though never reported, one 已完成 awaiting
    销号, its 特别扣分 unreported; 元坝镇 reported nothing. For module-scoped fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAZHI_NOW", "2018-01-20T09:00:00+08:00")
        root = approved_campaign(module_cli(patch), folder)
    items = rectify_view(Workspace(root)).unit(DEPT).items
    record_report(root, DEPT, [RectifyRow(items[0].ref, "已建立制度", DONE, dt.date(2018, 3, 1), "制度文件"),
                               RectifyRow(items[1].ref, "正在培训", UNDER_WAY),
                               RectifyRow(items[3].ref, "已补报", DONE, dt.date(2018, 3, 5), "报送记录")])
    record_closure(root, DEPT, items[0].ref)
    record_closure(root, DEPT, items[2].ref, "经现场核查已整改到位")
    return root
