"""``make bench``: every quality and speed figure the README quotes.

    python -m detector_dev.bench                  # everything
    python -m detector_dev.bench --only speed     # one part: cleaner, speed, filler, report, html,
                                              # hostile

Quality comes from cross-validation grouped by site on the shipped corpus
(models that never saw the page's site). Speeds are ratios against a baseline
run in the same process on the same input. The hostile part times ``detector
clean`` over a folder of generated hostile files and measures its peak memory.
"""

from __future__ import annotations

import html
import json
import math
import time
from collections.abc import Callable
from pathlib import Path

import click
import justext

from detector.pipeline import Options, Pipeline
from detector_dev.corpus.cleaner_data import CORPUS
from detector_dev.paths import SEEDS


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _per_doc_seconds(
    funcs: dict[str, Callable[[str], object]], texts: list[str], repeat: int
) -> dict[str, float]:
    """Mean seconds per document of each function in its fastest of ``repeat``
    rounds. The functions take turns round by round, so that a busy moment of
    the machine slows them alike rather than one of them."""
    best = dict.fromkeys(funcs, math.inf)
    for _ in range(repeat):
        for name, func in funcs.items():
            started = time.perf_counter()
            for text in texts:
                func(text)
            best[name] = min(best[name], (time.perf_counter() - started) / len(texts))
    return best


def _justext_lines(text: str) -> object:
    page = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return justext.justext(f"<html><body>{page}</body></html>", justext.get_stoplist("English"))


def speed(repeat: int = 30) -> dict[str, float]:
    """Documents per second on the seed articles, one core, text mode: our
    cleaner, jusText on the same lines, and cleaning plus filler scoring."""
    texts = _seed_texts()
    cleaner = Pipeline(options=Options(mode="text")).load()
    scorer = Pipeline(options=Options(mode="text", score=True)).load()
    for text in texts:  # warm caches (stop lists, regexes)
        scorer.process(text)
        _justext_lines(text)
    seconds = _per_doc_seconds(
        {"clean": cleaner.process, "justext": _justext_lines, "both": scorer.process},
        texts,
        repeat,
    )
    clean_s, justext_s, both_s = seconds["clean"], seconds["justext"], seconds["both"]
    score_s = max(both_s - clean_s, 0.0)
    return {
        "clean_docs_per_s": 1 / clean_s,
        "justext_docs_per_s": 1 / justext_s,
        "clean_vs_justext_speedup": justext_s / clean_s,
        "clean_ms_per_doc": clean_s * 1000,
        "score_only_ms_per_doc": score_s * 1000,
        "score_vs_clean_time_ratio": score_s / clean_s,
    }


def print_speed(result: dict[str, float]) -> None:
    """Print the speed table."""
    click.echo("\n== Speed, text mode, seed-sized articles, one core")
    click.echo(
        f"  detector clean : {result['clean_docs_per_s']:8.1f} docs/s "
        f"({result['clean_ms_per_doc']:.2f} ms/doc)"
    )
    click.echo(f"  jusText        : {result['justext_docs_per_s']:8.1f} docs/s (same lines as <p>)")
    click.echo(
        f"  ratio          : detector is {result['clean_vs_justext_speedup']:.2f}x jusText's speed"
    )
    click.echo(
        f"  filler scoring : {result['score_only_ms_per_doc']:.2f} ms/doc on top of cleaning "
        f"= {result['score_vs_clean_time_ratio']:.2f}x the cleaning time"
    )


def cleaner_quality(corpus: Path = CORPUS, folds: int = 5) -> dict:
    """Cross-validated token F1 per rendering, beside keep-everything and jusText."""
    from detector_dev.corpus.cleaner_data import load_pages
    from detector_dev.train.text import cross_validate, evaluate, featurize

    pages, gold = load_pages(corpus)
    matrix = featurize(pages)
    return evaluate(pages, gold, cross_validate(pages, matrix, n_splits=folds))


@click.command()
@click.option(
    "--only",
    type=click.Choice(["cleaner", "speed", "filler", "report", "html", "hostile"]),
    multiple=True,
    help="Run only these parts (repeatable).",
)
@click.option(
    "--json-out", type=click.Path(dir_okay=False), default=None, help="Also save as JSON."
)
def main(only: tuple[str, ...], json_out: str | None) -> None:
    """Measure quality and speed; print tables."""
    parts = only or ("cleaner", "speed", "filler", "report", "html", "hostile")
    results: dict[str, object] = {}
    if "cleaner" in parts:
        from detector_dev.train.text import format_results

        if not CORPUS.exists():
            raise click.ClickException(f"{CORPUS} missing; run `make corpus`")
        click.echo("== Cleaner: token F1 of the kept text, GroupKFold(5) by site, macro over pages")
        results["cleaner"] = cleaner_quality()
        click.echo(format_results(results["cleaner"]))
    if "speed" in parts:
        results["speed"] = speed()
        print_speed(results["speed"])
    if "filler" in parts:
        from detector_dev.bench.filler import format_report
        from detector_dev.bench.filler import run_bench as filler_bench

        click.echo("\n== Filler scoring")
        results["filler"] = filler_bench()
        click.echo(format_report(results["filler"]))
    if "report" in parts:
        from detector_dev.bench.report import print_bench as print_report_bench
        from detector_dev.bench.report import run_bench as report_bench

        click.echo("\n== Batch report: throughput by workers, peak memory by batch size")
        results["report"] = report_bench()
        print_report_bench(results["report"])
    if "html" in parts:
        from detector_dev.bench.html import print_bench as print_html_bench
        from detector_dev.bench.html import run_bench as html_bench

        click.echo("\n== HTML mode against other extractors")
        results["html"] = html_bench()
        print_html_bench(results["html"])
    if "hostile" in parts:
        from detector_dev.bench.hostile import print_bench as print_hostile_bench
        from detector_dev.bench.hostile import run_bench as hostile_bench

        click.echo("\n== Hostile folder: detector clean DIR --format jsonl, seeds + hostile files")
        results["hostile"] = hostile_bench()
        print_hostile_bench(results["hostile"])
    if json_out:
        Path(json_out).write_text(json.dumps(results, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
