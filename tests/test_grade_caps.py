"""等次 with caps (`[[grades]]` `max_share`): the cap is floor(share × the type's ranked units), units beyond it in
rank order get the next grade (capped again: a cascade), equal totals at the boundary move down together; a bad
share is refused; `score --json`, `approve`, the summary (HTML and Excel) and the 通报 say who was moved down; the
通报 can name only the top grade's units (“其他为良好”). Without max_share every output is as before."""

from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import docx
import openpyxl
import pytest
from helpers import set_weights
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.cli import output
from fazhi_cli.domain import scoring
from fazhi_cli.domain.grades import NotAShare, assign_grades, cap_places, parse_share, share_text
from fazhi_cli.domain.results import UnitResult, rank_and_convert
from fazhi_cli.scoring import compute_scores
from fazhi_cli.workspace import Workspace

BANDS = [("优秀", D(90)), ("良好", D(80)), ("合格", D(60))]
POLICE, OFFICE, DEPT, TOWN = "区公安分局", "区政府办", "区发改局", "元坝镇"  # 100, 100, 96.4; 88.6
APPROVE = ("approve", "--by", "区人民政府", "--date", "2018-01-15", "--accept-missing")
NOTICE = "2017年度法治政府建设考核初步结果请示.docx"


def grades_toml(excellent_share: str | None) -> str:
    share = f'max_share = "{excellent_share}"\n' if excellent_share is not None else ""
    return (f'\n[[grades]]\nname = "优秀"\nmin = "95"\n{share}'
            '\n[[grades]]\nname = "良好"\nmin = "80"\n\n[[grades]]\nname = "合格"\nmin = "60"\n')


def add_grades(workspace: Path, text: str) -> None:
    config = workspace / "fazhi.toml"
    config.write_text(config.read_text("utf-8") + text, "utf-8")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setattr(output.console, "_width", 1000)
    monkeypatch.setattr(output.messages, "_width", 1000)


# ------------------------------------------------------------------------------------------------ the rule itself


def test_the_cap_is_the_share_of_the_ranked_units_rounded_down():
    assert [cap_places(D("0.3"), n) for n in (10, 9, 3, 0)] == [3, 2, 0, 0]
    assert cap_places(D("0.25"), 8) == 2 and cap_places(D(1), 7) == 7 and cap_places(D("0.333"), 3) == 0


def test_units_beyond_the_cap_in_rank_order_get_the_next_grade():
    values = {f"单位{n}": D(99 - n) for n in range(10)}  # 99 … 90: all reach 优秀
    done = assign_grades("department", values, BANDS, {"优秀": D("0.3")})
    assert [done.grades[f"单位{n}"] for n in range(10)] == ["优秀"] * 3 + ["良好"] * 7
    assert done.capped_from("单位3") == "优秀" and done.capped_from("单位0") is None
    (cap,) = done.caps
    assert (cap.grade, cap.places, cap.ranked) == ("优秀", 3, 10)
    assert cap.text == "优秀等次限30%(3个)," + "、".join(f"单位{n}" for n in range(3, 10)) + "因名额限制评为良好"


def test_a_unit_that_only_reached_the_lower_grade_is_not_touched_by_the_cap():
    values = {"甲": D(95), "乙": D(94), "丙": D(85), "丁": D(50)}
    done = assign_grades("department", values, BANDS, {"优秀": D("0.25")})
    assert done.grades == {"甲": "优秀", "乙": "良好", "丙": "良好", "丁": None}
    assert [done.capped_from(u) for u in values] == [None, "优秀", None, None]


def test_the_next_grade_may_be_capped_too_and_the_units_moved_down_come_first():
    values = {u: v for u, v in zip("ABCDEFGHIJ", (99, 98, 97, 96, 89, 88, 87, 86, 85, 70), strict=True)}
    done = assign_grades("department", {u: D(v) for u, v in values.items()}, BANDS,
                         {"优秀": D("0.2"), "良好": D("0.3")})
    assert "".join(done.grades[u][0] for u in "ABCDEFGHIJ") == "优优良良良合合合合合"
    assert [done.capped_from(u) for u in "CDEF"] == ["优秀", "优秀", None, "良好"]
    excellent, good = done.caps
    assert excellent.moved == (("C", "良好"), ("D", "良好"))
    assert good.text == "良好等次限30%(3个),F、G、H、I因名额限制评为合格"


