"""The command line on small inputs: formats, sources and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from conftest import SEEDS, seed_path

from detector.cli import BATCH_TIMEOUT, main, time_limit

PAGE = Path(__file__).resolve().parent / "fixtures" / "article.html"
BLOCK_FIELDS = {"text", "label", "p_boilerplate", "line_start", "line_end", "start", "end"}
RECORD_FIELDS = {"id", "status", "error", "text", "blocks"}


def run(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_clean_one_file_prints_the_article() -> None:
    result = run("clean", str(seed_path("000")))
    assert result.exit_code == 0
    assert "Belarusian dictator Alexander Lukashenko said on Oct. 14" in result.output
    assert "Show More" not in result.output
    assert "2 min read" not in result.output


def test_folder_to_jsonl_has_one_record_per_file() -> None:
    result = run("clean", str(SEEDS), "--format", "jsonl")
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert len(records) == len(list(SEEDS.glob("*.txt"))) + 1  # expectations.md is read too
    for record in records:
        assert record.keys() >= RECORD_FIELDS
        assert record["status"] == "ok"
        for block in record["blocks"]:
            assert block.keys() >= BLOCK_FIELDS


def test_stdin_annotate_shows_labels_and_lines() -> None:
    text = seed_path("000").read_text(encoding="utf-8")
    result = run("clean", "-", "--annotate", stdin=text)
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("L1 ") and "boilerplate" in first
    assert any(line.startswith("L9 ") and "content" in line for line in result.output.splitlines())


def test_jsonl_records_with_text_and_html(tmp_path: Path) -> None:
    article = seed_path("002").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in article.split("\n\n")[1:])
    page = (
        f"<html><body><nav>Home | World | Sport</nav><article>{paragraphs}</article></body></html>"
    )
    source = tmp_path / "pages.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": article})
        + "\n"
        + json.dumps({"id": "b", "html": page})
        + "\n",
        encoding="utf-8",
    )
    result = run("clean", str(source), "--input-format", "jsonl", "--format", "jsonl")
    assert result.exit_code == 0
    records = {r["id"]: r for r in jsonl(result.stdout)}
    assert records["a"]["mode"] == "text" and records["b"]["mode"] == "html"
    assert "Lukașenko" in records["a"]["text"] and "Lukașenko" in records["b"]["text"]


def test_bad_inputs_get_a_status_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.html").write_bytes(bytes(range(256)) * 40)
    legacy = "Le président a déclaré mardi que l'accord était « prêt ». " * 5
    (tmp_path / "c_legacy.txt").write_bytes(legacy.encode("cp1252"))
    (tmp_path / "d_seed.txt").write_bytes(seed_path("000").read_bytes())
    result = run("clean", str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 1  # some input failed
    records = {r["id"]: r for r in jsonl(result.stdout)}
    assert list(records) == ["a_empty.txt", "b_binary.html", "c_legacy.txt", "d_seed.txt"]
    assert records["a_empty.txt"]["status"] == "error"  # issue 19: empty is not ok
    assert records["a_empty.txt"]["error"] == "empty input"
    assert records["b_binary.html"]["status"] == "error"
    assert "binary" in records["b_binary.html"]["error"]
    assert "président" in records["c_legacy.txt"]["text"]
    assert records["d_seed.txt"]["status"] == "ok" and "Belta" in records["d_seed.txt"]["text"]


def test_json_format_is_one_array() -> None:
    result = run("clean", str(seed_path("000")), str(seed_path("001")), "--format", "json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [
        str(seed_path("000")),
        str(seed_path("001")),
    ]


def test_clean_html_page_prints_the_article_and_with_metadata_its_header() -> None:
    plain = run("clean", str(PAGE))
    assert plain.exit_code == 0
    assert plain.stdout.startswith("The council of Nordhavn voted")
    assert "Maria Lindqvist" not in plain.stdout
    result = run("clean", str(PAGE), "--with-metadata")
    assert result.exit_code == 0
    lines = result.stdout.split("\n\n")
    assert lines[0] == "Harbour town votes to restore its old ferry line"
    assert lines[1] == "Maria Lindqvist · 2024-05-14"
    assert lines[2].startswith("https://herald.example.org/")
    assert result.stdout.endswith(plain.stdout)
    assert "The council of Nordhavn voted" in result.stdout
    for leftover in ("Subscribe", "Share on Facebook", "Fishing quotas", "All rights reserved"):
        assert leftover not in result.stdout


def test_clean_gzipped_html_page_as_json_has_blocks_with_paths_and_spans(tmp_path: Path) -> None:
    import gzip

    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(PAGE.read_bytes()))
    result = run("clean", str(page), "--format", "json")
    assert result.exit_code == 0
    [record] = json.loads(result.stdout)
    assert record["mode"] == "html" and record["status"] == "ok"
    meta = record["metadata"]
    assert meta["title"] == "Harbour town votes to restore its old ferry line"
    assert meta["author"] == "Maria Lindqvist" and meta["date"] == "2024-05-14"
    assert meta["language"] == "en" and meta["url"].startswith("https://herald.example.org/")
    text = record["text"]
    kept = [b for b in record["blocks"] if b["label"] == "content"]
    assert kept and text == "\n\n".join(b["text"] for b in kept)
    for block in record["blocks"]:
        assert block.keys() >= BLOCK_FIELDS | {"path"}
        assert block["path"].startswith("/html/body")
        if block["label"] == "content":
            assert text[block["start"] : block["end"]] == block["text"]
    nav = next(b for b in record["blocks"] if b["text"] == "Business")
    assert nav["label"] == "boilerplate" and nav["path"].endswith("/nav/ul/li[2]")


def test_precision_keeps_no_more_than_recall() -> None:
    texts = {}
    for flag in ("--precision", "--recall"):
        result = run("clean", str(PAGE), flag, "--format", "jsonl")
        assert result.exit_code == 0
        texts[flag] = jsonl(result.stdout)[0]["text"]
    assert len(texts["--precision"]) <= len(texts["--recall"])
    assert "The council of Nordhavn voted" in texts["--precision"]


def test_clean_url_downloads_the_page(monkeypatch) -> None:
    import trafilatura

    html = PAGE.read_text(encoding="utf-8")
    seen = []
    monkeypatch.setattr(trafilatura, "fetch_url", lambda url, **kw: seen.append(url) or html)
    url = "https://herald.example.org/2024/05/14/ferry-line"
    result = run("clean", url)
    assert result.exit_code == 0 and seen == [url]
    assert "==>" not in result.stdout  # one document, printed bare
    assert "The council of Nordhavn voted" in result.stdout


def test_clean_url_that_fails_is_an_error_record(monkeypatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "fetch_url", lambda url, **kw: None)
    result = run("clean", "https://herald.example.org/missing", "--format", "jsonl")
    assert result.exit_code == 1
    [record] = jsonl(result.stdout)
    assert record["status"] == "error" and "download failed" in record["error"]


def test_report_on_an_html_folder(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(PAGE.read_bytes())
    out = tmp_path / "out"
    result = run("report", str(pages), "--out", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    [record] = jsonl((out / "results.jsonl").read_text(encoding="utf-8"))
    assert record["mode"] == "html" and "The council of Nordhavn voted" in record["text"]
    assert (out / "report.html").exists()


def test_time_limit_default_is_for_batches_only() -> None:
    assert time_limit(None, batch=True) == BATCH_TIMEOUT
    assert time_limit(None, batch=False) is None
    assert time_limit(0, batch=True) is None  # 0: no limit
    assert time_limit(2.5, batch=False) == 2.5


def test_timeout_gives_late_documents_an_error_record_in_order() -> None:
    seeds = [str(seed_path("000")), str(seed_path("001"))]
    result = run("clean", *seeds, "--format", "jsonl", "--timeout", "0.001")
    assert result.exit_code == 1  # some input failed
    records = jsonl(result.stdout)
    assert [r["id"] for r in records] == seeds
    assert {(r["status"], r["error"]) for r in records} == {("error", "timeout after 0.001s")}


def test_workers_give_the_same_records_in_input_order() -> None:
    in_process = run("clean", str(SEEDS), "--format", "jsonl", "--timeout", "0")
    two_workers = run("clean", str(SEEDS), "--format", "jsonl", "-j", "2")
    assert in_process.exit_code == two_workers.exit_code == 0
    assert two_workers.stdout == in_process.stdout


def test_score_prints_the_document_score_then_each_section_with_its_evidence() -> None:
    result = run("score", str(seed_path("004")))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert re.match(
        r"verdict: generated \(filler_score (0\.\d+|1\.000), threshold 0\.\d+\); ", lines[0]
    ), lines[0]
    sections = [line for line in lines[1:] if line.startswith("L")]
    assert sections and all(" p=" in line for line in sections)
    assert any(line.split()[1] == "generated" for line in sections)
    evidence = [line.strip() for line in lines[1:] if line.startswith(" ")]
    assert any("generic table" in reason for reason in evidence)


def test_score_says_not_scored_when_too_little_text_is_kept() -> None:
    result = run("score", "-", stdin="Just a few words here.\n")
    assert result.exit_code == 0
    assert result.output.startswith("verdict: not scored (too little text kept")
    assert "0.000" not in result.output
    result = run("score", "-", "--format", "jsonl", stdin="Just a few words here.\n")
    [record] = jsonl(result.output)
    assert record["verdict"] == "not scored"


def test_score_jsonl_records_carry_the_filler_fields() -> None:
    result = run("score", str(seed_path("002")), "--format", "jsonl")
    [record] = jsonl(result.output)
    assert record["status"] == "ok" and 0.0 <= record["filler_score"] <= 1.0
    assert record["verdict"] == "original" and 0.0 < record["filler_threshold"] < 1.0
    assert record["sections"] and all("p_generated" in s for s in record["sections"])
    scored = [b for b in record["blocks"] if "p_generated" in b]
    assert scored and all(b["line_start"] <= b["line_end"] for b in scored)
