"""A submission's values read back from the store are what `json.loads` makes of the JSON text stored for them,
whichever way `_decoded` takes (a plain string between its quotes, a scalar remembered, `json.loads` itself)."""

import json
import sqlite3
from contextlib import closing

from fazhi_cli.domain.units import Unit
from fazhi_cli.store import MIGRATIONS, SCHEMA_SUBMISSIONS_UNIT, SCHEMA_VERSION, FileRecord, Store, StoredValue

RAWS = [
    None, "", "是", "否", "一段说明", 'a "quoted" word', "back\\slash", "line\nbreak", "tab\there", "\x01bell",
    "\u2028separator", "é and 中文 and emoji 😀", "=SUM(A1)", 0, 3, -2, 1.5, 0.1, 1e20, True, False,
    [1, "二", None], {"a": [1, 2], "b": "三"}, "null", "true", "0",
]


def _record() -> FileRecord:
    return FileRecord("ab" * 32, 10, "a.xlsx", "a.xlsx", "inbox", "2017-12-05T10:00:00+08:00",
                      "2017-12-05T10:00:00+08:00", "return", "accepted", "单位", None, "b1")


def test_values_read_back_are_what_json_makes_of_the_stored_text(tmp_path):
    values = [StoredValue(f"ref{index}", "fact", raw, f"自评表!I{index}") for index, raw in enumerate(RAWS)]
    with Store.open(tmp_path / "fazhi.db", create=True) as store:
        store.sync_units([Unit("单位", "department")])
        submission = store.record_submission(_record(), "rubric", [], values)
    with Store.open(tmp_path / "fazhi.db") as store:
        stored = {ref: text for ref, text in store.db.execute(
            "SELECT ref, raw FROM submission_values WHERE submission_id = ?", (submission,))}
        for _ in range(2):  # the second time from the remembered scalars
            rows = store.submission_value_rows(submission)
            assert {ref: raw for ref, _, raw, _ in rows} == {v.ref: v.raw for v in values}
            for ref, _, raw, _ in rows:
                expected = json.loads(stored[ref])
                assert raw == expected and type(raw) is type(expected)


def test_a_store_from_before_the_unit_index_opens_with_its_submissions_and_finds_them_by_the_index(tmp_path):
    with Store.open(tmp_path / "fazhi.db", create=True) as store:
        store.sync_units([Unit("单位", "department")])
        submission = store.record_submission(_record(), "rubric", [], [StoredValue("1.1", "fact", "是", "自评表!I5")])
    with closing(sqlite3.connect(tmp_path / "fazhi.db")) as db, db:  # the store as the release before it left it
        db.execute("DROP INDEX submissions_unit")
        db.execute(f"PRAGMA user_version = {MIGRATIONS.index(SCHEMA_SUBMISSIONS_UNIT)}")
    with Store.open(tmp_path / "fazhi.db") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert [s.id for s in store.submissions("单位")] == [submission]
        plan = " ".join(row[-1] for row in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM submissions WHERE unit = ?", ("单位",)))
        assert "submissions_unit" in plan
        assert store.submission_values(submission) == [StoredValue("1.1", "fact", "是", "自评表!I5")]
