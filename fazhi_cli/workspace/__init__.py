"""The campaign workspace: one folder per year's assessment, owning every path and the settings.

Layout::

    fazhi.toml      campaign settings
    units.xlsx      copy of the roster (or units.csv)
    rubric.yaml     copy of the rubric
    fazhi.db        the SQLite store (made only by `fazhi init`; never silently recreated)
    fazhi.secret    the workspace's random key (mode 0600; never printed or copied into any output)
    fazhi.lock      taken by every command that writes the workspace, so that two never interleave
    outbox/ inbox/ archive/ reports/ returns/ review/ ledger/
    previous/       another campaign's data, moved aside by `fazhi init --force`
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path

from fazhi_cli.domain.campaign import (
    PLACEHOLDER_CONTACT,
    PLACEHOLDER_EMAIL,
    PLACEHOLDER_PHONE,
    Campaign,
    DocumentSettings,
    GradeBand,
    default_documents,
)
from fazhi_cli.domain.dates import NotADate, parse_date
from fazhi_cli.domain.limits import LIMIT_LABELS, Limits, limits_from_settings
from fazhi_cli.domain.mail import MailSettings, mail_settings_from
from fazhi_cli.domain.numbers import NotANumber, parse_setting, parse_weight
from fazhi_cli.domain.placeholders import campaign_values, fill_rubric
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS, UNIT_TYPES, Rubric
from fazhi_cli.domain.rubric_warnings import rubric_warnings
from fazhi_cli.domain.settings import SETTING_LABELS, SETTINGS
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import FazhiError, UsageError, WorkspaceError
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import atomic_write, user_write_errors
from fazhi_cli.roster.loading import load_roster, sample_roster_path
from fazhi_cli.rubric.loading import builtin_rubric_text, load_rubric_file, parse_rubric_text, rubric_file_text
from fazhi_cli.store import Store
from fazhi_cli.workspace.lock import lock as hold_lock
from fazhi_cli.workspace.names import (
    CAMPAIGN_FILES,
    CAMPAIGN_FOLDERS,
    CONFIG_NAME,
    FOLDERS,
    LOCK_NAME,
    PREVIOUS_NAME,
    RUBRIC_NAME,
    SECRET_NAME,
    STORE_NAME,
    annotated_name,
    feedback_file_name,
    ledger_file_name,
    letter_file_name,
    notice_file_name,
    review_file_name,
    summary_file_name,
    workbook_file_name,
)
from fazhi_cli.workspace.secret import read_secret

__all__ = [  # the names other modules import from here
    "CreatedWorkspace",
    "Workspace",
    "annotated_name",
    "campaign_toml",
    "create_workspace",
    "feedback_file_name",
    "ledger_file_name",
    "letter_file_name",
    "missing_weight_message",
    "notice_file_name",
    "parse_campaign",
    "read_campaign",
    "read_settings_text",
    "review_file_name",
    "summary_file_name",
    "syntax_error",
    "workbook_file_name",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100
DEFAULT_OFFICE = "广元市昭化区人民政府法制办公室"
DATE_FORM = "2017-12-10 这样的日期(年-月-日,用数字,不加引号)"
_OWN_FOLDERS = {
    "outbox": "fazhi 生成的空白自评表文件夹 outbox/,已跳过",
    "review": "fazhi 生成的复核打分表文件夹 review/,已跳过(收回复核打分表时请直接指定该文件)",
    "ledger": "fazhi 生成的法制办台账文件夹 ledger/,已跳过(收回台账时请直接指定该文件)",
    "returns": "fazhi 生成的退回修改表文件夹 returns/,已跳过",
    "reports": "fazhi 生成的考核结果文件夹 reports/,已跳过",
    "archive": "fazhi 的原件存档文件夹 archive/(其中的文件都已收取过),已跳过",
    "templates": "工作区的报告模板文件夹 templates/,已跳过",
    PREVIOUS_NAME: "以前考核的数据文件夹 previous/,已跳过",
}
_OWN_FILES = {
    STORE_NAME: "fazhi 的数据库 fazhi.db,已跳过",
    STORE_NAME + "-journal": "fazhi 数据库的日志文件,已跳过",
    CONFIG_NAME: "工作区设置文件 fazhi.toml,已跳过",
    SECRET_NAME: "工作区密钥文件 fazhi.secret,已跳过",
    LOCK_NAME: "工作区锁文件 fazhi.lock,已跳过",
}


class Workspace:
    """A campaign folder: paths, settings, rubric, roster and the store's location."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    @property
    def secret_path(self) -> Path:
        return self.root / SECRET_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_NAME

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def returns(self) -> Path:
        return self.root / "returns"

    @property
    def review(self) -> Path:
        return self.root / "review"

    @property
    def ledger(self) -> Path:
        """Where `fazhi ledger` writes the office's ledger workbook."""
        return self.root / "ledger"

    @property
    def mail_outbox(self) -> Path:
        """Where `fazhi send --dry-run` and `fazhi remind --dry-run` write the messages they would send (.eml)."""
        return self.outbox / "mail"

    @property
    def previous(self) -> Path:
        """Where `init --force` moves another campaign's data."""
        return self.root / PREVIOUS_NAME

    @property
    def templates_override(self) -> Path:
        """A `templates/` folder here overrides the shipped report templates."""
        return self.root / "templates"

    def campaign(self) -> Campaign:
        """The campaign settings read from fazhi.toml."""
        return read_campaign(self.config_path)

    def rubric(self, campaign: Campaign | None = None) -> Rubric:
        """The workspace's own copy of the rubric, its placeholders ({年度}, {案例截止日期} …) filled from the
        settings and its monthly rules assessing the campaign's months (pass `campaign` when already read, to skip
        re-reading it)."""
        campaign = campaign or self.campaign()
        rubric = fill_rubric(load_rubric_file(self.root / campaign.rubric_file), campaign_values(campaign))
        return rubric.with_months(campaign.assessed_months)

    def rubric_as_written(self, campaign: Campaign | None = None) -> Rubric:
        """The workspace's rubric with its placeholders as written (to check it, or to export it for next year)."""
        return load_rubric_file(self.root / (campaign or self.campaign()).rubric_file)

    def settings_text(self) -> str:
        """The text of fazhi.toml, as a snapshot of approved results keeps it."""
        return read_settings_text(self.config_path)

    def rubric_text(self, campaign: Campaign | None = None) -> str:
        """The text of the workspace's rubric file (read after `rubric()` has checked it), as a snapshot keeps it."""
        path = self.root / (campaign or self.campaign()).rubric_file
        try:
            return path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"无法读取评分细则 {path}: {exc}", "请检查文件是否存在、是否为 UTF-8 编码。") from None

    def units(self, campaign: Campaign | None = None) -> list[Unit]:
        """The assessed units of the workspace's roster: those not marked 是否考核 = 否 (the assessing office);
        pass `campaign` when already read, to skip re-reading it."""
        return [unit for unit in self.roster(campaign) if unit.assessed]

    def roster(self, campaign: Campaign | None = None) -> list[Unit]:
        """Every unit of the workspace's own copy of the roster, assessed or not (at most `[limits] roster_rows`
        rows)."""
        campaign = campaign or self.campaign()
        return load_roster(self.root / campaign.units_file, campaign.limits)

    def lock(self, wait_seconds: float = 10) -> contextlib.AbstractContextManager[None]:
        """Hold the workspace's lock (an exclusive `flock` on fazhi.lock) for the commands that write it.

        Waits up to `wait_seconds` for another fazhi command to finish, then raises `WorkspaceError`.
        The system releases the lock when its holder ends, even when killed, so a stale fazhi.lock never
        blocks. Not re-entrant: a second `lock()` in the same process waits for the first.
        """
        return hold_lock(self.lock_path, self.root, wait_seconds)

    def open_store(self, create: bool = False) -> contextlib.AbstractContextManager[Store]:
        """The campaign's store, opened with the workspace's secret (which seals the office's records)."""
        return Store.open(self.store_path, create=create, secret=self.secret())

    def secret(self) -> bytes:
        """The workspace's 32-byte random key, made (mode 0600, atomically) the first time it is needed.

        Never print it or copy it into any output.
        """
        return read_secret(self.secret_path)

    def own_paths(self) -> dict[Path, str]:
        """fazhi's own folders and files here (resolved, absolute), each with why `ingest` skips it."""
        own = {(self.root / name).resolve(): reason for name, reason in _OWN_FOLDERS.items()}
        own.update({(self.root / name).resolve(): reason for name, reason in _OWN_FILES.items()})
        copies = {RUBRIC_NAME: "rubric", "units.xlsx": "units", "units.csv": "units"}
        with contextlib.suppress(FazhiError):
            campaign = self.campaign()
            copies[campaign.rubric_file] = "rubric"
            copies[campaign.units_file] = "units"
        for name, kind in copies.items():
            what = "评分细则副本" if kind == "rubric" else "单位名单副本"
            own[(self.root / name).resolve()] = f"工作区的{what} {name},已跳过"
        return own

    @classmethod
    def find(cls, explicit: Path | None = None, start: Path | None = None) -> Workspace:
        """The workspace given with -w, else the nearest folder upward holding fazhi.toml."""
        if explicit is not None:
            if not (explicit / CONFIG_NAME).is_file():
                raise WorkspaceError(
                    f"{explicit} 不是考核工作区(没有 {CONFIG_NAME})",
                    "请用 fazhi init 文件夹 新建工作区,或用 -w 指定已有的工作区。",
                )
            return cls(explicit)
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls(folder)
        raise WorkspaceError(
            f"当前文件夹 {here} 及其上级都不是考核工作区(没有 {CONFIG_NAME})",
            "请先用 fazhi init 文件夹 新建工作区并进入该文件夹,或用 -w 指定工作区。",
        )


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
            elif current == table and re.match(rf"{re.escape(name)}\s*=", stripped):
                return number
        return None


