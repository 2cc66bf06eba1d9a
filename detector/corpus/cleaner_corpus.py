"""Build the training corpus of the text-mode block classifier (the cleaner).

Every page of Scrapinghub and WCXB (dev) is rendered twice, as its whole
visible text ("page") and as trafilatura's recall-oriented extraction
("recall"); each line is labelled content or boilerplate by word 5-gram overlap
with the page's gold main text plus the copy and headline conventions (see
:mod:`detector.corpus.labeling`). A seeded ~30% of the pages also get a synthetic copy of
each rendering with a run of off-topic glossary lines from Wikipedia inserted
after the last content line, labelled ``seo_filler``.

Run ``python -m detector.corpus.cleaner_corpus --data ../shared/data --out
corpus/cleaner.jsonl.gz``; corpus/README.md documents the output.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import tld
import trafilatura
from joblib import Parallel, delayed
from tqdm import tqdm

from detector.corpus.labeling import (
    GoldIndex,
    demote_copies,
    label_lines,
    mark_headline,
    tokenize,
)
from detector.html_render import parse_html, render_tree

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT = REPO_ROOT / "corpus" / "cleaner.jsonl.gz"

GLOSSARY_SUFFIX = "+glossary"
GLOSSARY_SHARE = 0.3
GLOSSARY_RUN = (2, 5)
GLOSSARY_SEED = "cleaner-corpus/glossary/v1"
GLOSSARY_SOURCES = {
    "en": "m4-llama2/test_wikipedia_llama2.jsonl",
    "de": "m4-llama2/test_germanwikipedia_llama2.jsonl",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent function words that tell English from German, and both from the
# Romance languages (so no "in", "des", "on", "was").
_FUNCTION_WORDS = {
    "en": _words("the and of to is that with this you your are have for from"),
    "de": _words("der die und das ist nicht mit ein eine zu den von sich auf für dem auch werden"),
}
_DEFINITION = {
    "en": re.compile(r"\b(?:is|are|was|were)\b"),
    "de": re.compile(r"\b(?:ist|sind|war|waren|bezeichnet|handelt)\b"),
}
_ABBREVIATIONS = _words(
    """c ca st dr mr mrs ms jr sr no nr lat griech altgriech engl franz ital bzw geb gest vgl
    evtl etc chr jh inc ltd co vs mt ft gen col lt sgt rev prof"""
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"„“(]?[A-ZÄÖÜ])")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»/]+\s+")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a source data set with its gold annotation."""

    dataset: str
    id: str
    html_path: Path
    url: str | None
    page_type: str
    gold: str
    title: str | None = None
    with_snippets: list[str] | None = None
    without_snippets: list[str] | None = None

    @property
    def key(self) -> str:
        """``<dataset>/<page id>``, the page's identifier in the corpus."""
        return f"{self.dataset}/{self.id}"


