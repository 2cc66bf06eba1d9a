"""The measurement log, ``docs/BENCHMARKS.md``, written by the benchmark.

Each part of ``python -m detector_dev.bench`` replaces its own section of the
page, between ``<!-- bench:PART -->`` and ``<!-- /bench:PART -->``, with the
command, the date, the commit, the machine (cores, load average) and the table
it printed; a part run for the first time is appended. The text around the
sections (what each figure means, earlier measurements) is left as it is.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from detector_dev.paths import BENCHMARKS, REPO


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def run_facts() -> str:
    """One line: date, commit (``+changes`` when the tree differs from it),
    cores, load average and Python, for the head of a section."""
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--untracked-files=no"):
        commit += "+changes"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{when}, commit {commit}, {os.cpu_count()} cores, load average {load} (1/5/15 min), "
        f"Python {platform.python_version()}"
    )


class _Tee:
    """Writes go to the real stdout and into a buffer. A plain object, not an
    ``io`` stream: a stream flushes on garbage collection, when the stdout it
    wraps (pytest's capture, say) may be closed already."""

    def __init__(self, out: object) -> None:
        self.out, self.buffer_ = out, io.StringIO()

    def write(self, text: str) -> int:
        self.out.write(text)  # type: ignore[attr-defined]
        return self.buffer_.write(text)

    def flush(self) -> None:
        self.out.flush()  # type: ignore[attr-defined]


@contextlib.contextmanager
def captured() -> Iterator[io.StringIO]:
    """Print as usual, and keep a copy of what was printed to stdout."""
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        yield tee.buffer_


def section(part: str, title: str, command: str, printed: str) -> str:
    """The marked section of one part."""
    body = printed.strip("\n")
    return (
        f"<!-- bench:{part} -->\n### {title}\n\n`{command}`: {run_facts()}.\n\n"
        f"```\n{body}\n```\n<!-- /bench:{part} -->"
    )


def write_section(
    part: str, title: str, command: str, printed: str, path: Path = BENCHMARKS
) -> None:
    """Replace (or append) the section of ``part`` in the page at ``path``."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    new = section(part, title, command, printed)
    pattern = re.compile(
        rf"<!-- bench:{re.escape(part)} -->.*?<!-- /bench:{re.escape(part)} -->", re.DOTALL
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: new, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
