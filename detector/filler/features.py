"""Features of filler text: interpretable, language-aware, and lexical.

Two families, both scikit-learn transformers over a list of texts:

- ``FillerFeatures``: a few dozen hand features in four groups, each with a name
  and a sentence a person understands, used as evidence:
  reporting (attribution verbs, quotation marks of every kind, figures, dates,
  names), filler (buzzwords, formal "stated" verbs, hedges, unnamed sources,
  definition / conclusion / recommendation templates, generic headings,
  chat-assistant framing),
  rhythm (sentence and word length, their variation, vocabulary richness) and
  structure (bullet and table share, generic table cells, "Label: ..." items,
  repeated phrases). Lexicons cover en de fr es it pt ro ru uk pl nl id and
  are pooled, so one weight serves every language.
- ``LexicalTfidf``: word 1-2-gram, character 3-5-gram and sentence-skeleton
  3-5-gram TF-IDF over text whose whitespace, markdown markers, quote styles and
  digits are normalised, so that formatting alone is not learned. Its
  vocabulary is kept as one string, so the model file stays small and loads
  without pickle.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, pairwise
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from detector.filler import lexicons as lx
from detector.tokens import FILLER_TOKEN, WORD_OR_MARK

# --------------------------------------------------------------------------
# text parsing

_TOKEN = FILLER_TOKEN
_BULLET = re.compile(r"^\s{0,6}(?:[-*+•·▪‣–—]|\d{1,3}[.)])\s+(?=\S)")
_TABLE_ROW = re.compile(r"^\s{0,3}\|.*\|\s*$")
_TABLE_SEP = re.compile(r"^[\s|:\-]+$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_LABEL_ITEM = re.compile(r"^(?:\*\*|__)?[^:.!?]{2,48}?(?:\*\*|__)?\s*:\s+\S")
_YEAR = re.compile(r"1(?<!\d1)[6-9]\d\d(?!\d)|2(?<!\d2)0\d\d(?!\d)")
"""A year from 1600 to 2099 standing alone (digit first, so the search skips to it)."""
_DOUBLE_QUOTES = '"“”„«»「」『』‹›'
_QUOTE_MARK = re.compile(
    "|".join(_DOUBLE_QUOTES)
    + r"|'(?<![\w'’]')(?=\w)|‘(?<![\w'’]‘)(?=\w)"  # a single quote that opens
    + r"|'(?<=[\w.,!?]')(?![\w'’])|’(?<=[\w.,!?]’)(?![\w'’])"  # or closes
)
"""A quotation mark: any double one, a single one that opens or closes. Every
branch starts with one literal character, so the search skips to the
characters that can start one."""
_QUOTED_SPAN = re.compile(
    r"“[^“”]{1,600}”|„[^„“”]{1,600}[“”]|«[^«»]{1,600}»|\"[^\"]{1,600}\"|「[^」]{1,600}」"
    r"|‘(?<!\w‘)[^‘’']{3,300}[’'](?!\w)|'(?<!\w')[^‘’']{3,300}[’'](?!\w)"
)
"""A quoted span; every branch starts with one literal character (as in ``_QUOTE_MARK``)."""
_SPAN_OPENERS = '“„«"「‘'
"""The characters a quoted span (``_QUOTED_SPAN``) can open with, besides "'"."""
_PARTICIPLE_TAIL = re.compile(
    r",\s+(?!including\b|according\b|during\b|following\b|regarding\b|nothing\b|something\b)"
    r"([a-z]+ing)\b"
)
_END_PUNCT = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
_MD_INLINE = re.compile(r"(\*\*|__|\*|`)")
_CASELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


class _Lexicons:
    """All lexicons matched in one pass over a text's lowercased tokens: single
    words and phrases by lookup of token n-grams; the few phrases that do not
    tokenise cleanly (a leading dash) by one small regex."""

    def __init__(self, lexicons: dict[str, dict[str, str]]) -> None:
        self.names = tuple(lexicons)
        self.index: dict[tuple[str, ...], list[str]] = {}
        odd: dict[str, list[str]] = {}
        for name, lexicon in lexicons.items():
            for entry in lx.entries(lexicon):
                toks = tuple(t.replace("’", "'") for t in _TOKEN.findall(entry))
                if toks and " ".join(toks) == entry.replace("’", "'"):
                    self.index.setdefault(toks, []).append(name)
                else:
                    odd.setdefault(entry, []).append(name)
        starts: dict[tuple[str, str], set[int]] = {}
        for key in self.index:
            if len(key) > 1:
                starts.setdefault(key[:2], set()).add(len(key))
        self.starts = {pair: sorted(lengths) for pair, lengths in starts.items()}
        """For each pair of first words of a phrase, the phrase lengths to try from it."""
        self.words = {key[0]: names for key, names in self.index.items() if len(key) == 1}
        """The single-word entries."""
        self.odd = odd
        self.odd_words = tuple(
            {_TOKEN.findall(entry)[-1] for entry in odd if _TOKEN.findall(entry)}
        )
        """A line holds an odd phrase only if it holds one of these words."""
        self.odd_re = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(odd, key=len)[::-1])
                + r")(?!\w)"
            )
            if odd
            else None
        )

    def find(self, lower_tokens: Sequence[str], lower_text: str) -> dict[str, list[str]]:
        """The hits of every lexicon in one text (its lower-case tokens and text)."""
        found: dict[str, list[str]] = {name: [] for name in self.names}
        found.update(self.find_lines(lower_tokens, [len(lower_tokens)], [lower_text])[0])
        return found

    def find_lines(
        self, lower_tokens: Sequence[str], ends: Sequence[int], lower_texts: Sequence[str]
    ) -> list[dict[str, list[str]]]:
        """The hits of the lexicons that have some in each of many lines, in one
        pass over their lower-case tokens (``lower_tokens``: the lines' tokens one
        after another, ``ends``: where each line's end; ``lower_texts``: each
        line's lower-case text); no phrase runs from one line into the next."""
        found: list[dict[str, list[str]]] = [{} for _ in ends]
        index, words, starts = self.index, self.words, self.starts
        singles = list(compress(range(len(lower_tokens)), map(words.get, lower_tokens)))
        pairs = list(compress(range(len(lower_tokens)), map(starts.get, pairwise(lower_tokens))))
        line = 0
        for i in sorted({*singles, *pairs}) if pairs else singles:
            while i >= ends[line]:
                line += 1
            n, hits = ends[line], found[line]
            token = lower_tokens[i]
            hit = words.get(token)
            if hit:
                for name in hit:
                    hits.setdefault(name, []).append(token)
            for k in starts.get(tuple(lower_tokens[i : i + 2]), ()) if pairs else ():
                if i + k > n:
                    break
                key = tuple(lower_tokens[i : i + k])
                hit = index.get(key)
                if hit:
                    text = " ".join(key)
                    for name in hit:
                        hits.setdefault(name, []).append(text)
        if self.odd_re is not None:
            for hits, lower_text in zip(found, lower_texts, strict=True):
                if any(w in lower_text for w in self.odd_words):
                    for m in self.odd_re.finditer(lower_text):
                        text = re.sub(r"\s+", " ", m.group(0))
                        for name in self.odd.get(text, ()):
                            hits.setdefault(name, []).append(text)
        return found


LEXICONS = _Lexicons(
    {
        "attribution": lx.ATTRIBUTION,
        "stated": lx.STATED,
        "buzzwords": lx.BUZZ,
        "connectors": lx.CONNECTORS,
        "hedges": lx.HEDGES,
        "vague_sources": lx.VAGUE_SOURCES,
        "definition": lx.DEFINITION,
        "conclusion": lx.CONCLUSION,
        "recommendation": lx.RECOMMENDATION,
        "dates": lx.DATES,
        "second_person": lx.SECOND_PERSON,
        "first_person": lx.FIRST_PERSON,
    }
)
_GENERIC_HEADINGS = _Lexicons({"generic_heading": lx.GENERIC_HEADINGS})


def strip_markdown_line(line: str) -> str:
    """A line without its markdown markers: heading hashes, bullets, bold, table bars."""
    line = _MD_HEADING.sub("", line)
    line = _BULLET.sub("", line)
    if _TABLE_ROW.match(line):
        line = (
            ""
            if _TABLE_SEP.match(line)
            else " ; ".join(c.strip() for c in line.strip().strip("|").split("|"))
        )
    if "*" in line or "__" in line or "`" in line:
        line = _MD_INLINE.sub("", line)
    return line.strip()


def _is_heading(line: str) -> bool:
    if _MD_HEADING.match(line) or _BOLD_LINE.match(line):
        return True
    stripped = line.strip()
    words = stripped.split()
    return (
        0 < len(words) <= 16
        and not _END_PUNCT.search(stripped)
        and not _BULLET.match(stripped)
        and not _TABLE_ROW.match(stripped)
    )


_STATS: tuple[str, ...] = (
    "tokens", "quote_marks", "quoted", "numbers", "dates", "names", "capitals", "cased",
    "tails", "sentences", "slen_n", "slen_sum", "slen_sq", "words", "wlen_sum", "long_words",
    "commas", "brackets", "exclaims", "bullets", "labels", "table_rows", "colons",
    *(f"lex:{name}" for name in LEXICONS.names),
)  # fmt: skip
"""The counts ``_parse_lines`` keeps for each line; a text's are their sums."""
_S = {name: i for i, name in enumerate(_STATS)}
_SEPARATOR, _TEXT, _TABLE = range(3)


class _Line(NamedTuple):
    """What ``analyse`` takes from one line, wherever the line stands: its
    counts (``stats``, summed over a text's lines) and the pieces that the
    evidence quotes or that depend on the line's place in a text."""

    kind: int  # _TEXT, _TABLE or _SEPARATOR
    stats: np.ndarray  # counts in the order of ``_STATS``
    clean: str  # without markdown markers
    lower: tuple[str, ...]  # its tokens (sentences or cells) in lower case
    codes: np.ndarray  # a hash of each lower-case token
    is_word: np.ndarray  # which tokens are not numbers
    found: dict[str, list[str]]  # lexicon hits by lexicon
    numbers: tuple[str, ...]
    years: tuple[str, ...]
    tails: tuple[str, ...]  # participle tails
    names: tuple[str, ...]
    bullet: bool
    label_item: bool
    generic_heading: bool  # a heading made of generic words
    cells: tuple[int, int]  # table cells, and those short and without figures


_NO_CODES = np.zeros(0, dtype=np.int64)
_SEPARATOR_LINE = _Line(
    _SEPARATOR, np.zeros(len(_STATS)), "", (), _NO_CODES, _NO_CODES.astype(bool), {}, (), (),
    (), (), False, False, False, (0, 0),
)  # fmt: skip


_LINE_COUNTS: tuple[str, ...] = (
    "quote_marks", "quoted", "dates", "tails", "commas", "brackets", "exclaims", "bullets",
    "labels", "table_rows", "colons", *(f"lex:{name}" for name in LEXICONS.names),
)  # fmt: skip
"""The counts of ``_STATS`` that ``_line_details`` takes from a line's own
text; ``_parse_lines`` counts the others over the tokens of all lines at once."""
_LINE_COLUMNS = [_S[name] for name in _LINE_COUNTS]


def _parse_lines(lines: Sequence[str]) -> list[_Line]:
    """Each line's part of ``analyse``, whatever the line's place in a text. The
    lines are tokenised together (``_tokenise``) and what their tokens give
    (counts, lower-case forms, names) is found for all of them at once; only
    what needs a line's own text is done line by line (``_line_details``)."""
    kinds = [
        (_SEPARATOR if _TABLE_SEP.match(line) else _TABLE) if _TABLE_ROW.match(line) else _TEXT
        for line in lines
    ]
    cells = [
        [c.strip() for c in line.strip().strip("|").split("|")] if kind == _TABLE else []
        for line, kind in zip(lines, kinds, strict=True)
    ]
    cleans = [
        strip_markdown_line(line) if kind != _SEPARATOR else ""
        for line, kind in zip(lines, kinds, strict=True)
    ]
    tokens, bounds, sentence_ends = _tokenise(
        [" ".join(row) if row else clean for row, clean in zip(cells, cleans, strict=True)]
    )
    n_lines, n_tokens = len(lines), len(tokens)
    text = np.array(kinds, dtype=np.int64) == _TEXT
    token_line = np.repeat(np.arange(n_lines), np.diff(bounds))
    first = list(map(_FIRST, tokens))
    initials = list(map(_INITIALS.get, first))
    if None in initials:
        initials = [_initial(t) if k is None else k for k, t in zip(initials, tokens, strict=True)]
    # Sentences of text lines. A table row's tokens are no sentence: each is set
    # apart as if it began one, so that they hold no names and no capitals.
    sentence_line = np.searchsorted(bounds[1:], sentence_ends, side="left")
    sentence_length = np.diff(sentence_ends, prepend=0)
    in_text = text[sentence_line]
    names, upper = _names(
        tokens,
        initials,
        np.concatenate(
            [(sentence_ends - sentence_length)[in_text], np.flatnonzero(~text[token_line])]
        ),
    )
    name_line = token_line[[start for start, _ in names]]
    digit = list(map(str.isdigit, first))
    size = np.fromiter(map(len, tokens), np.int64, n_tokens)
    cased = np.array(initials, dtype=bool)
    long = in_text & (sentence_length >= 3)
    line_of, long_length = sentence_line[long], sentence_length[long].astype(float)
    stats = np.zeros((n_lines, len(_STATS)))
    for name, where, values in (
        ("tokens", token_line, None), ("numbers", token_line, digit),
        ("words", token_line, cased), ("wlen_sum", token_line, size * cased),
        ("long_words", token_line, cased & (size > 9)), ("capitals", token_line, upper),
        ("names", name_line, None), ("sentences", sentence_line[in_text], None),
        ("slen_n", line_of, None), ("slen_sum", line_of, long_length),
        ("slen_sq", line_of, long_length**2),
    ):  # fmt: skip
        stats[:, _S[name]] = np.bincount(where, weights=values, minlength=n_lines)
    stats[:, _S["cased"]] = stats[:, _S["words"]] * text
    lower = " ".join(tokens).lower().replace("’", "'").split(" ") if tokens else []
    codes = np.fromiter(map(hash, lower), np.int64, n_tokens)
    is_word = np.invert(np.array(digit, dtype=bool))
    lower_texts = [clean.lower().replace("’", "'") for clean in cleans]
    found = LEXICONS.find_lines(lower, bounds[1:].tolist(), lower_texts)
    names_by_line: list[list[str]] = [[] for _ in range(n_lines)]
    for k, (_, name) in zip(name_line.tolist(), names, strict=True):
        names_by_line[k].append(name)
    out, counts = [], []
    bounds = bounds.tolist()
    for k, line in enumerate(lines):
        if kinds[k] == _SEPARATOR:
            out.append(_SEPARATOR_LINE)
            counts.append([0] * len(_LINE_COUNTS))
            continue
        a, b = bounds[k], bounds[k + 1]
        part, line_counts = _line_details(
            line, kinds[k], cleans[k], cells[k], tokens[a:b], tuple(lower[a:b]), digit[a:b],
            lower_texts[k], found[k],
        )  # fmt: skip
        out.append(
            part._replace(
                stats=stats[k],
                codes=codes[a:b],
                is_word=is_word[a:b],
                names=tuple(names_by_line[k]),
            )
        )
        counts.append(line_counts)
    if lines:
        stats[:, _LINE_COLUMNS] = counts
    return out


def _line_details(
    line: str,
    kind: int,
    clean: str,
    cells: list[str],
    tokens: Sequence[str],
    lower: tuple[str, ...],
    digit: Sequence[bool],
    lower_text: str,
    found: dict[str, list[str]],
) -> tuple[_Line, list[float]]:
    """What ``_parse_lines`` takes from one line's own text (a text line or a
    table row, with its lower-case text and lexicon hits): its ``_Line``
    without the parts found over all lines' tokens (stats, codes, is_word,
    names), and its counts of ``_LINE_COUNTS``."""
    numbers = tuple(compress(tokens, digit))
    years = tuple(_YEAR.findall(clean)) if numbers else ()  # a year is a number token
    dates = found.get("dates", ())
    tails = tuple(_PARTICIPLE_TAIL.findall(lower_text)) if "," in clean else ()
    bullet = kind == _TEXT and bool(_BULLET.match(line))
    heading = kind == _TEXT and not bullet and _is_heading(line)
    label_item = bullet and bool(_LABEL_ITEM.match(clean))
    generic = heading and bool(
        _GENERIC_HEADINGS.find([t.lower() for t in tokens], lower_text)["generic_heading"]
    )
    quoted = (
        sum(len(_TOKEN.findall(m.group(0))) for m in _QUOTED_SPAN.finditer(clean))
        if "'" in clean or any(q in clean for q in _SPAN_OPENERS)
        else 0
    )
    filled = [c for c in cells if c]
    generic_cells = sum(
        1 for c in filled if not any(ch.isdigit() for ch in c) and len(c.split()) <= 5
    )
    counts = [
        len(_QUOTE_MARK.findall(clean)), quoted,
        len(dates) + sum(1 for y in years if y not in dates), len(tails), clean.count(","),
        clean.count("(") + clean.count("["),
        clean.count("!") + clean.count("?") + clean.count("？") + clean.count("！"),
        bullet, label_item, kind == _TABLE, line.rstrip().endswith(":"),
        *[len(found.get(name, ())) for name in LEXICONS.names],
    ]  # fmt: skip
    part = _Line(
        kind, _SEPARATOR_LINE.stats, clean, lower, _NO_CODES, _SEPARATOR_LINE.is_word, found,
        numbers, years, tails, (), bullet, label_item, generic, (len(filled), generic_cells),
    )  # fmt: skip
    return part, counts


_ITEM = re.compile(r"\n|[.!?…。！？][\"'”’»)\]]*[^\S\n]+|[。！？]|" + _TOKEN.pattern)
"""A line break, a sentence end or a token: sentences are what a line's
sentence ends (end punctuation, closing quotes or brackets, then space; or a
CJK full stop) cut it into, and no token holds end punctuation or begins with
a closing mark, so the tokens between two ends are the tokens of a sentence."""
_BREAKS = frozenset("\n.!?…。！？")
"""The first characters of line breaks and sentence ends (never of a token)."""


def _tokenise(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens (``_TOKEN``) of all ``texts`` one after another, where each
    text's tokens start (and, last, where they all end), and where each
    sentence with tokens ends, as the index of the token after it; a text is
    cut into sentences at ``_ITEM``'s sentence ends."""
    tokens: list[str] = []
    ends = [0]
    sentence_ends: list[int] = []
    last = 0
    for item in _ITEM.findall("\n".join(texts) + "\n") if texts else ():
        if item[0] in _BREAKS:
            n = len(tokens)
            if n > last:
                sentence_ends.append(n)
                last = n
            if item == "\n":
                ends.append(n)
        else:
            tokens.append(item)
    return tokens, np.array(ends), np.array(sentence_ends, dtype=np.int64)


def _phrases(lexicon: dict[str, str]) -> tuple[str, ...]:
    """A lexicon's entries as their lower-case tokens joined by spaces."""
    return tuple(" ".join(_TOKEN.findall(entry)).replace("’", "'") for entry in lx.entries(lexicon))


_OPENERS = tuple(p + " " for p in _phrases(lx.ASSISTANT_OPENERS))
"""The assistant openers, each with the space that ends its last word."""
_SIGNOFFS = _phrases(lx.ASSISTANT_SIGNOFFS)
_CJK_SPACE = re.compile(r"(?<=[\u3040-\u9fff]) (?=[\u3040-\u9fff])")
"""A space between two CJK characters, which are tokens of their own."""


def _assistant_framing(parts: list[_Line]) -> list[str]:
    """The chat-assistant phrases a text opens with ("Sure, here is") and signs
    off with ("I hope this helps"), read from its first and last text lines."""
    lines = [p for p in parts if p.kind == _TEXT]
    if not lines:
        return []
    found = []
    first = " ".join(lines[0].lower) + " "
    if first.startswith(_OPENERS):
        found.append(max((p for p in _OPENERS if first.startswith(p)), key=len)[:-1])
    last = " " + " ".join(lines[-1].lower) + " "
    signoffs = [p for p in _SIGNOFFS if f" {p} " in last]
    if signoffs:
        found.append(max(signoffs, key=len))
    return [_CJK_SPACE.sub("", p) for p in found]


def _names(
    tokens: Sequence[str], initials: Sequence[int], sentence_starts: np.ndarray
) -> tuple[list[tuple[int, str]], np.ndarray]:
    """Runs of two or more capitalised words inside sentences (not first), each
    with the index of its first token, and which tokens are capitalised there;
    ``tokens`` are the sentences' tokens one after another, ``initials`` the
    ``_initial`` of each, ``sentence_starts`` the first token of each sentence."""
    marks = np.array(initials, dtype=np.uint8)  # one byte per token: 0, 1 or _UPPER
    marks[sentence_starts] = 0  # a sentence's first word is capitalised anyway
    names = [
        (m.start(), " ".join(tokens[m.start() : m.end()]))
        for m in _UPPER_RUN.finditer(marks.tobytes())
    ]
    return names, marks == _UPPER


# --------------------------------------------------------------------------
# the hand features


@dataclass(frozen=True, slots=True)
class Feature:
    """One interpretable feature and how to say what it shows."""

    name: str
    group: str
    doc: str
    high: str  # said when a high value pushes the score (placeholders: {n} {v} {ex})
    low: str  # said when a low value pushes the score


FEATURES: tuple[Feature, ...] = (
    Feature("attribution", "reporting", "attribution verbs per 100 words",
            "attribution: {ex}", "little attribution (said, told, according to)"),
    Feature("no_reporting", "reporting", "1 when there is neither attribution nor a quote",
            "no attribution or quotes", "attribution or quotes present"),
    Feature("quotes", "reporting", "quotation marks of every kind per 100 words",
            "quotations ({n} quote marks)", "no quotations"),
    Feature("quoted_share", "reporting", "share of words inside quotation marks",
            "{v:.0%} of the text is quoted", "little quoted speech"),
    Feature("digits", "reporting", "numbers per 100 words",
            "figures: {ex}", "no figures"),
    Feature("dates", "reporting", "month and weekday names and years per 100 words",
            "dates: {ex}", "no dates"),
    Feature("names", "reporting", "runs of two or more capitalised words per 100 words",
            "named people or places: {ex}", "few named people or places"),
    Feature("capitals", "reporting", "share of capitalised words inside sentences",
            "many capitalised words", "few capitalised words"),
    Feature("stated", "filler", "formal stand-ins for 'said' per 100 words",
            "{ex} in place of 'said'", "plain reporting verbs"),
    Feature("buzzwords", "filler", "buzzwords per 100 words",
            "buzzwords: {ex}", "no buzzwords"),
    Feature("connectors", "filler", "padding connectors per 100 words",
            "padding connectors: {ex}", "few padding connectors"),
    Feature("hedges", "filler", "hedges per 100 words", "hedging: {ex}", "no hedging"),
    Feature("vague_sources", "filler", "unnamed sources per 100 words",
            "unnamed sources: {ex}", "no unnamed sources"),
    Feature("definition", "filler", "definition templates ('refers to')",
            "definition template {ex}", "no definition template"),
    Feature("conclusion", "filler", "conclusion templates ('in conclusion')",
            "conclusion template {ex}", "no conclusion template"),
    Feature("recommendation", "filler", "recommendation templates",
            "recommendation template {ex}", "no recommendation template"),
    Feature("assistant_framing", "filler", "opens or signs off like a chat assistant",
            "chat-assistant framing: {ex}", ""),
    Feature("generic_heading", "filler", "headings made of generic words",
            "generic heading {ex}", "specific headings"),
    Feature("participle_tail", "filler", "', signalling ...' tails per sentence (English)",
            "participle tails: {ex}", "no participle tails"),
    Feature("second_person", "filler", "second-person words per 100 words",
            "addresses the reader: {ex}", "does not address the reader"),
    Feature("first_person", "filler", "first-person words per 100 words",
            "first-person voice: {ex}", "no first-person voice"),
    Feature("sentence_length", "rhythm", "mean words per sentence (log)",
            "long sentences (mean {v:.0f} words)", "short sentences (mean {v:.0f} words)"),
    Feature("sentence_variation", "rhythm", "coefficient of variation of sentence length",
            "varied sentence lengths", "uniform sentence lengths"),
    Feature("word_length", "rhythm", "mean letters per word",
            "long words (mean {v:.1f} letters)", "short words (mean {v:.1f} letters)"),
    Feature("long_words", "rhythm", "share of words of 10 letters or more",
            "many long words ({v:.0%})", "few long words ({v:.0%})"),
    Feature("vocabulary", "rhythm", "moving type-token ratio over 50 words",
            "varied vocabulary", "repetitive vocabulary"),
    Feature("commas", "rhythm", "commas per sentence",
            "many commas per sentence", "few commas per sentence"),
    Feature("parentheses", "rhythm", "parentheses and brackets per 100 words",
            "parenthetical asides", "no parenthetical asides"),
    Feature("exclamations", "rhythm", "exclamation and question marks per sentence",
            "exclamations or questions", "no exclamations or questions"),
    Feature("bullets", "structure", "share of lines that are bullet items",
            "bullet list: {n} items", "no bullet list"),
    Feature("label_items", "structure", "bullet items of the form 'Label: ...'",
            "list items as 'Label: ...' ({n})", "no 'Label: ...' items"),
    Feature("table", "structure", "share of lines that are table rows",
            "table rows ({n})", "no table"),
    Feature("generic_cells", "structure", "share of table cells without figures, short",
            "generic table: {ex}", "table cells with figures"),
    Feature("repeated_phrases", "structure", "share of word trigrams used twice or more",
            "repeated phrases: {ex}", "no repeated phrases"),
    Feature("colon_lines", "structure", "share of lines ending in a colon",
            "lines that introduce lists ({n})", "no list introductions"),
)  # fmt: skip
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}

CASE_FEATURES: frozenset[str] = frozenset({"names", "capitals", "word_length", "long_words"})
"""Features counted on capitalised words or on words of a script with case only
(``_initial``): in a text of a caseless script (Chinese, Japanese, Korean) they
hold their defaults or come from a few Latin words, so their evidence is not
shown there (``cased_share``); their values are left as the model was fitted."""


def cased_share(text: str) -> float:
    """The share of the letters of ``text`` that belong to a script with case
    (Latin, Cyrillic, Greek...): 1.0 for a text without letters."""
    letters = cased = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ch.islower() or ch.isupper():
                cased += 1
    return cased / letters if letters else 1.0


NEUTRAL_SENTENCE_LENGTH = 18.0
"""Mean sentence length assumed for a text without prose sentences (a bare table)."""


_UPPER = 2
_UPPER_RUN = re.compile(bytes([_UPPER]) + b"{2,}")
_FIRST = itemgetter(0)
_INITIALS: dict[str, int] = {}


def _initial(token: str) -> int:
    """0 when ``token`` does not start with a letter of a script that has case
    (digits, CJK, kana, hangul), ``_UPPER`` for an upper-case initial, 1 otherwise."""
    first = token[:1]
    kind = _INITIALS.get(first)
    if kind is None:
        if not first.isalpha() or _CASELESS.match(first):
            kind = 0
        else:
            kind = _UPPER if first.isupper() else 1
        if len(_INITIALS) < 100_000:
            _INITIALS[first] = kind
    return kind


def _per100(count: float, n: int) -> float:
    return math.log1p(100.0 * count / max(n, 1))


def _runs(seqs: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``seqs`` put end to end: the values, the sequence of each value and where
    each sequence starts."""
    lengths = np.fromiter(map(len, seqs), np.int64, len(seqs))
    starts = np.cumsum(lengths) - lengths
    values = np.concatenate(seqs) if seqs else _NO_CODES
    return values, np.repeat(np.arange(len(seqs)), lengths), starts


def _grouped(values: np.ndarray, seq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The indexes of ``values`` ordered by value and position (so by sequence,
    ``seq``, among equal values), and which of them start a group of equal
    values of one sequence."""
    order = np.argsort(values, kind="stable")
    ordered, ordered_seq = values[order], seq[order]
    if not len(order):
        return order, np.zeros(0, dtype=bool)
    new = np.empty(len(order), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    new[1:] |= ordered_seq[1:] != ordered_seq[:-1]
    return order, new


def _mattr(seqs: Sequence[np.ndarray], window: int = 50) -> list[float]:
    """Moving type-token ratio of each sequence of word codes (``_Line.codes``,
    numbers left out): distinct words per window of ``window`` words, averaged
    over every window."""
    codes, seq, starts = _runs(seqs)
    lengths = [len(c) for c in seqs]
    order, new = _grouped(codes, seq)
    distinct = np.bincount(seq[order[new]], minlength=len(seqs))
    # A word adds one to the distinct count of every window that holds it and
    # not its previous occurrence: windows starting in (prev, i], within range.
    prev = np.full(len(codes), -1, dtype=np.int64)
    prev[order[1:][~new[1:]]] = order[:-1][~new[1:]]
    i = np.arange(len(codes)) - starts[seq]
    first = np.maximum(i - window + 1, np.where(prev < 0, 0, prev - starts[seq] + 1))
    final = np.minimum(i, np.asarray(lengths, dtype=np.int64)[seq] - window)
    acc = np.bincount(seq, weights=np.clip(final - first + 1, 0, None), minlength=len(seqs))
    return [
        d / max(n, 1) if n <= window else int(a) / (n - window + 1) / window
        for n, d, a in zip(lengths, distinct.tolist(), acc.tolist(), strict=True)
    ]


def _repeated_trigrams(seqs: Sequence[np.ndarray]) -> list[tuple[float, np.ndarray]]:
    """For each sequence of token codes, the share of its word trigrams that
    occur twice or more, and where each of those first starts."""
    codes, seq, starts = _runs(seqs)
    grams = codes[:-2] * np.int64(1_000_003) + codes[1:-1] * np.int64(7_919) + codes[2:]
    inside = np.flatnonzero(seq[:-2] == seq[2:])  # trigrams within one sequence
    gram_seq = seq[inside]
    order, new = _grouped(grams[inside], gram_seq)
    group_starts = np.flatnonzero(new)
    sizes = np.diff(group_starts, append=len(order))
    many = sizes > 1
    repeated = order[group_starts[many]]  # where each repeated trigram first stands
    counted = np.bincount(gram_seq[repeated], weights=sizes[many], minlength=len(seqs))
    firsts = np.sort(repeated)  # ascending, so by sequence
    bounds = np.searchsorted(gram_seq[firsts], np.arange(len(seqs) + 1))
    return [
        (float(counted[k]) / (n - 2), inside[firsts[bounds[k] : bounds[k + 1]]] - starts[k])
        if n >= 3
        else (0.0, _NO_CODES)
        for k, n in enumerate(map(len, seqs))
    ]


class _Examples(Mapping):
    """Per feature, the words behind it (what the evidence quotes), gathered
    from a text's lines only when asked for."""

    def __init__(self, parts: list[_Line], sums: np.ndarray, heads: list[int], extra: dict):
        self._parts = parts
        self._sums = sums
        self._heads = heads
        self._cache: dict[str, list[str]] = dict(extra)

    def __getitem__(self, name: str) -> list[str]:
        if name not in self._cache:
            self._cache[name] = self._gather(name)
        return self._cache[name]

    def __iter__(self):
        return iter((*LEXICONS.names, *FEATURE_NAMES))

    def __len__(self) -> int:
        return len(LEXICONS.names) + len(FEATURE_NAMES)

    def _gather(self, name: str) -> list[str]:
        parts, sums = self._parts, self._sums
        text = [p for p in parts if p.kind == _TEXT]
        if name == "dates":
            hits = [h for p in parts for h in p.found.get("dates", ())]
            return hits + [y for p in parts for y in p.years if y not in hits]
        if name in LEXICONS.names:
            return [h for p in parts for h in p.found.get(name, ())]
        counts = {"quotes": "quote_marks", "table": "table_rows", "colon_lines": "colons"}
        if name in counts:
            return [str(int(sums[_S[counts[name]]]))]
        if name in ("digits", "participle_tail", "names"):
            field = {"digits": "numbers", "participle_tail": "tails", "names": "names"}[name]
            return [x for p in parts for x in getattr(p, field)]
        if name == "generic_heading":
            return [parts[i].clean.rstrip(":") for i in self._heads]
        if name == "bullets":
            return [p.clean for p in text if p.bullet]
        if name == "label_items":
            return [p.clean for p in text if p.label_item]
        if name in FEATURE_NAMES:
            return []
        raise KeyError(name)


def analyse(text: str) -> tuple[np.ndarray, Mapping[str, list[str]]]:
    """The feature vector of ``text`` and, per feature, the words behind it
    (``analyse_texts`` of one text)."""
    return analyse_texts([text])[0]


def analyse_texts(texts: Sequence[str]) -> list[tuple[np.ndarray, Mapping[str, list[str]]]]:
    """The feature vector of each text and, per feature, the words behind it.

    Each distinct line is parsed and counted once (``_parse_lines``), so a
    document's sections and then the whole document share their lines. A
    text's counts are the sums of its lines'; only headings, table headers,
    the moving type-token ratio and repeated trigrams depend on how the lines
    stand together.
    """
    seen: dict[str, int] = {}  # each distinct line, numbered
    numbers = [
        [
            seen.setdefault(line, len(seen))
            for line in unicodedata.normalize("NFC", text or "").splitlines()
            if line.strip()
        ]
        for text in texts
    ]
    parsed = _parse_lines(list(seen))
    all_parts = [[parsed[i] for i in line_numbers] for line_numbers in numbers]
    orders = [
        [p for p in parts if p.kind == _TEXT] + [p for p in parts if p.kind == _TABLE]
        for parts in all_parts
    ]
    codes = [
        np.concatenate([p.codes for p in ordered]) if ordered else _NO_CODES for ordered in orders
    ]
    words = [
        c[np.concatenate([p.is_word for p in ordered])] if ordered else _NO_CODES
        for c, ordered in zip(codes, orders, strict=True)
    ]
    rows = [p.stats for parts in all_parts for p in parts]
    sums = np.zeros((len(texts), len(_STATS)))
    filled = [k for k, parts in enumerate(all_parts) if parts]
    if filled:
        bounds = np.cumsum([0] + [len(parts) for parts in all_parts])[filled]
        sums[filled] = np.add.reduceat(np.array(rows), bounds)
    return [
        _text_features(parts, row, ordered, vocabulary, repeated)
        for parts, row, ordered, vocabulary, repeated in zip(
            all_parts, sums, orders, _mattr(words), _repeated_trigrams(codes), strict=True
        )
    ]


def _text_features(
    parts: list[_Line],
    sums: np.ndarray,
    ordered: list[_Line],
    vocabulary: float,
    repeated: tuple[float, np.ndarray],
) -> tuple[np.ndarray, Mapping[str, list[str]]]:
    """One text's part of ``analyse_texts``: its features from its lines
    (``parts``; ``ordered``: the text lines, then the table rows), their summed
    counts, moving type-token ratio and repeated trigrams."""
    heads: list[int] = []
    n_cells = n_generic = 0
    in_table = False
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if part.kind == _TABLE:
            if in_table:  # the first row of a table is its header
                n_cells += part.cells[0]
                n_generic += part.cells[1]
            in_table = True
        elif part.kind == _TEXT:
            in_table = False
            if part.generic_heading and (i < last or last == 0):
                heads.append(i)
    v = dict(zip(_STATS, sums.tolist(), strict=True))

    n = int(v["tokens"])
    x = np.zeros(len(FEATURES), dtype=np.float64)
    for name in LEXICONS.names:
        if name in _INDEX:
            count = v[f"lex:{name}"]
            if name in ("definition", "conclusion", "recommendation"):
                x[_INDEX[name]] = math.log1p(count)
            else:
                x[_INDEX[name]] = _per100(count, n)
    quote_marks = v["quote_marks"]
    x[_INDEX["quotes"]] = _per100(quote_marks, n)
    x[_INDEX["quoted_share"]] = min(1.0, v["quoted"] / max(n, 1))
    x[_INDEX["no_reporting"]] = float(v["lex:attribution"] == 0 and quote_marks == 0)
    x[_INDEX["digits"]] = _per100(v["numbers"], n)
    x[_INDEX["dates"]] = _per100(v["dates"], n)
    x[_INDEX["names"]] = _per100(v["names"], n)
    x[_INDEX["capitals"]] = v["capitals"] / max(v["cased"], 1)
    x[_INDEX["generic_heading"]] = math.log1p(len(heads))
    framing = _assistant_framing(parts)
    x[_INDEX["assistant_framing"]] = len(framing)
    n_sent = max(v["sentences"], 1)
    x[_INDEX["participle_tail"]] = math.log1p(v["tails"] / n_sent)

    slen_n = v["slen_n"]
    mean_len = v["slen_sum"] / slen_n if slen_n else NEUTRAL_SENTENCE_LENGTH
    x[_INDEX["sentence_length"]] = math.log1p(mean_len)
    variance = max(v["slen_sq"] / slen_n - mean_len * mean_len, 0.0) if slen_n else 0.0
    x[_INDEX["sentence_variation"]] = math.sqrt(variance) / mean_len if slen_n >= 3 else 0.45
    n_words = v["words"]
    x[_INDEX["word_length"]] = v["wlen_sum"] / n_words if n_words else 4.5
    x[_INDEX["long_words"]] = v["long_words"] / n_words if n_words else 0.1
    x[_INDEX["vocabulary"]] = vocabulary
    x[_INDEX["commas"]] = math.log1p(v["commas"] / n_sent)
    x[_INDEX["parentheses"]] = _per100(v["brackets"], n)
    x[_INDEX["exclamations"]] = math.log1p(v["exclaims"] / n_sent)

    n_lines = max(len(parts), 1)
    x[_INDEX["bullets"]] = v["bullets"] / n_lines
    x[_INDEX["label_items"]] = math.log1p(v["labels"])
    x[_INDEX["table"]] = v["table_rows"] / n_lines
    x[_INDEX["generic_cells"]] = n_generic / n_cells * math.log1p(n_cells) if n_cells else 0.0
    share, starts = repeated
    x[_INDEX["repeated_phrases"]] = share
    x[_INDEX["colon_lines"]] = v["colons"] / n_lines

    extra: dict[str, list[str]] = {
        "sentence_length": [f"{mean_len:.0f}"] if slen_n else [],
        "generic_cells": [str(n_cells), str(n_generic)],
        "assistant_framing": framing,
    }
    if len(starts):
        lower = [t for p in ordered for t in p.lower]
        extra["repeated_phrases"] = [" ".join(lower[i : i + 3]) for i in starts]
    else:
        extra["repeated_phrases"] = []
    return x, _Examples(parts, sums, heads, extra)


def extract(text: str) -> np.ndarray:
    """The feature vector of one text (see ``FEATURES``)."""
    return analyse(text)[0]


def _examples(items: Iterable[str], k: int = 3) -> str:
    seen: list[str] = []
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen.append(item)
        if len(seen) == k:
            break
    return ", ".join(f"'{s}'" for s in seen)


_STRUCTURE = ("bullets", "label_items", "table", "generic_cells", "colon_lines", "generic_heading")


def describe(name: str, high: bool, value: float, ex: dict[str, list[str]]) -> str:
    """Say in words what feature ``name`` shows: its high or its low side ("" if
    there is nothing to show)."""
    feature = FEATURES[_INDEX[name]]
    template = feature.high if high else feature.low
    items = ex.get(name, [])
    n = len(items)
    if name in _STRUCTURE and not high and value == 0:
        return ""  # the absence of a list or table says nothing
    if name == "generic_cells":
        total, generic = (int(v) for v in items) if items else (0, 0)
        shown = (
            f"{total} cells, no figures"
            if generic == total
            else f"{total} cells, {generic} without figures"
        )
        return template.format(ex=shown, n=total, v=value)
    if name in ("table", "quotes", "colon_lines") and items:
        n = int(items[0])
    if name == "sentence_length":
        if not items:
            return ""
        value = float(items[0])
    elif "{ex}" in template and not items:
        return ""  # a phrase that names examples but has none to show
    return template.format(ex=_examples(items), n=n, v=value)


class FillerFeatures:
    """Texts -> the matrix of interpretable features (columns: ``FEATURE_NAMES``)."""

    def fit(self, X: Sequence[str], y: object = None) -> FillerFeatures:
        self.n_features_out_ = len(FEATURES)
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        return np.vstack([extract(t) for t in X]) if len(X) else np.zeros((0, len(FEATURES)))

    def fit_transform(self, X: Sequence[str], y: object = None) -> np.ndarray:
        return self.fit(X).transform(X)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.array(FEATURE_NAMES, dtype=object)


# --------------------------------------------------------------------------
# the lexical family

_QUOTES_TO_ASCII = str.maketrans(
    {**{c: '"' for c in _DOUBLE_QUOTES}, "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "}
)
_QUOTES_TO_ASCII_PAIRS = tuple((chr(k), v) for k, v in _QUOTES_TO_ASCII.items())
_DIGITS = re.compile(r"\d")
_ASCII_DIGITS = str.maketrans("123456789", "000000000")


def normalise_lexical(text: str) -> str:
    """Text for the n-gram models: no markdown markers, one quote style, digits as 0,
    whitespace collapsed, lower case."""
    lines = (strip_markdown_line(ln) for ln in (text or "").splitlines())
    flat = " ".join(ln for ln in lines if ln)
    flat = unicodedata.normalize("NFC", flat)
    for char, plain in _QUOTES_TO_ASCII_PAIRS:  # str.replace is faster than translate
        if char in flat:
            flat = flat.replace(char, plain)
    # str.translate has a fast path for ASCII text; other text may hold other digits
    flat = flat.translate(_ASCII_DIGITS) if flat.isascii() else _DIGITS.sub("0", flat)
    return " ".join(flat.split()).lower()


_FUNCTION_WORDS = """a about above after again against all also although am an and any are as at be
    because been before being below between both but by can could did do does doing down
    during each either few for from further had has have having he her here hers him his
    how however i if in into is it its itself just may me might more most much must my no
    nor not now of off on once only or other our out over own same she should since so
    some such than that the their them then there these they this those though through
    thus to too under until up upon very was we were what when where whether which while
    who whom whose why will with within without would yet you your said says told
    according which one two new first last many several"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
_SKELETON_TOKEN = WORD_OR_MARK
_WORD_CHAR = re.compile(r"\w")


_SUFFIXES = ("ing", "ed", "ly", "tion", "sion", "ment", "ness", "ity", "ive", "ous", "able",
             "ible", "al", "ful", "less", "ize", "ise", "est", "er", "s")  # fmt: skip


_SHAPES: dict[str, str] = {}


def shape(tok: str) -> str:
    """One token of the skeleton: a function word or punctuation as it is, a
    number as "0", any other word as its suffix class ("x-ing", "x-ly", "x")."""
    if tok in FUNCTION_WORDS or not tok[0].isalnum():
        return tok
    if tok[0].isdigit():
        return "0"
    out = _SHAPES.get(tok)
    if out is None:
        suffix = next((s for s in _SUFFIXES if len(tok) > len(s) + 2 and tok.endswith(s)), "")
        out = f"x-{suffix}" if suffix else "x"
        if len(_SHAPES) < 200_000:
            _SHAPES[tok] = out
    return out


def skeleton(text: str) -> str:
    """Text reduced to its function words and punctuation, other words to their
    suffix class and numbers to 0 (``shape``): the shape of its sentences,
    which generalises across topics and generators."""
    return " ".join(map(shape, _SKELETON_TOKEN.findall(text)))


def _count_keys(keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (integers in ``[0, n_keys)``), ascending, and how
    often each occurs: by one dense count when the key range is small beside
    the number of keys, else by sorting."""
    if n_keys <= 8 * len(keys):
        counts = np.bincount(keys, minlength=n_keys)
        distinct = np.flatnonzero(counts)
        return distinct, counts[distinct].astype(np.float64)
    if not len(keys):
        return keys, np.zeros(0, dtype=np.float64)
    ordered = np.sort(keys)
    new = np.empty(len(keys), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    return ordered[starts], np.diff(starts, append=len(keys)).astype(np.float64)


class Occurrences(NamedTuple):
    """Sparse values of the n-gram families: row, column and value of each
    nonzero; columns count on from one family to the next, in the order of
    ``LexicalTfidf.offsets``."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray


_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)
"""2**64 divided by the golden ratio: multiplying by it spreads codes over the slots."""


class _CodeTable(NamedTuple):
    """An open-addressing hash table (linear probing) from integer codes to
    columns: ``keys[slot]`` is the code kept in a slot (-1: empty) and
    ``columns[slot]`` its column. A code's first slot is the top bits of its
    product with ``_FIBONACCI``; no code stands more than ``len(reach)`` slots
    past it."""

    keys: np.ndarray
    columns: np.ndarray
    shift: np.uint64
    reach: np.ndarray  # 1, 2, ..., the largest distance of a code from its first slot


def _first_slots(codes: np.ndarray, shift: np.uint64) -> np.ndarray:
    """The slot where each code's probe starts (Fibonacci hashing)."""
    return ((codes.astype(np.uint64) * _FIBONACCI) >> shift).astype(np.int64)


def _code_table(codes: np.ndarray, columns: np.ndarray) -> _CodeTable:
    """A ``_CodeTable`` of distinct non-negative ``codes`` and their ``columns``,
    an eighth to a quarter full. The codes are placed in rounds: each round,
    every code still waiting tries its current slot, the first code of each free
    slot takes it, and the others move one slot on."""
    bits = max(4, (2 * len(codes)).bit_length() + 1)
    mask = (1 << bits) - 1
    keys = np.full(1 << bits, -1, dtype=np.int64)
    table_columns = np.full(1 << bits, -1, dtype=np.int64)
    shift = np.uint64(64 - bits)
    slots = _first_slots(codes, shift)
    waiting = np.arange(len(codes))
    while len(waiting):
        free = np.flatnonzero(keys[slots[waiting]] < 0)
        _, first = np.unique(slots[waiting[free]], return_index=True)
        placed = waiting[free[first]]
        keys[slots[placed]] = codes[placed]
        table_columns[slots[placed]] = columns[placed]
        left = np.ones(len(waiting), dtype=bool)
        left[free[first]] = False
        waiting = waiting[left]
        slots[waiting] = (slots[waiting] + 1) & mask
    distance = (slots - _first_slots(codes, shift)) & mask
    reach = np.arange(1, int(distance.max(initial=0)) + 1)
    return _CodeTable(keys, table_columns, shift, reach)


def _find_codes(table: _CodeTable, codes: np.ndarray) -> np.ndarray:
    """The column of each of ``codes`` in ``table`` (-1: not there). A code whose
    first slot holds another code is looked for in the next ``reach`` slots at
    once: a code stands past its first slot only when every slot between was
    taken before it, so the first slot that holds it is its own."""
    first = _first_slots(codes, table.shift)
    keys = table.keys[first]
    hit = keys == codes
    out = np.where(hit, table.columns[first], -1)
    rest = np.flatnonzero(~hit & (keys >= 0))
    if len(rest) and len(table.reach):
        window = (first[rest, None] + table.reach) & (len(table.keys) - 1)
        match = table.keys[window] == codes[rest, None]
        found = np.flatnonzero(match.any(axis=1))
        out[rest[found]] = table.columns[window[found, match[found].argmax(axis=1)]]
    return out


class _Store:
    """Strings numbered in the order they are first seen, each with a run of
    integers (``values_of`` the string) kept end to end in one array. It is
    emptied before it would hold more than ``limit`` strings."""

    def __init__(self, values_of: Callable[[str], list[int]], limit: int = 200_000) -> None:
        self.values_of = values_of
        self.limit = limit
        self.clear()

    def clear(self) -> None:
        """Forget every string."""
        self.number: dict[str, int] = {}
        self.values = np.zeros(1 << 12, dtype=np.int64)
        self.starts = np.zeros(1 << 10, dtype=np.int64)
        self.lengths = np.zeros(1 << 10, dtype=np.int64)
        self.used = 0

    def numbers(self, strings: list[str]) -> np.ndarray:
        """The number of each of ``strings``, new ones added."""
        if len(self.number) + len(strings) > self.limit:
            self.clear()
        out = list(map(self.number.get, strings))
        if None in out:
            for i, number in enumerate(out):
                if number is None:
                    out[i] = self._add(strings[i])
        return np.array(out, dtype=np.int64)

    def _add(self, string: str) -> int:
        number = self.number.get(string)
        if number is not None:
            return number
        values = self.values_of(string)
        number = self.number[string] = len(self.number)
        if number == len(self.starts):
            self.starts = np.resize(self.starts, 2 * number)
            self.lengths = np.resize(self.lengths, 2 * number)
        end = self.used + len(values)
        if end > len(self.values):
            self.values = np.resize(self.values, max(2 * len(self.values), end))
        self.values[self.used : end] = values
        self.starts[number], self.lengths[number] = self.used, len(values)
        self.used = end
        return number

    def runs(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The values of the strings ``numbers``, one run after another, and the
        length of each run."""
        lengths = self.lengths[numbers]
        ends = np.cumsum(lengths)
        if not len(ends) or not ends[-1]:
            return np.zeros(0, dtype=np.int64), lengths
        shift = np.repeat(self.starts[numbers] - ends + lengths, lengths)
        return self.values[np.arange(ends[-1]) + shift], lengths


class _WordLevel(NamedTuple):
    """The word-level families (word and skeleton n-grams) as integers, for
    ``LexicalTfidf``; see ``LexicalTfidf._word_level``."""

    families: tuple[str, ...]
    bases: tuple[int, ...]
    ranges: tuple[tuple[int, int], ...]
    unigrams: tuple[np.ndarray | None, ...]  # each family's column of each token id
    ngrams: _CodeTable  # every longer n-gram's column, by ``_ngram_key``
    tokens: _Store  # each raw token's id in every family


def _ngram_key(code: np.ndarray, n: int, family: int, n_families: int) -> np.ndarray:
    """The key in ``_WordLevel.ngrams`` of n-grams of length ``n`` with codes
    ``code`` (their ids read in the family's base) in family number ``family``."""
    return (code * 8 + n) * n_families + family


class LexicalTfidf:
    """Word and character n-gram TF-IDF (sublinear tf, l2-normalised per family).

    After ``fit`` only the vocabulary (one newline-joined string per family)
    and the idf weights are kept. ``transform`` counts the n-grams itself (the
    counts ``CountVectorizer`` gives with that vocabulary, several times
    faster), with lookup tables built on first use.
    """

    def __init__(
        self,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] = (3, 5),
        max_word_features: int = 40000,
        max_char_features: int = 60000,
        max_skeleton_features: int = 0,
        min_df: int = 3,
    ) -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.max_skeleton_features = max_skeleton_features
        self.min_df = min_df

    def terms(self, family: str) -> list[str]:
        """The vocabulary of one family ("word", "char", "skeleton"), in column order."""
        cache = self.__dict__.setdefault("_terms", {})
        if family not in cache:
            cache[family] = self.vocab_[family].split("\n") if self.vocab_[family] else []
        return cache[family]

    @property
    def n_word_features(self) -> int:
        return len(self.idf_["word"])

    def _ngram_range(self, family: str) -> tuple[int, int]:
        lo, hi = self.word_ngrams if family == "word" else (3, 5)
        return int(lo), int(hi)

    def _word_level(self) -> _WordLevel:
        """The word-level families' vocabularies as integers, built on first use.
        In each family every vocabulary token gets an id from 1 (a token of no
        vocabulary term gets 0, so no n-gram with it matches); the code of tokens
        t1..tn is t1, ..., tn read in base (number of ids + 1). Unigram columns
        are read by id; the longer n-grams of every family share one hash table,
        keyed by ``_ngram_key``. Columns count on across families (``offsets``)."""
        level = self.__dict__.get("_word_level_cache")
        if level is not None:
            return level
        families = tuple(f for f in self.vocab_ if f != "char")
        offsets = self.offsets()
        id_maps, bases, ranges, unigrams, keys, columns = [], [], [], [], [], []
        for number, family in enumerate(families):
            terms = [term.split(" ") for term in self.terms(family)]
            ids: dict[str, int] = {}
            for term in terms:
                for token in term:
                    ids.setdefault(token, len(ids) + 1)
            base = len(ids) + 1
            lo, hi = self._ngram_range(family)
            if hi >= 8 or float(base) ** hi * 8 * len(families) >= 2**63:
                raise ValueError(f"{family}: too many distinct tokens for int64 n-gram codes")
            unigram = np.full(base, -1, dtype=np.int64)
            for col, term in enumerate(terms, start=offsets[family]):
                code = 0
                for token in term:
                    code = code * base + ids[token]
                if len(term) == 1:
                    unigram[code] = col
                else:
                    keys.append(_ngram_key(code, len(term), number, len(families)))
                    columns.append(col)
            id_maps.append(ids)
            bases.append(base)
            ranges.append((lo, hi))
            unigrams.append(unigram if lo == 1 else None)

        def token_ids(token: str) -> list[int]:
            """A raw token's id in each family: for "skeleton", the id of its
            shape; for "word", its own id, or -1 for a punctuation mark, which
            the word family skips."""
            word = bool(_WORD_CHAR.match(token))
            return [
                ids.get(shape(token), 0)
                if family == "skeleton"
                else ids.get(token, 0)
                if word
                else -1
                for family, ids in zip(families, id_maps, strict=True)
            ]

        level = self.__dict__["_word_level_cache"] = _WordLevel(
            families,
            tuple(bases),
            tuple(ranges),
            tuple(unigrams),
            _code_table(np.array(keys, dtype=np.int64), np.array(columns, dtype=np.int64)),
            _Store(token_ids),
        )
        return level

    def _word_level_hits(
        self, flat: list[str], doc: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Rows and columns of every vocabulary n-gram occurrence of the word-level
        families in the texts whose raw tokens (``_SKELETON_TOKEN`` matches) are
        ``flat`` (``doc``: the text of each token), as each family's
        ``CountVectorizer`` analyser finds them (n-grams within one text): one
        array of each per lookup."""
        level = self._word_level()
        n_families = len(level.families)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        if not flat or not n_families:
            return rows, cols
        ids = level.tokens.runs(level.tokens.numbers(flat))[0].reshape(-1, n_families)
        keys, key_rows = [], []
        for number, family in enumerate(level.families):
            t, t_doc = ids[:, number], doc
            if family == "word":
                keep = t >= 0
                t, t_doc = t[keep], doc[keep]
            lo, hi = level.ranges[number]
            code = t
            for n in range(1, hi + 1):
                m = len(t) - n + 1
                if m <= 0:
                    break
                if n > 1:
                    code = code[:m] * level.bases[number] + t[n - 1 :]
                if n < lo:
                    continue
                if n == 1:
                    col = level.unigrams[number][code]
                    hit = col >= 0
                    rows.append(t_doc[hit])
                    cols.append(col[hit])
                    continue
                inside = t_doc[:m] == t_doc[n - 1 :]
                keys.append(_ngram_key(code[inside], n, number, n_families))
                key_rows.append(t_doc[:m][inside])
        if keys:
            col = _find_codes(level.ngrams, np.concatenate(keys))
            hit = col >= 0
            rows.append(np.concatenate(key_rows)[hit])
            cols.append(col[hit])
        return rows, cols

    def _char_store(self) -> _Store:
        """Each word's character n-gram columns (``char_wb``: the word padded with
        a space each side, n-grams inside it only), with repeats; built on first use."""
        store = self.__dict__.get("_char_store_cache")
        if store is None:
            start = self.offsets()["char"]
            index = {term: start + i for i, term in enumerate(self.terms("char"))}
            lo, hi = self.char_ngrams

            def columns(word: str) -> list[int]:
                padded = f" {word} "
                found = (
                    index.get(padded[i : i + n])
                    for n in range(lo, min(hi, len(padded)) + 1)
                    for i in range(len(padded) - n + 1)
                )
                return [c for c in found if c is not None]

            store = self.__dict__["_char_store_cache"] = _Store(columns)
        return store

    def _char_hits(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and columns of every character n-gram occurrence in the normalised
        ``docs``, as the ``char_wb`` analyser finds them (within each word)."""
        words = [doc.split() for doc in docs]
        store = self._char_store()
        cols, sizes = store.runs(store.numbers([w for doc_words in words for w in doc_words]))
        word_rows = np.repeat(np.arange(len(docs)), [len(w) for w in words])
        return np.repeat(word_rows, sizes), cols

    @property
    def n_columns(self) -> int:
        """Columns of all families together."""
        return sum(len(idf) for idf in self.idf_.values())

    def occurrences(self, X: Sequence[str], *, total: bool = False) -> Occurrences:
        """Raw n-gram counts of every family as distinct (row, column, count)
        triples, by column and row: the counts ``CountVectorizer`` gives with the
        fitted vocabulary, columns counted on across families (``offsets``). With
        ``total``, one more row after them: the sum of the others (the counts
        of the texts put together)."""
        docs = [normalise_lexical(t) for t in X]
        n_rows = len(docs)
        raw = [_SKELETON_TOKEN.findall(doc) for doc in docs]  # word and skeleton tokens
        flat = [t for doc_tokens in raw for t in doc_tokens]
        token_doc = np.repeat(np.arange(n_rows), [len(x) for x in raw])
        rows, cols = self._word_level_hits(flat, token_doc)
        if "char" in self.vocab_:
            char_rows, char_cols = self._char_hits(docs)
            rows.append(char_rows)
            cols.append(char_cols)
        all_rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        all_cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
        stride = n_rows + 1  # keys by column, then row
        keys, values = _count_keys(all_cols * stride + all_rows, max(self.n_columns, 1) * stride)
        cols, rows = np.divmod(keys, stride)
        if total and len(keys):
            starts = np.flatnonzero(np.concatenate([[True], cols[1:] != cols[:-1]]))
            rows = np.concatenate([rows, np.full(len(starts), n_rows)])
            cols = np.concatenate([cols, cols[starts]])
            values = np.concatenate([values, np.add.reduceat(values, starts)])
        return Occurrences(rows, cols, values)

    def _column_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The idf of every column and the number of its family (in ``vocab_`` order)."""
        cache = self.__dict__.get("_column_cache")
        if cache is None:
            idf = [self.idf_[family] for family in self.vocab_]
            families = [np.full(len(x), i, dtype=np.int64) for i, x in enumerate(idf)]
            cache = self.__dict__["_column_cache"] = (np.concatenate(idf), np.concatenate(families))
        return cache

    def weighted(self, occurrences: Occurrences, n_rows: int) -> Occurrences:
        """Counts -> TF-IDF values (sublinear tf, idf, l2 norm per row and family),
        as ``finish`` computes them, without building sparse matrices."""
        idf, family = self._column_weights()
        values = _sublinear_tf(occurrences.values) * idf[occurrences.cols]
        group = occurrences.rows * len(self.vocab_) + family[occurrences.cols]
        norms = np.sqrt(
            np.bincount(group, weights=values * values, minlength=n_rows * len(self.vocab_))
        )
        norms[norms == 0] = 1.0
        return Occurrences(occurrences.rows, occurrences.cols, values / norms[group])

    def offsets(self) -> dict[str, int]:
        """The first column of each family in the stacked matrix of ``finish``."""
        out, start = {}, 0
        for family in self.vocab_:
            out[family] = start
            start += len(self.idf_[family])
        return out

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The fitted state as plain arrays, keyed ``prefix/name``: the n-gram
        ranges, and per family its vocabulary and idf weights."""
        out = {
            f"{prefix}/word_ngrams": np.array(self.word_ngrams),
            f"{prefix}/char_ngrams": np.array(self.char_ngrams),
            f"{prefix}/families": np.array(list(self.vocab_)),
        }
        for family in self.vocab_:
            out[f"{prefix}/vocab/{family}"] = np.array(self.vocab_[family])
            out[f"{prefix}/idf/{family}"] = self.idf_[family]
        return out

    @classmethod
    def from_arrays(cls, prefix: str, arrays: Mapping[str, np.ndarray]) -> LexicalTfidf:
        """The state :meth:`to_arrays` saved under ``prefix``."""
        out = cls(
            word_ngrams=tuple(int(n) for n in arrays[f"{prefix}/word_ngrams"]),
            char_ngrams=tuple(int(n) for n in arrays[f"{prefix}/char_ngrams"]),
        )
        families = [str(f) for f in arrays[f"{prefix}/families"]]
        out.vocab_ = {f: str(arrays[f"{prefix}/vocab/{f}"]) for f in families}
        out.idf_ = {f: np.asarray(arrays[f"{prefix}/idf/{f}"], dtype=np.float32) for f in families}
        return out


_SUBLINEAR_TF = 1.0 + np.log(np.arange(1, 1025, dtype=np.float64))


def _sublinear_tf(counts: np.ndarray) -> np.ndarray:
    """1 + log(count) of positive counts, read from a table when all are small."""
    whole = counts.astype(np.int64)
    if len(whole) and whole.max() <= len(_SUBLINEAR_TF):
        return _SUBLINEAR_TF[whole - 1]
    return 1.0 + np.log(counts)
