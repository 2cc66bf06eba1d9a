"""Rebuild ``tests/fixtures/reference_outputs.json.gz`` with the shipped models.

The fixture pins what the shipped models say about a fixed set of documents
(the seeds, every 50th document of ``corpus/cleaner.jsonl.gz``, every 255th of
``corpus/filler.jsonl.gz``, 30 raw pages of ``../shared/data``), so that a
change of code that should leave the outputs alone is caught. A retrained
model changes them on purpose: run this then, and say in the commit why.

    python -m detector_dev.reference_outputs --made-by "retrained models of issue 18"
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from typing import Any

from detector_dev.paths import REPO

FIXTURE = REPO / "tests" / "fixtures" / "reference_outputs.json.gz"
FAVORS = ("balanced", "precision", "recall")


def record(ref: dict[str, Any], text: str) -> dict[str, Any]:
    """The reference record of one document: its source as before, the outputs
    of ``detector.score`` and of ``detector.clean`` at every favor now."""
    import detector

    doc = detector.score(text, mode=ref["mode"])
    kept = "\n\n".join(b.text for b in doc.blocks if doc.kept(b))
    return {
        "id": ref["id"],
        "mode": ref["mode"],
        "source": ref["source"],
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "filler_score": doc.filler_score,
        "text_sha": hashlib.sha256(kept.encode()).hexdigest()[:16],
        "blocks": [
            [b.label, b.p_content, b.p_boilerplate, b.p_seo_filler, b.p_generated]
            for b in doc.blocks
        ],
        "sections": [[s.label, s.p_generated] for s in doc.sections],
        "favors": {
            favor: [b.label for b in detector.clean(text, mode=ref["mode"], favor=favor).blocks]
            for favor in FAVORS
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--made-by", required=True, help="What made the outputs (for the file).")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "tests"))
    from test_reference_outputs import _input, references  # the test's own reader

    shared = [r for r in references() if r["source"]["kind"] == "shared"]
    try:
        texts = [_input(r["source"]) for r in references()]
    except FileNotFoundError as error:
        print(
            f"error: {error}; the {len(shared)} shared pages need ../shared/data", file=sys.stderr
        )
        return 2
    documents = [record(r, t) for r, t in zip(references(), texts, strict=True)]
    with gzip.open(FIXTURE, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump({"made_by": args.made_by, "documents": documents}, handle)
    print(f"wrote {len(documents)} documents to {FIXTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
