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
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from detector.document import KIND_HEADING, KIND_LIST, KIND_PARAGRAPH, KIND_TABLE, Block
from detector.language import (
    CharClasses,
    DocumentWords,
    document_words,
    stop_words_of_language,
)
from detector.tokens import topic_terms

_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)(?=\s|$)")
_SENTENCE_MARKS = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»)]"
"""A block ends a sentence when, past trailing space and closing quotes or
brackets, its last character is one of ``_SENTENCE_MARKS``."""
_QUOTE = re.compile(r"[\"“”„«»‘’‚‹›「」『』]")
# Dates and times. Each pattern opens on a digit and then looks behind it for
# the word boundary ("\d(?<!\w\d)" is "\b\d"), so that the regex engine can
# skip ahead to digits: same matches as a leading \b, a few times faster.
_YEAR = re.compile(r"[12](?<!\w[12])(?:(?<=1)9|(?<=2)0)\d\d\b")
_TIME = re.compile(r"\d(?<!\w\d)\d?[:.]\d\d\b")
_NUMERIC_DATE = re.compile(r"\d(?<!\w\d)\d{0,3}[./-]\d{1,2}[./-]\d{1,4}\b")
_SEPARATORS = re.compile(r"[|•·»›/>→–]")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪‣]|\d{1,3}[.)])\s+")
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
        self.first_words = frozenset(p.split()[0] for p in items if " " in p)

    def found(self, tokens: set[str], joined: str) -> bool:
        return not self.words.isdisjoint(tokens) or (
            not self.first_words.isdisjoint(tokens) and any(p in joined for p in self.multi)
        )


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


def _cue_index() -> tuple[dict[str, list[int]], dict[str, list[tuple[int, str]]]]:
    """For every cue word, the cues (by position in ``CUES``) listing it; for the
    first word of every cue phrase, the cues and phrases opening with it."""
    of_word: dict[str, list[int]] = {}
    of_first: dict[str, list[tuple[int, str]]] = {}
    for k, phrases in enumerate(CUES.values()):
        for word in phrases.words:
            of_word.setdefault(word, []).append(k)
        for phrase in phrases.multi:
            of_first.setdefault(phrase.split()[0], []).append((k, phrase))
    return of_word, of_first


_CUE_OF_WORD, _CUE_PHRASES_OF_FIRST = _cue_index()
_CUE_WORDS = frozenset(_CUE_OF_WORD)
_CUE_FIRST_WORDS = frozenset(_CUE_PHRASES_OF_FIRST)


def _cues_found(tokens: Iterable[str], joined: str) -> set[int]:
    """Which of ``CUES`` (by position) a block's words hold: ``_Phrases.found``
    of every cue at once."""
    found = {k for word in _CUE_WORDS.intersection(tokens) for k in _CUE_OF_WORD[word]}
    for word in _CUE_FIRST_WORDS.intersection(tokens):
        for k, phrase in _CUE_PHRASES_OF_FIRST[word]:
            if k not in found and phrase in joined:
                found.add(k)
    return found


