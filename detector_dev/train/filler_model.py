"""The filler model's training: ``FillerEstimator`` (scikit-learn conventions)
fits the three linear models of :class:`detector.filler.model.FillerModel`.

1. the lexical model's TF-IDF vocabulary and idf come from scikit-learn's
   ``TfidfVectorizer`` (``fit_lexical``); a logistic regression over the
   n-grams gives a lexical logit (``nb_weighting`` scales the n-grams by their
   log-count ratio first, as in NB-SVM; off by default: plain TF-IDF
   generalised better to a generator left out and across sets, see
   ``corpus/FILLER.md``);
2. the interpretable features, standardised and clipped, and a logistic
   regression give a feature logit;
3. a blender (a logistic regression over the two logits) is fitted on
   stories held out from both base models (``blend_share`` of the groups), so
   its output is a calibrated probability. The base models are then refitted
   on every row.

Rows can be kept out of the lexical model (``lexical_mask``): the
machine-only, non-news sets (Russian chat answers, programming tutorials)
would otherwise teach it that a language or a topic means "machine".
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from detector.filler.features import (
    FEATURE_NAMES,
    FillerFeatures,
    LexicalTfidf,
    normalise_lexical,
    skeleton,
)
from detector.filler.model import Z_CLIP, FillerModel, _sigmoid
from detector.tokens import TOKEN

__all__ = ["FillerEstimator", "fit_lexical", "lexical_matrix"]


def _vectorizers(lexical: LexicalTfidf) -> dict[str, TfidfVectorizer]:
    """One ``TfidfVectorizer`` per n-gram family of ``lexical``'s settings."""
    vecs = {
        "word": TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(lexical.word_ngrams),
            token_pattern=TOKEN.pattern,  # the word tokens of WORD_OR_MARK at run time
            lowercase=False,
            min_df=lexical.min_df,
            max_features=lexical.max_word_features,
            sublinear_tf=True,
            dtype=np.float32,
        ),
    }
    if lexical.max_char_features:
        vecs["char"] = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(lexical.char_ngrams),
            lowercase=False,
            min_df=lexical.min_df,
            max_features=lexical.max_char_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
    if lexical.max_skeleton_features:
        vecs["skeleton"] = TfidfVectorizer(
            analyzer="word",
            ngram_range=(3, 5),
            token_pattern=r"\S+",
            lowercase=False,
            min_df=lexical.min_df,
            max_features=lexical.max_skeleton_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
    return vecs


def fit_lexical(lexical: LexicalTfidf, X: Sequence[str]) -> sp.csr_matrix:
    """Fit ``lexical``'s vocabulary and idf on ``X`` (no labels); return the
    TF-IDF matrix of ``X``."""
    docs = [normalise_lexical(t) for t in X]
    mats, lexical.vocab_, lexical.idf_ = [], {}, {}
    for name, vec in _vectorizers(lexical).items():
        mat = vec.fit_transform([skeleton(d) for d in docs] if name == "skeleton" else docs)
        lexical.vocab_[name] = "\n".join(vec.get_feature_names_out())
        lexical.idf_[name] = vec.idf_.astype(np.float32)
        mats.append(mat)
    return sp.hstack(mats, format="csr", dtype=np.float32)


def lexical_counts(
    lexical: LexicalTfidf, X: Sequence[str], *, total: bool = False
) -> dict[str, sp.csr_matrix]:
    """``lexical.occurrences`` as one sparse count matrix per family."""
    occ = lexical.occurrences(X, total=total)
    stacked = sp.csr_matrix(
        (occ.values.astype(np.float32), (occ.rows, occ.cols)),
        shape=(len(X) + total, lexical.n_columns),
    )
    return {
        family: stacked[:, start : start + len(lexical.idf_[family])]
        for family, start in lexical.offsets().items()
    }


def lexical_matrix(lexical: LexicalTfidf, X: Sequence[str]) -> sp.csr_matrix:
    """The TF-IDF matrix of ``X`` (sublinear tf, idf, l2 norm per family), as
    ``TfidfVectorizer`` computes it with the fitted vocabulary."""
    counts = lexical_counts(lexical, X)
    mats = []
    for name in lexical.vocab_:
        mat = counts[name].tocsr(copy=True)
        mat.data = 1.0 + np.log(mat.data)  # sublinear tf, as in TfidfVectorizer
        mat = mat.multiply(lexical.idf_[name][None, :]).tocsr()
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        mats.append(sp.diags(1.0 / norms).dot(mat))
    return sp.hstack(mats, format="csr", dtype=np.float32)


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


class FillerEstimator(FillerModel, ClassifierMixin, BaseEstimator):
    """The filler model with its training: scikit-learn's conventions (parameters
    in ``__init__``, learning in ``fit``); scoring and evidence are the runtime
    :class:`detector.filler.model.FillerModel`'s, which is what ships."""

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
    ) -> FillerEstimator:
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
        L = fit_lexical(self.lexical_, [X[i] for i in lex_idx])
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

    def _logits(self, X: Sequence[str], F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        L = lexical_matrix(self.lexical_, X)
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
