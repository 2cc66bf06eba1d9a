"""The shipped models give the labels and probabilities recorded in the
fixture (its ``made_by`` says by what): on the seeds, every 50th document of
corpus/cleaner.jsonl.gz, every 255th of corpus/filler.jsonl.gz and (with
../shared/data) 30 raw HTML pages, each through ``detector.score`` and
``detector.clean`` at every favor. First recorded at commit 3a35435, to show
that splitting the package into runtime and development changed no output.

A retrained model changes these outputs on purpose: rebuild the fixture then
(``python -m detector_dev.reference_outputs --made-by ...``).
The filler's section labels are compared as probabilities only: since the
references were recorded, sections are labelled ``generated`` by a
document-wise calibrated rule (:mod:`detector.filler.decision`) rather than
the model's per-section threshold, so a block's ``generated``/``content``
label is compared as "kept by the cleaner".
The text compared is the kept blocks joined by blank lines, as the reference
commit wrote it; the HTML output itself now keeps the page's shape.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from functools import cache
from typing import Any

import pytest
from conftest import ROOT, SHARED_DATA

import detector

FIXTURE = ROOT / "tests" / "fixtures" / "reference_outputs.json.gz"
TOLERANCE = 1e-9
FAVORS = ("balanced", "precision", "recall")


@cache
def references() -> list[dict[str, Any]]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        return json.load(handle)["documents"]


@cache
def corpus_texts(name: str) -> dict[int, str]:
    """The texts of the corpus file's lines that the fixture refers to."""
    wanted = {r["source"]["line"] for r in references() if r["source"].get("file") == name}
    with gzip.open(ROOT / "corpus" / name, "rt", encoding="utf-8") as handle:
        lines = itertools.islice(handle, max(wanted) + 1)
        return {i: json.loads(line)["text"] for i, line in enumerate(lines) if i in wanted}


def _input(source: dict[str, Any]) -> str:
    if source["kind"] == "seed":
        return (ROOT / "seeds" / source["name"]).read_bytes().decode("utf-8")
    if source["kind"] == "corpus":
        return corpus_texts(source["file"])[source["line"]]
    raw = gzip.decompress((SHARED_DATA / source["path"]).read_bytes())
    return raw.decode("utf-8", errors="replace")


def _check(ref: dict[str, Any]) -> None:
    text = _input(ref["source"])
    assert hashlib.sha256(text.encode()).hexdigest() == ref["sha256"], "input changed"
    doc = detector.score(text, mode=ref["mode"])
    # the kept blocks' texts as the reference joined them (HTML output now also
    # writes list markers, code lines and table rows: issue 19)
    kept = "\n\n".join(b.text for b in doc.blocks if doc.kept(b))
    assert hashlib.sha256(kept.encode()).hexdigest()[:16] == ref["text_sha"]
    if doc.filler_score is None:  # nothing kept: "not scored" (0.0 in the first records)
        assert ref["filler_score"] in (None, 0.0) and not ref["sections"]
    else:
        assert doc.filler_score == pytest.approx(ref["filler_score"], abs=TOLERANCE)
    assert len(doc.blocks) == len(ref["blocks"])
    for block, (label, *probabilities) in zip(doc.blocks, ref["blocks"], strict=True):
        assert _kept(block.label) == _kept(label)
        got = [block.p_content, block.p_boilerplate, block.p_seo_filler, block.p_generated]
        for value, expected in zip(got, probabilities, strict=True):
            if expected is None:
                assert value is None
            else:
                assert value == pytest.approx(expected, abs=TOLERANCE)
    assert [s.p_generated for s in doc.sections] == [
        pytest.approx(p, abs=TOLERANCE) for _, p in ref["sections"]
    ]
    for favor in FAVORS:
        cleaned = detector.clean(text, mode=ref["mode"], favor=favor)
        assert [b.label for b in cleaned.blocks] == ref["favors"][favor], favor


def _kept(label: str) -> str:
    """A label with ``generated`` read as what it is to the cleaner: kept text."""
    return "content" if label == "generated" else label


def _ids(kind: str) -> list[dict[str, Any]]:
    return [r for r in references() if r["source"]["kind"] in kind.split(",")]


@pytest.mark.parametrize("ref", _ids("seed"), ids=lambda r: r["id"])
def test_seed_outputs_equal_the_reference(ref: dict[str, Any]) -> None:
    _check(ref)


@pytest.mark.slow
@pytest.mark.parametrize("ref", _ids("corpus"), ids=lambda r: r["id"])
def test_corpus_outputs_equal_the_reference(ref: dict[str, Any]) -> None:
    _check(ref)


@pytest.mark.shared_data
@pytest.mark.parametrize("ref", _ids("shared"), ids=lambda r: r["id"])
def test_html_outputs_equal_the_reference(ref: dict[str, Any]) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} absent (pages of the shared data sets)")
    _check(ref)
