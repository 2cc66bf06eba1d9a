"""Features of the candidate blocks of an HTML page, one row per block.

Five families, computed from :class:`~detector.html_mode.blocks.DomBlock`
records and trafilatura's extraction only (no tree needed, so the stored
corpus can be featurised again):

- the text-mode cleaner's features (:mod:`detector.text_mode.features`) on the
  block sequence;
- the block's DOM: tag, depth, the tags on its path (inside ``nav``,
  ``article``, a link ...), link density, and the class/id/role cue groups of
  its element, of its two nearest enclosing blocks and of those further out;
- the extractor's verdict: the share of the block's word 5-grams that
  trafilatura kept as the main text, the same for its neighbours, and where
  the block stands relative to the kept text; apart from that, the share it
  kept as readers' comments, and how much of the page those are;
- its containers: for the element that holds it and for the ancestors 1, 2,
  3 and 5 levels up, their size, link density and the share of their text the
  extractor kept; and how often its tag path (XPath without indices) repeats
  on the page, and how much of that repeated structure was kept;
- the page's main text: how much of the page is long prose, link-only text or
  extracted text, and whether the block sits in (or how far from) the
  containers that hold most of the prose - what tells an article's teaser
  cards (boilerplate) from a listing page's (content).

:func:`page_features` also returns, per block, ids of its containers at those
levels, which the classifier's second pass uses to pool first-pass
probabilities over DOM containers.
"""

from __future__ import annotations

import math
import operator
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from detector.document import (
    KIND_CAPTION,
    KIND_HEADING,
    KIND_LIST,
    KIND_PARAGRAPH,
    KIND_TABLE,
)
from detector.html_mode.blocks import CUE_NAMES, DomBlock
from detector.language import detect_language, stoplist
from detector.text_mode.features import CUES, MONTHS
from detector.tokens import words

__all__ = ["CONTAINER_LEVELS", "FEATURE_NAMES", "block_kind", "page_features"]

_TAG_GROUPS = {
    "p": "p",
    "div": "div",
    "li": "li",
    "h1": "h1",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "h5": "h4",
    "h6": "h4",
    "tr": "tr",
    "dd": "dl",
    "dt": "dl",
    "dl": "dl",
    "blockquote": "blockquote",
    "pre": "pre",
    "figcaption": "caption",
    "caption": "caption",
    "figure": "caption",
    "section": "section",
    "article": "section",
    "main": "section",
    "header": "landmark",
    "footer": "landmark",
    "nav": "landmark",
    "aside": "landmark",
    "form": "form",
    "fieldset": "form",
    "legend": "form",
    "label": "form",
    "td": "tr",
    "th": "tr",
    "table": "tr",
    "tbody": "tr",
    "thead": "tr",
    "ul": "li",
    "ol": "li",
    "body": "body",
    "html": "body",
    "summary": "details",
    "details": "details",
    "address": "address",
}
_TAG_COLUMNS = sorted(set(_TAG_GROUPS.values())) + ["other"]
_PATH_TAGS = (
    "article main section nav header footer aside form li table figure blockquote "
    "a button dl details ul ol p span label h"
).split()

CONTAINER_LEVELS = (0, 1, 2, 3, 5)
"""Ancestor levels (0 = the block's own element) of the container features."""

_LIST_LEVELS = (1, 3)
"""Container levels whose items are described as a list (share of link-only
items, mean item length): menus, "recent posts" and tour dates are lists of
similar short linked items; paragraphs of prose are not."""
_MAIN_LEVELS = (1, 3)
"""Container levels at which the page's main prose container is looked for."""
_PROSE_WORDS = 25
_PROSE_LINK_DENSITY = 0.2
_CONTAINER_STATS = ("log_chars", "log_blocks", "link_density", "kept", "own_share", "page_share")
_EXTRACTOR_OFFSETS = (-3, -2, -1, 1, 2, 3)

_TEXT_CUES = ("credit", "reading_time", "cta", "byline_meta", "legal", "comments")
"""The cleaner's cue lists (``CUES``) that are features of a block's text."""
TEXT_FEATURE_NAMES = [
    "log_chars",
    "log_words",
    "mean_word_len",
    "upper_share",
    "title_word_share",
    "ends_sentence",
    "ends_colon",
    "ends_ellipsis",
    "log_sentences",
    "comma_per_word",
    "punct_share",
    "digit_share",
    "has_year",
    "has_date",
    "has_url",
    "separator_share",
    "starts_bullet",
    "stop_density",
    "log_stop_count",
    "byline",
    "dup_earlier",
    "dup_later",
    *(f"cue_{name}" for name in _TEXT_CUES),
    "copyright_sign",
]
_WORD_NEIGHBOURS = ("log_words", "stop_density", "ends_sentence")
_WORD_OFFSETS = (-2, -1, 1, 2)

