"""A unit is an adversary: whatever it puts into a cell, every number stays a bounded, finite, exact decimal.

Returned workbooks are real files: filled from the generated ones with the product's own filler, then
edited at the zip level to hold what Excel can store but a person would never mean (`<v>1E999</v>` that
openpyxl reads as infinity, `<v>1E+30</v>`, a 30-digit number, `t="b"` logical cells, `<v>NaN</v>`). The
real CLI runs in-process on them: no command may fail with a traceback, the bad cell is a finding that
names it and says why, the other units are scored, and the JSON is strict (no NaN, no Infinity, no -0).
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import set_weights
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from test_ingest import (  # noqa: F401 - wide_terminal is an autouse fixture
    DEPT,
    ON_TIME,
    SCORE_PART,
    TOWN,
    clean_answers,
    fill,
    rewrite_part,
    stamp,
    wide_terminal,
)
from test_validate import cell_of

from fazhi_cli.cli.output import json_ready, print_json
from fazhi_cli.domain.numbers import (
    MAX_COUNT,
    MAX_MAGNITUDE,
    NotANumber,
    cents,
    format_cents,
    parse_count,
    parse_decimal,
    parse_flag,
    parse_weight,
    plain_number,
)

THIRD = "区教育局"  # a third unit whose return is clean: it must be scored whatever the others sent
MARKER = 987650  # a number no answer holds: planted first, then replaced in the sheet's XML
NEGATIVE_ZERO = re.compile(r"(?<![\w.\-])-0(\.0+)?(?![\w.])")


@pytest.fixture(autouse=True)
def office_clock(monkeypatch):
    monkeypatch.setenv("FAZHI_NOW", "2017-12-05T10:00:00+08:00")


@pytest.fixture
def ws(cli, workspace) -> Path:
    result = cli("generate", "--unit", DEPT, "--unit", TOWN, "--unit", THIRD, "-w", workspace)
    assert result.code == 0, result.err
    return workspace


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity (the standard library accepts them by default)."""

    def refuse(constant: str):
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def no_negative_zero(*texts: str) -> None:
    for text in texts:
        found = NEGATIVE_ZERO.search(text)
        assert found is None, text[max(0, found.start() - 80): found.end() + 80]


def no_signed_zero_in(data) -> None:
    if isinstance(data, dict):
        for value in data.values():
            no_signed_zero_in(value)
    elif isinstance(data, list):
        for value in data:
            no_signed_zero_in(value)
    elif isinstance(data, float):
        assert math.isfinite(data) and not (data == 0 and math.copysign(1, data) < 0), data


def plant(path: Path, planted: dict[int, tuple[str, str]], part: str = SCORE_PART) -> Path:
    """Replace each marker number's cell in the sheet XML by (cell type, stored XML): what a hand-edited or
    foreign-tool file can hold (`n` with `1E999`, `b` with `1`, `inlineStr` with `<is>…</is>`)."""
    data = path.read_bytes()

    def change(body: bytes) -> bytes:
        text = body.decode("utf-8")
        for marker, (kind, stored) in planted.items():
            pattern = re.compile(rf'<c ([^>]*?)(?: t="\w+")?><v>{marker}</v></c>')
            assert len(pattern.findall(text)) == 1, f"marker {marker} not found once"
            inner = stored if kind == "inlineStr" else f"<v>{stored}</v>"
            text = pattern.sub(lambda m, k=kind, i=inner: f'<c {m.group(1)} t="{k}">{i}</c>', text)
        return text.encode("utf-8")

    path.write_bytes(rewrite_part(data, part, change))
    return stamp(path, ON_TIME)


def returned_with(ws: Path, tmp_path: Path, cells: dict[tuple[str, str], tuple[str, str]], answers=None) -> Path:
    """区发改局's return (clean unless `answers`) with each (ID, "fact"|"score") cell holding (cell type, XML)."""
    answers = answers or clean_answers(DEPT)
    planted = {}
    for offset, ((ident, field), stored) in enumerate(cells.items()):
        (answers.facts if field == "fact" else answers.scores)[ident] = MARKER + offset
        planted[MARKER + offset] = stored
    return plant(fill(ws, tmp_path / "区发改局自评表.xlsx", DEPT, answers), planted)


