"""The HTML block classifier: two gradient-boosted passes over DOM blocks.

The first pass labels each block from its own features (text, DOM, the
extractor's verdict, its containers). The second pass revises the label
from the first pass's probabilities of its neighbours in reading order (as
in the text-mode cleaner) and pooled over its DOM containers: a paragraph in
a container whose other blocks look like content is likely content too, a
lone "article-like" block inside a menu is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from detector import packed_trees
from detector.cleaner import CLASSES, new_booster

__all__ = ["CLASSES", "HtmlBlockClassifier", "container_context", "neighbour_context"]

_CONTENT = CLASSES.index("content")


def _aligned(model: HistGradientBoostingClassifier, proba: np.ndarray) -> np.ndarray:
    """Probabilities with columns in CLASSES order, zeros for classes unseen in training."""
    out = np.zeros((proba.shape[0], len(CLASSES)), dtype=np.float32)
    for j, label in enumerate(model.classes_):
        out[:, CLASSES.index(label)] = proba[:, j]
    return out


def _bag_proba(boosters: Any, matrix: np.ndarray) -> np.ndarray:
    """Mean probabilities (CLASSES order) of a list of boosters (or of a single one,
    as models saved before bagging hold)."""
    if not isinstance(boosters, list):
        boosters = [boosters]
    each = packed_trees.predict_proba_each(boosters, matrix)
    out = _aligned(boosters[0], each[0])
    for booster, proba in zip(boosters[1:], each[1:], strict=True):
        out += _aligned(booster, proba)
    if len(boosters) > 1:
        out /= len(boosters)
    return out


def neighbour_context(proba: np.ndarray, lengths: Sequence[int], window: int) -> np.ndarray:
    """For each block: first-pass probabilities of its neighbours in reading order
    at offsets -window..+window (zeros past the page's ends, with a presence
    flag), the mean content probability over that window and over the rest of
    the page.

    The second pass of a trained model depends on this exact layout, so it is
    kept here rather than shared with the text-mode cleaner.
    """
    n, k = proba.shape
    offsets = [o for o in range(-window, window + 1) if o != 0]
    out = np.zeros((n, len(offsets) * (k + 1) + 2), dtype=np.float32)
    start = 0
    for length in lengths:
        stop = start + length
        page = proba[start:stop]
        idx = np.arange(length)
        for j, offset in enumerate(offsets):
            src = idx + offset
            valid = (src >= 0) & (src < length)
            col = j * (k + 1)
            out[start:stop][valid, col : col + k] = page[src[valid]]
            out[start:stop][valid, col + k] = 1.0
        content = page[:, _CONTENT]
        cumulative = np.concatenate([[0.0], np.cumsum(content)])
        lo = np.clip(idx - window, 0, length)
        hi = np.clip(idx + window + 1, 0, length)
        out[start:stop, -2] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
        out[start:stop, -1] = (cumulative[-1] - content) / max(length - 1, 1)
        start = stop
    return out


def _global_groups(groups: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Container ids made unique across the pages stacked in ``groups``."""
    out = np.zeros_like(groups)
    start = 0
    base = np.zeros(groups.shape[1], dtype=np.int64)
    for length in lengths:
        stop = start + length
        if length:
            out[start:stop] = groups[start:stop] + base
            base = out[start:stop].max(axis=0) + 1
        start = stop
    return out


def container_context(
    proba: np.ndarray, groups: np.ndarray, lengths: Sequence[int], weights: np.ndarray
) -> np.ndarray:
    """Per block and container level: the weighted mean and the max of the
    first-pass content probability over the container, and the same mean
    without the block itself (0.5 when it is alone)."""
    gid = _global_groups(groups, lengths)
    content = proba[:, _CONTENT].astype(np.float64)
    n, levels = gid.shape
    out = np.zeros((n, levels * 3), dtype=np.float32)
    for j in range(levels):
        ids = gid[:, j]
        size = int(ids.max()) + 1 if n else 0
        wsum = np.bincount(ids, weights=weights, minlength=size)
        psum = np.bincount(ids, weights=weights * content, minlength=size)
        peak = np.zeros(size)
        np.maximum.at(peak, ids, content)
        out[:, 3 * j] = psum[ids] / np.maximum(wsum[ids], 1e-9)
        out[:, 3 * j + 1] = peak[ids]
        rest_w = wsum[ids] - weights
        rest_p = psum[ids] - weights * content
        out[:, 3 * j + 2] = np.where(rest_w > 1e-9, rest_p / np.maximum(rest_w, 1e-9), 0.5)
    return out


