"""The killable worker pool: every payload gets one result, in completion order,
whatever a payload does to its worker (raise, hang, kill it)."""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

import detector
from detector.runner import Numbered, WorkerPool, WorkerSetupError, in_input_order, preloadable


@dataclass
class Toy:
    """Payloads are (kind, value): ok, sleep, raise, die, pid."""

    fail_setup: bool = False

    def setup(self) -> None:
        if self.fail_setup:
            raise RuntimeError("no model here")

    def run(self, payload: tuple[str, object]) -> tuple:
        kind, value = payload
        if kind == "sleep":
            time.sleep(float(value))  # type: ignore[arg-type]
        elif kind == "raise":
            raise ValueError(str(value))
        elif kind == "die":
            os._exit(3)
        return ("done", value, os.getpid())

    def failed(self, payload: tuple[str, object], reason: str) -> tuple:
        return ("failed", payload[1], reason)


def test_preload_leaves_out_a_package_the_working_directory_would_shadow(
    tmp_path, monkeypatch
) -> None:
    modules = ["detector.pipeline", "json"]
    monkeypatch.chdir(tmp_path)
    assert preloadable(modules) == modules
    monkeypatch.chdir(Path(detector.__file__).parent.parent)  # the package's own folder
    assert preloadable(modules) == modules
    monkeypatch.chdir(tmp_path)
    (tmp_path / "detector").mkdir()  # e.g. a clone of the project
    assert preloadable(modules) == ["json"]


def pool(jobs: int = 2, timeout: float | None = None, **task: bool) -> WorkerPool:
    return WorkerPool(Toy(**task), jobs=jobs, timeout=timeout)


def test_every_payload_gets_one_result_in_completion_order() -> None:
    payloads = [("sleep", 0.6), ("ok", "fast-1"), ("ok", "fast-2"), ("ok", "fast-3")]
    with pool(jobs=2) as workers:
        results = list(workers.imap_unordered(payloads))
    assert Counter(r[1] for r in results) == Counter([0.6, "fast-1", "fast-2", "fast-3"])
    assert results[-1][1] == 0.6  # the slow one finished last: results come as they finish
    assert {r[0] for r in results} == {"done"}


def test_numbered_results_are_put_back_in_input_order() -> None:
    payloads = [("sleep", 0.6), ("ok", 1), ("raise", "boom"), ("ok", 2)]
    with WorkerPool(Numbered(Toy()), jobs=2) as workers:
        results = list(in_input_order(workers.imap_unordered(enumerate(payloads))))
    assert [r[1] for r in results] == [0.6, 1, "boom", 2]
    assert results[2] == ("failed", "boom", "boom")  # the message, not the class name


def test_exception_becomes_a_failure_and_the_worker_goes_on() -> None:
    with pool(jobs=1) as workers:
        results = list(workers.imap_unordered([("ok", 1), ("raise", "boom"), ("ok", 2)]))
    assert results[1] == ("failed", "boom", "boom")  # the message, not the class name
    assert results[0][2] == results[2][2]  # same worker process before and after
    assert workers.stats.restarts == 0


def test_stuck_payload_is_killed_after_timeout_and_the_batch_goes_on() -> None:
    started = time.monotonic()
    with pool(jobs=2, timeout=0.5) as workers:
        results = list(
            workers.imap_unordered([("sleep", 60), ("ok", 1), ("ok", 2), ("sleep", 0.01)])
        )
        assert len(workers.pids()) == 2  # the killed worker was replaced
    assert time.monotonic() - started < 20
    by_value = {r[1]: r for r in results}
    assert by_value[60] == ("failed", 60, "timeout after 0.5s")
    assert by_value[1][0] == by_value[2][0] == by_value[0.01][0] == "done"
    assert workers.stats.timeouts == 1 and workers.stats.restarts == 1


def test_dead_worker_fails_its_payload_only() -> None:
    with pool(jobs=1) as workers:
        results = list(workers.imap_unordered([("ok", 1), ("die", "x"), ("ok", 2), ("ok", 3)]))
    assert results[1] == ("failed", "x", "worker died (exit code 3)")
    assert [r[1] for r in results if r[0] == "done"] == [1, 2, 3]


def test_setup_failure_raises_before_any_work() -> None:
    with (
        pytest.raises(WorkerSetupError, match="^no model here$"),
        pool(jobs=1, fail_setup=True) as workers,
    ):
        list(workers.imap_unordered([("ok", 1)]))


def test_input_is_pulled_lazily_with_bounded_payloads_in_flight() -> None:
    pulled = 0

    def payloads():
        nonlocal pulled
        for i in range(40):
            pulled += 1
            yield ("ok", i)

    jobs = 2
    with pool(jobs=jobs) as workers:
        for received, _ in enumerate(workers.imap_unordered(payloads()), start=1):
            # handed out = yielded + at most one in flight per worker + at most
            # one finished per worker waiting to be yielded
            assert pulled <= received + 2 * jobs
    assert pulled == 40


def test_close_kills_busy_workers_at_once() -> None:
    workers = pool(jobs=1).start()
    results = workers.imap_unordered([("ok", 1), ("sleep", 60)])
    assert next(results)[1] == 1
    processes = [w.process for w in workers._workers]
    started = time.monotonic()
    workers.close()
    assert time.monotonic() - started < 5
    assert not any(p.is_alive() for p in processes)


def test_pool_is_reusable_after_a_caller_stops_early() -> None:
    with pool(jobs=1) as workers:
        first = workers.imap_unordered([("ok", 1), ("sleep", 60), ("ok", 2)])
        assert next(first)[1] == 1
        first.close()  # stop while a payload is still running
        assert [r[1] for r in workers.imap_unordered([("ok", 3), ("ok", 4)])] == [3, 4]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        WorkerPool(Toy(), jobs=0)
    with pytest.raises(ValueError):
        WorkerPool(Toy(), jobs=1, timeout=0)
