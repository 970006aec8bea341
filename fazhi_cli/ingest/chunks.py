"""Committing a batch a chunk of files at a time: each file is still decided and reported on its own, and a
file's writes that fail are undone alone (a savepoint, `Store.transaction`), but the wait on the disk (the
archive's flushes and the store's commit) comes once per chunk instead of once per file.

Order of a chunk's end: its archived files are flushed and renamed, then its rows committed. A kill at any
moment leaves at worst archived files without rows, which a rerun takes (the same bytes are recognised).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fazhi_cli.ingest.archive import flush_kept
from fazhi_cli.receiving.batch import Batch

CHUNK_FILES = 64  # files decided before their rows are committed
CHUNK_SECONDS = 0.5  # or the time after which a chunk is committed however few files it has


class Chunks:
    """The batch's open chunk: `due` commits it when it is full or old enough, `commit` at once."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self._begin()

    def _begin(self) -> None:
        self.batch.store.begin()
        self.started = time.monotonic()
        self.first = len(self.batch.report.files)

    def due(self) -> None:
        """Commit the chunk (and open the next) when it holds `CHUNK_FILES` files or is `CHUNK_SECONDS` old."""
        full = len(self.batch.report.files) - self.first >= CHUNK_FILES
        if full or time.monotonic() - self.started >= CHUNK_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Commit the chunk now (its files flushed first) and open the next."""
        self.end()
        self._begin()

    def end(self) -> None:
        """Flush the chunk's archived files, then commit its rows (rolled back if the flush fails)."""
        try:
            flush_kept(self.batch)
        except BaseException:
            self.batch.store.rollback()
            raise
        self.batch.store.commit()


@contextmanager
def chunked(batch: Batch) -> Iterator[Chunks]:
    """The batch's chunks: on leaving, the last one committed; on an exception, what was decided before it is
    committed all the same (as when each file was committed apart), then the exception goes on."""
    chunks = Chunks(batch)
    try:
        yield chunks
    except BaseException:
        with contextlib.suppress(Exception):
            chunks.end()
        batch.store.rollback()
        raise
    chunks.end()
