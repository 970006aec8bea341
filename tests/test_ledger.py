"""The office's own records (台账): `fazhi ledger` → filled with openpyxl → `fazhi ingest` → what counts."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile

import docx
import openpyxl
import yaml
from test_scores import full_marks, query, returned

from fazhi_cli.demo import DEMO_PDF
from fazhi_cli.workbook.filler import fill_workbook

LEDGER_NAME = "2017年度法治政府建设法制办台账.xlsx"
AFTER_CASES = "2017-12-21T09:00:00+08:00"  # after both the 12-10 deadline and the 12-20 case deadline


def make_ledger(cli, workspace):
    result = cli("ledger", cwd=workspace)
    assert result.code == 0, result.err
    path = workspace / "ledger" / LEDGER_NAME
    assert path.is_file() and "已生成" in result.out
    return path


def ledger_messages(workspace) -> list[str]:
    """What ingest said of each ledger file taken, as recorded (the terminal table may wrap it)."""
    return [row["message"] for row in query(workspace, "SELECT message FROM files WHERE outcome = 'ledger'")]


def header(sheet) -> tuple[int, dict[str, int]]:
    """The header row (found by 单位名称) and each title's column, as the office's own macro would find them."""
    for line in range(1, 16):
        titles = {c.value: c.column for c in sheet[line] if isinstance(c.value, str)}
        if "单位名称" in titles:
            return line, titles
    raise AssertionError(f"no header in {sheet.title}")


def put(book, sheet_name: str, unit: str, values: dict, new_row: bool = False) -> str:
    """Write values on the unit's (first) row of a sheet, or on a new row; returns the row's line."""
    sheet = book[sheet_name]
    line, titles = header(sheet)
    rows = [r for r in range(line + 1, sheet.max_row + 1) if sheet.cell(r, titles["单位名称"]).value == unit]
    target = sheet.max_row + 1 if new_row or not rows else rows[0]
    sheet.cell(target, titles["单位名称"]).value = unit
    for title, value in values.items():
        sheet.cell(target, titles[title]).value = value
    return target


def col(book, sheet_name: str, title: str) -> str:
    return openpyxl.utils.get_column_letter(header(book[sheet_name])[1][title])


def months(**changed) -> dict:
    """Two pieces every month January–November (December left blank), with the changes given (m3=1)."""
    values = {f"{m}月": 2 for m in range(1, 12)}
    values.update({f"{key[1:]}月": value for key, value in changed.items()})
    return values


def by_unit(data: dict) -> dict[str, dict]:
    return {u["unit"]: u for u in data["units"]}


def test_rubric_check_explains_a_bad_ledger_key(cli, tmp_path):
    exported = tmp_path / "rubric-2018.yaml"
    assert cli("rubric", "export", exported).code == 0
    data = yaml.safe_load(exported.read_text("utf-8"))
    items = data["unit_types"]["department"]["sections"][2]["items"]
    items[1]["rules"][0]["ledger"] = "cases"  # 3.2a is monthly: cases stands for a flag
    items[0]["ledger"] = "info"  # info belongs on a rule
    data["unit_types"]["department"]["sections"][0]["items"][0]["rules"][0]["ledger"] = "minutes"
    exported.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("rubric", "check", exported)
    assert result.code == 2 and "Traceback" not in result.err
    assert "区级部门细则 第 3.2 项 规则 3.2a:台账“指导案例”只能用于“是否”类型的规则,本规则为“按月”" in result.err
    assert "区级部门细则 第 3.1 项:台账“信息报送”不能用在考核内容上" in result.err
    assert "规则 1.1a:未知的台账“minutes”" in result.err


def test_a_ledger_changes_3_2_and_4_1e_and_the_feedback_shows_both_figures(cli, workspace, tmp_path, office_clock):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "区司法局": full_marks("department"),
                                        "元坝镇": full_marks("township")})
    path = make_ledger(cli, workspace)
    book = openpyxl.load_workbook(path)
    assert set(book.sheetnames) >= {"信息报送", "规范性文件备案", "行政执法指导案例", "实地检查", "工作总结"}
    line = put(book, "信息报送", "区发改局", months(m3=1))
    put(book, "行政执法指导案例", "区司法局", {"收到日期": dt.date(2017, 12, 15), "件数": 2, "是否符合要求": "否",
                                               "酌情扣分": 1, "理由": "案例未经集体讨论评选"})
    for number in (1, 2):  # a unit with several filings: one row each
        filing = {"文件名称": f"元坝镇规范性文件{number}号", "备案日期": f"2017-06-0{number}"}
        put(book, "规范性文件备案", "元坝镇", filing, new_row=number == 2)
    book.save(tmp_path / "台账.xlsx")
    ingested = cli("ingest", tmp_path / "台账.xlsx", cwd=workspace)
    assert ingested.code == 0, ingested.out + ingested.err
    assert "台账" in ingested.out and "记录 4 条" in ledger_messages(workspace)[0]

    office_clock(AFTER_CASES)
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["区发改局"]["items"]["3.2"] == 4.8  # March one piece short: 5 − 0.2
    assert units["区发改局"]["items"]["4.1"] == 13  # no case received by 12-20: 未报送 −2
    assert units["区司法局"]["items"]["4.1"] == 14  # received, 不符合要求: the office's 酌情扣分 1
    assert units["区司法局"]["items"]["3.2"] == 5  # no ledger row: its own figures stand
    # the 工作总结 sheet came back as written, with no row: no record, so no unit loses its 3 points for it
    assert units["元坝镇"]["items"]["4.2"] == 8 and units["区发改局"]["items"]["6.2"] == 6

    findings = cli("validate", "--json", cwd=workspace).json()["findings"]
    march = next(f for f in findings if f["code"] == "ledger_differs" and f["ref"] == "3.2a.03")
    assert march["unit"] == "区发改局" and march["severity"] == "warning" and march["cell"].startswith("自评表!")
    assert "3.2a 3月:自报 2 条,台账记录 1 条" in march["message"]
    case = next(f for f in findings if f["code"] == "ledger_differs" and f["ref"] == "4.1e")
    assert case["unit"] == "区发改局" and "自报“否”,台账记录为“是”" in case["message"]
    assert {f["ref"] for f in findings if f["code"] == "ledger_differs" and f["unit"] == "区司法局"} == set()
    assert f"信息报送!A{line}" not in str(findings)  # nothing wrong with the ledger itself

    assert cli("review-sheet", cwd=workspace).code == 0  # the office sees its records beside each item
    sheets = workspace / "review"
    review = openpyxl.load_workbook(sheets / "2017年度法治政府建设复核打分表_乡镇(街道).xlsx")["复核打分表"]
    titles = {c.value: c.column for c in review[4]}

    def cell(line: int, title: str):
        return review.cell(line, titles[title]).value

    problem = next(cell(r, "问题") for r in range(5, review.max_row + 1)
                   if cell(r, "单位名称") == "元坝镇" and cell(r, "编号") == "1.2")
    assert "【台账】备案 2 件" in problem

    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "feedback" / "区发改局.html").read_text("utf-8")
    assert "自报 2 条,台账记录 1 条" in page and "台账记录截至 12月20日 未收到" in page
    other = (workspace / "reports" / "feedback" / "区司法局.html").read_text("utf-8")
    assert "不符合要求,酌情扣 1 分" in other and "案例未经集体讨论评选" in other
    town = (workspace / "reports" / "feedback" / "元坝镇.html").read_text("utf-8")
    assert "台账:备案 2 件" in town and "元坝镇规范性文件2号" in town

    # the 反馈函 says the office's ledger, not the unit's own facts, set the lower figure (issue 27, the 2026 run)
    assert cli("feedback-letters", "--no-pdf", cwd=workspace).code == 0
    letter = docx.Document(next((workspace / "reports" / "反馈函").glob("*区发改局*.docx")))
    text = "".join(p.text for p in letter.paragraphs)
    assert "其中3.2、4.1项的自评得分高于按法制办台账记载的情形对应的得分上限,按上限计为97.80分" in text, text
    assert "其中3.2、4.1项按法制办台账记载的情况计" in text and "法制办未作调整" not in text
    assert "你单位填报情形对应的得分上限" not in text


def test_before_the_case_deadline_an_unrecorded_case_is_not_deducted(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))  # one other unit's case and summary recorded
    put(book, "行政执法指导案例", "区司法局", {"收到日期": dt.date(2017, 12, 1), "件数": 1})
    put(book, "工作总结", "区司法局", {"收到日期": dt.date(2017, 12, 1)})
    book.save(tmp_path / "台账.xlsx")
    ingested = cli("ingest", tmp_path / "台账.xlsx", cwd=workspace)
    assert ingested.code == 0, ingested.out
    assert by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]["items"]["4.1"] == 15
    findings = cli("validate", "--json", cwd=workspace).json()["findings"]
    due = [f for f in findings if f["code"] == "ledger_not_due"]
    assert {f["ref"] for f in due} == {"4.1e", "6.2c"} and all(f["severity"] == "warning" for f in due)
    assert "尚未到期,暂不扣分" in due[0]["message"]


def test_inspection_deductions_need_a_reason_and_are_capped_by_the_item(cli, workspace, tmp_path, office_clock):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "卫子镇": full_marks("township")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    put(book, "实地检查", "区发改局", {"编号": "6.4", "检查发现": "法制机构仅一人", "酌情扣分": 4, "理由": "人员不足"})
    put(book, "实地检查", "区发改局", {"编号": "6.4", "检查发现": "无专职人员", "酌情扣分": 3, "理由": "无专职"},
        new_row=True)
    put(book, "实地检查", "卫子镇", {"编号": "1.1", "检查发现": "会议记录不全", "酌情扣分": "1.5分",
                                    "理由": "记录缺失"})
    book.save(tmp_path / "台账.xlsx")
    assert cli("ingest", tmp_path / "台账.xlsx", cwd=workspace).code == 0
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["区发改局"]["items"]["6.4"] == 0  # 4 + 3 > 5: the item never goes below 0
    assert units["卫子镇"]["items"]["1.1"] == 13.5
    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "feedback" / "卫子镇.html").read_text("utf-8")
    assert "实地检查:会议记录不全,酌情扣 1.5 分(理由:记录缺失)" in page


def test_the_summary_sheet_is_prefilled_from_the_materials(cli, workspace, tmp_path, office_clock):
    assert cli("generate", cwd=workspace).code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    workbook = tmp_path / "区发改局.xlsx"
    fill_workbook(workspace / "outbox" / "2017年度法治政府建设自评表_区发改局.xlsx", workbook,
                  full_marks("department"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("区发改局自评表.xlsx", workbook.read_bytes())
        archive.writestr("区发改局2017年度法治政府建设工作总结.pdf", DEMO_PDF)
    (inbox / "区发改局.zip").write_bytes(buffer.getvalue())
    fill_workbook(workspace / "outbox" / "2017年度法治政府建设自评表_区司法局.xlsx", inbox / "区司法局.xlsx",
                  full_marks("department"))
    assert cli("ingest", inbox, cwd=workspace).code == 0
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    sheet = book["工作总结"]
    line, titles = header(sheet)
    rows = {sheet.cell(r, titles["单位名称"]).value: r for r in range(line + 1, sheet.max_row + 1)}
    filled = rows["区发改局"]
    assert sheet.cell(filled, titles["文件"]).value == "区发改局2017年度法治政府建设工作总结.pdf"
    assert sheet.cell(filled, titles["收到日期"]).value.date() == dt.date(2017, 12, 5)
    assert sheet.cell(rows["区司法局"], titles["收到日期"]).value is None
    book.save(tmp_path / "台账.xlsx")
    assert cli("ingest", tmp_path / "台账.xlsx", cwd=workspace).code == 0
    office_clock("2017-12-11T09:00:00+08:00")  # after the 12-10 deadline
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["区发改局"]["items"]["6.2"] == 6
    assert units["区司法局"]["items"]["6.2"] == 3  # no 工作总结 by 12-10: 未报送工作总结 −3


def test_bad_rows_name_the_sheet_and_cell_and_the_rest_is_taken(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "区司法局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    stranger = put(book, "信息报送", "区不存在局", months(), new_row=True)
    negative_month = put(book, "信息报送", "区发改局", months(m3=-1))
    not_a_date = put(book, "行政执法指导案例", "区司法局", {"收到日期": "上周", "件数": 2, "是否符合要求": "是"})
    negative = put(book, "行政执法指导案例", "区发改局", {"收到日期": "2017-12-15", "件数": -2})
    unknown = put(book, "实地检查", "区发改局", {"编号": "9.9", "检查发现": "x", "酌情扣分": 1, "理由": "y"})
    too_much = put(book, "实地检查", "区发改局", {"编号": "6.4", "酌情扣分": 6, "理由": "y"}, new_row=True)
    below = put(book, "实地检查", "区发改局", {"编号": "6.4", "酌情扣分": -1, "理由": "y"}, new_row=True)
    no_reason = put(book, "实地检查", "区发改局", {"编号": "6.3", "酌情扣分": 2}, new_row=True)
    put(book, "实地检查", "区司法局", {"编号": "6.4", "检查发现": "人员不足", "酌情扣分": 1, "理由": "仅一人"})
    book.save(tmp_path / "台账.xlsx")
    result = cli("ingest", tmp_path / "台账.xlsx", cwd=workspace)
    assert result.code == 1 and "Traceback" not in result.err
    assert "台账中有的行有误" in result.err
    assert f"信息报送!A{stranger}" in ledger_messages(workspace)[0]
    findings = cli("validate", "--json", cwd=workspace).json()["findings"]
    bad = {f["cell"]: f for f in findings if f["code"] == "ledger_invalid"}
    month = col(book, "信息报送", "3月")
    expected = {f"信息报送!A{stranger}": "不在本次考核的单位名单中",
                f"信息报送!{month}{negative_month}": "不是大于或等于 0 的整数",
                f"行政执法指导案例!{col(book, '行政执法指导案例', '收到日期')}{not_a_date}": "不是日期",
                f"行政执法指导案例!{col(book, '行政执法指导案例', '件数')}{negative}": "不是大于或等于 0 的整数",
                f"实地检查!{col(book, '实地检查', '编号')}{unknown}": "编号“9.9”",
                f"实地检查!{col(book, '实地检查', '酌情扣分')}{too_much}": "超过第 6.4 项的分值 5",
                f"实地检查!{col(book, '实地检查', '酌情扣分')}{below}": "为负数",
                f"实地检查!{col(book, '实地检查', '酌情扣分')}{no_reason}": "未写明理由"}
    assert set(bad) == set(expected)
    for cell, words in expected.items():
        assert words in bad[cell]["message"] and bad[cell]["severity"] == "error", cell
        assert bad[cell]["file"] == "台账.xlsx" and cell in bad[cell]["message"]
    assert bad[f"信息报送!A{stranger}"]["unit"] is None
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["区司法局"]["items"]["6.4"] == 4  # the good row was taken
    assert units["区发改局"]["items"]["3.2"] == 5  # its bad row was not: its own figures stand
    assert cli("validate", cwd=workspace).code == 1


def test_a_forged_or_unnamed_ledger_is_refused(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department")})
    path = make_ledger(cli, workspace)
    folder = tmp_path / "收件箱"
    folder.mkdir()
    shutil.copy(path, folder / "台账.xlsx")
    unnamed = cli("ingest", folder, cwd=workspace)
    assert unnamed.code == 1
    book = openpyxl.load_workbook(path)
    identity = book["fazhi_id"]
    for row in identity.iter_rows():
        if row[0].value == "generated_at":
            row[1].value = "2017-12-01T00:00:00+08:00"
    book.save(tmp_path / "改过的台账.xlsx")
    forged = cli("ingest", tmp_path / "改过的台账.xlsx", cwd=workspace)
    assert forged.code == 1
    refused = {row["code"]: row["message"] for row in query(workspace, "SELECT * FROM files WHERE outcome = 'refused'")}
    assert set(refused) == {"ledger_not_named", "ledger_forged"}
    assert "只在法制办直接指定该文件时收取" in refused["ledger_not_named"]
    assert "校验码与本工作区不符" in refused["ledger_forged"]
    assert query(workspace, "SELECT COUNT(*) FROM ledger_entries")[0][0] == 0


def test_a_second_ledger_replaces_the_first_and_history_is_kept(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    put(book, "信息报送", "区发改局", months(m3=1, m4=0))
    book.save(tmp_path / "台账1.xlsx")
    assert cli("ingest", tmp_path / "台账1.xlsx", cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]["items"]["3.2"] == 4.4
    again = openpyxl.load_workbook(make_ledger(cli, workspace))  # the current state is written back in
    sheet = again["信息报送"]
    line, titles = header(sheet)
    row = next(r for r in range(line + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "区发改局")
    assert sheet.cell(row, titles["3月"]).value == 1 and sheet.cell(row, titles["4月"]).value == 0
    sheet.cell(row, titles["4月"]).value = 2  # the office found April's pieces
    again.save(tmp_path / "台账2.xlsx")
    assert cli("ingest", tmp_path / "台账2.xlsx", cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json())["区发改局"]["items"]["3.2"] == 4.8
    assert query(workspace, "SELECT COUNT(*) FROM ledger_records WHERE record = 'info'")[0][0] == 2
    duplicate = cli("ingest", tmp_path / "台账2.xlsx", cwd=workspace)
    assert duplicate.code == 0 and "重复" in duplicate.out


def test_a_ledger_row_not_taken_blocks_approval(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    line = put(book, "实地检查", "区发改局", {"编号": "6.3", "酌情扣分": 2})  # no reason: not taken
    book.save(tmp_path / "台账.xlsx")
    assert cli("ingest", tmp_path / "台账.xlsx", cwd=workspace).code == 1
    approve = ("approve", "--by", "区人民政府", "--date", "2018-01-15", "--accept-missing")
    refused = cli(*approve, cwd=workspace)
    assert refused.code == 1 and "尚有 1 项未解决" in refused.err
    cell = f"实地检查!{col(book, '实地检查', '酌情扣分')}{line}"
    assert "台账中未采用的行(台账.xlsx)" in refused.err and cell in refused.err
    book.save(tmp_path / "台账(改).xlsx")  # the clerk corrects the row and returns the ledger again
    corrected = openpyxl.load_workbook(tmp_path / "台账(改).xlsx")
    put(corrected, "实地检查", "区发改局", {"理由": "未见相关记录"})
    corrected.save(tmp_path / "台账(改).xlsx")
    assert cli("ingest", tmp_path / "台账(改).xlsx", cwd=workspace).code == 0
    assert cli(*approve, cwd=workspace).code == 0


def test_a_formula_in_the_ledger_is_an_error_naming_its_cell_never_a_blank(cli, workspace, tmp_path):
    """openpyxl and the office's own spreadsheet may store no result (or a stale one) for a formula: a formula is
    never read as the figure it shows, nor as a blank cell; its row is not taken and the cell is named."""
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "区司法局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    month = put(book, "信息报送", "区发改局", {"1月": "=1+2"})
    count = put(book, "行政执法指导案例", "区司法局", {"收到日期": "2017-12-15", "件数": "=1", "是否符合要求": "是"})
    received = put(book, "行政执法指导案例", "区发改局", {"收到日期": "=TODAY()", "件数": 1, "是否符合要求": "是"})
    deduction = put(book, "实地检查", "区发改局",
                    {"编号": "6.4", "检查发现": "x", "酌情扣分": "=SUM(1,2)", "理由": "y"})
    item = put(book, "实地检查", "区司法局", {"编号": '="6.4"', "检查发现": "x", "酌情扣分": 1, "理由": "y"})
    book.save(tmp_path / "台账.xlsx")
    result = cli("ingest", tmp_path / "台账.xlsx", cwd=workspace)
    assert result.code == 1 and "Traceback" not in result.err
    findings = cli("validate", "--json", cwd=workspace).json()["findings"]
    bad = {f["cell"]: f["message"] for f in findings if f["code"] == "ledger_invalid"}
    expected = {f"信息报送!{col(book, '信息报送', '1月')}{month}": "=1+2",
                f"行政执法指导案例!{col(book, '行政执法指导案例', '件数')}{count}": "=1",
                f"行政执法指导案例!{col(book, '行政执法指导案例', '收到日期')}{received}": "=TODAY()",
                f"实地检查!{col(book, '实地检查', '酌情扣分')}{deduction}": "=SUM(1,2)",
                f"实地检查!{col(book, '实地检查', '编号')}{item}": '="6.4"'}
    assert set(bad) == set(expected)
    for cell, formula in expected.items():
        assert f"是公式“{formula}”,台账不计算公式,该行未采用" in bad[cell] and "请直接填写" in bad[cell], bad[cell]
    units = by_unit(cli("score", "--json", cwd=workspace).json())
    assert units["区司法局"]["items"]["6.4"] == 5 and units["区发改局"]["items"]["6.4"] == 5  # no row was taken


def test_a_taken_ledger_is_listed_by_files_with_its_own_state(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department")})
    book = openpyxl.load_workbook(make_ledger(cli, workspace))
    put(book, "信息报送", "区发改局", months())
    book.save(tmp_path / "台账.xlsx")
    assert cli("ingest", tmp_path / "台账.xlsx", cwd=workspace).code == 0
    table = cli("files", cwd=workspace)
    assert table.code == 0 and "Traceback" not in table.err and "法制办台账" in table.out
    listed = cli("files", "--state", "ledger", "--json", cwd=workspace).json()["files"]
    assert [(f["original_name"], f["label"]) for f in listed] == [("台账.xlsx", "法制办台账")]


def test_a_sheet_with_no_rows_is_no_record_and_deducts_from_no_one(cli, workspace, tmp_path, office_clock):
    """The ledger sent back as written (its 工作总结 and 指导案例 sheets blank) records nothing: after both due dates
    no unit loses points for them, and ingest says why; a sheet with one row says how many units it deducts from."""
    returned(cli, workspace, tmp_path, {"区发改局": full_marks("department"), "元坝镇": full_marks("township")})
    office_clock(AFTER_CASES)
    before = by_unit(cli("score", "--json", cwd=workspace).json())
    path = make_ledger(cli, workspace)
    assert cli("ingest", path, cwd=workspace).code == 0
    assert by_unit(cli("score", "--json", cwd=workspace).json()) == before
    [said] = ledger_messages(workspace)
    assert "“工作总结”表中没有任何记录,未采用(不据此扣分)" in said
    assert "“行政执法指导案例”表中没有任何记录,未采用(不据此扣分)" in said
    book = openpyxl.load_workbook(path)
    put(book, "工作总结", "区发改局", {"收到日期": dt.date(2017, 12, 1)})
    book.save(tmp_path / "台账.xlsx")
    assert cli("ingest", tmp_path / "台账.xlsx", cwd=workspace).code == 0
    said = ledger_messages(workspace)[-1]
    units = cli("status", "--json", cwd=workspace).json()["units"]
    assert f"工作总结:记录 1 个单位,其余 {len(units) - 1} 个单位没有记录,12月10日后按未报送扣分" in said
    after = by_unit(cli("score", "--json", cwd=workspace).json())
    assert after["区发改局"]["items"]["6.2"] == before["区发改局"]["items"]["6.2"]
    assert after["元坝镇"]["total"] < before["元坝镇"]["total"]  # recorded sheet: no receipt by 12-10 deducts
