"""Batch reports: the Python API of ``detector report`` (its command line is
``detector.cli.report``).

>>> from detector.report import run_report
>>> summary = run_report(["seeds/"], "reports/seeds", jobs=2)   # doctest: +SKIP
>>> summary.stats["filler_score"]["quantiles"]["median"]          # doctest: +SKIP

One folder per report: ``results.jsonl`` (store.py: appended record by record,
resumable; compact.py: its compact records), ``stats.json`` (stats.py) and
``report.html`` with ``report-details/`` (html.py), the last two rebuilt from
results.jsonl and the inputs at the end of every run. The documents are
processed by the killable worker pool of ``detector.runner``.
``load_results(folder)`` (or ``iter_records``) reads the records back in full.

The names below are imported on first access (PEP 562), so that importing
one of them does not pay for the store, the worker pool and the page renderer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detector.report.command import STATS, ReportSummary, load_results, run_report
    from detector.report.html import REPORT, ReportWriter, write_report
    from detector.report.stats import build_stats, summarize
    from detector.report.store import RESULTS, ResultStore, iter_records, make_record

_LAZY = {
    "REPORT": "html",
    "STATS": "command",
    "ReportSummary": "command",
    "load_results": "command",
    "run_report": "command",
    "ReportWriter": "html",
    "write_report": "html",
    "build_stats": "stats",
    "summarize": "stats",
    "RESULTS": "store",
    "ResultStore": "store",
    "iter_records": "store",
    "make_record": "store",
}

__all__ = [
    "REPORT",
    "RESULTS",
    "STATS",
    "ReportSummary",
    "ReportWriter",
    "ResultStore",
    "build_stats",
    "iter_records",
    "load_results",
    "make_record",
    "run_report",
    "summarize",
    "write_report",
]


def __getattr__(name: str) -> Any:
    """Import the submodule behind a public name on first access (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'detector.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"detector.report.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