class HtmlBlockClassifier(ClassifierMixin, BaseEstimator):
    """Labels DOM blocks ``content``, ``boilerplate`` (or ``seo_filler``).

    Works on precomputed matrices: ``matrix`` (rows = blocks of several pages
    stacked), ``lengths`` (blocks per page), ``groups`` (container ids per
    block, from :func:`detector.html_mode.features.page_features`) and
    ``weights`` (block sizes for pooling).
    """

    def __init__(
        self,
        *,
        max_iter: int = 60,
        learning_rate: float = 0.2,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 40,
        l2_regularization: float = 1.0,
        window: int = 3,
        n_folds: int = 2,
        max_rows: int | None = 80_000,
        n_bags: int = 3,
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.window = window
        self.n_folds = n_folds
        self.max_rows = max_rows
        self.n_bags = n_bags
        self.random_state = random_state

    def _booster(
        self, matrix: np.ndarray, labels: np.ndarray, weights: np.ndarray | None
    ) -> list[HistGradientBoostingClassifier]:
        """``n_bags`` boosters, each on its own seeded sample of ``max_rows`` rows
        (bag k uses seed ``random_state + k``); their probabilities are averaged."""
        boosters = []
        for bag in range(getattr(self, "n_bags", 1)):
            seed = self.random_state + bag
            rows = np.arange(len(labels))
            if self.max_rows is not None and len(rows) > self.max_rows:
                rng = np.random.default_rng(seed)
                rows = np.sort(rng.choice(rows, size=self.max_rows, replace=False))
            boosters.append(
                new_booster(self, seed).fit(
                    matrix[rows],
                    labels[rows],
                    sample_weight=None if weights is None else weights[rows],
                )
            )
        return boosters

    def _second_input(
        self,
        matrix: np.ndarray,
        first: np.ndarray,
        lengths: Sequence[int],
        groups: np.ndarray,
        sizes: np.ndarray,
    ) -> np.ndarray:
        return np.hstack(
            [
                matrix,
                first,
                neighbour_context(first, lengths, self.window),
                container_context(first, groups, lengths, sizes),
            ]
        )

    def fit(
        self,
        matrix: np.ndarray,
        labels: Sequence[str],
        lengths: Sequence[int],
        groups: np.ndarray,
        sizes: np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> HtmlBlockClassifier:
        """Learn both passes; the second trains on out-of-fold first-pass
        probabilities (folds by page), as it will see them on unseen pages."""
        labels = np.asarray(labels)
        if matrix.shape[0] != len(labels):
            raise ValueError(f"{matrix.shape[0]} blocks but {len(labels)} labels")
        self.classes_ = np.array(CLASSES)
        self.n_features_in_ = matrix.shape[1]
        page_of = np.repeat(np.arange(len(lengths)), lengths)
        out_of_fold = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
        for train, test in GroupKFold(n_splits=self.n_folds).split(matrix, labels, page_of):
            model = self._booster(
                matrix[train],
                labels[train],
                None if sample_weight is None else sample_weight[train],
            )
            out_of_fold[test] = _bag_proba(model, matrix[test])
        self.first_ = self._booster(matrix, labels, sample_weight)
        stacked = self._second_input(matrix, out_of_fold, lengths, groups, sizes)
        self.second_ = self._booster(stacked, labels, sample_weight)
        return self

    def predict_proba(
        self, matrix: np.ndarray, lengths: Sequence[int], groups: np.ndarray, sizes: np.ndarray
    ) -> np.ndarray:
        """Probabilities per block, columns ordered as ``CLASSES``."""
        if matrix.shape[0] == 0:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        first = _bag_proba(self.first_, matrix)
        stacked = self._second_input(matrix, first, lengths, groups, sizes)
        return _bag_proba(self.second_, stacked)
