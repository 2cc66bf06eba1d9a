"""The one data model of the tool: a document is a list of blocks.

Every stage reads and extends these objects: segmentation creates blocks with
their place in the input, the cleaner fills ``label`` and ``p_boilerplate``,
the filler scorer fills ``p_generated`` and ``evidence``, output writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABELS = ("content", "boilerplate", "seo_filler", "generated")
"""Every label a block can carry."""

KIND_HEADING = "heading"
KIND_PARAGRAPH = "paragraph"
KIND_LIST = "list"
KIND_TABLE = "table"
KIND_CAPTION = "caption"
KINDS = (KIND_HEADING, KIND_PARAGRAPH, KIND_LIST, KIND_TABLE, KIND_CAPTION)


@dataclass(slots=True)
class Block:
    """A run of text that is kept or dropped as a whole.

    Where it is, for text input: ``start``/``end`` are character offsets into
    the decoded input (``end`` exclusive) such that ``source[start:end]`` holds
    the block, ``line_start``/``line_end`` 1-based inclusive line numbers
    there, and ``source_start``/``source_end`` the same offsets as
    ``start``/``end``.

    For HTML input, ``start``/``end`` and ``line_start``/``line_end`` are the
    block's place in the *cleaned output* text (an empty span and no lines for
    a dropped block), while its place in the *input* is ``path`` (the XPath of
    the element that holds it) and ``source_start``/``source_end`` (that
    element's character span in the decoded HTML, from its start tag to its end
    tag or where it implicitly ends). Both are ``None`` where the input has no
    place for the block (text trafilatura recovered, or the extracted-text
    fallback). ``layout`` is its shape on the page (:class:`detector.layout.Layout`),
    used to write the output and not part of the record.
    """

    text: str
    kind: str = KIND_PARAGRAPH
    start: int = 0
    end: int = 0
    line_start: int | None = None
    line_end: int | None = None
    path: str | None = None
    label: str = "content"
    p_content: float = 1.0
    p_boilerplate: float = 0.0
    p_seo_filler: float = 0.0
    p_generated: float | None = None
    section: int | None = None
    evidence: list[str] = field(default_factory=list)
    source_start: int | None = None
    source_end: int | None = None
    layout: Any = None

    def to_dict(self) -> dict[str, Any]:
        """The block as a JSON-ready record."""
        record: dict[str, Any] = {
            "text": self.text,
            "kind": self.kind,
            "label": self.label,
            "p_content": round(self.p_content, 4),
            "p_boilerplate": round(self.p_boilerplate, 4),
            "p_seo_filler": round(self.p_seo_filler, 4),
            "line_start": self.line_start,
            "line_end": self.line_end,
            "start": self.start,
            "end": self.end,
            "source_start": self.source_start,
            "source_end": self.source_end,
        }
        if self.path is not None:
            record["path"] = self.path
        if self.p_generated is not None:
            record["p_generated"] = round(self.p_generated, 4)
            record["section"] = self.section
            record["evidence"] = list(self.evidence)
        return record


@dataclass(slots=True)
class Section:
    """A unit scored for filler: consecutive kept blocks under one heading or
    structure (a table, a list, a window of paragraphs)."""

    index: int
    block_ids: list[int]
    p_generated: float
    label: str
    evidence: list[str] = field(default_factory=list)
    heading: str | None = None

    def to_dict(self, blocks: list[Block]) -> dict[str, Any]:
        """The section as a JSON-ready record."""
        first, last = blocks[self.block_ids[0]], blocks[self.block_ids[-1]]
        return {
            "index": self.index,
            "heading": self.heading,
            "label": self.label,
            "p_generated": round(self.p_generated, 4),
            "evidence": list(self.evidence),
            "blocks": list(self.block_ids),
            "line_start": first.line_start,
            "line_end": last.line_end,
            "start": first.start,
            "end": last.end,
        }


def error_message(exc: BaseException) -> str:
    """An exception in plain words, for a record's ``error`` and messages to
    people: the first line of its message, never a Python class name."""
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).strip().split("\n", 1)[0] or "failed without a message"


NOT_SCORED = "not scored"
"""The verdict of a document with too little kept text to score."""


@dataclass(slots=True)
class Document:
    """One input document and everything the tool found in it."""

    id: str
    source: str = ""
    blocks: list[Block] = field(default_factory=list)
    mode: str = "text"
    status: str = "ok"
    error: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    filler_score: float | None = None
    verdict: str | None = None
    """After scoring: ``generated``, ``mixed``, ``original`` or ``not scored``
    (see :func:`detector.filler.verdict`)."""
    filler_threshold: float | None = None
    """After scoring: the document score above which the document counts as generated."""
    drop_generated: bool = False

    def kept(self, block: Block) -> bool:
        """Whether cleaning keeps ``block``: content always, generated unless dropped."""
        return block.label == "content" or (block.label == "generated" and not self.drop_generated)

    @property
    def text(self) -> str:
        """The cleaned article: kept blocks separated by blank lines, and for HTML
        input written with their shape (:func:`detector.layout.render`)."""
        if self.mode == "html":
            from detector.layout import render

            return render(self.blocks, [self.kept(b) for b in self.blocks])[0]
        return "\n\n".join(b.text for b in self.blocks if self.kept(b))

    def to_dict(self, *, with_blocks: bool = True) -> dict[str, Any]:
        """The document as a JSON-ready record (the schema other tools read)."""
        record: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "error": self.error,
            "mode": self.mode,
            "text": self.text if self.status == "ok" else "",
        }
        for key in ("title", "author", "date", "url"):  # the article's own fields
            record[key] = self.metadata.get(key)
        if self.metadata:
            record["metadata"] = dict(self.metadata)
        if self.verdict is not None:
            record["verdict"] = self.verdict
            record["filler_score"] = (
                None if self.filler_score is None else round(self.filler_score, 4)
            )
            record["filler_threshold"] = self.filler_threshold
            record["sections"] = [s.to_dict(self.blocks) for s in self.sections]
        if with_blocks:
            record["blocks"] = [b.to_dict() for b in self.blocks]
        return record