_BYLINE_START = frozenset("by von par por di de av door".split())
_DEFINES_SUBJECT = re.compile(
    r"^ (?:[\w'’-]+ ){1,6}(?:refers? to|is defined as|denotes"
    r"|(?:is (?:an?|the)|are) (?:[\w'’-]+ ){1,6}?(?:that|which|where|whose|used))\b"
)
"""A glossary sentence's opening, on the space-joined lower-cased words: a short
subject, then "refers to", "is defined as" or "is a <noun phrase> that/which/used..."."""
_AGENCIES = (
    r"(?:getty(?: images)?|reuters|ap(?: photo)?|afp|epa(?:-efe)?|shutterstock|alamy"
    r"|istock(?:photo)?|pa(?: images| wire)?|zuma(?: press)?|profimedia|bloomberg|dpa|ansa"
    r"|xinhua|sputnik|tass|nurphoto|sopa images|wikimedia commons|unsplash|pexels|pixabay"
    r"|inquam photos)"
)
_CAPTION_CREDIT = re.compile(
    r"(?:\((?:[^()]{0,80}[/|]\s*)?" + _AGENCIES + r"(?:\s*(?:via|/)\s*[^()]{0,40})?\)"
    r"|\b(?:photo|foto|image|picture|bild|sursa foto|фото|photograph|credit)s?"
    r"(?: credits?)?\s*[:©|]\s*[^.!?]{2,80}"
    r"|©\s*[^.!?]{2,80}"
    r"|\b(?:photo|image|picture)s?\s+(?:by|courtesy(?: of)?)\s+[^.!?]{2,80}"
    r"|\|\s*" + _AGENCIES + r")\s*\.?\s*$",
    re.IGNORECASE,
)
"""A photo credit closing a block: "(Contributor/Getty Images)", "FOTO: Name",
"© Reuters", "Photo by Name": the block is an image caption (or just its credit)."""
_CREDIT_REACH = 300
"""How many characters at a block's end are searched for a photo credit."""
_CREDIT_WORDS = ("photo", "image", "picture")
"""A block is searched for a photo credit when its tail holds "(", ":", "©" or
"|", or the block one of these words (a cheap test before the expression)."""
_CREDIT_WORD_PARTS = ("oto", "mage", "ctur", "ld", "ото", "cred")
"""Parts of every credit word of ``_CAPTION_CREDIT`` (photo, foto, фото, image,
picture, bild, credit...)."""
_PHOTO_WORD_PARTS = ("photo", "mage", "ctur")
"""Parts of the words before "by" or "courtesy" in ``_CAPTION_CREDIT``."""

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
        "doc_long_share",
        "doc_log_words",
        "gap_before",
        "gap_after",
        "log_chunk_blocks",
        "doc_gap_share",
    ]
    + [f"cue_{name}" for name in CUES]
    + ["cue_byline", "cue_defines_subject", "cue_caption_credit"]
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
"""Column of each own feature in the matrix of a block's own features."""
_COL = {name: i for i, name in enumerate(FEATURE_NAMES)}
"""Column of each feature in the output: written by name, so that a feature added
to (or moved in) ``FEATURE_NAMES`` cannot shift the others."""
_OWN_COLUMNS = [_COL[name] for name in _OWN_FEATURES]
_NEIGHBOUR_COLUMNS = {
    offset: [_COL[f"{name}@{offset:+d}"] for name in _NEIGHBOUR_FEATURES] for offset in _OFFSETS
}
_EXISTS_COLUMN = {offset: _COL[f"exists@{offset:+d}"] for offset in _OFFSETS}
_CUE_COLUMNS = [_IDX[f"cue_{name}"] for name in CUES]
_NEIGHBOUR_IDX = [_IDX[name] for name in _NEIGHBOUR_FEATURES]
_KIND_COLUMN = {
    KIND_HEADING: _IDX["kind_heading"],
    KIND_LIST: _IDX["kind_list"],
    KIND_TABLE: _IDX["kind_table"],
    KIND_PARAGRAPH: _IDX["kind_paragraph"],
}
_LONG_WORDS = 25


