"""Synthetic long pages for the HTML block classifier: real article, forum and
documentation pages whose main text is lengthened with the content blocks of
other real pages of the same type.

The corpus holds few articles longer than a few thousand words, and a model
trained on it learned that a page's second half is where the boilerplate
lives: on a 10,000-word page built this way the shipped model kept 43% of the
article, the first third far more than the last. Each synthetic page keeps its
host's blocks and boilerplate as they were and inserts, after the host's last
content block and inside the same container, the content blocks of other
pages of its type from the same cross-validation fold, until its main text
holds 3,000 to 12,000 words (a forum thread gets more posts, a manual more
sections). Labels are derived as for the real pages (the inserted
blocks are content). Donors and host always come from one fold, so a fold
model is never trained on text from the sites it is measured on; the
synthetic pages are training rows only, never measured.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from detector.html_mode.blocks import DomBlock
from detector_dev.train.folds import with_synthetic

if TYPE_CHECKING:  # train.html imports this module
    from detector_dev.train.html import CorpusPage

SEED = "html-mode/long-pages/v1"
WORDS = (3_000, 12_000)
"""Range of the article length of a synthetic page, in words (drawn uniformly)."""
PER_FOLD = 40
"""Synthetic pages made from each fold's pages."""
_MIN_HOST_WORDS = 150


def _content(page: CorpusPage) -> list[int]:
    return [i for i, label in enumerate(page.labels) if label == "content"]


def _words(page: CorpusPage, rows: Sequence[int]) -> int:
    return sum(len(page.blocks[i].text.split()) for i in rows)


LONG_TYPES = ("article", "forum", "documentation")
"""Page types that run long in the wild (a long read, a long thread, a long
manual page); a synthetic page takes its donors from its host's type."""


def is_host(page: CorpusPage) -> bool:
    """Whether a page can host or donate: a page of ``LONG_TYPES`` with some
    running text."""
    return page.page_type in LONG_TYPES and _words(page, _content(page)) >= _MIN_HOST_WORDS


def long_page(host: CorpusPage, donors: Sequence[CorpusPage], words: int, name: str) -> CorpusPage:
    """``host`` with the content blocks of ``donors`` (in turn) inserted after
    its last content block until its article holds at least ``words`` words."""
    rows = _content(host)
    last = host.blocks[rows[-1]]
    parent = last.path.rsplit("/", 1)[0]
    total = _words(host, rows)
    inserted: list[DomBlock] = []
    overlaps: list[float] = []
    comments: list[float] = []
    texts: list[str] = []
    for donor in donors:
        for i in _content(donor):
            block = donor.blocks[i]
            position = len(inserted) + 1000  # past any index the host's parent uses
            inserted.append(
                replace(
                    block,
                    path=f"{parent}/{block.tag}[{position}]",
                    near=last.near,
                    outer=last.outer,
                )
            )
            overlaps.append(donor.overlaps[i])
            comments.append(donor.comment_overlaps[i])
            texts.append(block.text)
            total += len(block.text.split())
        if total >= words:
            break
    at = rows[-1] + 1
    return replace(
        host,
        page=name,
        dataset="synthetic",
        site=host.site,
        page_type="long",
        blocks=host.blocks[:at] + inserted + host.blocks[at:],
        overlaps=host.overlaps[:at] + overlaps + host.overlaps[at:],
        comment_overlaps=host.comment_overlaps[:at] + comments + host.comment_overlaps[at:],
        extraction_empty=host.extraction_empty,
        labels=host.labels[:at] + ["content"] * len(inserted) + host.labels[at:],
        gold="\n\n".join([host.gold, *texts]),
        with_snippets=None,
        without_snippets=None,
    )


def with_long_pages(
    pages: Sequence[CorpusPage], folds: Sequence[tuple[np.ndarray, np.ndarray]]
) -> tuple[list[CorpusPage], list[tuple[np.ndarray, np.ndarray]]]:
    """The pages followed by :data:`PER_FOLD` synthetic long pages per fold, and
    the folds with each fold's training side extended by the synthetic pages
    made from the other folds' pages (test sides unchanged: real pages only)."""
    out = list(pages)
    made: list[list[int]] = []
    for k, (_, test) in enumerate(folds):
        hosts = [i for i in test if is_host(pages[i])]
        rng = random.Random(f"{SEED}/{k}")
        ids = []
        for j in range(PER_FOLD if len(hosts) > 3 else 0):
            host = rng.choice(hosts)
            kind = pages[host].page_type
            others = [i for i in hosts if i != host and pages[i].page_type == kind]
            if not others:
                continue
            donors = [pages[i] for i in rng.sample(others, len(others))]
            words = rng.randint(*WORDS)
            ids.append(len(out))
            out.append(long_page(pages[host], donors, words, f"long/{k}/{j}"))
        made.append(ids)
    return out, with_synthetic(list(folds), made, measured=False)
