"""`fazhi send --rectify` and `fazhi remind --rectify`: each unit that owes 整改 its 整改清单 with the deadline, and a
reminder to the units with items neither reported nor closed — sent, recorded and resumed exactly as `send`/`remind`."""

from __future__ import annotations

from collections.abc import Callable

from fazhi_cli.domain.mail import RECTIFY, RECTIFY_REMIND
from fazhi_cli.domain.numbers import format_cents
from fazhi_cli.domain.rectification import RectifyItem
from fazhi_cli.infra.clock import office_now
from fazhi_cli.mail.compose import Letter
from fazhi_cli.mail.send import NOT_SENT, NOTHING_OWED, MailOutcome, MailReport, Progress, already_sent, deliver
from fazhi_cli.rectify import approved_owed, rectify_view
from fazhi_cli.workbook.generate import select_units
from fazhi_cli.workspace import Workspace, rectify_file_name


def item_line(item: RectifyItem) -> str:
    """One item as a letter lists it: 编号 考核项目(扣 N 分)."""
    name = "" if item.name == item.ref else f" {item.name}"
    return f"{item.ref}{name}(扣 {format_cents(item.deduction)} 分)"


def _letter(workspace: Workspace, kind: str, unit, items: tuple[RectifyItem, ...], deadline, basis: str = ""
            ) -> Letter | MailOutcome:
    """The unit's 整改清单 from outbox/整改/, or why there is none."""
    name = rectify_file_name(workspace.campaign().year, unit.name)
    path = workspace.rectify_outbox / name
    if not path.is_file():
        return MailOutcome(unit.name, kind, NOT_SENT,
                           message="outbox/整改/ 中没有该单位的整改清单:请先 fazhi rectify generate")
    return Letter(kind, unit, path, name, basis, deadline=deadline, items=tuple(item_line(i) for i in items))


def send_rectification(workspace: Workspace, names: list[str] | None = None, dry_run: bool = False,
                       resend: bool = False, ask_password: Callable[[], str] | None = None,
                       on_message: Progress | None = None) -> MailReport:
    """Send each unit that owes 整改 (or each chosen one) its 整改清单 (`fazhi send --rectify`); the caller holds the
    lock. A unit already sent its 整改通知 is skipped unless `resend`; a unit that owes nothing is not written to."""
    owed = approved_owed(workspace)
    campaign = workspace.campaign()  # today's settings (the mailbox), not those frozen at the approval
    letters = [_letter(workspace, RECTIFY, unit, owed.items[unit.name], owed.deadline) if unit.name in owed.items
               else MailOutcome(unit.name, RECTIFY, NOTHING_OWED, message="该单位没有失分,无需整改,未发送")
               for unit in select_units(list(owed.units.values()), names, None) if names or unit.name in owed.items]
    done = set() if resend or dry_run else already_sent(workspace, RECTIFY)
    return deliver(workspace, campaign, RECTIFY, letters, lambda letter: letter.unit.name in done, dry_run,
                   ask_password, on_message)


def remind_rectification(workspace: Workspace, names: list[str] | None = None, dry_run: bool = False,
                         resend: bool = False, ask_password: Callable[[], str] | None = None,
                         on_message: Progress | None = None) -> MailReport:
    """Remind the units with 整改 items neither reported 已完成 nor closed (`fazhi remind --rectify`), listing those
    items; a unit whose items are all reported or closed is not written to. Once a day, unless `resend`."""
    view = rectify_view(workspace)
    campaign = workspace.campaign()
    chosen = {u.name for u in select_units(list(view.owed.units.values()), names, None)}
    today = office_now().date().isoformat()
    letters: list[Letter | MailOutcome] = []
    for unit in view.units:
        unfinished = unit.unfinished()
        if unit.unit in chosen and unfinished:
            letters.append(_letter(workspace, RECTIFY_REMIND, view.owed.units[unit.unit], unfinished, view.deadline,
                                   f"{RECTIFY_REMIND}:{today}"))
    done = set() if resend or dry_run else already_sent(workspace, RECTIFY_REMIND, by_basis=True)
    return deliver(workspace, campaign, RECTIFY_REMIND, letters,
                   lambda letter: f"{letter.unit.name}|{letter.basis}" in done, dry_run, ask_password, on_message)
