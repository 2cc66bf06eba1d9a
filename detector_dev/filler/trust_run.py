"""Score the human calibration set, the machine sets and the mixed set with the
trust models (``trust_models``) and the shipped model; pickles the scores.

``python -m detector_dev.filler.trust_run [--models DIR]`` writes
``DIR/scores.pkl``: ``{"docs": {id: meta}, "scores": {model: {id: {path: Scored}}}}``.

Who scores what (never a document a model was trained on):

- ``shipped``: every human document (``trained`` marks the stories it saw) on
  both paths, and the held-out machine sample;
- ``cv0..2``: the human and machine documents of their own story fold;
- ``logo-<family>``: held-out human documents (and all of WCXB), held-out
  machine documents of that family, and the mixed documents built from them.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from detector_dev.corpus.filler import split_of
from detector_dev.filler.calibration import DEFAULT_DATA, build_human, build_machine
from detector_dev.filler.trust_models import DEFAULT_OUT, FAMILIES, N_FOLDS, story_fold
from detector_dev.filler.trust_score import (
    machine_chunk,
    make_mixed,
    prepare_text,
    score_one,
)

MACHINE_PER_GEN = 250
"""Held-out machine documents sampled per (source, generator) (ru-arena: per family)."""
MIXED_PER_FAMILY = 400
"""Mixed documents per left-out family (English hosts; Russian for ru-arena)."""


def machine_sample(machine: list[dict], seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    by: dict[tuple, list[dict]] = defaultdict(list)
    for r in machine:
        if r["trained"]:
            continue
        key = (r["source"], r["family"] if r["source"] == "ru-arena" else r["gen"])
        by[key].append(r)
    out = []
    for key in sorted(by):
        rows = by[key]
        rng.shuffle(rows)
        out.extend(rows[:MACHINE_PER_GEN])
    return out


def mixed_docs(human: list[dict], machine: list[dict], seed: int = 1) -> list[dict]:
    """Held-out human articles with one or two machine chunks of one family inserted."""
    rng = random.Random(seed)
    hosts_en = [
        r for r in human
        if not r["trained"] and r["block"] == "pre2023" and r["lang"] == "en"
        and len(r["text"].split()) >= 120
    ]  # fmt: skip
    hosts_ru = [r for r in human if not r["trained"] and r["lang"] == "ru"]
    out = []
    for fam in FAMILIES:
        pool_en = [r for r in machine if r["family"] == fam and not r["trained"]
                   and r["lang"] == "en" and r["source"] in ("l2r", "m4")]  # fmt: skip
        pool_ru = [r for r in machine if r["family"] == fam and not r["trained"]
                   and r["lang"] == "ru" and r["source"] in ("ru-arena", "m4")]  # fmt: skip
        for hosts, pool, lang in ((hosts_en, pool_en, "en"), (hosts_ru, pool_ru, "ru")):
            if not pool or not hosts:
                continue
            n = MIXED_PER_FAMILY if lang == "en" else min(len(hosts), 100)
            picked = rng.sample(hosts, min(n, len(hosts)))
            by_story: dict[str, list[dict]] = defaultdict(list)
            for m in pool:
                by_story[m["story"]].append(m)
            for host in picked:
                k = 1 if rng.random() < 0.6 else 2
                chunks, gens = [], []
                same = by_story.get(host["story"], [])
                on_topic = bool(same)
                for _ in range(k):
                    # on topic when the family rewrote this very story (l2r, M4),
                    # else a chunk of another story (off topic)
                    m = rng.choice(same) if same else rng.choice(pool)
                    if not same and m["story"] == host["story"]:
                        continue
                    c = machine_chunk(m["text"], rng)
                    if c:
                        chunks.append(c)
                        gens.append(m["gen"])
                if not chunks:
                    continue
                text, ranges = make_mixed(host["text"], chunks, rng)
                out.append({
                    "id": f"mixed:{fam}:{host['id']}", "kind": "mixed", "family": fam,
                    "host": host["id"], "register": host["register"], "lang": lang,
                    "block": host["block"], "gens": gens, "text": text, "ranges": ranges,
                    "on_topic": on_topic, "group": host["group"],
                })  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", default=None, help="model names to score")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--extra-human",
        type=Path,
        default=None,
        help="the extra human training records the models were trained with",
    )
    args = parser.parse_args(argv)
    from detector.pipeline import Options, Pipeline

    pipeline = Pipeline(options=Options(mode="text")).load()
    human = build_human(args.data)
    extra_ids = set()
    if args.extra_human:
        from detector_dev.filler.calibration import read_jsonl

        extra_ids = {r["id"] for r in read_jsonl(args.extra_human)}
    for r in human:
        r["kind"] = "human"
        if r["id"] in extra_ids:  # trained on by the models of the shipped split (logo-*)
            r["trained"] = split_of(r["group"]) == "train"
    machine_all = build_machine(args.data)
    machine = machine_sample(machine_all)
    for r in machine:
        r["kind"] = "machine"
    mixed = mixed_docs(human, machine_all)
    docs = human + machine + mixed
    t0 = time.perf_counter()
    prepared = {}
    for r in docs:
        meta = {k: v for k, v in r.items() if k != "text"}
        prep = prepare_text(r["text"], pipeline, meta, r.get("ranges", ()))
        if r["kind"] == "mixed":  # the cleaner's labels of the inserted words, per chunk
            from detector.filler.sections import count_words

            labels: list[dict[str, int]] = [defaultdict(int) for _ in r["ranges"]]
            for i, c in prep.chunk_of.items():
                labels[c][prep.blocks[i].label] += count_words(prep.blocks[i].text)
            prep.meta["inserted_labels"] = [dict(x) for x in labels]
        prepared[r["id"]] = prep
    print(f"{len(human)} human, {len(machine)} machine, {len(mixed)} mixed; "
          f"cleaned in {time.perf_counter() - t0:.0f}s", file=sys.stderr)  # fmt: skip

    def fold_of(r: dict) -> int:
        return story_fold(r.get("story") or r.get("group") or r["id"])

    plan: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for r in human:
        plan["shipped"].append((r["id"], ("clean", "gold")))
        plan[f"cv{fold_of(r)}"].append((r["id"], ("clean",)))
        if not r["trained"]:
            for fam in FAMILIES:
                plan[f"logo-{fam}"].append((r["id"], ("clean",)))
    for r in machine:
        plan["shipped"].append((r["id"], ("clean",)))
        plan[f"cv{fold_of(r)}"].append((r["id"], ("clean",)))
        plan[f"logo-{r['family']}"].append((r["id"], ("clean",)))
    for r in mixed:
        plan[f"logo-{r['family']}"].append((r["id"], ("clean", "gold")))
        plan["shipped"].append((r["id"], ("clean",)))

    out_path = args.out or (args.models / "scores.pkl")
    result = {"docs": {i: p.meta for i, p in prepared.items()}, "scores": {}}
    if out_path.exists():
        with out_path.open("rb") as fh:
            result["scores"] = pickle.load(fh)["scores"]
    from detector.filler import load_filler_model

    names = ["shipped", *(f"cv{k}" for k in range(N_FOLDS)), *(f"logo-{f}" for f in FAMILIES)]
    for name in names:
        if args.only and name not in args.only:
            continue
        if name == "shipped":
            model = load_filler_model()
        else:
            path = args.models / f"{name}.pkl"
            if not path.exists():
                print(f"{name}: no model", file=sys.stderr)
                continue
            with path.open("rb") as fh:
                model = pickle.load(fh)
        t0 = time.perf_counter()
        got: dict = {}
        for doc_id, paths in plan[name]:
            got[doc_id] = {p: score_one(prepared[doc_id], model, p) for p in paths}
        result["scores"][name] = got
        print(f"{name}: {len(got)} docs in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        with out_path.open("wb") as fh:
            pickle.dump(result, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
