"""Reading the unit roster (Excel or CSV) at the edge; the checks live in domain.units."""

from __future__ import annotations

import csv
import io
import zipfile
from importlib import resources
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from fazhi_cli.domain.units import RosterProblems, Unit, build_roster
from fazhi_cli.errors import RosterInvalid

SAMPLE_ROSTER_NAME = "units.xlsx"
MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_ROSTER_ROWS = 2000


def sample_roster_path() -> Path:
    """The sample roster of the Zhaohua district shipped with the package."""
    return Path(str(resources.files("fazhi_cli.sample_data").joinpath(SAMPLE_ROSTER_NAME)))


def load_roster(path: Path) -> list[Unit]:
    """Read and check a roster (.xlsx or .csv); `RosterInvalid` names the file and every bad row."""
    if not path.is_file():
        raise RosterInvalid(f"找不到单位名单 {path}", "请检查文件路径。")
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterInvalid(f"单位名单 {path} 过大(超过 5 MB)", "请检查是否选错了文件。")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows = _read_csv(path)
    elif suffix == ".xlsx":
        header, rows = _read_xlsx(path)
    else:
        raise RosterInvalid(f"单位名单 {path} 的格式不受支持", "请使用 .xlsx 或 .csv 文件。")
    try:
        return build_roster(header, rows)
    except RosterProblems as problems:
        raise RosterInvalid(
            f"单位名单 {path.name} 有 {len(problems.problems)} 处问题",
            "请修改名单后重试。",
            details=problems.problems,
        ) from None


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise RosterInvalid(f"单位名单 {path.name} 的编码无法识别", "请另存为 UTF-8 编码的 CSV。")
    reader = csv.reader(io.StringIO(text))
    lines = list(reader)
    if not lines:
        raise RosterInvalid(f"单位名单 {path.name} 是空的", "请填写单位名单。")
    header = [h.strip() for h in lines[0]]
    rows = [(n, dict(zip(header, line, strict=False))) for n, line in enumerate(lines[1:], start=2)]
    return header, rows[:MAX_ROSTER_ROWS]


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise RosterInvalid(f"单位名单 {path.name} 不是有效的 Excel 文件", "请用 Excel 另存为 .xlsx 后重试。") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        lines = []
        for values in sheet.iter_rows(values_only=True, max_row=MAX_ROSTER_ROWS + 1, max_col=20):
            lines.append(["" if v is None else str(v).strip() for v in values])
    finally:
        workbook.close()
    if not lines:
        raise RosterInvalid(f"单位名单 {path.name} 是空的", "请填写单位名单。")
    header = lines[0]
    rows = [(n, dict(zip(header, line, strict=False))) for n, line in enumerate(lines[1:], start=2)]
    return header, rows
