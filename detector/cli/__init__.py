"""The command line: ``detector clean``, ``detector score``, ``detector report``.

Data goes to stdout, progress and errors to stderr. Exit status: 0 when every
input was processed, 1 when some input failed (its record says why), 2 for a
usage error or a model that fails its checks.

``clean`` and ``score`` work in this process unless a time limit applies or
``--jobs`` asks for more than one worker: a batch (a folder, several inputs,
JSONL, WARC) gets ``BATCH_TIMEOUT`` seconds per document by default, enforced
by ``detector.runner``'s killable workers; one file or stdin gets no limit
unless ``--timeout`` is given, so that a single small document does not pay
for starting a worker process.

Only click and the option definitions load at import: the pipeline's steps,
the models, the worker pool and the progress bar are imported inside the
commands, so that ``detector --help`` answers at once.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

import detector
from detector.cli.options import (
    input_format_option,
    inputs_argument,
    max_bytes_option,
    mode_option,
    model_dir_option,
)
from detector.cli.output import FORMATS, Writer
from detector.document import Document
from detector.modelstore import ModelError
from detector.pipeline import Options, Pipeline, process_item

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
BATCH_TIMEOUT = 30.0
"""Default seconds per document for a batch; one document has no default limit."""


class ModelCheckFailed(click.ClickException):
    """A model file failed its hash or type check (exit status 2)."""

    exit_code = EXIT_USAGE


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that reads documents."""
    decorators = [
        inputs_argument,
        mode_option,
        input_format_option,
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="txt",
            show_default=True,
            help="Output format.",
        ),
        click.option(
            "--annotate", is_flag=True, help="Show every block with its label and probability."
        ),
        click.option(
            "--precision",
            "favor",
            flag_value="precision",
            help="Keep less: only blocks the model is sure of.",
        ),
        click.option(
            "--recall", "favor", flag_value="recall", help="Keep more: drop only clear leftovers."
        ),
        max_bytes_option,
        click.option(
            "--timeout",
            type=click.FloatRange(min=0),
            default=None,
            metavar="SECONDS",
            help="Seconds one document may take, in a worker process that is killed when it "
            "runs longer (the document gets an error record, the rest go on); 0 for no limit.  "
            f"[default: {BATCH_TIMEOUT:g} for a folder, several inputs, JSONL or WARC; none for "
            "one file or stdin]",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Worker processes (more than one: documents in parallel, output still in order).",
        ),
        model_dir_option,
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), func)


def _run(
    inputs: tuple[str, ...],
    options: Options,
    *,
    input_format: str,
    fmt: str,
    annotate: bool,
    max_bytes: int,
    model_dir: str | None,
    timeout: float | None,
    jobs: int,
) -> None:
    from detector.inputs.sources import iter_inputs

    many = len(inputs) > 1 or input_format in ("jsonl", "warc") or not _is_single_file(inputs[0])
    limit = time_limit(timeout, batch=many)
    items = iter_inputs(list(inputs), input_format=input_format, max_bytes=max_bytes)
    setup_errors: tuple[type[Exception], ...] = (ModelError,)  # a lazy model's check
    if limit is None and jobs == 1:  # in this process: no worker pool to import
        pipeline = Pipeline(model_dir=model_dir, options=options)
        try:
            pipeline.load()
        except ModelError as exc:
            raise ModelCheckFailed(f"model check failed: {exc}") from exc
        docs: Iterator[Document] = (process_item(pipeline, item) for item in items)
    else:
        from detector.runner import WorkerSetupError, process_parallel

        setup_errors = (WorkerSetupError, ModelError)  # and a worker's set-up
        docs = process_parallel(items, options, model_dir=model_dir, jobs=jobs, timeout=limit)
    writer = Writer(sys.stdout, fmt, annotate=annotate, many=many)
    failed = total = 0
    try:
        for doc in _progress(docs):
            total += 1
            failed += doc.status != "ok"
            if doc.status != "ok":
                click.echo(f"detector: {doc.id}: {doc.error}", err=True)
            writer.write(doc)
    except setup_errors as exc:
        raise ModelCheckFailed(f"model check failed: {exc}") from exc
    writer.close()
    if total > 1 or failed:
        click.echo(f"detector: {total} documents, {total - failed} ok, {failed} failed", err=True)
    if failed:
        sys.exit(EXIT_SOME_FAILED)


def time_limit(timeout: float | None, *, batch: bool) -> float | None:
    """Seconds per document, or None for no limit: ``timeout`` as given (0 for
    none), else ``BATCH_TIMEOUT`` for a batch and no limit for one document."""
    if timeout is None:
        return BATCH_TIMEOUT if batch else None
    return timeout or None


def _progress(docs: Iterator[Document]) -> Iterator[Document]:
    """``docs`` with a progress bar on stderr when it is a terminal. Elsewhere (a
    pipe, a file, a test) the bar would be off (tqdm's ``disable=None``), so tqdm,
    a tenth of a second to import, is not imported at all."""
    if not sys.stderr.isatty():
        yield from docs
        return
    from tqdm import tqdm

    bar = tqdm(unit="doc", disable=None, file=sys.stderr, leave=False)
    try:
        for doc in docs:
            yield doc
            bar.update()
    finally:
        bar.close()


def _is_single_file(path: str) -> bool:
    from detector.inputs.sources import is_url

    if path == "-" or is_url(path):
        return True
    return os.path.isfile(path) and not path.endswith((".jsonl", ".jsonl.gz", ".warc", ".warc.gz"))


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"{ctx.info_name}, version {detector.__version__}")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Clean scraped articles and score them for generated or padded filler."""


@main.command()
@common_options
@click.option("--drop-generated", is_flag=True, help="Also drop sections the filler model flags.")
def clean(inputs: tuple[str, ...], drop_generated: bool, favor: str | None, **kwargs: Any) -> None:
    """Keep the article in each input and drop what the page template left in.

    INPUTS are files, folders (searched recursively), JSONL or WARC files,
    http(s) URLs of pages to download, or - for standard input.
    """
    mode = kwargs.pop("mode")
    options = Options(mode=mode, drop_generated=drop_generated, favor=favor or "balanced")
    _run(inputs, options, **kwargs)


@main.command()
@common_options
def score(inputs: tuple[str, ...], favor: str | None, **kwargs: Any) -> None:
    """Clean each input, then score each section and the document for filler."""
    mode = kwargs.pop("mode")
    options = Options(mode=mode, score=True, favor=favor or "balanced")
    _run(inputs, options, **kwargs)


from detector.cli.report import report  # noqa: E402

main.add_command(report)

if __name__ == "__main__":
    main()
