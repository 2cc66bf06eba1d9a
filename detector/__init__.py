"""detector: clean scraped web articles and score them for generated or padded filler.

>>> import detector
>>> doc = detector.clean(open("seeds/000_e8dde5b5ffebba82.txt").read())
>>> print(doc.text)              # the article without the page's leftovers
>>> doc.blocks[0].label          # every block keeps its label and place

The names below are imported on first access (PEP 562), so that ``import
detector`` stays cheap: a shell command, a worker or a notebook pays for numpy,
lxml and the models only when it cleans something.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detector.document import Block, Document, Section
    from detector.pipeline import Options, Pipeline

__all__ = ["Block", "Document", "Section", "Pipeline", "Options", "clean", "score"]

DISTRIBUTION = "detector-clean"
"""The name this package is installed under (``pip install detector-clean``)."""

_LAZY = {
    "Block": "detector.document",
    "Document": "detector.document",
    "Section": "detector.document",
    "Options": "detector.pipeline",
    "Pipeline": "detector.pipeline",
}


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first access (PEP 562);
    ``__version__`` is read from the installed distribution only when asked for."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(DISTRIBUTION)
        except PackageNotFoundError:  # a source tree on sys.path, never installed
            return "unknown"
    if name not in _LAZY:
        raise AttributeError(f"module 'detector' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


@lru_cache(maxsize=8)
def _pipeline(mode: str, score: bool, drop_generated: bool, favor: str) -> Pipeline:
    from detector.pipeline import Options, Pipeline

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
