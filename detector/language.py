"""Stop-word lists for about 100 languages (jusText's), and a guess of which
one fits a document best."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

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


class CharClasses:
    """A per-character class (a small int) looked up for a whole array of code
    points at once, each character classified with ``classify`` the first time
    it is seen. A table of all 65,536 characters of the Basic Multilingual Plane
    built up front cost a tenth of a second at start, for the few hundred
    characters a document holds."""

    def __init__(self, classify: Callable[[str], int]) -> None:
        self._classify = classify
        self._table: np.ndarray | None = None
        self._known: np.ndarray | None = None

    def __call__(self, codes: np.ndarray) -> np.ndarray:
        """The class of each code point of ``codes`` (unsigned, at most 0x10FFFF),
        as a new uint8 array."""
        if self._table is None or self._known is None:
            self._table = np.zeros(0x110000, dtype=np.uint8)  # zero pages: no cost
            self._known = np.zeros(0x110000, dtype=bool)
        table, known = self._table, self._known
        seen = known[codes]
        if not seen.all():
            new = np.unique(codes[~seen]).tolist()
            table[new] = [self._classify(chr(code)) for code in new]
            known[new] = True  # after the classes: a reader never sees a known 0
        return table[codes]


_word_classes = CharClasses(_word_class)
"""``_word_class`` of each character of an array of code points."""


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
    classes = _word_classes(codes)
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


def _stoplist_folder() -> str:
    """jusText's folder of stop lists, found without importing jusText (which
    imports lxml: a cost text mode has no other reason to pay)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jusText (its stop lists) is not installed")
    return os.path.join(spec.submodule_search_locations[0], "stoplists")


def _read_stoplist(path: str) -> frozenset[str]:
    """The words of one stop-list file, as ``justext.get_stoplist`` reads them
    (lines split at \\n, \\r or \\r\\n, decoded as UTF-8, lower-cased), in a
    few whole-file operations instead of one per word."""
    with open(path, "rb") as handle:
        data = handle.read().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = data.decode("utf-8").lower().split("\n")
    if data.endswith(b"\n"):
        lines.pop()
    return frozenset(lines)


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    """jusText's languages (its stop-list files), in alphabetical order."""
    return tuple(sorted(n[:-4] for n in os.listdir(_stoplist_folder()) if n.endswith(".txt")))


@lru_cache(maxsize=1)
def _stoplists() -> tuple[tuple[str, ...], tuple[frozenset[str], ...], frozenset[str]]:
    """jusText's languages in alphabetical order, their stop lists, and the words
    of any list: a tenth of a second of CPU to build (150,000 words), which
    :func:`_stop_index` spares a document whose lists it indexes."""
    folder = _stoplist_folder()
    languages = _languages()
    lists = tuple(_read_stoplist(os.path.join(folder, f"{lang}.txt")) for lang in languages)
    return languages, lists, frozenset().union(*lists)


_LANGUAGES_OF: dict[str, tuple[int, ...]] = {}
"""The languages (positions in ``_stoplists()[0]``, ascending) listing a stop
word, filled as documents bring their words (without :func:`_stop_index`):
bounded by the stop words of all lists, and far cheaper at start than
indexing all 150,000 of them at once."""


def _languages_of(word: str) -> tuple[int, ...]:
    """The languages (ascending positions) whose stop lists hold ``word``."""
    found = _LANGUAGES_OF.get(word)
    if found is None:
        lists = _stoplists()[1]
        found = _LANGUAGES_OF[word] = tuple(i for i, s in enumerate(lists) if word in s)
    return found


def stoplists_digest() -> str:
    """sha256 of jusText's stop lists as installed: each ``.txt`` file's name,
    size and bytes, in name order."""
    folder = _stoplist_folder()
    digest = hashlib.sha256()
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".txt")):
        with open(os.path.join(folder, name), "rb") as handle:
            data = handle.read()
        digest.update(b"%s\0%d\0" % (name.encode("utf-8"), len(data)))
        digest.update(data)
    return digest.hexdigest()


STOP_INDEX = "stopwords"
"""The name of the stop-word index among the package's data files (``detector/data``)."""


