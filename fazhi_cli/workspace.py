"""The campaign workspace: one folder per year's assessment, owning every path and the settings.

Layout::

    fazhi.toml      campaign settings
    units.xlsx      copy of the roster (or units.csv)
    rubric.yaml     copy of the rubric
    fazhi.db        the SQLite store
    outbox/ inbox/ archive/ reports/ returns/
"""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.errors import WorkspaceError
from fazhi_cli.roster_io import load_roster, sample_roster_path
from fazhi_cli.rubric_io import builtin_rubric_text, load_rubric_file, parse_rubric_text
from fazhi_cli.store import Store

CONFIG_NAME = "fazhi.toml"
STORE_NAME = "fazhi.db"
RUBRIC_NAME = "rubric.yaml"
FOLDERS = ("outbox", "inbox", "archive", "reports", "returns")
DEFAULT_OFFICE = "广元市昭化区人民政府法制办公室"
DEFAULT_WEIGHT = Decimal(5)


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest total that reaches it (a campaign setting; the seed defines none)."""

    name: str
    minimum: Decimal


@dataclass(frozen=True)
class Campaign:
    """The settings of one campaign, as kept in fazhi.toml."""

    title: str
    year: int
    office: str
    deadline: dt.date
    case_deadline: dt.date
    contact: str
    phone: str
    email: str
    weight: Decimal
    show_rank_in_feedback: bool = True
    rubric_file: str = RUBRIC_NAME
    units_file: str = "units.xlsx"
    grades: tuple[GradeBand, ...] = field(default_factory=tuple)

    @property
    def campaign_id(self) -> str:
        """The identity workbooks carry: year and title."""
        return f"{self.year}:{self.title}"


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
    def templates_override(self) -> Path:
        """A `templates/` folder here overrides the shipped report templates."""
        return self.root / "templates"

    def secret(self) -> bytes:
        """The workspace's secret key (created on first use); it never leaves the workspace."""
        path = self.root / "fazhi.secret"
        if not path.exists():
            import secrets

            path.write_bytes(secrets.token_bytes(32))
        return path.read_bytes()

    def campaign(self) -> Campaign:
        """The campaign settings read from fazhi.toml."""
        return read_campaign(self.config_path)

    def rubric(self) -> Rubric:
        """The workspace's own copy of the rubric."""
        return load_rubric_file(self.root / self.campaign().rubric_file)

    def units(self) -> list[Unit]:
        """The workspace's own copy of the roster."""
        return load_roster(self.root / self.campaign().units_file)

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
    """Parse fazhi.toml; a broken one gives a message naming the file and the setting."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"无法读取 {path}: {exc}", "请检查文件是否存在、是否为 UTF-8 编码。") from None
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{path} 格式有误: {exc}", "请按 TOML 格式修改,或重新 fazhi init。") from None
    section = data.get("campaign", {})
    files = data.get("files", {})
    try:
        year = int(section["year"])
        return Campaign(
            title=str(section["title"]),
            year=year,
            office=str(section.get("office", DEFAULT_OFFICE)),
            deadline=_date(section.get("deadline"), dt.date(year, 12, 10)),
            case_deadline=_date(section.get("case_deadline"), dt.date(year, 12, 20)),
            contact=str(section.get("contact", "")),
            phone=str(section.get("phone", "")),
            email=str(section.get("email", "")),
            weight=Decimal(str(section.get("weight", DEFAULT_WEIGHT))),
            show_rank_in_feedback=bool(section.get("show_rank_in_feedback", True)),
            rubric_file=str(files.get("rubric", RUBRIC_NAME)),
            units_file=str(files.get("units", "units.xlsx")),
            grades=tuple(
                GradeBand(str(g["name"]), Decimal(str(g["min"]))) for g in data.get("grades", [])
            ),
        )
    except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
        raise WorkspaceError(
            f"{path} 中的设置有误: {exc}", "请检查 [campaign] 中 title、year、deadline、weight 等设置。"
        ) from None


def _date(value: object, default: dt.date) -> dt.date:
    if value is None:
        return default
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def campaign_toml(campaign: Campaign) -> str:
    """The fazhi.toml text for a campaign, with comments a clerk can follow."""
    lines = [
        "# 法治政府建设考核工作区设置 (fazhi campaign settings)",
        "[campaign]",
        f"title = {_toml_string(campaign.title)}",
        f"year = {campaign.year}",
        f"office = {_toml_string(campaign.office)}",
        "# 自评材料报送截止日期;行政执法指导案例报送截止日期",
        f"deadline = {campaign.deadline.isoformat()}",
        f"case_deadline = {campaign.case_deadline.isoformat()}",
        "# 法制办联系人",
        f"contact = {_toml_string(campaign.contact)}",
        f"phone = {_toml_string(campaign.phone)}",
        f"email = {_toml_string(campaign.email)}",
        "# 折算分值权重:本考核在年度综合目标考核中所占分值,折算分 = 总分 × weight / 100",
        f"weight = {_toml_string(str(campaign.weight))}",
        "# 反馈页是否显示名次及其他单位的数据",
        f"show_rank_in_feedback = {'true' if campaign.show_rank_in_feedback else 'false'}",
        "",
        "[files]",
        f"rubric = {_toml_string(campaign.rubric_file)}",
        f"units = {_toml_string(campaign.units_file)}",
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
        contact="法制办联络员",
        phone="0839-0000000",
        email="fazhiban@example.invalid",
        weight=DEFAULT_WEIGHT,
        units_file=units_file,
    )


def create_workspace(
    root: Path,
    units_file: Path | None = None,
    rubric_file: Path | None = None,
    year: int | None = None,
    force: bool = False,
) -> tuple[Workspace, Rubric, list[Unit]]:
    """Make a new campaign folder: settings, copies of roster and rubric, folders and an empty store.

    Roster and rubric are checked before anything is written; an existing workspace is only
    overwritten with `force` (its archive and store are then kept, the settings rewritten).
    """
    if (root / CONFIG_NAME).exists() and not force:
        raise WorkspaceError(
            f"{root} 已经是考核工作区", "如确需重新初始化(保留已收到的文件和数据),请加 --force。"
        )
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} 已存在且不是文件夹", "请换一个文件夹名。")
    roster_source = units_file or sample_roster_path()
    units = load_roster(roster_source)
    if rubric_file is None:
        rubric_text = builtin_rubric_text()
        rubric = parse_rubric_text(rubric_text, "内置评分细则")
    else:
        rubric = load_rubric_file(rubric_file)
        rubric_text = rubric_file.read_text("utf-8")
    campaign_year = year or rubric.year
    root.mkdir(parents=True, exist_ok=True)
    roster_copy = "units" + roster_source.suffix.lower()
    shutil.copyfile(roster_source, root / roster_copy)
    (root / RUBRIC_NAME).write_text(rubric_text, encoding="utf-8")
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    workspace = Workspace(root)
    campaign = default_campaign(campaign_year, roster_copy)
    workspace.config_path.write_text(campaign_toml(campaign), encoding="utf-8")
    with Store.open(workspace.store_path) as store:
        store.sync_units(units)
    return workspace, rubric, units
