"""``detector report``: the command line of :func:`detector.report.run_report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from detector.cli.options import (
    input_format_option,
    inputs_argument,
    max_bytes_option,
    mode_option,
    model_dir_option,
)
from detector.modelstore import ModelError
from detector.pipeline import Options

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@click.command()
@inputs_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for results.jsonl, stats.json and report.html (created if needed).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes  [default: all cores]",
)
@click.option("--force", is_flag=True, help="Redo every document, even those already in results.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds one document may take; a worker that runs longer is killed and replaced.",
)
@mode_option
@input_format_option
@max_bytes_option
@model_dir_option
def report(
    inputs: tuple[str, ...],
    out: str,
    jobs: int | None,
    force: bool,
    timeout: float,
    mode: str,
    input_format: str,
    max_bytes: int,
    model_dir: str | None,
) -> None:
    """Clean and score a batch of documents in parallel; write a report.

    INPUTS are files, folders (searched recursively), JSONL or WARC files, or -
    for standard input. Into OUT go results.jsonl (one record per document,
    errors included), stats.json and report.html (open it in a browser; it
    needs no network). Running the same command again skips the documents
    already done and finishes the rest.
    """
    # the batch machinery (store, worker pool, page renderer) loads here, not for --help
    from detector.report.command import REPORT, run_report
    from detector.report.store import RESULTS

    try:
        summary = run_report(
            list(inputs),
            out,
            options=Options(mode=mode, score=True),
            jobs=jobs,
            timeout=timeout,
            force=force,
            input_format=input_format,
            max_bytes=max_bytes,
            model_dir=model_dir,
        )
    except ModelError as exc:
        error = click.ClickException(f"model check failed: {exc}")
        error.exit_code = EXIT_USAGE
        raise error from exc
    except KeyboardInterrupt:
        click.echo(
            f"detector: interrupted; results so far are in {Path(out) / RESULTS}. "
            "Run the same command again to finish.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    done = f", {summary.skipped} already done" if summary.skipped else ""
    rate = summary.stats["run"].get("documents_per_second")
    speed = f" ({rate:.1f} docs/s)" if rate else ""
    click.echo(
        f"detector: {_plural(summary.documents, 'document')}: "
        f"{summary.processed} processed{speed}{done}; "
        f"{summary.documents - summary.failed} ok, {summary.failed} failed",
        err=True,
    )
    click.echo(f"detector: wrote {Path(out) / REPORT}", err=True)
    if summary.failed:
        sys.exit(EXIT_SOME_FAILED)
