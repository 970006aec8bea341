"""`fazhi fetch` over a large office mailbox: N messages put straight into the maildir of Debian's dovecot on
loopback (as the tests run it), then two fetches through the CLI, each timed with its peak memory (the fetch
process's own maximum resident set size).

    python bench/fetch_mailbox.py                    # 10,000 messages
    python bench/fetch_mailbox.py --messages 2000 --fazhi /path/to/another/fazhi

The mailbox is mostly the office's other mail: plain notices (passed over by their headers), one in ten a
newsletter with a PDF from an unknown address (downloaded, then passed over), and one reply from each unit of the
sample roster with its blank workbook. The second fetch finds every message examined already.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from mail_servers import PASSWORD, Dovecot, mail_settings, make_certificates  # noqa: E402

CHINA = dt.timezone(dt.timedelta(hours=8))
OFFICE = "fazhiban@example.invalid"
NOW = "2017-12-13T09:00:00+08:00"


def message(number: int, sender: str, subject: str, attachment: tuple[str, bytes] | None) -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, OFFICE, subject
    mail["Date"] = format_datetime(dt.datetime(2017, 12, 1, 8, tzinfo=CHINA) + dt.timedelta(minutes=number))
    mail["Message-ID"] = f"<bench-{number}@example.invalid>"
    mail.set_content(f"第 {number} 封。" * 20)
    if attachment is not None:
        mail.add_attachment(attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0])
    return bytes(mail)


def mailbox(count: int, outbox: Path) -> list[tuple[bytes, dt.datetime]]:
    """The office's mail: notices, newsletters with a PDF, and each unit's reply with its workbook."""
    replies = sorted(outbox.glob("*.xlsx"))
    pdf = b"%PDF-1.4\n" + os.urandom(40_000) + b"\n%%EOF\n"
    start = dt.datetime(2017, 12, 1, 8, tzinfo=CHINA)
    found = []
    for number in range(count):
        arrived = start + dt.timedelta(seconds=30 * number)
        if number % 97 == 5 and replies:
            book = replies.pop()
            unit = book.stem.rsplit("_", 1)[-1]
            found.append((message(number, f"unit{len(replies) + 1:02d}@example.invalid", f"{unit}自评表",
                                  (book.name, book.read_bytes())), arrived))
        elif number % 10 == 3:
            found.append((message(number, f"news{number}@example.invalid", f"政务简报 {number}",
                                  ("简报.pdf", pdf)), arrived))
        else:
            found.append((message(number, f"list{number}@example.invalid", f"通知 {number}", None), arrived))
    return found


def measured(command: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """Exit code, seconds, peak resident MB and the last line on stderr of one run."""
    start = time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        err.seek(0)
        last = (err.read().strip().splitlines() or [""])[-1]
    return os.waitstatus_to_exitcode(status), time.monotonic() - start, usage.ru_maxrss / 1024, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--fazhi", default=str(Path(sys.executable).with_name("fazhi")))
    parser.add_argument("--profile", help="write a cProfile of the first fetch to this file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fazhi-fetch-bench-"))
    root = folder / "campaign"
    env = dict(os.environ, FAZHI_NOW=NOW, FAZHI_MAIL_PASSWORD=PASSWORD)
    subprocess.run([args.fazhi, "init", str(root)], env=env, check=True, capture_output=True)
    subprocess.run([args.fazhi, "generate", "-w", str(root)], env=env, check=True, capture_output=True)
    certs = make_certificates(folder / "certs")
    with Dovecot(folder, certs) as server:
        start = time.monotonic()
        put = server.put_in_maildir(mailbox(args.messages, root / "outbox"))
        print(f"{put} messages put into the maildir in {time.monotonic() - start:.1f} s")
        mail_settings(root, **{"from": OFFICE, "smtp_host": "127.0.0.1", "smtp_security": "none",
                               "imap_host": "127.0.0.1", "imap_port": server.ssl_port, "imap_security": "ssl",
                               "user": server.user, "ca_file": str(certs.ca_file), "timeout": 60})
        for run in ("first fetch", "second fetch"):
            command = [args.fazhi, "fetch", "-w", str(root)]
            if args.profile and run == "first fetch":
                command = [str(Path(args.fazhi).with_name("python")), "-m", "cProfile", "-o", args.profile,
                           "-m", "fazhi_cli", *command[1:]]
            code, seconds, peak, last = measured(command, env)
            print(f"{run}: exit {code}, {seconds:.1f} s, peak {peak:.0f} MB  ({last[:100]})")


if __name__ == "__main__":
    main()
