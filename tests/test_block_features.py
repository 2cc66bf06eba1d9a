"""The cleaner's features computed per document with numpy give the values of
their plain per-block definitions."""

from __future__ import annotations

import random
import re
from collections import Counter

import numpy as np
import pytest

from detector.language import (
    CharClasses,
    _stoplists,
    _word_class,
    _word_classes,
    detect_language,
    document_words,
)
from detector.text_mode import features as bf
from detector.tokens import words
from detector_dev.metrics import tokens as f1_tokens

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
    languages, lists, _ = _stoplists()
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


TRICKY = "aZ 1_,.:/|()«»\"'’-\n\tÉéİıſKß日本😀𝔘\u00a0\u0307²½Σ©"


def test_document_words_equal_the_word_and_token_expressions() -> None:
    rng = random.Random(3)
    for _ in range(300):
        texts = _random_texts(rng, rng.randint(0, 20))
        texts += ["".join(rng.choice(TRICKY + "'’''") for _ in range(20)) for _ in range(3)]
        found = document_words(texts)
        assert found.lowered == [text.lower() for text in texts]
        assert found.tokens == [tuple(words(text)) for text in texts], texts
        assert found.runs.tolist() == [len(f1_tokens(text)) for text in texts], texts


def test_stop_lists_read_without_justext_equal_justext_s_own() -> None:
    import justext

    languages, lists, any_list = _stoplists()
    assert languages == tuple(sorted(justext.get_stoplists()))
    assert lists == tuple(justext.get_stoplist(lang) for lang in languages)
    assert any_list == frozenset().union(*lists)


def _every_code_point_once() -> np.ndarray:
    """Every code point of the Basic Multilingual Plane and a sample of the
    others, in an order that brings each character more than once."""
    rng = np.random.default_rng(3)
    codes = np.concatenate([np.arange(0x10000), rng.integers(0x10000, 0x110000, 5000)])
    return np.concatenate([rng.permutation(codes), codes]).astype(np.uint32)


def test_word_classes_are_the_class_of_each_character() -> None:
    codes = _every_code_point_once()
    expected = [_word_class(chr(code)) for code in codes.tolist()]
    assert _word_classes(codes).tolist() == expected
    # The plane's table as built before the classes were looked up lazily (one
    # regex scan per class), which the recorded reference outputs came from.
    plane = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=np.uint8)
    for flag, pattern in ((1, r"[^\W\d_]"), (4, r"\w")):
        table[[m.start() for m in re.finditer(pattern, plane)]] |= flag
    table[[ord(c) for c in "'’"]] |= 2
    assert _word_classes(np.arange(0x10000, dtype=np.uint32)).tolist() == table.tolist()


def test_char_flags_are_the_flags_of_each_character() -> None:
    codes = _every_code_point_once()
    assert bf._char_flags(codes).tolist() == [bf._flags(chr(c)) for c in codes.tolist()]
    # As the table built up front had them, one test at a time over the plane.
    chars = [chr(code) for code in range(0x10000)]
    table = np.zeros(len(chars), dtype=np.uint8)
    for bit, test in enumerate(bf._CHAR_TESTS):
        table |= np.fromiter(map(bool, map(test, chars)), dtype=np.uint8, count=len(chars)) << bit
    assert bf._char_flags(np.arange(0x10000, dtype=np.uint32)).tolist() == table.tolist()


def test_char_classes_classify_each_character_once() -> None:
    calls: list[str] = []
    classes = CharClasses(lambda c: calls.append(c) or ord(c) % 7)
    first = classes(np.array([97, 98, 97, 0x1F600], dtype=np.uint32))
    again = classes(np.array([98, 99, 0x1F600], dtype=np.uint32))
    assert first.tolist() == [97 % 7, 98 % 7, 97 % 7, 0x1F600 % 7]
    assert again.tolist() == [98 % 7, 99 % 7, 0x1F600 % 7]
    assert calls == ["a", "b", "\U0001f600", "c"]
    assert classes(np.array([], dtype=np.uint32)).tolist() == []


def test_caption_prefilter_only_skips_tails_the_expression_cannot_match() -> None:
    rng = random.Random(5)
    pieces = [
        "(", ")", ")." , ":", "©", "|", " by ", " courtesy of ", "Photo", "PHOTOS", "pıcture",
        "İmage", "Foto", "ФОТО", "Bıld", "credits", "Getty Images", "Reuters", "via", "/", " ",
        "Jane Doe", "said", ".", "sursa foto",
    ]  # fmt: skip
    tails = [
        "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))).rstrip() for _ in range(20000)
    ]
    for tail in tails:
        lower = tail.lower()
        searched = any(mark in tail for mark in "(:©|") or any(w in lower for w in bf._CREDIT_WORDS)
        matches = bool(bf._CAPTION_CREDIT.search(tail))
        assert (searched and matches) == (bf._may_end_in_credit(tail, lower) and matches), tail
        if bf._may_end_in_credit(tail, lower):
            assert searched, tail


