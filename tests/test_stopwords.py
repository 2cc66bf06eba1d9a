"""The shipped stop-word index gives exactly what jusText's stop lists give."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from detector import language
from detector.language import StopIndex, _stoplists, stoplist
from detector_dev.stopwords import index_arrays

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def rebuilt() -> StopIndex:
    """The index of the installed jusText's lists, built here."""
    return StopIndex(index_arrays())


def test_the_shipped_index_is_that_of_the_installed_stop_lists(rebuilt: StopIndex) -> None:
    index = language._stop_index()
    assert index is not None, "rebuild it: python -m detector_dev.stopwords"
    assert np.array_equal(index.hashes, rebuilt.hashes)
    assert index.blob == rebuilt.blob
    assert np.array_equal(index.bounds, rebuilt.bounds)
    assert np.array_equal(index.language_bounds, rebuilt.language_bounds)
    assert index.language_ids == rebuilt.language_ids


def test_index_finds_the_languages_of_every_stop_word_and_no_other_word(
    rebuilt: StopIndex,
) -> None:
    _, lists, any_list = _stoplists()
    rng = random.Random(7)
    words = sorted(any_list)
    others = [w + rng.choice("xé'") for w in rng.sample(words, 3000)]
    others += ["", "the", "don't", "straße", "İ", "\udc80", "日本"]
    vocabulary = words + others
    rng.shuffle(vocabulary)
    found = rebuilt.languages_of(vocabulary)
    assert [i for i, _ in found] == sorted({i for i, _ in found})  # in vocabulary order
    languages_of: dict[str, list[int]] = {}
    for k, words_of_k in enumerate(lists):
        for w in words_of_k:
            languages_of.setdefault(w, []).append(k)
    expected = [(i, tuple(languages_of[w])) for i, w in enumerate(vocabulary) if w in any_list]
    assert found == expected


def test_index_resolves_words_with_the_same_crc32() -> None:
    lists = [frozenset({"plumless", "buckeroo"}), frozenset({"buckeroo", "x"})]  # one crc32
    index = StopIndex(StopIndex.to_arrays(lists))
    assert index.languages_of(["buckeroo", "plumless", "y", "x"]) == [
        (0, (0, 1)),
        (1, (0,)),
        (3, (1,)),
    ]


def _vocabulary(text: str) -> tuple[list[str], list[int]]:
    words = language.document_words(text.split("\n"))
    counts: dict[str, int] = {}
    for tokens in words.tokens:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    return list(counts), list(counts.values())


def _texts() -> list[str]:
    rng = random.Random(11)
    _, lists, _ = _stoplists()
    mixed = [" ".join(rng.sample(sorted(s), min(len(s), 40))) for s in lists[::7]]
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + mixed


def test_language_and_stop_words_are_those_of_the_lists_read_at_run_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with_index = [language._language_and_stop_words(*_vocabulary(t)) for t in _texts()]
    monkeypatch.setattr(language, "_stop_index", lambda: None)
    for text, (lang, stop) in zip(_texts(), with_index, strict=True):
        vocabulary, counts = _vocabulary(text)
        expected_lang, expected_stop = language._language_and_stop_words(vocabulary, counts)
        assert lang == expected_lang
        assert stop.tolist() == expected_stop.tolist()
        assert stop.tolist() == [w in stoplist(lang) for w in vocabulary]


def test_index_of_other_stop_lists_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    language._stop_index.cache_clear()
    monkeypatch.setattr(language, "stoplists_digest", lambda: "0" * 64)
    try:
        assert language._stop_index() is None
    finally:
        language._stop_index.cache_clear()


def test_stoplist_of_one_language_is_justext_s() -> None:
    import justext

    for lang in ("English", "German", "Romanian", "Russian"):
        assert stoplist(lang) == justext.get_stoplist(lang)
    assert stoplist(None) == frozenset()
    with pytest.raises(ValueError):
        stoplist("Klingon")
