"""``stats.json``: what a batch held and what the models made of it, counted
from the records in one streaming pass.

Counts: documents by status and mode; blocks, tokens and characters by label;
text removed (characters and tokens of the blocks cleaning drops, overall and
as a per-document distribution); filler scores (histogram, quantiles, how
many documents pass the filler model's threshold); errors grouped by reason;
seconds per document; and the models and options that made the records.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from detector.document import LABELS
from detector.tokens import count_words

SCORE_BINS = 20
SHARE_BINS = 10
REMOVED_LABELS = ("boilerplate", "seo_filler")
"""What cleaning drops (``generated`` is flagged but kept unless asked)."""

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def count_tokens(text: str) -> int:
    """Word tokens in ``text``; every CJK character counts as one."""
    return count_words(text)


def summarize(record: dict[str, Any]) -> dict[str, Any]:
    """The numbers of one record that the stats and the report's table use."""
    blocks = record.get("blocks") or []
    chars = Counter[str]()
    tokens = Counter[str]()
    count = Counter[str]()
    for block in blocks:
        label = block.get("label", "content")
        text = block.get("text") or ""  # null when its input was not at hand
        count[label] += 1
        chars[label] += len(text)
        tokens[label] += count_tokens(text)
    total_chars = sum(chars.values())
    removed_chars = sum(chars[label] for label in REMOVED_LABELS)
    total_tokens = sum(tokens.values())
    return {
        "id": str(record.get("id", "")),
        "content_sha256": record.get("content_sha256"),
        "source": record.get("source") or "",
        "url": record.get("url") or (record.get("metadata") or {}).get("url"),
        "status": record.get("status", "ok"),
        "error": record.get("error"),
        "mode": record.get("mode", ""),
        "filler_score": record.get("filler_score"),
        "blocks": len(blocks),
        "blocks_by_label": dict(count),
        "tokens": total_tokens,
        "tokens_by_label": dict(tokens),
        "chars_by_label": dict(chars),
        "removed_share": removed_chars / total_chars if total_chars else None,
        "generated_share": chars["generated"] / total_chars if total_chars else None,
        "seconds": record.get("seconds"),
    }


def error_reason(error: str | None) -> str:
    """An error message with its particulars (numbers) taken out, to group by."""
    if not error:
        return "unknown"
    reason = re.sub(r"^line \d+: ", "", error.strip().split("\n", 1)[0])
    return _NUMBER.sub("N", reason)[:200]


