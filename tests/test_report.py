"""``detector report``: the three files, escaping, resuming, errors and a killed run."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from detector.cli import main
from detector.inputs.sources import count_inputs, iter_inputs
from detector.report.command import run_report
from detector.report.html import LABEL_CODES, render_report
from detector.report.progress import Progress
from detector.report.stats import build_stats, error_reason, histogram
from detector.report.store import (
    ResultStore,
    expand_texts,
    iter_records,
    reference_texts,
    repair,
)

FILES = ("results.jsonl", "stats.json", "report.html")


def report(*args: str):
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def records(out: Path) -> list[dict]:
    return list(iter_records(out / "results.jsonl"))


def small_docs(folder: Path, count: int, start: int = 0) -> list[str]:
    """``count`` short text articles with a menu line and a call to action."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(start, start + count):
        name = f"doc_{i:03d}.txt"
        (folder / name).write_text(
            f"World | Business | Sport\n\nTown council {i} approves a new budget\n\n"
            f"The council of town number {i} voted on Tuesday to fund its library, two schools "
            f"and the repair of {i + 3} bridges, the mayor told reporters after the meeting.\n\n"
            "Opposition members said the plan came too late, but supported it in the end.\n\n"
            "Show More\n",
            encoding="utf-8",
        )
        names.append(name)
    return names


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def page_details(page: str) -> list[dict]:
    """The documents' details, from the page's JSON data elements, in row order."""
    chunks = re.findall(r'<script type="application/json" id="d-(\d+)">(.*?)</script>', page, re.S)
    assert [int(n) for n, _ in chunks] == list(range(len(chunks)))
    for _, data in chunks:
        assert "<" not in data  # nothing in the data can end its element
    return [d for _, data in chunks for d in json.loads(data)]


def assert_offline(page: str) -> None:
    """No script, style, font or image is loaded from anywhere."""
    tags = parse(page).tags
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in tags if "src" in a]
    assert not [a for t, a in tags if (a.get("href") or "#").split("#")[0]]  # in-page links only
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy


# -- end to end, with the shipped models ------------------------------------------


