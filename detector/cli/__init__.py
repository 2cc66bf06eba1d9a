"""The command line: ``detector clean``, ``detector score``, ``detector report``.

Data goes to stdout (or one file per document with ``-o``); progress, errors,
skipped inputs and the summary of a batch go to stderr: a failed document is
a record in json/jsonl and nothing in txt/markdown. Exit status: 0 when every
input was processed, 1 when some input failed (its record says why), 2 for a
usage error (a path that does not exist included) or a model that fails its
checks. The options shared with ``report`` are defined once in
``detector.cli.options``.

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
from dataclasses import replace
from typing import Any

import click

import detector
from detector.cli.options import (
    BATCH_TIMEOUT,
    EXIT_SOME_FAILED,
    ModelCheckFailed,
    cleaning_options,
    drop_generated_option,
    input_format_option,
    inputs_argument,
    mode_option,
    name_skipped,
    summary_line,
    time_limit,
    worker_count,
)
from detector.cli.output import FORMATS, FolderWriter, Writer
from detector.document import Document
from detector.modelstore import ModelError
from detector.pipeline import Options, Pipeline, process_item

__all__ = ["BATCH_TIMEOUT", "main", "time_limit"]


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options of ``clean`` and ``score``: the inputs, how to read them, what to
    write, and :func:`cleaning_options`."""
    decorators = [
        inputs_argument,
        mode_option,
        input_format_option,
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS, case_sensitive=False),
            default="txt",
            show_default=True,
            help="Output format (json: one array; jsonl: one record per line).",
        ),
        click.option(
            "-o",
            "--output-dir",
            type=click.Path(file_okay=False),
            default=None,
            help="Write one file per document into this folder (created if needed), named "
            "after the document (a folder's structure kept) with the format's extension, "
            "instead of writing to stdout.",
        ),
        click.option(
            "--annotate",
            is_flag=True,
            help="Show every block with its place in the input, label and probabilities.",
        ),
        click.option(
            "--with-metadata",
            is_flag=True,
            help="Start txt and markdown output with the page's title, author, date and "
            "url where found (json/jsonl always carry them as fields).",
        ),
        cleaning_options,
    ]
    return functools.reduce(lambda f, d: d(f), reversed(decorators), func)


def _run(
    inputs: tuple[str, ...],
    options: Options,
    *,
    input_format: str,
    fmt: str,
    output_dir: str | None,
    annotate: bool,
    encoding: str | None,
    with_metadata: bool = False,
    max_bytes: int,
    model_dir: str | None,
    timeout: float | None,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    from collections import Counter

    from detector.inputs.sources import iter_inputs

    verbose = verbose and not quiet  # -q wins
    if fmt in ("txt", "markdown") and not (annotate or with_metadata):
        options = replace(options, details=False)  # only the article's text is shown
    many = len(inputs) > 1 or input_format in ("jsonl", "warc") or not _is_single_file(inputs[0])
    limit = time_limit(timeout, batch=many)
    workers = worker_count(jobs)
    skipped: Counter[str] = Counter()
    items = iter_inputs(
        list(inputs),
        input_format=input_format,
        max_bytes=max_bytes,
        encoding=encoding,
        skipped=skipped,
        on_skip=name_skipped if verbose else None,
    )
    setup_errors: tuple[type[Exception], ...] = (ModelError,)  # a lazy model's check
    if limit is None and workers == 1:  # in this process: no worker pool to import
        pipeline = Pipeline(model_dir=model_dir, options=options)
        try:
            pipeline.load()
        except ModelError as exc:
            raise ModelCheckFailed(f"model check failed: {exc}") from exc
        docs: Iterator[Document] = (process_item(pipeline, item) for item in items)
    else:
        from detector.runner import WorkerSetupError, process_parallel

        setup_errors = (WorkerSetupError, ModelError)  # and a worker's set-up
        docs = process_parallel(items, options, model_dir=model_dir, jobs=workers, timeout=limit)
    if output_dir is not None:
        writer: Writer | FolderWriter = FolderWriter(
            output_dir, fmt, annotate=annotate, with_metadata=with_metadata
        )
    else:
        writer = Writer(sys.stdout, fmt, annotate=annotate, many=many, with_metadata=with_metadata)
    failed = total = 0
    try:
        for doc in _progress(docs, quiet=quiet):
            total += 1
            failed += doc.status != "ok"
            if doc.status != "ok" and not quiet:
                click.echo(f"detector: {doc.id}: {doc.error}", err=True)
            written = writer.write(doc)
            if verbose and doc.status == "ok":
                where = f" -> {written}" if written else ""
                click.echo(f"detector: {doc.id}: ok{where}", err=True)
    except setup_errors as exc:
        raise ModelCheckFailed(f"model check failed: {exc}") from exc
    writer.close()
    if not quiet and (many or failed or skipped or verbose):
        click.echo(summary_line(total, failed, dict(skipped)), err=True)
    if not quiet and output_dir is not None:
        click.echo(f"detector: wrote {writer.count} files into {output_dir}", err=True)
    if failed:
        sys.exit(EXIT_SOME_FAILED)


def _progress(docs: Iterator[Document], *, quiet: bool = False) -> Iterator[Document]:
    """``docs`` with a progress bar on stderr when it is a terminal (and not
    ``quiet``). Elsewhere (a pipe, a file, a test) the bar would be off (tqdm's
    ``disable=None``), so tqdm, a tenth of a second to import, is not imported."""
    if quiet or not sys.stderr.isatty():
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


CLEAN_HELP = "Keep the article in each input and drop what the page template left in."
SCORE_HELP = "Clean each input, then score each section and the document for filler."


@main.command(short_help=CLEAN_HELP)
@common_options
@drop_generated_option
def clean(
    inputs: tuple[str, ...],
    drop_generated: bool,
    favor: str | None,
    include_comments: bool,
    **kwargs: Any,
) -> None:
    """Keep the article in each input and drop what the page template left in.

    INPUTS are files, folders (searched recursively), JSONL or WARC files,
    http(s) URLs of pages to download, or - for standard input. The articles
    go to stdout; errors, skipped inputs and a summary of a batch to stderr.
    """
    mode = kwargs.pop("mode")
    options = Options(
        mode=mode,
        drop_generated=drop_generated,
        favor=favor or "balanced",
        include_comments=include_comments,
    )
    _run(inputs, options, **kwargs)


@main.command(short_help=SCORE_HELP)
@common_options
def score(
    inputs: tuple[str, ...], favor: str | None, include_comments: bool, **kwargs: Any
) -> None:
    """Clean each input, then score each section and the document for filler.

    INPUTS as for ``clean``. The scores go to stdout; errors, skipped inputs
    and a summary of a batch to stderr.
    """
    mode = kwargs.pop("mode")
    options = Options(
        mode=mode, score=True, favor=favor or "balanced", include_comments=include_comments
    )
    _run(inputs, options, **kwargs)


from detector.cli.report import report  # noqa: E402

main.add_command(report)

if __name__ == "__main__":
    main()
