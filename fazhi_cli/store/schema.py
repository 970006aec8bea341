"""The store's schema and its migrations: each step's SQL, in order, and what the rest of the store reads off them.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` takes a store from version n to
n + 1, so a later release opens an older campaign and brings it up to date in one transaction
(`StoreBase.migrate` runs them; the `SCHEMA_SEALS` step also seals what an earlier version recorded).
"""

from __future__ import annotations

import re

from fazhi_cli.domain.seals import DECISIONS, REVIEWS

SCHEMA_V1 = """
CREATE TABLE units (
    name TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('department', 'township')),
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
-- every file handed in, kept byte-for-byte under archive/ by its SHA-256
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    archive_name TEXT NOT NULL,
    original_name TEXT NOT NULL,
    origin TEXT NOT NULL,
    received_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    unit TEXT,
    message TEXT,
    batch TEXT NOT NULL
);
CREATE INDEX files_sha ON files (sha256);
-- a unit's returned self-assessment workbook; the current one is the latest received
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units (name),
    file_id INTEGER NOT NULL REFERENCES files (id),
    sha256 TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '[]'
);
-- what was read from a submission, raw (JSON-encoded cell value) with the cell it came from
CREATE TABLE submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    ref TEXT NOT NULL,
    field TEXT NOT NULL,
    raw TEXT,
    cell TEXT,
    PRIMARY KEY (submission_id, ref, field)
);
-- other files a unit sent with its workbook: 工作总结, 佐证材料
CREATE TABLE materials (
    file_id INTEGER NOT NULL REFERENCES files (id),
    unit TEXT NOT NULL REFERENCES units (name),
    PRIMARY KEY (file_id, unit)
);
-- the office's 核定得分, layered over the self scores, never erased, the latest per (unit, ref) counts
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units (name),
    ref TEXT NOT NULL,
    raw TEXT,
    cell TEXT,
    file_id INTEGER NOT NULL REFERENCES files (id),
    taken_at TEXT NOT NULL
);
"""

# v2: what the sender's side claimed (the e-mail's Date, the file's own time) is kept apart from the office's
# clock (received_at, taken_at); a stable code for each outcome; the sealed generation time of a workbook.
SCHEMA_V2 = """
ALTER TABLE files ADD COLUMN code TEXT;
ALTER TABLE files ADD COLUMN sent_at TEXT;
ALTER TABLE files ADD COLUMN file_time TEXT;
ALTER TABLE submissions ADD COLUMN generated_at TEXT
"""

# v3: the review sheet records only what the office decided: each office value with its 核定理由, and a
# withdrawal (a cell that held an office value came back blank) as a row of its own; no row is deleted.
SCHEMA_V3 = """
ALTER TABLE reviews ADD COLUMN reason TEXT;
ALTER TABLE reviews ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0
"""

# v4: the clerk's decisions taken on the command line (accept, reject, dismiss a file; approve, reopen the
# results), in order, each with the office's time and reason; never updated or deleted.
SCHEMA_V4 = """
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    action TEXT NOT NULL,
    unit TEXT,
    file_id INTEGER REFERENCES files (id),
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
)
"""

# held: the evidence of who sent a file (the e-mail's From and Sender addresses, ", " between), and for a workbook
# held because the evidence names another roster unit than its identity (identity_conflict), that other unit.
SCHEMA_HELD = """
ALTER TABLE files ADD COLUMN sender TEXT;
ALTER TABLE files ADD COLUMN other_unit TEXT
"""

# the office's own records (台账) from returned ledger workbooks: which records (sheets) each ledger file covered,
# and its entries (valid ones, and the rows refused with the problem named). The latest file covering a record
# gives that record's entries in force; earlier files stay as history.
SCHEMA_LEDGER = """
CREATE TABLE ledger_records (
    file_id INTEGER NOT NULL REFERENCES files (id),
    record TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (file_id, record)
);
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files (id),
    record TEXT NOT NULL,
    unit TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    cell TEXT,
    problem TEXT
)
"""

# approval: each approval's frozen snapshot — every input the approved results used and the results, as canonical
# JSON, with the SHA-256 of that text (also kept in the approving decision's detail); never updated or deleted.
SCHEMA_APPROVAL = """
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL
)
"""

# mail: every message `fazhi send` and `fazhi remind` handed to the office's SMTP server (recorded only once the
# server accepted it, or with the error when it did not), and every message `fazhi fetch` examined on the IMAP
# server (by folder, UIDVALIDITY and UID, and by Message-ID), so that each is taken once.
SCHEMA_MAIL = """
CREATE TABLE mail_sent (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL,
    recipients TEXT NOT NULL DEFAULT '[]',
    subject TEXT NOT NULL DEFAULT '',
    attachment TEXT NOT NULL DEFAULT '',
    attachment_sha256 TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE mail_fetched (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    folder TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    units TEXT NOT NULL DEFAULT '[]',
    UNIQUE (folder, uidvalidity, uid)
);
CREATE INDEX mail_fetched_message_id ON mail_fetched (message_id)
"""

# seals: each decision and each office value carries the office's seal (domain.seals: an HMAC keyed by the workspace
# secret over its content and the seal before it), and each chain's head (its count and last seal) is sealed. This
# step seals what an earlier version recorded, in its own transaction, so no committed store is ever half sealed.
SCHEMA_SEALS = """
ALTER TABLE decisions ADD COLUMN seal TEXT;
ALTER TABLE reviews ADD COLUMN seal TEXT;
CREATE TABLE seal_heads (
    chain TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last TEXT NOT NULL,
    mac TEXT NOT NULL
)
"""

