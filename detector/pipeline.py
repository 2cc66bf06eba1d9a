"""input -> blocks -> features -> models -> Document: the processing of one document."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from detector.document import Block, Document, error_message
from detector.inputs.decode import detect_mode
from detector.modelstore import ModelError
from detector.text_mode.segment import segment_text

if TYPE_CHECKING:
    from detector.filler.model import FillerModel
    from detector.html_mode.model import HtmlModel
    from detector.inputs.sources import InputItem
    from detector.text_mode.model import TextModel

MODES = ("auto", "text", "html")
FAVORS = ("balanced", "precision", "recall")
"""Accepted values of ``Options.favor`` (``--precision`` / ``--recall``)."""
MAX_BLOCKS = 20_000
"""Text documents with more blocks than this are refused: no article has that many,
and features for millions of one-word lines would take minutes and gigabytes.
(HTML mode bounds its own work: see :data:`detector.html_mode.page.MAX_BLOCKS`.)"""


class DocumentTooLarge(ValueError):
    """A document with more blocks than the pipeline will classify."""


@dataclass
class Options:
    """What to do with each document.

    Raises ValueError, naming the accepted values, for an unknown ``mode`` or
    ``favor``.
    """

    mode: str = "auto"
    score: bool = False
    drop_generated: bool = False
    favor: str = "balanced"
    include_comments: bool = False
    """Keep readers' comments (HTML mode: blocks in comment sections that read
    as text; the text-mode fallback asks trafilatura for them): they are not
    the article, so off by default, as trafilatura's ``include_comments``."""
    details: bool = True
    """Find each HTML block's place in the source (``source_start``/``source_end``)
    and read the page's metadata. Off when only the article's text is wanted
    (txt or markdown without ``--with-metadata`` or ``--annotate``): the same
    blocks, labels and text, in about seven eighths of HTML mode's time, as
    trafilatura leaves out metadata unless ``with_metadata``."""

    def __post_init__(self) -> None:
        for name, value, choices in (("mode", self.mode, MODES), ("favor", self.favor, FAVORS)):
            if value not in choices:
                expected = ", ".join(repr(c) for c in choices)
                raise ValueError(f"unknown {name} {value!r}; expected one of {expected}")


@dataclass
class Pipeline:
    """Loaded models and the steps that turn an input into a Document."""

    model_dir: str | os.PathLike[str] | None = None
    options: Options = field(default_factory=Options)

    @cached_property
    def cleaner(self) -> TextModel:
        """The text-mode block classifier, loaded and verified on first use."""
        from detector.modelstore import load_arrays
        from detector.text_mode.model import TextModel

        return TextModel.from_arrays(load_arrays("cleaner", model_dir=self.model_dir))

    @cached_property
    def html_model(self) -> HtmlModel:
        """The HTML block classifier, loaded and verified on first use."""
        from detector.html_mode import load_html_model

        return load_html_model(self.model_dir)

    @cached_property
    def filler(self) -> FillerModel:
        """The filler model, loaded and verified on first use."""
        from detector.filler import load_filler_model

        return load_filler_model(model_dir=self.model_dir)

    def load(self) -> Pipeline:
        """Load the models every document of these options needs, so that their errors
        surface before any work. The HTML model is among them only with ``mode="html"``:
        in mode auto it loads when the first HTML document arrives (a text file never
        pays for it), and a failed check raises ``ModelError`` from :meth:`process`.
        With ``mode="html"`` the text cleaner is not among them: only a page where
        the HTML model finds no content needs it (loading it cost 15-20 ms of a
        page's start), and it then loads, or raises ``ModelError``, the same way."""
        _ = self.html_model if self.options.mode == "html" else self.cleaner
        if self.options.score or self.options.drop_generated:
            _ = self.filler
        return self

    def process(
        self,
        text: str,
        *,
        doc_id: str = "-",
        mode_hint: str | None = None,
        url: str | None = None,
    ) -> Document:
        """Clean (and with ``score`` or ``drop_generated``, score) one decoded input;
        ``url`` is where an HTML page came from, when known."""
        mode = self.options.mode
        if mode == "auto":
            mode = mode_hint or detect_mode(text)
        doc = Document(id=doc_id, source=text, mode=mode)
        if mode == "html":
            self.clean_html(doc, url)
        else:
            lines = text.count("\n") + 1
            if lines > 2 * MAX_BLOCKS:
                raise DocumentTooLarge(
                    f"document too large: too many lines ({lines} > {2 * MAX_BLOCKS})"
                )
            doc.blocks = segment_text(text)
            for block in doc.blocks:  # the input is the text: its place there
                block.source_start, block.source_end = block.start, block.end
            if len(doc.blocks) > MAX_BLOCKS:
                raise DocumentTooLarge(
                    f"document too large: too many blocks ({len(doc.blocks)} > {MAX_BLOCKS})"
                )
            self.classify(doc)
        if self.options.score or self.options.drop_generated:
            from detector.filler import score_document

            score_document(doc, self.filler)
        doc.drop_generated = self.options.drop_generated
        return doc

    def clean_html(self, doc: Document, url: str | None = None) -> None:
        """Blocks, labels and metadata of an HTML page with the HTML model: every
        rendered block with its XPath, spans in the cleaned text. A page where the
        model finds no block of text goes through :func:`html_blocks` and the
        text cleaner instead."""
        from detector.html_mode import html_document

        blocks, metadata, _ = html_document(
            doc.source,
            self.html_model,
            favor=self.options.favor,
            url=url,
            include_comments=self.options.include_comments,
            details=self.options.details,
        )
        if any(b.label == "content" for b in blocks):
            doc.blocks, doc.metadata = blocks, metadata
            return
        doc.blocks, doc.metadata = html_blocks(doc.source, self.options.include_comments)
        if len(doc.blocks) > MAX_BLOCKS:
            raise DocumentTooLarge(
                f"document too large: too many blocks ({len(doc.blocks)} > {MAX_BLOCKS})"
            )
        self.classify(doc)

    def classify(self, doc: Document) -> None:
        """Label every block of ``doc`` with the cleaner."""
        if not doc.blocks:
            return
        from detector.decisions import apply_labels
        from detector.language import document_words

        # The cleaner's trees run in numpy (packed_trees.PackedTrees), not OpenMP: no
        # thread pool to limit here (entering threadpoolctl's limit costs ~2 ms).
        # The blocks' words are found once, for the features and the labels.
        words = document_words([b.text for b in doc.blocks])
        features = self.cleaner.features.transform_document(doc.blocks, words)
        proba = self.cleaner.predict_proba([doc.blocks], features=features)
        apply_labels(doc.blocks, proba, favor=self.options.favor, words=words)


