"""Cold start: how long a user waits for one command from the shell, against
``trafilatura`` extracting one page on the same machine in the same run.

    python -m detector_dev.bench --only startup

Each command runs ``repeat`` times as a fresh process; the commands take turns
round by round, so that a busy moment of the machine slows them alike, and
the median wall time of each is kept. The console scripts are those of the
running interpreter's environment (``Path(sys.executable).parent``): the
figures are those of the install a user runs, not of this source tree.

The targets (issue 16): ``detector --help`` within 0.3 s; ``detector clean`` of
a seed text within trafilatura's one-page time; ``detector clean --mode html``
of that page within 1.5 times trafilatura's.

trafilatura's one-page time is that of ``trafilatura < PAGE``, which extracts
the page. ``trafilatura --input-file PAGE``, the baseline until December 2026,
reads PAGE as a list of URLs, discards every line and extracts nothing: it is
kept as a second, stricter baseline (trafilatura's start-up alone: Python,
imports, argument parsing), with the ratios against it.

The commands run without ``PYTHONDONTWRITEBYTECODE``, so that the untimed
first round leaves bytecode as an installed package has it (pip compiles it
at install); otherwise every timed run would compile detector's sources.
"""

from __future__ import annotations

import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "seeds" / "000_e8dde5b5ffebba82.txt"
SCRAPINGHUB = ROOT.parent / "shared" / "data" / "scrapinghub" / "html"
FALLBACK_PAGE = ROOT / "tests" / "fixtures" / "article.html"
HELP_TARGET_S = 0.3
HTML_TARGET_RATIO = 1.5


def _page(folder: Path) -> Path:
    """The first Scrapinghub page (gunzipped into ``folder``) when that corpus is
    present, else the test fixture article."""
    pages = sorted(SCRAPINGHUB.glob("*.html.gz")) if SCRAPINGHUB.is_dir() else []
    if not pages:
        return FALLBACK_PAGE
    target = folder / pages[0].name.removesuffix(".gz")
    target.write_bytes(gzip.decompress(pages[0].read_bytes()))
    return target


def _wall(argv: list[str], stdin: str | None = None) -> float:
    """Seconds from starting ``argv`` (reading file ``stdin``, if given) to its
    exit; a failure stops the bench."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with open(stdin or os.devnull, "rb") as source:
        started = time.perf_counter()
        subprocess.run(
            argv,
            check=True,
            stdin=source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    return time.perf_counter() - started


def run_bench(repeat: int = 7) -> dict[str, Any]:
    """Median wall seconds of each command over ``repeat`` interleaved rounds,
    with the targets as ratios to trafilatura's one-page time."""
    scripts = Path(sys.executable).parent
    detector, trafilatura = str(scripts / "detector"), str(scripts / "trafilatura")
    with tempfile.TemporaryDirectory() as folder:
        page = str(_page(Path(folder)))
        commands: dict[str, tuple[list[str], str | None]] = {
            "detector_help": ([detector, "--help"], None),
            "detector_clean_text": ([detector, "clean", str(SEED)], None),
            "trafilatura_extract": ([trafilatura], page),  # the page on stdin
            "trafilatura_page": ([trafilatura, "--input-file", page], None),  # start-up only
            "detector_clean_html": ([detector, "clean", "--mode", "html", page], None),
        }
        for argv, stdin in commands.values():  # warm the file cache; not timed
            _wall(argv, stdin)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, (argv, stdin) in commands.items():
                times[name].append(_wall(argv, stdin))
    seconds = {name: statistics.median(values) for name, values in times.items()}
    base = seconds["trafilatura_extract"]
    startup = seconds["trafilatura_page"]
    return {
        "seconds": seconds,
        "repeat": repeat,
        "page": Path(page).name,
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "clean_text_vs_trafilatura": seconds["detector_clean_text"] / base,
        "clean_html_vs_trafilatura": seconds["detector_clean_html"] / base,
        "clean_text_vs_trafilatura_startup": seconds["detector_clean_text"] / startup,
        "clean_html_vs_trafilatura_startup": seconds["detector_clean_html"] / startup,
        "targets_met": {
            "help": seconds["detector_help"] <= HELP_TARGET_S,
            "clean_text": seconds["detector_clean_text"] <= base,
            "clean_html": seconds["detector_clean_html"] <= HTML_TARGET_RATIO * base,
        },
    }


def print_bench(result: dict[str, Any]) -> None:
    """The seconds, the ratios and each target met or not."""
    s, met = result["seconds"], result["targets_met"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    click.echo(
        f"  median of {result['repeat']} fresh processes, interleaved; page {result['page']}"
    )
    click.echo(f"  trafilatura < PAGE             : {s['trafilatura_extract']:.3f} s (baseline)")
    click.echo(
        f"  trafilatura --input-file PAGE  : {s['trafilatura_page']:.3f} s "
        "(start-up only: reads PAGE as a URL list, extracts nothing)"
    )
    click.echo(
        f"  detector --help                : {s['detector_help']:.3f} s "
        f"(target <= {HELP_TARGET_S} s: {verdict(met['help'])})"
    )
    click.echo(
        f"  detector clean SEED.txt        : {s['detector_clean_text']:.3f} s = "
        f"{result['clean_text_vs_trafilatura']:.2f}x trafilatura "
        f"(target <= 1x: {verdict(met['clean_text'])})"
    )
    click.echo(
        f"  detector clean --mode html PAGE: {s['detector_clean_html']:.3f} s = "
        f"{result['clean_html_vs_trafilatura']:.2f}x trafilatura "
        f"(target <= {HTML_TARGET_RATIO}x: {verdict(met['clean_html'])})"
    )
    click.echo(
        "  against trafilatura's start-up only: clean SEED.txt "
        f"{result['clean_text_vs_trafilatura_startup']:.2f}x, clean --mode html PAGE "
        f"{result['clean_html_vs_trafilatura_startup']:.2f}x"
    )
