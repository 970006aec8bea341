"""`fazhi report`: the summary workbook, the district summary page and one feedback page per scored unit.

This module only formats: every figure and every deduction's wording comes from the results model
(`Scoreboard.model`, computed by `domain.report_model`); it maps the model onto the names the Jinja2
templates use (which a workspace may override) and draws the charts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from fazhi_cli.approval import results_in_force
from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.comparison import UnitComparison, change_label, change_words
from fazhi_cli.domain.grades import GradeCap
from fazhi_cli.domain.rectification import CLOSED, IN_PROGRESS, OPEN, REPORTED
from fazhi_cli.domain.rectify_text import NO, unit_row
from fazhi_cli.domain.report_model import STATUSES, UNFILLED, TypeSummary, explain_rule
from fazhi_cli.domain.results import BASIS_LABELS, UnitResult, provisional_remark
from fazhi_cli.domain.rubric import Rule
from fazhi_cli.domain.units import Unit
from fazhi_cli.history.compare import comparisons
from fazhi_cli.infra.files import atomic_write, atomic_write_all
from fazhi_cli.infra.parallel import start_beside
from fazhi_cli.rectify import RectifyView, rectify_view
from fazhi_cli.reports import charts
from fazhi_cli.reports.excel import write_summary_workbook
from fazhi_cli.reports.render import environment, load_template, render
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.workspace import Workspace, feedback_file_name, summary_file_name

PAGE_WINDOW = 64  # pages rendered and written together (bounded memory)
BESIDE_FROM = 8  # from this many pages, the summary workbook is written by a forked copy beside them,
BESIDE_UP_TO = 4000  # up to this many: beyond, the copy's workbook and the pages together would pass 1 GB
LOSS_ROWS = 6  # items shown under 失分较多的项目
PERCENT_SCALE = Decimal(100)  # the loss-rate chart's axis runs to 100%


@dataclass(frozen=True)
class ReportFiles:
    """What `fazhi report` wrote."""

    summary_workbook: Path
    summary_page: Path
    feedback_pages: list[Path]
    state: ResultsState = ResultsState()  # which results they show

    @property
    def feedback_folder(self) -> Path:
        """Where the feedback pages are (reports/feedback/)."""
        return self.summary_page.parent / "feedback"




def describe_rule(rule: Rule, facts: dict) -> str | None:
    """The deduction a rule made, with the fact behind it, in words; None when it deducted nothing."""
    explained = explain_rule(rule, facts)
    return None if explained is None else explained.text


def _lines(deductions) -> list[str]:
    return [d.text for d in deductions]


def _ranking_rows(results: list[UnitResult]) -> list[dict]:
    return [
        {"rank": r.rank, "unit": r.unit, "total": r.total, "claimed_total": r.claimed_total,
         "items_total": r.items_total, "converted": r.converted,
         "grade": r.grade, "basis": BASIS_LABELS[r.basis], "provisional": r.provisional, "errors": r.errors,
         "bonus": r.bonus, "penalty": r.penalty, "components": r.components, "combined": r.combined,
         "components_missing": r.components_missing, "remark": provisional_remark(r)}
        for r in results
    ]


def _loss_rows(summary: TypeSummary) -> list[dict]:
    return [{"item": loss.item, "name": loss.name, "max": loss.max, "average": loss.average,
             "loss_rate": loss.loss_rate} for loss in summary.losses[:LOSS_ROWS]]


Compared = tuple[int, dict[str, UnitComparison]] | None  # (last kept year, each unit's comparison) or None


def _with_previous(rows: list[dict], compared: dict[str, UnitComparison]) -> list[dict]:
    """Each ranking row with 上年得分, 上年名次 and 升降 (None / "—" for a unit not in last year's results)."""
    out = []
    for row in rows:
        found = compared.get(row["unit"])
        previous = found.previous if found is not None else None
        out.append({**row, "previous_total": previous.total if previous is not None else None,
                    "previous_rank": previous.rank if previous is not None else None,
                    "change": change_label(found)})
    return out


def _compare_chart(summary: TypeSummary, year: int, last: int, compared: dict[str, UnitComparison]) -> Markup:
    """This year's total against last year's, per unit of the type."""
    ranked = list(summary.ranked)
    before = [compared[r.unit].previous.total if r.unit in compared and compared[r.unit].previous is not None
              else None for r in ranked]
    return Markup(charts.paired_bars([r.unit for r in ranked], [r.total for r in ranked], before,
                                     summary.max_total, f"{summary.label}总分:{year}年度与{last}年度",
                                     (f"{year}年度", f"{last}年度")))


def _type_context(summary: TypeSummary, weight: Decimal | None, year: int = 0, compared: Compared = None,
                  caps: tuple[GradeCap, ...] = ()) -> dict:
    ranked = summary.ranked
    losses = summary.losses[:LOSS_ROWS]
    rows = _ranking_rows(list(ranked))
    return {
        "compared_year": compared[0] if compared else None,
        "rows": _with_previous(rows, compared[1]) if compared else rows,
        "compare_chart": _compare_chart(summary, year, compared[0], compared[1]) if compared and ranked else "",
        "label": summary.label,
        "components": list(summary.components),  # (name, weight): none without [components]
        "combination": summary.combination,
        "grade_caps": [cap.text for cap in caps] if ranked else [],  # the note under the ranking (max_share)
        "weight": weight,  # None: not set in fazhi.toml, no converted scores
        "missing": list(summary.missing),
        "average": summary.average_total,
        "chart": Markup(charts.horizontal_bars(
            [r.unit for r in ranked], [r.total for r in ranked], summary.max_total,
            f"{summary.label}总分")) if ranked else "",
        "loss": _loss_rows(summary),
        "loss_chart": Markup(charts.horizontal_bars(
            [f"{loss.item} {loss.name[:8]}" for loss in losses], [loss.loss_percent for loss in losses],
            PERCENT_SCALE, f"{summary.label}平均失分率", "%")) if losses else "",
    }


def rectify_context(view: RectifyView | None) -> dict | None:
    """The 整改进度 summary.html shows: the counts by state, the units overdue and one row per owing unit; None (no
    section) before the approval or when no unit owes 整改."""
    if view is None or not view.units:
        return None
    summary = view.summary
    rows = [{**vars(row), "overdue": row.overdue != NO}
            for row in (unit_row(u, view.today, view.deadline) for u in view.units)]
    return {"deadline": view.deadline.isoformat(), "today": view.today.isoformat(), "units": summary.units,
            "problems": summary.items, "closed": summary.by_state[CLOSED], "reported": summary.by_state[REPORTED],
            "in_progress": summary.by_state[IN_PROGRESS], "open": summary.by_state[OPEN],
            "overdue": list(summary.overdue), "past_deadline": view.today > view.deadline, "rows": rows}


def summary_rectify(workspace: Workspace, board: Scoreboard) -> RectifyView | None:
    """Where the 整改 stands for the summary: only once the results are approved (before, nothing is owed)."""
    return rectify_view(workspace, board=board) if board.state.approved else None


def summary_context(board: Scoreboard, rectify: RectifyView | None = None, compared: Compared = None) -> dict:
    """Everything summary.html shows, as plain data (charts as escaped SVG markup); `rectify` the 整改 once approved
    (`summary_rectify`); `compared` this year against the last kept year (`history.compare.comparisons`)."""
    model = board.model
    headline = model.headline
    tasks = [{"number": t.number, "title": t.title, **t.counts, "total": t.total} for t in model.tasks]
    return {
        "campaign": board.campaign,
        "rubric": board.rubric,
        "state": _state_context(board),
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "headline": {"units": headline.units, "returned": headline.returned, "missing": headline.missing,
                     "reviewed": headline.reviewed, "provisional": headline.provisional},
        "types": [_type_context(summary, board.campaign.weight(summary.type), board.campaign.year, compared,
                                model.caps_of(summary.type)) for summary in model.types],
        "histogram": Markup(charts.histogram(list(model.distribution), "总分分布")),
        "gaps": [{"unit": g.unit, "item": g.item, "name": g.name, "self": g.self_score, "office": g.office,
                  "diff": g.difference} for g in model.largest_gaps],
        "missing": list(model.missing),
        "teams": [{"team": t.team, "units": list(t.units), "values": t.values, "conflicts": t.conflicts}
                  for t in board.teams],
        "tasks": tasks,
        "tasks_chart": Markup(charts.stacked_bars(
            [f"任务{t.number}" for t in model.tasks],
            [[t.counts[s] for s in (*STATUSES, UNFILLED)] for t in model.tasks],
            (*STATUSES, "未填报"), "工作任务完成情况")),
        "rectify": rectify_context(rectify),
    }


def _state_context(board: Scoreboard) -> dict:
    """Which results a page shows: 初步结果(未经审定) or 审定结果 with the approver, date and document number."""
    state = board.state
    return {"approved": state.approved, "label": state.label, "headline": state.headline, "by": state.by,
            "date": state.date, "doc_no": state.doc_no}


def shows_ranks(board: Scoreboard, ranks: bool = False) -> bool:
    """Whether feedback pages show the unit's rank and the other units' averages: once approved (unless fazhi.toml
    says never), and before that only when the clerk asks (`fazhi report --ranks`)."""
    return ranks or (board.state.approved and board.campaign.show_rank_in_feedback)


def previous_context(compared: Compared, unit: str, show_rank: bool) -> dict | None:
    """The feedback page's line on last year (its score, rank and the places moved, the items lost in both years,
    last year's 整改 items not closed); None when no year is kept or the unit is not in it."""
    found = compared[1].get(unit) if compared else None
    if found is None or found.previous is None:
        return None
    previous = found.previous
    return {"year": compared[0], "total": previous.total, "rank": previous.rank if show_rank else None,
            "moved": change_words(found.change) if show_rank else "", "repeated": list(found.repeated),
            "open_rectify": list(found.open_rectify)}


def _evidence_lines(checked, ref: str) -> list[dict]:
    """The files an item's 佐证材料 names, each with whether it was received (for the unit's own page)."""
    found = checked.evidence.get(ref) if checked is not None else None
    return [{"name": named.name, "received": bool(named.found)} for named in found.named] if found else []


def feedback_context(board: Scoreboard, unit: Unit, ranks: bool = False, compared: Compared = None) -> dict:
    """Everything one unit's feedback page shows (ranks as `shows_ranks` decides; last year's line with
    `compared`)."""
    report = board.model.units[unit.name]
    checked = board.checked(unit.name)
    show_others = shows_ranks(board, ranks)
    items = [
        {"id": line.id, "name": line.name, "max": line.max, "claimed": line.claimed, "ceiling": line.ceiling,
         "office": line.office, "score": line.score, "deductions": _lines(line.deductions), "note": line.note,
         "average": line.average if show_others else None,
         "office_reason": line.reason if line.office_changed else "", "ledger": list(line.ledger),
         "evidence": _evidence_lines(checked, line.id)}
        for line in report.items
    ]
    improve = [{"id": line.id, "name": line.name, "lost": line.lost, "why": list(line.why),
                "ledger": list(line.ledger)} for line in report.improve]
    return {
        "campaign": board.campaign,
        "state": _state_context(board),
        "unit": unit,
        "type_label": report.type_label,
        "result": report.result,
        "component_text": report.component_text,  # "" without [components]
        "combination": board.model.of_type(unit.type).combination,
        "weight": board.campaign.weight(unit.type),  # None: not set, the converted score is not shown
        "basis": report.basis_label,
        "show_rank": show_others,
        "of": report.of,
        "items": items,
        "improve": improve,
        "bonus_lines": _lines(report.bonus_lines),
        "penalty_lines": _lines(report.penalty_lines),
        "bonus_reason": next((d.reason for d in report.differences if d.ref == "特别加分"), ""),
        "penalty_reason": next((d.reason for d in report.differences if d.ref == "特别扣分"), ""),
        "tasks": [{"number": t.number, "title": t.title, "status": t.status, "note": t.note} for t in report.tasks],
        "materials": board.materials.get(unit.name, []),
        "findings": [f.message for f in checked.findings if f.severity == "error"],
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "previous": previous_context(compared, unit.name, show_others),
    }


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda part: part.write_text(text, encoding="utf-8"))