def html_blocks(html: str, include_comments: bool = False) -> tuple[list[Block], dict[str, Any]]:
    """Blocks of an HTML page for the text cleaner: trafilatura's high-recall
    extraction (or, when it finds nothing, the page's whole visible text),
    segmented as plain text. The fallback of HTML mode.

    Offsets and line numbers refer to that extracted text, kept in
    ``metadata["extracted"]``.
    """
    import trafilatura

    from detector.html_mode.render import render_lines

    metadata: dict[str, Any] = {}
    extracted = trafilatura.extract(
        html,
        favor_recall=True,
        include_comments=include_comments,
        include_tables=True,
        deduplicate=False,
        with_metadata=False,
    )
    meta = trafilatura.extract_metadata(html)
    if meta is not None:
        for key in ("title", "author", "date", "url", "sitename", "language"):
            value = getattr(meta, key, None)
            if value:
                metadata[key] = value
    if not extracted:
        extracted = "\n".join(render_lines(html))
        metadata["extractor"] = "render"
    else:
        metadata["extractor"] = "trafilatura-recall"
    metadata["extracted"] = extracted
    return segment_text(extracted), metadata


EMPTY = "empty input"
"""The error of an input with no text (an empty file, only whitespace)."""
NO_TEXT = "no text in the page's body (a page built by JavaScript?)"
"""The error of an HTML page whose body renders no text at all, such as a
forum page whose posts a script fetches after loading: there is nothing to
clean, and an empty "ok" result would read as an article that was all
boilerplate."""


def failure_reason(exc: BaseException) -> str:
    """A document's failure in words: the message of a refusal the pipeline
    raises on purpose (too large), else "processing failed: <message>"
    (:func:`detector.document.error_message`)."""
    if isinstance(exc, DocumentTooLarge):
        return str(exc)
    return f"processing failed: {error_message(exc)}"


def process_item(pipeline: Pipeline, item: InputItem) -> Document:
    """One input item -> its Document; a failure becomes an error record.

    The one place where the command line and the worker pool turn what
    ``detector.inputs`` read into a result, so that one bad document (unreadable,
    or failing inside the pipeline) never stops a batch.
    """
    if item.error is not None or item.text is None:
        return Document(id=item.id, status="error", error=item.error or "unreadable input")
    if not item.text.strip():
        return Document(id=item.id, mode=pipeline.options.mode, status="error", error=EMPTY)
    try:
        doc = pipeline.process(item.text, doc_id=item.id, mode_hint=item.mode_hint, url=item.url)
    except ModelError:  # a model loaded on first use failed its checks: stop, as at start
        raise
    except Exception as exc:  # one bad document never stops a batch
        return Document(id=item.id, status="error", error=failure_reason(exc))
    if item.url and "url" not in doc.metadata:
        doc.metadata["url"] = item.url
    if doc.mode == "html" and not doc.blocks:
        doc.status, doc.error = "error", NO_TEXT
    return doc
