"""The settings of one campaign (as kept in fazhi.toml): plain data that the workbook, the checks and the
reports read. Reading and writing fazhi.toml is `workspace.py`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi_cli.domain.components import Component, weights_for
from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.mail import MailSettings

DEFAULT_RUBRIC_FILE = "rubric.yaml"
DEFAULT_RECIPIENT = "各乡镇人民政府,拣银岩街道办事处,区级各部门"  # the seed's 主送机关
DEFAULT_SUPERIOR = "区人民政府"  # the seed: 初步结果 "报区政府审定"
DEFAULT_COPY_TO = "区委办,区人大办,区政协办,区目标办"
# what `fazhi init` writes for the office's contact until the clerk sets the real one (`fazhi config set`)
PLACEHOLDER_CONTACT = "法制办联络员"
PLACEHOLDER_PHONE = "0839-0000000"
PLACEHOLDER_EMAIL = "fazhiban@example.invalid"


@dataclass(frozen=True)
class DocumentSettings:
    """What the official documents (the 通报 and the 反馈函) say about their issuer (fazhi.toml `[documents]`).

    `issuer` is the 发文机关 (blank: the campaign's office), `doc_no` the default 发文字号, `recipient` the
    通报's 主送机关, `superior` the 请示's, `copy_to` the 抄送机关, `printer` the 印发机关 (blank: the
    issuer), `signer` the 请示's 签发人, `rectify_deadline` the day the units report their rectification by
    (None: within a month) and `name_top_grade_only` whether the 通报 names only the units of the top grade (and
    says the others got the next one) instead of counting the units of each grade."""

    issuer: str = ""
    doc_no: str = ""
    recipient: str = DEFAULT_RECIPIENT
    superior: str = DEFAULT_SUPERIOR
    copy_to: str = DEFAULT_COPY_TO
    printer: str = ""
    signer: str = ""  # the 请示's 签发人
    rectify_deadline: dt.date | None = None
    name_top_grade_only: bool = False  # the 通报 names only the top grade's units: “其他为良好”


def default_documents(year: int) -> DocumentSettings:
    """The `[documents]` settings `fazhi init` writes: the next year's first number and 3 月 31 日."""
    return DocumentSettings(doc_no=f"昭府法办〔{year + 1}〕1号", rectify_deadline=dt.date(year + 1, 3, 31))


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest total that reaches it (a campaign setting; the seed defines none); `max_share` the
    share of each type's ranked units it may go to at most (None: no cap; `domain.grades`)."""

    name: str
    minimum: Decimal
    max_share: Decimal | None = None


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
    weights: Mapping[str, Decimal] = field(default_factory=dict)
    show_rank_in_feedback: bool = True
    rubric_file: str = DEFAULT_RUBRIC_FILE
    units_file: str = "units.xlsx"
    grades: tuple[GradeBand, ...] = field(default_factory=tuple)
    limits: Limits = field(default_factory=Limits)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    mail: MailSettings = field(default_factory=MailSettings)  # the office mailbox ([mail]); not configured by default
    components: tuple[Component, ...] = ()  # score components beside the rubric ([components]); none by default

    @property
    def grade_caps(self) -> dict[str, Decimal]:
        """The capped grades' shares by grade name (`[[grades]]` `max_share`); empty when no grade is capped."""
        return {band.name: band.max_share for band in self.grades if band.max_share is not None}

    @property
    def issuer(self) -> str:
        """The 发文机关 of the official documents: `[documents] issuer`, else the office."""
        return self.documents.issuer or self.office

    @property
    def printer(self) -> str:
        """The 印发机关 of the 版记: `[documents] printer`, else the issuer."""
        return self.documents.printer or self.issuer

    @property
    def campaign_id(self) -> str:
        """The identity workbooks carry: year and title."""
        return f"{self.year}:{self.title}"

    @property
    def assessed_months(self) -> tuple[int, ...]:
        """The months of the year whose monthly counts are assessed: those over before the deadline's month
        (1—11 for a December deadline: December is not over when the returns are due); all twelve when the
        deadline falls in a later year."""
        if self.deadline.year > self.year:
            return tuple(range(1, 13))
        return tuple(range(1, self.deadline.month))

    def weight(self, unit_type: str) -> Decimal | None:
        """The conversion weight (折算权重) of a unit type; None when fazhi.toml does not set it."""
        return self.weights.get(unit_type)

    def component_weights(self, unit_type: str) -> dict[str, Decimal]:
        """The score components (评分构成) that apply to a unit type, by name, with their weights (percent)."""
        return weights_for(self.components, unit_type)

    def weights_missing(self, unit_types: Iterable[str]) -> list[str]:
        """The unit types, in the given order, whose weight is not set (their converted scores are not shown)."""
        return [unit_type for unit_type in unit_types if unit_type not in self.weights]


def generate_warnings(campaign: Campaign, today: dt.date) -> list[str]:
    """What `fazhi generate` warns of before workbooks go out: the placeholder contact `fazhi init` wrote, and a
    deadline already past by the office's clock."""
    warnings = []
    placeholders = [label for label, value, placeholder in (
        ("联系人", campaign.contact, PLACEHOLDER_CONTACT), ("电话", campaign.phone, PLACEHOLDER_PHONE),
        ("邮箱", campaign.email, PLACEHOLDER_EMAIL)) if value in (placeholder, "") or value.endswith(".invalid")]
    if placeholders:
        example = f"{campaign.contact} / {campaign.phone} / {campaign.email}"
        warnings.append(f"自评表上的法制办{'、'.join(placeholders)}仍是 fazhi init 写入的示例({example}):"
                        f"请用 fazhi config set 联系人 …、fazhi config set 电话 …、"
                        "fazhi config set 邮箱 … 改为真实的联系方式,再用 fazhi generate --force 重新生成。")
    if campaign.deadline < today:
        warnings.append(f"报送截止日期 {campaign.deadline.isoformat()} 已经过去(今天是 {today.isoformat()}):"
                        "请用 fazhi config set 截止日期 2026年12月10日 这样的命令改为新的日期,再重新生成。")
    return warnings