def write_reports(workspace: Workspace, ranks: bool = False) -> ReportFiles:
    """Write the summary workbook, summary.html and feedback/<单位>.html for every scored unit, from the results in
    force (the approved snapshot once approved); `ranks` shows ranks in preliminary feedback pages."""
    board = results_in_force(workspace)
    reports = workspace.reports
    feedback_folder = reports / "feedback"
    feedback_folder.mkdir(parents=True, exist_ok=True)
    env = environment(workspace.templates_override)
    workbook = reports / summary_file_name(board.campaign.year)
    summary = reports / "summary.html"
    returned = [(unit, feedback_folder / feedback_file_name(unit.name)) for unit in board.units
                if unit.name in board.model.units]  # a unit that returned nothing has no page
    compared = comparisons(workspace, board)
    beside = (start_beside(lambda: write_summary_workbook(board, workbook, compared))
              if BESIDE_FROM <= len(returned) <= BESIDE_UP_TO else None)
    try:
        page = summary_context(board, summary_rectify(workspace, board), compared)
        _write_text(summary, render(load_template(env, "summary.html.j2"), page))
        template = load_template(env, "feedback.html.j2")
        _write_pages(returned, lambda unit: render(template, feedback_context(board, unit, ranks, compared)))
    finally:
        made_beside = beside is not None and beside.succeeded()  # never left running past this call
    if not made_beside:
        write_summary_workbook(board, workbook, compared)  # here, its failure is raised with its message
    return ReportFiles(workbook, summary, [page for _, page in returned], board.state)


def _write_pages(pages: list[tuple[Unit, Path]], page_text: Callable[[Unit], str]) -> None:
    """Render and write each unit's page a window at a time (one wait on the disk for a window), in order: a
    thread writes one window while the next is rendered, so the disk's waits overlap the rendering. A failure
    stops the writing (nothing is written after a window that failed) and is raised."""
    with ThreadPoolExecutor(1) as writer:
        pending: Future | None = None
        for start in range(0, len(pages), PAGE_WINDOW):
            files = [(page, page_text(unit).encode("utf-8")) for unit, page in pages[start:start + PAGE_WINDOW]]
            if pending is not None:
                pending.result()
            pending = writer.submit(atomic_write_all, files)
        if pending is not None:
            pending.result()
