"""`fazhi_cli.parallel`: per-file work on every core, results in the order of the input."""

from __future__ import annotations

from fazhi_cli.parallel import MAX_WORKERS, PARALLEL_FROM, map_ordered, workers


def _square(number: int) -> int:
    return number * number


def test_workers_honour_fazhi_workers_and_are_capped(monkeypatch):
    monkeypatch.setenv("FAZHI_WORKERS", "3")
    assert workers() == 3
    for unset in ("", "0", "many"):
        monkeypatch.setenv("FAZHI_WORKERS", unset)
        assert 1 <= workers() <= MAX_WORKERS


def test_map_ordered_gives_the_results_in_order_serial_or_on_a_pool(monkeypatch):
    few, many = list(range(PARALLEL_FROM - 1)), list(range(PARALLEL_FROM * 3, 0, -1))
    for count in ("1", "2"):
        monkeypatch.setenv("FAZHI_WORKERS", count)
        assert map_ordered(_square, few) == [n * n for n in few]
        assert map_ordered(_square, many, chunksize=5) == [n * n for n in many]
    assert map_ordered(_square, []) == []
