"""fazhi runs on the clerk's Windows PC too: no POSIX-only call without its Windows way, a package declaration that
installs without setuptools warnings, a module entry point, and the launcher `make install` puts on the PATH."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fazhi_cli"
ROOT = PACKAGE.parent
POSIX_ONLY = re.compile(r"os\.fork\b|os\.get(e)?uid\b|os\.get(e)?gid\b|os\.setsid\b|os\.getpgid\b|os\.killpg\b|"
                        r"os\.chown\b|signal\.SIG(KILL|HUP|QUIT|USR1|USR2|ALRM)\b|^\s*import (pwd|grp|fcntl|termios)\b|"
                        r"os\.mkfifo\b|os\.uname\b", re.MULTILINE)
# each POSIX-only call that is allowed, with the Windows way beside it in the same file
ALLOWED = {
    ("workspace/lock.py", "import fcntl"): "msvcrt.locking",
    ("documents/pdf.py", "os.killpg"): "process.kill()",
    ("documents/pdf.py", "signal.SIGKILL"): "process.kill()",
}


def test_no_posix_only_call_without_its_windows_way():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text("utf-8")
        for match in POSIX_ONLY.finditer(text):
            found[(path.relative_to(PACKAGE).as_posix(), match.group().strip())] = text
    assert set(found) == set(ALLOWED), set(found) ^ set(ALLOWED)
    for key, windows_way in ALLOWED.items():
        assert windows_way in found[key], key
    assert 'hasattr(os, "killpg")' in found[("documents/pdf.py", "os.killpg")]


def test_the_package_declares_its_licence_as_setuptools_wants_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "MIT"  # an SPDX expression: no deprecation wall on install
    assert any(re.fullmatch(r"setuptools>=(7[7-9]|[89]\d)(\.\d+)*", r) for r in project["build-system"]["requires"])
    assert "tomlkit" in " ".join(project["project"]["dependencies"])


def test_python_dash_m_runs_fazhi():
    done = subprocess.run([sys.executable, "-m", "fazhi_cli", "version"], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    assert done.returncode == 0 and done.stdout.startswith("fazhi ")


def test_make_install_puts_a_launcher_on_the_path():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "LAUNCHER_DIR ?= $(HOME)/.local/bin" in makefile
    assert 'ln -sf "$(abspath $(BIN))/fazhi" "$(LAUNCHER_DIR)/fazhi"' in makefile


def test_the_readme_says_how_to_run_fazhi_on_linux_and_windows():
    readme = (ROOT / "README.md").read_text("utf-8")
    for step in ("make install", "py -m venv .venv", r".venv\Scripts\pip install .", r".venv\Scripts\fazhi",
                 "py -m fazhi_cli", "source .venv/bin/activate"):
        assert step in readme, step


def test_building_the_package_prints_no_setuptools_warning_and_ships_every_template(tmp_path):
    """`pip install .` builds this wheel: setuptools must have nothing to warn about (a package directory left out
    of `packages`, a deprecated licence form), and every template and data file must be inside it."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    output = built.stdout + built.stderr
    assert built.returncode == 0, output
    assert "warning" not in output.lower() and "deprecat" not in output.lower(), output
    [wheel] = tmp_path.glob("fazhi-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [path.relative_to(ROOT / "templates").as_posix() for path in (ROOT / "templates").rglob("*")
               if path.is_file() and path.suffix in (".j2", ".css", ".docx")]
    assert shipped and all(f"fazhi_cli/templates/{name}" in names for name in shipped)
    assert "fazhi_cli/data/zhaohua-2017.yaml" in names
