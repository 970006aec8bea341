"""`fazhi_cli.api`, the library the command line is a client of: the CLI imports nothing else, every command
has a documented function, `--json` prints exactly the api's serialisation, the writers hold the workspace
lock, and ingest takes a review sheet by what it is, with no callback."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from test_ingest import DEPT, TOWN, clean_answers, fill

import fazhi_cli
from fazhi_cli import api
from fazhi_cli.workspace import Workspace

PACKAGE = Path(fazhi_cli.__file__).parent
COMMANDS = ("init", "rubric_show", "rubric_check", "rubric_export", "generate", "ingest", "validate",
            "review_sheets", "ledger", "score", "report", "status", "demo", "version",
            "init_from", "history")
ALLOWED = ("fazhi_cli.api", "fazhi_cli.errors", "fazhi_cli.cli")


# --- the command line is a client of the api ---------------------------------------------------------------


def fazhi_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of fazhi_cli in a file; `from fazhi_cli import x` as `fazhi_cli.x`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "fazhi_cli"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "." * node.level + (node.module or "")))  # relative: never allowed
            elif node.module == "fazhi_cli":
                found += [(node.lineno, f"fazhi_cli.{alias.name}") for alias in node.names]
            elif node.module and node.module.split(".")[0] == "fazhi_cli":
                found.append((node.lineno, node.module))
    return found


def allowed(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in ALLOWED)


def test_the_cli_imports_only_the_api_errors_and_itself():
    files = sorted((PACKAGE / "cli").glob("*.py"))
    assert len(files) >= 8
    wrong = [f"{path.name}:{line} imports {module}" for path in files for line, module in fazhi_imports(path)
             if not allowed(module)]
    assert wrong == []


def test_the_import_check_catches_a_stage_module(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import fazhi_cli.scoring\nfrom fazhi_cli import ingest, api\nfrom fazhi_cli.domain.checks"
                      " import ERROR\nfrom fazhi_cli.api import score\nfrom .output import safe\n", "utf-8")
    assert [m for _, m in fazhi_imports(sample) if not allowed(m)] == [
        "fazhi_cli.scoring", "fazhi_cli.ingest", "fazhi_cli.domain.checks", ".output"]


# --- the api as a library ------------------------------------------------------------------------------------


def test_the_package_exports_the_api():
    assert fazhi_cli.api is api and "api" in fazhi_cli.__all__
    for name in api.__all__:
        assert hasattr(api, name), name
    for name in COMMANDS:
        assert name in api.__all__ and callable(getattr(api, name))
    assert api.version() == fazhi_cli.__version__


def test_help_documents_every_command_with_an_example():
    done = subprocess.run([sys.executable, "-c", "import fazhi_cli; help(fazhi_cli.api)"], capture_output=True,
                          text=True, timeout=120, env={"PAGER": "cat", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    for name in COMMANDS:
        assert f"\n    {name}(" in done.stdout, name
        doc = getattr(api, name).__doc__
        assert doc and "Example::" in doc and f"api.{name}(" in doc, name
    for name in ("rubric_json", "validation_json", "score_json", "status_json"):
        assert f"\n    {name}(" in done.stdout, name


def test_a_campaign_runs_from_a_script(tmp_path):
    root = tmp_path / "campaign"
    made = api.init(root)
    assert made.workspace.root == root and len(made.units) == 55
    seen = []
    generated = api.generate(root, units=[DEPT, TOWN], on_progress=lambda unit, total: seen.append((unit.name, total)))
    assert [p.name for p in generated.written] == [f"2017年度法治政府建设自评表_{u}.xlsx" for u in (DEPT, TOWN)]
    assert seen == [(DEPT, 2), (TOWN, 2)]
    returned = fill(root, tmp_path / "in" / "发改局.xlsx", DEPT)
    outcomes = []
    report = api.ingest([returned], root, on_file=outcomes.append)
    assert [(f.outcome, f.unit) for f in report.files] == [("taken", DEPT)] and outcomes == report.files
    assert not api.validate(root).has_errors
    board = api.score(root)
    assert board.result(DEPT).status == api.SCORED and board.result(TOWN).status == api.MISSING
    status = api.status(root)
    assert [s.unit.name for s in status.units if s.returned] == [DEPT]
    files = api.report(root)
    assert files.summary_workbook.is_file() and len(files.feedback_pages) == 1
    view = api.rubric_show(root, "township")
    assert view.types == ("township",) and not view.builtin and view.workspace.root == root


def test_user_errors_are_raised_not_printed(tmp_path, capsys):
    with pytest.raises(fazhi_cli.errors.WorkspaceError):
        api.score(tmp_path)
    with pytest.raises(fazhi_cli.errors.UsageError, match="未知的单位类型"):
        api.rubric_show(unit_type="county")
    target = api.rubric_export(tmp_path / "rubric.yaml")
    assert api.rubric_check(target).id == "zhaohua-2017"
    with pytest.raises(fazhi_cli.errors.UsageError, match="已存在"):
        api.rubric_export(target)
    assert capsys.readouterr() == ("", "")


# --- --json is the api's result, serialised ----------------------------------------------------------------


@pytest.fixture
def returned(cli, tmp_path) -> Path:
    """A workspace with a clean return, one with an error, a refused file and units that never returned."""
    root = tmp_path / "campaign"
    assert cli("init", root).code == 0
    assert cli("generate", "--unit", DEPT, "--unit", TOWN, "-w", root).code == 0
    inbox = tmp_path / "in"
    fill(root, inbox / "发改局.xlsx", DEPT)
    answers = clean_answers(TOWN)
    item = next(i for i in api.rubric_show(root).rubric.for_type("township").items if i.rules)
    answers.facts[item.rules[0].id] = 1 if item.rules[0].kind == "count" else "是"
    answers.scores[item.id] = float(item.max)  # above the ceiling its facts imply
    fill(root, inbox / "元坝镇.xlsx", TOWN, answers)
    (inbox / "说明.txt").write_text("附件", "utf-8")
    assert cli("ingest", inbox, "-w", root).code == 1
    return root


def test_validate_json_is_the_api_serialisation(cli, returned):
    printed = cli("validate", "--json", "-w", returned)
    assert printed.code == 1
    expected = api.validation_json(api.validate(returned))
    assert printed.json() == expected
    codes = {(f["unit"], f["severity"], f["code"]) for f in expected["findings"]}
    assert (TOWN, "error", "above_ceiling") in codes and any(f.get("file") for f in expected["findings"])


def test_score_json_is_the_api_serialisation(cli, returned):
    printed = cli("score", "--json", "-w", returned)
    assert printed.code == 0
    expected = api.score_compared_json(api.score(returned), returned)  # score_json, beside the last kept year
    assert printed.json() == expected
    assert {k: v for k, v in expected.items() if k != "units"} == {
        k: v for k, v in api.json_ready(api.score_json(api.score(returned))).items() if k != "units"}
    assert {u["unit"]: u["status"] for u in expected["units"] if u["unit"] in (DEPT, TOWN)} == {
        DEPT: "scored", TOWN: "scored"}


def test_status_json_is_the_api_serialisation(cli, returned):
    printed = cli("status", "--json", "-w", returned)
    assert printed.code == 0
    expected = api.status_json(api.status(returned))
    assert printed.json() == expected
    assert expected["returned"] == 2 and expected["refused_files"] == 1
    assert json.loads(json.dumps(expected)) == expected  # JSON-ready: dates already ISO 8601 text


def test_rubric_show_json_is_the_api_serialisation(cli, returned, tmp_path):
    printed = cli("rubric", "show", "--type", "township", "--json", "-w", returned)
    assert printed.code == 0
    assert printed.json() == api.rubric_json(api.rubric_show(returned, "township"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    builtin = cli("rubric", "show", "--json", cwd=outside)
    assert builtin.code == 0 and "内置" in builtin.err
    view = api.rubric_show()
    assert view.builtin and builtin.json() == api.rubric_json(view)
    assert [t["type"] for t in builtin.json()["types"]] == ["department", "township"]


# --- the writers hold the workspace lock; the readers do not take it -----------------------------------------


def in_background(action):
    """Run `action` in a thread; returns the thread and a list that receives its result or exception."""
    box: list = []

    def run() -> None:
        try:
            box.append(action())
        except BaseException as problem:  # handed back to the test
            box.append(problem)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def waiting_for_lock(thread: threading.Thread) -> bool:
    """True when the thread is inside `Workspace.lock`, waiting for the lock to be free."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code.co_name == "lock" and frame.f_globals.get("__name__", "").startswith("fazhi_cli.workspace"):
            return True
        frame = frame.f_back
    return False


