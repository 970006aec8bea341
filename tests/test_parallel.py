"""`fazhi_cli.infra.parallel`: per-file work on every core, results in the order of the input."""

from __future__ import annotations

import os

import pytest

from fazhi_cli.infra.parallel import MAX_WORKERS, PARALLEL_FROM, map_ordered, start_beside, start_ordered, workers


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


def _fails_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


def test_start_ordered_returns_at_once_and_its_results_raise_a_workers_error(monkeypatch):
    monkeypatch.setenv("FAZHI_WORKERS", "2")
    started = start_ordered(_square, list(range(20)), chunksize=1, parallel_from=8)
    assert started.results() == [n * n for n in range(20)]
    failing = start_ordered(_fails_on_three, list(range(20)), chunksize=1, parallel_from=8)
    with pytest.raises(ValueError, match="three"):
        failing.results()


def test_work_beside_runs_in_a_forked_copy_and_fails_without_a_word(monkeypatch, tmp_path, capfd):
    monkeypatch.setenv("FAZHI_WORKERS", "2")
    made = tmp_path / "made.txt"
    here = os.getpid()
    beside = start_beside(lambda: made.write_text(str(os.getpid()), "utf-8"))
    assert beside is not None and beside.succeeded()
    assert int(made.read_text("utf-8")) != here  # written by the copy, not by this process
    failing = start_beside(lambda: 1 / 0)
    assert failing is not None and not failing.succeeded()
    assert "Traceback" not in capfd.readouterr().err
    monkeypatch.setenv("FAZHI_WORKERS", "1")
    assert start_beside(lambda: None) is None  # one worker: the caller does the work itself
