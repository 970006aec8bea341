"""Reading the unit roster (Excel or CSV) at the edge; the checks live in domain.units."""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from importlib import resources
from pathlib import Path

import openpyxl
import python_calamine
from openpyxl.utils.exceptions import InvalidFileException

from fazhi_cli.domain.limits import LIMIT_LABELS, Limits
from fazhi_cli.domain.units import RosterProblems, Unit, build_roster, find_header
from fazhi_cli.errors import RosterInvalid
from fazhi_cli.workbook.formats import other_format

SAMPLE_ROSTER_NAME = "units.xlsx"
MAX_ROSTER_BYTES = 5 * 1024 * 1024
MAX_ROSTER_COLUMNS = 20


def sample_roster_path() -> Path:
    """The sample roster of the Zhaohua district shipped with the package."""
    return Path(str(resources.files("fazhi_cli.sample_data").joinpath(SAMPLE_ROSTER_NAME)))


def load_roster(path: Path, limits: Limits | None = None) -> list[Unit]:
    """Read and check a roster (.xlsx or .csv); `RosterInvalid` names the file and every bad row.

    A roster with more filled rows than `limits.roster_rows` is refused (never silently cut). The same bytes
    are parsed once per process (a demo reads the same roster dozens of times; parsing an .xlsx costs tens of
    milliseconds, reading its bytes almost nothing).
    """
    limit = (limits or Limits()).roster_rows
    if not path.is_file():
        raise RosterInvalid(f"找不到单位名单 {path}", "请检查文件路径。")
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterInvalid(f"单位名单 {path} 过大(超过 5 MB)", "请检查是否选错了文件。")
    try:
        data = path.read_bytes()
    except OSError:
        raise RosterInvalid(f"无法读取单位名单 {path}", "请检查文件是否存在、是否有读取权限。") from None
    return list(_load_content(path, data, limit))


@functools.lru_cache(maxsize=4)
def _load_content(path: Path, data: bytes, limit: int) -> tuple[Unit, ...]:
    """The roster `path` holding `data` (its bytes are part of the key: a file changed in any way is read anew)."""
    suffix = path.suffix.lower()
    kind = other_format(data)  # an .xls (also a WPS .et) or .ods is told by its bytes, whatever its name
    if kind is not None:
        header, rows = _read_other(path, data, kind)
    elif suffix == ".csv":
        header, rows = _read_csv(path, data)
    elif suffix in (".xlsx", ".xls", ".et", ".ods"):
        header, rows = _read_xlsx(path, data, limit)
    else:
        raise RosterInvalid(f"单位名单 {path} 的格式不受支持", "请使用 .xlsx、.xls、.ods 或 .csv 文件。")
    filled = [row for row in rows if any((v or "").strip() for v in row[1].values() if isinstance(v, str))]
    if len(filled) > limit:
        raise RosterInvalid(
            f"单位名单 {path.name} 超过 {limit} 行(限制:{LIMIT_LABELS['roster_rows']} {limit})",
            "请检查是否选错了文件;如名单确实更长,可在工作区 fazhi.toml 的 [limits] 中调大 roster_rows。",
        )
    try:
        return tuple(build_roster(header, rows))
    except RosterProblems as problems:
        raise RosterInvalid(
            f"单位名单 {path.name} 有 {len(problems.problems)} 处问题",
            "请修改名单后重试。",
            details=problems.problems,
        ) from None


def _read_csv(path: Path, raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
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
    return _header_and_rows(lines)


def _read_xlsx(path: Path, data: bytes, limit: int) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise RosterInvalid(f"单位名单 {path.name} 不是有效的 Excel 文件", "请用 Excel 另存为 .xlsx 后重试。") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        lines, filled = [], 0
        for values in sheet.iter_rows(values_only=True, max_col=MAX_ROSTER_COLUMNS):
            line = ["" if v is None else str(v).strip(" \u3000") for v in values]
            lines.append(line)
            filled += any(line) and len(lines) > 1
            if filled > limit:
                break  # enough to refuse it; the rest is not read
    finally:
        workbook.close()
    if not lines:
        raise RosterInvalid(f"单位名单 {path.name} 是空的", "请填写单位名单。")
    return _header_and_rows(lines)


def _read_other(path: Path, data: bytes, kind: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The first sheet of an .xls or .ods roster, through python-calamine."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            values = book.get_sheet_by_index(0).to_python(skip_empty_area=False)  # at most 5 MB
        finally:
            book.close()
    except python_calamine.PasswordError:
        raise RosterInvalid(f"单位名单 {path.name} 设有打开密码,无法读取",
                            "请取消密码后另存为 .xlsx 再重试。") from None
    except Exception:  # noqa: BLE001 - calamine raises its own errors (and Rust panics) for damaged files
        raise RosterInvalid(f"单位名单 {path.name} 是 .xls、.et 或 .ods 格式的表格,但无法读取(可能已损坏)",
                            "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿(.xlsx)再重试。") from None
    lines = [[_text(v) for v in row[:MAX_ROSTER_COLUMNS]] for row in values]
    if not any(any(line) for line in lines):
        raise RosterInvalid(f"单位名单 {path.name} 是空的", "请填写单位名单。")
    return _header_and_rows(lines)


def _text(value: object) -> str:
    """A roster cell as text: 3.0 (how calamine gives a whole number) reads as 3, as it does from an .xlsx."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip(" \u3000")


def _header_and_rows(lines: list[list[str]]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (found among the first rows, below any title) and the rows under it, with their row numbers."""
    at = find_header(lines)
    header = [title.strip() for title in lines[at]]
    rows = [(n, dict(zip(header, line, strict=False))) for n, line in enumerate(lines[at + 1:], start=at + 2)]
    return header, rows
