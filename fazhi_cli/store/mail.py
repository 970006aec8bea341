"""The mail the office sent and fetched: the `mail_sent` and `mail_fetched` tables."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from fazhi_cli.store.connection import StoreBase


@dataclass(frozen=True)
class SentMail:
    """A message handed to the SMTP server: `outcome` is `sent` (the server accepted it) or `failed` (`error`)."""

    time: str
    kind: str  # send, remind
    unit: str
    message_id: str
    recipients: tuple[str, ...]
    subject: str = ""
    attachment: str = ""
    attachment_sha256: str = ""
    outcome: str = "sent"
    error: str = ""
    basis: str = ""  # what a reminder was about (missing, or the submission's SHA-256 with errors) and its day
    id: int | None = None


@dataclass(frozen=True)
class FetchedMail:
    """A message examined on the IMAP server, once: taken (`ingested`) or passed over (with the `note`)."""

    time: str
    folder: str
    uidvalidity: int
    uid: int
    message_id: str = ""
    received_at: str = ""  # the server's INTERNALDATE
    sender: str = ""
    subject: str = ""
    outcome: str = "ingested"
    note: str = ""
    units: tuple[str, ...] = ()  # the units whose files it brought
    id: int | None = None
    content_sha256: str = ""  # of the message's bytes, when it was downloaded


class MailTables(StoreBase):
    """The `Store`'s methods for the messages handed to the SMTP server and examined on the IMAP server."""

    def record_sent(self, mail: SentMail) -> int:
        """Record one message handed to the SMTP server, in its own transaction; returns its id."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO mail_sent (time, kind, unit, basis, message_id, recipients, subject, attachment, "
                "attachment_sha256, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (mail.time, mail.kind, mail.unit, mail.basis, mail.message_id,
                 json.dumps(list(mail.recipients), ensure_ascii=False), mail.subject, mail.attachment,
                 mail.attachment_sha256, mail.outcome, mail.error),
            )
            return int(cursor.lastrowid)

    def sent_mail(self, kind: str | None = None) -> list[SentMail]:
        """Every message recorded (of one kind), oldest first."""
        where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        return [
            SentMail(row["time"], row["kind"], row["unit"], row["message_id"], tuple(json.loads(row["recipients"])),
                     row["subject"], row["attachment"], row["attachment_sha256"], row["outcome"], row["error"],
                     row["basis"], row["id"])
            for row in self.db.execute(f"SELECT * FROM mail_sent {where} ORDER BY id", args)
        ]

    def record_fetched(self, mails: Iterable[FetchedMail]) -> None:
        """Record messages examined on the IMAP server, in one transaction (one already recorded is left as it is)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO mail_fetched (time, folder, uidvalidity, uid, message_id, received_at, sender, "
                "subject, outcome, note, units, content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(m.time, m.folder, m.uidvalidity, m.uid, m.message_id, m.received_at, m.sender, m.subject, m.outcome,
                  m.note, json.dumps(list(m.units), ensure_ascii=False), m.content_sha256) for m in mails],
            )

    def fetched_uids(self, folder: str, uidvalidity: int) -> set[int]:
        """The UIDs of a folder (in this UIDVALIDITY) already examined."""
        return {row[0] for row in self.db.execute(
            "SELECT uid FROM mail_fetched WHERE folder = ? AND uidvalidity = ?", (folder, uidvalidity))}

    def fetched_digests(self) -> dict[str, set[tuple[str, str]]]:
        """The messages already taken, Message-ID → {(sender, SHA-256 of its bytes)} (blank Message-IDs left out;
        the SHA-256 is blank for a message taken before it was recorded)."""
        taken: dict[str, set[tuple[str, str]]] = {}
        for message_id, sender, digest in self.db.execute(
                "SELECT message_id, sender, content_sha256 FROM mail_fetched WHERE message_id != '' "
                "AND outcome = 'ingested'"):
            taken.setdefault(message_id, set()).add((sender, digest))
        return taken

    def fetched_mail(self) -> list[FetchedMail]:
        """Every message examined on the IMAP server, oldest first."""
        return [
            FetchedMail(row["time"], row["folder"], row["uidvalidity"], row["uid"], row["message_id"],
                        row["received_at"], row["sender"], row["subject"], row["outcome"], row["note"],
                        tuple(json.loads(row["units"])), row["id"], row["content_sha256"])
            for row in self.db.execute("SELECT * FROM mail_fetched ORDER BY id")
        ]
