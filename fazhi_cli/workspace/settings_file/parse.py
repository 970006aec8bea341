"""Reading fazhi.toml: its text (UTF-8 or the GBK of a Chinese Notepad), parsed into a `Campaign`, and a broken
file explained in Chinese, naming the file, the line, the setting and the form it should take.

`fazhi_cli.domain.settings` is the pure table of the settings (keys, Chinese names, typed values); this module is
where the file itself is read, and `edit` (config show/set) checks every change it writes through
`parse_campaign`, so the parsed fazhi.toml has this one definition.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign, DocumentSettings, GradeBand, default_documents
from fazhi_cli.domain.components import Component, ComponentProblem, check_name, check_weights
from fazhi_cli.domain.dates import NotADate, parse_date
from fazhi_cli.domain.grades import SHARE_FORM, NotAShare, parse_share
from fazhi_cli.domain.limits import limits_from_settings
from fazhi_cli.domain.mail import MailSettings, mail_settings_from
from fazhi_cli.domain.numbers import NotANumber, parse_setting, parse_weight
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS, UNIT_TYPES
from fazhi_cli.domain.settings import SETTING_LABELS, SETTINGS
from fazhi_cli.domain.units import unit_type_from_label
from fazhi_cli.errors import WorkspaceError
from fazhi_cli.workspace.names import RUBRIC_NAME

FIRST_YEAR, LAST_YEAR = 2000, 2100
DEFAULT_OFFICE = "广元市昭化区人民政府法制办公室"
DATE_FORM = "2017-12-10 这样的日期(年-月-日,用数字,不加引号)"


def read_campaign(path: Path) -> Campaign:
    """Parse fazhi.toml; a broken one gives a message naming the file, the setting and the expected form."""
    return parse_campaign(read_settings_text(path), path)


def read_settings_text(path: Path) -> str:
    """The text of fazhi.toml, as `parse_campaign` takes it: UTF-8 with or without a BOM (dropped), or the GBK
    that Notepad on a Chinese Windows saves."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkspaceError(f"无法读取 {path}: {exc.strerror}", "请检查文件是否存在、能否打开。") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WorkspaceError(f"无法读取 {path}:文字编码无法识别", "请用记事本另存为 UTF-8 编码。")  # pragma: no cover


class _Source:
    """fazhi.toml's path and text, so that a message about a setting can name its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def __str__(self) -> str:
        return str(self.path)

    def line_of(self, key: str) -> int | None:
        """The line of a setting (`deadline`, `documents.doc_no`, `weights.township`), or None when not written."""
        table, _, name = key.rpartition(".")
        table = table or "campaign"
        current = ""
        for number, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                current = stripped.strip("[] ")
            elif current == table and re.match(rf"[\"']?{re.escape(name)}[\"']?\s*=", stripped):
                return number
        return None


def parse_campaign(text: str, path: Path) -> Campaign:
    """The settings in fazhi.toml's text (`path` names the file in messages; a leading BOM is dropped)."""
    text = quote_bare_keys(text.removeprefix("\ufeff"))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(path, text, str(exc)) from None
    source = _Source(path, text)
    path = source  # every message below names the file, and the line where it can
    section = _table(data, "campaign", path)
    files = _table(data, "files", path)
    year = _year(section, path)
    try:
        limits = limits_from_settings(_table(data, "limits", path))
    except ValueError as exc:
        raise WorkspaceError(
            f"{path} 中的设置有误:{exc}", "请修改 fazhi.toml 的 [limits],或删除该项以使用默认值。"
        ) from None
    return Campaign(
        title=_text(section, "title", path, required=True),
        year=year,
        office=_text(section, "office", path) or DEFAULT_OFFICE,
        deadline=_date(section, "deadline", dt.date(year, 12, 10), path),
        case_deadline=_date(section, "case_deadline", dt.date(year, 12, 20), path),
        contact=_text(section, "contact", path),
        phone=_text(section, "phone", path),
        email=_text(section, "email", path),
        weights=_weights(data, section, path),
        show_rank_in_feedback=_flag(section, "show_rank_in_feedback", True, path),
        rubric_file=str(files.get("rubric", RUBRIC_NAME)),
        units_file=str(files.get("units", "units.xlsx")),
        grades=_grades(data.get("grades", []), path),
        limits=limits,
        documents=_documents(_table(data, "documents", path), year, path),
        mail=_mail(data, path),
        components=_components(data, path),
    )


