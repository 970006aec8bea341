"""The office's part of the demo done by hand, as the clerk would: the returns taken in the order they arrived, the
held file and the refused one settled with their reasons, the 集中考核 review sheets and the office's own ledger
(台账) filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from fazhi_cli.demo.units import ABOVE_CEILING, BROKEN, TEXT_SCORE, WRONG_FORM, set_file_time
from fazhi_cli.domain import scoring
from fazhi_cli.domain.ledger import CASES, INFO, SUMMARY
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.submissions import DISMISS, REJECT
from fazhi_cli.infra.clock import CHINA
from fazhi_cli.ingest import IngestReport, ingest_paths
from fazhi_cli.ingest.settle import Settled, settle
from fazhi_cli.ledger import write_ledger
from fazhi_cli.review import COL_ID, COL_REASON, COL_SCORE, COL_UNIT, SHEET_REVIEW, write_review_sheets
from fazhi_cli.review.component_sheet import HEADER_ROW as COMPONENT_HEADER_ROW
from fazhi_cli.review.component_sheet import write_component_sheet
from fazhi_cli.validate import CheckedUnit, ValidationReport, validate_workspace
from fazhi_cli.workspace import Workspace, ledger_file_name

WRONG_FORM_REASON = "经电话核实,系区环保局误用了区司法局的自评表,不予采用;已通知区环保局用本单位的表格报送"
DISMISS_REASON = f"文件损坏无法打开,已电话告知{BROKEN};该单位未重新报送,按未报送处理"


COMPONENT = "第三方评估"  # the demo's score component beside the rubric, and its weight (percent)
COMPONENT_WEIGHT = "10"
COMPONENT_NOTE = "第三方机构群众满意度调查"
# The demo's 等次, 优秀 capped at 30 % of each type's ranked units, as an office writes them into fazhi.toml by hand.
DEMO_GRADES = (("优秀", "90", "30%"), ("良好", "80", None), ("合格", "60", None), ("不合格", "0", None))


def add_demo_grades(workspace: Workspace) -> None:
    """Append the demo's `[[grades]]` (a capped 优秀) to the workspace's fazhi.toml."""
    lines = []
    for name, minimum, share in DEMO_GRADES:
        lines += ["", "[[grades]]", f'name = "{name}"', f'min = "{minimum}"']
        lines += [f'max_share = "{share}"'] if share else []
    with workspace.config_path.open("a", encoding="utf-8") as settings:
        settings.write("\n".join(lines) + "\n")


def office_components(workspace: Workspace, folder: Path) -> Path:
    """The 第三方评估 a survey firm made of every assessed unit, typed into `fazhi component-sheet`'s sheet as the
    clerk would paste it (every value a number from 0 to 100: no finding)."""
    sheet_path = write_component_sheet(workspace, COMPONENT)
    book = openpyxl.load_workbook(sheet_path)
    sheet = book[COMPONENT]
    for number, line in enumerate(range(COMPONENT_HEADER_ROW + 1, sheet.max_row + 1)):
        if sheet.cell(line, 1).value:
            sheet.cell(line, 2).value = 80 + (number * 7) % 19 + (0.5 if number % 3 == 0 else 0)
            sheet.cell(line, 3).value = COMPONENT_NOTE
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / sheet_path.name
    book.save(target)
    return target


def settle_held_files(workspace: Workspace, report: ValidationReport) -> list[Settled]:
    """The clerk checks each held file with the units (by telephone) and rejects the wrong form, with the reason."""
    return [settle(workspace, REJECT, held.file_id, WRONG_FORM_REASON) for held in report.held
            if held.file_id is not None and held.units == (WRONG_FORM[1], WRONG_FORM[0])]


def office_review(workspace: Workspace, folder: Path) -> list[Path]:
    """The office's 集中考核: write the review sheets and change a few scores, as the clerk would."""
    sheets = write_review_sheets(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for number, sheet_path in enumerate(sheets):
        book = openpyxl.load_workbook(sheet_path)
        sheet = book[SHEET_REVIEW]
        # the header row holds 单位名称 (found by title); lower item 1.2 of the first two units by one point,
        # each with the office's reason
        header = next(r for r in range(1, 16) if COL_UNIT in [c.value for c in sheet[r]])
        columns = {c.value: c.column for c in sheet[header]}
        lines = range(header + 1, sheet.max_row + 1)
        units = list(dict.fromkeys(sheet.cell(r, columns[COL_UNIT]).value for r in lines))
        second = [r for r in lines
                  if sheet.cell(r, columns[COL_ID]).value == "1.2"
                  and sheet.cell(r, columns[COL_UNIT]).value in units[:2]]
        for line in second:
            own = sheet.cell(line, columns["自评得分"]).value
            if isinstance(own, int | float) and own >= 1:
                sheet.cell(line, columns[COL_SCORE]).value = own - 1
                sheet.cell(line, columns[COL_REASON]).value = "经集中考核抽查,相关台账资料不完整"
        for line in lines:
            _settle_error(sheet, line, columns)
        target = folder / sheet_path.name
        book.save(target)
        set_file_time(target, dt.datetime.now(CHINA) - dt.timedelta(minutes=number))
        changed.append(target)
    return changed


TEAMS = ("第一考核组", "第二考核组")
TEAM_REASON = "考核组实地核查:相关台账资料不完整"


def _entered(path: Path) -> list[tuple[str, str, object, str]]:
    """The (unit, 编号, 核定得分, 核定理由) a filled review sheet holds, found by title."""
    sheet = openpyxl.load_workbook(path)[SHEET_REVIEW]
    header = next(r for r in range(1, 16) if COL_UNIT in [c.value for c in sheet[r]])
    columns = {c.value: c.column for c in sheet[header]}
    return [(sheet.cell(r, columns[COL_UNIT]).value, sheet.cell(r, columns[COL_ID]).value,
             sheet.cell(r, columns[COL_SCORE]).value, sheet.cell(r, columns[COL_REASON]).value)
            for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, columns[COL_SCORE]).value is not None]


