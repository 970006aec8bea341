"""The words of the official documents: the 通报 (or, before approval, the 请示 of the 初步结果) and each
unit's 反馈函, composed from the results model.

Pure code over plain data (standard library only): every figure comes from `domain.report_model`'s
`ResultsModel` and `UnitReport`, every sentence is put together here, and the Word templates only lay the
result out (`fazhi_cli.documents`). Unit-supplied text (names, 扣分说明) is carried as it is: escaping
belongs to the document writer.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.domain.approval import PRELIMINARY_LABEL, ResultsState
from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.comparison_text import Compared, letter_comparison, notice_comparison
from fazhi_cli.domain.component_text import counted, letter_provisional, overview_sentences, ranking_notes
from fazhi_cli.domain.grade_text import grade_spread
from fazhi_cli.domain.grades import GradeCap
from fazhi_cli.domain.numbers import format_cents, plain_number
from fazhi_cli.domain.report_model import TOTAL_REF, ResultsModel, TypeSummary, UnitReport
from fazhi_cli.domain.results import BASIS_SENTENCES, SELF, UnitResult
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.typography import title_lines

LEADING = 3  # units named as leading, per unit type
MOST_LOST = 3  # items named as most often lost, per unit type
LINE_CHARACTERS = 28  # GB/T 9704: 28 characters a line
SIGNATURE_RIGHT = 2  # the 发文机关署名 ends two characters from the right (右空二字)
DATE_SHIFT = 2  # the 成文日期 starts two characters right of the 署名 (首字右移二字)
NUMERALS = "一二三四五六七八九十"
IDEOGRAPHIC_SPACE = "\u3000"
PRELIMINARY_MARK = f"征求意见稿 {PRELIMINARY_LABEL}"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document's body: a level-one heading (一、……) or running text."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class RankingRow:
    """One line of a ranked table, as printed."""

    rank: str
    unit: str
    total: str
    grade: str
    converted: str


@dataclass(frozen=True)
class RankingTable:
    """One 附件: the ranked units of one unit type, with the columns the campaign's settings call for."""

    number: int
    label: str  # 附件1
    title: str
    graded: bool  # 等次 column (the campaign sets grades)
    weighted: bool  # 折算分 column (the type's weight is set)
    rows: tuple[RankingRow, ...]
    note: str  # units that returned nothing, provisional results
    title_lines: tuple[str, ...] = ()  # the title broken by meaning


@dataclass(frozen=True)
class Signature:
    """The 发文机关署名 and the 成文日期, each padded on the left with ideographic spaces to its place."""

    issuer: str
    date: str


@dataclass(frozen=True)
class Notice:
    """The 通报 (approved results) or the 请示 (preliminary results), ready to lay out."""

    approved: bool
    state: str  # 审定结果 / 初步结果(未经审定)
    draft: str  # the 征求意见稿 mark of a preliminary document ("" once approved)
    mark: str  # 发文机关标志
    doc_no: str
    title: str
    recipient: str  # 主送机关, with its colon
    body: tuple[Paragraph, ...]
    attachment_lines: tuple[str, ...]  # 附件说明
    signature: Signature
    note: str  # 附注 (a 请示 names its contact)
    attachments: tuple[RankingTable, ...]
    copy_to: str
    printer: str
    printed: str  # 印发日期
    signer: str = ""  # a 请示's 签发人 (blank: room to sign by hand)
    record_on_next_page: bool = False  # the 版记 goes to the next page (the body ends on an odd page)
    title_lines: tuple[str, ...] = ()  # the title broken by meaning (`typography.title_lines`)


@dataclass(frozen=True)
class LostLine:
    """One item where the unit lost points, for the letter's table."""

    id: str
    name: str
    max: str
    score: str
    lost: str
    reasons: str


@dataclass(frozen=True)
class Letter:
    """One unit's 反馈函, ready to lay out."""

    approved: bool
    state: str
    draft: str
    mark: str
    title: str
    unit: str
    recipient: str
    before: tuple[Paragraph, ...]  # up to the table of lost items
    lost: tuple[LostLine, ...]
    after: tuple[Paragraph, ...]
    signature: Signature
    note: str
    title_lines: tuple[str, ...] = ()  # the title broken by meaning (`typography.title_lines`)


def chinese_date(day: dt.date) -> str:
    """A date as official documents write it, in Arabic numerals: 2018年1月15日."""
    return f"{day.year}年{day.month}月{day.day}日"


