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


def _process_id(_: int) -> int:
    import os

    return os.getpid()


def test_heavy_items_go_to_a_pool_from_a_lower_threshold(monkeypatch):
    import os

    monkeypatch.setenv("FAZHI_WORKERS", "2")
    eight = list(range(8))
    assert set(map_ordered(_process_id, eight, chunksize=1)) == {os.getpid()}  # under the default threshold
    assert os.getpid() not in map_ordered(_process_id, eight, chunksize=1, parallel_from=8)
    assert map_ordered(_square, eight, chunksize=1, parallel_from=8) == [n * n for n in eight]
    assert map_ordered(_process_id, [1], parallel_from=0) == [os.getpid()]  # one item is never worth a pool
