"""`make bench`: every stage of a synthetic city-scale campaign, timed through the library the CLI runs.

    python bench/run.py                 # 1,000 units
    python bench/run.py --units 10000   # the large run (raises [limits] roster_rows to fit)
    python bench/run.py --units 55      # a district, quickly

A roster of N units of both types, a workspace on the built-in rubric, then each stage in its own process
(`fazhi_cli.api`: generate, ingest, validate, score, report, notice, feedback letters without PDF), so the
peak memory of one stage is not inherited by the next (a stage's pool workers and forked copies are measured too:
the whole process tree's proportional set size, sampled every 50 ms). Between generate and ingest the units' returns are
filled (not timed): realistic answers, plus a corrupt file, a score above its ceiling and a form sent under
another unit's name. The floor is python-calamine alone reading every sheet of the same returned files.
Prints a table, then the goals of issue 26, each a ratio to the floor of the same run (so a loaded machine
slows both sides): ingest+validate ≤ 3×, generate ≤ 4×, score+report ≤ 4×, the notice ≤ 2×, the letters ≤ 4×;
each stage's peak memory (its process tree) against 1 GB; and, once bench/results.json holds a 1,000 and a
10,000 run, how much slower per unit each stage is at 10,000 (at most 20 %). It writes bench/results.json (one
entry per N). With --keep on a campaign built before and --only, just those stages (and the floor) are measured
again on it, e.g. `--keep /tmp/b --only score,report` after changing the report.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
STAGES = ("generate", "ingest", "validate", "score", "report", "notice", "letters")
FLOOR = "floor"
LABELS = {
    "generate": "generate (blank workbooks)",
    "ingest": "ingest (returns)",
    "validate": "validate",
    "score": "score",
    "report": "report (workbook, pages)",
    "notice": "notice (docx, no PDF)",
    "letters": "feedback letters (docx, no PDF)",
    FLOOR: "floor: python-calamine read",
}
GOALS = {  # issue 26: at most this many times the floor of the same run
    "ingest+validate": (("ingest", "validate"), 3.0),
    "generate": (("generate",), 4.0),
    "score+report": (("score", "report"), 4.0),
    "notice": (("notice",), 2.0),
    "letters": (("letters",), 4.0),
}
TARGET_PEAK_MB = 1024.0  # each stage's process tree, at 10,000 units too
TARGET_SLOWDOWN = 0.20  # seconds per unit at 10,000 over those at 1,000, at most 1.20
LARGE = 10000
SEED = 20171205
NOW = "2017-12-05T10:00:00+08:00"  # FAZHI_NOW of every stage: the returns come in before the deadline
FORM = {"填报人": "李明", "联系电话": "0839-8700003", "填报日期": "2017-12-05"}


# ------------------------------------------------------------------------------------------- the roster


def unit_names(count: int) -> list[tuple[str, str]]:
    """`count` distinct (name, type) pairs, two departments for each town; no name contains another."""
    width = len(str(count))
    named = []
    for index in range(1, count + 1):
        if index % 3 == 0:
            named.append((f"第{index:0{width}d}街道办事处", "乡镇(街道)"))
        else:
            named.append((f"市第{index:0{width}d}局", "区级部门"))
    return named


def write_roster(path: Path, count: int) -> None:
    """A roster CSV of `count` assessed units, both types, each with its own address."""
    lines = ["单位名称,单位类型,联系人,联系电话,电子邮箱,是否考核"]
    for index, (name, kind) in enumerate(unit_names(count), start=1):
        lines.append(f"{name},{kind},联系人{index},0839-{index:07d},unit{index}@example.invalid,是")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_workspace(root: Path, count: int) -> Path:
    """An initialised campaign of `count` units in root/ws (its roster limit raised to fit when needed)."""
    from fazhi_cli import api

    roster = root / "units.csv"
    write_roster(roster, count)
    folder = root / "ws"
    if count <= 2000:
        api.init(folder, units=roster)
        return folder
    small = root / "small.csv"
    write_roster(small, 3)
    api.init(folder, units=small)  # a roster this long is over the default limit: raise it, then re-init
    config = folder / "fazhi.toml"
    limits = f"\n[limits]\nroster_rows = {count + 10}\n"
    config.write_text(config.read_text("utf-8") + limits, "utf-8")
    api.init(folder, units=roster, force=True)  # re-init keeps the raised limits
    return folder


# ------------------------------------------------------------------------------------------ the returns


_LOADED: dict[str, object] = {}


def _load(folder: str) -> None:
    """Load the campaign's rubric and units once per pool worker."""
    from fazhi_cli.workspace import Workspace

    workspace = Workspace.find(Path(folder))
    campaign = workspace.campaign()
    _LOADED["rubric"] = workspace.rubric(campaign)
    _LOADED["units"] = {unit.name: unit for unit in workspace.units(campaign)}


