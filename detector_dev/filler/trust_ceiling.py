"""The ceiling of the filler-trust targets (issue 17): the best any threshold can do.

``python -m detector_dev.filler.trust_ceiling [--models DIR]`` (run by
``python -m detector_dev.bench --only filler-trust`` after the trust tables)
asks of the cached scores of ``trust_run`` not what a given rule reaches but
what the best rule of a kind could reach, machine documents against the
pre-2023 human documents. Per score: the document AUROC, and the best TPR
over every threshold (``best_tpr_at_fpr``) that flags at most 2% of the human
documents, pooled, and also in every register and language with at least 50
of them (the target's own constraint). The scores:

- ``doc``: the model's document logit (a document-level decision, such as
  "label the strongest section of every document scoring over t", is a
  threshold on it);
- ``sec>=40w``: the largest section logit over sections of at least 40 words
  (a rule "flag the document's sections of >= 40 words with p > t" flags the
  document exactly when this is over t);
- ``doc+sec mix``: ``cos a * doc + sin a * sec>=40w`` with the angle ``a``
  searched per family for the best TPR (a section rule with a document weight,
  ``DecisionRule.doc_weight``, is a threshold on such a mix);
- stacks: a logistic regression on doc, sec>=40w and the cached word-frequency
  and zlib features (``trust_signals.wf_features``), and where computed the
  SmolLM2 features (``trust_lm``); fitted on the human documents of one
  calibration fold and on machine documents the test does not hold (for a
  left-out family: the other families, cv scores), measured on the other fold,
  the mean of the two folds; and as an "oracle" fitted on the very documents
  measured, left-out family included (not a left-out result: an optimistic
  bound for any linear stack of these signals);

for each generator family left out of training (``logo-*`` models) and each
generator in it, for the generators seen in training (cv models, held-out
stories), and in sample: the very documents a cv model trained on, human and
machine alike. For the mixed set: the best inserted-chunk recall of any
section threshold within the same 2% constraints.

Every figure is an upper bound for its kind of rule: the threshold (and the
angle) is chosen on the very documents it is measured on.

Caches in ``DIR`` (``.bench/filler-trust``): ``scores.pkl`` and the models
(trained and scored first when missing, as ``trust_bench`` does);
``insample.pkl``, the in-sample scores (computed once when missing, about a
minute); ``wf.pkl`` and ``lm.pkl``, never computed here (their columns are
left empty when missing and the generators without LM features are named).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from detector.filler.decision import logit
from detector_dev.filler.calibration import DEFAULT_DATA, PRE2023, calibration_fold
from detector_dev.filler.trust_bench import MIN_N_CAL, Data, auroc, chunk_flags, ensure_scores
from detector_dev.filler.trust_models import DEFAULT_OUT, FAMILIES, N_FOLDS, story_fold
from detector_dev.filler.trust_score import Scored

RATE = 0.02
"""Share of human documents that may be flagged (issue 17: 1 in 50)."""
TARGET_AUROC = 0.97
TARGET_TPR = 0.80
TARGET_CHUNKS = 0.70
MIN_WORDS = 40
"""Sections shorter than this are never labelled by the shipped rule."""
NO_SECTION = -14.0
"""The value of ``sec>=40w`` in a mix or stack when a document has no such
section (below ``logit(1e-6)``)."""
ANGLES = np.linspace(-np.pi / 2, np.pi / 2, 73)
"""Directions of the doc+sec mix searched (every 2.5 degrees)."""
SCORES = ("doc", "sec40", "mix")
STACKS = ("+wf", "+wf+lm", "oracle +wf", "oracle +wf+lm")
TITLES = {"sec40": "sec>=40w", "mix": "doc+sec mix"}

Pair = tuple[dict, Scored | None]
"""A document's metadata and its scores under one model (None: nothing kept)."""
Cell = tuple[float, float, float]
"""Document AUROC; best TPR at 2% of the human documents pooled; at 2% in every
register and language with >= 50 of them as well."""


def fpr_threshold(neg, rate: float = RATE) -> float:
    """The lowest threshold ``t`` that flags (score > t) at most ``rate`` of ``neg``.

    With ``k = floor(rate * n)``, any threshold under the (k+1)-th highest
    negative flags k + 1 of them, so that negative is the threshold; the
    negatives tied with it stay unflagged with it. ``-inf`` when every
    negative may be flagged."""
    v = np.sort(np.asarray(neg, dtype=float))[::-1]
    k = int(np.floor(rate * len(v) + 1e-9))
    return float(v[k]) if k < len(v) else -np.inf


