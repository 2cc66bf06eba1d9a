"""Where documents come from: files, folders, stdin, JSONL records, WARC records,
and pages downloaded from http(s) URLs.

``iter_inputs`` turns command-line arguments into a lazy stream of
``InputItem``. A problem with one input (missing path, unreadable file,
oversized, binary, malformed record) becomes an item carrying ``error`` and
the stream goes on, so a batch never dies on one bad input.

Limits: ``max_bytes`` bounds each document as read (a file on disk, stdin, a
JSONL line, a WARC record's payload); ``max_decompressed`` (by default the
same) bounds what one gzipped document inflates to, so that a small .gz file
cannot bring in a document larger than an uncompressed one may be, and a gzip
bomb is stopped as soon as it passes the limit. JSONL and WARC files
themselves are containers streamed record by record, with no overall size
limit.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from detector.document import error_message
from detector.inputs.decode import (
    GZIP_MAGIC,
    InputError,
    _refuse_binary,
    _refuse_control_bytes,
    decode_bytes,
    gunzip_limited,
    strip_controls,
)

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

FORMATS = ("auto", "file", "jsonl", "warc")
"""Accepted values of ``input_format``."""
DEFAULT_MAX_BYTES = 5 * 2**20
"""The default limit on one document's size (``--max-bytes``)."""

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
NOT_DOCUMENT_SUFFIXES = (
    ".css", ".js", ".mjs", ".map", ".json", ".csv", ".tsv", ".xml", ".svg", ".py", ".sh",
    ".yaml", ".yml", ".toml", ".ini", ".cfg",
)  # fmt: skip
"""Text files that are not documents (style sheets, scripts, data, settings):
skipped in folders, and counted, rather than read by content."""

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
STDIN = "stdin"
_STREAM_ERRORS = (OSError, EOFError, ValueError, zlib.error)
"""What reading a damaged stream (truncated, bad gzip, bad chunking) raises."""


@dataclass(slots=True)
class InputItem:
    """One document to process, or the reason it could not be read.

    ``id`` names the document in output: a path relative to the folder given
    (or the path as given), a JSONL record's ``id`` (else ``<file>:<line>``),
    ``stdin``, or a WARC record's target URI. ``source`` says where it was
    read: a path, ``<file>:<line>``, or ``<file>@<offset>`` for WARC records.
    ``text`` is None exactly when ``error`` is set. ``raw_size`` is the size in
    bytes as read (compressed size for a .gz file; at least ``max_bytes + 1``
    for an oversized stream).
    """

    id: str
    source: str
    text: str | None = None
    mode_hint: str | None = None
    url: str | None = None
    error: str | None = None
    raw_size: int = 0


@dataclass(frozen=True, slots=True)
class _Limits:
    max_bytes: int
    max_decompressed: int
    encoding: str | None = None
    skipped: Counter[str] = field(default_factory=Counter)
    on_skip: Callable[[str, str], None] | None = None

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        if self.on_skip is not None:
            self.on_skip(where, reason)


def iter_inputs(
    paths: Sequence[str],
    *,
    input_format: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_decompressed: int | None = None,
    stdin: BinaryIO | None = None,
    encoding: str | None = None,
    skipped: Counter[str] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[InputItem]:
    """Stream the documents named by ``paths``, in order.

    Each path is a file, a folder (walked recursively in sorted order, hidden
    entries and symlinked folders skipped), "-" for ``stdin`` (default: the
    process's standard input) or an http(s) URL (one HTML page, downloaded
    with :func:`detector.inputs.fetch.fetch`). ``input_format`` "auto"
    reads .jsonl/.ndjson (optionally .gz) as JSONL, .warc/.warc.gz as WARC
    and anything else as one document; "file", "jsonl" and "warc" force that
    reading on every path, stdin included (in "auto" stdin is one document).
    In folders, "auto" takes text and HTML documents (optionally .gz) plus
    JSONL and WARC files by extension, and sniffs the content of every other
    file (a saved ``.php`` or ``.aspx`` page, no extension): gzip is looked
    into, WARC is read as WARC, text or HTML as one document, binary files
    and text files that are no documents (.css, .js, .json, .csv, ...) are
    skipped; a forced format takes only files of that kind (sniffed likewise).
    A file named explicitly is read whatever its name. Gzip content is
    recognised by its signature and inflated, up to ``max_decompressed``
    bytes (default: ``max_bytes``); a ``.gz`` file without it is an error.

    ``encoding`` forces the decoding of every document (else: byte order mark,
    UTF-8, declared charset, detection). ``skipped``, when given, counts what
    was passed over without an item, by reason: hidden entries and binary
    files in folders, files of another kind than a forced format, WARC
    responses that are not status 200 or not HTML/text; ``on_skip(where,
    reason)``, when given, is told of each as it happens (``where``: the path,
    or ``<file>@<offset>`` for a WARC record).

    Raises ValueError for an unknown ``input_format``; every per-input problem,
    a nonexistent path included, is yielded as an item with ``error`` set.
    """
    if input_format not in FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; expected one of {FORMATS}")
    limits = _Limits(
        max_bytes,
        max_bytes if max_decompressed is None else max_decompressed,
        encoding,
        skipped if skipped is not None else Counter(),
        on_skip,
    )
    return _iter_paths(paths, input_format, limits, stdin)


def _iter_paths(
    paths: Sequence[str], input_format: str, limits: _Limits, stdin: BinaryIO | None
) -> Iterator[InputItem]:
    for arg in paths:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream, STDIN, STDIN, input_format, limits)
        elif is_url(arg):
            yield _read_url(arg, limits)
        elif os.path.isdir(arg):
            yield from _read_folder(Path(arg), arg, "", input_format, limits)
        else:
            yield from _read_path(Path(arg), arg, _format_of(arg, input_format), limits)


