"""The edge of `fazhi ingest`: turn the paths a clerk hands in into a flat stream of incoming files.

Folders are walked, e-mails (.eml), mailboxes (mbox) and zip archives are unpacked, and every file is
classified by its bytes (`sniff`). Nothing here parses a workbook, touches the store or writes a file, and
nothing raises for a bad input file: each problem becomes the `refusal` of an `Incoming`, a stable code with
a Chinese message that names the file and says what the unit should do (`fazhi_cli.domain.refusals`); what
is passed over unread (fazhi's own folders, symbolic links found in a folder, pipes and devices) comes with
the reason in `skipped`.

A unit may be an adversary: every size and count is bounded by `Limits` before anything is inflated or
parsed, and a refusal for a limit names it. Names that come from outside (file, attachment and zip entry
names) are display text only, passed through `printable`: they are never used as paths.

The parts, each importing only those listed before it:

- `names`: names from outside as display text, and the names skipped everywhere;
- `incoming`: the `Incoming` record, where an item sits (`Context`), the unpacking `Budget`, limit wording;
- `zip_directory`: a zip judged by its central directory (entry names, zip bomb checks), nothing inflated;
- `sniffing`: a file's kind by its bytes (`sniff`, `KINDS`), and the refusal for a kind (`refusal_for_kind`);
- `workbooks`: whether a returned workbook is safe to read (`workbook_problem`: `xlsx_problem`, `ods_problem`);
- `archives`, `mail`: unpacking zips, and e-mails and mailboxes, each member handed to the `expand` passed in;
- `expand`: one file's bytes unpacked or classified, handing itself to `archives` and `mail` (the recursion);
- `folders`: `collect`, the paths handed in walked and read.

Other modules use the package: the names below.
"""

from fazhi_cli.intake.expand import check_workbook
from fazhi_cli.intake.folders import collect, collect_message
from fazhi_cli.intake.incoming import DEFAULT_LIMITS, MAX_NESTING, Incoming
from fazhi_cli.intake.mail import MessageSummary, summarise_message
from fazhi_cli.intake.sniffing import (
    _KIND_REFUSALS as _KIND_REFUSALS,  # not public: tests check that the codes of refusal_for_kind are in the table
)
from fazhi_cli.intake.sniffing import CONTAINER_KINDS, KINDS, WORKBOOK_KINDS, refusal_for_kind, sniff
from fazhi_cli.intake.workbooks import ods_problem, workbook_problem, xlsx_problem

__all__ = [
    "CONTAINER_KINDS",
    "DEFAULT_LIMITS",
    "KINDS",
    "MAX_NESTING",
    "Incoming",
    "WORKBOOK_KINDS",
    "MessageSummary",
    "check_workbook",
    "collect",
    "collect_message",
    "ods_problem",
    "refusal_for_kind",
    "sniff",
    "summarise_message",
    "workbook_problem",
    "xlsx_problem",
]
