"""`make bench`: fazhi's per-file costs as ratios against baselines measured in the same run.

Absolute times depend on the machine; the ratios say how much work fazhi adds over the library floor.
Baselines: an openpyxl workbook of four small sheets written from scratch, and a bare openpyxl
read-only load of the same returned file.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from fazhi_cli.demo import demo_answers
from fazhi_cli.ingest import ingest_paths
from fazhi_cli.reports import write_reports
from fazhi_cli.scoring import compute_scores
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workbook.reader import read_workbook
from fazhi_cli.workbook.writer import write_self_assessment
from fazhi_cli.workspace import create_workspace

ROUNDS = 5


def per_call_ms(action: Callable[[int], None], count: int) -> float:
    """The median over ROUNDS of the mean time per call, in milliseconds."""
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for index in range(count):
            action(index)
        samples.append((time.perf_counter() - start) * 1000 / count)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        made = create_workspace(root / "ws")
        workspace, rubric, units = made.workspace, made.rubric, made.units
        campaign = workspace.campaign()
        out = root / "out"
        out.mkdir()

        def baseline_write(index: int) -> None:
            book = openpyxl.Workbook()
            for name in ("a", "b", "c"):
                sheet = book.create_sheet(name)
                for row in range(60):
                    sheet.append([f"{row}", "text", row])
            book.save(out / f"baseline-{index}.xlsx")

        def generate(index: int) -> None:
            unit = units[index % len(units)]
            write_self_assessment(out / f"unit-{index}.xlsx", campaign, rubric, unit, workspace.secret())

        def baseline_read(index: int) -> None:
            book = openpyxl.load_workbook(out / f"unit-{index}.xlsx", read_only=True)
            for sheet in book.worksheets:
                for _ in sheet.iter_rows(values_only=True):
                    pass
            book.close()

        def read(index: int) -> None:
            read_workbook(out / f"unit-{index}.xlsx")

        count = len(units)
        write_base = per_call_ms(baseline_write, count)
        write_ms = per_call_ms(generate, count)
        read_base = per_call_ms(baseline_read, count)
        read_ms = per_call_ms(read, count)
        inbox = root / "inbox"
        inbox.mkdir()
        rng = random.Random(1)
        for index, unit in enumerate(units):
            fill_workbook(out / f"unit-{index}.xlsx", inbox / f"{index}.xlsx", demo_answers(rubric, unit, rng))
        start = time.perf_counter()
        ingest_paths(workspace, [inbox])
        ingest_ms = (time.perf_counter() - start) * 1000 / count
        start = time.perf_counter()
        compute_scores(workspace)
        score_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        write_reports(workspace)
        report_ms = (time.perf_counter() - start) * 1000
    print(f"units: {count}, rounds: {ROUNDS} (median of per-file means)")
    print(f"{'operation':<40}{'ms/file':>10}{'ratio':>10}")
    print(f"{'baseline: openpyxl write 4 sheets':<40}{write_base:>10.1f}{1:>10.2f}")
    print(f"{'fazhi generate (write_self_assessment)':<40}{write_ms:>10.1f}{write_ms / write_base:>10.2f}")
    print(f"{'baseline: openpyxl read-only load':<40}{read_base:>10.1f}{1:>10.2f}")
    print(f"{'fazhi read_workbook':<40}{read_ms:>10.1f}{read_ms / read_base:>10.2f}")
    print(f"{'fazhi ingest (archive, read, record)':<40}{ingest_ms:>10.1f}{ingest_ms / read_base:>10.2f}")
    print(f"whole roster generate: {write_ms * count / 1000:.2f} s; ingest: {ingest_ms * count / 1000:.2f} s; "
          f"score: {score_ms / 1000:.2f} s; report: {report_ms / 1000:.2f} s")


if __name__ == "__main__":
    main()
