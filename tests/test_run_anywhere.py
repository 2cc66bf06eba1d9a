"""The command as installed: its version comes from the distribution, and worker
batches work from any folder, the one that holds a clone named ``detector`` included."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS

import detector
from detector.cli import main

# what a console script does, with the package under test found after anything installed
LAUNCHER = """import sys
sys.path.append({root!r})
from detector.cli import main
if __name__ == "__main__":
    main()
"""


def test_the_distribution_name_is_the_one_in_pyproject() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^name = "([^"]+)"$', pyproject, re.M).group(1) == detector.DISTRIBUTION


def test_version_is_the_installed_distributions() -> None:
    try:
        expected = metadata.version(detector.DISTRIBUTION)
    except metadata.PackageNotFoundError:  # a source tree on sys.path
        expected = "unknown"
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"main, version {expected}\n"


@pytest.mark.parametrize(
    "layout",
    [
        # a clone: a folder named detector without __init__.py (a namespace
        # package to the import system), with the inputs inside it
        {},
        # another package named detector, which the workers must not import
        {"__init__.py": ""},
    ],
    ids=["clone-folder", "other-package"],
)
def test_worker_batch_from_the_folder_that_holds_a_clone(
    tmp_path: Path, layout: dict[str, str]
) -> None:
    here = tmp_path / "work"
    shutil.copytree(SEEDS, here / "detector" / "seeds")
    for name, text in layout.items():
        (here / "detector" / name).write_text(text, encoding="utf-8")
    launcher = tmp_path / "bin" / "detector-cli.py"
    launcher.parent.mkdir()
    package_root = str(Path(detector.__file__).resolve().parent.parent)
    launcher.write_text(LAUNCHER.format(root=package_root), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    args = ["clean", "detector/seeds", "--format", "jsonl", "-j", "2", "--timeout", "120"]
    batch = subprocess.run(
        [sys.executable, str(launcher), *args],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert batch.returncode == 0, batch.stderr
    in_process = CliRunner().invoke(
        main, ["clean", str(SEEDS), "--format", "jsonl", "--timeout", "0"]
    )
    assert in_process.exit_code == 0
    assert batch.stdout == in_process.stdout
