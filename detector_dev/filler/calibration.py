"""Human web-text calibration and test set for the filler labels (issue 17).

``build_human(data)`` reads ``../shared/data`` and returns one record per human
document, as ``detector score`` would see it (gold texts keep their line and
paragraph structure)::

    {id, source, subset, register, lang, block, group, story, trained, text}

- ``source``: scrapinghub, wcxb, l2r, m4;
- ``register``: a readable register name (WCXB page type, l2r domain, M4 file);
- ``block``: ``pre2023`` (Scrapinghub 2019, l2r, M4) or ``wcxb2025`` (WCXB dev,
  2025 pages: probably but not certainly human-written; kept apart in tables);
- ``group``: the unit of grouped splits: the site (host of the page URL) for
  Scrapinghub and WCXB, the domain for l2r, the file for M4;
- ``story``: the filler corpus's story id (``detector.filler.corpus``), so a
  document the shipped model was trained on can be told apart;
- ``trained``: True when the shipped filler model saw this story in training
  (its split is "train"); WCXB was never in the filler corpus.

``build_machine(data)`` returns the machine side the same way, from the filler
corpus builder's records (ru-arena and forkful with code removed), with the
generator ``family`` (gpt, google, llama, other) used by the
leave-one-family-out evaluation.

``calibration_fold(group)`` assigns each group to fold 0 or 1 (hash), so a
threshold set on one fold is measured on the other.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from detector_dev.corpus.filler import (
    DEFAULT_DATA,
    L2R_SKIP,
    M4_HUMAN_LANG,
    _forkful,
    _m4,
    _ru_arena,
    guess_lang,
    split_of,
)

PRE2023 = "pre2023"
WCXB2025 = "wcxb2025"

M4_REGISTER = {
    "arxiv": "m4:arxiv-abstract",
    "germanwikipedia": "m4:wikipedia-de",
    "id-newspaper": "m4:news-id",
    "qazh": "m4:qa-zh",
    "reddit": "m4:reddit",
    "russian": "m4:russian",
    "wikihow": "m4:wikihow",
    "wikipedia": "m4:wikipedia-en",
}


def family_of(gen: str) -> str:
    """Generator family of a model name: gpt, google, llama or other."""
    g = gen.lower()
    if g.startswith("gpt") or "gpt-4" in g or g == "unknown":
        return "gpt"  # forkful's 'unknown' pages are GPT-4 Turbo like the rest
    if "gemini" in g or "gemma" in g:
        return "google"
    if "llama" in g:
        return "llama"
    return "other"


def _host(url: str) -> str:
    host = urlsplit(url or "").netloc.lower()
    return host.removeprefix("www.") or "unknown"


def _rec(rid, source, subset, register, lang, block, group, story, text) -> dict:
    trained = story is not None and split_of(story) == "train"
    return {
        "id": rid,
        "source": source,
        "subset": subset,
        "register": register,
        "lang": lang,
        "block": block,
        "group": group,
        "story": story,
        "trained": trained,
        "text": text.strip(),
    }


def _scrapinghub(data: Path) -> Iterator[dict]:
    gold = json.loads((data / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(gold):
        text = gold[key].get("articleBody") or ""
        yield _rec(
            f"sh:{key}", "scrapinghub", "article", "scrapinghub:article", guess_lang(text),
            PRE2023, "site:" + _host(gold[key].get("url", "")), f"sh:{key}", text,
        )  # fmt: skip


def _wcxb(data: Path) -> Iterator[dict]:
    for path in sorted((data / "wcxb-dev" / "ground-truth").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        text = (d.get("ground_truth") or {}).get("main_content") or ""
        ptype = ((d.get("_internal") or {}).get("page_type") or {}).get("primary") or "unknown"
        yield _rec(
            f"wcxb:{path.stem}", "wcxb", ptype, f"wcxb:{ptype}", guess_lang(text), WCXB2025,
            "site:" + _host(d.get("url", "")), None, text,
        )  # fmt: skip


def _l2r(data: Path) -> Iterator[dict]:
    for domain_dir in sorted(p for p in (data / "l2r").iterdir() if p.is_dir()):
        domain = domain_dir.name
        if domain in L2R_SKIP:  # a byte copy of TechnicalWriting; source code
            continue
        human = json.loads((domain_dir / "human.json").read_text(encoding="utf-8"))
        for i, text in enumerate(human):
            yield _rec(
                f"l2r:{domain}:human:{i}", "l2r", domain, f"l2r:{domain}", "en", PRE2023,
                f"l2r:{domain}", f"l2r:{domain}:{i}", text,
            )  # fmt: skip


def _m4_human(data: Path) -> Iterator[dict]:
    for rec in _m4(data):
        if rec["label"] != 0:
            continue
        subset = rec["subset"]
        lang = M4_HUMAN_LANG.get(subset, "und") if subset != "russian" else rec["lang"]
        yield _rec(
            rec["id"], "m4", subset, M4_REGISTER.get(subset, f"m4:{subset}"), lang, PRE2023,
            f"m4:{subset}", rec["group"], rec["text"],
        )  # fmt: skip


def build_human(data: Path = DEFAULT_DATA, min_chars: int = 1) -> list[dict]:
    """Every human document of the calibration set (see the module docstring)."""
    out = []
    for it in (_scrapinghub(data), _wcxb(data), _l2r(data), _m4_human(data)):
        out.extend(r for r in it if len(r["text"]) >= min_chars)
    return out


def _l2r_machine(data: Path) -> Iterator[dict]:
    # Stories as in the filler corpus (Gemini matched by TF-IDF there); here the
    # corpus builder's own records are reused so the story ids agree.
    from detector_dev.corpus.filler import _l2r as corpus_l2r

    for rec in corpus_l2r(data):
        if rec["label"] == 1:
            yield rec


def build_machine(data: Path = DEFAULT_DATA) -> list[dict]:
    """Machine documents: l2r rewrites, M4 Llama-2, ru-arena, forkful (as in the corpus)."""
    out = []
    for it in (_l2r_machine(data), (r for r in _m4(data) if r["label"] == 1), _ru_arena(data),
               _forkful(data)):  # fmt: skip
        for rec in it:
            if not rec["text"].strip():
                continue
            out.append(
                {
                    "id": rec["id"],
                    "source": rec["source"],
                    "subset": rec["subset"],
                    "gen": rec["gen"],
                    "family": family_of(rec["gen"]),
                    "lang": rec["lang"],
                    "story": rec["group"],
                    "trained": split_of(rec["group"]) == "train",
                    "text": rec["text"].strip(),
                }
            )
    return out


def training_extra(
    data: Path = DEFAULT_DATA,
    types=("service", "product", "collection", "forum", "listing", "documentation"),
) -> list[dict]:
    """Experiment: WCXB gold texts of non-article page types as human training
    records (filler corpus format), grouped by site so folds never split a site."""
    out = []
    for r in _wcxb(data):
        if r["subset"] in types and len(r["text"].split()) >= 30:
            out.append({"id": r["id"], "group": r["group"], "source": "wcxb",
                        "subset": r["subset"], "gen": "human", "lang": r["lang"],
                        "label": 0, "text": r["text"]})  # fmt: skip
    return out


def calibration_fold(group: str, seed: int = 17) -> int:
    """0 or 1 by a hash of ``group``: the threshold is set on one fold, measured on the other."""
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    return digest[0] & 1


def write_jsonl(records: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        for rec in records:
            raw.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    import argparse
    from collections import Counter

    parser = argparse.ArgumentParser(description="Build the human filler calibration set.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    human = build_human(args.data)
    counts = Counter((r["block"], r["register"], r["trained"]) for r in human)
    for (block, reg, trained), n in sorted(counts.items()):
        print(f"{block:9s} {reg:34s} {'trained' if trained else 'unseen':8s} {n:5d}")
    langs = Counter(r["lang"] for r in human)
    print("languages:", dict(langs.most_common()))
    if args.out:
        write_jsonl(human, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]
