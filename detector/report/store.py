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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from detector.document import Document
from detector.inputs.sources import InputItem
from detector.pipeline import Options
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


def config_sha256(models: dict[str, dict[str, str]], options: Options) -> str:
    """What makes two runs' results comparable: the model files and the options."""
    identity = {
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
    came from (``source``, ``url``) and what makes it resumable. Unless
    ``full_texts``, block texts found in the record's ``text`` are referenced
    there (:func:`reference_texts`)."""
    record = doc.to_dict()
    if not full_texts:
        reference_texts(record)
    record["id"] = item.id
    record["source"] = item.source
    if item.url:
        record["url"] = item.url
    record["content_sha256"] = content_sha256(item)
    record["config_sha256"] = config
    record["input_chars"] = len(item.text) if item.text is not None else 0
    record["seconds"] = None if seconds is None else round(seconds, 4)
    return record


def reference_texts(record: dict[str, Any]) -> int:
    """Replace each block's ``text`` that occurs in the record's own ``text`` (the
    kept blocks, in order) by ``text_at``: ``[start, end]``, offsets in code
    points into ``text``, where that is shorter than the copy. Returns the
    blocks referenced. :func:`expand_texts` undoes it; so does
    :func:`iter_records`."""
    text = record.get("text") or ""
    cursor = 0
    referenced = 0
    for block in record.get("blocks") or []:
        part = block.get("text")
        if not part or len(part) < 16:  # "[12345, 12399]" is no shorter
            continue
        start = text.find(part, cursor)
        if start < 0:
            start = text.find(part)
            if start < 0:
                continue
        end = start + len(part)
        del block["text"]
        block["text_at"] = [start, end]
        cursor = end
        referenced += 1
    return referenced


def expand_texts(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with every block's ``text`` back in place of ``text_at``."""
    text = record.get("text") or ""
    for block in record.get("blocks") or []:
        place = block.pop("text_at", None)
        if place is not None and "text" not in block:
            block["text"] = text[place[0] : place[1]]
    return record


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
        return make_record(item, super().failed(item, reason), self.config)


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
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
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
        """Every whole, parsable record in the file, in order."""
        yield from iter_records(self.path)

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


def _record_lines(path: Path) -> Iterator[bytes]:
    """The lines of ``path`` that hold a JSON object, in order (others skipped)."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                continue
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                yield line


def iter_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records of a results.jsonl file, streamed, each block with its ``text``
    (rebuilt from ``text_at`` where the file references it)."""
    for line in _record_lines(Path(path)):
        yield expand_texts(json.loads(line))


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
