"""Train the HTML block classifier on ``corpus/html.jsonl.gz`` and measure it by
cross-validation grouped by site (every page scored by a model that never saw
its site), beside trafilatura's own verdict on the same blocks.

    python -m detector_dev.train.html            # cross-validate, then train and save
    python -m detector_dev.train.html --no-cv    # train and save only
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from detector.html_mode import (
    DEFAULT_BETAS,
    MODEL_NAME,
    block_sizes,
    decide,
    word_counts,
)
from detector.html_mode import blocks as html_blocks
from detector.html_mode import features as html_features
from detector.html_mode import model as html_runtime_model
from detector.html_mode.blocks import DomBlock
from detector.html_mode.features import FEATURE_NAMES, page_features
from detector.html_mode.model import CLASSES, HtmlModel, second_pass_names
from detector_dev.corpus.html import FORMAT_VERSION
from detector_dev.corpus.sample import sample_corpus
from detector_dev.metrics import (
    LONG_WORDS,
    format_baselines,
    selection_baselines,
    shingle_prf,
    thirds_recall,
    token_prf,
    tokens,
)
from detector_dev.paths import CORPUS_DIR, cache_dir, hash_code
from detector_dev.train import html_model as html_trainer
from detector_dev.train import long_pages as synthetic_long
from detector_dev.train.folds import site_folds
from detector_dev.train.html_model import HtmlBlockClassifier
from detector_dev.train.options import booster_options, model_params

CORPUS = CORPUS_DIR / "html.jsonl.gz"
BLIND_SHARE = 0.1
"""Share of training pages also shown without the extractor's evidence, so the
model learns to work when trafilatura returns nothing."""
BLIND_SEED = "html-mode/blind/v1"


@dataclass(slots=True)
class CorpusPage:
    """One page of the HTML corpus."""

    page: str
    dataset: str
    site: str
    page_type: str
    blocks: list[DomBlock]
    overlaps: list[float]
    """Per block, its overlap with trafilatura's main text."""
    extraction_empty: bool
    labels: list[str]
    gold: str
    with_snippets: list[str] | None
    without_snippets: list[str] | None
    comment_overlaps: list[float]
    """Per block, its overlap with the comments trafilatura extracted apart."""


