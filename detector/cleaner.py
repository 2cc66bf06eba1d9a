"""The trained block classifier: content, boilerplate or SEO filler.

Two passes, as in jusText: a first model labels each block from its own
features and its neighbours' statistics; a second model revises each label
from the first pass's probabilities over a window of neighbouring blocks.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

from detector.block_features import FEATURE_NAMES, BlockFeatures
from detector.document import Block

CLASSES = ("boilerplate", "content", "seo_filler")
TRUSTED_TYPES = [
    "detector.block_features.BlockFeatures",
    "detector.cleaner.BlockClassifier",
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
"""Every type a cleaner model file may hold; loading refuses anything else."""


_GAP_BEFORE = FEATURE_NAMES.index("gap_before")
_LOG_WORDS = FEATURE_NAMES.index("log_words")
_LONG = np.log1p(12)
"""Blocks of 12 words or more are "long": prose, or a teaser's summary."""


def _chunk_mates(proba: np.ndarray, gap_before: np.ndarray) -> np.ndarray:
    """Mean first-pass probabilities of the other blocks of each block's chunk
    (its run of blocks without a blank line between them), and their count."""
    chunk = np.cumsum(gap_before > 0.5) - 1
    sums = np.zeros((chunk.max() + 1 if len(chunk) else 0, proba.shape[1]))
    np.add.at(sums, chunk, proba)
    others = np.bincount(chunk)[chunk] - 1
    mean = (sums[chunk] - proba) / np.maximum(others, 1)[:, None]
    return np.hstack([mean, np.log1p(others)[:, None]]).astype(np.float32)


