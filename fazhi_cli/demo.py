"""The demo campaign: the whole year-end run on the sample data, in a folder of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from fazhi_cli.errors import UsageError
from fazhi_cli.workspace import Workspace, create_workspace

DEMO_MARKER = ".fazhi-demo"


def prepare_demo_folder(root: Path) -> None:
    """Empty a previous demo folder (only one this command made, recognised by its marker)."""
    if not root.exists():
        return
    if (root / DEMO_MARKER).is_file():
        shutil.rmtree(root)
        return
    if root.is_dir() and not any(root.iterdir()):
        return
    raise UsageError(f"{root} 已存在且不是演示文件夹", "请指定一个新的文件夹,例如 fazhi demo 演示。")


def create_demo_workspace(root: Path) -> Workspace:
    """A fresh workspace on the sample roster and the built-in rubric, marked as a demo."""
    prepare_demo_folder(root)
    workspace, _, _ = create_workspace(root)
    (root / DEMO_MARKER).write_text("fazhi demo workspace; `fazhi demo` may delete and recreate it\n", "utf-8")
    return workspace
