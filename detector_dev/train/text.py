"""Train the cleaner on the shipped corpus and measure it by cross-validation
grouped by site, beside keeping everything and jusText on the same blocks.

    python -m detector_dev.train.text            # cross-validate, then train and save
    python -m detector_dev.train.text --no-cv    # train and save only
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import click
import justext
import numpy as np
from joblib import Parallel, delayed

from detector.decisions import apply_labels, keep_expected_f, word_counts
from detector.document import Block
from detector.language import detect_language
from detector.modelstore import sha256_file
from detector.text_mode.features import BlockFeatures
from detector.text_mode.model import CLASSES
from detector.tokens import words
from detector_dev.corpus.cleaner_data import CORPUS, LabelledPage, load_pages
from detector_dev.corpus.sample import sample_corpus
from detector_dev.export import save_arrays
from detector_dev.metrics import (
    baseline_prf,
    class_report,
    format_baselines,
    selection_baselines,
    thirds_recall,
    token_prf,
)
from detector_dev.paths import cache_dir, hash_code
from detector_dev.train.folds import site_folds
from detector_dev.train.options import booster_options, model_params
from detector_dev.train.text_model import BlockClassifier

MODEL_NAME = "cleaner"


def block_weights(pages: Sequence[LabelledPage]) -> np.ndarray:
    """Training weight of each block: longer blocks matter more to token F1."""
    return np.array(
        [1.0 + math.log1p(len(b.text.split())) for p in pages for b in p.blocks], dtype=np.float64
    )


def featurize(pages: Sequence[LabelledPage], n_jobs: int = -1) -> np.ndarray:
    """The BlockFeatures matrix of every block of every page, in order."""
    features = BlockFeatures()
    chunks = [pages[i : i + 200] for i in range(0, len(pages), 200)]
    parts = Parallel(n_jobs=n_jobs)(
        delayed(features.transform)([p.blocks for p in chunk]) for chunk in chunks
    )
    return np.vstack(parts)


def justext_keep(blocks: Sequence[Block]) -> list[bool]:
    """jusText's verdict on the same blocks, each given to it as a paragraph."""
    if not blocks:
        return []
    language = detect_language(w for b in blocks for w in words(b.text)) or "English"
    page = (
        "<html><body>" + "".join(f"<p>{html.escape(b.text)}</p>" for b in blocks) + "</body></html>"
    )
    paragraphs = justext.justext(page, justext.get_stoplist(language))
    kept = [not p.is_boilerplate for p in paragraphs]
    return (
        kept + [False] * (len(blocks) - len(kept))
        if len(kept) < len(blocks)
        else kept[: len(blocks)]
    )


def _offsets(pages: Sequence[LabelledPage]) -> np.ndarray:
    return np.cumsum([0] + [len(p.blocks) for p in pages])


def training_set(
    pages: Sequence[LabelledPage], gold: dict[str, str], n_splits: int
) -> tuple[list[LabelledPage], dict[str, str], list[tuple[np.ndarray, np.ndarray]]]:
    """The corpus renderings with the ``gold`` and ``long`` renderings made from
    them (:mod:`detector_dev.train.text_renderings`), their gold texts, and
    folds by site over all of them."""
    from detector_dev.train.text_renderings import with_renderings

    return with_renderings(pages, gold, site_folds(pages, n_splits))


def cross_validate(
    pages: Sequence[LabelledPage],
    matrix: np.ndarray,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    params: dict | None = None,
    progress: bool = True,
) -> np.ndarray:
    """Out-of-fold probabilities for every block of the folds' test sides
    (from :func:`training_set`: every page is scored by a model that never saw
    its site)."""
    offsets = _offsets(pages)
    labels = np.array([lab for p in pages for lab in p.labels])
    weights = block_weights(pages)
    proba = np.zeros((len(labels), len(CLASSES)), dtype=np.float32)
    n_splits = len(folds)
    for fold, (train, test) in enumerate(folds):
        started = time.time()
        rows_train = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in train])
        rows_test = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in test])
        model = BlockClassifier(**(params or {}))
        model.fit(
            [pages[i].blocks for i in train],
            labels[rows_train],
            sample_weight=weights[rows_train],
            features=matrix[rows_train],
        )
        proba[rows_test] = model.predict_proba(
            [pages[i].blocks for i in test], features=matrix[rows_test]
        )
        if progress:
            click.echo(
                f"  fold {fold + 1}/{n_splits}: {len(train)} train / {len(test)} test renderings, "
                f"{time.time() - started:.0f}s",
                err=True,
            )
    return proba


def cv_cache_path(corpus: Path, n_splits: int, params: dict | None = None) -> Path:
    """Where the out-of-fold probabilities of a cross-validation are cached (for
    the bench, which then need not repeat the 15-minute run), keyed by the
    corpus, the code that makes features, renderings and both passes of the
    classifier, and the classifier's settings that differ from its defaults
    (``params``; the shipped recipe has none, so that the bench never reads an
    experiment's)."""
    import hashlib

    from detector.text_mode import features as text_features
    from detector.text_mode import model as runtime_model
    from detector_dev.train import text_model, text_renderings

    key = hashlib.sha256(sha256_file(corpus).encode())
    hash_code(key, (text_features, runtime_model, text_renderings, text_model))
    defaults = BlockClassifier().get_params()
    changed = {name: value for name, value in (params or {}).items() if defaults[name] != value}
    if changed:
        key.update(json.dumps(changed, sort_keys=True).encode())
    return cache_dir() / f"text-cv-{key.hexdigest()[:16]}-{n_splits}.npy"


def cached_cross_validate(
    pages: Sequence[LabelledPage],
    matrix: np.ndarray,
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
    corpus: Path,
    params: dict | None = None,
) -> np.ndarray:
    """:func:`cross_validate`, reusing the probabilities of the last run on the
    same corpus, code and settings (see :func:`cv_cache_path`)."""
    path = cv_cache_path(corpus, len(folds), params)
    if path.exists():
        proba = np.load(path)
        if proba.shape == (matrix.shape[0], len(CLASSES)):
            click.echo(f"cross-validation probabilities reused from {path}", err=True)
            return proba
    proba = cross_validate(pages, matrix, folds, params=params)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, proba)
    return proba


SYSTEMS = ("ours", "keep_all", "justext", "oracle", "ceiling")
"""What ``evaluate`` scores on each page: our kept text, everything, jusText's
kept text, the blocks labelled content, and the ceiling of any selection."""


def ceilings(pages: Sequence[LabelledPage], gold: dict[str, str]) -> dict[str, dict[str, float]]:
    """:func:`~detector_dev.metrics.selection_baselines` on every row of
    :func:`evaluate` (rendering, data set, page type): where the oracle falls
    below keeping everything, a cleaner that labels every line as the corpus
    does falls below it too."""
    return selection_baselines(
        ([b.text for b in page.blocks], page.labels, gold[page.page], row_keys(page))
        for page in pages
        if page.page in gold
    )


def row_keys(page: LabelledPage) -> list[str]:
    """The rows of :func:`evaluate` a page counts in: its rendering, its
    rendering and data set, its plain rendering and page type, and
    ``SHORT_ARTICLES`` for a short clean article."""
    keys = [page.rendering, f"{page.rendering} ({page.dataset})"]
    if "+" not in page.rendering:
        keys.append(f"{page.rendering} [{page.page_type}]")
    if is_short_clean_article(page):
        keys.append(SHORT_ARTICLES)
    return keys


SHORT_LINES = (2, 8)
"""Lines (paragraphs, headings, list items) of issue 18's "short clean articles"."""
SHORT_ARTICLES = "gold [article, 2-8 lines]"
"""The row of the short clean articles: gold texts of article pages of
``SHORT_LINES`` lines."""


def is_short_clean_article(page: LabelledPage) -> bool:
    """Whether ``page`` is a short clean article: the ``gold`` rendering of an
    article page, of ``SHORT_LINES`` lines."""
    fewest, most = SHORT_LINES
    return (
        page.rendering == "gold"
        and page.page_type == "article"
        and (fewest <= len(page.blocks) <= most)
    )


def evaluate(
    pages: Sequence[LabelledPage], gold: dict[str, str], proba: np.ndarray
) -> dict[str, dict]:
    """Per rendering, per rendering and data set, per plain rendering and page
    type, and for the short clean articles (``SHORT_ARTICLES``): macro token F1
    per page of our kept text, of jusText, and of keeping everything, the
    oracle and the ceiling (:func:`~detector_dev.metrics.baseline_prf`); and
    per-class block-level and token-weighted precision/recall/F1 of our labels."""
    offsets = _offsets(pages)
    predicted = np.empty(len(proba), dtype=object)
    for i, page in enumerate(pages):
        rows = slice(offsets[i], offsets[i + 1])
        blocks = [dataclasses.replace(b, evidence=[]) for b in page.blocks]
        apply_labels(blocks, proba[rows])
        predicted[rows] = [b.label for b in blocks]
    by_rendering: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for i, page in enumerate(pages):
        if page.page not in gold:
            continue
        reference = gold[page.page]
        labels_here = predicted[offsets[i] : offsets[i + 1]]
        ours = "\n".join(
            b.text for b, lab in zip(page.blocks, labels_here, strict=True) if lab == "content"
        )
        jt = "\n".join(
            b.text for b, k in zip(page.blocks, justext_keep(page.blocks), strict=True) if k
        )
        scores = {
            "ours": token_prf(ours, reference),
            "justext": token_prf(jt, reference),
            **baseline_prf([b.text for b in page.blocks], page.labels, reference),
        }
        scores["thirds"] = thirds_recall(ours, reference)
        false_seo = any(
            p == "seo_filler" and t != "seo_filler"
            for p, t in zip(labels_here, page.labels, strict=True)
        )
        scores["false_seo"] = (float(false_seo),) * 3
        for key in row_keys(page):
            stats = by_rendering[key]
            for system, score in scores.items():
                stats[system].append(score)
            stats["true"].extend(page.labels)
            stats["pred"].extend(labels_here.tolist())
            stats["tokens"].extend(len(b.text.split()) for b in page.blocks)
    results = {}
    for rendering, stats in sorted(by_rendering.items()):
        entry: dict = {"pages": len(stats["ours"])}
        thirds = np.array(stats["thirds"])
        entry["first_third"], entry["last_third"] = (
            float(thirds[:, 0].mean()),
            float(thirds[:, 2].mean()),
        )
        entry["false_seo_pages"] = float(np.mean([v[0] for v in stats["false_seo"]]))
        for system in SYSTEMS:
            values = np.array(stats[system])
            entry[system] = {
                "precision": float(values[:, 0].mean()),
                "recall": float(values[:, 1].mean()),
                "f1": float(values[:, 2].mean()),
            }
        entry["blocks"] = class_report(
            stats["true"], stats["pred"], [1.0] * len(stats["true"]), CLASSES
        )
        entry["tokens"] = class_report(stats["true"], stats["pred"], stats["tokens"], CLASSES)
        results[rendering] = entry
    return results


def beta_table(
    pages: Sequence[LabelledPage],
    gold: dict[str, str],
    proba: np.ndarray,
    betas: Sequence[float] = (0.5, 0.8, 1.0, 1.2, 1.5, 2.0),
) -> dict[str, dict[float, float]]:
    """Macro token F1 per rendering when the kept blocks are chosen with each β
    of the expected F-score (see ``decisions.keep_expected_f``)."""
    offsets = _offsets(pages)
    table: dict[str, dict[float, list[float]]] = defaultdict(lambda: defaultdict(list))
    for i, page in enumerate(pages):
        if page.page not in gold:
            continue
        content = proba[offsets[i] : offsets[i + 1], CLASSES.index("content")]
        counts = word_counts(page.blocks)
        for beta in betas:
            keep = keep_expected_f(content, counts, beta)
            kept_text = "\n".join(b.text for b, k in zip(page.blocks, keep, strict=True) if k)
            table[page.rendering][beta].append(token_prf(kept_text, gold[page.page])[2])
    return {
        rendering: {beta: float(np.mean(values)) for beta, values in row.items()}
        for rendering, row in sorted(table.items())
    }


def format_results(results: dict[str, dict]) -> str:
    """A plain-text table of ``evaluate``'s output."""
    lines = [
        f"{'rendering':<18}{'pages':>6}  {'ours F1':>8}{'keep-all F1':>13}{'jusText F1':>12}"
        f"{'oracle F1':>11}{'ceiling F1':>12}  {'ours P':>7}{'ours R':>7}"
        f"{'1st/3':>7}{'3rd/3':>7}{'false seo':>10}",
    ]
    for rendering, entry in results.items():
        lines.append(
            f"{rendering:<18}{entry['pages']:>6}  {entry['ours']['f1']:>8.3f}"
            f"{entry['keep_all']['f1']:>13.3f}{entry['justext']['f1']:>12.3f}"
            f"{entry['oracle']['f1']:>11.3f}{entry['ceiling']['f1']:>12.3f}"
            f"  {entry['ours']['precision']:>7.3f}{entry['ours']['recall']:>7.3f}"
            f"{entry['first_third']:>7.3f}{entry['last_third']:>7.3f}"
            f"{entry['false_seo_pages']:>10.3f}"
        )
    lines.append("")
    lines.append("per-class P/R/F1 (block-level | token-weighted):")
    for rendering, entry in results.items():
        parts = []
        for label in CLASSES:
            b, t = entry["blocks"][label], entry["tokens"][label]
            if b["support"] == 0:
                continue
            parts.append(
                f"{label} {b['precision']:.2f}/{b['recall']:.2f}/{b['f1']:.2f} | "
                f"{t['precision']:.2f}/{t['recall']:.2f}/{t['f1']:.2f}"
            )
        lines.append(f"  {rendering:<16} " + "; ".join(parts))
    return "\n".join(lines)


def train(
    pages: Sequence[LabelledPage], matrix: np.ndarray, params: dict | None = None
) -> BlockClassifier:
    """The cleaner fitted on every rendering of every page."""
    labels = [lab for p in pages for lab in p.labels]
    model = BlockClassifier(**(params or {}))
    return model.fit(
        [p.blocks for p in pages], labels, sample_weight=block_weights(pages), features=matrix
    )


@click.command()
@click.option(
    "--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=CORPUS
)
@click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--cv/--no-cv", default=True, help="Cross-validate by site before training.")
@click.option("--folds", default=5, show_default=True)
@click.option(
    "--ceiling",
    is_flag=True,
    help="Only print, per row of the cross-validation's table, the macro token F1 of keeping "
    "everything, of the corpus labels (oracle) and the highest any selection of the blocks "
    "could reach (no model needed), and exit.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Use N pages (every rendering of each) drawn at random, written to a temporary "
    "corpus: a quick check, not a model to ship.",
)
@booster_options
def main(
    corpus: Path,
    model_dir: Path | None,
    cv: bool,
    folds: int,
    ceiling: bool,
    limit: int | None,
    **settings: int | float | None,
) -> None:
    """Train the cleaner on CORPUS and save it to the model folder."""
    params = model_params(**settings)
    started = time.time()
    if limit:
        corpus = sample_corpus(corpus, limit, group="page")
        click.echo(f"sample corpus: {corpus}", err=True)
    pages, gold = load_pages(corpus)
    pages, gold, folds_of = training_set(pages, gold, folds)
    if ceiling:
        click.echo(format_baselines(ceilings(pages, gold), "rendering"))
        return
    click.echo(f"{len(pages)} renderings, {sum(len(p.blocks) for p in pages)} blocks", err=True)
    matrix = featurize(pages)
    click.echo(f"features: {matrix.shape} in {time.time() - started:.0f}s", err=True)
    metrics = {}
    if cv:
        proba = cached_cross_validate(pages, matrix, folds_of, corpus, params)
        results = evaluate(pages, gold, proba)
        click.echo(format_results(results))
        click.echo("\ntoken F1 by β of the expected F-score (decisions.BETAS):")
        for rendering, row in beta_table(pages, gold, proba).items():
            cells = "  ".join(f"β={beta:g}: {f1:.3f}" for beta, f1 in row.items())
            click.echo(f"  {rendering:<16} {cells}")
        metrics = {
            "cv": f"GroupKFold({folds}) by site on {corpus.name}",
            "token_f1_macro": {r: round(e["ours"]["f1"], 4) for r, e in results.items()},
            "keep_all_token_f1_macro": {
                r: round(e["keep_all"]["f1"], 4) for r, e in results.items()
            },
            "justext_token_f1_macro": {r: round(e["justext"]["f1"], 4) for r, e in results.items()},
            "oracle_token_f1_macro": {r: round(e["oracle"]["f1"], 4) for r, e in results.items()},
            "ceiling_token_f1_macro": {r: round(e["ceiling"]["f1"], 4) for r, e in results.items()},
        }
    model = train(pages, matrix, params)
    path = save_arrays(
        model.model_.to_arrays(),
        MODEL_NAME,
        model_dir=model_dir,
        corpus_sha256=sha256_file(corpus),
        metrics=metrics,
        extra={"corpus": corpus.name, "classes": list(CLASSES), "params": model.get_params()},
        compressed=False,  # stored, not deflated: loads 5 ms faster at every start
    )
    click.echo(f"saved {path} in {time.time() - started:.0f}s", err=True)


if __name__ == "__main__":
    sys.exit(main())
