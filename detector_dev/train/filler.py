"""Train the shipped filler model and calibrate its threshold.

``python -m detector_dev.train.filler`` reads ``corpus/filler.jsonl.gz`` (built by
``python -m detector_dev.corpus.filler``), adds the synthetic content-farm
examples (``detector_dev.corpus.synthetic``; ``--no-synthetic`` to leave them out),
fits ``FillerModel`` on the training split (about 70% of the stories), sets
the threshold so that at most 1% of held-out human news sections are
flagged, measures it on the held-out split and saves ``models/filler.skops``
with its metrics in ``models/manifest.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from detector.filler.features import FillerFeatures
from detector.modelstore import sha256_file
from detector_dev.corpus.filler import DEFAULT_CORPUS, Unit, load_corpus, make_units
from detector_dev.export import save_arrays
from detector_dev.train.filler_model import FillerEstimator

TARGET_FPR = 0.01
"""At most this share of held-out human news sections is flagged."""

SOURCE_WEIGHT = {
    ("l2r", 0): 1.0,
    ("scrapinghub", 0): 0.5,
    ("m4", 0): 0.5,
    ("synthetic", 0): 0.3,
    ("l2r", 1): 1.0,
    ("m4", 1): 0.5,
    ("ru-arena", 1): 0.3,
    ("forkful", 1): 0.2,
    ("synthetic", 1): 0.3,
}
"""Total weight of each (source, label), split evenly over its units per level:
each class gets the same total, and no source dominates by its size."""

LEXICAL_EXCLUDED = ("ru-arena", "forkful")
"""Machine-only sets of another register and language: the lexical model does
not learn from them (it would learn their language and topic)."""


NEWS_BOOST = 3.0
"""Extra weight of the l2r news domain (both sides): the register the tool scores."""


def unit_weights(units: Sequence[Unit]) -> np.ndarray:
    """Per-unit sample weights (mean 1) following ``SOURCE_WEIGHT`` and ``NEWS_BOOST``."""
    counts: dict[tuple, int] = defaultdict(int)
    for u in units:
        counts[(u.source, u.y, u.level)] += 1
    w = np.array(
        [
            SOURCE_WEIGHT.get((u.source, u.y), 0.3)
            / counts[(u.source, u.y, u.level)]
            * (NEWS_BOOST if u.source == "l2r" and u.subset == "NewsArticle" else 1.0)
            for u in units
        ]
    )
    return w / w.mean()


def lexical_mask(units: Sequence[Unit]) -> np.ndarray:
    return np.array([u.source not in LEXICAL_EXCLUDED for u in units])


def fit_model(
    units: Sequence[Unit], features: np.ndarray | None = None, **params: object
) -> FillerEstimator:
    """A ``FillerEstimator`` fitted on ``units`` with the weights and mask above."""
    model = FillerEstimator(**params)
    return model.fit(
        [u.text for u in units],
        [u.y for u in units],
        groups=[u.group for u in units],
        sample_weight=unit_weights(units),
        lexical_mask=lexical_mask(units),
        features=features,
    )


def threshold_at_fpr(human_scores: Sequence[float], fpr: float = TARGET_FPR) -> float:
    """A threshold that flags (score > threshold) at most ``fpr`` of the scores,
    set halfway between two of them, never on one: halfway between the highest
    score it leaves unflagged and the next higher distinct score (or 1.0), so a
    human text scoring about the same as the calibration text it stands beside
    is not flagged by rounding."""
    s = np.sort(np.asarray(human_scores, float))[::-1]
    if not len(s):
        return 0.5
    k = int(np.floor(fpr * len(s)))  # this many may lie above the threshold
    kept = s[k]  # the highest score left unflagged
    higher = s[:k][s[:k] > kept]
    upper = float(higher.min()) if len(higher) else 1.0
    return float((kept + upper) / 2.0)


def tpr_at_fpr(y: Sequence[int], scores: Sequence[float], fpr: float = TARGET_FPR) -> float:
    """True-positive rate at the threshold that flags at most ``fpr`` of negatives."""
    y, scores = np.asarray(y), np.asarray(scores, float)
    t = threshold_at_fpr(scores[y == 0], fpr)
    return float((scores[y == 1] > t).mean()) if (y == 1).any() else float("nan")


def auroc(y: Sequence[int], scores: Sequence[float]) -> float:
    y = np.asarray(y)
    return float(roc_auc_score(y, scores)) if 0 < y.sum() < len(y) else float("nan")


def calibrate(model: FillerEstimator, test: Sequence[Unit], scores: np.ndarray) -> dict:
    """Set ``model.threshold_`` on held-out human news sections; returns the numbers."""
    news = np.array([u.news_human and u.level == "section" and not u.synthetic for u in test])
    threshold = threshold_at_fpr(scores[news])
    model.threshold_ = threshold
    return {"threshold": round(threshold, 4), "calibration_sections": int(news.sum())}


def held_out_report(test: Sequence[Unit], scores: np.ndarray, threshold: float) -> dict:
    """Rates at ``threshold`` on the held-out split: by language, source and generator."""
    flagged = scores > threshold
    real = np.array([not u.synthetic for u in test])
    out: dict[str, dict] = {"fpr_by_lang": {}, "fpr_by_source": {}, "tpr_by_source": {}}
    for level in ("section", "doc"):
        sel = real & np.array([u.level == level for u in test])
        y = np.array([u.y for u in test])
        out[f"auroc_{level}"] = round(auroc(y[sel], scores[sel]), 4)
        out[f"tpr_{level}"] = round(float(flagged[sel & (y == 1)].mean()), 4)
        out[f"fpr_{level}"] = round(float(flagged[sel & (y == 0)].mean()), 4)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(test):
        if u.synthetic or u.level != "section":
            continue
        if u.y == 0:
            groups[("fpr_by_lang", u.lang)].append(i)
            groups[("fpr_by_source", f"{u.source}:{u.subset}")].append(i)
        else:
            key = u.gen if u.source == "l2r" else u.source
            groups[("tpr_by_source", key)].append(i)
    for (table, key), idx in sorted(groups.items()):
        out[table][key] = {"rate": round(float(flagged[idx].mean()), 4), "n": len(idx)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the filler model.")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(
            f"{args.corpus}: corpus missing; build it with python -m detector_dev.corpus.filler",
            file=sys.stderr,
        )
        return 1
    t0 = time.perf_counter()
    records = load_corpus(args.corpus)
    if not args.no_synthetic:
        from detector_dev.corpus.synthetic import synthesize

        records = records + synthesize(records)
    units = make_units(records)
    train = [u for u in units if u.split == "train"]
    test = [u for u in units if u.split == "test"]
    print(f"units: {len(train)} train, {len(test)} held out", file=sys.stderr)
    model = fit_model(train)
    scores = model.predict_proba(
        [u.text for u in test], FillerFeatures().transform([u.text for u in test])
    )[:, 1]
    metrics = calibrate(model, test, scores)
    metrics.update(held_out_report(test, scores, model.threshold_))
    metrics["synthetic"] = not args.no_synthetic
    metrics["train_seconds"] = round(time.perf_counter() - t0, 1)
    path = save_arrays(
        model.to_arrays(),
        "filler",
        model_dir=args.model_dir,
        corpus_sha256=sha256_file(args.corpus),
        metrics=metrics,
    )
    print(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    for key in ("threshold", "auroc_section", "auroc_doc", "tpr_section", "fpr_section"):
        print(f"{key:16s} {metrics[key]}")
    for table in ("fpr_by_lang", "fpr_by_source", "tpr_by_source"):
        print(table)
        for key, val in metrics[table].items():
            print(f"  {key:28s} {val['rate']:.3f}  (n={val['n']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
