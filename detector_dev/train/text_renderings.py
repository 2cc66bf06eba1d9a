"""Renderings the cleaner corpus lacks, made at training time from its pages:
clean text and long documents.

- ``gold``: a page's gold text alone, every line content. Users also give the
  cleaner text that is already clean (a good extractor's output, a copied
  article); the corpus held none, and the model learned that a paragraph
  after an article's end is a glossary: short clean articles lost their last
  paragraph. Measured as its own rendering, this is the "clean text keeps
  its words" figure; its article pages of 2-8 lines are issue 18's "short
  clean articles" (``text.SHORT_ARTICLES``).
- ``long``: a ``page`` or ``recall`` rendering of an article whose article is
  lengthened, after its last content line, with the gold paragraphs of other
  articles, to 3,000-12,000 words. The corpus held few long articles, and the
  model learned that a document's second half is where the boilerplate lives.

Both are made per cross-validation fold from that fold's pages only (the
host, the donors), placed on that fold's test side and on every other fold's
training side, so no fold model sees text of the sites it is measured on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from detector_dev.corpus.cleaner_data import LabelledPage, labelled_blocks
from detector_dev.train.folds import with_synthetic

SEED = "cleaner/renderings/v1"
LONG_RANGE = (3_000, 12_000)
"""Range of a long rendering's article length, in words (drawn uniformly)."""
LONG_PER_FOLD = 40
_MIN_WORDS = 150


def _rendering(
    base: LabelledPage, key: str, name: str, lines: Sequence[tuple[str, str]], style: str
) -> LabelledPage:
    """A LabelledPage of ``lines`` (text, label) laid out in ``style``."""
    blocks, labels = labelled_blocks([t for t, _ in lines], [lab for _, lab in lines], None, style)
    return LabelledPage(
        id=key,
        page=base.page if name == "gold" else key,
        site=base.site,
        dataset=base.dataset,
        page_type=base.page_type,
        rendering=name,
        synthetic=True,
        blocks=blocks,
        labels=labels,
    )


def _gold_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _lines(page: LabelledPage) -> list[tuple[str, str]]:
    return [
        (line, label)
        for block, label in zip(page.blocks, page.labels, strict=True)
        for line in block.text.split("\n")
        if line.strip()
    ]


def _content_words(page: LabelledPage) -> int:
    return sum(
        len(b.text.split())
        for b, label in zip(page.blocks, page.labels, strict=True)
        if label == "content"
    )


def with_renderings(
    pages: Sequence[LabelledPage],
    gold: dict[str, str],
    folds: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[list[LabelledPage], dict[str, str], list[tuple[np.ndarray, np.ndarray]]]:
    """The renderings followed by the ``gold`` and ``long`` ones, the gold texts
    extended with those of the long ones, and the folds extended as the module
    docstring says."""
    out = list(pages)
    golds = dict(gold)
    extra_tests: list[list[int]] = []
    for k, (_, test) in enumerate(folds):
        rng = random.Random(f"{SEED}/{k}")
        made: list[int] = []
        seen: set[str] = set()
        for i in test:
            page = pages[i]
            if page.synthetic or page.page in seen or not gold.get(page.page):
                continue
            seen.add(page.page)
            lines = [(line, "content") for line in _gold_lines(gold[page.page])]
            if lines:
                made.append(len(out))
                style = rng.choice(("flat", "blank"))
                out.append(_rendering(page, f"gold/{page.page}", "gold", lines, style))
        hosts = [
            i
            for i in test
            if pages[i].rendering in ("page", "recall")
            and pages[i].page_type == "article"
            and _content_words(pages[i]) >= _MIN_WORDS
        ]
        donors = sorted({pages[i].page for i in hosts})
        for j in range(LONG_PER_FOLD if len(donors) > 3 else 0):
            host = pages[rng.choice(hosts)]
            target = rng.randint(*LONG_RANGE)
            lines = _lines(host)
            at = max(n for n, (_, label) in enumerate(lines) if label == "content") + 1
            inserted: list[tuple[str, str]] = []
            words = _content_words(host)
            texts = [gold.get(host.page, "")]
            for donor in rng.sample(donors, len(donors)):
                if donor == host.page or words >= target:
                    continue
                paragraphs = _gold_lines(gold[donor])
                inserted += [(p, "content") for p in paragraphs]
                words += sum(len(p.split()) for p in paragraphs)
                texts.append("\n".join(paragraphs))
            key = f"long/{k}/{j}"
            style = rng.choice(("flat", "blank"))
            made.append(len(out))
            out.append(_rendering(host, key, "long", lines[:at] + inserted + lines[at:], style))
            golds[key] = "\n".join(texts)
        extra_tests.append(made)
    return out, golds, with_synthetic(folds, extra_tests, measured=True)
