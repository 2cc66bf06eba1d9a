"""A fitted HistGradientBoostingClassifier's trees evaluated all at once in
numpy, with the same result as its ``predict_proba`` to the bit."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

__all__ = ["PackedTrees", "predict_proba", "predict_proba_each"]


class PackedTrees:
    """Every tree of a fitted booster in flat node arrays, so that one article's
    blocks go through all trees at once: sklearn calls each tree separately,
    and those hundreds of calls dominated the time on an article of a few dozen
    blocks. Same arithmetic as sklearn's predictor on numeric features, to the
    bit: the same comparisons, and each class's leaf values added to the
    baseline one tree after another in sklearn's order.

    Each step of the descent moves every (tree, row) pair still descending one
    level down with four gathers: a leaf points at itself, and a node that
    sends missing values left reads a copy of the features where NaN is -inf
    (so ``x <= threshold`` holds), while the others read NaN (so it fails and
    the value goes right, as sklearn sends it). Most pairs reach their leaf
    within a few levels of the deepest one's twenty, so every few steps the
    pairs at a leaf are set aside."""

    PRUNE_EVERY = 3
    """Steps between two settings-aside of the pairs at a leaf."""

    def __init__(self, booster: HistGradientBoostingClassifier) -> None:
        trees = [tree for iteration in booster._predictors for tree in iteration]
        self.n_trees = len(trees)
        self.depth = max(int(tree.nodes["depth"].max()) for tree in trees)
        sizes = np.array([len(tree.nodes) for tree in trees])
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate([tree.nodes for tree in trees])
        shift = np.repeat(offsets, sizes)
        leaf = nodes["is_leaf"].astype(bool)
        here = np.arange(len(nodes))
        self.n_features = booster.n_features_in_
        # A node is addressed by twice its index: slot 2i + (x <= threshold) of
        # ``children`` holds (twice) the child to go to, left at 2i + 1.
        self.roots = 2 * offsets
        column = np.where(
            leaf,
            0,
            nodes["feature_idx"].astype(np.intp)
            + self.n_features * nodes["missing_go_to_left"].astype(np.intp),
        )
        self.column = np.repeat(column, 2)
        self.threshold = np.repeat(np.where(leaf, np.inf, nodes["num_threshold"]), 2)
        self.inner = np.repeat(~leaf, 2)
        children = np.empty((len(nodes), 2), dtype=np.intp)
        children[:, 1] = 2 * np.where(leaf, here, nodes["left"].astype(np.intp) + shift)
        children[:, 0] = 2 * np.where(leaf, here, nodes["right"].astype(np.intp) + shift)
        self.children = children.ravel()
        self.value = np.repeat(nodes["value"].astype(np.float64), 2)
        self.n_classes = booster.n_trees_per_iteration_
        self.categorical = bool(nodes["is_categorical"].any())

    def raw(self, both: np.ndarray, rows: int, baseline: np.ndarray) -> np.ndarray:
        """The booster's raw predictions (rows x classes) for ``rows`` rows given as
        ``both`` (see :func:`_both`)."""
        values = self.value.take(self._leaves(both, rows))
        terms = np.empty((self.n_trees // self.n_classes + 1, self.n_classes, rows))
        terms[0] = np.reshape(baseline, (self.n_classes, 1))
        terms[1:] = values.reshape(-1, self.n_classes, rows)  # iteration, class, row
        return np.add.accumulate(terms, axis=0)[-1].T

    def _leaves(self, both: np.ndarray, rows: int) -> np.ndarray:
        """The leaf (address) that each of ``rows`` rows reaches in each tree,
        tree after tree; ``both`` holds the rows' features then their copies
        with NaN as -inf, row after row."""
        leaves = np.repeat(self.roots, rows)
        pending = np.arange(len(leaves))  # the pairs still descending
        node = leaves.copy()
        offset = np.tile(np.arange(rows) * 2 * self.n_features, self.n_trees)
        for step in range(1, self.depth + 1):
            at = self.column.take(node)
            at += offset
            node += both.take(at) <= self.threshold.take(node)
            node = self.children.take(node)
            if step % self.PRUNE_EVERY and step < self.depth:
                continue
            leaves[pending] = node
            inner = np.flatnonzero(self.inner.take(node))
            if not len(inner):
                break
            pending, node, offset = pending.take(inner), node.take(inner), offset.take(inner)
        return leaves


_PACKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _packed(booster: HistGradientBoostingClassifier) -> PackedTrees:
    packed = _PACKED.get(booster)
    if packed is None:
        packed = _PACKED[booster] = PackedTrees(booster)
    return packed


def _both(part: np.ndarray) -> np.ndarray:
    """Rows' features then their copies with NaN as -inf, row after row, flat."""
    return np.hstack([part, np.where(np.isnan(part), -np.inf, part)]).ravel()


def predict_proba_each(
    boosters: Sequence[HistGradientBoostingClassifier], X: np.ndarray, chunk: int = 2048
) -> list[np.ndarray]:
    """``[booster.predict_proba(X) for booster in boosters]``, all trees of a
    booster evaluated together and ``X`` prepared once for them all."""
    packs = [_packed(booster) for booster in boosters]
    if any(
        p.categorical or X.shape[1] != b.n_features_in_
        for p, b in zip(packs, boosters, strict=True)
    ):
        return [booster.predict_proba(X) for booster in boosters]  # sklearn's checks and messages
    X = np.asarray(X, dtype=np.float64)
    raws = [np.empty((X.shape[0], p.n_classes)) for p in packs]
    for start in range(0, X.shape[0], chunk):
        part = X[start : start + chunk]
        both = _both(part)
        for packed, booster, raw in zip(packs, boosters, raws, strict=True):
            raw[start : start + chunk] = packed.raw(both, len(part), booster._baseline_prediction)
    return [
        booster._loss.predict_proba(raw if packed.n_classes > 1 else raw[:, 0])
        for packed, booster, raw in zip(packs, boosters, raws, strict=True)
    ]


def predict_proba(booster: HistGradientBoostingClassifier, X: np.ndarray) -> np.ndarray:
    """``booster.predict_proba(X)``, all trees evaluated together."""
    return predict_proba_each([booster], X)[0]
