"""The office mailbox: `fazhi send` (each unit its blank workbook), `fazhi remind` and `fazhi fetch` (the replies,
ingested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fazhi_cli.errors import UsageError
from fazhi_cli.mail import (
    FetchedMessage,
    FetchReport,
    MailOutcome,
    MailReport,
    fetch_replies,
    remind_rectification,
    remind_units,
    send_rectification,
    send_workbooks,
)
from fazhi_cli.receiving.batch import FileOutcome
from fazhi_cli.workspace import Workspace


def send(
    workspace: Path | None = None,
    units: list[str] | None = None,
    unit_type: str | None = None,
    dry_run: bool = False,
    resend: bool = False,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[MailOutcome, int], None] | None = None,
    rectify: bool = False,
) -> MailReport:
    """Mail each unit its blank workbook from outbox/ (`fazhi send`), holding the lock: one message per unit to
    the roster's address(es), from the office mailbox of fazhi.toml `[mail]`, the password from
    FAZHI_MAIL_PASSWORD or `ask_password()`. Each message is recorded once the server accepted it; a unit
    already sent to is skipped unless `resend`; a unit the server refuses is in the report (`report.failed`),
    the rest go on. `dry_run` writes the messages into outbox/mail/ as .eml files and sends and records nothing.
    A server that cannot be used (unreachable, wrong password, certificate not verified) is a `MailError`.

    With `rectify` (`fazhi send --rectify`, after the approval): each unit that lost points its 整改清单 from
    outbox/整改/ with the 整改 deadline (`unit_type` does not apply).

    Example::

        report = api.send(Path("2017考核"), units=["区发改局"], dry_run=True)
        [(o.unit, o.outcome, o.path) for o in report.outcomes]
    """
    found = Workspace.find(workspace)
    with found.lock():
        if rectify:
            return send_rectification(found, units, dry_run, resend, ask_password, on_message)
        return send_workbooks(found, units, unit_type, dry_run, resend, ask_password, on_message)


def remind(
    workspace: Path | None = None,
    units: list[str] | None = None,
    dry_run: bool = False,
    resend: bool = False,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[MailOutcome, int], None] | None = None,
    rectify: bool = False,
) -> MailReport:
    """Remind by mail (`fazhi remind`), holding the lock: the units that have not returned get their blank
    workbook again; those whose current submission has errors get the annotated return (as `validate
    --annotate` writes it) with the problems listed in the body. The same reminder is sent once a day unless
    `resend`; otherwise as `send`.

    Example::

        report = api.remind(Path("2017考核"), dry_run=True)
        [(o.unit, o.subject) for o in report.outcomes]

    With `rectify` (`fazhi remind --rectify`): the units with 整改 items neither reported 已完成 nor closed, those
    items listed, their 整改清单 attached again.
    """
    found = Workspace.find(workspace)
    with found.lock():
        if rectify:
            return remind_rectification(found, units, dry_run, resend, ask_password, on_message)
        return remind_units(found, units, dry_run, resend, ask_password, on_message)


def fetch(
    workspace: Path | None = None,
    since: str | None = None,
    ask_password: Callable[[], str] | None = None,
    on_message: Callable[[FetchedMessage], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> FetchReport:
    """Take the replies from the office mailbox by IMAP (`fazhi fetch`), holding the lock: the messages since
    the campaign started (the first `send`, else 1 January), or since `since` (YYYY-MM-DD), read-only, each
    once; their attachments are ingested as `ingest` takes .eml files, received at the server's arrival time.

    Example::

        report = api.fetch(Path("2017考核"), since="2017-11-20")
        [(m.received_at, m.sender, m.outcome) for m in report.messages], report.ingest.files
    """
    found = Workspace.find(workspace)
    day = None
    if since is not None:
        try:
            day = dt.date.fromisoformat(since.strip())
        except ValueError:
            raise UsageError(f"--since 的日期“{since[:40]}”无效", "请写成 2017-11-20 这样的日期(年-月-日)。") from None
    with found.lock():
        return fetch_replies(found, day, ask_password, on_message, on_file)
