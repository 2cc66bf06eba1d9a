"""Filler trust bench (issue 17): false flags on human web text, catches on
machine text from generators never trained on, and the mixed set.

``python -m detector_dev.filler.trust_bench [--models DIR]`` reads the scores
written by ``trust_run`` and prints, for the shipped decision (a section is
``generated`` when its own P > the model's threshold) and for the
document-aware rule of ``detector.filler.decision``:

- human documents (never trained on: cross-fitted story folds, ``cv*``
  models): share with any ``generated`` section and with the document over
  its threshold, per register and per language (>= 50 documents), WCXB-dev
  (2025) apart;
- machine documents per generator, each scored by the model trained without
  its family (``logo-*``): share with a flagged section, document AUROC
  against the held-out human documents;
- mixed documents (held-out human articles with 1-2 machine chunks of the
  left-out family inserted): share of inserted chunks flagged (>= half of the
  chunk's kept words in flagged sections), share of those documents with a
  flagged human-only section.

Rule constants are set on one half of the human groups (sites, l2r domains,
M4 files: ``calibration.calibration_fold``) and measured on the other half,
then the halves swap: every human number is measured with constants not set
on its site or source.
"""

from __future__ import annotations

import argparse
import pickle
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from detector.filler.decision import DecisionRule, logit
from detector_dev.filler.calibration import PRE2023, WCXB2025, calibration_fold
from detector_dev.filler.trust_models import DEFAULT_OUT, FAMILIES, story_fold

SHIPPED_T = 0.8726
MIN_N = 50


def auroc(neg: np.ndarray, pos: np.ndarray) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    if not len(neg) or not len(pos):
        return float("nan")
    ranks = rankdata(np.concatenate([neg, pos]))
    return float((ranks[len(neg) :].sum() - len(pos) * (len(pos) + 1) / 2) / (len(neg) * len(pos)))


def with_constant(rule: DecisionRule, c: float) -> DecisionRule:
    """``rule`` with its section constant set to ``c`` (support offset kept)."""
    from dataclasses import replace

    sup = None if rule.support_logit is None else c - (rule.section_logit - rule.support_logit)
    return replace(rule, section_logit=c, support_logit=sup)


def max_evidence(rule: DecisionRule, s) -> float:
    """The largest section evidence of a document that passes ``min_section_p`` (−inf if none)."""
    if s is None or not len(s.p):
        return -np.inf
    ev = rule.evidence(s.p, s.words, s.doc_p)
    ev = np.where((s.p > rule.min_section_p) & (s.words >= rule.min_words), ev, -np.inf)
    return float(ev.max())


def quantile_threshold(values: np.ndarray, rate: float) -> float:
    """Smallest threshold t with share(values > t) <= rate, halfway to the next value."""
    v = np.sort(values[np.isfinite(values)])[::-1]
    n_all = len(values)
    k = int(np.floor(rate * n_all))
    if k >= len(v):
        return -np.inf
    kept = v[k]
    higher = v[:k][v[:k] > kept]
    upper = float(higher.min()) if len(higher) else kept + 1.0
    return float((kept + upper) / 2)


MIN_N_CAL = 50
"""Registers and languages with fewer calibration documents are not constrained
one by one (a handful of documents cannot measure a 2% rate); they count overall."""


def set_constant(m: np.ndarray, registers: list[str], langs: list[str], rate: float,
                 min_n: int | None = None) -> float:  # fmt: skip
    min_n = MIN_N_CAL if min_n is None else min_n
    """The threshold on per-document max evidence meeting ``rate`` overall and per
    register and language with at least ``min_n`` documents."""
    ts = [quantile_threshold(m, rate)]
    for keys in (registers, langs):
        by: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(keys):
            by[k].append(i)
        for idx in by.values():
            if len(idx) >= min_n:
                ts.append(quantile_threshold(m[idx], rate))
    return max(ts)


class Data:
    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            raw = pickle.load(fh)
        self.docs: dict[str, dict] = raw["docs"]
        self.scores: dict[str, dict] = raw["scores"]

    def human_cv(self, path: str = "clean") -> list[tuple[dict, object]]:
        out = []
        for i, meta in self.docs.items():
            if meta["kind"] != "human":
                continue
            k = story_fold(meta.get("story") or meta.get("group") or meta["id"])
            s = self.scores.get(f"cv{k}", {}).get(i)
            if s is not None:
                out.append((meta, s[path]))
        return out

    def model_rows(self, model: str, kind: str, path: str = "clean", **where):
        out = []
        for i, got in self.scores.get(model, {}).items():
            meta = self.docs[i]
            if meta["kind"] != kind or path not in got:
                continue
            if any(meta.get(k) != v for k, v in where.items()):
                continue
            out.append((meta, got[path]))
        return out


