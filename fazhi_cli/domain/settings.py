"""The campaign settings a clerk changes with `fazhi config set`: each setting's key in fazhi.toml, its Chinese name,
what it means, the words that name it, and how a typed value becomes the setting's value. Pure: text in, values out.

This is the pure table of the settings; the file itself (reading and parsing fazhi.toml into a `Campaign`, writing
it at init, editing it for `config show|set`) is handled in `fazhi_cli.workspace.settings_file`, which uses it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.components import Component, ComponentProblem, check_name
from fazhi_cli.domain.dates import NotADate, parse_date
from fazhi_cli.domain.numbers import NotANumber, parse_weight
from fazhi_cli.domain.units import LABEL_BY_TYPE, is_email, split_addresses, unit_type_from_label

TEXT, DATE, WEIGHT, FLAG, EMAIL, YEAR, FILE = "text", "date", "weight", "flag", "email", "year", "file"
MAIN_TABLE = "campaign"
_YES = frozenset({"是", "true", "yes", "y", "1", "显示", "对", "开"})
_NO = frozenset({"否", "false", "no", "n", "0", "不显示", "不", "关"})
# settings that the self-assessment workbooks print: a change reaches only the workbooks generated after it
IN_WORKBOOKS = frozenset({"title", "office", "deadline", "case_deadline", "contact", "phone", "email"})


@dataclass(frozen=True)
class Setting:
    """One setting: `key` as in fazhi.toml (`deadline`, `documents.doc_no`, `weights.township`), its Chinese
    `label`, what it `means`, its `kind` (how a typed value is read), other names it goes by, and whether
    `fazhi config set` may change it."""

    key: str
    label: str
    means: str
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    settable: bool = True

    @property
    def table(self) -> str:
        """The fazhi.toml table the setting lives in (`campaign` for the undotted keys)."""
        return self.key.split(".", 1)[0] if "." in self.key else MAIN_TABLE

    @property
    def name(self) -> str:
        """The setting's name inside its table."""
        return self.key.rsplit(".", 1)[-1]


def _weight_setting(unit_type: str) -> Setting:
    label = LABEL_BY_TYPE[unit_type]
    words = {label, unit_type, *(w for w in ("部门", "区级各部门") if unit_type == "department"),
             *(w for w in ("乡镇", "街道") if unit_type == "township")}
    aliases = tuple(sorted({f"权重.{w}" for w in words} | {f"{w}权重" for w in words}
                           | {f"{w}折算权重" for w in words}))
    return Setting(f"weights.{unit_type}", f"{label}折算权重",
                   f"{label}的折算分值权重(0 至 100):折算分 = 总分 × 权重 / 100;不设置则不计算折算分", WEIGHT, aliases)