def load_pages(data_dir: Path) -> tuple[list[Page], list[str]]:
    """All pages with a gold text, in corpus order, and the keys of those without one."""
    pages: list[Page] = []
    sh_dir = data_dir / "scrapinghub"
    truth = json.loads((sh_dir / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        item = truth[page_id]
        pages.append(
            Page(
                "scrapinghub",
                page_id,
                sh_dir / "html" / f"{page_id}.html.gz",
                item.get("url"),
                "article",
                item.get("articleBody") or "",
            )
        )
    wcxb_dir = data_dir / "wcxb-dev"
    for path in sorted((wcxb_dir / "ground-truth").glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        truth = item.get("ground_truth") or {}
        page_type = ((item.get("_internal") or {}).get("page_type") or {}).get("primary")
        pages.append(
            Page(
                "wcxb",
                path.stem,
                wcxb_dir / "html" / f"{path.stem}.html.gz",
                item.get("url") or truth.get("url"),
                page_type or truth.get("page_type") or "unknown",
                truth.get("main_content") or "",
                truth.get("title"),
                list(truth.get("with") or []),
                list(truth.get("without") or []),
            )
        )
    with_gold = {p.key: bool(tokenize(p.gold)) for p in pages}
    return [p for p in pages if with_gold[p.key]], [k for k, ok in with_gold.items() if not ok]


def load_glossary(data_dir: Path) -> dict[str, list[tuple[str, ...]]]:
    """Definitional sentences per language: the first one or two sentences of each
    Wikipedia lead whose first sentence defines its subject ("X is a ...")."""
    pool: dict[str, list[tuple[str, ...]]] = {}
    for lang, relative in GLOSSARY_SOURCES.items():
        entries = []
        with (data_dir / relative).open(encoding="utf-8") as handle:
            for row in handle:
                lead = json.loads(row)["human_text"].strip().split("\n", 1)[0]
                sentences = [_clean_sentence(s) for s in _sentences(lead)[:2]]
                if not _usable(sentences[0]):
                    continue
                if _DEFINITION[lang].search(" ".join(sentences[0].split()[:15])):
                    entries.append(tuple(s for s in sentences[:2] if _usable(s)))
        pool[lang] = entries
    return pool


def _sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text)
    out: list[str] = []
    for part in parts:
        previous = out[-1].split()[-1].rstrip(".").casefold() if out else ""
        if out and (len(previous) == 1 or previous.isdigit() or previous in _ABBREVIATIONS):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _clean_sentence(sentence: str) -> str:
    sentence = re.sub(r"\(\s*[;,]?\s*\)", "", sentence)
    sentence = re.sub(r"\(\s*[;,]\s*", "(", sentence)
    return re.sub(r"\s+([,;.])", r"\1", " ".join(sentence.split()))


def _usable(sentence: str) -> bool:
    """Whether a sentence reads cleanly: sentence length, closing punctuation,
    no left-over wiki markup or dropped values."""
    return (
        40 <= len(sentence) <= 320
        and sentence[-1:] in ".!?"
        and not any(mark in sentence for mark in ("[", "]", "|", "{", " of."))
    )


def language(tokens: Sequence[str]) -> str | None:
    """``"en"`` or ``"de"`` when the words are clearly English or German, else ``None``."""
    if not tokens:
        return None
    shares = {
        lang: sum(t in words for t in tokens) / len(tokens)
        for lang, words in _FUNCTION_WORDS.items()
    }
    best = max(shares, key=shares.__getitem__)
    runner_up = min(shares.values())
    return best if shares[best] >= 0.03 and shares[best] >= 3 * runner_up else None


def registered_domain(url: str | None) -> str | None:
    """The registered domain of a URL (``bbc.co.uk``, ``nytimes.com``), without ``www.``."""
    if not url:
        return None
    domain = tld.get_fld(url, fail_silently=True, fix_protocol=True)
    return domain.removeprefix("www.") if domain else None


def headline_candidates(
    root: Any, h1_lines: Sequence[str], annotated: str | None = None
) -> list[str]:
    """Texts the page's headline may be rendered as, most likely first.

    The annotated title (if the data set has one) comes first, then the main
    ``h1`` (the one matching the page title, or the only one), then
    ``og:title``/``twitter:title``/``<title>`` without and with the site name
    part. Candidates of fewer than two words are left out.
    """
    titles: list[str] = []
    if root is not None:
        raw = [
            *root.xpath('//meta[@property="og:title" or @name="twitter:title"]/@content'),
            *(t.text_content() for t in root.iter("title")),
        ]
        for title in (" ".join(str(t).split()) for t in raw):
            parts = _TITLE_SEPARATOR.split(title)
            if len(parts) > 1:
                titles += [" ".join(parts[:-1]), " ".join(parts[1:])]
            titles.append(title)
    main_h1 = None
    title_sets = [set(tokenize(t)) for t in titles]
    best = 0.0
    for line in h1_lines:
        words = set(tokenize(line))
        for title_words in title_sets:
            score = len(words & title_words) / max(1, len(words | title_words))
            if score > best:
                best, main_h1 = score, line
    if best < 0.5:
        main_h1 = h1_lines[0] if len(h1_lines) == 1 or (h1_lines and not titles) else None
    candidates = [c for c in (annotated, main_h1) if c] + titles
    seen: set[tuple[str, ...]] = set()
    out = []
    for text in candidates:
        key = tuple(tokenize(text))
        if len(key) >= 2 and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def _recall_lines(html: str) -> list[str] | None:
    text = trafilatura.extract(
        html,
        favor_recall=True,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        with_metadata=False,
        deduplicate=False,
    )
    if text is None:
        return None
    return [line for line in (" ".join(raw.split()) for raw in text.split("\n")) if line]


def _choose_glossary(
    page: Page, gold: GoldIndex, pool: Mapping[str, Sequence[tuple[str, ...]]]
) -> list[str]:
    """The glossary run for a page: empty unless the page is drawn and a pool fits it."""
    rng = random.Random(f"{GLOSSARY_SEED}/{page.key}")
    if rng.random() >= GLOSSARY_SHARE:
        return []
    wanted = rng.randint(*GLOSSARY_RUN)
    entries = pool.get(language(tokenize(page.gold)) or "", ())
    chosen: list[str] = []
    for index in rng.sample(range(len(entries)), len(entries)):
        line = " ".join(entries[index][: rng.choice((1, 2))])
        topical = {t for t in tokenize(line) if len(t) > 3 and not t.isdigit()}
        if topical and topical.isdisjoint(gold.tokens):
            chosen.append(line)
            if len(chosen) == wanted:
                break
    return chosen if len(chosen) >= GLOSSARY_RUN[0] else []


def _record(
    page: Page,
    rendering: str,
    lines: Sequence[str],
    labels: Sequence[str],
    overlaps: Sequence[float],
    coverage: float,
    *,
    failed: bool = False,
) -> dict[str, Any]:
    first = rendering == "page"
    return {
        "id": f"{page.key}/{rendering}",
        "page": page.key,
        "dataset": page.dataset,
        "site": registered_domain(page.url),
        "page_type": page.page_type,
        "rendering": rendering,
        "synthetic": rendering.endswith(GLOSSARY_SUFFIX),
        "extraction_failed": failed,
        "text": "\n".join(lines),
        "labels": list(labels),
        "overlap": [round(x, 3) for x in overlaps],
        "gold_coverage": round(coverage, 3),
        "gold": page.gold if first else None,
        "with": page.with_snippets if first else None,
        "without": page.without_snippets if first else None,
    }


def page_records(
    page: Page, glossary: Mapping[str, Sequence[tuple[str, ...]]]
) -> list[dict[str, Any]]:
    """The corpus records of one page: its renderings, then their glossary copies (if drawn)."""
    html = gzip.decompress(page.html_path.read_bytes()).decode("utf-8", "replace")
    root = parse_html(html)
    rendered = render_tree(root)
    if page.url is None and root is not None:
        found = root.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
        page = replace(page, url=str(found[0]) if found else None)
    recall = _recall_lines(html)
    renderings = {"page": [r.text for r in rendered], "recall": recall or []}
    h1_lines = {i for i, r in enumerate(rendered) if r.tag == "h1"}
    headlines = headline_candidates(root, [rendered[i].text for i in sorted(h1_lines)], page.title)
    gold = GoldIndex(page.gold)
    run = _choose_glossary(page, gold, glossary)
    real, synthetic = [], []
    for name, lines in renderings.items():
        marks = label_lines(lines, gold)
        labels = [m.label for m in marks]
        demote_copies(lines, labels, gold)
        mark_headline(lines, labels, headlines, h1_lines if name == "page" else ())
        overlaps = [m.overlap for m in marks]
        failed = name == "recall" and recall is None
        coverage = gold.coverage(lines)
        real.append(_record(page, name, lines, labels, overlaps, coverage, failed=failed))
        if run and "content" in labels:
            at = len(labels) - labels[::-1].index("content")
            synthetic.append(
                _record(
                    page,
                    name + GLOSSARY_SUFFIX,
                    [*lines[:at], *run, *lines[at:]],
                    [*labels[:at], *["seo_filler"] * len(run), *labels[at:]],
                    [*overlaps[:at], *(gold.overlap(x) for x in run), *overlaps[at:]],
                    coverage,
                )
            )
    return real + synthetic


def write_corpus(records_per_page: Iterable[list[dict[str, Any]]], out: Path) -> Counter:
    """Write real records in page order, then synthetic ones; return counts for the summary."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    stats: Counter = Counter()
    synthetic: list[dict[str, Any]] = []
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as sink,
    ):

        def emit(record: dict[str, Any]) -> None:
            sink.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            _count(stats, record)

        for records in records_per_page:
            for record in records:
                (synthetic.append if record["synthetic"] else emit)(record)
        for record in synthetic:
            emit(record)
    os.replace(partial, out)
    return stats


def _count(stats: Counter, record: dict[str, Any]) -> None:
    group = (record["dataset"], record["rendering"])
    stats[(*group, "records")] += 1
    stats[(*group, "lines")] += len(record["labels"])
    stats[(*group, "empty")] += not record["labels"]
    stats[(*group, "failed")] += record["extraction_failed"]
    for label in record["labels"]:
        stats[(*group, label)] += 1


def summary(stats: Counter) -> str:
    """A markdown table of records, lines and label shares per data set and rendering."""
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (dataset, rendering, name), count in stats.items():
        groups[(dataset, rendering)][name] += count
        groups[("all", rendering)][name] += count
    rows = [
        "| dataset | rendering | records | empty (extractor failed) | lines "
        "| content | boilerplate | seo_filler |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (dataset, rendering), counts in sorted(
        groups.items(), key=lambda g: (g[0][0] == "all", g[0])
    ):
        lines = max(1, counts["lines"])
        shares = " | ".join(
            f"{counts[n] / lines:.1%}" for n in ("content", "boilerplate", "seo_filler")
        )
        rows.append(
            f"| {dataset} | {rendering} | {counts['records']} "
            f"| {counts['empty']} ({counts['failed']}) "
            f"| {counts['lines']} | {shares} |"
        )
    return "\n".join(rows)


def build(data_dir: Path, out: Path, jobs: int = 2, limit: int | None = None) -> Counter:
    """Build the corpus file from the data folder; return the counts of what was written."""
    pages, skipped = load_pages(data_dir)
    if limit is not None:
        pages = pages[:limit]
    if skipped:
        print(
            f"skipped {len(skipped)} pages without gold text: {', '.join(skipped)}", file=sys.stderr
        )
    glossary = load_glossary(data_dir)
    tasks = (delayed(page_records)(page, glossary) for page in pages)
    results = Parallel(n_jobs=jobs, return_as="generator")(tasks)
    progress = tqdm(results, total=len(pages), desc="pages", unit="page", file=sys.stderr)
    return write_corpus(progress, out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output .jsonl.gz")
    parser.add_argument("--jobs", type=int, default=2, help="parallel worker processes")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    missing = [d for d in ("scrapinghub", "wcxb-dev", "m4-llama2") if not (args.data / d).is_dir()]
    if missing:
        print(
            f"error: data folder {args.data} lacks {', '.join(missing)}; pass --data "
            "pointing at the shared data sets",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    stats = build(args.data, args.out, jobs=args.jobs, limit=args.limit)
    print(summary(stats))
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
