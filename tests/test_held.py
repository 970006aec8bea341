"""A workbook filled by the wrong unit is held (待确认), not credited; the clerk settles files with `fazhi files`,
`fazhi accept`, `fazhi reject` and `fazhi dismiss`, each decision recorded with its reason.

Real workbooks (filled from the generated ones), real e-mails (`email.message.EmailMessage`), a real store. The
roster is the sample one plus 区水利局 (the unit of the issue), whose address is unit56@example.invalid.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile import edit_identity
from test_ingest import (  # noqa: F401 - wide_terminal is an autouse fixture
    CHINA,
    DEPT,
    PDF,
    clean_answers,
    fill,
    outcome_line,
    query,
    wide_terminal,
)
from test_validate import cell_of, unprotected

from fazhi_cli.domain.evidence import RosterEvidence, identity_conflict, named_units, unit_addresses
from fazhi_cli.roster.loading import sample_roster_path
from fazhi_cli.workbook import layout

JUSTICE = "区司法局"  # unit08@example.invalid
WATER = "区水利局"  # unit56@example.invalid, added to the sample roster here
WATER_ADDRESS = "unit56@example.invalid"
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.fixture
def ws(cli, tmp_path) -> Path:
    """A 2017 workspace on the sample roster plus 区水利局, with the blank workbooks of three departments."""
    roster = tmp_path / "名单.csv"
    roster.write_text((sample_roster_path().parent / "units.csv").read_text("utf-8-sig").rstrip("\n")
                      + f"\n{WATER},区级部门,王强,0839-8700056,{WATER_ADDRESS}\n", "utf-8")
    root = tmp_path / "campaign"
    assert cli("init", root, "--units", roster).code == 0
    assert cli("generate", "--unit", JUSTICE, "--unit", WATER, "--unit", DEPT, "-w", root).code == 0
    return root


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2017, 12, day, hour, 0, tzinfo=CHINA)


def justice_workbook(ws: Path, target: Path, score_1_1: float | None = None) -> Path:
    """区司法局's workbook, filled correctly (1.1 lowered, with a reason, when asked)."""
    answers = clean_answers(JUSTICE)
    if score_1_1 is not None:
        answers.scores["1.1"] = score_1_1
        answers.notes["1.1"] = "部分制度未及时修订"
    return fill(ws, target, JUSTICE, answers)


def mail(path: Path, sender: str, attachments: list[tuple[str, bytes, tuple[str, str]]],
         subject: str = "2017年度法治政府建设自评表") -> Path:
    """A real e-mail from `sender` with the attachments (name, bytes, MIME type)."""
    message = EmailMessage()
    message["From"] = f"报送人 <{sender}>"
    message["To"] = "fazhiban@example.invalid"
    message["Subject"] = subject
    message["Date"] = format_datetime(at(5, 9))
    message.set_content("法制办:附件是自评表,请查收。")
    for name, data, (maintype, subtype) in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(message.as_bytes())
    return path


def current_of(ws: Path, unit: str, cli) -> str | None:
    """The original name of the unit's current submission, as `fazhi files --json` says."""
    files = cli("files", "--json", "--unit", unit, "-w", ws).json()["files"]
    current = [f["original_name"] for f in files if f["current"] and f["unit"] == unit]
    assert len(current) <= 1
    return current[0] if current else None


def file_of(ws: Path, cli, name: str) -> dict:
    listed = [f for f in cli("files", "--json", "-w", ws).json()["files"] if f["original_name"] == name]
    assert len(listed) == 1, name
    return listed[0]


def item_score(ws: Path, cli, unit: str, item: str) -> float:
    units = {u["unit"]: u for u in cli("score", "--json", "-w", ws).json()["units"]}
    return units[unit]["items"][item]


def decisions(ws: Path) -> list[tuple]:
    return [tuple(row) for row in query(ws, "SELECT time, action, unit, file_id, reason FROM decisions ORDER BY id")]


# --- the wrong unit's file is held -------------------------------------------------------------------------------


