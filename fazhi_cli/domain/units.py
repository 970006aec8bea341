"""The roster model: the units assessed, with their type and contact, and the checks on a roster."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from fazhi_cli.domain.numbers import normalise_text
from fazhi_cli.domain.text import (
    code_point,
    file_name_problem,
    has_unprintable,
    invisible_characters,
    invisible_label,
    printable,
    revealed,
    without_invisible,
)

ROSTER_COLUMNS = ("单位名称", "单位类型", "联系人", "联系电话", "电子邮箱")
ASSESSED_COLUMN = "是否考核"  # optional: 否 for a unit on the roster that is not assessed (the assessing office)
FORMER_NAMES_COLUMN = "原单位名称"  # optional: earlier names of a unit renamed or merged (several: 、 , ; between)
ASSESSED_ANSWERS = {"是": True, "": True, "否": False, "不考核": False, "不参加考核": False}
TYPE_BY_LABEL = {
    "department": "department",
    "区级部门": "department",
    "区级各部门": "department",
    "部门": "department",
    "township": "township",
    "乡镇(街道)": "township",
    "乡镇": "township",
    "街道": "township",
    "乡镇街道": "township",
    "各乡镇(街道)": "township",
}
LABEL_BY_TYPE = {"department": "区级部门", "township": "乡镇(街道)"}
TYPE_WORDS = "department 或 township(也可写 区级部门、部门、乡镇、街道、乡镇(街道))"
MAX_NAME_LENGTH = 60
HEADER_SEARCH_ROWS = 10  # a roster may carry a title (and a blank line) above its header
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_ADDRESS_SEPARATORS = re.compile(r"[\s,;,;、]+")
_SPACES = re.compile(r"\s+")


def email_problem(email: str) -> str | None:
    """What in a 电子邮箱 cell is not an e-mail address: the cell when it holds one address at most, else the first
    of its addresses (separated by , ; 、 or spaces) that is not one; None when all are addresses."""
    parts = split_addresses(email)
    if sum("@" in part for part in parts) <= 1:  # one address (or none): the cell as a whole must be it
        return None if _EMAIL.match(email.strip()) else email
    return next((part for part in parts if not _EMAIL.match(part)), None)


@dataclass(frozen=True)
class Unit:
    """One assessed unit (区级部门 or 乡镇(街道))."""

    name: str
    type: str
    contact: str = ""
    phone: str = ""
    email: str = ""
    assessed: bool = True  # False: on the roster (it may lead tasks) but sent no form, never missing, not ranked
    former_names: tuple[str, ...] = ()  # 原单位名称: what it was called in earlier years (renamed, or merged from)

    @property
    def type_label(self) -> str:
        """区级部门 or 乡镇(街道)."""
        return LABEL_BY_TYPE[self.type]


class RosterProblems(Exception):
    """Raised by `build_roster` with every problem, each naming its row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def unit_type_from_label(label: str) -> str | None:
    """department / township from a unit type as typed: the English name or a Chinese label (区级部门, 部门,
    乡镇, 街道, 乡镇(街道)…), in either width, brackets full-width or half-width; None when it is neither."""
    return TYPE_BY_LABEL.get(normalise_text(label).replace(" ", "").lower())


def name_key(name: str) -> str:
    """What two spellings of one unit name share: full-width and half-width alike (NFKC), spaces and invisible
    characters (zero-width, bidi marks, variation selectors …) ignored."""
    return _SPACES.sub("", without_invisible(normalise_text(name)))


def roster_spelling(typed: str, names: Iterable[str]) -> str | None:
    """The roster's own spelling of a unit name typed in either width (None when the roster has no such unit)."""
    wanted = name_key(typed)
    return next((name for name in names if name_key(name) == wanted), None)


def is_email(text: str) -> bool:
    """True for one e-mail address of the usual form (name@domain.tld)."""
    return bool(_EMAIL.match(text))


def split_addresses(text: str) -> list[str]:
    """The e-mail addresses in a roster's 电子邮箱 cell: several may be separated by , ; 、 or spaces."""
    return [part for part in _ADDRESS_SEPARATORS.split(normalise_text(text or "")) if part]


def address_list(text: str) -> tuple[str, ...]:
    """A roster's 电子邮箱 cell as its addresses, in the order written, each once (the parts holding an @)."""
    return tuple(dict.fromkeys(part for part in split_addresses(text) if "@" in part))


def find_header(lines: Sequence[Sequence[str]]) -> int:
    """The index of a roster's header row: the first of its first rows holding 单位名称 and 单位类型 (0 when none
    does, so that the missing columns are reported on the first row)."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        titles = {normalise_text(cell).replace(" ", "") for cell in line}
        if {"单位名称", "单位类型"} <= titles:
            return index
    return 0


def former_names(text: str) -> tuple[str, ...]:
    """A roster's 原单位名称 cell: the earlier names, in order, separated by 、 , ; (full or half width)."""
    return tuple(part.strip() for part in re.split(r"[、,,;;]", normalise_text(text)) if part.strip())


