"""Features of text blocks for the cleaner, language-independent where possible.

Each block gets its own statistics (length, punctuation, casing, digits, stop
words in the document's language), its place in the document, how well its
vocabulary matches the rest of the document, whether the document repeats it,
and cue patterns for credits, reading times, calls to action, bylines and
definitions; then a few statistics of its neighbours, since leftovers come in
runs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from detector.document import KIND_HEADING, KIND_LIST, KIND_PARAGRAPH, KIND_TABLE, Block
from detector.stoplists import detect_language, stoplist, words

_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)(?=\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$")
_QUOTE = re.compile(r"[\"“”„«»‘’‚‹›「」『』]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_URL_MARKS = ("http://", "https://", "www.", ".com", ".org", ".net", "@")
_SEPARATORS = re.compile(r"[|•·»›/>→–]")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪‣]|\d{1,3}[.)])\s+")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")

MONTHS = frozenset(
    """
    jan january janvier januar janeiro enero gennaio ianuarie styczeń январь января
    feb february février februar fevereiro febrero febbraio februarie luty февраль февраля
    mar march mars märz março marzo martie marzec март марта
    apr april avril abril aprile aprilie kwiecień апрель апреля
    may mai mayo maggio maio maj май мая
    jun june juin juni junho junio giugno iunie czerwiec июнь июня
    jul july juillet juli julho julio luglio iulie lipiec июль июля
    aug august août agosto sierpień август августа
    sep sept september septembre setembro septiembre settembre septembrie wrzesień сентябрь сентября
    oct october octobre oktober outubro octubre ottobre octombrie październik октябрь октября
    nov november novembre novembro noviembre noiembrie listopad ноябрь ноября
    dec december décembre dezember dezembro diciembre dicembre decembrie grudzień декабрь декабря
    """.split()
)
"""Month names and abbreviations in the languages most scraped news comes in."""


class _Phrases:
    """Cue phrases: single words looked up in a set, longer ones as substrings
    of the space-joined lower-cased words of a block."""

    def __init__(self, phrases: str) -> None:
        items = [" ".join(p.split()) for p in phrases.split(",") if p.strip()]
        self.words = frozenset(p for p in items if " " not in p)
        self.multi = tuple(f" {p} " for p in items if " " in p)

    def found(self, tokens: set[str], joined: str) -> bool:
        return not self.words.isdisjoint(tokens) or any(p in joined for p in self.multi)


CUES: dict[str, _Phrases] = {
    "credit": _Phrases(
        "getty images, reuters, associated press, ap photo, afp, shutterstock, alamy, epa, istock,"
        " pa images, zuma, profimedia, photo by, photos by, photograph, foto, image by, credit,"
        " credits, courtesy, illustration, contributor, bildquelle, sursa foto, фото"
    ),
    "reading_time": _Phrases(
        "min read, mins read, minute read, minutes read, min de lectură, minute de lectură,"
        " min lesezeit, minuten lesezeit, min de lecture, minutes de lecture, min di lettura,"
        " min de leitura, min de lectura, minut czytania, мин чтения, минут чтения"
    ),
    "cta": _Phrases(
        "show more, read more, load more, see more, view more, view all, see all, show all,"
        " subscribe, sign up, sign in, log in, login, share this, share on, follow us,"
        " click here, explore more, continue reading, newsletter, download the, download our,"
        " join us, back to top, skip to, more stories, more news, more articles, related,"
        " weiterlesen, mehr zum, lire la suite, leer más, citește și, citește mai, подробнее"
    ),
    "byline_meta": _Phrases(
        "published, posted, updated, last updated, modified, written by, posted by, author,"
        " autor, auteur, veröffentlicht, publicat, actualizat, опубликовано"
    ),
    "definition": _Phrases(
        "refers to, refer to, is defined as, is a term, is the process,"
        " se referă la, se refera la, bezeichnet, désigne, se refiere a, si riferisce a,"
        " refere se a, означает, называется"
    ),
    "legal": _Phrases(
        "cookie, cookies, privacy, terms of, terms and, all rights reserved, copyright,"
        " datenschutz, impressum, mentions légales"
    ),
    "comments": _Phrases("comment, comments, replies, reply, like, likes, leave a comment"),
}
"""Cue phrases, matched as word n-grams of the lower-cased block."""

_BYLINE_START = frozenset("by von par por di de av door".split())
_DEFINES_SUBJECT = re.compile(
    r"^ (?:[\w'’-]+ ){1,6}(?:refers? to|is defined as|denotes"
    r"|(?:is (?:an?|the)|are) (?:[\w'’-]+ ){1,6}?(?:that|which|where|whose|used))\b"
)
"""A glossary sentence's opening, on the space-joined lower-cased words: a short
subject, then "refers to", "is defined as" or "is a <noun phrase> that/which/used..."."""

_OWN_FEATURES = (
    [
        "log_chars",
        "log_words",
        "mean_word_len",
        "upper_share",
        "title_word_share",
        "starts_upper",
        "all_caps",
        "ends_sentence",
        "ends_colon",
        "ends_ellipsis",
        "log_sentences",
        "comma_per_word",
        "punct_share",
        "digit_share",
        "quote_share",
        "has_year",
        "has_time",
        "has_date",
        "has_url",
        "separator_share",
        "starts_bullet",
        "md_heading",
        "stop_density",
        "log_stop_count",
        "kind_heading",
        "kind_list",
        "kind_table",
        "kind_paragraph",
        "rel_pos",
        "rel_char_pos",
        "is_first",
        "is_last",
        "share_of_doc_words",
        "dup_earlier",
        "dup_later",
        "contained_in_other",
        "topic_sim",
        "topic_sim_longest",
        "before_first_long",
        "after_last_long",
        "log_dist_long",
        "inside_long_run",
        "gap_before",
        "gap_after",
        "log_chunk_blocks",
        "doc_gap_share",
    ]
    + [f"cue_{name}" for name in CUES]
    + ["cue_byline", "cue_defines_subject"]
)

_NEIGHBOUR_FEATURES = [
    "log_words",
    "stop_density",
    "ends_sentence",
    "topic_sim",
    "kind_heading",
    "gap_before",
]
_OFFSETS = (-2, -1, 1, 2)

FEATURE_NAMES: list[str] = _OWN_FEATURES + [
    f"{name}@{offset:+d}" for offset in _OFFSETS for name in [*_NEIGHBOUR_FEATURES, "exists"]
]
"""Column names of the matrix that BlockFeatures produces."""

_IDX = {name: i for i, name in enumerate(_OWN_FEATURES)}
_NEIGHBOUR_IDX = [_IDX[name] for name in _NEIGHBOUR_FEATURES]
_KIND_COLUMN = {
    KIND_HEADING: _IDX["kind_heading"],
    KIND_LIST: _IDX["kind_list"],
    KIND_TABLE: _IDX["kind_table"],
    KIND_PARAGRAPH: _IDX["kind_paragraph"],
}
_LONG_WORDS = 25


def _normalise(text: str) -> str:
    return " ".join(words(text))


def _cosine(a: Counter[str], b: Counter[str], norm_b: float) -> float:
    if not a or norm_b == 0.0:
        return 0.0
    dot = sum(n * b.get(w, 0) for w, n in a.items())
    norm_a = math.sqrt(sum(n * n for n in a.values()))
    return dot / (norm_a * norm_b)


def _similarity_to_rest(block: Counter[str], doc: Counter[str], doc_norm2: float) -> float:
    """Cosine between a block's word counts and those of the document without it."""
    if not block:
        return 0.0
    block_norm2 = float(sum(n * n for n in block.values()))
    dot = sum(n * doc[w] for w, n in block.items())
    rest_dot = dot - block_norm2
    rest_norm2 = doc_norm2 - 2 * dot + block_norm2
    if rest_norm2 <= 0.0 or rest_dot <= 0.0:
        return 0.0
    return rest_dot / math.sqrt(block_norm2 * rest_norm2)


