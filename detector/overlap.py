"""How much of a line a reference text holds: the share of the line's word
5-grams found in it.

A line of fewer than five words counts as one n-gram: its overlap is 1 when
its whole word sequence occurs contiguously in the reference, starting and
ending at clause boundaries (line breaks, sentence or clause punctuation,
spaced dashes), else 0 - so a menu item such as "Teams" does not count as
held just because the word occurs inside a sentence, while a heading or list
item does. HTML mode uses it to find extracted text that the page's rendering
lacks; the corpus builders use it to label lines against gold texts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from detector.tokens import ngram_words

__all__ = ["N", "GoldIndex", "ngram_hashes"]

N = 5
"""Length of the word n-grams compared."""

# Where a clause of the gold text ends: line breaks, sentence and clause
# punctuation, separators, and dashes between spaces.
_SEGMENT_BREAK = re.compile(r"[\n.!?;:|•·…。！？；：]+|\s[-–—]+\s")


def ngram_hashes(tokens: Sequence[str], n: int) -> list[int]:
    return [hash(tuple(tokens[i : i + n])) for i in range(len(tokens) - n + 1)]


class GoldIndex:
    """The words and word n-grams of one gold text, for overlap look-ups;
    ``tokens`` is the set of its words."""

    def __init__(self, gold: str) -> None:
        tokens: list[str] = []
        starts: list[int] = []
        for segment in _SEGMENT_BREAK.split(gold):
            words = ngram_words(segment)
            if words:
                starts.append(len(tokens))
                tokens += words
        ends = {*starts[1:], len(tokens)}
        self.tokens = frozenset(tokens)
        self._joined = f" {' '.join(tokens)} "
        self._size = min(N, len(tokens))
        self._grams = frozenset(ngram_hashes(tokens, self._size)) if tokens else frozenset()
        self._anchored = Counter(
            hash(tuple(tokens[start:end]))
            for start in starts
            for end in range(start + 1, min(start + N, len(tokens) + 1))
            if end in ends
        )

    def overlap(self, line: str) -> float:
        """Share of the line's word 5-grams in the gold; for a line of fewer than
        five words, 1 if the gold holds them as whole clauses, else 0."""
        tokens = ngram_words(line)
        if not tokens:
            return 0.0
        if len(tokens) < N:
            return float(hash(tuple(tokens)) in self._anchored)
        grams = ngram_hashes(tokens, N)
        return sum(g in self._grams for g in grams) / len(grams)

    def occurrences(self, words: Sequence[str]) -> int:
        """How many times the gold holds the word sequence: as whole clauses for
        fewer than five words (as :meth:`overlap` counts them), anywhere otherwise."""
        if len(words) < N:
            return self._anchored[hash(tuple(words))] if words else 0
        return self._joined.count(f" {' '.join(words)} ")

    def coverage(self, lines: Sequence[str]) -> float:
        """Share of the gold's word 5-grams (or of its whole word sequence, when it is
        shorter) that occur in the lines read as one text; 0 for an empty gold."""
        if not self._grams:
            return 0.0
        found = self._grams.intersection(ngram_hashes(ngram_words("\n".join(lines)), self._size))
        return len(found) / len(self._grams)
