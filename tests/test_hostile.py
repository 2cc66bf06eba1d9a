"""Hostile input, generated on the fly: every file gets a status, the seeds are
cleaned exactly as alone, and the whole batch stays within time and memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS

from detector.inputs.sources import iter_inputs
from detector.pipeline import Pipeline, process_item
from detector_dev.bench.hostile import as_expected, run_measured, write_hostile_folder


@pytest.mark.slow
def test_mixed_hostile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    expected = write_hostile_folder(folder)
    run = run_measured(["clean", str(folder), "--format", "jsonl"])
    assert run.returncode == 1, run.stderr  # some inputs failed, as documented
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["id"] for r in records] == sorted(expected)  # every file, in folder order
    by_id = {r["id"]: r for r in records}
    for name, wanted in expected.items():
        assert as_expected(wanted, by_id[name]), (name, by_id[name]["error"])
        if by_id[name]["status"] == "error":
            assert by_id[name]["error"]
    if by_id["nested.html"]["status"] == "ok":  # else it timed out: a slow or busy machine
        assert "Deep text survives" in by_id["nested.html"]["text"]
    assert "\x00" not in by_id["nul_bytes.txt"]["text"]
    assert "Президент" in by_id["legacy.html"]["text"]
    pipeline = Pipeline().load()
    for seed in sorted(SEEDS.glob("*.txt")):
        [item] = iter_inputs([str(seed)])
        alone = process_item(pipeline, item).to_dict()
        assert by_id[seed.name]["text"] == alone["text"]
        assert by_id[seed.name]["blocks"] == alone["blocks"]
    assert run.seconds < 300
    assert run.processes >= 2  # the command line and its worker were both measured
    assert run.peak_pss_mib < 1024, f"peak memory {run.peak_pss_mib:.0f} MiB"
