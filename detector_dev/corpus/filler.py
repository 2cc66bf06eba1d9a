"""The filler training corpus: built from ../shared/data, read back as units.

``python -m detector_dev.corpus.filler [--data DIR] [--out FILE]`` writes
``corpus/filler.jsonl.gz``: one record per text,
``{id, group, source, subset, gen, lang, label, text}`` with ``label`` 1 for
machine-written and 0 for human text, and ``group`` the story the text tells
(all versions of one story share it, so splits never cut a story in two).

Sources (licences and attribution in ``corpus/FILLER.md``):

- ``l2r``: 20 domains (TravelTourism is a byte copy of TechnicalWriting and is
  skipped, as is Code, which is source code), human texts and their rewrites
  by four generators; the Gemini list is not aligned by index, so each Gemini
  text is matched to its human story by TF-IDF similarity.
- ``m4``: the eight Llama-2 files, human and machine sides.
- ``scrapinghub``: the 2019 gold article bodies (human).
- ``ru-arena``: Russian chat answers (machine only), at most 8 per question.
- ``forkful``: GPT-4 Turbo tutorials in 13 languages (machine only), code
  blocks, template headings and link lists removed, 160 per language.

``make_units`` turns records into the units the model is trained and tested
on: whole documents cropped to matching lengths, and paragraph-sized sections
built by the same ``build_sections`` the scorer uses.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from detector.document import KIND_PARAGRAPH, Block
from detector.filler.sections import build_sections, count_words, section_text
from detector.text_mode.segment import segment_text
from detector.tokens import LETTERS
from detector_dev.paths import CORPUS_DIR, DATA

DEFAULT_DATA = DATA
DEFAULT_CORPUS = CORPUS_DIR / "filler.jsonl.gz"

L2R_GENERATORS = ("GPT-3-Turbo", "GPT-4o", "Gemini-1.5-Pro", "Llama-3-70B")
L2R_SKIP = ("TravelTourism", "Code")
M4_HUMAN_LANG = {
    "arxiv": "en",
    "germanwikipedia": "de",
    "id-newspaper": "id",
    "qazh": "zh",
    "reddit": "en",
    "russian": "ru",
    "wikihow": "en",
    "wikipedia": "en",
}
TEST_SHARE = 30
"""Percent of stories held out (by a hash of the story id) for testing and calibration."""

HUMAN_NEWS = {("l2r", "NewsArticle"), ("scrapinghub", "news"), ("m4", "id-newspaper")}
"""(source, subset) pairs whose human side is news: where the threshold is calibrated."""


# --------------------------------------------------------------------------
# language guess (for reports only; never a model feature)

_STOP = {
    "en": "the and of to in is that for with was on as are by this it from at be have",
    "de": "der die und das ist nicht mit den von zu ein eine auch für auf sich dem im",
    "fr": "le la les et des est une dans pour que qui pas sur du au avec par ce sont",
    "es": "el la los las y de que en un una es por con para del se no al lo como",
    "it": "il la di che è e per un una del della non sono con gli le si al nel",
    "pt": "o a os as de que em um uma para com não do da dos das se por é ao",
    "ro": "și în de la cu că este pe din un o care nu să mai pentru au ale sau",
    "pl": "i w na z że się nie do to jest o jak co od po ale przez są jego",
    "nl": "de het een en van is dat in op te voor met niet zijn die er ook aan",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada ke juga ada",
    "sv": "och att det som en på är av för med till den har inte om ett",
    "no": "og i det som en på er av for med til den har ikke om et jeg",
    "fi": "ja on ei se että oli mutta kun niin hän ovat jos tai myös kuin",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOP.items()}


def guess_lang(text: str) -> str:
    """A rough language code for ``text``: by script, then by stop words."""
    letters = [c for c in text[:4000] if c.isalpha()]
    if not letters:
        return "und"
    n = len(letters)
    han = sum("\u4e00" <= c <= "\u9fff" for c in letters)
    if han / n > 0.3:
        return "zh"
    if sum("\uac00" <= c <= "\ud7af" for c in letters) / n > 0.3:
        return "ko"
    cyr = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    if len(cyr) / n > 0.5:
        uk = sum(c in "іїєґІЇЄҐ" for c in cyr)
        return "uk" if uk / len(cyr) > 0.01 else "ru"
    words = [w.lower() for w in LETTERS.findall(text[:4000])]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPSETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "und"


# --------------------------------------------------------------------------
# building the corpus


def _record(rid, group, source, subset, gen, lang, label, text) -> dict:
    return {
        "id": rid,
        "group": group,
        "source": source,
        "subset": subset,
        "gen": gen,
        "lang": lang,
        "label": label,
        "text": text.strip(),
    }


def _match_groups(human: list[str], other: list[str]) -> list[int | None]:
    """For each text of ``other``, the index of the human text it rewrites (or None)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    mat = vec.fit_transform(human + other)
    sims = (mat[len(human) :] @ mat[: len(human)].T).toarray()
    return [int(row.argmax()) if row.max() >= 0.15 else None for row in sims]


