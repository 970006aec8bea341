"""`fazhi config show|set`: settings changed without a text editor, fazhi.toml's comments kept; dates typed any
way a person writes them; every fazhi.toml error in Chinese naming its line; `generate` warns of placeholders."""

from __future__ import annotations

import tomllib

import pytest

from fazhi_cli.domain.dates import NotADate, parse_date
from fazhi_cli.domain.settings import SettingProblem, find_setting


@pytest.mark.parametrize("typed", ["2026-12-5", "2026-12-05", "2026/12/5", "2026.12.5", "2026年12月5日",
                                   "２０２６年１２月５日", "２０２６－１２－０５", " 2026 年 12 月 5 日 ", "20261205"])
def test_dates_typed_any_way(typed):
    assert parse_date(typed).isoformat() == "2026-12-05"


@pytest.mark.parametrize("typed", ["2026-13-5", "2026年2月30日", "明年", "12/5", ""])
def test_not_dates(typed):
    with pytest.raises(NotADate):
        parse_date(typed)


@pytest.mark.parametrize(("typed", "key"), [
    ("截止日期", "deadline"), ("deadline", "deadline"), ("campaign.deadline", "deadline"),
    ("案例截止日期", "case_deadline"), ("联系人", "contact"), ("电话", "phone"), ("邮箱", "email"),
    ("权重.乡镇", "weights.township"), ("权重.乡镇（街道）", "weights.township"),
    ("区级部门权重", "weights.department"),
    ("weights.department", "weights.department"), ("考核名称", "title"), ("发文机关", "documents.issuer"),
    ("发文字号", "documents.doc_no"), ("doc_no", "documents.doc_no"), ("整改截止日期", "documents.rectify_deadline"),
])
def test_setting_names(typed, key):
    assert find_setting(typed).key == key


def test_an_unknown_name_suggests_the_nearest():
    with pytest.raises(SettingProblem, match="是否要输入 截止日期"):
        find_setting("截至日期")


def settings(workspace):
    return tomllib.loads((workspace / "fazhi.toml").read_text("utf-8"))


def test_config_set_writes_the_value_and_keeps_comments(cli, workspace):
    before = (workspace / "fazhi.toml").read_text("utf-8")
    for key, value in (("截止日期", "2026年12月5日"), ("案例截止日期", "2026/12/15"), ("联系人", "张三"),
                       ("电话", "0839-1234567"), ("邮箱", "fzb@zhaohua.gov.cn"), ("权重.乡镇", "0.4"),
                       ("区级部门权重", "5"), ("发文字号", "昭府法办〔2027〕3号"), ("显示名次", "否")):
        result = cli("config", "set", key, value, cwd=workspace)
        assert result.code == 0, result.err
        assert "已将" in result.out
    data = settings(workspace)
    assert str(data["campaign"]["deadline"]) == "2026-12-05"
    assert str(data["campaign"]["case_deadline"]) == "2026-12-15"
    assert data["campaign"]["contact"] == "张三" and data["campaign"]["show_rank_in_feedback"] is False
    assert data["weights"] == {"department": "5", "township": "0.4"}
    assert data["documents"]["doc_no"] == "昭府法办〔2027〕3号"
    after = (workspace / "fazhi.toml").read_text("utf-8")
    comments = [line for line in before.splitlines() if line.startswith("#") and "未设置" not in line
                and "[weights]" not in line]
    assert all(line in after.splitlines() for line in comments)
    # the weights written where the file explains them, not appended at the end
    assert after.index("[weights]") < after.index("[documents]")
    shown = cli("config", "show", "--json", cwd=workspace).json()["settings"]
    values = {row["key"]: row["value"] for row in shown}
    assert values["deadline"] == "2026-12-05" and values["weights.township"] == "0.4"
    assert {row["label"] for row in shown} >= {"截止日期", "联系人", "发文字号"}


def test_config_show_is_a_table_in_chinese(cli, workspace):
    result = cli("config", "show", cwd=workspace)
    assert result.code == 0 and "截止日期" in result.out and "2017-12-10" in result.out


@pytest.mark.parametrize(("key", "value", "says"), [
    ("截至日期", "2026-12-5", "是否要输入 截止日期"),
    ("截止日期", "明年", "不是日期"),
    ("权重.乡镇", "abc", "不是数字"),
    ("权重.乡镇", "101", "超出范围"),
    ("邮箱", "not-an-address", "不是电子邮箱地址"),
    ("显示名次", "也许", "应为 是 或 否"),
    ("year", "2020", "不能用 fazhi config set 修改"),
    ("考核名称", " ", "不能为空"),
])
def test_config_set_refuses_in_chinese_and_changes_nothing(cli, workspace, key, value, says):
    before = (workspace / "fazhi.toml").read_bytes()
    result = cli("config", "set", key, value, cwd=workspace)
    assert result.code == 2 and says in result.err, result.err
    assert (workspace / "fazhi.toml").read_bytes() == before