SETTINGS: tuple[Setting, ...] = (
    Setting("title", "考核名称", "考核的名称;自评表以年度和考核名称识别本次考核", TEXT, ("名称", "标题")),
    Setting("year", "考核年度", "考核的年度(改年度请用 fazhi init --year 新建工作区)", YEAR, ("年度",), settable=False),
    Setting("office", "考核单位", "组织考核的单位,印在自评表和报告上", TEXT, ("法制办",)),
    Setting("deadline", "截止日期", "自评材料报送截止日期", DATE,
            ("自评截止日期", "报送截止日期", "自评材料报送截止日期")),
    Setting("case_deadline", "案例截止日期", "行政执法指导案例报送截止日期", DATE, ("行政执法指导案例报送截止日期",)),
    Setting("contact", "联系人", "法制办联系人,印在自评表上", TEXT),
    Setting("phone", "电话", "法制办联系电话,印在自评表上", TEXT, ("联系电话",)),
    Setting("email", "邮箱", "法制办电子邮箱,印在自评表上", EMAIL, ("电子邮箱", "邮件", "e-mail")),
    Setting("show_rank_in_feedback", "显示名次", "反馈页是否显示名次及其他单位的数据(是/否)", FLAG,
            ("反馈页显示名次", "反馈页是否显示名次")),
    _weight_setting("department"),
    _weight_setting("township"),
    Setting("documents.issuer", "发文机关", "考核结果通报和反馈函的发文机关(留空即考核单位)", TEXT),
    Setting("documents.doc_no", "发文字号", "考核结果通报的发文字号(也可用 fazhi notice --doc-no 另给)", TEXT,
            ("文号",)),
    Setting("documents.recipient", "主送机关", "考核结果通报的主送机关", TEXT, ("通报主送机关",)),
    Setting("documents.superior", "请示主送机关", "初步结果请示的主送机关(报请审定的机关)", TEXT, ("审定机关",)),
    Setting("documents.copy_to", "抄送机关", "考核结果通报的抄送机关", TEXT, ("抄送",)),
    Setting("documents.printer", "印发机关", "版记中的印发机关(留空即发文机关)", TEXT),
    Setting("documents.signer", "签发人", "初步结果请示的签发人(法制办负责人;留空则留出手写位置)", TEXT),
    Setting("documents.rectify_deadline", "整改截止日期", "反馈函中整改情况报送截止日期", DATE,
            ("整改情况报送截止日期",)),
    Setting("documents.name_top_grade_only", "通报只列最高等次",
            "考核结果通报是否只列出最高等次(如优秀)的单位、其余写“其他为良好”(下一等次),而不逐个等次写单位数"
            "(是/否;须在 fazhi.toml 中设置等次)", FLAG, ("只列优秀单位", "通报只列优秀单位", "其他为良好")),
    Setting("files.rubric", "评分细则文件", "工作区中评分细则副本的文件名", FILE, settable=False),
    Setting("files.units", "单位名单文件", "工作区中单位名单副本的文件名", FILE, settable=False),
)
# how messages about fazhi.toml name each setting (the longer names, as the file's comments do)
SETTING_LABELS = {
    "title": "考核名称",
    "year": "考核年度",
    "office": "考核单位",
    "deadline": "自评材料报送截止日期",
    "case_deadline": "行政执法指导案例报送截止日期",
    "contact": "联系人",
    "phone": "联系电话",
    "email": "电子邮箱",
    "weight": "折算分值权重",
    **{f"weights.{unit_type}": f"{label}折算权重" for unit_type, label in LABEL_BY_TYPE.items()},
    "show_rank_in_feedback": "反馈页是否显示名次",
    "documents.issuer": "发文机关",
    "documents.doc_no": "发文字号",
    "documents.recipient": "通报的主送机关",
    "documents.superior": "请示的主送机关",
    "documents.copy_to": "抄送机关",
    "documents.printer": "印发机关",
    "documents.signer": "请示的签发人",
    "documents.rectify_deadline": "整改情况报送截止日期",
    "documents.name_top_grade_only": "通报是否只列最高等次的单位",
}


class SettingProblem(ValueError):
    """An unknown setting or a value that does not fit it (message in Chinese)."""


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip().lower()


def _names(setting: Setting) -> set[str]:
    names = {setting.key, setting.label, *setting.aliases}
    if setting.table == MAIN_TABLE:
        names.add(f"{MAIN_TABLE}.{setting.key}")
    else:
        names.add(setting.name)
    return {_word(name) for name in names}


COMPONENTS_TABLE = "components"
COMPONENT_WORDS = frozenset({"components", "component", "评分构成", "构成"})
REMOVE_WORDS = frozenset({"删除", "取消", "无", "none", "delete", "remove"})


def component_setting(name: str, unit_type: str | None = None) -> Setting:
    """The setting of one score component's weight (`components.第三方评估`), or of its weight for one unit type
    (`components.第三方评估.township`)."""
    if unit_type is None:
        return Setting(f"{COMPONENTS_TABLE}.{name}", f"{name}权重",
                       f"评分构成“{name}”占综合得分的百分比(0 至 100),各类单位相同;考核细则得分占其余部分。"
                       "设为“删除”即不再计入", WEIGHT)
    label = LABEL_BY_TYPE[unit_type]
    return Setting(f"{COMPONENTS_TABLE}.{name}.{unit_type}", f"{name}权重({label})",
                   f"评分构成“{name}”占{label}综合得分的百分比(0 至 100)", WEIGHT)


def _component_setting(typed: str) -> Setting | None:
    """The component setting a key names (`components.第三方评估`, `评分构成.第三方评估.乡镇`), None when the key
    names no component; SettingProblem for a component name or unit type that cannot be."""
    text = unicodedata.normalize("NFKC", typed).strip()
    head, _, rest = text.partition(".")
    if _word(head) not in COMPONENT_WORDS:
        return None
    name, _, type_word = rest.partition(".")
    try:
        name = check_name(name)
    except ComponentProblem as problem:
        raise SettingProblem(str(problem)) from None
    if not type_word:
        return component_setting(name)
    unit_type = unit_type_from_label(type_word)
    if unit_type is None:
        raise SettingProblem(f"“{type_word}”不是单位类型;应写成 评分构成.{name}.区级部门 或 评分构成.{name}.乡镇")
    return component_setting(name, unit_type)