def best_tpr_at_fpr(neg, pos, rate: float = RATE) -> float:
    """The largest share of ``pos`` that any threshold flags while flagging at
    most ``rate`` of ``neg`` (a score tied with the threshold is not flagged,
    positive or negative alike)."""
    pos = np.asarray(pos, dtype=float)
    if not len(pos):
        return float("nan")
    return float((pos > fpr_threshold(neg, rate)).mean())


def strata(metas: list[dict], min_n: int = MIN_N_CAL) -> list[np.ndarray]:
    """Indexes of the registers and languages with at least ``min_n`` documents."""
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, meta in enumerate(metas):
        by[("register", meta["register"])].append(i)
        by[("lang", meta["lang"])].append(i)
    return [np.array(idx) for idx in by.values() if len(idx) >= min_n]


def strict_threshold(neg: np.ndarray, groups: list[np.ndarray], rate: float = RATE) -> float:
    """The lowest threshold flagging at most ``rate`` of ``neg`` overall and of every group."""
    return max([fpr_threshold(neg, rate), *(fpr_threshold(neg[g], rate) for g in groups)])


def measure(neg, pos, groups: list[np.ndarray], rate: float = RATE) -> Cell:
    """AUROC, best TPR at ``rate`` of ``neg`` pooled, and within every group of ``neg`` too."""
    neg, pos = np.asarray(neg, dtype=float), np.asarray(pos, dtype=float)
    t = strict_threshold(neg, groups, rate)
    strict = float((pos > t).mean()) if len(pos) else float("nan")
    return auroc(neg, pos), best_tpr_at_fpr(neg, pos, rate), strict


def signals(s: Scored | None) -> np.ndarray:
    """Document logit and largest section logit over sections of >= ``MIN_WORDS``
    words (-inf: nothing to flag)."""
    if s is None or not len(s.p):
        return np.full(2, -np.inf)
    sec = logit(s.p)[s.words >= MIN_WORDS]
    return np.array([float(logit(s.doc_p)), sec.max() if len(sec) else -np.inf])


def mix(sig: np.ndarray, angle: float) -> np.ndarray:
    """``cos a * doc + sin a * sec>=40w`` of rows of ``signals``."""
    sec = np.maximum(sig[:, 1], NO_SECTION)
    return np.cos(angle) * sig[:, 0] + np.sin(angle) * sec


def gen_key(meta: dict) -> str:
    return f"{meta['source']}:{meta['gen']}"


@dataclass
class Extra:
    """Cached per-document features: word frequency and zlib (``wf``), SmolLM2 (``lm``)."""

    wf: dict[str, np.ndarray]
    lm: dict[str, np.ndarray]

    @classmethod
    def load(cls, models: Path) -> Extra:
        """Whatever is cached in ``models``, saying what is missing."""
        got = {}
        for name, how in (
            ("wf", "PYTHONPATH=.:.bench/pylib python -m detector_dev.filler.trust_signals"),
            ("lm", "PYTHONPATH=.:.bench/lm python -m detector_dev.filler.trust_lm (~25 min)"),
        ):
            path = models / f"{name}.pkl"
            if path.exists():
                with path.open("rb") as fh:
                    got[name] = pickle.load(fh)
            else:
                got[name] = {}
                print(f"   no cached {path.name}: its columns are left empty; `{how}` computes it")
        return cls(**got)

    def row(self, meta: dict, s: Scored | None, with_lm: bool) -> np.ndarray | None:
        """The stacked features of a document (None: not cached for it)."""
        i = meta["id"]
        if i not in self.wf or (with_lm and i not in self.lm):
            return None
        parts = [np.maximum(signals(s), NO_SECTION), self.wf[i]]
        if with_lm:
            parts.append(self.lm[i])
        return np.concatenate(parts)


@dataclass
class Split:
    """One fold of a stack: training documents (label 1: machine) and the
    indexes of the block's negatives and positives it is measured on."""

    train: list[tuple[dict, Scored | None, int]]
    neg: list[int]
    pos: list[int]


