"""Reading and writing rubric files (YAML) at the edge; the model and its checks live in domain.rubric."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from fazhi_cli.domain.rubric import Rubric, RubricProblems, build_rubric
from fazhi_cli.errors import RubricInvalid
from fazhi_cli.files import atomic_write

BUILTIN_RUBRIC_ID = "zhaohua-2017"
MAX_RUBRIC_BYTES = 2 * 1024 * 1024


def builtin_rubric_text() -> str:
    """The YAML text of the built-in 2017 Zhaohua rubric, as shipped in the package."""
    return resources.files("fazhi_cli.data").joinpath(f"{BUILTIN_RUBRIC_ID}.yaml").read_text("utf-8")


def builtin_rubric() -> Rubric:
    """The built-in 2017 Zhaohua rubric."""
    return parse_rubric_text(builtin_rubric_text(), "内置评分细则 zhaohua-2017")


def load_rubric_file(path: Path) -> Rubric:
    """Read and check a rubric YAML file; `RubricInvalid` names the file and every inconsistency."""
    try:
        if path.stat().st_size > MAX_RUBRIC_BYTES:
            raise RubricInvalid(f"评分细则文件 {path} 过大(超过 2 MB)", "请检查是否选错了文件。")
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise RubricInvalid(f"找不到评分细则文件 {path}", "请检查文件路径。") from None
    except UnicodeDecodeError:
        raise RubricInvalid(f"评分细则文件 {path} 不是 UTF-8 编码的文本", "请用 UTF-8 保存 YAML 文件。") from None
    except IsADirectoryError:
        raise RubricInvalid(f"{path} 是文件夹,不是评分细则文件", "请指定 .yaml 文件。") from None
    return parse_rubric_text(text, str(path))


def parse_rubric_text(text: str, source: str) -> Rubric:
    """Parse YAML text into a checked rubric; `source` names the file in messages."""
    try:
        data = yaml.safe_load(text)
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


def export_builtin_rubric(target: Path) -> None:
    """Write the built-in rubric's YAML to `target` (the starting point for next year's rubric)."""
    text = builtin_rubric_text()
    atomic_write(target, lambda part: part.write_text(text, encoding="utf-8"))