def iter_corpus(path: Path = CORPUS) -> Iterator[CorpusPage]:
    """The pages of a corpus file, in order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(next(handle))
        if header.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path}: unknown corpus format {header.get('format')}")
        for line in handle:
            r = json.loads(line)
            rows = r["blocks"]
            yield CorpusPage(
                page=r["page"],
                dataset=r["dataset"],
                site=r["site"],
                page_type=r["page_type"],
                blocks=[DomBlock.from_list(row[:7]) for row in rows],
                overlaps=[row[7] for row in rows],
                comment_overlaps=[row[10] for row in rows],
                extraction_empty=bool(r["extraction_empty"]),
                labels=[row[8] for row in rows],
                gold=r["gold"],
                with_snippets=r.get("with"),
                without_snippets=r.get("without"),
            )


def _featurize_chunk(pages: Sequence[CorpusPage], blind: bool) -> list[tuple]:
    out = []
    for p in pages:
        overlaps = [0.0] * len(p.blocks) if blind else p.overlaps
        comments = None if blind else p.comment_overlaps
        matrix, groups = page_features(p.blocks, overlaps, blind or p.extraction_empty, comments)
        out.append((matrix, groups))
    return out


@dataclass(slots=True)
class Features:
    """Stacked features of a list of pages."""

    matrix: np.ndarray
    groups: np.ndarray
    offsets: np.ndarray
    sizes: np.ndarray

    def rows(self, pages: Sequence[int]) -> np.ndarray:
        return np.concatenate(
            [np.arange(self.offsets[i], self.offsets[i + 1]) for i in pages] or [np.zeros(0, int)]
        )

    def lengths(self, pages: Sequence[int]) -> list[int]:
        return [int(self.offsets[i + 1] - self.offsets[i]) for i in pages]


def featurize(pages: Sequence[CorpusPage], *, blind: bool = False, n_jobs: int = 2) -> Features:
    """Features of every block of every page (``blind``: as if the extractor found nothing)."""
    chunks = [pages[i : i + 50] for i in range(0, len(pages), 50)]
    parts = Parallel(n_jobs=n_jobs)(delayed(_featurize_chunk)(c, blind) for c in chunks)
    flat = [item for part in parts for item in part]
    lengths = [len(p.blocks) for p in pages]
    return Features(
        matrix=np.vstack([m for m, _ in flat]),
        groups=np.vstack([g for _, g in flat]),
        offsets=np.cumsum([0, *lengths]),
        sizes=np.concatenate([block_sizes(p.blocks) for p in pages]),
    )


def cached_features(pages: Sequence[CorpusPage], corpus: Path, *, blind: bool = False) -> Features:
    """:func:`featurize`, cached in ``cache_dir()/html-features`` by corpus hash,
    feature layout and the code that makes them; writing a new cache removes
    those of other keys (each is some 400 MB)."""
    key = hashlib.sha256()
    key.update(corpus.read_bytes())
    key.update("|".join(FEATURE_NAMES).encode())
    hash_code(key, (html_features, html_blocks))  # the code that makes the features
    key.update("|".join(p.page for p in pages).encode())
    hash_code(key, (synthetic_long,))  # synthetic pages
    folder = cache_dir() / "html-features"
    stem = f"features-{key.hexdigest()[:16]}"
    path = folder / f"{stem}{'-blind' if blind else ''}.npz"
    if path.exists():
        data = np.load(path)
        return Features(data["matrix"], data["groups"], data["offsets"], data["sizes"])
    features = featurize(pages, blind=blind)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("features-*.npz"):
        if not old.name.startswith(stem):
            old.unlink()
    np.savez(path, **{k: getattr(features, k) for k in ("matrix", "groups", "offsets", "sizes")})
    return features


def block_weights(pages: Sequence[CorpusPage], ids: Sequence[int]) -> np.ndarray:
    """Training weight of each block: longer blocks matter more to token F1."""
    return np.array(
        [1.0 + math.log1p(len(b.text.split())) for i in ids for b in pages[i].blocks],
        dtype=np.float64,
    )


def blind_pages(pages: Sequence[CorpusPage]) -> list[int]:
    """The pages (seeded draw) also shown to training without extractor evidence."""
    return [
        i
        for i, p in enumerate(pages)
        if random.Random(f"{BLIND_SEED}/{p.page}").random() < BLIND_SHARE
    ]


def fit_model(
    pages: Sequence[CorpusPage],
    features: Features,
    blind: Features | None,
    train_ids: Sequence[int],
    params: dict | None = None,
) -> HtmlBlockClassifier:
    """A classifier fitted on the given pages (plus blind copies of the drawn ones)."""
    ids = list(train_ids)
    rows = features.rows(ids)
    matrix = [features.matrix[rows]]
    groups = [features.groups[rows]]
    sizes = [features.sizes[rows]]
    lengths = features.lengths(ids)
    labels = [lab for i in ids for lab in pages[i].labels]
    weights = [block_weights(pages, ids)]
    if blind is not None:
        chosen = sorted(set(blind_pages(pages)) & set(ids))
        brows = blind.rows(chosen)
        matrix.append(blind.matrix[brows])
        groups.append(blind.groups[brows])
        sizes.append(blind.sizes[brows])
        lengths += blind.lengths(chosen)
        labels += [lab for i in chosen for lab in pages[i].labels]
        weights.append(block_weights(pages, chosen))
    model = HtmlBlockClassifier(**(params or {}))
    return model.fit(
        np.vstack(matrix),
        labels,
        lengths,
        np.vstack(groups),
        np.concatenate(sizes),
        sample_weight=np.concatenate(weights),
    )


def training_folds(
    pages: Sequence[CorpusPage], n_splits: int
) -> tuple[list[CorpusPage], list[tuple[np.ndarray, np.ndarray]]]:
    """The corpus pages followed by the synthetic long pages made from them
    (:mod:`detector_dev.train.long_pages`), and GroupKFold by site over the
    corpus pages with each training side extended by the synthetic pages of
    the other folds. The first ``len(pages)`` pages are the corpus's, in order."""
    return synthetic_long.with_long_pages(pages, site_folds(pages, n_splits))


def _fit_fold(pages, features, blind, train, test, params) -> tuple:
    started = time.time()
    model = fit_model(pages, features, blind, train, params)
    rows = features.rows(test)
    proba = model.predict_proba(
        features.matrix[rows], features.lengths(test), features.groups[rows], features.sizes[rows]
    )
    return model, rows, proba, time.time() - started