def parse_campaign(text: str, path: Path) -> Campaign:
    """The settings in fazhi.toml's text (`path` names the file in messages; a leading BOM is dropped)."""
    text = text.removeprefix("\ufeff")
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
    )


def _mail(data: Mapping[str, object], path: _Source) -> MailSettings:
    """`[mail]`: the office mailbox (interface.md, Mail settings); absent, mail is not configured."""
    try:
        return mail_settings_from(_table(data, "mail", path))
    except ValueError as exc:
        raise WorkspaceError(f"{path} 中的设置有误:{exc}", f"请按 {MAIL_FORM} 修改 fazhi.toml 的 [mail]。") from None


MAIL_FORM = "README 的“邮件设置”一节"


def _documents(table: Mapping[str, object], year: int, path: _Source) -> DocumentSettings:
    """`[documents]`: what the 通报 and the 反馈函 say of their issuer; each missing line takes its default."""
    defaults = default_documents(year)
    texts = {}
    for key in ("issuer", "doc_no", "recipient", "superior", "copy_to", "printer"):
        if key in table:
            texts[key] = _text(table, key, path, label=f"documents.{key}")
    deadline = defaults.rectify_deadline
    if "rectify_deadline" in table:
        deadline = _date(table, "rectify_deadline", deadline, path, label="documents.rectify_deadline")
    return replace(defaults, rectify_deadline=deadline, **texts)


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
        return parse_weight(value, f"{key}({SETTING_LABELS[key]})")
    except NotANumber as problem:
        raise _setting_error(path, key, str(problem), form) from None


