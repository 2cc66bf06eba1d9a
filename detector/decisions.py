"""From the cleaner's probabilities to block labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.boosting import CLASSES
from detector.document import Block
from detector.language import DocumentWords, document_words

BETAS = {"balanced": 1.0, "precision": 0.5, "recall": 2.0}
"""β of the expected F-score that :func:`keep_expected_f` maximises, per
``--precision`` / ``--recall`` mode: below 1 favours precision, above 1 recall.
The balanced value is the one that maximised token F1 on the cleaner's
site-grouped out-of-fold probabilities (``python -m detector_dev.train.text``
prints the table for each)."""

_BOILERPLATE, _CONTENT, _SEO = (CLASSES.index(c) for c in ("boilerplate", "content", "seo_filler"))


def keep_expected_f(content: np.ndarray, words: np.ndarray, beta: float) -> np.ndarray:
    """Which blocks to keep: those with the highest content probability, as many
    as maximise the expected F-score (weight ``beta`` on recall) of the kept
    words, taking each probability as the chance that the block's ``words``
    belong to the article.

    The cut adapts to the document: where the model is sure of a few blocks it
    stops where their probability falls, where content is spread thin it
    reaches lower. Never empty for a document with blocks.
    """
    if len(content) == 0:
        return np.zeros(0, dtype=bool)
    content = np.asarray(content, dtype=np.float64)
    order = np.argsort(-content, kind="stable")
    expected = content * words
    b2 = beta * beta
    score = (1 + b2) * np.cumsum(expected[order]) / (np.cumsum(words[order]) + b2 * expected.sum())
    keep = np.zeros(len(content), dtype=bool)
    keep[order[: int(np.argmax(score)) + 1]] = True
    return keep


def word_counts(blocks: Sequence[Block], words: DocumentWords | None = None) -> np.ndarray:
    """Words per block (at least 1), as token F1 counts them; ``words`` may pass
    ``document_words`` of the blocks' texts."""
    if words is None:
        words = document_words([b.text for b in blocks])
    return np.maximum(words.runs, 1).astype(np.float64)


def apply_labels(
    blocks: list[Block],
    proba: np.ndarray,
    *,
    favor: str = "balanced",
    words: DocumentWords | None = None,
) -> None:
    """Copy class probabilities onto blocks and label them: the blocks
    :func:`keep_expected_f` keeps (β by ``favor``) are content, the others the
    more probable of boilerplate and SEO filler. ``words`` may pass
    ``document_words`` of the blocks' texts.

    A repeated headline or byline is left to the model, which sees whether a
    block's words repeat another's (``text_mode.features``): a rule dropping
    every repeat of a kept block removed as many article words as leftovers
    (``python -m detector_dev.bench --only cleaner``, 1.4 points of recall
    on clean text)."""
    if words is None:
        words = document_words([b.text for b in blocks])
    keep = keep_expected_f(proba[:, _CONTENT], word_counts(blocks, words), BETAS[favor])
    other = np.where(proba[:, _SEO] > proba[:, _BOILERPLATE], "seo_filler", "boilerplate")
    rows = proba[:, [_BOILERPLATE, _CONTENT, _SEO]].tolist()
    for block, (boilerplate, content, seo), kept, label in zip(
        blocks, rows, keep.tolist(), other.tolist(), strict=True
    ):
        block.p_boilerplate, block.p_content, block.p_seo_filler = boilerplate, content, seo
        block.label = "content" if kept else label
