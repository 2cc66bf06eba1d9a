"""The shape of an HTML page's blocks, and the kept blocks written with it.

HTML mode records for every block what kind of line it is on the page
(:class:`Layout`: a heading and its level, a list item with its marker and
nesting, a table row with its cells, a line of preformatted code with its
indentation); :func:`render` writes the kept blocks with that shape, as plain
text or markdown, with the same lines in both: headings on their own line
(``#`` by level in markdown), list items with their markers and indented by
nesting, table rows one per line (``a | b``; markdown pipes and a rule
under the first row), code lines as they are (fenced in markdown), one
blank line between other blocks; in markdown, a paragraph that starts like
markup (``# ``, ``- ``, ``1. ``, ``>``) gets a backslash before it. Blocks
without a layout (text input) are written as they are, separated by blank
lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Layout", "render"]

_INDENT = "    "
_MARKUP_START = re.compile(r"(?:#{1,6}|[-+*]|\d{1,9}[.)])(?:\s|$)|>|```|~~~")
"""Paragraph openings markdown would read as markup (a heading, an item, a quote,
a fence): written with a backslash before them."""


@dataclass(slots=True)
class Layout:
    """What kind of line a block is on its page.

    ``role``: ``heading``, ``item`` (a list item's line), ``row`` (a table
    row), ``code`` (a line of ``pre``) or ``text``; ``level``: a heading's
    level (1-6) or a list item's nesting (1 for a top-level list); ``marker``:
    ``-`` or ``3.`` for the first line of an item, empty for its further lines;
    ``group``: which ``pre`` or table the line belongs to; ``raw``: a code line
    with its indentation; ``blank_before``: empty code lines before it;
    ``cells``: a row's cell texts (empty for a further line of a row that
    ``<br>`` breaks: the row's first line shows the whole row).
    """

    role: str = "text"
    level: int = 0
    marker: str = ""
    group: int = 0
    raw: str = ""
    blank_before: int = 0
    cells: list[str] = field(default_factory=list)


def _joined(previous: Layout | None, current: Layout | None) -> bool:
    """Whether two consecutive kept blocks go on consecutive lines (no blank line)."""
    if previous is None or current is None:
        return False
    if current.role == "item":
        return previous.role == "item"
    if current.role in ("code", "row"):
        return previous.role == current.role and previous.group == current.group
    return False


def _line(block: Any, layout: Layout | None, md: bool, first_row: bool) -> str:
    text = block.text
    if layout is None:
        if md and block.kind == "heading" and not text.lstrip().startswith("#"):
            return f"## {text}"
        return text
    if layout.role == "heading":
        return f"{'#' * max(1, min(layout.level, 6))} {text}" if md else text
    if layout.role == "item":
        indent = _INDENT * max(0, layout.level - 1)
        if layout.marker:
            return f"{indent}{layout.marker} {text}"
        return f"{indent}  {text}"
    if layout.role == "code":
        return layout.raw
    if md and layout.role == "text" and _MARKUP_START.match(text):
        return "\\" + text
    if layout.role == "row":
        if not layout.cells:
            return f"| {text} |" if md else text
        if not md:
            return " | ".join(layout.cells)
        row = "| " + " | ".join(c.replace("|", "\\|") for c in layout.cells) + " |"
        if first_row:
            row += "\n|" + " --- |" * len(layout.cells)
        return row
    return text


def render(
    blocks: Sequence[Any], kept: Sequence[bool], *, markdown: bool = False
) -> tuple[str, list[tuple[int, int] | None]]:
    """The kept ``blocks`` as one text (see the module docstring), and each block's
    span in it (``None`` for blocks not kept): of its text where the output shows it
    as it is (past a list marker, a heading's ``#``), else of its line. A block's
    ``layout`` attribute, when set, is its :class:`Layout`."""
    parts: list[str] = []
    spans: list[tuple[int, int] | None] = []
    offset = 0
    previous: Layout | None = None
    in_code = False
    any_kept = False
    for block, keep in zip(blocks, kept, strict=True):
        if not keep:
            spans.append(None)
            continue
        layout = getattr(block, "layout", None)
        joined = any_kept and _joined(previous, layout)
        before = ""
        if any_kept:
            if in_code and markdown and not joined:
                before += "\n```"
            before += "\n" if joined else "\n\n"
        if layout is not None and layout.role == "code":
            if joined:
                before += "\n" * layout.blank_before
            elif markdown:
                before += "```\n"
        in_code = layout is not None and layout.role == "code"
        first_row = layout is not None and layout.role == "row" and not joined
        if joined and layout is not None and layout.role == "row" and not layout.cells:
            before, line = "", ""  # shown in its row's first line
        else:
            line = _line(block, layout, markdown, first_row)
        parts.append(before)
        offset += len(before)
        inside = line.find(block.text) if line else -1  # the text itself, past a marker
        if inside >= 0:
            spans.append((offset + inside, offset + inside + len(block.text)))
        else:
            spans.append((offset, offset + len(line)))
        parts.append(line)
        offset += len(line)
        previous = layout
        any_kept = True
    if in_code and markdown:
        parts.append("\n```")
    return "".join(parts), spans
