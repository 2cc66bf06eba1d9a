"""Issue 19: a command line with no surprises (items 3, 4, 6 and 7).

stdout is data and stderr is talk; nothing is skipped or guessed in silence;
clean, score and report share their options; the Python API fails clearly.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import seed_path
from test_sources import warc_file

import detector
from detector.cli import main
from detector.cli.options import ByteSize
from detector.report.command import load_results

FRENCH = "Le chemin de la forêt à côté du château est prêt à être ouvert."
PAGE = b"<!doctype html><html><body><article><p>%s</p></article></body></html>"


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def seed_copy(tmp_path: Path, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(seed_path("000").read_bytes())
    return path


# --- item 3: stdout is data, stderr is talk -------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "markdown"])
def test_errors_go_to_stderr_not_into_the_text_output(tmp_path: Path, fmt: str) -> None:
    good = seed_copy(tmp_path)
    binary = tmp_path / "ls"
    binary.write_bytes(b"\x7fELF" + bytes(range(256)) * 8)
    result = run("clean", str(good), str(binary), "--format", fmt)
    assert result.exit_code == 1
    assert "Lukashenko" in result.stdout
    assert f"==> {binary} <==" not in result.stdout and "[error" not in result.stdout
    assert result.stdout.count("<==") == 1  # the good document's header only
    assert f"detector: {binary}: binary input (ELF executable)" in result.stderr
    assert "detector: 2 documents: 1 ok, 1 error" in result.stderr


def test_errors_are_records_in_jsonl(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("clean", str(seed_copy(tmp_path)), str(empty), "--format", "jsonl")
    assert result.exit_code == 1
    records = jsonl(result.stdout)
    assert [r["status"] for r in records] == ["ok", "error"]
    assert records[1]["error"] == "empty input"


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nonexistent.txt")
    result = run("clean", str(seed_copy(tmp_path)), missing)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"no such file or directory: '{missing}'" in result.stderr


def test_report_on_a_missing_path_fails_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("report", str(tmp_path / "nonexistent"), "--out", str(out))
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr
    assert not out.exists()


def test_summary_line_uses_singular_and_plural(tmp_path: Path) -> None:
    one = run("clean", str(tmp_path), "--format", "jsonl")  # an empty folder: still a word
    assert one.exit_code == 0
    assert "detector: 0 documents: 0 ok, 0 errors" in one.stderr
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("clean", str(tmp_path), "--format", "jsonl")
    assert "detector: 1 document: 0 ok, 1 error\n" in result.stderr


# --- item 4: nothing skipped or guessed in silence -------------------------------


def test_folder_reads_unknown_names_by_content_and_counts_skips(tmp_path: Path) -> None:
    page = PAGE % seed_path("000").read_text(encoding="utf-8").encode()
    (tmp_path / "index.php").write_bytes(page)
    (tmp_path / "story.aspx").write_bytes(page)
    (tmp_path / "noext").write_bytes(gzip.compress(page))
    (tmp_path / "logo").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "style.css").write_text("body { color: red }")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = run("clean", str(tmp_path), "--format", "jsonl", "--timeout", "0")
    assert result.exit_code == 0, result.stderr
    records = jsonl(result.stdout)
    assert [r["id"] for r in records] == ["index.php", "noext", "story.aspx"]
    assert all(r["status"] == "ok" and r["mode"] == "html" for r in records)
    assert (
        "3 documents: 3 ok, 0 errors; 3 inputs skipped: "
        "1 binary (PNG), 1 hidden, 1 not a document (.css)\n"
    ) in result.stderr


def test_gz_that_is_not_gzip_is_an_error(tmp_path: Path) -> None:
    fake = tmp_path / "page.html.gz"
    fake.write_bytes(PAGE % b"not compressed at all")
    result = run("clean", str(fake), "--format", "jsonl")
    assert result.exit_code == 1
    [record] = jsonl(result.stdout)
    assert record["status"] == "error" and "invalid gzip" in record["error"]


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    result = run("clean", str(empty))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "empty input" in result.stderr


def test_html_page_without_text_is_an_error_with_its_metadata(tmp_path: Path) -> None:
    # a forum page whose posts a script fetches: the body renders no text at all
    shell = tmp_path / "topic.html"
    shell.write_text(
        '<!doctype html><html lang="en"><head><title>Best first telescope? - Forum</title>'
        '<meta name="description" content="I am new to astronomy and would like advice">'
        '</head><body><section id="d-splash"><div class="dots"></div></section>'
        '<section id="main"></section><form style="display: none"><input name="user">'
        "</form></body></html>"
    )
    result = run("clean", str(shell), "--format", "jsonl")
    assert result.exit_code == 1
    [record] = jsonl(result.stdout)
    assert record["status"] == "error" and record["text"] == ""
    assert record["error"] == "no text in the page's body (a page built by JavaScript?)"
    assert record["title"] == "Best first telescope?"
    assert "topic.html: no text in the page's body" in result.stderr


def test_warc_records_without_a_document_are_counted(tmp_path: Path) -> None:
    path = warc_file(tmp_path / "crawl.warc.gz")
    result = run("clean", str(path), "--format", "jsonl", "--timeout", "0")
    assert len(jsonl(result.stdout)) == 2
    assert "2 inputs skipped: " in result.stderr
    assert "1 WARC response not status 200" in result.stderr
    assert "1 WARC response not HTML or text" in result.stderr


def test_latin1_french_without_charset_is_not_read_as_baltic(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    [record] = jsonl(run("clean", str(path), "--format", "jsonl", "--recall").stdout)
    assert "forêt à côté" in record["text"] and "prêt à" in record["text"]


@pytest.mark.parametrize("command", ["clean", "score"])
def test_encoding_forces_the_decoding(tmp_path: Path, command: str) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    args = ("--format", "jsonl", "--recall", "--encoding", "cp1257")
    [record] = jsonl(run(command, str(path), *args).stdout)
    assert "prźt ą" in record["text"]  # what the bytes are in cp1257, as asked
    bad = run(command, str(path), "--encoding", "no-such-codec")
    assert bad.exit_code == 2 and "unknown encoding 'no-such-codec'" in bad.stderr


# --- item 6: one set of options ---------------------------------------------------


def test_report_shares_the_options_of_clean_and_score(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "fr.txt").write_bytes(FRENCH.encode("latin-1"))
    (source / "logo.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "out"
    args = ["--timeout", "0", "--precision", "--drop-generated", "--encoding", "cp1257"]
    args += ["--max-bytes", "1M", "--mode", "TEXT", "-j", "1", "-q"]
    result = run("report", str(source), "--out", str(out), *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # -q
    stats = json.loads((out / "stats.json").read_text())
    run_info = stats["run"]
    assert run_info["timeout"] is None and run_info["jobs"] == 1
    assert run_info["skipped_inputs"] == {"binary (PNG)": 1}
    assert run_info["options"] == {
        "mode": "text",
        "favor": "precision",
        "score": True,
        "drop_generated": True,
        "input_format": "auto",
        "max_bytes": 2**20,
        "encoding": "cp1257",
        "full_texts": False,
    }
    [record] = load_results(out)  # block texts read again from the input
    assert "prźt" in " ".join(b["text"] for b in record["blocks"])  # --encoding cp1257


def test_output_dir_writes_one_file_per_document(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    seed_copy(source, "a.txt")
    seed_copy(source / "sub", "b.html")
    (source / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = run("clean", str(source), "-o", str(out), "--format", "markdown", "--timeout", "0")
    assert result.exit_code == 1  # the empty file
    assert result.stdout == ""
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a.md",
        "sub/b.md",
    ]
    assert "Lukashenko" in (out / "a.md").read_text()
    assert "wrote 2 files into" in result.stderr
    as_json = run("clean", str(source), "-o", str(out), "--format", "jsonl", "--timeout", "0")
    assert json.loads((out / "empty.jsonl").read_text())["error"] == "empty input"
    assert as_json.exit_code == 1


def test_choices_are_case_insensitive(tmp_path: Path) -> None:
    result = run("clean", str(seed_copy(tmp_path)), "--format", "JSON", "--mode", "Text")
    assert result.exit_code == 0
    [record] = json.loads(result.stdout)
    assert record["mode"] == "text"


@pytest.mark.parametrize(
    ("text", "size"),
    [("5M", 5 * 2**20), ("500k", 500 * 2**10), ("1.5MB", 3 * 2**19), ("2MiB", 2**21), ("10", 10)],
)
def test_sizes_take_units(text: str, size: int) -> None:
    assert ByteSize().convert(text, None, None) == size


def test_max_bytes_with_units_on_the_command_line(tmp_path: Path) -> None:
    path = seed_copy(tmp_path)
    refused = run("clean", str(path), "--max-bytes", "1k", "--format", "jsonl")
    assert refused.exit_code == 1
    assert "input exceeds --max-bytes" in jsonl(refused.stdout)[0]["error"]
    assert run("clean", str(path), "--max-bytes", "5M").exit_code == 0
    bad = run("clean", str(path), "--max-bytes", "5X")
    assert bad.exit_code == 2 and "is not a size" in bad.stderr


def test_quiet_and_verbose(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = seed_copy(tmp_path)
    quiet = run("clean", str(good), str(empty), "-q")
    assert quiet.exit_code == 1 and quiet.stderr == "" and "Lukashenko" in quiet.stdout
    verbose = run("clean", str(good), "-v")
    assert f"detector: {good}: ok" in verbose.stderr
    assert "detector: 1 document: 1 ok, 0 errors" in verbose.stderr


def test_messages_carry_no_class_names(tmp_path: Path) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("word\n" * 40_001)
    result = run("clean", str(path), "--format", "jsonl")
    [record] = jsonl(result.stdout)
    assert record["error"] == "document too large: too many lines (40002 > 40000)"
    assert "DocumentTooLarge" not in result.stderr


def test_verbose_names_each_skipped_input_with_its_reason(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed_copy(docs)
    (docs / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (docs / "style.css").write_text("p { color: red }")
    (docs / ".notes.txt").write_text("hidden")
    warc_file(docs / "crawl.warc.gz")  # two responses hold no document
    named = [
        f"detector: skipped {docs / 'logo.png'}: binary (PNG)",
        f"detector: skipped {docs / 'style.css'}: not a document (.css)",
        f"detector: skipped {docs / '.notes.txt'}: hidden",
        f"detector: skipped {docs / 'crawl.warc.gz'}@",
    ]
    for command in (["clean"], ["score"], ["report", "--out", str(tmp_path / "out")]):
        verbose = run(*command, str(docs), "-v")
        assert verbose.exit_code == 0, verbose.stderr
        assert all(line in verbose.stderr for line in named), (command, verbose.stderr)
        assert ": WARC response not status 200" in verbose.stderr
        assert ": WARC response not HTML or text" in verbose.stderr
        assert "5 inputs skipped" in verbose.stderr
        plain = run(*command, str(docs))
        assert "detector: skipped" not in plain.stderr and "5 inputs skipped" in plain.stderr
        assert run(*command, str(docs), "-v", "-q").stderr == ""


@pytest.mark.parametrize("command", ["clean", "score", "report"])
def test_a_worker_that_cannot_set_up_says_why_in_plain_words(tmp_path: Path, command: str) -> None:
    import shutil

    from detector.modelstore import default_model_dir

    model_dir = tmp_path / "models"
    shutil.copytree(str(default_model_dir()), model_dir)
    with open(model_dir / "cleaner.npz", "ab") as handle:
        handle.write(b"tampered")
    args = ["--out", str(tmp_path / "out")] if command == "report" else []
    result = run(command, str(seed_path("000")), "--model-dir", str(model_dir), "-j", "2", *args)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: model check failed: {model_dir / 'cleaner.npz'}: sha256 ")
    assert "Error:" not in first[len("Error:") :]  # no class name such as "ModelError: "


def test_top_level_help_shows_whole_descriptions() -> None:
    result = run("--help")
    text = " ".join(result.stdout.split())
    assert "drop what the page template left in." in text
    assert "score each section and the document for filler." in text
    assert "..." not in text.replace("COMMAND [ARGS]...", "")


def test_timeout_and_jobs_read_the_same_in_every_command() -> None:
    for command in ("clean", "score", "report"):
        text = " ".join(run(command, "--help").stdout.split())
        assert "0 for no limit" in text
        assert "0 for all usable cores. Output stays in input order. [default: 1; x>=0]" in text
        for option in ("--precision", "--recall", "--encoding", "--max-bytes", "--quiet"):
            assert option in text, (command, option)


# --- item 7: a Python API that fails clearly --------------------------------------


def test_api_accepts_bytes_decoded_as_the_cli_does() -> None:
    data = seed_path("000").read_bytes()
    assert detector.clean(data).text == detector.clean(data.decode("utf-8")).text
    assert detector.clean(gzip.compress(data)).text == detector.clean(data).text
    french = detector.clean(FRENCH.encode("latin-1"), favor="recall")
    assert "forêt à côté" in french.source
    assert "prźt" in detector.clean(FRENCH.encode("latin-1"), encoding="cp1257").source


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "htm"}, "unknown mode 'htm'; expected one of 'auto', 'text', 'html'"),
        (
            {"favor": "speed"},
            "unknown favor 'speed'; expected one of 'balanced', 'precision', 'recall'",
        ),
    ],
)
def test_api_rejects_unknown_choices_by_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        detector.clean("text", **kwargs)
    with pytest.raises(ValueError, match=message):
        detector.score("text", **kwargs)


def test_api_rejects_other_types_clearly() -> None:
    with pytest.raises(TypeError, match="expected str or bytes"):
        detector.clean(42)  # type: ignore[arg-type]


def test_score_is_documented_with_an_example() -> None:
    doc = detector.score.__doc__ or ""
    assert ">>> doc = detector.score(" in doc and "filler_score" in doc


def test_readme_documents_every_option_url_inputs_and_the_api() -> None:
    import re

    import click
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("clean", "score", "report"):
        command = main.commands[name]
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            for flag in param.opts + param.secondary_opts:
                assert re.search(r"[`/]" + re.escape(flag) + r"[ `/=]", readme), (name, flag)
    words = " ".join(readme.split())
    assert "detector clean https://" in words and "URLs of pages to download" in words
    for call in ("detector.clean(", "detector.score(", "load_results("):
        assert call in readme
