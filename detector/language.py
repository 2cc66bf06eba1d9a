"""Stop-word lists for about 100 languages (jusText's), and a guess of which
one fits a document best."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import justext
import numpy as np

_LETTER, _APOSTROPHE, _WORD_CHAR = 1, 2, 4
"""Classes of a character of lower-cased text: a letter of ``WORD``, one of its
inner apostrophes, a ``\\w`` character (what ``metrics.tokens`` counts)."""
_ONE_LETTER = re.compile(r"[^\W\d_]")
_ONE_WORD_CHAR = re.compile(r"\w")


def _word_class(char: str) -> int:
    return (
        _LETTER * bool(_ONE_LETTER.fullmatch(char))
        | _APOSTROPHE * (char in "'’")
        | _WORD_CHAR * bool(_ONE_WORD_CHAR.fullmatch(char))
    )


@lru_cache(maxsize=1)
def _word_class_table() -> np.ndarray:
    """The classes of every character of the Basic Multilingual Plane."""
    return np.fromiter(map(_word_class, map(chr, range(0x10000))), dtype=np.uint8, count=0x10000)


@dataclass(frozen=True, slots=True)
class DocumentWords:
    """The words of each block of one document: ``lowered`` holds each block's
    lower-cased text, ``tokens`` its ``words(text)``, ``runs`` how many ``\\w+``
    runs its lower-cased text has (the tokens ``metrics.tokens`` counts)."""

    lowered: list[str]
    tokens: list[tuple[str, ...]]
    runs: np.ndarray


def document_words(texts: Sequence[str]) -> DocumentWords:
    """``words`` of every text and its ``\\w+`` runs, found in one pass over the
    lower-cased texts: a letter always belongs to a word, an apostrophe when
    letters stand on both sides of it, and every other character is replaced
    by a space, so that ``str.split`` returns the words in order."""
    lowered = [text.lower() for text in texts]
    joined = "\n".join(lowered)  # a separator in no word and no run
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _word_class_table()[np.minimum(codes, 0xFFFF)]
    for i in np.flatnonzero(codes > 0xFFFF).tolist():
        classes[i] = _word_class(chr(codes[i]))
    letter = np.zeros(len(codes) + 2, dtype=bool)
    letter[1:-1] = classes & _LETTER
    in_word = letter[1:-1] | (((classes & _APOSTROPHE) > 0) & letter[:-2] & letter[2:])
    spaced = np.where(in_word, codes, np.uint32(32)).tobytes()
    every = spaced.decode("utf-32-le", "surrogatepass").split()
    word_char = (classes & _WORD_CHAR) > 0
    lengths = np.fromiter(map(len, lowered), dtype=np.intp, count=len(lowered))
    starts = np.cumsum(lengths + 1) - lengths - 1
    bounds = np.concatenate([starts, starts + lengths])
    words_before = _starts_before(in_word, bounds)
    runs_before = _starts_before(word_char, bounds)
    n = len(texts)
    first, last = words_before[:n].tolist(), words_before[n:].tolist()
    return DocumentWords(
        lowered=lowered,
        tokens=[tuple(every[a:b]) for a, b in zip(first, last, strict=True)],
        runs=runs_before[n:] - runs_before[:n],
    )


def _starts_before(inside: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """How many runs of True in ``inside`` start before each of ``positions``."""
    opens = inside.copy()
    opens[1:] &= ~inside[:-1]
    return np.concatenate([[0], np.cumsum(opens)])[positions]


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, ...], dict[str, int], np.ndarray, tuple[frozenset[str], ...]]:
    """The languages, a row number per stop word, where each row's languages
    start in :func:`_row_languages` (one more entry marks the end), and the
    stop lists."""
    languages = tuple(sorted(justext.get_stoplists()))
    lists = tuple(frozenset(justext.get_stoplist(lang)) for lang in languages)
    rows = {w: i for i, w in enumerate(sorted(set().union(*lists)))}
    per_row = np.bincount([rows[w] for stoplist in lists for w in stoplist], minlength=len(rows))
    starts = np.concatenate([[0], np.cumsum(per_row)])
    return languages, rows, starts, lists


@lru_cache(maxsize=1)
def _row_languages() -> np.ndarray:
    """The languages (by position in ``_index()[0]``) listing each stop word,
    row after row, in alphabetical order within a row: a compact form of the
    words-by-languages table, whose rows are few of its hundred columns."""
    _, rows, starts, lists = _index()
    row_of = np.array([rows[w] for stoplist in lists for w in stoplist], dtype=np.intp)
    language_of = np.repeat(np.arange(len(lists)), [len(stoplist) for stoplist in lists])
    return language_of[np.argsort(row_of, kind="stable")].astype(np.intp)


def _stop_rows(vocabulary: Sequence[str]) -> np.ndarray:
    """The row of each word in ``_index()``'s table, -1 for a word in no stop list."""
    rows = _index()[1]
    return np.fromiter(map(rows.get, vocabulary, repeat(-1)), dtype=np.intp, count=len(vocabulary))


def detect_language(tokens: Iterable[str]) -> str | None:
    """The jusText language whose stop words cover most of ``tokens``, or None."""
    counts = Counter(tokens)
    return detect_language_counts(list(counts), list(counts.values()))


def detect_language_counts(vocabulary: Sequence[str], counts: Sequence[int]) -> str | None:
    """``detect_language`` of a text whose distinct words, in order of first use,
    occur ``counts`` times. Ties go to the language met first: the one listing
    the earliest of those words, the first in alphabetical order among those."""
    return _language_and_stop_words(vocabulary, counts)[0]


def stop_words_of_language(vocabulary: Sequence[str], counts: Sequence[int]) -> np.ndarray:
    """Which of a text's distinct words (in order of first use, occurring
    ``counts`` times) are stop words of its ``detect_language_counts``
    language: ``stoplist(detect_language_counts(...)).__contains__`` of each."""
    return _language_and_stop_words(vocabulary, counts)[1]


def _language_and_stop_words(
    vocabulary: Sequence[str], counts: Sequence[int]
) -> tuple[str | None, np.ndarray]:
    """``detect_language_counts`` and ``stop_words_of_language`` of one text."""
    languages, _, starts, _ = _index()
    rows = _stop_rows(vocabulary)
    listed = np.flatnonzero(rows >= 0)
    is_stop = np.zeros(len(vocabulary), dtype=bool)
    if not len(listed):
        return None, is_stop
    found_rows = rows[listed]
    found_counts = np.asarray(counts)[listed]
    first, size = starts[found_rows], starts[found_rows + 1] - starts[found_rows]
    word = np.repeat(np.arange(len(found_rows)), size)  # (word, language) pairs, words in order
    language = _row_languages()[
        np.arange(len(word)) + np.repeat(first - (np.add.accumulate(size) - size), size)
    ]
    totals = np.bincount(language, weights=found_counts[word], minlength=len(languages))
    best = np.flatnonzero(totals == totals.max())
    chosen = int(best[0])
    if len(best) > 1:  # the one with the earliest pair (pairs are in word order)
        first_pair = [int(np.argmax(language == b)) for b in best.tolist()]
        chosen = int(best[int(np.argmin(word[first_pair]))])
    is_stop[listed[word[language == chosen]]] = True
    return languages[chosen], is_stop


def stoplist(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an empty set for None)."""
    if language is None:
        return frozenset()
    languages, _, _, lists = _index()
    return lists[languages.index(language)]