FEATURE_NAMES: list[str] = (
    list(TEXT_FEATURE_NAMES)
    + [f"{name}@{o:+d}" for o in _WORD_OFFSETS for name in _WORD_NEIGHBOURS]
    + [f"tag_{t}" for t in _TAG_COLUMNS]
    + ["depth", "log_depth", "link_density", "all_link", "log_link_chars"]
    + [f"in_{t}" for t in _PATH_TAGS]
    + [f"cue_{c}" for c in CUE_NAMES]
    + [f"near_{c}" for c in CUE_NAMES]
    + [f"outer_{c}" for c in CUE_NAMES]
    + ["ext_overlap", "ext_kept"]
    + [f"ext_overlap@{o:+d}" for o in _EXTRACTOR_OFFSETS]
    + [
        "ext_empty",
        "ext_page_kept_share",
        "ext_before_first",
        "ext_after_last",
        "ext_log_dist",
        "ext_between",
        "ext_comment_overlap",
        "ext_page_comment_share",
    ]
    + [f"c{k}_{s}" for k in CONTAINER_LEVELS for s in _CONTAINER_STATS]
    + ["struct_log_count", "struct_kept", "struct_share", "struct_mean_log_words"]
    + ["sibling_rel_rank"]
    + [f"c{k}_{s}" for k in _LIST_LEVELS for s in ("all_link_share", "mean_log_words")]
    + ["page_log_blocks", "page_log_chars", "page_link_density"]
    + ["page_prose_share", "page_log_prose", "page_link_only_share", "ext_log_kept_chars"]
    + [f"main{level}_{s}" for level in _MAIN_LEVELS for s in ("in", "share")]
    + ["main_before", "main_after", "main_log_dist", "main_log_dom_dist"]
)
"""Column names of the matrix :func:`page_features` returns."""

_COL = {name: j for j, name in enumerate(FEATURE_NAMES)}
"""The column of each feature: every column is written by its name, so that a
feature added to (or moved in) ``FEATURE_NAMES`` cannot shift the others."""
_ROW_FEATURES = list(TEXT_FEATURE_NAMES)
"""The text features computed block by block. No feature says where on the
page a block stands as a share of the page: a long article's second half
would look like a footer (where a block stands relative to the page's main
prose is in ``main_before``, ``main_after`` and the distances)."""
_ROW_COLUMNS = [_COL[name] for name in _ROW_FEATURES]
_ROW_DEFAULTS: dict[str, float | bool] = dict.fromkeys(_ROW_FEATURES, False)
"""A text feature's value where a row leaves it out."""
_ROW_VALUES = operator.itemgetter(*_ROW_FEATURES)
"""A row's text features in ``_ROW_FEATURES`` order, so that one numpy call
writes them all."""
_TAG_COL = {group: _COL[f"tag_{group}"] for group in _TAG_COLUMNS}
_PATH_COL = {tag: _COL[f"in_{tag}"] for tag in _PATH_TAGS}
_CUE_COLS = {
    attr: [_COL[f"{prefix}_{cue}"] for cue in CUE_NAMES]
    for attr, prefix in (("cues", "cue"), ("near", "near"), ("outer", "outer"))
}
"""Per DomBlock cue mask (own, nearby, outer): the columns of its bits."""
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)(?=\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_TITLE_WORD = re.compile(r"(?:^|\s)[\"'“(]?[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TIME_OR_DATE = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_SEPARATORS = re.compile(r"[|•·»›/>→–]")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪‣]|\d{1,3}[.)])\s+")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_URL = re.compile(r"https?://|www\.|\.com\b|\.org\b|@")
_BYLINE = re.compile(r"^(?:by|von|par|por|di|de|av|door)\s+[A-ZÀ-ÖØ-Þ]", re.IGNORECASE)


def _ascii_class(pattern: re.Pattern[str]) -> bytes:
    """The ASCII characters a one-character pattern matches, as bytes."""
    return bytes(c for c in range(128) if pattern.fullmatch(chr(c)))


_ASCII_LETTER = _ascii_class(_LETTER)
_ASCII_UPPER = _ascii_class(_UPPER)
_ASCII_DIGIT = _ascii_class(_DIGIT)
_ASCII_PUNCT = _ascii_class(_PUNCT)
_ASCII_SEPARATORS = _ascii_class(_SEPARATORS)


def _char_counts(text: str) -> tuple[int, int, int, int, int]:
    """Letters, upper-case letters, digits, punctuation and separators in ``text``
    (as the patterns count them; byte deletion for ASCII text, which is exact)."""
    if text.isascii():
        data = text.encode("ascii")
        n = len(data)
        return (
            n - len(data.translate(None, _ASCII_LETTER)),
            n - len(data.translate(None, _ASCII_UPPER)),
            n - len(data.translate(None, _ASCII_DIGIT)),
            n - len(data.translate(None, _ASCII_PUNCT)),
            n - len(data.translate(None, _ASCII_SEPARATORS)),
        )
    return (
        len(_LETTER.findall(text)),
        len(_UPPER.findall(text)),
        len(_DIGIT.findall(text)),
        len(_PUNCT.findall(text)),
        len(_SEPARATORS.findall(text)),
    )


def _multi_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, phrases))) if phrases else None