def _text_stats(text: str, tokens: list[str], stops: frozenset[str], row: np.ndarray) -> None:
    n_chars = len(text)
    n_words = len(tokens)
    n_letters = sum(map(str.isalpha, text))
    n_upper = sum(map(str.isupper, text))
    n_space = sum(map(str.isspace, text))
    non_space = max(n_chars - n_space, 1)
    n_punct = n_chars - n_space - sum(map(str.isalnum, text))
    raw_words = text.split()
    row[_IDX["log_chars"]] = math.log1p(n_chars)
    row[_IDX["log_words"]] = math.log1p(n_words)
    row[_IDX["mean_word_len"]] = sum(map(len, tokens)) / n_words if n_words else 0.0
    row[_IDX["upper_share"]] = n_upper / n_letters if n_letters else 0.0
    row[_IDX["title_word_share"]] = (
        sum(w[:1].isupper() for w in raw_words) / len(raw_words) if raw_words else 0.0
    )
    stripped = text.lstrip("-*+•·▪‣#>\"'“„«‘( ")
    row[_IDX["starts_upper"]] = float(stripped[:1].isupper())
    row[_IDX["all_caps"]] = float(n_letters > 2 and n_upper == n_letters)
    row[_IDX["ends_sentence"]] = float(bool(_ENDS_SENTENCE.search(text)))
    row[_IDX["ends_colon"]] = float(text.rstrip().endswith(":"))
    row[_IDX["ends_ellipsis"]] = float(bool(_ELLIPSIS.search(text)))
    row[_IDX["log_sentences"]] = math.log1p(len(_SENTENCE_END.findall(text)))
    row[_IDX["comma_per_word"]] = text.count(",") / n_words if n_words else 0.0
    row[_IDX["punct_share"]] = n_punct / non_space
    n_digits = sum(map(str.isdigit, text))
    row[_IDX["digit_share"]] = n_digits / non_space
    row[_IDX["quote_share"]] = len(_QUOTE.findall(text)) / non_space
    if n_digits:
        row[_IDX["has_year"]] = float(bool(_YEAR.search(text)))
        row[_IDX["has_time"]] = float(bool(_TIME.search(text)))
        row[_IDX["has_date"]] = float(
            not MONTHS.isdisjoint(tokens) or bool(_NUMERIC_DATE.search(text))
        )
    lower = text.lower()
    row[_IDX["has_url"]] = float(any(mark in lower for mark in _URL_MARKS))
    row[_IDX["separator_share"]] = len(_SEPARATORS.findall(text)) / non_space
    row[_IDX["starts_bullet"]] = float(bool(_BULLET.match(text)))
    row[_IDX["md_heading"]] = float(bool(_MD_HEADING.match(text)))
    n_stops = sum(t in stops for t in tokens)
    row[_IDX["stop_density"]] = n_stops / n_words if n_words else 0.0
    row[_IDX["log_stop_count"]] = math.log1p(n_stops)
    token_set = set(tokens)
    joined = f" {' '.join(tokens)} "
    for name, phrases in CUES.items():
        row[_IDX[f"cue_{name}"]] = float(phrases.found(token_set, joined))
    row[_IDX["cue_credit"]] = max(row[_IDX["cue_credit"]], float("©" in text))
    row[_IDX["cue_defines_subject"]] = float(bool(_DEFINES_SUBJECT.match(joined)))
    row[_IDX["cue_byline"]] = float(
        len(raw_words) > 1
        and tokens[:1] != []
        and tokens[0] in _BYLINE_START
        and raw_words[0].lower() == tokens[0]
        and raw_words[1][:1].isupper()
    )


