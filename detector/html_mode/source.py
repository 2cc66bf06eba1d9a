"""Where each element of a parsed page stands in the HTML source.

lxml gives an element its start tag's line (``sourceline``) but no character
offsets. :func:`source_spans` finds them by scanning the decoded source for
start tags (comments, doctypes and the raw text of scripts and styles
skipped) and matching them, in document order, to the tree's elements: an
element takes the next start tag of its name on its ``sourceline``. Its span
ends after its end tag, or, when the source omits it (``<p>`` or ``<li>``
closed by the next one), where its content ends: at the first tag after its
last child and its text. Elements the parser inserted (``html``, ``body``,
``tbody`` that the source never opens) get the span of their children;
an element whose start tag cannot be found gets none.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.etree as etree
import lxml.html

__all__ = ["source_spans"]

_TOKEN = re.compile(
    r"<!--(?:[\s\S]*?-->|[\s\S]*)"  # a comment, to its end (or the page's)
    r"|<![^>]*>|<\?[^>]*>|</[a-zA-Z][^>]*>"  # a doctype, a processing instruction, an end tag
    r"|<([a-zA-Z][^\s/>]*)[^>]*>"  # a start tag and its name
)
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "plaintext"))
_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param "
    "source track wbr".split()
)
_LINE_CAP = 65535
"""Lines past this may be reported as this by older libxml2."""


def _start_tags(html: str) -> list[tuple[str, int, int]]:
    """(lower-cased name, offset of ``<``, offset after ``>``) of every start tag."""
    out = []
    pos = 0
    while True:
        for match in _TOKEN.finditer(html, pos):
            name = match.group(1)
            if name is None:
                continue
            name = name.lower()
            out.append((name, match.start(), match.end()))
            if name in _RAW:  # its text is not markup: go on from its end tag
                close = _closing(name).search(html, match.end())
                pos = len(html) if close is None else close.start()
                break
        else:
            return out


@lru_cache(maxsize=512)
def _closing(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(name)}\s*>", re.I)


def _tag_lines(html: str, tags: list[tuple[str, int, int]]) -> tuple[list[int], list[int]]:
    """The lines of each start tag's ``<`` and of its ``>``: libxml2 gives an element
    the line where its start tag ends, which is a later one when attributes span
    lines. The tags are in order and do not overlap, so the line breaks are
    counted once, from one tag to the next."""
    lines = []
    last_lines = []
    count = html.count
    line = 1
    at = 0
    for _, start, end in tags:
        line += count("\n", at, start)
        lines.append(line)
        at = end - 1
        line += count("\n", start, at)
        last_lines.append(line)
    return lines, last_lines


def _after_text(html: str, pos: int) -> int:
    """The offset of the first tag at or after ``pos`` (comments passed over)."""
    n = len(html)
    while pos < n:
        found = html.find("<", pos)
        if found < 0:
            return n
        if html.startswith("<!--", found):
            end = html.find("-->", found + 4)
            if end < 0:
                return n
            pos = end + 3
            continue
        return found
    return n


def source_spans(
    html: str, root: lxml.html.HtmlElement
) -> dict[lxml.html.HtmlElement, tuple[int, int]]:
    """Character span in ``html`` of every element of ``root``'s tree that could be
    placed (see the module docstring)."""
    tags = _start_tags(html)
    lines, last_lines = _tag_lines(html, tags)
    spans: dict[lxml.html.HtmlElement, tuple[int, int]] = {}
    cursor = 0  # next tag to consider
    count = len(tags)
    size = len(html)
    find, startswith = html.find, html.startswith
    # per open element: [own start or None, end of its content so far, first child start]
    stack: list[list] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            line = element.sourceline
            if cursor < count and tags[cursor][0] == tag and lines[cursor] == line:
                found = cursor  # the usual case: the very next start tag
            else:
                found = _find(tags, lines, last_lines, cursor, tag.lower(), line)
            if found is None:
                # inserted by the parser; its own text, when it has some, starts it
                head = (element.text or "").strip()[:20]
                at = html.find(head, tags[cursor - 1][2] if cursor else 0) if head else -1
                if at >= 0:
                    stack.append([None, _after_text(html, at + len(head)), at])
                else:
                    stack.append([None, None, None])
            else:
                cursor = found + 1
                stack.append([tags[found][1], tags[found][2], None])
            continue
        start, content_end, first_child = stack.pop()
        if start is None:  # inserted by the parser: the span of its children
            if first_child is None:
                continue
            span = (first_child, content_end)
        else:
            name = tag.lower()
            if name in _VOID:  # its start tag is all of it
                span = (start, content_end)
            elif name in _RAW:
                match = _closing(name).search(html, content_end)
                span = (start, match.end() if match else len(html))
            else:
                after = find("<", content_end)
                if after < 0:
                    after = size
                elif startswith("<!--", after):
                    after = _after_text(html, after)
                close = after + 2 + len(name)
                if (
                    startswith("</", after)
                    and startswith(name, after + 2)
                    and close < size
                    and html[close] == ">"
                ):
                    span = (start, close + 1)
                else:
                    match = _closing(name).match(html, after)
                    span = (start, match.end() if match else after)
        spans[element] = span
        if stack:
            parent = stack[-1]
            if parent[2] is None or (parent[0] is None and span[0] < parent[2]):
                parent[2] = span[0]
            parent[1] = span[1] if parent[1] is None else max(parent[1], span[1])
    return spans


def _find(
    tags: list[tuple[str, int, int]],
    lines: list[int],
    last_lines: list[int],
    cursor: int,
    name: str,
    line: int | None,
) -> int | None:
    """The index of the start tag of an element named ``name`` on ``line``: the
    next one from ``cursor`` (within a window; ``None`` when the parser made the
    element up)."""
    for i in range(cursor, min(len(tags), cursor + 200)):
        if line is not None and line < _LINE_CAP and lines[i] > line:
            return None
        if tags[i][0] == name and (
            line is None
            or lines[i] <= line <= last_lines[i]
            or (line >= _LINE_CAP and lines[i] >= line)
        ):
            return i
    return None
