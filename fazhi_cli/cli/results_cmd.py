"""`fazhi review-sheet`, `fazhi score`, `fazhi report`, `fazhi notice` and `fazhi feedback-letters`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import typer
from rich.table import Table

from fazhi_cli import api
from fazhi_cli.cli.common import JsonOption, WorkspaceOption
from fazhi_cli.cli.output import console, note, print_json, safe
from fazhi_cli.errors import UsageError


def review_sheet(
    team: str = typer.Option(None, "--team", help="为这个考核组生成复核打分表(考核组名称写入文件名和表头)。"),
    unit: list[str] = typer.Option(None, "--unit", "-u",
                                   help="考核组负责的单位(可重复,须与 --team 同用);省略时为全部参加考核的单位。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """生成复核打分表(每种单位类型一份),放在工作区的 review/ 文件夹。

    每行一个已报送单位,预填当前计分;法制办改写需要调整的得分后,用 fazhi ingest 收回,
    核定得分即取代自评得分。再次生成时预填的是已核定的得分,不会丢失。
    加 --team 时生成该考核组的复核打分表,只含 --unit 列出的单位;两个考核组对同一单位同一项目
    核定的得分不一致时,两者都不采用,直到一方撤销或改为一致,或由法制办在本办的复核打分表中核定。

    示例:

      fazhi review-sheet

      fazhi review-sheet --team 第一考核组 --unit 区发改局 --unit 元坝镇

      fazhi ingest review/2017年度法治政府建设复核打分表_区级部门.xlsx
    """
    if unit and team is None:
        raise UsageError("--unit 须与 --team 同用", "例如:fazhi review-sheet --team 第一考核组 --unit 区发改局")
    for path in api.review_sheets(workspace, team, unit or None):
        console.print(f"[green]✓[/] 已生成 {safe(str(path))}")


def component_sheet(
    name: str = typer.Argument(..., metavar="评分构成", help="fazhi.toml 中设置的评分构成名称,例如 第三方评估。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """生成一项评分构成(如第三方评估)的评分构成表,放在工作区的 review/ 文件夹。

    每个参加该项评分的单位一行,列为 单位名称、得分(0 至 100)、说明;可把第三方机构的结果表粘贴进去。
    填好后用 fazhi ingest 文件路径 收回;综合得分 = 细则总分 × (100 − 各项权重之和)/100 + Σ 该项得分 × 权重/100,
    排名按综合得分。权重用 fazhi config set 评分构成.第三方评估 10 设置。

    示例:

      fazhi component-sheet 第三方评估

      fazhi ingest review/2017年度法治政府建设评分构成表_第三方评估.xlsx
    """
    path = api.component_sheet(name, workspace)
    console.print(f"[green]✓[/] 已生成 {safe(str(path))}")


def state_line(state: api.ResultsState) -> str:
    """Which results are shown, as a marked-up line: 初步结果(未经审定), or 审定结果 with approver and date."""
    colour = "bold green" if state.approved else "bold yellow"
    return f"[{colour}]{safe(state.headline)}[/]"


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else api.format_cents(value)


def scores_table(board: api.Scoreboard, unit_type: str) -> Table:
    """A ranked table of one unit type (section subtotals are in the Excel summary)."""
    type_rubric = board.rubric.for_type(unit_type)
    graded = bool(board.campaign.grades)
    components = board.campaign.component_weights(unit_type)
    table = Table(title=f"{safe(board.campaign.title)}{board.state.label} — {type_rubric.label}", title_justify="left")
    table.add_column("名次", justify="right", no_wrap=True)
    table.add_column("单位", no_wrap=True)
    columns = ("自评总分", "项目得分", "加分", "扣分", "总分")
    if components:  # the rubric's total, each component with its weight, the combined score
        columns += (*(f"{safe(name)}({api.format_cents(w).removesuffix('.00')}%)" for name, w in components.items()),
                    "综合得分")
    for column in (*columns, "折算分"):
        table.add_column(column, justify="right", no_wrap=True)
    if graded:
        table.add_column("等次", no_wrap=True)
    table.add_column("依据", no_wrap=True)
    table.add_column("备注")
    for r in board.of_type(unit_type):
        if r.status == api.MISSING:
            continue
        row = [str(r.rank), safe(r.unit), _fmt(r.claimed_total), _fmt(r.items_total), _fmt(r.bonus), _fmt(r.penalty)]
        if components:
            row += [_fmt(r.total), *(_fmt(r.components.get(name)) or "未录入" for name in components),
                    f"[bold]{_fmt(r.combined)}[/]"]
        else:
            row.append(f"[bold]{_fmt(r.total)}[/]")
        row.append(_fmt(r.converted))
        if graded:
            row.append(safe(r.grade or ""))
        table.add_row(*row, api.BASIS_LABELS[r.basis], _remark(r))
    missing = [r.unit for r in board.of_type(unit_type) if r.status == api.MISSING]
    captions = [safe(api.combination_text(components))] if components else []
    if missing:
        captions.append(f"未报送(不排名){len(missing)} 个:{'、'.join(safe(m) for m in missing)}")
    if captions:
        table.caption = "\n".join(captions)
        table.caption_justify = "left"
    return table


def _remark(result: api.UnitResult) -> str:
    """Why a result is provisional: its validation errors, the score components not entered yet."""
    if not result.provisional:
        return ""
    reasons = [f"{result.errors} 个错误"] if result.errors else []
    reasons += [f"未录入{safe(name)}" for name in result.components_missing]
    return f"[red]暂定:{'、'.join(reasons)}[/]"


def score(as_json: bool = JsonOption, workspace: Path = WorkspaceOption) -> None:
    """计算各单位得分和排名(按单位类型分别排名)。

    有核定得分的项目按核定得分计,否则按自评得分(不超过其填报情形对应的得分上限)计;
    总分 = 项目得分(各项计分得分之和)+ 特别加分 − 特别扣分;“自评总分”为单位自评表所填,
    与总分之差见 fazhi report 的“自评与核定对比”。设有评分构成(如第三方评估)时,综合得分 =
    总分 × (100 − 各项权重之和)/100 + Σ 该项得分 × 权重/100,排名、折算分和等次按综合得分;
    折算分 = 总分(综合得分)× 权重 / 100,权重按单位类型在
    fazhi.toml 的 [weights] 中设置,未设置的那类单位不显示折算分。
    未报送的单位列为“未报送”,不参加排名;尚有校验错误的单位标为“暂定”。
    审定前为“初步结果(未经审定)”;fazhi approve 审定后按冻结的快照显示“审定结果”。

    示例:

      fazhi score

      fazhi score --json > 得分.json
    """
    board = api.score(workspace)
    if as_json:
        print_json(api.score_compared_json(board, workspace))
        return
    console.print(state_line(board.state))
    print_score_tables(board)
    for unit_type in board.campaign.weights_missing(board.rubric.types):
        note(f"[yellow]{safe(api.missing_weight_message(unit_type))}[/]")
    provisional = board.provisional_count
    if provisional:
        waiting = sum(1 for r in board.results if r.components_missing)
        if waiting:
            note(f"[yellow]{provisional} 个单位的结果为暂定[/](尚有校验错误或评分构成未录入:fazhi validate 查看错误,"
                 "fazhi component-sheet 名称 生成评分构成表)。")
        else:
            note(f"[yellow]{provisional} 个单位的结果为暂定[/](尚有校验错误,fazhi validate 查看)。")


def report(
    ranks: bool = typer.Option(False, "--ranks", help="审定前的反馈页也显示名次和同类平均(默认审定后才显示)。"),
    workspace: Path = WorkspaceOption,
) -> None:
    """生成考核结果:汇总表(Excel)、区级汇总页 summary.html 和每个单位的反馈页,放在 reports/。

    汇总表按单位类型分别排名,含明细、自评与核定对比、未报送单位和总分图表;
    反馈页列出逐项得分、扣分情形、需要改进的方面和工作任务进展。
    审定前各报告标明“初步结果(未经审定)”,反馈页不显示名次(加 --ranks 则显示);
    审定后按冻结的快照出具,标明“审定结果”及审定机关、日期。
    工作区中若有 templates/ 文件夹,其中的同名模板优先使用,可据此调整措辞。

    示例:

      fazhi report

      fazhi report --ranks
    """
    files = api.report(workspace, ranks)
    console.print(f"[green]✓[/] 汇总表:{safe(str(files.summary_workbook))}")
    console.print(f"[green]✓[/] 汇总页:{safe(str(files.summary_page))}")
    console.print(f"[green]✓[/] 反馈页:{len(files.feedback_pages)} 个,在 {safe(str(files.feedback_folder))}")
    console.print(state_line(files.state))


NoPdfOption = typer.Option(False, "--no-pdf", help="不调用 LibreOffice 生成 PDF,只生成 Word 文档。")


def _pdf_note(text: str) -> None:
    if text:
        note(f"[yellow]{safe(text)}[/]")


def notice(
    doc_no: str = typer.Option(
        None, "--doc-no", help="发文字号,例如 昭府法办〔2018〕1号;省略时用 fazhi.toml 中的设置([documents] doc_no)。"),
    no_pdf: bool = NoPdfOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """生成考核结果公文(Word,按 GB/T 9704 党政机关公文格式),放在 reports/。

    结果审定前为“关于考核初步结果的请示”(报区政府审定,标注征求意见稿),审定后为“考核结果通报”。
    正文按计分结果写成:各类单位参加和报送情况、得分分布、排名靠前的单位、失分较多的项目、
    被特别扣分的单位和整改要求;附件为各类单位的排名表。装有 LibreOffice 时同时生成 PDF。
    发文机关、主送机关、抄送机关等在 fazhi.toml 的 [documents] 中设置;工作区 templates/ 中的
    notice.docx 优先于内置模板。

    示例:

      fazhi notice

      fazhi notice --doc-no 昭府法办〔2018〕3号
    """
    made = api.notice(workspace, doc_no, pdf=not no_pdf)
    console.print(f"[green]✓[/] {safe(made.state.label)}:{safe(str(made.document))}")
    if made.pdf:
        console.print(f"[green]✓[/] PDF:{safe(str(made.pdf))}")
    _pdf_note(made.pdf_note)


def feedback_letters(
    units: list[str] = typer.Option(None, "--unit", help="只为这个单位生成(可重复);省略时为全部已报送单位生成。"),
    ranks: bool = typer.Option(False, "--ranks", help="在审定前也写明名次(审定后按 show_rank_in_feedback 设置写明)。"),
    no_pdf: bool = NoPdfOption,
    workspace: Path = WorkspaceOption,
) -> None:
    """为每个已报送单位生成考核反馈函(Word,GB/T 9704 格式),放在 reports/反馈函/。

    写明单位的考核得分(审定后或加 --ranks 时写明名次)、逐项失分情形和法制办核定理由、
    单位自己的扣分说明、自评与考核得分的差异和整改要求。装有 LibreOffice 时同时生成 PDF
    (全部反馈函一次转换)。工作区 templates/ 中的 feedback-letter.docx 优先于内置模板。

    示例:

      fazhi feedback-letters

      fazhi feedback-letters --unit 区发改局 --ranks --no-pdf
    """
    made = api.feedback_letters(workspace, units or None, ranks, pdf=not no_pdf)
    console.print(f"[green]✓[/] 反馈函({safe(made.state.label)}):{len(made.documents)} 份,在 {safe(str(made.folder))}")
    if made.pdfs:
        console.print(f"[green]✓[/] PDF:{len(made.pdfs)} 份")
    if made.not_returned:
        note(f"未报送、不出具反馈函的单位 {len(made.not_returned)} 个:{'、'.join(safe(u) for u in made.not_returned)}")
    _pdf_note(made.pdf_note)


def print_score_tables(board: api.Scoreboard) -> None:
    """Each unit type's ranking table, each capped grade's note under it (max_share: the places, who moved down)."""
    for unit_type in board.rubric.types:
        console.print(scores_table(board, unit_type))
        for cap in board.model.caps_of(unit_type):
            note(f"{safe(board.rubric.for_type(unit_type).label)}:{safe(cap.text)}。")
