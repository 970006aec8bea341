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


# --- the tree: every module in a room, each small, no import circle (issue 21) ------------------------------

TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "errors.py", "api.py"}  # `api` may be a package instead
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 250


def fazhi_modules() -> dict[str, Path]:
    """Every module of the installed package by its dotted name (a package by its own name)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["fazhi_cli", *path.relative_to(PACKAGE).with_suffix("").parts]
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The fazhi_cli modules a module imports, type-only imports included: `from package import name` counts as
    an import of the submodule `package.name` when there is one, else of the package (as import-linter reads it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            if group:
                cycles.append(sorted([node, *group]))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_top_of_the_package_holds_only_its_packages_the_api_and_errors():
    loose = {p.name for p in PACKAGE.glob("*.py")} - TOP_LEVEL_MODULES
    assert loose == set(), f"modules outside a package: {sorted(loose)}"
    assert (PACKAGE / "api" / "__init__.py").is_file() or (PACKAGE / "api.py").is_file()


def test_no_module_over_500_lines_and_no_class_over_250():
    long_modules, long_classes = [], []
    for name, path in sorted(fazhi_modules().items()):
        text = path.read_text("utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            long_modules.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                long_classes.append(f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert long_modules == [] and long_classes == []


def test_no_import_circle_type_only_imports_included():
    modules = fazhi_modules()
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_circle_through_a_type_only_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []
