"""What `fazhi status` shows of the mail: for each unit, when its workbook was sent, when it was last reminded,
and when the office's mailbox received its last reply and from which address."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_cli.domain.evidence import unit_addresses
from fazhi_cli.domain.mail import REMIND, SEND
from fazhi_cli.workspace import Workspace


@dataclass(frozen=True)
class MailStatus:
    """One unit's mail: the times are the store's (China time, ISO 8601), blank when none."""

    unit: str
    sent_at: str = ""
    send_failed: str = ""  # the last failure, when the workbook was never sent
    reminded_at: str = ""
    reminders: int = 0
    replied_at: str = ""  # the server's arrival time of the last message that brought the unit's files
    replied_by: str = ""

    def as_dict(self) -> dict:
        """The unit's mail as `fazhi status --json` gives it (`mail`: a blank time as null)."""
        return {"unit": self.unit, "sent_at": self.sent_at or None, "send_failed": self.send_failed or None,
                "reminded_at": self.reminded_at or None, "reminders": self.reminders,
                "replied_at": self.replied_at or None, "replied_by": self.replied_by or None}


def mail_status(workspace: Workspace) -> list[MailStatus]:
    """Each roster unit's mail, in roster order (empty when no message was ever sent or fetched)."""
    units = workspace.units()
    with workspace.open_store() as store:
        sent = store.sent_mail()
        fetched = store.fetched_mail()
    if not sent and not fetched:
        return []
    owners = {address: unit.name for unit in units for address in unit_addresses(unit.email)}
    statuses = []
    for unit in units:
        mine = [m for m in sent if m.unit == unit.name]
        sends = [m for m in mine if m.kind == SEND and m.outcome == "sent"]
        failures = [m for m in mine if m.kind == SEND and m.outcome != "sent"]
        reminders = [m for m in mine if m.kind == REMIND and m.outcome == "sent"]
        replies = [f for f in fetched if f.outcome == "ingested" and (unit.name in f.units or owners.get(f.sender)
                                                                      == unit.name)]
        replies.sort(key=lambda f: f.received_at)
        statuses.append(MailStatus(
            unit.name, sends[-1].time if sends else "", failures[-1].error if failures and not sends else "",
            reminders[-1].time if reminders else "", len(reminders),
            replies[-1].received_at if replies else "", replies[-1].sender if replies else "",
        ))
    return statuses