def human_table(rows, flagged: np.ndarray, over: np.ndarray) -> list[tuple]:
    """(block, key, n, any-flag rate, doc-over rate) per register and language."""
    out = []
    for block in (PRE2023, WCXB2025):
        sel = [i for i, (m, _) in enumerate(rows) if m["block"] == block]
        if not sel:
            continue
        out.append((block, "ALL", len(sel), flagged[sel].mean(), over[sel].mean()))
        for field in ("register", "lang"):
            by: dict[str, list[int]] = defaultdict(list)
            for i in sel:
                by[rows[i][0][field]].append(i)
            for key in sorted(by):
                idx = by[key]
                if len(idx) >= MIN_N:
                    out.append((block, f"{field}={key}", len(idx), flagged[idx].mean(),
                                over[idx].mean()))  # fmt: skip
    return out


FIXED: dict[str, float] = {}
"""When set (``section``, ``doc`` logits), constants are used as given instead of
calibrated: the shipped decision as it is."""


def crossfold_human(rows, rule: DecisionRule, rate: float, calibrate_on=(PRE2023,)):
    """Per-document flags with the rule's section and document constants set on the
    other calibration fold (groups), calibrated on ``calibrate_on`` blocks only."""
    m = np.array([max_evidence(rule, s) for _, s in rows])
    d = np.array([logit(s.doc_p) if s is not None else -np.inf for _, s in rows])
    folds = np.array([calibration_fold(meta["group"]) for meta, _ in rows])
    usable = np.array([meta["block"] in calibrate_on for meta, _ in rows])
    flagged = np.zeros(len(rows), bool)
    over = np.zeros(len(rows), bool)
    consts = {}
    for f in (0, 1):
        cal = np.flatnonzero((folds == f) & usable)
        regs = [rows[i][0]["register"] for i in cal]
        langs = [rows[i][0]["lang"] for i in cal]
        c = FIXED.get("section") or set_constant(m[cal], regs, langs, rate)
        cd = FIXED.get("doc") or set_constant(d[cal], regs, langs, rate)
        tgt = folds != f
        flagged[tgt] = m[tgt] > c
        over[tgt] = d[tgt] > cd
        consts[f] = (c, cd)
    return flagged, over, consts


def print_human(title: str, table: list[tuple]) -> None:
    print(f"\n== {title}")
    print(f"   {'block':9s} {'key':36s} {'n':>5s}  {'any sec flagged':>15s}  {'doc over':>8s}")
    for block, key, n, a, o in table:
        mark = " *" if a > 0.02 else ""
        print(f"   {block:9s} {key:36s} {n:5d}  {a:15.3f}  {o:8.3f}{mark}")


def chunk_flags(s, sec_flags: np.ndarray, meta: dict | None = None,
                seo: bool = False) -> np.ndarray:  # fmt: skip
    """Per inserted chunk: at least half of its words in ``generated`` sections
    (of all its words, the ones the cleaner dropped included); with ``seo``, words
    the cleaner labelled ``seo_filler`` count as caught too."""
    labels = (meta or {}).get("inserted_labels")
    n = len(labels) if labels is not None else (0 if s is None else s.chunk_words.shape[0])
    if s is None or s.chunk_words is None or not s.chunk_words.shape[0]:
        hit = np.zeros(n)
    else:
        hit = (s.chunk_words * sec_flags[None, :]).sum(axis=1)
    if labels is None:
        tot = s.chunk_words.sum(axis=1) if s is not None else np.zeros(n)
        return np.where(tot > 0, hit >= 0.5 * tot, False)
    tot = np.array([sum(x.values()) for x in labels], float)
    if seo:
        hit = hit + np.array([x.get("seo_filler", 0) for x in labels], float)
    return np.where(tot > 0, hit >= 0.5 * tot, False)