def run_everything(cli, ws: Path) -> dict[str, object]:
    """Every command after ingest: none may crash; returns the parsed JSON documents and all the text."""
    outputs = {}
    validate = cli("validate", "--json", "-w", ws)
    assert validate.code in (0, 1), validate.err
    outputs["validate"] = strict_json(validate.out)
    human = cli("validate", "-w", ws)
    assert human.code == validate.code, human.err
    score = cli("score", "--json", "-w", ws)
    assert score.code == 0, score.err
    outputs["score"] = strict_json(score.out)
    table = cli("score", "-w", ws)
    assert table.code == 0, table.err
    status = cli("status", "-w", ws)
    assert status.code == 0, status.err
    status_json = cli("status", "--json", "-w", ws)
    assert status_json.code == 0, status_json.err
    strict_json(status_json.out)
    report = cli("report", "-w", ws)
    assert report.code == 0, report.err
    sheets = cli("review-sheet", "-w", ws)
    assert sheets.code == 0, sheets.err
    texts = [r.out + r.err for r in (validate, human, score, table, status, status_json, report, sheets)]
    assert not any("Traceback" in t for t in texts)
    no_negative_zero(score.out, table.out, status.out)
    no_signed_zero_in(outputs["score"])
    pages = [p.read_text("utf-8") for p in (ws / "reports").rglob("*.html")]
    no_negative_zero(*(re.sub(r"<[^>]*>", " ", page) for page in pages))
    outputs["text"] = "\n".join(texts)
    return outputs


def units_by_name(score: dict) -> dict[str, dict]:
    return {u["unit"]: u for u in score["units"]}


def assert_others_scored(score: dict) -> None:
    units = units_by_name(score)
    for name in (TOWN, THIRD):
        assert units[name]["status"] == "scored" and units[name]["errors"] == 0, units[name]
        assert units[name]["total"] is not None and units[name]["rank"] == 1
    assert units[DEPT]["status"] == "scored" and units[DEPT]["total"] is not None


# --- hostile cells in a unit's own return -----------------------------------------------------------------------

COUNT, FLAG, SCORE, PENALTY = ("2.2a", "fact"), ("1.1a", "fact"), ("1.1", "score"), ("P1", "fact")