@dataclass
class Block:
    """Machine documents against human documents, each scored by one model."""

    title: str
    neg: list[Pair]
    pos: list[Pair]
    splits: list[Split] = field(default_factory=list)
    """Honest stacks: fitted on documents the test does not hold (none: no stacks)."""

    def oracle(self) -> list[Split]:
        """One split fitted on the very documents it is measured on."""
        train = [(m, s, 0) for m, s in self.neg] + [(m, s, 1) for m, s in self.pos]
        return [Split(train, list(range(len(self.neg))), list(range(len(self.pos))))]

    def groups(self) -> dict[tuple[str, str], list[int]]:
        """Positives per family (``ALL``) and per generator, in print order."""
        by: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, (meta, _) in enumerate(self.pos):
            by[(meta["family"], "ALL")].append(i)
            by[(meta["family"], gen_key(meta))].append(i)
        order = {f: k for k, f in enumerate(FAMILIES)}
        return dict(sorted(by.items(), key=lambda kv: (order[kv[0][0]], kv[0][1] != "ALL", kv[0])))


@dataclass
class Row:
    """One printed line: a family (``ALL``) or a generator, every column."""

    family: str
    label: str
    n: int
    cells: dict[str, Cell] = field(default_factory=dict)
    n_lm: int = 0


@dataclass
class Stack:
    """A logistic regression on standardised stacked features."""

    extra: Extra
    with_lm: bool
    lr: LogisticRegression = field(
        default_factory=lambda: LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    )
    mu: np.ndarray | None = None
    sd: np.ndarray | None = None

    def fit(self, train: list[tuple[dict, Scored | None, int]]) -> bool:
        """Fit on the documents with features; False when one class is missing."""
        rows = [(self.extra.row(m, s, self.with_lm), y) for m, s, y in train]
        X = np.array([x for x, _ in rows if x is not None])
        y = np.array([y for x, y in rows if x is not None])
        if len(set(y.tolist())) < 2:
            return False
        self.mu, self.sd = X.mean(0), X.std(0) + 1e-9
        self.lr.fit((X - self.mu) / self.sd, y)
        return True

    def scores(self, pairs: list[Pair], idx: list[int]) -> dict[int, float]:
        """Stack score of each indexed document that has the features."""
        feats = {i: self.extra.row(*pairs[i], self.with_lm) for i in idx}
        feats = {i: x for i, x in feats.items() if x is not None}
        if not feats:
            return {}
        s = self.lr.decision_function((np.array(list(feats.values())) - self.mu) / self.sd)
        return dict(zip(feats, s.tolist(), strict=True))


def stack_cells(
    block: Block,
    splits: list[Split],
    stack: Stack,
    groups: dict[tuple[str, str], list[int]],
) -> dict[tuple[str, str], tuple[Cell | None, int]]:
    """Per group: the stack's cell, mean over the splits (None: no split could
    measure it), and the group's positives with the features."""
    per: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    counted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for split in splits:
        if not stack.fit(split.train):
            continue
        neg = stack.scores(block.neg, split.neg)
        pos = stack.scores(block.pos, split.pos)
        neg_groups = strata([block.neg[i][0] for i in neg])
        for key, idx in groups.items():
            got = [pos[i] for i in idx if i in pos]
            counted[key].update(i for i in idx if i in pos)
            if got and neg:
                per[key].append(measure(list(neg.values()), got, neg_groups))
    return {
        key: (tuple(np.mean(per[key], axis=0)) if per[key] else None, len(counted[key]))
        for key in groups
    }


def best_angle(neg: np.ndarray, pos: np.ndarray, groups: list[np.ndarray]) -> float:
    """The mix direction with the best TPR within every group (ties: pooled)."""

    def tprs(angle: float) -> tuple[float, float]:
        _, pooled, every = measure(mix(neg, angle), mix(pos, angle), groups)
        return every, pooled

    return float(max(ANGLES, key=tprs))


