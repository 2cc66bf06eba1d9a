"""Documents -> text for a stream: txt, markdown, json, jsonl, or an annotated view."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import TextIO

import click

from detector.document import NOT_SCORED, Block, Document

FORMATS = ("txt", "markdown", "json", "jsonl")

_LABEL_COLOURS = {
    "content": "green",
    "boilerplate": "red",
    "seo_filler": "magenta",
    "generated": "yellow",
}


def record(doc: Document, extra: dict | None = None) -> dict:
    """The JSON record of a document (plus ``extra`` fields such as the source)."""
    out = doc.to_dict()
    if extra:
        out.update(extra)
    return out


def page_header(doc: Document, *, md: bool = False) -> list[str]:
    """The header ``--with-metadata`` puts before the article: the page's title
    (unless the article already starts with it), "author · date" and url, where
    the metadata has them (``# title`` and italics in markdown)."""
    meta = doc.metadata
    lines = []
    title = meta.get("title")
    first = next((b.text for b in doc.blocks if doc.kept(b)), "")
    if title and " ".join(first.split()) != " ".join(str(title).split()):
        lines.append(f"# {title}" if md else str(title))
    byline = " · ".join(str(meta[key]) for key in ("author", "date") if meta.get(key))
    if byline:
        lines.append(f"*{byline}*" if md else byline)
    if meta.get("url"):
        lines.append(f"<{meta['url']}>" if md else str(meta["url"]))
    return lines


def plain_text(doc: Document, *, with_metadata: bool = False) -> str:
    """The cleaned article as plain text (the JSON record's ``text``); with
    ``with_metadata``, after the header of :func:`page_header`."""
    parts = page_header(doc) if with_metadata else []
    if doc.text:
        parts.append(doc.text)
    return "\n\n".join(parts)


def markdown(doc: Document, *, with_metadata: bool = False) -> str:
    """The cleaned article as markdown: for HTML input, headings by level, lists
    with their markers and nesting, tables with pipes, code fenced
    (:func:`detector.layout.render`); for text input, headings marked and the
    rest as it is. With ``with_metadata``, after the header of :func:`page_header`."""
    from detector.layout import render

    parts = page_header(doc, md=True) if with_metadata else []
    body = render(doc.blocks, [doc.kept(b) for b in doc.blocks], markdown=True)[0]
    if body:
        parts.append(body)
    return "\n\n".join(parts)


def _span(first: Block, last: Block | None = None, *, html: bool = False) -> str:
    """Where a block, or a run of blocks from ``first`` to ``last``, stands in the
    input: its lines for text input; for HTML, the character span in the source
    of the element that holds it (``@start-end``; ``-`` for text without a place
    in the source: recovered by the extractor, or a page read through the
    extracted-text fallback)."""
    last = last or first
    if html:
        if first.source_start is None or last.source_end is None:
            return "-"
        return f"@{first.source_start}-{max(first.source_end, last.source_end)}"
    if first.line_start is None or last.line_end is None:
        return f"{first.start}-{last.end}"
    if first.line_start == last.line_end:
        return f"L{first.line_start}"
    return f"L{first.line_start}-{last.line_end}"


def _one_line(text: str, width: int) -> str:
    """``text`` on one line (its line breaks shown as " / "), cut to ``width``."""
    text = text.replace("\n", " / ")
    return text if len(text) <= width else text[: width - 3] + "..."


def annotate(doc: Document, colour: bool = False) -> str:
    """Every block with its place, label and probabilities, one per line."""
    lines = []
    html = doc.mode == "html"
    places = [_span(block, html=html) for block in doc.blocks]
    width = max([9, *map(len, places)])
    for block, place in zip(doc.blocks, places, strict=True):
        p = f"p_boilerplate={block.p_boilerplate:.2f}"
        if block.p_seo_filler >= 0.05:
            p += f" p_seo={block.p_seo_filler:.2f}"
        if block.p_generated is not None:
            p += f" p_generated={block.p_generated:.2f}"
        label = f"{block.label:<11}"
        if colour:
            label = click.style(label, fg=_LABEL_COLOURS.get(block.label))
        text = _one_line(block.text, 160)
        why = f" [{'; '.join(block.evidence)}]" if block.evidence else ""
        lines.append(f"{place:<{width}} {label} {p:<40} {text}{why}")
    return "\n".join(lines)


def filler_summary(doc: Document) -> str:
    """The filler score of a document, then each scored section: its place, label,
    p_generated, opening words and the evidence behind its score."""
    words = [sum(len(doc.blocks[i].text.split()) for i in s.block_ids) for s in doc.sections]
    flagged = [s.label == "generated" for s in doc.sections]
    share = sum(w for w, f in zip(words, flagged, strict=True) if f) / max(sum(words), 1)
    if doc.verdict == NOT_SCORED or doc.filler_score is None:
        kept = sum(words)
        return f"verdict: not scored (too little text kept: {kept} word{'s' * (kept != 1)})"
    lines = [
        f"verdict: {doc.verdict} (filler_score {doc.filler_score:.3f}, threshold "
        f"{doc.filler_threshold:.3f}); {sum(flagged)} of {len(doc.sections)} "
        f"sections generated ({share:.0%} of the kept words)"
    ]
    for section in doc.sections:
        opening = _one_line("\n".join(doc.blocks[i].text for i in section.block_ids), 100)
        first, last = doc.blocks[section.block_ids[0]], doc.blocks[section.block_ids[-1]]
        lines.append(
            f"{_span(first, last, html=doc.mode == 'html'):<9} "
            f"{section.label:<9} "
            f"p={section.p_generated:.2f}  {opening}"
        )
        lines += [f"{'':<27}{reason}" for reason in section.evidence]
    return "\n".join(lines)


class Writer:
    """Writes documents to a stream in one format, one at a time.

    ``json`` writes one array, opened on the first document and closed by
    ``close``; the others write each document as it comes.
    """

    def __init__(
        self,
        stream: TextIO,
        fmt: str,
        *,
        annotate: bool = False,
        many: bool = True,
        with_metadata: bool = False,
    ):
        self.stream = stream
        self.fmt = fmt
        self.annotate = annotate
        self.with_metadata = with_metadata
        self.many = many
        self.count = 0
        self.colour = annotate and stream.isatty()

    def write(self, doc: Document, extra: dict | None = None) -> None:
        """Write one document. A failed document is a record in json and jsonl
        and nothing in the text formats: stdout holds data only, and the
        caller reports the error on stderr."""
        if self.fmt not in ("json", "jsonl") and doc.status != "ok":
            return  # not counted: nothing was written
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(record(doc, extra), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.stream.write("[\n" if self.count == 0 else ",\n")
            self.stream.write(json.dumps(record(doc, extra), ensure_ascii=False, indent=2))
        else:
            self._write_text(doc)
        self.count += 1
        self.stream.flush()

    def _write_text(self, doc: Document) -> None:
        if self.many:
            self.stream.write(f"{'' if self.count == 0 else chr(10)}==> {doc.id} <==\n")
        if doc.filler_score is not None and self.fmt == "txt" and not self.annotate:
            self.stream.write(filler_summary(doc) + "\n")
            return
        if doc.filler_score is not None:
            self.stream.write(f"[filler_score: {doc.filler_score:.3f}]\n")
        if self.annotate:
            body = annotate(doc, colour=self.colour)
        elif self.fmt == "markdown":
            body = markdown(doc, with_metadata=self.with_metadata)
        else:
            body = plain_text(doc, with_metadata=self.with_metadata)
        if body:
            self.stream.write(body + "\n")

    def close(self) -> None:
        """Finish the stream (closes the JSON array)."""
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


EXTENSIONS = {"txt": ".txt", "markdown": ".md", "json": ".json", "jsonl": ".jsonl"}
_UNSAFE = re.compile(r"[^\w.+-]+")
_DOCUMENT_SUFFIX = re.compile(r"\.(?:txt|text|md|html?|xhtml|shtml|php|aspx?|jsp)?(?:\.gz)?$", re.I)


class FolderWriter:
    """Writes each document to its own file in ``folder`` (``-o/--output-dir``):
    the document's id as a relative path (a folder's structure kept, a URL's
    host and path, unsafe characters replaced, ``..`` and leading ``/``
    dropped), its document extension replaced by the format's. Names that
    collide get ``-2``, ``-3``. A failed document gets no file in txt and
    markdown (its error goes to stderr) and an error record in json and jsonl.
    """

    def __init__(
        self, folder: str | Path, fmt: str, *, annotate: bool = False, with_metadata: bool = False
    ):
        self.folder = Path(folder)
        self.fmt = fmt
        self.annotate = annotate
        self.with_metadata = with_metadata
        self.used: set[Path] = set()
        self.count = 0

    def path_for(self, doc_id: str) -> Path:
        """Where the document with ``doc_id`` goes (not yet used by this writer)."""
        name = re.sub(r"^[a-z][a-z0-9+.-]*://", "", doc_id, flags=re.I)
        parts = [_UNSAFE.sub("_", p).strip("._") for p in re.split(r"[/\\]+", name)]
        parts = [p for p in parts if p] or ["document"]
        parts[-1] = _DOCUMENT_SUFFIX.sub("", parts[-1]) or "document"
        stem = self.folder.joinpath(*parts)
        ext = EXTENSIONS[self.fmt]
        path, n = stem.with_name(stem.name + ext), 1
        while path in self.used:
            n += 1
            path = stem.with_name(f"{stem.name}-{n}{ext}")
        self.used.add(path)
        return path

    def write(self, doc: Document) -> Path | None:
        """Write one document to its file; its path, or None when nothing was written."""
        buffer = io.StringIO()
        writer = Writer(
            buffer, self.fmt, annotate=self.annotate, many=False, with_metadata=self.with_metadata
        )
        writer.write(doc)
        if not writer.count:
            return None
        writer.close()
        path = self.path_for(doc.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        self.count += 1
        return path

    def close(self) -> None:
        """Nothing to finish: each file is complete when written."""
