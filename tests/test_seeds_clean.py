"""Acceptance: the shipped cleaner on the seed articles, line by line against labels.tsv."""

from __future__ import annotations

import pytest
from conftest import known_gap, seed_line_labels, seed_path

import detector


def _kept_lines(prefix: str) -> set[int]:
    doc = detector.clean(seed_path(prefix).read_text(encoding="utf-8"), mode="text")
    kept = set()
    for block in doc.blocks:
        if doc.kept(block):
            kept.update(range(block.line_start, block.line_end + 1))
    return kept


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(
            "000",
            marks=known_gap(
                18,
                "the shipped cleaner keeps a two-line teaser for another article "
                "(L29-30, p_content 0.81 and 0.65)",
            ),
        ),
        "001",
        "002",
    ],
)
def test_seed_content_kept_and_leftovers_dropped(prefix: str) -> None:
    labels = seed_line_labels(prefix)
    kept = _kept_lines(prefix)
    content = {n for n, lab in labels.items() if lab == "content"}
    leftovers = {n for n, lab in labels.items() if lab in ("boilerplate", "seo_filler")}
    assert content, "labels.tsv lists content lines for this seed"
    assert sorted(content - kept) == [], "content lines dropped"
    assert sorted(leftovers & kept) == [], "boilerplate or SEO filler lines kept"


KNOWN_WRONG_LINES = {"000": {29, 30}, "001": set(), "002": set()}
"""Lines the shipped cleaner still gets wrong (see the xfail reasons above)."""


@pytest.mark.parametrize("prefix", sorted(KNOWN_WRONG_LINES))
def test_seed_errors_are_no_more_than_the_known_gaps(prefix: str) -> None:
    labels = seed_line_labels(prefix)
    kept = _kept_lines(prefix)
    wrong = {
        n
        for n, lab in labels.items()
        if (lab == "content") != (n in kept) and lab in ("content", "boilerplate", "seo_filler")
    }
    assert wrong <= KNOWN_WRONG_LINES[prefix], (
        f"new errors on lines {sorted(wrong - KNOWN_WRONG_LINES[prefix])}"
    )


def test_every_block_points_back_at_its_lines() -> None:
    text = seed_path("001").read_text(encoding="utf-8")
    lines = text.splitlines()
    doc = detector.clean(text, mode="text")
    for block in doc.blocks:
        assert text[block.start : block.end] == block.text
        assert lines[block.line_start - 1].strip() in block.text
