"""Reading numbers and answers (pure domain): each refusal with its exact reason, shown value and message."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

import pytest

from fazhi_cli.domain.identity import MAC_KEY, REVIEW_SHEET_FIELDS, SELF_ASSESSMENT_FIELDS, is_sealed, seal
from fazhi_cli.domain.numbers import (
    NotANumber,
    cents,
    format_cents,
    is_blank,
    normalise_text,
    parse_count,
    parse_decimal,
    parse_flag,
    parse_setting,
    parse_weight,
    plain_number,
    show_raw,
)


def refusal(parse, raw) -> tuple[str, str | None, str]:
    with pytest.raises(NotANumber) as caught:
        parse(raw)
    return str(caught.value), caught.value.reason, caught.value.shown


@pytest.mark.parametrize(("raw", "shown"), [
    (True, "TRUE"), (False, "FALSE"), (float("nan"), "NaN"), (float("inf"), "∞"), (float("-inf"), "-∞"),
    (4.4, "4.4"), (Decimal("NaN"), "NaN"), (Decimal("Infinity"), "∞"), (Decimal("-Infinity"), "-∞"),
    (None, ""), (" true ", "TRUE"), ("ｆａｌｓｅ", "FALSE"), ("a\tb", "a b"), ("x" * 30, "x" * 30),
    ("x" * 31, "x" * 30 + "…"), (7, "7"), (Decimal("2.50"), "2.50"),
    (2 ** 9_999, str(2 ** 9_999)[:30] + "…"), (2 ** 10_000, "位数极多的整数"),
])
def test_show_raw(raw, shown):
    assert show_raw(raw) == shown


@pytest.mark.parametrize(("raw", "value"), [
    (8, Decimal(8)), (-3, Decimal(-3)), (1_000_000, Decimal(1_000_000)), (4.4, Decimal("4.4")),
    (-0.0, Decimal("0.0")), (Decimal("-0.00"), Decimal("0.00")), (Decimal("1000000"), Decimal(1_000_000)),
    (" 8 ", Decimal(8)), ("８．５", Decimal("8.5")), ("8分", Decimal(8)), ("８．５ 分", Decimal("8.5")),
    ("1,234.5", Decimal("1234.5")), (".5", Decimal("0.5")), ("5.", Decimal(5)), ("+2", Decimal(2)),
    ("-0", Decimal(0)), ("999999", Decimal(999999)),
])
def test_parse_decimal_reads_numbers_as_typed(raw, value):
    parsed = parse_decimal(raw)
    assert parsed == value and str(parsed) == str(value)
    assert not parsed.is_signed() or parsed < 0


@pytest.mark.parametrize(("raw", "reason", "shown"), [
    (True, "是逻辑值(TRUE/FALSE),不是数字", "TRUE"),
    ("FALSE", "是逻辑值(TRUE/FALSE),不是数字", "FALSE"),
    (1_000_001, "数值过大(绝对值超过 1000000)", "1000001"),
    (-1_000_001, "数值过大(绝对值超过 1000000)", "-1000001"),
    (1_000_000.5, "数值过大(绝对值超过 1000000)", "1000000.5"),
    (float("inf"), "不是有限数", "∞"), (float("nan"), "不是有限数", "NaN"),
    (Decimal("NaN"), "不是有限数", "NaN"), (Decimal("1000000.01"), "数值过大(绝对值超过 1000000)", "1000000.01"),
    ("inf", "不是有限数", "inf"), ("-Infinity", "不是有限数", "-Infinity"), ("+nan", "不是有限数", "+nan"),
    ("∞", "不是有限数", "∞"), ("1.#INF", "不是有限数", "1.#INF"), ("sNaN", "不是有限数", "sNaN"),
    ("#DIV/0!", "是 Excel 错误值,不是数字", "#DIV/0!"), ("#N/A", "是 Excel 错误值,不是数字", "#N/A"),
    ("1" * 61, "位数过多", "1" * 30 + "…"),
    ("1e3", "是科学记数法,请直接填写数字", "1e3"), ("2E+5", "是科学记数法,请直接填写数字", "2E+5"),
    ("1E7", "数值过大(绝对值超过 1000000)", "1E7"), ("-1e999999999", "数值过大(绝对值超过 1000000)", "-1e999999999"),
    ("1000000.1", "数值过大(绝对值超过 1000000)", "1000000.1"),
    ("八", None, "八"), ("", None, ""), (None, None, ""), ("1.2.3", None, "1.2.3"), ("1e", None, "1e"),
])
def test_parse_decimal_refusals(raw, reason, shown):
    message, why, repeated = refusal(parse_decimal, raw)
    assert (why, repeated) == (reason, shown)
    assert message == f"“{shown}”{reason or '不是数字'}"


def test_sixty_digits_are_still_a_number_to_bound():
    assert refusal(parse_decimal, "1" * 60)[1] == "数值过大(绝对值超过 1000000)"
    assert parse_decimal("0" * 59 + "5") == 5


@pytest.mark.parametrize(("raw", "count"), [
    (3, 3), ("３", 3), ("3次", 3), ("3起", 3), ("3条", 3), ("3个", 3), (3.0, 3), (" 0 ", 0), (10_000, 10_000),
    ("2 次", 2),
])
def test_parse_count(raw, count):
    assert parse_count(raw) == count and type(parse_count(raw)) is int


@pytest.mark.parametrize(("raw", "message", "reason", "shown"), [
    (-1, "“-1”不是大于或等于 0 的整数", None, "-1"),
    ("2.5", "“2.5”不是大于或等于 0 的整数", None, "2.5"),
    (10_001, "“10001”次数过大(超过 10000),请核实", "次数过大(超过 10000),请核实", "10001"),
    (2_000_000, "“2000000”次数过大(超过 10000),请核实", "次数过大(超过 10000),请核实", "2000000"),
    ("三次", "“三次”不是数字", None, "三次"),
    (True, "“TRUE”是逻辑值(TRUE/FALSE),不是数字", "是逻辑值(TRUE/FALSE),不是数字", "TRUE"),
])
def test_parse_count_refusals(raw, message, reason, shown):
    assert refusal(parse_count, raw) == (message, reason, shown)


@pytest.mark.parametrize(("raw", "answer"), [("是", True), ("否", False), (" 是 ", True), ("否\u3000", False)])
def test_parse_flag(raw, answer):
    assert parse_flag(raw) is answer


@pytest.mark.parametrize(("raw", "message", "reason", "shown"), [
    (True, "“TRUE”是逻辑值(TRUE/FALSE),应为“是”或“否”", "是逻辑值(TRUE/FALSE)", "TRUE"),
    ("false", "“FALSE”是逻辑值(TRUE/FALSE),应为“是”或“否”", "是逻辑值(TRUE/FALSE)", "FALSE"),
    ("有", "“有”应为“是”或“否”", None, "有"),
    (None, "“”应为“是”或“否”", None, ""),
    (1, "“1”应为“是”或“否”", None, "1"),
])
def test_parse_flag_refusals(raw, message, reason, shown):
    assert refusal(parse_flag, raw) == (message, reason, shown)


def test_parse_setting_and_weight():
    assert parse_setting("5.5", "x", Decimal(0), Decimal(10)) == Decimal("5.5")
    assert parse_setting(0, "x", Decimal(0), Decimal(10)) == 0
    assert parse_setting(10, "x", Decimal(0), Decimal(10)) == 10
    assert parse_weight(100) == 100 and parse_weight("0") == 0
    assert refusal(lambda r: parse_setting(r, "bonus_cap", Decimal(1), Decimal(10)), "abc") == (
        "fazhi.toml 中 bonus_cap 的值“abc”不是数字,应为 1 至 10 之间的数", None, "abc")
    assert refusal(lambda r: parse_setting(r, "bonus_cap", Decimal(1), Decimal(10)), "inf") == (
        "fazhi.toml 中 bonus_cap 的值“inf”不是有限数,应为 1 至 10 之间的数", "不是有限数", "inf")
    assert refusal(lambda r: parse_setting(r, "bonus_cap", Decimal(1), Decimal(10)), "0.5") == (
        "fazhi.toml 中 bonus_cap 的值 0.5 超出范围,应为 1 至 10 之间的数", "超出范围", "0.5")
    assert refusal(parse_weight, "100.01") == (
        "fazhi.toml 中 weight(折算权重) 的值 100.01 超出范围,应为 0 至 100 之间的数", "超出范围", "100.01")
    assert refusal(parse_weight, -1)[0] == "fazhi.toml 中 weight(折算权重) 的值 -1 超出范围,应为 0 至 100 之间的数"


@pytest.mark.parametrize(("value", "rounded"), [
    (Decimal("2.345"), "2.35"), (Decimal("2.344"), "2.34"), (Decimal("-2.345"), "-2.35"), (Decimal("-0.001"), "0.00"),
    (Decimal(7), "7.00"), (Decimal("99999999999999999999.99") - 1, "99999999999999999998.99"),
])
def test_cents(value, rounded):
    assert str(cents(value)) == rounded


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal(10**20), Decimal(-(10**20))])
def test_cents_refuses_what_no_input_can_produce(value):
    with pytest.raises(ValueError, match=r"^internal error: score .* is out of bounds$"):
        cents(value)


def test_format_and_plain_numbers():
    assert format_cents(Decimal("83.2")) == "83.20" and format_cents(0) == "0.00" and format_cents(-0.001) == "0.00"
    assert format_cents(4.405) == "4.41" and format_cents(7) == "7.00"
    assert plain_number(Decimal("83.00")) == 83 and type(plain_number(Decimal("83.00"))) is int
    assert plain_number(Decimal("83.456")) == 83.46 and type(plain_number(Decimal("83.456"))) is float
    assert plain_number(Decimal("-0.001")) == 0 and str(plain_number(Decimal("-0.001"))) == "0"


def test_blank_and_normalised_text():
    assert normalise_text(" ８．５\u3000") == "8.5" and normalise_text(12) == "12"
    assert is_blank(None) and is_blank("") and is_blank(" \u3000 ")
    assert not is_blank(0) and not is_blank("0") and not is_blank(False)


def test_seal_is_the_hmac_of_the_canonical_fields_in_order():
    identity = {"format": "fazhi-self-assessment", "unit": "区发改局", "year": 2017}
    canonical = '[["unit","区发改局"],["year","2017"],["campaign",""]]'
    expected = hmac.new(b"k", canonical.encode("utf-8"), hashlib.sha256).hexdigest()
    assert seal(b"k", identity, ("unit", "year", "campaign")) == expected
    sealed = {**identity, MAC_KEY: expected}
    assert is_sealed(b"k", sealed, ("unit", "year", "campaign"))
    assert not is_sealed(b"other", sealed, ("unit", "year", "campaign"))
    assert not is_sealed(b"k", {**sealed, "unit": "元坝镇"}, ("unit", "year", "campaign"))
    assert not is_sealed(b"k", identity, ("unit", "year", "campaign"))
    assert not is_sealed(b"k", {**identity, MAC_KEY: ""}, ())
    assert MAC_KEY == "mac"
    assert SELF_ASSESSMENT_FIELDS == ("format", "format_version", "campaign", "year", "unit", "unit_type", "rubric",
                                      "rubric_version", "fingerprint", "generated_at")
    assert REVIEW_SHEET_FIELDS == ("format", "campaign", "year", "unit_type", "rubric", "rubric_version",
                                   "generated_at", "reviews_upto")
