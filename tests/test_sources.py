"""Reading inputs: files, folders, stdin, JSONL and WARC, every failure an item."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from detector.inputs.sources import InputItem, iter_inputs

RUSSIAN = "Москва является столицей России и крупнейшим городом страны."


def read(paths: list[str], **options: object) -> list[InputItem]:
    return list(iter_inputs(paths, **options))  # type: ignore[arg-type]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- single files and folders -------------------------------------------------


def test_single_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.html", RUSSIAN.encode("windows-1251"))
    [item] = read([str(path)])
    assert (item.id, item.source, item.text) == (str(path), str(path), RUSSIAN)
    assert (item.mode_hint, item.error, item.raw_size) == ("html", None, len(RUSSIAN))


def test_explicit_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / ".hidden.dat", "some text")
    [item] = read([str(path)])
    assert item.text == "some text" and item.mode_hint is None


def test_folder_walk_is_sorted_recursive_and_sniffs_unknown_names(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "README",
        "page.htm",
        "sub/z.xhtml",
        "sub/deeper/x.text",
        "c.html.gz",
        "image.png",
        "data.csv",
        "notes.log",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/y.txt",
    ]:
        data = gzip.compress(b"<p>zipped</p>") if name.endswith(".gz") else f"text of {name}"
        if name == "image.png":
            data = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
        write(tmp_path / name, data)
    skipped: Counter[str] = Counter()
    items = list(iter_inputs([str(tmp_path)], skipped=skipped))
    assert [i.id for i in items] == [
        "README",
        "a.md",
        "b.txt",
        "c.html.gz",
        "notes.log",  # not a known extension: read because its content is text
        "page.htm",
        "sub/deeper/x.text",
        "sub/z.xhtml",
    ]
    assert all(i.error is None for i in items)
    assert skipped == {"binary (PNG)": 1, "hidden": 3, "not a document (.csv)": 1}
    by_id = {i.id: i for i in items}
    assert by_id["c.html.gz"].text == "<p>zipped</p>"
    assert by_id["c.html.gz"].mode_hint == "html"
    assert by_id["b.txt"].mode_hint == "text" and by_id["README"].mode_hint is None
    assert by_id["sub/z.xhtml"].source == str(tmp_path / "sub" / "z.xhtml")


def test_folder_reads_saved_pages_and_warc_by_content(tmp_path: Path) -> None:
    page = b"<!doctype html><html><body><p>saved page</p></body></html>"
    write(tmp_path / "index.php", page)
    write(tmp_path / "article.aspx", page)
    write(tmp_path / "noext", gzip.compress(page))
    write(tmp_path / "blob.bin", bytes(range(256)) * 4)
    warc_file(tmp_path / "crawl.dat")
    skipped: Counter[str] = Counter()
    items = list(iter_inputs([str(tmp_path)], skipped=skipped))
    texts = {i.id: i.text for i in items}
    assert texts["index.php"] == texts["article.aspx"] == page.decode()
    assert texts["noext"] == page.decode()
    assert any(i.source.startswith(str(tmp_path / "crawl.dat") + "@") for i in items)
    assert "blob.bin" not in texts
    assert [k for k in skipped if k.startswith("binary")] == ["binary (control bytes)"]
    # the WARC's 404 and image responses are counted, its request and warcinfo are not
    assert skipped["WARC response not status 200"] == 1
    assert skipped["WARC response not HTML or text"] == 1


def test_gz_name_without_gzip_content_is_an_error(tmp_path: Path) -> None:
    [item] = read([str(write(tmp_path / "page.html.gz", "<p>not gzipped</p>"))])
    assert item.error is not None and "invalid gzip" in item.error


def test_forced_encoding_decodes_every_document(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "prêt".encode("latin-1"))
    [item] = list(iter_inputs([str(path)], encoding="cp1257"))
    assert item.text == "prźt"
    [item] = list(iter_inputs([str(path)]))
    assert item.text == "prêt"


def test_folder_is_read_lazily(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"{n}.txt", f"document {n}")
    items = iter_inputs([str(tmp_path)])
    first = next(items)
    (tmp_path / "2.txt").unlink()  # not yet read: the walk has not reached it
    rest = list(items)
    assert first.text == "document 0"
    assert [i.id for i in rest] == ["1.txt", "2.txt"]
    assert rest[1].error == "no such file or directory"


def test_nonexistent_path_is_an_error_item_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "fine")
    missing = str(tmp_path / "missing.txt")
    items = read([missing, str(good)])
    assert (items[0].id, items[0].text, items[0].error) == (
        missing,
        None,
        "no such file or directory",
    )
    assert items[1].text == "fine"


def test_oversized_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 2000)
    [item] = read([str(path)], max_bytes=1000)
    assert item.error == "input exceeds --max-bytes (2000 > 1000)"
    assert item.text is None and item.raw_size == 2000


def test_binary_file_is_an_error_item(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(100))
    [item] = read([str(path)])
    assert item.error == "binary input (PDF)" and item.text is None


def test_gzip_bomb_file_is_an_error_item(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.txt.gz", gzip.compress(bytes(20 * 2**20)))
    [item] = read([str(path)], max_decompressed=2**20)
    assert item.error is not None and "decompressed size exceeds limit" in item.error


def test_gzipped_document_is_bounded_by_max_bytes_once_inflated(tmp_path: Path) -> None:
    page = b"<p>" + b"word " * 1000 + b"</p>"
    path = write(tmp_path / "page.html.gz", gzip.compress(page))
    [item] = read([str(path)], max_bytes=len(page) - 1)
    assert item.error is not None and "decompressed size exceeds limit" in item.error
    [item] = read([str(path)], max_bytes=len(page))
    assert item.error is None and item.text == page.decode()


def test_empty_file_gives_empty_text(tmp_path: Path) -> None:
    [item] = read([str(write(tmp_path / "empty.txt", b""))])
    assert item.text == "" and item.error is None


def test_unknown_format_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="unknown input format"):
        iter_inputs(["x"], input_format="csv")


# --- stdin --------------------------------------------------------------------


def test_stdin_is_one_document() -> None:
    [item] = read(["-"], stdin=io.BytesIO(RUSSIAN.encode("utf-16")))
    assert (item.id, item.text, item.mode_hint, item.error) == ("stdin", RUSSIAN, None, None)


def test_oversized_stdin_reads_at_most_the_limit_plus_one() -> None:
    stream = io.BytesIO(b"y" * 5000)
    [item] = read(["-"], stdin=stream, max_bytes=100)
    assert item.error == "input exceeds --max-bytes (more than 100 bytes)"
    assert stream.tell() == 101


def test_gzipped_stdin_is_inflated() -> None:
    [item] = read(["-"], stdin=io.BytesIO(gzip.compress(b"zipped text")))
    assert item.text == "zipped text"


# --- JSONL --------------------------------------------------------------------


def jsonl(*records: object) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return ("\n".join(lines) + "\n").encode()


def test_jsonl_with_broken_lines_keeps_going(tmp_path: Path) -> None:
    data = jsonl(
        {"id": "one", "text": "first\x00 text", "url": "https://example.com/1"},
        "{not json",
        {"id": 7, "html": "<p>second</p>"},
        "",
        {"title": "no body"},
        [1, 2],
        {"content": "alias of text"},
    )
    path = write(tmp_path / "batch.jsonl", data)
    items = read([str(path)])
    summary = [(i.id, i.text, i.mode_hint, i.error is not None) for i in items]
    assert summary == [
        ("one", "first text", "text", False),
        (f"{path}:2", None, None, True),
        ("7", "<p>second</p>", "html", False),
        (f"{path}:5", None, None, True),
        (f"{path}:6", None, None, True),
        (f"{path}:7", "alias of text", "text", False),
    ]
    assert items[0].url == "https://example.com/1" and items[0].source == f"{path}:1"
    assert items[1].error is not None and items[1].error.startswith("line 2: invalid JSON")
    assert items[3].error == "line 5: record has no string 'text', 'html' or 'content'"


def test_gzipped_jsonl_and_ndjson(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl.gz", gzip.compress(jsonl({"id": "a", "text": "from gz"})))
    write(tmp_path / "b.ndjson", jsonl({"id": "b", "text": "from ndjson"}))
    assert [(i.id, i.text) for i in read([str(tmp_path)])] == [
        ("a", "from gz"),
        ("b", "from ndjson"),
    ]


def test_jsonl_ids_in_a_folder_are_relative(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "x.jsonl", jsonl({"text": "no id"}))
    [item] = read([str(tmp_path)])
    assert item.id == "sub/x.jsonl:1"


def test_jsonl_overlong_line_is_an_error_and_skipped(tmp_path: Path) -> None:
    data = jsonl({"id": "big", "text": "z" * 5000}, {"id": "small", "text": "ok"})
    path = write(tmp_path / "x.jsonl", data)
    items = read([str(path)], max_bytes=1000)
    assert items[0].error == "line 1: input exceeds --max-bytes (more than 1000 bytes)"
    assert (items[1].id, items[1].text) == ("small", "ok")


def test_truncated_gzip_jsonl_ends_with_an_error(tmp_path: Path) -> None:
    records = [{"id": str(n), "text": f"record {n} " * 50} for n in range(50)]
    zipped = gzip.compress(jsonl(*records))
    path = write(tmp_path / "x.jsonl.gz", zipped[: len(zipped) // 2])
    items = read([str(path)])
    assert items[-1].error is not None and "invalid gzip data" in items[-1].error
    assert all(i.error is None for i in items[:-1])


def test_jsonl_from_stdin() -> None:
    stdin = io.BytesIO(jsonl({"text": "a"}, {"id": "b", "text": "b"}))
    items = read(["-"], input_format="jsonl", stdin=stdin)
    assert [(i.id, i.source, i.text) for i in items] == [
        ("stdin:1", "stdin:1", "a"),
        ("b", "stdin:2", "b"),
    ]


def test_forced_file_format_reads_jsonl_as_one_document(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", jsonl({"text": "a"}))
    [item] = read([str(path)], input_format="file")
    assert item.text == '{"text": "a"}\n'


# --- WARC ---------------------------------------------------------------------


def http(status: str, content_type: str) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def warc_file(path: Path, *, gzipped: bool = True) -> Path:
    """A WARC with a warcinfo and a request record and four responses of
    which two (a cp1251 HTML page and a plain text page) hold documents."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.test")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            "http://a.test/", "request", payload=io.BytesIO(b""), http_headers=request
        )
    )
    page = f"<html><p>{RUSSIAN}</p></html>".encode("cp1251")
    responses = [
        ("http://a.test/", http("200 OK", "text/html; charset=windows-1251"), page),
        ("http://a.test/404", http("404 Not Found", "text/html"), b"<p>gone</p>"),
        ("http://a.test/logo.png", http("200 OK", "image/png"), b"\x89PNG\r\n\x1a\n"),
        ("http://b.test/", http("200 OK", "text/plain"), b"plain body"),
    ]
    for uri, headers, body in responses:
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return write(path, buffer.getvalue())


