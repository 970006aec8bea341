"""The next December from the demo's: `fazhi init 2018考核 --from` the approved 2017 demo campaign, the old folder
deleted, then a 2018 campaign run end to end — every unit's 2017 score and rank beside its 2018 result."""

from __future__ import annotations

import random
import shutil

from fazhi_cli.demo import demo_answers
from fazhi_cli.rubric.loading import builtin_rubric
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace


def test_the_2018_campaign_shows_2017_beside_it_after_the_old_folder_is_gone(cli, tmp_path, office_clock):
    old = tmp_path / "2017考核"
    assert cli("demo", old).code == 0
    last_year = {u["unit"]: u for u in cli("score", "--json", "-w", old).json()["units"]}
    new = tmp_path / "2018考核"
    office_clock("2018-11-20T09:00:00+08:00")
    made = cli("init", new, "--from", old)
    assert made.code == 0, made.err
    shutil.rmtree(old)  # nothing of the old folder is needed from now on
    assert cli("generate", "-w", new).code == 0
    rubric, rng = builtin_rubric(), random.Random(2018)
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    units = Workspace(new).units()
    for unit in units:
        source = new / "outbox" / f"2018年度法治政府建设自评表_{unit.name}.xlsx"
        fill_workbook(source, inbox / f"{unit.name}.xlsx", demo_answers(rubric, unit, rng))
    office_clock("2018-12-05T09:00:00+08:00")
    assert cli("ingest", inbox, "-w", new).code in (0, 1)
    scored = cli("score", "--json", "-w", new).json()["units"]
    for unit in scored:
        before = last_year[unit["unit"]]
        if before["status"] == "scored":
            assert unit["previous"]["year"] == 2017, unit["unit"]
            assert (unit["previous"]["total"], unit["previous"]["rank"]) == (before["total"], before["rank"])
        else:
            assert unit["previous"] is None, unit["unit"]  # not ranked in 2017
    assert cli("report", "-w", new).code == 0
    summary = (new / "reports" / "summary.html").read_text("utf-8")
    assert "上年" in summary and "2017" in summary
