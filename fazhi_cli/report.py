"""`fazhi report`: the summary workbook, the district summary page and one feedback page per scored unit.

This module turns the scoreboard into plain data for the templates (and charts); the wording lives in
the Jinja2 templates, which a workspace may override.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from fazhi_cli import charts
from fazhi_cli.domain import scoring
from fazhi_cli.domain.kinds import kind_of
from fazhi_cli.domain.numbers import cents
from fazhi_cli.domain.results import BASIS_LABELS, MISSING, SELF, UnitResult
from fazhi_cli.domain.rubric import Item, Rule
from fazhi_cli.domain.text import safe_file_component
from fazhi_cli.domain.units import Unit
from fazhi_cli.files import atomic_write
from fazhi_cli.render import environment, load_template, render
from fazhi_cli.report_excel import summary_file_name, write_summary_workbook
from fazhi_cli.scores import Scoreboard, compute_scores
from fazhi_cli.workspace import Workspace

STATUSES = ("已完成", "推进中", "未启动")
BINS = ((Decimal(0), "60 以下"), (Decimal(60), "60–70"), (Decimal(70), "70–80"), (Decimal(80), "80–90"),
        (Decimal(90), "90–100"), (Decimal(100), "100 以上"))


@dataclass(frozen=True)
class ReportFiles:
    """What `fazhi report` wrote."""

    summary_workbook: Path
    summary_page: Path
    feedback_pages: list[Path]


def feedback_file_name(unit: str) -> str:
    """`<单位名称>.html` (the name made safe for every file system)."""
    return f"{safe_file_component(unit)}.html"


def describe_rule(rule: Rule, facts: dict) -> str | None:
    """The deduction a rule made, with the fact behind it, in words; None when it deducted nothing."""
    amount = scoring.rule_deduction(rule, facts)
    if not amount:
        return None
    return kind_of(rule).describe(rule, facts, amount)


def _type_averages(board: Scoreboard, unit_type: str) -> dict[str, Decimal]:
    scored = [r for r in board.results if r.type == unit_type and r.status != MISSING]
    if not scored:
        return {}
    return {
        item.id: sum((r.items[item.id].score for r in scored), Decimal(0)) / len(scored)
        for item in board.rubric.for_type(unit_type).items
    }


def _ranking_rows(results: list[UnitResult]) -> list[dict]:
    return [
        {"rank": r.rank, "unit": r.unit, "total": r.total, "self_total": r.self_total, "converted": r.converted,
         "grade": r.grade, "basis": BASIS_LABELS[r.basis], "provisional": r.provisional, "errors": r.errors,
         "bonus": r.bonus, "penalty": r.penalty}
        for r in results if r.status != MISSING
    ]


def _histogram(results: list[UnitResult]) -> str:
    counts = Counter()
    for r in results:
        if r.total is None:
            continue
        label = next(name for low, name in reversed(BINS) if r.total >= low)
        counts[label] += 1
    return charts.histogram([(name, counts[name]) for _, name in BINS], "总分分布")


def _gaps(board: Scoreboard, limit: int = 15) -> list[dict]:
    gaps = []
    for r in board.results:
        for item_id, item in r.items.items():
            if item.office is not None and item.office != item.self_score:
                name = board.rubric.for_type(r.type).item(item_id).name
                gaps.append({"unit": r.unit, "item": item_id, "name": name, "self": item.self_score,
                             "office": item.score, "diff": item.score - item.self_score})
    return sorted(gaps, key=lambda g: (-abs(g["diff"]), g["unit"], g["item"]))[:limit]


def _task_rows(board: Scoreboard) -> list[dict]:
    rows = []
    returned = {r.unit for r in board.results if r.status != MISSING}
    units = [u for u in board.units if u.name in returned]
    for task in board.rubric.tasks:
        counts = Counter()
        for unit in units:
            if not task.applies_to(unit.name, unit.type):
                continue
            status = board.task_status.get(unit.name, {}).get(task.number, ("", ""))[0]
            counts[status if status in STATUSES else "未填"] += 1
        rows.append({"number": task.number, "title": task.title, **{s: counts[s] for s in (*STATUSES, "未填")},
                     "total": sum(counts.values())})
    return rows


def summary_context(board: Scoreboard) -> dict:
    """Everything summary.html shows, as plain data (charts as escaped SVG markup)."""
    types = []
    for unit_type in board.rubric.types:
        type_rubric = board.rubric.for_type(unit_type)
        results = board.of_type(unit_type)
        ranked = [r for r in results if r.status != MISSING]
        loss = board.item_loss(unit_type).sort_values("loss_rate", ascending=False)
        loss_rows = loss.to_dict("records")
        types.append({
            "label": type_rubric.label,
            "rows": _ranking_rows(results),
            "missing": [r.unit for r in results if r.status == MISSING],
            "average": (sum((r.total for r in ranked), Decimal(0)) / len(ranked)) if ranked else None,
            "chart": Markup(charts.horizontal_bars(
                [r.unit for r in ranked], [r.total for r in ranked], board.rubric.max_total(unit_type),
                f"{type_rubric.label}总分")) if ranked else "",
            "loss": loss_rows[:6],
            "loss_chart": Markup(charts.horizontal_bars(
                [f"{row['item']} {row['name'][:8]}" for row in loss_rows[:6]],
                [cents(Decimal(row["loss_rate"]) * 100) for row in loss_rows[:6]], Decimal(100),
                f"{type_rubric.label}平均失分率", "%")) if loss_rows else "",
        })
    units_by_name = {u.name: u for u in board.units}
    missing = [units_by_name[r.unit] for r in board.results if r.status == MISSING]
    tasks = _task_rows(board)
    scored = [r for r in board.results if r.status != MISSING]
    return {
        "campaign": board.campaign,
        "rubric": board.rubric,
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "headline": {
            "units": len(board.results), "returned": len(scored), "missing": len(missing),
            "reviewed": sum(1 for r in scored if r.basis != SELF),
            "provisional": sum(1 for r in scored if r.provisional),
        },
        "types": types,
        "histogram": Markup(_histogram(board.results)),
        "gaps": _gaps(board),
        "missing": missing,
        "tasks": tasks,
        "tasks_chart": Markup(charts.stacked_bars(
            [f"任务{t['number']}" for t in tasks], [[t[s] for s in (*STATUSES, "未填")] for t in tasks],
            (*STATUSES, "未填报"), "工作任务完成情况")),
    }


def feedback_context(board: Scoreboard, unit: Unit, averages: dict[str, Decimal]) -> dict:
    """Everything one unit's feedback page shows (`averages`: the type's average per item)."""
    result = board.result(unit.name)
    type_rubric = board.rubric.for_type(unit.type)
    checked = next(r for r in board.validation.results if r.unit.name == unit.name)
    facts = checked.interpreted.facts
    show_others = board.campaign.show_rank_in_feedback
    averages = averages if show_others else {}
    notes = board.notes.get(unit.name, {})
    items, improve = [], []
    for item in type_rubric.items:
        counted = result.items[item.id]
        deductions = [text for rule in item.rules if (text := describe_rule(rule, facts))]
        items.append({"id": item.id, "name": item.name, "max": item.max, "claimed": counted.claimed,
                      "ceiling": counted.ceiling, "office": counted.office, "score": counted.score,
                      "deductions": deductions, "note": notes.get(item.id, ""), "average": averages.get(item.id)})
        if counted.score < item.max:
            improve.append(_improvement(item, counted.score))
    improve.sort(key=lambda row: -row["lost"])
    of_type = [r for r in board.results if r.type == unit.type and r.status != MISSING]
    progress = board.task_status.get(unit.name, {})
    tasks = [
        {"number": t.number, "title": t.title, "status": progress.get(t.number, ("", ""))[0],
         "note": progress.get(t.number, ("", ""))[1]}
        for t in board.rubric.tasks_for(unit.name, unit.type)
    ]
    bonus_lines = [text for rule in board.rubric.special.bonus if (text := describe_rule(rule, facts))]
    penalty_lines = [text for rule in board.rubric.special.penalty if (text := describe_rule(rule, facts))]
    return {
        "campaign": board.campaign,
        "unit": unit,
        "type_label": type_rubric.label,
        "result": result,
        "basis": BASIS_LABELS[result.basis],
        "show_rank": show_others,
        "of": len(of_type),
        "items": items,
        "improve": improve,
        "bonus_lines": bonus_lines,
        "penalty_lines": penalty_lines,
        "tasks": tasks,
        "materials": board.materials.get(unit.name, []),
        "findings": [f.message for f in checked.findings if f.severity == "error"],
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def _improvement(item: Item, score: Decimal) -> dict:
    return {"id": item.id, "name": item.name, "lost": item.max - score, "content": item.content,
            "standard": item.standard}


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda part: part.write_text(text, encoding="utf-8"))


def write_reports(workspace: Workspace) -> ReportFiles:
    """Write the summary workbook, summary.html and feedback/<单位>.html for every scored unit."""
    board = compute_scores(workspace)
    reports = workspace.reports
    feedback_folder = reports / "feedback"
    feedback_folder.mkdir(parents=True, exist_ok=True)
    env = environment(workspace.templates_override)
    workbook = reports / summary_file_name(board.campaign.year)
    write_summary_workbook(board, workbook)
    summary = reports / "summary.html"
    _write_text(summary, render(load_template(env, "summary.html.j2"), summary_context(board)))
    pages = []
    template = load_template(env, "feedback.html.j2")
    averages = {unit_type: _type_averages(board, unit_type) for unit_type in board.rubric.types}
    for unit in board.units:
        if board.result(unit.name).status == MISSING:
            continue
        page = feedback_folder / feedback_file_name(unit.name)
        _write_text(page, render(template, feedback_context(board, unit, averages[unit.type])))
        pages.append(page)
    return ReportFiles(workbook, summary, pages)
