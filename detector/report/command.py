"""``run_report``: clean and score a batch in parallel, resumably, and write
results.jsonl, stats.json and report.html (with its ``report-details/``) into
one folder; ``load_results``: read a report's records back in full. The
``detector report`` command that calls ``run_report`` is in
``detector.cli.report``."""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import detector
from detector.inputs.sources import DEFAULT_MAX_BYTES, count_inputs, is_url, iter_inputs
from detector.modelstore import ModelError, model_info, read_manifest
from detector.pipeline import Options
from detector.report.html import ReportWriter
from detector.report.progress import Progress
from detector.report.stats import StatsBuilder, summarize
from detector.report.store import (
    RESULTS,
    Key,
    ReportTask,
    ResultStore,
    atomic_writer,
    config_sha256,
    content_sha256,
    iter_records,
)
from detector.runner import WorkerPool, WorkerSetupError, default_jobs

STATS = "stats.json"


@dataclass
class ReportSummary:
    """What one ``run_report`` did."""

    out: Path
    processed: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    documents: int = 0
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


def run_report(
    inputs: list[str],
    out: str | Path,
    *,
    options: Options | None = None,
    jobs: int | None = None,
    timeout: float | None = 30.0,
    force: bool = False,
    input_format: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
    model_dir: str | None = None,
    progress: bool | None = None,
    encoding: str | None = None,
    skipped: Counter[str] | None = None,
    progress_interval: float = 10.0,
    full_texts: bool = False,
    on_skip: Callable[[str, str], None] | None = None,
) -> ReportSummary:
    """Process ``inputs`` into ``out``/results.jsonl (resuming what is there unless
    ``force``), then rebuild ``out``/stats.json and ``out``/report.html from it.

    Raises ``ModelError`` when the models are missing or fail their checks.
    ``progress`` None shows a bar on stderr when it is a terminal, and else a
    plain progress line every ``progress_interval`` seconds; True always a bar,
    False nothing. The bar has a total and the time left when the inputs can be
    counted cheaply (:func:`detector.inputs.sources.count_inputs`).
    ``timeout`` None is no time limit; ``encoding`` forces the decoding of
    every document; ``skipped`` (a Counter) receives the inputs passed over
    by reason, as :func:`detector.inputs.sources.iter_inputs` counts them.
    ``on_skip(path, reason)`` is told of each input passed over.
    ``full_texts`` writes records in full; by default they are compact
    (:mod:`detector.report.compact`: texts the input holds are offsets into it),
    and stats.json and report.html are made from them and the inputs, read again
    (:func:`detector.report.store.iter_records`).
    """
    options = options or Options(mode="auto", score=True)
    out = Path(out)
    started_at = datetime.now(timezone.utc)
    models = model_info(model_dir)
    for name in ("cleaner", "filler") if options.score else ("cleaner",):
        if name not in models:
            raise ModelError(f"no entry for model '{name}' in the manifest")
    config = config_sha256(models, options, full_texts=full_texts)
    jobs = jobs or default_jobs()
    skipped = skipped if skipped is not None else Counter()
    summary = ReportSummary(out=out)
    seen: set[Key] = set()

    def pending(items: Any) -> Any:
        for item in items:
            key = (item.id, content_sha256(item))
            if key in seen:
                summary.duplicates += 1
                bar.passed_over(already_done=False)
                continue
            seen.add(key)
            if store.is_done(key):
                summary.skipped += 1
                bar.passed_over()
                continue
            yield item

    task = ReportTask(options=options, model_dir=model_dir, config=config, full_texts=full_texts)
    store = ResultStore.in_folder(out, config).open(force=force)
    total = None if progress is False else count_inputs(inputs, input_format=input_format)
    bar = Progress.choose(progress, total, progress_interval)
    try:
        items: Any = iter_inputs(
            inputs,
            input_format=input_format,
            max_bytes=max_bytes,
            encoding=encoding,
            skipped=skipped,
            on_skip=on_skip,
        )
        todo = pending(items)
        first = next(todo, None)
        if first is not None:  # no workers (no model loading) when everything is done
            with WorkerPool(task, jobs=jobs, timeout=timeout) as pool:
                clock = time.perf_counter()
                for record in pool.imap_unordered(itertools.chain([first], todo)):
                    store.append(record)
                    summary.processed += 1
                    bar.advance()
                summary.seconds = time.perf_counter() - clock
        store.compact(seen)
    except WorkerSetupError as exc:
        raise ModelError(str(exc)) from exc
    finally:
        bar.close()
        store.close()

    run = {
        "inputs": list(inputs),
        "cwd": os.getcwd(),
        "jobs": jobs,
        "timeout": timeout,
        "force": force,
        "started": started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "finished": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "processed": summary.processed,
        "skipped_done": summary.skipped,
        "skipped_duplicates": summary.duplicates,
        "skipped_inputs": dict(skipped),
        "processing_seconds": round(summary.seconds, 3),
        "documents_per_second": (
            round(summary.processed / summary.seconds, 2)
            if summary.seconds and summary.processed
            else None
        ),
        "options": {
            "mode": options.mode,
            "favor": options.favor,
            "score": options.score,
            "drop_generated": options.drop_generated,
            "input_format": input_format,
            "max_bytes": max_bytes,
            "encoding": encoding,
            "full_texts": full_texts,
        },
    }
    extra = {
        "run": run,
        "models": _model_versions(models, model_dir),
        "config_sha256": config,
        "detector_version": detector.__version__,
    }
    records = iter_records(
        out / RESULTS,
        None if full_texts else inputs,  # full records need no input
        input_format=input_format,
        encoding=encoding,
        max_bytes=max_bytes,
    )
    builder = StatsBuilder(_threshold(model_dir))
    with ReportWriter(out) as report:
        for record in records:
            numbers = summarize(record)
            builder.add(record, numbers)
            report.add(record, numbers)
        stats = builder.result(extra)
        with atomic_writer(out / STATS) as handle:
            handle.write((json.dumps(stats, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        report.finish(stats)
    summary.stats = stats
    summary.documents = stats["documents"]["total"]
    summary.failed = stats["documents"]["error"]
    return summary


def load_results(folder: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records of the report in ``folder``, each in full (texts included), as
    :func:`detector.report.store.iter_records` gives them back with the inputs and
    reading options that stats.json records (paths taken from the folder the
    report was run in)."""
    folder = Path(folder)
    run = json.loads((folder / STATS).read_text(encoding="utf-8")).get("run") or {}
    options = run.get("options") or {}
    cwd = Path(run.get("cwd") or ".")
    inputs = [p if p == "-" or is_url(p) else str(cwd / p) for p in run.get("inputs") or []]
    return iter_records(
        folder / RESULTS,
        inputs,
        input_format=options.get("input_format", "auto"),
        encoding=options.get("encoding"),
        max_bytes=options.get("max_bytes", DEFAULT_MAX_BYTES),
    )


def _model_versions(
    models: dict[str, dict[str, str]], model_dir: str | None
) -> dict[str, dict[str, Any]]:
    """Each model's file and sha256, with when it was trained and on what libraries."""
    try:
        entries = read_manifest(model_dir or _default_dir()).get("models", {})
    except ModelError:
        entries = {}
    out: dict[str, dict[str, Any]] = {}
    for name, info in models.items():
        entry = entries.get(name) or {}
        out[name] = {
            **info,
            "trained_at": entry.get("trained_at"),
            "library_versions": entry.get("library_versions"),
        }
    return out


def _threshold(model_dir: str | None) -> float | None:
    """The filler model's calibrated decision threshold, from the manifest."""
    try:
        entry = read_manifest(model_dir or _default_dir())["models"].get("filler") or {}
    except (ModelError, KeyError):
        return None
    value = (entry.get("metrics") or {}).get("threshold")
    return float(value) if isinstance(value, (int, float)) else None


def _default_dir() -> Path:
    from detector.modelstore import default_model_dir

    return default_model_dir()
