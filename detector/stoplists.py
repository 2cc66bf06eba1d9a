"""Stop-word lists for about 100 languages (jusText's), and a guess of which
one fits a document best."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import justext
import numpy as np

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
"""A word: letters, with inner apostrophes."""


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``."""
    return WORD.findall(text.lower())


@lru_cache(maxsize=8192)
def block_words(text: str) -> tuple[str, ...]:
    """``words(text)`` as a tuple, remembered for the last few thousand texts:
    the cleaner's features and its repeat rule read the same blocks' words."""
    return tuple(WORD.findall(text.lower()))


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, ...], dict[str, int], np.ndarray, tuple[frozenset[str], ...]]:
    """The languages, a row number per stop word, which languages list each
    stop word (a row of booleans per word) and the stop lists."""
    languages = tuple(sorted(justext.get_stoplists()))
    lists = tuple(frozenset(justext.get_stoplist(lang)) for lang in languages)
    rows = {w: i for i, w in enumerate(sorted(set().union(*lists)))}
    member = np.zeros((len(rows), len(languages)), dtype=bool)
    for j, stoplist in enumerate(lists):
        member[[rows[w] for w in stoplist], j] = True
    return languages, rows, member, lists


def detect_language(tokens: Iterable[str]) -> str | None:
    """The jusText language whose stop words cover most of ``tokens``, or None."""
    counts = Counter(tokens)
    return detect_language_counts(list(counts), list(counts.values()))


def detect_language_counts(vocabulary: Sequence[str], counts: Sequence[int]) -> str | None:
    """``detect_language`` of a text whose distinct words, in order of first use,
    occur ``counts`` times. Ties go to the language met first: the one listing
    the earliest of those words, the first in alphabetical order among those."""
    languages, rows, member, _ = _index()
    found = [
        (row, n)
        for w, n in zip(vocabulary, counts, strict=True)
        if (row := rows.get(w)) is not None
    ]
    if not found:
        return None
    found_rows, found_counts = zip(*found, strict=True)
    listed = member[list(found_rows)]
    totals = np.asarray(found_counts, dtype=np.int64) @ listed
    best = np.flatnonzero(totals == totals.max())
    first_word = np.argmax(listed[:, best], axis=0)
    return languages[int(best[np.argmin(first_word)])]


def stoplist(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an empty set for None)."""
    if language is None:
        return frozenset()
    languages, _, _, lists = _index()
    return lists[languages.index(language)]
