"""detector inside a datatrove pipeline: its WARC reader, our step, its writer,
on the local executor, over a small WARC written here."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from conftest import seed_path

pytest.importorskip("datatrove", reason='an extra: pip install "detector-clean[datatrove]"')
pytest.importorskip("warcio")
pytest.importorskip("magic", reason="datatrove's WARC reader needs libmagic")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import WarcReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from detector.datatrove_step import DetectorFilter  # noqa: E402


def page(prefix: str, title: str) -> str:
    """An HTML page around a seed article: menu, the article, a footer."""
    paragraphs = seed_path(prefix).read_text(encoding="utf-8").split("\n\n")
    body = "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())
    return (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> | "
        f"<a href='/world'>World</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© News Site. All rights reserved. Subscribe</footer></body></html>"
    )


def write_warc(path: Path, pages: dict[str, str]) -> None:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, html in pages.items():
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html.encode("utf-8")),
                http_headers=http,
                warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"},
            )
            writer.write_record(record)


def read_output(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            out += [json.loads(line) for line in handle if line.strip()]
    return out


def test_warc_reader_then_detector_then_writer_on_the_local_executor(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    warcs.mkdir()
    pages = {
        "https://news.example/belarus": page("000", "Lukashenko ready for a big deal"),
        "https://farm.example/belarus": page("004", "Lukashenko Signals Openness"),
    }
    write_warc(warcs / "small.warc.gz", pages)
    kept, dropped = tmp_path / "kept", tmp_path / "dropped"
    LocalPipelineExecutor(
        pipeline=[
            WarcReader(str(warcs), glob_pattern="*.warc.gz"),
            DetectorFilter(max_filler_score=0.5, exclusion_writer=JsonlWriter(str(dropped))),
            JsonlWriter(str(kept)),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    outputs = {d["metadata"]["url"]: d for d in read_output(kept) + read_output(dropped)}
    assert set(outputs) == set(pages)
    news, farm = outputs["https://news.example/belarus"], outputs["https://farm.example/belarus"]
    for doc in (news, farm):
        meta = doc["metadata"]
        assert meta["detector_mode"] == "html"
        assert meta["label_counts"]["content"] + meta["label_counts"]["generated"] > 0
        assert meta["kept_words"] > 50 and "Lukashenko" in meta["cleaned_text"]
        assert "<p>" in doc["text"]  # the page itself is kept; the article is in metadata
    assert news["metadata"]["filler_score"] < 0.5 < farm["metadata"]["filler_score"]
    assert [d["metadata"]["url"] for d in read_output(dropped)] == ["https://farm.example/belarus"]
    assert read_output(dropped)[0]["metadata"]["filter_reason"] == "filler"


def test_filter_replaces_text_drops_short_and_survives_errors() -> None:
    step = DetectorFilter(mode="text", replace_text=True, min_kept_words=5)
    article = seed_path("000").read_text(encoding="utf-8")
    doc = Document(text=article, id="a")
    assert step.filter(doc) is True
    assert "Show More" not in doc.text and "cleaned_text" not in doc.metadata
    assert step.filter(Document(text="Home | News", id="b")) == (False, "too_short")

    broken = DetectorFilter(mode="text")
    broken._pipeline = object()  # type: ignore[assignment]  # has no .process
    bad = Document(text="anything", id="c")
    assert broken.filter(bad) is True
    # the reason in plain words, not a Python class name ("AttributeError: ...")
    assert bad.metadata["detector_error"].startswith("processing failed: ")
    assert "Error" not in bad.metadata["detector_error"]


def test_step_pickles_without_its_models() -> None:
    import pickle

    step = DetectorFilter()
    step._pipeline = object()  # type: ignore[assignment]  # stands in for loaded models
    clone = pickle.loads(pickle.dumps(step))
    assert clone._pipeline is None and clone.options == step.options
