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

from collections.abc import Mapping, Sequence

import numpy as np

from detector.filler.features import FEATURE_NAMES, FEATURES, LexicalTfidf, analyse_texts, describe

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
        if [str(n) for n in arrays["feature_names"]] != list(FEATURE_NAMES):
            raise ValueError("the model was trained on other filler features than this code's")
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
        return self._score(analyse_texts(texts), self.lexical_.occurrences(texts), k)

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
            analysed, occurrences, k, evidence_rows=len(sections), threshold=threshold
        )
        return scored[:-1], scored[-1][0]

    def _score(
        self,
        analysed,
        occurrences,
        k: int,
        evidence_rows: int | None = None,
        threshold: float | None = None,
    ):
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
        out = []
        for i, (x, found) in enumerate(analysed):
            if i >= n_evidence:
                out.append((float(p[i]), []))
                continue
            # evidence toward the side the decision takes: the caller's threshold
            # when given (the section rule of detector.filler.decision)
            sign = 1.0 if p[i] > (self.threshold_ if threshold is None else threshold) else -1.0
            items = self._feature_evidence(x, Z[i], found, sign * b, k)
            lex_item = self._lexical_evidence(
                i, word_contrib, lex[i] - self.lex_intercept_, sign * a
            )
            if lex_item is not None:
                items.append(lex_item)
            items.sort(key=lambda t: -t[0])
            out.append((float(p[i]), [t for _, t in items[:k]]))
        return out

    def explain(self, text: str, *, k: int = 3) -> list[str]:
        """The few features that pushed the score of ``text`` most, in words."""
        return self.score([text], k=k)[0][1]

    def _feature_evidence(self, x, z, found, weight: float, k: int) -> list[tuple[float, str]]:
        contrib = weight * self.feat_coef_ * z
        items: list[tuple[float, str]] = []
        for j in np.argsort(-contrib)[: k + 3]:
            if contrib[j] < 0.15:
                break
            text = describe(FEATURES[j].name, bool(z[j] > 0), x[j], found)
            if text:
                items.append((float(contrib[j]), text))
                if len(items) == k:  # the later ones push less: never among the top k
                    break
        return items

    def _lexical_evidence(
        self, row: int, word_contrib: tuple, total: float, weight: float
    ) -> tuple[float, str] | None:
        """The word n-grams that pushed most (``word_contrib``: rows, columns and
        logit contributions of the word family; ``total``: the row's whole
        n-gram logit), when their push is strong."""
        total *= weight
        if total < 0.3:
            return None
        rows, cols, contrib = word_contrib
        mine = rows == row  # in column order
        wcols, wcontrib = cols[mine], contrib[mine] * weight
        order = np.argsort(-wcontrib)[:12]
        terms = self.lexical_.terms("word")
        picked = []
        for i in order:
            term = terms[wcols[i]]
            if wcontrib[i] > 0 and _readable(term):
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


__all__ = ["FillerModel"]
