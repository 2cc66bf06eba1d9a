"""Rendering HTML into visible-text lines."""

from __future__ import annotations

from detector.html_mode.render import parse_html, render_lines, render_tree


def test_block_elements_get_lines_of_their_own() -> None:
    html = "<div>intro<p>first <b>bold</b> para</p>tail</div><ul><li>one</li><li>two</li></ul>"
    assert render_lines(f"<html><body><h1>Title</h1>{html}</body></html>") == [
        "Title",
        "intro",
        "first bold para",
        "tail",
        "one",
        "two",
    ]


def test_br_breaks_lines_and_whitespace_collapses() -> None:
    html = "<p>  line\n one&nbsp;&nbsp;here<br>line two </p><p>   </p><div>\t</div>"
    assert render_lines(html) == ["line one here", "line two"]


def test_table_rows_are_lines_with_cells_joined() -> None:
    html = "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Bob</td><td>42</td></tr></table>"
    assert render_lines(html) == ["Name | Age", "Bob | 42"]


def test_pre_keeps_its_line_breaks() -> None:
    assert render_lines("<pre>a = 1\n\nb  =  2</pre>") == ["a = 1", "b = 2"]


def test_invisible_elements_are_dropped() -> None:
    html = """<html><head><title>T</title><style>p {}</style></head><body>
    <script>var x = "<p>no</p>";</script><noscript>enable js</noscript>
    <template><p>tpl</p></template><svg><text>svg</text></svg><iframe>frame</iframe>
    <p hidden>attr</p><p aria-hidden="true">aria</p>
    <div style="color: red; display : none">css</div>
    <p>kept <span class="sr-only">screen reader</span>text</p><select><option>opt</option></select>
    </body></html>"""
    assert render_lines(html) == ["kept text"]


def test_text_after_a_dropped_element_is_kept() -> None:
    assert render_lines("<p>before<script>x()</script> after</p>") == ["before after"]


def test_adjacent_links_do_not_glue_words() -> None:
    html = '<nav><a href="/">Home</a><a href="/a">About</a></nav><p>see <a>this</a>, ok</p>'
    assert render_lines(html) == ["Home About", "see this, ok"]


def test_broken_markup_is_rendered() -> None:
    assert render_lines("<p>one<p>two<div>three</span>") == ["one", "two", "three"]


def test_empty_and_plain_inputs() -> None:
    assert render_lines("") == []
    assert render_lines("   ") == []
    assert render_lines("just text") == ["just text"]


def test_encoding_declaration_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Grüße</p></body></html>'
    assert render_lines(html) == ["Grüße"]


def test_deep_nesting_keeps_all_text() -> None:
    for depth in (1000, 5000):
        html = (
            "<html><body><p>before</p>"
            + "<div><span>x</span>" * depth
            + "<p>deep text</p>"
            + "</div>" * depth
            + "<p>after</p></body></html>"
        )
        lines = render_lines(html)
        assert lines[0] == "before"
        assert lines[-2:] == ["deep text", "after"]
        assert lines.count("x") == depth


def test_render_tree_reports_the_block_element() -> None:
    root = parse_html("<html><body><div><p>a</p><p>b<br>c</p></div></body></html>")
    lines = render_tree(root)
    assert [(line.text, line.tag, line.path) for line in lines] == [
        ("a", "p", "/html/body/div/p[1]"),
        ("b", "p", "/html/body/div/p[2]"),
        ("c", "p", "/html/body/div/p[2]"),
    ]
    assert render_tree(None) == []


def test_concealed_element_holding_the_page_is_rendered() -> None:
    article = "<p>" + "A long forum post that is the whole content of this page. " * 5 + "</p>"
    for wrapper in ("<noscript>{}</noscript>", '<div style="visibility:hidden">{}</div>'):
        html = f"<html><body><nav>Menu</nav>{wrapper.format(article)}</body></html>"
        assert len(render_lines(html)) == 2


def test_streamed_react_boundary_is_rendered() -> None:
    html = '<body><p>Shell text</p><div hidden id="S:0"><p>Streamed part</p></div></body>'
    assert render_lines(html) == ["Shell text", "Streamed part"]
