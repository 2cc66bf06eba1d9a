"""HTML mode: clean a web page from its DOM, with trafilatura's extraction as evidence.

Every text-bearing block element of the page is a candidate block that keeps
its XPath; a trained two-pass block classifier (features: text, DOM, class/id
cues, containers, and whether trafilatura kept the block) labels each one.

    model = load_html_model()
    blocks, metadata, text = html_document(html, model)

``text`` is the kept blocks joined by blank lines; each block's ``start`` and
``end`` are its character span in ``text`` (dropped blocks get an empty span
at the place they would take), ``line_start``/``line_end`` its lines there
(``None`` when dropped) and ``path`` its XPath in the parsed page. Text that
trafilatura extracted from parts of the page the rendering does not show
(hidden tabs, ``noscript`` copies) is added as content blocks with ``path``
``None``, after the last kept block (not in precision mode).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from detector.document import Block
from detector.html_mode.blocks import DomBlock
from detector.html_mode.features import block_kind, page_features
from detector.html_mode.model import CLASSES, HtmlBlockClassifier
from detector.html_mode.page import MAX_BLOCKS, analyse_page

__all__ = [
    "FAVORS",
    "MODEL_NAME",
    "TRUSTED_TYPES",
    "HtmlBlockClassifier",
    "classify_blocks",
    "decide",
    "html_document",
    "load_html_model",
]

MODEL_NAME = "html"
FAVORS = ("balanced", "precision", "recall")
DEFAULT_THRESHOLDS = {"balanced": 0.5, "precision": 0.65, "recall": 0.35}
"""Least content probability of a kept block per mode (a model may carry tuned ones)."""

TRUSTED_TYPES = [
    "detector.html_mode.model.HtmlBlockClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.link.MultinomialLogit",
    "sklearn._loss.loss.HalfMultinomialLoss",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "numpy.dtype",
]
"""Every type an HTML model file may hold; loading refuses anything else."""

RECOVER = True
"""Whether text that trafilatura extracted but the page rendering never shows
(hidden tabs, ``noscript`` copies) is added as content blocks without a path."""
_RECOVER_MIN_WORDS = 5


def load_html_model(model_dir: str | os.PathLike[str] | None = None) -> HtmlBlockClassifier:
    """The shipped HTML block classifier, verified (sha256, types) and loaded."""
    from detector.modelstore import load_model

    return load_model(MODEL_NAME, TRUSTED_TYPES, model_dir=model_dir)


def block_sizes(blocks: Sequence[DomBlock]) -> np.ndarray:
    """Pooling weight of each block: its number of non-space characters."""
    return np.array([max(1, len("".join(b.text.split()))) for b in blocks], dtype=np.float64)


def classify_blocks(
    model: HtmlBlockClassifier,
    blocks: Sequence[DomBlock],
    overlaps: Sequence[float],
    extraction_empty: bool,
) -> np.ndarray:
    """Class probabilities (columns ``CLASSES``) of one page's blocks."""
    matrix, groups = page_features(blocks, overlaps, extraction_empty)
    # One page is a few hundred rows: OpenMP threads only cost here, and on a busy
    # machine their spin-waits make prediction 20 times slower.
    with _one_thread():
        return model.predict_proba(matrix, [len(blocks)], groups, block_sizes(blocks))


@functools.lru_cache(maxsize=1)
def _controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_thread() -> Any:
    """A context that limits OpenMP to one thread."""
    return _controller().limit(limits=1, user_api="openmp")


def thresholds_of(model: Any) -> dict[str, float]:
    """The per-mode content thresholds a model carries, else the defaults."""
    return {**DEFAULT_THRESHOLDS, **(getattr(model, "thresholds_", None) or {})}


def decide(proba: np.ndarray, threshold: float, sizes: Sequence[float] | None = None) -> np.ndarray:
    """Which blocks are kept: content probability at least ``threshold``.

    Never empty when the page has text: if no block passes, the blocks within
    reach of the best one (probability at least half of its) are kept.
    """
    if len(proba) == 0:
        return np.zeros(0, dtype=bool)
    content = proba[:, CLASSES.index("content")]
    keep = content >= threshold
    if not keep.any():
        keep = content >= max(0.5 * float(content.max()), 0.05)
        if not keep.any():
            keep[int(np.argmax(content))] = True
    return keep


def html_document(
    html: str,
    model: Any,
    *,
    favor: str = "balanced",
    url: str | None = None,
    recover: bool = RECOVER,
) -> tuple[list[Block], dict[str, Any], str]:
    """Clean one HTML page.

    Returns every candidate block (labelled, with XPath and span), the page's
    metadata (title, author, date, language, url, sitename where found) and
    the cleaned text the spans refer to.
    """
    if favor not in FAVORS:
        raise ValueError(f"favor must be one of {', '.join(FAVORS)}, not {favor!r}")
    analysis = analyse_page(html, url)
    metadata = dict(analysis.metadata)
    metadata["extractor"] = "html-model"
    dom = analysis.blocks
    head, tail = dom[:MAX_BLOCKS], dom[MAX_BLOCKS:]
    if analysis.truncated or tail:
        metadata["truncated"] = True
    if not head:
        return [], metadata, ""
    from detector.corpus.labeling import GoldIndex

    if analysis.extracted:
        index = GoldIndex(analysis.extracted)
        overlaps = [index.overlap(b.text) for b in head]
    else:
        overlaps = [0.0] * len(head)
    proba = classify_blocks(model, head, overlaps, not analysis.extracted)
    keep = decide(proba, thresholds_of(model)[favor])
    blocks = _blocks(head, proba, keep)
    if recover and analysis.extracted and favor != "precision":
        blocks = _with_recovered(blocks, analysis.extracted)
    blocks += [
        Block(
            b.text,
            kind=block_kind(b.tag),
            path=b.path,
            label="boilerplate",
            p_content=0.0,
            p_boilerplate=1.0,
        )
        for b in tail
    ]
    text = _place(blocks)
    return blocks, metadata, text


def _with_recovered(blocks: list[Block], extracted: str) -> list[Block]:
    """The blocks, plus trafilatura's lines that no candidate block holds,
    placed after the last kept block before them (content, ``path`` None)."""
    from detector.corpus.labeling import GoldIndex

    index = GoldIndex("\n".join(b.text for b in blocks))
    recovered = []
    for raw in extracted.split("\n"):
        line = " ".join(raw.split()).removeprefix("- ")
        if len(line.split()) >= _RECOVER_MIN_WORDS and index.overlap(line) < 0.2:
            recovered.append(Block(line, label="content", p_content=1.0, p_boilerplate=0.0))
    if not recovered:
        return blocks
    last = max((i for i, b in enumerate(blocks) if b.label == "content"), default=len(blocks) - 1)
    return blocks[: last + 1] + recovered + blocks[last + 1 :]


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
    parts: list[str] = []
    offset = 0
    line = 1
    for block in blocks:
        if block.label != "content":
            block.start = block.end = offset
            block.line_start = block.line_end = None
            continue
        if parts:
            parts.append("\n\n")
            offset += 2
            line += 2
        block.start = offset
        block.end = offset + len(block.text)
        block.line_start = line
        line += block.text.count("\n")
        block.line_end = line
        parts.append(block.text)
        offset = block.end
    return "".join(parts)