def test_equal_totals_at_the_boundary_move_down_together_and_the_cap_is_never_exceeded():
    # 3 places: 甲 and 乙 take two; 丙 and 丁 tie for the third, so both get 良好 and one place stays unused
    values = {"甲": D(99), "乙": D(98), "丙": D(97), "丁": D(97), "戊": D(96)}
    done = assign_grades("department", values, BANDS, {"优秀": D("0.6")})
    assert done.grades == {"甲": "优秀", "乙": "优秀", "丙": "良好", "丁": "良好", "戊": "良好"}
    (cap,) = done.caps
    assert cap.tied == ("丁", "丙")  # equal totals listed as the rankings list them: by name
    assert cap.text == ("优秀等次限60%(3个),丁、丙、戊因名额限制评为良好"
                        "(丁、丙得分相同,剩余名额不足以全部评为优秀,同分单位等次相同)")
    # a tie that fits the places left keeps the higher grade; the cut then falls after it
    kept = assign_grades("department", {**values, "戊": D(90), **dict.fromkeys("己庚辛", D(50))}, BANDS,
                         {"优秀": D("0.5")})  # 8 units: 4 places
    assert [kept.grades[u] for u in ("甲", "乙", "丙", "丁", "戊")] == ["优秀"] * 4 + ["良好"]
    assert kept.caps[0].tied == ()
    # everyone tied above the places: nobody gets the capped grade
    tied = assign_grades("department", dict.fromkeys("ABC", D(99)), BANDS, {"优秀": D("0.5")})
    assert set(tied.grades.values()) == {"良好"}


def test_without_a_cap_grades_are_the_bands_reached_as_before():
    rng = random.Random(25)
    values = {f"u{n}": D(rng.randint(4000, 10000)) / 100 for n in range(40)}
    done = assign_grades("department", values, BANDS)
    assert done.grades == {u: scoring.grade_for(v, BANDS) for u, v in values.items()}
    assert done.caps == () and not any(done.capped_from(u) for u in values)
    results = [UnitResult(u, "department", "scored", total=v) for u, v in values.items()]
    before = rank_and_convert(results, {}, BANDS)
    assert [(r.grade, r.grade_capped_from) for r in before] == [(scoring.grade_for(r.total, BANDS), None)
                                                                 for r in before]


def test_provisional_units_count_and_missing_ones_do_not():
    results = [UnitResult("甲", "department", "scored", total=D(99), errors=2),  # provisional: ranked, counted
               UnitResult("乙", "department", "scored", total=D(98)),
               UnitResult("丙", "department", "missing")]
    ranked = {r.unit: r for r in rank_and_convert(results, {}, BANDS, caps={"优秀": D("0.5")})}
    assert (ranked["甲"].grade, ranked["乙"].grade, ranked["乙"].grade_capped_from) == ("优秀", "良好", "优秀")
    assert ranked["丙"].grade is None


def test_a_cap_follows_the_combined_score_not_the_total():
    """With a score component the places go by the combined score that ranks the units."""
    results = [UnitResult("甲", "department", "scored", total=D(99)),
               UnitResult("乙", "department", "scored", total=D(95))]
    component = {"department": {"第三方评估": D(50)}}
    values = {"甲": {"第三方评估": D(80)}, "乙": {"第三方评估": D(100)}}  # combined 89.50 and 97.50
    ranked = {r.unit: r for r in rank_and_convert(results, {}, [("优秀", D(85)), ("良好", D(80))], component,
                                                  values, caps={"优秀": D("0.5")})}
    assert (ranked["乙"].rank, ranked["乙"].grade, ranked["乙"].grade_capped_from) == (1, "优秀", None)
    assert (ranked["甲"].grade, ranked["甲"].grade_capped_from) == ("良好", "优秀")


@pytest.mark.parametrize("raw,share", [("0.3", "0.3"), ("30%", "0.3"), ("３０％", "0.3"), (0.25, "0.25"),
                                       ("1", "1"), ("12.5%", "0.125")])
def test_a_share_is_a_decimal_or_a_percentage(raw, share):
    assert parse_share(raw) == D(share)


@pytest.mark.parametrize("raw", ["0", "1.5", "150%", "-0.1", "三成", "", True, [0.3]])
def test_a_share_that_is_no_share_is_refused(raw):
    with pytest.raises(NotAShare):
        parse_share(raw)


