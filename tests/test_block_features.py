"""The cleaner's features computed per document with numpy give the values of
their plain per-block definitions."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from detector import block_features as bf
from detector.stoplists import _index, detect_language, words

ALPHABET = "aZ 1_,.:/|«»\"'’-\n\tÉéİß日本😀𝔘\u00a0\u2003©İ"


def _random_texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_char_counts_equal_the_str_methods() -> None:
    rng = random.Random(0)
    for _ in range(40):
        texts = _random_texts(rng, rng.randint(1, 300))
        counts = bf._char_counts(texts)
        for text, row in zip(texts, counts, strict=True):
            split = text.split()
            expected = [
                sum(map(str.isalpha, text)),
                sum(map(str.isupper, text)),
                sum(map(str.isspace, text)),
                sum(map(str.isalnum, text)),
                sum(map(str.isdigit, text)),
                len(bf._QUOTE.findall(text)),
                len(bf._SEPARATORS.findall(text)),
                text.count(","),
                len(split),
                sum(w[:1].isupper() for w in split),
            ]
            assert row.tolist() == expected, repr(text)


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (bf._YEAR, r"\b(?:19|20)\d\d\b"),
        (bf._TIME, r"\b\d{1,2}[:.]\d\d\b"),
        (bf._NUMERIC_DATE, r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"),
    ],
)
def test_date_patterns_match_where_their_word_boundary_forms_do(
    fast: re.Pattern[str], plain: str
) -> None:
    reference = re.compile(plain)
    rng = random.Random(1)
    samples = ["in 2019.", "a2019", "20199", "(1999)", "12:30", "x12:30", "1.2.2020", "_1/2/20"]
    samples += ["".join(rng.choice("1290:./- a_é") for _ in range(14)) for _ in range(20000)]
    for text in samples:
        assert bool(fast.search(text)) == bool(reference.search(text)), repr(text)


def _reference_language(tokens: list[str]) -> str | None:
    languages, _, _, lists = _index()
    counts: Counter[int] = Counter()
    for token, n in Counter(tokens).items():
        for lang_id, stoplist in enumerate(lists):
            if token in stoplist:
                counts[lang_id] += n
    return languages[counts.most_common(1)[0][0]] if counts else None


def test_language_guess_and_its_tie_break_follow_a_plain_count() -> None:
    rng = random.Random(2)
    pool = "a de la i the und o e en je na le și der ja не".split() + ["zzz"]
    cases = [rng.sample(pool, rng.randint(0, 5)) for _ in range(400)]
    cases += [words("Президент заявил, что переговоры продолжатся на следующей неделе.")]
    cases += [words("Președintele a afirmat marți că este dispus să consolideze relațiile.")]
    for tokens in cases:
        assert detect_language(tokens) == _reference_language(tokens), tokens


def test_cues_found_at_once_equal_each_cue_on_its_own() -> None:
    texts = [
        "Photo by Jane Doe / Getty Images",
        "3 min read · Share this article",
        "Click here to subscribe to our newsletter",
        "Posted by the editors, last updated Monday",
        "A mortgage refers to a loan secured by property.",
        "All rights reserved. Cookie policy",
        "Leave a comment below: 12 replies",
        "The council met on Monday.",
    ]
    for text in texts:
        tokens = words(text)
        joined = f" {' '.join(tokens)} "
        expected = {k for k, cue in enumerate(bf.CUES.values()) if cue.found(set(tokens), joined)}
        assert bf._cues_found(set(tokens), joined) == expected, text
    names = list(bf.CUES)

    def found(text: str) -> set[str]:
        tokens = words(text)
        return {names[k] for k in bf._cues_found(set(tokens), f" {' '.join(tokens)} ")}

    assert found(texts[0]) == {"credit"}
    assert found(texts[1]) == {"reading_time", "cta"}
    assert found(texts[4]) == {"definition"}
    assert found(texts[7]) == set()