def _l2r(data: Path) -> Iterator[dict]:
    for domain_dir in sorted(p for p in (data / "l2r").iterdir() if p.is_dir()):
        domain = domain_dir.name
        if domain in L2R_SKIP:
            continue
        human = json.loads((domain_dir / "human.json").read_text(encoding="utf-8"))
        for i, text in enumerate(human):
            yield _record(
                f"l2r:{domain}:human:{i}",
                f"l2r:{domain}:{i}",
                "l2r",
                domain,
                "human",
                "en",
                0,
                text,
            )
        for gen in L2R_GENERATORS:
            texts = json.loads((domain_dir / f"{gen}.json").read_text(encoding="utf-8"))
            if gen.startswith("Gemini"):
                groups = [
                    f"l2r:{domain}:{g}" if g is not None else f"l2r:{domain}:gemini{j}"
                    for j, g in enumerate(_match_groups(human, texts))
                ]
            else:
                groups = [f"l2r:{domain}:{i}" for i in range(len(texts))]
            for i, (text, group) in enumerate(zip(texts, groups, strict=True)):
                yield _record(f"l2r:{domain}:{gen}:{i}", group, "l2r", domain, gen, "en", 1, text)


def _m4(data: Path) -> Iterator[dict]:
    for path in sorted((data / "m4-llama2").glob("*.jsonl")):
        subset = path.stem.removeprefix("test_").removesuffix("_llama2")
        with path.open(encoding="utf-8") as handle:
            for i, line in enumerate(handle):
                row = json.loads(line)
                sid = row.get("source_ID") or row.get("source_id") or i
                group = f"m4:{subset}:{sid}"
                human, machine = row.get("human_text") or "", row.get("machine_text") or ""
                hlang = M4_HUMAN_LANG.get(subset, "und")
                if subset == "russian":
                    hlang = guess_lang(human)
                yield _record(
                    f"m4:{subset}:human:{i}", group, "m4", subset, "human", hlang, 0, human
                )
                yield _record(
                    f"m4:{subset}:llama2:{i}",
                    group,
                    "m4",
                    subset,
                    "Llama-2-70B",
                    guess_lang(machine),
                    1,
                    machine,
                )


def _scrapinghub(data: Path) -> Iterator[dict]:
    gold = json.loads((data / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(gold):
        text = gold[key].get("articleBody") or ""
        yield _record(
            f"sh:{key}", f"sh:{key}", "scrapinghub", "news", "human", guess_lang(text), 0, text
        )


_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.S)
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.M)
_LINK_LINE = re.compile(r"^.*(?:https?://|\]\().*$", re.M)
_EMPH_LABEL = re.compile(r"^\s*[*_]{1,2}[^*_\n]{1,80}[*_]{1,2}:?\s*$", re.M)
_BLANKS = re.compile(r"\n{3,}")


