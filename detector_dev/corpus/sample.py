"""A small corpus for quick runs: ``--limit N`` of the training scripts.

The sample is written to a temporary file rather than filtered in memory, so
that everything keyed by the corpus file (its sha256 in the manifest, the
feature and fold-model caches of HTML training) describes the sample and never
passes for the full corpus."""

from __future__ import annotations

import gzip
import json
import random
import tempfile
from pathlib import Path


def sample_corpus(path: Path, limit: int, *, group: str, seed: int = 0) -> Path:
    """Write ``limit`` groups of records of the ``.jsonl.gz`` corpus at ``path``
    (records sharing the field ``group``: a page's renderings, a story's human
    and machine texts), drawn at random, in corpus order, to a temporary
    ``.jsonl.gz`` whose name says where it comes from; return its path. A first
    line without ``group`` (a format header) is kept."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    header = [] if group in json.loads(lines[0]) else lines[:1]
    body = lines[len(header) :]
    keys = list(dict.fromkeys(json.loads(line)[group] for line in body))
    chosen = set(random.Random(seed).sample(keys, min(limit, len(keys))))
    folder = Path(tempfile.mkdtemp(prefix="detector-sample-"))
    out = folder / f"{path.name.split('.')[0]}-{len(chosen)}.jsonl.gz"
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.writelines(header)
        handle.writelines(line for line in body if json.loads(line)[group] in chosen)
    return out
