"""Packed boosters: a fitted booster exported to arrays predicts what sklearn predicts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from detector.boosting import (
    CLASSES,
    PackedBooster,
    bag_from_arrays,
    bag_proba,
    bag_to_arrays,
    predict_proba_each,
)
from detector_dev.export import pack_booster


@pytest.mark.parametrize("n_classes", [2, 3])
def test_packed_booster_predicts_like_sklearn(n_classes: int) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 6))
    X[rng.random(X.shape) < 0.1] = np.nan  # missing values take each node's learned side
    y = rng.choice(n_classes, size=400)
    booster = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(X, y)
    test = rng.normal(size=(3000, 6))  # more rows than one chunk
    test[rng.random(test.shape) < 0.1] = np.nan
    got, expected = pack_booster(booster).predict_proba(test), booster.predict_proba(test)
    if n_classes > 2:
        np.testing.assert_array_equal(got, expected)  # the same softmax, to the bit
    else:  # sklearn's logistic is scipy's expit
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_float32_features_take_the_branches_float64_ones_take() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 6)).astype(np.float32)
    y = rng.choice(3, size=400)
    booster = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(X, y)
    packed = pack_booster(booster)
    inner = np.flatnonzero(packed.inner)
    # every row sits on (or one float32 step above) thresholds, where rounding
    # a float64 threshold to float32 would flip the comparison
    nodes = inner[rng.integers(len(inner), size=(2000, 4))]
    at = packed.threshold[nodes].astype(np.float32)
    test = rng.normal(size=(2000, 6)).astype(np.float32)
    test[np.arange(2000)[:, None], packed.column[nodes] % 6] = np.where(
        rng.random(at.shape) < 0.5, at, np.nextafter(at, np.float32(np.inf))
    )
    test[rng.random(test.shape) < 0.05] = np.nan
    np.testing.assert_array_equal(
        packed.predict_proba(test), packed.predict_proba(test.astype(np.float64))
    )
    np.testing.assert_array_equal(packed.predict_proba(test), booster.predict_proba(test))


def test_wrong_feature_count_is_refused() -> None:
    booster = HistGradientBoostingClassifier(max_iter=3).fit(np.eye(4), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="features"):
        pack_booster(booster).predict_proba(np.zeros((2, 3)))


def test_more_than_255_features_are_addressed_right() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 300))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = (X[:, 280] > 0).astype(int) + (X[:, 3] > 0)
    booster = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
    test = rng.normal(size=(50, 300))
    test[rng.random(test.shape) < 0.05] = np.nan
    np.testing.assert_array_equal(
        pack_booster(booster).predict_proba(test), booster.predict_proba(test)
    )


def test_boosters_evaluated_together_equal_each_alone() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 5))
    y = rng.choice(3, size=300)
    boosters = [
        HistGradientBoostingClassifier(max_iter=8, random_state=seed).fit(X[seed::2], y[seed::2])
        for seed in (0, 1)
    ]
    packed = [pack_booster(b) for b in boosters]
    test = rng.normal(size=(2100, 5))  # more rows than one chunk
    for booster, proba in zip(boosters, predict_proba_each(packed, test), strict=True):
        np.testing.assert_array_equal(proba, booster.predict_proba(test))


def test_a_bag_round_trips_through_plain_arrays_and_averages_in_class_order() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 4))
    labels = np.array(CLASSES)[rng.choice([0, 1], size=200)]  # seo_filler never seen
    boosters = [
        HistGradientBoostingClassifier(max_iter=5, random_state=s).fit(X, labels) for s in (0, 1)
    ]
    arrays = bag_to_arrays("first", [pack_booster(b) for b in boosters])
    assert all(np.asarray(a).dtype != object for a in arrays.values())
    bag = bag_from_arrays("first", arrays)
    assert all(isinstance(b, PackedBooster) for b in bag)
    expected = np.mean([b.predict_proba(X) for b in boosters], axis=0)
    got = bag_proba(bag, X)
    assert got.shape == (200, len(CLASSES)) and not got[:, CLASSES.index("seo_filler")].any()
    np.testing.assert_allclose(got[:, :2], expected, atol=1e-6)  # float32, as the cleaners use