def _fill_one(job: tuple[str, str, int, str, bool]) -> None:
    """Fill one unit's blank workbook with realistic answers (in a pool worker)."""
    from fazhi_cli.demo import demo_answers
    from fazhi_cli.domain import kinds
    from fazhi_cli.workbook.filler import fill_workbook

    name, blank, seed, target, above_ceiling = job
    rubric, unit = _LOADED["rubric"], _LOADED["units"][name]
    answers = demo_answers(rubric, unit, random.Random(seed))
    answers.form = dict(FORM, 负责人=f"负责人{seed % 997}")
    if above_ceiling:  # a score above the ceiling its own facts allow
        items = rubric.for_type(unit.type).items
        ruled = next(i for i in items if i.rules and kinds.kind_of(i.rules[0]) is kinds.COUNT)
        answers.facts[ruled.rules[0].id] = 2
        answers.scores[ruled.id] = float(ruled.max)
    fill_workbook(Path(blank), Path(target), answers)


def fill_returns(folder: Path, inbox: Path, workers: int) -> int:
    """The units' returned files in `inbox`, filled in a process pool; returns how many files there are.

    Bad returns: the first unit's file is corrupt (cut short); the second unit's form comes under the third
    unit's name (an identity conflict; the third returns its own as well); every thousandth unit (from the
    fourth) scores an item above its ceiling.
    """
    from fazhi_cli.workspace import Workspace

    workspace = Workspace.find(folder)
    units = workspace.units(workspace.campaign())
    blank = {path.stem.split("_", 1)[1]: path for path in workspace.outbox.glob("*.xlsx")}
    inbox.mkdir(parents=True, exist_ok=True)
    jobs = [(unit.name, str(blank[unit.name]), SEED + index, str(inbox / f"{unit.name}自评表.xlsx"),
             index % 1000 == 3) for index, unit in enumerate(units) if index != 0]
    jobs.append((units[1].name, str(blank[units[1].name]), SEED - 1, str(inbox / f"{units[2].name}自评表(补报).xlsx"),
                 False))
    with ProcessPoolExecutor(max_workers=workers, initializer=_load, initargs=(str(folder),)) as pool:
        list(pool.map(_fill_one, jobs, chunksize=16))
    corrupt = inbox / f"{units[0].name}自评表.xlsx"
    corrupt.write_bytes(blank[units[0].name].read_bytes()[:4000])
    return len(jobs) + 1


# ------------------------------------------------------------------------------------------- the stages


