"""`make bench` (bench/run.py) runs end to end on a tiny campaign and writes every stage's figures."""

from __future__ import annotations

import importlib.util
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
    for goal in ("ingest+validate", "generate", "score+report", "notice", "letters"):
        assert f" {goal}: " in done.stdout and "× the floor (goal ≤" in done.stdout
    run = json.loads(results.read_text("utf-8"))["runs"]["12"]
    assert set(run["stages"]) == STAGES
    assert all(stage["seconds"] > 0 and stage["peak_mb"] > 0 for stage in run["stages"].values())
    assert run["files"] == 13  # 11 good returns, a corrupt one, a form under another unit's name
    figures = run["ratios"]
    assert {"ingest+validate", "generate", "score+report", "notice", "letters"} <= set(figures)
    assert figures["notice"]["goal"] == 2.0 and figures["letters"]["goal"] == 4.0
    assert figures["score+report"]["seconds"] == pytest.approx(
        run["stages"]["score"]["seconds"] + run["stages"]["report"]["seconds"], abs=0.002)
    assert all(figures[f"memory:{stage}"]["holds"] for stage in STAGES - {"floor"})
    assert run["machine"]["cpus"] >= 1


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(count: int, seconds: dict[str, float]) -> dict:
    return {"stages": {stage: {"seconds": value} for stage, value in seconds.items()}}


@pytest.mark.skipif(not BENCH.is_file(), reason="bench/ is not shipped with the package")
def test_bench_judges_the_slowdown_per_unit_at_ten_thousand_units() -> None:
    bench = _bench_module()
    runs = {"1000": _run(1000, {"report": 2.0, "letters": 3.0, "floor": 1.0}),
            "10000": _run(10000, {"report": 24.0, "letters": 36.5, "floor": 12.0})}
    large = bench.linearity(runs, 10000)
    assert large["report"] == {"per_unit": 1.2, "holds": True, "per_unit_over_floor": 1.0}
    assert large["letters"]["per_unit"] == 1.22 and not large["letters"]["holds"]
    assert "floor" not in large
    assert bench.linearity({"1000": runs["1000"]}, 10000) == {}
