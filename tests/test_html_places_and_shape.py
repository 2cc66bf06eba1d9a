"""Issue 19, items 1 and 2, on real pages (tests/fixtures/pages, see its README):
every HTML block points into the input (XPath and source offsets), and the
cleaned output keeps the article's shape (code, lists, tables)."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from detector.cli import main
from detector.document import Document
from detector.html_mode.render import parse_html
from detector.inputs.decode import decode_bytes
from detector.pipeline import Options, Pipeline

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
ALL = sorted(p.name for p in PAGES.glob("*.html.gz"))
DOC_PAGE = "wcxb-0684-nginx-rewrite.html.gz"
LIST_PAGE = "wcxb-2870-nginx-beginners-guide.html.gz"
TABLE_PAGE = "wcxb-0378-table.html.gz"
IMPLIED = {"html", "head", "body", "tbody"}
"""Elements the parser may insert without a start tag in the source."""
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff|"), None)


def source(name: str) -> str:
    return decode_bytes(gzip.decompress((PAGES / name).read_bytes()), html=True)


@cache
def pipeline() -> Pipeline:
    return Pipeline().load()


@cache
def cleaned(name: str) -> Document:
    return pipeline().process(source(name), doc_id=name, mode_hint="html")


def squeeze(text: str) -> str:
    return "".join(text.translate(_INVISIBLE).split())


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_fixture_pages_are_there() -> None:
    assert {DOC_PAGE, LIST_PAGE, TABLE_PAGE} <= set(ALL) and len(ALL) >= 4


@pytest.mark.parametrize("name", ALL)
def test_every_html_block_has_an_xpath_and_source_span_of_its_element(name: str) -> None:
    html = source(name)
    doc = cleaned(name)
    tree = parse_html(html).getroottree()
    newlines = [m.start() for m in re.finditer("\n", html)]
    assert doc.mode == "html" and doc.blocks
    placed = 0
    for block in doc.blocks:
        if block.path is None:  # recovered from the extractor's text: no place
            assert block.source_start is None and block.source_end is None
            continue
        [element] = tree.xpath(block.path)
        assert squeeze(block.text) in squeeze(element.text_content()), block.path
        assert block.source_start is not None and block.source_end is not None
        assert 0 <= block.source_start < block.source_end <= len(html)
        piece = html[block.source_start : block.source_end]
        tag = element.tag.lower()
        if piece.lower().startswith(f"<{tag}"):
            line = sum(1 for n in newlines if n < block.source_start) + 1
            assert line == element.sourceline, block.path
            # ends with its end tag, or where it implicitly ends: at the next tag
            assert re.search(rf"</{tag}\s*>$", piece, re.I) or html[block.source_end :][:1] in (
                "<",
                "",
            ), (block.path, piece[-40:])
            placed += 1
        else:  # inserted by the parser: the span of its children
            assert tag in IMPLIED, (block.path, piece[:40])
            assert piece.startswith("<") or piece.startswith((element.text or "").strip()[:20])
        assert squeeze(block.text) in squeeze(re.sub(r"<[^>]*>", "", piece)) or "&" in piece
    assert placed >= 0.9 * sum(b.path is not None for b in doc.blocks)


def test_annotate_shows_a_source_place_for_every_html_block() -> None:
    result = run("clean", str(PAGES / LIST_PAGE), "--annotate")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    doc = cleaned(LIST_PAGE)
    assert len(lines) == len(doc.blocks)
    for line, block in zip(lines, doc.blocks, strict=True):
        place = line.split()[0]
        if block.source_start is None:
            assert place == "-"
        else:
            assert place == f"@{block.source_start}-{block.source_end}"
    assert any(b.label != "content" for b in doc.blocks)


def test_json_blocks_carry_output_and_source_places() -> None:
    result = run("clean", str(PAGES / DOC_PAGE), "--format", "json")
    [record] = json.loads(result.stdout)
    html = source(DOC_PAGE)
    text = record["text"]
    kept = [b for b in record["blocks"] if b["label"] == "content"]
    for block in record["blocks"]:
        assert {"start", "end", "source_start", "source_end", "path"} <= block.keys()
        assert 0 <= block["start"] <= block["end"] <= len(text)
        assert html[block["source_start"] : block["source_end"]].startswith("<")
    # the output span is the block's text where the output shows it as it is (not
    # code lines, whose spaces are kept, nor table rows, written from their cells)
    same = [b for b in kept if text[b["start"] : b["end"]] == b["text"]]
    assert len(same) >= 0.7 * len(kept)


@pytest.mark.parametrize("name", ALL)
def test_text_output_skips_places_and_metadata_but_not_a_word(name: str) -> None:
    full = cleaned(name)
    bare = (
        Pipeline(options=Options(details=False))
        .load()
        .process(source(name), doc_id=name, mode_hint="html")
    )
    assert [(b.text, b.label, b.p_content, b.path) for b in bare.blocks] == [
        (b.text, b.label, b.p_content, b.path) for b in full.blocks
    ]
    assert bare.text == full.text
    assert all(b.source_start is None for b in bare.blocks)
    assert any(b.source_start is not None for b in full.blocks)
    assert full.metadata.keys() - bare.metadata.keys()  # title, url, ... not read
    # the command line drops the details only where its output cannot show them
    [record] = json.loads(run("clean", str(PAGES / name), "--format", "json").stdout)
    assert record["text"] == full.text
    assert run("clean", str(PAGES / name)).stdout == full.text + "\n"


def test_text_output_never_looks_for_places_or_metadata(monkeypatch) -> None:
    import detector.html_mode.page as page

    def refuse(*args, **kwargs):
        raise AssertionError("text output needs no places or metadata")

    monkeypatch.setattr(page, "source_spans", refuse)
    monkeypatch.setattr(page, "page_metadata", refuse)
    for options in (["--format", "markdown"], []):
        result = run("clean", str(PAGES / DOC_PAGE), *options)
        assert result.exit_code == 0 and result.stdout.strip()
    # the outputs that show them still ask for them
    for options in (["--format", "json"], ["--annotate"], ["--with-metadata"]):
        result = run("clean", str(PAGES / DOC_PAGE), *options)
        assert result.exit_code == 1 and "needs no places" in result.stderr


def test_text_input_source_places_are_its_offsets(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("Title here\n\nA first paragraph of the article, long enough.\n")
    [record] = json.loads(run("clean", str(page), "--format", "json").stdout)
    for block in record["blocks"]:
        assert (block["source_start"], block["source_end"]) == (block["start"], block["end"])


def test_documentation_code_block_is_fenced_with_its_indentation() -> None:
    md = run("clean", str(PAGES / DOC_PAGE), "--format", "markdown").stdout
    code = "if ($slow) {\n    limit_rate 10k;\n    break;\n}"
    assert f"```\n{code}\n```" in md
    txt = run("clean", str(PAGES / DOC_PAGE)).stdout
    assert f"\n{code}\n" in txt and "```" not in txt


def test_list_page_keeps_its_bullets_and_nesting() -> None:
    for fmt in ("txt", "markdown"):
        out = run("clean", str(PAGES / LIST_PAGE), "--format", fmt).stdout
        assert "- stop — fast shutdown\n- quit — graceful shutdown\n" in out
    md = run("clean", str(PAGES / DOC_PAGE), "--format", "markdown").stdout
    assert "- repeatedly:\n    - a location is searched based on a request URI;\n" in md


# The two tests below are about the shape of what is kept, so they keep more
# (--recall): with the model retrained for issue 18, this page's table rows
# (p_content 0.56-0.65) and that page's second "Directives" heading (0.65)
# fall under the balanced cut; how much is kept is measured by the bench.
def test_table_stays_a_table() -> None:
    md = run("clean", str(PAGES / TABLE_PAGE), "--format", "markdown", "--recall").stdout
    assert "| Layer | What It Is | What It Does |\n| --- | --- | --- |\n| Model |" in md
    txt = run("clean", str(PAGES / TABLE_PAGE), "--recall").stdout
    assert "Layer | What It Is | What It Does\nModel |" in txt


def test_headings_are_marked_by_level_in_markdown() -> None:
    md = run("clean", str(PAGES / DOC_PAGE), "--format", "markdown", "--recall").stdout
    assert "\n#### Directives\n" in md  # an <h4> on that page
    txt = run("clean", str(PAGES / DOC_PAGE), "--recall").stdout
    assert "\nDirectives\n" in txt and "#" not in txt.split("Directives")[0]


@pytest.mark.parametrize("name", [DOC_PAGE, LIST_PAGE, TABLE_PAGE])
def test_json_text_is_the_txt_output_and_metadata_are_fields(name: str) -> None:
    txt = run("clean", str(PAGES / name)).stdout
    [record] = json.loads(run("clean", str(PAGES / name), "--format", "json").stdout)
    assert record["text"] + "\n" == txt
    assert record["title"] == record["metadata"].get("title")
    for key in ("author", "date", "url"):
        assert key in record
    header = run("clean", str(PAGES / name), "--with-metadata").stdout
    assert header.endswith(txt)
    title = record["title"]
    if title:
        assert header.count(title + "\n") <= 1  # never twice
