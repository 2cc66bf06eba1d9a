"""Cross-validation folds of both cleaners: grouped by site, and extended with
the synthetic documents made at training time from each fold's pages
(:mod:`detector_dev.train.text_renderings`, :mod:`detector_dev.train.long_pages`).

A synthetic document made from fold k's pages trains every other fold's model
and never fold k's, so no fold model sees text of the sites it is measured on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

Folds = list[tuple[np.ndarray, np.ndarray]]


def site_folds(pages: Sequence[Any], n_splits: int) -> Folds:
    """Train/test indices of GroupKFold over ``pages`` grouped by their ``site``."""
    sites = np.array([p.site for p in pages])
    return list(GroupKFold(n_splits=n_splits).split(np.zeros(len(pages)), groups=sites))


def with_synthetic(folds: Folds, made: Sequence[Sequence[int]], *, measured: bool) -> Folds:
    """``folds`` with each training side extended by the synthetic documents
    made from the other folds' pages (``made[k]``: the indices of those made
    from fold k's), and, when they are ``measured``, each test side by its own."""
    extended = []
    for k, (train, test) in enumerate(folds):
        others = [i for j, ids in enumerate(made) if j != k for i in ids]
        train = np.concatenate([train, others]).astype(int)
        if measured:
            test = np.concatenate([test, made[k]]).astype(int)
        extended.append((train, test))
    return extended
