"""A folder of mixed documents built from what the repository ships, for report tests.

Scraped page texts (``corpus/cleaner.jsonl.gz``), human and machine-written
articles (``corpus/filler.jsonl.gz``, as files and as one JSONL file), HTML
pages rebuilt from the DOM paths of ``corpus/html.jsonl.gz`` (as files and as
records of one WARC file), the HTML fixtures of ``tests/fixtures``, the seeds,
and bad inputs: empty files and ``.gz`` files that are not gzip (documents
that fail) and binary files (skipped). Nothing comes from ``../shared``.

    python tests/mixed_batch.py DIR [DOCUMENTS]    # build one, e.g. for make report
"""

from __future__ import annotations

import gzip
import html
import io
import itertools
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"

_STEP = re.compile(r"([A-Za-z][\w-]*)(?:\[(\d+)\])?$")


@dataclass
class Batch:
    """What :func:`build` wrote: the folder and how many documents of each kind."""

    folder: Path
    kinds: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    @property
    def documents(self) -> int:
        return sum(self.kinds.values())

    @property
    def input_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


def _records(name: str) -> Iterator[dict]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "blocks" in record or "text" in record:
                yield record


def _spread(records: Iterator[dict], count: int, every: int) -> list[dict]:
    """``count`` records, one in ``every``, so that many sites and sources come in."""
    return list(itertools.islice(itertools.islice(records, 0, None, every), count))


def page_from_blocks(record: dict) -> str:
    """An HTML page with the element structure of a corpus page: each block's text
    in an element at the block's XPath (``/html/body/div[2]/ul/li[3]``)."""
    root: dict = {}
    for block in record["blocks"]:
        text, path = block[0], block[1]
        node = root
        for step in path.strip("/").split("/")[2:]:  # below /html/body
            match = _STEP.match(step)
            if not match:
                break
            key = (match.group(1).lower(), int(match.group(2) or 1))
            node = node.setdefault(key, {})
        node.setdefault("#text", []).append(text)

    def write(node: dict, out: list[str]) -> None:
        for text in node.get("#text", []):
            out.append(html.escape(text, quote=False))
        for (tag, _), child in ((k, v) for k, v in node.items() if k != "#text"):
            out.append(f"<{tag}>")
            write(child, out)
            out.append(f"</{tag}>\n" if tag in ("div", "p", "li", "ul", "section") else f"</{tag}>")

    body: list[str] = []
    write(root, body)
    title = html.escape(record.get("url") or record["page"])
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head>\n<body>\n{''.join(body)}</body></html>\n"
    )


def _warc(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for url, page in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.encode("utf-8")), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def build(folder: Path, documents: int = 2000) -> Batch:
    """Write about ``documents`` mixed documents into ``folder`` (exactly that many
    from 100 up): 35% scraped page texts, 25% articles (a fifth of them in one
    JSONL file), HTML pages for the rest (a tenth of them in one WARC file), the
    5 seeds, the 5 HTML fixtures, and 1% failing inputs."""
    if documents < 100:
        raise ValueError("a mixed batch needs at least 100 documents")
    folder.mkdir(parents=True, exist_ok=True)
    batch = Batch(folder)
    bad = max(2, documents // 100)
    fixed = 5 + 5 + bad
    n_pages = documents * 35 // 100
    n_articles = documents * 25 // 100
    n_html = documents - fixed - n_pages - n_articles

    text_dir = folder / "text"
    text_dir.mkdir(exist_ok=True)
    for i, record in enumerate(_spread(_records("cleaner.jsonl.gz"), n_pages, 5)):
        (text_dir / f"page_{i:04d}.txt").write_text(record["text"], encoding="utf-8")
    batch.kinds["scraped page text"] = n_pages

    articles = _spread(_records("filler.jsonl.gz"), n_articles, 17)
    in_jsonl = n_articles // 5
    for i, record in enumerate(articles[in_jsonl:]):
        (text_dir / f"article_{i:04d}.txt").write_text(record["text"], encoding="utf-8")
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as handle:
        for record in articles[:in_jsonl]:
            handle.write(json.dumps({"id": record["id"], "text": record["text"]}) + "\n")
    batch.kinds["article"] = n_articles

    html_dir = folder / "html"
    html_dir.mkdir(exist_ok=True)
    pages = [
        (r.get("url") or f"https://example.org/{i}", page_from_blocks(r))
        for i, r in enumerate(_spread(_records("html.jsonl.gz"), n_html, 1))
    ]
    in_warc = n_html // 10
    for i, (_, page) in enumerate(pages[in_warc:]):
        (html_dir / f"page_{i:04d}.html").write_text(page, encoding="utf-8")
    (folder / "crawl.warc").write_bytes(_warc(pages[:in_warc]))
    batch.kinds["html page"] = n_html

    fixtures = folder / "fixtures"
    fixtures.mkdir(exist_ok=True)
    for path in sorted((FIXTURES / "pages").glob("*.html.gz")):
        (fixtures / path.name.removesuffix(".gz")).write_bytes(gzip.decompress(path.read_bytes()))
    (fixtures / "article.html").write_bytes((FIXTURES / "article.html").read_bytes())
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        (fixtures / path.name).write_bytes(path.read_bytes())
    batch.kinds["fixture"] = 10

    bad_dir = folder / "bad"
    bad_dir.mkdir(exist_ok=True)
    for i in range(bad):
        if i % 2:
            (bad_dir / f"empty_{i}.txt").write_bytes(b"")
        else:
            (bad_dir / f"not_gzip_{i}.txt.gz").write_bytes(b"plain text, not gzip\n")
    batch.kinds["failing input"] = bad
    (bad_dir / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    batch.skipped = 1
    return batch


if __name__ == "__main__":
    made = build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
    print(f"{made.documents} documents ({made.kinds}), {made.input_bytes:,} bytes in {made.folder}")
