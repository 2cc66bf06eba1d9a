"""Experiment (issue 17, item 4): do word-frequency and compression signals add
to the filler model for generators it never saw?

``PYTHONPATH=.:.bench/pylib python -m detector_dev.filler.trust_signals``
(``wordfreq`` installed into ``.bench/pylib``, not a dependency): per document,
GLTR-style unigram statistics from ``wordfreq`` (Zipf frequency of each word in
the document's language: mean, spread, shares per frequency band, unknown
words) and the zlib compression ratio. A logistic regression stacks them on
the filler model's document logit; it is fitted on human documents of one
group fold plus machine documents of the other families (cv-model scores) and
measured on the other group fold's human documents against the left-out
family (scores of the model trained without it).
"""

from __future__ import annotations

import pickle
import sys
import zlib

import numpy as np
from sklearn.linear_model import LogisticRegression

from detector.filler.decision import logit
from detector_dev.filler.calibration import (
    PRE2023,
    build_human,
    build_machine,
    calibration_fold,
)
from detector_dev.filler.trust_bench import auroc, quantile_threshold
from detector_dev.filler.trust_models import DEFAULT_OUT, FAMILIES, story_fold

WF_NAMES = ["zipf_mean", "zipf_std", "band_6", "band_5", "band_4", "band_3", "band_lo",
            "unknown", "ttr200", "zlib_ratio", "log_tokens"]  # fmt: skip


def wf_features(text: str, lang: str) -> np.ndarray:
    import wordfreq

    if lang not in wordfreq.available_languages() or lang in ("ja", "ko", "zh"):
        lang = "en" if lang not in ("ja", "ko", "zh") else "xx"
    try:
        if lang == "xx":
            raise ValueError
        toks = wordfreq.tokenize(text[:6000], lang)
    except Exception:  # noqa: BLE001 (zh without jieba)
        toks = [c for c in text[:3000] if c.isalnum()]
    toks = [t for t in toks if not t.isdigit()][:800]
    raw = text.encode("utf-8")
    zr = len(zlib.compress(raw, 9)) / max(1, len(raw))
    if not toks:
        return np.array([0, 0, 0, 0, 0, 0, 0, 1, 0, zr, 0], float)
    try:
        z = np.array([wordfreq.zipf_frequency(t, lang) for t in toks])
    except Exception:  # noqa: BLE001 (ja, ko, zh need MeCab / jieba)
        z = np.zeros(len(toks))
    known = z > 0
    zk = z[known] if known.any() else np.array([0.0])
    return np.array([
        zk.mean(), zk.std(), (z >= 6).mean(), ((z >= 5) & (z < 6)).mean(),
        ((z >= 4) & (z < 5)).mean(), ((z >= 3) & (z < 4)).mean(), ((z > 0) & (z < 3)).mean(),
        (~known).mean(), len(set(toks[:200])) / min(200, len(toks)), zr, np.log(len(toks)),
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", choices=("wf", "lm"), default="wf")
    parser.add_argument("--lang", default=None, help="only documents of this language")
    args = parser.parse_args(argv)
    with (DEFAULT_OUT / "scores.pkl").open("rb") as fh:
        data = pickle.load(fh)
    docs, scores = data["docs"], data["scores"]
    if args.features == "lm":  # computed by trust_lm for a sample of documents
        feats = pickle.load((DEFAULT_OUT / "lm.pkl").open("rb"))
    else:
        texts = {r["id"]: r for r in build_human()}
        texts.update({r["id"]: r for r in build_machine()})
        cache = DEFAULT_OUT / "wf.pkl"
        feats = pickle.load(cache.open("rb")) if cache.exists() else {}
        todo = [i for i, m in docs.items() if m["kind"] in ("human", "machine") and i not in feats]
        for i in todo:
            r = texts[i]
            feats[i] = wf_features(r["text"], r["lang"])
        if todo:
            pickle.dump(feats, cache.open("wb"))
    print(f"{len(feats)} documents with features", file=sys.stderr)

    def doc_logit(model: str, i: str) -> tuple[float, float] | None:
        got = scores.get(model, {}).get(i)
        if not got or got["clean"] is None:
            return None
        s = got["clean"]
        return float(logit(s.doc_p)), float(logit(s.p).max())

    def cv_model(m: dict) -> str:
        return f"cv{story_fold(m.get('story') or m.get('group') or m['id'])}"

    print(f"{'family':7s} {'test fold':9s} {'n_h':>5s} {'n_m':>5s} | AUROC base / +wf / wf only"
          f" | TPR@2%FPR base / +wf / wf only")  # fmt: skip
    for fam in FAMILIES:
        for f in (0, 1):
            Xtr, ytr = [], []
            for i, m in docs.items():
                if (
                    m["kind"] == "human"
                    and m["block"] == PRE2023
                    and calibration_fold(m["group"]) == f
                ):
                    lab = 0
                elif m["kind"] == "machine" and m["family"] != fam:
                    lab = 1
                else:
                    continue
                dl = doc_logit(cv_model(m), i)
                if dl is None or i not in feats or (args.lang and m["lang"] != args.lang):
                    continue
                Xtr.append([*dl, *feats[i]])
                ytr.append(lab)
            Xte, yte = [], []
            for i, m in docs.items():
                if (
                    m["kind"] == "human"
                    and m["block"] == PRE2023
                    and not m["trained"]
                    and calibration_fold(m["group"]) != f
                ):
                    lab = 0
                elif m["kind"] == "machine" and m["family"] == fam:
                    lab = 1
                else:
                    continue
                dl = doc_logit(f"logo-{fam}", i)
                if dl is None or i not in feats or (args.lang and m["lang"] != args.lang):
                    continue
                Xte.append([*dl, *feats[i]])
                yte.append(lab)
            Xtr, ytr, Xte, yte = map(np.asarray, (Xtr, ytr, Xte, yte))
            if len(set(ytr)) < 2 or len(set(yte)) < 2:
                continue
            mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-9
            Ztr, Zte = (Xtr - mu) / sd, (Xte - mu) / sd
            res = []
            for cols in ([0], list(range(Xtr.shape[1])), list(range(2, Xtr.shape[1]))):
                lr = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
                lr.fit(Ztr[:, cols], ytr)
                s = lr.decision_function(Zte[:, cols])
                t = quantile_threshold(s[yte == 0], 0.02)
                res.append((auroc(s[yte == 0], s[yte == 1]), float((s[yte == 1] > t).mean())))
            print(f"{fam:7s} {1 - f:9d} {int((yte == 0).sum()):5d} {int(yte.sum()):5d} | "
                  + " / ".join(f"{a:.4f}" for a, _ in res) + " | "
                  + " / ".join(f"{r:.3f}" for _, r in res))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