def test_seeds_report_writes_three_files(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = report(*seeds, "--out", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    assert all((out / name).is_file() for name in FILES)

    recs = {Path(r["id"]).name[:3]: r for r in records(out)}
    assert sorted(recs) == ["000", "001", "002", "003", "004"]
    for rec in recs.values():
        assert rec["status"] == "ok" and rec["source"].endswith(".txt")
        assert rec["content_sha256"] and rec["config_sha256"] and rec["blocks"]
        assert isinstance(rec["filler_score"], float)
    # seed 004 is mostly flagged; seed 000's "Show More" is removed
    blocks_004 = recs["004"]["blocks"]
    generated = sum(len(b["text"]) for b in blocks_004 if b["label"] == "generated")
    assert generated > 0.5 * sum(len(b["text"]) for b in blocks_004)
    show_more = [b for b in recs["000"]["blocks"] if b["text"] == "Show More"]
    assert show_more and show_more[0]["label"] == "boilerplate"

    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"]["total"] == 5 and stats["errors"]["total"] == 0
    assert set(stats["models"]) >= {"cleaner", "filler"}
    assert all(len(m["sha256"]) == 64 for m in stats["models"].values())
    assert sum(stats["filler_score"]["histogram"]["counts"]) == 5
    assert stats["blocks"]["total"] == sum(len(r["blocks"]) for r in recs.values())

    page = (out / "report.html").read_text(encoding="utf-8")
    assert_offline(page)
    tags = parse(page).tags
    assert sum(1 for t, _ in tags if t == "svg") >= 3
    rows = [a for t, a in tags if t == "tr" and "data-i" in a]
    assert len(rows) == 5 and {a["data-status"] for a in rows} == {"ok"}
    details = page_details(page)
    assert len(details) == 5
    labels = {b[0] for d in details for b in d["b"]}
    assert {LABEL_CODES["boilerplate"], LABEL_CODES["generated"]} <= labels


HOSTILE_ID = 'x"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    "Council approves the library budget after a long debate\n\n"
    "<script>alert('pwned')</script> was found pasted into the article body, the paper said "
    "on Monday, and the editors removed it.\n\n"
    'Readers also saw "><img src=x onerror=alert(2)> in the comments under the article, '
    "which the moderators deleted within the hour.\n"
)
HOSTILE_PAGE = (
    "<html><head><title>&lt;script&gt;alert(5)&lt;/script&gt;</title></head><body>"
    "<nav>Home | News</nav><article><h1>A page about markup</h1><p>The example "
    "&lt;script&gt;alert(3)&lt;/script&gt; is shown as text in this paragraph of the "
    "article, which goes on for a while so that it counts as content.</p><p>And "
    "&quot;&gt;&lt;img src=x onerror=alert(4)&gt; too, in a second paragraph that is long "
    "enough to be kept by the cleaner.</p></article></body></html>"
)


def test_report_shows_scraped_markup_only_escaped(tmp_path: Path) -> None:
    source = tmp_path / "pages.jsonl"
    lines = [
        {"id": HOSTILE_ID, "text": HOSTILE_TEXT, "url": "javascript:alert(6)"},
        {"id": "<script>alert(7)</script>", "html": HOSTILE_PAGE},
    ]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out"
    result = report(str(source), "--out", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")

    tags = parse(page).tags
    scripts = [a for t, a in tags if t == "script"]
    assert scripts.count({}) == 1  # ours, with no attributes; the rest are data
    assert all(a == {} or a.get("type") == "application/json" for a in scripts)
    assert not [t for t, _ in tags if t == "img"]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert "javascript:" not in " ".join(str(v) for _, a in tags for v in a.values() if v != "")
    for raw in ("<script>alert(", "<img src=x", '"><img'):
        assert raw not in page
    texts = [b[2] for d in page_details(page) for b in d["b"]]  # set as text by the script
    assert any("<script>alert('pwned')</script>" in t for t in texts)
    assert any('"><img src=x onerror=alert(2)>' in t for t in texts)
    assert any("<script>alert(3)</script>" in t for t in texts)  # from the HTML page's text
    assert "x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page  # the id
    assert_offline(page)


@pytest.mark.slow
def test_rerun_skips_done_documents_and_redoes_changed_ones(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    small_docs(docs, 3)
    assert report(str(docs), "--out", str(out), "-j", "1").exit_code == 0
    first = {r["id"]: r for r in records(out)}
    assert sorted(first) == ["doc_000.txt", "doc_001.txt", "doc_002.txt"]

    result = report(str(docs), "--out", str(out), "-j", "1")
    assert "0 processed" in result.output and "3 already done" in result.output
    assert records(out) == list(first.values())

    (docs / "doc_001.txt").write_text("Short changed text about the budget vote.\n")
    small_docs(docs, 1, start=3)
    result = report(str(docs), "--out", str(out), "-j", "1")
    assert "2 processed" in result.output and "2 already done" in result.output
    again = {r["id"]: r for r in records(out)}
    assert len(records(out)) == len(again) == 4
    assert again["doc_001.txt"]["content_sha256"] != first["doc_001.txt"]["content_sha256"]

    result = report(str(docs), "--out", str(out), "-j", "1", "--force")
    assert "4 processed" in result.output
    assert Counter(r["id"] for r in records(out)) == Counter(list(again))
    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"]["total"] == 4 and stats["run"]["processed"] == 4


@pytest.mark.slow
def test_partial_last_line_is_cut_and_the_run_completes(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    small_docs(docs, 2)
    assert report(str(docs), "--out", str(out), "-j", "1").exit_code == 0
    with open(out / "results.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"id": "doc_001.txt", "status": "ok", "text": "half a rec')
    small_docs(docs, 1, start=2)
    result = report(str(docs), "--out", str(out), "-j", "1")
    assert result.exit_code == 0 and "1 processed" in result.output
    assert sorted(r["id"] for r in records(out)) == ["doc_000.txt", "doc_001.txt", "doc_002.txt"]
    assert (out / "results.jsonl").read_bytes().endswith(b"}\n")


def test_failed_inputs_are_records_with_reasons_and_exit_1(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    small_docs(docs, 1)
    (docs / "binary.html").write_bytes(bytes(range(256)) * 40)
    (docs / "big.txt").write_text("word " * 3000)
    result = report(str(docs), "--out", str(out), "-j", "1", "--max-bytes", "10000")
    assert result.exit_code == 1
    recs = {r["id"]: r for r in records(out)}
    assert recs["doc_000.txt"]["status"] == "ok"
    assert recs["binary.html"]["status"] == "error" and recs["binary.html"]["error"]
    assert "--max-bytes" in recs["big.txt"]["error"]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"] == {**stats["documents"], "total": 3, "ok": 1, "error": 2}
    assert sum(stats["errors"]["by_reason"].values()) == 2
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Errors by reason" in page and "--max-bytes" in page


@pytest.mark.slow
def test_timed_out_documents_fail_alone_and_are_retried_by_a_rerun(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    small_docs(docs, 2)
    result = report(str(docs), "--out", str(out), "-j", "1", "--timeout", "0.001")
    assert result.exit_code == 1
    assert {r["error"] for r in records(out)} == {"timeout after 0.001s"}
    result = report(str(docs), "--out", str(out), "-j", "1")
    assert result.exit_code == 0 and "2 processed" in result.output
    assert {r["status"] for r in records(out)} == {"ok"}


@pytest.mark.slow
def test_killed_run_resumes_with_every_document_exactly_once(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    names = small_docs(docs, 30)
    entry = "from detector.cli import main; main()"
    command = [sys.executable, "-c", entry, "report", str(docs), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [*command, "-j", "1"], env=env, stderr=subprocess.DEVNULL, start_new_session=True
    )
    results = out / "results.jsonl"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if results.exists() and results.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        time.sleep(0.5)  # let the orphaned worker notice and leave
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    done_before = results.read_bytes().count(b"\n")
    assert 3 <= done_before < 30
    assert not (out / "report.html").exists()

    finished = subprocess.run([*command, "-j", "1"], env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert Counter(r["id"] for r in records(out)) == Counter(names)
    assert "already done" in finished.stderr
    assert (out / "report.html").is_file() and (out / "stats.json").is_file()


# -- the parts, without models ----------------------------------------------------


def fake_record(i: int, **extra: object) -> dict:
    blocks = [
        {
            "text": "Menu | Home",
            "kind": "paragraph",
            "label": "boilerplate",
            "p_content": 0.1,
            "p_boilerplate": 0.9,
            "p_seo_filler": 0.0,
        },
        {
            "text": f"Article {i} text with words",
            "kind": "paragraph",
            "label": "content",
            "p_content": 0.9,
            "p_boilerplate": 0.1,
            "p_seo_filler": 0.0,
            "p_generated": 0.2,
            "section": 0,
            "evidence": [],
        },
    ]
    record = {
        "id": f"d{i}",
        "status": "ok",
        "error": None,
        "mode": "text",
        "text": "",
        "filler_score": i / 10,
        "sections": [],
        "blocks": blocks,
        "source": f"d{i}.txt",
        "content_sha256": f"h{i}",
        "config_sha256": "c",
        "seconds": 0.1,
        "input_chars": 40,
    }
    record.update(extra)
    return record


def test_stats_count_labels_removed_text_scores_and_errors() -> None:
    recs = [fake_record(i) for i in range(10)]
    recs.append({"id": "bad", "status": "error", "error": "input exceeds --max-bytes (9 > 5)"})
    stats = build_stats(recs, threshold=0.5, run={"run": {"jobs": 2}})
    assert stats["documents"]["total"] == 11 and stats["documents"]["error"] == 1
    assert stats["blocks"]["by_label"]["boilerplate"] == 10
    assert stats["tokens"]["by_label"]["boilerplate"] == 20
    assert stats["filler_score"]["histogram"]["counts"][0] == 1
    assert stats["filler_score"]["above_threshold"] == 4  # 0.6 .. 0.9
    assert stats["errors"]["by_reason"] == {"input exceeds --max-bytes (N > N)": 1}
    assert 0 < stats["removed"]["share_of_chars"] < 1
    assert stats["run"] == {"jobs": 2}


def test_histogram_and_error_reasons() -> None:
    assert histogram([0.0, 0.05, 0.5, 1.0], 10) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert (
        error_reason("line 12: invalid JSON (Expecting value)") == "invalid JSON (Expecting value)"
    )
    assert error_reason("timeout after 30s") == "timeout after Ns"


def test_render_limits_rows_and_escapes() -> None:
    recs = [fake_record(i) for i in range(30)]
    recs.append(
        fake_record(99, id="<b>bold</b>", blocks=[{"text": "<i>x</i>", "label": "content"}])
    )
    page = render_report(recs, build_stats(recs), max_rows=10)
    tags = parse(page).tags
    assert sum(1 for t, a in tags if t == "tr" and "data-id" in a) == 10
    assert len(page_details(page)) == 10
    assert "10 of 31 documents" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<i>x</i>" not in page


def test_every_row_opens_its_detail_and_the_page_grows_by_little_per_document() -> None:
    def page_for(count: int) -> str:
        recs = [fake_record(i, id=f"doc {i}") for i in range(count)]
        recs.append({"id": "broken", "status": "error", "error": "empty input"})
        return render_report(recs, build_stats(recs))

    page = page_for(300)
    tags = parse(page).tags
    rows = [a for t, a in tags if t == "tr" and "data-i" in a]
    details = page_details(page)
    assert len(rows) == len(details) == 301
    assert sorted(int(a["data-i"]) for a in rows) == list(range(301))
    assert [a.get("class") for t, a in tags if t == "button"].count("open") == 301
    for row in rows:  # each row's detail is the document's own
        detail = details[int(row["data-i"])]
        if row["data-id"] == "broken":
            assert row["data-status"] == "error" and "empty input" in detail["w"]
            continue
        assert row["data-status"] == "ok"
        number = row["data-id"].split()[1]
        assert [b[2] for b in detail["b"]] == ["Menu | Home", f"Article {number} text with words"]
        assert f"source d{number}.txt" in detail["w"] and "mode text" in detail["w"]
    # status column: ok or error, never the mode
    cells = re.findall(r'<tr[^>]*data-i="\d+"[^>]*><td class="id">.*?</td><td>(.*?)</td>', page)
    assert len(cells) == 301 and Counter(c[:5] for c in cells) == {"ok": 300, "<span": 1}
    # the page grows by a bounded amount per document: ~60 bytes of text each here
    per_document = (len(page) - len(page_for(100))) / 200
    assert per_document < 800, per_document


def test_details_data_cannot_close_its_element() -> None:
    hostile = "</script><script>alert(1)</script><!-- </SCRIPT "
    rec = fake_record(
        1,
        id=hostile,
        metadata={"title": hostile},
        blocks=[{"text": hostile, "label": "generated", "section": 0, "evidence": [hostile]}],
        sections=[{"index": 0, "p_generated": 0.9, "evidence": [hostile]}],
    )
    page = render_report([rec], build_stats([rec]))
    assert parse(page).tags.count(("script", {})) == 1
    assert "<script>alert(1)" not in page and "</SCRIPT " not in page
    (detail,) = page_details(page)
    assert detail["b"][0][2] == hostile and detail["s"]["0"][1] == hostile
    assert hostile in detail["w"]


def test_store_repair_and_compact(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    lines = [fake_record(1), fake_record(2), fake_record(1, text="newer"), fake_record(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines) + '{"id": "cut', encoding="utf-8")
    assert repair(path) == len('{"id": "cut')
    store = ResultStore(path, "c").open()
    assert store.is_done(("d1", "h1")) and store.is_done(("d3", "h3"))
    store.append(fake_record(4))
    assert store.compact({("d1", "h1"), ("d4", "h4")}) == 2
    store.close()
    kept = list(iter_records(path))
    assert [r["id"] for r in kept] == ["d1", "d4"] and kept[0]["text"] == "newer"


STUB_DOM = r"""
const fs = require("fs");
const page = fs.readFileSync(0, "utf8");
const script = page.match(/<script>([\s\S]*?)<\/script>/)[1];
const data = {};
const chunk = /<script type="application\/json" id="(d-\d+)">([\s\S]*?)<\/script>/g;
for (const m of page.matchAll(chunk)) data[m[1]] = m[2];
class El {
  constructor(tag) { this.tag = tag; this.children = []; this.attrs = {}; this.textContent = ""; }
  appendChild(c) { this.children.push(c); c.parentNode = this; return c; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  removeAttribute(k) { delete this.attrs[k]; }
  addEventListener(type, f) { this["on" + type] = f; }
  remove() { this.removed = true; }
  closest(sel) {
    let e = this;
    while (e && e.tag !== sel.split(".")[0]) e = e.parentNode;
    return e;
  }
}
const rows = [...page.matchAll(/<tr[^>]*data-i="(\d+)"[^>]*data-id="([^"]*)"/g)].map(m => {
  const r = new El("tr");
  r.attrs = {"data-i": m[1], "data-id": m[2], "data-score": "0", "data-status": "ok"};
  r.cells = new Array(8);
  r.button = new El("button"); r.button.parentNode = r;
  r.querySelector = () => r.button;
  return r;
});
const body = new El("tbody");
body.rows = rows; rows.forEach(r => { r.parentNode = body; });
body.insertBefore = (c, ref) => { c.parentNode = body; c.inserted = true; };
const head = new El("thead"); head.rows = [{cells: []}];
const table = new El("table"); table.tBodies = [body]; table.tHead = head;
const inputs = {"f-q": {value: ""}, "f-min": {value: "0"}, "f-status": {value: "all"},
  "f-min-v": {}, "f-shown": {}};
for (const k in inputs) inputs[k].addEventListener = () => {};
global.document = {
  getElementById: id => id === "docs" ? table : inputs[id] ||
    (id in data ? {textContent: data[id]} : null),
  createElement: tag => new El(tag),
};
eval(script);
const texts = el => [el].concat(...el.children.map(texts));
const out = {};
rows.forEach(r => {
  if (!r.detailRow) body.onclick({target: r.button});
  const all = texts(r.detailRow);
  out[r.attrs["data-id"]] = {
    expanded: r.button.getAttribute("aria-expanded"),
    blocks: all.filter(e => /^b l-/.test(e.className || "")).map(e => [e.className, e.textContent]),
    where: all.filter(e => e.className === "docmeta").map(e => e.textContent),
  };
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="needs node to run the page's script")
def test_page_script_renders_each_opened_rows_document_as_text(tmp_path: Path) -> None:
    recs = [fake_record(i, id=f"doc {i}") for i in range(300)]
    recs.append(
        fake_record(300, id="x</script>", blocks=[{"text": "<b>t</b>", "label": "generated"}])
    )
    page = render_report(recs, build_stats(recs))
    run = subprocess.run(
        ["node", "-e", STUB_DOM], input=page, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert len(shown) == 301
    for i in range(300):
        doc = shown[f"doc {i}"]
        assert doc["expanded"] == "true"
        assert doc["blocks"] == [
            ["b l-boilerplate k-paragraph", "Menu | Home"],
            ["b l-content k-paragraph", f"Article {i} text with words"],
        ]
        assert doc["where"] and f"d{i}.txt" in doc["where"][0]
    assert shown["x&lt;/script&gt;"]["blocks"] == [["b l-generated k-paragraph", "<b>t</b>"]]


# -- progress -----------------------------------------------------------------------


def test_inputs_are_counted_for_the_total_when_cheap(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    small_docs(docs, 4)
    (docs / "sub").mkdir()
    (docs / "sub" / "page.php").write_text("<html><body><p>Saved page</p></body></html>")
    (docs / "style.css").write_text("p{}")
    (docs / ".hidden.txt").write_text("hidden")
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}')  # no final newline
    inputs = [str(docs), str(lines), "https://example.org/a"]
    assert count_inputs(inputs) == 4 + 1 + 2 + 1
    assert count_inputs(inputs) == sum(1 for _ in iter_inputs(inputs[:2])) + 1
    assert count_inputs([str(docs), "-"]) is None
    (tmp_path / "w.warc").write_bytes(b"WARC/1.0\r\n")
    assert count_inputs([str(tmp_path / "w.warc")]) is None
    assert count_inputs([str(docs)], budget_seconds=-1) is None


def test_plain_progress_lines_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    small_docs(docs, 4)
    run_report([str(docs)], out, jobs=1, progress_interval=0.0)
    lines = capsys.readouterr().err.splitlines()
    progress = [line for line in lines if line.startswith("detector: report: ")]
    assert len(progress) == 4, lines
    assert progress[0].startswith("detector: report: 1/4 documents (25%), ")
    assert "docs/s" in progress[0] and " left" in progress[0]
    assert progress[-1].startswith("detector: report: 4/4 documents (100%)")
    assert not any("\r" in line for line in lines)  # no bar in a log

    small_docs(docs, 1, start=4)  # a rerun: 4 already done come off the total
    run_report([str(docs)], out, jobs=1, progress_interval=0.0)
    progress = [line for line in capsys.readouterr().err.splitlines() if "report: " in line]
    assert len(progress) == 1 and progress[0].startswith("detector: report: 1/1 documents")
    assert progress[0].endswith("4 already done")

    run_report([str(docs)], out, jobs=1, progress=False, force=True, progress_interval=0.0)
    assert capsys.readouterr().err == ""


def test_progress_line_and_bar_show_total_and_time_left() -> None:
    stream = io.StringIO()
    lines = Progress("lines", 2000, interval=3600, stream=stream)
    lines.started -= 100.0
    for _ in range(400):
        lines.advance()
    assert stream.getvalue() == ""  # not yet an interval
    line = lines.line(lines.started + 100.0)
    assert line == "detector: report: 400/2,000 documents (20%), 4.0 docs/s, about 6m 40s left"
    assert Progress("lines", None).line().startswith("detector: report: 0 documents, ")

    stream = io.StringIO()
    bar = Progress("bar", 10, stream=stream)
    bar.passed_over()
    bar.advance()
    bar.close()
    assert "1/9" in stream.getvalue() and "done_before=1" in stream.getvalue()


def test_layout_wraps_names_and_holds_at_800_px() -> None:
    recs = [fake_record(1, id="a-very-long-document-name-" * 8)]
    page = render_report(recs, build_stats(recs))
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "break-all" not in css  # names wrap where they can, not mid-word everywhere
    assert re.search(r"td\.id\{[^}]*overflow-wrap:anywhere", css)
    narrow = re.search(r"@media \(max-width:(\d+)px\)\{(.*)\}", css, re.S)
    assert narrow and int(narrow.group(1)) >= 800
    rules = narrow.group(2)
    assert "table-layout:fixed" in rules and ".tablewrap{overflow-x:hidden}" in rules
    assert "th{white-space:normal}" in rules


# -- results.jsonl size -------------------------------------------------------------


def test_block_texts_are_referenced_unless_full_texts(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    small_docs(docs, 6)
    (docs / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    short, full = tmp_path / "short", tmp_path / "full"
    assert report(str(docs), "--out", str(short), "-j", "1").exit_code == 0
    assert report(str(docs), "--out", str(full), "-j", "1", "--full-texts").exit_code == 0

    def raw(out: Path) -> list[dict]:
        lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    referenced = [b for r in raw(short) for b in r["blocks"] if "text_at" in b]
    assert len(referenced) >= 12 and not any("text" in b for b in referenced)
    assert not [b for r in raw(full) for b in r["blocks"] if "text_at" in b]
    for r in raw(short):  # the offsets slice the record's own text
        for b in r["blocks"]:
            if "text_at" in b:
                start, end = b["text_at"]
                assert r["text"][start:end].strip() == r["text"][start:end]

    def comparable(out: Path) -> dict[str, list]:
        return {r["id"]: r["blocks"] for r in records(out)}

    assert comparable(short) == comparable(full)  # the reader rebuilds every text
    input_bytes = sum(p.stat().st_size for p in docs.iterdir())
    short_bytes = (short / "results.jsonl").stat().st_size
    full_bytes = (full / "results.jsonl").stat().st_size
    assert short_bytes < full_bytes
    stats = [json.loads((o / "stats.json").read_text()) for o in (short, full)]
    for key in ("documents", "blocks", "tokens", "removed", "filler_score"):
        assert stats[0][key] == stats[1][key]
    details = [page_details((o / "report.html").read_text(encoding="utf-8")) for o in (short, full)]
    assert details[0] == details[1]
    print(f"input {input_bytes} B, results {short_bytes} B, with --full-texts {full_bytes} B")

    # resuming reads referenced records as done
    result = report(str(docs), "--out", str(short), "-j", "1")
    assert "0 processed" in result.output and "7 already done" in result.output


def test_reference_texts_round_trip() -> None:
    rec = fake_record(1, text="Article 1 text with words\n\nand a second kept paragraph here")
    rec["blocks"].append({"text": "and a second kept paragraph here", "label": "content"})
    original = json.loads(json.dumps(rec))
    assert reference_texts(rec) == 2
    assert rec["blocks"][1]["text_at"] == [0, 25] and rec["blocks"][2]["text_at"] == [27, 59]
    assert rec["blocks"][0]["text"] == "Menu | Home"  # short, and not in the text
    assert expand_texts(rec) == original


def test_report_of_300_documents_opens_every_one(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    names = small_docs(docs, 300)
    result = report(str(docs), "--out", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    details = page_details(page)
    rows = [a for t, a in parse(page).tags if t == "tr" and "data-i" in a]
    assert sorted(a["data-id"] for a in rows) == names
    for row in rows:
        detail = details[int(row["data-i"])]
        number = int(row["data-id"][4:7])
        assert f"Town council {number} approves a new budget" in [b[2] for b in detail["b"]]
        assert row["data-status"] == "ok"
    assert len(page) / 300 < 2000, len(page)  # measured: 1,671 bytes per document
