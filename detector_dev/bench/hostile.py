"""The hostile-folder run: the seed articles mixed with files made to break a
cleaner, cleaned by the command line, with its time and peak memory.

    python -m detector_dev.bench --only hostile

The files are generated on the fly (nothing large is committed): random bytes
named .html, a gzip bomb, a page nested 100,000 levels deep, a 30 MB page
(also gzipped into a small file), a 10 MB single line, a million lines,
invalid UTF-8, NUL bytes and a page in a legacy encoding. ``detector clean DIR
--format jsonl`` runs in a child process (a batch, so with the default
per-document time limit and one worker process) while this process samples
the memory of that child and everything it starts (/proc, Linux only).

Two memory figures: ``peak_pss_mib``, the highest sampled sum of proportional
set sizes (shared pages split between the processes sharing them: the memory
the run really occupies), and ``bound_mib``, the highest sum over the
processes alive at one sample of their own peak resident sizes (VmHWM, which
counts shared pages in full in every process and catches spikes between
samples, so it overstates the peak).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from detector_dev.paths import SEEDS

MiB = 2**20
SAMPLE_SECONDS = 0.05


OK_OR_TIMEOUT = "ok or timeout"
"""The answer expected of the deeply nested page: its text, unless parsing it
takes longer than the time limit on a slow or busy machine."""


def write_hostile(folder: Path) -> dict[str, str]:
    """Write the hostile files into ``folder``; name -> the answer each must get:
    "ok", "error" or ``OK_OR_TIMEOUT``."""
    rng = random.Random(7)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, status: str) -> None:
        (folder / name).write_bytes(data)
        expected[name] = status

    put("random.html", rng.randbytes(64 * 1024), "error")
    with gzip.open(folder / "bomb.html.gz", "wb", compresslevel=9) as handle:
        chunk = b"<p>" + b"a" * (MiB - 3)
        for _ in range(200):
            handle.write(chunk)
    expected["bomb.html.gz"] = "error"
    depth = 100_000
    nested = "<html><body>" + "<div>" * depth + "<p>Deep text survives the nesting.</p>"
    put("nested.html", (nested + "</div>" * depth + "</body></html>").encode(), OK_OR_TIMEOUT)
    para = "<p>" + "Word " * 200 + "</p>\n"
    huge = ("<html><body>" + para * (30 * MiB // len(para))).encode()
    put("huge.html", huge, "error")
    put("huge_zipped.html.gz", gzip.compress(huge, compresslevel=1), "error")
    put("single_line.txt", b"word " * (10 * MiB // 5), "error")
    put("million_lines.txt", b"x\n" * 1_000_000, "error")
    french = "Préface: le président a parlé. ".encode() * 20
    put("invalid_utf8.txt", french + b"\xff\xfe\xc3(", "ok")
    put("nul_bytes.txt", b"A paragraph with\x00 NUL bytes\x00 inside it, said the editor.\n", "ok")
    legacy = (
        "<html><head><meta charset='windows-1251'></head>"
        "<body><p>Президент заявил, что готов.</p></body></html>"
    )
    put("legacy.html", legacy.encode("cp1251"), "ok")
    return expected


def write_hostile_folder(folder: Path) -> dict[str, str]:
    """The hostile files plus copies of the seed articles; name -> expected answer."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = write_hostile(folder)
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
        expected[seed.name] = "ok"
    return expected


def as_expected(expected: str, record: dict[str, Any]) -> bool:
    """Whether ``record`` is the answer ``expected`` ("ok", "error", ``OK_OR_TIMEOUT``)."""
    if expected == OK_OR_TIMEOUT:
        return record["status"] == "ok" or str(record["error"]).startswith("timeout after")
    return record["status"] == expected


@dataclass
class _Sampler:
    """Memory of a process tree, sampled from /proc."""

    root: int
    peak_pss_kib: int = 0
    bound_kib: int = 0
    processes: set[int] = field(default_factory=set)
    role_peak_kib: dict[str, int] = field(default_factory=dict)

    def sample(self) -> None:
        tree = _descendants(self.root)
        self.processes |= set(tree)
        pss = hwm = 0
        for pid, parent in tree.items():
            pss += _field_kib(f"/proc/{pid}/smaps_rollup", "Pss:")
            own = _field_kib(f"/proc/{pid}/status", "VmHWM:")
            hwm += own
            role = self._role(pid, parent)
            if own:
                self.role_peak_kib[role] = max(self.role_peak_kib.get(role, 0), own)
        self.peak_pss_kib = max(self.peak_pss_kib, pss)
        self.bound_kib = max(self.bound_kib, hwm)

    def _role(self, pid: int, parent: int) -> str:
        """The command, its helpers (multiprocessing's fork server and resource
        tracker), or a worker (forked by the fork server)."""
        if pid == self.root:
            return "command"
        if parent != self.root:
            return "worker"
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            return "worker"
        if b"resource_tracker" in cmdline:
            return "resource tracker"
        return "fork server" if b"forkserver" in cmdline else "worker"


