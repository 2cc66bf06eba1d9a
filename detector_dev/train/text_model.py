"""The text-mode block classifier as a scikit-learn estimator, for training.

``BlockClassifier.fit`` learns the two passes of
:class:`detector.text_mode.model.TextModel` with scikit-learn's
``HistGradientBoostingClassifier`` and exports them (``model_``), which is
what predicts here and what ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from detector.boosting import CLASSES, bag_proba
from detector.document import Block
from detector.text_mode.features import FEATURE_NAMES, BlockFeatures
from detector.text_mode.model import TextModel, context
from detector_dev.export import pack_booster

__all__ = ["BlockClassifier", "new_booster"]

_LOG_WORDS = FEATURE_NAMES.index("log_words")
_LONG = np.log1p(12)
"""Blocks of 12 words or more are "long": prose, or a teaser's summary."""


def new_booster(settings: Any, seed: int) -> HistGradientBoostingClassifier:
    """An unfitted booster with the tree settings of ``settings`` (an estimator
    with ``max_iter``, ``learning_rate``, ``max_leaf_nodes``, ``min_samples_leaf``
    and ``l2_regularization``), without early stopping."""
    return HistGradientBoostingClassifier(
        max_iter=settings.max_iter,
        learning_rate=settings.learning_rate,
        max_leaf_nodes=settings.max_leaf_nodes,
        min_samples_leaf=settings.min_samples_leaf,
        l2_regularization=settings.l2_regularization,
        early_stopping=False,
        random_state=seed,
    )


class BlockClassifier(ClassifierMixin, BaseEstimator):
    """Labels every block of a document: ``content``, ``boilerplate`` or ``seo_filler``.

    ``X`` is a sequence of documents, each a sequence of Blocks; ``y`` holds
    one label per block, documents concatenated in order. ``predict_proba``
    returns one row per block in the same order, columns ``classes_``.

    Each booster sees every row (``max_rows=None``) with at least 100 rows a
    leaf. A 120,000-row sample at 40 rows a leaf (the recipe before) put 7% of
    the blocks on the other side of the cut from one draw of rows to the next,
    so every retrain redrew the borderline lines; every row removes the draw.
    Every row at 40 rows a leaf kept the seeds' short template lines (dates,
    a byline, a caption), at 200 it lost more of short articles. Site-grouped
    CV (corpus/README.md, "Tried and not kept"): short clean articles keep
    97.9% -> 99.0% of their words, ``page`` 0.833 -> 0.836, ``recall`` 0.825
    -> 0.827. ``rare_share`` and ``reweight`` apply only to a sample
    (``max_rows`` set).
    """

    def __init__(
        self,
        *,
        max_iter: int = 100,
        learning_rate: float = 0.12,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 100,
        l2_regularization: float = 1.0,
        window: int = 3,
        n_folds: int = 2,
        max_rows: int | None = None,
        rare_share: float = 0.3,
        reweight: bool = True,
        n_bags: int = 1,
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
        self.rare_share = rare_share
        self.reweight = reweight
        self.n_bags = n_bags
        self.random_state = random_state

    def _sample(
        self, matrix: np.ndarray, labels: np.ndarray, weights: np.ndarray | None, seed: int
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Rows to fit on, and their weights.

        Up to ``max_rows`` rows, stratified by label and block length: every row
        of a stratum smaller than ``rare_share * max_rows`` (SEO filler, long
        boilerplate such as teasers) is kept, the rest are drawn uniformly; with
        ``reweight`` the drawn rows' weights are scaled by the inverse of their
        draw probability, so the sample stands for the whole set.
        """
        rows = np.arange(len(labels))
        if self.max_rows is None or len(rows) <= self.max_rows:
            return rows, weights
        strata = np.char.add(labels.astype(str), (matrix[:, _LOG_WORDS] >= _LONG).astype(str))
        _, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
        rare = counts[inverse] < self.rare_share * self.max_rows
        common = rows[~rare]
        wanted = max(self.max_rows - int(rare.sum()), 0)
        rng = np.random.default_rng(seed)
        drawn = rng.choice(common, size=min(wanted, len(common)), replace=False)
        rows = np.sort(np.concatenate([rows[rare], drawn]))
        scale = np.ones(len(labels))
        if self.reweight and len(drawn):
            scale[common] = len(common) / len(drawn)
        base = np.ones(len(labels)) if weights is None else weights
        return rows, (base * scale)[rows]

    def _fit_bag(
        self, matrix: np.ndarray, labels: np.ndarray, weights: np.ndarray | None
    ) -> list[HistGradientBoostingClassifier]:
        """``n_bags`` boosters, each fitted on its own sample of the rows (see
        ``_sample``; bag k draws with seed ``random_state + k``), whose
        probabilities are averaged: a pass whose probabilities move less from
        one draw of rows to the next."""
        bag = []
        for k in range(self.n_bags):
            seed = self.random_state + k
            rows, sample_weight = self._sample(matrix, labels, weights, seed)
            booster = new_booster(self, seed)
            bag.append(booster.fit(matrix[rows], labels[rows], sample_weight=sample_weight))
        return bag

    def fit(
        self,
        X: Sequence[Sequence[Block]],
        y: Sequence[str],
        sample_weight: np.ndarray | None = None,
        *,
        features: np.ndarray | None = None,
    ) -> BlockClassifier:
        """Learn both passes; the second pass trains on out-of-fold first-pass
        probabilities so that it sees them as they are on unseen documents.

        ``features`` may pass the precomputed BlockFeatures matrix of ``X``.
        """
        matrix = BlockFeatures().transform(X) if features is None else features
        labels = np.asarray(y)
        lengths = [len(doc) for doc in X]
        if matrix.shape[0] != len(labels):
            raise ValueError(f"{matrix.shape[0]} blocks but {len(labels)} labels")
        self.classes_ = np.array(CLASSES)
        groups = np.repeat(np.arange(len(lengths)), lengths)
        out_of_fold = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
        for train, test in GroupKFold(n_splits=self.n_folds).split(matrix, labels, groups):
            bag = self._fit_bag(matrix[train], labels[train], _take(sample_weight, train))
            out_of_fold[test] = bag_proba([pack_booster(b) for b in bag], matrix[test])
        self.first_ = self._fit_bag(matrix, labels, sample_weight)
        stacked = np.hstack(
            [matrix, out_of_fold, context(out_of_fold, lengths, self.window, matrix)]
        )
        self.second_ = self._fit_bag(stacked, labels, sample_weight)
        self.model_ = TextModel(
            [pack_booster(b) for b in self.first_],
            [pack_booster(b) for b in self.second_],
            self.window,
        )
        return self

    def predict_proba(
        self, X: Sequence[Sequence[Block]], *, features: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities per block, columns ordered as ``classes_``: the exported
        runtime model's (:class:`detector.text_mode.model.TextModel`), so that
        what is measured is what ships."""
        return self.model_.predict_proba(X, features=features)

    def predict(self, X: Sequence[Sequence[Block]]) -> np.ndarray:
        """The most probable label of each block."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _take(weights: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[index]
