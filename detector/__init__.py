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
def _pipeline(
    mode: str, score: bool, drop_generated: bool, favor: str, include_comments: bool = False
) -> Pipeline:
    from detector.pipeline import Options, Pipeline

    options = Options(
        mode=mode,
        score=score,
        drop_generated=drop_generated,
        favor=favor,
        include_comments=include_comments,
    )
    return Pipeline(options=options).load()


def _checked(mode: str, favor: str) -> None:
    """Raise ValueError, naming the choices, for an unknown mode or favor (before
    any model loads, and before lru_cache would need the values hashable)."""
    from detector.pipeline import Options

    Options(mode=mode, favor=favor)


def _as_text(text_or_html: str | bytes, encoding: str | None) -> str:
    """The text of an input given as str, or as bytes decoded as the command line
    decodes a file: gunzipped when gzip, then by byte order mark, UTF-8, declared
    charset and detection (or ``encoding``)."""
    if isinstance(text_or_html, str):
        return text_or_html
    if not isinstance(text_or_html, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"expected str or bytes (HTML or plain text), got {type(text_or_html).__name__}"
        )
    from detector.inputs.decode import GZIP_MAGIC, decode_bytes, gunzip_limited

    data = bytes(text_or_html)
    if data[:2] == GZIP_MAGIC:
        data = gunzip_limited(data, max(64 * 2**20, 20 * len(data)))
    return decode_bytes(data, force_encoding=encoding)


def clean(
    text_or_html: str | bytes,
    *,
    mode: str = "auto",
    drop_generated: bool = False,
    favor: str = "balanced",
    encoding: str | None = None,
    include_comments: bool = False,
) -> Document:
    """Clean one article given as HTML or plain text, with the shipped models.

    ``text_or_html`` is a str, or bytes decoded as ``detector clean`` decodes a
    file (gzip inflated; byte order mark, UTF-8, declared charset, detection;
    ``encoding`` forces a codec). ``mode`` is "auto" (by content), "text" or
    "html"; ``favor`` is "balanced", "precision" (keep less) or "recall" (keep
    more). Raises ValueError naming the accepted values for any other, and
    ``detector.inputs.decode.InputError`` for binary bytes. Readers' comments
    on an HTML page are dropped unless ``include_comments``.

    >>> doc = detector.clean(open("seeds/002_26a823dd48c20efc.txt", "rb").read())
    >>> doc.text.splitlines()[0][:60]
    'Președintele belarus Alexandr Lukașenko a afirmat marți că e'
    >>> [b.label for b in doc.blocks][:2]  # a photo caption, then the article
    ['boilerplate', 'content']
    """
    _checked(mode, favor)
    text = _as_text(text_or_html, encoding)
    return _pipeline(mode, drop_generated, drop_generated, favor, bool(include_comments)).process(
        text
    )


def score(
    text_or_html: str | bytes,
    *,
    mode: str = "auto",
    favor: str = "balanced",
    encoding: str | None = None,
    include_comments: bool = False,
) -> Document:
    """Clean one article, then score its sections and the whole for filler.

    Takes what :func:`clean` takes. The returned Document has ``filler_score``
    (the model's probability that the kept text is generated or padded filler)
    and ``sections``, each with ``p_generated``, ``label`` ("generated" above
    the calibrated threshold) and ``evidence`` (the features that pushed its
    score most); every kept block carries its section's ``p_generated``.

    >>> doc = detector.score(open("seeds/004_c6c6032144a27563.txt").read())
    >>> round(doc.filler_score, 3)
    1.0
    >>> section = doc.sections[0]
    >>> section.label, round(section.p_generated, 2), section.evidence[0][:34]
    ('generated', 1.0, 'wording typical of generated text:')
    """
    _checked(mode, favor)
    text = _as_text(text_or_html, encoding)
    return _pipeline(mode, True, False, favor, bool(include_comments)).process(text)