def _descendants(root: int) -> dict[int, int]:
    """``root`` and every live process below it, each with its parent's id."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: dict[int, int] = {}
    todo = [(root, 0)]
    while todo:
        pid, parent = todo.pop()
        found[pid] = parent
        todo += [(child, pid) for child in children.get(pid, [])]
    return found


def _field_kib(path: str, name: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Measured:
    """A command-line run with its wall time and peak memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_pss_mib: float
    bound_mib: float
    processes: int
    role_peak_mib: dict[str, float]
    """Peak resident size of the command, the fork server, the largest worker (and
    multiprocessing's resource tracker)."""


def run_measured(args: list[str], *, timeout: float = 600.0) -> Measured:
    """Run the ``detector`` command (``detector.cli.main``) with ARGS in a child
    process and measure it and every process it starts."""
    if not os.path.exists("/proc/self/smaps_rollup"):
        raise OSError("measuring memory needs Linux /proc (smaps_rollup)")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", "from detector.cli import main; main()", *args],
            stdout=out,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        sampler = _Sampler(proc.pid)
        try:
            while proc.poll() is None:
                if time.perf_counter() - started > timeout:
                    raise subprocess.TimeoutExpired(proc.args, timeout)
                sampler.sample()
                time.sleep(SAMPLE_SECONDS)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Measured(
            returncode=proc.returncode,
            stdout=out.read(),
            stderr=err.read(),
            seconds=seconds,
            peak_pss_mib=sampler.peak_pss_kib / 1024,
            bound_mib=sampler.bound_kib / 1024,
            processes=len(sampler.processes),
            role_peak_mib={role: kib / 1024 for role, kib in sampler.role_peak_kib.items()},
        )


def run_bench() -> dict[str, Any]:
    """``detector clean`` over a generated hostile folder: statuses, time, peak memory."""
    with tempfile.TemporaryDirectory(prefix="detector-hostile-") as tmp:
        folder = Path(tmp) / "crawl"
        expected = write_hostile_folder(folder)
        run = run_measured(["clean", str(folder), "--format", "jsonl"])
    records = {r["id"]: r for r in map(json.loads, run.stdout.splitlines())}
    missing = {"status": None, "error": "no record"}
    files = {
        name: {
            "expected": wanted,
            "status": records.get(name, missing)["status"],
            "error": records.get(name, missing)["error"],
            "as_expected": as_expected(wanted, records.get(name, missing)),
        }
        for name, wanted in expected.items()
    }
    return {
        "exit_code": run.returncode,
        "seconds": round(run.seconds, 1),
        "peak_pss_mib": round(run.peak_pss_mib),
        "bound_mib": round(run.bound_mib),
        "processes": run.processes,
        "process_peak_mib": {role: round(mib) for role, mib in run.role_peak_mib.items()},
        "files": files,
        "as_expected": all(f["as_expected"] for f in files.values()),
    }


def print_bench(result: dict[str, Any]) -> None:
    """The hostile-folder figures, for a person."""
    for name, f in result["files"].items():
        why = f" ({f['error']})" if f["error"] else ""
        flag = "" if f["as_expected"] else f"   UNEXPECTED, wanted {f['expected']}"
        click.echo(f"  {name:<30} {f['status']}{why}{flag}")
    click.echo(
        f"  exit code {result['exit_code']}, {result['seconds']} s, "
        f"{len(result['files'])} files, every status as expected: {result['as_expected']}"
    )
    click.echo(
        f"  peak memory: {result['peak_pss_mib']} MiB (summed PSS of the "
        f"{result['processes']} processes, sampled every {SAMPLE_SECONDS * 1000:g} ms); "
        f"upper bound {result['bound_mib']} MiB (summed per-process peak RSS)"
    )
    each = ", ".join(f"{role} {mib} MiB" for role, mib in result["process_peak_mib"].items())
    click.echo(f"  peak RSS of each process: {each}")
