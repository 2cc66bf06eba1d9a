"""Packed trees: a booster's trees evaluated together, equal to sklearn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from detector.packed_trees import predict_proba, predict_proba_each


@pytest.mark.parametrize("n_classes", [2, 3])
def test_packed_trees_predict_exactly_like_sklearn(n_classes: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6))
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values take each node's learned side
    y = rng.choice(n_classes, size=400)
    booster = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(X, y)
    test = rng.normal(size=(3000, 6))  # more rows than one chunk
    test[rng.random(test.shape) < 0.1] = np.nan
    np.testing.assert_array_equal(predict_proba(booster, test), booster.predict_proba(test))


def test_wrong_feature_count_gets_sklearns_error() -> None:
    booster = HistGradientBoostingClassifier(max_iter=3).fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="features"):
        predict_proba(booster, np.zeros((2, 3)))


def test_more_than_255_features_are_addressed_right() -> None:
    # node columns are stored as uint8 flags times the feature count: no wrap-around
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 300))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = (X[:, 280] > 0).astype(int) + (X[:, 3] > 0)
    booster = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
    test = rng.normal(size=(50, 300))
    test[rng.random(test.shape) < 0.05] = np.nan
    np.testing.assert_array_equal(predict_proba(booster, test), booster.predict_proba(test))


def test_boosters_evaluated_together_equal_each_alone() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 5))
    y = rng.choice(3, size=300)
    boosters = [
        HistGradientBoostingClassifier(max_iter=8, random_state=seed).fit(X[seed::2], y[seed::2])
        for seed in (0, 1)
    ]
    test = rng.normal(size=(2100, 5))  # more rows than one chunk
    for booster, proba in zip(boosters, predict_proba_each(boosters, test), strict=True):
        np.testing.assert_array_equal(proba, booster.predict_proba(test))
