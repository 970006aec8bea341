"""Which results the official documents state: the seam to the office's approval (审定).

`results_state` is the one place the documents learn whether the results are approved; until the approval
is recorded in the store it reports preliminary results (初步结果).
"""

from __future__ import annotations

from fazhi_cli.domain.results_state import ResultsState
from fazhi_cli.workspace import Workspace


def results_state(workspace: Workspace) -> ResultsState:
    """The workspace's results state: preliminary until `fazhi approve` records an approval."""
    del workspace  # the approval's state is read from the store once `fazhi approve` exists
    return ResultsState.preliminary()
