"""Models for the honest filler-trust evaluation (issue 17): never scored on what they saw.

``python -m detector_dev.filler.trust_models [--out DIR]`` trains, with the
shipped recipe (``detector.filler.train.fit_model``, synthetic examples
included), on the filler corpus's units:

- ``cv0``, ``cv1``, ``cv2``: three models, each trained on the stories of two
  of three story folds (``story_fold``); every human or machine document is
  then scored by the model that never saw its story (cross-fitting: about the
  same training size as the shipped model's 70%);
- ``logo-<family>``: the shipped split's training stories without any text
  of one generator family (gpt, google, llama, other: ``calibration.family_of``),
  scored on the held-out stories: the machine documents of that family come
  from a generator the model never saw.

Models are pickled to ``DIR`` (default ``.bench/filler-trust``), with the unit
features cached once for all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from detector.filler.features import FillerFeatures
from detector_dev.corpus.filler import DEFAULT_CORPUS, load_corpus, make_units
from detector_dev.filler.calibration import family_of
from detector_dev.train.filler import fit_model

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / ".bench" / "filler-trust"
FAMILIES = ("gpt", "google", "llama", "other")
N_FOLDS = 3


def story_fold(story: str, k: int = N_FOLDS) -> int:
    """The cross-fitting fold of a story (hash of its id)."""
    digest = hashlib.sha256(f"trust:{story}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % k


def model_names() -> list[str]:
    return [*(f"cv{k}" for k in range(N_FOLDS)), *(f"logo-{f}" for f in FAMILIES)]


def model_specs(units) -> dict[str, np.ndarray]:
    """Training mask of each model over ``units``."""
    specs = {}
    folds = np.array([story_fold(u.group) for u in units])
    for k in range(N_FOLDS):
        specs[f"cv{k}"] = folds != k
    train = np.array([u.split == "train" for u in units])
    fam = np.array([family_of(u.gen) if u.y == 1 else "human" for u in units])
    for f in FAMILIES:
        specs[f"logo-{f}"] = train & (fam != f)
    return specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument(
        "--extra-human",
        type=Path,
        default=None,
        help="jsonl.gz of extra human records to add to training (experiment)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from detector_dev.corpus.synthetic import synthesize

    records = load_corpus(args.corpus)
    if args.extra_human:
        from detector_dev.filler.calibration import read_jsonl

        records += read_jsonl(args.extra_human)
    records = records + synthesize(records)
    units = make_units(records)
    cache = args.out / f"features-{len(units)}.npy"
    t0 = time.perf_counter()
    if cache.exists():
        F = np.load(cache)
    else:
        F = FillerFeatures().transform([u.text for u in units])
        np.save(cache, F)
    print(f"{len(units)} units, features {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    for name, mask in model_specs(units).items():
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        idx = np.flatnonzero(mask)
        model = fit_model([units[i] for i in idx], F[idx])
        with (args.out / f"{name}.pkl").open("wb") as fh:
            pickle.dump(model, fh)
        print(f"{name}: {len(idx)} units, {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
