"""Measures of extraction quality: token F1 against a gold text, per-class
precision/recall/F1 over blocks, line- and token-weighted."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from detector.tokens import tokens


def prf(overlap: float, predicted: float, gold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; both empty counts as perfect."""
    if predicted == 0 and gold == 0:
        return 1.0, 1.0, 1.0
    precision = overlap / predicted if predicted else 0.0
    recall = overlap / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def token_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-tokens precision, recall and F1 of an extracted text."""
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    return prf(sum((p & g).values()), sum(p.values()), sum(g.values()))


def _windows(words: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """The word n-grams (shingles) of ``words``, in order."""
    return [tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 0))]


def shingle_prf(predicted: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """The Scrapinghub benchmark's metric: precision/recall/F1 over word n-gram shingles."""

    p, g = Counter(_windows(tokens(predicted), n)), Counter(_windows(tokens(gold), n))
    return prf(sum((p & g).values()), sum(p.values()), sum(g.values()))


def selection_ceiling(recall_of_everything: float) -> tuple[float, float, float]:
    """The best precision, recall and token F1 that any selection of a
    rendering's blocks (text mode) or of a page's DOM blocks (HTML mode) could
    reach on a page, given the token recall of all of them: no selection
    recalls more of the gold than all of it, and none is more precise than 1,
    so F1 <= 2R / (1 + R). Where the blocks lack part of the gold (an
    extractor's output), this caps every block classifier."""
    r = recall_of_everything
    return 1.0, r, 2 * r / (1 + r) if r else 0.0


def baseline_prf(
    texts: Sequence[str], labels: Sequence[str], gold: str
) -> dict[str, tuple[float, float, float]]:
    """Token precision, recall and F1 on one page of keeping every block
    (``keep_all``), of the oracle (exactly the blocks labelled content) and of
    :func:`selection_ceiling`: the systems no model is needed for."""
    everything = token_prf("\n".join(texts), gold)
    labelled = "\n".join(t for t, label in zip(texts, labels, strict=True) if label == "content")
    return {
        "keep_all": everything,
        "oracle": token_prf(labelled, gold),
        "ceiling": selection_ceiling(everything[1]),
    }


def selection_baselines(
    pages: Iterable[tuple[Sequence[str], Sequence[str], str, Sequence[str]]],
) -> dict[str, dict[str, float]]:
    """Per row, the pages and the macro token F1 of each of :func:`baseline_prf`'s
    systems; ``pages`` gives each page's block texts, their labels, its gold
    text and the rows it counts in. None needs a model."""
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for texts, labels, gold, rows in pages:
        scores = baseline_prf(texts, labels, gold)
        for row in rows:
            for system, score in scores.items():
                values[row][system].append(score[2])
    return {
        row: {"pages": len(v["oracle"]), **{system: float(np.mean(x)) for system, x in v.items()}}
        for row, v in sorted(values.items())
    }


def format_baselines(rows: dict[str, dict[str, float]], first: str) -> str:
    """:func:`selection_baselines` as a plain-text table; ``first`` heads its rows."""
    lines = [f"{first:<32}{'pages':>6}{'keep-all F1':>12}{'oracle F1':>11}{'ceiling F1':>12}"]
    for key, row in rows.items():
        lines.append(
            f"{key:<32}{row['pages']:>6.0f}{row['keep_all']:>12.3f}{row['oracle']:>11.3f}"
            f"{row['ceiling']:>12.3f}"
        )
    return "\n".join(lines)


LONG_WORDS = 3_000
"""Gold length (words) from which a page counts as a long article."""


def thirds_recall(predicted: str, gold: str, n: int = 4) -> tuple[float, float, float]:
    """Share of the word n-gram shingles of each third of the gold text (by
    words) found in the output: whether the end of an article is kept as often
    as its start. Shingles, not single tokens, so that words of the first third
    repeated later do not count as the last third kept."""
    words = tokens(gold)
    found = set(_windows(tokens(predicted), n))
    out = []
    for part in range(3):
        grams = _windows(words[part * len(words) // 3 : (part + 1) * len(words) // 3], n)
        out.append(sum(g in found for g in grams) / len(grams) if grams else 1.0)
    return out[0], out[1], out[2]


def class_report(
    y_true: Sequence[str], y_pred: Sequence[str], weights: Sequence[float], classes: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Per-class precision, recall, F1 and support, weighted by ``weights``."""
    true, pred, w = np.asarray(y_true), np.asarray(y_pred), np.asarray(weights, dtype=float)
    report = {}
    for label in classes:
        hit = float(w[(true == label) & (pred == label)].sum())
        precision, recall, f1 = prf(
            hit, float(w[pred == label].sum()), float(w[true == label].sum())
        )
        report[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": float(w[true == label].sum()),
        }
    return report
