"""Fuzzing ingest with hypothesis: random mutations of the XML parts and the bytes of a real returned workbook.

Whatever the mutation, the only outcomes are "taken" (or a duplicate of something taken) or a named refusal
or hold; the store stays consistent (integrity, foreign keys, every record's original kept byte-for-byte);
and a taken file never stops the results commands (validate, score, review sheet, report data).

`make test` runs a bounded number of cases; `make fuzz` runs many more (FAZHI_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ingest import clean_answers

from fazhi_cli import api
from fazhi_cli.ingest import DUPLICATE, HELD, REFUSED, SUPERSEDED, TAKEN, ingest_paths
from fazhi_cli.scoring import compute_scores, score_json
from fazhi_cli.validate import validate_workspace
from fazhi_cli.workbook.filler import fill_workbook
from fazhi_cli.workspace import Workspace

EXAMPLES = int(os.environ.get("FAZHI_FUZZ_EXAMPLES", "30"))
UNIT = "区发改局"
NASTY_VALUES = ["1E999", "-1E999", "NaN", "INF", "1E+30", "-0", "99999999999999999999999999999", "", " ", "abc",
                "0x10", "1,5", "８．５分", "\u202e8", "=1+1", "-1", "1e-30", "TRUE", "3.14159265358979323846"]


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> tuple[Path, bytes]:
    """A workspace (its clock inside the 2017 campaign) and one unit's filled return, as bytes."""
    root = tmp_path_factory.mktemp("fuzz") / "campaign"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAZHI_NOW", "2017-12-01T09:00:00+08:00")
        api.init(root)
        api.generate(root, [UNIT])
    filled = root.parent / "filled.xlsx"
    fill_workbook(root / "outbox" / f"2017年度法治政府建设自评表_{UNIT}.xlsx", filled, clean_answers(UNIT))
    return root, filled.read_bytes()


def members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rezip(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in parts:
            archive.writestr(info, body)
    return out.getvalue()


@st.composite
def mutated_workbooks(draw, data: bytes) -> bytes:
    """A mutation of the workbook: of one XML part's text (kept a valid zip) or of the file's raw bytes."""
    how = draw(st.sampled_from(["xml_bytes", "xml_value", "xml_value", "xml_value", "xml_truncate", "xml_splice",
                                "raw_bytes", "raw_truncate"]))  # values most often: they reach the results
    if how.startswith("raw"):
        if how == "raw_truncate":
            return data[: draw(st.integers(0, len(data) - 1))]
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 20))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return bytes(raw)
    parts = members(data)
    scores = next(i for i, (info, _) in enumerate(parts) if info.filename == "xl/worksheets/sheet2.xml")
    index = draw(st.one_of(st.just(scores), st.integers(0, len(parts) - 1)))  # the 自评表 half of the time
    info, body = parts[index]
    if how == "xml_bytes":
        changed = bytearray(body)
        for _ in range(draw(st.integers(1, 10))):
            changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
        body = bytes(changed)
    elif how == "xml_value":
        body = _replace_values(body, draw)
    elif how == "xml_truncate":
        body = body[: draw(st.integers(0, len(body)))]
    else:
        start = draw(st.integers(0, len(body)))
        insert = draw(st.sampled_from([b"<c r=\"A1\" t=\"s\"><v>99999</v></c>", b"<row r=\"1048576\"/>",
                                       b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"\x00\xff", b"<", b">",
                                       b"s=\"99999\"", b"<v>1E999</v>", b"r=\"XFD1048576\"",
                                       b"<hyperlink ref=\"A1\" r:id=\"rId99\"/>"]))
        body = body[:start] + insert + body[start:]
    parts[index] = (info, body)
    return rezip(parts)


def _replace_values(body: bytes, draw) -> bytes:
    """One or a few <v>…</v> (else <t>…</t>) values the draw picks get a nasty value instead."""
    text = body.decode("utf-8", "replace")
    marker = "<v>" if "<v>" in text else "<t>"
    pieces = text.split(marker)
    if len(pieces) == 1:
        return body
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(1, len(pieces) - 1))
        end = pieces[position].find("<")
        pieces[position] = draw(st.sampled_from(NASTY_VALUES)) + pieces[position][max(end, 0):]
    return marker.join(pieces).encode("utf-8")


def assert_store_consistent(root: Path) -> None:
    """SQLite's own checks, and every recorded file's original kept under archive/ with its SHA-256."""
    with closing(sqlite3.connect(root / "fazhi.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for sha, archive_name in db.execute("SELECT DISTINCT sha256, archive_name FROM files"):
            kept = (root / "archive" / archive_name).read_bytes()
            assert hashlib.sha256(kept).hexdigest() == sha
        orphans = db.execute("SELECT COUNT(*) FROM submissions s LEFT JOIN files f ON f.id = s.file_id "
                             "WHERE f.id IS NULL").fetchone()[0]
        assert orphans == 0


def fuzz_case(root: Path, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    workspace = Workspace(root)
    report = ingest_paths(workspace, [path])
    assert report.files, "every handed file is reported"
    for outcome in report.files:
        assert outcome.outcome in (TAKEN, DUPLICATE, SUPERSEDED, REFUSED, HELD, "unpacked"), outcome
        if outcome.outcome in (REFUSED, HELD):
            assert outcome.message and "「" in outcome.message, outcome
    assert_store_consistent(root)
    # a taken file never stops the results commands
    validate_workspace(workspace)
    board = compute_scores(workspace)
    score_json(board)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 30,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_mutation_of_a_returned_workbook_is_taken_or_refused_by_name(campaign, data, tmp_path):
    root, original = campaign
    mutated = data.draw(mutated_workbooks(original))
    fuzz_case(root, tmp_path / "变异.xlsx", mutated)
