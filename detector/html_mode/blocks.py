"""Candidate blocks of an HTML page: every rendered line with its place in the DOM.

The page is rendered as in :mod:`detector.html_mode.render` (one line per block
element, ``br`` breaks, hidden elements left out); for every line we also keep
what the DOM says about it: the XPath and tag of the block element that holds
it, how much of its text sits inside links, and which class/id/role cues
("nav", "related", "caption", "article", ...) its element and the block
elements around it carry. A :class:`DomBlock` is small and plain, so that
a page's blocks can be stored in the training corpus and featurised again
without the HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import lxml.etree as etree
import lxml.html

from detector.html_mode.render import _BLOCK as _BLOCK_TAGS
from detector.html_mode.render import (
    _BOUNDARY,
    _CELL,
    _CELL_SEPARATOR,
    _NEVER,
    _SEPARATE,
    RenderedLine,
    _is_concealed,
    _join,
    _Renderer,
)
from detector.layout import Layout

__all__ = ["CUE_NAMES", "DomBlock", "dom_blocks", "dom_lines", "element_cues"]

# Cue groups matched as substrings of an element's lower-cased class, id, role
# and itemprop. One bit each; order is part of the corpus format (append only).
_CUE_PATTERNS: list[tuple[str, str]] = [
    ("nav", r"nav|menu|breadcrumb|crumb|pagination|pager|skip"),
    ("header", r"header|masthead|topbar|top-bar|banner"),
    ("footer", r"footer|colophon|copyright|legal|disclaimer|bottom"),
    ("sidebar", r"sidebar|side-bar|aside|widget|rail|complementary"),
    (
        "related",
        r"related|recommend|more-|also|popular|trending|most-|read-next|next-up|outbrain|taboola",
    ),
    ("share", r"share|social|sharing|facebook|twitter|whatsapp|linkedin|pinterest|follow"),
    ("comment", r"comment|reply|replies|discuss|disqus|respon"),
    ("caption", r"caption|figcaption|credit|photo|image|img|gallery|media|figure|video|thumb"),
    ("ad", r"\bad\b|ads|advert|sponsor|promo|dfp|gpt-|banner-ad|adslot|commercial|affiliate"),
    (
        "newsletter",
        r"newsletter|subscribe|signup|sign-up|subscription|optin|opt-in|paywall|regwall",
    ),
    ("cookie", r"cookie|consent|gdpr|privacy|onetrust|cmp"),
    ("modal", r"modal|popup|pop-up|overlay|lightbox|dialog|drawer|toast|tooltip"),
    ("tag", r"tag|categor|topic|keyword|label"),
    ("author", r"author|byline|by-line|writer|contributor|profile|avatar|bio\b"),
    ("date", r"date|time|publish|posted|updated|timestamp"),
    ("meta", r"meta|info|details|stats|count"),
    ("title", r"title|headline|heading|hed\b"),
    ("lead", r"lead|intro|summary|standfirst|dek\b|subtitle|subhead|excerpt|abstract|teaser"),
    ("article", r"article|story|post|entry|blog|news"),
    ("content", r"content|body|text|prose|copy|rich|markdown|editor|wysiwyg|richtext"),
    ("main", r"main|primary|page-content|maincontent|articlebody"),
    ("card", r"card|tile|teaser|list-item|item|grid|feed|river|stream"),
    ("button", r"btn|button|cta|action|toolbar|control"),
    ("search", r"search|login|signin|sign-in|account|user|cart|checkout"),
    ("product", r"product|price|offer|buy|shop|sku|rating|review|spec"),
    ("forum", r"message|thread|forum|question|answer|postbody|post-body|bbcode"),
    ("doc", r"doc|manual|api|reference|toc|contents|sect"),
    ("hidden", r"hidden|hide|collapse|invisible|offscreen|print-only|noprint|visually"),
    ("quote", r"quote|blockquote|pullquote|pull-quote|callout|aside-box|highlight|note"),
    ("table", r"table|data|chart|infobox"),
    ("form", r"form|input|field|select|dropdown"),
    ("event", r"event|calendar|schedule|location|address|contact|map"),
]
CUE_NAMES = [name for name, _ in _CUE_PATTERNS]


_LITERAL_CUES = [
    (alternative, 1 << i)
    for i, (_, pattern) in enumerate(_CUE_PATTERNS)
    for alternative in pattern.split("|")
    if "\\" not in alternative
]


def _cue_automaton(literals: list[tuple[str, int]]) -> ahocorasick.Automaton:
    """The cue patterns' plain alternatives (all but those with a ``\\b``) as one
    Aho-Corasick automaton whose values are cue bits: a token's bits in one
    pass over its characters, not a search per pattern (those searches took
    about a quarter of the page's walk)."""
    bits: dict[str, int] = {}
    for literal, bit in literals:
        bits[literal] = bits.get(literal, 0) | bit
    automaton = ahocorasick.Automaton()
    for literal, bit in bits.items():
        automaton.add_word(literal, bit)
    automaton.make_automaton()
    return automaton


_CUE_AUTOMATON = _cue_automaton(_LITERAL_CUES)
_BOUNDED_CUES = [
    (1 << i, alternative.replace("\\b", ""), re.compile(alternative))
    for i, (_, pattern) in enumerate(_CUE_PATTERNS)
    for alternative in pattern.split("|")
    if "\\" in alternative
]
"""The alternatives with a word boundary (``\\bad\\b``): bit, the word, its pattern."""
_BARE_CONCEALED = frozenset(("noscript", "dialog"))
"""Tags concealed even without attributes (other elements need one to be hidden)."""
_ATTRIBUTES = ("class", "id", "role", "itemprop", "itemtype", "data-testid", "aria-label")
_ATTRIBUTE_SET = frozenset(_ATTRIBUTES)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def element_cues(element: lxml.html.HtmlElement) -> int:
    """Bit mask of the cue groups found in an element's class, id, role and itemprop."""
    names = element.keys()
    if not names or _ATTRIBUTE_SET.isdisjoint(names):
        return 0
    get = element.get
    values = [value for value in map(get, _ATTRIBUTES) if value]
    return _cues_of(" ".join(values)) if values else 0


@lru_cache(maxsize=4096)
def _cues_of(text: str) -> int:
    mask = 0
    for token in _CAMEL.sub("-", text).lower().split():
        mask |= _token_cues(token)
    return mask


@lru_cache(maxsize=16384)
def _token_cues(token: str) -> int:
    """Cue bits of one whitespace-free token (no pattern spans whitespace, so a
    string's bits are those of its tokens together; tokens repeat far more)."""
    mask = 0
    for _, bit in _CUE_AUTOMATON.iter(token):
        mask |= bit
    for bit, word, pattern in _BOUNDED_CUES:
        if not mask & bit and word in token and pattern.search(token):
            mask |= bit
    return mask


@dataclass(slots=True)
class DomBlock:
    """One rendered line of a page and what the DOM says about it.

    ``path`` is the XPath of the block element that holds the line, ``tag`` its
    tag, ``link_chars`` how many of the line's non-space characters are link
    text, ``cues`` the cue bits of that element, ``near`` those of its two
    nearest enclosing block elements, ``outer`` those of every enclosing block
    element further out.
    """

    text: str
    path: str
    tag: str
    link_chars: int = 0
    cues: int = 0
    near: int = 0
    outer: int = 0

    def to_list(self) -> list:
        """Compact JSON form (see :meth:`from_list`)."""
        return [self.text, self.path, self.tag, self.link_chars, self.cues, self.near, self.outer]

    @classmethod
    def from_list(cls, row: list) -> DomBlock:
        """Inverse of :meth:`to_list`."""
        return cls(*row)


class _DomRenderer(_Renderer):
    """The visible-text renderer of :mod:`detector.html_mode.render` (same lines), also
    recording link text and cues per line; one flat event loop for speed."""

    def __init__(self, root: lxml.html.HtmlElement) -> None:
        super().__init__(root)
        self.blocks_out: list[DomBlock] = []
        self.owners: list[lxml.html.HtmlElement] = []
        """The block element of each line (parallel to ``blocks_out``)."""
        self.layouts: list[Layout] = []
        """The shape of each line (parallel to ``blocks_out``), for output."""

    def reveals(self, element: lxml.html.HtmlElement) -> bool:
        """As the base renderer decides, after a cheap bound: an element whose whole
        text (scripts and spaces included) is too short a share of the page's is
        never revealed."""
        bound = len(etree.tostring(element, method="text", encoding="unicode", with_tail=False))
        if not self.holds_share(bound):
            return False
        return super().reveals(element)

    def run(self) -> list[RenderedLine]:  # noqa: C901 - one loop on purpose (hot path)
        root = self.root
        getpath = self.tree.getpath
        pieces = self.pieces
        out = self.blocks_out
        blocks = self.blocks
        # Per open block element: (own cues, near cues, outer cues) of a line it owns.
        cue_stack: list[tuple[int, int, int]] = [(element_cues(root), 0, 0)]
        link_depth = 0
        link_chars = 0
        pre_depth = 0
        # for the layout: open lists [tag, items so far], open items [depth, marker,
        # lines so far], open tables, pre and table counters, empty pre lines pending
        lists: list[list] = []
        items: list[list] = []
        tables: list[int] = []
        counters = [0, 0]
        blank = 0
        owners = self.owners
        layouts = self.layouts

        def flush() -> None:
            nonlocal link_chars, blank
            if pieces:
                text = _join(pieces)
                raw = (
                    "".join(p for p in pieces if isinstance(p, str)).translate(_INVISIBLE).rstrip()
                    if pre_depth
                    else ""
                )
                pieces.clear()
                if text:
                    owner = blocks[-1]
                    path = getpath(owner)
                    own, near, outer = cue_stack[-1]
                    chars = len(text) - text.count(" ")  # _join leaves single spaces only
                    out.append(
                        DomBlock(text, path, owner.tag, min(link_chars, chars), own, near, outer)
                    )
                    last = owners[-1] if owners else None
                    owners.append(owner)
                    layouts.append(
                        _layout(owner, raw, pre_depth, items, tables, counters, blank, last)
                    )
                    blank = 0
                elif pre_depth:
                    blank += 1
            elif pre_depth:
                blank += 1
            link_chars = 0

        def add_text(text: str | None) -> None:
            nonlocal link_chars
            if not text:
                return
            if link_depth:
                link_chars += len("".join(text.split()))
            if not pre_depth:
                pieces.append(text)
                return
            first, *rest = text.split("\n")
            pieces.append(first)
            for part in rest:
                flush()
                pieces.append(part)

        walker = etree.iterwalk(root, events=("start", "end"))
        skipped = None
        for event, element in walker:
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if tag in _NEVER or (
                    (tag in _BARE_CONCEALED or element.keys())
                    and _is_concealed(element)
                    and not self.reveals(element)
                ):
                    walker.skip_subtree()
                    skipped = element
                    continue
                if tag == "a":
                    link_depth += 1
                    pieces.append(_BOUNDARY)
                elif tag in _BLOCK_TAGS:
                    parent_own, _, parent_outer = cue_stack[-1]
                    grand = cue_stack[-2][0] if len(cue_stack) > 1 else 0
                    outer = parent_outer | (cue_stack[-3][0] if len(cue_stack) > 2 else 0)
                    cue_stack.append((element_cues(element), parent_own | grand, outer))
                    flush()
                    blocks.append(element)
                    if tag == "pre":
                        if not pre_depth:
                            counters[0] += 1
                            blank = 0
                        pre_depth += 1
                    elif tag in _LISTS:
                        lists.append([tag, _list_start(element)])
                    elif tag == "li":
                        if lists:
                            lists[-1][1] += 1
                            number = lists[-1][1]
                            marker = f"{number}." if lists[-1][0] == "ol" else "-"
                        else:
                            marker = "-"
                        items.append([max(1, len(lists)), marker, 0])
                    elif tag == "table":
                        counters[1] += 1
                        tables.append(counters[1])
                elif tag == "br":
                    flush()
                elif tag in _CELL:
                    if any(isinstance(p, str) and p.strip() for p in pieces):
                        pieces.append(_CELL_SEPARATOR)
                elif tag in _SEPARATE:
                    pieces.append(_BOUNDARY)
                add_text(element.text)
            elif element is skipped:
                skipped = None
                add_text(element.tail)
            else:
                if tag == "a":
                    link_depth = max(0, link_depth - 1)
                    pieces.append(_BOUNDARY)
                elif tag in _BLOCK_TAGS:
                    flush()
                    if len(cue_stack) > 1:
                        cue_stack.pop()
                    if len(blocks) > 1:
                        blocks.pop()
                    if tag == "pre":
                        pre_depth -= 1
                        blank = 0
                    elif tag in _LISTS:
                        if lists:
                            lists.pop()
                    elif tag == "li":
                        if items:
                            items.pop()
                    elif tag == "table" and tables:
                        tables.pop()
                elif tag in _SEPARATE:
                    pieces.append(_BOUNDARY)
                if element is not root:
                    add_text(element.tail)
        flush()
        return self.lines


_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def _list_start(element: lxml.html.HtmlElement) -> int:
    """Items before the first of a list (``<ol start="5">`` has 4)."""
    try:
        return int(element.get("start", "1")) - 1
    except ValueError:
        return 0


def _layout(
    owner: lxml.html.HtmlElement,
    raw: str,
    pre_depth: int,
    items: list[list],
    tables: list[int],
    counters: list[int],
    blank: int,
    owners_last: lxml.html.HtmlElement | None,
) -> Layout:
    """The shape of a line that ``owner`` holds, from the open pre, lists and tables."""
    if pre_depth:
        return Layout("code", group=counters[0], raw=raw, blank_before=blank)
    tag = owner.tag
    if tag in _HEADINGS:
        return Layout("heading", level=_HEADINGS[tag])
    if tag == "tr":
        if owners_last is owner:  # a further line of a row broken by <br>: shown with it
            return Layout("row", group=tables[-1] if tables else 0)
        cells = [
            " ".join(cell.text_content().translate(_INVISIBLE).split())
            for cell in owner
            if cell.tag in _CELL
        ]
        return Layout("row", group=tables[-1] if tables else 0, cells=cells)
    if items:
        item = items[-1]
        item[2] += 1
        return Layout("item", level=item[0], marker=item[1] if item[2] == 1 else "")
    return Layout()


def dom_blocks(root: lxml.html.HtmlElement | None) -> list[DomBlock]:
    """The candidate blocks of a parsed page, in document order."""
    if root is None:
        return []
    renderer = _DomRenderer(root)
    renderer.run()
    return renderer.blocks_out


def dom_lines(
    root: lxml.html.HtmlElement | None,
) -> tuple[list[DomBlock], list[lxml.html.HtmlElement], list[Layout]]:
    """The candidate blocks of a parsed page, with the element that holds each
    and each one's :class:`~detector.layout.Layout`."""
    if root is None:
        return [], [], []
    renderer = _DomRenderer(root)
    renderer.run()
    return renderer.blocks_out, renderer.owners, renderer.layouts
