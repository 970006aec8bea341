"""Reading and writing rubric files at the edge: YAML (for programmers) and the rubric workbook (for the office,
`rubric_workbook`), chosen by the file's suffix; the model and its checks live in domain.rubric."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import yaml

from fazhi_cli.domain.rubric import Rubric, RubricProblems, build_rubric, rubric_data
from fazhi_cli.errors import RubricInvalid, UsageError
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.rubric.workbook import RubricWorkbookProblems, read_rubric_workbook, write_rubric_workbook
from fazhi_cli.workbook.formats import other_format

BUILTIN_RUBRIC_ID = "zhaohua-2017"
MAX_RUBRIC_BYTES = 2 * 1024 * 1024
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
YAML_SUFFIXES = (".yaml", ".yml")


def builtin_rubric_text() -> str:
    """The YAML text of the built-in 2017 Zhaohua rubric, as shipped in the package."""
    return resources.files("fazhi_cli.data").joinpath(f"{BUILTIN_RUBRIC_ID}.yaml").read_text("utf-8")


def builtin_rubric() -> Rubric:
    """The built-in 2017 Zhaohua rubric."""
    return parse_rubric_text(builtin_rubric_text(), "内置评分细则 zhaohua-2017")


def is_rubric_workbook(path: Path) -> bool:
    """True when the file is a rubric workbook (by its suffix), False for YAML."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES


def load_rubric_file(path: Path) -> Rubric:
    """Read and check a rubric file, a workbook (.xlsx) or YAML; `RubricInvalid` names the file and every
    inconsistency (in a workbook, by sheet and cell)."""
    try:
        if path.stat().st_size > MAX_RUBRIC_BYTES:
            raise RubricInvalid(f"评分细则文件 {path} 过大(超过 2 MB)", "请检查是否选错了文件。")
        if other_format(path.read_bytes()) is not None:  # told by the bytes, whatever the file's name
            raise RubricInvalid(
                f"评分细则文件 {path} 是 .xls、.et 或 .ods 格式的表格,评分细则工作簿只能是 .xlsx",
                "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再指定该文件"
                "(可用 fazhi rubric export 细则.xlsx 导出范本对照)。")
        if is_rubric_workbook(path):
            return _load_workbook(path)
        text = path.read_text("utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        raise RubricInvalid(f"找不到评分细则文件 {path}", "请检查文件路径。") from None
    except UnicodeDecodeError:
        raise RubricInvalid(
            f"评分细则文件 {path} 不是 UTF-8 编码的文本",
            "评分细则应为 Excel 工作簿(.xlsx,可用 fazhi rubric export 细则.xlsx 导出范本)或 UTF-8 编码的 YAML 文件。",
        ) from None
    except IsADirectoryError:
        raise RubricInvalid(f"{path} 是文件夹,不是评分细则文件", "请指定 .xlsx 或 .yaml 文件。") from None
    return parse_rubric_text(text, str(path))


def _load_workbook(path: Path) -> Rubric:
    try:
        data, problems = read_rubric_workbook(path)
    except RubricWorkbookProblems as unreadable:
        raise RubricInvalid(f"评分细则工作簿 {path} {unreadable.what}",
                            "请用 fazhi rubric export 细则.xlsx 导出范本,对照修改。",
                            details=unreadable.problems) from None
    try:
        rubric = build_rubric(data)
    except RubricProblems as found:
        problems = problems + found.problems
    if problems:
        raise RubricInvalid(f"评分细则工作簿 {path} 有 {len(problems)} 处问题", "请按所列工作表和单元格逐条修改,"
                            "再用 fazhi rubric check 检查。", details=problems)
    return rubric


def rubric_yaml(rubric: Rubric, origin: str) -> str:
    """A rubric as YAML text (what the workspace keeps of a rubric workbook), saying where it came from."""
    body = yaml.safe_dump(rubric_data(rubric), allow_unicode=True, sort_keys=False, width=1000)
    return f"# 评分细则,由 {origin} 转换而来(修改请改原工作簿后重新 fazhi init --force --rubric)\n{body}"


def rubric_file_text(path: Path, rubric: Rubric) -> str:
    """The YAML text a workspace keeps for a checked rubric file: YAML as written, a workbook converted."""
    if is_rubric_workbook(path):
        return rubric_yaml(rubric, path.name)
    return path.read_text("utf-8").removeprefix("\ufeff")


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


@functools.lru_cache(maxsize=8)
def parse_rubric_text(text: str, source: str) -> Rubric:
    """Parse YAML text into a checked rubric; `source` names the file in messages.

    Remembered by text: a rubric is immutable, and one command may read the workspace's copy many times (the
    demo's fifty ingests, approval's snapshots). libyaml parses when it is installed (the same documents, ten
    times faster)."""
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise RubricInvalid(
            f"评分细则文件 {source} {where}不是有效的 YAML", "请检查缩进和冒号;可用 fazhi rubric export 导出范本对照。"
        ) from None
    try:
        return build_rubric(data)
    except RubricProblems as problems:
        raise RubricInvalid(
            f"评分细则文件 {source} 有 {len(problems.problems)} 处不一致",
            "请逐条修改后再用 fazhi rubric check 检查。",
            details=problems.problems,
        ) from None


def export_rubric(target: Path, rubric: Rubric | None = None, text: str | None = None) -> None:
    """Write a rubric to `target`: a workbook for .xlsx, YAML for .yaml/.yml. Without `rubric`, the built-in one
    (its YAML as shipped, comments and all); `text` is the YAML text of `rubric` when there is one."""
    suffix = target.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        write_rubric_workbook(rubric or builtin_rubric(), target)
    elif suffix in YAML_SUFFIXES:
        content = text if text is not None else (rubric_yaml(rubric, "工作区") if rubric else builtin_rubric_text())
        atomic_write(target, lambda part: part.write_text(content, encoding="utf-8"))
    else:
        raise UsageError(f"无法按“{target.suffix or '(无扩展名)'}”格式导出评分细则",
                         "请用 .xlsx(Excel 工作簿,供修改)或 .yaml 作为文件扩展名,例如 细则.xlsx。")


def export_builtin_rubric(target: Path) -> None:
    """Write the built-in rubric to `target` (the starting point for next year's rubric)."""
    export_rubric(target)