def test_shares_are_written_as_percentages():
    assert [share_text(D(s)) for s in ("0.3", "0.125", "1", "0.333")] == ["30%", "12.5%", "100%", "33.3%"]


# ------------------------------------------------------------------------------------------------ the settings


@pytest.mark.parametrize("share,words", [("三成", "max_share"), ("1.2", "超出范围"), ("0", "超出范围")])
def test_a_bad_max_share_is_refused_when_the_settings_are_read(cli, workspace, share, words):
    add_grades(workspace, grades_toml(share))
    for command in (("config", "show"), ("score",)):
        result = cli(*command, cwd=workspace)
        assert result.code == 2
        assert "第 1 个等次“优秀”的名额比例 max_share 有误" in result.err and words in result.err
        assert "Traceback" not in result.err


def test_the_lowest_grade_cannot_be_capped(cli, workspace):
    add_grades(workspace, '\n[[grades]]\nname = "优秀"\nmin = "90"\nmax_share = "0.3"\n')
    result = cli("config", "show", cwd=workspace)
    assert result.code == 2 and "最低的等次“优秀”设了名额比例" in result.err


def test_the_notice_setting_is_set_like_the_others(cli, workspace):
    result = cli("config", "set", "通报只列最高等次", "是", cwd=workspace)
    assert result.code == 0, result.err
    assert "尚未设置等次" in result.out + result.err  # no grades yet: the setting waits for them
    assert "name_top_grade_only = true" in (workspace / "fazhi.toml").read_text("utf-8")
    shown = {row["key"]: row for row in cli("config", "show", "--json", cwd=workspace).json()["settings"]}
    assert shown["documents.name_top_grade_only"]["value"] == "是"
    assert cli("config", "set", "只列优秀单位", "否", cwd=workspace).code == 0
    assert Workspace(workspace).campaign().documents.name_top_grade_only is False


# ------------------------------------------------------------------------------------------------ the outputs


@pytest.fixture
def campaign(cli, workspace, tmp_path) -> Path:
    """Three departments return (区公安分局 100, 区政府办 100, 区发改局 96.4: all reach 优秀 at 95) and 元坝镇
    (88.6, 良好)."""
    set_weights(workspace, department='"5"')
    returned(cli, workspace, tmp_path, {DEPT: department_case(), POLICE: full_marks("department"),
                                        OFFICE: full_marks("department"), TOWN: township_case()})
    return workspace


def _units(cli, workspace) -> dict[str, dict]:
    result = cli("score", "--json", cwd=workspace)
    assert result.code == 0, result.err
    return {u["unit"]: u for u in result.json()["units"]}


def test_no_cap_leaves_score_json_as_it_was(cli, campaign):
    add_grades(campaign, grades_toml(None))
    units = _units(cli, campaign)
    assert [units[u]["grade"] for u in (POLICE, OFFICE, DEPT, TOWN)] == ["优秀", "优秀", "优秀", "良好"]
    assert not any("grade_capped_from" in u for u in units.values())
    assert compute_scores(Workspace(campaign)).model.grade_caps == ()


def test_score_json_says_which_grade_a_capped_unit_reached(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))  # 3 ranked departments × 0.7 = 2.1: two places
    units = _units(cli, campaign)
    assert [(units[u]["grade"], units[u]["grade_capped_from"]) for u in (POLICE, OFFICE, DEPT, TOWN)] == [
        ("优秀", None), ("优秀", None), ("良好", "优秀"), ("良好", None)]
    result = cli("score", cwd=campaign)
    assert "区级各部门:优秀等次限70%(2个),区发改局因名额限制评为良好。" in result.err  # a note, as others


def test_a_tie_at_the_boundary_moves_both_down(cli, campaign):
    add_grades(campaign, grades_toml("0.5"))  # one place, and 区公安分局 and 区政府办 tie at 100
    units = _units(cli, campaign)
    assert {units[u]["grade"] for u in (POLICE, OFFICE, DEPT)} == {"良好"}
    assert {units[u]["grade_capped_from"] for u in (POLICE, OFFICE, DEPT)} == {"优秀"}


