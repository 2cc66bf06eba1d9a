"""Label rendered lines as content or boilerplate against a gold main text.

A line's overlap is the share of its word 5-grams found in the gold text. A
line of fewer than five words counts as one n-gram: its overlap is 1 when its
whole word sequence occurs contiguously in the gold text starting and ending at
clause boundaries (line breaks, sentence or clause punctuation, spaced dashes),
else 0 - so a menu item such as "Teams" does not count as content just because
the word occurs inside a gold sentence, while a gold heading or list item does.
Lines with an overlap of at least the threshold (0.5) are content, the rest
boilerplate. Two conventions are applied on top: a line may be content only as
often as the gold holds it, surplus copies are boilerplate
(:func:`demote_copies`), and the headline is content while its repeated copies
are boilerplate (:func:`mark_headline`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from detector.overlap import GoldIndex, N
from detector.tokens import ngram_words as tokenize

__all__ = [
    "CONTENT_THRESHOLD",
    "N",
    "GoldIndex",
    "LineLabel",
    "demote_copies",
    "label_lines",
    "mark_headline",
    "tokenize",
]

CONTENT_THRESHOLD = 0.5
"""Least overlap share of a content line."""


@dataclass(frozen=True, slots=True)
class LineLabel:
    """The overlap share of one line with the gold text and the label it implies."""

    overlap: float
    label: str


def label_lines(
    lines: Sequence[str], gold: str | GoldIndex, threshold: float = CONTENT_THRESHOLD
) -> list[LineLabel]:
    """Label each line ``content`` or ``boilerplate`` by its overlap with the gold text.

    A line without any word (a separator such as ``|---|`` or ``* * *``) has
    overlap 0 and takes the label of the line before it (boilerplate at the top).
    """
    index = gold if isinstance(gold, GoldIndex) else GoldIndex(gold)
    out: list[LineLabel] = []
    for line in lines:
        share = index.overlap(line)
        if share >= threshold:
            label = "content"
        elif out and not tokenize(line):
            label = out[-1].label
        else:
            label = "boilerplate"
        out.append(LineLabel(share, label))
    return out


def demote_copies(lines: Sequence[str], labels: list[str], gold: GoldIndex, reach: int = 3) -> int:
    """Turn surplus copies of content lines into boilerplate, in place.

    A line's words can be content as many times as the gold holds them (at
    least once); of more copies, those with the most other content lines
    within ``reach`` lines are kept, earlier ones first on a tie. Returns the
    number of lines demoted.
    """
    copies: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if labels[i] == "content":
            key = tuple(tokenize(line))
            if key:
                copies[key].append(i)
    content = {i for where in copies.values() for i in where}
    demoted = 0
    for key, where in copies.items():
        allowed = max(1, gold.occurrences(key))
        if len(where) <= allowed:
            continue
        same = set(where)
        support = {
            i: sum(j in content and j not in same for j in range(i - reach, i + reach + 1))
            for i in where
        }
        keep = set(sorted(where, key=lambda i: (-support[i], i))[:allowed])
        for i in same - keep:
            labels[i] = "boilerplate"
            demoted += 1
    return demoted


def mark_headline(
    lines: Sequence[str],
    labels: list[str],
    headlines: Sequence[str],
    preferred: Collection[int] = (),
) -> int | None:
    """Apply the headline convention to ``labels`` in place.

    The headline is the first candidate (most likely first) whose words equal
    those of a line placed before the last content line (anywhere when there is
    no content), so that a copy in a footer is never taken for it. One such
    line becomes content - the first of those in ``preferred`` (for example the
    lines rendered from an ``h1`` element), else the first of all - and every
    other line with the same words is a repeated copy and becomes boilerplate.
    Returns the index of the headline line, ``None`` if no candidate occurs.
    """
    keys = [tuple(tokenize(line)) for line in lines]
    end = max((i for i, label in enumerate(labels) if label == "content"), default=len(lines))
    for headline in headlines:
        target = tuple(tokenize(headline))
        copies = [i for i, key in enumerate(keys) if target and key == target]
        eligible = [i for i in copies if i <= end]
        if not eligible:
            continue
        chosen = next((i for i in eligible if i in preferred), eligible[0])
        for i in copies:
            labels[i] = "content" if i == chosen else "boilerplate"
        return chosen
    return None


_BYLINE = re.compile(
    r"^(?i:by|von|par|por|di|door|av)\s+(?:[A-Z][\w'’.-]*\s*(?:,|and|&|und|et|e|y)?\s*){1,8}$",
)
"""A line that is only a byline: "By <Name> [and <Name>]" in a few languages."""


def mark_bylines(lines: Sequence[str], labels: list[str]) -> int:
    """Apply the byline convention to ``labels`` in place: a line that is only a
    byline is boilerplate, as in Scrapinghub's gold (WCXB's gold keeps it on some
    pages and not on others). Returns how many lines changed."""
    changed = 0
    for i, line in enumerate(lines):
        if labels[i] == "content" and _BYLINE.match(" ".join(line.split())):
            labels[i] = "boilerplate"
            changed += 1
    return changed
