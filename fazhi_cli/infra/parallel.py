"""Work on every core: a process pool whose results come back in the order of the input (`map_ordered`, or
`start_ordered` to do something else meanwhile), and one piece of work in a forked copy (`start_beside`).

Small batches run in this process (light items from 64, heavy ones from a handful: a pool's start and the
items' pickling cost more than a few light items take), and so does everything when `FAZHI_WORKERS=1`. The
pool's function and items must be picklable: a module-level function, plain data.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

PARALLEL_FROM = 64  # fewer items than this run serially
MAX_WORKERS = 8
WORKERS_VARIABLE = "FAZHI_WORKERS"

Item = TypeVar("Item")
Result = TypeVar("Result")


def workers() -> int:
    """How many processes per-file work may use: `FAZHI_WORKERS` when set to a positive number (1 = serial),
    else the machine's cores, at most `MAX_WORKERS`."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def map_ordered(function: Callable[[Item], Result], items: Sequence[Item], chunksize: int = 8,
                parallel_from: int = PARALLEL_FROM) -> list[Result]:
    """`[function(item) for item in items]`, spread over `workers()` processes when there are at least
    `parallel_from` items (fewer for heavy items: a pool starts in a fraction of a second); the results are in
    the order of `items` either way."""
    return start_ordered(function, items, chunksize, parallel_from).results()


class Ordered:
    """`map_ordered`'s results, still being made by a pool (see `start_ordered`)."""

    def __init__(self, pool: ProcessPoolExecutor | None, made: Iterator) -> None:
        self._pool = pool
        self._made = made

    def results(self) -> list:
        """Wait for every result, in the order of the items; the first exception raised is raised here. The pool
        is shut down either way."""
        try:
            return list(self._made)
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)


def start_ordered(function: Callable[[Item], Result], items: Sequence[Item], chunksize: int = 8,
                  parallel_from: int = PARALLEL_FROM) -> Ordered:
    """`map_ordered`, returning as soon as the work is handed to the pool, so that this process can do something
    else meanwhile; `results()` waits for it. Below `parallel_from` items the work is done here and now."""
    items = list(items)
    count = workers()
    if count == 1 or len(items) < max(parallel_from, 2):
        return Ordered(None, iter([function(item) for item in items]))
    pool = ProcessPoolExecutor(max_workers=min(count, len(items)))
    try:
        return Ordered(pool, pool.map(function, items, chunksize=chunksize))
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise


class Beside:
    """Work running in a forked copy of this process (see `start_beside`)."""

    def __init__(self, process) -> None:
        self._process = process

    def succeeded(self) -> bool:
        """Wait for the work to end; True when it ended without an exception."""
        self._process.join()
        return self._process.exitcode == 0


def start_beside(work: Callable[[], object]) -> Beside | None:
    """Start `work()` in a forked copy of this process, so that it runs on another core beside what this process
    does next (nothing is pickled: the copy has all this process's data as it is now). None when it cannot
    (one worker, or no fork on this system): the caller then does the work itself.

    The copy says nothing: an exception ends it with a failure, never a traceback; a caller whose work failed
    does it again in its own process, where the error is raised and reported as it always was.
    """
    if workers() == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    process = multiprocessing.get_context("fork").Process(target=_run_silently, args=(work,))
    process.start()
    return Beside(process)


def _run_silently(work: Callable[[], object]) -> None:
    try:
        work()
    except BaseException:
        os._exit(1)  # not multiprocessing's exit: that would print the traceback
    os._exit(0)
