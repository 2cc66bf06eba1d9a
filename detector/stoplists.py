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
def _index() -> tuple[tuple[str, ...], dict[str, np.ndarray], tuple[frozenset[str], ...]]:
    languages = tuple(sorted(justext.get_stoplists()))
    lists = tuple(frozenset(justext.get_stoplist(lang)) for lang in languages)
    membership: dict[str, list[int]] = {}
    for i, stoplist in enumerate(lists):
        for word in stoplist:
            membership.setdefault(word, []).append(i)
    return languages, {w: np.array(ids, dtype=np.intp) for w, ids in membership.items()}, lists


def detect_language(tokens: Iterable[str]) -> str | None:
    """The jusText language whose stop words cover most of ``tokens``, or None."""
    counts = Counter(tokens)
    return detect_language_counts(list(counts), list(counts.values()))


def detect_language_counts(vocabulary: Sequence[str], counts: Sequence[int]) -> str | None:
    """``detect_language`` of a text whose distinct words, in order of first use,
    occur ``counts`` times. Ties go to the language met first, as in ``detect_language``."""
    languages, membership, _ = _index()
    found = [
        (ids, n)
        for w, n in zip(vocabulary, counts, strict=True)
        if (ids := membership.get(w)) is not None
    ]
    if not found:
        return None
    ids = np.concatenate([lang_ids for lang_ids, _ in found])
    weights = np.repeat([n for _, n in found], [len(lang_ids) for lang_ids, _ in found])
    totals = np.bincount(ids, weights=weights)
    best = np.flatnonzero(totals == totals.max())
    first_met = ids[np.argmax(np.isin(ids, best))]
    return languages[int(first_met)]


def stoplist(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an empty set for None)."""
    if language is None:
        return frozenset()
    languages, _, lists = _index()
    return lists[languages.index(language)]