def _flag(section: Mapping[str, object], key: str, default: bool, path: _Source) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise _setting_error(path, key, f"“{value}”应为 true 或 false", f"{key} = true 或 {key} = false(不加引号)")
    return value


def _grades(value: object, path: _Source) -> tuple[GradeBand, ...]:
    form = '[[grades]] 下 name = "优秀" 和 min = "90" 两项'
    if not isinstance(value, list):
        raise WorkspaceError(f"{path} 中的等次设置 grades 有误", f"应写成 {form}。")
    bands = []
    for number, grade in enumerate(value, start=1):
        try:
            minimum = parse_setting(grade["min"], "grades.min", Decimal(0), Decimal(1000))
            bands.append(GradeBand(str(grade["name"]), minimum))
        except (KeyError, TypeError, NotANumber):
            raise WorkspaceError(f"{path} 中第 {number} 个等次 [[grades]] 有误", f"应写成 {form}。") from None
    return tuple(bands)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


MAIL_TOML = (
    "# 法制办邮箱(可选,fazhi send / remind / fetch 使用):去掉行首的“# ”并填写。密码不写在这里:",
    "# 运行时从环境变量 FAZHI_MAIL_PASSWORD 读取,或在命令中输入。security 为 ssl、starttls 或 none(仅限本机)。",
    "# [mail]",
    '# from = "fazhiban@example.gov.cn"',
    '# smtp_host = "smtp.example.gov.cn"',
    "# smtp_port = 465",
    '# smtp_security = "ssl"',
    '# imap_host = "imap.example.gov.cn"',
    "# imap_port = 993",
    '# imap_security = "ssl"',
    '# user = "fazhiban@example.gov.cn"',
    '# imap_folder = "INBOX"',
    "# send_interval = 1  # 两封邮件之间的间隔(秒),避免被邮件服务器限流",
)


