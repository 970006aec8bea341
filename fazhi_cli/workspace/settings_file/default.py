"""The fazhi.toml `fazhi init` writes: the default settings of a new campaign and the commented text a clerk can
follow (every table, and the optional ones commented out with how to fill them in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal

from fazhi_cli.domain.campaign import (
    PLACEHOLDER_CONTACT,
    PLACEHOLDER_EMAIL,
    PLACEHOLDER_PHONE,
    Campaign,
    DocumentSettings,
    default_documents,
)
from fazhi_cli.domain.limits import LIMIT_LABELS, Limits
from fazhi_cli.domain.rubric import UNIT_TYPE_LABELS
from fazhi_cli.workspace.settings_file.parse import DEFAULT_OFFICE


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


def components_toml(components) -> list[str]:
    """The `[components]` part of fazhi.toml: each score component's weight, or how to set one, commented out."""
    lines = [
        "# 评分构成(可选):考核细则之外的评分来源(如第三方评估),各占综合得分的百分比,考核细则得分占其余部分:",
        "# 综合得分 = 细则总分 × (100 - 各项权重之和)/100 + Σ 该项得分 × 权重/100;排名按综合得分。",
        "# 用 fazhi config set 评分构成.第三方评估 10 设置,评分构成.第三方评估.乡镇 5 按单位类型分别设置;",
        "# 用 fazhi component-sheet 第三方评估 生成评分构成表,填好后用 fazhi ingest 收回。",
    ]
    if not components:
        return [*lines, "# [components]", '# "第三方评估" = "10"']
    lines.append("[components]")
    for component in components:
        weights = set(component.weights.values())
        if len(weights) == 1 and set(component.weights) == set(UNIT_TYPE_LABELS):
            lines.append(f"{_toml_string(component.name)} = {_toml_string(str(weights.pop()))}")
        else:
            inner = ", ".join(f"{t} = {_toml_string(str(w))}" for t, w in component.weights.items())
            lines.append(f"{_toml_string(component.name)} = {{ {inner} }}")
    return lines


def documents_toml(documents: DocumentSettings) -> list[str]:
    """The `[documents]` part of fazhi.toml: what the 通报 and the 反馈函 say of their issuer."""
    deadline = documents.rectify_deadline
    return [
        "# 公文(考核结果通报、反馈函)设置:发文机关(留空即考核单位 office)、",
        "# 发文字号(可用 fazhi notice --doc-no 另给)、通报的主送机关、请示(初步结果报区政府审定)的主送机关、",
        "# 抄送机关、印发机关(留空即发文机关)、请示的签发人、整改情况报送截止日期",
        "[documents]",
        f"issuer = {_toml_string(documents.issuer)}",
        f"doc_no = {_toml_string(documents.doc_no)}",
        f"recipient = {_toml_string(documents.recipient)}",
        f"superior = {_toml_string(documents.superior)}",
        f"copy_to = {_toml_string(documents.copy_to)}",
        f"printer = {_toml_string(documents.printer)}",
        f"signer = {_toml_string(documents.signer)}",
        *([f"rectify_deadline = {deadline.isoformat()}"] if deadline else []),
        *(["name_top_grade_only = true  # 通报只列最高等次的单位"] if documents.name_top_grade_only else []),
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
        *components_toml(campaign.components),
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
        '# max_share = "0.3"  # 可选:该等次最多占本类已排名单位的比例(向下取整),超出名额的评为下一等次',
    ]
    for band in campaign.grades:
        lines += ["[[grades]]", f"name = {_toml_string(band.name)}", f'min = "{band.minimum}"']
        if band.max_share is not None:
            lines.append(f'max_share = "{band.max_share}"')
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
