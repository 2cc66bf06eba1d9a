"""Benchmark of the filler model: quality on held-out stories and speed.

``python -m detector_dev.bench.filler [--data DIR]`` (or ``run_bench(data_dir)``)
trains the model recipe of ``detector_dev.train.filler`` on subsets of the corpus
and prints, for the TF-IDF-only, feature-only and final (blended) models side
by side, each without and with the synthetic examples:

1. ``l2r`` news, split by story (30% of stories held out): AUROC and TPR at
   1% FPR, for whole documents and for paragraph-sized sections;
2. leave one generator out: trained without one ``l2r`` generator (in every
   domain), tested on held-out news stories, human against that generator;
3. across sets: trained without ``m4``, tested on all of ``m4``;

then the shipped model's threshold on held-out human text by language
(false-positive rate) and on held-out machine text (true-positive rate), and
the time to score a seed-sized document (median of many runs).

TPR at 1% FPR uses each test set's own threshold; the shipped threshold is
reported separately. Synthetic texts are never test items.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from detector.filler.features import FillerFeatures
from detector_dev.corpus.filler import (
    DEFAULT_CORPUS,
    DEFAULT_DATA,
    Unit,
    build_corpus,
    load_corpus,
    make_units,
)
from detector_dev.paths import SEEDS
from detector_dev.train.filler import auroc, fit_model, tpr_at_fpr

GENERATORS = ("GPT-3-Turbo", "GPT-4o", "Gemini-1.5-Pro", "Llama-3-70B")
MODELS = ("tfidf", "features", "final")
_COMPONENT = {"tfidf": "lexical", "features": "features", "final": "final"}


def _scores(model, units: Sequence[Unit], F: np.ndarray) -> dict[str, np.ndarray]:
    comp = model.component_logits([u.text for u in units], F)
    return {name: comp[_COMPONENT[name]] for name in MODELS}


def _evaluate(
    units: Sequence[Unit], scores: dict[str, np.ndarray], by_subset: bool = False
) -> dict:
    out: dict = {}
    y = np.array([u.y for u in units])
    if by_subset:
        subsets = sorted({u.subset for u in units})
        out["doc_auroc_by_subset"] = {
            sub: {
                name: round(auroc(y[sel], s[sel]), 4)
                for name, s in scores.items()
                for sel in [np.array([u.subset == sub and u.level == "doc" for u in units])]
            }
            for sub in subsets
        }
    for level in ("doc", "section"):
        sel = np.array([u.level == level for u in units])
        if not sel.any():
            continue
        out[level] = {
            name: {
                "auroc": round(auroc(y[sel], s[sel]), 4),
                "tpr_at_1pct_fpr": round(tpr_at_fpr(y[sel], s[sel]), 4),
                "n_machine": int(y[sel].sum()),
                "n_human": int((1 - y[sel]).sum()),
            }
            for name, s in scores.items()
        }
    return out


class _Features:
    """Feature rows computed once per distinct text, shared by every experiment."""

    def __init__(self) -> None:
        self.rows: dict[str, np.ndarray] = {}
        self.extractor = FillerFeatures()

    def __call__(self, units: Sequence[Unit]) -> np.ndarray:
        todo = [u.text for u in units if u.text not in self.rows]
        if todo:
            for text, row in zip(todo, self.extractor.transform(todo), strict=True):
                self.rows[text] = row
        return np.vstack([self.rows[u.text] for u in units])


def _experiment(
    name: str,
    units: Sequence[Unit],
    train_filter: Callable[[Unit], bool],
    test_filter: Callable[[Unit], bool],
    feats: _Features,
    log: Callable[[str], None],
    by_subset: bool = False,
) -> dict:
    train = [u for u in units if train_filter(u)]
    test = [u for u in units if test_filter(u) and not u.synthetic]
    t0 = time.perf_counter()
    model = fit_model(train, feats(train))
    result = _evaluate(test, _scores(model, test, feats(test)), by_subset)
    log(f"  {name}: {len(train)} train / {len(test)} test units, {time.perf_counter() - t0:.0f}s")
    return result


def quality(records: list[dict], synthetic: bool, feats: _Features, log) -> dict:
    """The three experiments for one corpus (with or without synthetic records)."""
    if synthetic:
        from detector_dev.corpus.synthetic import synthesize

        records = records + synthesize(records)
    units = make_units(records)

    def is_news(u: Unit) -> bool:
        return u.source == "l2r" and u.subset == "NewsArticle"

    out: dict = {}
    out["l2r_news"] = _experiment(
        "l2r news by story",
        units,
        lambda u: u.split == "train",
        lambda u: u.split == "test" and is_news(u),
        feats,
        log,
    )
    out["leave_one_out"] = {}
    for gen in GENERATORS:
        out["leave_one_out"][gen] = _experiment(
            f"without {gen}",
            units,
            lambda u, g=gen: u.split == "train" and u.gen != g,
            lambda u, g=gen: u.split == "test" and is_news(u) and (u.y == 0 or u.gen == g),
            feats,
            log,
        )
    out["cross_set_m4"] = _experiment(
        "without m4, tested on m4",
        units,
        lambda u: u.split == "train" and not u.group.startswith("m4:"),
        lambda u: u.source == "m4",
        feats,
        log,
        by_subset=True,
    )
    return out


def shipped_threshold_report(records: list[dict], model_dir: Path | None) -> dict:
    """FPR / TPR of the shipped model at its threshold on held-out real text."""
    from detector.filler import load_filler_model

    model = load_filler_model(model_dir)
    units = [u for u in make_units(records) if u.split == "test"]
    probs = np.array([p for p, _ in model.score([u.text for u in units])])
    flagged = probs > model.threshold_
    table: dict[str, dict] = defaultdict(dict)
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if u.y == 0:
            groups[("fpr_by_lang", u.lang, u.level)].append(i)
            if u.news_human:
                groups[("fpr_news", f"{u.source}:{u.subset}", u.level)].append(i)
        else:
            key = u.gen if u.source == "l2r" else u.source
            groups[("tpr_by_source", key, u.level)].append(i)
    for (name, key, level), idx in sorted(groups.items()):
        table[name][f"{key}/{level}"] = {
            "rate": round(float(flagged[idx].mean()), 4),
            "n": len(idx),
        }
    return {"threshold": round(float(model.threshold_), 4), **table}


def speed(model_dir: Path | None, runs: int = 50) -> dict:
    """Milliseconds to score a seed-sized document (median over runs and seeds)."""
    from detector.document import Document
    from detector.filler import load_filler_model, score_document
    from detector.text_mode.segment import segment_text

    model = load_filler_model(model_dir)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        return {}
    times = []
    for _ in range(runs):
        for text in texts:
            doc = Document(id="speed", source=text, blocks=segment_text(text))
            t0 = time.perf_counter()
            score_document(doc, model)
            times.append((time.perf_counter() - t0) * 1000)
    return {
        "ms_per_doc_median": round(statistics.median(times), 2),
        "ms_per_doc_p90": round(float(np.percentile(times, 90)), 2),
        "docs": len(texts),
        "runs": runs,
    }


def run_bench(
    data_dir: str | Path = DEFAULT_DATA,
    *,
    corpus: Path = DEFAULT_CORPUS,
    model_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> dict:
    """All filler benchmarks; see the module docstring."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    if not corpus.exists():
        if not Path(data_dir).is_dir():
            raise FileNotFoundError(f"{corpus} missing and no shared data at {data_dir}")
        build_corpus(Path(data_dir), corpus)
    records = load_corpus(corpus)
    feats = _Features()
    result: dict = {"quality": {}}
    for synthetic in (False, True):
        key = "with_synthetic" if synthetic else "without_synthetic"
        log(f"quality, {key.replace('_', ' ')}:")
        result["quality"][key] = quality(records, synthetic, feats, log)
    result["shipped"] = shipped_threshold_report(records, model_dir)
    result["speed"] = speed(model_dir)
    return result


