"""The demo's 整改 after the 通报: the units fill in their 整改清单 (most report every item 已完成 in March, one is
still 推进中 on an item, one returns after the deadline, two never return), and the clerk closes (销号) what was done in
the 整改复核表 — one item a unit reported 推进中 closed after an on-site check, with the 复核意见 that needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from fazhi_cli.demo.units import set_file_time
from fazhi_cli.domain.rectification import DONE, UNDER_WAY
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.rectify.layout import (
    COL_CLOSE,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_ID,
    COL_MEASURES,
    COL_OPINION,
    COL_PROGRESS,
    COL_UNIT,
    HEADER_SEARCH_ROWS,
    SHEET_RECTIFY,
    SHEET_RECTIFY_REVIEW,
)

NOT_RECTIFYING = ("区卫计局", "梅树乡")  # never return their 整改清单: open past the deadline
STILL_UNDER_WAY = "区发改局"  # reports its first item 推进中
CLOSED_ON_SITE = "区发改局"  # …which the office closes after checking on site, with its 复核意见
LATE_RECTIFYING = "太公镇"  # returns after the deadline
ON_SITE_OPINION = "经现场核查,整改措施已落实到位,予以销号"
MEASURES = ("修订完善相关制度并印发执行", "建立工作台账,明确专人负责", "组织专题培训并开展自查",
            "补齐缺失资料并归档", "制定整改方案,逐项落实")  # fmt: skip


def _columns(sheet, required: str) -> tuple[int, dict[str, int]]:
    """The header row (found by a title, never by position) and the columns by title."""
    header = next(r for r in range(1, HEADER_SEARCH_ROWS + 1) if required in [c.value for c in sheet[r]])
    return header, {c.value: c.column for c in sheet[header] if c.value}


def _unit_of(path: Path) -> str:
    return path.stem.rsplit("_", 1)[-1]


def fill_rectify_returns(written: list[Path], folder: Path, deadline: dt.date) -> list[Path]:
    """The units' filled 整改清单 in `folder`, each dated when it reaches the office (in March; the late one after the
    deadline); the units of `NOT_RECTIFYING` send nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    returned = []
    for number, path in enumerate(sorted(written)):
        unit = _unit_of(path)
        if unit in NOT_RECTIFYING:
            continue
        book = openpyxl.load_workbook(path)
        sheet = book[SHEET_RECTIFY]
        header, columns = _columns(sheet, COL_MEASURES)
        done_on = dt.date(deadline.year, 3, 1) + dt.timedelta(days=number % 20)
        lines = [r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, columns[COL_ID]).value]
        for index, line in enumerate(lines):
            under_way = unit == STILL_UNDER_WAY and index == 0
            sheet.cell(line, columns[COL_MEASURES]).value = MEASURES[(number + index) % len(MEASURES)]
            sheet.cell(line, columns[COL_PROGRESS]).value = UNDER_WAY if under_way else DONE
            sheet.cell(line, columns[COL_DONE_ON]).value = None if under_way else done_on
            sheet.cell(line, columns[COL_EVIDENCE]).value = "整改报告" if index == 0 else ""
        target = folder / path.name
        book.save(target)
        late = unit == LATE_RECTIFYING
        arrival = dt.datetime.combine(deadline + dt.timedelta(days=3) if late else done_on + dt.timedelta(days=2),
                                      dt.time(10, number % 60), CHINA)
        set_file_time(target, arrival)
        returned.append(target)
    return returned


def office_closes(sheet_path: Path, folder: Path) -> Path:
    """The clerk's 整改复核表: 销号 是 for each item a unit reported 已完成, and for `CLOSED_ON_SITE`'s item in
    progress after the on-site check (with the 复核意见 that needs); the rest left 否."""
    book = openpyxl.load_workbook(sheet_path)
    sheet = book[SHEET_RECTIFY_REVIEW]
    header, columns = _columns(sheet, COL_CLOSE)
    for line in range(header + 1, sheet.max_row + 1):
        unit = sheet.cell(line, columns[COL_UNIT]).value
        progress = sheet.cell(line, columns[COL_PROGRESS]).value
        if progress == DONE:
            sheet.cell(line, columns[COL_CLOSE]).value = "是"
        elif unit == CLOSED_ON_SITE and progress == UNDER_WAY:
            sheet.cell(line, columns[COL_CLOSE]).value = "是"
            sheet.cell(line, columns[COL_OPINION]).value = ON_SITE_OPINION
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sheet_path.name
    book.save(target)
    return target
