"""``detector report``: the command line of :func:`detector.report.run_report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from detector.cli.options import (
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
from detector.modelstore import ModelError
from detector.pipeline import Options

EXIT_INTERRUPTED = 130

REPORT_HELP = "Clean and score a batch of documents in parallel; write a report."


@click.command(short_help=REPORT_HELP)
@inputs_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for results.jsonl, stats.json and report.html with its report-details "
    "folder (created if needed).",
)
@click.option("--force", is_flag=True, help="Redo every document, even those already in results.")
@click.option(
    "--full-texts",
    is_flag=True,
    help="Write full records into results.jsonl, every text in them; by default "
    "records are compact and texts the input holds are offsets into it.",
)
@mode_option
@input_format_option
@cleaning_options
@drop_generated_option
def report(
    inputs: tuple[str, ...],
    out: str,
    force: bool,
    full_texts: bool,
    mode: str,
    input_format: str,
    favor: str | None,
    include_comments: bool,
    drop_generated: bool,
    encoding: str | None,
    max_bytes: int,
    timeout: float | None,
    jobs: int,
    model_dir: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Clean and score a batch of documents in parallel; write a report.

    INPUTS are files, folders (searched recursively), JSONL or WARC files,
    http(s) URLs of pages to download, or - for standard input. Into OUT go
    results.jsonl (one record per document, errors included), stats.json and
    report.html with the folder report-details beside it (open the page in a
    browser; it needs no network). Running the same command again skips the
    documents already done and finishes the rest.
    """
    from collections import Counter

    # the batch machinery (store, worker pool, page renderer) loads here, not for --help
    from detector.report.command import run_report
    from detector.report.html import REPORT
    from detector.report.store import RESULTS

    skipped: Counter[str] = Counter()
    options = Options(
        mode=mode,
        score=True,
        favor=favor or "balanced",
        drop_generated=drop_generated,
        include_comments=include_comments,
    )
    try:
        summary = run_report(
            list(inputs),
            out,
            options=options,
            jobs=worker_count(jobs),
            timeout=time_limit(timeout, batch=True),
            force=force,
            input_format=input_format,
            max_bytes=max_bytes,
            model_dir=model_dir,
            encoding=encoding,
            skipped=skipped,
            progress=False if quiet else None,
            full_texts=full_texts,
            on_skip=name_skipped if verbose and not quiet else None,
        )
    except ModelError as exc:
        raise ModelCheckFailed(f"model check failed: {exc}") from exc
    except KeyboardInterrupt:
        click.echo(
            f"detector: interrupted; results so far are in {Path(out) / RESULTS}. "
            "Run the same command again to finish.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        if verbose:
            for reason, count in summary.stats.get("errors", {}).get("by_reason", {}).items():
                click.echo(f"detector: error: {reason} ({count})", err=True)
        done = f", {summary.skipped} already done" if summary.skipped else ""
        rate = summary.stats["run"].get("documents_per_second")
        speed = f" at {rate:.1f} docs/s" if rate else ""
        extra = f", {summary.processed} processed{speed}{done}"
        click.echo(summary_line(summary.documents, summary.failed, dict(skipped), extra), err=True)
        click.echo(f"detector: wrote {Path(out) / REPORT}", err=True)
    if summary.failed:
        sys.exit(EXIT_SOME_FAILED)
