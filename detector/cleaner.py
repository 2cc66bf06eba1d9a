"""The trained block classifier: content, boilerplate or SEO filler.

Two passes, as in jusText: a first model labels each block from its own
features and its neighbours' statistics; a second model revises each label
from the first pass's probabilities over a window of neighbouring blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from detector import packed_trees
from detector.block_features import FEATURE_NAMES, BlockFeatures
from detector.document import Block

CLASSES = ("boilerplate", "content", "seo_filler")
BOOSTER_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.link.MultinomialLogit",
    "sklearn._loss.loss.HalfMultinomialLoss",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "numpy.dtype",
]
"""The types a fitted HistGradientBoostingClassifier is saved as."""
TRUSTED_TYPES = [
    "detector.block_features.BlockFeatures",
    "detector.cleaner.BlockClassifier",
    *BOOSTER_TYPES,
]
"""Every type a cleaner model file may hold; loading refuses anything else."""


_GAP_BEFORE = FEATURE_NAMES.index("gap_before")
_LOG_WORDS = FEATURE_NAMES.index("log_words")
_CONTENT = CLASSES.index("content")
_LONG = np.log1p(12)
"""Blocks of 12 words or more are "long": prose, or a teaser's summary."""


def _chunk_mates(proba: np.ndarray, gap_before: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean first-pass probabilities of the other blocks of each block's chunk
    (its run of blocks without a blank line between them), and their count."""
    n, k = proba.shape
    chunk = np.add.accumulate(gap_before > 0.5, dtype=np.intp) - 1
    sizes = np.bincount(chunk)
    cells = (chunk[:, None] * k + np.arange(k)).ravel()  # (chunk, class), row after row
    sums = np.bincount(cells, weights=proba.ravel(), minlength=len(sizes) * k).reshape(-1, k)
    others = sizes[chunk] - 1
    return (sums[chunk] - proba) / np.maximum(others, 1)[:, None], others


def _context(
    proba: np.ndarray, doc_lengths: Sequence[int], window: int, own: np.ndarray
) -> np.ndarray:
    """For each block: first-pass probabilities of its neighbours at offsets
    -window..+window (zeros past the document's ends, with a presence flag),
    the mean content probability over that window and over the rest of the
    document, where it stands in the document's likely article (the share of
    expected content words before and after it, the highest content
    probability before and after it), and the mean probabilities of its
    chunk-mates and their count. ``own`` is the blocks' feature matrix."""
    n, k = proba.shape
    offsets = np.array([o for o in range(-window, window + 1) if o != 0])
    width = len(offsets) * (k + 1)
    out = np.zeros((n, width + 6 + k + 1), dtype=np.float32)
    n_words = np.expm1(own[:, _LOG_WORDS].astype(np.float64))
    start = 0
    for length in doc_lengths:
        if not length:
            continue
        stop = start + length
        doc = proba[start:stop]
        # Each block's neighbours read from the document padded with absent blocks.
        padded = np.zeros((length + 2 * window, k + 1), dtype=np.float32)
        padded[window : window + length, :k] = doc
        padded[window : window + length, k] = 1.0
        idx = np.arange(length)
        out[start:stop, :width] = padded[idx[:, None] + (offsets + window)].reshape(length, width)
        content = doc[:, _CONTENT]
        cumulative = np.zeros(length + 1)
        cumulative[1:] = np.add.accumulate(content)  # float32 sums, as np.cumsum
        lo = np.maximum(idx - window, 0)
        hi = np.minimum(idx + window + 1, length)
        stats = out[start:stop, width : width + 6]
        stats[:, 0] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
        stats[:, 1] = (cumulative[-1] - content) / max(length - 1, 1)
        expected = content * n_words[start:stop]
        through = np.add.accumulate(expected)
        total = max(through[-1], 1e-9)
        stats[:, 2] = (through - expected) / total
        stats[:, 3] = (through[-1] - through) / total
        stats[1:, 4] = np.maximum.accumulate(content)[:-1]
        stats[:-1, 5] = np.maximum.accumulate(content[::-1])[::-1][1:]
        start = stop
    mean, others = _chunk_mates(proba, own[:, _GAP_BEFORE])
    out[:, width + 6 : width + 6 + k] = mean
    out[:, -1] = np.log1p(others)
    return out


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
    """

    def __init__(
        self,
        *,
        max_iter: int = 100,
        learning_rate: float = 0.12,
        max_leaf_nodes: int = 31,
        min_samples_leaf: int = 40,
        l2_regularization: float = 1.0,
        window: int = 3,
        n_folds: int = 2,
        max_rows: int | None = 120_000,
        rare_share: float = 0.3,
        reweight: bool = True,
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
        self.random_state = random_state

    def _sample(
        self, matrix: np.ndarray, labels: np.ndarray, weights: np.ndarray | None
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
        rng = np.random.default_rng(self.random_state)
        drawn = rng.choice(common, size=min(wanted, len(common)), replace=False)
        rows = np.sort(np.concatenate([rows[rare], drawn]))
        scale = np.ones(len(labels))
        if self.reweight and len(drawn):
            scale[common] = len(common) / len(drawn)
        base = np.ones(len(labels)) if weights is None else weights
        return rows, (base * scale)[rows]

    def _fit_booster(
        self, matrix: np.ndarray, labels: np.ndarray, weights: np.ndarray | None
    ) -> HistGradientBoostingClassifier:
        """A booster fitted on a sample of the rows (see ``_sample``)."""
        rows, sample_weight = self._sample(matrix, labels, weights)
        booster = new_booster(self, self.random_state)
        return booster.fit(matrix[rows], labels[rows], sample_weight=sample_weight)

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
        self.features_ = BlockFeatures()
        matrix = self.features_.transform(X) if features is None else features
        labels = np.asarray(y)
        lengths = [len(doc) for doc in X]
        if matrix.shape[0] != len(labels):
            raise ValueError(f"{matrix.shape[0]} blocks but {len(labels)} labels")
        self.classes_ = np.array(CLASSES)
        groups = np.repeat(np.arange(len(lengths)), lengths)
        out_of_fold = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
        for train, test in GroupKFold(n_splits=self.n_folds).split(matrix, labels, groups):
            model = self._fit_booster(matrix[train], labels[train], _take(sample_weight, train))
            out_of_fold[test] = _aligned(model, model.predict_proba(matrix[test]))
        self.first_ = self._fit_booster(matrix, labels, sample_weight)
        context = _context(out_of_fold, lengths, self.window, matrix)
        stacked = np.hstack([matrix, out_of_fold, context])
        self.second_ = self._fit_booster(stacked, labels, sample_weight)
        return self

    def predict_proba(
        self, X: Sequence[Sequence[Block]], *, features: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities per block, columns ordered as ``classes_``."""
        matrix = self.features_.transform(X) if features is None else features
        if matrix.shape[0] == 0:
            return np.zeros((0, len(CLASSES)))
        lengths = [len(doc) for doc in X]
        first = _aligned(self.first_, packed_trees.predict_proba(self.first_, matrix))
        context = _context(first, lengths, self.window, matrix)
        stacked = np.hstack([matrix, first, context])
        return _aligned(self.second_, packed_trees.predict_proba(self.second_, stacked))

    def predict(self, X: Sequence[Sequence[Block]]) -> np.ndarray:
        """The most probable label of each block."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def _take(weights: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[index]


def _aligned(model: HistGradientBoostingClassifier, proba: np.ndarray) -> np.ndarray:
    """Probabilities with columns in CLASSES order, zeros for classes unseen in training."""
    out = np.zeros((proba.shape[0], len(CLASSES)), dtype=np.float32)
    for j, label in enumerate(model.classes_):
        out[:, CLASSES.index(label)] = proba[:, j]
    return out
