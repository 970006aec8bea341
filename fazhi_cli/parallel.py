"""Per-file work on both cores: `map_ordered` runs a function over items in worker processes, results in the
items' order, and serially where a pool is not worth its start-up (a district's 55 files) or not wanted.

`FAZHI_WORKERS` sets the number of processes (1: serial); by default the machine's cores, at most
`MAX_WORKERS`. The function must be importable at module level (it is sent to the workers by name).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

PARALLEL_FROM = 64  # fewer items than this are done in this process
MAX_WORKERS = 8

Item = TypeVar("Item")
Result = TypeVar("Result")


def workers() -> int:
    """How many processes per-file work may use: FAZHI_WORKERS when it is a positive number, else the cores
    (at most MAX_WORKERS)."""
    configured = os.environ.get("FAZHI_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def map_ordered(function: Callable[[Item], Result], items: Sequence[Item], *, chunksize: int = 8) -> list[Result]:
    """`[function(item) for item in items]`, computed in worker processes when there are enough items."""
    count = workers()
    if count == 1 or len(items) < PARALLEL_FROM:
        return [function(item) for item in items]
    with ProcessPoolExecutor(max_workers=min(count, len(items))) as pool:
        return list(pool.map(function, items, chunksize=chunksize))
