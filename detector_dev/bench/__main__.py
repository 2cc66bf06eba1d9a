"""``make bench``: every quality and speed figure, written to docs/BENCHMARKS.md.

    python -m detector_dev.bench                  # everything
    python -m detector_dev.bench --only speed     # one part: cleaner, speed, filler, report,
                                                  # html, hostile, startup, filler-trust
    python -m detector_dev.bench --only html --limit 20   # a quick check on a sample

Each part prints its table and replaces its own section of the measurement
log (``docs/BENCHMARKS.md``, see :mod:`detector_dev.bench.log`) with that
table, the command, the date, the commit and the machine's load. A run with
``--limit`` measures a sample, so it writes the log only when ``--log`` names
a file.

Quality comes from cross-validation grouped by site on the shipped corpus
(models that never saw the page's site). Speeds are ratios against a baseline
run in the same process on the same input. The hostile part times ``detector
clean`` over a folder of generated hostile files and measures its peak memory.
The startup part times fresh ``detector`` processes against the ``trafilatura``
command on one page.
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


def cleaner_quality(corpus: Path | None = None, folds: int = 5) -> dict:
    """Cross-validated token F1 per rendering, beside keep-everything and jusText
    (the out-of-fold probabilities of the last ``python -m detector_dev.train.text``
    run on the same corpus and code are reused)."""
    from detector_dev.corpus.cleaner_data import CORPUS, load_pages

    corpus = corpus or CORPUS
    from detector_dev.train.text import cached_cross_validate, evaluate, featurize, training_set

    pages, gold, site_folds = training_set(*load_pages(corpus), folds)
    matrix = featurize(pages)
    return evaluate(pages, gold, cached_cross_validate(pages, matrix, site_folds, corpus))


PARTS = ("cleaner", "speed", "filler", "filler-trust", "report", "html", "hostile", "startup")
TITLES = {
    "cleaner": "Cleaner (text mode): token F1 of the kept text, GroupKFold(5) by site",
    "speed": "Speed, text mode, seed-sized articles, one core",
    "filler": "Filler scoring: held-out quality and speed",
    "report": "Batch report: throughput by workers, peak memory by batch size",
    "html": "HTML mode against other extractors",
    "hostile": "Hostile folder: detector clean DIR --format jsonl, seeds + hostile files",
    "filler-trust": (
        "Filler labels on human web text and on machine text of generator families "
        "left out (issue 17)"
    ),
    "startup": "Cold start: fresh processes from the shell, against trafilatura's command",
}


def run_part(part: str, limit: int | None) -> object:
    """Run one part, print its table, return its results."""
    from detector_dev.corpus.sample import sample_corpus

    if part == "cleaner":
        from detector_dev.corpus.cleaner_data import CORPUS
        from detector_dev.train.text import format_results

        if not CORPUS.exists():
            raise click.ClickException(f"{CORPUS} missing; run `make corpus`")
        corpus = sample_corpus(CORPUS, limit, group="page") if limit else CORPUS
        renderings = cleaner_quality(corpus, folds=min(5, limit) if limit else 5)
        click.echo(format_results(renderings))
        from detector_dev.bench import clean_texts

        texts = clean_texts.run_bench()
        click.echo("\n" + clean_texts.format_report(texts))
        return {"renderings": renderings, "short clean texts": texts}
    if part == "speed":
        result = speed(repeat=min(30, limit) if limit else 30)
        print_speed(result)
        return result
    if part == "filler":
        from detector_dev.bench.filler import DEFAULT_CORPUS, format_report
        from detector_dev.bench.filler import run_bench as filler_bench

        corpus = sample_corpus(DEFAULT_CORPUS, limit, group="group") if limit else DEFAULT_CORPUS
        result = filler_bench(corpus=corpus)
        click.echo(format_report(result))
        return result
    if part == "report":
        from detector_dev.bench.report import print_bench as print_report_bench
        from detector_dev.bench.report import run_bench as report_bench

        result = report_bench(docs=limit, sizes=(limit, 2 * limit)) if limit else report_bench()
        print_report_bench(result)
        return result
    if part == "html":
        from detector_dev.bench.html import print_bench as print_html_bench
        from detector_dev.bench.html import run_bench as html_bench

        if limit:  # fold models trained on a sample, not the 20-minute full recipe
            from detector_dev.train.html import CORPUS as HTML_CORPUS

            sample = sample_corpus(HTML_CORPUS, max(4 * limit, 10), group="page")
            result = html_bench(corpus=sample, limit=limit, folds=2)
        else:
            result = html_bench()
        print_html_bench(result)
        return result
    if part == "filler-trust":
        from detector_dev.filler.trust_bench import main as trust_bench
        from detector_dev.filler.trust_ceiling import main as trust_ceiling

        # trains the cross-fitted and left-out-family models when missing (15-30 min);
        # with them cached, the tables and the ceiling take well under a minute
        trust_bench(["--shipped", "--after"])
        trust_ceiling([])
        return None
    if part == "startup":
        from detector_dev.bench.startup import print_bench as print_startup_bench
        from detector_dev.bench.startup import run_bench as startup_bench

        result = startup_bench()
        print_startup_bench(result)
        return result
    from detector_dev.bench.hostile import print_bench as print_hostile_bench
    from detector_dev.bench.hostile import run_bench as hostile_bench

    result = hostile_bench()
    print_hostile_bench(result)
    return result


@click.command()
@click.option(
    "--only",
    type=click.Choice(PARTS),
    multiple=True,
    help="Run only these parts (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=2),
    default=None,
    help="A quick check on a sample: cleaner N pages, filler N stories, html N pages per "
    "data set (fold models trained on 4N pages, 2 folds), report N documents, speed N "
    "rounds (hostile: unchanged).",
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The measurement log to update (default docs/BENCHMARKS.md; none with --limit).",
)
@click.option("--no-log", is_flag=True, help="Print only; leave the measurement log alone.")
@click.option(
    "--json-out", type=click.Path(dir_okay=False), default=None, help="Also save as JSON."
)
def main(
    only: tuple[str, ...],
    limit: int | None,
    log_path: Path | None,
    no_log: bool,
    json_out: str | None,
) -> None:
    """Measure quality and speed; print tables and write them to the measurement log."""
    from detector_dev.bench.log import captured, write_section
    from detector_dev.paths import BENCHMARKS

    parts = [part for part in PARTS if part in only] if only else list(PARTS)
    if log_path is None and limit is None:
        log_path = BENCHMARKS
    results: dict[str, object] = {}
    for part in parts:
        click.echo(f"\n== {TITLES[part]}")
        with captured() as printed:
            results[part] = run_part(part, limit)
        if log_path is not None and not no_log:
            command = f"python -m detector_dev.bench --only {part}"
            if limit:
                command += f" --limit {limit}"
            write_section(part, TITLES[part], command, printed.getvalue(), log_path)
            click.echo(f"(written to {log_path}, section bench:{part})", err=True)
    if json_out:
        Path(json_out).write_text(json.dumps(results, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