def rule_report(data: Data, rule: DecisionRule, rate: float, label: str, verbose: bool = True):
    """Human table (cv models, cross-fold constants) and LOGO machine/mixed numbers."""
    rows = data.human_cv()
    flagged, over, consts = crossfold_human(rows, rule, rate)
    table = human_table(rows, flagged, over)
    worst = max((a for b, k, n, a, o in table if b == PRE2023), default=float("nan"))
    summary = {"human_pre2023_all": table[0][3] if table else float("nan"),
               "human_worst_pre2023": worst}  # fmt: skip
    wc = [t for t in table if t[0] == WCXB2025]
    summary["wcxb_all"] = wc[0][3] if wc else float("nan")
    summary["wcxb_worst"] = max((t[3] for t in wc), default=float("nan"))
    if verbose:
        print_human(f"{label}: human documents (cv models, constants from the other fold)", table)
    # in-family: machine documents scored by the cv model of their story fold
    # (trained with their generator), at the cross-fold constants
    inf: dict[str, list[bool]] = defaultdict(list)
    inf_doc: dict[str, list[float]] = defaultdict(list)
    for i, meta in data.docs.items():
        if meta["kind"] != "machine":
            continue
        k = story_fold(meta.get("story") or meta["id"])
        got = data.scores.get(f"cv{k}", {}).get(i)
        if got is None:
            continue
        me = max_evidence(rule, got["clean"])
        key = meta["family"] if meta["source"] == "ru-arena" else meta["gen"]
        key = f"{meta['source']}:{key}"
        inf[key].append(np.mean([me > c for c, _ in consts.values()]))
        if got["clean"] is not None:
            inf_doc[key].append(float(logit(got["clean"].doc_p)))
    summary["in_family"] = {k: float(np.mean(v)) for k, v in inf.items()}
    if verbose:
        neg = np.array([logit(s.doc_p) for m, s in rows if s is not None and m["block"] == PRE2023])
        print(f"\n== {label}: machine documents, generator seen in training (cv models;"
              " flagged, document AUROC against the pre-2023 human documents)")  # fmt: skip
        for k in sorted(inf):
            au = auroc(neg, np.array(inf_doc[k])) if inf_doc[k] else float("nan")
            print(f"   {k:48s} {len(inf[k]):5d}  {np.mean(inf[k]):7.3f}  {au:6.4f}")
    # LOGO: per family, constants set on that model's own held-out human scores
    mach_lines = []
    fam_stats = {}
    for fam in FAMILIES:
        model = f"logo-{fam}"
        hrows = data.model_rows(model, "human")
        if not hrows:
            continue
        hm = np.array([max_evidence(rule, s) for _, s in hrows])
        hd = np.array([logit(s.doc_p) if s is not None else -np.inf for _, s in hrows])
        folds = np.array([calibration_fold(m["group"]) for m, _ in hrows])
        pre = np.array([m["block"] == PRE2023 for m, _ in hrows])
        cs = []
        hflag = np.zeros(len(hrows), bool)
        for f in (0, 1):
            cal = np.flatnonzero((folds == f) & pre)
            c = FIXED.get("section") or set_constant(
                hm[cal], [hrows[i][0]["register"] for i in cal],
                [hrows[i][0]["lang"] for i in cal], rate)  # fmt: skip
            cs.append(c)
            hflag[folds != f] = hm[folds != f] > c
        human_rate = hflag[pre].mean()
        mrows = data.model_rows(model, "machine")
        by: dict[str, list] = defaultdict(list)
        for meta, s in mrows:
            by[f"{meta['source']}:{meta['gen']}"].append((meta, s))
        neg = hd[pre & np.isfinite(hd)]
        for key in sorted(by):
            r = by[key]
            mm = np.array([max_evidence(rule, s) for _, s in r])
            md = np.array([logit(s.doc_p) if s is not None else -np.inf for _, s in r])
            rec = np.mean([(mm > c).mean() for c in cs])
            au = auroc(neg, md[np.isfinite(md)])
            mach_lines.append((fam, key, len(r), rec, au))
            fam_stats.setdefault(fam, []).append((len(r), rec, au))
        # mixed
        xrows = data.model_rows(model, "mixed")
        rec_chunks, human_sec_docs = [], []
        parts: dict[str, list[float]] = defaultdict(list)
        for c in cs:
            hits, hs = [], []
            split: dict[str, list[bool]] = defaultdict(list)
            for meta, s in xrows:
                if s is None:
                    sec = np.zeros(0, bool)
                else:
                    sec = with_constant(rule, c).flags(s.p, s.words, s.doc_p)
                    hs.append(bool((sec & (s.inserted_words == 0)).any()))
                got = chunk_flags(s, sec, meta)
                hits.extend(got)
                topic = "on-topic" if meta.get("on_topic") else "off-topic"
                split[topic].extend(got)
                split[topic + " +seo_filler"].extend(chunk_flags(s, sec, meta, seo=True))
            rec_chunks.append(np.mean(hits) if hits else float("nan"))
            human_sec_docs.append(np.mean(hs) if hs else float("nan"))
            for key, v in split.items():
                parts[key].append(float(np.mean(v)) if v else float("nan"))
                parts[key + ":n"] = [len(v)]
        for key in sorted(k for k in parts if not k.endswith(":n")):
            summary[f"mixed_{fam}_{key}"] = float(np.mean(parts[key]))
            mach_lines.append((fam, f"mixed {key}", parts[key + ":n"][0],
                               float(np.mean(parts[key])), float("nan")))  # fmt: skip
        fam_stats.setdefault(fam, [])
        summary[f"mixed_{fam}"] = float(np.mean(rec_chunks))
        summary[f"mixed_human_{fam}"] = float(np.mean(human_sec_docs))
        summary[f"logo_human_{fam}"] = float(human_rate)
        mach_lines.append((fam, "MIXED chunks flagged", len(xrows), float(np.mean(rec_chunks)),
                           float(np.mean(human_sec_docs))))  # fmt: skip
    if verbose:
        print(f"\n== {label}: machine documents, model trained without the family "
              f"(constants on its held-out human fold)")  # fmt: skip
        print(f"   {'family':7s} {'generator':40s} {'n':>5s}  {'flagged':>7s}  {'AUROC':>6s}")
        for fam, key, n, rec, au in mach_lines:
            if key.startswith("mixed"):
                print(f"   {fam:7s} {key:40s} {n:5d}  {rec:7.3f}  (chunks)")
            elif key.startswith("MIXED"):
                print(f"   {fam:7s} {key:40s} {n:5d}  {rec:7.3f}  "
                      f"(docs w/ human section flagged {au:.3f})")  # fmt: skip
            else:
                print(f"   {fam:7s} {key:40s} {n:5d}  {rec:7.3f}  {au:6.4f}")
    for fam, vals in fam_stats.items():
        if vals:
            n = np.array([v[0] for v in vals], float)
            summary[f"machine_{fam}"] = float((n * [v[1] for v in vals]).sum() / n.sum())
            summary[f"auroc_min_{fam}"] = float(min(v[2] for v in vals))
    summary["consts"] = consts
    return summary