_CUE_CHECKS = [
    (f"cue_{name}", CUES[name].words, _multi_pattern(CUES[name].multi)) for name in _TEXT_CUES
]
"""Per text cue: its column, its single words, and one pattern for its longer
phrases (a match anywhere is the same as one of them being a substring, as the
cleaner tests)."""
_ANY_PHRASE = _multi_pattern([phrase for name in _TEXT_CUES for phrase in CUES[name].multi])
"""Every text cue's longer phrases in one pattern: few blocks hold any, and one
search tells so for all cues at once."""


def _text_features(blocks: Sequence[DomBlock], out: np.ndarray) -> None:
    """Cheap statistics of each block's text (regex counts, no per-character loops),
    into the ``TEXT_FEATURE_NAMES`` columns of ``out``. A feature a row leaves out
    (the cues of a long block, duplicates of an empty one) is 0."""
    toks = [words(b.text) for b in blocks]
    sample = [t for tt in toks[:400] for t in tt[:60]]
    is_stop = stoplist(detect_language(sample)).__contains__
    seen: dict[str, int] = {}
    keys = [" ".join(t) for t in toks]
    counts: dict[str, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    rows: list[tuple[float | bool, ...]] = []
    for i, b in enumerate(blocks):
        text = b.text
        tokens = toks[i]
        n_chars = len(text)
        n_words = len(tokens)
        letters, upper, digits, punct, separators = _char_counts(text)
        letters = letters or 1
        non_space = max(1, n_chars - text.count(" "))
        raw = text.split()
        n_stop = sum(map(is_stop, tokens))
        key = keys[i]
        row: dict[str, float | bool] = {
            "log_chars": math.log1p(n_chars),
            "log_words": math.log1p(n_words),
            "mean_word_len": sum(map(len, tokens)) / n_words if n_words else 0.0,
            "upper_share": upper / letters,
            "title_word_share": len(_TITLE_WORD.findall(text)) / len(raw) if raw else 0.0,
            "ends_sentence": _ENDS_SENTENCE.search(text) is not None,
            "ends_colon": text.endswith(":"),
            "ends_ellipsis": _ELLIPSIS.search(text) is not None,
            "log_sentences": math.log1p(len(_SENTENCE_END.findall(text))),
            "comma_per_word": text.count(",") / n_words if n_words else 0.0,
            "punct_share": punct / non_space,
            "digit_share": digits / non_space,
            "has_year": _YEAR.search(text) is not None,
            "has_date": _TIME_OR_DATE.search(text) is not None or not MONTHS.isdisjoint(tokens),
            "has_url": _URL.search(text.lower()) is not None,
            "separator_share": separators / non_space,
            "starts_bullet": _BULLET.match(text) is not None,
            "stop_density": n_stop / n_words if n_words else 0.0,
            "log_stop_count": math.log1p(n_stop),
            "byline": _BYLINE.match(text) is not None,
            "copyright_sign": "©" in text,
        }
        if key:
            row["dup_earlier"] = key in seen
            seen.setdefault(key, i)
            row["dup_later"] = counts[key] > 1 and seen[key] == i
        if n_words <= 40:
            token_set = set(tokens)
            joined = f" {key} "
            phrases = _ANY_PHRASE is not None and _ANY_PHRASE.search(joined) is not None
            for column, single, multi in _CUE_CHECKS:
                row[column] = not single.isdisjoint(token_set) or (
                    phrases and multi is not None and multi.search(joined) is not None
                )
        rows.append(_ROW_VALUES({**_ROW_DEFAULTS, **row}))
    out[:, _ROW_COLUMNS] = np.array(rows, dtype=np.float64)


_KIND_BY_TAG = {
    "h1": KIND_HEADING,
    "h2": KIND_HEADING,
    "h3": KIND_HEADING,
    "h4": KIND_HEADING,
    "h5": KIND_HEADING,
    "h6": KIND_HEADING,
    "li": KIND_LIST,
    "dd": KIND_LIST,
    "dt": KIND_LIST,
    "tr": KIND_TABLE,
    "figcaption": KIND_CAPTION,
    "caption": KIND_CAPTION,
}


def block_kind(tag: str) -> str:
    """The Block kind of a block element's tag."""
    return _KIND_BY_TAG.get(tag, KIND_PARAGRAPH)


def _path_columns(structure: str) -> list[int]:
    """The ``in_*`` columns of the tags above a block's element (``structure``: its
    tag path, see :func:`_structure`); every heading level counts as ``h``."""
    columns = []
    for tag in structure.split("/")[1:-1]:
        key = "h" if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit() else tag
        column = _PATH_COL.get(key)
        if column is not None:
            columns.append(column)
    return columns


def _ancestor(path: str, levels: int) -> str:
    if levels == 0:
        return path
    parts = path.rsplit("/", levels)
    return parts[0] if len(parts) > levels and parts[0] else "/"


_POSITION = re.compile(r"\[[^/]*")
"""A step's predicate in an XPath (``[2]``), up to the next step."""


def _structure(path: str) -> str:
    """The tag path of an XPath: its steps without their positions."""
    return _POSITION.sub("", path)


def block_sizes(blocks: Sequence[DomBlock]) -> np.ndarray:
    """Non-space characters of each block (at least 1): the weight of its text in
    the page's features and in the second pass's pooling over containers."""
    return np.array([max(1, len("".join(b.text.split()))) for b in blocks], dtype=np.float64)


def _ids(keys: list[str]) -> np.ndarray:
    """Dense integer ids of the keys, in order of first appearance."""
    index: dict[str, int] = {}
    return np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)


