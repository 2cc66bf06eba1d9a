"""Run the pipeline over a stream of inputs in worker processes that can be killed.

``WorkerPool`` keeps ``jobs`` worker processes, each of which sets its task up
once (loads the models) and then handles one payload at a time. The parent
feeds workers lazily from the input iterator, so at most ``jobs`` payloads are
in flight and memory stays flat on any input size, and it yields results in
completion order (``process_parallel`` puts documents back in input order). A
worker that runs past ``timeout`` seconds on one payload is killed and
replaced, and that payload's result is the task's failure record ("timeout
after 30s"); a worker that dies (a crash, the OOM killer) gets the same
treatment ("worker died (exit code -9)"). A batch never dies on one document.

Why not joblib for the pool: ``joblib.Parallel(timeout=...)`` raises
``TimeoutError`` for the whole call when any task overruns and tears the whole
executor down; joblib has no way to kill one stuck task (trafilatura has no
time limit of its own, so a hostile page can run for minutes) and go on with
the rest. A pool of plain ``multiprocessing`` processes, one pipe each, lets
the parent know which document each worker holds and since when, and kill
exactly that worker. joblib still gives the default number of jobs
(``joblib.cpu_count``: it honours CPU affinity and container CPU quotas, which
``os.cpu_count`` ignores). Each worker limits its native thread pools (OpenMP
in the gradient-boosted trees) to one thread, as joblib's own workers limit
theirs to their share of the cores: the parallelism is across documents, and
one document's predictions are a few dozen rows, where OpenMP's thread
start-up costs more than it saves (measured: 3x slower per document with two
threads than with one).

Workers are started with ``forkserver`` where it exists (``spawn`` elsewhere):
the parent may hold threads (a progress bar's monitor), which ``fork`` would
copy in an unknown state; the fork server is a clean single-threaded process
with the heavy modules preloaded, so starting or replacing a worker is quick.
The fork server imports them with the working directory first on its
``sys.path`` (see ``preloadable``): where that directory holds another
``detector``, nothing is preloaded and each worker imports the package the
parent runs.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from detector.document import Document, error_message
from detector.inputs.sources import InputItem
from detector.pipeline import Options

P = TypeVar("P")
R = TypeVar("R")
P_contra = TypeVar("P_contra", contravariant=True)

PRELOAD = ("detector.pipeline", "detector.filler", "detector.runner")
"""Modules the fork server imports once, so that workers start warm."""


class Task(Protocol[P_contra, R]):
    """What a pool runs: picklable, set up once per worker, then called per payload."""

    def setup(self) -> None:
        """Prepare the worker (load models). Runs in the worker, once."""

    def run(self, payload: P_contra) -> R:
        """Handle one payload. Runs in the worker; an exception becomes ``failed``."""

    def failed(self, payload: P_contra, reason: str) -> R:
        """The result for a payload that could not be handled. Runs in the parent."""


class WorkerSetupError(RuntimeError):
    """A worker could not set its task up (a model file missing or failing its checks)."""


def default_jobs() -> int:
    """All usable cores (CPU affinity and container quotas included)."""
    from joblib import cpu_count

    return max(1, cpu_count())


def _default_start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


def preloadable(modules: Sequence[str]) -> list[str]:
    """The ``modules`` that a fork server started in the working directory
    imports from the same place as this process.

    The fork server runs as ``python -c ...``, so the working directory comes
    first on its ``sys.path``, whatever this process's path (CPython ignores
    the path it is handed before 3.12.8 and 3.13.1: python/cpython#117378).
    Started in the folder that holds a clone, it finds the clone's
    ``detector/`` folder before an editable install's finder (as a namespace
    package, without the models) and preloads that; workers forked from it keep
    it, though they take this process's ``sys.path`` before they import
    anything else. A module whose top package has a namespace in the working
    directory other than its own is therefore left out: each worker imports
    it, from the right place, at its start (about 0.5 s more a worker).
    """
    cwd = Path.cwd()
    kept = []
    for module in modules:
        top = module.partition(".")[0]
        package = importlib.import_module(top)
        ours = {Path(p).resolve() for p in getattr(package, "__path__", [])}
        if package.__file__:
            ours.add(Path(package.__file__).resolve())
        rivals = [cwd / top, cwd / f"{top}.py"]
        if not any(path.exists() and path.resolve() not in ours for path in rivals):
            kept.append(module)
    return kept


def _worker_main(task: Task[Any, Any], conn: Connection, threads: int) -> None:
    """A worker's life: set up, say ready, then answer payloads until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    try:
        _limit_threads(threads)
        task.setup()
    except BaseException as exc:  # report any failure, then exit
        conn.send(("setup_error", error_message(exc)))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if message is None:
            return
        seq, payload = message
        started = time.perf_counter()
        try:
            reply: tuple[Any, ...] = ("ok", seq, task.run(payload))
        except Exception as exc:  # one bad payload never stops the worker
            reply = ("error", seq, error_message(exc))
        elapsed = time.perf_counter() - started
        try:
            conn.send((*reply, elapsed))
        except (EOFError, OSError):
            return
        except Exception as exc:  # the result would not pickle
            conn.send(("error", seq, f"unsendable result: {error_message(exc)}", elapsed))