def shipped_report(data: Data) -> None:
    """The shipped model and decision as a user sees it (``detector score``)."""
    rule = DecisionRule(section_logit=float(logit(SHIPPED_T)), doc_threshold=SHIPPED_T)
    for path in ("clean", "gold"):
        rows = [(m, s) for m, s in data.model_rows("shipped", "human", path)]
        for trained_sel, name in ((False, "never trained on"), (None, "all, incl. trained")):
            sel = [(m, s) for m, s in rows if trained_sel is None or m["trained"] == trained_sel]
            fl = np.array([max_evidence(rule, s) > rule.section_logit for _, s in sel])
            ov = np.array([s is not None and s.doc_p > SHIPPED_T for _, s in sel])
            print_human(f"SHIPPED model, section p > {SHIPPED_T}, {path} path, humans {name}",
                        human_table(sel, fl, ov))  # fmt: skip
    rows = data.human_cv()
    fl = np.array([max_evidence(rule, s) > rule.section_logit for _, s in rows])
    ov = np.array([s is not None and s.doc_p > SHIPPED_T for _, s in rows])
    print_human(f"shipped recipe cross-fitted (cv models), section p > {SHIPPED_T}, clean path",
                human_table(rows, fl, ov))  # fmt: skip


def calibrate_shipped(data: Data, rate: float, min_words: float = 0.0) -> DecisionRule:
    """Constants for the shipped model: set on its never-trained pre-2023 human
    documents (every register and language at ``rate``); measured first with
    the two group folds (set on one, measured on the other)."""
    rows = [(m, s) for m, s in data.model_rows("shipped", "human") if not m["trained"]]
    base = DecisionRule(min_words=min_words)
    flagged, over, consts = crossfold_human(rows, base, rate)
    print_human(
        "shipped model, section constant set on the other group fold",
        human_table(rows, flagged, over),
    )
    pre = [(m, s) for m, s in rows if m["block"] == PRE2023]
    m = np.array([max_evidence(base, s) for _, s in pre])
    d = np.array([logit(s.doc_p) if s is not None else -np.inf for _, s in pre])
    regs = [x["register"] for x, _ in pre]
    langs = [x["lang"] for x, _ in pre]
    c = set_constant(m, regs, langs, rate)
    cd = set_constant(d, regs, langs, rate)
    p_sec = 1 / (1 + np.exp(-c))
    p_doc = 1 / (1 + np.exp(-cd))
    print(f"\nshipped constants: section_logit {c:.4f} (p {p_sec:.4f}), doc threshold p {p_doc:.4f}"
          f" (cross-fold: {consts})")  # fmt: skip
    return DecisionRule(section_logit=c, doc_threshold=float(p_doc), min_words=min_words)


