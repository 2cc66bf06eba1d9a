"""Build the HTML-mode training corpus (``corpus/html.jsonl.gz``) from the raw pages.

For every page of Scrapinghub and WCXB (dev) with a gold text: the candidate
blocks of :func:`detector.html_mode.page.analyse_page` (text, XPath, tag, link
text, class/id cues), the share of each block's word 5-grams found in
trafilatura's extraction of the page (its fast setting, as HTML mode runs
it), and a label per block from the gold text (word 5-gram overlap, surplus
copies demoted; see :mod:`detector_dev.corpus.labeling`).
No HTML is stored. The gold text and WCXB's
snippets are kept for evaluation.

    python -m detector_dev.corpus.html --data ../shared/data --out corpus/html.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from joblib import Parallel, delayed
from tqdm import tqdm

from detector.html_mode import extraction_overlaps
from detector.html_mode.page import analyse_page
from detector_dev.corpus.cleaner import Page, load_pages, registered_domain
from detector_dev.corpus.labeling import GoldIndex, demote_copies, label_lines
from detector_dev.paths import CORPUS_DIR, DATA

DEFAULT_DATA = DATA
DEFAULT_OUT = CORPUS_DIR / "html.jsonl.gz"
FORMAT_VERSION = 2
"""2: blocks carry their overlap with trafilatura's comments (``comment_overlap``)."""


def read_html(page: Page) -> str:
    """The decoded HTML of a data-set page."""
    return gzip.decompress(page.html_path.read_bytes()).decode("utf-8", "replace")


def block_labels(texts: Sequence[str], gold: str) -> tuple[list[str], list[float]]:
    """Gold labels (content/boilerplate) and raw overlaps of a page's block texts."""
    index = GoldIndex(gold)
    marks = label_lines(texts, index)
    labels = [m.label for m in marks]
    demote_copies(texts, labels, index)
    return labels, [m.overlap for m in marks]


def page_record(page: Page) -> dict[str, Any]:
    """The corpus record of one page."""
    html = read_html(page)
    analysis = analyse_page(html, page.url, metadata=False)
    texts = [b.text for b in analysis.blocks]
    labels, overlaps = block_labels(texts, page.gold)
    traf = extraction_overlaps(analysis.blocks, analysis.extracted)
    comments = extraction_overlaps(analysis.blocks, analysis.comments)
    url = page.url
    if url is None:
        root_meta = analyse_page(html, None, extractor=False).metadata
        url = root_meta.get("url")
    return {
        "page": page.key,
        "dataset": page.dataset,
        "site": registered_domain(url) or page.key,
        "page_type": page.page_type,
        "url": url,
        "extraction_empty": not analysis.extracted,
        "blocks": [
            [*b.to_list(), round(t, 3), lab, round(o, 3), round(c, 3)]
            for b, t, lab, o, c in zip(
                analysis.blocks, traf, labels, overlaps, comments, strict=True
            )
        ],
        "gold": page.gold,
        "with": page.with_snippets,
        "without": page.without_snippets,
    }


def build(data_dir: Path, out: Path, jobs: int = 2, limit: int | None = None) -> int:
    """Write the corpus; returns the number of pages."""
    pages, skipped = load_pages(data_dir)
    if limit is not None:
        pages = pages[:limit]
    if skipped:
        print(f"skipped {len(skipped)} pages without gold text", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    results = Parallel(n_jobs=jobs, return_as="generator")(delayed(page_record)(p) for p in pages)
    with (
        partial.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as sink,
    ):
        header = {"format": FORMAT_VERSION, "fields": BLOCK_FIELDS}
        sink.write((json.dumps(header) + "\n").encode("utf-8"))
        for record in tqdm(results, total=len(pages), desc="pages", file=sys.stderr):
            sink.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    os.replace(partial, out)
    return len(pages)


BLOCK_FIELDS = [
    "text",
    "path",
    "tag",
    "link_chars",
    "cues",
    "near",
    "outer",
    "extractor_overlap",
    "label",
    "gold_overlap",
    "comment_overlap",
]
"""Meaning of the items of each row of a record's ``blocks``."""


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    missing = [d for d in ("scrapinghub", "wcxb-dev") if not (args.data / d).is_dir()]
    if missing:
        print(f"error: {args.data} lacks {', '.join(missing)}; pass --data", file=sys.stderr)
        return 2
    started = time.monotonic()
    n = build(args.data, args.out, jobs=args.jobs, limit=args.limit)
    size = args.out.stat().st_size / 1e6
    print(f"wrote {n} pages to {args.out} ({size:.1f} MB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
