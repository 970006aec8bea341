"""`make bench` (bench/run.py) runs end to end on a tiny campaign and writes every stage's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"
STAGES = {"generate", "ingest", "validate", "score", "report", "notice", "letters", "floor"}


@pytest.mark.skipif(not BENCH.is_file(), reason="bench/ is not shipped with the package")
def test_bench_runs_every_stage_and_writes_results(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    results = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(BENCH), "--units", "12", "--results", str(results), "--workers", "1"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "(ingest + validate) / floor" in done.stdout
    run = json.loads(results.read_text("utf-8"))["runs"]["12"]
    assert set(run["stages"]) == STAGES
    assert all(stage["seconds"] > 0 and stage["peak_mb"] > 0 for stage in run["stages"].values())
    assert run["files"] == 13  # 11 good returns, a corrupt one, a form under another unit's name
    assert {"ingest_validate_over_floor", "generate_seconds_per_1000", "score_report_seconds_per_1000",
            "peak_mb"} <= set(run["ratios"])
    assert run["machine"]["cpus"] >= 1