def build_roster(header: Iterable[str], rows: Iterable[tuple[int, Mapping[str, str]]]) -> list[Unit]:
    """Check a roster's header and rows (row number, column → text) and return its units.

    Every problem is collected and raised together as `RosterProblems`, each naming the row: missing
    columns, empty or duplicate names, names holding an invisible character (zero-width, a bidi mark, a variation
    selector: `domain.text.is_invisible`; the rows it would look identical to named), names that cannot be part
    of a file name on Windows (control characters, `:*?"<>|/\\`, reserved names such as CON or COM1, a leading or
    trailing dot), unknown types,
    malformed e-mail addresses, a 是否考核 other than 是/否 (blank: 是). Surrounding spaces are trimmed; names
    are kept otherwise as written (text such as `[bold]` is a literal part of a name, escaped wherever it is
    printed).
    """
    problems: list[str] = []
    missing = [col for col in ROSTER_COLUMNS[:2] if col not in set(header)]
    if missing:
        raise RosterProblems([f"缺少列:{'、'.join(missing)}(表头应为 {'、'.join(ROSTER_COLUMNS)})"])
    units: list[Unit] = []
    first_row_of: dict[str, int] = {}
    rows = list(rows)
    rows_of = _rows_by_key(rows)
    for row_number, row in rows:
        raw_name = row.get("单位名称") or ""
        # kept as the roster spells it (full-width brackets stay full-width); compared by `name_key`
        name = unicodedata.normalize("NFC", raw_name).strip()
        values = [normalise_text(v or "") for v in row.values()]
        if not any(values):
            continue
        where = f"第 {row_number} 行"
        if not name and not has_unprintable(raw_name):
            problems.append(f"{where}: 单位名称为空")
            continue
        if len(name) > MAX_NAME_LENGTH:
            problems.append(f"{where}: 单位名称“{printable(name)[:MAX_NAME_LENGTH]}”过长(最多 {MAX_NAME_LENGTH} 个字)")
            continue
        invisible = invisible_characters(name)
        if invisible:
            twins = [n for n in rows_of.get(name_key(name), ()) if n != row_number]
            problems.append(f"{where}: {_invisible_problem(name, invisible, twins)}")
            continue
        problem = "含有控制字符" if has_unprintable(raw_name) else file_name_problem(name)
        if problem is None and name.startswith("."):
            problem = "以句点开头"
        if problem:
            problems.append(f"{where}: 单位名称“{printable(name)}”不能用作文件名:{problem}")
            continue
        key = name_key(name)
        if key in first_row_of:
            problems.append(f"{where}: 单位名称“{name}”与第 {first_row_of[key]} 行重复")
            continue
        first_row_of[key] = row_number
        unit_type = unit_type_from_label(row.get("单位类型") or "")
        if unit_type is None:
            label = row.get("单位类型") or ""
            problems.append(f"{where}: “{name}”的单位类型“{label}”无法识别(应为 区级部门 或 乡镇(街道))")
            continue
        email = normalise_text(row.get("电子邮箱") or "")
        bad = email_problem(email) if email else None
        if bad is not None:
            shown = email if bad == email else f"{email}”中的“{bad}"
            problems.append(f"{where}: “{name}”的电子邮箱“{shown}”格式不正确")
            continue
        email = ", ".join(split_addresses(email))  # several addresses kept in one written form
        assessed = ASSESSED_ANSWERS.get(normalise_text(row.get(ASSESSED_COLUMN) or "").replace(" ", ""))
        if assessed is None:
            shown = row.get(ASSESSED_COLUMN)
            problems.append(f"{where}: “{name}”的{ASSESSED_COLUMN}“{shown}”无法识别(应为 是 或 否)")
            continue
        units.append(
            Unit(
                name=name,
                type=unit_type,
                contact=normalise_text(row.get("联系人") or ""),
                phone=normalise_text(row.get("联系电话") or ""),
                email=email,
                assessed=assessed,
                former_names=former_names(row.get(FORMER_NAMES_COLUMN) or ""),
            )
        )
    if problems:
        raise RosterProblems(problems)
    if not any(unit.assessed for unit in units):
        raise RosterProblems(["名单中没有任何参加考核的单位"] if units else ["名单中没有任何单位"])
    return units


def _rows_by_key(rows: list[tuple[int, Mapping[str, str]]]) -> dict[str, list[int]]:
    """The row numbers of each unit name (by `name_key`), to tell a name which other rows look the same."""
    found: dict[str, list[int]] = {}
    for row_number, row in rows:
        key = name_key(unicodedata.normalize("NFC", row.get("单位名称") or ""))
        if key:
            found.setdefault(key, []).append(row_number)
    return found


def _invisible_problem(name: str, invisible: list[str], twins: list[int]) -> str:
    """Why a name holding invisible characters is refused: which ones and where, and the rows it looks the same as."""
    what = "、".join(f"{code_point(char)}({invisible_label(char)})" for char in invisible)
    said = f"单位名称“{revealed(name)}”含有看不见的字符 {what}"
    if not twins:
        return f"{said},请删除后重新输入单位名称"
    rows = "、".join(str(n) for n in twins)
    return f"{said},去掉后与第 {rows} 行的“{printable(without_invisible(name))}”相同,两者在报表、文件名和函件中无法区分"