def strip_code(text: str) -> str:
    """Text without fenced code blocks and with collapsed blank lines."""
    return _BLANKS.sub("\n\n", _CODE_BLOCK.sub("", text)).strip()


def _read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _ru_arena(data: Path, per_question: int = 8, seed: int = 0) -> Iterator[dict]:
    rows = _read_jsonl_gz(data / "ru-arena" / "answers.jsonl.gz")
    by_q: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        if (row.get("cyrillic_share") or 0) >= 0.6:
            by_q[row["question_id"]].append(row)
    rng = random.Random(seed)
    for qid in sorted(by_q):
        picked = sorted(by_q[qid], key=lambda r: r["model"])
        rng.shuffle(picked)
        for row in picked[:per_question]:
            text = strip_code(row["answer"])
            if count_words(text) < 40:
                continue
            yield _record(
                f"ru-arena:{qid}:{row['model']}", f"ru-arena:{row.get('cluster', qid)}", "ru-arena",
                "md" if row.get("md_struct") else "plain", row["model"], "ru", 1, text,
            )  # fmt: skip


def _forkful(data: Path, per_lang: int = 160, seed: int = 0) -> Iterator[dict]:
    rows = _read_jsonl_gz(data / "forkful" / "articles.jsonl.gz")
    rng = random.Random(seed)
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_lang[row["lang"]].append(row)
    for lang in sorted(by_lang):
        items = sorted(by_lang[lang], key=lambda r: r["path"])
        rng.shuffle(items)
        kept = 0
        for row in items:
            text = _CODE_BLOCK.sub("", row["text"])
            text = _LINK_LINE.sub("", _HEADING_LINE.sub("", text))
            text = _BLANKS.sub("\n\n", _EMPH_LABEL.sub("", text)).strip()
            if count_words(text) < 60:
                continue
            story = re.sub(r"^content/[a-z]{2}/", "", row["path"])
            yield _record(
                f"forkful:{row['path']}",
                f"forkful:{story}",
                "forkful",
                lang,
                row.get("model") or "gpt-4",
                lang,
                1,
                text,
            )
            kept += 1
            if kept >= per_lang:
                break


def build_records(data: Path) -> Iterator[dict]:
    """Every corpus record from the shared data sets."""
    yield from _l2r(data)
    yield from _m4(data)
    yield from _scrapinghub(data)
    yield from _ru_arena(data)
    yield from _forkful(data)


def build_corpus(data: Path, out: Path) -> dict[str, int]:
    """Write the corpus; returns counts per (source, label)."""
    counts: dict[str, int] = defaultdict(int)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with gzip.GzipFile(tmp, "wb", mtime=0) as raw:
        for rec in build_records(data):
            if not rec["text"]:
                continue
            raw.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
            counts[f"{rec['source']}:{'machine' if rec['label'] else 'human'}"] += 1
    tmp.replace(out)
    return dict(counts)


