"""Integrity: the 审定 record and the office's decisions sealed with the workspace secret, chained, and checked by
every results command; `fazhi verify` checks the archived originals and the seals; `approve` runs it first.
Each attack is made on a real store of a real campaign, as someone with a SQLite tool but not the secret would."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from test_approval import APPROVE, DEPT, RESULTS_COMMANDS, all_returned, rows, small, tamper  # noqa: F401

from fazhi_cli.store import MIGRATIONS, SCHEMA_SEALS


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    from fazhi_cli.cli import output

    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


@pytest.fixture
def approved(cli, small) -> Path:  # noqa: F811
    """The three-unit campaign, every unit returned, approved."""
    all_returned(cli, small)
    assert cli(*APPROVE, "-w", small).code == 0
    return small


def refused_everywhere(cli, ws: Path, *messages: str) -> None:
    """Every results command (and the log) exits 2 naming what does not verify; nothing printed on stdout."""
    for command in (*RESULTS_COMMANDS, ("log",), ("log", "--json"), ("notice",), ("feedback-letters",)):
        result = cli(*command, "-w", ws)
        assert result.code == 2, (command, result.err)
        assert "未通过印章校验" in result.err and "Traceback" not in result.err and result.out == "", command
        for message in messages:
            assert message in result.err, (command, message, result.err)


def test_forged_results_with_recomputed_hashes_are_refused(cli, approved):
    [(content,)] = rows(approved, "SELECT content FROM snapshots")
    forged = content.replace('"total":100', '"total":60')
    assert forged != content
    sha = hashlib.sha256(forged.encode("utf-8")).hexdigest()
    tamper(approved, "UPDATE snapshots SET content = ?, sha256 = ?", forged, sha)
    tamper(approved, "UPDATE decisions SET detail = json_set(detail, '$.snapshot', ?) WHERE action = 'approve'", sha)
    refused_everywhere(cli, approved, "法制办决定记录第 1 条(审定 2018-01-15)的印章不符")


@pytest.mark.parametrize("field, value",
                         [("doc_no", "昭府函〔2018〕99号"), ("by", "区长办公会"), ("date", "2018-02-01")])
def test_a_changed_approval_detail_is_refused(cli, approved, field, value):
    tamper(approved, f"UPDATE decisions SET detail = json_set(detail, '$.{field}', ?) WHERE action = 'approve'", value)
    refused_everywhere(cli, approved, "法制办决定记录第 1 条", "的印章不符")


def test_deleting_the_approval_and_its_snapshot_does_not_return_to_preliminary(cli, approved):
    tamper(approved, "DELETE FROM snapshots")
    tamper(approved, "DELETE FROM decisions WHERE action = 'approve'")
    refused_everywhere(cli, approved, "法制办决定记录应有 1 条,数据库中有 0 条:少了 1 条(已被删除)")
    tamper(approved, "DELETE FROM seal_heads")  # the head removed too
    refused_everywhere(cli, approved, "法制办决定记录的印章记录缺失")


def test_a_decision_deleted_from_the_middle_or_slipped_in_is_named(cli, small, tmp_path):  # noqa: F811
    all_returned(cli, small)
    stray = tmp_path / "说明.txt"
    stray.write_text("附件见邮件", "utf-8")
    assert cli("ingest", stray, "-w", small).code == 1
    [refused] = [f for f in cli("files", "--json", "-w", small).json()["files"] if f["state"] == "refused"]
    assert cli("dismiss", str(refused["id"]), "--reason", "误投的文件", "-w", small).code == 0
    assert cli(*APPROVE, "-w", small).code == 0
    tamper(small, "DELETE FROM decisions WHERE action = 'dismiss'")
    refused_everywhere(cli, small, "法制办决定记录第 2 条(审定 2018-01-15)的印章不符", "(其前第 1–1 条已不在)")
    backup_free = tmp_path / "again"
    assert cli("init", backup_free, "--units", small.parent / "units.csv").code == 0
    tamper(backup_free, "INSERT INTO decisions (time, action, reason) VALUES ('2017-12-05T10:00:00+08:00', "
                        "'dismiss', '伪造')")
    result = cli("status", "-w", backup_free)
    assert result.code == 2 and "法制办决定记录第 1 条(不再处理 2017-12-05)没有印章" in result.err


def test_an_office_value_changed_in_the_store_is_refused(cli, small, tmp_path):  # noqa: F811
    from test_scores import edit_review, review_sheet_path

    all_returned(cli, small)
    assert cli("review-sheet", "-w", small).code == 0
    sheet = tmp_path / "复核打分表_区级部门.xlsx"
    edit_review(review_sheet_path(small, "区级部门"), sheet, {(DEPT, "1.1"): 8}, {(DEPT, "1.1"): "台账不全"})
    assert cli("ingest", sheet, "-w", small).code == 0
    assert cli("score", "--json", "-w", small).code == 0
    tamper(small, "UPDATE reviews SET raw = '2'")
    refused_everywhere(cli, small, f"核定得分记录第 1 条({DEPT} 1.1)的印章不符")


def test_verify_passes_then_names_each_changed_or_missing_original(cli, approved):
    clean = cli("verify", "-w", approved)
    assert clean.code == 0 and "全部相符" in clean.out
    data = cli("verify", "--json", "-w", approved).json()
    assert data["ok"] is True and data["files"] == 3 and data["problems"] == []
    names = sorted(name for (name,) in rows(approved, "SELECT DISTINCT archive_name FROM files"))
    changed, gone = approved / "archive" / names[0], approved / "archive" / names[1]
    changed.write_bytes(changed.read_bytes() + b"\0")
    gone.unlink()
    found = cli("verify", "--json", "-w", approved)
    assert found.code == 1
    problems = {p["path"]: p["message"] for p in found.json()["problems"]}
    assert set(problems) == {f"archive/{names[0]}", f"archive/{names[1]}"}
    assert "原件已被改动" in problems[f"archive/{names[0]}"] and "原件已不在" in problems[f"archive/{names[1]}"]
    human = cli("verify", "-w", approved)
    assert human.code == 1 and f"archive/{names[0]}" in human.out and "2 处不符" in human.out


def test_verify_lists_broken_seals_with_exit_1_not_2(cli, approved):
    tamper(approved, "UPDATE decisions SET detail = json_set(detail, '$.doc_no', '伪造') WHERE action = 'approve'")
    found = cli("verify", "--json", "-w", approved)
    assert found.code == 1
    [problem] = found.json()["problems"]
    assert problem["kind"] == "seal" and problem["chain"] == "decisions" and problem["record"] == 1


def test_verify_names_an_archive_path_outside_the_archive(cli, approved):
    tamper(approved, "UPDATE files SET archive_name = '../fazhi.toml' WHERE id = 1")
    found = cli("verify", "--json", "-w", approved)
    assert found.code == 1
    assert any("不在 archive/ 中" in p["message"] for p in found.json()["problems"])


def test_approve_runs_verify_first(cli, small):  # noqa: F811
    all_returned(cli, small)
    [name] = [n for (n,) in rows(small, "SELECT archive_name FROM files WHERE original_name = '元坝镇.xlsx'")]
    archived = small / "archive" / name
    archived.write_bytes(b"overwritten")
    refused = cli(*APPROVE, "-w", small)
    assert refused.code == 1 and "未通过校验" in refused.err and f"archive/{name}" in refused.err
    assert rows(small, "SELECT COUNT(*) FROM decisions")[0][0] == 0


def test_a_store_of_the_previous_version_is_sealed_when_upgraded(cli, small, tmp_path):  # noqa: F811
    """A campaign begun with the release before seals: its decisions are sealed, in order, on the first open, and
    from then on a change is caught."""
    store = small / "fazhi.db"
    store.unlink()
    with closing(sqlite3.connect(store)) as db, db:
        for step in MIGRATIONS[: MIGRATIONS.index(SCHEMA_SEALS)]:
            for statement in step.split(";\n"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {MIGRATIONS.index(SCHEMA_SEALS)}")
        db.execute("INSERT INTO decisions (time, action, reason, detail) VALUES (?, 'dismiss', '误投', ?)",
                   ("2017-12-04T09:00:00+08:00", json.dumps({})))
    log = cli("log", "--json", "-w", small)
    assert log.code == 0 and [d["reason"] for d in log.json()["decisions"]] == ["误投"]
    assert cli("verify", "-w", small).code == 0
    assert rows(small, "SELECT count FROM seal_heads WHERE chain = 'decisions'") == [(1,)]
    tamper(small, "UPDATE decisions SET reason = '改过'")
    assert cli("log", "-w", small).code == 2


def test_a_replaced_secret_is_named_as_the_likely_cause(cli, approved):
    (approved / "fazhi.secret").write_bytes(bytes(32))
    result = cli("score", "-w", approved)
    assert result.code == 2 and "fazhi.secret 可能已被替换或丢失" in result.err
