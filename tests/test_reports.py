"""`fazhi report`: the summary workbook, summary.html and feedback pages — escaped, overridable, and
rendered by a real browser."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from helpers import external_tool, set_weights
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.reports.render import environment


@pytest.fixture
def reported(cli, workspace, tmp_path) -> Path:
    hostile = department_case()
    hostile.notes["4.1"] = "<script>alert('x')</script>执法人员未持证"
    hostile.notes["3.2"] = "=HYPERLINK(\"http://example.invalid\",\"点我\")"
    set_weights(workspace, department='"5"', township='"5"')
    returned(cli, workspace, tmp_path, {
        "区发改局": hostile, "区公安分局": full_marks("department"), "元坝镇": township_case(),
    })
    result = cli("report", cwd=workspace)
    assert result.code == 0, result.err
    return workspace / "reports"


def test_report_writes_the_workbook_summary_and_one_feedback_page_per_returned_unit(reported):
    assert (reported / "2017年度法治政府建设考核结果汇总.xlsx").is_file()
    assert (reported / "summary.html").is_file()
    pages = sorted(p.name for p in (reported / "feedback").glob("*.html"))
    assert pages == ["元坝镇.html", "区公安分局.html", "区发改局.html"]


def test_unit_text_is_escaped_in_html(reported):
    page = (reported / "feedback" / "区发改局.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;执法人员未持证" in page
    assert "<script>" not in page
    assert "96.40" in page and "4.82" in page


def test_unit_text_starting_with_equals_is_text_in_the_excel_summary(reported):
    book = openpyxl.load_workbook(reported / "2017年度法治政府建设考核结果汇总.xlsx")
    found = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert found, "the unit's 扣分说明 should appear in the summary workbook"
    assert all(cell.data_type == "s" for cell in found)


def test_summary_page_has_rankings_missing_units_tasks_and_svg_charts(reported):
    page = (reported / "summary.html").read_text("utf-8")
    for text in ("区级各部门排名", "各乡镇(街道)排名", "总分分布", "失分较多", "未报送单位", "年度工作任务完成情况",
                 "区教育局", "<svg"):
        assert text in page, text
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # works offline: nothing fetched


def test_feedback_page_hides_rank_when_the_campaign_says_so(cli, workspace, tmp_path):
    settings = workspace / "fazhi.toml"
    settings.write_text(settings.read_text("utf-8").replace("show_rank_in_feedback = true",
                                                            "show_rank_in_feedback = false"), "utf-8")
    returned(cli, workspace, tmp_path, {"区发改局": department_case(), "区公安分局": full_marks("department")})
    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "feedback" / "区发改局.html").read_text("utf-8")
    assert "名次" not in page and "同类平均" not in page and "96.40" in page


def test_workspace_templates_override_the_shipped_ones(cli, workspace, tmp_path):
    returned(cli, workspace, tmp_path, {"区发改局": department_case()})
    (workspace / "templates").mkdir()
    (workspace / "templates" / "summary.html.j2").write_text(
        "<h1>本办自定义汇总 {{ campaign.title }}</h1>{{ '<b>' }}", "utf-8")
    assert cli("report", cwd=workspace).code == 0
    page = (workspace / "reports" / "summary.html").read_text("utf-8")
    assert page == "<h1>本办自定义汇总 2017年度法治政府建设考核</h1>&lt;b&gt;"


def test_every_template_autoescapes_even_when_named_html_j2(tmp_path):
    (tmp_path / "probe.html.j2").write_text("{{ value }}", "utf-8")
    env = environment(tmp_path)
    assert env.get_template("probe.html.j2").render(value="<b>&") == "&lt;b&gt;&amp;"
    assert env.autoescape is True


def _ppm_is_blank(ppm: bytes) -> bool:
    """True when every pixel of a binary PPM (P6) has the same colour."""
    parts = ppm.split(maxsplit=4)
    assert parts[0] == b"P6"
    pixels = parts[4]
    first = pixels[:3]
    return pixels == first * (len(pixels) // 3)


@pytest.mark.chromium
def test_pages_render_in_headless_chromium(reported, tmp_path):
    chromium = external_tool("chromium")
    pdftoppm = external_tool("pdftoppm")
    for page in (reported / "summary.html", reported / "feedback" / "区发改局.html"):
        pdf = tmp_path / f"{page.stem}.pdf"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        assert pdf.is_file() and pdf.stat().st_size > 5000
        ppm = subprocess.run([pdftoppm, "-r", "20", "-f", "1", "-l", "1", str(pdf)], check=True,
                             capture_output=True, timeout=60).stdout
        assert not _ppm_is_blank(ppm), f"{page.name} rendered a blank first page"
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", page.as_uri()],
            check=True, capture_output=True, timeout=120, text=True,
        ).stdout
        assert "<script" not in dom and "法治政府建设考核" in dom


def test_pages_are_written_window_by_window_and_none_after_a_window_that_failed(tmp_path):
    """Pages are rendered while the window before is written; a window that cannot be written stops the rest."""
    from fazhi_cli.domain.units import Unit
    from fazhi_cli.reports.html import PAGE_WINDOW, _write_pages

    pages = [(Unit(f"单位{index}", "department"), tmp_path / f"{index}.html") for index in range(3 * PAGE_WINDOW)]
    rendered: list[str] = []

    def text(unit: Unit) -> str:
        rendered.append(unit.name)
        return f"<p>{unit.name}</p>"

    _write_pages(pages[:PAGE_WINDOW + 1], text)
    assert [path.read_text("utf-8") for _, path in pages[:PAGE_WINDOW + 1]] == [
        f"<p>{unit.name}</p>" for unit, _ in pages[:PAGE_WINDOW + 1]]
    for _, path in pages[:PAGE_WINDOW + 1]:
        path.unlink()
    blocked = pages[PAGE_WINDOW + 5][1]
    blocked.mkdir()  # a folder where the page should go: its window cannot be written
    (blocked / "x").write_bytes(b"")
    rendered.clear()
    with pytest.raises(OSError):
        _write_pages(pages, text)
    assert all(path.read_text("utf-8") == f"<p>{unit.name}</p>" for unit, path in pages[:PAGE_WINDOW])
    assert not any(path.exists() for _, path in pages[2 * PAGE_WINDOW:])  # rendered maybe, never written
    assert len(rendered) <= 3 * PAGE_WINDOW and list(tmp_path.rglob("*.part")) == []


def _nine_departments_returned(cli, workspace, tmp_path) -> None:
    """Nine returned departments: enough pages for the summary workbook to be written by a forked copy."""
    assert cli("generate", cwd=workspace).code == 0
    departments = sorted(path.name.split("_", 1)[1][:-5] for path in (workspace / "outbox").glob("*局.xlsx"))
    cases = {unit: full_marks("department") for unit in departments[:8]}
    cases[departments[8]] = department_case()
    returned(cli, workspace, tmp_path, cases)


def _cells(path: Path) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def test_the_summary_workbook_written_beside_the_pages_is_the_one_written_alone(cli, workspace, tmp_path,
                                                                                 monkeypatch):
    _nine_departments_returned(cli, workspace, tmp_path)
    workbook = workspace / "reports" / "2017年度法治政府建设考核结果汇总.xlsx"
    made = {}
    for workers in ("2", "1"):
        monkeypatch.setenv("FAZHI_WORKERS", workers)
        result = cli("report", cwd=workspace)
        assert result.code == 0, result.err
        made[workers] = _cells(workbook)
        workbook.unlink()
    assert made["2"] == made["1"]
    assert sum(len(rows) for rows in made["2"].values()) > 9


def test_a_summary_workbook_that_cannot_be_written_beside_the_pages_fails_here_as_it_does_alone(
        cli, workspace, tmp_path, monkeypatch):
    """The forked copy's failure is not lost: the workbook is tried again in the process itself, whose error is
    the one the clerk sees (here the error of a folder standing where the workbook goes)."""
    _nine_departments_returned(cli, workspace, tmp_path)
    blocked = workspace / "reports" / "2017年度法治政府建设考核结果汇总.xlsx"
    blocked.mkdir(parents=True)
    for workers in ("2", "1"):
        monkeypatch.setenv("FAZHI_WORKERS", workers)
        with pytest.raises(IsADirectoryError, match="汇总"):
            cli("report", cwd=workspace)
        assert blocked.is_dir() and not list(blocked.iterdir())
        assert not list((workspace / "reports").rglob("*.part"))
