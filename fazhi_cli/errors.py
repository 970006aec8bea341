"""The errors fazhi raises on purpose: each carries a Chinese message and a hint for the user.

The CLI turns these (and only these) into a message and an exit code; anything else is a bug and
keeps its traceback.
"""


class FazhiError(Exception):
    """A problem the user can fix: `message` says what is wrong, `hint` what to do (both in Chinese)."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "", details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details or [])


class UsageError(FazhiError):
    """Wrong arguments or an unusable workspace (exit code 2)."""

    exit_code = 2


class WorkspaceError(UsageError):
    """No workspace here, or the workspace is unusable."""


class RubricInvalid(UsageError):
    """A rubric file that cannot be used; `details` lists every inconsistency."""


class RosterInvalid(UsageError):
    """A roster file that cannot be used; `details` names every bad row."""


class SnapshotInvalid(UsageError):
    """The approved results' snapshot cannot be used (edited by hand, or not rebuilt the same): no report from it."""