def _document_features(blocks: Sequence[Block]) -> np.ndarray:
    n = len(blocks)
    own = np.zeros((n, len(_OWN_FEATURES)), dtype=np.float32)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    tokens = [words(b.text) for b in blocks]
    stops = stoplist(detect_language(t for toks in tokens for t in toks))
    content_words = [Counter(t for t in toks if t not in stops and len(t) > 1) for toks in tokens]
    doc_words: Counter[str] = Counter()
    for counter in content_words:
        doc_words.update(counter)
    doc_norm2 = float(sum(v * v for v in doc_words.values()))
    total_words = sum(len(t) for t in tokens) or 1
    total_chars = sum(len(b.text) for b in blocks) or 1
    longest = max(range(n), key=lambda i: len(tokens[i]))
    longest_norm = math.sqrt(sum(v * v for v in content_words[longest].values()))
    normalised = [_normalise(b.text) for b in blocks]
    seen: Counter[str] = Counter(normalised)
    first_seen: dict[str, int] = {}
    chars_before = 0
    for i, (block, toks) in enumerate(zip(blocks, tokens, strict=True)):
        row = own[i]
        _text_stats(block.text, toks, stops, row)
        if block.kind in _KIND_COLUMN:
            row[_KIND_COLUMN[block.kind]] = 1.0
        row[_IDX["rel_pos"]] = i / (n - 1) if n > 1 else 0.0
        row[_IDX["rel_char_pos"]] = chars_before / total_chars
        chars_before += len(block.text)
        row[_IDX["is_first"]] = float(i == 0)
        row[_IDX["is_last"]] = float(i == n - 1)
        row[_IDX["share_of_doc_words"]] = len(toks) / total_words
        key = normalised[i]
        if key:
            row[_IDX["dup_earlier"]] = float(key in first_seen)
            first_seen.setdefault(key, i)
            row[_IDX["dup_later"]] = float(seen[key] > 1 and first_seen[key] == i)
        row[_IDX["topic_sim"]] = _similarity_to_rest(content_words[i], doc_words, doc_norm2)
        if i != longest:
            row[_IDX["topic_sim_longest"]] = _cosine(
                content_words[i], content_words[longest], longest_norm
            )
        else:
            row[_IDX["topic_sim_longest"]] = 1.0
    _containment(normalised, own)
    _long_run_position(tokens, own)
    _layout(blocks, own)
    return _with_neighbours(own)