def measure_block(block: Block, extra: Extra) -> list[Row]:
    """Every row of a block: the score columns, and the stacks when it has splits."""
    neg = np.array([signals(s) for _, s in block.neg])
    pos = np.array([signals(s) for _, s in block.pos])
    neg_groups = strata([m for m, _ in block.neg])
    groups = block.groups()
    rows = {key: Row(key[0], key[1], len(idx)) for key, idx in groups.items()}
    angles = {fam: best_angle(neg, pos[idx], neg_groups)
              for (fam, label), idx in groups.items() if label == "ALL"}  # fmt: skip
    for key, idx in groups.items():
        cols = {"doc": (neg[:, 0], pos[idx, 0]), "sec40": (neg[:, 1], pos[idx, 1]),
                "mix": (mix(neg, angles[key[0]]), mix(pos[idx], angles[key[0]]))}  # fmt: skip
        for col, (n, p) in cols.items():
            rows[key].cells[col] = measure(n, p, neg_groups)
    if not block.splits:
        return list(rows.values())
    for col in STACKS:
        splits = block.oracle() if col.startswith("oracle") else block.splits
        stack = Stack(extra, with_lm=col.endswith("+lm"))
        for key, (cell, n) in stack_cells(block, splits, stack, groups).items():
            if cell is not None:
                rows[key].cells[col] = cell
            if stack.with_lm:
                rows[key].n_lm = n
    return list(rows.values())


# ------------------------------------------------------------------ the blocks


def fold_of(meta: dict) -> int:
    """The document's story fold (``trust_models.story_fold``)."""
    return story_fold(meta.get("story") or meta.get("group") or meta["id"])


def is_human(meta: dict) -> bool:
    return meta["kind"] == "human" and meta["block"] == PRE2023


def cv_pairs(data: Data) -> tuple[list[Pair], list[Pair]]:
    """Pre-2023 human and machine documents, each scored by the cv model that never
    saw its story."""
    neg, pos = [], []
    for i, meta in data.docs.items():
        got = data.scores.get(f"cv{fold_of(meta)}", {}).get(i)
        if got is None:
            continue
        if is_human(meta):
            neg.append((meta, got["clean"]))
        elif meta["kind"] == "machine":
            pos.append((meta, got["clean"]))
    return neg, pos


def logo_blocks(data: Data) -> list[Block]:
    """Per family left out: its machine documents and the held-out pre-2023 human
    documents, scored by the model trained without it. Stacks: trained on the
    human documents of one calibration fold and the machine documents of the
    other families (cv scores), measured on the other fold's human documents."""
    cv_neg, cv_pos = cv_pairs(data)
    blocks = []
    for fam in FAMILIES:
        model = f"logo-{fam}"
        neg = [(m, s) for m, s in data.model_rows(model, "human") if m["block"] == PRE2023]
        pos = data.model_rows(model, "machine")
        if not neg or not pos:
            continue
        others = [(m, s, 1) for m, s in cv_pos if m["family"] != fam]
        splits = [
            Split(
                train=[(m, s, 0) for m, s in cv_neg if calibration_fold(m["group"]) == f] + others,
                neg=[i for i, (m, _) in enumerate(neg) if calibration_fold(m["group"]) != f],
                pos=list(range(len(pos))),
            )
            for f in (0, 1)
        ]
        blocks.append(Block(f"{fam} left out ({model})", neg, pos, splits))
    return blocks


def seen_block(data: Data) -> Block:
    """Every generator seen in training, held-out stories (cv models). Stacks:
    trained on the human and machine documents of one calibration fold (machine:
    by story), measured on the other."""
    neg, pos = cv_pairs(data)

    def fold(meta: dict) -> int:
        return calibration_fold(meta.get("group") or meta["story"])

    splits = [
        Split(
            train=[(m, s, 0) for m, s in neg if fold(m) == f]
            + [(m, s, 1) for m, s in pos if fold(m) == f],
            neg=[i for i, (m, _) in enumerate(neg) if fold(m) != f],
            pos=[i for i, (m, _) in enumerate(pos) if fold(m) != f],
        )
        for f in (0, 1)
    ]
    return Block("seen in training, held-out stories (cv models)", neg, pos, splits)


def insample_model(meta: dict) -> str:
    """A cv model that trained on the document's story (the next fold's)."""
    return f"cv{(fold_of(meta) + 1) % N_FOLDS}"