def run_stage(stage: str, folder: Path, inbox: Path, profile: Path | None = None) -> dict[str, float]:
    """Run one stage in this process; its seconds (the call alone) and this process's peak memory.

    With `profile`, the call runs under cProfile and its statistics go to profile/<stage>.prof.
    """
    from fazhi_cli import api

    def floor() -> None:
        from python_calamine import CalamineWorkbook

        for path in sorted(inbox.glob("*.xlsx")):
            try:
                book = CalamineWorkbook.from_path(str(path))
                for name in book.sheet_names:
                    book.get_sheet_by_name(name).to_python()
            except Exception:  # noqa: BLE001 - the corrupt return fails here as it does in ingest
                continue

    actions = {
        "generate": lambda: api.generate(folder, force=True),
        "ingest": lambda: api.ingest([inbox], folder),
        "validate": lambda: api.validate(folder),
        "score": lambda: api.score(folder),
        "report": lambda: api.report(folder),
        "notice": lambda: api.notice(folder, pdf=False),
        "letters": lambda: api.feedback_letters(folder, pdf=False),
        FLOOR: floor,
    }
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.runcall(actions[stage])
    else:
        actions[stage]()
    seconds = time.perf_counter() - start
    if profiler:
        profile.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(profile / f"{stage}.prof")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    workers_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest pool worker or fork
    return {"seconds": seconds, "peak_mb": peak_kib / 1024, "workers_peak_mb": workers_kib / 1024}


def measure(stage: str, folder: Path, inbox: Path, count: int, profile: Path | None = None) -> dict[str, float]:
    """One stage in a fresh process: its seconds, units/s, peak memory (its own, and that of the whole process
    tree sampled as it runs) and the whole process's seconds."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", stage,
               "--workspace", str(folder), "--inbox", str(inbox)]
    if profile:
        command += ["--profile-dir", str(profile)]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output, tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, stdout=output, stderr=errors, text=True)
        tree_peak = 0.0
        while process.poll() is None:
            tree_peak = max(tree_peak, tree_memory_mb(process.pid))
            time.sleep(TREE_SAMPLE_SECONDS)
        wall = time.perf_counter() - start
        output.seek(0)
        errors.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"stage {stage} failed:\n{errors.read()}")
        result = json.loads(output.read().strip().splitlines()[-1])
    result["tree_peak_mb"] = max(tree_peak, result["peak_mb"])
    result["process_seconds"] = wall
    result["units_per_second"] = count / result["seconds"] if result["seconds"] else 0.0
    return {key: round(value, 3) for key, value in result.items()}


TREE_SAMPLE_SECONDS = 0.05


def tree_memory_mb(root: int) -> float:
    """The memory a process and all its descendants hold now, by proportional set size (a page shared by a
    forked copy or a pool worker with its parent is counted once, split between them); 0 where /proc lacks it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total_kib, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kib += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total_kib / 1024


# ---------------------------------------------------------------------------------------- the summary


def stage_memory(stage: dict[str, float]) -> float:
    """A stage's memory at its peak: its whole process tree (pool workers and forked copies included), sampled
    while it ran, and never less than its own process's peak."""
    return stage.get("tree_peak_mb", stage["peak_mb"])


def ratios(stages: dict[str, dict[str, float]]) -> dict[str, dict[str, float | bool]]:
    """Each goal of issue 26: its seconds, its ratio to the floor of the same run, the goal and whether it holds;
    and each stage's peak memory against 1 GB (`memory:<stage>`). Goals of stages not measured are left out."""
    floor = stages[FLOOR]["seconds"] or 1e-9
    figures: dict[str, dict[str, float | bool]] = {}
    for goal, (parts, most) in GOALS.items():
        if all(part in stages for part in parts):
            seconds = sum(stages[part]["seconds"] for part in parts)
            ratio = round(seconds / floor, 2)
            figures[goal] = {"seconds": round(seconds, 3), "over_floor": ratio, "goal": most, "holds": ratio <= most}
    for name, stage in stages.items():
        if name != FLOOR:
            peak = stage_memory(stage)
            figures[f"memory:{name}"] = {"peak_mb": round(peak, 1), "over_1gb": round(peak / TARGET_PEAK_MB, 2),
                                         "holds": peak < TARGET_PEAK_MB}
    return figures


