"""The words of the 整改情况通报: how far the units that lost points have rectified, composed from the 整改 model.

Pure code over plain data (standard library only), as `notice_text` is for the 通报: the counts come from
`rectification.summarise`, each unit's row from its `UnitRectification`, every sentence is put together here, and
the Word template only lays the result out (`fazhi_cli.documents`). Unit names are carried as they are: escaping
belongs to the document writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.notice_text import IDEOGRAPHIC_SPACE, NUMERALS, Paragraph, Signature, chinese_date, signature
from fazhi_cli.domain.rectification import (
    CLOSED,
    IN_PROGRESS,
    OPEN,
    PENALTY_REF,
    REPORTED,
    RectificationSummary,
    RectifyItem,
    UnitRectification,
)
from fazhi_cli.domain.typography import title_lines

RENEWED_DAYS = 15  # the overdue units' new time limit (限期整改), in days from the 整改情况通报
YES, NO = "是", "否"
TOTAL_ROW = "合计"
SHORT_STATE = {OPEN: "未报告", IN_PROGRESS: "整改中", REPORTED: "待销号", CLOSED: "已销号"}


@dataclass(frozen=True)
class RectifyRow:
    """One unit's line of the annex: its problems and how many stand in each state, overdue or not."""

    unit: str
    problems: int  # 问题数
    closed: int  # 已销号
    reported: int  # 已报完成,待销号
    in_progress: int  # 整改中 (推进中 / 未启动)
    open: int  # 未报告
    overdue: str  # 是 / 否 (the total row: how many units)


@dataclass(frozen=True)
class RectifyTable:
    """The 附件: every unit that owes 整改, one row each, then the total."""

    label: str
    title: str
    rows: tuple[RectifyRow, ...]
    note: str
    title_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class RectifyNotice:
    """The 整改情况通报, ready to lay out (the 版头, 署名 and 版记 as the 通报 has them)."""

    mark: str  # 发文机关标志
    doc_no: str
    title: str
    recipient: str  # 主送机关, with its colon
    body: tuple[Paragraph, ...]
    attachment_lines: tuple[str, ...]  # 附件说明
    signature: Signature
    attachment: RectifyTable
    copy_to: str
    printer: str
    printed: str  # 印发日期
    overdue: tuple[str, ...]  # the units past the deadline with items unfinished
    approved: bool = True  # the 通报's 版头 (a 下行文), never the 请示's
    draft: str = ""
    signer: str = ""
    note: str = ""
    record_on_next_page: bool = False  # the 版记 goes to the next page (the body ends on an odd page)
    title_lines: tuple[str, ...] = ()


def rectify_title(campaign: Campaign) -> str:
    """关于2017年度法治政府建设考核整改情况的通报."""
    return f"关于{campaign.year}年度法治政府建设考核整改情况的通报"


def _heading(number: int, text: str) -> Paragraph:
    return Paragraph(f"{NUMERALS[number - 1]}、{text}", heading=True)


def _names(names: Sequence[str]) -> str:
    return "、".join(names)


def _percent(part: int, whole: int) -> str:
    return f"{Decimal(part) * 100 / Decimal(whole):.1f}%" if whole else "0.0%"


def _approval(state: ResultsState) -> str:
    """经区人民政府于2018年1月15日审定(昭府函〔2018〕3号)."""
    by = f"经{state.by}" if state.by else "经"
    day = f"于{chinese_date(state.day)}" if state.day else ""
    return f"{by}{day}审定" + (f"({state.doc_no})" if state.doc_no else "")


def _opening(campaign: Campaign, state: ResultsState, deadline: dt.date, today: dt.date) -> Paragraph:
    return Paragraph(
        f"{campaign.year}年度法治政府建设考核结果{_approval(state)}后,我办予以通报,并向失分单位书面反馈了考核发现的"
        f"问题,要求各单位逐项制定整改措施,于{chinese_date(deadline)}前将整改情况书面报送我办。现将截至"
        f"{chinese_date(today)}的整改情况通报如下。")


def _overall(summary: RectificationSummary, units: Sequence[UnitRectification]) -> list[Paragraph]:
    if not summary.items:
        return [Paragraph("本年度考核中没有单位失分,无需整改。")]
    by_state = summary.by_state
    text = (f"本年度考核共有{summary.units}个单位的{summary.items}个问题需要整改。其中,已整改到位并经我办复核销号的"
            f"{by_state[CLOSED]}个,单位报告已完成、待我办复核销号的{by_state[REPORTED]}个,正在整改的"
            f"{by_state[IN_PROGRESS]}个,尚未报告整改情况的{by_state[OPEN]}个,销号率"
            f"{_percent(by_state[CLOSED], summary.items)}。")
    paragraphs = [Paragraph(text)]
    finished = [u.unit for u in units if u.items and all(s == CLOSED for s in u.states().values())]
    if finished:
        paragraphs.append(Paragraph(f"{_names(finished)}等{len(finished)}个单位的问题已全部整改销号。"
                                    if len(finished) > 1 else f"{finished[0]}的问题已全部整改销号。"))
    return paragraphs


