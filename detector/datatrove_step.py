"""detector as a datatrove pipeline step (``pip install "detector-clean[datatrove]"``).

``DetectorFilter`` cleans and scores each document of a datatrove pipeline
with our models, writes what it found into ``doc.metadata``, and can drop
documents: so the same models annotate or filter a crawl on any of
datatrove's executors (local, Slurm, Ray)::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import JsonlWriter
    from detector.datatrove_step import DetectorFilter

    LocalPipelineExecutor(
        pipeline=[
            WarcReader("crawl/", glob_pattern="*.warc.gz"),
            DetectorFilter(max_filler_score=0.9, replace_text=True),
            JsonlWriter("out/"),
        ],
        tasks=4,
        logging_dir="logs/",
    ).run()

Metadata written on every document: ``filler_score`` (the document's filler
probability, None when nothing is kept), ``label_counts`` (blocks per label),
``kept_words``, ``detector_mode`` (html or text, as read), and
``cleaned_text`` (the article without the page's leftovers) unless
``replace_text`` puts it in ``doc.text`` instead. A document the pipeline
fails on keeps its text and gets ``detector_error``.

The models load once per datatrove task, on its first document, never when
the step is built or pickled to a worker. datatrove runs steps inline, so
there is no per-document time limit here; ``detector report --timeout`` has
one.
"""

from __future__ import annotations

from typing import Any

try:
    from datatrove.data import Document as DatatroveDocument
    from datatrove.pipeline.filters.base_filter import BaseFilter
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'detector.datatrove_step needs datatrove: pip install "detector-clean[datatrove]"'
    ) from exc

from detector.document import LABELS
from detector.pipeline import Options, Pipeline, failure_reason
from detector.report.stats import count_tokens

__all__ = ["DetectorFilter"]


class DetectorFilter(BaseFilter):
    """Annotate documents with detector's cleaning and filler score; optionally filter.

    Args:
        mode: "auto" (by content), "html" or "text": how to read ``doc.text``.
        favor: "balanced", "precision" (keep less) or "recall" (keep more).
        model_dir: a folder with the model files and manifest (default: shipped).
        max_filler_score: drop documents whose filler score is above this.
        min_kept_words: drop documents that keep fewer words than this.
        drop_generated: also remove flagged generated sections from the cleaned text.
        replace_text: put the cleaned text in ``doc.text`` (the original is
            not kept) instead of ``metadata["cleaned_text"]``.
        drop_errors: drop documents the pipeline fails on (default: keep them,
            marked with ``detector_error``).
        native_threads: limit of the native thread pools (OpenMP in the
            gradient-boosted trees) in the process that runs the step, set
            when the models load; one document's predictions are too small to
            gain from threads, and datatrove already runs one task per core.
            None leaves the limits alone.
        exclusion_writer: a datatrove writer for the dropped documents, with
            ``metadata["filter_reason"]`` set.
    """

    name = "🧹 detector"

    def __init__(
        self,
        *,
        mode: str = "auto",
        favor: str = "balanced",
        model_dir: str | None = None,
        max_filler_score: float | None = None,
        min_kept_words: int = 0,
        drop_generated: bool = False,
        replace_text: bool = False,
        drop_errors: bool = False,
        native_threads: int | None = 1,
        exclusion_writer: Any = None,
    ) -> None:
        super().__init__(exclusion_writer)
        # what it writes needs no HTML source places or page metadata (Options.details)
        self.options = Options(
            mode=mode, score=True, drop_generated=drop_generated, favor=favor, details=False
        )
        self.model_dir = model_dir
        self.max_filler_score = max_filler_score
        self.min_kept_words = min_kept_words
        self.replace_text = replace_text
        self.drop_errors = drop_errors
        self.native_threads = native_threads
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """The loaded models, once per process."""
        if self._pipeline is None:
            if self.native_threads is not None:
                from threadpoolctl import threadpool_limits

                threadpool_limits(limits=self.native_threads)
            self._pipeline = Pipeline(model_dir=self.model_dir, options=self.options).load()
        return self._pipeline

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_pipeline"] = None  # loaded again where the step runs
        return state

    def filter(self, doc: DatatroveDocument) -> bool | tuple[bool, str]:
        """Annotate ``doc``; keep it unless a threshold says otherwise."""
        try:
            result = self.pipeline.process(doc.text, doc_id=str(doc.id))
        except Exception as exc:  # one bad page never stops a pipeline
            doc.metadata["detector_error"] = failure_reason(exc)
            self.stat_update("detector_error")
            return (False, "detector_error") if self.drop_errors else True
        counts = {label: 0 for label in LABELS}
        for block in result.blocks:
            counts[block.label] = counts.get(block.label, 0) + 1
        cleaned = result.text
        kept_words = count_tokens(cleaned)
        doc.metadata["filler_score"] = (
            None if result.filler_score is None else round(float(result.filler_score), 4)
        )
        doc.metadata["label_counts"] = counts
        doc.metadata["kept_words"] = kept_words
        doc.metadata["detector_mode"] = result.mode
        if self.replace_text:
            doc.text = cleaned
        else:
            doc.metadata["cleaned_text"] = cleaned
        for label, count in counts.items():
            if count:
                self.stat_update(f"blocks_{label}", value=count)
        if kept_words < self.min_kept_words:
            return False, "too_short"
        score = result.filler_score
        if (
            self.max_filler_score is not None
            and score is not None
            and score > self.max_filler_score
        ):
            return False, "filler"
        return True
