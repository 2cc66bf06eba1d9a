"""The text-mode block classifier at run time: content, boilerplate or SEO filler.

Two passes, as in jusText: a first bag of boosters labels each block from its
own features and its neighbours' statistics; a second revises each label from
the first pass's probabilities over a window of neighbouring blocks. Training
(``detector_dev.train.text_model``) fits the boosters with scikit-learn and
exports them to the arrays this module loads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from detector.boosting import (
    CLASSES,
    PackedBooster,
    bag_proba,
    two_pass_from_arrays,
    two_pass_to_arrays,
)
from detector.document import Block
from detector.modelstore import check_feature_names, check_input_width
from detector.text_mode.features import FEATURE_NAMES, BlockFeatures

__all__ = ["CLASSES", "TextModel", "context", "context_names"]

_GAP_BEFORE = FEATURE_NAMES.index("gap_before")
_LOG_WORDS = FEATURE_NAMES.index("log_words")
_CONTENT = CLASSES.index("content")


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


_STATS = (
    "window_content",
    "rest_content",
    "expected_before",
    "expected_after",
    "peak_before",
    "peak_after",
)


def _neighbour_names(window: int) -> list[str]:
    """First-pass class probabilities and presence flag of each neighbour."""
    offsets = [o for o in range(-window, window + 1) if o != 0]
    return [f"{name}@{o:+d}" for o in offsets for name in (*CLASSES, "exists")]


def context_names(window: int) -> list[str]:
    """Column names of :func:`context`'s matrix: the second pass's columns after
    the features and the first-pass probabilities."""
    return (
        _neighbour_names(window)
        + list(_STATS)
        + [f"chunk_{name}" for name in CLASSES]
        + ["chunk_log_mates"]
    )


def context(
    proba: np.ndarray, doc_lengths: Sequence[int], window: int, own: np.ndarray
) -> np.ndarray:
    """For each block: first-pass probabilities of its neighbours at offsets
    -window..+window (zeros past the document's ends, with a presence flag),
    the mean content probability over that window and over the rest of the
    document, where it stands in the document's likely article (the share of
    expected content words before and after it, the highest content
    probability before and after it), and the mean probabilities of its
    chunk-mates and their count (columns :func:`context_names`, each written by
    name). ``own`` is the blocks' feature matrix."""
    n, k = proba.shape
    offsets = np.array([o for o in range(-window, window + 1) if o != 0])
    width = len(offsets) * (k + 1)
    names = context_names(window)
    col = {name: j for j, name in enumerate(names)}
    neighbours = [col[name] for name in _neighbour_names(window)]
    out = np.zeros((n, len(names)), dtype=np.float32)
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
        out[start:stop, neighbours] = padded[idx[:, None] + (offsets + window)].reshape(
            length, width
        )
        content = doc[:, _CONTENT]
        cumulative = np.zeros(length + 1)
        cumulative[1:] = np.add.accumulate(content)  # float32 sums, as np.cumsum
        lo = np.maximum(idx - window, 0)
        hi = np.minimum(idx + window + 1, length)
        out[start:stop, col["window_content"]] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
        out[start:stop, col["rest_content"]] = (cumulative[-1] - content) / max(length - 1, 1)
        expected = content * n_words[start:stop]
        through = np.add.accumulate(expected)
        total = max(through[-1], 1e-9)
        out[start:stop, col["expected_before"]] = (through - expected) / total
        out[start:stop, col["expected_after"]] = (through[-1] - through) / total
        out[start + 1 : stop, col["peak_before"]] = np.maximum.accumulate(content)[:-1]
        out[start : stop - 1, col["peak_after"]] = np.maximum.accumulate(content[::-1])[::-1][1:]
        start = stop
    mean, others = _chunk_mates(proba, own[:, _GAP_BEFORE])
    out[:, [col[f"chunk_{name}"] for name in CLASSES]] = mean
    out[:, col["chunk_log_mates"]] = np.log1p(others)
    return out


class TextModel:
    """Labels every block of a document: ``content``, ``boilerplate`` or ``seo_filler``.

    ``first`` and ``second`` are the two passes' bags of boosters; ``window``
    the neighbours on each side that the second pass sees.
    """

    def __init__(
        self, first: Sequence[PackedBooster], second: Sequence[PackedBooster], window: int
    ) -> None:
        self.first = list(first)
        self.second = list(second)
        self.window = int(window)
        self.features = BlockFeatures()

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything that rebuilds the model, as plain arrays."""
        return {
            "feature_names": np.array(FEATURE_NAMES),
            **two_pass_to_arrays(self.first, self.second, self.window),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> TextModel:
        """The model :meth:`to_arrays` saved; refuses one made for other features."""
        check_feature_names(arrays, FEATURE_NAMES, "block features")
        first, second, window = two_pass_from_arrays(arrays)
        width = len(FEATURE_NAMES) + len(CLASSES) + len(context_names(window))
        check_input_width((b.n_features for b in second), width, "second-pass context")
        return cls(first, second, window)

    def predict_proba(
        self, X: Sequence[Sequence[Block]], *, features: np.ndarray | None = None
    ) -> np.ndarray:
        """Probabilities per block of the documents ``X``, columns ``CLASSES``;
        ``features`` may pass their precomputed feature matrix."""
        matrix = self.features.transform(X) if features is None else features
        if matrix.shape[0] == 0:
            return np.zeros((0, len(CLASSES)))
        lengths = [len(doc) for doc in X]
        first = bag_proba(self.first, matrix)
        stacked = np.hstack([matrix, first, context(first, lengths, self.window, matrix)])
        return bag_proba(self.second, stacked)