def histogram(values: Iterable[float], bins: int) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over [0, 1] (1.0 in the last)."""
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int(value * bins)))] += 1
    return counts


def quantiles(values: list[float]) -> dict[str, float] | None:
    """min, p10, p25, median, p75, p90, max and mean of ``values`` (None if empty)."""
    if not values:
        return None
    ordered = sorted(values)

    def at(q: float) -> float:
        position = q * (len(ordered) - 1)
        low, high = math.floor(position), math.ceil(position)
        value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
        return round(value, 4)

    out = {name: at(q) for name, q in (("min", 0), ("p10", 0.1), ("p25", 0.25), ("median", 0.5))}
    out |= {name: at(q) for name, q in (("p75", 0.75), ("p90", 0.9), ("p95", 0.95), ("max", 1))}
    out["mean"] = round(sum(ordered) / len(ordered), 4)
    return out


class StatsBuilder:
    """Accumulates stats over records; ``result`` gives the stats.json object.

    Holds the filler scores, removed shares and seconds (one float each per
    document, for quantiles) and counters; never the records.
    """

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = threshold
        self.status = Counter[str]()
        self.modes = Counter[str]()
        self.blocks = Counter[str]()
        self.tokens = Counter[str]()
        self.chars = Counter[str]()
        self.errors = Counter[str]()
        self.error_examples: dict[str, str] = {}
        self.scores: list[float] = []
        self.removed: list[float] = []
        self.generated: list[float] = []
        self.seconds: list[float] = []
        self.input_chars = 0
        self.flagged = 0
        self.with_generated = 0
        self.empty = 0

    def add(self, record: dict[str, Any], summary: dict[str, Any] | None = None) -> None:
        s = summary or summarize(record)
        self.status[s["status"]] += 1
        if s["status"] != "ok":
            reason = error_reason(s["error"])
            self.errors[reason] += 1
            self.error_examples.setdefault(reason, s["id"])
            return
        self.modes[s["mode"]] += 1
        self.input_chars += int(record.get("input_chars") or 0)
        self.blocks.update(s["blocks_by_label"])
        self.tokens.update(s["tokens_by_label"])
        self.chars.update(s["chars_by_label"])
        if not s["blocks"]:
            self.empty += 1
        if s["removed_share"] is not None:
            self.removed.append(s["removed_share"])
            self.generated.append(s["generated_share"])
        if s["blocks_by_label"].get("generated"):
            self.with_generated += 1
        score = s["filler_score"]
        if score is not None:
            self.scores.append(float(score))
            if self.threshold is not None and score > self.threshold:
                self.flagged += 1
        if s["seconds"] is not None:
            self.seconds.append(float(s["seconds"]))

    def result(self, run: dict[str, Any] | None = None) -> dict[str, Any]:
        total_chars = sum(self.chars.values())
        total_tokens = sum(self.tokens.values())
        removed_chars = sum(self.chars[label] for label in REMOVED_LABELS)
        removed_tokens = sum(self.tokens[label] for label in REMOVED_LABELS)
        ok = self.status.get("ok", 0)
        return {
            "documents": {
                "total": sum(self.status.values()),
                "ok": ok,
                "error": self.status.get("error", 0),
                "empty": self.empty,
                "by_mode": dict(sorted(self.modes.items())),
            },
            "blocks": {"total": sum(self.blocks.values()), "by_label": _by_label(self.blocks)},
            "tokens": {"total": total_tokens, "by_label": _by_label(self.tokens)},
            "chars": {
                "input": self.input_chars,
                "blocks": total_chars,
                "by_label": _by_label(self.chars),
            },
            "removed": {
                "labels": list(REMOVED_LABELS),
                "chars": removed_chars,
                "tokens": removed_tokens,
                "share_of_chars": _share(removed_chars, total_chars),
                "share_of_tokens": _share(removed_tokens, total_tokens),
                "per_document": quantiles(self.removed),
                "per_document_histogram": {
                    "bins": SHARE_BINS,
                    "counts": histogram(self.removed, SHARE_BINS),
                },
            },
            "generated": {
                "documents_with_generated_blocks": self.with_generated,
                "share_of_tokens": _share(self.tokens["generated"], total_tokens),
                "per_document": quantiles(self.generated),
            },
            "filler_score": {
                "scored": len(self.scores),
                "threshold": self.threshold,
                "above_threshold": self.flagged if self.threshold is not None else None,
                "quantiles": quantiles(self.scores),
                "histogram": {"bins": SCORE_BINS, "counts": histogram(self.scores, SCORE_BINS)},
            },
            "errors": {
                "total": sum(self.errors.values()),
                "by_reason": dict(self.errors.most_common()),
                "example_ids": {reason: self.error_examples[reason] for reason in self.errors},
            },
            "seconds_per_document": quantiles(self.seconds),
            **(run or {}),
        }


def build_stats(
    records: Iterable[dict[str, Any]],
    *,
    threshold: float | None = None,
    run: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """stats.json for ``records``; ``run`` (models, options, timing) is merged in."""
    builder = StatsBuilder(threshold)
    for record in records:
        builder.add(record)
    return builder.result(run)


def _by_label(counter: Counter[str]) -> dict[str, int]:
    ordered = {label: counter.get(label, 0) for label in LABELS}
    ordered.update({k: v for k, v in counter.items() if k not in ordered})
    return ordered


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