def page_features(
    blocks: Sequence[DomBlock],
    overlaps: Sequence[float],
    extraction_empty: bool,
    comment_overlaps: Sequence[float] | None = None,
    sizes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix of one page's blocks (columns ``FEATURE_NAMES``) and,
    per block, ids of its containers at each of ``CONTAINER_LEVELS`` (unique
    within the page). ``overlaps`` are each block's overlap with trafilatura's
    main text, ``comment_overlaps`` (zeros when ``None``) with the comments it
    extracted apart; ``sizes`` the blocks' :func:`block_sizes`, when the caller
    has them already (the second pass pools with them too)."""
    n = len(blocks)
    matrix = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    groups = np.zeros((n, len(CONTAINER_LEVELS)), dtype=np.int64)
    if n == 0:
        return matrix, groups
    _text_features(blocks, matrix)
    for offset in _WORD_OFFSETS:
        src = np.arange(n) + offset
        valid = (src >= 0) & (src < n)
        for name in _WORD_NEIGHBOURS:
            column = _COL[f"{name}@{offset:+d}"]
            matrix[valid, column] = matrix[src[valid], _COL[name]]
            matrix[~valid, column] = -1.0

    chars = block_sizes(blocks) if sizes is None else sizes
    n_words = np.array([len(b.text.split()) for b in blocks], dtype=np.float64)
    links = np.array([b.link_chars for b in blocks], dtype=np.float64)
    ext = np.asarray(overlaps, dtype=np.float64)
    total_chars = float(chars.sum())

    # tag of the owning element
    matrix[np.arange(n), [_TAG_COL[_TAG_GROUPS.get(b.tag, "other")] for b in blocks]] = 1.0

    # depth, links, path tags (looked up once per tag path: blocks share them)
    structures = [_structure(b.path) for b in blocks]
    depths = [structure.count("/") for structure in structures]
    matrix[:, _COL["depth"]] = depths
    matrix[:, _COL["log_depth"]] = [math.log1p(depth) for depth in depths]
    columns_of: dict[str, list[int]] = {}
    hit_rows: list[int] = []
    hit_columns: list[int] = []
    for i, structure in enumerate(structures):
        columns = columns_of.get(structure)
        if columns is None:
            columns = columns_of[structure] = _path_columns(structure)
        hit_rows += [i] * len(columns)
        hit_columns += columns
    matrix[np.array(hit_rows, dtype=np.intp), np.array(hit_columns, dtype=np.intp)] = 1.0
    matrix[:, _COL["link_density"]] = links / chars
    matrix[:, _COL["all_link"]] = (links >= chars).astype(np.float32)
    matrix[:, _COL["log_link_chars"]] = np.log1p(links)

    # class/id cues: own, near, outer
    bits = np.array([1 << k for k in range(len(CUE_NAMES))], dtype=np.int64)
    for attr, columns in _CUE_COLS.items():
        masks = np.array([getattr(b, attr) for b in blocks], dtype=np.int64)
        matrix[:, columns] = (masks[:, None] & bits[None, :]) != 0

    # extractor evidence
    kept = ext >= 0.5
    matrix[:, _COL["ext_overlap"]] = ext
    matrix[:, _COL["ext_kept"]] = kept
    for offset in _EXTRACTOR_OFFSETS:
        src = np.arange(n) + offset
        valid = (src >= 0) & (src < n)
        column = _COL[f"ext_overlap@{offset:+d}"]
        matrix[valid, column] = ext[src[valid]]
        matrix[~valid, column] = -1.0
    matrix[:, _COL["ext_empty"]] = float(extraction_empty)
    matrix[:, _COL["ext_page_kept_share"]] = float((chars * ext).sum() / total_chars)
    if comment_overlaps is not None:
        comment = np.asarray(comment_overlaps, dtype=np.float64)
        matrix[:, _COL["ext_comment_overlap"]] = comment
        matrix[:, _COL["ext_page_comment_share"]] = float((chars * comment).sum() / total_chars)
    kept_ids = np.flatnonzero(kept)
    if len(kept_ids):
        idx = np.arange(n)
        first, last = kept_ids[0], kept_ids[-1]
        matrix[:, _COL["ext_before_first"]] = idx < first
        matrix[:, _COL["ext_after_last"]] = idx > last
        nearest = np.searchsorted(kept_ids, idx).clip(0, len(kept_ids) - 1)
        before = (nearest - 1).clip(0, len(kept_ids) - 1)
        dist = np.minimum(np.abs(kept_ids[nearest] - idx), np.abs(kept_ids[before] - idx))
        matrix[:, _COL["ext_log_dist"]] = np.log1p(dist)
        matrix[:, _COL["ext_between"]] = (idx >= first) & (idx <= last)
    else:
        matrix[:, _COL["ext_log_dist"]] = math.log1p(n)

    # containers
    for level_index, level in enumerate(CONTAINER_LEVELS):
        ids = _ids([_ancestor(b.path, level) for b in blocks])
        groups[:, level_index] = ids
        c_chars = np.bincount(ids, weights=chars)[ids]
        stats = {
            "log_chars": np.log1p(c_chars),
            "log_blocks": np.log1p(np.bincount(ids)[ids]),
            "link_density": np.bincount(ids, weights=links)[ids] / c_chars,
            "kept": np.bincount(ids, weights=chars * ext)[ids] / c_chars,
            "own_share": chars / c_chars,
            "page_share": c_chars / total_chars,
        }
        for stat, values in stats.items():
            matrix[:, _COL[f"c{level}_{stat}"]] = values

    # repeated structures (same tag path), rank among siblings relative to their
    # number (an absolute rank would grow along a long article), lists of items
    log_words = np.log1p(n_words)
    all_link = matrix[:, _COL["all_link"]]
    ids = _ids(structures)
    counts = np.bincount(ids)
    s_chars = np.bincount(ids, weights=chars)[ids]
    matrix[:, _COL["struct_log_count"]] = np.log1p(counts[ids])
    matrix[:, _COL["struct_kept"]] = np.bincount(ids, weights=chars * ext)[ids] / s_chars
    matrix[:, _COL["struct_share"]] = s_chars / total_chars
    matrix[:, _COL["struct_mean_log_words"]] = (np.bincount(ids, weights=log_words) / counts)[ids]
    parents = groups[:, CONTAINER_LEVELS.index(1)]
    rank = np.zeros(n, dtype=np.float32)
    seen: dict[int, int] = defaultdict(int)
    for i, parent in enumerate(parents.tolist()):
        rank[i] = seen[parent]
        seen[parent] += 1
    siblings = np.bincount(parents)[parents]
    matrix[:, _COL["sibling_rel_rank"]] = np.where(
        siblings > 1, rank / np.maximum(siblings - 1, 1), 0
    )
    for level in _LIST_LEVELS:
        ids = groups[:, CONTAINER_LEVELS.index(level)]
        counts = np.bincount(ids)
        matrix[:, _COL[f"c{level}_all_link_share"]] = (np.bincount(ids, weights=all_link) / counts)[
            ids
        ]
        matrix[:, _COL[f"c{level}_mean_log_words"]] = (
            np.bincount(ids, weights=log_words) / counts
        )[ids]

    matrix[:, _COL["page_log_blocks"]] = math.log1p(n)
    matrix[:, _COL["page_log_chars"]] = math.log1p(total_chars)
    matrix[:, _COL["page_link_density"]] = links.sum() / total_chars

    _main_text_features(blocks, chars, n_words, links, ext, groups, matrix)
    return matrix, groups


def _main_text_features(
    blocks: Sequence[DomBlock],
    chars: np.ndarray,
    n_words: np.ndarray,
    links: np.ndarray,
    ext: np.ndarray,
    groups: np.ndarray,
    matrix: np.ndarray,
) -> None:
    """What kind of page this is and where its running text sits: how much of
    the page is long prose (25 words or more, few links), how much is link-only,
    how much the extractor kept; the containers (1 and 3 levels up) holding the
    most prose, whether the block is in them, and how far before or after the
    outer one it stands. Teaser cards are content on a listing page and
    boilerplate under an article; these let the model tell the two apart."""
    n = len(blocks)
    total = float(chars.sum())
    prose = (n_words >= _PROSE_WORDS) & (links / chars < _PROSE_LINK_DENSITY)
    matrix[:, _COL["page_prose_share"]] = chars[prose].sum() / total
    matrix[:, _COL["page_log_prose"]] = math.log1p(int(prose.sum()))
    matrix[:, _COL["page_link_only_share"]] = chars[matrix[:, _COL["all_link"]] > 0].sum() / total
    matrix[:, _COL["ext_log_kept_chars"]] = math.log1p(float((chars * ext).sum()))
    main_rows = None
    main_path = None
    for level in _MAIN_LEVELS:
        ids = groups[:, CONTAINER_LEVELS.index(level)]
        prose_chars = np.bincount(ids, weights=chars * prose)
        if prose_chars.max() > 0:
            inside = ids == int(np.argmax(prose_chars))
            matrix[:, _COL[f"main{level}_in"]] = inside
            matrix[:, _COL[f"main{level}_share"]] = chars[inside].sum() / total
            main_rows = np.flatnonzero(inside)
            main_path = _ancestor(blocks[int(main_rows[0])].path, level)
    if main_rows is not None:
        idx = np.arange(n)
        first, last = main_rows[0], main_rows[-1]
        matrix[:, _COL["main_before"]] = idx < first
        matrix[:, _COL["main_after"]] = idx > last
        distance = np.where(idx < first, first - idx, np.where(idx > last, idx - last, 0))
        matrix[:, _COL["main_log_dist"]] = np.log1p(distance)
        matrix[:, _COL["main_log_dom_dist"]] = np.log1p(
            [_dom_distance(b.path, main_path) for b in blocks]
        )
    else:
        matrix[:, _COL["main_log_dist"]] = math.log1p(n)
        matrix[:, _COL["main_log_dom_dist"]] = math.log1p(matrix[:, _COL["depth"]].max())


def _dom_distance(path: str, container: str) -> int:
    """Steps up from an element to the deepest ancestor it shares with a
    container, plus steps down from there to the container: 0 inside it, a
    sidebar a few steps away, a footer far."""
    if path == container or path.startswith(container + "/"):
        return 0
    a, b = path.split("/"), container.split("/")
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return (len(a) - shared) + (len(b) - shared)
