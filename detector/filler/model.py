"""The filler classifier at run time: lexical and interpretable features, blended.

Three linear models, fitted by ``detector_dev.train.filler_model``:

1. a lexical model: ``LexicalTfidf`` (word 1-2-grams, char 3-5-grams and
   3-5-grams of the sentence skeleton: function words, punctuation and suffix
   classes) and a logistic regression over the n-grams, giving a lexical logit;
2. a feature model: the interpretable ``FillerFeatures``, standardised and
   clipped, and a logistic regression, giving a feature logit;
3. a blender: a logistic regression over the two logits, fitted on stories
   held out from both base models, so its output is a calibrated probability.

``score`` gives each text its probability and the evidence a person can read
(the linear contributions that pushed it most).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from detector.filler.features import (
    CASE_FEATURES,
    FEATURE_NAMES,
    FEATURES,
    LexicalTfidf,
    analyse_texts,
    cased_share,
    describe,
)
from detector.modelstore import check_feature_names

Z_CLIP = 4.0
"""Standardised features are clipped to this many deviations."""

_ARRAYS = (
    "lex_coef_",
    "lex_intercept_",
    "feat_mean_",
    "feat_scale_",
    "feat_coef_",
    "feat_intercept_",
    "blend_coef_",
    "blend_intercept_",
    "threshold_",
)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class FillerModel:
    """P(generated or padded) of a text section; see the module docstring.

    Its fitted state (``lexical_``, the coefficients, ``threshold_``) is set by
    training or by :meth:`from_arrays`.
    """

    lexical_: LexicalTfidf
    lex_coef_: np.ndarray
    lex_intercept_: float
    feat_mean_: np.ndarray
    feat_scale_: np.ndarray
    feat_coef_: np.ndarray
    feat_intercept_: float
    blend_coef_: np.ndarray
    blend_intercept_: float
    threshold_: float

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The fitted state as plain arrays."""
        out = {name.rstrip("_"): np.asarray(getattr(self, name)) for name in _ARRAYS}
        out["feature_names"] = np.array(FEATURE_NAMES)
        out.update(self.lexical_.to_arrays("lexical"))
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> FillerModel:
        """The model :meth:`to_arrays` saved; refuses one made for other features."""
        check_feature_names(arrays, FEATURE_NAMES, "filler features")
        model = cls.__new__(cls)
        for name in _ARRAYS:
            value = arrays[name.rstrip("_")]
            setattr(model, name, float(value) if value.ndim == 0 else value)
        model.lexical_ = LexicalTfidf.from_arrays("lexical", arrays)
        return model

    def _z(self, F: np.ndarray) -> np.ndarray:
        return np.clip((F - self.feat_mean_) / self.feat_scale_, -Z_CLIP, Z_CLIP)

    # --------------------------------------------------------------- evidence

    def score(self, texts: Sequence[str], *, k: int = 3) -> list[tuple[float, list[str]]]:
        """P(generated) of each text with its evidence, analysing each text once.

        Evidence lists the few features that pushed the score most toward the
        side the model decides on (above ``threshold_``: toward "generated").
        """
        texts = list(texts)
        if not texts:
            return []
        return self._score(analyse_texts(texts), self.lexical_.occurrences(texts), k, texts=texts)

    def score_sections(
        self, sections: Sequence[str], whole: str, *, k: int = 3, threshold: float | None = None
    ) -> tuple[list[tuple[float, list[str]]], float]:
        """Scores of the sections of one document, and of the whole document.

        The document's n-gram counts are the sum of its sections' counts, so
        its text is not tokenised twice.
        """
        sections = list(sections)
        occurrences = self.lexical_.occurrences(sections, total=True)
        analysed = analyse_texts([*sections, whole])
        scored = self._score(
            analysed,
            occurrences,
            k,
            evidence_rows=len(sections),
            threshold=threshold,
            texts=sections,
            context=whole,
        )
        return scored[:-1], scored[-1][0]

    def _score(
        self,
        analysed,
        occurrences,
        k: int,
        evidence_rows: int | None = None,
        threshold: float | None = None,
        texts: Sequence[str] | None = None,
        context: str | None = None,
    ):
        """Probabilities and evidence of the analysed rows. ``texts`` (the rows'
        texts) and ``context`` (the whole document, when the rows are its
        sections) only choose which evidence is shown: names and other topic
        words found there are not quoted as wording (``topic_words``), and
        case-based cues are not quoted for a text in a script without case
        (``CASE_FEATURES``)."""
        F = np.vstack([x for x, _ in analysed])
        n_rows = len(analysed)
        tfidf = self.lexical_.weighted(occurrences, n_rows)
        contrib = tfidf.values * self.lex_coef_[tfidf.cols]
        lex = np.full(n_rows, self.lex_intercept_, dtype=np.float64)
        lex += np.bincount(tfidf.rows, weights=contrib, minlength=n_rows)
        start = self.lexical_.offsets()["word"]
        words = (tfidf.cols >= start) & (tfidf.cols < start + self.lexical_.n_word_features)
        word_contrib = (tfidf.rows[words], tfidf.cols[words] - start, contrib[words])
        Z = self._z(F)
        feat = Z @ self.feat_coef_ + self.feat_intercept_
        a, b = self.blend_coef_
        p = _sigmoid(a * lex + b * feat + self.blend_intercept_)
        n_evidence = n_rows if evidence_rows is None else evidence_rows
        topics: dict[int, frozenset[str]] = {}  # built when first needed

        def topic_of(row: int) -> frozenset[str]:
            if texts is None:
                return frozenset()
            key = -1 if context is not None else row
            if key not in topics:
                topics[key] = topic_words(context if context is not None else texts[row])
            return topics[key]

        out = []
        for i, (x, found) in enumerate(analysed):
            if i >= n_evidence:
                out.append((float(p[i]), []))
                continue
            # evidence toward the side the decision takes: the caller's threshold
            # when given (the section rule of detector.filler.decision)
            sign = 1.0 if p[i] > (self.threshold_ if threshold is None else threshold) else -1.0
            caseless = texts is not None and cased_share(texts[i]) < CASED_SHARE_MIN
            items = self._feature_evidence(x, Z[i], found, sign * b, k, caseless=caseless)
            lex_item = self._lexical_evidence(
                i, word_contrib, lex[i] - self.lex_intercept_, sign * a, lambda i=i: topic_of(i)
            )
            if lex_item is not None:
                items.append(lex_item)
            items.sort(key=lambda t: -t[0])
            out.append((float(p[i]), [t for _, t in items[:k]]))
        return out

    def explain(self, text: str, *, k: int = 3) -> list[str]:
        """The few features that pushed the score of ``text`` most, in words."""
        return self.score([text], k=k)[0][1]

    def _feature_evidence(
        self, x, z, found, weight: float, k: int, *, caseless: bool = False
    ) -> list[tuple[float, str]]:
        """The interpretable features that pushed most, in words; with
        ``caseless`` (a text in a script without case), not the features
        counted on capitalised or cased words (``CASE_FEATURES``), whose
        values say nothing about such a text."""
        contrib = weight * self.feat_coef_ * z
        items: list[tuple[float, str]] = []
        for j in np.argsort(-contrib)[: k + 3 + (len(CASE_FEATURES) if caseless else 0)]:
            if contrib[j] < 0.15:
                break
            if caseless and FEATURES[j].name in CASE_FEATURES:
                continue
            text = describe(FEATURES[j].name, bool(z[j] > 0), x[j], found)
            if text:
                items.append((float(contrib[j]), text))
                if len(items) == k:  # the later ones push less: never among the top k
                    break
        return items

    def _lexical_evidence(
        self, row: int, word_contrib: tuple, total: float, weight: float, topics=frozenset
    ) -> tuple[float, str] | None:
        """The word n-grams that pushed most (``word_contrib``: rows, columns and
        logit contributions of the word family; ``total``: the row's whole
        n-gram logit), when their push is strong. N-grams holding a topic word
        (``topics()``, see ``topic_words``) are skipped: a name or a subject
        says what a text is about, not how it was written."""
        total *= weight
        if total < 0.3:
            return None
        rows, cols, contrib = word_contrib
        mine = rows == row  # in column order
        wcols, wcontrib = cols[mine], contrib[mine] * weight
        order = np.argsort(-wcontrib)[:12]
        terms = self.lexical_.terms("word")
        picked = []
        topic: frozenset[str] | None = None
        for i in order:
            term = terms[wcols[i]]
            if wcontrib[i] > 0 and _readable(term):
                if topic is None:
                    topic = topics()
                if topic and any(_base(w) in topic for w in term.split()):
                    continue
                picked.append(term)
                if len(picked) == 3:
                    break
        if not picked:
            return None
        side = "generated text" if weight > 0 else "human reporting"
        return total, f"wording typical of {side}: " + ", ".join(f"'{t}'" for t in picked)

    def feature_weights(self) -> dict[str, float]:
        """Blend-weighted coefficient of each interpretable feature (per deviation)."""
        b = self.blend_coef_[1]
        return {n: float(b * c) for n, c in zip(FEATURE_NAMES, self.feat_coef_, strict=True)}


def _readable(term: str) -> bool:
    """An n-gram worth showing a person: a word of four letters or more, no digits."""
    return "0" not in term and any(len(w) >= 4 for w in term.split())


CASED_SHARE_MIN = 0.5
"""Below this share of letters from scripts with case (``cased_share``), a text
is taken as written in a caseless script and its case-based cues are not shown."""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…:;。！？]['\"”’»)\]]*$")


_OPENING_QUOTES = frozenset("\"“„«‘'「(")


def _base(word: str) -> str:
    """A word without its clitic ("trump's" -> "trump")."""
    return word.replace("’", "'").split("'", 1)[0]


def topic_words(text: str) -> frozenset[str]:
    """The lower-cased words of ``text`` that name its topic rather than show its
    style: words written with a capital inside a sentence (not its first word)
    more often than in lower case anywhere in the text, such as 'Russian',
    'Trump', 'Belarus' or 'US'.

    Only prose lines count: headings (lines of at most 16 words without final
    punctuation, as in ``features._is_heading``), table rows and the label of a
    'Label: ...' item are written in title case whatever their words are, and a
    quotation starts a sentence of its own. A word's first letter is what
    counts, so acronyms count as capitalised. In a script without case nothing
    is found. Numbers never reach the evidence (``_readable``)."""
    capital: dict[str, int] = {}
    lower: dict[str, int] = {}
    for line in text.splitlines():
        line = line.strip().lstrip("#>*-+•· ").strip()
        if not line or line.startswith("|"):
            continue
        words = line.split()
        if len(words) <= 16 and not _SENTENCE_END.search(line.rstrip("*_ ")):
            continue  # a heading
        head, sep, rest = line.partition(": ")
        if sep and len(head.split()) <= 6:
            line = rest  # the label of a 'Label: ...' item
        start = True
        for token in line.split():
            if token[0] in _OPENING_QUOTES:
                start = True  # a quotation starts a sentence of its own
            for m in _WORD.finditer(token):
                word = _base(m.group().lower())
                first = m.group()[0]
                if first.islower():
                    lower[word] = lower.get(word, 0) + 1
                elif first.isupper() and not start:
                    capital[word] = capital.get(word, 0) + 1
                start = False
            if _SENTENCE_END.search(token.strip("*_")):
                start = True
    capital.pop("i", None)  # the English pronoun is written capitalised
    return frozenset(w for w, n in capital.items() if n > lower.get(w, 0))


__all__ = ["CASED_SHARE_MIN", "FillerModel", "topic_words"]