def cross_validate(
    pages: Sequence[CorpusPage],
    features: Features,
    blind: Features | None,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    params: dict | None = None,
    n_jobs: int = 2,
    final: bool = False,
) -> tuple[np.ndarray, list[HtmlBlockClassifier], HtmlBlockClassifier | None]:
    """Out-of-fold probabilities for every block of the folds' test sides and the
    fold models (from :func:`training_folds`: model k never saw the sites of
    fold k); folds run in parallel processes, one thread each. With ``final``,
    the model on every page is trained alongside and returned last."""
    proba = np.zeros((features.matrix.shape[0], len(CLASSES)), dtype=np.float32)
    jobs = [
        delayed(_fit_fold)(pages, features, blind, train, test, params) for train, test in folds
    ]
    if final:
        everything = np.arange(len(pages))
        jobs.append(delayed(_fit_fold)(pages, features, blind, everything, everything[:0], params))
    with threadpool_limits(1):
        results = Parallel(n_jobs=n_jobs)(jobs)
    final_model = results.pop()[0] if final else None
    models = []
    for fold, (model, rows, fold_proba, seconds) in enumerate(results):
        proba[rows] = fold_proba
        models.append(model)
        click.echo(f"  fold {fold + 1}/{len(folds)}: {seconds:.0f}s", err=True)
    return proba, models, final_model


_MODEL_CODE = (html_features, html_blocks, html_runtime_model, html_trainer, synthetic_long)
"""Modules whose code the fold models depend on beyond their column names:
features, blocks, the second pass's context, the trainer, the synthetic pages."""


def fold_models_path(corpus: Path, n_splits: int, params: dict | None = None) -> Path:
    """Where the cross-validation fold models of a corpus are cached (for the
    bench), keyed by the corpus, the column layout of both passes and the code
    that computes and fits them (``_MODEL_CODE``), and the training settings
    (``params``; by default the shipped recipe's, so that the bench never
    takes an experiment's fold models for the shipped ones)."""
    from detector.modelstore import sha256_file

    params = HtmlBlockClassifier().get_params() if params is None else params
    layout = hashlib.sha256("|".join(second_pass_names(params["window"])).encode())
    hash_code(layout, _MODEL_CODE)  # the same columns, computed or fitted otherwise
    recipe = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
    return (
        cache_dir()
        / f"html-folds-{sha256_file(corpus)[:16]}-{layout.hexdigest()[:8]}-{recipe}-{n_splits}.npz"
    )


def save_fold_models(models: list[HtmlBlockClassifier], corpus: Path, n_splits: int) -> Path:
    """Cache the fold models of a cross-validation run (their runtime arrays, each
    fold's under ``fold<k>/``)."""
    path = fold_models_path(corpus, n_splits, models[0].get_params())
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for k, model in enumerate(models):
        arrays.update({f"fold{k}/{key}": v for key, v in model.model_.to_arrays().items()})
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def load_fold_models(path: Path) -> list[HtmlModel]:
    """The fold models :func:`save_fold_models` cached."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    models = []
    while f"fold{len(models)}/window" in arrays:
        prefix = f"fold{len(models)}/"
        own = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        models.append(HtmlModel.from_arrays(own))
    return models


def snippet_found(snippet: str, text_tokens: str) -> bool:
    """Whether a snippet's words occur contiguously in a text (given as joined tokens)."""
    words = " ".join(tokens(snippet))
    return bool(words) and f" {words} " in text_tokens


def score_text(text: str, page: CorpusPage) -> dict[str, float]:
    """Token and shingle P/R/F1 of an output against the page's gold, and WCXB snippets."""
    tp, tr, tf = token_prf(text, page.gold)
    sp, sr, sf = shingle_prf(text, page.gold)
    first, middle, last = thirds_recall(text, page.gold)
    out = {
        "tp": tp,
        "tr": tr,
        "tf": tf,
        "sp": sp,
        "sr": sr,
        "sf": sf,
        "first": first,
        "middle": middle,
        "last": last,
        "empty": float(not text.strip()),
    }
    if page.with_snippets is not None:
        joined = f" {' '.join(tokens(text))} "
        out["with_n"] = len(page.with_snippets)
        out["with_kept"] = sum(snippet_found(s, joined) for s in page.with_snippets)
        out["without_n"] = len(page.without_snippets or [])
        out["without_leaked"] = sum(snippet_found(s, joined) for s in page.without_snippets or [])
    return out


def kept_text(page: CorpusPage, keep: np.ndarray) -> str:
    """Kept blocks joined as the output text."""
    return "\n\n".join(b.text for b, k in zip(page.blocks, keep, strict=True) if k)


