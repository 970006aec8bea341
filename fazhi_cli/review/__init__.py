"""The office's review sheets (复核打分表): written in long form (`sheet`), taken back by ingest (`take`)."""

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
    "ReviewRow", "decisions", "read_review_rows", "take_review_sheet", "write_review_sheets",
]
