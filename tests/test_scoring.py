"""The scoring core against cases worked by hand from the seed, and its invariants (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fazhi_cli.domain import scoring
from fazhi_cli.domain.numbers import NotANumber, parse_count, parse_decimal, parse_flag
from fazhi_cli.rubric.loading import builtin_rubric

RUBRIC = builtin_rubric()
DEPT = RUBRIC.for_type("department")
TOWN = RUBRIC.for_type("township")
D = Decimal


def months(**overrides: int) -> dict[str, int]:
    facts = {f"3.2a.{m:02d}": 2 for m in range(1, 13)}
    facts.update({f"3.2a.{int(k[1:]):02d}": v for k, v in overrides.items()})
    return facts


def test_information_one_in_march_none_in_july_gives_ceiling_4_4():
    facts = months(m3=1, m7=0)
    assert scoring.item_ceiling(DEPT.item("3.2"), facts) == D("4.4")


def test_a_month_above_quota_does_not_make_up_for_another():
    facts = months(m1=6, m2=0)
    assert scoring.item_ceiling(DEPT.item("3.2"), facts) == D("4.6")


def test_no_information_all_year_leaves_5_minus_4_8():
    facts = months(**{f"m{m}": 0 for m in range(1, 13)})
    assert scoring.item_ceiling(DEPT.item("3.2"), facts) == D("0.2")


def test_law_enforcement_deductions_add_up_and_floor_at_zero():
    item = DEPT.item("4.1")
    assert scoring.item_ceiling(item, {"4.1a": 3, "4.1d": True}) == D(9)  # 15 − 3×1 − 3
    everything = {"4.1a": 20, "4.1b": True, "4.1c": True, "4.1d": True, "4.1e": True}
    assert scoring.item_deduction(item, everything) == D(29)
    assert scoring.item_ceiling(item, everything) == D(0)


def test_township_count_rules_use_their_own_points():
    assert scoring.item_ceiling(TOWN.item("3.2"), {"3.2a": 1, "3.2b": 2}) == D(6)  # 15 − 3 − 6
    assert scoring.item_ceiling(TOWN.item("3.1"), {"3.1a": 1}) == D(5)


def test_flag_answered_no_deducts_nothing():
    assert scoring.item_ceiling(DEPT.item("1.1"), {"1.1a": False}) == D(10)
    assert scoring.item_ceiling(DEPT.item("1.1"), {"1.1a": True}) == D(8)


def test_bonus_takes_the_highest_and_penalty_is_2p1_plus_5p2():
    special = RUBRIC.special
    assert scoring.special_bonus(special, {"B1": True, "B2": True}) == D(5)
    assert scoring.special_bonus(special, {"B2": True}) == D(3)
    assert scoring.special_bonus(special, {}) == D(0)
    assert scoring.special_penalty(special, {"P1": 2, "P2": 1}) == D(9)


def test_a_whole_department_by_hand():
    # every item full except 3.2 (4.4, see above) and 4.1 (one uncertified officer: 14); B2; one P1
    scores = [i.max for i in DEPT.items]
    facts = {**months(m3=1, m7=0), "4.1a": 1, "B2": True, "P1": 1}
    ceilings = {i.id: scoring.item_ceiling(i, facts) for i in DEPT.items}
    effective = [scoring.effective_item_score(s, ceilings[i.id]) for s, i in zip(scores, DEPT.items, strict=True)]
    total = scoring.total_score(
        effective, scoring.special_bonus(RUBRIC.special, facts), scoring.special_penalty(RUBRIC.special, facts)
    )
    assert total == D("99.40")  # 100 − 0.6 − 1 + 3 − 2
    assert scoring.converted_score(total, D(5)) == D("4.97")


def test_effective_score_caps_at_ceiling_and_counts_missing_as_zero():
    assert scoring.effective_item_score(D(10), D("8")) == D(8)
    assert scoring.effective_item_score(None, D("8")) == D(0)
    assert scoring.effective_item_score(D("7.555"), D("8")) == D("7.56")


def test_total_never_below_zero_and_competition_ranks():
    assert scoring.total_score([D(1)], D(0), D(10)) == D(0)
    ranks = scoring.competition_ranks({"a": D(90), "b": D(95), "c": D(90), "d": D(80)})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_grades_are_a_setting():
    bands = [("优秀", D(90)), ("良好", D(80)), ("合格", D(60))]
    assert scoring.grade_for(D("90.00"), bands) == "优秀"
    assert scoring.grade_for(D("79.99"), bands) == "合格"
    assert scoring.grade_for(D(10), bands) is None
    assert scoring.grade_for(D(99), []) is None


def test_numbers_as_people_type_them():
    for text, value in [("8", "8"), ("8.5", "8.5"), (" 8 ", "8"), ("８", "8"), ("8分", "8"),
                        ("８．５分", "8.5"), (4.4, "4.4"), (7, "7")]:
        assert parse_decimal(text) == D(value)
    for bad in ["八", "8..5", "", "about 8", True]:
        try:
            parse_decimal(bad)
        except NotANumber:
            continue
        raise AssertionError(f"{bad!r} was read as a number")
    assert parse_count("３次") == 3 and parse_count(2.0) == 2
    assert parse_flag(" 是 ") is True and parse_flag("否") is False


rules_facts = st.fixed_dictionaries(
    {
        **{f"3.2a.{m:02d}": st.integers(0, 10) for m in range(1, 13)},
        "1.1a": st.booleans(), "2.2a": st.integers(0, 5), "2.2b": st.integers(0, 5),
        "4.1a": st.integers(0, 30), "4.1b": st.booleans(), "4.1c": st.booleans(), "4.1d": st.booleans(),
        "4.1e": st.booleans(), "4.2a": st.booleans(), "5.1a": st.booleans(), "5.2a": st.integers(0, 9),
        "5.2b": st.integers(0, 9), "6.2a": st.booleans(), "6.2b": st.booleans(), "6.2c": st.booleans(),
        "B1": st.booleans(), "B2": st.booleans(), "P1": st.integers(0, 3), "P2": st.integers(0, 3),
    }
)
claims = st.lists(
    st.one_of(st.none(), st.decimals(min_value=-5, max_value=30, places=2)), min_size=14, max_size=14
)


@given(rules_facts, claims)
def test_items_stay_within_zero_and_maximum_and_total_within_105(facts, claimed):
    effective = []
    for item, claim in zip(DEPT.items, claimed, strict=True):
        ceiling = scoring.item_ceiling(item, facts)
        assert D(0) <= ceiling <= item.max
        score = scoring.effective_item_score(claim, ceiling)
        assert D(0) <= score <= ceiling
        effective.append(score)
    total = scoring.total_score(
        effective, scoring.special_bonus(RUBRIC.special, facts), scoring.special_penalty(RUBRIC.special, facts)
    )
    assert D(0) <= total <= RUBRIC.max_total("department") == D(105)
    assert total == total.quantize(D("0.01"))


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.decimals(0, 105, places=2), min_size=1))
def test_equal_totals_share_a_rank_and_ranks_skip(totals):
    ranks = scoring.competition_ranks(totals)
    for a, ta in totals.items():
        assert ranks[a] == 1 + sum(1 for t in totals.values() if t > ta)
        for b, tb in totals.items():
            if ta == tb:
                assert ranks[a] == ranks[b]
