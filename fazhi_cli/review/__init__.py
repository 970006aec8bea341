"""The office's review sheets (复核打分表): written in long form (`sheet`), taken back by ingest (`take`); and its
component sheets (评分构成表: `component_sheet`, `component_take`), one score component's values."""

from fazhi_cli.review.component_sheet import write_component_sheet
from fazhi_cli.review.sheet import (
    COL_ID,
    COL_REASON,
    COL_SCORE,
    COL_UNIT,
    HEADER_ROW,
    ROW_BONUS,
    ROW_PENALTY,
    SHEET_REVIEW,
    write_review_sheets,
)
from fazhi_cli.review.take import ReviewRow, decisions, read_review_rows, take_review_sheet

__all__ = [
    "COL_ID", "COL_REASON", "COL_SCORE", "COL_UNIT", "HEADER_ROW", "ROW_BONUS", "ROW_PENALTY", "SHEET_REVIEW",
    "ReviewRow", "decisions", "write_component_sheet", "read_review_rows", "take_review_sheet", "write_review_sheets",
]