def test_a_bare_chinese_date_is_explained_with_its_line_and_mended_by_config_set(cli, workspace):
    path = workspace / "fazhi.toml"
    text = path.read_text("utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("deadline ="))
    path.write_text(text.replace("deadline = 2017-12-10", "deadline = 2026年12月5日"), "utf-8")
    result = cli("status", cwd=workspace)
    assert result.code == 2
    assert f"fazhi.toml 第 {line} 行" in result.err
    assert "日期请写成 deadline = 2026-12-05 或用 fazhi config set 截止日期 2026年12月5日" in result.err
    assert cli("config", "set", "截止日期", "2026年12月5日", cwd=workspace).code == 0
    assert str(settings(workspace)["campaign"]["deadline"]) == "2026-12-05"


def test_a_quoted_chinese_date_is_read(cli, workspace):
    path = workspace / "fazhi.toml"
    path.write_text(path.read_text("utf-8").replace("deadline = 2017-12-10", 'deadline = "2017年12月10日"'), "utf-8")
    assert cli("config", "show", "--json", cwd=workspace).json()["settings"][3]["value"] == "2017-12-10"


def test_every_settings_error_names_its_line_in_chinese(cli, workspace):
    path = workspace / "fazhi.toml"
    original = path.read_text("utf-8")
    line = next(n for n, row in enumerate(original.splitlines(), start=1) if row.startswith("contact ="))
    path.write_text(original.replace('contact = "法制办联络员"', "contact = 张三"), "utf-8")
    result = cli("status", cwd=workspace)
    assert result.code == 2 and f"第 {line} 行" in result.err and "双引号" in result.err
    path.write_text(original.replace("deadline = 2017-12-10", 'deadline = "2017年13月1日"'), "utf-8")
    result = cli("status", cwd=workspace)
    assert result.code == 2 and "第 7 行" in result.err and "不是有效的日期" in result.err
    assert "Invalid" not in result.err and "at line" not in result.err


def test_a_bom_and_gbk_are_fine(cli, workspace):
    path = workspace / "fazhi.toml"
    text = path.read_text("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert cli("status", cwd=workspace).code == 0
    assert cli("config", "set", "联系人", "李四", cwd=workspace).code == 0
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    assert cli("status", cwd=workspace).code == 0
    assert cli("config", "set", "电话", "0839-7654321", cwd=workspace).code == 0
    assert settings(workspace)["campaign"]["phone"] == "0839-7654321"  # read as UTF-8 again
    assert settings(workspace)["campaign"]["contact"] == "李四"


def test_generate_warns_of_placeholder_contacts_and_a_past_deadline(cli, workspace, office_clock):
    result = cli("generate", "--unit", "区发改局", cwd=workspace)
    assert result.code == 0 and "0839-0000000" in result.err and "fazhiban@example.invalid" in result.err
    assert "fazhi config set 联系人" in result.err and "已经过去" not in result.err
    for key, value in (("联系人", "张三"), ("电话", "0839-1234567"), ("邮箱", "fzb@zhaohua.gov.cn")):
        assert cli("config", "set", key, value, cwd=workspace).code == 0
    office_clock("2017-12-11T09:00:00+08:00")
    result = cli("generate", "--unit", "区发改局", "--force", cwd=workspace)
    assert result.code == 0 and "示例" not in result.err
    assert "报送截止日期 2017-12-10 已经过去" in result.err


def test_changing_what_workbooks_print_after_generating_says_to_regenerate(cli, workspace):
    assert cli("generate", "--unit", "区发改局", cwd=workspace).code == 0
    result = cli("config", "set", "截止日期", "2017-12-12", cwd=workspace)
    assert result.code == 0 and "fazhi generate --force" in result.err
    result = cli("config", "set", "考核名称", "2017年度法治政府建设考核(复核)", cwd=workspace)
    assert result.code == 0 and "另一次考核" in result.err


@pytest.mark.parametrize("typed", ["金依法办〔2026〕 8号", "金依法办[2026]8号", "金依法办【2026】8 号"])
def test_a_document_number_typed_with_stray_spaces_or_other_brackets_is_written_as_gbt9704_has_it(
        cli, workspace, typed):
    result = cli("config", "set", "发文字号", typed, cwd=workspace)
    assert result.code == 0, result.err
    assert settings(workspace)["documents"]["doc_no"] == "金依法办〔2026〕8号"
    assert "已按公文格式写作“金依法办〔2026〕8号”" in "".join((result.out + result.err).split())


def test_a_document_number_as_gbt9704_has_it_is_taken_without_a_note(cli, workspace):
    result = cli("config", "set", "发文字号", "金依法办〔2026〕8号", cwd=workspace)
    assert result.code == 0 and "已按公文格式" not in result.out + result.err


def test_setting_the_value_a_setting_already_has_says_so(cli, workspace):
    """Issue 27.10: not “由 2017-12-10 改为 2017-12-10”."""
    result = cli("config", "set", "截止日期", "2017年12月10日", "-w", workspace)
    assert result.code == 0 and "已是 2017-12-10,未改动" in result.out and "改为" not in result.out
