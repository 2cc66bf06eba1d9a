"""Hostile input, generated on the fly: every file gets a status, the seeds are
cleaned exactly as alone, and the whole batch stays within time and memory."""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

MiB = 2**20


def _write_hostile(folder: Path) -> dict[str, str]:
    """Write the hostile files; returns name -> expected status ("ok"/"error")."""
    rng = random.Random(7)
    expected = {}

    def put(name: str, data: bytes, status: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = status

    put("random.html", bytes(rng.getrandbits(8) for _ in range(64 * 1024)), "error")
    with gzip.open(folder / "bomb.html.gz", "wb", compresslevel=9) as handle:
        chunk = b"<p>" + b"a" * (MiB - 3)
        for _ in range(200):
            handle.write(chunk)
    expected["bomb.html.gz"] = "error"
    depth = 100_000
    nested = "<html><body>" + "<div>" * depth + "<p>Deep text survives the nesting.</p>"
    put("nested.html", (nested + "</div>" * depth + "</body></html>").encode(), "ok")
    para = "<p>" + "Word " * 200 + "</p>\n"
    put("huge.html", ("<html><body>" + para * (30 * MiB // len(para))).encode(), "error")
    put("single_line.txt", b"word " * (10 * MiB // 5), "error")
    put("million_lines.txt", b"x\n" * 1_000_000, "error")
    put(
        "invalid_utf8.txt", "Préface: le président a parlé. ".encode() * 20 + b"\xff\xfe\xc3(", "ok"
    )
    put("nul_bytes.txt", b"A paragraph with\x00 NUL bytes\x00 inside it, said the editor.\n", "ok")
    legacy = (
        "<html><head><meta charset='windows-1251'></head>"
        "<body><p>Президент заявил, что готов.</p></body></html>"
    )
    put("legacy.html", legacy.encode("cp1251"), "ok")
    return expected


def _run(args: list[str]) -> tuple[subprocess.CompletedProcess, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "detector.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, max(peak_kib, before)


@pytest.mark.slow
def test_mixed_hostile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    expected = _write_hostile(folder)
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
        expected[seed.name] = "ok"
    proc, peak_kib = _run(["clean", str(folder), "--format", "jsonl"])
    assert proc.returncode == 1, proc.stderr  # some inputs failed, as documented
    records = {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(records) == set(expected)
    for name, status in expected.items():
        assert records[name]["status"] == status, (name, records[name]["error"])
        if status == "error":
            assert records[name]["error"]
    assert "Deep text survives" in records["nested.html"]["text"]
    assert "\x00" not in records["nul_bytes.txt"]["text"]
    assert "Президент" in records["legacy.html"]["text"]
    for seed in SEEDS.glob("*.txt"):
        alone, _ = _run(["clean", str(seed), "--format", "jsonl"])
        assert json.loads(alone.stdout)["text"] == records[seed.name]["text"]
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"