def _topic_terms(
    distinct: list[str], content: np.ndarray, ids: np.ndarray, block_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The topic terms (:func:`~detector.tokens.topic_terms`) of a document's
    content words, as (term ids, block of each). Without them a Chinese or
    Russian block shares almost no words with the rest of its article, and
    reads as a glossary pasted in from elsewhere. A document whose letters
    are all below U+0400 (Latin, Greek) has no word to rewrite: its terms are
    its content words. A word holds letters and inner apostrophes only, so the
    typographic one (U+2019, in most edited English) is left out of that test."""
    if max("".join(distinct).replace("\u2019", ""), default="") < "\u0400":
        keep = content[ids]
        return ids[keep], block_of[keep]
    vocabulary: dict[str, int] = {}
    word_terms = [
        [vocabulary.setdefault(term, len(vocabulary)) for term in topic_terms(word)]
        if is_content
        else []
        for word, is_content in zip(distinct, content.tolist(), strict=True)
    ]
    per_token = [word_terms[i] for i in ids.tolist()]
    terms = np.fromiter(chain.from_iterable(per_token), dtype=np.intp)
    uses = np.fromiter(map(len, per_token), dtype=np.intp, count=len(per_token))
    return terms, np.repeat(block_of, uses)


def _topic_similarity(
    tokens: list[list[str]], terms: np.ndarray, block_of: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per block, the cosine between its topic-term counts (``_topic_terms``)
    and those of the rest of the document, and those of the longest block (1
    for the longest itself)."""
    n = len(tokens)
    width = int(terms.max()) + 1 if len(terms) else 1
    pairs, counts = np.unique(block_of * width + terms, return_counts=True)
    pair_block, pair_word = np.divmod(pairs, width)
    counts = counts.astype(np.float64)  # integers all the way: sums are exact
    doc = np.bincount(pair_word, weights=counts, minlength=width)
    dot = np.bincount(pair_block, weights=counts * doc[pair_word], minlength=n)
    norm2 = np.bincount(pair_block, weights=counts * counts, minlength=n)
    rest_dot = dot - norm2
    rest_norm2 = doc @ doc - 2 * dot + norm2
    to_rest = np.zeros(n)
    ok = (norm2 > 0) & (rest_norm2 > 0) & (rest_dot > 0)
    to_rest[ok] = rest_dot[ok] / np.sqrt(norm2[ok] * rest_norm2[ok])
    longest = int(np.argmax([len(t) for t in tokens]))
    longest_vector = np.zeros(width)
    own = pair_block == longest
    longest_vector[pair_word[own]] = counts[own]
    dot_longest = np.bincount(pair_block, weights=counts * longest_vector[pair_word], minlength=n)
    to_longest = np.zeros(n)
    ok = (norm2 > 0) & (norm2[longest] > 0)
    to_longest[ok] = dot_longest[ok] / (np.sqrt(norm2[ok]) * np.sqrt(norm2[longest]))
    to_longest[longest] = 1.0
    return to_rest, to_longest


_CHAR_TESTS = (
    str.isalpha,
    str.isupper,
    str.isspace,
    str.isalnum,
    str.isdigit,
    _QUOTE.fullmatch,
    _SEPARATORS.fullmatch,
    ",".__eq__,
)
"""The character classes counted per block, one bit each in ``_flags``."""
_ALPHA, _UPPER, _SPACE, _ALNUM, _DIGIT, _QUOTES, _SEPS, _COMMAS, _WORDS, _UPPER_WORDS = range(10)
"""Columns of ``_char_counts``: a count per class, then whitespace-separated words
and those of them that start with an upper-case letter."""


def _flags(char: str) -> int:
    return sum(1 << bit for bit, test in enumerate(_CHAR_TESTS) if test(char))


_char_flags = CharClasses(_flags)
"""``_flags`` of each character of an array of code points."""


def _char_counts(texts: Sequence[str]) -> np.ndarray:
    """Per text, how many characters fall in each class of ``_CHAR_TESTS``, how
    many words ``str.split`` finds and how many of those start upper-case."""
    out = np.zeros((len(texts), _UPPER_WORDS + 1), dtype=np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    filled = np.flatnonzero(lengths)
    if not len(filled):
        return out
    starts = (np.cumsum(lengths) - lengths)[filled]
    joined = "".join(texts).encode("utf-32-le", "surrogatepass")
    codes = np.frombuffer(joined, dtype=np.uint32)
    flags = _char_flags(codes)
    space = (flags & (1 << _SPACE)).astype(bool)
    word_start = ~space
    word_start[1:] &= space[:-1]
    word_start[starts] = ~space[starts]
    # One count per (text, class bits, starts a word) pattern, then the bits;
    # a few hundred texts at a time, so the table stays small.
    pattern = flags.astype(np.intp) | (word_start.astype(np.intp) << _WORDS)
    block = np.repeat(np.arange(len(texts)), lengths)
    ends = np.concatenate([[0], np.cumsum(lengths)])
    width = 1 << (_WORDS + 1)
    for lo in range(0, len(texts), _COUNT_CHUNK):
        hi = min(lo + _COUNT_CHUNK, len(texts))
        chars = slice(ends[lo], ends[hi])
        keys = (block[chars] - lo) * width + pattern[chars]
        per_pattern = np.bincount(keys, minlength=(hi - lo) * width).reshape(hi - lo, width)
        out[lo:hi, : _WORDS + 1] = per_pattern @ _PATTERN_BITS
        out[lo:hi, _UPPER_WORDS] = per_pattern @ _UPPER_WORD_PATTERNS
    return out


_COUNT_CHUNK = 256


_PATTERN_BITS = (np.arange(1 << (_WORDS + 1))[:, None] >> np.arange(_WORDS + 1)) & 1
_UPPER_WORD_PATTERNS = _PATTERN_BITS[:, _WORDS] & _PATTERN_BITS[:, _UPPER]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, 0 where ``den`` is 0."""
    out = np.zeros(len(num))
    np.divide(num, den, out=out, where=den != 0)
    return out


def _count_features(
    lengths: np.ndarray,
    counts: np.ndarray,
    n_words: np.ndarray,
    n_stops: np.ndarray,
    n_word_letters: np.ndarray,
    own: np.ndarray,
) -> None:
    """The features of every block that are ratios of its counts."""
    non_space = np.maximum(lengths - counts[:, _SPACE], 1)
    n_letters, n_upper = counts[:, _ALPHA], counts[:, _UPPER]
    own[:, _IDX["log_chars"]] = [math.log1p(x) for x in lengths.tolist()]
    own[:, _IDX["log_words"]] = [math.log1p(x) for x in n_words.tolist()]
    own[:, _IDX["mean_word_len"]] = _ratio(n_word_letters, n_words)
    own[:, _IDX["upper_share"]] = _ratio(n_upper, n_letters)
    own[:, _IDX["title_word_share"]] = _ratio(counts[:, _UPPER_WORDS], counts[:, _WORDS])
    own[:, _IDX["all_caps"]] = (n_letters > 2) & (n_upper == n_letters)
    own[:, _IDX["comma_per_word"]] = _ratio(counts[:, _COMMAS], n_words)
    own[:, _IDX["punct_share"]] = (lengths - counts[:, _SPACE] - counts[:, _ALNUM]) / non_space
    own[:, _IDX["digit_share"]] = counts[:, _DIGIT] / non_space
    own[:, _IDX["quote_share"]] = counts[:, _QUOTES] / non_space
    own[:, _IDX["separator_share"]] = counts[:, _SEPS] / non_space
    own[:, _IDX["stop_density"]] = _ratio(n_stops, n_words)
    own[:, _IDX["log_stop_count"]] = [math.log1p(x) for x in n_stops.tolist()]


_CREDIT_CUE = list(CUES).index("credit")


def _text_features(
    texts: Sequence[str],
    lowered: Sequence[str],
    tokens: Sequence[Sequence[str]],
    normalised: Sequence[str],
    has_digits: Sequence[bool],
    own: np.ndarray,
) -> None:
    """The features of each block that look at its text (openings, endings,
    dates, addresses, cues); ``lowered`` holds the lower-cased texts,
    ``normalised`` their words joined by spaces."""
    n = len(texts)
    ends = [t.rstrip() for t in texts]
    column = _IDX
    own[:, column["starts_upper"]] = [t.lstrip("-*+•·▪‣#>\"'“„«‘( ")[:1].isupper() for t in texts]
    own[:, column["ends_sentence"]] = [e.rstrip(_CLOSERS)[-1:] in _SENTENCE_MARKS for e in ends]
    own[:, column["ends_colon"]] = [e.endswith(":") for e in ends]
    own[:, column["ends_ellipsis"]] = [e.endswith(("...", "…")) for e in ends]
    own[:, column["log_sentences"]] = [math.log1p(len(_SENTENCE_END.findall(t))) for t in texts]
    digits = [i for i, d in enumerate(has_digits) if d]  # dates and times hold digits
    own[[i for i in digits if _YEAR.search(texts[i])], column["has_year"]] = 1.0
    own[[i for i in digits if _TIME.search(texts[i])], column["has_time"]] = 1.0
    own[
        [i for i in digits if not MONTHS.isdisjoint(tokens[i]) or _NUMERIC_DATE.search(texts[i])],
        column["has_date"],
    ] = 1.0
    own[:, column["has_url"]] = [_has_url(lower) for lower in lowered]
    own[:, column["starts_bullet"]] = [_BULLET.match(t) is not None for t in texts]
    own[:, column["md_heading"]] = [_MD_HEADING.match(t) is not None for t in texts]
    cues = np.zeros((n, len(CUES)), dtype=np.float32)
    for i, (toks, key) in enumerate(zip(tokens, normalised, strict=True)):
        found = _cues_found(toks, f" {key} ")
        if found:
            cues[i, list(found)] = 1.0
    cues[[i for i, t in enumerate(texts) if "©" in t], _CREDIT_CUE] = 1.0
    own[:, _CUE_COLUMNS] = cues
    own[:, column["cue_defines_subject"]] = [
        _may_define_subject(key) and _DEFINES_SUBJECT.match(f" {key} ") is not None
        for key in normalised
    ]
    tails = [end[-_CREDIT_REACH:] for end in ends]
    credited = [
        i
        for i, (tail, lower) in enumerate(zip(tails, lowered, strict=True))
        if _may_end_in_credit(tail, lower) and _CAPTION_CREDIT.search(tail)
    ]
    own[credited, column["cue_caption_credit"]] = 1.0
    own[:, column["cue_byline"]] = [
        bool(toks) and toks[0] in _BYLINE_START and _byline(text, toks[0])
        for text, toks in zip(texts, tokens, strict=True)
    ]


def _byline(text: str, first: str) -> bool:
    """Whether a block whose first word is ``first`` (a byline's "by") names
    someone after it: its first raw word is that word and the next one is
    capitalised."""
    raw_words = text.split(maxsplit=2)
    return len(raw_words) > 1 and raw_words[0].lower() == first and raw_words[1][:1].isupper()


def _may_define_subject(key: str) -> bool:
    """Whether ``_DEFINES_SUBJECT`` can match the space-joined words ``key``:
    it needs "refer", "is defined as" or "denotes", or "is a", "is the" or
    "are" and then "that", "which", "where", "whose" or "used"."""
    if " refer" in key or " is defined as" in key or " denotes" in key:
        return True
    return (" is a" in key or " is the " in key or " are " in key) and any(
        word in key for word in _DEFINING_WORDS
    )


_DEFINING_WORDS = (" that", " which", " where", " whose", " used")


def _may_end_in_credit(tail: str, lower: str) -> bool:
    """Whether to search the right-stripped ``tail`` of a block (the block
    lower-cased: ``lower``) for ``_CAPTION_CREDIT``: only where the tail holds
    "(", ":", "©" or "|" or the block one of ``_CREDIT_WORDS``, and where the
    expression can match. Each of its forms needs a "©" or a "|", or brackets
    closing at the end, or a colon and a credit word, or a photo word and "by"
    or "courtesy". Words are tested by parts without "i" and "s", which have
    case-insensitive equivalents that ``str.lower`` does not give."""
    if "©" in tail or "|" in tail:
        return True
    if "(" in tail and (
        tail.endswith(")") or (tail.endswith(".") and tail[:-1].rstrip().endswith(")"))
    ):
        return True
    colon = ":" in tail
    if colon and any(part in lower for part in _CREDIT_WORD_PARTS):
        return True
    return (
        ("by" in lower or "courte" in lower)
        and any(part in lower for part in _PHOTO_WORD_PARTS)
        and ("(" in tail or colon or any(word in lower for word in _CREDIT_WORDS))
    )


def _has_url(lower: str) -> bool:
    """Whether a lower-cased text holds a mark of an address: "@", ".com",
    "www.", "http://", "https://", ".org" or ".net"."""
    return (
        "@" in lower
        or ".com" in lower
        or "www." in lower
        or "http://" in lower
        or "https://" in lower
        or ".org" in lower
        or ".net" in lower
    )


def _document_features(blocks: Sequence[Block], words: DocumentWords | None = None) -> np.ndarray:
    """The feature rows of one document's blocks; ``words`` may pass
    ``document_words`` of their texts."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    own = np.zeros((n, len(_OWN_FEATURES)), dtype=np.float32)
    texts = [b.text for b in blocks]
    if words is None:
        words = document_words(texts)
    tokens = words.tokens
    every_token = list(chain.from_iterable(tokens))
    distinct = list(dict.fromkeys(every_token))  # in order of first use
    vocabulary = dict(zip(distinct, range(len(distinct)), strict=True))
    ids = np.fromiter(
        map(vocabulary.__getitem__, every_token), dtype=np.intp, count=len(every_token)
    )
    n_words = np.fromiter(map(len, tokens), dtype=np.intp, count=n)
    block_of = np.repeat(np.arange(n), n_words)
    uses = np.bincount(ids, minlength=len(distinct))
    is_stop = stop_words_of_language(distinct, uses.tolist())
    word_len = np.fromiter(map(len, distinct), dtype=np.intp, count=len(distinct))
    n_stops = np.bincount(block_of, weights=is_stop[ids], minlength=n).astype(np.intp)
    n_word_letters = np.bincount(block_of, weights=word_len[ids], minlength=n).astype(np.intp)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=n)
    counts = _char_counts(texts)
    _count_features(lengths, counts, n_words, n_stops, n_word_letters, own)
    terms, term_block = _topic_terms(distinct, ~is_stop & (word_len > 1), ids, block_of)
    to_rest, to_longest = _topic_similarity(tokens, terms, term_block)
    own[:, _IDX["topic_sim"]] = to_rest
    own[:, _IDX["topic_sim_longest"]] = to_longest
    normalised = [" ".join(toks) for toks in tokens]
    has_digits = (counts[:, _DIGIT] > 0).tolist()
    _text_features(texts, words.lowered, tokens, normalised, has_digits, own)
    _position(blocks, n_words, own)
    _duplicates(normalised, own)
    _containment(normalised, own)
    _long_run_position(tokens, own)
    _layout(blocks, own)
    return _with_neighbours(own)


def _position(blocks: Sequence[Block], n_words: np.ndarray, own: np.ndarray) -> None:
    """Each block's kind, whether it opens or closes the document and its share
    of the words. No feature says where a block stands as a share of the
    document: in a long article the second half would look like a page's
    footer (where it stands relative to the likely article is in the
    long-run features and the second pass's expected content before and after)."""
    kinds = [(i, _KIND_COLUMN[b.kind]) for i, b in enumerate(blocks) if b.kind in _KIND_COLUMN]
    if kinds:
        rows, columns = zip(*kinds, strict=True)
        own[list(rows), list(columns)] = 1.0
    own[0, _IDX["is_first"]] = 1.0
    own[-1, _IDX["is_last"]] = 1.0
    own[:, _IDX["share_of_doc_words"]] = n_words / (int(n_words.sum()) or 1)


def _duplicates(normalised: list[str], own: np.ndarray) -> None:
    """Mark blocks whose words an earlier block repeats, or a later one does
    (on the first of them)."""
    seen = Counter(normalised)
    first_seen: dict[str, int] = {}
    for i, key in enumerate(normalised):
        if not key:
            continue
        if key in first_seen:
            own[i, _IDX["dup_earlier"]] = 1.0
        else:
            first_seen[key] = i
            own[i, _IDX["dup_later"]] = float(seen[key] > 1)


def _containment(normalised: list[str], own: np.ndarray) -> None:
    """Mark short blocks whose text appears inside another, longer block."""
    long_texts = [t for t in normalised if len(t) > 80]
    if not long_texts:
        return
    # One search of all long texts at once, each between newlines (which no
    # text holds): a find inside another text, not just a long text equal to
    # this one, is what counts.
    haystack = "\n" + "\n".join(long_texts) + "\n"
    for i, text in enumerate(normalised):
        if 8 <= len(text) <= 300:
            own[i, _IDX["contained_in_other"]] = float(_inside_another(text, haystack))


def _inside_another(text: str, haystack: str) -> bool:
    """Whether ``text`` occurs in a newline-separated text of ``haystack`` other
    than one equal to it."""
    at = haystack.find(text)
    while at >= 0:
        if haystack[at - 1] != "\n" or haystack[at + len(text)] != "\n":
            return True
        at = haystack.find(text, at + 1)
    return False


def _long_run_position(tokens: list[list[str]], own: np.ndarray) -> None:
    """Where each block stands relative to the long prose blocks of the
    document, and how much of the document they hold (with its length, a
    document-level estimate of how much leftover there is to remove: a text
    that is already an article is nearly all long blocks, a page dump is not)."""
    long_ids = [i for i, toks in enumerate(tokens) if len(toks) >= _LONG_WORDS]
    n = len(tokens)
    total = sum(map(len, tokens))
    own[:, _IDX["doc_long_share"]] = sum(len(tokens[i]) for i in long_ids) / (total or 1)
    own[:, _IDX["doc_log_words"]] = math.log1p(total)
    if not long_ids:
        own[:, _IDX["log_dist_long"]] = math.log1p(n)
        return
    first, last = long_ids[0], long_ids[-1]
    ids = np.array(long_ids)
    idx = np.arange(n)
    after = np.minimum(np.searchsorted(ids, idx), len(ids) - 1)
    before = np.maximum(after - 1, 0)
    distance = np.minimum(np.abs(ids[after] - idx), np.abs(ids[before] - idx))
    own[:, _IDX["before_first_long"]] = idx < first
    own[:, _IDX["after_last_long"]] = idx > last
    own[:, _IDX["log_dist_long"]] = [math.log1p(d) for d in distance.tolist()]
    own[:, _IDX["inside_long_run"]] = (first <= idx) & (idx <= last)


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
    """``own`` followed, per offset of ``_OFFSETS``, by the neighbour features of
    the block that far away and a flag that it exists (zeros past the ends)."""
    n = len(own)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    out[:, _OWN_COLUMNS] = own
    picked = own[:, _NEIGHBOUR_IDX]
    for offset in _OFFSETS:
        reach = max(n - abs(offset), 0)  # rows whose neighbour exists
        rows = slice(max(-offset, 0), max(-offset, 0) + reach)
        neighbours = slice(max(offset, 0), max(offset, 0) + reach)
        out[rows, _NEIGHBOUR_COLUMNS[offset]] = picked[neighbours]
        out[rows, _EXISTS_COLUMN[offset]] = 1.0
    return out


class BlockFeatures:
    """Documents (sequences of blocks) -> one feature row per block, in order.

    Stateless: ``fit`` learns nothing; the columns are ``FEATURE_NAMES``.
    """

    def fit(self, X: Sequence[Sequence[Block]], y: object = None) -> BlockFeatures:
        """Nothing to learn; returns self."""
        return self

    def transform_document(self, blocks: Sequence[Block], words: DocumentWords) -> np.ndarray:
        """The feature rows of one document's blocks, given ``document_words`` of
        their texts (which the caller reuses): ``transform([blocks])``."""
        return _document_features(blocks, words)

    def transform(self, X: Sequence[Sequence[Block]]) -> np.ndarray:
        """Stack the feature rows of every block of every document."""
        matrices = [_document_features(doc) for doc in X]
        if not matrices:
            return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
        return np.vstack(matrices)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the produced columns."""
        return np.array(FEATURE_NAMES, dtype=object)
