"""The import direction holds: the domain core uses only the standard library and itself, and only the
command layer prints or exits."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import fazhi_cli

PACKAGE = Path(fazhi_cli.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_imports_only_the_standard_library_and_itself():
    for path in (PACKAGE / "domain").glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or module.startswith("fazhi_cli.domain") or top == "__future__", (
                f"{path.name} imports {module}"
            )


def test_only_the_command_layer_prints_or_exits():
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts[:1] or path.name == "__main__.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", f"{path.name} prints"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert (node.value.id, node.attr) != ("sys", "exit"), f"{path.name} exits"


def test_the_import_linter_contracts_hold():
    """pyproject.toml's import-linter contracts: a pure domain, a CLI that talks to the API only, stages in layers."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    repository = Path(__file__).resolve().parents[1]
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=repository, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout
