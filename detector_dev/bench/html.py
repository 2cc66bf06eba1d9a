"""HTML-mode benchmark: our HTML mode beside trafilatura (default, favor_precision,
favor_recall), readability-lxml, jusText and resiliparse, run in one process
on the same raw pages of ``../shared/data`` (Scrapinghub and WCXB dev).

    python -m detector_dev.bench.html              # every page
    python -m detector_dev.bench.html --limit 200  # at most 200 pages per data set

Per system and data set: token F1 (per page, then averaged), the Scrapinghub
benchmark's own metric (4-gram shingles, case-sensitive, per-page normalised
counts; F1 of the mean precision and mean recall, empty outputs left out of
the precision mean as in its ``evaluate.py``), the share of WCXB "with"
snippets kept and "without" snippets leaked, empty outputs, and milliseconds
per page (wall clock, this process). Our numbers come from cross-validation:
each page is cleaned by a model trained on the folds that do not hold its
site (GroupKFold by site on ``corpus/html.jsonl.gz``, as in training).
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from detector.html_mode import betas_of, classify_page, cut_page, html_document
from detector.tokens import TOKEN
from detector_dev.metrics import LONG_WORDS, thirds_recall, token_prf, tokens
from detector_dev.paths import DATA
from detector_dev.train.folds import site_folds
from detector_dev.train.html import CORPUS, iter_corpus, snippet_found

DEFAULT_DATA = DATA
OUR_MODES = {"ours": "balanced", "ours --precision": "precision", "ours --recall": "recall"}
"""Our rows of the bench and the mode (``favor``) each one runs."""
PAGE_TYPES = ("article", "forum", "product", "listing", "collection", "documentation", "service")

logging.getLogger("readability").setLevel(logging.CRITICAL)
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


# --- the Scrapinghub benchmark's metric ---------------------------------------------


def shingle_counts(gold: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over word n-gram shingles, as the benchmark's evaluate.py."""

    def shingles(text: str) -> Counter:
        words = TOKEN.findall(text or "")
        return Counter(
            tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n]
        )

    g, p = shingles(gold), shingles(predicted)
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_f1(counts: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Mean precision, mean recall and their F1, as the benchmark aggregates them."""

    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# --- the systems ---------------------------------------------------------------------


def _trafilatura(**options: Any) -> Callable[[str, str | None], str]:
    import trafilatura

    def run(html: str, url: str | None) -> str:
        return trafilatura.extract(html, url=url, **options) or ""

    return run


def _readability(html: str, url: str | None) -> str:
    from readability import Document

    from detector.html_mode.render import render_lines

    try:
        return "\n".join(render_lines(Document(html, url=url).summary(html_partial=True)))
    except Exception:
        return ""


def _justext(html: str, url: str | None) -> str:
    import justext

    try:
        paragraphs = justext.justext(html, justext.get_stoplist("English"))
    except Exception:
        return ""
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _resiliparse(html: str, url: str | None) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(html), main_content=True) or ""


def baseline_systems() -> dict[str, Callable[[str, str | None], str]]:
    """The systems we compare against, by name; missing libraries are left out."""
    systems: dict[str, Callable[[str, str | None], str]] = {
        "trafilatura": _trafilatura(),
        "trafilatura-precision": _trafilatura(favor_precision=True),
        "trafilatura-recall": _trafilatura(favor_recall=True),
        "justext": _justext,
    }
    try:
        import readability  # noqa: F401

        systems["readability"] = _readability
    except ImportError:
        pass
    try:
        import resiliparse  # noqa: F401

        systems["resiliparse"] = _resiliparse
    except ImportError:
        pass
    return systems


# --- fold models -----------------------------------------------------------------------


def fold_models(corpus: Path, n_splits: int = 5) -> tuple[list[Any], dict[str, int]]:
    """One model per site fold and the fold of each page key; the models of the
    last ``python -m detector_dev.train.html`` run on this corpus with the
    shipped recipe are reused, else they are trained here (as
    cross-validation does)."""
    from detector_dev.train.html import (
        cached_features,
        cross_validate,
        fold_models_path,
        load_fold_models,
        save_fold_models,
        training_folds,
    )

    pages = list(iter_corpus(corpus))
    folds = site_folds(pages, n_splits)
    fold_of = {pages[i].page: k for k, (_, test) in enumerate(folds) for i in test}
    path = fold_models_path(corpus, n_splits)
    if path.exists():
        return load_fold_models(path), fold_of
    everything, folds = training_folds(pages, n_splits)
    features = cached_features(everything, corpus)
    blind = cached_features(everything, corpus, blind=True)
    _, models, _ = cross_validate(everything, features, blind, folds)
    save_fold_models(models, corpus, n_splits)
    return [m.model_ for m in models], fold_of


# --- the run -----------------------------------------------------------------------------


def _timed(run: Callable[[str, str | None], str], html: str, url: str | None) -> tuple[str, float]:
    started = time.perf_counter()
    text = run(html, url)
    return text, time.perf_counter() - started


def _our_outputs(
    html: str, model: Any, url: str | None
) -> tuple[dict[str, tuple[str, float]], float]:
    """Our text and seconds per mode (``OUR_MODES``), as ``detector clean`` prints
    text (without source places or metadata, as trafilatura's text comes without
    metadata): the page is classified once, and each mode's time is that plus
    its own cut, as a run in that mode takes. Also the seconds of the balanced
    mode with places and metadata (what json output needs)."""
    started = time.perf_counter()
    page = classify_page(html, model, url=url, details=False)
    classified = time.perf_counter() - started
    betas = betas_of(model)
    out = {}
    for name, favor in OUR_MODES.items():
        started = time.perf_counter()
        _, _, text = cut_page(
            page, betas[favor], long_factor=betas["long"], recover=favor != "precision"
        )
        out[name] = (text, classified + time.perf_counter() - started)
    started = time.perf_counter()
    _, _, text = cut_page(
        classify_page(html, model, url=url), betas["balanced"], long_factor=betas["long"]
    )
    details = time.perf_counter() - started
    if text != out["ours"][0]:
        raise AssertionError(f"{url}: places and metadata changed the cleaned text")
    return out, details


def _even_sample(items: list, limit: int | None) -> list:
    if limit is None or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def run_bench(
    data_dir: Path = DEFAULT_DATA,
    corpus: Path = CORPUS,
    *,
    limit: int | None = None,
    folds: int = 5,
    progress: bool = True,
) -> dict[str, Any]:
    """Run every system on every page; returns ``{"skipped": reason}`` without the data."""
    from detector_dev.corpus.cleaner import load_pages
    from detector_dev.corpus.html import read_html

    if not (data_dir / "scrapinghub").is_dir() or not (data_dir / "wcxb-dev").is_dir():
        return {"skipped": f"{data_dir} lacks scrapinghub/ and wcxb-dev/ (raw pages needed)"}
    if not corpus.exists():
        return {"skipped": f"{corpus} is missing (run python -m detector_dev.corpus.html)"}
    models, fold_of = fold_models(corpus, folds)
    pages = [p for p in load_pages(data_dir)[0] if p.key in fold_of]
    by_set = {name: [p for p in pages if p.dataset == name] for name in ("scrapinghub", "wcxb")}
    pages = [p for name in by_set for p in _even_sample(by_set[name], limit)]

    baselines = baseline_systems()
    systems = [*OUR_MODES, *baselines]
    rows: list[dict[str, Any]] = []
    warm = read_html(pages[0])
    for run in baselines.values():
        run(warm, None)
    html_document(warm, models[0])

    iterator = pages
    if progress:
        from tqdm import tqdm

        iterator = tqdm(pages, desc="bench", unit="page", file=sys.stderr)
    for page in iterator:
        html = read_html(page)
        model = models[fold_of[page.key]]
        ours, details = _our_outputs(html, model, page.url)
        for name, (text, seconds) in {
            **ours,
            **{name: _timed(run, html, page.url) for name, run in baselines.items()},
        }.items():
            row = {
                "system": name,
                "dataset": page.dataset,
                "page_type": page.page_type,
                "seconds": seconds,
                "empty": not text.strip(),
                "token": token_prf(text, page.gold),
                "shingle": shingle_counts(page.gold, text),
                "long": len(page.gold.split()) > LONG_WORDS,
                "thirds": thirds_recall(text, page.gold),
            }
            if name == "ours":
                row["seconds_details"] = details
            if page.with_snippets is not None:
                joined = f" {' '.join(tokens(text))} "
                row["with"] = [snippet_found(s, joined) for s in page.with_snippets]
                row["without"] = [snippet_found(s, joined) for s in page.without_snippets or []]
            rows.append(row)
    return aggregate(rows, systems)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    with_flags = [f for r in rows for f in r.get("with", [])]
    without_flags = [f for r in rows for f in r.get("without", [])]
    shingles = shingle_f1([r["shingle"] for r in rows])
    return {
        "pages": len(rows),
        "token_precision": statistics.mean(r["token"][0] for r in rows),
        "token_recall": statistics.mean(r["token"][1] for r in rows),
        "token_f1": statistics.mean(r["token"][2] for r in rows),
        "shingle_precision": shingles["precision"],
        "shingle_recall": shingles["recall"],
        "shingle_f1": shingles["f1"],
        "with_kept": sum(with_flags) / len(with_flags) if with_flags else None,
        "without_leaked": sum(without_flags) / len(without_flags) if without_flags else None,
        "empty": sum(r["empty"] for r in rows),
        "ms_per_page": 1000 * statistics.mean(r["seconds"] for r in rows),
        "ms_per_page_details": (
            1000 * statistics.mean(r["seconds_details"] for r in rows)
            if "seconds_details" in rows[0]
            else None
        ),
        "first_third": statistics.mean(r["thirds"][0] for r in rows),
        "last_third": statistics.mean(r["thirds"][2] for r in rows),
        "recall_under_95": sum(r["token"][1] < 0.95 for r in rows),
    }


def aggregate(rows: list[dict[str, Any]], systems: list[str]) -> dict[str, Any]:
    """Per data set and system, per WCXB page type and system, and overall speed."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        groups[(row["dataset"], row["system"])].append(row)
        groups[("all", row["system"])].append(row)
        if row["dataset"] == "wcxb":
            groups[(f"wcxb:{row['page_type']}", row["system"])].append(row)
        if row["long"]:
            groups[("long", row["system"])].append(row)
    result: dict[str, Any] = {"systems": systems, "sets": {}}
    for (key, system), members in groups.items():
        result["sets"].setdefault(key, {})[system] = _summary(members)
    all_sets = result["sets"].get("all", {})
    if "ours" in all_sets and "trafilatura" in all_sets:
        traf = all_sets["trafilatura"]["ms_per_page"]
        result["speed_ratio"] = all_sets["ours"]["ms_per_page"] / traf
        result["speed_ratio_details"] = all_sets["ours"]["ms_per_page_details"] / traf
    return result


def print_bench(result: dict[str, Any]) -> None:
    """Print :func:`run_bench`'s result as tables."""
    if "skipped" in result:
        click.echo(f"html bench skipped: {result['skipped']}")
        return
    systems = result["systems"]
    header = (
        f"{'system':<24}{'pages':>6}{'tok P':>7}{'tok R':>7}{'tok F1':>8}"
        f"{'sh P':>7}{'sh R':>7}{'sh F1':>8}{'with':>7}{'w/o':>7}{'empty':>6}{'ms/page':>9}"
    )

    def fmt(value: float | None, width: int, digits: int = 3) -> str:
        return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"

    def print_table(title: str, header: str, table: dict, row: Callable[[dict], str]) -> None:
        """A titled table: one line per system the table holds."""
        click.echo(title)
        click.echo(header)
        for system in systems:
            if (s := table.get(system)) is not None:
                click.echo(f"{system:<24}{row(s)}")

    for key in ("scrapinghub", "wcxb", "all"):
        table = result["sets"].get(key)
        if not table:
            continue
        print_table(
            f"\n== {key}",
            header,
            table,
            lambda s: (
                f"{s['pages']:>6}{fmt(s['token_precision'], 7)}"
                f"{fmt(s['token_recall'], 7)}{fmt(s['token_f1'], 8)}"
                f"{fmt(s['shingle_precision'], 7)}{fmt(s['shingle_recall'], 7)}"
                f"{fmt(s['shingle_f1'], 8)}{fmt(s['with_kept'], 7)}{fmt(s['without_leaked'], 7)}"
                f"{s['empty']:>6}{fmt(s['ms_per_page'], 9, 1)}"
            ),
        )
    types = [t for t in PAGE_TYPES if f"wcxb:{t}" in result["sets"]]
    if types:
        click.echo("\n== wcxb token F1 by page type")
        click.echo(f"{'system':<24}" + "".join(f"{t[:11]:>12}" for t in types))
        for system in systems:
            cells = []
            for t in types:
                s = result["sets"][f"wcxb:{t}"].get(system)
                cells.append(fmt(s["token_f1"] if s else None, 12))
            click.echo(f"{system:<24}" + "".join(cells))
        click.echo(
            f"{'pages':<24}"
            + "".join(f"{result['sets'][f'wcxb:{t}']['ours']['pages']:>12}" for t in types)
        )
    long_pages = result["sets"].get("long")
    if long_pages:
        print_table(
            f"\n== pages whose gold text exceeds {LONG_WORDS:,} words: token recall, share of "
            "the gold's first and last thirds kept (4-gram shingles), pages under 0.95 recall",
            f"{'system':<24}{'pages':>6}{'tok R':>7}{'tok F1':>8}{'1st/3':>7}{'3rd/3':>7}"
            f"{'R<0.95':>7}",
            long_pages,
            lambda s: (
                f"{s['pages']:>6}{fmt(s['token_recall'], 7)}{fmt(s['token_f1'], 8)}"
                f"{fmt(s['first_third'], 7)}{fmt(s['last_third'], 7)}{s['recall_under_95']:>7}"
            ),
        )
    if "speed_ratio" in result:
        click.echo(
            f"\ntime per page, ours / trafilatura default: {result['speed_ratio']:.2f}x"
            " (text output, as trafilatura's);"
            f" {result['speed_ratio_details']:.2f}x with source places and metadata (json)"
        )


@click.command()
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA)
@click.option("--corpus", type=click.Path(path_type=Path), default=CORPUS)
@click.option("--limit", type=int, default=None, help="At most N pages per data set (even sample).")
@click.option("--json-out", type=click.Path(path_type=Path), default=None)
def main(data: Path, corpus: Path, limit: int | None, json_out: Path | None) -> None:
    """Benchmark the HTML mode against open extractors on the shared data sets."""
    result = run_bench(data, corpus, limit=limit)
    print_bench(result)
    if json_out is not None:
        import json

        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
