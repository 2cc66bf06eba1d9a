"""HTML -> the page's visible text, one line per block-level element.

The rendering approximates what a reader sees: text of block elements (``p``,
``li``, headings, table rows, runs of text inside a ``div``...) on lines of
their own, ``br`` as a line break, table cells of a row joined by `` | ``,
whitespace inside a line collapsed, and nothing from scripts, styles, embedded
objects or form option lists. Empty lines are never produced.

Concealed elements - ``noscript`` and elements hidden by ``hidden``,
``aria-hidden="true"``, inline ``display:none``/``visibility:hidden`` or a
screen-reader-only class - are left out too, unless one holds most of the
page's text (:data:`REVEAL_SHARE`): then it is the page's content that scripts
reveal (a forum's crawler copy in ``noscript``, an app shell hidden until it
has loaded) and is rendered. Streamed React boundaries (``<div hidden
id="S:0">``), which scripts move into place, are never concealed.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree as etree
import lxml.html

__all__ = ["REVEAL_SHARE", "RenderedLine", "parse_html", "render_lines", "render_tree"]

REVEAL_SHARE = 0.8
"""Least share of a page's text a concealed element must hold to be rendered."""


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEVER = _names(
    """audio canvas datalist embed head iframe link map meta noembed noframes object
    param script select source style svg template textarea title track video"""
)
_BLOCK = _names(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup
    hr html legend li listing main menu nav ol optgroup option p plaintext pre section
    summary table tbody tfoot thead tr ul xmp"""
)
_CELL = _names("td th")
# Inline elements that are usually separate items (menu links, buttons): adjacent
# ones get a space between them when both sides would otherwise glue two words.
_SEPARATE = _names("a button img input label")
_SCREEN_READER_ONLY = _names(
    """sr-only visually-hidden visuallyhidden screen-reader-text screenreader-text
    element-invisible a11y-hidden"""
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_REACT_BOUNDARY = re.compile(r"S:\d+$")
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:.-]*)[^>]*>")
_CELL_SEPARATOR = " | "


class _Boundary:
    """Marker between two inline items; becomes a space only between word characters."""


_BOUNDARY = _Boundary()


@dataclass(frozen=True, slots=True)
class RenderedLine:
    """One line of rendered text and the block element it belongs to.

    ``path`` is the XPath of that element in the parsed tree (for example
    ``/html/body/div[2]/p[3]``); ``tag`` is its tag name.
    """

    text: str
    path: str
    tag: str


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """Parse a possibly broken HTML page; ``None`` for an empty document.

    Pages nested deeper than the parser's depth limit are re-parsed with their
    structural tags flattened into line breaks, so their text is kept (hidden
    elements inside the flattened tags are then no longer recognised).
    """
    return parse_html_checked(html)[0]


def parse_html_checked(html: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """:func:`parse_html`, and whether the page was flattened (then the tree no longer
    matches the source)."""
    root, too_deep = _parse(html)
    if too_deep:
        root, _ = _parse(_flatten(html))
    return root, too_deep


def render_tree(root: lxml.html.HtmlElement | None) -> list[RenderedLine]:
    """The visible text of a parsed page as lines, in document order."""
    if root is None:
        return []
    return _Renderer(root).run()


def render_lines(html: str) -> list[str]:
    """The visible text of an HTML page, one line per block-level element."""
    return [line.text for line in render_tree(parse_html(html))]


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """The element classes of ``lxml.html``'s parser (``HtmlElement``, ``FormElement``
    for ``form`` and so on, ``HtmlComment`` ...), chosen in C: ``lxml.html``'s own
    lookup calls a Python method for every element object the walks create,
    about a tenth of the time of a page's tree walks (ours and trafilatura's).
    The HTML parser lower-cases tag names and puts them in no namespace, so the
    classes are the ones ``lxml.html`` would choose."""
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    lookup.get_namespace(None).update(lxml.html.HtmlElementClassLookup._default_element_classes)
    return lookup


_ELEMENT_CLASSES = _element_classes()


def _parse(html: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    parser = etree.HTMLParser(
        encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    try:
        root = etree.fromstring(html.encode("utf-8", "replace"), parser)
    except etree.XMLSyntaxError:
        return None, False
    too_deep = any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)
    return root, too_deep


def _flatten(html: str) -> str:
    """The page with every tag but the never-rendered ones and ``noscript`` replaced by
    a line break (block tags), a space (cells, links) or nothing."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in _NEVER or name == "noscript":
            return match.group(0)
        if name in _BLOCK or name == "br":
            return "<br>"
        return " " if name in _CELL or name in _SEPARATE else ""

    return _TAG.sub(replace, html)