_BARE_KEY = re.compile(r"^(\s*)([^\s\"'#\[=][^=\"']*?)(\s*=)")


def quote_bare_keys(text: str) -> str:
    """The text with each key written in Chinese without quotes (`第三方评估 = "10"`, as a clerk writes a component)
    quoted as TOML requires (`"第三方评估" = "10"`); such a line is no TOML otherwise, so nothing valid changes."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        found = _BARE_KEY.match(line)
        if found and not found.group(2).isascii():
            parts = [part.strip() for part in found.group(2).split(".")]
            key = ".".join(part if part.isascii() else f'"{part}"' for part in parts)
            lines[number] = found.group(1) + key + line[found.end(2):]
    return "\n".join(lines)


COMPONENTS_FORM = ('[components] 下 "第三方评估" = "10" 这样 0 至 100 之间的数(占综合得分的百分比),'
                   '或按单位类型分别写 "第三方评估" = { department = "10", township = "5" }')


def _components(data: Mapping[str, object], path: _Source) -> tuple[Component, ...]:
    """`[components]`: each score component's weight, the same for every unit type or one per type; the weights
    of one type summing over 100 are refused."""
    table = _table(data, "components", path)
    components = []
    for name, value in table.items():
        key = f"components.{name}"
        try:
            check_name(str(name))
        except ComponentProblem as problem:
            raise WorkspaceError(f"{path} 中的设置有误:{problem}", f"应写成 {COMPONENTS_FORM}。") from None
        if isinstance(value, Mapping):
            weights = {}
            for typed, weight in value.items():
                unit_type = unit_type_from_label(str(typed))
                if unit_type is None:
                    raise WorkspaceError(
                        f"{path} 中的设置有误:[components] 中“{name}”的“{str(typed)[:40]}”不是单位类型",
                        f"应写成 {COMPONENTS_FORM}。")
                weights[unit_type] = _weight(weight, key, COMPONENTS_FORM, path)
        else:
            weights = dict.fromkeys(UNIT_TYPES, _weight(value, key, COMPONENTS_FORM, path))
        components.append(Component(str(name), weights))
    try:
        check_weights(components, UNIT_TYPES, UNIT_TYPE_LABELS)
    except ComponentProblem as problem:
        raise WorkspaceError(f"{path} 中的设置有误:{problem}", f"应写成 {COMPONENTS_FORM}。") from None
    return tuple(components)


def _mail(data: Mapping[str, object], path: _Source) -> MailSettings:
    """`[mail]`: the office mailbox (interface.md, Mail settings); absent, mail is not configured."""
    try:
        return mail_settings_from(_table(data, "mail", path))
    except ValueError as exc:
        raise WorkspaceError(f"{path} 中的设置有误:{exc}", f"请按 {MAIL_FORM} 修改 fazhi.toml 的 [mail]。") from None


MAIL_FORM = "使用说明 docs/clerk-guide.zh.md 的“邮件设置”一节"


def _documents(table: Mapping[str, object], year: int, path: _Source) -> DocumentSettings:
    """`[documents]`: what the 通报 and the 反馈函 say of their issuer; each missing line takes its default."""
    defaults = default_documents(year)
    texts = {}
    for key in ("issuer", "doc_no", "recipient", "superior", "copy_to", "printer", "signer"):
        if key in table:
            texts[key] = _text(table, key, path, label=f"documents.{key}")
    deadline = defaults.rectify_deadline
    if "rectify_deadline" in table:
        deadline = _date(table, "rectify_deadline", deadline, path, label="documents.rectify_deadline")
    top_only = _flag(table, "name_top_grade_only", False, path, label="documents.name_top_grade_only")
    return replace(defaults, rectify_deadline=deadline, name_top_grade_only=top_only, **texts)


def _setting_error(path: _Source, key: str, problem: str, form: str) -> WorkspaceError:
    label = SETTING_LABELS.get(key, key)
    line = path.line_of(key)
    where = f"(第 {line} 行)" if line else ""
    return WorkspaceError(f"{path} 中的设置有误{where}:{key}({label}){problem}", f"应写成 {form}。")


_DATE_KEYS = {setting.name: setting for setting in SETTINGS if setting.kind == "date"}
# what Python's TOML reader says (tomllib, up to Python 3.13), in the clerk's words
_TOML_PROBLEMS = (
    ("Invalid statement", "无法识别(每行应是 [节名]、名称 = 值 或以 # 开头的说明)"),
    ("Expected '=' after a key", "缺少“=”(应写成 名称 = 值)"),
    ("Invalid initial character for a key", "设置名称有误(名称只能用英文字母、数字、_ 和 -)"),
    ("Invalid value", "的值写法有误(文字要加英文双引号,例如 contact = \"张三\";日期写成 2026-12-05)"),
    ("Invalid date", "的日期写法有误(应写成 2026-12-05)"),
    ("Unterminated string", "的文字缺少结尾的英文双引号"),
    ("Illegal character", "的文字中有不能直接写的字符(如换行)"),
    ("Expected newline or end of document", "的值后面还有多余的内容(说明文字请以 # 开头)"),
    ("Cannot overwrite a value", "重复设置了同一项"),
    ("Cannot declare", "重复写了同一节"),
    ("Expected ']'", "的节名缺少“]”"),
    ("Unclosed", "的括号没有闭合"),
)


def syntax_error(path: Path, text: str, error: str) -> WorkspaceError:
    """A fazhi.toml that is not valid TOML, in Chinese naming its line (`error` is the TOML reader's message,
    holding "line N"); a date the way a person writes it (deadline = 2026年12月5日) says how to write it instead."""
    found = re.search(r"line (\d+)", error)
    lines = text.splitlines()
    if not found or not 0 < int(found.group(1)) <= len(lines):
        return WorkspaceError(f"{path} 格式有误(无法确定出错的行)", "请按 TOML 格式修改,或重新 fazhi init。")
    number = int(found.group(1))
    line = lines[number - 1].strip()
    key, _, value = (part.strip() for part in line.partition("="))
    if key in _DATE_KEYS:
        setting = _DATE_KEYS[key]
        try:
            typed = parse_date(value.strip("\"'"))
            example, chinese = typed.isoformat(), f"{typed.year}年{typed.month}月{typed.day}日"
        except NotADate:
            example, chinese = "2026-12-05", "2026年12月5日"
        return WorkspaceError(
            f"{path} 第 {number} 行:{key}({SETTING_LABELS[setting.key]})“{value[:40]}”不是这里能用的日期写法;"
            f"日期请写成 {key} = {example} 或用 fazhi config set {setting.label} {chinese}",
            f"日期写成 {DATE_FORM};或在命令行用 fazhi config set {setting.label} 加日期(任何常见写法都可以)。",
        )
    reason = next((chinese for english, chinese in _TOML_PROBLEMS if english in error), "格式有误")
    return WorkspaceError(
        f"{path} 格式有误:第 {number} 行“{line[:60]}”{reason}",
        "请按 fazhi.toml 中的说明修改该行;设置也可以用 fazhi config set 修改(fazhi config show 列出全部设置)。",
    )


def _table(data: Mapping[str, object], name: str, path: _Source) -> Mapping[str, object]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise WorkspaceError(f"{path} 中的 {name} 应为一节设置 [{name}]", f"请把它写成 [{name}] 及其下的各项设置。")
    return value


def _year(section: Mapping[str, object], path: _Source) -> int:
    if "year" not in section:
        raise _setting_error(path, "year", "缺失", "[campaign] 中 year = 2017 这样的年份")
    value = section["year"]
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise _setting_error(
            path, "year", f"“{value}”不是 {FIRST_YEAR} 至 {LAST_YEAR} 之间的年份",
            "year = 2017 这样的年份(数字,不加引号)",
        )
    return value


def _text(section: Mapping[str, object], key: str, path: _Source, required: bool = False, label: str = "") -> str:
    value = section.get(key, "")
    if isinstance(value, (dict, list)):
        raise _setting_error(path, label or key, "应为一段文字", f'{key} = "……" 这样加引号的文字')
    text = str(value).strip()
    if required and not text:
        raise _setting_error(path, key, "缺失或为空", f'[campaign] 中 {key} = "……" 这样加引号的文字')
    return text


def _date(section: Mapping[str, object], key: str, default: dt.date, path: _Source, label: str = "") -> dt.date:
    value = section.get(key)
    if value is None:
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except NotADate:
        raise _setting_error(path, label or key, f"“{str(value)[:40]}”不是有效的日期", DATE_FORM) from None


WEIGHTS_FORM = '[weights] 下 department = "5"、township = "4" 这样 0 至 100 之间的数(每种单位类型一项)'


def _weights(data: Mapping[str, object], section: Mapping[str, object], path: _Source) -> dict[str, Decimal]:
    """The conversion weight of each unit type: `[weights]` department / township. The single `weight` of
    earlier versions ([campaign] weight) still counts, for both types, where `[weights]` does not set one.
    A type with neither has no weight: its converted scores are not shown (the seed document sets none)."""
    table = _table(data, "weights", path)
    for key in table:
        if key not in UNIT_TYPES:
            raise WorkspaceError(
                f"{path} 中的设置有误:[weights] 中的“{str(key)[:40]}”不是单位类型",
                f"应写成 {WEIGHTS_FORM}。",
            )
    weights: dict[str, Decimal] = {}
    if "weight" in section:
        single = _weight(section["weight"], "weight", 'weight = "5" 这样 0 至 100 之间的数', path)
        weights = dict.fromkeys(UNIT_TYPES, single)
    for unit_type in UNIT_TYPES:
        if unit_type in table:
            key = f"weights.{unit_type}"
            form = f'[weights] 下 {unit_type} = "5" 这样 0 至 100 之间的数'
            weights[unit_type] = _weight(table[unit_type], key, form, path)
    return weights


def missing_weight_message(unit_type: str) -> str:
    """What `fazhi status` and `fazhi score` say of a unit type whose conversion weight is not set."""
    return (f"{UNIT_TYPE_LABELS[unit_type]}的折算权重未设置,不计算、不显示折算分:请在 fazhi.toml 的 [weights] 下"
            f"写上 {unit_type} = \"…\"(0 至 100 之间的数,即本考核在年度综合目标考核中所占分值)。")


def _weight(value: object, key: str, form: str, path: _Source) -> Decimal:
    """One conversion weight: a finite number from 0 to 100 (the domain's `parse_weight`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _setting_error(path, key, f"“{str(value)[:40]}”不是 0 至 100 之间的数", form)
    try:
        return parse_weight(value, f"{key}({SETTING_LABELS.get(key, '评分构成权重')})")
    except NotANumber as problem:
        raise _setting_error(path, key, str(problem), form) from None


def _flag(section: Mapping[str, object], key: str, default: bool, path: _Source, label: str = "") -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise _setting_error(path, label or key, f"“{value}”应为 true 或 false",
                             f"{key} = true 或 {key} = false(不加引号)")
    return value


def _grades(value: object, path: _Source) -> tuple[GradeBand, ...]:
    form = '[[grades]] 下 name = "优秀" 和 min = "90" 两项(可另加 max_share = "0.3",即该等次最多占本类单位的 30%)'
    if not isinstance(value, list):
        raise WorkspaceError(f"{path} 中的等次设置 grades 有误", f"应写成 {form}。")
    bands = []
    for number, grade in enumerate(value, start=1):
        try:
            minimum = parse_setting(grade["min"], "grades.min", Decimal(0), Decimal(1000))
            bands.append(GradeBand(str(grade["name"]), minimum, _max_share(grade, number, path)))
        except (KeyError, TypeError, NotANumber):
            raise WorkspaceError(f"{path} 中第 {number} 个等次 [[grades]] 有误", f"应写成 {form}。") from None
    _lowest_not_capped(bands, path)
    return tuple(bands)


def _max_share(grade: Mapping[str, object], number: int, path: _Source) -> Decimal | None:
    """A grade's `max_share` (None when not written); a value that is no share is refused naming the grade."""
    if "max_share" not in grade:
        return None
    try:
        return parse_share(grade["max_share"])
    except NotAShare as problem:
        raise WorkspaceError(
            f"{path} 中第 {number} 个等次“{str(grade.get('name', ''))[:20]}”的名额比例 max_share 有误:{problem}",
            f"应写成 {SHARE_FORM}:该等次最多占本类已排名单位的这一比例(名额向下取整);"
            "不限名额的等次删去 max_share 一行。",
        ) from None


def _lowest_not_capped(bands: list[GradeBand], path: _Source) -> None:
    """The lowest grade cannot be capped: the units beyond its places would have no next grade to get."""
    if not bands:
        return
    lowest = min(bands, key=lambda band: band.minimum)
    if lowest.max_share is not None:
        raise WorkspaceError(
            f"{path} 中的等次设置有误:最低的等次“{lowest.name}”设了名额比例 max_share,超出名额的单位将没有下一等次可评",
            f"请删去“{lowest.name}”的 max_share,或在其下再设一个等次(例如 name = \"合格\"、min = \"0\")。",
        )