def test_a_file_named_after_another_unit_is_held_and_accepting_it_makes_it_current(cli, ws, tmp_path, office_clock):
    own = justice_workbook(ws, tmp_path / "区司法局.xlsx")
    office_clock(at(4))
    assert cli("ingest", own, "-w", ws).code == 0
    assert item_score(ws, cli, JUSTICE, "1.1") == 10
    # 区水利局 filled 区司法局's form and named it after itself
    wrong = justice_workbook(ws, tmp_path / "wrong" / "区水利局自评表.xlsx", score_1_1=6)
    office_clock(at(5))
    result = cli("ingest", wrong, "-w", ws)
    assert result.code == 1
    line = outcome_line(result.out, "区水利局自评表.xlsx")
    assert "待确认" in line and f"身份是“{JUSTICE}”" in line and f"文件名指向“{WATER}”" in line
    assert "fazhi accept" in line
    assert current_of(ws, JUSTICE, cli) == "区司法局.xlsx"  # the real submission stands
    assert item_score(ws, cli, JUSTICE, "1.1") == 10
    row = query(ws, "SELECT * FROM files WHERE original_name = '区水利局自评表.xlsx'")[0]
    assert (row["outcome"], row["code"], row["unit"]) == ("held", "identity_conflict", JUSTICE)
    assert row["other_unit"] == WATER

    validated = cli("validate", "--json", "-w", ws)
    assert validated.code == 1
    held = [f for f in validated.json()["findings"] if f["code"] == "identity_conflict"]
    assert [(f["unit"], f["file"]) for f in held] == [(None, "区水利局自评表.xlsx")]
    assert JUSTICE in held[0]["message"] and WATER in held[0]["message"]
    assert set(held[0]) == {"unit", "severity", "code", "ref", "cell", "message", "file"}
    terminal = cli("validate", "-w", ws).out
    assert "待确认" in terminal and WATER in terminal
    status = cli("status", "--json", "-w", ws).json()
    assert [(h["id"], h["unit"], h["other_unit"]) for h in status["held_files"]] == [(row["id"], JUSTICE, WATER)]
    assert WATER in cli("status", "-w", ws).out

    listed = cli("files", "--json", "-w", ws).json()["files"]
    assert [(f["original_name"], f["state"], f["unit"], f["other_unit"]) for f in listed] == [
        ("区司法局.xlsx", "current", JUSTICE, None), ("区水利局自评表.xlsx", "held", JUSTICE, WATER)]
    table = cli("files", "-w", ws).out
    assert "待确认" in table and "当前有效" in table

    office_clock(at(6))
    accepted = cli("accept", row["id"], "--reason", "已电话核实:系区司法局委托区水利局代发", "-w", ws)
    assert accepted.code == 0, accepted.err
    assert "已确认采用" in accepted.out and "区司法局 的当前报送:「区水利局自评表.xlsx」" in accepted.out
    assert current_of(ws, JUSTICE, cli) == "区水利局自评表.xlsx"
    assert item_score(ws, cli, JUSTICE, "1.1") == 6
    after = cli("validate", "--json", "-w", ws)
    assert after.code == 0 and not [f for f in after.json()["findings"] if f["unit"] is None]
    assert cli("status", "--json", "-w", ws).json()["held_files"] == []
    states = {f["original_name"]: (f["state"], f["current"]) for f in cli("files", "--json", "-w", ws).json()["files"]}
    assert states == {"区司法局.xlsx": ("superseded", False), "区水利局自评表.xlsx": ("accepted", True)}
    assert decisions(ws) == [("2017-12-06T10:00:00+08:00", "accept", JUSTICE, row["id"],
                              "已电话核实:系区司法局委托区水利局代发")]

    office_clock(at(7))  # a file received after the decision still supersedes the accepted one
    newer = justice_workbook(ws, tmp_path / "区司法局(修改).xlsx", score_1_1=8)
    assert cli("ingest", newer, "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "区司法局(修改).xlsx"


def test_a_file_sent_from_another_units_address_is_held_and_rejecting_it_keeps_the_real_submission(
        cli, ws, tmp_path, office_clock):
    office_clock(at(4))
    assert cli("ingest", justice_workbook(ws, tmp_path / "区司法局.xlsx"), "-w", ws).code == 0
    wrong = justice_workbook(ws, tmp_path / "wrong.xlsx", score_1_1=6).read_bytes()
    message = mail(tmp_path / "来信.eml", WATER_ADDRESS.upper(), [("自评表.xlsx", wrong, XLSX_TYPE)])
    office_clock(at(5))
    result = cli("ingest", message, "-w", ws)
    assert result.code == 1
    line = outcome_line(result.out, "「自评表.xlsx」")
    assert f"发件地址 {WATER_ADDRESS} 属于“{WATER}”" in line and JUSTICE in line
    row = query(ws, "SELECT * FROM files WHERE original_name = '自评表.xlsx'")[0]
    assert (row["outcome"], row["sender"], row["other_unit"]) == ("held", WATER_ADDRESS, WATER)
    assert current_of(ws, JUSTICE, cli) == "区司法局.xlsx"

    office_clock(at(6))
    rejected = cli("reject", row["id"], "--reason", "区水利局误用了区司法局的表格", "-w", ws)
    assert rejected.code == 0, rejected.err
    assert "已不予采用" in rejected.out and "区司法局 的当前报送:「区司法局.xlsx」" in rejected.out
    assert current_of(ws, JUSTICE, cli) == "区司法局.xlsx" and item_score(ws, cli, JUSTICE, "1.1") == 10
    validated = cli("validate", "-w", ws)
    assert validated.code == 0, validated.out  # nothing blocks any more
    assert file_of(ws, cli, "自评表.xlsx")["state"] == "rejected"
    assert query(ws, "SELECT COUNT(*) FROM submissions")[0][0] == 1

    twice = cli("reject", row["id"], "--reason", "再次", "-w", ws)
    assert twice.code == 2 and "已经不予采用过" in twice.err
    assert len(decisions(ws)) == 1


def test_a_file_name_naming_both_units_or_none_is_no_evidence(cli, ws, tmp_path):
    own = justice_workbook(ws, tmp_path / "a.xlsx").read_bytes()
    by_itself = mail(tmp_path / "司法局.eml", "unit08@example.invalid", [("区水利局转来.xlsx", own, XLSX_TYPE)])
    result = cli("ingest", by_itself, "-w", ws)  # the name names 区水利局, but it is held: the file's own name counts
    assert result.code == 1 and "文件名指向“区水利局”" in outcome_line(result.out, "区水利局转来.xlsx")
    both = justice_workbook(ws, tmp_path / "区水利局代区司法局报送.xlsx", score_1_1=9)
    assert cli("ingest", both, "-w", ws).code == 0
    neutral = justice_workbook(ws, tmp_path / "b" / "自评表.xlsx", score_1_1=8).read_bytes()
    stranger = mail(tmp_path / "x.eml", "someone@qq.example", [("自评表.xlsx", neutral, XLSX_TYPE)])
    assert cli("ingest", stranger, "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "自评表.xlsx"


def test_a_zip_named_after_another_unit_holds_the_workbook_in_it(cli, ws, tmp_path):
    archive = tmp_path / "区水利局材料.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("自评表.xlsx", justice_workbook(ws, tmp_path / "j.xlsx").read_bytes())
    result = cli("ingest", archive, "-w", ws)
    assert result.code == 1
    assert "所在的邮件或压缩包「区水利局材料.zip」指向“区水利局”" in outcome_line(result.out, "「自评表.xlsx」")
    assert current_of(ws, JUSTICE, cli) is None


# --- the clerk's other decisions ---------------------------------------------------------------------------------


def test_an_unverified_identity_is_accepted_the_same_way(cli, ws, tmp_path):
    own = justice_workbook(ws, tmp_path / "own.xlsx", score_1_1=7)
    forged = edit_identity(own, tmp_path / "改过.xlsx", {layout.ID_GENERATED: "2017-12-04T10:00:00+08:00"})
    assert cli("ingest", forged, "-w", ws).code == 1
    held = file_of(ws, cli, "改过.xlsx")
    assert (held["state"], held["code"], held["unit"]) == ("held", "identity_unverified", JUSTICE)
    assert cli("accept", held["id"], "--reason", "原表经核对无误", "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "改过.xlsx" and item_score(ws, cli, JUSTICE, "1.1") == 7
    assert cli("validate", "-w", ws).code == 0


def test_accepting_an_earlier_version_makes_it_current_and_rejecting_falls_back(cli, ws, tmp_path, office_clock):
    office_clock(at(3))
    assert cli("ingest", justice_workbook(ws, tmp_path / "第一版.xlsx", score_1_1=9), "-w", ws).code == 0
    office_clock(at(4))
    assert cli("ingest", justice_workbook(ws, tmp_path / "第二版.xlsx", score_1_1=5), "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "第二版.xlsx"
    first, second = file_of(ws, cli, "第一版.xlsx"), file_of(ws, cli, "第二版.xlsx")
    assert (first["state"], second["state"]) == ("superseded", "current")

    office_clock(at(5))
    done = cli("accept", first["id"], "--reason", "第二版系误发,以第一版为准", "-w", ws)
    assert done.code == 0 and "区司法局 的当前报送:「第一版.xlsx」" in done.out
    assert item_score(ws, cli, JUSTICE, "1.1") == 9
    assert cli("accept", first["id"], "--reason", "again", "-w", ws).code == 2

    office_clock(at(6))
    assert cli("reject", first["id"], "--reason", "第一版数据有误", "-w", ws).code == 0
    assert current_of(ws, JUSTICE, cli) == "第二版.xlsx"
    office_clock(at(7))
    gone = cli("reject", second["id"], "--reason", "第二版也不采用", "-w", ws)
    assert gone.code == 0 and "区司法局 现在没有有效的报送(未报送)" in gone.out
    status = cli("status", "--json", "-w", ws).json()
    assert JUSTICE in [m["unit"] for m in status["missing"]]
    assert [(d[1], d[3]) for d in decisions(ws)] == [
        ("accept", first["id"]), ("reject", first["id"]), ("reject", second["id"])]
    assert [d[0] for d in decisions(ws)] == [f"2017-12-0{day}T10:00:00+08:00" for day in (5, 6, 7)]


def test_dismissing_a_stray_pdf_clears_validate(cli, ws, tmp_path):
    assert cli("ingest", justice_workbook(ws, tmp_path / "区司法局.xlsx"), "-w", ws).code == 0
    stray = tmp_path / "会议通知.pdf"
    stray.write_bytes(PDF)
    assert cli("ingest", stray, "-w", ws).code == 1
    assert cli("validate", "-w", ws).code == 1
    refused = file_of(ws, cli, "会议通知.pdf")
    assert (refused["state"], refused["unit"]) == ("refused", None)
    done = cli("dismiss", refused["id"], "--reason", "误导入的会议通知", "-w", ws)
    assert done.code == 0 and "已撤销" in done.out
    validated = cli("validate", "--json", "-w", ws)
    assert validated.code == 0 and validated.json()["findings"] == []
    assert file_of(ws, cli, "会议通知.pdf")["state"] == "dismissed"
    assert [f["original_name"] for f in cli("files", "--json", "--state", "dismissed", "-w", ws).json()["files"]] \
        == ["会议通知.pdf"]


def test_wrong_use_is_a_clear_message_and_changes_nothing(cli, ws, tmp_path):
    assert cli("ingest", justice_workbook(ws, tmp_path / "区水利局自评表.xlsx"), "-w", ws).code == 1
    stray = tmp_path / "stray.pdf"
    stray.write_bytes(PDF)
    assert cli("ingest", stray, "-w", ws).code == 1
    held, refused = file_of(ws, cli, "区水利局自评表.xlsx"), file_of(ws, cli, "stray.pdf")
    before = cli("files", "--json", "-w", ws).out
    cases = [
        (("accept", 999, "--reason", "x"), "没有编号为 999 的文件"),
        (("accept", held["id"], "--reason", "  "), "必须写明理由"),
        (("accept", refused["id"], "--reason", "x"), "fazhi dismiss"),
        (("reject", refused["id"], "--reason", "x"), "fazhi dismiss"),
        (("dismiss", held["id"], "--reason", "x"), "fazhi reject"),
        (("files", "--state", "lost"), "没有“lost”这种状态"),
        (("files", "--unit", "区外单位"), "单位名单中没有“区外单位”"),
    ]
    for args, said in cases:
        result = cli(*args, "-w", ws)
        assert result.code == 2, args
        assert said in result.err, (args, result.err)
        assert "Traceback" not in result.err
    assert cli("accept", held["id"], "-w", ws).code == 2  # --reason is required
    assert cli("files", "--json", "-w", ws).out == before
    assert decisions(ws) == [] and query(ws, "SELECT COUNT(*) FROM submissions")[0][0] == 0


# --- identical attachments ---------------------------------------------------------------------------------------


def test_an_identical_attachment_from_two_units_is_linked_to_both(cli, ws, tmp_path):
    summary = ("工作总结.pdf", PDF, ("application", "pdf"))
    justice = justice_workbook(ws, tmp_path / "j.xlsx").read_bytes()
    dept = fill(ws, tmp_path / "d.xlsx", DEPT).read_bytes()
    first = mail(tmp_path / "1.eml", "unit08@example.invalid", [("区司法局自评表.xlsx", justice, XLSX_TYPE), summary])
    second = mail(tmp_path / "2.eml", "unit03@example.invalid", [("区发改局自评表.xlsx", dept, XLSX_TYPE), summary])
    assert cli("ingest", first, "-w", ws).code == 0
    result = cli("ingest", second, "-w", ws)
    assert result.code == 0 and "已同时列为本单位的材料" in outcome_line(result.out, "工作总结.pdf")
    links = {(row["unit"]) for row in query(ws, "SELECT unit FROM materials")}
    assert links == {JUSTICE, DEPT}
    assert query(ws, "SELECT COUNT(*) FROM files WHERE original_name = '工作总结.pdf'")[0][0] == 1
    units = {u["unit"]: u for u in cli("status", "--json", "-w", ws).json()["units"]}
    assert units[JUSTICE]["materials"] == units[DEPT]["materials"] == ["工作总结.pdf"]
    material = file_of(ws, cli, "工作总结.pdf")
    assert (material["state"], material["unit"]) == ("material", f"{JUSTICE}、{DEPT}")
    assert cli("ingest", second, "-w", ws).code == 0  # again: nothing more
    assert query(ws, "SELECT COUNT(*) FROM materials")[0][0] == 2


# --- the evidence rules, pure ------------------------------------------------------------------------------------


def test_the_longest_name_wins_and_a_text_naming_both_is_no_evidence():
    names = ["司法局", "区司法局", "区水利局"]
    assert named_units("区司法局自评表", names) == ["区司法局"]
    assert named_units("司法局自评表", names) == ["司法局"]
    assert named_units("区水利局转区司法局", names) == ["区水利局", "区司法局"]
    addresses = {"区司法局": unit_addresses("a@x.cn"), "司法局": frozenset(),
                 "区水利局": unit_addresses("B@x.cn; c@x.cn")}
    assert identity_conflict("区司法局", None, "区司法局自评表.xlsx", (), addresses) is None
    assert identity_conflict("区司法局", None, "区水利局转区司法局.xlsx", (), addresses) is None
    assert identity_conflict("区司法局", "a@x.cn", "x.xlsx", ("区水利局.zip",), addresses).other == "区水利局"
    assert identity_conflict("区司法局", "c@x.cn", "x.xlsx", (), addresses).other == "区水利局"
    assert identity_conflict("区司法局", None, "x.xlsx", ("区水利局.eml", "区司法局自评表"), addresses) is None
    assert identity_conflict("司法局", None, "区司法局.xlsx", (), addresses).other == "区司法局"


def _named_by_scanning_every_name(text: str, names: list[str]) -> list[str]:
    """The rule as first written: at each position, try every name longest first."""
    ordered = sorted(set(names), key=len, reverse=True)
    found, position = [], 0
    while position < len(text):
        match = next((n for n in ordered if text.startswith(n, position)), None)
        if match is None:
            position += 1
            continue
        if match not in found:
            found.append(match)
        position += len(match)
    return found


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.text(alphabet="区司法局水利", min_size=1, max_size=5), min_size=1, max_size=12),
       text=st.text(alphabet="区司法局水利自评表", max_size=30))
def test_the_name_index_finds_what_scanning_every_name_finds(names, text):
    assert named_units(text, names) == _named_by_scanning_every_name(text, names)


def test_a_large_roster_is_indexed_once_per_batch_and_finds_the_same_unit():
    units = {f"市第{index:05d}局": unit_addresses(f"u{index}@x.cn") for index in range(10_000)}
    roster = RosterEvidence(units)
    assert identity_conflict("市第00001局", "u9999@x.cn", "x.xlsx", (), roster).other == "市第09999局"
    assert identity_conflict("市第00001局", None, "市第00777局自评表.xlsx", (), roster).other == "市第00777局"
    assert identity_conflict("市第00001局", None, "x.xlsx", ("市第00002局转市第00001局.zip",), roster) is None


def test_accepting_a_file_with_changed_fixed_content_resolves_its_file_level_errors(cli, ws, tmp_path):
    path = justice_workbook(ws, tmp_path / "区司法局.xlsx")
    changed_max = cell_of(path, "6.1", "分值")
    book = unprotected(path)
    book["自评表"][changed_max.split("!")[1]] = 10
    book.save(path)
    assert cli("ingest", path, "-w", ws).code == 0
    before = cli("validate", "--json", "-w", ws)
    assert before.code == 1
    assert [(f["severity"], f["code"]) for f in before.json()["findings"]] == [("error", "content_changed")]
    taken = file_of(ws, cli, "区司法局.xlsx")
    assert cli("accept", taken["id"], "--reason", "分值系误改,按原细则计分,经核实无误", "-w", ws).code == 0
    after = cli("validate", "--json", "-w", ws)
    assert after.code == 0
    [finding] = after.json()["findings"]
    assert (finding["severity"], finding["code"]) == ("warning", "content_changed")
    assert "法制办已确认采用该文件:分值系误改" in finding["message"]
