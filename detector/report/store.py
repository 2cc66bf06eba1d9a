"""``results.jsonl``: one record per document, appended as documents finish.

The file is the run's memory. Each record goes to the file in one ``write``
call (no buffering in the process), so a run that is killed leaves whole
lines, and at most a partial last line, which the next run cuts off. The file
is also ``fsync``-ed at most every ``sync_seconds`` (and on close), so a power
cut loses at most that much work, which the next run redoes; syncing every
record would cap a many-core run at the disk's sync rate. A record's key
is (``id``, ``content_sha256``): the same document read again is recognised
even when the input order changes, and a changed file is redone. A record
counts as done only if its ``config_sha256`` (the model files' sha256 and the
options that change results) matches this run's, and it is not a timeout or
a dead worker (those may pass on a second try). When a run finishes,
``compact`` rewrites the file atomically with exactly one record per key seen
in that run, last written wins, so the report describes this run's inputs.

Records are written in compact form (:mod:`detector.report.compact`: texts
the input holds are pointed at, not copied) unless ``--full-texts``;
:func:`iter_records` gives them back in full, reading the inputs again.

Memory: the keys of done and seen documents (an id and a hash each), not the
records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from detector.document import Document
from detector.inputs.sources import (
    DEFAULT_MAX_BYTES,
    STDIN,
    InputItem,
    is_url,
    iter_inputs,
)
from detector.pipeline import Options
from detector.report.compact import compact_record, expand_record, round_probabilities
from detector.runner import DocumentTask

RESULTS = "results.jsonl"
RETRYABLE = ("timeout after", "worker died")
"""Errors that depend on the machine rather than the input: retried by a rerun."""

Key = tuple[str, "str | None"]


def content_sha256(item: InputItem) -> str | None:
    """sha256 of the decoded input text (None for an input that could not be read)."""
    if item.text is None:
        return None
    return hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()


def config_sha256(
    models: dict[str, dict[str, str]], options: Options, *, full_texts: bool = False
) -> str:
    """What makes two runs' results comparable: the model files, the options and
    the form of the records (compact, or full with ``full_texts``)."""
    identity = {
        "records": "full" if full_texts else "compact",
        "models": {name: info.get("sha256", "") for name, info in sorted(models.items())},
        "options": {
            "mode": options.mode,
            "score": options.score,
            "drop_generated": options.drop_generated,
            "favor": options.favor,
        },
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def key_of(record: dict[str, Any]) -> Key:
    """The key a record is stored under."""
    return str(record.get("id")), record.get("content_sha256")


def make_record(
    item: InputItem,
    doc: Document,
    config: str,
    seconds: float | None = None,
    *,
    full_texts: bool = False,
) -> dict[str, Any]:
    """The results.jsonl record of one document: ``Document.to_dict`` plus where it
    came from (``source``, ``url``) and what makes it resumable, in compact form
    (:mod:`detector.report.compact`) unless ``full_texts``, or unless its input
    cannot be read again (standard input, a URL)."""
    record = doc.to_dict()
    record["id"] = item.id
    record["source"] = item.source
    if item.url:
        record["url"] = item.url
    record["content_sha256"] = content_sha256(item)
    record["config_sha256"] = config
    record["input_chars"] = len(item.text) if item.text is not None else 0
    record["seconds"] = None if seconds is None else round(seconds, 4)
    if full_texts or not rereadable(item.source):
        return record
    return compact_record(round_probabilities(record), item.text)


def rereadable(source: str) -> bool:
    """Whether the input at ``source`` can be read again to rebuild a compact
    record's texts: a file, a JSONL line, a WARC record; not standard input or a URL."""
    return not (source == STDIN or source.startswith((f"{STDIN}:", f"{STDIN}@")) or is_url(source))


@dataclass
class ReportTask(DocumentTask):
    """The runner task of ``detector report``: an InputItem -> its results record."""

    config: str = ""
    full_texts: bool = False

    def run(self, item: InputItem) -> dict[str, Any]:  # type: ignore[override]
        started = time.perf_counter()
        doc = super().run(item)
        return make_record(
            item, doc, self.config, time.perf_counter() - started, full_texts=self.full_texts
        )

    def failed(self, item: InputItem, reason: str) -> dict[str, Any]:  # type: ignore[override]
        return make_record(
            item, super().failed(item, reason), self.config, full_texts=self.full_texts
        )


