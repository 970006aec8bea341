"""The names of the files and folders of a workspace, and of the files fazhi writes into it.

A unit's name goes into a file name only through `safe_file_component`, so that every name is valid on every
file system the office uses (Windows, USB drives, shares).
"""

from __future__ import annotations

from fazhi_cli.domain.campaign import DEFAULT_RUBRIC_FILE
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.domain.text import safe_file_component

CONFIG_NAME = "fazhi.toml"
STORE_NAME = "fazhi.db"
SECRET_NAME = "fazhi.secret"
LOCK_NAME = "fazhi.lock"
RUBRIC_NAME = DEFAULT_RUBRIC_FILE
PREVIOUS_NAME = "previous"
FOLDERS = ("outbox", "inbox", "archive", "reports", "returns")
# a campaign's own data, moved to previous/ when `init --force` starts another campaign in the folder
CAMPAIGN_FOLDERS = ("archive", "outbox", "review", "ledger", "returns", "reports")
CAMPAIGN_FILES = (STORE_NAME, STORE_NAME + "-journal", SECRET_NAME)


# --- the names of the files fazhi writes (unit names made safe for every file system) ---------------------


def workbook_file_name(year: int, unit_name: str) -> str:
    """`<年度>年度法治政府建设自评表_<单位名称>.xlsx` (the name made safe for every file system)."""
    return f"{year}年度法治政府建设自评表_{safe_file_component(unit_name)}.xlsx"


def annotated_name(year: int, unit: str) -> str:
    """The file name of a unit's marked-up copy in returns/ (the unit's name made safe for every file system)."""
    return f"{year}年度法治政府建设自评表_{safe_file_component(unit)}_修改意见.xlsx"


def review_file_name(year: int, unit_type: str, team: str = "") -> str:
    """`<年度>年度法治政府建设复核打分表_<类型>.xlsx`; a review team's: `…_<类型>_<考核组>.xlsx` (the team's name
    made safe for every file system)."""
    suffix = f"_{safe_file_component(team)}" if team else ""
    return f"{year}年度法治政府建设复核打分表_{UNIT_TYPE_LABELS[unit_type]}{suffix}.xlsx"


def component_file_name(year: int, component: str) -> str:
    """`<年度>年度法治政府建设评分构成表_<评分构成>.xlsx` (the name made safe for every file system)."""
    return f"{year}年度法治政府建设评分构成表_{safe_file_component(component)}.xlsx"


def ledger_file_name(year: int) -> str:
    """`<年度>年度法治政府建设法制办台账.xlsx`."""
    return f"{year}年度法治政府建设法制办台账.xlsx"


def feedback_file_name(unit: str) -> str:
    """`<单位名称>.html` (the name made safe for every file system)."""
    return f"{safe_file_component(unit)}.html"


def summary_file_name(year: int) -> str:
    """`<年度>年度法治政府建设考核结果汇总.xlsx`."""
    return f"{year}年度法治政府建设考核结果汇总.xlsx"


def notice_file_name(year: int, approved: bool) -> str:
    """The notice: `<年度>年度法治政府建设考核结果通报.docx` once approved, `…考核初步结果请示.docx` before."""
    return f"{year}年度法治政府建设考核结果通报.docx" if approved else f"{year}年度法治政府建设考核初步结果请示.docx"


def letter_file_name(year: int, unit: str) -> str:
    """A unit's letter: `<年度>年度法治政府建设考核反馈函_<单位名称>.docx` (the name made safe)."""
    return f"{year}年度法治政府建设考核反馈函_{safe_file_component(unit)}.docx"


def rectify_file_name(year: int, unit: str) -> str:
    """A unit's 整改 workbook: `<年度>年度法治政府建设整改清单_<单位名称>.xlsx` (the name made safe)."""
    return f"{year}年度法治政府建设整改清单_{safe_file_component(unit)}.xlsx"


def rectify_review_file_name(year: int) -> str:
    """The office's `<年度>年度法治政府建设整改复核表.xlsx` (销号)."""
    return f"{year}年度法治政府建设整改复核表.xlsx"


def rectify_notice_file_name(year: int) -> str:
    """The `<年度>年度法治政府建设考核整改情况通报.docx`."""
    return f"{year}年度法治政府建设考核整改情况通报.docx"
