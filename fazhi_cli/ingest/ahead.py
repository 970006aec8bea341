"""Returned workbooks read ahead in worker processes while the batch takes the earlier files, in order.

Reading a workbook is pure (bytes in, `ReadWorkbook` or an exception out), so it can run anywhere and early;
keeping, deciding and recording stay in the batch's process, file by file in the order given, exactly as
without workers. A batch with fewer than `PARALLEL_FROM` workbooks (a district's) starts no pool.
"""

from __future__ import annotations

import io
import pickle
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from fazhi_cli.batch import Batch
from fazhi_cli.debug import debug_enabled
from fazhi_cli.intake import Incoming
from fazhi_cli.parallel import PARALLEL_FROM, workers
from fazhi_cli.workbook.reader import ReadWorkbook, read_workbook

WORKBOOK_KINDS = ("xlsx", "xlsm")
AHEAD = 64  # workbooks submitted beyond the one being taken: the workers never wait for the batch


def read_return(data: bytes) -> ReadWorkbook | Exception:
    """A returned workbook read (in a worker process): what it holds, or what reading it raised."""
    try:
        return read_workbook(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - raised again where the workbook is taken, as if read there
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001 - an exception that cannot cross to the batch's process
            return RuntimeError(repr(error))
        return error


def read_taken(batch: Batch, item: Incoming) -> ReadWorkbook:
    """The item's workbook: as read ahead by a worker (its exception raised here), else read now."""
    future: Future | None = batch.read_ahead.pop(id(item), None)
    try:
        result = read_return(item.data) if future is None else future.result()
    except Exception:  # noqa: BLE001 - the pool itself failed (a worker killed): read it here instead
        result = read_return(item.data)
    if isinstance(result, Exception):
        raise result
    return result


def is_workbook(item: Incoming) -> bool:
    """True for a file taken as a workbook (not a container, nothing wrong with it found so far)."""
    return not item.is_container and item.problem is None and item.kind in WORKBOOK_KINDS


def _workbooks(group: list[Incoming]) -> list[Incoming]:
    return [item for item in group if item.skipped is None and is_workbook(item)]


def read_ahead(batch: Batch, groups: Iterator[list[Incoming]]) -> Iterator[list[Incoming]]:
    """The groups, in order, their workbooks read by a pool of workers `AHEAD` files before the batch takes
    them; serial (each read when taken) with one worker, under --debug (for the traceback), or when the whole
    batch has fewer than `PARALLEL_FROM` workbooks."""
    if workers() == 1 or debug_enabled():
        yield from groups
        return
    first: list[list[Incoming]] = []
    count = 0
    for group in groups:
        first.append(group)
        count += len(_workbooks(group))
        if count >= PARALLEL_FROM:
            break
    else:
        yield from first
        return
    pool = ProcessPoolExecutor(max_workers=workers())
    try:
        yield from _pipelined(batch, pool, first, groups)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pipelined(batch: Batch, pool: ProcessPoolExecutor, first: list[list[Incoming]],
               groups: Iterator[list[Incoming]]) -> Iterator[list[Incoming]]:
    pending: deque[tuple[list[Incoming], int]] = deque()
    in_flight = 0
    for group in _chain(first, groups):
        workbooks = _workbooks(group)
        for item in workbooks:
            batch.read_ahead[id(item)] = pool.submit(read_return, item.data)
        pending.append((group, len(workbooks)))
        in_flight += len(workbooks)
        while pending and in_flight - pending[0][1] >= AHEAD:
            done, submitted = pending.popleft()
            in_flight -= submitted
            yield done
    while pending:
        yield pending.popleft()[0]


def _chain(first: list[list[Incoming]], rest: Iterator[list[Incoming]]) -> Iterator[list[Incoming]]:
    yield from first
    yield from rest
