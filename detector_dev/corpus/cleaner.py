"""Build the training corpus of the text-mode block classifier (the cleaner).

Every page of Scrapinghub and WCXB (dev) is rendered twice, as its whole
visible text ("page") and as trafilatura's recall-oriented extraction
("recall"); each line is labelled content or boilerplate by word 5-gram overlap
with the page's gold main text plus the copy and headline conventions (see
:mod:`detector_dev.corpus.labeling`). Page renderings also record where a
markdown-style scraper would leave blank lines (``breaks``).

Two kinds of synthetic copies teach what scrapers leave after an article, each
for a seeded ~30% of the pages and both renderings: ``+glossary`` inserts a run
of definitional sentences ("X is a ...", "X refers to ...") from Wikipedia
leads and L2R texts after the last content line, labelled ``seo_filler``;
``+teaser`` inserts one to three teaser cards (headline and lead sentence of an
article from another site) there, labelled ``boilerplate``.

Run ``python -m detector_dev.corpus.cleaner --data ../shared/data --out
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

from detector.html_mode.render import parse_html, render_tree
from detector_dev.corpus.labeling import (
    GoldIndex,
    demote_copies,
    label_lines,
    mark_bylines,
    mark_headline,
    tokenize,
)
from detector_dev.paths import CORPUS_DIR, DATA

DEFAULT_DATA = DATA
DEFAULT_OUT = CORPUS_DIR / "cleaner.jsonl.gz"

GLOSSARY_SUFFIX = "+glossary"
GLOSSARY_SHARE = 0.3
GLOSSARY_RUN = (2, 5)
GLOSSARY_SEED = "cleaner-corpus/glossary/v2"
GLOSSARY_SOURCES = {
    "en": "m4-llama2/test_wikipedia_llama2.jsonl",
    "de": "m4-llama2/test_germanwikipedia_llama2.jsonl",
}
GLOSSARY_L2R = "l2r"
"""English definitional sentences also come from every L2R domain (human and
machine texts; ``TravelTourism`` duplicates ``TechnicalWriting`` and is skipped)."""
REPHRASE_SHARE = 0.4
"""Share of English glossary entries whose copula is turned into "refers to"."""
GLOSSARY_RELATED_SHARE = 0.7
"""Share of glossary runs made of the entries closest in vocabulary to the page
(keyword glossaries, as SEO pages use them); the others define unrelated terms.
Mostly related runs keep topic drift from standing in for the definition form."""
GLOSSARY_CLOSEST = 40
"""A related run draws from this many entries sharing the most longer words with the gold."""
AFTER_FOOTER_SHARE = 0.5
"""Share of inserted runs placed after the one or two lines that follow the
article's last content line (a credit, tags, share buttons), when there are
such lines, instead of right after the last content line."""
TEASER_SUFFIX = "+teaser"
TEASER_SHARE = 0.3
TEASER_CARDS = (1, 3)
TEASER_SEED = "cleaner-corpus/teaser/v1"
SYNTHETIC_SUFFIXES = (GLOSSARY_SUFFIX, TEASER_SUFFIX)
PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 blockquote pre".split())
"""Elements a markdown-style scraper surrounds with blank lines."""
ITEM_TAGS = frozenset("li tr dt dd".split())
"""Elements it keeps together (list items, table rows), with blank lines around the run."""


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
# "<subject of at most six words> refers to / is a <noun> that ...", optionally after
# "In <field>, ": the shape of a definition, not of any "X is a Y" statement.
_SUBJECT_DEFINITION = re.compile(
    r"^(?:In (?!fact|addition|short|general|particular|turn|this|that|other)[a-z][\w-]*"
    r"(?: [a-z][\w-]*){0,2}, )?(?P<subject>(?:An? |The )?[\w'’-]+(?: [\w'’-]+){0,5})"
    r" (?:refers to|is defined as|denotes|is an? (?:[\w'’-]+ ){1,10}?"
    r"(?:that|which|where|whose|of|used|in which|for|by which))\b"
)
_NOT_SUBJECT = _words(
    """he she it this that these those we they you your our my his her its their there here
    when for if as while although because what which who one some many most all each such
    i me him them us so but and or then now today yesterday"""
)
_COPULA = re.compile(r" is (an?|the) ")
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
    """Definitional sentences per language, one or two per entry: the lead of
    each Wikipedia article (human and machine-written) whose first sentence
    defines its subject ("X is a ..."), and, for English, every sentence of an
    L2R text that opens by defining a short subject, with the sentence after it."""
    pool: dict[str, list[tuple[str, ...]]] = {}
    for lang, relative in GLOSSARY_SOURCES.items():
        entries = []
        with (data_dir / relative).open(encoding="utf-8") as handle:
            for row in handle:
                item = json.loads(row)
                for side in ("human_text", "machine_text"):
                    lead = (item.get(side) or "").strip().split("\n", 1)[0]
                    sentences = [_clean_sentence(s) for s in _sentences(lead)[:2]]
                    if not sentences or not _usable(sentences[0]):
                        continue
                    if _DEFINITION[lang].search(" ".join(sentences[0].split()[:15])):
                        entries.append(tuple(s for s in sentences[:2] if _usable(s)))
        pool[lang] = entries
    pool["en"] += _l2r_definitions(data_dir / GLOSSARY_L2R)
    return pool


def _l2r_definitions(folder: Path) -> list[tuple[str, ...]]:
    entries = []
    for path in sorted(folder.glob("*/*.json")):
        if path.parent.name == "TravelTourism":
            continue
        for text in json.loads(path.read_text(encoding="utf-8")):
            flat = " ".join(str(text).replace("**", "").split())
            sentences = [_clean_sentence(s) for s in _sentences(flat)]
            for i, sentence in enumerate(sentences):
                match = _SUBJECT_DEFINITION.match(sentence)
                if match and _usable(sentence) and _is_subject(match.group("subject")):
                    follow = sentences[i + 1 : i + 2]
                    entries.append((sentence, *(f for f in follow if _usable(f))))
    return entries


def _is_subject(phrase: str) -> bool:
    """Whether a phrase can be the term a glossary defines: no pronoun or clause
    opener first, no capitalised word after the first (a name, not a term)."""
    first, *rest = phrase.removeprefix("A ").removeprefix("An ").removeprefix("The ").split()
    return first.lower() not in _NOT_SUBJECT and not any(w[:1].isupper() for w in rest)


def _rephrased(entry: tuple[str, ...]) -> tuple[str, ...]:
    """The entry with its first copula turned into "refers to" (English glossary style)."""
    first, *rest = entry
    match = _COPULA.search(first)
    if match is None or match.start() > 60:
        return entry
    return (f"{first[: match.start()]} refers to {match.group(1)} {first[match.end() :]}", *rest)


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


def _topical(text: str) -> set[str]:
    return {t for t in tokenize(text) if len(t) > 3 and not t.isdigit()}


def _choose_glossary(
    page: Page, gold: GoldIndex, pool: Mapping[str, Sequence[tuple[str, ...]]]
) -> list[str]:
    """The glossary run for a page: empty unless the page is drawn and a pool fits it.

    Most runs (``GLOSSARY_RELATED_SHARE``) define terms close to the article in
    vocabulary: drawn from the entries sharing the most longer words with its
    gold (keyword glossaries); the others define terms that share none. No
    line repeats a gold sentence.
    """
    rng = random.Random(f"{GLOSSARY_SEED}/{page.key}")
    if rng.random() >= GLOSSARY_SHARE:
        return []
    wanted = rng.randint(*GLOSSARY_RUN)
    lang = language(tokenize(page.gold)) or ""
    related = rng.random() < GLOSSARY_RELATED_SHARE
    candidates = []
    for entry in pool.get(lang, ()):
        if lang == "en" and rng.random() < REPHRASE_SHARE:
            entry = _rephrased(entry)
        line = " ".join(entry[: rng.choice((1, 2))])
        topical = _topical(line)
        shared = len(topical & gold.tokens)
        if topical and bool(shared) == related and gold.overlap(line) < 0.2:
            candidates.append((shared / (1 + len(topical)), line))
    if related:
        candidates = sorted(candidates, key=lambda c: -c[0])[:GLOSSARY_CLOSEST]
    chosen = [line for _, line in rng.sample(candidates, min(wanted, len(candidates)))]
    return chosen if len(chosen) >= GLOSSARY_RUN[0] else []


@dataclass(frozen=True, slots=True)
class Teaser:
    """A teaser card for another site's article: its headline and lead sentence."""

    site: str | None
    headline: str
    lead: str
    words: frozenset[str]