def find_setting(typed: str) -> Setting:
    """The setting a key names: its fazhi.toml key, its Chinese name or another usual name, in either width
    (`截止日期`, `deadline`, `权重.乡镇`, `区级部门权重`, `发文字号`…); SettingProblem (with the nearest names)
    otherwise."""
    component = _component_setting(typed)
    if component is not None:
        return component
    word = _word(typed)
    for setting in SETTINGS:
        if word in _names(setting):
            return setting
    head, _, tail = word.partition(".")
    if head in ("权重", "weights", "weight") and unit_type_from_label(tail):
        return next(s for s in SETTINGS if s.key == f"weights.{unit_type_from_label(tail)}")
    known = [name for setting in SETTINGS for name in (setting.label, setting.key)]
    close = difflib.get_close_matches(typed, known, n=3, cutoff=0.5)
    hint = f"是否要输入 {'、'.join(close)}?" if close else "用 fazhi config show 可列出全部设置。"
    raise SettingProblem(f"没有“{typed}”这项设置;{hint}")


def setting_value(setting: Setting, typed: str) -> object:
    """The value a typed text gives a setting, as fazhi.toml keeps it: dates as dates (typed 2026-12-5,
    2026/12/5, 2026年12月5日…), weights as text of a number, yes/no as true/false; SettingProblem when it does
    not fit."""
    if setting.table == COMPONENTS_TABLE and _word(typed) in REMOVE_WORDS:
        return None  # the component is taken out of fazhi.toml
    if not setting.settable:
        raise SettingProblem(f"{setting.label}({setting.key})不能用 fazhi config set 修改:{setting.means}")
    text = unicodedata.normalize("NFC", typed).strip()
    try:
        if setting.kind == DATE:
            return parse_date(text)
        if setting.kind == WEIGHT:
            return str(parse_weight(text, f"{setting.key}({setting.label})"))
    except (NotADate, NotANumber) as problem:
        raise SettingProblem(f"{setting.label}:{problem}") from None
    if setting.kind == FLAG:
        return _flag(setting, text)
    if setting.kind == EMAIL:
        addresses = split_addresses(text)
        wrong = [a for a in addresses if not is_email(a)]
        if wrong:
            raise SettingProblem(f"{setting.label}:“{wrong[0]}”不是电子邮箱地址")
        return ", ".join(addresses)
    if setting.key == "title" and not text:
        raise SettingProblem("考核名称不能为空")
    return text


def _flag(setting: Setting, text: str) -> bool:
    word = _word(text)
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise SettingProblem(f"{setting.label}:“{text}”应为 是 或 否")


def current_values(campaign: Campaign) -> dict[str, object]:
    """Every setting's value in a campaign (None for a weight not set)."""
    documents = campaign.documents
    return {
        "title": campaign.title, "year": campaign.year, "office": campaign.office,
        "deadline": campaign.deadline, "case_deadline": campaign.case_deadline, "contact": campaign.contact,
        "phone": campaign.phone, "email": campaign.email, "show_rank_in_feedback": campaign.show_rank_in_feedback,
        **{f"weights.{t}": campaign.weight(t) for t in LABEL_BY_TYPE},
        **{f"documents.{name}": getattr(documents, name)
           for name in ("issuer", "doc_no", "recipient", "superior", "copy_to", "printer", "signer",
                        "rectify_deadline", "name_top_grade_only")},
        "files.rubric": campaign.rubric_file, "files.units": campaign.units_file,
        **component_values(campaign.components),
    }


def component_values(components: tuple[Component, ...]) -> dict[str, object]:
    """Each component's setting as `config show` gives it: one weight for all types, or each type's."""
    values: dict[str, object] = {}
    for component in components:
        weights = set(component.weights.values())
        if len(weights) == 1 and set(component.weights) == set(LABEL_BY_TYPE):
            values[f"{COMPONENTS_TABLE}.{component.name}"] = weights.pop()
        else:
            values[f"{COMPONENTS_TABLE}.{component.name}"] = ";".join(
                f"{LABEL_BY_TYPE[t]} {w}" for t, w in component.weights.items()) or None
        for unit_type in LABEL_BY_TYPE:
            values[f"{COMPONENTS_TABLE}.{component.name}.{unit_type}"] = component.weights.get(unit_type)
    return values


def component_rows(campaign: Campaign) -> list[Setting]:
    """The settings `config show` lists for the components set, after the fixed ones."""
    return [component_setting(c.name) for c in campaign.components]



def shown(value: object) -> str:
    """A setting's value as `config show` prints it."""
    if value is None:
        return "(未设置)"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if str(value) else "(空)"
