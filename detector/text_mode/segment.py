"""Plain text -> blocks, each with its character span and line span."""

from __future__ import annotations

import re
from dataclasses import dataclass

from detector.document import (
    KIND_HEADING,
    KIND_LIST,
    KIND_PARAGRAPH,
    KIND_TABLE,
    Block,
)

_BULLET = re.compile(r"^\s{0,6}(?:[-*+•·▪‣–—]|\d{1,3}[.)])\s+\S")
_TABLE_ROW = re.compile(r"^\s{0,3}\|.*\|\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_SENTENCE_END = frozenset(".!?…:;\"'”’»)]")
"""The characters that end a line as a sentence (or a clause) does."""


@dataclass(slots=True)
class _Line:
    number: int  # 1-based
    start: int
    end: int  # exclusive, without the newline
    text: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for number, raw in enumerate(text.splitlines(keepends=True), start=1):
        body = raw.rstrip("\r\n")
        out.append(_Line(number, pos, pos + len(body), body))
        pos += len(raw)
    return out


def _is_table_row(line: str) -> bool:
    return "|" in line and bool(_TABLE_ROW.match(line))


def _is_bullet(line: str) -> bool:
    # A line opening on a letter is no bullet (a cheap test before the expression).
    return not line[:1].isalpha() and bool(_BULLET.match(line))


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    if stripped[:1] == "#" and _MD_HEADING.match(stripped):
        return True
    return (
        stripped[:1].isupper()
        and stripped[-1:] not in _SENTENCE_END
        and 0 < len(stripped.split()) <= 14
    )


def _hard_wrapped(chunk: list[_Line]) -> bool:
    """A chunk of prose lines broken at a fixed width rather than per block."""
    if len(chunk) < 3:
        return False
    lengths = [len(line.text.rstrip()) for line in chunk]
    width = max(lengths)
    if not 40 <= width <= 100:
        return False
    body = lengths[:-1]
    return sum(n >= 0.75 * width for n in body) >= 0.8 * len(body) and not any(
        _is_bullet(line.text) or _is_table_row(line.text) for line in chunk
    )


def _make_block(lines: list[_Line], kind: str, source: str, joiner: str | None = None) -> Block:
    first, last = lines[0], lines[-1]
    start = first.start + (len(first.text) - len(first.text.lstrip()))
    end = last.start + len(last.text.rstrip())
    text = source[start:end] if joiner is None else joiner.join(line.text.strip() for line in lines)
    return Block(
        text=text,
        kind=kind,
        start=start,
        end=end,
        line_start=first.number,
        line_end=last.number,
    )


def segment_text(text: str) -> list[Block]:
    """Split plain text into blocks.

    Each non-blank line is a block, except that consecutive markdown table rows
    form one table block, consecutive bullet or numbered items form one list
    block, and hard-wrapped prose between blank lines is joined into one
    paragraph. Offsets refer to ``text`` as given.
    """
    lines = _lines(text)
    blocks: list[Block] = []
    chunk: list[_Line] = []

    def flush_chunk() -> None:
        if not chunk:
            return
        if _hard_wrapped(chunk):
            blocks.append(_make_block(chunk, KIND_PARAGRAPH, text, joiner=" "))
        else:
            i = 0
            while i < len(chunk):
                line = chunk[i]
                for test, kind in ((_is_table_row, KIND_TABLE), (_is_bullet, KIND_LIST)):
                    if test(line.text):
                        j = i
                        while j + 1 < len(chunk) and test(chunk[j + 1].text):
                            j += 1
                        blocks.append(_make_block(chunk[i : j + 1], kind, text))
                        i = j + 1
                        break
                else:
                    kind = KIND_HEADING if _looks_like_heading(line.text) else KIND_PARAGRAPH
                    blocks.append(_make_block([line], kind, text))
                    i += 1
        chunk.clear()

    for line in lines:
        if line.text.strip():
            chunk.append(line)
        else:
            flush_chunk()
    flush_chunk()
    return blocks
