"""Stop-word lists for about 100 languages (jusText's), and a guess of which
one fits a document best."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import justext

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
"""A word: letters, with inner apostrophes."""


def words(text: str) -> list[str]:
    """Lower-cased words of ``text``."""
    return WORD.findall(text.lower())


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, ...], dict[str, tuple[int, ...]], tuple[frozenset[str], ...]]:
    languages = tuple(sorted(justext.get_stoplists()))
    lists = tuple(frozenset(justext.get_stoplist(lang)) for lang in languages)
    membership: dict[str, list[int]] = {}
    for i, stoplist in enumerate(lists):
        for word in stoplist:
            membership.setdefault(word, []).append(i)
    return languages, {w: tuple(ids) for w, ids in membership.items()}, lists


def detect_language(tokens: Iterable[str]) -> str | None:
    """The jusText language whose stop words cover most of ``tokens``, or None."""
    languages, membership, _ = _index()
    counts: Counter[int] = Counter()
    for token, n in Counter(tokens).items():
        for lang_id in membership.get(token, ()):
            counts[lang_id] += n
    if not counts:
        return None
    return languages[counts.most_common(1)[0][0]]


def stoplist(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an empty set for None)."""
    if language is None:
        return frozenset()
    languages, _, lists = _index()
    return lists[languages.index(language)]