def count_inputs(
    paths: Sequence[str], *, input_format: str = "auto", budget_seconds: float = 2.0
) -> int | None:
    """How many items :func:`iter_inputs` will yield for ``paths``, when that is
    cheap to know: files in folders (a file of unknown extension is sniffed as
    :func:`iter_inputs` does), named files, URLs and uncompressed JSONL files
    (their lines). None when it is not: standard input, WARC, gzipped JSONL, or
    when counting takes longer than ``budget_seconds``. For a progress bar's
    total, not for anything that must be exact (an unreadable file still counts
    one, a JSONL file counts its non-empty lines)."""
    import time

    deadline = time.monotonic() + budget_seconds
    limits = _Limits(0, 0, None, Counter())
    total = 0

    def one(path: Path, fmt: str) -> int | None:
        if fmt == "file":
            return 1
        if fmt == "jsonl" and not path.name.lower().endswith(".gz"):
            lines = 0
            try:
                with path.open("rb") as stream:
                    last = b"\n"
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        lines += chunk.count(b"\n")
                        last = chunk[-1:]
                        if time.monotonic() > deadline:
                            return None
                    return lines + (last != b"\n")
            except OSError:
                return 1
        return None  # WARC, gzipped JSONL: as long to count as to read

    def folder(path: Path) -> int | None:
        count = 0
        try:
            entries = list(os.scandir(path))
        except OSError:
            return 1
        for entry in entries:
            if time.monotonic() > deadline:
                return None
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                n = folder(Path(entry.path))
            elif entry.is_symlink() or not entry.is_file():
                continue
            else:
                try:
                    kind = _kind_in_folder(Path(entry.path), limits)
                except OSError:
                    n = 1
                else:
                    if kind.startswith(("binary", "not a document")) or input_format not in (
                        "auto",
                        kind,
                    ):
                        continue
                    n = one(Path(entry.path), kind)
            if n is None:
                return None
            count += n
        return count

    for arg in paths:
        if arg == "-":
            return None
        if is_url(arg):
            n: int | None = 1
        elif os.path.isdir(arg):
            n = folder(Path(arg))
        else:
            n = one(Path(arg), _format_of(arg, input_format))
        if n is None:
            return None
        total += n
    return total


def is_url(arg: str) -> bool:
    """Whether a command-line input names an http(s) URL rather than a path."""
    return arg[:8].lower().startswith(("http://", "https://"))


def _read_url(url: str, limits: _Limits) -> InputItem:
    from detector.inputs.fetch import FetchError, fetch

    try:
        html = fetch(url)
    except FetchError as exc:
        return _error(url, url, str(exc))
    size = len(html.encode("utf-8", "replace"))
    if size > limits.max_bytes:
        return _error(url, url, _too_big(limits.max_bytes, size), size)
    return InputItem(url, url, strip_controls(html), mode_hint="html", url=url, raw_size=size)


def _format_of(name: str, input_format: str) -> str:
    if input_format != "auto":
        return input_format
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    return "file"


