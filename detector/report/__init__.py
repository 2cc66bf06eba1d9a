"""Batch reports: the Python API of ``detector report`` (its command line is
``detector.cli.report``).

>>> from detector.report import run_report
>>> summary = run_report(["seeds/"], "reports/seeds", jobs=2)   # doctest: +SKIP
>>> summary.stats["filler_score"]["quantiles"]["median"]          # doctest: +SKIP

One folder per report: ``results.jsonl`` (store.py: appended record by record,
resumable), ``stats.json`` (stats.py) and ``report.html`` (html.py), the last
two rebuilt from results.jsonl at the end of every run. The documents are
processed by the killable worker pool of ``detector.runner``.

The names below are imported on first access (PEP 562), so that importing
one of them does not pay for the store, the worker pool and the page renderer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detector.report.command import REPORT, STATS, ReportSummary, run_report
    from detector.report.html import render_report
    from detector.report.stats import build_stats, summarize
    from detector.report.store import RESULTS, ResultStore, iter_records, make_record

_LAZY = {
    "REPORT": "command",
    "STATS": "command",
    "ReportSummary": "command",
    "run_report": "command",
    "render_report": "html",
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
    "ResultStore",
    "build_stats",
    "iter_records",
    "make_record",
    "render_report",
    "run_report",
    "summarize",
]


def __getattr__(name: str) -> Any:
    """Import the submodule behind a public name on first access (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'detector.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"detector.report.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
