"""The gradient-boosted trees that text and HTML mode share, run in numpy.

Both cleaners are two passes of boosters (as in jusText: each block alone,
then each block with its neighbours' first-pass probabilities); each pass is
a bag of one or more boosters whose probabilities are averaged. Training
fits scikit-learn's ``HistGradientBoostingClassifier`` (``detector_dev``);
what ships is each booster's trees as flat arrays (:class:`PackedBooster`),
saved in an ``.npz`` file that holds numbers only, so loading runs no code
and needs no scikit-learn.

Evaluation is our own rather than sklearn's: sklearn calls each tree
separately, and those hundreds of calls dominated the time on an article of
a few dozen blocks. The arithmetic is sklearn's: the same comparisons, each
class's leaf values added to the baseline one tree after another in sklearn's
order, the same softmax (``tests/test_boosting.py`` checks equality with a
fitted sklearn booster).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

__all__ = ["CLASSES", "PackedBooster", "bag_proba"]

CLASSES = ("boilerplate", "content", "seo_filler")
"""The block classes of both cleaners, in the column order of their probabilities."""

_ARRAYS = ("roots", "column", "threshold", "inner", "children", "value", "baseline", "classes")


class PackedBooster:
    """A fitted booster's trees in flat node arrays, so that one article's
    blocks go through all trees at once.

    Each step of the descent moves every (tree, row) pair still descending one
    level down with four gathers: a leaf points at itself, and a node that
    sends missing values left reads a copy of the features where NaN is -inf
    (so ``x <= threshold`` holds), while the others read NaN (so it fails and
    the value goes right, as sklearn sends it). Most pairs reach their leaf
    within a few levels of the deepest one's twenty, so every few steps the
    pairs at a leaf are set aside.

    ``arrays`` are those :meth:`to_arrays` returns (``detector_dev.export``
    makes them from a fitted sklearn booster): node addresses are twice the
    node's index, slot ``2i + (x <= threshold)`` of ``children`` holding the
    child to go to; ``classes`` are indices into :data:`CLASSES`.
    """

    PRUNE_EVERY = 3
    """Steps between two settings-aside of the pairs at a leaf."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.roots = np.asarray(arrays["roots"], dtype=np.intp)
        self.column = np.asarray(arrays["column"], dtype=np.intp)
        self.threshold = np.asarray(arrays["threshold"], dtype=np.float64)
        self.inner = np.asarray(arrays["inner"], dtype=bool)
        self.children = np.asarray(arrays["children"], dtype=np.intp)
        self.value = np.asarray(arrays["value"], dtype=np.float64)
        self.baseline = np.asarray(arrays["baseline"], dtype=np.float64).ravel()
        self.classes = np.asarray(arrays["classes"], dtype=np.intp)
        self.n_features = int(arrays["n_features"])
        self.depth = int(arrays["depth"])
        self.n_classes = len(self.baseline)
        self.n_trees = len(self.roots)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays that rebuild this booster (plain numbers, no objects)."""
        out = {name: getattr(self, name) for name in _ARRAYS}
        out["n_features"] = np.array(self.n_features)
        out["depth"] = np.array(self.depth)
        return out

    def raw_of_leaves(self, values: np.ndarray, rows: int) -> np.ndarray:
        """Raw predictions (rows x classes) from the leaf ``values`` that ``rows`` rows
        reach in each tree (tree after tree): the baseline plus each class's trees
        added in order."""
        terms = np.empty((self.n_trees // self.n_classes + 1, self.n_classes, rows))
        terms[0] = np.reshape(self.baseline, (self.n_classes, 1))
        terms[1:] = values.reshape(-1, self.n_classes, rows)  # iteration, class, row
        return np.add.accumulate(terms, axis=0)[-1].T

    def proba(self, raw: np.ndarray) -> np.ndarray:
        """Class probabilities from raw predictions, as sklearn's losses compute them
        (softmax after subtracting each row's maximum; the logistic for two classes)."""
        if self.n_classes == 1:
            out = np.empty((raw.shape[0], 2))
            out[:, 1] = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            out[:, 0] = 1 - out[:, 1]
            return out
        raw = raw - raw.max(axis=1).reshape(-1, 1)
        np.exp(raw, out=raw)
        raw /= raw.sum(axis=1).reshape(-1, 1)
        return raw

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities of the booster's own classes (``classes``), row by row."""
        return predict_proba_each([self], X)[0]


class _Forest:
    """The trees of several boosters that read the same features, side by side in
    one set of node arrays (each booster's addresses shifted past the previous
    ones'), so that one descent finds the leaves of them all: a bag's boosters
    then cost one series of numpy calls instead of one each (a tenth of their
    time on a page of a few hundred blocks). The leaves are those each
    booster's own descent finds."""

    def __init__(self, boosters: Sequence[PackedBooster]) -> None:
        self.boosters = list(boosters)
        shifts = np.cumsum([0] + [len(b.column) for b in boosters[:-1]])
        self.roots = np.concatenate([b.roots + s for b, s in zip(boosters, shifts, strict=True)])
        self.column = np.concatenate([b.column for b in boosters])
        self.threshold = np.concatenate([b.threshold for b in boosters])
        self.threshold32 = _below_in_float32(self.threshold)
        self.inner = np.concatenate([b.inner for b in boosters])
        self.children = np.concatenate(
            [b.children + s for b, s in zip(boosters, shifts, strict=True)]
        )
        self.value = np.concatenate([b.value for b in boosters])
        self.n_features = boosters[0].n_features
        self.depth = max(b.depth for b in boosters)
        self.pairs = np.cumsum([0] + [b.n_trees for b in boosters])
        """Booster ``k``'s trees are those from ``pairs[k]`` to ``pairs[k + 1]``."""

    def raws(self, both: np.ndarray, rows: int) -> list[np.ndarray]:
        """Each booster's raw predictions (rows x classes) for ``rows`` rows given
        as ``both`` (see :func:`_both`)."""
        values = self.value.take(self._leaves(both, rows))
        return [
            booster.raw_of_leaves(values[start * rows : stop * rows], rows)
            for booster, start, stop in zip(
                self.boosters, self.pairs[:-1], self.pairs[1:], strict=True
            )
        ]

    def _leaves(self, both: np.ndarray, rows: int) -> np.ndarray:
        """The leaf (address) that each of ``rows`` rows reaches in each tree, tree
        after tree (see :class:`PackedBooster` for the descent); ``both`` holds
        the rows' features then their copies with NaN as -inf, row after row."""
        leaves = np.repeat(self.roots, rows)
        pending = np.arange(len(leaves))  # the pairs still descending
        node = leaves.copy()
        offset = np.tile(np.arange(rows) * 2 * self.n_features, len(self.roots))
        threshold = self.threshold32 if both.dtype == np.float32 else self.threshold
        column, children, inner = self.column, self.children, self.inner
        for step in range(1, self.depth + 1):
            at = column.take(node)
            at += offset
            node += both.take(at) <= threshold.take(node)
            node = children.take(node)
            if step % PackedBooster.PRUNE_EVERY and step < self.depth:
                continue
            leaves[pending] = node
            still = np.flatnonzero(inner.take(node))
            if not len(still):
                break
            pending, node, offset = pending.take(still), node.take(still), offset.take(still)
        return leaves


@lru_cache(maxsize=32)
def _forest(boosters: tuple[PackedBooster, ...]) -> _Forest:
    """The forest of a bag of boosters, built once: joining their arrays for
    every call took about a tenth of the time of cleaning a seed-sized article."""
    return _Forest(boosters)


def _below_in_float32(threshold: np.ndarray) -> np.ndarray:
    """The largest float32 at or below each threshold: for a float32 ``x``,
    ``x <= t`` exactly when ``x <= _below_in_float32(t)``, so float32 features
    take the same branches in arrays of half the size (a fifth of the trees'
    time on a page)."""
    with np.errstate(over="ignore"):
        out = threshold.astype(np.float32)
    above = out > threshold
    out[above] = np.nextafter(out[above], np.float32(-np.inf))
    return out


def _both(part: np.ndarray) -> np.ndarray:
    """Rows' features then their copies with NaN as -inf, row after row, flat."""
    return np.hstack([part, np.where(np.isnan(part), -np.inf, part)]).ravel()


def predict_proba_each(
    boosters: Sequence[PackedBooster], X: np.ndarray, chunk: int = 2048
) -> list[np.ndarray]:
    """``[booster.predict_proba(X) for booster in boosters]``, ``X`` prepared once
    for them all."""
    X = np.asarray(X)
    if X.dtype != np.float32:
        X = X.astype(np.float64, copy=False)
    for booster in boosters:
        if X.ndim != 2 or X.shape[1] != booster.n_features:
            raise ValueError(
                f"X has {X.shape[-1]} features, but the booster expects {booster.n_features}"
            )
    raws = [np.empty((X.shape[0], b.n_classes)) for b in boosters]
    forest = _forest(tuple(boosters))
    for start in range(0, X.shape[0], chunk):
        part = X[start : start + chunk]
        for raw, part_raw in zip(raws, forest.raws(_both(part), len(part)), strict=True):
            raw[start : start + chunk] = part_raw
    return [b.proba(raw) for b, raw in zip(boosters, raws, strict=True)]


def aligned(classes: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Probabilities with columns in :data:`CLASSES` order, zeros for classes a
    booster never saw (``classes``: the booster's classes as indices)."""
    out = np.zeros((proba.shape[0], len(CLASSES)), dtype=np.float32)
    out[:, classes] = proba
    return out


def bag_proba(boosters: Sequence[PackedBooster], X: np.ndarray) -> np.ndarray:
    """Mean probabilities (columns :data:`CLASSES`, float32) of a bag of boosters."""
    each = predict_proba_each(boosters, X)
    out = aligned(boosters[0].classes, each[0])
    for booster, proba in zip(boosters[1:], each[1:], strict=True):
        out += aligned(booster.classes, proba)
    if len(boosters) > 1:
        out /= len(boosters)
    return out


def two_pass_to_arrays(
    first: Sequence[PackedBooster], second: Sequence[PackedBooster], window: int
) -> dict[str, np.ndarray]:
    """The arrays of a two-pass model: both bags and the second pass's window."""
    return {
        "window": np.array(window),
        **bag_to_arrays("first", first),
        **bag_to_arrays("second", second),
    }


def two_pass_from_arrays(
    arrays: Mapping[str, np.ndarray],
) -> tuple[list[PackedBooster], list[PackedBooster], int]:
    """The two bags and the window :func:`two_pass_to_arrays` saved."""
    first, second = bag_from_arrays("first", arrays), bag_from_arrays("second", arrays)
    return first, second, int(arrays["window"])


def bag_to_arrays(prefix: str, boosters: Sequence[PackedBooster]) -> dict[str, np.ndarray]:
    """The arrays of a bag of boosters, keyed ``prefix/k/name``."""
    return {
        f"{prefix}/{k}/{name}": value
        for k, booster in enumerate(boosters)
        for name, value in booster.to_arrays().items()
    }


def bag_from_arrays(prefix: str, arrays: Mapping[str, np.ndarray]) -> list[PackedBooster]:
    """The bag :func:`bag_to_arrays` saved under ``prefix``."""
    bag = []
    while f"{prefix}/{len(bag)}/roots" in arrays:
        k = len(bag)
        keys = [*_ARRAYS, "n_features", "depth"]
        bag.append(PackedBooster({name: arrays[f"{prefix}/{k}/{name}"] for name in keys}))
    if not bag:
        raise ValueError(f"no booster saved under {prefix!r}")
    return bag
