"""Source offsets of parsed HTML elements (detector.html_mode.source) and the
shape of the kept blocks in the output (detector.layout), on small pages."""

from __future__ import annotations

import pytest

from detector.document import Block
from detector.html_mode.blocks import dom_lines
from detector.html_mode.render import parse_html
from detector.html_mode.source import source_spans
from detector.layout import render


def spans(html: str) -> dict[str, str]:
    """Each element's source slice, by its XPath."""
    root = parse_html(html)
    found = source_spans(html, root)
    tree = root.getroottree()
    return {tree.getpath(e): html[s:e_] for e, (s, e_) in found.items()}


def test_elements_slice_from_start_tag_to_end_tag() -> None:
    html = "<html><body><div id=a>\n<p>one</p>\n<P CLASS=x>two</P></div></body></html>"
    got = spans(html)
    assert got["/html/body/div"] == "<div id=a>\n<p>one</p>\n<P CLASS=x>two</P></div>"
    assert got["/html/body/div/p[1]"] == "<p>one</p>"
    assert got["/html/body/div/p[2]"] == "<P CLASS=x>two</P>"


def test_implicit_ends_stop_at_the_next_tag() -> None:
    got = spans("<ul><li>one<li>two</ul><p>a<p>b")
    assert got["/html/body/ul/li[1]"] == "<li>one"
    assert got["/html/body/ul/li[2]"] == "<li>two"
    assert got["/html/body/p[1]"] == "<p>a"


def test_inserted_elements_take_their_childrens_span() -> None:
    html = "<table><tr><td>a</td></tr></table>\n<p>b</p>"
    got = spans(html)  # libxml2 inserts html and body (not tbody)
    assert got["/html/body"] == got["/html"] == html
    assert got["/html/body/table/tr"] == "<tr><td>a</td></tr>"


def test_comments_scripts_and_void_elements_are_passed_over() -> None:
    html = (
        "<div><!-- <p>not a tag</p> --><script>var s = '<p>';</script>"
        '<img src=x><p title="a\nb">text</p><br></div>'
    )
    got = spans(html)
    assert got["/html/body/div/script"] == "<script>var s = '<p>';</script>"
    assert got["/html/body/div/img"] == "<img src=x>"
    assert got["/html/body/div/p"] == '<p title="a\nb">text</p>'
    assert got["/html/body/div/br"] == "<br>"


def test_tags_with_attributes_over_several_lines_are_matched() -> None:
    html = '<div>\n<svg d="1\n2\n3"><path d="a\nb"></path></svg><p>after</p></div>'
    got = spans(html)
    assert got["/html/body/div/p"] == "<p>after</p>"
    assert got["/html/body/div/svg"].startswith("<svg")


def layout_blocks(html: str) -> list[Block]:
    lines, _, layouts = dom_lines(parse_html(html))
    blocks = [Block(line.text) for line in lines]
    for block, layout in zip(blocks, layouts, strict=True):
        block.layout = layout
    return blocks


@pytest.mark.parametrize("markdown", [False, True])
def test_lists_keep_markers_numbers_and_nesting(markdown: bool) -> None:
    blocks = layout_blocks(
        '<p>Intro</p><ol start="3"><li>three<ul><li>inner</li></ul></li><li>four</li></ol>'
    )
    text, _ = render(blocks, [True] * len(blocks), markdown=markdown)
    assert text == "Intro\n\n3. three\n    - inner\n4. four"


def test_code_keeps_indentation_and_blank_lines() -> None:
    blocks = layout_blocks("<p>Run:</p><pre>def f():\n    return 1\n\nf()</pre><p>Done.</p>")
    kept = [True] * len(blocks)
    assert render(blocks, kept)[0] == "Run:\n\ndef f():\n    return 1\n\nf()\n\nDone."
    assert render(blocks, kept, markdown=True)[0] == (
        "Run:\n\n```\ndef f():\n    return 1\n\nf()\n```\n\nDone."
    )


def test_tables_and_headings() -> None:
    blocks = layout_blocks(
        "<h2>Prices</h2><table><tr><th>Item</th><th>Cost</th></tr>"
        "<tr><td>Tea</td><td>2<br>(hot)</td></tr></table>"
    )
    kept = [True] * len(blocks)
    assert render(blocks, kept)[0] == "Prices\n\nItem | Cost\nTea | 2(hot)"
    md, spans = render(blocks, kept, markdown=True)
    assert md == "## Prices\n\n| Item | Cost |\n| --- | --- |\n| Tea | 2(hot) |"
    assert md[spans[0][0] : spans[0][1]] == "Prices"


def test_spans_point_at_the_block_text_past_markers() -> None:
    blocks = layout_blocks("<ul><li>one</li><li>two</li></ul>")
    text, spans = render(blocks, [True, True])
    assert [text[s:e] for s, e in spans] == ["one", "two"]
    text, spans = render(blocks, [False, True])
    assert text == "- two" and spans[0] is None


def test_markdown_escapes_paragraphs_that_look_like_markup() -> None:
    blocks = layout_blocks("<p># not a heading</p><p>1. not an item</p><p>plain</p>")
    md, spans = render(blocks, [True] * 3, markdown=True)
    assert md == "\\# not a heading\n\n\\1. not an item\n\nplain"
    assert md[spans[0][0] : spans[0][1]] == "# not a heading"
    assert render(blocks, [True] * 3)[0].startswith("# not a heading\n")
