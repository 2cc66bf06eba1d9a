"""Labelling rendered lines against a gold main text."""

from __future__ import annotations

import pytest

from detector_dev.corpus.labeling import (
    GoldIndex,
    demote_copies,
    label_lines,
    mark_bylines,
    mark_headline,
    tokenize,
)

GOLD = """Teams from twelve countries met in Madrid for the final round.

US FALLS

The United States lost to Canada for the first time in the Davis Cup.
Price: $599"""


def test_tokenize_is_unicode_aware() -> None:
    assert tokenize("Die STRASSE, café! 2019") == ["die", "strasse", "café", "2019"]
    assert tokenize("Kindle書籍") == ["kindle", "書", "籍"]


def test_long_lines_are_labelled_by_5gram_overlap() -> None:
    lines = [
        "The United States lost to Canada for the first time in the Davis Cup.",
        "Subscribe to our newsletter for the latest scores and highlights",
        "The United States lost to Canada, said the newsletter writers today",
    ]
    marks = label_lines(lines, GOLD)
    assert [m.label for m in marks] == ["content", "boilerplate", "boilerplate"]
    assert marks[0].overlap == 1.0
    assert marks[1].overlap == 0.0
    assert 0.0 < marks[2].overlap < 0.5


def test_overlap_of_one_half_is_content() -> None:
    # 2 of the 4 five-grams of this line are in the gold.
    marks = label_lines(["teams from twelve countries met in Paris today"], GOLD)
    assert marks[0].overlap == pytest.approx(0.5)
    assert marks[0].label == "content"


def test_short_lines_must_be_whole_clauses_of_the_gold() -> None:
    lines = ["US Falls", "Teams", "Price: $599", "$599", "Davis Cup"]
    labels = [m.label for m in label_lines(lines, GoldIndex(GOLD))]
    assert labels == ["content", "boilerplate", "content", "content", "boilerplate"]


def test_lines_without_words_follow_the_line_before() -> None:
    lines = ["|---|", "US FALLS", "* * *", "Menu", "|"]
    labels = [m.label for m in label_lines(lines, GOLD)]
    assert labels == ["boilerplate", "content", "content", "boilerplate", "boilerplate"]


def test_headline_is_content_and_copies_are_boilerplate() -> None:
    lines = ["Big News Today", "Big News Today", "Body text here", "Big News Today"]
    labels = ["boilerplate", "boilerplate", "content", "boilerplate"]
    index = mark_headline(lines, labels, ["Nothing like it", "big news today!"], preferred={1})
    assert index == 1
    assert labels == ["boilerplate", "content", "content", "boilerplate"]


def test_headline_is_never_taken_from_after_the_content() -> None:
    lines = ["Body text here", "Gorilla Mats"]
    labels = ["content", "boilerplate"]
    assert mark_headline(lines, labels, ["Gorilla Mats"]) is None
    assert labels == ["content", "boilerplate"]


def test_gold_coverage_is_the_share_of_gold_5grams_found() -> None:
    index = GoldIndex("one two three four five six")
    assert index.coverage(["one two three", "four five six"]) == 1.0
    assert index.coverage(["one two three four five"]) == 0.5
    assert index.coverage([]) == 0.0
    assert GoldIndex("short gold").coverage(["a short gold line"]) == 1.0
    assert GoldIndex("").coverage(["anything"]) == 0.0


def test_surplus_copies_are_boilerplate_keeping_the_one_among_content() -> None:
    gold = GoldIndex("Sale!\n\nThis lamp is made of brass and glass by hand.\n\nSale!\n\nBuy now")
    lines = ["Sale!", "Menu", "Sale!", "This lamp is made of brass and glass by hand.", "Sale!"]
    lines += ["Buy now", "Footer", "Buy now"]
    labels = ["content", "boilerplate", "content", "content", "content"]
    labels += ["content", "boilerplate", "content"]
    assert demote_copies(lines, labels, gold) == 2
    assert labels == [
        "boilerplate",
        "boilerplate",
        "content",
        "content",
        "content",
        "content",
        "boilerplate",
        "boilerplate",
    ]


def test_byline_only_lines_are_boilerplate() -> None:
    lines = [
        "By Mark Trevelyan",
        "By Jane Doe and John Smith",
        "By the way, the vote is on Monday.",
        "(Reporting by Mark Trevelyan; Editing by Hugh Lawson)",
        "Von Anna Müller",
    ]
    labels = ["content"] * len(lines)
    assert mark_bylines(lines, labels) == 3
    assert labels == ["boilerplate", "boilerplate", "content", "content", "boilerplate"]