def insample_scores(
    models: Path, data_dir: Path, docs: dict[str, dict]
) -> dict[str, Scored | None]:
    """Each pre-2023 human and machine document scored by a cv model that trained
    on its story; cached in ``models/insample.pkl`` (computed when missing)."""
    path = models / "insample.pkl"
    if path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from detector.pipeline import Options, Pipeline
    from detector_dev.filler.calibration import build_human, build_machine
    from detector_dev.filler.trust_score import prepare_text, score_one

    wanted = {i: m for i, m in docs.items() if is_human(m) or m["kind"] == "machine"}
    print(f"   no cached {path.name}: cleaning {len(wanted)} documents and scoring each with "
          "a cv model that trained on it (about a minute, written once)", flush=True)  # fmt: skip
    names = sorted({insample_model(m) for m in wanted.values()})
    missing = [n for n in names if not (models / f"{n}.pkl").exists()]
    if missing:
        from detector_dev.filler import trust_models

        print(f"   training the missing cv models first: {' '.join(missing)}", flush=True)
        trust_models.main(["--out", str(models), "--only", *missing])
    texts = {r["id"]: r["text"] for r in (*build_human(data_dir), *build_machine(data_dir))}
    pipeline = Pipeline(options=Options(mode="text")).load()
    out: dict[str, Scored | None] = {}
    t0 = time.perf_counter()
    for name in names:
        with (models / f"{name}.pkl").open("rb") as fh:
            model = pickle.load(fh)
        for i, meta in wanted.items():
            if insample_model(meta) == name:
                out[i] = score_one(prepare_text(texts[i], pipeline, meta), model)
    print(f"{len(out)} documents scored in sample in {time.perf_counter() - t0:.0f}s",
          file=sys.stderr)  # fmt: skip
    with path.open("wb") as fh:
        pickle.dump(out, fh)
    return out


def insample_block(data: Data, scores: dict[str, Scored | None]) -> Block:
    """The very documents a cv model trained on, human and machine alike."""
    neg = [(m, scores[i]) for i, m in data.docs.items() if is_human(m) and i in scores]
    pos = [(m, scores[i]) for i, m in data.docs.items() if m["kind"] == "machine" and i in scores]
    return Block("in sample: documents the scoring cv model trained on", neg, pos)


# ------------------------------------------------------------------ mixed set


@dataclass
class MixedRow:
    """Chunk recall of the best section threshold for one family and constraint."""

    family: str
    constraint: str
    threshold: float
    chunks: int
    recall: dict[str, float]
    human_only: float
    """Share of mixed documents with a flagged section holding no inserted word."""


def mixed_rows(data: Data) -> list[MixedRow]:
    """Per family left out: inserted chunks caught by the lowest threshold on
    sections of >= ``MIN_WORDS`` words that flags at most ``RATE`` of the
    held-out human documents, pooled and per register and language (the best
    such threshold: recall only falls as it rises)."""
    out = []
    for fam in FAMILIES:
        model = f"logo-{fam}"
        human = [(m, s) for m, s in data.model_rows(model, "human") if m["block"] == PRE2023]
        mixed = data.model_rows(model, "mixed")
        if not human or not mixed:
            continue
        sec = np.array([signals(s)[1] for _, s in human])
        every = strict_threshold(sec, strata([m for m, _ in human]))
        for constraint, t in (("pooled", fpr_threshold(sec)), ("every", every)):
            hits: dict[str, list[bool]] = defaultdict(list)
            human_only = []
            for meta, s in mixed:
                flags = np.zeros(0, bool)
                if s is not None:
                    flags = (logit(s.p) > t) & (s.words >= MIN_WORDS)
                    human_only.append(bool((flags & (s.inserted_words == 0)).any()))
                got = chunk_flags(s, flags, meta)
                hits["all"].extend(got)
                hits["on-topic" if meta.get("on_topic") else "off-topic"].extend(got)
                hits["+seo_filler"].extend(chunk_flags(s, flags, meta, seo=True))
            recall = {k: float(np.mean(v)) for k, v in hits.items()}
            out.append(MixedRow(fam, constraint, t, len(hits["all"]), recall,
                                float(np.mean(human_only))))  # fmt: skip
    return out


# ------------------------------------------------------------------ printing

