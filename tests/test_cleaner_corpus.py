"""The cleaner corpus builder on a few real pages of ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.corpus.cleaner_corpus import load_glossary, load_pages, main, page_records

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
    chosen = [pages[0], *[p for p in pages if p.dataset == "wcxb"][:2]]
    for page in chosen:
        records = page_records(page, glossary)
        renderings = [r["rendering"] for r in records]
        assert renderings[:2] == ["page", "recall"]
        for record in records:
            assert record["id"] == f"{record['page']}/{record['rendering']}"
            assert record["page"] == page.key
            assert record["dataset"] in {"scrapinghub", "wcxb"}
            assert record["site"] and not record["site"].startswith("www.")
            assert record["synthetic"] == record["rendering"].endswith("+glossary")
            lines = record["text"].split("\n") if record["text"] else []
            assert len(lines) == len(record["labels"]) == len(record["overlap"])
            assert set(record["labels"]) <= LABELS
            assert all(0.0 <= x <= 1.0 for x in record["overlap"])
            assert 0.0 <= record["gold_coverage"] <= 1.0
            on_page = record["rendering"] == "page"
            assert (record["gold"] is not None) == on_page
            if record["synthetic"]:
                assert "seo_filler" in record["labels"]
            else:
                assert "seo_filler" not in record["labels"]
        page_record = records[0]
        assert "content" in page_record["labels"] and "boilerplate" in page_record["labels"]
        if page.dataset == "wcxb":
            assert isinstance(page_record["with"], list)
            assert isinstance(page_record["without"], list)
        else:
            assert page_record["page_type"] == "article"