def display_width(text: str) -> float:
    """The width of a line in characters: a wide (CJK) character counts 1, any other half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def signature(issuer: str, date: dt.date, line: int = LINE_CHARACTERS) -> Signature:
    """The 署名 right-aligned two characters from the margin, the date below it starting two characters
    further right (GB/T 9704 7.3.5.2, a document without a seal); a date longer than that ends two
    characters from the margin and pushes the 署名 left by as much."""
    written = chinese_date(date)
    issuer_start = line - SIGNATURE_RIGHT - display_width(issuer)
    date_start = issuer_start + DATE_SHIFT
    overflow = date_start + display_width(written) - (line - SIGNATURE_RIGHT)
    if overflow > 0:
        issuer_start -= overflow
        date_start -= overflow
    return Signature(_pad(issuer, issuer_start), _pad(written, date_start))


def _pad(text: str, start: float) -> str:
    return IDEOGRAPHIC_SPACE * max(0, int(start)) + (" " if start - int(start) >= 0.5 else "") + text


def points(value: Decimal | None) -> str:
    """A score as the documents print it (two decimals), blank for none."""
    return "" if value is None else format_cents(value)


def full_marks(summary: TypeSummary) -> str:
    """The 满分 as the rubric sets it, the bonus said apart: “满分100分,另有特别加分最高5分”."""
    text = f"满分{plain_number(summary.full_marks)}分"
    return text + (f",另有特别加分最高{plain_number(summary.max_bonus)}分" if summary.max_bonus else "")


def _percent(rate: Decimal) -> str:
    return f"{rate * 100:.1f}%"


def _heading(number: int, text: str) -> Paragraph:
    return Paragraph(f"{NUMERALS[number - 1]}、{text}", heading=True)


def _names(names: Sequence[str]) -> str:
    return "、".join(names)


def _overview(model: ResultsModel) -> list[Paragraph]:
    parts = []
    for summary in model.types:
        taking_part = summary.returned + summary.missing_count
        sentence = f"{summary.label}应参加考核{taking_part}个单位,报送自评材料{summary.returned}个"
        if summary.missing:
            sentence += f",未报送{summary.missing_count}个({_names(summary.missing)})"
        parts.append(sentence)
    text = ";".join(parts) + "。"
    headline = model.headline
    if headline.reviewed:
        text += f"集中考核中,我办对{headline.reviewed}个单位的部分项目核定了得分。"
    text += overview_sentences(model)
    return [Paragraph(text)]


def _leading(summary: TypeSummary) -> str:
    named = [f"{r.unit}({points(counted(r))}分{',暂定' if r.provisional else ''})" for r in summary.ranked[:LEADING]]
    return f"{summary.label}得分前{len(named)}名依次为:{_names(named)}。"


def _against_last_year(model: ResultsModel, rubric: Rubric, compared: Compared | None) -> list[Paragraph]:
    if compared is None:
        return []
    sentences = notice_comparison(compared, rubric, {summary.type: summary.label for summary in model.types})
    return [Paragraph("".join(sentences))] if sentences else []


def _results(model: ResultsModel, attachments: Sequence[RankingTable], campaign: Campaign) -> list[Paragraph]:
    paragraphs = []
    for summary, table in zip(model.types, attachments, strict=True):
        if not summary.ranked:
            paragraphs.append(Paragraph(f"{summary.label}均未报送自评材料,不排名。"))
            continue
        text = (f"{summary.label}平均得分{points(summary.average_total)}分({full_marks(summary)})。"
                f"{_leading(summary)}各单位得分和名次见{table.label}。")
        paragraphs.append(Paragraph(text))
    spread = grade_spread(model, campaign)
    if spread:
        paragraphs.append(Paragraph(spread))
    return paragraphs


def _losses(model: ResultsModel, rubric: Rubric) -> list[Paragraph]:
    paragraphs = []
    for summary in model.types:
        items = {item.id: item for item in rubric.for_type(summary.type).items}
        lost = [loss for loss in summary.losses if loss.loss_rate > 0][:MOST_LOST]
        if not lost:
            continue
        rules = {rule.id: rule.text for item in items.values() for rule in item.rules}
        reports = [r for r in model.units.values() if r.result.type == summary.type and r.items]
        named = [f"“{loss.item} {loss.name}”,平均失分率{_percent(loss.loss_rate)},"
                 f"主要是{_why_lost(loss.item, reports, rules)}" for loss in lost]
        paragraphs.append(Paragraph(f"{summary.label}失分较多的项目依次是:{';'.join(named)}。"))
    penalised = [report for report in model.units.values() if report.result.penalty > 0]
    if penalised:
        named = [f"{report.unit.name}({';'.join(d.text for d in report.penalty_lines) or '法制办核定'},"
                 f"共扣{points(report.result.penalty)}分)" for report in penalised]
        paragraphs.append(Paragraph(f"有{len(penalised)}个单位被特别扣分:{_names(named)}。"))
    else:
        paragraphs.append(Paragraph("本年度没有单位被特别扣分。"))
    if not paragraphs[:-1]:
        paragraphs.insert(0, Paragraph("各单位各考核项目均未失分。"))
    return paragraphs


OFFICE_CAUSE, LEDGER_CAUSE, SELF_CAUSE = "经法制办核定扣分", "经法制办台账记载扣分", "自评扣分"
MOST_CAUSES = 2  # the causes named per item in the 通报


def _causes(line, rules: dict[str, str]) -> list[str]:
    """Why one unit lost points on one item: the rules that deducted (in the rubric's words), else the office's
    value or its ledger, else the unit's own lower self score."""
    if line.office is not None:
        return [OFFICE_CAUSE]
    causes = [rules.get(d.rule_id, d.rule_id) for d in line.deductions if d.points > 0]
    if line.ledger and not causes:
        causes.append(LEDGER_CAUSE)
    return causes or [SELF_CAUSE]


def _why_lost(item_id: str, reports, rules: dict[str, str]) -> str:
    """The commonest reasons the units lost points on an item, with how many units each: “5个单位未持证上岗、
    2个单位自评扣分”."""
    counts: dict[str, int] = {}
    for report in reports:
        line = next((line for line in report.items if line.id == item_id), None)
        if line is None or line.lost <= 0:
            continue
        for cause in dict.fromkeys(_causes(line, rules)):
            counts[cause] = counts.get(cause, 0) + 1
    ordered = sorted(counts.items(), key=lambda pair: -pair[1])[:MOST_CAUSES]  # stable: first met first
    return "、".join(f"{count}个单位{cause}" for cause, count in ordered)


def rectify_by(campaign: Campaign) -> str:
    """When the units report their rectification: the date set, else within a month."""
    deadline = campaign.documents.rectify_deadline
    return f"于{chinese_date(deadline)}前" if deadline else "在收到本文后一个月内"


def _rectification(campaign: Campaign, approved: bool) -> list[Paragraph]:
    demand = (f"各单位要对照考核发现的问题和我办的书面反馈,认真分析原因,逐项制定整改措施,{rectify_by(campaign)}"
              f"将整改情况书面报送{campaign.issuer}。对工作不力、问题较多的单位,将按照法治政府建设督查通报制度"
              "进行通报,责令整改。")
    if approved:
        return [Paragraph(demand)]
    return [Paragraph(f"考核结果经{campaign.documents.superior}审定后,我办将向各单位书面反馈考核情况,并提出以下要求:"
                      + demand),
            Paragraph("以上考核初步结果妥否,请批示。")]


def _ranking_table(number: int, summary: TypeSummary, campaign: Campaign, state: ResultsState,
                   caps: Sequence[GradeCap] = ()) -> RankingTable:
    weighted = campaign.weight(summary.type) is not None
    rows = tuple(_ranking_row(r) for r in summary.ranked)
    notes = ranking_notes(summary)
    if summary.missing:
        notes.append(f"未报送自评材料、不参加排名的单位:{_names(summary.missing)}")
    if summary.ranked:
        notes += [cap.text for cap in caps]  # max_share: each capped grade's places and who was moved down
    results = "考核结果排名" if state.approved else "考核初步结果排名"
    title = f"{summary.label}{campaign.year}年度法治政府建设{results}"
    return RankingTable(
        number=number, label=f"附件{number}", title=title, graded=bool(campaign.grades), weighted=weighted, rows=rows,
        note="注:" + ";".join(notes) + "。" if notes else "", title_lines=title_lines(title),
    )


def _ranking_row(result: UnitResult) -> RankingRow:
    total = points(counted(result)) + ("(暂定)" if result.provisional else "")
    return RankingRow(str(result.rank), result.unit, total, result.grade or "", points(result.converted))


def _opening(campaign: Campaign) -> str:
    return (f"按照{campaign.year}年度法治政府建设工作安排和考核评分细则,我办组织开展了{campaign.title},采取单位"
            "自查自评与集中考核相结合的方式,对区级各部门、各乡镇(街道)的法治政府建设情况进行了考核。")


def _approval(state: ResultsState) -> str:
    parts = [f"已经{state.by}" if state.by else "已经", f"于{chinese_date(state.day)}" if state.day else ""]
    return "".join(parts) + "审定" + (f"({state.doc_no})" if state.doc_no else "")


def compose_notice(model: ResultsModel, rubric: Rubric, campaign: Campaign, state: ResultsState, doc_no: str,
                   date: dt.date, compared: Compared | None = None) -> Notice:
    """The notice of a campaign's results: a 请示 to the 区政府 while they are preliminary, the 通报 once
    approved; `doc_no` is its 发文字号 and `date` its 成文日期 (and 印发日期); with `compared` (the last kept year
    and each unit against it) a paragraph on this year against last."""
    attachments = tuple(_ranking_table(number, summary, campaign, state, model.caps_of(summary.type))
                        for number, summary in enumerate(model.types, start=1))
    opening = _opening(campaign)
    if state.approved:
        title = f"关于{campaign.year}年度法治政府建设考核结果的通报"
        opening += f"考核结果{_approval(state)},现将有关情况通报如下。"
        recipient = campaign.documents.recipient
    else:
        title = f"关于{campaign.year}年度法治政府建设考核初步结果的请示"
        opening += "在综合评定的基础上,我办形成了考核初步结果,现将有关情况报告如下,请予审定。"
        recipient = campaign.documents.superior
    body = [
        Paragraph(opening),
        _heading(1, "考核基本情况"), *_overview(model),
        _heading(2, "考核结果" if state.approved else "考核初步结果"), *_results(model, attachments, campaign),
        *_against_last_year(model, rubric, compared),
        _heading(3, "存在的主要问题"), *_losses(model, rubric),
        _heading(4, "整改要求" if state.approved else "下一步工作"), *_rectification(campaign, state.approved),
    ]
    lines = tuple(IDEOGRAPHIC_SPACE * 2 + ("附件:" if table.number == 1 else IDEOGRAPHIC_SPACE * 3)  # 左空二字
                  + f"{table.number}.{table.title}" for table in attachments)
    contact = f"(联系人:{campaign.contact},联系电话:{campaign.phone})" if campaign.contact else ""
    return Notice(
        approved=state.approved, state=state.label, draft="" if state.approved else PRELIMINARY_MARK,
        mark=f"{campaign.issuer}文件", doc_no=doc_no, title=title, recipient=f"{recipient}:", body=tuple(body),
        attachment_lines=lines, signature=signature(campaign.issuer, date),
        note="" if state.approved else contact, attachments=attachments,
        copy_to=f"抄送:{campaign.documents.copy_to}。" if campaign.documents.copy_to else "",
        printer=campaign.printer, printed=f"{chinese_date(date)}印发",
        signer=campaign.documents.signer or IDEOGRAPHIC_SPACE * 3, title_lines=title_lines(title),
    )


# --------------------------------------------------------------------------------------------- letters


def _rectify_request(campaign: Campaign, lost_points: bool) -> str:
    """What the letter asks: rectification of what was lost, or, for a unit that lost nothing, to keep it so."""
    if not lost_points:
        return "请你单位继续保持,进一步巩固法治政府建设成效。"
    return (f"请你单位针对上述失分项目认真分析原因,制定整改措施,明确责任和时限,{rectify_by(campaign)}将整改"
            "情况书面报送我办。")


def _over_ceiling(result: UnitResult) -> str:
    """Which items were claimed above their ceiling, and whose facts set it: “3.2项的自评得分高于按法制办台账记载的
    情形对应的得分上限”; "" when none was."""
    parts = []
    if result.over_ceiling:
        parts.append(f"{'、'.join(result.over_ceiling)}项的自评得分高于你单位填报情形对应的得分上限")
    if result.over_ledger_ceiling:
        parts.append(f"{'、'.join(result.over_ledger_ceiling)}项的自评得分高于按法制办台账记载的情形对应的得分上限")
    return ",".join(parts)


def _basis_sentence(result: UnitResult) -> str:
    """How the unit was scored; the items the office's ledger changed are named, never “法制办未作调整”."""
    changed = result.ledger_changed
    if not changed:
        return BASIS_SENTENCES[result.basis]
    named = "、".join(changed)
    if result.basis == SELF:
        return f"各项得分按你单位自评得分计算,其中{named}项按法制办台账记载的情况计"
    return f"{BASIS_SENTENCES[result.basis]},其中{named}项按法制办台账记载的情况计"


def _score_sentence(report: UnitReport, show_rank: bool) -> str:
    result = report.result
    text = f"你单位自评总分{points(result.self_total)}分,考核得分{points(result.total)}分"
    over = _over_ceiling(result)
    if result.claimed_total is not None and result.claimed_total != result.self_total and over:
        text = (f"你单位自评表所填的自评总分为{points(result.claimed_total)}分,其中{over},"
                f"按上限计为{points(result.self_total)}分;考核得分{points(result.total)}分")
    extras = []
    if result.bonus:
        extras.append(f"特别加分{points(result.bonus)}分")
    if result.penalty:
        extras.append(f"特别扣分{points(result.penalty)}分")
    if extras:
        text += f"(其中{'、'.join(extras)})"
    if report.component_text:
        text += f";{report.component_text}"
    if result.converted is not None:
        text += f",折算分{points(result.converted)}分"
    if show_rank and result.rank is not None:
        text += f",在{report.type_label}{report.of}个单位中排名第{result.rank}位"
    if result.grade:
        text += f",等次为{result.grade}"
    if result.grade_capped_from:
        text += f"(得分达到{result.grade_capped_from}等次的分数线,因等次名额限制)"
    text += f"。{_basis_sentence(result)}。" if result.basis else "。"
    return text + letter_provisional(result)


def _reasons(report: UnitReport) -> dict[str, str]:
    return {line.id: ";".join(line.why) for line in report.lost_items}


def _lost_lines(report: UnitReport) -> tuple[LostLine, ...]:
    reasons = _reasons(report)
    return tuple(LostLine(line.id, line.name, points(line.max), points(line.score), points(line.lost), reasons[line.id])
                 for line in report.lost_items)


def _special_lines(report: UnitReport) -> list[Paragraph]:
    paragraphs = []
    if report.bonus_lines:
        paragraphs.append(Paragraph("特别加分:" + ";".join(d.text for d in report.bonus_lines) + "。"))
    if report.penalty_lines:
        paragraphs.append(Paragraph("特别扣分:" + ";".join(d.text for d in report.penalty_lines) + "。"))
    return paragraphs


def _differences(report: UnitReport) -> list[Paragraph]:
    rows = [d for d in report.differences if d.ref != TOTAL_REF]
    if not rows:
        return [Paragraph("你单位各项目的自评得分均予采用,自评与考核得分没有差异。")]
    lines = [f"“{d.ref} {d.name}”自评{points(d.claimed) or '未填'},计{points(d.counted)}分"
             f"({d.reason})" for d in rows]
    total = next(d for d in report.differences if d.ref == TOTAL_REF)
    return [Paragraph(f"{_names(lines)}。总分与自评相差{points(total.difference)}分。")]


def compose_letter(report: UnitReport, campaign: Campaign, state: ResultsState, show_rank: bool,
                   date: dt.date, compared: Compared | None = None, rubric: Rubric | None = None) -> Letter:
    """One unit's 反馈函: its score (its rank where `show_rank`), the items where it lost points with the
    facts and the office's reasons, the differences from its own scores, and the 整改要求; with `compared` (and the
    `rubric` naming the items) its score and rank last year beside this year's."""
    unit = report.unit.name
    outcome = "考核情况" if state.approved else "考核初步结果"
    opening = (f"按照{campaign.year}年度法治政府建设工作安排和考核评分细则,我办对你单位{campaign.year}年度法治政府建设"
               f"情况进行了考核。现将{outcome}反馈如下。")
    if not state.approved:
        opening += f"考核结果尚待{campaign.documents.superior}审定,以审定结果为准。"
    lost = _lost_lines(report)
    lost_text = (f"你单位有{len(lost)}个项目失分,失分情形、法制办核定的理由和你单位的扣分说明见下表:" if lost
                 else "你单位各考核项目均未失分。")
    last_year = (letter_comparison(compared, unit, report.type_label, rubric, report.result.rank)
                 if compared is not None and rubric is not None else "")
    before = [Paragraph(opening), _heading(1, "考核得分"), Paragraph(_score_sentence(report, show_rank)),
              *([Paragraph(last_year)] if last_year else []), _heading(2, "失分情况"), Paragraph(lost_text)]
    after = [*_special_lines(report), _heading(3, "自评与考核得分的差异"), *_differences(report),
             _heading(4, "整改要求"), Paragraph(_rectify_request(campaign, bool(lost) or report.result.penalty > 0))]
    contact = f"(联系人:{campaign.contact},联系电话:{campaign.phone})" if campaign.contact else ""
    title = f"关于{unit}{campaign.year}年度法治政府建设{outcome}的反馈函"
    return Letter(
        approved=state.approved, state=state.label, draft="" if state.approved else PRELIMINARY_MARK,
        mark=campaign.issuer, title=title, title_lines=title_lines(title), unit=unit,
        recipient=f"{unit}:", before=tuple(before), lost=lost, after=tuple(after),
        signature=signature(campaign.issuer, date), note=contact,
    )