INTRO = """\
   Cell: document AUROC; best TPR at 2% of the human documents flagged, pooled; the same with
   2% in every register and language with >= 50 documents too (the target's constraint). Both
   over every threshold, picked on the very documents measured: upper bounds for each kind of
   rule. '!' marks a cell meeting AUROC >= 0.97 and the constrained TPR >= 0.80.
   doc: the model's document logit. sec>=40w: the largest section logit over sections of >= 40
   words (any rule 'label the sections of >= 40 words with p > t' flags a document exactly when
   it is over t). doc+sec mix: cos a * doc + sin a * sec>=40w, the angle a searched per family
   (rules with a document weight). Stacks, logistic regression on doc, sec>=40w and cached
   features: +wf = wordfreq/zlib (trust_signals); +wf+lm = also SmolLM2 (trust_lm; documents
   with cached features only, n lm machine documents and about half the human ones); fitted on
   the human documents of one calibration fold and on machine documents the test does not hold
   (left-out family: the other families, cv scores), measured on the other fold, mean of the
   2 folds (half the human documents: fewer registers reach 50). oracle: fitted on the very
   documents measured, the left-out family included: not a left-out result, an optimistic
   bound for any linear stack of these signals."""


def fmt_cell(cell: Cell | None) -> str:
    """``AUROC TPR-pooled TPR-every`` and ``!`` when the targets are met."""
    if cell is None:
        return f"{'-':^16s}"
    au, pooled, every = cell
    mark = "!" if au >= TARGET_AUROC and every >= TARGET_TPR else " "
    return f"{au:.3f} {pooled:.2f} {every:.2f}{mark}"


def print_block(block: Block, rows: list[Row]) -> None:
    """The block's rows: thresholds on the model's scores, then the stacks."""
    print(f"\n-- {block.title}: {len(block.neg)} pre-2023 human documents, "
          f"{len(block.pos)} machine documents")  # fmt: skip
    tables = [("thresholds", "n", SCORES)]
    if block.splits:
        tables.append(("stacked", "n lm", STACKS))
    for name, count, cols in tables:
        head = " | ".join(f"{TITLES.get(c, c):^16s}" for c in cols)
        print(f"   {name:48s} {count:>5s} | {head}".rstrip())
        for r in rows:
            label = r.family if r.label == "ALL" else f"  {r.label}"
            n = r.n if count == "n" else r.n_lm
            cells = " | ".join(fmt_cell(r.cells.get(c)) for c in cols)
            print(f"   {label:48s} {n:5d} | {cells}".rstrip())


def best(row: Row, cols: tuple[str, ...]) -> Cell:
    """The best AUROC, pooled TPR and constrained TPR over the given columns."""
    cells = np.array([row.cells[c] for c in cols if c in row.cells])
    return tuple(cells.max(axis=0)) if len(cells) else (np.nan,) * 3


def language_alone(block: Block) -> Cell:
    """A language detector fitted on the answer: each document scored by the share
    of the family's machine documents written in its language (a family of one
    language against human documents of mostly another scores high on AUROC
    without any evidence of authorship)."""
    langs = [m["lang"] for m, _ in block.pos]
    share = {lang: langs.count(lang) / len(langs) for lang in set(langs)}
    neg = [share.get(m["lang"], 0.0) for m, _ in block.neg]
    pos = [share[m["lang"]] for m, _ in block.pos]
    return measure(neg, pos, strata([m for m, _ in block.neg]))


def print_mixed(mixed: list[MixedRow]) -> None:
    print(f"\n== CEILING, mixed set: inserted chunks caught (>= half their words in sections "
          f"of >= {MIN_WORDS} words over the threshold) at the lowest section threshold "
          f"flagging <= {RATE:.0%} of the held-out pre-2023 human documents, pooled or in "
          "every register and language too (the best such threshold); +seo_filler: words the "
          "cleaner removed as filler count as caught")  # fmt: skip
    print(f"   {'family':6s} {'2% of':>6s} {'p >':>7s} {'chunks':>6s}  {'all':>5s}  "
          f"{'on-topic':>8s}  {'off-topic':>9s}  {'+seo_filler':>11s}  "
          "mixed docs with a human-only section flagged")  # fmt: skip
    for m in mixed:
        r = m.recall
        topic = [f"{r[k]:{w}.3f}" if k in r else f"{'-':>{w}s}"
                 for k, w in (("on-topic", 8), ("off-topic", 9))]  # fmt: skip
        print(f"   {m.family:6s} {m.constraint:>6s} {1 / (1 + np.exp(-m.threshold)):7.4f} "
              f"{m.chunks:6d}  {r['all']:5.3f}  {topic[0]}  {topic[1]}  "
              f"{r['+seo_filler']:11.3f}  {m.human_only:.3f}")  # fmt: skip


