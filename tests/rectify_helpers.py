"""An approved campaign in which units lost points, for the 整改 tests: the three-unit roster of the approval tests,
区发改局 with `department_case` (four items lost and a 特别扣分), 元坝镇 with `township_case`, 区公安分局 full marks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from test_scores import department_case, full_marks, township_case

from fazhi_cli.store import FileRecord, RectifyRow
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace

ROSTER = (
    "单位名称,单位类型,联系人,联系电话,电子邮箱\n"
    "区发改局,区级部门,刘洋,0839-8700011,fgj@example.invalid\n"
    "区公安分局,区级部门,陈刚,0839-8700012,gaj@example.invalid\n"
    "元坝镇,乡镇(街道),赵敏,0839-8700021,yb@example.invalid\n"
)
DEPT, POLICE, TOWN = "区发改局", "区公安分局", "元坝镇"
APPROVE = ("approve", "--by", "区人民政府", "--date", "2018-01-15", "--doc-no", "昭府函〔2018〕3号")
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
