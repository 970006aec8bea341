"""`fazhi ingest`: every file handed in is kept (`archive`), identified (`identify`), and taken as a
self-assessment (`workbooks`), a review sheet (`fazhi_cli.review.take`), a unit's material, or refused with
a reason, file by file in its own guard (`dispatch`).
"""

from fazhi_cli.ingest.ahead import WORKBOOK_KINDS
from fazhi_cli.ingest.archive import ARCHIVE_SUFFIX, archive_bytes, archive_file
from fazhi_cli.ingest.dispatch import MATERIAL_KINDS, ReceivedMessage, ingest_messages, ingest_paths
from fazhi_cli.ingest.workbooks import content_changes, stored_values, structure_changes, time_warnings
from fazhi_cli.receiving.batch import (
    DUPLICATE,
    HELD,
    MATERIAL,
    OUTCOME_LABELS,
    REFUSED,
    REVIEW,
    SKIPPED,
    SUPERSEDED,
    TAKEN,
    UNPACKED,
    FileOutcome,
    IngestReport,
    hold,
    refuse,
    to_store_time,
)

__all__ = [
    "ARCHIVE_SUFFIX", "DUPLICATE", "HELD", "MATERIAL", "MATERIAL_KINDS", "OUTCOME_LABELS", "REFUSED", "REVIEW",
    "SKIPPED", "SUPERSEDED", "TAKEN", "UNPACKED", "WORKBOOK_KINDS", "FileOutcome", "IngestReport", "ReceivedMessage",
    "archive_bytes", "archive_file", "content_changes", "hold", "ingest_messages", "ingest_paths", "refuse",
    "stored_values", "structure_changes", "time_warnings", "to_store_time",
]
