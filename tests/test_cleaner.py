"""The block classifier's own arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from detector.cleaner import _GAP_BEFORE, CLASSES, FEATURE_NAMES, _context, _predict_proba


@pytest.mark.parametrize("n_classes", [2, 3])
def test_packed_trees_predict_exactly_like_sklearn(n_classes: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6))
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values take each node's learned side
    y = rng.choice(n_classes, size=400)
    booster = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(X, y)
    test = rng.normal(size=(3000, 6))  # more rows than one chunk
    test[rng.random(test.shape) < 0.1] = np.nan
    np.testing.assert_array_equal(_predict_proba(booster, test), booster.predict_proba(test))


def test_wrong_feature_count_gets_sklearns_error() -> None:
    booster = HistGradientBoostingClassifier(max_iter=3).fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="features"):
        _predict_proba(booster, np.zeros((2, 3)))


def test_context_holds_each_neighbours_probabilities_within_its_document() -> None:
    rng = np.random.default_rng(1)
    lengths = [0, 1, 2, 5, 9]
    n, k, window = sum(lengths), len(CLASSES), 3
    proba = rng.random((n, k)).astype(np.float32)
    own = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    own[:, _GAP_BEFORE] = 1.0  # every block a chunk of its own
    out = _context(proba, lengths, window, own)
    offsets = [o for o in range(-window, window + 1) if o != 0]
    start = 0
    for length in lengths:
        for i in range(length):
            for j, offset in enumerate(offsets):
                cells = out[start + i, j * (k + 1) : (j + 1) * (k + 1)]
                if 0 <= i + offset < length:
                    assert cells.tolist() == [*proba[start + i + offset].tolist(), 1.0]
                else:
                    assert not cells.any()
        start += length


def test_no_selection_of_blocks_beats_the_selection_ceiling() -> None:
    from itertools import combinations

    from detector.cleaner_train import selection_ceiling
    from detector.metrics import token_prf

    gold = "the minister said on monday that talks would resume next week in geneva"
    # an extractor's output: part of the gold is missing, one line is boilerplate
    lines = ["the minister said on monday", "that talks would resume", "Share this story"]
    everything_recall = token_prf("\n".join(lines), gold)[1]
    best = max(
        token_prf("\n".join(subset), gold)[2]
        for k in range(1, len(lines) + 1)
        for subset in combinations(lines, k)
    )
    precision, recall, ceiling = selection_ceiling(everything_recall)
    assert recall == everything_recall < 1
    assert best <= ceiling
    # reached when the selection is exactly the gold text the rendering holds
    assert best == pytest.approx(ceiling)
    assert selection_ceiling(0.0) == (1.0, 0.0, 0.0)
