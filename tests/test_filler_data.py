"""Filler corpus, splits, synthetic data and the shipped threshold, on the shared
data sets (skipped when ../shared/data is absent)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from detector_dev.corpus.filler import (
    DEFAULT_DATA,
    build_corpus,
    load_corpus,
    make_units,
    split_of,
)

pytestmark = pytest.mark.shared_data

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    if not DEFAULT_DATA.is_dir():
        pytest.skip(f"shared data not found at {DEFAULT_DATA}")
    out = tmp_path_factory.mktemp("filler") / "filler.jsonl.gz"
    build_corpus(DEFAULT_DATA, out)
    return load_corpus(out)


def test_corpus_has_every_source_and_both_labels(records):
    seen = defaultdict(set)
    for r in records:
        seen[r["source"]].add(r["label"])
    assert seen["l2r"] == {0, 1} and seen["m4"] == {0, 1}
    assert seen["scrapinghub"] == {0}
    assert seen["ru-arena"] == {1} and seen["forkful"] == {1}
    assert not any(r["subset"] == "TravelTourism" for r in records)


def test_gemini_rewrites_are_matched_to_their_story(records):
    gemini = [r for r in records if r["gen"] == "Gemini-1.5-Pro" and r["subset"] == "NewsArticle"]
    matched = [r for r in gemini if "gemini" not in r["group"]]
    assert len(matched) / len(gemini) > 0.85


def test_splits_never_cut_a_story(records):
    by_group = defaultdict(set)
    for r in records:
        by_group[r["group"]].add(split_of(r["group"]))
    assert all(len(s) == 1 for s in by_group.values())
    share = np.mean([split_of(g) == "test" for g in by_group])
    assert 0.25 < share < 0.35


def test_lengths_are_matched_between_human_and_machine_news(records):
    news = [r for r in records if r["source"] == "l2r" and r["subset"] == "NewsArticle"]
    units = [u for u in make_units(news) if u.level == "doc"]
    human = statistics.median(len(u.text.split()) for u in units if u.y == 0)
    machine = statistics.median(len(u.text.split()) for u in units if u.y == 1)
    assert abs(human - machine) / machine < 0.2, (human, machine)


def test_flattened_sources_carry_no_markdown(records):
    sample = [r for r in records if r["gen"] == "Llama-3-70B"][:200]
    for unit in make_units(sample):
        assert "**" not in unit.text and "\n\n" not in unit.text


def test_synthetic_records_are_flagged_grouped_and_not_from_seeds(records):
    from detector_dev.corpus.synthetic import synthesize

    synthetic = synthesize(records)
    groups = {r["group"] for r in records}
    assert synthetic and all(r["synthetic"] and r["source"] == "synthetic" for r in synthetic)
    assert all(r["group"] in groups for r in synthetic)
    assert {r["label"] for r in synthetic} == {0, 1}
    seed_lines = [
        line.strip()
        for path in SEEDS.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 6
    ]
    blob = "\n".join(r["text"] for r in synthetic)
    assert not [line for line in seed_lines if line in blob]


def test_shipped_threshold_on_held_out_human_text(records):
    from detector.filler import load_filler_model

    model = load_filler_model()
    held = [u for u in make_units(records) if u.split == "test" and u.level == "section"]
    news = [u for u in held if u.news_human]
    scores = np.array([p for p, _ in model.score([u.text for u in news])])
    assert (scores > model.threshold_).mean() <= 0.01 + 1e-9
    other = [u for u in held if u.y == 0 and u.lang in ("de", "ru", "id", "zh")]
    scores = np.array([p for p, _ in model.score([u.text for u in other])])
    assert (scores > model.threshold_).mean() <= 0.05