def limits_toml(limits: Limits) -> list[str]:
    """The `[limits]` part of fazhi.toml: the changed limits, then every limit and its default as a comment."""
    defaults = Limits()
    changed = [f for f in fields(Limits) if getattr(limits, f.name) != getattr(defaults, f.name)]
    lines = [
        "# 读取限制(可选):超过限制的文件会被退回并说明原因。需要放宽时,在 [limits] 下写明要改的项,例如:",
        "# [limits]",
    ]
    lines += [f"# {f.name} = {getattr(defaults, f.name)}  # {LIMIT_LABELS[f.name]}(默认值)" for f in fields(Limits)]
    if changed:
        lines.append("[limits]")
        lines += [f"{f.name} = {getattr(limits, f.name)}  # {LIMIT_LABELS[f.name]}" for f in changed]
    return lines


def weights_toml(weights: Mapping[str, Decimal]) -> list[str]:
    """The `[weights]` part of fazhi.toml: each unit type's weight, or the line to fill in, commented out."""
    lines = [
        "# 折算分值权重(0 至 100):本考核在年度综合目标考核中所占分值,按单位类型分别设置;",
        "# 折算分 = 总分 × 权重 / 100。种子文件未规定权重:未设置权重的单位类型不计算、不显示折算分。",
        "# 设置时去掉行首的“# ”,把“…”改为权重,例如 department = \"5\"。",
    ]
    lines.append("[weights]" if weights else "# [weights]")
    for unit_type, label in UNIT_TYPE_LABELS.items():
        if unit_type in weights:
            lines.append(f"{unit_type} = {_toml_string(str(weights[unit_type]))}  # {label}")
        else:
            lines.append(f'# {unit_type} = "…"  # {label}(未设置)')
    return lines


def documents_toml(documents: DocumentSettings) -> list[str]:
    """The `[documents]` part of fazhi.toml: what the 通报 and the 反馈函 say of their issuer."""
    deadline = documents.rectify_deadline
    return [
        "# 公文(考核结果通报、反馈函)设置:发文机关(留空即考核单位 office)、",
        "# 发文字号(可用 fazhi notice --doc-no 另给)、通报的主送机关、请示(初步结果报区政府审定)的主送机关、",
        "# 抄送机关、印发机关(留空即发文机关)、整改情况报送截止日期",
        "[documents]",
        f"issuer = {_toml_string(documents.issuer)}",
        f"doc_no = {_toml_string(documents.doc_no)}",
        f"recipient = {_toml_string(documents.recipient)}",
        f"superior = {_toml_string(documents.superior)}",
        f"copy_to = {_toml_string(documents.copy_to)}",
        f"printer = {_toml_string(documents.printer)}",
        *([f"rectify_deadline = {deadline.isoformat()}"] if deadline else []),
    ]


