"""fazhi itself: its version (`__version__`, `fazhi version`) and its demonstration, the whole year-end run on
the sample data (`fazhi demo`). `fazhi_cli.__version__` is read from here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi_cli.demo import DemoRun, run_demo

__version__ = "0.1.0"


def demo(folder: Path = Path("fazhi-demo"), on_step: Callable[[str], None] | None = None,
         pdf: bool = False) -> DemoRun:
    """The whole year-end run on the sample data in `folder` (`fazhi demo`), which it (re)creates.

    Only a folder that `demo` made (or an empty or missing one) is used. `on_step(name)` is told each
    step's name (one of DEMO_STEPS) as it starts. The official documents are Word files; `pdf` adds their
    PDFs (LibreOffice, some fifteen seconds more).

    Example::

        run = api.demo(Path("/tmp/演示"))
        run.reports.summary_workbook, run.seconds
    """
    return run_demo(folder, on_step or (lambda _: None), make_pdf=pdf)


def version() -> str:
    """fazhi's version (`fazhi version`).

    Example::

        api.version()
    """
    return __version__
