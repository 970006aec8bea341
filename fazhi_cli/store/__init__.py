"""The SQLite store in the campaign folder: the only package that writes saved state.

One module per table family, each with its records and the `Store`'s methods for its tables: `files`
(units, files, submissions and their values, materials), `decisions` (the clerk's decisions, the office values,
approvals' snapshots), `ledger`, `mail`. `schema` holds the schema and its migrations, `seals` the seal chains,
`connection` opening the store, its transactions and the migration runner; `store` puts the `Store` together.
"""

from fazhi_cli.store.components import ComponentEntry, ComponentTables
from fazhi_cli.store.connection import RECOVERY_HINT, StoreBase, missing_store_error, sqlite_problem
from fazhi_cli.store.decisions import Decision, DecisionTables, ReviewEntry, StoredSnapshot
from fazhi_cli.store.files import FileRecord, FileTables, StoredFile, StoredSubmission, StoredValue, raw_json
from fazhi_cli.store.history import HistoryTables, KeptYear
from fazhi_cli.store.ledger import LedgerRow, LedgerTables
from fazhi_cli.store.mail import FetchedMail, MailTables, SentMail
from fazhi_cli.store.rectify import RectifyRow, RectifyTables, StoredRectifyReturn
from fazhi_cli.store.schema import (
    EXPECTED_TABLES,
    MIGRATIONS,
    SCHEMA_APPROVAL,
    SCHEMA_HELD,
    SCHEMA_HISTORY,
    SCHEMA_LEDGER,
    SCHEMA_MAIL,
    SCHEMA_MAIL_DIGEST,
    SCHEMA_RECTIFY,
    SCHEMA_REVIEW_TEAMS,
    SCHEMA_SEALS,
    SCHEMA_SUBMISSIONS_UNIT,
    SCHEMA_V1,
    SCHEMA_V2,
    SCHEMA_V3,
    SCHEMA_V4,
    SCHEMA_VERSION,
    SEALED_COLUMNS,
    SEALED_WHEN_SET,
    SNAPSHOT_TABLES,
)
from fazhi_cli.store.seals import SealHeadMissing
from fazhi_cli.store.store import Store

__all__ = [
    "ComponentEntry",
    "ComponentTables",
    "EXPECTED_TABLES",
    "MIGRATIONS",
    "RECOVERY_HINT",
    "SCHEMA_APPROVAL",
    "SCHEMA_HELD",
    "SCHEMA_HISTORY",
    "HistoryTables",
    "KeptYear",
    "SCHEMA_LEDGER",
    "SCHEMA_MAIL",
    "SCHEMA_MAIL_DIGEST",
    "SCHEMA_RECTIFY",
    "RectifyRow",
    "RectifyTables",
    "StoredRectifyReturn",
    "SCHEMA_REVIEW_TEAMS",
    "SCHEMA_SEALS",
    "SCHEMA_SUBMISSIONS_UNIT",
    "SCHEMA_V1",
    "SCHEMA_V2",
    "SCHEMA_V3",
    "SCHEMA_V4",
    "SCHEMA_VERSION",
    "SEALED_COLUMNS",
    "SEALED_WHEN_SET",
    "SNAPSHOT_TABLES",
    "Decision",
    "DecisionTables",
    "FetchedMail",
    "FileRecord",
    "FileTables",
    "LedgerRow",
    "LedgerTables",
    "MailTables",
    "ReviewEntry",
    "SealHeadMissing",
    "SentMail",
    "Store",
    "StoreBase",
    "StoredFile",
    "StoredSnapshot",
    "StoredSubmission",
    "StoredValue",
    "missing_store_error",
    "raw_json",
    "sqlite_problem",
]
