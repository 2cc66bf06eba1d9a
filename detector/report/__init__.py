"""Batch reports: the Python API of ``detector report`` (its command line is
``detector.cli.report``).

>>> from detector.report import run_report
>>> summary = run_report(["seeds/"], "reports/seeds", jobs=2)   # doctest: +SKIP
>>> summary.stats["filler_score"]["quantiles"]["median"]          # doctest: +SKIP

One folder per report: ``results.jsonl`` (store.py: appended record by record,
resumable), ``stats.json`` (stats.py) and ``report.html`` (html.py), the last
two rebuilt from results.jsonl at the end of every run. The documents are
processed by the killable worker pool of ``detector.runner``.
"""

from __future__ import annotations

from detector.report.command import REPORT, STATS, ReportSummary, run_report
from detector.report.html import render_report
from detector.report.stats import build_stats, summarize
from detector.report.store import RESULTS, ResultStore, iter_records, make_record

__all__ = [
    "REPORT",
    "RESULTS",
    "STATS",
    "ReportSummary",
    "ResultStore",
    "build_stats",
    "iter_records",
    "make_record",
    "render_report",
    "run_report",
    "summarize",
]