def _context(
    proba: np.ndarray, doc_lengths: Sequence[int], window: int, own: np.ndarray
) -> np.ndarray:
    """For each block: first-pass probabilities of its neighbours at offsets
    -window..+window (zeros past the document's ends, with a presence flag),
    the mean content probability over that window and over the rest of the
    document, where it stands in the document's likely article (the share of
    expected content words before and after it, the highest content
    probability before and after it), and the mean probabilities of its
    chunk-mates. ``own`` is the blocks' feature matrix."""
    n, k = proba.shape
    offsets = [o for o in range(-window, window + 1) if o != 0]
    out = np.zeros((n, len(offsets) * (k + 1) + 6), dtype=np.float32)
    n_words = np.expm1(own[:, _LOG_WORDS].astype(np.float64))
    start = 0
    for length in doc_lengths:
        if not length:
            continue
        stop = start + length
        doc = proba[start:stop]
        idx = np.arange(length)
        for j, offset in enumerate(offsets):
            reach = max(length - abs(offset), 0)  # blocks whose neighbour exists
            first = start + max(-offset, 0)
            col = j * (k + 1)
            out[first : first + reach, col : col + k] = doc[max(offset, 0) :][:reach]
            out[first : first + reach, col + k] = 1.0
        content = doc[:, CLASSES.index("content")]
        cumulative = np.concatenate([[0.0], np.cumsum(content)])
        lo = np.clip(idx - window, 0, length)
        hi = np.clip(idx + window + 1, 0, length)
        out[start:stop, -6] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
        out[start:stop, -5] = (cumulative[-1] - content) / max(length - 1, 1)
        expected = content * n_words[start:stop]
        through = np.cumsum(expected)
        total = max(through[-1], 1e-9)
        out[start:stop, -4] = (through - expected) / total
        out[start:stop, -3] = (through[-1] - through) / total
        out[start:stop, -2] = np.concatenate([[0.0], np.maximum.accumulate(content)[:-1]])
        out[start:stop, -1] = np.concatenate(
            [np.maximum.accumulate(content[::-1])[::-1][1:], [0.0]]
        )
        start = stop
    return np.hstack([out, _chunk_mates(proba, own[:, _GAP_BEFORE])])


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
        booster = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        )
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
        first = _aligned(self.first_, _predict_proba(self.first_, matrix))
        context = _context(first, lengths, self.window, matrix)
        stacked = np.hstack([matrix, first, context])
        return _aligned(self.second_, _predict_proba(self.second_, stacked))

    def predict(self, X: Sequence[Sequence[Block]]) -> np.ndarray:
        """The most probable label of each block."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class _PackedTrees:
    """Every tree of a fitted booster in flat node arrays, so that one article's
    blocks go through all trees at once: sklearn calls each tree separately,
    and those hundreds of calls dominated the time on an article of a few dozen
    blocks. Trees are ordered deepest first, so that each step of the descent
    only visits the prefix still above its leaves. Same arithmetic as sklearn's
    predictor on numeric features.

    Each step of the descent is four gathers: a leaf points at itself, and a
    node that sends missing values left reads a copy of the features where NaN
    is -inf (so ``x <= threshold`` holds), while the others read NaN (so it
    fails and the value goes right, as sklearn sends it)."""

    def __init__(self, booster: HistGradientBoostingClassifier) -> None:
        trees = [(tree, k) for iteration in booster._predictors for k, tree in enumerate(iteration)]
        trees.sort(key=lambda pair: -int(pair[0].nodes["depth"].max()))  # deepest first
        depths = np.array([int(tree.nodes["depth"].max()) for tree, _ in trees])
        self.active = [int((depths > step).sum()) for step in range(int(depths.max()))]
        tree_class = np.array([k for _, k in trees])
        trees = [tree for tree, _ in trees]
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
            leaf, 0, nodes["feature_idx"] + self.n_features * nodes["missing_go_to_left"]
        ).astype(np.intp)
        self.column = np.repeat(column, 2)
        self.threshold = np.repeat(np.where(leaf, np.inf, nodes["num_threshold"]), 2)
        children = np.empty((len(nodes), 2), dtype=np.intp)
        children[:, 1] = 2 * np.where(leaf, here, nodes["left"].astype(np.intp) + shift)
        children[:, 0] = 2 * np.where(leaf, here, nodes["right"].astype(np.intp) + shift)
        self.children = children.ravel()
        self.value = np.repeat(nodes["value"].astype(np.float64), 2)
        self.n_classes = booster.n_trees_per_iteration_
        self.class_of = np.eye(self.n_classes)[tree_class]
        self.categorical = bool(nodes["is_categorical"].any())

    def raw(self, X: np.ndarray, baseline: np.ndarray, chunk: int = 2048) -> np.ndarray:
        out = np.zeros((X.shape[0], self.n_classes))
        width = 2 * self.n_features
        for start in range(0, X.shape[0], chunk):
            part = X[start : start + chunk]
            both = np.hstack([part, np.where(np.isnan(part), -np.inf, part)]).ravel()
            base = np.arange(len(part)) * width
            node = np.repeat(self.roots[:, None], len(part), axis=1)  # trees x rows
            for k in self.active:  # the trees still descending: a shrinking prefix
                at = node[:k]
                x = both.take(base + self.column.take(at))
                node[:k] = self.children.take(at + (x <= self.threshold.take(at)))
            out[start : start + chunk] = (self.class_of.T @ self.value.take(node)).T
        return out + baseline


_PACKED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _predict_proba(booster: HistGradientBoostingClassifier, X: np.ndarray) -> np.ndarray:
    """``booster.predict_proba(X)``, all trees evaluated together."""
    packed = _PACKED.get(booster)
    if packed is None:
        packed = _PACKED[booster] = _PackedTrees(booster)
    if packed.categorical or X.shape[1] != booster.n_features_in_:
        return booster.predict_proba(X)  # sklearn's checks and messages
    raw = packed.raw(np.asarray(X, dtype=np.float64), booster._baseline_prediction)
    return booster._loss.predict_proba(raw if packed.n_classes > 1 else raw[:, 0])


def _take(weights: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if weights is None else weights[index]


def _aligned(model: HistGradientBoostingClassifier, proba: np.ndarray) -> np.ndarray:
    """Probabilities with columns in CLASSES order, zeros for classes unseen in training."""
    out = np.zeros((proba.shape[0], len(CLASSES)), dtype=np.float32)
    for j, label in enumerate(model.classes_):
        out[:, CLASSES.index(label)] = proba[:, j]
    return out
