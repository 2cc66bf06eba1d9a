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

from detector.document import NOT_SCORED, Document, Section
from detector.filler.decision import decision_rule
from detector.filler.model import FillerModel
from detector.filler.sections import build_sections, section_text
from detector.modelstore import load_arrays

MODEL_NAME = "filler"

__all__ = [
    "NOT_SCORED",
    "FillerModel",
    "load_filler_model",
    "score_document",
    "score_texts",
    "verdict",
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
    ``doc.sections``, sets ``doc.filler_score`` (None when nothing is kept),
    ``doc.filler_threshold`` and ``doc.verdict``. Blocks labelled boilerplate or
    seo_filler are left as they are.
    """
    kept = [i for i, block in enumerate(doc.blocks) if block.label == "content"]
    doc.sections = []
    rule = decision_rule(model)
    doc.filler_threshold = rule.doc_threshold
    if not kept:
        doc.filler_score = None
        doc.verdict = NOT_SCORED
        return
    spans = build_sections(doc.blocks, kept)
    texts = [section_text(doc.blocks, span) for span in spans]
    whole = "\n".join(doc.blocks[i].text for i in kept)
    # section labels follow the document-wise calibrated rule (detector.filler.decision);
    # evidence is given toward the side of its threshold
    scored, doc_p = model.score_sections(texts, whole, threshold=rule.section_p)
    flags = rule.flags([p for p, _ in scored], [s.words for s in spans], doc_p)
    for index, (span, (p, evidence)) in enumerate(zip(spans, scored, strict=True)):
        label = "generated" if flags[index] else "content"
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
    doc.verdict = verdict(
        [s.label == "generated" for s in doc.sections],
        [span.words for span in spans],
        doc_p,
        rule.doc_threshold,
        min_words=rule.min_words,
    )


def verdict(
    flagged: list[bool], words: list[int], doc_p: float, threshold: float, *, min_words: float
) -> str:
    """The document-level label a reader sees: ``not scored`` when fewer words are
    kept than a section needs to be labelled (``min_words``: too little text to
    say), ``generated`` when the document's score is over ``threshold`` and at
    least half its words lie in flagged sections, ``mixed`` when some section
    is flagged, ``original`` otherwise."""
    total = sum(words)
    if total < min_words:
        return NOT_SCORED
    share = sum(w for w, f in zip(words, flagged, strict=True) if f) / total
    if doc_p > threshold and share >= 0.5:
        return "generated"
    return "mixed" if any(flagged) else "original"
