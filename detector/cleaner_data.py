"""The shipped cleaner corpus (``corpus/cleaner.jsonl.gz``) as blocks and labels."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detector.document import Block
from detector.segment import segment_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "cleaner.jsonl.gz"


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
        blocks = segment_text(record["text"])
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
                labels=block_labels(blocks, record["labels"]),
            )
        )
    return pages, gold
