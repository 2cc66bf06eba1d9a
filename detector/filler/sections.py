"""Blocks -> sections, the units scored for filler.

A section is a run of consecutive kept blocks: a heading with what follows it
(paragraphs, lists and tables alike), cut into windows of paragraphs when it
grows past ``max_words``. Lists and tables stay inside the section of their
heading, so a bullet list or a table is judged together with the prose that
introduces it (a window may stretch to ``STRUCTURE_STRETCH`` times
``max_words`` to keep them); a block is never split. Very short pieces (a lone heading, a
one-line window) join a neighbour, so every section has enough words to say
something about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from detector.document import KIND_HEADING, KIND_LIST, KIND_TABLE, Block
from detector.tokens import count_words

MAX_WORDS = 200
"""A window closes before a block that would take it past this many words."""
MIN_WORDS = 40
"""A window is not closed before it has this many words."""
MERGE_WORDS = 20
"""A section shorter than this joins its neighbour."""
STRUCTURE_STRETCH = 1.6
"""A list or table may take its window up to this multiple of ``max_words``."""


@dataclass(slots=True)
class SectionSpan:
    """A section before scoring: indexes into the block list and its heading."""

    block_ids: list[int]
    heading: str | None
    words: int


def build_sections(
    blocks: Sequence[Block],
    ids: Sequence[int] | None = None,
    *,
    max_words: int = MAX_WORDS,
    min_words: int = MIN_WORDS,
    merge_words: int = MERGE_WORDS,
) -> list[SectionSpan]:
    """Group ``blocks`` (or the subset ``ids``, in order) into sections."""
    ids = list(range(len(blocks))) if ids is None else list(ids)
    spans: list[SectionSpan] = []
    cur: list[int] = []
    words = 0
    body = False
    scope: str | None = None  # heading of the current heading scope
    cur_heading: str | None = None

    def close() -> None:
        nonlocal cur, words, body, cur_heading
        if cur:
            spans.append(SectionSpan(cur, cur_heading, words))
        cur, words, body, cur_heading = [], 0, False, scope

    for i in ids:
        block = blocks[i]
        n = count_words(block.text)
        if block.kind == KIND_HEADING:
            if body:
                close()
            text = block.text.strip().lstrip("#").strip()
            scope = text if not cur else f"{cur_heading} / {text}" if cur_heading else text
            cur_heading = scope
            cur.append(i)
            words += n
            continue
        # a list or a table stays with the prose that introduces it, up to a hard cap
        cap = max_words * STRUCTURE_STRETCH if block.kind in (KIND_LIST, KIND_TABLE) else max_words
        if body and words >= min_words and words + n > cap:
            close()
        cur.append(i)
        words += n
        body = True
    close()
    return _merge_short(spans, merge_words)


def _merge_short(spans: list[SectionSpan], merge_words: int) -> list[SectionSpan]:
    out: list[SectionSpan] = []
    for span in spans:
        if out and (span.words < merge_words or out[-1].words < merge_words):
            prev = out[-1]
            prev.block_ids.extend(span.block_ids)
            prev.words += span.words
            prev.heading = prev.heading or span.heading
        else:
            out.append(span)
    return out


def section_text(blocks: Sequence[Block], span: SectionSpan) -> str:
    """The text the model scores: the section's blocks, one per line group."""
    return "\n".join(blocks[i].text for i in span.block_ids)
