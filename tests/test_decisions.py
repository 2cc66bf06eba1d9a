"""From the cleaner's probabilities to labels: the expected-F cut."""

from __future__ import annotations

import numpy as np
import pytest

from detector.decisions import BETAS, apply_labels, keep_expected_f
from detector.document import Block
from detector.text_mode.model import CLASSES


def _brute_force(content: np.ndarray, words: np.ndarray, beta: float) -> float:
    """The best expected F-score over every subset of blocks."""
    b2 = beta * beta
    expected = content * words
    best = 0.0
    for mask in range(1, 2 ** len(content)):
        keep = np.array([(mask >> i) & 1 for i in range(len(content))], dtype=bool)
        score = (1 + b2) * expected[keep].sum() / (words[keep].sum() + b2 * expected.sum())
        best = max(best, score)
    return best


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_cut_reaches_the_best_expected_f_of_any_subset(beta: float) -> None:
    rng = np.random.default_rng(int(beta * 10))
    for _ in range(30):
        content = rng.random(7)
        words = rng.integers(1, 60, size=7).astype(float)
        keep = keep_expected_f(content, words, beta)
        b2 = beta * beta
        expected = content * words
        score = (1 + b2) * expected[keep].sum() / (words[keep].sum() + b2 * expected.sum())
        assert score == pytest.approx(_brute_force(content, words, beta))
        assert content[keep].min() >= content[~keep].max(initial=0.0)


def test_sure_blocks_are_kept_and_a_document_is_never_emptied() -> None:
    content = np.array([0.99, 0.02, 0.97, 0.01, 0.95])
    words = np.array([40.0, 3.0, 60.0, 2.0, 30.0])
    assert keep_expected_f(content, words, 1.0).tolist() == [True, False, True, False, True]
    assert keep_expected_f(np.array([0.01, 0.02]), np.array([5.0, 5.0]), 1.0).sum() == 1
    assert keep_expected_f(np.zeros(0), np.zeros(0), 1.0).tolist() == []


def test_recall_mode_keeps_at_least_what_balanced_and_precision_keep() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        content = rng.random(20)
        words = rng.integers(1, 80, size=20).astype(float)
        kept = {mode: keep_expected_f(content, words, beta) for mode, beta in BETAS.items()}
        assert kept["precision"].sum() <= kept["balanced"].sum() <= kept["recall"].sum()


def test_apply_labels_keeps_probabilities_and_names_dropped_blocks_by_their_class() -> None:
    texts = ["Home", "The council met on Monday to discuss the new budget plan.", "X refers to"]
    blocks = [Block(text=t, kind="paragraph") for t in texts]
    proba = np.zeros((3, len(CLASSES)))
    for i, label in enumerate(["boilerplate", "content", "seo_filler"]):
        proba[i, CLASSES.index(label)] = 0.9
        proba[i, [j for j in range(len(CLASSES)) if CLASSES[j] != label]] = 0.05
    apply_labels(blocks, proba)
    assert [b.label for b in blocks] == ["boilerplate", "content", "seo_filler"]
    assert blocks[1].p_content == pytest.approx(0.9)
    assert blocks[2].p_seo_filler == pytest.approx(0.9)