def _is_concealed(element: lxml.html.HtmlElement) -> bool:
    if element.tag == "noscript":
        return True
    get = element.get
    if get("hidden") is not None and not _REACT_BOUNDARY.match(get("id", "")):
        return True
    if get("aria-hidden", "").strip().lower() == "true":
        return True
    if element.tag == "dialog" and get("open") is None:
        return True
    if element.tag == "input" and get("type", "").lower() == "hidden":
        return True
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = get("class")
    return bool(classes) and not _SCREEN_READER_ONLY.isdisjoint(classes.lower().split())


def _text_length(element: lxml.html.HtmlElement) -> int:
    """Non-space characters of the text under an element that could ever be rendered."""
    return collections.deque(_text_lengths(element), maxlen=1).pop()


def _text_lengths(element: lxml.html.HtmlElement) -> Iterator[int]:
    """:func:`_text_length` counted node after node in document order: the running
    totals (each a lower bound of the count), the last one the count itself."""
    total = 0
    walker = etree.iterwalk(element, events=("start",))
    for _, node in walker:
        if node is not element and node.tail:
            total += len("".join(node.tail.split()))
        if node.tag in _NEVER:
            walker.skip_subtree()
        elif node.text and isinstance(node.tag, str):
            total += len("".join(node.text.split()))
        yield total


def _join(pieces: list[str | _Boundary]) -> str:
    out: list[str] = []
    pending = False
    for piece in pieces:
        if piece is _BOUNDARY:
            pending = True
            continue
        if not piece:
            continue
        if pending and out and out[-1][-1:].isalnum() and piece[:1].isalnum():
            out.append(" ")
        pending = False
        out.append(piece)
    return " ".join("".join(out).translate(_INVISIBLE_CHARS).split())


class _Renderer:
    """One pass over a tree with an explicit event walk (no recursion)."""

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        self.root = root
        self.tree = root.getroottree()
        self.lines: list[RenderedLine] = []
        self.pieces: list[str | _Boundary] = []
        self.blocks: list[lxml.html.HtmlElement] = [root]
        self.pre_depth = 0
        self.page_text: int | None = None
        """The count of the page's text (:func:`_text_length`), once made."""
        self._counting: Iterator[int] | None = None
        self._counted = 0

    def reveals(self, element: lxml.html.HtmlElement) -> bool:
        """Whether a concealed element holds enough of the page's text to be rendered."""
        return self.holds_share(_text_length(element))

    def holds_share(self, size: int) -> bool:
        """Whether ``size`` characters are at least ``REVEAL_SHARE`` of the page's
        text. The page is counted only as far as it takes: a part of it that
        already holds more than enough text turns a small element down (most
        concealed elements are small, and the whole count cost a walk of the
        tree on nearly every page)."""
        if self.page_text is None:
            if self._counting is None:
                self._counting = _text_lengths(self.root)
            for counted in self._counting:  # running totals: lower bounds of the count
                self._counted = counted
                if size < REVEAL_SHARE * counted:
                    return False
            self.page_text = self._counted
        return self.page_text > 0 and size >= REVEAL_SHARE * self.page_text

    def run(self) -> list[RenderedLine]:
        walker = etree.iterwalk(self.root, events=("start", "end"))
        skipped = None
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if tag in _NEVER or (_is_concealed(element) and not self.reveals(element)):
                    walker.skip_subtree()
                    skipped = element
                else:
                    self.start(element, tag)
            elif element is skipped:
                skipped = None
                self.add_text(element.tail)
            else:
                self.end(element, tag)
        self.flush()
        return self.lines

    def start(self, element: lxml.html.HtmlElement, tag: str) -> None:
        if tag in _BLOCK:
            self.flush()
            self.blocks.append(element)
            if tag == "pre":
                self.pre_depth += 1
        elif tag == "br":
            self.flush()
        elif tag in _CELL:
            if any(isinstance(p, str) and p.strip() for p in self.pieces):
                self.pieces.append(_CELL_SEPARATOR)
        elif tag in _SEPARATE:
            self.pieces.append(_BOUNDARY)
        self.add_text(element.text)

    def end(self, element: lxml.html.HtmlElement, tag: str) -> None:
        if tag in _BLOCK:
            self.flush()
            if len(self.blocks) > 1:
                self.blocks.pop()
            if tag == "pre":
                self.pre_depth -= 1
        elif tag in _SEPARATE:
            self.pieces.append(_BOUNDARY)
        if element is not self.root:
            self.add_text(element.tail)

    def add_text(self, text: str | None) -> None:
        if not text:
            return
        if not self.pre_depth:
            self.pieces.append(text)
            return
        first, *rest = text.split("\n")
        self.pieces.append(first)
        for part in rest:
            self.flush()
            self.pieces.append(part)

    def flush(self) -> None:
        if not self.pieces:
            return
        text = _join(self.pieces)
        self.pieces.clear()
        if text:
            owner = self.blocks[-1]
            self.lines.append(RenderedLine(text, self.tree.getpath(owner), owner.tag))