@dataclass
class ResultStore:
    """Append-only results with resume: ``open``, ``is_done``/``append``, ``compact``."""

    path: Path
    config: str
    done: set[Key] = field(default_factory=set)
    sync_seconds: float = 0.5
    _fd: int | None = None
    _synced: float = 0.0

    @classmethod
    def in_folder(cls, folder: str | os.PathLike[str], config: str) -> ResultStore:
        return cls(Path(folder) / RESULTS, config)

    def open(self, *, force: bool = False) -> ResultStore:
        """Repair a cut-off last line, learn which documents are done, open for appending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        repair(self.path)
        self.done = set()
        if not force:
            for record in self.records():
                if record.get("config_sha256") == self.config and not _retryable(record):
                    self.done.add(key_of(record))
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return self

    def is_done(self, key: Key) -> bool:
        return key in self.done

    def append(self, record: dict[str, Any]) -> None:
        """Add one record as one whole line (one ``write`` call)."""
        if self._fd is None:
            raise RuntimeError("store is not open")
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        data = (line + "\n").encode("utf-8", "surrogatepass")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        now = time.monotonic()
        if now - self._synced >= self.sync_seconds:
            os.fsync(self._fd)
            self._synced = now

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def records(self) -> Iterator[dict[str, Any]]:
        """Every whole, parsable record in the file as written, in order."""
        yield from raw_records(self.path)

    def compact(self, seen: set[Key]) -> int:
        """Rewrite the file atomically: for each key in ``seen``, its last record
        of this configuration; everything else goes. Returns the records kept."""
        last: dict[Key, int] = {}
        for index, record in enumerate(self.records()):
            key = key_of(record)
            if key in seen and record.get("config_sha256") == self.config:
                last[key] = index
        keep = set(last.values())
        del last
        reopen = self._fd is not None
        self.close()
        with atomic_writer(self.path) as out:
            for index, line in enumerate(_record_lines(self.path)):
                if index in keep:
                    out.write(line)
        if reopen:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        return len(keep)


def _retryable(record: dict[str, Any]) -> bool:
    error = record.get("error") or ""
    return record.get("status") == "error" and error.startswith(RETRYABLE)


def repair(path: Path) -> int:
    """Cut a partial last line (a run killed mid-write); returns the bytes removed."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with open(path, "rb+") as handle:
        end = size
        chunk = 1 << 16
        while end > 0:
            start = max(0, end - chunk)
            handle.seek(start)
            data = handle.read(end - start)
            if end == size and data.endswith(b"\n"):
                return 0
            newline = data.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


def _record_lines(path: Path, *, with_offsets: bool = False) -> Iterator[Any]:
    """The lines of ``path`` that hold a JSON object, in order (others skipped);
    with ``with_offsets``, each as (offset in the file, line)."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        offset = 0
        for line in handle:
            at, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                continue
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                yield (at, line) if with_offsets else line


def raw_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records of a results.jsonl file as written (compact or full), streamed."""
    for line in _record_lines(Path(path)):
        yield json.loads(line)


def iter_records(
    path: str | os.PathLike[str],
    inputs: Sequence[str] | None = None,
    *,
    input_format: str = "auto",
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[dict[str, Any]]:
    """The records of a results.jsonl file as full records (the record of
    ``detector score --format jsonl`` plus the report's fields), streamed.

    A compact record's texts come from its input (:mod:`detector.report.compact`):
    give the report's ``inputs`` and reading options, and they are read again
    (files, JSONL and WARC; standard input and URLs, whose records are written
    in full, are left out) and matched to the records by id and content_sha256;
    the records come in input order, then those whose input was not found. Without
    ``inputs`` (or for an input that is gone or changed), the texts that only the
    input holds are null. Memory: one key and offset per record.
    """
    if inputs is None:
        for record in raw_records(path):
            yield expand_record(record, None)
        return
    offsets: dict[Key, int] = {}
    for offset, line in _record_lines(Path(path), with_offsets=True):
        offsets[key_of(json.loads(line))] = offset
    rereadable_inputs = [p for p in inputs if p != "-" and not is_url(p)]
    items = iter_inputs(
        rereadable_inputs,
        input_format=input_format,
        max_bytes=max_bytes,
        encoding=encoding,
        skipped=Counter(),
    )
    with open(path, "rb") as handle:
        for item in items:
            offset = offsets.pop((item.id, content_sha256(item)), None)
            if offset is not None:
                handle.seek(offset)
                yield expand_record(json.loads(handle.readline()), item.text)
        for offset in sorted(offsets.values()):
            handle.seek(offset)
            yield expand_record(json.loads(handle.readline()), None)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` only when the block ends without error
    (readers see the old file or the new one, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
