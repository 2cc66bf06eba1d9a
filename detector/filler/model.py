"""The filler classifier: lexical and interpretable features, blended.

``FillerModel`` follows scikit-learn conventions (parameters stored in
``__init__``, learning in ``fit``, answers in ``predict_proba``). Inside:

1. a lexical model: ``LexicalTfidf`` (word 1-2-grams, char 3-5-grams and
   3-5-grams of the sentence skeleton: function words, punctuation and suffix
   classes) and a logistic regression over the n-grams, giving a lexical
   logit (``nb_weighting`` scales the n-grams by their log-count ratio first,
   as in NB-SVM; off by default: plain TF-IDF generalised better to a
   generator left out and across sets, see ``corpus/FILLER.md``);
2. a feature model: the interpretable ``FillerFeatures``, standardised and
   clipped, and a logistic regression, giving a feature logit;
3. a blender: a logistic regression over the two logits, fitted on stories
   held out from both base models (``blend_share`` of the groups), so its
   output is a calibrated probability. The base models are then refitted on
   every row.

Rows can be kept out of the lexical model (``lexical_mask``): the
machine-only, non-news sets (Russian chat answers, programming tutorials)
would otherwise teach it that a language or a topic means "machine".

``explain`` turns the linear contributions into evidence a person can read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from detector.filler.features import (
    FEATURE_NAMES,
    FEATURES,
    FillerFeatures,
    LexicalTfidf,
    analyse_texts,
    describe,
    normalise_lexical,
)

Z_CLIP = 4.0
"""Standardised features are clipped to this many deviations."""


def _group_fold(groups: Sequence[str], share: float, seed: int) -> np.ndarray:
    """True for rows whose group hashes into the held-out ``share``."""
    out = np.zeros(len(groups), dtype=bool)
    cache: dict[str, bool] = {}
    for i, g in enumerate(groups):
        if g not in cache:
            h = hashlib.sha256(f"{seed}:{g}".encode()).digest()
            cache[g] = int.from_bytes(h[:4], "big") % 10000 < share * 10000
        out[i] = cache[g]
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class FillerModel(ClassifierMixin, BaseEstimator):
    """P(generated or padded) of a text section; see the module docstring."""

    def __init__(
        self,
        max_word_features: int = 40000,
        max_char_features: int = 60000,
        max_skeleton_features: int = 80000,
        nb_weighting: bool = False,
        min_df: int = 3,
        C_lexical: float = 2.0,
        C_features: float = 0.3,
        blend_share: float = 0.25,
        threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.max_skeleton_features = max_skeleton_features
        self.nb_weighting = nb_weighting
        self.min_df = min_df
        self.C_lexical = C_lexical
        self.C_features = C_features
        self.blend_share = blend_share
        self.threshold = threshold
        self.random_state = random_state

    # ---------------------------------------------------------------- fitting

    def _fit_lexical(self, L, y, w) -> tuple[np.ndarray, float]:
        """Logistic regression over the n-grams; with ``nb_weighting``, over n-grams
        scaled by their log-count ratio (NB-SVM), folded back into one coefficient."""
        r = np.ones(L.shape[1], dtype=np.float64)
        if self.nb_weighting:
            pos = np.asarray(L[y == 1].T @ w[y == 1]).ravel() + 1.0
            neg = np.asarray(L[y == 0].T @ w[y == 0]).ravel() + 1.0
            r = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
            L = L @ sp.diags(r.astype(np.float32))
        lr = LogisticRegression(C=self.C_lexical, solver="liblinear", max_iter=200)
        lr.fit(L, y, sample_weight=w)
        return (lr.coef_.ravel() * r).astype(np.float32), float(lr.intercept_[0])

    def _fit_features(self, F, y, w) -> dict:
        mean = F.mean(axis=0)
        scale = F.std(axis=0)
        scale[scale < 1e-9] = 1.0
        Z = np.clip((F - mean) / scale, -Z_CLIP, Z_CLIP)
        lr = LogisticRegression(C=self.C_features, max_iter=2000)
        lr.fit(Z, y, sample_weight=w)
        return {
            "feat_mean_": mean,
            "feat_scale_": scale,
            "feat_coef_": lr.coef_.ravel().copy(),
            "feat_intercept_": float(lr.intercept_[0]),
        }

    def fit(
        self,
        X: Sequence[str],
        y: Sequence[int],
        groups: Sequence[str] | None = None,
        sample_weight: Sequence[float] | None = None,
        lexical_mask: Sequence[bool] | None = None,
        features: np.ndarray | None = None,
    ) -> FillerModel:
        """Fit on texts ``X`` with labels ``y`` (1 = generated).

        ``groups`` (story ids) decide which rows the blender is fitted on;
        ``lexical_mask`` marks the rows the lexical model may learn from;
        ``features`` may hold ``FillerFeatures().transform(X)`` precomputed.
        The TF-IDF vocabulary is fitted once, without labels, on the lexical rows.
        """
        X = list(X)
        y = np.asarray(y, dtype=int)
        w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
        lex_rows = np.ones(len(X), bool) if lexical_mask is None else np.asarray(lexical_mask)
        F = FillerFeatures().transform(X) if features is None else np.asarray(features)
        groups = [str(i) for i in range(len(X))] if groups is None else list(groups)
        held = _group_fold(groups, self.blend_share, self.random_state)

        self.lexical_ = LexicalTfidf(
            max_word_features=self.max_word_features,
            max_char_features=self.max_char_features,
            max_skeleton_features=self.max_skeleton_features,
            min_df=self.min_df,
        )
        lex_idx = np.flatnonzero(lex_rows)
        L = self.lexical_.fit_transform([X[i] for i in lex_idx])
        in_base = ~held[lex_idx]
        # stage 1: base models on the stories outside the blend fold
        self.lex_coef_, self.lex_intercept_ = self._fit_lexical(
            L[in_base], y[lex_idx][in_base], w[lex_idx][in_base]
        )
        for key, val in self._fit_features(F[~held], y[~held], w[~held]).items():
            setattr(self, key, val)
        # stage 2: the blender on the held-out fold
        held_idx = np.flatnonzero(held)
        lex, feat = self._logits([X[i] for i in held_idx], F[held_idx])
        blender = LogisticRegression(C=10.0)
        blender.fit(np.column_stack([lex, feat]), y[held_idx], sample_weight=w[held_idx])
        self.blend_coef_ = blender.coef_.ravel().copy()
        self.blend_intercept_ = float(blender.intercept_[0])
        # stage 3: base models refitted on every row
        self.lex_coef_, self.lex_intercept_ = self._fit_lexical(L, y[lex_idx], w[lex_idx])
        for key, val in self._fit_features(F, y, w).items():
            setattr(self, key, val)
        self.classes_ = np.array([0, 1])
        self.n_features_ = len(FEATURE_NAMES)
        self.threshold_ = float(self.threshold)
        return self

    # ------------------------------------------------------------- predicting

    def _z(self, F: np.ndarray) -> np.ndarray:
        return np.clip((F - self.feat_mean_) / self.feat_scale_, -Z_CLIP, Z_CLIP)

    def _logits(self, X: Sequence[str], F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        L = self.lexical_.transform(X)
        lex = np.asarray(L @ self.lex_coef_).ravel() + self.lex_intercept_
        feat = self._z(F) @ self.feat_coef_ + self.feat_intercept_
        return lex, feat

    def component_logits(
        self, X: Sequence[str], features: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """Logits of the lexical model, the feature model and the blend."""
        X = list(X)
        F = FillerFeatures().transform(X) if features is None else np.asarray(features)
        lex, feat = self._logits(X, F)
        blend = self.blend_coef_[0] * lex + self.blend_coef_[1] * feat + self.blend_intercept_
        return {"lexical": lex, "features": feat, "final": blend}

    def decision_function(self, X: Sequence[str], features: np.ndarray | None = None) -> np.ndarray:
        return self.component_logits(X, features)["final"]

    def predict_proba(self, X: Sequence[str], features: np.ndarray | None = None) -> np.ndarray:
        p = _sigmoid(self.decision_function(X, features))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[str], features: np.ndarray | None = None) -> np.ndarray:
        return (self.predict_proba(X, features)[:, 1] > self.threshold_).astype(int)

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
        self, sections: Sequence[str], whole: str, *, k: int = 3
    ) -> tuple[list[tuple[float, list[str]]], float]:
        """Scores of the sections of one document, and of the whole document.

        The document's n-gram counts are the sum of its sections' counts, so
        its text is not tokenised twice.
        """
        sections = list(sections)
        occurrences = self.lexical_.occurrences(sections, total=True)
        analysed = analyse_texts([*sections, whole])
        scored = self._score(analysed, occurrences, k, evidence_rows=len(sections))
        return scored[:-1], scored[-1][0]

    def _score(self, analysed, occurrences, k: int, evidence_rows: int | None = None):
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
            sign = 1.0 if p[i] > self.threshold_ else -1.0
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


__all__ = ["FillerModel", "normalise_lexical"]
