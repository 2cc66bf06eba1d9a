"""Score evaluation documents section by section, as ``detector score`` does.

``prepare(records, pipeline)`` turns each record's text into blocks the way
``detector score`` (text mode) does: ``segment_text`` then the cleaner's
labels ("clean" path), and also every block kept ("gold" path: the gold text
scored directly, to separate the cleaner's effect). ``score(prepared, model)``
returns, per document and path, the sections' P(generated), their word counts,
the words of inserted machine text in each section (mixed set) and the
document's P(generated): everything a decision rule needs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from detector.document import Block
from detector.filler.sections import build_sections, count_words, section_text
from detector.text_mode.segment import segment_text


@dataclass
class Prepared:
    meta: dict
    blocks: list[Block]  # labelled by the cleaner
    inserted: set[int] = field(default_factory=set)  # block indexes of inserted machine text
    n_inserted_chunks: int = 0
    chunk_of: dict[int, int] = field(default_factory=dict)  # block index -> inserted chunk


@dataclass
class Scored:
    p: np.ndarray  # per section
    words: np.ndarray
    inserted_words: np.ndarray  # per section
    doc_p: float
    # per inserted chunk: words of the chunk in each section (chunks x sections)
    chunk_words: np.ndarray | None = None


def prepare_text(text: str, pipeline, meta: dict, inserted_lines=()) -> Prepared:
    from detector.document import Document

    doc = Document(id=meta.get("id", "-"), source=text, mode="text")
    doc.blocks = segment_text(text)
    if doc.blocks:
        pipeline.classify(doc)
    prep = Prepared(meta=meta, blocks=doc.blocks)
    for c, (a, b) in enumerate(inserted_lines):
        for i, block in enumerate(doc.blocks):
            if block.line_start is not None and a <= block.line_start <= b:
                prep.inserted.add(i)
                prep.chunk_of[i] = c
    prep.n_inserted_chunks = len(inserted_lines)
    return prep


def score_one(prep: Prepared, model, path: str = "clean") -> Scored | None:
    blocks = prep.blocks
    if path == "clean":
        kept = [i for i, b in enumerate(blocks) if b.label == "content"]
    else:
        kept = list(range(len(blocks)))
    if not kept:
        return None
    spans = build_sections(blocks, kept)
    texts = [section_text(blocks, s) for s in spans]
    whole = "\n".join(blocks[i].text for i in kept)
    scored, doc_p = model.score_sections(texts, whole, k=0)
    words = np.array([s.words for s in spans], float)
    ins = np.zeros(len(spans))
    chunk_words = np.zeros((prep.n_inserted_chunks, len(spans)))
    for j, s in enumerate(spans):
        for i in s.block_ids:
            if i in prep.inserted:
                n = count_words(blocks[i].text)
                ins[j] += n
                chunk_words[prep.chunk_of[i], j] += n
    return Scored(
        p=np.array([p for p, _ in scored]),
        words=words,
        inserted_words=ins,
        doc_p=float(doc_p),
        chunk_words=chunk_words,
    )


# ------------------------------------------------------------------ mixed set


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


def machine_chunk(text: str, rng: random.Random, lo: int = 60, hi: int = 200) -> list[str]:
    """A run of whole paragraphs (lines kept) of a machine text, about lo-hi words."""
    paras = _paragraphs(text)
    if not paras:
        return []
    start = rng.randrange(max(1, len(paras) - 1)) if len(paras) > 2 else 0
    out, words = [], 0
    for p in paras[start:] + paras[:start]:
        n = count_words(p)
        if out and words + n > hi:
            break
        out.append(p)
        words += n
        if words >= lo and rng.random() < 0.5:
            break
    return out


def make_mixed(host: str, chunks: list[list[str]], rng: random.Random) -> tuple[str, list]:
    """The host's paragraphs with each chunk inserted at a paragraph boundary
    (or at the end); returns the text and each chunk's 1-based line range."""
    paras = _paragraphs(host)
    slots = sorted(rng.randint(1, len(paras)) for _ in chunks)
    pieces: list[tuple[str, int | None]] = []
    ci = 0
    for k in range(len(paras) + 1):
        while ci < len(chunks) and slots[ci] == k:
            pieces.extend((p, ci) for p in chunks[ci])
            ci += 1
        if k < len(paras):
            pieces.append((paras[k], None))
    lines: list[str] = []
    ranges: dict[int, list[int]] = {}
    for text, c in pieces:
        if lines:
            lines.append("")
        first = len(lines) + 1
        lines.extend(text.split("\n"))
        if c is not None:
            r = ranges.setdefault(c, [first, len(lines)])
            r[1] = len(lines)
    return "\n".join(lines), [tuple(ranges[c]) for c in sorted(ranges)]
