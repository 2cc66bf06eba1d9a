"""Issue 18 on the shipped models: a long article is kept to its end, clean
short articles are left alone, comments stay out unless asked for.

The texts (``tests/fixtures/texts``, see its README) are human texts of M4
that no corpus of the project's cleaners draws on: twenty Indonesian news
stories joined into one document of 7,043 words, and eleven clean short texts
(2-8 paragraphs) in Indonesian, Russian, English and Chinese.
``comments.html`` was written for these tests.
"""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

import pytest
from conftest import known_gap

import detector
from detector.tokens import tokens
from detector_dev.metrics import shingle_prf, thirds_recall

TEXTS = Path(__file__).parent / "fixtures" / "texts"
LONG = gzip.decompress((TEXTS / "long-news-id.txt.gz").read_bytes()).decode("utf-8")
SHORT = [
    json.loads(line)
    for line in (TEXTS / "short-clean.jsonl").read_text(encoding="utf-8").splitlines()
]
SHORT_IDS = [f"{s['lang']}-{s['row']}" for s in SHORT]
MENU = ["Home", "World", "Business", "Sport", "Culture", "Sign in", "Subscribe"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2024 Example Media"]


def _page(title: str, paragraphs: list[str]) -> str:
    """An article page: a menu, the paragraphs in an <article>, a footer."""
    nav = "".join(f'<li><a href="/{i}">{html.escape(m)}</a></li>' for i, m in enumerate(MENU))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    foot = "".join(f'<li><a href="/f{i}">{html.escape(f)}</a></li>' for i, f in enumerate(FOOTER))
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body>"
        f'<nav class="menu"><ul>{nav}</ul></nav><main><article><h1>{html.escape(title)}</h1>'
        f"{body}</article></main><footer><ul>{foot}</ul></footer></body></html>"
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(
            "text",
            marks=known_gap(
                18,
                "text mode keeps the first third whole and 59% of the last: each story "
                "is taken for a separate article after the first ones",
            ),
        ),
        "html",
    ],
)
def test_long_article_kept_to_its_end(mode: str) -> None:
    assert len(LONG.split()) > 6_000
    if mode == "html":
        source = _page("Collected articles", _paragraphs(LONG))
    else:
        source = "\n".join(MENU) + "\n\n" + LONG + "\n\n" + "\n".join(FOOTER)
    doc = detector.clean(source, mode=mode)
    first, middle, last = thirds_recall(doc.text, LONG)
    assert min(first, middle, last) >= 0.95, (first, middle, last)
    assert last >= first - 0.02, (first, last)


@pytest.mark.parametrize("sample", SHORT, ids=SHORT_IDS)
def test_short_clean_article_left_alone(sample: dict) -> None:
    doc = detector.clean(sample["text"], mode="text")
    kept = sum(len(tokens(b.text)) for b in doc.blocks if b.label == "content")
    assert kept >= 0.99 * len(tokens(sample["text"])), [
        (b.label, b.text[:60]) for b in doc.blocks if b.label != "content"
    ]
    assert not [b for b in doc.blocks if b.label == "seo_filler"]


@pytest.mark.parametrize("sample", SHORT, ids=SHORT_IDS)
def test_short_article_page_keeps_every_paragraph(sample: dict) -> None:
    paragraphs = _paragraphs(sample["text"])
    doc = detector.clean(_page(paragraphs[0][:60], paragraphs), mode="html")
    assert shingle_prf(doc.text, sample["text"])[1] >= 0.99
    for word in ("Subscribe", "Privacy policy"):
        assert word not in doc.text


COMMENTS = Path(__file__).parent / "fixtures" / "comments.html"


def test_comments_only_when_asked() -> None:
    page = COMMENTS.read_text(encoding="utf-8")
    comment = "creek behind our house running again"
    article = "steady rain fell across the valley"
    plain = detector.clean(page, mode="html")
    assert article in plain.text and comment not in plain.text
    with_comments = detector.clean(page, mode="html", include_comments=True)
    assert article in with_comments.text and comment in with_comments.text
    assert "Reply" not in with_comments.text.split()