def test_url_marks_and_containment_follow_their_plain_definitions() -> None:
    rng = random.Random(6)
    marks = ("http://", "https://", "www.", ".com", ".org", ".net", "@")
    for _ in range(2000):
        parts = ["a", ".", "com", "org", "net", "www", "@", "http", "s", "://", " "]
        text = "".join(rng.choice(parts) for _ in range(8))
        assert bf._has_url(text) == any(mark in text for mark in marks), text
    pool = ["lorem ipsum dolor sit amet", "consectetur adipiscing", "sed do eiusmod tempor"]
    for _ in range(300):
        normalised = [" ".join(rng.choices(pool, k=rng.randint(0, 6))) for _ in range(8)]
        own = np.zeros((8, len(bf._OWN_FEATURES)), dtype=np.float32)
        bf._containment(normalised, own)
        long_texts = [t for t in normalised if len(t) > 80]
        expected = [
            float(
                bool(long_texts)
                and 8 <= len(t) <= 300
                and any(t in o for o in long_texts if o != t)
            )
            for t in normalised
        ]
        assert own[:, bf._IDX["contained_in_other"]].tolist() == expected, normalised


def test_neighbour_columns_copy_the_blocks_around() -> None:
    rng = np.random.default_rng(7)
    for n in range(1, 7):
        own = rng.random((n, len(bf._OWN_FEATURES))).astype(np.float32)
        out = bf._with_neighbours(own)
        assert out.shape == (n, len(bf.FEATURE_NAMES))
        assert np.array_equal(out[:, : own.shape[1]], own)
        for i in range(n):
            for offset in bf._OFFSETS:
                for name in [*bf._NEIGHBOUR_FEATURES, "exists"]:
                    value = out[i, bf.FEATURE_NAMES.index(f"{name}@{offset:+d}")]
                    j = i + offset
                    if not 0 <= j < n:
                        assert value == 0.0
                    elif name == "exists":
                        assert value == 1.0
                    else:
                        assert value == own[j, bf._IDX[name]]


def test_duplicates_mark_the_first_and_the_repeats() -> None:
    normalised = ["a b", "", "c", "a b", "", "a b", "c", "d"]
    own = np.zeros((len(normalised), len(bf._OWN_FEATURES)), dtype=np.float32)
    bf._duplicates(normalised, own)
    assert own[:, bf._IDX["dup_earlier"]].tolist() == [0, 0, 0, 1, 0, 1, 1, 0]
    assert own[:, bf._IDX["dup_later"]].tolist() == [1, 0, 1, 0, 0, 0, 0, 0]


def test_definition_prefilter_only_skips_what_the_expression_cannot_match() -> None:
    rng = random.Random(8)
    pool = "the x term is a an are refers refer to defined as denotes that which used of".split()
    for _ in range(20000):
        key = " ".join(rng.choices(pool, k=rng.randint(1, 12)))
        if bf._DEFINES_SUBJECT.match(f" {key} "):
            assert bf._may_define_subject(key), key


def test_feature_names_are_unique() -> None:
    """Columns are written by name (text and HTML mode), so no name may repeat."""
    from detector.html_mode.features import FEATURE_NAMES as HTML_FEATURE_NAMES

    for names in (bf.FEATURE_NAMES, HTML_FEATURE_NAMES):
        assert len(set(names)) == len(names)


def _topic_sim(text: str) -> list[float]:
    from detector.text_mode.segment import segment_text

    rows = bf.BlockFeatures().transform([segment_text(text)])
    return rows[:, bf.FEATURE_NAMES.index("topic_sim")].tolist()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # Russian: the same nouns in other cases ("пушки"/"пушек", "сирена"/"сирену")
        (
            "Пушки стреляли всю ночь, и сирена выла над заводом.",
            "Утром пушек уже не было слышно, но сирену включили снова.",
        ),
        # Chinese: no spaces, so each clause is one "word" of the tokenizer
        ("我们学校的图书馆今天开放了新的阅览室。", "新的阅览室在图书馆二楼，学校的学生都可以去。"),
    ],
)
def test_topic_terms_join_inflected_forms_and_unspaced_words(first: str, second: str) -> None:
    """Blocks on one subject in Russian or Chinese share topic terms, as they
    do in English, though they share no whole word form."""
    assert set(words(first)) & set(words(second)) <= {"的"}
    assert min(_topic_sim(first + "\n\n" + second)) > 0.1


def test_topic_terms_leave_latin_words_whole() -> None:
    """English blocks sharing only a prefix ("govern"/"government") stay apart."""
    assert _topic_sim("Governments govern badly.\n\nGovernors governed well.") == [0.0, 0.0]