HOSTILE = {
    # case: (cell, (cell type, stored XML text), finding code, phrase the message must hold)
    "count_inf": (COUNT, ("n", "1E999"), "count_invalid", "“∞”不是有限数"),
    "count_minus_inf": (COUNT, ("n", "-1E999"), "count_invalid", "“-∞”不是有限数"),
    "count_1e30": (COUNT, ("n", "1E+30"), "count_invalid", "次数过大(超过 10000),请核实"),
    "count_30_digits": (COUNT, ("n", "123456789012345678901234567890"), "count_invalid",
                        "“123456789012345678901234567890”次数过大"),
    "count_just_too_many": (COUNT, ("n", "10001"), "count_invalid", "“10001”次数过大"),
    "count_logical": (COUNT, ("b", "1"), "count_invalid", "“TRUE”是逻辑值(TRUE/FALSE),不是数字"),
    "penalty_1e30": (PENALTY, ("n", "1E+30"), "count_invalid", "次数过大"),
    "penalty_inf": (PENALTY, ("n", "1E999"), "count_invalid", "不是有限数"),
    "flag_logical": (FLAG, ("b", "0"), "flag_invalid", "“FALSE”是逻辑值(TRUE/FALSE),只能填“是”或“否”"),
    "flag_inf": (FLAG, ("n", "1E999"), "flag_invalid", "“∞”无法识别"),
    "score_inf": (SCORE, ("n", "1E999"), "score_not_number", "自评得分“∞”不是有限数(暂按 0 分计)"),
    "score_1e30": (SCORE, ("n", "1E+30"), "score_not_number", "自评得分“1e+30”数值过大(绝对值超过 1000000)"),
    "score_minus_1e30": (SCORE, ("n", "-1E+30"), "score_not_number", "数值过大"),
    "score_30_digits": (SCORE, ("n", "123456789012345678901234567890"), "score_not_number",
                        "“123456789012345678901234567890”数值过大"),
    "score_logical": (SCORE, ("b", "1"), "score_not_number", "自评得分“TRUE”是逻辑值(TRUE/FALSE),不是数字"),
    "score_text_inf": (SCORE, ("inlineStr", "<is><t>Infinity</t></is>"), "score_not_number", "“Infinity”不是有限数"),
    "score_text_nan": (SCORE, ("inlineStr", "<is><t>NaN</t></is>"), "score_not_number", "“NaN”不是有限数"),
    "score_text_1e999": (SCORE, ("inlineStr", "<is><t>1E999</t></is>"), "score_not_number", "“1E999”数值过大"),
    "score_text_true": (SCORE, ("inlineStr", "<is><t>TRUE</t></is>"), "score_not_number", "逻辑值"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_cell_is_a_finding_on_that_cell_and_every_command_still_works(case, cli, ws, tmp_path):
    (ident, field), stored, code, phrase = HOSTILE[case]
    answers = clean_answers(DEPT)
    (answers.facts if field == "fact" else answers.scores)[ident] = MARKER
    path = plant(fill(ws, tmp_path / "区发改局自评表.xlsx", DEPT, answers), {MARKER: stored})
    others = [fill(ws, tmp_path / "元坝镇.xlsx", TOWN), fill(ws, tmp_path / "区教育局.xlsx", THIRD)]
    taken = cli("ingest", path, *others, "-w", ws)
    assert taken.code == 0, taken.out + taken.err

    outputs = run_everything(cli, ws)
    cell = cell_of(path, ident, "填报值" if field == "fact" else "自评得分")
    mine = [f for f in outputs["validate"]["findings"] if f["cell"] == cell]
    assert [(f["unit"], f["severity"], f["code"], f["ref"]) for f in mine] == [(DEPT, "error", code, ident)]
    assert mine[0]["message"].startswith(f"【{DEPT}】{cell}:") and phrase in mine[0]["message"], mine[0]
    assert phrase in outputs["text"]  # the human validate output says it too
    score = outputs["score"]
    assert_others_scored(score)
    dept = units_by_name(score)[DEPT]
    assert dept["errors"] >= 1 and dept["provisional"] is True
    if field == "score":
        assert dept["items"][ident] == 0  # an unreadable score counts 0 (provisional), as any unreadable value


def test_a_workbook_with_nan_stored_in_a_number_cell_never_crashes_a_command(cli, ws, tmp_path):
    """openpyxl cannot read `<v>NaN</v>` as a number at all: the file is refused (and kept), nothing crashes."""
    path = returned_with(ws, tmp_path, {SCORE: ("n", "NaN")})
    other = fill(ws, tmp_path / "元坝镇.xlsx", TOWN)
    taken = cli("ingest", path, other, "-w", ws)
    assert taken.code == 1 and "Traceback" not in taken.out + taken.err
    outputs = run_everything(cli, ws)
    units = units_by_name(outputs["score"])
    assert units[TOWN]["status"] == "scored" and units[TOWN]["total"] is not None
    refused = [f for f in outputs["validate"]["findings"] if f["unit"] is None]
    assert [(f["file"], f["code"]) for f in refused] == [(path.name, "unreadable")]


def test_many_hostile_cells_at_once_each_get_their_own_finding(cli, ws, tmp_path):
    cells = {COUNT: ("n", "1E999"), ("2.2b", "fact"): ("n", "1E+30"), FLAG: ("b", "1"), SCORE: ("n", "1E999"),
             ("1.2", "score"): ("n", "123456789012345678901234567890"), ("2.1", "score"): ("b", "1"),
             PENALTY: ("n", "123456789012345678901234567890"), ("P2", "fact"): ("n", "-1E999")}
    path = returned_with(ws, tmp_path, cells)
    taken = cli("ingest", path, fill(ws, tmp_path / "元坝镇.xlsx", TOWN), fill(ws, tmp_path / "区教育局.xlsx", THIRD),
                "-w", ws)
    assert taken.code == 0, taken.out + taken.err
    outputs = run_everything(cli, ws)
    by_cell = {f["cell"]: f for f in outputs["validate"]["findings"] if f["severity"] == "error"}
    for ident, field in cells:
        cell = cell_of(path, ident, "填报值" if field == "fact" else "自评得分")
        assert cell in by_cell and by_cell[cell]["ref"] == ident, (ident, sorted(by_cell))
    assert_others_scored(outputs["score"])
    dept = units_by_name(outputs["score"])[DEPT]
    assert dept["penalty"] == 0  # the unreadable special counts are not counted


def test_negative_zero_is_never_shown(cli, ws, tmp_path):
    """-0 typed as text and stored as a number, in scores and in the special deduction count."""
    answers = clean_answers(DEPT)
    answers.scores["1.2"] = "-0"
    answers.scores["2.1"] = "-0.00"
    answers.facts["P1"] = "-0"
    path = returned_with(ws, tmp_path, {("1.1", "score"): ("n", "-0")}, answers)
    taken = cli("ingest", path, fill(ws, tmp_path / "元坝镇.xlsx", TOWN), "-w", ws)
    assert taken.code == 0, taken.out + taken.err
    outputs = run_everything(cli, ws)
    dept = units_by_name(outputs["score"])[DEPT]
    assert dept["items"]["1.1"] == 0 and dept["items"]["1.2"] == 0 and dept["penalty"] == 0
    assert not [f for f in outputs["validate"]["findings"] if f["code"] == "score_negative"]
    no_negative_zero(outputs["text"])


# --- hostile values in the office's review sheet ----------------------------------------------------------------


def review_column(sheet, title: str) -> int:
    for row in sheet.iter_rows(min_row=1, max_row=15):
        for cell in row:
            if cell.value == title:
                return cell.column
    raise AssertionError(f"no column {title}")


def test_the_office_review_sheet_gets_the_same_bounds(cli, ws, tmp_path):
    paths = [fill(ws, tmp_path / "区发改局.xlsx", DEPT), fill(ws, tmp_path / "区教育局.xlsx", THIRD)]
    assert cli("ingest", *paths, "-w", ws).code == 0
    before = units_by_name(strict_json(cli("score", "--json", "-w", ws).out))[DEPT]
    assert cli("review-sheet", "-w", ws).code == 0
    sheet_path = ws / "review" / "2017年度法治政府建设复核打分表_区级部门.xlsx"
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["复核打分表"]
    unit_column, id_column, column = (review_column(sheet, t) for t in ("单位名称", "编号", "核定得分"))
    lines = {sheet.cell(r, id_column).value: r for r in range(1, sheet.max_row + 1)
             if sheet.cell(r, unit_column).value == DEPT}
    planted = {"1.1": ("n", "1E999"), "1.2": ("b", "1"), "2.1": ("n", "123456789012345678901234567890"),
               "特别扣分": ("n", "1E+30")}
    cells = {}
    for offset, ref in enumerate(planted):
        sheet.cell(lines[ref], column).value = MARKER + offset
        cells[ref] = f"复核打分表!{get_column_letter(column)}{lines[ref]}"
    book.save(sheet_path)
    plant(sheet_path, {MARKER + i: stored for i, stored in enumerate(planted.values())}, "xl/worksheets/sheet1.xml")
    taken = cli("ingest", sheet_path, "-w", ws)
    assert taken.code == 1 and "未采用" in taken.err, taken.out + taken.err  # taken; the values do not count: said

    outputs = run_everything(cli, ws)
    review = {f["cell"]: f for f in outputs["validate"]["findings"] if f["code"] == "review_not_number"}
    assert set(review) == set(cells.values())
    assert "“∞”不是有限数,未采用" in review[cells["1.1"]]["message"]
    assert "“TRUE”是逻辑值(TRUE/FALSE),不是数字,未采用" in review[cells["1.2"]]["message"]
    assert "数值过大" in review[cells["2.1"]]["message"] and "数值过大" in review[cells["特别扣分"]]["message"]
    units = units_by_name(outputs["score"])
    # the hostile cells were not used, so nothing moved
    assert {k: units[DEPT][k] for k in ("items", "bonus", "penalty", "total")} == {
        k: before[k] for k in ("items", "bonus", "penalty", "total")}
    assert units[THIRD]["status"] == "scored" and units[THIRD]["total"] is not None


# --- the parsers themselves -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, reason", [
    (float("inf"), "不是有限数"), (float("-inf"), "不是有限数"), (float("nan"), "不是有限数"),
    (Decimal("Infinity"), "不是有限数"), (Decimal("NaN"), "不是有限数"), (Decimal("sNaN"), "不是有限数"),
    ("inf", "不是有限数"), ("-Infinity", "不是有限数"), ("nan", "不是有限数"), ("∞", "不是有限数"),
    ("1E999", "数值过大"), ("1e+30", "数值过大"), (1e30, "数值过大"), (10**30, "数值过大"),
    ("123456789012345678901234567890", "数值过大"), (Decimal("1E+30"), "数值过大"), (1000000.01, "数值过大"),
    (True, "逻辑值"), (False, "逻辑值"), ("TRUE", "逻辑值"), ("False", "逻辑值"),
    ("#DIV/0!", "错误值"), ("1.5e2", "科学记数法"), ("1" * 100, "位数过多"),
])
def test_parse_decimal_refuses_and_says_why(raw, reason):
    with pytest.raises(NotANumber) as refused:
        parse_decimal(raw)
    assert reason in str(refused.value) and reason in refused.value.reason


