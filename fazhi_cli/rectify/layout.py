"""The 整改 workbook a unit fills in and the office's 整改复核表: their sheets, columns and identity keys (one place, so
the writers and readers agree)."""

from __future__ import annotations

RECTIFY_FORMAT_NAME = "fazhi-rectify"  # a unit's 整改 workbook (`fazhi rectify generate`)
RECTIFY_REVIEW_FORMAT_NAME = "fazhi-rectify-review"  # the office's 整改复核表 (`fazhi rectify review-sheet`)

SHEET_RECTIFY = "整改清单"
SHEET_RECTIFY_REVIEW = "整改复核表"

COL_ID = "编号"
COL_NAME = "考核项目"
COL_PROBLEM = "问题"
COL_DEDUCTION = "扣分"
COL_MEASURES = "整改措施"
COL_PROGRESS = "完成情况"
COL_DONE_ON = "完成时间"
COL_EVIDENCE = "佐证材料"
RECTIFY_COLUMNS = (COL_ID, COL_NAME, COL_PROBLEM, COL_DEDUCTION, COL_MEASURES, COL_PROGRESS, COL_DONE_ON,
                   COL_EVIDENCE)
REQUIRED_RECTIFY_COLUMNS = (COL_ID, COL_PROBLEM, COL_DEDUCTION, COL_MEASURES, COL_PROGRESS, COL_DONE_ON, COL_EVIDENCE)
UNIT_COLUMNS = (COL_MEASURES, COL_PROGRESS, COL_DONE_ON, COL_EVIDENCE)  # what the unit fills in

COL_UNIT = "单位名称"
COL_CLOSE = "销号"
COL_OPINION = "复核意见"
REVIEW_COLUMNS = (COL_UNIT, COL_ID, COL_NAME, COL_PROBLEM, COL_DEDUCTION, COL_PROGRESS, COL_MEASURES, COL_DONE_ON,
                  COL_EVIDENCE, COL_CLOSE, COL_OPINION)
REQUIRED_REVIEW_COLUMNS = (COL_UNIT, COL_ID, COL_CLOSE, COL_OPINION)
CLOSE_CHOICES = ("是", "否")

ID_APPROVAL = "approval"  # the approval's snapshot hash: a workbook of an approval since reopened is another's
ID_CLOSURES_UPTO = "closures_upto"  # a review sheet's: the id of the last 销号 decision when it was written
HEADER_SEARCH_ROWS = 15  # the header row is looked for in the first rows, as in the self-assessment

# the 整改清单's look: a title block above the header, the header repeated on every printed page
HEADER_ROW = 4
COLUMN_WIDTHS = {COL_ID: 8, COL_NAME: 16, COL_PROBLEM: 44, COL_DEDUCTION: 7, COL_MEASURES: 40, COL_PROGRESS: 10,
                 COL_DONE_ON: 12, COL_EVIDENCE: 26}
INSTRUCTION = ("请逐项填写“整改措施”,在“完成情况”中选择已完成、推进中或未启动;已完成的填写完成时间并注明佐证材料。"
               "编号、考核项目、问题、扣分由法制办填写,请勿改动;请在整改截止日期前报送本表(可另附佐证材料)。")
DATE_FORMAT = "yyyy-mm-dd"
MAX_ROWS = 600
MAX_COLUMNS = 30

# the reader's names for the columns (domain.rectify_checks reads the rows by these)
COLUMN_FIELDS = {COL_ID: "ref", COL_NAME: "name", COL_PROBLEM: "problem", COL_DEDUCTION: "deduction",
                 COL_MEASURES: "measures", COL_PROGRESS: "progress", COL_DONE_ON: "done_on", COL_EVIDENCE: "evidence"}
