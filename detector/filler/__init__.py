"""Filler scoring: how likely each section of a document is generated or padded.

``score_document`` scores the kept blocks of a ``Document``: it groups them
into sections (``sections.build_sections``), gives each section
``p_generated`` from the trained ``FillerModel`` with evidence in words, labels
the blocks of sections above the model's calibrated threshold ``generated``,
and sets ``filler_score``: the model's calibrated probability for the whole
kept text (a likelihood of filler, not proof of authorship).
"""

from __future__ import annotations

import os
from pathlib import Path

from detector.document import Document, Section
from detector.filler.model import FillerModel
from detector.filler.sections import build_sections, section_text
from detector.modelstore import load_arrays

MODEL_NAME = "filler"

__all__ = [
    "FillerModel",
    "load_filler_model",
    "score_document",
    "score_texts",
]


def load_filler_model(model_dir: str | os.PathLike[str] | Path | None = None) -> FillerModel:
    """The shipped filler model, loaded only if its hash checks out."""
    return FillerModel.from_arrays(load_arrays(MODEL_NAME, model_dir=model_dir))


def score_texts(texts: list[str], model: FillerModel) -> list[float]:
    """P(generated) of each text, as the model scores a section."""
    return [p for p, _ in model.score(texts)] if texts else []


def score_document(doc: Document, model: FillerModel) -> None:
    """Score the kept blocks of ``doc`` (label "content") for filler, in place.

    Sets each scored block's ``p_generated``, ``section`` and ``evidence``,
    relabels the blocks of flagged sections "generated", builds
    ``doc.sections`` and sets ``doc.filler_score`` (0.0 when nothing is kept).
    Blocks labelled boilerplate or seo_filler are left as they are.
    """
    kept = [i for i, block in enumerate(doc.blocks) if block.label == "content"]
    doc.sections = []
    if not kept:
        doc.filler_score = 0.0
        return
    spans = build_sections(doc.blocks, kept)
    texts = [section_text(doc.blocks, span) for span in spans]
    whole = "\n".join(doc.blocks[i].text for i in kept)
    scored, doc_p = model.score_sections(texts, whole)
    threshold = float(model.threshold_)
    for index, (span, (p, evidence)) in enumerate(zip(spans, scored, strict=True)):
        label = "generated" if p > threshold else "content"
        doc.sections.append(
            Section(
                index=index,
                block_ids=list(span.block_ids),
                p_generated=p,
                label=label,
                evidence=list(evidence),
                heading=span.heading,
            )
        )
        for i in span.block_ids:
            block = doc.blocks[i]
            block.p_generated = p
            block.section = index
            block.evidence = list(evidence)
            block.label = label
    doc.filler_score = doc_p