@pytest.mark.parametrize(("name", "gzipped"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_responses_are_read(tmp_path: Path, name: str, gzipped: bool) -> None:
    path = warc_file(tmp_path / name, gzipped=gzipped)
    items = read([str(path)])
    assert [(i.id, i.url, i.mode_hint, i.error) for i in items] == [
        ("http://a.test/", "http://a.test/", "html", None),
        ("http://b.test/", "http://b.test/", "text", None),
    ]
    assert items[0].text == f"<html><p>{RUSSIAN}</p></html>"
    assert items[1].text == "plain body"
    offset = int(items[0].source.rpartition("@")[2])
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Target-URI") == "http://a.test/"


def test_warc_from_stdin(tmp_path: Path) -> None:
    data = warc_file(tmp_path / "x.warc.gz").read_bytes()
    items = read(["-"], input_format="warc", stdin=io.BytesIO(data))
    assert [i.id for i in items] == ["http://a.test/", "http://b.test/"]


def test_oversized_warc_record_is_an_error(tmp_path: Path) -> None:
    path = warc_file(tmp_path / "x.warc.gz")
    items = read([str(path)], max_bytes=20)
    assert items[0].error == "input exceeds --max-bytes (more than 20 bytes)"
    assert items[1].text == "plain body"


def test_truncated_warc_record_is_an_error(tmp_path: Path) -> None:
    path = warc_file(tmp_path / "x.warc", gzipped=False)
    data = path.read_bytes()
    write(path, data[: data.rindex(b"plain body") + 5])
    items = read([str(path)])
    assert items[0].error is None
    assert (items[1].id, items[1].error) == ("http://b.test/", "truncated WARC record")


def test_damaged_warc_ends_with_an_error_item(tmp_path: Path) -> None:
    path = warc_file(tmp_path / "x.warc", gzipped=False)
    data = path.read_bytes()
    cut = data.index(b"WARC/1.0", data.index(b"http://a.test/404") - 300)
    write(path, data[:cut] + b"garbage line\r\n" + data[cut:])
    items = read([str(path)])
    assert items[0].id == "http://a.test/"
    assert (items[-1].id, items[-1].error) == (str(path), "invalid WARC: Invalid WARC record")


def test_non_warc_file_named_warc_is_an_error_item(tmp_path: Path) -> None:
    path = write(tmp_path / "x.warc", "<html>not a crawl</html>")
    [item] = read([str(path)])
    assert item.error == "invalid WARC: Unknown archive format"