def campaign_toml(campaign: Campaign) -> str:
    """The fazhi.toml text for a campaign, with comments a clerk can follow."""
    lines = [
        "# 法治政府建设考核工作区设置 (fazhi campaign settings)",
        "[campaign]",
        f"title = {_toml_string(campaign.title)}",
        f"year = {campaign.year}",
        f"office = {_toml_string(campaign.office)}",
        "# 自评材料报送截止日期;行政执法指导案例报送截止日期(写成 2017-12-10 这样的日期,不加引号)",
        f"deadline = {campaign.deadline.isoformat()}",
        f"case_deadline = {campaign.case_deadline.isoformat()}",
        "# 法制办联系人",
        f"contact = {_toml_string(campaign.contact)}",
        f"phone = {_toml_string(campaign.phone)}",
        f"email = {_toml_string(campaign.email)}",
        "# 反馈页是否显示名次及其他单位的数据",
        f"show_rank_in_feedback = {'true' if campaign.show_rank_in_feedback else 'false'}",
        "",
        *weights_toml(campaign.weights),
        "",
        *documents_toml(campaign.documents),
        "",
        "[files]",
        f"rubric = {_toml_string(campaign.rubric_file)}",
        f"units = {_toml_string(campaign.units_file)}",
        "",
        *MAIL_TOML,
        "",
        *limits_toml(campaign.limits),
        "",
        "# 等次(可选,种子文件未规定)。例如:",
        "# [[grades]]",
        '# name = "优秀"',
        '# min = "90"',
    ]
    for band in campaign.grades:
        lines += ["[[grades]]", f"name = {_toml_string(band.name)}", f'min = "{band.minimum}"']
    return "\n".join(lines) + "\n"


def default_campaign(year: int, units_file: str) -> Campaign:
    """The settings `fazhi init` writes: deadlines 12-10 and 12-20 of the campaign year."""
    return Campaign(
        title=f"{year}年度法治政府建设考核",
        year=year,
        office=DEFAULT_OFFICE,
        deadline=dt.date(year, 12, 10),
        case_deadline=dt.date(year, 12, 20),
        contact=PLACEHOLDER_CONTACT,
        phone=PLACEHOLDER_PHONE,
        email=PLACEHOLDER_EMAIL,
        units_file=units_file,
        documents=default_documents(year),
    )


@dataclass(frozen=True)
class CreatedWorkspace:
    """What `create_workspace` made; `previous` and `moved` say where another campaign's data went."""

    workspace: Workspace
    rubric: Rubric
    units: list[Unit]
    campaign: Campaign
    previous: Path | None = None
    moved: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what in the rubric does not fit this campaign (domain.rubric_warnings)


def check_year(year: int) -> None:
    """A campaign year fazhi accepts (UsageError otherwise)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(
            f"考核年度 {year} 超出范围(应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间)",
            "请用 --year 给出正确的年份,例如 --year 2018。",
        )


def _check_folder_can_be_made(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} 已存在且不是文件夹", "请换一个文件夹名。")
    for parent in root.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise WorkspaceError(f"无法在 {root} 建立工作区:{parent} 是文件而不是文件夹", "请换一个位置。")
            return


def _old_identity(config: Path) -> tuple[int, str] | None:
    """The year and title of the campaign already in a folder, read leniently; None when unreadable."""
    try:
        section = tomllib.loads(read_settings_text(config)).get("campaign", {})
        return int(section["year"]), str(section["title"])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


def _move_aside(workspace: Workspace, label: str, copies: tuple[str, ...]) -> tuple[Path, tuple[str, ...]]:
    """Move another campaign's store, secret and folders into previous/<label>-<time>/ (settings copied)."""
    stamp = office_now().strftime("%Y%m%d-%H%M%S")
    target = workspace.previous / f"{label}-{stamp}"
    suffix = 2
    while target.exists():
        target = workspace.previous / f"{label}-{stamp}-{suffix}"
        suffix += 1
    target.mkdir(parents=True)
    moved = []
    for name in copies:
        source = workspace.root / name
        if source.is_file():
            data = source.read_bytes()
            atomic_write(target / name, lambda part, data=data: part.write_bytes(data))
            moved.append(name)
    for name in (*CAMPAIGN_FILES, *CAMPAIGN_FOLDERS):
        source = workspace.root / name
        if source.exists():
            os.replace(source, target / name)
            moved.append(name + "/" if (target / name).is_dir() else name)
    return target, tuple(moved)