def summarise(scores: Sequence[dict[str, float]]) -> dict[str, float]:
    """Macro means over pages; snippet shares pooled over snippets."""
    keys = ("tp", "tr", "tf", "sp", "sr", "sf", "first", "last")
    out = {k: float(np.mean([s[k] for s in scores])) for k in keys}
    out["empty"] = int(sum(s["empty"] for s in scores))
    out["pages"] = len(scores)
    with_n = sum(s.get("with_n", 0) for s in scores)
    without_n = sum(s.get("without_n", 0) for s in scores)
    if with_n:
        out["with_kept"] = sum(s.get("with_kept", 0) for s in scores) / with_n
    if without_n:
        out["without_leaked"] = sum(s.get("without_leaked", 0) for s in scores) / without_n
    return out


def evaluate(
    pages: Sequence[CorpusPage],
    features: Features,
    proba: np.ndarray,
    beta: float,
    long_factor: float = 1.0,
) -> dict[str, dict[str, float]]:
    """Scores of our kept text (:func:`decide` with ``beta`` and ``long_factor``)
    and of trafilatura's kept blocks, per data set and per WCXB page type."""
    buckets: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for i, page in enumerate(pages):
        keep = decide(proba[features.rows([i])], beta, word_counts(page.blocks), long_factor)
        ours = score_text(kept_text(page, keep), page)
        traf = score_text(kept_text(page, np.asarray(page.overlaps) >= 0.5), page)
        keys = [page.dataset] + ([f"wcxb:{page.page_type}"] if page.dataset == "wcxb" else [])
        if len(page.gold.split()) > LONG_WORDS:
            keys.append(f"long>{LONG_WORDS}")
        for key in keys:
            buckets[key]["ours"].append(ours)
            buckets[key]["extractor-blocks"].append(traf)
    return {
        f"{key}/{system}": summarise(scores)
        for key, systems in sorted(buckets.items())
        for system, scores in systems.items()
    }


BETA_GRID = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.2, 1.5)
"""The β values :func:`tune_betas` tries: steps of 0.05 where the balanced
optimum has always fallen (0.6-0.8 since 2026-12-04), wider outside."""
LONG_FACTOR_GRID = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
LONG_RECALL = 0.95
"""Token recall the cut must reach, out of fold, on pages whose gold article
exceeds ``LONG_WORDS`` words (see :func:`tune_betas`)."""


def tune_betas(pages: Sequence[CorpusPage], features: Features, proba: np.ndarray) -> dict:
    """The β of each mode and the long-article factor: balanced maximises mean
    token F1 over the pages (each data set weighted equally) of the out-of-fold
    probabilities; precision and recall modes take half and twice that β; the
    factor (see :func:`detector.html_mode.decide`) is the smallest on
    ``LONG_FACTOR_GRID`` whose balanced cut keeps ``LONG_RECALL`` of the long
    articles' words, else the largest."""
    best, best_score = DEFAULT_BETAS["balanced"], -1.0
    datasets = sorted({p.dataset for p in pages})
    words = [word_counts(page.blocks) for page in pages]
    for beta in BETA_GRID:
        per_set = defaultdict(list)
        for i, page in enumerate(pages):
            keep = decide(proba[features.rows([i])], beta, words[i])
            per_set[page.dataset].append(token_prf(kept_text(page, keep), page.gold)[2])
        score = float(np.mean([np.mean(per_set[d]) for d in datasets]))
        if score > best_score:
            best, best_score = beta, score
    long_pages = [i for i, page in enumerate(pages) if len(page.gold.split()) > LONG_WORDS]

    def long_recall(factor: float) -> float:
        recalls = []
        for i in long_pages:
            keep = decide(proba[features.rows([i])], best, words[i], factor)
            recalls.append(token_prf(kept_text(pages[i], keep), pages[i].gold)[1])
        return float(np.mean(recalls))

    factor = next(
        (f for f in LONG_FACTOR_GRID if not long_pages or long_recall(f) >= LONG_RECALL),
        LONG_FACTOR_GRID[-1],
    )
    return {
        "balanced": best,
        "precision": round(best / 2, 3),
        "recall": round(best * 2, 3),
        "long": factor,
    }


def ceilings(pages: Sequence[CorpusPage]) -> dict[str, dict[str, float]]:
    """:func:`~detector_dev.metrics.selection_baselines` per data set and per
    WCXB page type: how far the DOM blocks themselves let a page type go."""
    return selection_baselines(
        (
            [b.text for b in page.blocks],
            page.labels,
            page.gold,
            (page.dataset, f"{page.dataset} [{page.page_type}]"),
        )
        for page in pages
    )


