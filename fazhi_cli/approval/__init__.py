"""初步结果 → 审定: the campaign's results state, the approval that freezes a snapshot of the results and every
input they used (`snapshot`), reopening, the results in force for every report (`state`), and the log of the
office's decisions (`log`)."""

from fazhi_cli.approval.decide import Approval, ApprovalRefused, approval_blockers, approve_results, reopen_results
from fazhi_cli.approval.log import ACTION_LABELS, LogEntry, decision_log, log_json, read_decision_log
from fazhi_cli.approval.snapshot import SnapshotInputs, freeze, thaw
from fazhi_cli.approval.state import current_state, frozen_scoreboard, read_state, results_in_force, verified_state

__all__ = [
    "ACTION_LABELS", "Approval", "ApprovalRefused", "LogEntry", "SnapshotInputs", "approval_blockers",
    "approve_results", "current_state", "decision_log", "freeze", "frozen_scoreboard", "log_json", "read_decision_log",
    "read_state", "reopen_results", "results_in_force", "thaw", "verified_state",
]  # fmt: skip