# A message fetched is the same as one taken before only when its Message-ID, its sender and the SHA-256 of its bytes
# all match: a Message-ID reused by another sender, or with other content, is taken like any new message.
SCHEMA_MAIL_DIGEST = """
ALTER TABLE mail_fetched ADD COLUMN content_sha256 TEXT NOT NULL DEFAULT ''
"""

# 整改 after the 通报: a unit's returned 整改 workbook (the file it came in, its sealed generation time and what
# validation found in it, as JSON) and, per item, what the unit reported. The current return of a unit is the one the
# office received last; earlier ones stay.
SCHEMA_RECTIFY = """
CREATE TABLE rectify_returns (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units (name),
    file_id INTEGER NOT NULL REFERENCES files (id),
    sha256 TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    generated_at TEXT,
    findings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE rectify_rows (
    return_id INTEGER NOT NULL REFERENCES rectify_returns (id),
    ref TEXT NOT NULL,
    measures TEXT NOT NULL DEFAULT '',
    progress TEXT NOT NULL DEFAULT '',
    done_on TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    cells TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (return_id, ref)
);
CREATE INDEX rectify_returns_unit ON rectify_returns (unit)
"""

# The next campaign: each earlier year's approved results, carried by `fazhi init --from` (domain.history's canonical
# text, its SHA-256 and the workspace's seal over both), so that comparing needs nothing from the old folder.
SCHEMA_HISTORY = """
CREATE TABLE history_years (
    year INTEGER PRIMARY KEY,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    mac TEXT NOT NULL,
    carried_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT ''
)
"""

# Review teams (考核组): each office value records the team whose review sheet set it (NULL: the office's own sheet).
# Each team's values are a layer of their own: the team's latest decision per unit and item is its value in force.
SCHEMA_REVIEW_TEAMS = """
ALTER TABLE reviews ADD COLUMN team TEXT
"""

# Score components (评分构成): each value a returned component sheet gave a unit (raw as entered, the decimal it
# counts as, the 说明 and the cell), and each withdrawal (a value blanked) as a row of its own; never updated or
# deleted. The latest row per (component, unit) counts.
SCHEMA_COMPONENTS = """
CREATE TABLE component_values (
    id INTEGER PRIMARY KEY,
    component TEXT NOT NULL,
    unit TEXT NOT NULL,
    raw TEXT,
    value TEXT,
    note TEXT NOT NULL DEFAULT '',
    cell TEXT,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    file_id INTEGER NOT NULL REFERENCES files (id),
    taken_at TEXT NOT NULL
)
"""

# A unit's submissions found by its name (ingest asks once per return taken: without it, a scan of them all).
SCHEMA_SUBMISSIONS_UNIT = """
CREATE INDEX IF NOT EXISTS submissions_unit ON submissions (unit)
"""

MIGRATIONS: tuple[str, ...] = (SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_HELD, SCHEMA_LEDGER, SCHEMA_APPROVAL,
                               SCHEMA_MAIL, SCHEMA_SEALS, SCHEMA_MAIL_DIGEST, SCHEMA_RECTIFY, SCHEMA_HISTORY,
                               SCHEMA_REVIEW_TEAMS, SCHEMA_COMPONENTS, SCHEMA_SUBMISSIONS_UNIT)
# The columns each sealed record's seal covers (fixed: a later column does not change what was sealed).
SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    DECISIONS: ("id", "time", "action", "unit", "file_id", "reason", "detail"),
    REVIEWS: ("id", "unit", "ref", "raw", "cell", "reason", "withdrawn", "file_id", "taken_at"),
}
# Columns added later that a seal covers only where they hold a value: a record written before the column existed
# (NULL there) keeps the seal it had, and a value put in afterwards, or taken out, no longer verifies.
SEALED_WHEN_SET: dict[str, tuple[str, ...]] = {
    REVIEWS: ("team",),
}

# The store rows approved results are rebuilt from (`Store.snapshot_rows`), table → which rows: `:used` is the JSON
# list of the submission ids the results used. A table scoring reads (the ledger …) must be listed here, or the
# frozen results would be rebuilt without it (approval then refuses: the rebuilt results would differ).
SNAPSHOT_TABLES: dict[str, str] = {
    "units": "1",
    "submissions": "id IN (SELECT value FROM json_each(:used))",
    "submission_values": "submission_id IN (SELECT value FROM json_each(:used))",
    "files": "id IN (SELECT file_id FROM submissions WHERE id IN (SELECT value FROM json_each(:used))) "
             "OR id IN (SELECT file_id FROM materials) OR id IN (SELECT file_id FROM reviews) "
             "OR id IN (SELECT file_id FROM decisions) OR id IN (SELECT file_id FROM ledger_records) "
             "OR id IN (SELECT file_id FROM ledger_entries) OR id IN (SELECT file_id FROM component_values)",
    "materials": "1",
    "reviews": "1",
    "decisions": "action NOT IN ('approve', 'reopen')",
    "ledger_records": "1",
    "ledger_entries": "1",
    "component_values": "1",
}
SCHEMA_VERSION = len(MIGRATIONS)
EXPECTED_TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)", "".join(MIGRATIONS)))
