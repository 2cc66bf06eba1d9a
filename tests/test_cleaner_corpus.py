"""The cleaner corpus builder on a few real pages of ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector_dev.corpus.cleaner import (
    load_glossary,
    load_pages,
    load_teasers,
    main,
    page_records,
    tag_breaks,
)
from detector_dev.corpus.cleaner_data import layout

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = {"content", "boilerplate", "seo_filler"}


def test_missing_data_folder_fails_clearly(tmp_path: Path, capsys) -> None:
    assert main(["--data", str(tmp_path / "absent"), "--out", str(tmp_path / "c.jsonl.gz")]) != 0
    assert "lacks" in capsys.readouterr().err
    assert not (tmp_path / "c.jsonl.gz").exists()


@pytest.mark.shared_data
def test_records_of_three_pages_follow_the_schema() -> None:
    if not (DATA / "scrapinghub").is_dir() or not (DATA / "wcxb-dev").is_dir():
        pytest.skip(f"shared data sets not found at {DATA}")
    pages, _ = load_pages(DATA)
    glossary = load_glossary(DATA)
    teasers = load_teasers(pages)
    assert len(teasers) > 500 and len(glossary["en"]) > 300
    chosen = [pages[0], *[p for p in pages if p.dataset == "wcxb"][:2]]
    drawn = {"+glossary": 0, "+teaser": 0}
    for page in chosen + pages[1:30]:
        records = page_records(page, glossary, teasers)
        renderings = [r["rendering"] for r in records]
        assert renderings[:2] == ["page", "recall"]
        for record in records:
            assert record["id"] == f"{record['page']}/{record['rendering']}"
            assert record["page"] == page.key
            assert record["dataset"] in {"scrapinghub", "wcxb"}
            assert record["site"] and not record["site"].startswith("www.")
            suffix = record["rendering"].partition("+")[2]
            assert record["synthetic"] == bool(suffix)
            drawn[f"+{suffix}"] = drawn.get(f"+{suffix}", 0) + 1
            lines = record["text"].split("\n") if record["text"] else []
            assert len(lines) == len(record["labels"]) == len(record["overlap"])
            if record["rendering"].startswith("page"):
                assert len(record["breaks"]) == len(lines)
            else:
                assert record["breaks"] is None
            assert set(record["labels"]) <= LABELS
            assert all(0.0 <= x <= 1.0 for x in record["overlap"])
            assert 0.0 <= record["gold_coverage"] <= 1.0
            on_page = record["rendering"] == "page"
            assert (record["gold"] is not None) == on_page
            assert ("seo_filler" in record["labels"]) == (suffix == "glossary")
        page_record = records[0]
        assert "content" in page_record["labels"] and "boilerplate" in page_record["labels"]
        if page.dataset == "wcxb":
            assert isinstance(page_record["with"], list)
            assert isinstance(page_record["without"], list)
        else:
            assert page_record["page_type"] == "article"
    assert drawn["+glossary"] and drawn["+teaser"]


def test_tag_breaks_follow_a_markdown_scraper() -> None:
    tags = ["div", "div", "h1", "p", "p", "li", "li", "div", "figcaption", "p"]
    assert tag_breaks(tags) == [0, 0, 1, 1, 1, 1, 0, 1, 0, 1]


def test_layout_styles_keep_every_line_and_its_number() -> None:
    lines = ["one", "two", "three"]
    for style, expected in [
        ("flat", ("one\ntwo\nthree", [1, 2, 3])),
        ("blank", ("one\n\ntwo\n\nthree", [1, 3, 5])),
        ("tags", ("one\ntwo\n\nthree", [1, 2, 4])),
    ]:
        assert layout(lines, [0, 0, 1], style) == expected


@pytest.mark.shared_data
def test_glossary_runs_are_mostly_keyword_glossaries() -> None:
    """Most glossary runs share vocabulary with the article (keyword glossaries,
    as SEO pages use them), the rest share none; no run repeats gold text."""
    if not (DATA / "scrapinghub").is_dir() or not (DATA / "wcxb-dev").is_dir():
        pytest.skip(f"shared data sets not found at {DATA}")
    from detector_dev.corpus.cleaner import (
        GLOSSARY_RELATED_SHARE,
        GoldIndex,
        _choose_glossary,
        _topical,
    )

    pages, _ = load_pages(DATA)
    glossary = load_glossary(DATA)
    kinds = []
    for page in pages[:400]:
        gold = GoldIndex(page.gold)
        run = _choose_glossary(page, gold, glossary)
        if not run:
            continue
        shared = [not _topical(line).isdisjoint(gold.tokens) for line in run]
        assert all(shared) or not any(shared), run
        assert all(gold.overlap(line) < 0.2 for line in run)
        kinds.append(all(shared))
    assert len(kinds) > 50
    assert abs(sum(kinds) / len(kinds) - GLOSSARY_RELATED_SHARE) < 0.15