def test_bounds_and_the_values_people_type():
    assert parse_decimal(MAX_MAGNITUDE) == MAX_MAGNITUDE and parse_decimal(-(10**6)) == -MAX_MAGNITUDE
    assert parse_decimal("８．５分") == Decimal("8.5") and parse_decimal(4.4) == Decimal("4.4")
    for zero in ("-0", "-0.00", -0.0, Decimal("-0"), Decimal("-0.000")):
        value = parse_decimal(zero)
        assert value == 0 and not value.is_signed(), zero
    assert parse_count(MAX_COUNT) == MAX_COUNT and parse_count("３次") == 3 and parse_count("-0") == 0
    whole = "不是大于或等于 0 的整数"
    for raw, phrase in [(MAX_COUNT + 1, "次数过大"), ("1E+30", "次数过大"), (1e30, "次数过大"), (True, "逻辑值"),
                        (float("inf"), "不是有限数"), ("-1", whole), (1.5, whole)]:
        with pytest.raises(NotANumber, match=phrase):
            parse_count(raw)
    with pytest.raises(NotANumber, match="TRUE.*逻辑值"):
        parse_flag(True)
    with pytest.raises(NotANumber, match="“TRUE”是逻辑值"):
        parse_flag("True")


def test_cents_never_gives_negative_zero_and_refuses_what_no_input_can_produce():
    for value in ("-0", "-0.00", "-0.001", "-0.004999", "0.004"):
        rounded = cents(Decimal(value))
        assert rounded == 0 and str(rounded) == "0.00", value
        assert format_cents(Decimal(value)) == "0.00" and plain_number(Decimal(value)) == 0
    assert format_cents(-0.0) == "0.00" and str(cents(Decimal("-0.005"))) == "-0.01"
    for bad in (Decimal("Infinity"), Decimal("NaN"), Decimal("1E+30")):
        with pytest.raises(ValueError, match="internal error"):
            cents(bad)