def _item_words(item: RectifyItem, state: str) -> str:
    named = item.ref if item.ref == PENALTY_REF or item.name == item.ref else f"{item.ref} {item.name}"
    return f"“{named}”({SHORT_STATE[state]})"


def _unfinished_words(unit: UnitRectification) -> str:
    return "、".join(_item_words(item, unit.state(item.ref)) for item in unit.unfinished())


def _overdue(units: Sequence[UnitRectification], deadline: dt.date, today: dt.date) -> list[Paragraph]:
    overdue = [u for u in units if u.overdue(today, deadline)]
    unfinished = [u for u in units if u.unfinished()]
    if not any(u.items for u in units):
        return [Paragraph("没有需要整改的问题。")]
    if overdue:
        lines = [Paragraph(f"整改期限{chinese_date(deadline)}已过,以下{len(overdue)}个单位仍有问题未完成整改:")]
        lines += [Paragraph(f"{u.unit}:{_unfinished_words(u)}。") for u in overdue]
        return lines
    if unfinished:
        count = sum(len(u.unfinished()) for u in unfinished)
        return [Paragraph(f"整改期限为{chinese_date(deadline)},尚未届满。{_names([u.unit for u in unfinished])}"
                          f"还有{count}个问题未完成整改,请抓紧推进,按期报送。")]
    return [Paragraph("各失分单位均已报告全部问题整改完成,没有逾期未完成整改的单位。")]


def _demands(campaign: Campaign, units: Sequence[UnitRectification], deadline: dt.date,
             today: dt.date) -> list[Paragraph]:
    overdue = [u.unit for u in units if u.overdue(today, deadline)]
    paragraphs = []
    if overdue:
        paragraphs.append(Paragraph(
            f"{_names(overdue)}要高度重视,责令限期整改:于本通报印发之日起{RENEWED_DAYS}日内完成整改,并将整改情况书面"
            f"报送{campaign.issuer}。逾期仍未完成整改的,将按照法治政府建设督查通报制度进行通报,并约谈单位主要负责人。"))
    if any(u.states().get(i.ref) == REPORTED for u in units for i in u.items):
        paragraphs.append(Paragraph("对单位报告已完成、待复核销号的问题,我办将逐项复核佐证材料,整改到位的予以销号;"
                                    "整改不到位的,退回单位继续整改。"))
    paragraphs.append(Paragraph("各单位要巩固整改成果,举一反三,健全长效机制,防止同类问题再次发生。"))
    return paragraphs


def unit_row(unit: UnitRectification, today: dt.date, deadline: dt.date) -> RectifyRow:
    """One unit's line of the annex."""
    states = list(unit.states().values())
    return RectifyRow(unit.unit, len(states), states.count(CLOSED), states.count(REPORTED), states.count(IN_PROGRESS),
                      states.count(OPEN), YES if unit.overdue(today, deadline) else NO)


def _table(campaign: Campaign, units: Sequence[UnitRectification], summary: RectificationSummary,
           today: dt.date, deadline: dt.date) -> RectifyTable:
    rows = [unit_row(u, today, deadline) for u in units]
    by_state = summary.by_state
    if rows:
        rows.append(RectifyRow(TOTAL_ROW, summary.items, by_state[CLOSED], by_state[REPORTED],
                               by_state[IN_PROGRESS], by_state[OPEN], f"{len(summary.overdue)}个"))
    title = f"{campaign.year}年度法治政府建设考核整改情况统计表"
    note = (f"注:统计截至{chinese_date(today)};整改期限{chinese_date(deadline)}。“整改中”含单位报告推进中和未启动的"
            "问题;“是否逾期”指整改期限已过仍有问题未报告或整改中。")
    return RectifyTable("附件", title, tuple(rows), note, title_lines(title))


def compose_rectify_notice(units: Sequence[UnitRectification], summary: RectificationSummary, campaign: Campaign,
                           state: ResultsState, deadline: dt.date, today: dt.date, doc_no: str) -> RectifyNotice:
    """The 整改情况通报 of approved results (`state`), the units' 整改 as it stands on `today` (the office's clock; also
    the 成文日期) against the `deadline`; `doc_no` is its 发文字号."""
    title = rectify_title(campaign)
    body = [
        _opening(campaign, state, deadline, today),
        _heading(1, "整改总体情况"), *_overall(summary, units),
        _heading(2, "逾期未完成整改的单位" if summary.overdue else "整改推进情况"),
        *_overdue(units, deadline, today),
        _heading(3, "下一步要求"), *_demands(campaign, units, deadline, today),
    ]
    table = _table(campaign, units, summary, today, deadline)
    return RectifyNotice(
        mark=f"{campaign.issuer}文件", doc_no=doc_no, title=title, title_lines=title_lines(title),
        recipient=f"{campaign.documents.recipient}:", body=tuple(body),
        attachment_lines=(IDEOGRAPHIC_SPACE * 2 + f"附件:{table.title}",),  # 左空二字
        signature=signature(campaign.issuer, today), attachment=table,
        copy_to=f"抄送:{campaign.documents.copy_to}。" if campaign.documents.copy_to else "",
        printer=campaign.printer, printed=f"{chinese_date(today)}印发", overdue=tuple(summary.overdue),
    )