def _containment(normalised: list[str], own: np.ndarray) -> None:
    """Mark short blocks whose text appears inside another, longer block."""
    long_texts = [t for t in normalised if len(t) > 80]
    if not long_texts:
        return
    for i, text in enumerate(normalised):
        if 8 <= len(text) <= 300:
            own[i, _IDX["contained_in_other"]] = float(
                any(text in other for other in long_texts if other != text)
            )


def _long_run_position(tokens: list[list[str]], own: np.ndarray) -> None:
    """Where each block stands relative to the long prose blocks of the document."""
    long_ids = [i for i, toks in enumerate(tokens) if len(toks) >= _LONG_WORDS]
    n = len(tokens)
    if not long_ids:
        own[:, _IDX["log_dist_long"]] = math.log1p(n)
        return
    first, last = long_ids[0], long_ids[-1]
    ids = np.array(long_ids)
    for i in range(n):
        own[i, _IDX["before_first_long"]] = float(i < first)
        own[i, _IDX["after_last_long"]] = float(i > last)
        own[i, _IDX["log_dist_long"]] = math.log1p(int(np.min(np.abs(ids - i))))
        own[i, _IDX["inside_long_run"]] = float(first <= i <= last)


def _blank_between(before: Block, after: Block) -> bool:
    if before.line_end is None or after.line_start is None:
        return True
    return after.line_start - before.line_end > 1


def _layout(blocks: Sequence[Block], own: np.ndarray) -> None:
    """Blank-line structure: scrapers separate paragraphs by blank lines and print
    the pieces of one widget (teaser card, caption with credit) on adjacent lines.
    A chunk is a run of blocks without a blank line between them; the first block
    of a document starts one, and blocks without line numbers stand alone."""
    n = len(blocks)
    gaps = np.ones(n + 1, dtype=bool)
    gaps[1:n] = [_blank_between(a, b) for a, b in zip(blocks, blocks[1:], strict=False)]
    chunk = np.cumsum(gaps[:n]) - 1
    sizes = np.bincount(chunk)
    own[:, _IDX["gap_before"]] = gaps[:n]
    own[:, _IDX["gap_after"]] = gaps[1:]
    own[:, _IDX["log_chunk_blocks"]] = np.log1p(sizes[chunk])
    own[:, _IDX["doc_gap_share"]] = gaps[1:n].mean() if n > 1 else 1.0


def _with_neighbours(own: np.ndarray) -> np.ndarray:
    n = own.shape[0]
    parts = [own]
    for offset in _OFFSETS:
        shifted = np.zeros((n, len(_NEIGHBOUR_FEATURES) + 1), dtype=np.float32)
        src = np.arange(n) + offset
        valid = (src >= 0) & (src < n)
        shifted[valid, :-1] = own[src[valid]][:, _NEIGHBOUR_IDX]
        shifted[valid, -1] = 1.0
        parts.append(shifted)
    return np.hstack(parts)


class BlockFeatures(TransformerMixin, BaseEstimator):
    """Documents (sequences of blocks) -> one feature row per block, in order.

    Stateless: ``fit`` learns nothing; the columns are ``FEATURE_NAMES``.
    """

    def fit(self, X: Sequence[Sequence[Block]], y: object = None) -> BlockFeatures:
        """Nothing to learn; returns self."""
        return self

    def transform(self, X: Sequence[Sequence[Block]]) -> np.ndarray:
        """Stack the feature rows of every block of every document."""
        matrices = [_document_features(doc) for doc in X]
        if not matrices:
            return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
        return np.vstack(matrices)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the produced columns."""
        return np.array(FEATURE_NAMES, dtype=object)