def load_teasers(pages: Sequence[Page]) -> list[Teaser]:
    """Teaser cards from the WCXB articles with an annotated title: the title and
    the first one or two sentences of the first gold paragraph of 15+ words."""
    out = []
    for page in pages:
        if page.dataset != "wcxb" or page.page_type != "article" or not page.title:
            continue
        headline = " ".join(page.title.split())
        for paragraph in page.gold.split("\n"):
            words = paragraph.split()
            if len(words) >= 15 and " ".join(words) != headline:
                sentences = _sentences(" ".join(words))
                lead = " ".join(sentences[:2]) if len(sentences[0]) < 90 else sentences[0]
                if len(lead) <= 400 and 2 <= len(headline.split()) <= 20:
                    words = frozenset(_topical(f"{headline} {lead}"))
                    out.append(Teaser(registered_domain(page.url), headline, lead, words))
                break
    return out


def _choose_teasers(page: Page, gold: GoldIndex, pool: Sequence[Teaser]) -> list[list[str]]:
    """Teaser cards for a page (each a headline, mostly with its lead), or none.

    Like "related stories" widgets, 60% of the draws take cards from the
    articles closest in vocabulary to the page (the 30 sharing the most longer
    words with its gold), the others from any article; never the page's own site.
    """
    rng = random.Random(f"{TEASER_SEED}/{page.key}")
    if rng.random() >= TEASER_SHARE or not pool:
        return []
    site = registered_domain(page.url)
    wanted = rng.randint(*TEASER_CARDS)
    others = [t for t in pool if t.site != site]
    if rng.random() < 0.6:
        others = sorted(others, key=lambda t: -len(t.words & gold.tokens) / (1 + len(t.words)))
        others = others[:30]
    cards: list[list[str]] = []
    for index in rng.sample(range(len(others)), min(len(others), 50)):
        teaser = others[index]
        if gold.overlap(teaser.lead) > 0.2:
            continue
        cards.append([teaser.headline] + ([teaser.lead] if rng.random() < 0.8 else []))
        if len(cards) == wanted:
            break
    return cards


