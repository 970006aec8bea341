"""Returned workbooks checked and read ahead in worker processes while the batch takes the earlier files, in order.

Checking a workbook against the limits (`workbook_problem`) and reading it in its format (`read_return_data`) are
pure (bytes in, a refusal, or a `ReadWorkbook` or an exception out), so they can run anywhere and early; keeping,
deciding and recording stay in the batch's process, file by file in the order given, exactly as without workers.
A batch with fewer than `PARALLEL_FROM` workbooks (a district's) starts no pool: each workbook is checked as its
group is reached, and read when taken.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace

from fazhi_cli.domain.limits import Limits
from fazhi_cli.domain.refusals import Refusal
from fazhi_cli.infra.debug import debug_enabled
from fazhi_cli.infra.parallel import PARALLEL_FROM, workers
from fazhi_cli.intake import WORKBOOK_KINDS, Incoming, check_workbook, workbook_problem
from fazhi_cli.receiving.batch import Batch
from fazhi_cli.workbook.formats import read_return_data
from fazhi_cli.workbook.reader import ReadWorkbook

AHEAD = 64  # workbooks submitted beyond the one being taken: the workers never wait for the batch


def read_return(data: bytes) -> ReadWorkbook | Exception:
    """A returned workbook read (in a worker process): what it holds, or what reading it raised."""
    try:
        return read_return_data(data)
    except Exception as error:  # noqa: BLE001 - raised again where the workbook is taken, as if read there
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001 - an exception that cannot cross to the batch's process
            return RuntimeError(repr(error))
        return error


def check_and_read(data: bytes, name: str, limits: Limits) -> tuple[Refusal | None, ReadWorkbook | Exception | None]:
    """A returned workbook checked (in a worker process) and, when nothing is wrong with its zip, read."""
    refused = workbook_problem(data, name, limits)
    return refused, None if refused is not None else read_return(data)


def read_taken(batch: Batch, item: Incoming) -> ReadWorkbook:
    """The item's workbook: as read ahead by a worker (its exception raised here), else read now."""
    result = batch.read_ahead.pop(id(item), None)
    if result is None:
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
    """The groups, in order, their workbooks checked and read by a pool of workers `AHEAD` files before the
    batch takes them; serial (each checked when its group is reached, read when taken) with one worker, under
    --debug (for the traceback), or when the whole batch has fewer than `PARALLEL_FROM` workbooks."""
    if workers() == 1 or debug_enabled():
        yield from map(_checked_here, groups)
        return
    first: list[list[Incoming]] = []
    count = 0
    for group in groups:
        first.append(group)
        count += len(_workbooks(group))
        if count >= PARALLEL_FROM:
            break
    else:
        yield from map(_checked_here, first)
        return
    pool = ProcessPoolExecutor(max_workers=workers())
    try:
        yield from _pipelined(batch, pool, first, groups)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _checked_here(group: list[Incoming]) -> list[Incoming]:
    return [check_workbook(item) for item in group]


def _pipelined(batch: Batch, pool: ProcessPoolExecutor, first: list[list[Incoming]],
               groups: Iterator[list[Incoming]]) -> Iterator[list[Incoming]]:
    pending: deque[tuple[list[Incoming], dict[int, Future], int]] = deque()
    in_flight = 0
    for group in _chain(first, groups):
        futures = {id(item): _submit(pool, item) for item in _workbooks(group)}
        pending.append((group, futures, len(futures)))
        in_flight += len(futures)
        while pending and in_flight - pending[0][2] >= AHEAD:
            done, done_futures, submitted = pending.popleft()
            in_flight -= submitted
            yield _settled(batch, done, done_futures)
    while pending:
        done, done_futures, _ = pending.popleft()
        yield _settled(batch, done, done_futures)


def _submit(pool: ProcessPoolExecutor, item: Incoming) -> Future:
    if item.workbook_check is None:
        return pool.submit(read_return, item.data)
    return pool.submit(check_and_read, item.data, *item.workbook_check)


def _settled(batch: Batch, group: list[Incoming], futures: dict[int, Future]) -> list[Incoming]:
    """The group with each workbook's check attached and its reading kept for `read_taken`, as the workers
    did them (or done here, the same, when the pool itself failed: a worker killed)."""
    settled = []
    for item in group:
        future = futures.get(id(item))
        if future is None:
            settled.append(check_workbook(item))
            continue
        try:
            result = future.result()
        except Exception:  # noqa: BLE001 - the pool itself failed: check (and later read) it here instead
            settled.append(check_workbook(item))
            continue
        refused, read = result if item.workbook_check is not None else (None, result)
        taken = check_workbook(item, refused) if refused is not None else _unchecked_ok(item)
        if read is not None:
            batch.read_ahead[id(taken)] = read
        settled.append(taken)
    return settled


def _unchecked_ok(item: Incoming) -> Incoming:
    """An item whose check, done by a worker, found nothing wrong."""
    return item if item.workbook_check is None else replace(item, workbook_check=None)


def _chain(first: list[list[Incoming]], rest: Iterator[list[Incoming]]) -> Iterator[list[Incoming]]:
    yield from first
    yield from rest