def linearity(runs: dict[str, dict], count: int, base_count: int = 1000) -> dict[str, dict[str, float | bool]]:
    """Each stage's seconds per unit at `count` over the same at `base_count` (1.0: linear; the goal is at most
    1.20), raw and against the floor of each run (which a loaded machine slows too); {} without both runs."""
    if count == base_count or str(base_count) not in runs or str(count) not in runs:
        return {}
    base, here = runs[str(base_count)]["stages"], runs[str(count)]["stages"]
    base_floor = base.get(FLOOR, {}).get("seconds") or 0.0
    here_floor = here.get(FLOOR, {}).get("seconds") or 0.0
    out: dict[str, dict[str, float | bool]] = {}
    for stage in here:
        if stage == FLOOR or stage not in base or not base[stage]["seconds"]:
            continue
        slower = (here[stage]["seconds"] / count) / (base[stage]["seconds"] / base_count)
        out[stage] = {"per_unit": round(slower, 2), "holds": slower <= 1 + TARGET_SLOWDOWN}
        if base_floor and here_floor:
            out[stage]["per_unit_over_floor"] = round(slower / ((here_floor / count) / (base_floor / base_count)), 2)
    return out


def machine() -> dict[str, object]:
    """What the figures ran on."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def mark(holds: bool) -> str:
    """✔ for a goal that holds, ✘ for one that does not."""
    return "✔" if holds else "✘"


def show(count: int, files: int, stages: dict[str, dict[str, float]], figures: dict[str, dict],
         large: dict[str, dict]) -> None:
    """The table, the goals of issue 26 against the floor, each stage's memory and (with a 1,000 and a 10,000
    run saved) the slowdown per unit, on the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"fazhi bench: {count} units, {files} returned files, {os.cpu_count()} CPUs")
    for column in ("stage", "seconds", "units/s", "peak MB", "with workers MB", "process s"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for name, stage in stages.items():
        table.add_row(LABELS[name], f"{stage['seconds']:.2f}", f"{stage['units_per_second']:.0f}",
                      f"{stage['peak_mb']:.0f}", f"{stage_memory(stage):.0f}",
                      f"{stage['process_seconds']:.2f}")
    console = Console()
    console.print(table)
    floor = stages[FLOOR]["seconds"]
    console.print(f"goals of issue 26, against the floor of this run ({floor:.2f} s):")
    for goal in GOALS:
        if goal in figures:
            held = figures[goal]
            console.print(f"  {mark(held['holds'])} {goal}: {held['seconds']:.2f} s = {held['over_floor']:.2f}× "
                          f"the floor (goal ≤ {held['goal']:.0f}×)")
    console.print("peak memory of each stage's process tree (goal < 1 GB, at 10,000 units too):")
    console.print("  " + ", ".join(f"{mark(held['holds'])} {name.split(':', 1)[1]} {held['peak_mb']:.0f} MB"
                                   for name, held in figures.items() if name.startswith("memory:")))
    if large:
        console.print(f"seconds per unit at {LARGE:,} units over those at 1,000 "
                      f"(goal ≤ {1 + TARGET_SLOWDOWN:.2f}; in brackets: against each run's floor):")
        console.print("  " + ", ".join(
            f"{mark(held['holds'])} {name} {held['per_unit']:.2f}"
            + (f" ({held['per_unit_over_floor']:.2f})" if "per_unit_over_floor" in held else "")
            for name, held in large.items()))


def save(path: Path, count: int, files: int, stages: dict, figures: dict) -> dict[str, dict]:
    """Write this run into `path` beside the runs of other sizes kept there; returns the slowdown per unit at
    10,000 units over 1,000 when both runs are there ({} otherwise)."""
    try:
        runs = json.loads(path.read_text("utf-8")).get("runs", {})
    except (OSError, ValueError):
        runs = {}
    runs[str(count)] = {"machine": machine(), "units": count, "files": files, "stages": stages, "ratios": figures}
    runs[str(count)]["linearity_vs_1000"] = linearity(runs, count)
    path.write_text(json.dumps({"latest": count, "runs": runs}, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return linearity(runs, LARGE)


def show_profiles(folder: Path, stages: list[str], top: int = 12) -> None:
    """The `top` entries by cumulative time of each profiled stage."""
    for stage in stages:
        print(f"\n--- cProfile of {stage} (top {top} by cumulative time) ---")
        pstats.Stats(str(folder / f"{stage}.prof")).strip_dirs().sort_stats("cumulative").print_stats(top)


BUILT = "bench.json"  # in a kept campaign's folder: its units and files, for a later --only run


def bench(count: int, results: Path, workers: int, keep: Path | None, profiled: list[str],
          only: list[str] | None = None) -> None:
    """Build the campaign, measure every stage and the floor, print and save the figures; with `only`, measure
    just those stages and the floor on the campaign built before in `keep` (printed, not saved).

    The stages in `profiled` run under cProfile (their seconds then include its overhead) and their top
    entries are printed after the table.
    """
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as temporary:
        root = keep or Path(temporary)
        os.environ["FAZHI_NOW"] = NOW
        folder, inbox, profiles = root / "ws", root / "inbox", root / "profiles"
        stages: dict[str, dict[str, float]] = {}

        def profile(stage: str) -> Path | None:
            return profiles if stage in profiled else None

        if only:
            built = json.loads((root / BUILT).read_text("utf-8"))
            count, files = built["units"], built["files"]
            print(f"measuring {', '.join(only)} again on the campaign of {count} units in {root} …", flush=True)
        else:
            root.mkdir(parents=True, exist_ok=True)
            print(f"building a campaign of {count} units in {root} …", flush=True)
            folder = make_workspace(root, count)
            stages["generate"] = measure("generate", folder, inbox, count, profile("generate"))
            print(f"generate {stages['generate']['seconds']:.1f} s; filling the returns …", flush=True)
            files = fill_returns(folder, inbox, workers)
            (root / BUILT).write_text(json.dumps({"units": count, "files": files}), "utf-8")
        for stage in (*(only or STAGES[1:]), FLOOR):
            stages[stage] = measure(stage, folder, inbox, files if stage == FLOOR else count, profile(stage))
            print(f"{stage} {stages[stage]['seconds']:.1f} s", flush=True)
        if profiled:
            show_profiles(profiles, profiled)
    figures = ratios(stages)
    large = {} if only else save(results, count, files, stages, figures)
    show(count, files, stages, figures, large)
    print("not saved: a run of some stages only" if only else f"written: {results}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1000, help="units on the synthetic roster (default 1000)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the figures (JSON)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes filling the returns")
    parser.add_argument("--keep", type=Path, help="build the campaign in this folder and keep it")
    parser.add_argument("--only", default="", metavar="STAGES",
                        help="with --keep on a campaign built before: measure only these stages (after ingest: "
                             "validate,score,report,notice,letters) and the floor again, e.g. score,report")
    parser.add_argument("--profile", default="", metavar="STAGES",
                        help="stages to run under cProfile, e.g. generate,ingest (their times include it)")
    parser.add_argument("--profile-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stage", choices=(*STAGES, FLOOR), help=argparse.SUPPRESS)
    parser.add_argument("--workspace", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inbox", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.workspace, args.inbox, args.profile_dir)))
        return
    if args.units < 3:
        parser.error("--units: at least 3")
    profiled = [stage for stage in args.profile.split(",") if stage]
    unknown = set(profiled) - {*STAGES, FLOOR}
    if unknown:
        parser.error(f"--profile: no stage {', '.join(sorted(unknown))}")
    only = [stage for stage in args.only.split(",") if stage]
    if set(only) - set(STAGES[2:]):
        parser.error(f"--only: choose among {','.join(STAGES[2:])}")
    if only and (args.keep is None or not (args.keep / BUILT).is_file()):
        parser.error("--only: name with --keep the folder of a campaign this script built and kept")
    bench(args.units, args.results, args.workers, args.keep, profiled, only)


if __name__ == "__main__":
    main()
