"""From the cleaner's probabilities to block labels."""

from __future__ import annotations

import numpy as np

from detector.cleaner import CLASSES
from detector.document import Block
from detector.stoplists import words

FAVOR_BIAS = {"balanced": 0.0, "precision": -0.15, "recall": 0.15}
"""Shift of the content probability for --precision / --recall."""

_MIN_REPEAT_WORDS = 3


def apply_labels(blocks: list[Block], proba: np.ndarray, *, favor: str = "balanced") -> None:
    """Copy class probabilities onto blocks, label each with the most probable
    class (the content probability shifted by ``favor``), then drop repeats."""
    content = CLASSES.index("content")
    shifted = proba.copy()
    shifted[:, content] += FAVOR_BIAS[favor]
    best = np.argmax(shifted, axis=1)
    for block, row, choice in zip(blocks, proba, best, strict=True):
        block.p_boilerplate = float(row[CLASSES.index("boilerplate")])
        block.p_content = float(row[content])
        block.p_seo_filler = float(row[CLASSES.index("seo_filler")])
        block.label = CLASSES[int(choice)]
    drop_repeats(blocks)


def drop_repeats(blocks: list[Block]) -> None:
    """A kept block whose words repeat an earlier kept block (a headline or
    byline printed twice by the template) becomes boilerplate."""
    seen: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if block.label != "content":
            continue
        key = " ".join(words(block.text))
        if key.count(" ") + 1 < _MIN_REPEAT_WORDS:
            continue
        if key in seen:
            block.label = "boilerplate"
            block.evidence.append(f"repeats block {seen[key]}")
        else:
            seen[key] = i
