"""The HTML block classifier as a scikit-learn estimator, for training.

``HtmlBlockClassifier.fit`` learns the two passes of
:class:`detector.html_mode.model.HtmlModel` (bags of scikit-learn
``HistGradientBoostingClassifier``) and exports them (``model_``), which is
what predicts here and what ships.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from detector.boosting import CLASSES, bag_proba
from detector.html_mode.model import HtmlModel
from detector_dev.export import pack_booster
from detector_dev.train.text_model import new_booster

__all__ = ["HtmlBlockClassifier"]


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
        for bag in range(self.n_bags):
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
            out_of_fold[test] = bag_proba([pack_booster(b) for b in model], matrix[test])
        self.first_ = self._booster(matrix, labels, sample_weight)
        self.model_ = HtmlModel([pack_booster(b) for b in self.first_], [], self.window)
        stacked = self.model_.second_input(matrix, out_of_fold, lengths, groups, sizes)
        self.second_ = self._booster(stacked, labels, sample_weight)
        self.model_.second = [pack_booster(b) for b in self.second_]
        return self

    def predict_proba(
        self, matrix: np.ndarray, lengths: Sequence[int], groups: np.ndarray, sizes: np.ndarray
    ) -> np.ndarray:
        """Probabilities per block, columns ordered as ``CLASSES``: the exported
        runtime model's, so that what is measured is what ships."""
        return self.model_.predict_proba(matrix, lengths, groups, sizes)
