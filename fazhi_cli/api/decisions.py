"""The office's decisions: `fazhi accept`, `reject` and `dismiss` (a received file settled), `fazhi approve` and
`reopen` (the results frozen as 审定结果, or back to 初步结果), and `fazhi log` (every decision taken)."""

from __future__ import annotations

from pathlib import Path

from fazhi_cli.approval import Approval, LogEntry, approve_results, read_decision_log, reopen_results
from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.submissions import ACCEPT, DISMISS, REJECT
from fazhi_cli.ingest.settle import Settled, settle
from fazhi_cli.workspace import Workspace


def accept(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office verified a file (`fazhi accept ID --reason TEXT`), holding the lock: a held workbook becomes the
    submission of the unit its identity names, an earlier submission its unit's current one; recorded with the
    reason. Wrong use (unknown id, blank reason, a refused file, the same decision twice): UsageError.

    Example::

        done = api.accept(12, "已电话核实,系区司法局委托报送", Path("2017考核"))
        done.unit, done.current.original_name
    """
    return _settle(ACCEPT, file_id, reason, workspace)


def reject(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office rejects a file (`fazhi reject ID --reason TEXT`), holding the lock: a held workbook stays
    uncredited and stops blocking; a taken submission stops counting (its unit falls back to the one before).

    Example::

        api.reject(12, "区水利局误用了区司法局的表格", Path("2017考核")).current
    """
    return _settle(REJECT, file_id, reason, workspace)


def dismiss(file_id: int, reason: str, workspace: Path | None = None) -> Settled:
    """The office dismisses a refused file (`fazhi dismiss ID --reason TEXT`), holding the lock: it is no longer
    listed as outstanding by `validate`.

    Example::

        api.dismiss(7, "误导入的文件,与考核无关", Path("2017考核"))
    """
    return _settle(DISMISS, file_id, reason, workspace)


def _settle(action: str, file_id: int, reason: str, workspace: Path | None) -> Settled:
    found = Workspace.find(workspace)
    with found.lock():
        return settle(found, action, file_id, reason)


def approve(
    by: str, date: str, doc_no: str | None = None, accept_missing: bool = False, workspace: Path | None = None,
) -> Approval:
    """Record the district government's approval of the results (`fazhi approve`), holding the lock.

    Refused with `ApprovalRefused` (exit 1, each reason in `error.details`, nothing changed) while a unit has
    unresolved validation errors, a file is held or refused and not settled, or a unit never returned (unless
    `accept_missing`: they are approved as 未报送), and when the results are already approved. A `date` not
    written YYYY-MM-DD is a `UsageError`. On success the results and every input they used are frozen in a
    snapshot; every report is made from it until `reopen`.

    Example::

        done = api.approve("区人民政府", "2018-01-15", "昭府函〔2018〕3号", accept_missing=True,
                           workspace=Path("2017考核"))
        done.state.snapshot, done.missing
    """
    found = Workspace.find(workspace)
    with found.lock():
        return approve_results(found, by, date, doc_no, accept_missing)


def reopen(reason: str, workspace: Path | None = None) -> ResultsState:
    """Return approved results to 初步结果 (`fazhi reopen`), holding the lock; returns the approval reopened.

    The reason is required (`UsageError`); results not approved are an `ApprovalRefused`. The snapshot stays;
    the next approval makes a new one.

    Example::

        api.reopen("区政府要求复核区住建局得分", Path("2017考核")).date
    """
    found = Workspace.find(workspace)
    with found.lock():
        return reopen_results(found, reason)


def log(workspace: Path | None = None) -> list[LogEntry]:
    """Every decision the office took, in order (`fazhi log`): office values set and withdrawn, files accepted,
    rejected and dismissed, approvals and reopenings.

    Example::

        [(e.time, e.label, e.unit, e.ref, e.reason) for e in api.log(Path("2017考核"))]
    """
    return read_decision_log(Workspace.find(workspace))