# ------------------------------------------------------------------ printing


def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))


def format_report(result: dict) -> str:
    q = result["quality"]
    lines: list[str] = []
    widths = (16, 8, 9, 10, 9, 10)
    head = ("", "model", "AUROC", "TPR@1%FPR", "AUROC", "TPR@1%FPR")

    def table(title: str, getter: Callable[[dict], dict], rows: Sequence[tuple[str, str]]) -> None:
        lines.append(f"\n== {title}")
        lines.append(_row(("", "", "without synthetic", "", "with synthetic", ""), widths))
        lines.append(_row(head, widths))
        for label, level in rows:
            for model in MODELS:
                cells = [label if model == MODELS[0] else "", model]
                for key in ("without_synthetic", "with_synthetic"):
                    m = getter(q[key]).get(level, {}).get(model, {})
                    cells += [
                        f"{m.get('auroc', float('nan')):.4f}",
                        f"{m.get('tpr_at_1pct_fpr', float('nan')):.3f}",
                    ]
                lines.append(_row(cells, widths))

    levels = (("document", "doc"), ("section", "section"))
    table("l2r news, split by story (30% held out)", lambda r: r["l2r_news"], levels)
    for gen in GENERATORS:
        table(
            f"leave one generator out: {gen} (l2r news, held-out stories)",
            lambda r, g=gen: r["leave_one_out"][g],
            levels,
        )
    table("across sets: trained without m4, tested on m4", lambda r: r["cross_set_m4"], levels)
    lines.append("-- document AUROC per m4 file (tfidf / features / final)")
    for key in ("without_synthetic", "with_synthetic"):
        per = q[key]["cross_set_m4"].get("doc_auroc_by_subset", {})
        cells = [
            f"{sub} {v['tfidf']:.3f}/{v['features']:.3f}/{v['final']:.3f}" for sub, v in per.items()
        ]
        lines.append(f"   {key.replace('_', ' ')}: " + "; ".join(cells))

    shipped = result.get("shipped", {})
    if shipped:
        lines.append(
            f"\n== shipped model at its threshold ({shipped['threshold']}), held-out real text"
        )
        for name, title in (
            (
                "fpr_news",
                "false-positive rate, human news (calibration set: <= 1% by construction)",
            ),
            ("fpr_by_lang", "false-positive rate, human text by language"),
            ("tpr_by_source", "true-positive rate, machine text by generator or set"),
        ):
            lines.append(f"-- {title}")
            for key, val in shipped.get(name, {}).items():
                lines.append(f"   {key:34s} {val['rate']:.3f}  (n={val['n']})")
    sp = result.get("speed", {})
    if sp:
        lines.append(
            f"\n== speed: scoring a seed-sized document: {sp['ms_per_doc_median']} ms median, "
            f"{sp['ms_per_doc_p90']} ms p90 ({sp['docs']} docs x {sp['runs']} runs)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the filler model.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args(argv)
    if args.speed_only:
        print(json.dumps(speed(args.model_dir), indent=2))
        return 0
    if not args.corpus.exists() and not args.data.is_dir():
        print(f"{args.data}: shared data not found; skipping the filler bench", file=sys.stderr)
        print(json.dumps({"speed": speed(args.model_dir)}, indent=2))
        return 0
    result = run_bench(args.data, corpus=args.corpus, model_dir=args.model_dir)
    print(format_report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
