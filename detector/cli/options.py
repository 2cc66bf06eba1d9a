"""Command-line options that ``clean``, ``score`` and ``report`` share.

One definition per option, so that an option means the same thing, takes the
same values and has the same default in every command: choices are
case-insensitive, sizes take units (``5M``), ``--timeout 0`` is no limit and
``-j`` is 1 by default (each worker loads its own models: parallel runs are
asked for) and 0 means all cores everywhere.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
from collections.abc import Callable
from typing import Any

import click

from detector.inputs.sources import DEFAULT_MAX_BYTES
from detector.inputs.sources import FORMATS as INPUT_FORMATS
from detector.pipeline import MODES

BATCH_TIMEOUT = 30.0
"""Default seconds per document for a batch; one document has no default limit."""

_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", re.I)


class ByteSize(click.ParamType):
    """A size in bytes: a number, optionally with a unit k, M or G (powers of
    1024; ``5M``, ``500k``, ``1.5MB``, ``2MiB``)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            size = value
        else:
            match = _SIZE.fullmatch(str(value))
            if not match:
                self.fail(
                    f"{value!r} is not a size: a number of bytes, optionally with a unit "
                    "k, M or G (e.g. 500k, 5M)",
                    param,
                    ctx,
                )
            size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
        if size < 1:
            self.fail(f"{value!r} is not a positive size", param, ctx)
        return size


class Encoding(click.ParamType):
    """The name of a text codec Python knows (``latin-1``, ``cp1252``, ``utf-8``)."""

    name = "name"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            info = codecs.lookup(str(value))
        except LookupError:
            self.fail(f"unknown encoding {value!r}", param, ctx)
        if not getattr(info, "_is_text_encoding", True):
            self.fail(f"{value!r} is not a text encoding", param, ctx)
        return info.name


def _check_inputs(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """Refuse, as a usage error (exit status 2), a path that does not exist:
    a mistyped name is the caller's mistake, not a failed document."""
    from detector.inputs.sources import is_url

    missing = [p for p in value if p != "-" and not is_url(p) and not os.path.exists(p)]
    if missing:
        names = ", ".join(repr(p) for p in missing)
        raise click.BadParameter(f"no such file or directory: {names}", ctx, param)
    return value


inputs_argument = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(allow_dash=True), callback=_check_inputs
)
mode_option = click.option(
    "--mode",
    type=click.Choice(MODES, case_sensitive=False),
    default="auto",
    show_default=True,
    help="Read inputs as plain text, as HTML, or guess per document.",
)
input_format_option = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS, case_sensitive=False),
    default="auto",
    show_default=True,
    help="One document per file, JSONL records {id, text|html, url?}, or WARC; "
    "auto goes by extension (in folders, by content for other names).",
)
max_bytes_option = click.option(
    "--max-bytes",
    type=ByteSize(),
    default=DEFAULT_MAX_BYTES,
    help="Refuse documents larger than this, before or after gunzip; units k, M, G "
    "(powers of 1024).  [default: 5M]",
)
encoding_option = click.option(
    "--encoding",
    type=Encoding(),
    default=None,
    help="Decode every document with this encoding (e.g. latin-1, cp1252) instead of "
    "detecting it.  [default: byte order mark, UTF-8, declared charset, detection]",
)
model_dir_option = click.option(
    "--model-dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Folder with the model files and manifest (default: the shipped models).",
)
precision_option = click.option(
    "--precision",
    "favor",
    flag_value="precision",
    help="Keep less: only blocks the model is sure of.",
)
recall_option = click.option(
    "--recall", "favor", flag_value="recall", help="Keep more: drop only clear leftovers."
)
comments_option = click.option(
    "--comments",
    "include_comments",
    is_flag=True,
    help="Keep readers' comments below an HTML article (dropped by default: they "
    "are not the article).",
)
drop_generated_option = click.option(
    "--drop-generated", is_flag=True, help="Also drop sections the filler model flags."
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=None,
    metavar="SECONDS",
    help="Seconds one document may take, in a worker process that is killed when it "
    "runs longer (the document gets an error record, the rest go on); 0 for no limit.  "
    f"[default: {BATCH_TIMEOUT:g} for a batch (a folder, several inputs, JSONL, WARC, "
    "report); none for one file or stdin]",
)
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes, each with its own copy of the models; 0 for all usable cores. "
    "Output stays in input order.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Say nothing on stderr but fatal errors."
)
verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also name every input skipped, with the reason, and (clean, score) every document done.",
)


def time_limit(timeout: float | None, *, batch: bool) -> float | None:
    """Seconds per document, or None for no limit: ``timeout`` as given (0 for
    none), else ``BATCH_TIMEOUT`` for a batch and no limit for one document."""
    if timeout is None:
        return BATCH_TIMEOUT if batch else None
    return timeout or None


def worker_count(jobs: int) -> int:
    """Workers for ``-j``: as given, all usable cores for 0."""
    if jobs == 0:
        from detector.runner import default_jobs

        return default_jobs()
    return jobs


def name_skipped(where: str, reason: str) -> None:
    """Say on stderr that the input at ``where`` was skipped, and why (``-v``)."""
    click.echo(f"detector: skipped {where}: {reason}", err=True)


def plural(count: int, noun: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(documents: int, failed: int, skipped: dict[str, int], extra: str = "") -> str:
    """The line that ends a batch on stderr: documents, ok, errors, then what
    was skipped and why."""
    line = f"detector: {plural(documents, 'document')}{extra}: {documents - failed} ok, "
    line += plural(failed, "error")
    if skipped:
        reasons = ", ".join(
            f"{n} {reason}" for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        line += f"; {plural(sum(skipped.values()), 'input')} skipped: {reasons}"
    return line


EXIT_SOME_FAILED = 1
"""Exit status of a run where some document failed."""
EXIT_USAGE = 2
"""Exit status of a usage error, as click's, and of a model that fails its check."""


class ModelCheckFailed(click.ClickException):
    """A model file failed its hash or type check (exit status 2)."""

    exit_code = EXIT_USAGE


def cleaning_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``clean``, ``score`` and ``report`` share: how much to keep,
    how to read each input, the limits and workers of a batch, the models,
    how much to say on stderr."""
    decorators = [
        precision_option,
        recall_option,
        comments_option,
        encoding_option,
        max_bytes_option,
        timeout_option,
        jobs_option,
        model_dir_option,
        quiet_option,
        verbose_option,
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), func)