def load_corpus(path: Path = DEFAULT_CORPUS) -> list[dict]:
    """The corpus records."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# --------------------------------------------------------------------------
# units: what the model is trained and tested on


def split_of(group: str) -> str:
    """ "test" for about ``TEST_SHARE`` percent of stories, "train" for the rest."""
    digest = hashlib.sha256(group.encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:4], "big") % 100 < TEST_SHARE else "train"


@dataclass(slots=True)
class Unit:
    """A text to score with its label and where it comes from."""

    text: str
    y: int
    group: str
    source: str
    subset: str
    gen: str
    lang: str
    level: str  # "doc" or "section"
    split: str
    synthetic: bool = False

    @property
    def news_human(self) -> bool:
        return self.y == 0 and (self.source, self.subset) in HUMAN_NEWS


_SENT = re.compile(r"(?<=[.!?…。！？])[\"'”’»)\]]*\s+(?=\S)|(?<=[。！？])")
_MD_MARKS = re.compile(r"(\*\*|__|^\s{0,3}#{1,6}\s+|^=+$|^-{3,}$)", re.M)

FLAT_SOURCES = ("l2r", "m4", "scrapinghub")
"""Sources whose layout differs between human and machine sides: flattened to
sentences and regrouped into pseudo-paragraphs, so layout carries no label."""


def flat_blocks(text: str, rng: random.Random) -> list[Block]:
    """Text -> paragraph blocks of 1-4 sentences, markdown and line breaks dropped.

    Lines that are only a heading (no end punctuation, few words) are dropped:
    Llama-3 adds bold titles to the l2r rewrites and the human side has none.
    """
    lines = []
    for line in text.splitlines():
        raw = line.strip()
        if not raw:
            continue
        is_title = raw.startswith("#") or (raw.startswith("**") and raw.rstrip(":").endswith("**"))
        if is_title or re.fullmatch(r"[=\-_*]{3,}", raw):
            continue
        lines.append(_MD_MARKS.sub("", raw).strip())
    flat = re.sub(r"\s+", " ", " ".join(lines)).strip()
    sents = [s for s in _SENT.split(flat) if s.strip()]
    blocks: list[Block] = []
    i = 0
    while i < len(sents):
        k = rng.randint(1, 4)
        blocks.append(Block(text=" ".join(sents[i : i + k]).strip(), kind=KIND_PARAGRAPH))
        i += k
    return blocks


def _crop(blocks: list[Block], target: int) -> list[Block]:
    out, words = [], 0
    for block in blocks:
        if words >= target:
            break
        out.append(block)
        words += count_words(block.text)
    return out


def make_units(
    records: Iterable[dict],
    *,
    seed: int = 0,
    max_sections: int = 4,
    min_words: int = 30,
) -> list[Unit]:
    """Documents and sections from corpus records (and synthetic records alike).

    Length control: the versions of one story (human and each rewrite) are all
    cropped to the length of the shortest one; texts without a pair are cropped
    to a length drawn from 80-400 words. Sections use window sizes drawn from
    80-200 words, at most ``max_sections`` per text.
    """
    records = list(records)
    rng = random.Random(seed)
    prepared = []
    for rec in records:
        if rec["source"] in FLAT_SOURCES:
            blocks = flat_blocks(rec["text"], rng)
        else:
            blocks = segment_text(rec["text"])
        words = sum(count_words(b.text) for b in blocks)
        prepared.append((rec, blocks, words))
    shortest: dict[str, int] = {}
    for rec, _, words in prepared:
        if rec["source"] in ("l2r", "m4") and words >= min_words:
            shortest[rec["group"]] = min(shortest.get(rec["group"], words), words)
    units: list[Unit] = []
    for rec, blocks, words in prepared:
        if words < min_words:
            continue
        meta = {
            "y": int(rec["label"]),
            "group": rec["group"],
            "source": rec["source"],
            "subset": rec["subset"],
            "gen": rec["gen"],
            "lang": rec["lang"],
            "split": split_of(rec["group"]),
            "synthetic": bool(rec.get("synthetic", False)),
        }
        target = shortest.get(rec["group"]) or rng.randint(80, 400)
        doc = _crop(blocks, target)
        units.append(Unit(text="\n".join(b.text for b in doc), level="doc", **meta))
        spans = build_sections(blocks, max_words=rng.choice((80, 120, 160, 200)))
        spans = [s for s in spans if s.words >= min_words]
        rng.shuffle(spans)
        for span in spans[:max_sections]:
            units.append(Unit(text=section_text(blocks, span), level="section", **meta))
    return units


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(
            f"{args.data}: shared data not found; skipping the filler corpus build", file=sys.stderr
        )
        return 0
    counts = build_corpus(args.data, args.out)
    for key in sorted(counts):
        print(f"{key:28s} {counts[key]:6d}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