@pytest.mark.parametrize("raw, expected", [(5, "5"), ("5", "5"), (5.5, "5.5"), (0, "0"), (100, "100"),
                                           ("１００", "100")])
def test_parse_weight_accepts_a_number_from_0_to_100(raw, expected):
    assert parse_weight(raw) == Decimal(expected)


@pytest.mark.parametrize("raw, phrase", [
    ("NaN", "不是有限数"), (float("nan"), "不是有限数"), (float("inf"), "不是有限数"), ("inf", "不是有限数"),
    (101, "超出范围"), (-1, "超出范围"), (1e30, "数值过大"), (True, "逻辑值"), ("五", "不是数字"), (None, "不是数字"),
])
def test_parse_weight_refuses_anything_else_with_a_chinese_message_naming_the_setting(raw, phrase):
    with pytest.raises(NotANumber) as refused:
        parse_weight(raw)
    assert "weight" in str(refused.value) and phrase in str(refused.value) and "0 至 100" in str(refused.value)


# --- the JSON writer ------------------------------------------------------------------------------------------


def test_json_output_is_strict_two_decimals_and_without_negative_zero(capsys):
    print_json({"a": Decimal("83.456"), "b": Decimal("-0.00"), "c": -0.0, "d": [Decimal("7.00"), 1.5], "e": None})
    out = capsys.readouterr().out
    assert strict_json(out) == {"a": 83.46, "b": 0, "c": 0.0, "d": [7, 1.5], "e": None}
    no_negative_zero(out)
    for bad in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(ValueError, match="internal error"):
            print_json({"total": bad})
        with pytest.raises(ValueError, match="internal error"):
            json_ready([bad])
    assert capsys.readouterr().out == ""  # nothing half-written


