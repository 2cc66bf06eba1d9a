"""Fitted scikit-learn models -> the plain arrays the runtime loads.

The runtime (``detector``) never imports scikit-learn: every trained model
ships as an ``.npz`` of numbers and strings, read with ``allow_pickle=False``
(so loading runs no code), listed in ``detector/models/manifest.json`` with
its sha256. This module makes those arrays from fitted estimators and writes
the files and the manifest.
"""

from __future__ import annotations

import io
import json
import os
import platform
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np

from detector.boosting import CLASSES, PackedBooster
from detector.modelstore import (
    MANIFEST,
    default_model_dir,
    read_manifest,
    sha256_file,
    write_atomic,
)

__all__ = ["pack_booster", "save_arrays"]

_TRACKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "trafilatura", "lxml")


def pack_booster(booster: Any) -> PackedBooster:
    """A fitted ``HistGradientBoostingClassifier`` as a :class:`PackedBooster`
    (numeric features only: the runtime has no categorical splits)."""
    trees = [tree for iteration in booster._predictors for tree in iteration]
    nodes = np.concatenate([tree.nodes for tree in trees])
    if nodes["is_categorical"].any():
        raise ValueError("categorical splits are not supported by the packed trees")
    sizes = np.array([len(tree.nodes) for tree in trees])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    shift = np.repeat(offsets, sizes)
    leaf = nodes["is_leaf"].astype(bool)
    here = np.arange(len(nodes))
    n_features = int(booster.n_features_in_)
    # A node is addressed by twice its index: slot 2i + (x <= threshold) of
    # ``children`` holds (twice) the child to go to, left at 2i + 1; a node that
    # sends missing values left reads the copy of the features with NaN as -inf.
    column = np.where(
        leaf,
        0,
        nodes["feature_idx"].astype(np.intp)
        + n_features * nodes["missing_go_to_left"].astype(np.intp),
    )
    children = np.empty((len(nodes), 2), dtype=np.intp)
    children[:, 1] = 2 * np.where(leaf, here, nodes["left"].astype(np.intp) + shift)
    children[:, 0] = 2 * np.where(leaf, here, nodes["right"].astype(np.intp) + shift)
    classes = [CLASSES.index(c) if isinstance(c, str) else int(c) for c in booster.classes_]
    return PackedBooster(
        {
            "roots": 2 * offsets,
            "column": np.repeat(column, 2),
            "threshold": np.repeat(np.where(leaf, np.inf, nodes["num_threshold"]), 2),
            "inner": np.repeat(~leaf, 2),
            "children": children.ravel(),
            "value": np.repeat(nodes["value"].astype(np.float64), 2),
            "baseline": np.asarray(booster._baseline_prediction, dtype=np.float64).ravel(),
            "classes": np.array(classes, dtype=np.intp),
            "n_features": np.array(n_features),
            "depth": np.array(max(int(tree.nodes["depth"].max()) for tree in trees)),
        }
    )


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model was trained with, and of this project
    under its distribution's name (found from the ``detector`` package, since
    the distribution is named otherwise: ``detector-clean``)."""
    versions = {"python": platform.python_version()}
    own = importlib_metadata.packages_distributions().get("detector", [])
    for name in (*own, *_TRACKED_LIBRARIES):
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def save_arrays(
    arrays: dict[str, np.ndarray],
    name: str,
    *,
    model_dir: str | os.PathLike[str] | None = None,
    corpus_sha256: str | None = None,
    metrics: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    compressed: bool = True,
) -> Path:
    """Write ``arrays`` as ``<name>.npz`` (no object arrays; zip-deflated unless
    ``compressed`` is false: a stored archive loads without inflating) and
    record it in the manifest with its sha256."""
    for key, value in arrays.items():
        if np.asarray(value).dtype == object:
            raise TypeError(f"{key}: object arrays cannot be loaded without pickle")
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    path = model_dir / f"{name}.npz"
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    write_atomic(path, buffer.getvalue())
    manifest = read_manifest(model_dir)
    entry: dict[str, Any] = {
        "file": path.name,
        "sha256": sha256_file(path),
        "corpus_sha256": corpus_sha256,
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library_versions": library_versions(),
        "metrics": metrics or {},
    }
    if extra:
        entry.update(extra)
    manifest.setdefault("models", {})[name] = entry
    write_atomic(
        model_dir / MANIFEST,
        (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    )
    return path
