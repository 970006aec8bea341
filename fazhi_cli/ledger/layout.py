"""The ledger workbook's layout (法制办台账): one sheet per record the office keeps, found by sheet name and
header titles (never by position), shared by the writer and the reader."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_cli.domain.ledger import CASES, FILINGS, INFO, INSPECTIONS, RECORD_LABELS, SUMMARY

COL_UNIT = "单位名称"
MONTH_COLUMNS = tuple(f"{month}月" for month in range(1, 13))
COL_TITLE = "文件名称"
COL_FILED = "备案日期"
COL_RECEIVED = "收到日期"
COL_COUNT = "件数"
COL_MEETS = "是否符合要求"
COL_DEDUCTION = "酌情扣分"
COL_REASON = "理由"
COL_ID = "编号"
COL_FINDING = "检查发现"
COL_FILE = "文件"
HEADER_ROW = 3


@dataclass(frozen=True)
class SheetLayout:
    """One record's sheet: its name, its columns (title, width) and what the office writes in it."""

    record: str
    columns: tuple[tuple[str, int], ...]
    guide: str
    per_entry: bool  # any number of rows per unit (else one row per unit)

    @property
    def name(self) -> str:
        return RECORD_LABELS[self.record]

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(title for title, _ in self.columns)


SHEETS = (
    SheetLayout(INFO, ((COL_UNIT, 16), *((title, 6) for title in MONTH_COLUMNS)),
                "每个单位一行,填写每月收到的法治政府建设信息条数(整数)。一行中只要填了一个月,该单位的信息报送"
                "即以本表为准:已过去的月份留空按 0 条计,尚未结束的月份留空则沿用单位自报。整行留空表示沿用单位自报。",
                per_entry=False),
    SheetLayout(FILINGS, ((COL_UNIT, 16), (COL_TITLE, 40), (COL_FILED, 12)),
                "每件备案的规范性文件一行(可插入行,单位名称照填)。仅供参考,在复核打分表和反馈中显示,不自动扣分。",
                per_entry=True),
    SheetLayout(CASES, ((COL_UNIT, 16), (COL_RECEIVED, 12), (COL_COUNT, 6), (COL_MEETS, 12), (COL_DEDUCTION, 9),
                        (COL_REASON, 36)),
                "收到行政执法指导案例的单位填写收到日期、件数和是否符合要求(是/否)。截止日期前未收到的按未报送扣分;"
                "不符合要求的填写酌情扣分和理由(不超过该项分值,必须写明理由)。未收到的单位整行留空。",
                per_entry=True),
    SheetLayout(INSPECTIONS, ((COL_UNIT, 16), (COL_ID, 8), (COL_FINDING, 40), (COL_DEDUCTION, 9), (COL_REASON, 36)),
                "实地检查发现的问题,每条一行(可插入行):编号填考核项目编号(如 4.1),酌情扣分不超过该项分值,"
                "扣分必须写明理由。该项得分扣减后最低为 0。",
                per_entry=True),
    SheetLayout(SUMMARY, ((COL_UNIT, 16), (COL_RECEIVED, 12), (COL_FILE, 44)),
                "收到年度工作总结的单位填写收到日期(已按随自评表报送的材料预填)。截止日期前未收到的按未报送工作总结扣分。",
                per_entry=True),
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
REQUIRED = {INFO: (COL_UNIT, *MONTH_COLUMNS), FILINGS: (COL_UNIT, COL_TITLE, COL_FILED),
            CASES: (COL_UNIT, COL_RECEIVED, COL_COUNT, COL_MEETS, COL_DEDUCTION, COL_REASON),
            INSPECTIONS: (COL_UNIT, COL_ID, COL_FINDING, COL_DEDUCTION, COL_REASON),
            SUMMARY: (COL_UNIT, COL_RECEIVED, COL_FILE)}
SUMMARY_WORD = "总结"  # a material whose name holds this word is the unit's 工作总结