def _limit_threads(threads: int) -> None:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return
    threadpool_limits(limits=threads)


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    seq: int | None = None
    payload: Any = None
    started: float = 0.0

    @property
    def busy(self) -> bool:
        return self.seq is not None


@dataclass
class PoolStats:
    """What a pool has done so far."""

    done: int = 0
    failed: int = 0
    timeouts: int = 0
    restarts: int = 0
    busy_seconds: float = 0.0


class WorkerPool(Generic[P, R]):
    """``jobs`` killable worker processes running ``task`` on a stream of payloads.

    >>> with WorkerPool(task, jobs=2, timeout=30) as pool:   # doctest: +SKIP
    ...     for result in pool.imap_unordered(payloads):
    ...         ...

    ``start`` (also done by ``with``) launches the workers and waits until each
    has set up, raising ``WorkerSetupError`` if one could not; time spent there
    is not spent on any payload. ``imap_unordered`` yields one result per
    payload, in completion order: ``task.run``'s answer, or
    ``task.failed(payload, reason)`` for an exception, a timeout or a dead
    worker. The next payload is sent to a free worker before a result is
    yielded, so the workers keep going while the caller handles it.
    """

    def __init__(
        self,
        task: Task[P, R],
        *,
        jobs: int | None = None,
        timeout: float | None = None,
        start_method: str | None = None,
        preload: Sequence[str] = PRELOAD,
    ) -> None:
        if jobs is not None and jobs < 1:
            raise ValueError("jobs must be at least 1")
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive")
        self.task = task
        self.jobs = jobs or default_jobs()
        self.timeout = timeout
        self.stats = PoolStats()
        self._ctx = multiprocessing.get_context(start_method or _default_start_method())
        if self._ctx.get_start_method() == "forkserver":
            self._ctx.set_forkserver_preload(preloadable(preload))
        self._threads = 1
        self._workers: list[_Worker] = []
        self._seq = 0

    def __enter__(self) -> WorkerPool[P, R]:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> WorkerPool[P, R]:
        """Launch the workers and wait until every one is ready."""
        if self._workers:
            return self
        try:
            for _ in range(self.jobs):
                self._workers.append(self._spawn())
            for worker in self._workers:
                self._await_ready(worker)
        except BaseException:
            self.close()
            raise
        return self

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def imap_unordered(self, payloads: Iterable[P]) -> Iterator[R]:
        """One result per payload, as workers finish them.

        A caller that stops early leaves no work behind: workers still busy
        with its payloads are replaced, so the pool can be used again.
        """
        self.start()
        pending = iter(payloads)
        exhausted = False
        try:
            while True:
                exhausted = self._feed(pending, exhausted)
                busy = [w for w in self._workers if w.busy]
                if not busy and exhausted:
                    return
                finished = self._collect(self._wait_time(busy))
                exhausted = self._feed(pending, exhausted)
                yield from finished
        finally:
            for index, worker in enumerate(list(self._workers)):
                if worker.busy:
                    self._retire(index, worker)

    def close(self) -> None:
        """Stop every worker: an idle one politely, then by force; one that is
        busy or still setting up (a replacement) at once."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if worker.ready and not worker.busy:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        deadline = time.monotonic() + 2.0
        for worker in workers:
            if worker.busy or not worker.ready:
                worker.process.kill()
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()

    # -- internals -------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            args=(self.task, child_end, self._threads),
            name="detector-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _await_ready(self, worker: _Worker) -> None:
        while not worker.ready:
            ready = wait([worker.conn, worker.process.sentinel])
            if worker.conn in ready or worker.conn.poll():
                self._on_setup_message(worker)
            elif ready:
                raise WorkerSetupError(f"worker exited during setup ({_exit(worker)})")

    def _on_setup_message(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            worker.process.join(1.0)
            raise WorkerSetupError(f"worker exited during setup ({_exit(worker)})") from exc
        if message[0] == "setup_error":
            raise WorkerSetupError(message[1])
        worker.ready = True

    def _feed(self, pending: Iterator[P], exhausted: bool) -> bool:
        """Give every idle ready worker a payload; whether the input is used up."""
        for worker in self._workers:
            if exhausted:
                break
            if worker.ready and not worker.busy:
                if not worker.process.is_alive():  # died idle: replace, no payload lost
                    worker.process.join(1.0)
                    worker.conn.close()
                    self._workers[self._workers.index(worker)] = self._spawn()
                    self.stats.restarts += 1
                    continue
                try:
                    payload = next(pending)
                except StopIteration:
                    return True
                self._seq += 1
                worker.seq, worker.payload = self._seq, payload
                worker.started = time.monotonic()
                # a worker that died meanwhile: its sentinel reports it next round
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send((self._seq, payload))
        return exhausted

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if self.timeout is None or not busy:
            return None
        first = min(w.started for w in busy)
        return max(0.0, first + self.timeout - time.monotonic())

    def _collect(self, wait_time: float | None) -> list[R]:
        """Wait for workers to answer, die or overrun; the results that came of it."""
        handles: list[Any] = []
        for worker in self._workers:
            if worker.busy or not worker.ready:
                handles += [worker.conn, worker.process.sentinel]
        ready = set(wait(handles, wait_time)) if handles else set()
        results: list[R] = []
        for index, worker in enumerate(list(self._workers)):
            if worker.conn in ready or (worker.process.sentinel in ready and worker.conn.poll()):
                if not worker.ready:
                    self._on_setup_message(worker)
                    continue
                result = self._receive(index, worker)
                if result is not None:
                    results.append(result[0])
            elif worker.process.sentinel in ready:
                if not worker.ready:
                    raise WorkerSetupError(f"worker exited during setup ({_exit(worker)})")
                results.append(self._replace(index, worker, f"worker died ({_exit(worker)})"))
        if self.timeout is not None:
            now = time.monotonic()
            for index, worker in enumerate(list(self._workers)):
                if worker.busy and now - worker.started >= self.timeout:
                    self.stats.timeouts += 1
                    reason = f"timeout after {self.timeout:g}s"
                    results.append(self._replace(index, worker, reason, kill=True))
        return results

    def _receive(self, index: int, worker: _Worker) -> tuple[R] | None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            return (self._replace(index, worker, f"worker died ({_exit(worker)})"),)
        status, seq, value, elapsed = message
        if seq != worker.seq:  # cannot happen: one payload per worker at a time
            return None
        payload = worker.payload
        worker.seq, worker.payload = None, None
        self.stats.done += 1
        self.stats.busy_seconds += elapsed
        if status == "ok":
            return (value,)
        self.stats.failed += 1
        return (self.task.failed(payload, value),)

    def _replace(self, index: int, worker: _Worker, reason: str, *, kill: bool = False) -> R:
        """Retire ``worker``, start another in its place, and fail its payload."""
        payload = worker.payload
        self._retire(index, worker, kill=kill)
        self.stats.done += 1
        self.stats.failed += 1
        return self.task.failed(payload, reason)

    def _retire(self, index: int, worker: _Worker, *, kill: bool = True) -> None:
        """Stop ``worker`` (killing it if ``kill``) and start another in its place."""
        if kill:
            worker.process.kill()
        worker.process.join(5.0)
        worker.conn.close()
        self._workers[index] = self._spawn()
        self.stats.restarts += 1


def _exit(worker: _Worker) -> str:
    code = worker.process.exitcode
    return "still running" if code is None else f"exit code {code}"


_WARM_TEXT = (
    "Home | News | Sport\n\nCouncil approves the new library budget\n\n"
    "The city council voted on Tuesday to fund the library for another five years, "
    "the mayor said after the meeting.\n\nShow More"
)
_WARM_HTML = (
    "<html><head><title>Library budget</title></head><body><nav>Home | News</nav>"
    "<article><h1>Council approves the new library budget</h1><p>The city council voted on "
    "Tuesday to fund the library for another five years, the mayor said after the meeting."
    "</p></article><footer>Contact us</footer></body></html>"
)


@dataclass
class DocumentTask:
    """Clean (and score) ``InputItem``s with the pipeline, in a worker.

    Results are ``Document``s without their input text (``source`` is emptied
    so that it does not travel back to the parent).
    """

    options: Options = field(default_factory=Options)
    model_dir: str | None = None

    def setup(self) -> None:
        """Load the models, then run one small text and one small page through
        the pipeline so that lazy initialisation (stop lists, trafilatura) is
        not charged to the first real document or its time limit."""
        from detector.pipeline import Pipeline

        self._pipeline = Pipeline(model_dir=self.model_dir, options=self.options).load()
        for text, hint in ((_WARM_TEXT, "text"), (_WARM_HTML, "html")):
            self._pipeline.process(text, doc_id="warm-up", mode_hint=hint)

    def run(self, item: InputItem) -> Document:
        from detector.pipeline import process_item

        doc = process_item(self._pipeline, item)
        doc.source = ""
        return doc

    def failed(self, item: InputItem, reason: str) -> Document:
        return Document(id=item.id, status="error", error=reason)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


@dataclass
class Numbered(Generic[P, R]):
    """``task`` over ``(index, payload)`` pairs, each result paired with its index,
    so that results arriving in completion order can be put back in input order."""

    task: Task[P, R]

    def setup(self) -> None:
        """Set the wrapped task up."""
        self.task.setup()

    def run(self, payload: tuple[int, P]) -> tuple[int, R]:
        """The wrapped task's result, with the payload's index."""
        index, inner = payload
        return index, self.task.run(inner)

    def failed(self, payload: tuple[int, P], reason: str) -> tuple[int, R]:
        """The wrapped task's failure record, with the payload's index."""
        index, inner = payload
        return index, self.task.failed(inner, reason)


def in_input_order(numbered: Iterable[tuple[int, R]]) -> Iterator[R]:
    """Results numbered 0, 1, 2, ... (in any order) -> the results in that order.

    A result is held back only while an earlier one is still running, so what
    is held is bounded by what the other workers finish meanwhile.
    """
    held: dict[int, R] = {}
    expected = 0
    for index, result in numbered:
        held[index] = result
        while expected in held:
            yield held.pop(expected)
            expected += 1


def process_parallel(
    items: Iterable[InputItem],
    options: Options,
    *,
    model_dir: str | None = None,
    jobs: int | None = None,
    timeout: float | None = None,
) -> Iterator[Document]:
    """Documents for ``items``, in input order, from a pool of ``jobs`` workers.

    A document that runs past ``timeout`` seconds, or whose worker dies, comes
    back as an error record and the rest go on. Raises ``WorkerSetupError``
    before any document when a worker cannot load the models.
    """
    task = Numbered(DocumentTask(options, model_dir))
    with WorkerPool(task, jobs=jobs, timeout=timeout) as pool:
        yield from in_input_order(pool.imap_unordered(enumerate(items)))
