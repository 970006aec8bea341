"""The settings of the next campaign: the last campaign's fazhi.toml with `year` set to the new year, every date moved
by the same number of years (12-10 stays 12-10; a 29 February becomes the 28th) and the year inside each 文号 moved
too (〔2018〕 → 〔2019〕); every other setting (weights, grades, documents, mail, limits) as the office left it.

The file is edited structurally with tomlkit, value by value, so its comments and layout stay and no unit's or
office's text elsewhere in it is touched by accident. A carried text that still names the old year (or an earlier
one) is not changed but warned about: only the office knows what it should now say.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass

import tomlkit
from tomlkit.exceptions import ParseError

from fazhi_cli.domain.settings import SETTINGS
from fazhi_cli.errors import UsageError

DOC_NO_YEAR = re.compile(r"〔(\d{4})〕")
A_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
TEXT_TABLES = ("campaign", "documents")  # the tables whose texts are printed on workbooks and documents
LABELS = {(s.table, s.name): s.label for s in SETTINGS}


@dataclass(frozen=True)
class CarriedSettings:
    """The new fazhi.toml text, what was moved (in Chinese, one line each) and the warnings on texts left as they
    were that still name the old year."""

    text: str
    moved: tuple[str, ...]
    warnings: tuple[str, ...]


def moved_date(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (a 29 February becomes the 28th in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_title(year: int) -> str:
    """The title `fazhi init` gives a campaign of `year` (carried as the new year's own, not warned about)."""
    return f"{year}年度法治政府建设考核"


def carried_settings(text: str, old_year: int, new_year: int) -> CarriedSettings:
    """The fazhi.toml text of the campaign `new_year` carried from `text`, the old campaign's (see the module)."""
    try:
        document = tomlkit.parse(text.removeprefix("\ufeff"))
    except ParseError as error:
        raise UsageError(f"上年度工作区的设置文件 fazhi.toml 无法读取:{error}",
                         "请先修正该文件(或用备份恢复)。") from None
    years = new_year - old_year
    moved: list[str] = []
    campaign = document.get("campaign")
    if not isinstance(campaign, MutableMapping):
        raise UsageError("上年度工作区的设置文件 fazhi.toml 缺少 [campaign]", "请先修正该文件(或用备份恢复)。")
    campaign["year"] = new_year
    if campaign.get("title") == default_title(old_year):
        campaign["title"] = default_title(new_year)
        moved.append(f"考核名称:{default_title(new_year)}")
    for table_name, table in _tables(document):
        for key in list(table.keys()):
            value = table[key]
            label = LABELS.get((table_name, key), f"{table_name}.{key}")
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                day = moved_date(dt.date(value.year, value.month, value.day), years)
                table[key] = day
                moved.append(f"{label}:{value.isoformat()} → {day.isoformat()}")
            elif isinstance(value, str) and table_name == "documents" and DOC_NO_YEAR.search(value):
                new = DOC_NO_YEAR.sub(lambda m: f"〔{int(m.group(1)) + years}〕", str(value))
                table[key] = new
                moved.append(f"{label}:{value} → {new}")
    return CarriedSettings(tomlkit.dumps(document), tuple(moved), tuple(_old_year_warnings(document, old_year)))


def _tables(document: tomlkit.TOMLDocument) -> Iterator[tuple[str, MutableMapping]]:
    """Each table of the file with its name (every table of an array of tables, such as [[grades]], too)."""
    for name, value in document.items():
        if isinstance(value, MutableMapping):
            yield name, value
        elif isinstance(value, list):
            yield from ((name, item) for item in value if isinstance(item, MutableMapping))


def _old_year_warnings(document: tomlkit.TOMLDocument, old_year: int) -> Iterator[str]:
    """A warning for each carried text that names the old year or an earlier one (outside a moved 文号)."""
    for table_name in TEXT_TABLES:
        table = document.get(table_name)
        if not isinstance(table, MutableMapping):
            continue
        for key, value in table.items():
            if not isinstance(value, str):
                continue
            outside = DOC_NO_YEAR.sub("", str(value)) if table_name == "documents" else str(value)
            named = sorted({int(y) for y in A_YEAR.findall(outside) if int(y) <= old_year})
            if named:
                label = LABELS.get((table_name, key), f"{table_name}.{key}")
                years = "、".join(str(y) for y in named)
                yield (f"{label}“{value}”仍写着 {years} 年,已原样带入新年度;如需改动,请用 fazhi config set "
                       f"{label} 新内容。")
