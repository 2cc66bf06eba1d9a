"""The HTML block classifier at run time: two passes of boosters over DOM blocks.

The first pass labels each block from its own features (text, DOM, the
extractor's verdict, its containers). The second pass revises the label
from the first pass's probabilities of its neighbours in reading order (as
in the text-mode cleaner) and pooled over its DOM containers: a paragraph in
a container whose other blocks look like content is likely content too, a
lone "article-like" block inside a menu is not. Each pass averages a bag of
boosters. Training (``detector_dev.train.html_model``) fits them with
scikit-learn and exports them to the arrays this module loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np

from detector.boosting import (
    CLASSES,
    PackedBooster,
    bag_proba,
    two_pass_from_arrays,
    two_pass_to_arrays,
)
from detector.html_mode.features import CONTAINER_LEVELS, FEATURE_NAMES
from detector.modelstore import check_feature_names, check_input_width

__all__ = [
    "CLASSES",
    "HtmlModel",
    "container_context",
    "container_context_names",
    "neighbour_context",
    "neighbour_context_names",
    "second_pass_names",
]

_CONTENT = CLASSES.index("content")
_CONTAINER_STATS = ("content_mean", "content_peak", "content_rest")


def neighbour_context_names(window: int) -> list[str]:
    """Column names of :func:`neighbour_context`'s matrix."""
    offsets = [o for o in range(-window, window + 1) if o != 0]
    return [f"{name}@{o:+d}" for o in offsets for name in (*CLASSES, "exists")] + [
        "window_content",
        "rest_content",
    ]


def container_context_names() -> list[str]:
    """Column names of :func:`container_context`'s matrix."""
    return [f"c{level}_{stat}" for level in CONTAINER_LEVELS for stat in _CONTAINER_STATS]


def second_pass_names(window: int) -> list[str]:
    """Column names of the second pass's rows (:meth:`HtmlModel.second_input`):
    the features, the first pass's probabilities, their neighbour context over
    ``window`` blocks each side and their container context."""
    return [
        *FEATURE_NAMES,
        *(f"p_{name}" for name in CLASSES),
        *neighbour_context_names(window),
        *container_context_names(),
    ]


def neighbour_context(proba: np.ndarray, lengths: Sequence[int], window: int) -> np.ndarray:
    """For each block: first-pass probabilities of its neighbours in reading order
    at offsets -window..+window (zeros past the page's ends, with a presence
    flag), the mean content probability over that window and over the rest of
    the page (columns :func:`neighbour_context_names`, each written by name).

    The second pass of a trained model depends on this exact layout, so it is
    kept here rather than shared with the text-mode cleaner.
    """
    n = len(proba)
    offsets = [o for o in range(-window, window + 1) if o != 0]
    names = neighbour_context_names(window)
    col = {name: j for j, name in enumerate(names)}
    out = np.zeros((n, len(names)), dtype=np.float32)
    start = 0
    for length in lengths:
        stop = start + length
        page = proba[start:stop]
        rows = out[start:stop]
        idx = np.arange(length)
        for offset in offsets:
            src = idx + offset
            valid = (src >= 0) & (src < length)
            classes = [col[f"{name}@{offset:+d}"] for name in CLASSES]
            rows[np.ix_(valid, classes)] = page[src[valid]]
            rows[valid, col[f"exists@{offset:+d}"]] = 1.0
        content = page[:, _CONTENT]
        cumulative = np.concatenate([[0.0], np.cumsum(content)])
        lo = np.clip(idx - window, 0, length)
        hi = np.clip(idx + window + 1, 0, length)
        rows[:, col["window_content"]] = (cumulative[hi] - cumulative[lo]) / (hi - lo)
        rows[:, col["rest_content"]] = (cumulative[-1] - content) / max(length - 1, 1)
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
    without the block itself (0.5 when it is alone); columns
    :func:`container_context_names`, one level per column of ``groups``
    (``CONTAINER_LEVELS``), each written by name."""
    gid = _global_groups(groups, lengths)
    content = proba[:, _CONTENT].astype(np.float64)
    names = container_context_names()
    col = {name: j for j, name in enumerate(names)}
    n = len(gid)
    out = np.zeros((n, len(names)), dtype=np.float32)
    for level, ids in zip(CONTAINER_LEVELS, gid.T, strict=True):
        size = int(ids.max()) + 1 if n else 0
        wsum = np.bincount(ids, weights=weights, minlength=size)
        psum = np.bincount(ids, weights=weights * content, minlength=size)
        peak = np.zeros(size)
        np.maximum.at(peak, ids, content)
        out[:, col[f"c{level}_content_mean"]] = psum[ids] / np.maximum(wsum[ids], 1e-9)
        out[:, col[f"c{level}_content_peak"]] = peak[ids]
        rest_w = wsum[ids] - weights
        rest_p = psum[ids] - weights * content
        rest = np.where(rest_w > 1e-9, rest_p / np.maximum(rest_w, 1e-9), 0.5)
        out[:, col[f"c{level}_content_rest"]] = rest
    return out


class HtmlModel:
    """Labels DOM blocks ``content``, ``boilerplate`` (or ``seo_filler``).

    Works on precomputed matrices: ``matrix`` (rows = blocks of several pages
    stacked), ``lengths`` (blocks per page), ``groups`` (container ids per
    block, from :func:`detector.html_mode.features.page_features`) and
    ``sizes`` (block sizes for pooling). ``betas`` are the β per ``favor``
    that the page's cut maximises (see :func:`detector.html_mode.decide`).
    """

    def __init__(
        self,
        first: Sequence[PackedBooster],
        second: Sequence[PackedBooster],
        window: int,
        betas: Mapping[str, float] | None = None,
    ) -> None:
        self.first = list(first)
        self.second = list(second)
        self.window = int(window)
        self.betas = dict(betas or {})

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything that rebuilds the model, as plain arrays."""
        return {
            "betas": np.array(json.dumps(self.betas, sort_keys=True)),
            "feature_names": np.array(FEATURE_NAMES),
            **two_pass_to_arrays(self.first, self.second, self.window),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> HtmlModel:
        """The model :meth:`to_arrays` saved; refuses one made for other features."""
        check_feature_names(arrays, FEATURE_NAMES, "page features")
        first, second, window = two_pass_from_arrays(arrays)
        width = len(second_pass_names(window))
        check_input_width((b.n_features for b in second), width, "second-pass context")
        return cls(first, second, window, json.loads(str(arrays["betas"])))

    def second_input(
        self,
        matrix: np.ndarray,
        first: np.ndarray,
        lengths: Sequence[int],
        groups: np.ndarray,
        sizes: np.ndarray,
    ) -> np.ndarray:
        """The second pass's rows: the features, the first pass's probabilities,
        and their neighbour and container context."""
        return np.hstack(
            [
                matrix,
                first,
                neighbour_context(first, lengths, self.window),
                container_context(first, groups, lengths, sizes),
            ]
        )

    def predict_proba(
        self, matrix: np.ndarray, lengths: Sequence[int], groups: np.ndarray, sizes: np.ndarray
    ) -> np.ndarray:
        """Probabilities per block, columns ordered as ``CLASSES``."""
        if matrix.shape[0] == 0:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        first = bag_proba(self.first, matrix)
        return bag_proba(self.second, self.second_input(matrix, first, lengths, groups, sizes))
