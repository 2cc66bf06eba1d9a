"""Properties over generated input: cleaning and scoring never raise on any text
or bytes, and every block's offsets and line numbers point back at its text.

The invariant for text input (see ``detector.text_mode.segment``): lines are those of
``str.splitlines``; a block covers whole consecutive non-blank lines, from its
first non-space character (``start``) to just after its last (``end``), on
lines ``line_start`` to ``line_end`` (1-based, inclusive). Its text is
``source[start:end]``, except for hard-wrapped prose joined into one
paragraph, whose text is those lines stripped and joined by single spaces.
Every non-blank line belongs to exactly one block. An HTML page cleaned by the
HTML model has its kept blocks' spans in the cleaned text; one that fell back
to the text cleaner has its spans in the extracted text
(``metadata["extracted"]``), under the text invariant.
"""

from __future__ import annotations

import gzip
import io
from bisect import bisect_right

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import detector
from detector.document import LABELS, Block, Document
from detector.inputs.sources import iter_inputs
from detector.text_mode.segment import segment_text

FAST = settings(max_examples=300, deadline=None)
"""For the segmenter alone (microseconds per example)."""
MODEL = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""For the whole pipeline (milliseconds per example): the suite stays quick."""

_WORDS = ["the", "council", "said", "Home", "News", "2 min read", "Show More", "année", "Москва"]
_LINE_BREAKS = ["\n", "\r\n", "\r", "\x0c", "\x1c", "\x85", "\u2028"]
_PREFIXES = ["", "", "", "  ", "- ", "* ", "1. ", "12) ", "# ", "### ", "| ", "\t", "\u3000"]

ANY_TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from(["\n", "\r", " ", "\t", "\x00", "\u2028"])
)
"""Any text, line breaks and control characters included."""


@st.composite
def article_like(draw: st.DrawFn) -> str:
    """Lines of words with bullets, table rows, headings, blank lines, runs of
    lines wrapped at one width, and every kind of line break."""
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        shape = draw(st.sampled_from(["words", "table", "wrapped", "blank", "space"]))
        if shape == "table":
            cells = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
            lines.append("| " + " | ".join(cells) + " |")
        elif shape == "wrapped":
            width = draw(st.integers(40, 100))
            prose = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=40, max_size=80)))
            while prose:
                cut = prose.rfind(" ", 0, width + 1)
                cut = len(prose) if len(prose) <= width or cut <= 0 else cut
                lines.append(prose[:cut])
                prose = prose[cut:].lstrip(" ")
        elif shape == "blank":
            lines.append("")
        elif shape == "space":
            lines.append(draw(st.sampled_from([" ", "\t", " \t ", "\u3000", "\xa0"])))
        else:
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
            ending = draw(st.sampled_from(["", ".", ":", "  ", " \t"]))
            lines.append(draw(st.sampled_from(_PREFIXES)) + " ".join(words) + ending)
    out = ""
    for line in lines:
        out += line + draw(st.sampled_from(_LINE_BREAKS))
    return out if draw(st.booleans()) else out.rstrip("\n\r")


TEXTS = article_like() | ANY_TEXT

_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "cp1251", "gbk", "shift_jis"]


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """Text in a common encoding (with or without gzip), or arbitrary bytes."""
    if draw(st.booleans()):
        data = draw(st.binary(max_size=2000))
    else:
        data = draw(TEXTS).encode(draw(st.sampled_from(_ENCODINGS)), "replace")
    return gzip.compress(data) if draw(st.integers(0, 9)) == 0 else data


def check_text_blocks(source: str, blocks: list[Block]) -> None:
    """The offsets and line numbers of ``blocks`` point back at their text in ``source``."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    covered: list[int] = []
    previous_end = 0
    for block in blocks:
        assert previous_end <= block.start < block.end <= len(source)
        span = source[block.start : block.end]
        assert not span[0].isspace() and not span[-1].isspace()
        joined = " ".join(line.strip() for line in span.splitlines())
        assert block.text in (span, joined), (block, span)
        assert block.line_start == bisect_right(starts, block.start)
        assert block.line_end == bisect_right(starts, block.end - 1)
        covered += range(block.line_start, block.line_end + 1)
        previous_end = block.end
    non_blank = [n for n, line in enumerate(lines, start=1) if line.strip()]
    assert covered == non_blank


def check_document(doc: Document, source: str) -> None:
    """A document from the pipeline: labels, probabilities, and (text mode) offsets."""
    assert doc.status == "ok"
    for block in doc.blocks:
        assert block.label in LABELS
        assert 0.0 <= block.p_boilerplate <= 1.0 and 0.0 <= block.p_content <= 1.0
    if doc.mode == "text":
        check_text_blocks(source, doc.blocks)
    elif doc.metadata.get("extractor") == "html-model":  # spans in the cleaned text
        for block in filter(doc.kept, doc.blocks):
            assert doc.text[block.start : block.end] == block.text
    else:  # the page's extracted text went through the text cleaner
        check_text_blocks(doc.metadata["extracted"], doc.blocks)
    if doc.filler_score is not None:
        assert 0.0 <= doc.filler_score <= 1.0
        for section in doc.sections:
            assert section.block_ids and all(0 <= i < len(doc.blocks) for i in section.block_ids)


@FAST
@given(TEXTS)
@example("a\r\nb\rc\x0cd\u2028e")
@example("line one is long enough to look wrapped at sixty chars\n" * 4)
def test_segment_offsets_and_lines_point_back_at_the_text(text: str) -> None:
    check_text_blocks(text, segment_text(text))


@MODEL
@given(TEXTS)
def test_clean_never_raises_and_blocks_point_back(text: str) -> None:
    check_document(detector.clean(text), text)
    check_document(detector.clean(text, mode="text"), text)


@MODEL
@given(TEXTS)
def test_score_never_raises_and_blocks_point_back(text: str) -> None:
    doc = detector.score(text, mode="text")
    check_document(doc, text)
    assert doc.verdict in ("generated", "mixed", "original", "not scored")
    kept = any(b.label in ("content", "generated") for b in doc.blocks)
    assert (doc.filler_score is not None) == kept  # a score exactly when text is kept


@MODEL
@given(encoded())
def test_bytes_decode_to_clean_text_or_a_reason(data: bytes) -> None:
    [item] = iter_inputs(["-"], stdin=io.BytesIO(data))
    if item.error is not None:
        assert item.text is None
        return
    assert item.text is not None
    assert not any(ch < " " and ch not in "\t\n\r" for ch in item.text)
    check_document(detector.score(item.text), item.text)


@settings(MODEL, max_examples=30)
@given(st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<br>", "<li>"]) | TEXTS))
def test_html_never_raises(parts: list[str]) -> None:
    page = "<html><body>" + "".join(parts)
    check_document(detector.clean(page, mode="html"), page)