def test_approve_lists_who_was_moved_down_and_the_snapshot_rebuilds(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))
    result = cli(*APPROVE, cwd=campaign)
    assert result.code == 0, result.out + result.err
    assert "因等次名额限制(max_share)评为下一等次的单位 1 个:" in result.out
    assert f"{DEPT}:优秀 → 良好" in result.out
    after = cli("score", "--json", cwd=campaign)  # rebuilt from the approval's snapshot, checked against it
    assert after.code == 0, after.err
    data = after.json()
    assert data["state"] == "approved"
    assert next(u for u in data["units"] if u["unit"] == DEPT)["grade_capped_from"] == "优秀"


def test_approve_says_nothing_of_caps_without_them(cli, campaign):
    add_grades(campaign, grades_toml(None))
    result = cli(*APPROVE, cwd=campaign)
    assert result.code == 0 and "名额限制" not in result.out


def test_the_summary_notes_the_cap_under_the_ranking(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))
    assert cli("report", cwd=campaign).code == 0
    page = (campaign / "reports" / "summary.html").read_text("utf-8")
    assert "优秀等次限70%(2个),区发改局因名额限制评为良好。" in page
    assert "优秀等次限70%(0个)。" in page  # 元坝镇 alone: no place for 优秀 among the townships
    feedback = (campaign / "reports" / "feedback" / f"{DEPT}.html").read_text("utf-8")
    assert "等次(得分达到优秀,因名额限制)" in feedback
    book = openpyxl.load_workbook(next((campaign / "reports").glob("*汇总.xlsx")))
    notes = [c.value for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("注:优秀等次限")]
    assert notes == ["注:优秀等次限70%(2个),区发改局因名额限制评为良好。", "注:优秀等次限70%(0个)。"]


def test_the_summary_has_no_cap_note_without_caps(cli, campaign):
    add_grades(campaign, grades_toml(None))
    assert cli("report", cwd=campaign).code == 0
    assert "等次限" not in (campaign / "reports" / "summary.html").read_text("utf-8")
    book = openpyxl.load_workbook(next((campaign / "reports").glob("*汇总.xlsx")))
    assert not [c for sheet in book for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and "等次限" in c.value]


def _notice_text(cli, workspace) -> str:
    result = cli("notice", "--no-pdf", cwd=workspace)
    assert result.code == 0, result.err
    document = docx.Document(str(workspace / "reports" / NOTICE))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_notice_counts_each_grade_by_default_and_notes_the_cap(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))
    text = _notice_text(cli, campaign)
    assert "按等次分,优秀2个、良好2个。" in text
    assert "优秀等次限70%(2个),区发改局因名额限制评为良好" in text
    assert "评为优秀的单位" not in text


def test_the_notice_names_only_the_top_grade_when_the_office_sets_so(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))
    assert cli("config", "set", "documents.name_top_grade_only", "是", cwd=campaign).code == 0
    text = _notice_text(cli, campaign)
    assert f"评为优秀的单位:{POLICE}、{OFFICE};其他为良好。" in text
    assert "按等次分" not in text


def test_the_named_notice_names_a_unit_of_a_lower_grade_with_its_own(cli, workspace, tmp_path):
    set_weights(workspace, department='"5"')
    low = full_marks("department")
    low.scores["1.1"] = 0  # 100 − the item's full marks: below 95 and 80, still 合格
    returned(cli, workspace, tmp_path, {POLICE: full_marks("department"), DEPT: department_case(), OFFICE: low})
    add_grades(workspace, grades_toml("0.5").replace('min = "80"', 'min = "92"', 1))
    assert cli("config", "set", "通报只列最高等次", "是", cwd=workspace).code == 0
    units = _units(cli, workspace)
    assert [units[u]["grade"] for u in (POLICE, DEPT, OFFICE)] == ["优秀", "良好", "合格"]
    assert f"评为优秀的单位:{POLICE};{OFFICE}为合格;其他为良好。" in _notice_text(cli, workspace)


def test_the_letter_of_a_capped_unit_says_why(cli, campaign):
    add_grades(campaign, grades_toml("0.7"))
    assert cli("feedback-letters", "--unit", DEPT, "--no-pdf", cwd=campaign).code == 0
    letter = docx.Document(str(next((campaign / "reports").rglob(f"*{DEPT}*.docx"))))
    text = "".join(p.text for p in letter.paragraphs)
    assert "等次为良好(得分达到优秀等次的分数线,因等次名额限制)" in text
