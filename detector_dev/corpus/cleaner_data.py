"""The shipped cleaner corpus (``corpus/cleaner.jsonl.gz``) as blocks and labels."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detector.document import Block
from detector.text_mode.segment import segment_text
from detector_dev.paths import CORPUS_DIR

CORPUS = CORPUS_DIR / "cleaner.jsonl.gz"
LAYOUT_SEED = "cleaner-data/layout/v1"
"""Seed of each rendering's layout draw: which blank lines its text gets."""


@dataclass(slots=True)
class LabelledPage:
    """One rendering of one page, segmented, with a gold label per block."""

    id: str
    page: str
    site: str
    dataset: str
    page_type: str
    rendering: str
    synthetic: bool
    blocks: list[Block]
    labels: list[str]


def block_labels(blocks: list[Block], line_labels: list[str | None]) -> list[str]:
    """The label of each block: the label most of its lines carry."""
    out = []
    for block in blocks:
        start = (block.line_start or 1) - 1
        stop = block.line_end or start + 1
        votes = Counter(lab for lab in line_labels[start:stop] if lab)
        out.append(votes.most_common(1)[0][0] if votes else "boilerplate")
    return out


def layout(lines: list[str], breaks: list[int] | None, style: str) -> tuple[str, list[int]]:
    """The lines as one text in a scraper's layout, and the 1-based text line of each.

    ``flat`` puts every line under the previous one, ``blank`` leaves a blank
    line between any two, ``tags`` only where ``breaks`` (the corpus's
    markdown-style layout of a page rendering) has one.
    """
    out: list[str] = []
    numbers: list[int] = []
    for i, line in enumerate(lines):
        if i and (style == "blank" or (style == "tags" and breaks and breaks[i])):
            out.append("")
        out.append(line)
        numbers.append(len(out))
    return "\n".join(out), numbers


def labelled_blocks(
    lines: list[str], labels: list[str], breaks: list[int] | None, style: str
) -> tuple[list[Block], list[str]]:
    """The blocks of ``lines`` laid out in ``style`` (see :func:`layout`) and
    segmented as the cleaner segments text, each with the label most of its
    lines carry (``labels``: one per line)."""
    text, numbers = layout(lines, breaks, style)
    line_labels: list[str | None] = [None] * (numbers[-1] if numbers else 0)
    for number, label in zip(numbers, labels, strict=True):
        line_labels[number - 1] = label
    blocks = segment_text(text)
    return blocks, block_labels(blocks, line_labels)


def layout_style(record: dict) -> str:
    """The layout a record is trained and evaluated in, drawn once per rendering:
    page renderings in any of the three, the others flat or blank-separated."""
    styles = ("flat", "blank", "tags") if record.get("breaks") else ("flat", "blank")
    return random.Random(f"{LAYOUT_SEED}/{record['id']}").choice(styles)


def iter_records(path: str | Path = CORPUS) -> Iterator[dict]:
    """Raw corpus records, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def load_pages(path: str | Path = CORPUS) -> tuple[list[LabelledPage], dict[str, str]]:
    """Every rendering as a LabelledPage, and the gold text of each page."""
    pages: list[LabelledPage] = []
    gold: dict[str, str] = {}
    for record in iter_records(path):
        if record.get("gold") is not None:
            gold[record["page"]] = record["gold"]
        lines = record["text"].split("\n") if record["text"] else []
        blocks, labels = labelled_blocks(
            lines, record["labels"], record.get("breaks"), layout_style(record)
        )
        pages.append(
            LabelledPage(
                id=record["id"],
                page=record["page"],
                site=record.get("site") or record["page"],
                dataset=record["dataset"],
                page_type=record.get("page_type") or "article",
                rendering=record["rendering"],
                synthetic=bool(record.get("synthetic")),
                blocks=blocks,
                labels=labels,
            )
        )
    return pages, gold