def _read_folder(
    folder: Path, folder_id: str, prefix: str, input_format: str, limits: _Limits
) -> Iterator[InputItem]:
    """Items of the wanted files under ``folder``, with ids relative to the
    folder given on the command line, in sorted order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield _error(folder_id, str(folder), _os_reason(exc))
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.name.startswith("."):
            limits.skip("hidden", entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _read_folder(Path(entry.path), rel, rel + "/", input_format, limits)
        elif entry.is_symlink() and entry.is_dir():
            limits.skip("symlinked folder", entry.path)
        elif not entry.is_file():
            limits.skip("not a regular file", entry.path)
        else:
            try:
                kind = _kind_in_folder(Path(entry.path), limits)
            except OSError as exc:
                yield _error(rel, entry.path, _os_reason(exc))
                continue
            if kind.startswith(("binary", "not a document")):
                limits.skip(kind, entry.path)
            elif input_format not in ("auto", kind):
                limits.skip(f"not {input_format}", entry.path)
            else:
                yield from _read_path(Path(entry.path), rel, kind, limits)


_SNIFF = 4096
"""Bytes looked at to tell what a file of unknown extension holds."""


def _kind_in_folder(path: Path, limits: _Limits) -> str:
    """How to read a file met in a folder: "jsonl", "warc" or "file" by its
    extension; for any other name by its content: "warc" for WARC (gzipped or
    not), "file" for text or HTML (gzipped or not, and gzip that does not
    inflate, so that it gets its error), else "binary (<kind>)"; and "not a
    document (<suffix>)" for style sheets, scripts, data and settings files."""
    name = path.name.lower()
    kind = _format_of(name, "auto")
    stem = name.removesuffix(".gz")
    if kind != "file" or stem.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
        return kind
    if stem.endswith(NOT_DOCUMENT_SUFFIXES):
        return f"not a document ({os.path.splitext(stem)[1]})"
    with path.open("rb") as stream:
        head = stream.read(_SNIFF)
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF)
        except zlib.error:
            return "file"
    if head.startswith(b"WARC/"):
        return "warc"
    if not head.strip():
        return "file"  # an empty document gets its error record
    try:
        _refuse_binary(head)
        _refuse_control_bytes(head)
    except InputError as exc:
        # "binary (PNG)", "binary (control bytes)": one count per kind, not per share
        return re.sub(r"\d+% ", "", str(exc).replace(" input", "", 1))
    return "file"


def _read_path(path: Path, item_id: str, fmt: str, limits: _Limits) -> Iterator[InputItem]:
    source = str(path)
    try:
        info = path.stat()
        if fmt == "file" and info.st_size > limits.max_bytes:
            yield _error(item_id, source, _too_big(limits.max_bytes, info.st_size), info.st_size)
            return
        with path.open("rb") as stream:
            yield from _read_stream(stream, item_id, source, fmt, limits)
    except OSError as exc:
        yield _error(item_id, source, _os_reason(exc))


def _read_stream(
    stream: BinaryIO, item_id: str, source: str, fmt: str, limits: _Limits
) -> Iterator[InputItem]:
    if fmt == "jsonl":
        yield from _read_jsonl(stream, item_id, source, limits)
    elif fmt == "warc":
        yield from _read_warc(stream, item_id, source, limits)
    else:
        yield _read_document(stream, item_id, source, limits)


def _read_document(stream: BinaryIO, item_id: str, source: str, limits: _Limits) -> InputItem:
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        return _error(item_id, source, _too_big(limits.max_bytes), len(data))
    hint = _mode_of_name(source)
    if source.lower().endswith(".gz") and data and data[:2] != GZIP_MAGIC:
        return _error(item_id, source, "invalid gzip data (no gzip header)", len(data))
    try:
        content = gunzip_limited(data, limits.max_decompressed) if data[:2] == GZIP_MAGIC else data
        text = decode_bytes(
            content,
            html=None if hint is None else hint == "html",
            force_encoding=limits.encoding,
        )
    except InputError as exc:
        return _error(item_id, source, str(exc), len(data))
    return InputItem(item_id, source, text, mode_hint=hint, raw_size=len(data))


def _mode_of_name(name: str) -> str | None:
    stem = name.lower().removesuffix(".gz")
    if stem.endswith(HTML_SUFFIXES):
        return "html"
    if stem.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def _read_jsonl(
    stream: BinaryIO, file_id: str, source: str, limits: _Limits
) -> Iterator[InputItem]:
    lines = _open_lines(stream)
    for number in itertools.count(1):
        item_id, where = f"{file_id}:{number}", f"{source}:{number}"
        try:
            line = lines.readline(limits.max_bytes + 1)
        except _STREAM_ERRORS as exc:
            yield _error(item_id, where, f"line {number}: {_os_reason(exc)}")
            return
        if not line:
            return
        if len(line) > limits.max_bytes:
            _skip_line(lines)
            yield _error(item_id, where, f"line {number}: {_too_big(limits.max_bytes)}", len(line))
        elif line.strip():
            yield _jsonl_item(line, number, item_id, where, limits.encoding)