def tag_breaks(tags: Sequence[str]) -> list[int]:
    """For each rendered line, 1 if a markdown-style scraper leaves a blank line before it:
    around paragraphs and headings, and around runs of list items or table rows;
    lines of other elements (``div`` text, captions, links) follow on the next line."""
    out = []
    for i, tag in enumerate(tags):
        previous = tags[i - 1] if i else ""
        out.append(
            int(
                i > 0
                and (
                    tag in PARAGRAPH_TAGS
                    or previous in PARAGRAPH_TAGS
                    or (tag in ITEM_TAGS) != (previous in ITEM_TAGS)
                )
            )
        )
    return out


def _record(
    page: Page,
    rendering: str,
    lines: Sequence[str],
    labels: Sequence[str],
    overlaps: Sequence[float],
    coverage: float,
    *,
    breaks: Sequence[int] | None = None,
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
        "synthetic": rendering.endswith(SYNTHETIC_SUFFIXES),
        "extraction_failed": failed,
        "text": "\n".join(lines),
        "labels": list(labels),
        "breaks": None if breaks is None else list(breaks),
        "overlap": [round(x, 3) for x in overlaps],
        "gold_coverage": round(coverage, 3),
        "gold": page.gold if first else None,
        "with": page.with_snippets if first else None,
        "without": page.without_snippets if first else None,
    }


def page_records(
    page: Page,
    glossary: Mapping[str, Sequence[tuple[str, ...]]],
    teasers: Sequence[Teaser] = (),
) -> list[dict[str, Any]]:
    """The corpus records of one page: its renderings, then their synthetic copies (if drawn)."""
    html = gzip.decompress(page.html_path.read_bytes()).decode("utf-8", "replace")
    root = parse_html(html)
    rendered = render_tree(root)
    if page.url is None and root is not None:
        found = root.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
        page = replace(page, url=str(found[0]) if found else None)
    recall = _recall_lines(html)
    renderings = {"page": [r.text for r in rendered], "recall": recall or []}
    page_breaks = tag_breaks([r.tag for r in rendered])
    h1_lines = {i for i, r in enumerate(rendered) if r.tag == "h1"}
    headlines = headline_candidates(root, [rendered[i].text for i in sorted(h1_lines)], page.title)
    gold = GoldIndex(page.gold)
    glossary_run = _choose_glossary(page, gold, glossary)
    runs = {
        GLOSSARY_SUFFIX: ("seo_filler", [glossary_run] if glossary_run else []),
        TEASER_SUFFIX: ("boilerplate", _choose_teasers(page, gold, teasers)),
    }
    layout = random.Random(f"{TEASER_SEED}/layout/{page.key}")
    real, synthetic = [], []
    for name, lines in renderings.items():
        marks = label_lines(lines, gold)
        labels = [m.label for m in marks]
        demote_copies(lines, labels, gold)
        mark_headline(lines, labels, headlines, h1_lines if name == "page" else ())
        mark_bylines(lines, labels)
        overlaps = [m.overlap for m in marks]
        failed = name == "recall" and recall is None
        coverage = gold.coverage(lines)
        breaks = page_breaks if name == "page" else None
        real.append(
            _record(page, name, lines, labels, overlaps, coverage, breaks=breaks, failed=failed)
        )
        if "content" not in labels:
            continue
        last = len(labels) - labels[::-1].index("content")
        for suffix, (label, groups) in runs.items():
            if not groups:
                continue
            footer = layout.randint(1, 2) if layout.random() < AFTER_FOOTER_SHARE else 0
            at = min(last + footer, len(labels))
            added = [line for group in groups for line in group]
            separate = layout.random() < 0.5
            added_breaks = [int(separate or j == 0) for group in groups for j in range(len(group))]
            synthetic.append(
                _record(
                    page,
                    name + suffix,
                    [*lines[:at], *added, *lines[at:]],
                    [*labels[:at], *[label] * len(added), *labels[at:]],
                    [*overlaps[:at], *(gold.overlap(x) for x in added), *overlaps[at:]],
                    coverage,
                    breaks=None if breaks is None else [*breaks[:at], *added_breaks, *breaks[at:]],
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
    teasers = load_teasers(pages)
    tasks = (delayed(page_records)(page, glossary, teasers) for page in pages)
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
    needed = ("scrapinghub", "wcxb-dev", "m4-llama2", GLOSSARY_L2R)
    missing = [d for d in needed if not (args.data / d).is_dir()]
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