def print_summary(name: str, s: dict) -> None:
    """One line of the rule comparison."""
    fams = [f for f in FAMILIES if f"machine_{f}" in s]
    nan = float("nan")
    machine = "/".join(f"{s[f'machine_{f}']:.2f}" for f in fams)
    mixed = "/".join(f"{s.get(f'mixed_{f}', nan):.2f}" for f in fams)
    l2r = [k for k in sorted(s["in_family"]) if k.startswith("l2r:")]
    inf = "/".join(f"{s['in_family'][k]:.2f}" for k in l2r)
    print(
        f"{name:34s} | {s['human_pre2023_all']:.3f}/{s['human_worst_pre2023']:.3f} "
        f"| {s['wcxb_all']:.3f}/{s['wcxb_worst']:.3f} | {machine} | {mixed} | {inf}",
        flush=True,
    )


def ensure_scores(models: Path, rebuild: bool = False) -> bool:
    """Train the missing models and score every document when ``models/scores.pkl``
    is missing (or ``rebuild``), saying so first; True when it did."""
    from detector_dev.filler import trust_models, trust_run

    scores = models / "scores.pkl"
    if scores.exists() and not rebuild:
        return False
    missing = [n for n in trust_models.model_names() if not (models / f"{n}.pkl").exists()]
    why = "rebuild asked" if scores.exists() else f"no cached scores ({scores})"
    print(f"filler-trust cache: {why}: training {len(missing)} missing models "
          f"({' '.join(missing) or 'none'}; 15-30 min on 2 cores), then cleaning and "
          "scoring every document (about 5 min)", flush=True)  # fmt: skip
    if missing:
        trust_models.main(["--out", str(models), "--only", *missing])
    trust_run.main(["--models", str(models)])
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rate", type=float, default=0.015)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--rules", action="store_true")
    parser.add_argument(
        "--build", action="store_true", help="train missing models and rescore first"
    )
    parser.add_argument("--after", action="store_true")
    parser.add_argument("--min-words", type=float, default=40.0)
    parser.add_argument("--shipped", action="store_true")
    parser.add_argument("--calibrate-shipped", action="store_true")
    args = parser.parse_args(argv)
    built = ensure_scores(args.models, rebuild=args.build)
    if built and not (args.shipped or args.after or args.rules or args.sweep
                      or args.calibrate_shipped):  # fmt: skip
        args.shipped = args.after = True
    data = Data(args.models / "scores.pkl")
    if args.shipped:
        shipped_report(data)
        FIXED.update(section=float(logit(SHIPPED_T)), doc=float(logit(SHIPPED_T)))
        rule_report(
            data, DecisionRule(), args.rate, f"BEFORE: shipped rule, section p > {SHIPPED_T}"
        )
        FIXED.clear()
    if args.after:
        rule = DecisionRule(min_words=args.min_words)
        rule_report(
            data,
            rule,
            args.rate,
            f"AFTER: section constant on the doc-wise rate "
            f"{args.rate}, sections under {args.min_words:.0f} words not labelled",
        )
    if args.calibrate_shipped:
        calibrate_shipped(data, args.rate, args.min_words)
    if args.rules or args.sweep:
        print(
            f"{'rule':34s} | human pre2023 all/worst | WCXB all/worst | left-out families "
            "gpt/google/llama/other | mixed chunks | in-family l2r GPT-3.5/GPT-4o/Gemini/Llama-3"
        )
        rules: list[tuple[str, float, DecisionRule]] = []
        if args.rules:
            for rate in (0.015, 0.02):
                for min_words in (0, 25, 40, 60, 80):
                    rules.append((f"rate {rate} min_words {min_words}", rate,
                                  DecisionRule(min_words=min_words)))  # fmt: skip
                for off in (1.0, 2.0, 3.0):
                    sup = DecisionRule().section_logit - off
                    rules.append((f"rate {rate} support -{off}", rate,
                                  DecisionRule(support_logit=sup)))  # fmt: skip
        if args.sweep:
            for pw in (0, 50, 100, 200, 400):
                for dw in (0.0, 0.5, 1.0):
                    rules.append((f"prior_words {pw} doc_weight {dw}", args.rate,
                                  DecisionRule(prior_words=pw, doc_weight=dw)))  # fmt: skip
        for name, rate, rule in rules:
            print_summary(name, rule_report(data, rule, rate, "", verbose=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
