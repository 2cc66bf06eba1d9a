"""Shared fixtures: the seed articles with their line labels, and the shipped pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


def known_gap(issue: int, reason: str) -> pytest.MarkDecorator:
    """A strict xfail for a target an open issue has not reached yet: the test
    states the target, and fails loudly once it is met (then drop the mark)."""
    return pytest.mark.xfail(
        strict=True, reason=f"issue {issue} open: {reason}; strict, so this fails once it passes"
    )


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "000")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def seed_line_labels(prefix: str) -> dict[int, str]:
    """1-based line number -> label, from seeds/labels.tsv."""
    path = seed_path(prefix)
    name = path.name
    blank = {
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.strip()
    }
    labels: dict[int, str] = {}
    with open(SEEDS / "labels.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["file"] == name:
                for line in range(int(row["first_line"]), int(row["last_line"]) + 1):
                    if line not in blank:  # blank lines carry no label
                        labels[line] = row["label"]
    return labels


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or a skip with the reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (only present beside the development checkout)")
    return SHARED_DATA
