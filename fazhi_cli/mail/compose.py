"""One message per unit: subject and body from the Jinja2 templates in templates/mail/ (a workspace's own
templates/mail/ overrides them), the workbook attached under its Chinese file name.

The attachment's name is written the two ways mail clients read: RFC 2231 (`filename*=utf-8''…` on
Content-Disposition, what standards-following clients and webmail read) and an RFC 2047 encoded word in the
Content-Type's `name` (what older Outlook and Foxmail read).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
from dataclasses import dataclass
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.text import printable
from fazhi_cli.domain.units import Unit, address_list, email_problem
from fazhi_cli.reports.render import load_template, render, text_environment

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MAX_PROBLEMS = 30  # problems listed in a reminder's body; the rest are in the annotated workbook's comments


@dataclass(frozen=True)
class Letter:
    """What one message says and carries: its kind, the unit, the attachment and the template's context."""

    kind: str  # send, remind
    unit: Unit
    attachment: Path
    attachment_name: str
    basis: str = ""  # for a reminder: what it is about (recorded, so a rerun the same day sends it once)
    reason: str = ""  # for a reminder: missing or errors
    problems: tuple[str, ...] = ()
    received_at: str = ""
    deadline: dt.date | None = None  # a 整改 letter's: the rectification deadline (else the campaign's)
    items: tuple[str, ...] = ()  # a 整改 letter's: the items to rectify, each "编号 考核项目(扣 N 分)"


@dataclass(frozen=True)
class Composed:
    """A message ready to hand to the server (`data`, the exact bytes), with what the store records of it."""

    letter: Letter
    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    attachment_sha256: str
    data: bytes


class AddressProblem(ValueError):
    """A unit's roster address that cannot be written to (none, or not an address): the Chinese reason."""


def recipients_of(unit: Unit) -> tuple[str, ...]:
    """The unit's addresses from the roster, in order; AddressProblem when there is none or one is malformed."""
    if not unit.email.strip():
        raise AddressProblem("单位名单中没有该单位的电子邮箱")
    bad = email_problem(unit.email)
    if bad is not None:
        raise AddressProblem(f"单位名单中的电子邮箱“{printable(bad)}”格式不正确")
    return address_list(unit.email)


def compose(letter: Letter, campaign: Campaign, sender: str, now: dt.datetime, templates: Path | None) -> Composed:
    """The message for one unit (AddressProblem when its roster address cannot be used)."""
    recipients = recipients_of(letter.unit)
    env = text_environment(templates)
    context = _context(letter, campaign, now)
    subject = " ".join(render(load_template(env, f"mail/{letter.kind}_subject.j2"), context).split())
    body = render(load_template(env, f"mail/{letter.kind}_body.j2"), context).strip() + "\n"
    data = letter.attachment.read_bytes()
    domain = sender.rpartition("@")[2] or "localhost"
    message_id = make_msgid(idstring=f"fazhi-{letter.kind}", domain=domain)
    message = _message(campaign.office, sender, letter.unit.name, recipients, printable(subject), now, message_id)
    message.attach(MIMEText(body, "plain", "utf-8"))
    message.attach(_attachment(data, letter.attachment_name))
    return Composed(letter, sender, recipients, printable(subject), message_id, hashlib.sha256(data).hexdigest(),
                    message.as_bytes(policy=WIRE))


# The message is built and written with the compat32 policy, which keeps each header as written: the modern
# policy refolds a long Content-Type and mangles its parameters (the subtype becomes an encoded word).
WIRE = email.policy.compat32.clone(linesep="\r\n")


def _message(office: str, sender: str, unit: str, recipients: tuple[str, ...], subject: str, now: dt.datetime,
             message_id: str) -> MIMEMultipart:
    """The envelope of a message: From the office, To each of the unit's addresses, the subject, date and id."""
    message = MIMEMultipart()
    message["From"] = formataddr((printable(office), sender))
    message["To"] = ", ".join(formataddr((printable(unit), a)) for a in recipients)
    message["Subject"] = Header(subject, "utf-8")
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    return message


def _attachment(data: bytes, name: str) -> MIMEApplication:
    """The workbook, named both ways: RFC 2231 in Content-Disposition, an RFC 2047 encoded word in Content-Type."""
    part = MIMEApplication(data, XLSX_TYPE[1])
    part.set_param("name", Header(name, "utf-8").encode(maxlinelen=10_000))
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
    return part


def _context(letter: Letter, campaign: Campaign, now: dt.datetime) -> dict:
    """What the templates may use: the unit, the campaign, the dates, and for a reminder its problems."""
    unit = letter.unit
    today = now.date()
    problems = [printable(p) for p in letter.problems]
    deadline = letter.deadline or campaign.deadline
    return {
        "unit": {"name": printable(unit.name), "contact": printable(unit.contact), "type": unit.type_label},
        "campaign": {"title": campaign.title, "year": campaign.year, "office": campaign.office,
                     "contact": campaign.contact, "phone": campaign.phone, "email": campaign.email},
        "deadline": _chinese_date(deadline),
        "today": _chinese_date(today),
        "days_left": (deadline - today).days,
        "items": [printable(i) for i in letter.items],
        "attachment": letter.attachment_name,
        "reason": letter.reason,
        "problems": problems[:MAX_PROBLEMS],
        "more_problems": max(0, len(problems) - MAX_PROBLEMS),
        "received_at": letter.received_at,
    }


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
