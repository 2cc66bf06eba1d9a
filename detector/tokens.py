"""Every way detector splits text into words, in one module.

The trained models depend on these exact patterns (a feature counted with
another tokeniser is another feature), so each one is named for what it is
used for and defined once here; nothing else in the package writes its own
word expression.

- :data:`WORD`: a word of letters with inner apostrophes ("don't"), lower-cased
  by :func:`words`: stop words, language guesses, block text features.
- :data:`LETTERS`: a run of letters, no apostrophes: the words a training
  corpus's language is guessed from (``detector_dev.corpus.filler``).
- :data:`TOKEN`: a run of letters, digits or underscores, lower-cased by
  :func:`tokens`: the unit of token F1, and of a block's size when the expected
  F-score of a cut is maximised; as is, the filler model's lexical words
  (scikit-learn's default ``token_pattern``) and the benchmark's shingles.
- :data:`COUNTED`: a run of ``\\w``, or one CJK, kana or hangul character (those
  scripts do not space their words): :func:`count_words`, the size of a
  section or of a report's text.
- :data:`NGRAM_WORD`: a run of letters and digits, or one CJK or kana
  character, case-folded by :func:`ngram_words`: the words whose 5-grams
  compare a line with a reference text (:mod:`detector.overlap`).
- :data:`FILLER_TOKEN`: a word with inner hyphens and apostrophes, a number,
  or one CJK/kana/hangul character: the filler features' words.
- :data:`WORD_OR_MARK`: a run of ``\\w`` or a single punctuation mark: the
  filler model's lexical n-grams and sentence skeletons.
- :func:`topic_terms`: the terms a word counts as when the cleaner compares a
  block's subject with the rest of its document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

__all__ = [
    "COUNTED",
    "FILLER_TOKEN",
    "LETTERS",
    "NGRAM_WORD",
    "TOKEN",
    "WORD",
    "WORD_OR_MARK",
    "STEM_LETTERS",
    "count_words",
    "ngram_words",
    "tokens",
    "topic_terms",
    "words",
]

_CJK_KANA_HANGUL = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

_PATTERNS = {
    "WORD": r"[^\W\d_]+(?:['’][^\W\d_]+)*",
    "LETTERS": r"[^\W\d_]+",
    "TOKEN": r"\w+",
    "COUNTED": rf"[{_CJK_KANA_HANGUL}]|\w+",
    "NGRAM_WORD": rf"[{_CJK_KANA}]|[^\W{_CJK_KANA}]+",
    "FILLER_TOKEN": (
        rf"[{_CJK_KANA_HANGUL}]"  # one CJK / kana / hangul char
        r"|[^\W\d_]+(?:[-'’][^\W\d_]+)*"  # a word, with inner hyphens and apostrophes
        r"|\d+(?:[.,:]\d+)*"  # a number
    ),
    "WORD_OR_MARK": r"\w+|[^\w\s]",
    "_UNSPACED_LETTER": rf"[{_CJK_KANA_HANGUL}\uf900-\ufaff]",
    "_CYRILLIC_LETTER": "[\u0400-\u052f]",
}
"""The source of each pattern. Each compiles on first use (``detector.tokens.WORD``
or a function below), not at import: compiling them all took 15 ms at start,
most of it for the CJK ranges, which a text clean never uses."""

if TYPE_CHECKING:
    WORD: re.Pattern[str]
    LETTERS: re.Pattern[str]
    TOKEN: re.Pattern[str]
    COUNTED: re.Pattern[str]
    NGRAM_WORD: re.Pattern[str]
    FILLER_TOKEN: re.Pattern[str]
    WORD_OR_MARK: re.Pattern[str]


def __getattr__(name: str) -> re.Pattern[str]:
    """The compiled pattern ``name`` (kept as a module attribute from then on)."""
    source = _PATTERNS.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    pattern = globals()[name] = re.compile(source)
    return pattern


def _pattern(name: str) -> re.Pattern[str]:
    """The compiled pattern ``name``, from a function of this module (which does
    not go through the module's ``__getattr__``)."""
    found = globals().get(name)
    return found if found is not None else __getattr__(name)


def words(text: str) -> list[str]:
    """Lower-cased words (:data:`WORD`) of ``text``."""
    return _pattern("WORD").findall(text.lower())


def tokens(text: str) -> list[str]:
    """Lower-cased tokens (:data:`TOKEN`), as token F1 counts them."""
    return _pattern("TOKEN").findall(text.lower())


def count_words(text: str) -> int:
    """Words in ``text`` (:data:`COUNTED`); every CJK character counts as one."""
    return len(_pattern("COUNTED").findall(text))


def ngram_words(text: str) -> list[str]:
    """Case-folded words (:data:`NGRAM_WORD`): runs of Unicode letters and digits;
    each Chinese or Japanese character is a word of its own."""
    return _pattern("NGRAM_WORD").findall(text.casefold())


STEM_LETTERS = 4
"""Letters of a Cyrillic word kept as its topic term: a truncation stem, which
joins the case forms of most nouns ("немцы", "немцев", "немцам") without a
dictionary. Chosen on M4's machine-written Russian texts (corpus/README.md)."""


def topic_terms(word: str) -> list[str]:
    """The topic terms of a lower-cased word: its character bigrams if it holds
    a kana, Han or Hangul letter (scripts that do not space their words, so a
    "word" is a whole phrase), its first ``STEM_LETTERS`` letters if it holds a
    Cyrillic one (languages whose endings change by case, number and person),
    else the word itself. Latin-script words are left whole: stemming them
    would change what the cleaner learnt from its (English) corpus."""
    if _pattern("_UNSPACED_LETTER").search(word):
        return [word[i : i + 2] for i in range(len(word) - 1)]
    if _pattern("_CYRILLIC_LETTER").search(word):
        return [word[:STEM_LETTERS]]
    return [word]