def print_verdict(
    results: list[tuple[Block, list[Row]]], n_logo: int, mixed: list[MixedRow]
) -> None:
    """Per left-out family, all its generators together: the best of each kind of
    rule against each target; then the generators seen in training and in sample."""
    language = [language_alone(block)[0] for block, _ in results[:n_logo]]
    fams = [(rows[0].family, next(r for r in rows if r.label == "ALL"))
            for _, rows in results[:n_logo]]  # fmt: skip
    honest, oracle = STACKS[:2], STACKS[2:]
    lines: list[tuple[str, list[float]]] = [
        (f"document AUROC >= {TARGET_AUROC}", []),
        ("  the model's document score", [r.cells["doc"][0] for _, r in fams]),
        ("  best honest stack", [best(r, honest)[0] for _, r in fams]),
        ("  oracle stack (not left out)", [best(r, oracle)[0] for _, r in fams]),
        ("  language alone (each document: its language's share of the family)", language),
        (f">= {TARGET_TPR:.0%} flagged, <= {RATE:.0%} of human documents in every register "
         "and language", []),  # fmt: skip
        ("  best threshold on the model's scores", [best(r, SCORES)[2] for _, r in fams]),
        ("    (asking only the pooled 2%)", [best(r, SCORES)[1] for _, r in fams]),
        ("  best honest stack", [best(r, honest)[2] for _, r in fams]),
        ("  oracle stack (not left out)", [best(r, oracle)[2] for _, r in fams]),
        (f">= {TARGET_CHUNKS:.0%} of inserted mixed chunks flagged", []),
        ("  best section threshold, pooled 2%, +seo_filler",
         [max(m.recall["+seo_filler"] for m in mixed if m.family == f) for f, _ in fams]),
    ]  # fmt: skip
    print("\n== CEILING verdict: left-out families, all their generators together")
    print(f"   {'target / best of a kind of rule':72s}" + "".join(f"{f:>8s}" for f, _ in fams))
    for name, values in lines:
        print((f"   {name:72s}" + "".join(f"{v:8.3f}" for v in values)).rstrip())
    chunks = dict(zip([f for f, _ in fams], lines[-1][1], strict=True))
    met = {
        "document AUROC": [f for f, r in fams
                           if max(r.cells["doc"][0], best(r, honest)[0]) >= TARGET_AUROC],
        "documents flagged": [f for f, r in fams
                              if max(best(r, SCORES)[2], best(r, honest)[2]) >= TARGET_TPR],
        "mixed chunks": [f for f, v in chunks.items() if v >= TARGET_CHUNKS],
    }  # fmt: skip
    print(
        "   met by a rule on the model's scores or an honest stack: "
        + "; ".join(f"{k}: {', '.join(v) or 'none'}" for k, v in met.items())
    )
    for block, rows in results[n_logo:]:
        cells = [(r.family, best(r, SCORES)) for r in rows if r.label == "ALL"]
        print(f"   {block.title}, best threshold (AUROC / pooled / every register): "
              + ", ".join(f"{f} {au:.3f} / {pooled:.2f} / {every:.2f}"
                          for f, (au, pooled, every) in cells)
              + "; both targets met: " + (", ".join(
                  f for f, (au, _, every) in cells
                  if au >= TARGET_AUROC and every >= TARGET_TPR) or "none"))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    print(f"\n== CEILING: the best any threshold can reach (targets for left-out families: "
          f"document AUROC >= {TARGET_AUROC}, >= {TARGET_TPR:.0%} of machine documents "
          f"flagged, at most {RATE:.0%} of human documents flagged)")  # fmt: skip
    print(INTRO)
    ensure_scores(args.models)
    data = Data(args.models / "scores.pkl")
    extra = Extra.load(args.models)
    blocks = [*logo_blocks(data), seen_block(data)]
    blocks.append(insample_block(data, insample_scores(args.models, args.data, data.docs)))
    results = [(b, measure_block(b, extra)) for b in blocks]
    for block, rows in results:
        print_block(block, rows)
    no_lm = sorted({r.label for b, rows in results if b.splits for r in rows if not r.n_lm})
    print(f"\n   without cached SmolLM2 features (+wf+lm empty): {', '.join(no_lm) or 'none'}")
    mixed = mixed_rows(data)
    print_mixed(mixed)
    print_verdict(results, len(blocks) - 2, mixed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