def test_every_writing_function_waits_for_the_workspace_lock(returned, tmp_path):
    fill(returned, tmp_path / "later" / "发改局.xlsx", DEPT)
    writers = {
        "generate": lambda: api.generate(returned, units=[DEPT], force=True),
        "ingest": lambda: api.ingest([tmp_path / "later"], returned),
        "validate --annotate": lambda: api.validate(returned, annotate=True),
        "review_sheets": lambda: api.review_sheets(returned),
        "report": lambda: api.report(returned),
    }
    for name, action in writers.items():
        with Workspace(returned).lock(wait_seconds=1):
            thread, box = in_background(action)
            deadline = time.monotonic() + 30
            while not waiting_for_lock(thread) and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert waiting_for_lock(thread) and box == [], f"{name} did not wait for the lock"
        thread.join(60)
        assert box and not isinstance(box[0], BaseException), (name, box)
    with Workspace(returned).lock(wait_seconds=1):  # readers go ahead while a writer holds the workspace
        started = time.monotonic()
        api.score(returned)
        api.status(returned)
        api.validate(returned)
        api.rubric_show(returned)
        assert time.monotonic() - started < 9


# --- ingest dispatches on what a workbook is -------------------------------------------------------------------


def test_ingest_takes_a_named_review_sheet_without_any_handler(cli, returned, tmp_path):
    sheet = next(p for p in api.review_sheets(returned) if "乡镇" in p.name)
    book = openpyxl.load_workbook(sheet)
    rows = book["复核打分表"]
    header = next(r for r in range(1, 16) if "单位名称" in [c.value for c in rows[r]])
    columns = {rows.cell(header, c).value: c for c in range(1, rows.max_column + 1)}
    line = next(r for r in range(header + 1, rows.max_row + 1)
                if (rows.cell(r, columns["单位名称"]).value, rows.cell(r, columns["编号"]).value) == (TOWN, "特别加分"))
    rows.cell(line, columns["核定得分"]).value = 1
    folder = tmp_path / "office"
    folder.mkdir()
    filled = folder / sheet.name
    book.save(filled)

    walked = api.ingest([folder], returned)
    assert [(f.outcome, f.code) for f in walked.files] == [("refused", "review_not_named")]
    named = api.ingest([filled], returned)
    assert [(f.outcome, f.unit) for f in named.files] == [("review", None)]
    assert api.score(returned).result(TOWN).bonus == 1
