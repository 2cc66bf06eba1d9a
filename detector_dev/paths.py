"""Where the development tools find the repository's files: one home for the
paths that corpus builders, training scripts and benchmarks share."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
"""The clone: holds ``detector/``, ``detector_dev/``, ``corpus/`` and ``seeds/``."""

SEEDS = REPO / "seeds"
CORPUS_DIR = REPO / "corpus"
DATA = REPO.parent / "shared" / "data"
"""The shared data sets (``../shared/data`` beside the clone)."""

BENCHMARKS = REPO / "docs" / "BENCHMARKS.md"
"""The measurement log that ``python -m detector_dev.bench`` writes."""


def cache_dir() -> Path:
    """Where training runs leave what benches reuse (fold models, out-of-fold
    probabilities): ``$DETECTOR_CACHE``, else ``~/.cache/detector``."""
    import os

    return Path(os.environ.get("DETECTOR_CACHE") or Path.home() / ".cache" / "detector")


def hash_code(key: Any, modules: tuple[ModuleType, ...]) -> None:
    """Feed the source of each of ``modules`` to the hashlib object ``key``: a
    cache keyed this way is not read once the code that made it changes."""
    for module in modules:
        key.update(Path(module.__file__ or "").read_bytes())