def teams_review(workspace: Workspace, office_sheets: list[Path], folder: Path) -> list[Path]:
    """The 考核组: each office sheet's units (one team the departments', the other the townships') get their own
    team's sheet, on which the team enters the item 1.2 it found short, the value the office's sheet agrees with."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for team, office_sheet in zip(TEAMS, office_sheets, strict=False):
        found = [(unit, ref, value) for unit, ref, value, _ in _entered(office_sheet) if ref == "1.2"]
        if not found:
            continue
        units = list(dict.fromkeys(unit for unit, _, _ in found))
        for sheet_path in write_review_sheets(workspace, team=team, names=units):
            book = openpyxl.load_workbook(sheet_path)
            sheet = book[SHEET_REVIEW]
            header = next(r for r in range(1, 16) if COL_UNIT in [c.value for c in sheet[r]])
            columns = {c.value: c.column for c in sheet[header]}
            values = {(unit, ref): value for unit, ref, value in found}
            for line in range(header + 1, sheet.max_row + 1):
                key = (sheet.cell(line, columns[COL_UNIT]).value, sheet.cell(line, columns[COL_ID]).value)
                if key in values:
                    sheet.cell(line, columns[COL_SCORE]).value = values[key]
                    sheet.cell(line, columns[COL_REASON]).value = TEAM_REASON
            target = folder / sheet_path.name
            book.save(target)
            changed.append(target)
    return changed


LEDGER_SHEETS = {INFO: "信息报送", CASES: "行政执法指导案例", SUMMARY: "工作总结"}
CASE_FAULT = "案例未经集体讨论评选,要素不全"


def _ledger_rows(sheet) -> tuple[int, dict[str, int], dict[str, int]]:
    """A ledger sheet's header line, its columns by title and each unit's first row (found by title, as the
    office's own spreadsheet macros would)."""
    header = next(r for r in range(1, 16) if "单位名称" in [c.value for c in sheet[r]])
    columns = {c.value: c.column for c in sheet[header] if c.value}
    rows: dict[str, int] = {}
    for line in range(header + 1, sheet.max_row + 1):
        rows.setdefault(sheet.cell(line, columns["单位名称"]).value, line)
    return header, columns, rows


def office_ledger(workspace: Workspace, folder: Path, validation: ValidationReport) -> Path:
    """The office's own records, as the clerk keeps them: `fazhi ledger`'s workbook filled in. The office counted
    one piece of information fewer in March than a department declared, found one department's guiding cases
    short of the requirement, received every other department's cases in time, and every returned unit's
    工作总结 (on paper where it did not come with the returns)."""
    campaign = workspace.campaign()
    rubric = workspace.rubric(campaign)
    book = openpyxl.load_workbook(write_ledger(workspace))
    info_sheet, case_sheet, summary_sheet = (book[LEDGER_SHEETS[r]] for r in (INFO, CASES, SUMMARY))
    departments = [r for r in validation.results if rubric.for_type(r.unit.type).ledger_rules(CASES)]
    counted = next(r for r in departments if _claims_information_ceiling(rubric, r))
    item, rule = rubric.for_type(counted.unit.type).ledger_rules(INFO)[0]
    _, columns, rows = _ledger_rows(info_sheet)
    for month, fact_id in enumerate(rule.fact_ids(), start=1):
        if fact_id not in rule.counted_fact_ids():
            continue  # a month not assessed: the office keeps no count of it for the assessment
        declared = int(counted.interpreted.facts.get(fact_id, rule.quota))
        info_sheet.cell(rows[counted.unit.name], columns[f"{month}月"]).value = declared - 1 if month == 3 else declared
    _, columns, rows = _ledger_rows(case_sheet)
    faulty = next(r for r in departments if r is not counted)
    for checked in departments:
        line = rows[checked.unit.name]
        case_sheet.cell(line, columns["收到日期"]).value = campaign.case_deadline - dt.timedelta(days=3)
        case_sheet.cell(line, columns["件数"]).value = 2
        case_sheet.cell(line, columns["是否符合要求"]).value = "否" if checked is faulty else "是"
        if checked is faulty:
            case_sheet.cell(line, columns["酌情扣分"]).value = 1
            case_sheet.cell(line, columns["理由"]).value = CASE_FAULT
    _, columns, rows = _ledger_rows(summary_sheet)
    for checked in validation.results:
        line = rows[checked.unit.name]
        if summary_sheet.cell(line, columns["收到日期"]).value is None:
            summary_sheet.cell(line, columns["收到日期"]).value = campaign.deadline - dt.timedelta(days=1)
            summary_sheet.cell(line, columns["文件"]).value = "工作总结(纸质)"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ledger_file_name(campaign.year)
    book.save(target)
    return target


def _claims_information_ceiling(rubric: Rubric, checked: CheckedUnit) -> bool:
    """A unit that declared two or more pieces in March and claimed the full score its facts allow on the item
    of the information rule (so one piece fewer in the office's count lowers its score)."""
    item, rule = rubric.for_type(checked.unit.type).ledger_rules(INFO)[0]
    facts = checked.interpreted.facts
    claimed = checked.interpreted.scores.get(item.id)
    march = rule.fact_ids()[2]
    return int(facts.get(march, 0)) >= 2 and claimed == scoring.item_ceiling(item, facts)


def _settle_error(sheet, line: int, columns: dict[str, int]) -> None:
    """The office settles the two validation errors the demo's units left, each with its reason: a score above
    the ceiling its facts imply (核定 at the ceiling), and a score written in words (核定 as the unit meant it)."""
    unit = sheet.cell(line, columns[COL_UNIT]).value
    own = sheet.cell(line, columns["自评得分"]).value
    ceiling = sheet.cell(line, columns["得分上限"]).value
    if unit == ABOVE_CEILING and isinstance(own, int | float) and isinstance(ceiling, int | float) and own > ceiling:
        sheet.cell(line, columns[COL_SCORE]).value = ceiling
        sheet.cell(line, columns[COL_REASON]).value = "自评得分超过其填报情形对应的得分上限,按上限核定"
    if unit == TEXT_SCORE and "八分" in str(sheet.cell(line, columns["问题"]).value or ""):
        sheet.cell(line, columns[COL_SCORE]).value = 8
        sheet.cell(line, columns[COL_REASON]).value = "自评得分填写为“八分”,经核实按 8 分核定"


def ingest_as_received(workspace: Workspace, inbox: Path) -> IngestReport:
    """Take the simulated returns in the order they reached the office, each at its simulated arrival time
    (the file's time set by `fill_demo_returns`) on the office's clock, as if the clerk had taken each one
    the moment it arrived during the first weeks of December."""
    report = IngestReport()
    for path in sorted(inbox.iterdir(), key=lambda p: (p.stat().st_mtime, p.name)):
        arrival = dt.datetime.fromtimestamp(path.stat().st_mtime, CHINA)
        batch = ingest_paths(workspace, [path], clock=lambda moment=arrival: moment)
        report.files.extend(batch.files)
    return report


def dismiss_refused(workspace: Workspace, reason: str) -> list[str]:
    """The clerk settles the files still refused (here: the broken one), each with `fazhi dismiss` and its reason;
    returns their names."""
    refused = validate_workspace(workspace).refused
    return [settle(workspace, DISMISS, finding.file_id, reason).file.original_name for finding in refused
            if finding.file_id is not None]
