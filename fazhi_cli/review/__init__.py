"""The office's review sheets (复核打分表): written pre-filled (`sheet`), taken back by ingest (`take`)."""

from fazhi_cli.review.sheet import (
    COL_BONUS,
    COL_PENALTY,
    COL_UNIT,
    HEADER_ROW,
    SHEET_REVIEW,
    write_review_sheets,
)
from fazhi_cli.review.take import ReviewRow, read_review_rows, take_review_sheet

__all__ = [
    "COL_BONUS", "COL_PENALTY", "COL_UNIT", "HEADER_ROW", "SHEET_REVIEW", "ReviewRow", "read_review_rows",
    "take_review_sheet", "write_review_sheets",
]