class StopIndex:
    """The languages of every stop word of jusText's lists, read from arrays
    built once (``python -m detector_dev.stopwords``), so that looking up a
    document's words needs no set of 150,000 words built at start.

    The words (UTF-8, ``blob`` cut at ``ends``) are ordered by their crc32
    (``hashes``); word ``j`` is a stop word of the languages
    ``language_ids[language_ends[j-1]:language_ends[j]]`` (ascending positions
    in :func:`_languages`). A word is looked up by its crc32 and then compared
    byte for byte, so the answer is exact.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.hashes = arrays["hashes"]
        self.blob = arrays["blob"].tobytes()
        self.bounds = np.concatenate([[0], arrays["ends"]])
        self.language_bounds = np.concatenate([[0], arrays["language_ends"]])
        self.language_ids = arrays["language_ids"].tobytes()

    @staticmethod
    def to_arrays(lists: Sequence[frozenset[str]]) -> dict[str, np.ndarray]:
        """The arrays of the index of ``lists`` (the stop words of each language)."""
        listing: dict[str, list[int]] = {}
        for i, words in enumerate(lists):
            for word in words:
                listing.setdefault(word, []).append(i)
        every = sorted(listing)
        keys = [word.encode("utf-8") for word in every]
        hashes = np.fromiter(map(zlib.crc32, keys), dtype=np.uint32, count=len(keys))
        order = np.argsort(hashes, kind="stable").tolist()  # ties in word order
        languages = [listing[every[j]] for j in order]
        return {
            "hashes": hashes[order],
            "blob": np.frombuffer(b"".join(keys[j] for j in order), dtype=np.uint8),
            "ends": np.cumsum([len(keys[j]) for j in order]).astype(np.uint32),
            "language_ends": np.cumsum([len(found) for found in languages]).astype(np.uint32),
            "language_ids": np.array([i for found in languages for i in found], dtype=np.uint8),
        }

    def languages_of(self, vocabulary: Sequence[str]) -> list[tuple[int, tuple[int, ...]]]:
        """For each word of ``vocabulary`` in some list, in order: its position in
        ``vocabulary`` and the languages (ascending positions) listing it."""
        keys = [word.encode("utf-8", "surrogatepass") for word in vocabulary]
        wanted = np.fromiter(map(zlib.crc32, keys), dtype=np.uint32, count=len(keys))
        lo = np.searchsorted(self.hashes, wanted, side="left")
        hi = np.searchsorted(self.hashes, wanted, side="right")
        hit = np.flatnonzero(hi > lo)
        # Every word of the index with the crc32 of a word of the vocabulary
        # (nearly always one): that word's position, and its index entry.
        tries = (hi - lo)[hit]
        word = np.repeat(hit, tries)
        entry = np.arange(len(word)) + np.repeat(lo[hit] - (np.cumsum(tries) - tries), tries)
        blob, language_ids = self.blob, self.language_ids
        found: list[tuple[int, tuple[int, ...]]] = []
        for i, start, stop, first, last in zip(
            word.tolist(),
            self.bounds[entry].tolist(),
            self.bounds[entry + 1].tolist(),
            self.language_bounds[entry].tolist(),
            self.language_bounds[entry + 1].tolist(),
            strict=True,
        ):
            if blob[start:stop] == keys[i]:  # the index holds each word once
                found.append((i, tuple(language_ids[first:last])))
        return found


@lru_cache(maxsize=1)
def _stop_index() -> StopIndex | None:
    """The package's stop-word index when it was built from the stop lists of
    the installed jusText (and its file matches its manifest), else None: the
    lists are then read and indexed here, with the same results."""
    from detector.modelstore import ModelError, load_arrays

    try:
        arrays = load_arrays(STOP_INDEX, model_dir=resources.files("detector") / "data")
    except ModelError:
        return None
    if str(arrays["stoplists_sha256"]) != stoplists_digest():
        return None
    return StopIndex(arrays)


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
    index = _stop_index()
    if index is not None:
        languages = _languages()
        pairs = index.languages_of(vocabulary)
        listed = [i for i, _ in pairs]
        of_word = [found for _, found in pairs]
    else:
        languages, _, any_list = _stoplists()
        listed = [i for i, w in enumerate(vocabulary) if w in any_list]
        of_word = [_languages_of(vocabulary[i]) for i in listed]
    is_stop = np.zeros(len(vocabulary), dtype=bool)
    if not listed:
        return None, is_stop
    found_counts = np.asarray(counts)[listed]
    size = np.fromiter(map(len, of_word), dtype=np.intp, count=len(of_word))
    word = np.repeat(np.arange(len(listed)), size)  # (word, language) pairs, words in order
    language = np.fromiter(
        (lang for langs in of_word for lang in langs), dtype=np.intp, count=len(word)
    )
    totals = np.bincount(language, weights=found_counts[word], minlength=len(languages))
    best = np.flatnonzero(totals == totals.max())
    chosen = int(best[0])
    if len(best) > 1:  # the one with the earliest pair (pairs are in word order)
        first_pair = [int(np.argmax(language == b)) for b in best.tolist()]
        chosen = int(best[int(np.argmin(word[first_pair]))])
    is_stop[np.asarray(listed, dtype=np.intp)[word[language == chosen]]] = True
    return languages[chosen], is_stop


def stoplist(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (an empty set for None)."""
    if language is None:
        return frozenset()
    return _stoplist(_languages().index(language))


@cache
def _stoplist(position: int) -> frozenset[str]:
    """The stop words of the language at ``position`` in :func:`_languages`,
    read from its file alone."""
    return _read_stoplist(os.path.join(_stoplist_folder(), f"{_languages()[position]}.txt"))