def format_results(results: dict[str, dict[str, float]]) -> str:
    """A plain-text table of :func:`evaluate`'s output."""
    lines = [
        f"{'set/system':<36}{'pages':>6}{'tok P':>7}{'tok R':>7}{'tok F1':>8}{'sh F1':>8}"
        f"{'empty':>6}{'with':>7}{'w/o':>7}{'1st/3':>7}{'3rd/3':>7}"
    ]
    for key, r in results.items():
        lines.append(
            f"{key:<36}{r['pages']:>6}{r['tp']:>7.3f}{r['tr']:>7.3f}{r['tf']:>8.3f}{r['sf']:>8.3f}"
            f"{r['empty']:>6}{r.get('with_kept', float('nan')):>7.3f}"
            f"{r.get('without_leaked', float('nan')):>7.3f}{r['first']:>7.3f}{r['last']:>7.3f}"
        )
    return "\n".join(lines)


@click.command()
@click.option(
    "--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=CORPUS
)
@click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--cv/--no-cv", default=True, help="Cross-validate by site before training.")
@click.option("--folds", default=5, show_default=True)
@click.option("--save/--no-save", default=True)
@click.option(
    "--ceiling",
    is_flag=True,
    help="Only print, per data set and page type, the token F1 of keeping every block, of the "
    "corpus labels (oracle) and the highest any selection of the blocks could reach (no model "
    "needed), and exit.",
)
@booster_options
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Use N pages drawn at random, written to a temporary corpus (so the caches keyed "
    "by the corpus stay apart): a quick check, not a model to ship.",
)
def main(
    corpus: Path,
    model_dir: Path | None,
    cv: bool,
    folds: int,
    save: bool,
    ceiling: bool,
    limit: int | None,
    **settings: int | float | None,
) -> None:
    """Train the HTML block classifier on CORPUS and save it as detector/models/html.npz."""
    from detector.modelstore import sha256_file
    from detector_dev.export import save_arrays

    params = model_params(**settings)

    started = time.time()
    if limit:
        corpus = sample_corpus(corpus, limit, group="page")
        click.echo(f"sample corpus: {corpus}", err=True)
    real = list(iter_corpus(corpus))
    if ceiling:
        click.echo(format_baselines(ceilings(real), "set"))
        return
    pages, folds_of = training_folds(real, folds)
    features = cached_features(pages, corpus)
    blind = cached_features(pages, corpus, blind=True)
    click.echo(
        f"{len(real)} pages and {len(pages) - len(real)} synthetic long ones, "
        f"{features.matrix.shape} features in {time.time() - started:.0f}s",
        err=True,
    )
    metrics: dict = {}
    model = None
    betas = dict(DEFAULT_BETAS)
    if cv:
        proba, fold_models, model = cross_validate(
            pages, features, blind, folds_of, params=params, final=save
        )
        betas = tune_betas(real, features, proba)
        for fold_model in fold_models:  # the bench cleans each page as the shipped model would
            fold_model.model_.betas = betas
        save_fold_models(fold_models, corpus, folds)
        results = evaluate(real, features, proba, betas["balanced"], betas["long"])
        click.echo(format_results(results))
        click.echo(f"betas: {betas}")
        metrics = {
            "cv": f"GroupKFold({folds}) by site on {corpus.name}",
            "betas": betas,
            **{
                key: {k: round(v, 4) for k, v in r.items() if isinstance(v, float)}
                for key, r in results.items()
                if "/" in key  # every data set and WCXB page type, ours and the extractor's
            },
        }
    if not save:
        return
    if not cv:
        click.echo(
            f"warning: without cross-validation the model keeps the default cut {betas} "
            "(no tuned β, no long-article factor): a quick check, not a model to ship",
            err=True,
        )
    if model is None:
        with threadpool_limits(1):
            model = fit_model(pages, features, blind, range(len(pages)), params)
    model.model_.betas = betas
    path = save_arrays(
        model.model_.to_arrays(),
        MODEL_NAME,
        model_dir=model_dir,
        corpus_sha256=sha256_file(corpus),
        metrics=metrics,
        extra={
            "corpus": corpus.name,
            "classes": list(CLASSES),
            "features": len(FEATURE_NAMES),
            "params": model.get_params(),
        },
        compressed=False,  # stored, not deflated: loads 5 ms faster at every start
    )
    click.echo(f"saved {path} in {time.time() - started:.0f}s", err=True)


if __name__ == "__main__":
    sys.exit(main())
