"""detector: clean scraped web articles and score them for generated or padded filler.

>>> import detector
>>> doc = detector.clean(open("seeds/000_e8dde5b5ffebba82.txt").read())
>>> print(doc.text)              # the article without the page's leftovers
>>> doc.blocks[0].label          # every block keeps its label and place
"""

from __future__ import annotations

from functools import lru_cache

from detector.document import Block, Document, Section
from detector.pipeline import Options, Pipeline

__all__ = ["Block", "Document", "Section", "Pipeline", "Options", "clean", "score"]

DISTRIBUTION = "detector-clean"
"""The name this package is installed under (``pip install detector-clean``)."""


def __getattr__(name: str) -> str:
    # ``detector.__version__``, read from the installed distribution only when asked for
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(DISTRIBUTION)
        except PackageNotFoundError:  # a source tree on sys.path, never installed
            return "unknown"
    raise AttributeError(f"module 'detector' has no attribute {name!r}")


@lru_cache(maxsize=8)
def _pipeline(mode: str, score: bool, drop_generated: bool, favor: str) -> Pipeline:
    options = Options(mode=mode, score=score, drop_generated=drop_generated, favor=favor)
    return Pipeline(options=options).load()


def clean(
    text_or_html: str, *, mode: str = "auto", drop_generated: bool = False, favor: str = "balanced"
) -> Document:
    """Clean one article given as HTML or plain text, with the shipped models."""
    return _pipeline(mode, drop_generated, drop_generated, favor).process(text_or_html)


def score(text_or_html: str, *, mode: str = "auto", favor: str = "balanced") -> Document:
    """Clean one article, then score its sections and the whole for filler."""
    return _pipeline(mode, True, False, favor).process(text_or_html)