# --- properties ----------------------------------------------------------------------------------------------

typed_numbers = st.from_regex(r"\A[ +\-]?[0-9０-９]{0,40}([.．][0-9]{0,12})?([eE][+\-]?[0-9]{1,12})?(分|次)?\Z")
extreme_decimals = st.builds(Decimal, st.from_regex(r"\A-?[0-9]{1,40}(\.[0-9]{0,40})?[eE][+\-]?[0-9]{1,18}\Z"))
anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True), extreme_decimals, st.text(), typed_numbers,
    st.sampled_from(["inf", "-inf", "NaN", "Infinity", "1E999", "-1E999", "1E+30", "TRUE", "FALSE", "True", "-0",
                     "1E999999999", "-1e-999999999", Decimal("1E+999999999"), Decimal("-1E-999999999")]),
)


def assert_bounded(value: Decimal) -> None:
    assert isinstance(value, Decimal) and value.is_finite()
    assert abs(value) <= MAX_MAGNITUDE
    assert not (value.is_zero() and value.is_signed())


@settings(max_examples=400, deadline=None)
@given(anything)
def test_parse_decimal_returns_a_bounded_finite_decimal_or_refuses(raw):
    try:
        value = parse_decimal(raw)
    except NotANumber as refused:
        assert str(refused) and refused.shown is not None
        return
    assert_bounded(value)
    assert_bounded(cents(value.copy_abs().min(MAX_MAGNITUDE)))
    json.dumps(plain_number(value), allow_nan=False)
    assert not format_cents(value).startswith("-0.00")


@settings(max_examples=300, deadline=None)
@given(anything)
def test_parse_count_returns_a_bounded_whole_number_or_refuses(raw):
    try:
        value = parse_count(raw)
    except NotANumber as refused:
        assert str(refused)
        return
    assert type(value) is int and 0 <= value <= MAX_COUNT


@settings(max_examples=300, deadline=None)
@given(anything)
def test_parse_weight_returns_a_finite_weight_from_0_to_100_or_refuses(raw):
    try:
        value = parse_weight(raw)
    except NotANumber as refused:
        assert "weight" in str(refused)
        return
    assert_bounded(value)
    assert 0 <= value <= 100


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE, allow_nan=False, allow_infinity=False))
def test_rounded_scores_are_never_negative_zero_and_always_valid_json(value):
    rounded = cents(value)
    assert not (rounded.is_zero() and rounded.is_signed())
    assert rounded == rounded.quantize(Decimal("0.01"))
    text = json.dumps(json_ready({"v": value}), allow_nan=False)
    no_negative_zero(text)
    assert abs(Decimal(str(strict_json(text)["v"])) - rounded) == 0


# --- the weight setting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ['"NaN"', "nan", "inf", '"1E999"', "101", "-5", "true"])
def test_a_weight_that_is_not_a_number_from_0_to_100_makes_the_workspace_unusable(setting, cli, ws, tmp_path):
    set_weights(ws, department=setting)
    result = cli("score", "--json", "-w", ws)
    assert result.code == 2 and result.out == ""
    assert "weights.department" in result.err and "0 至 100" in result.err
