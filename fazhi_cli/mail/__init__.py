"""The office mailbox: `send` and `remind` (one message per unit, composed from templates/mail/, handed to the
SMTP server and recorded once accepted), `fetch` (the replies read by IMAP, read-only, ingested at the server's
arrival time, each message once). `compose` writes the messages, `connect` and `imap` talk to the servers."""

from fazhi_cli.mail.connect import MailError
from fazhi_cli.mail.fetch import FETCH_LABELS, FetchedMessage, FetchReport, campaign_start, fetch_replies
from fazhi_cli.mail.rectify import remind_rectification, send_rectification
from fazhi_cli.mail.send import MAIL_OUTCOME_LABELS, MailOutcome, MailReport, remind_units, send_workbooks
from fazhi_cli.mail.status import MailStatus, mail_status

__all__ = [
    "FETCH_LABELS", "MAIL_OUTCOME_LABELS", "FetchReport", "FetchedMessage", "MailError", "MailOutcome", "MailReport",
    "MailStatus", "campaign_start", "fetch_replies", "mail_status", "remind_rectification", "remind_units",
    "send_rectification", "send_workbooks",
]  # fmt: skip