def create_workspace(
    root: Path,
    units_file: Path | None = None,
    rubric_file: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> CreatedWorkspace:
    """Make a new campaign folder: settings, copies of roster and rubric, folders, an empty store and a key.

    Roster and rubric are checked before anything is written, and the writing holds the workspace lock.
    An existing workspace is only overwritten with `force`: for the same campaign (same year; its title
    is kept) its store, archive and key are kept and the settings rewritten (keeping `[limits]`, which the
    roster was just read under); for another campaign the old
    store, key and folders are first moved to previous/<old year>-<time>/ (with copies of the settings,
    rubric and roster), so the new campaign starts empty and nothing of the old one is lost.
    """
    if year is not None:
        check_year(year)
    _check_folder_can_be_made(root)
    config = root / CONFIG_NAME
    if config.exists() and not force:
        raise WorkspaceError(
            f"{root} 已经是考核工作区", "如确需重新初始化(同一年度保留已收到的文件和数据),请加 --force。"
        )
    old = _old_identity(config) if config.exists() else None
    old_limits = Limits()
    if old is not None:
        with contextlib.suppress(FazhiError):
            old_limits = read_campaign(config).limits
    roster_source = units_file or sample_roster_path()
    units = load_roster(roster_source, old_limits)
    if rubric_file is None:
        rubric_text = builtin_rubric_text()
        rubric = parse_rubric_text(rubric_text, "内置评分细则")
    else:
        rubric = load_rubric_file(rubric_file)
        rubric_text = rubric_file_text(rubric_file, rubric)
    campaign_year = year or rubric.year
    check_year(campaign_year)
    warnings = tuple(rubric_warnings(rubric, campaign_year, [u.name for u in units]))
    roster_copy = "units" + roster_source.suffix.lower()
    campaign = replace(default_campaign(campaign_year, roster_copy), limits=old_limits)
    if old is not None and old[0] == campaign_year:
        campaign = replace(campaign, title=old[1])  # the identity outstanding workbooks carry
    roster_bytes = roster_source.read_bytes()
    with user_write_errors(root):
        root.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(root)
    previous, moved = None, ()
    with workspace.lock():
        with user_write_errors():
            if config.exists() and (old is None or f"{old[0]}:{old[1]}" != campaign.campaign_id):
                copies = (CONFIG_NAME, RUBRIC_NAME, "units.xlsx", "units.csv")
                previous, moved = _move_aside(workspace, str(old[0]) if old else "unknown", copies)
        # the units are saved only once the files are written, and the files written only once the store takes the
        # units: a read-only fazhi.db leaves the settings as they were, a failed file leaves the store as it was
        with workspace.open_store(create=True) as store, store.transaction():
            store.sync_units(units)
            with user_write_errors():
                _write_campaign_files(workspace, roster_copy, roster_bytes, rubric_text, campaign_toml(campaign))
    return CreatedWorkspace(workspace, rubric, units, campaign, previous, moved, warnings)



def _write_campaign_files(workspace: Workspace, roster_copy: str, roster: bytes, rubric: str, settings: str) -> None:
    """The roster's and rubric's copies, the folders and fazhi.toml of a new (or re-initialised) workspace."""
    root = workspace.root
    atomic_write(root / roster_copy, lambda part: part.write_bytes(roster))
    atomic_write(root / RUBRIC_NAME, lambda part: part.write_text(rubric, encoding="utf-8"))
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    atomic_write(workspace.config_path, lambda part: part.write_text(settings, encoding="utf-8"))
