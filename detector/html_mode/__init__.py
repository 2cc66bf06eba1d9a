"""HTML mode: clean a web page from its DOM, with trafilatura's extraction as evidence.

Every text-bearing block element of the page is a candidate block that keeps
its XPath; a trained two-pass block classifier (features: text, DOM, class/id
cues, containers, the page's main text, and whether trafilatura kept the
block) gives each one a content probability, and the page keeps the most
probable blocks up to where the expected F-score of its words peaks
(:func:`decide`; ``favor`` weighs precision or recall).

    model = load_html_model()
    blocks, metadata, text = html_document(html, model)

``text`` is the kept blocks written with their shape (headings, list items,
table rows, code lines: :func:`detector.layout.render`); each block's ``start``
and ``end`` are its character span in that *output* ``text`` (dropped blocks
get an empty span at the place they would take), ``line_start``/``line_end``
its lines there (``None`` when dropped). Its place in the *input* is ``path``,
the XPath of the element that holds it in the parsed page, and
``source_start``/``source_end``, that element's character span in the decoded
HTML (``html[source_start:source_end]`` runs from its start tag to its end
tag, or to where it implicitly ends). Text that trafilatura extracted from
parts of the page the rendering does not show (hidden tabs, ``noscript``
copies) is added as content blocks with ``path`` and source span ``None``,
after the last kept block (not in precision mode).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.decisions import keep_expected_f
from detector.document import Block
from detector.html_mode.blocks import CUE_NAMES, DomBlock
from detector.html_mode.features import block_kind, block_sizes, page_features
from detector.html_mode.model import CLASSES, HtmlModel
from detector.html_mode.page import MAX_BLOCKS, analyse_page
from detector.layout import Layout
from detector.layout import render as render_layout
from detector.overlap import GoldIndex, N
from detector.tokens import ngram_words, tokens

__all__ = [
    "FAVORS",
    "LONG_ARTICLE_WORDS",
    "MODEL_NAME",
    "HtmlModel",
    "ClassifiedPage",
    "classify_blocks",
    "classify_page",
    "comment_blocks",
    "cut_page",
    "decide",
    "extraction_overlaps",
    "html_document",
    "load_html_model",
    "word_counts",
]

MODEL_NAME = "html"
FAVORS = ("balanced", "precision", "recall")
DEFAULT_BETAS = {"balanced": 0.8, "precision": 0.4, "recall": 1.6, "long": 1.0}
"""β of the expected F-score :func:`decide` maximises per mode (a model carries
tuned ones): below 1 favours precision, above 1 recall. ``long`` multiplies
the mode's β on a page whose likely article exceeds :data:`LONG_ARTICLE_WORDS`
words: losing part of a long article costs its reader more than a kept
sidebar of the same size, so the cut leans to recall there."""

LONG_ARTICLE_WORDS = 2_000
"""Expected content words (content probability times words, summed over the
page's blocks) above which a page is taken to hold a long article."""

RECOVER = True
"""Whether text that trafilatura extracted but the page rendering never shows
(hidden tabs, ``noscript`` copies) is added as content blocks without a path."""
_RECOVER_MIN_WORDS = 5
_WORD_CHAR = re.compile(r"\w")


def load_html_model(model_dir: str | os.PathLike[str] | None = None) -> HtmlModel:
    """The shipped HTML block classifier, verified (sha256) and loaded."""
    from detector.modelstore import load_arrays

    return HtmlModel.from_arrays(load_arrays(MODEL_NAME, model_dir=model_dir))


def classify_blocks(
    model: HtmlModel,
    blocks: Sequence[DomBlock],
    overlaps: Sequence[float],
    extraction_empty: bool,
    comment_overlaps: Sequence[float] | None = None,
) -> np.ndarray:
    """Class probabilities (columns ``CLASSES``) of one page's blocks (see
    :func:`~detector.html_mode.features.page_features` for the overlaps)."""
    sizes = block_sizes(blocks)
    matrix, groups = page_features(blocks, overlaps, extraction_empty, comment_overlaps, sizes)
    # The trees run in numpy (packed_trees), not in OpenMP threads: one page is a
    # few hundred rows, where threads only cost, and on a busy machine their
    # spin-waits made prediction 20 times slower.
    return model.predict_proba(matrix, [len(blocks)], groups, sizes)


def betas_of(model: Any) -> dict[str, float]:
    """The per-mode β and the long-article factor (see :func:`decide`) a model
    carries, else the defaults."""
    return {**DEFAULT_BETAS, **(getattr(model, "betas", None) or {})}


def word_counts(blocks: Sequence[DomBlock]) -> np.ndarray:
    """Words per block (at least 1), as token F1 counts them."""
    return np.array([max(1, len(tokens(b.text))) for b in blocks], dtype=np.float64)


def decide(
    proba: np.ndarray, beta: float, words: np.ndarray, long_factor: float = 1.0
) -> np.ndarray:
    """Which blocks are kept: :func:`detector.decisions.keep_expected_f` on the
    content column of ``proba`` (blocks of highest content probability, as many
    as maximise the expected F-score of their ``words``, weight ``beta`` on
    recall, times ``long_factor`` when the expected content words exceed
    :data:`LONG_ARTICLE_WORDS`). Never empty for a page with blocks."""
    content = proba[:, CLASSES.index("content")]
    if float(content @ words) > LONG_ARTICLE_WORDS:
        beta *= long_factor
    return keep_expected_f(content, words, beta)


@dataclass(slots=True)
class ClassifiedPage:
    """One page parsed, rendered into blocks and classified, before any cut:
    ``head`` the blocks classified (``proba``, columns ``CLASSES``), ``tail``
    those past ``MAX_BLOCKS``."""

    head: list[DomBlock]
    tail: list[DomBlock]
    proba: np.ndarray
    extracted: str | None
    metadata: dict[str, Any]
    places: list[tuple[int, int] | None] = field(default_factory=list)
    layouts: list[Layout] = field(default_factory=list)


def classify_page(
    html: str, model: Any, *, url: str | None = None, details: bool = True
) -> ClassifiedPage:
    """Parse, render and classify one HTML page (see :func:`html_document`)."""
    analysis = analyse_page(html, url, metadata=details, places=details)
    metadata = dict(analysis.metadata)
    metadata["extractor"] = "html-model"
    head, tail = analysis.blocks[:MAX_BLOCKS], analysis.blocks[MAX_BLOCKS:]
    if analysis.truncated or tail:
        metadata["truncated"] = True
    if not head:
        return ClassifiedPage([], [], np.zeros((0, len(CLASSES))), analysis.extracted, metadata)
    overlaps = extraction_overlaps(head, analysis.extracted)
    comments = extraction_overlaps(head, analysis.comments)
    proba = classify_blocks(model, head, overlaps, not analysis.extracted, comments)
    return ClassifiedPage(
        head, tail, proba, analysis.extracted, metadata, analysis.places, analysis.layouts
    )


def extraction_overlaps(blocks: Sequence[DomBlock], extracted: str | None) -> list[float]:
    """Per block, the share of its word 5-grams (whole clause if shorter) that an
    extraction holds; zeros without one."""
    if not extracted:
        return [0.0] * len(blocks)
    index = GoldIndex(extracted)
    return [index.overlap(b.text) for b in blocks]


def cut_page(
    page: ClassifiedPage,
    beta: float,
    *,
    long_factor: float = 1.0,
    recover: bool = RECOVER,
    include_comments: bool = False,
) -> tuple[list[Block], dict[str, Any], str]:
    """The labelled blocks, metadata and cleaned text of a classified page when
    :func:`decide` keeps its blocks with ``beta`` and ``long_factor``; ``recover`` adds the
    extractor's lines that no block holds; ``include_comments`` also keeps
    the comments (see :func:`comment_blocks`)."""
    if not page.head:
        return [], dict(page.metadata), ""
    keep = decide(page.proba, beta, word_counts(page.head), long_factor)
    if include_comments:
        keep |= comment_blocks(page.head)
    blocks = _blocks(page.head, page.proba, keep)
    tail = [
        Block(
            b.text,
            kind=block_kind(b.tag),
            path=b.path,
            label="boilerplate",
            p_content=0.0,
            p_boilerplate=1.0,
        )
        for b in page.tail
    ]
    for block, place, layout in zip(
        blocks + tail,
        page.places or [None] * (len(blocks) + len(tail)),
        page.layouts or [],
        strict=False,
    ):
        if place is not None:
            block.source_start, block.source_end = place
        block.layout = layout
    if recover and page.extracted:
        blocks = _with_recovered(blocks, page.extracted)
    blocks += tail
    text = _place(blocks)
    return blocks, dict(page.metadata), text


def html_document(
    html: str,
    model: Any,
    *,
    favor: str = "balanced",
    url: str | None = None,
    recover: bool = RECOVER,
    include_comments: bool = False,
    details: bool = True,
) -> tuple[list[Block], dict[str, Any], str]:
    """Clean one HTML page.

    Returns every candidate block (labelled, with XPath and span), the page's
    metadata (title, author, date, language, url, sitename where found) and
    the cleaned text the spans refer to. Readers' comments are boilerplate
    unless ``include_comments``. Without ``details``, the blocks have no place
    in the HTML source and the metadata only the extractor's name: the same
    blocks, labels and text, in seven eighths of the time.
    """
    if favor not in FAVORS:
        raise ValueError(f"favor must be one of {', '.join(FAVORS)}, not {favor!r}")
    page = classify_page(html, model, url=url, details=details)
    betas = betas_of(model)
    return cut_page(
        page,
        betas[favor],
        long_factor=betas["long"],
        recover=recover and favor != "precision",
        include_comments=include_comments,
    )


_COMMENT_BIT = 1 << CUE_NAMES.index("comment")
_COMMENT_MIN_WORDS = 4


def comment_blocks(blocks: Sequence[DomBlock]) -> np.ndarray:
    """Which blocks are readers' comments worth keeping: inside an element whose
    class, id or role names comments (its own, its two nearest block
    ancestors', or any further out), with some words that are mostly not link
    text (a comment, not a "Reply" button or the commenter's profile link)."""
    return np.array(
        [
            bool((b.cues | b.near | b.outer) & _COMMENT_BIT)
            and len(b.text.split()) >= _COMMENT_MIN_WORDS
            and b.link_chars < 0.5 * size
            for b, size in zip(blocks, block_sizes(blocks), strict=True)
        ],
        dtype=bool,
    )


def _with_recovered(blocks: list[Block], extracted: str) -> list[Block]:
    """The blocks, plus trafilatura's lines that no candidate block holds,
    placed after the last kept block before them (content, ``path`` None)."""
    page = "\n".join(b.text for b in blocks)
    candidates = []
    for raw in extracted.split("\n"):
        line = " ".join(raw.split()).removeprefix("- ")
        if len(line.split()) >= _RECOVER_MIN_WORDS:
            tokens = ngram_words(line)
            # a line of N or more words found whole on the page has all its n-grams there
            if len(tokens) < N or not _on_page(line, page):
                candidates.append((line, tokens))
    if not candidates:
        return blocks
    if any(len(tokens) < N for _, tokens in candidates):
        index = GoldIndex(page)
        held = [index.overlap(line) for line, _ in candidates]
    else:  # the share of a line's word 5-grams on the page, as GoldIndex.overlap counts it
        page_tokens = ngram_words(page)
        grams = {hash(tuple(page_tokens[i : i + N])) for i in range(len(page_tokens) - N + 1)}
        held = [
            sum(hash(tuple(t[i : i + N])) in grams for i in range(len(t) - N + 1))
            / (len(t) - N + 1)
            for _, t in candidates
        ]
    recovered = [
        Block(line, label="content", p_content=1.0, p_boilerplate=0.0)
        for (line, _), share in zip(candidates, held, strict=True)
        if share < 0.2
    ]
    if not recovered:
        return blocks
    last = max((i for i, b in enumerate(blocks) if b.label == "content"), default=len(blocks) - 1)
    return blocks[: last + 1] + recovered + blocks[last + 1 :]


def _on_page(line: str, page: str) -> bool:
    """Whether ``line`` occurs in ``page`` between word boundaries (so that its words
    are words of the page, in the same order)."""
    start = page.find(line)
    while start >= 0:
        end = start + len(line)
        if (start == 0 or not _WORD_CHAR.match(page, start - 1)) and not _WORD_CHAR.match(
            page, end
        ):
            return True
        start = page.find(line, start + 1)
    return False


def _blocks(dom: Sequence[DomBlock], proba: np.ndarray, keep: np.ndarray) -> list[Block]:
    out = []
    content, boiler, filler = (CLASSES.index(c) for c in ("content", "boilerplate", "seo_filler"))
    for b, row, kept in zip(dom, proba, keep, strict=True):
        label = "seo_filler" if row[filler] > row[boiler] else "boilerplate"
        if kept:
            label = "content"
        out.append(
            Block(
                b.text,
                kind=block_kind(b.tag),
                path=b.path,
                label=label,
                p_content=float(row[content]),
                p_boilerplate=float(row[boiler]),
                p_seo_filler=float(row[filler]),
            )
        )
    return out


def _place(blocks: list[Block]) -> str:
    """Set spans and line numbers of the blocks in the output text; return that text."""
    text, spans = render_layout(blocks, [b.label == "content" for b in blocks])
    offset = 0
    line = 1
    counted = 0  # text[:counted] has line - 1 line breaks
    for block, span in zip(blocks, spans, strict=True):
        if span is None:
            block.start = block.end = offset
            block.line_start = block.line_end = None
            continue
        block.start, block.end = span
        line += text.count("\n", counted, block.start)
        block.line_start = line
        line += text.count("\n", block.start, block.end)
        block.line_end = line
        counted = offset = block.end
    return text
