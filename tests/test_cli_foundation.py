"""The foundation commands end to end: init, rubric show/check/export, workspace discovery."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib

import openpyxl
import yaml
from test_rubric_model import DEPARTMENT, DEPARTMENT_RULES, TOWNSHIP, TOWNSHIP_RULES

from fazhi_cli.store import SCHEMA_VERSION


def ids_in(json_types):
    items, rules = set(), set()
    for type_data in json_types:
        for section in type_data["sections"]:
            items.add(section["id"])
            for item in section["items"]:
                items.add(item["id"])
                rules.update(r["id"] for r in item["rules"])
                rules.update(f for r in item["rules"] for f in r.get("facts", []))
    return items, rules


def test_rubric_show_json_lists_every_item_and_rule(cli, tmp_path):
    for unit_type, maxima, rule_ids in [("department", DEPARTMENT, DEPARTMENT_RULES),
                                        ("township", TOWNSHIP, TOWNSHIP_RULES)]:
        result = cli("rubric", "show", "--type", unit_type, "--json", cwd=tmp_path)
        assert result.code == 0
        data = result.json()
        items, rules = ids_in(data["types"])
        assert items == set(maxima)
        monthly = "3.2a" if unit_type == "department" else "2.2a"
        assert rules == set(rule_ids) | {f"{monthly}.{m:02d}" for m in range(1, 13)}
        assert [r["id"] for r in data["special"]["bonus"] + data["special"]["penalty"]] == ["B1", "B2", "P1", "P2"]
        assert "内置" in result.err


def test_rubric_show_human_and_unknown_type(cli, tmp_path):
    result = cli("rubric", "show", "--type", "department", cwd=tmp_path)
    assert result.code == 0 and "规范行政执法行为" in result.out and "4.1e" in result.out
    bad = cli("rubric", "show", "--type", "village", cwd=tmp_path)
    assert bad.code == 2 and "未知的单位类型“village”" in bad.err


def test_rubric_check_explains_a_changed_maximum(cli, tmp_path):
    exported = tmp_path / "rubric-2018.yaml"
    assert cli("rubric", "export", exported).code == 0
    assert cli("rubric", "export", exported).code == 2  # no silent overwrite
    ok = cli("rubric", "check", exported)
    assert ok.code == 0 and "一致无误" in ok.out
    data = yaml.safe_load(exported.read_text("utf-8"))
    data["unit_types"]["township"]["sections"][1]["items"][1]["max"] = "12"
    exported.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("rubric", "check", exported)
    assert result.code == 2
    assert "rubric-2018.yaml" in result.err
    assert "乡镇(街道)细则 考核事项 2:各项分值之和 2.1(10) + 2.2(12) = 22,与该事项分值 20 不符" in result.err
    assert "unit_types" not in result.err and "township" not in result.err
    assert "Traceback" not in result.err


def test_rubric_check_of_broken_yaml_and_missing_file(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n  bad: [unclosed\n", encoding="utf-8")
    result = cli("rubric", "check", broken)
    assert result.code == 2 and "不是有效的 YAML" in result.err
    missing = cli("rubric", "check", tmp_path / "nope.yaml")
    assert missing.code == 2 and "找不到评分细则文件" in missing.err


def test_init_makes_the_workspace_and_commands_find_it(cli, workspace):
    for folder in ("outbox", "inbox", "archive", "reports"):
        assert (workspace / folder).is_dir()
    settings = tomllib.loads((workspace / "fazhi.toml").read_text("utf-8"))
    assert settings["campaign"]["year"] == 2017
    assert str(settings["campaign"]["deadline"]) == "2017-12-10"
    assert str(settings["campaign"]["case_deadline"]) == "2017-12-20"
    assert "weight" not in settings["campaign"] and "weights" not in settings  # the seed sets no weight
    assert (workspace / "rubric.yaml").is_file() and (workspace / "units.xlsx").is_file()
    with sqlite3.connect(workspace / "fazhi.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 55
    inner = workspace / "outbox"
    shown = cli("rubric", "show", "--type", "township", "--json", cwd=inner)
    assert shown.code == 0 and "内置" not in shown.err
    assert cli("rubric", "show", "-w", workspace, "--json").code == 0


def test_init_refuses_to_overwrite_without_force(cli, workspace):
    again = cli("init", workspace)
    assert again.code == 2 and "已经是考核工作区" in again.err and "--force" in again.err
    forced = cli("init", workspace, "--force", "--year", "2018")
    assert forced.code == 0
    assert tomllib.loads((workspace / "fazhi.toml").read_text("utf-8"))["campaign"]["year"] == 2018


def test_init_with_a_broken_roster_names_the_row_and_writes_nothing(cli, tmp_path):
    roster = tmp_path / "名单.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位名称", "单位类型", "联系人", "联系电话", "电子邮箱"])
    workbook.active.append(["区发改局", "区级部门", "王", "1", "x@example.invalid"])
    workbook.active.append(["区发改局", "区级部门", "王", "1", "x@example.invalid"])
    workbook.save(roster)
    result = cli("init", tmp_path / "ws", "--units", roster)
    assert result.code == 2
    assert "第 3 行: 单位名称“区发改局”与第 2 行重复" in result.err
    assert not (tmp_path / "ws").exists()


def test_init_with_csv_roster_and_own_rubric(cli, tmp_path):
    csv_roster = tmp_path / "units.csv"
    csv_roster.write_text("单位名称,单位类型\n区司法局,区级部门\n元坝镇,乡镇(街道)\n", encoding="utf-8")
    rubric = tmp_path / "r.yaml"
    cli("rubric", "export", rubric)
    result = cli("init", tmp_path / "ws", "--units", csv_roster, "--rubric", rubric, "--year", "2018")
    assert result.code == 0, result.err
    assert (tmp_path / "ws" / "units.csv").is_file()


def test_outside_a_workspace_says_how_to_make_one(cli, tmp_path):
    result = cli("rubric", "show", "-w", tmp_path)
    assert result.code == 2 and "不是考核工作区" in result.err and "fazhi init" in result.err


def test_module_entry_point_and_help_have_examples():
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "init", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "示例" in done.stdout


def test_every_command_has_help(cli):
    for args in (["--help"], ["init", "--help"], ["demo", "--help"], ["rubric", "show", "--help"],
                 ["rubric", "check", "--help"], ["rubric", "export", "--help"], ["generate", "--help"],
                 ["ingest", "--help"], ["validate", "--help"], ["status", "--help"], ["review-sheet", "--help"],
                 ["score", "--help"], ["report", "--help"], ["history", "--help"]):
        result = cli(*args)
        assert result.code == 0 and "用法" in result.out
        if len(args) > 1:
            assert "示例" in result.out, args


def test_a_damaged_store_or_settings_file_gives_a_message_not_a_traceback(cli, workspace):
    (workspace / "fazhi.db").write_bytes(b"this is not a database at all, just some bytes" * 20)
    result = cli("status", cwd=workspace)
    assert result.code == 2 and "已损坏" in result.err and "Traceback" not in result.err
    (workspace / "fazhi.toml").write_text("[campaign\n", "utf-8")
    result = cli("status", cwd=workspace)
    assert result.code == 2 and "fazhi.toml 格式有误" in result.err


def test_wrong_usage_exits_2(cli, workspace):
    assert cli("ingest", cwd=workspace).code == 2  # no path given
    assert cli("score", "--no-such-option", cwd=workspace).code == 2
    assert cli("no-such-command").code == 2


def test_paths_stay_whole_when_the_output_is_piped(tmp_path):
    """Issue 27.8: piped into a file (no terminal, rich would take 80 columns), a long path is printed on one line,
    in a message and in a table."""
    root = tmp_path / ("一个名字很长的考核工作区文件夹" * 3) / "2017考核"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    made = subprocess.run([sys.executable, "-m", "fazhi_cli", "init", str(root)], capture_output=True, text=True,
                          env=env, check=False, cwd=tmp_path)  # the installed package, not the source tree
    assert made.returncode == 0, made.stderr
    assert any(str(root) in line for line in made.stdout.splitlines()), made.stdout
    listed = subprocess.run([sys.executable, "-m", "fazhi_cli", "generate", "-w", str(root)], capture_output=True,
                            text=True, env=env, check=False, cwd=tmp_path)
    assert listed.returncode == 0 and any(str(root / "outbox") in line for line in listed.stdout.splitlines())


def test_the_command_list_shows_every_commands_short_help_never_dots(cli, monkeypatch):
    """Issue 27.10: Click cut reject's and demo's first sentence, which has no space to break at, to “...”."""
    monkeypatch.setenv("COLUMNS", "80")
    listed = cli("--help").out
    lines = {line.split()[0]: line for line in listed.splitlines() if line.startswith("  ") and line.split()}
    assert "不予采用一个文件。" in lines["reject"] and "用示例数据演示年终考核全流程。" in lines["demo"]
    assert not [line for line in lines.values() if line.rstrip().endswith("...")], listed
    assert "fazhi validate 不再列出它" in lines["dismiss"]  # the spaces a line has are kept


def test_init_counts_the_units_generate_makes_forms_for(cli, tmp_path):
    """Issue 27.10: init counted the roster's 区政府法制办 (是否考核 = 否) among the 55, generate made 54 forms."""
    made = cli("init", tmp_path / "c")
    said = " ".join(made.out.split())
    assert "参加考核的区级部门 29 个,乡镇(街道) 25 个(另有 1 个单位不参加考核:区政府法制办)" in said, said
    generated = cli("generate", "-w", tmp_path / "c")
    assert "已生成 54 份自评表" in generated.out