def _open_lines(stream: BinaryIO) -> io.BufferedIOBase:
    """``stream`` readable line by line, inflated if it holds gzip."""
    reader = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    return gzip.GzipFile(fileobj=reader) if reader.peek(2)[:2] == GZIP_MAGIC else reader


def _skip_line(lines: io.BufferedIOBase) -> None:
    while True:
        chunk = lines.readline(2**16)
        if not chunk or chunk.endswith(b"\n"):
            return


def _jsonl_item(
    line: bytes, number: int, fallback_id: str, source: str, encoding: str | None = None
) -> InputItem:
    try:
        record = json.loads(line.decode(encoding or "utf-8", "replace").removeprefix("\ufeff"))
    except (ValueError, RecursionError) as exc:
        reason = getattr(exc, "msg", "nested too deeply")
        return _error(fallback_id, source, f"line {number}: invalid JSON ({reason})", len(line))
    if not isinstance(record, dict):
        return _error(fallback_id, source, f"line {number}: not a JSON object", len(line))
    record_id = record.get("id")
    item_id = str(record_id) if record_id not in (None, "") else fallback_id
    body, hint = _record_body(record)
    if body is None:
        reason = f"line {number}: record has no string 'text', 'html' or 'content'"
        return _error(item_id, source, reason, len(line))
    url = record.get("url")
    return InputItem(
        item_id,
        source,
        strip_controls(body),
        mode_hint=hint,
        url=url if isinstance(url, str) else None,
        raw_size=len(line),
    )


def _record_body(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """The document in a JSONL record and its mode: the first string field of
    "html", "text" and "content" (an alias of "text")."""
    for key, mode in (("html", "html"), ("text", "text"), ("content", "text")):
        if isinstance(record.get(key), str):
            return record[key], mode
    return None, None


def _read_warc(stream: BinaryIO, file_id: str, source: str, limits: _Limits) -> Iterator[InputItem]:
    from warcio.archiveiterator import ArchiveIterator  # only WARC input needs warcio

    archive = ArchiveIterator(stream)
    records = iter(archive)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # warcio raises many kinds of error on damaged input
            reason = _first_line(exc).split(", first line")[0]  # that line is binary noise
            yield _error(file_id, source, f"invalid WARC: {reason or 'unreadable record'}")
            return
        item = _warc_item(record, f"{source}@{archive.offset}", limits)
        if item is not None:
            yield item


def _warc_item(record: ArcWarcRecord, source: str, limits: _Limits) -> InputItem | None:
    """The document in a WARC record, or None for records that hold none
    (not a response, not status 200, not HTML or plain text)."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None  # requests, metadata, warcinfo: no document, not counted
    if http.get_statuscode() != "200":
        limits.skip("WARC response not status 200", source)
        return None
    mime, _, params = (http.get_header("Content-Type") or "").partition(";")
    mime = mime.strip().lower()
    if mime not in _HTML_TYPES + _TEXT_TYPES:
        limits.skip("WARC response not HTML or text", source)
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    item_id = url or record.rec_headers.get_header("WARC-Record-ID") or source
    try:
        payload = record.content_stream().read(limits.max_bytes + 1)
        complete = _drained(record.raw_stream)
    except _STREAM_ERRORS as exc:
        return _error(item_id, source, f"unreadable record: {_first_line(exc)}")
    if len(payload) > limits.max_bytes:
        return _error(item_id, source, _too_big(limits.max_bytes), len(payload))
    if not complete:
        return _error(item_id, source, "truncated WARC record", len(payload))
    is_html = mime in _HTML_TYPES
    try:
        text = decode_bytes(
            payload, html=is_html, encoding=_charset(params), force_encoding=limits.encoding
        )
    except InputError as exc:
        return _error(item_id, source, str(exc), len(payload))
    mode = "html" if is_html else "text"
    return InputItem(item_id, source, text, mode_hint=mode, url=url, raw_size=len(payload))


def _drained(raw_stream: Any) -> bool:
    """Read a record's block to its end; whether it held its declared length."""
    while raw_stream.read(2**16):
        pass
    return getattr(raw_stream, "limit", 0) == 0


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _error(item_id: str, source: str, reason: str, raw_size: int = 0) -> InputItem:
    return InputItem(item_id, source, error=reason, raw_size=raw_size)


def _too_big(limit: int, size: int | None = None) -> str:
    actual = f"{size} > {limit}" if size is not None else f"more than {limit} bytes"
    return f"input exceeds --max-bytes ({actual})"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, (zlib.error, EOFError, gzip.BadGzipFile)):
        return "invalid gzip data"
    return getattr(exc, "strerror", None) or error_message(exc)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n", 1)[0]
