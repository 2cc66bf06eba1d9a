"""``detector report``: the files it writes, escaping, resuming, errors, a killed
run, and compact records read back in full."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import mixed_batch
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

from detector.cli import main
from detector.inputs.sources import count_inputs, iter_inputs
from detector.report.command import load_results, run_report
from detector.report.compact import (
    compact_record,
    expand_record,
    relative_path,
    resolve_path,
    round_probabilities,
)
from detector.report.html import DETAIL_CHUNK, DETAILS, LABEL_CODES, write_report
from detector.report.progress import Progress
from detector.report.stats import build_stats, error_reason, histogram
from detector.report.store import ResultStore, iter_records, raw_records, repair

FILES = ("results.jsonl", "stats.json", "report.html", DETAILS)


def report(*args: str):
    return CliRunner().invoke(main, ["report", *args], catch_exceptions=False)


def records(out: Path) -> list[dict]:
    """The report's records in full, texts read back from its inputs."""
    return list(load_results(out))


def render(recs: list[dict], folder: Path) -> str:
    """The page of a report of ``recs`` written into ``folder``."""
    return write_report(recs, build_stats(recs), folder).read_text(encoding="utf-8")


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


class Text(HTMLParser):
    """The text of a page as a browser shows it (references decoded), outside its
    scripts and style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.raw = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.raw = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.raw = False

    def handle_data(self, data: str) -> None:
        if not self.raw:
            self.parts.append(data)


def page_text(page: str) -> str:
    parser = Text()
    parser.feed(page)
    return "".join(parser.parts)


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


def page_rows(page: str) -> list[list]:
    """The table's rows, from the page's JSON data element."""
    (data,) = re.findall(r'<script type="application/json" id="rows">(.*?)</script>', page, re.S)
    assert "<" not in data  # nothing in the data can end its element
    return json.loads(data)


def page_details(folder: Path) -> list[dict]:
    """The documents' details, from the detail files beside the page, by index:
    each file is one call of detectorDetails with a JSON literal, nothing else."""
    files = sorted((folder / DETAILS).glob("*.js"), key=lambda p: int(p.stem))
    assert [int(p.stem) for p in files] == list(range(len(files)))
    details = []
    for number, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        match = re.fullmatch(r"detectorDetails\((\d+),(.*)\);\n", text, re.S)
        assert match and int(match.group(1)) == number
        chunk = json.loads(match.group(2))
        assert len(chunk) == DETAIL_CHUNK or path == files[-1]
        details += chunk
    return details


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
    assert all((out / name).exists() for name in FILES)

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
    rows = page_rows(page)
    assert len(rows) == 5 and {r[2] for r in rows} == {0}  # all ok
    details = page_details(out)
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
    texts = [b[2] for d in page_details(out) for b in d["b"]]  # set as text by the script
    assert any("<script>alert('pwned')</script>" in t for t in texts)
    assert any('"><img src=x onerror=alert(2)>' in t for t in texts)
    assert any("<script>alert(3)</script>" in t for t in texts)  # from the HTML page's text
    assert {r[1] for r in page_rows(page)} == {HOSTILE_ID, "<script>alert(7)</script>"}
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


def test_every_document_is_a_row_and_names_are_escaped(tmp_path: Path) -> None:
    recs = [fake_record(i) for i in range(30)]
    recs.append(
        fake_record(99, id="<b>bold</b>", blocks=[{"text": "<i>x</i>", "label": "content"}])
    )
    page = render(recs, tmp_path)
    rows = page_rows(page)
    assert len(rows) == len(page_details(tmp_path)) == 31
    assert "All 31 documents" in page
    assert "<b>bold</b>" not in page and "<i>x</i>" not in page
    assert "<b>bold</b>" in {r[1] for r in rows}  # set as text by the script


def test_every_row_opens_its_detail_and_the_page_grows_by_little_per_document(
    tmp_path: Path,
) -> None:
    def page_for(count: int, folder: Path) -> str:
        recs = [fake_record(i, id=f"doc {i}") for i in range(count)]
        recs.append({"id": "broken", "status": "error", "error": "empty input"})
        return render(recs, folder)

    page = page_for(300, tmp_path / "big")
    rows = page_rows(page)
    details = page_details(tmp_path / "big")
    assert len(rows) == len(details) == 301
    assert sorted(r[0] for r in rows) == list(range(301))
    assert rows[0][1] == "broken"  # failures first, then the highest filler scores
    for row in rows:  # each row's detail is the document's own
        detail = details[row[0]]
        assert detail["w"].startswith(f"document {row[1]}")
        if row[1] == "broken":
            assert row[2:4] == [1, "empty input"] and "error empty input" in detail["w"]
            continue
        assert row[2] == 0
        number = row[1].split()[1]
        assert [b[2] for b in detail["b"]] == ["Menu | Home", f"Article {number} text with words"]
        assert f"source d{number}.txt" in detail["w"] and "mode text" in detail["w"]
    # the page grows by one short row per document; the blocks are in the detail files
    per_document = (len(page) - len(page_for(100, tmp_path / "small"))) / 200
    assert per_document < 80, per_document


def test_details_data_cannot_close_its_element(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script><!-- </SCRIPT \u2028"
    rec = fake_record(
        1,
        id=hostile,
        metadata={"title": hostile},
        blocks=[{"text": hostile, "label": "generated", "section": 0, "evidence": [hostile]}],
        sections=[{"index": 0, "p_generated": 0.9, "evidence": [hostile]}],
    )
    page = render([rec], tmp_path)
    assert parse(page).tags.count(("script", {})) == 1
    assert "<script>alert(1)" not in page and "</SCRIPT " not in page
    assert page_rows(page)[0][1] == hostile
    (detail,) = page_details(tmp_path)  # the file is one call with a JSON literal
    assert detail["b"][0][2] == hostile and detail["s"]["0"][1] == hostile
    assert hostile in detail["w"]
    assert "\u2028" not in (tmp_path / DETAILS / "0.js").read_text(encoding="utf-8")


HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(1)>"


def test_markup_in_every_field_reaches_the_page_and_details_as_text(tmp_path: Path) -> None:
    """Markup in every field that the page or the detail files show (ids,
    source, URL, title, block text, block paths, evidence, errors, the run's
    inputs, options and models) is text there, never markup."""
    h = HOSTILE
    block = {
        "text": f"block {h}",
        "kind": "paragraph",
        "label": "generated",
        "p_content": 0.1,
        "p_boilerplate": 0.0,
        "p_seo_filler": 0.0,
        "p_generated": 0.9,
        "section": 0,
        "evidence": [f"evidence {h}"],
        "path": f"/html/body/{h}",
        "source_start": 3,
        "source_end": 9,
    }
    recs = [
        fake_record(
            1,
            id=f"id {h}",
            source=f"source {h}",
            url=f"url {h}",
            metadata={"title": f"title {h}"},
            blocks=[block],
            sections=[{"index": 0, "p_generated": 0.9, "evidence": [f"section {h}"]}],
        ),
        {"id": f"failed {h}", "status": "error", "error": f"error {h}"},
    ]
    stats = build_stats(recs, threshold=0.5)
    stats["run"] = {
        "inputs": [f"input {h}"],
        "finished": f"finished {h}",
        "options": {f"option {h}": f"value {h}"},
    }
    stats["models"] = {f"model {h}": {"sha256": h}}
    page = write_report(recs, stats, tmp_path, title=f"report {h}").read_text(encoding="utf-8")

    for raw in ("<script>alert", "</script><", "<img", "<\\/script"):
        assert raw not in page, raw
    tags = parse(page).tags
    scripts = [a for t, a in tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "rows"}, {}]
    assert not [t for t, _ in tags if t == "img"]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    text = page_text(page)  # what a reader sees, references decoded
    assert text.count(f"report {h}") == 2  # the title and the heading
    for shown in (f"input {h}", f"finished {h}", f"model {h}", f"option {h}=value {h}"):
        assert shown in text, shown
    assert error_reason(f"error {h}") in text and f"failed {h}" in text  # errors by reason

    rows = {r[1]: r for r in page_rows(page)}
    assert set(rows) == {f"id {h}", f"failed {h}"}
    assert rows[f"failed {h}"][3] == f"error {h}"
    details = page_details(tmp_path)  # each file is one call with a JSON literal
    doc, failed = details[rows[f"id {h}"][0]], details[rows[f"failed {h}"][0]]
    for where in (f"document id {h}", f"source source {h}", f"url url {h}", f"“title {h}”"):
        assert where in doc["w"], where
    [shown_block] = doc["b"]
    assert shown_block[2] == f"block {h}" and shown_block[4] == f"evidence {h}"
    assert shown_block[5] == f"source /html/body/{h} @3–9"
    assert doc["s"] == {"0": [0.9, f"section {h}"]}
    assert f"error error {h}" in failed["w"]


def test_the_policy_allows_the_page_script_alone(tmp_path: Path) -> None:
    """The Content-Security-Policy names the page's one inline script by its
    sha256, which the templates must render exactly as the digest was taken."""
    page = render([fake_record(1)], tmp_path)
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert policy == (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}' 'self'; base-uri 'none'; form-action 'none'"
    )
    assert f'DIR = "{DETAILS}"' in script and f"CHUNK = {DETAIL_CHUNK}" in script
    assert not [mark for mark in ("{{", "{%", "{#") if mark in page]  # no template syntax left


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


def test_layout_wraps_names_and_holds_at_800_px(tmp_path: Path) -> None:
    recs = [fake_record(1, id="a-very-long-document-name-" * 8)]
    page = render(recs, tmp_path)
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "break-all" not in css  # names wrap where they can, not mid-word everywhere
    assert re.search(r"td\.id\{[^}]*overflow-wrap:anywhere", css)
    narrow = re.search(r"@media \(max-width:(\d+)px\)\{(.*)\}", css, re.S)
    assert narrow and int(narrow.group(1)) >= 800
    rules = narrow.group(2)
    assert "table-layout:fixed" in rules and ".tablewrap{overflow-x:hidden}" in rules
    assert "th{white-space:normal}" in rules


# -- results.jsonl: compact records ---------------------------------------------


def test_compact_records_read_back_as_the_full_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    small_docs(docs, 6)
    (docs / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (docs / "article.html").write_text(PLAIN_PAGE, encoding="utf-8")
    (docs / "wrapped.txt").write_text(WRAPPED, encoding="utf-8")
    lines = [{"id": "line 1", "text": HOSTILE_TEXT}]
    (docs / "more.jsonl").write_text(
        "".join(json.dumps(x) + "\n" for x in lines * 2), encoding="utf-8"
    )
    short, full = tmp_path / "short", tmp_path / "full"
    assert report(str(docs), "--out", str(short), "-j", "1").exit_code == 0
    assert report(str(docs), "--out", str(full), "-j", "1", "--full-texts").exit_code == 0

    compact = list(raw_records(short / "results.jsonl"))
    assert len(compact) == 10  # the JSONL line given twice is one document
    assert all(isinstance(b, list) for r in compact for b in r["blocks"])
    assert all("text" not in r for r in compact if r["mode"] == "text")
    [page] = [r for r in compact if r["id"] == "article.html"]
    assert any(isinstance(piece, list) for piece in page["text"])  # offsets into the page
    [wrapped] = [r for r in compact if r["id"] == "wrapped.txt"]
    assert any(len(b) > 6 and isinstance(b[6], str) for b in wrapped["blocks"])  # lines joined
    written_in_full = raw_records(full / "results.jsonl")
    assert all(isinstance(b, dict) for r in written_in_full for b in r["blocks"])

    def comparable(recs: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k not in ("config_sha256", "seconds")} for r in recs]

    rounded = [round_probabilities(r) for r in records(full)]
    assert comparable(records(short)) == comparable(rounded)  # every text read back
    stats = [json.loads((o / "stats.json").read_text()) for o in (short, full)]
    for key in ("documents", "blocks", "tokens", "removed", "filler_score"):
        assert stats[0][key] == stats[1][key]
    texts = [[b[2] for d in page_details(o) for b in d["b"]] for o in (short, full)]
    assert texts[0] == texts[1]
    short_bytes = (short / "results.jsonl").stat().st_size
    full_bytes = (full / "results.jsonl").stat().st_size
    assert short_bytes < full_bytes / 3, (short_bytes, full_bytes)

    # without the inputs, what only they hold is null
    alone = {r["id"]: r for r in iter_records(short / "results.jsonl")}
    assert alone["doc_000.txt"]["text"] is None
    assert alone["doc_000.txt"]["blocks"][0]["text"] is None
    [first] = [r for r in rounded if r["id"] == "doc_000.txt"]
    assert alone["doc_000.txt"]["filler_score"] == first["filler_score"]

    # resuming reads compact records as done
    result = report(str(docs), "--out", str(short), "-j", "1")
    assert "0 processed" in result.output and "10 already done" in result.output


PLAIN_PAGE = (
    "<html><head><title>Library budget</title></head><body><nav><a href='/'>Home</a> | "
    "<a href='/news'>News</a></nav><article><h1>Council approves the library budget</h1>"
    "<p>The council voted on Tuesday to fund the town library for five more years, the mayor "
    "told reporters after a meeting that lasted well into the evening.</p><p>Opposition members "
    "said the plan came too late for the branch that closed in spring, but voted for it.</p>"
    "</article><footer>Contact us | Privacy</footer></body></html>"
)
WRAPPED = (
    "A hard-wrapped letter to the editor about the library budget\n\n"
    + "The council voted on Tuesday to fund the library for another five years, and\n"
    "the mayor said after the meeting that the schools would be next on the list of\n"
    "projects the town will pay for before the end of the year, if the budget holds.\n"
)


def test_compact_form_of_real_documents_round_trips() -> None:
    import detector
    from detector.inputs.sources import InputItem
    from detector.report.store import make_record

    pages = {
        "seed.txt": (SEEDS / "000_e8dde5b5ffebba82.txt").read_text(encoding="utf-8"),
        "wrapped.txt": WRAPPED,
        "article.html": (ROOT / "tests/fixtures/article.html").read_text(encoding="utf-8"),
    }
    for name, text in pages.items():
        item = InputItem(name, name, text, mode_hint="html" if name.endswith("html") else "text")
        doc = detector.score(text, mode=item.mode_hint)
        doc.id = name
        full = round_probabilities(make_record(item, doc, "c", 0.1, full_texts=True))
        compact = make_record(item, doc, "c", 0.1)
        assert compact != full and all(isinstance(b, list) for b in compact["blocks"]), name
        assert all(isinstance(s, list) for s in compact["sections"]), name
        assert expand_record(compact, text) == full
        assert expand_record(full, text) is full  # a full record is read as it is
        out = json.dumps(compact, separators=(",", ":"))
        assert len(out) < len(text) + 1000, (name, len(out), len(text))


def test_a_block_the_arrays_cannot_give_back_is_written_in_full() -> None:
    source = "Menu\n\nBody text of the article"
    block = {
        "text": "Body text of the article",
        "kind": "paragraph",
        "label": "content",
        "p_content": 0.5,  # the probabilities do not sum to 1
        "p_boilerplate": 0.2,
        "p_seo_filler": 0.0,
        "line_start": 3,
        "line_end": 3,
        "start": 6,
        "end": 30,
        "source_start": 6,
        "source_end": 30,
    }
    record = {"id": "x", "status": "ok", "error": None, "mode": "text", "text": block["text"]}
    record |= {"title": None, "author": None, "date": None, "url": None, "blocks": [block]}
    compact = compact_record(record, source)
    assert compact["blocks"] == [block] and "text" not in compact
    assert expand_record(compact, source) == record


@pytest.mark.parametrize(
    ("previous", "path", "written"),
    [
        (None, "/html/body/p", "/html/body/p"),
        ("/html/body/ul/li[1]", "/html/body/ul/li[2]", "../li[2]"),
        ("/html/body/div", "/html/body/div/p", "p"),
        ("/html/body/div/p", "/html/body/div/p", "."),
        ("/html/body/div/div/div/p", "/html/body/h1", "/html/body/h1"),
        ("/html/body/main/div[2]/p", "/html/body/main", "../../"),
    ],
)
def test_paths_are_written_relative_when_shorter(
    previous: str | None, path: str, written: str
) -> None:
    assert relative_path(previous, path) == written
    assert resolve_path(previous, written) == path


def test_results_are_no_larger_than_a_mixed_input(tmp_path: Path) -> None:
    batch = mixed_batch.build(tmp_path / "docs", 100)
    out = tmp_path / "out"
    result = report(str(batch.folder), "--out", str(out), "-j", "1")
    assert result.exit_code == 1  # the failing inputs
    results = (out / "results.jsonl").stat().st_size
    print(f"input {batch.input_bytes:,} B, results.jsonl {results:,} B")
    assert results <= batch.input_bytes
    recs = records(out)
    assert len(recs) == batch.documents
    assert all(r["text"] is not None for r in recs if r["status"] == "ok")
    assert all(b["text"] is not None for r in recs for b in r["blocks"])


def test_report_of_300_documents_opens_every_one(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    names = small_docs(docs, 300)
    result = report(str(docs), "--out", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    details = page_details(out)
    rows = page_rows(page)
    assert sorted(r[1] for r in rows) == names
    for row in rows:
        detail = details[row[0]]
        number = int(row[1][4:7])
        assert f"Town council {number} approves a new budget" in [b[2] for b in detail["b"]]
        assert row[2] == 0
    assert len(page) / 300 < 200, len(page)  # the rows only: the blocks are in the details
