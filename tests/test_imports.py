"""Nothing heavy is imported before it is needed (issue 16): each case runs in
a fresh interpreter and lists the top-level modules it loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e8dde5b5ffebba82.txt"
HEAVY = {"sklearn", "scipy", "trafilatura", "lxml", "justext", "charset_normalizer", "warcio"}
TEMPLATING = {"jinja2", "markupsafe"}
"""Only ``detector report`` renders a page: nothing else loads the template engine."""
REPORT = "import sys, json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"


def _loaded(code: str) -> set[str]:
    """Top-level modules loaded after running ``code`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\n{REPORT}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_detector_loads_nothing_heavy() -> None:
    loaded = _loaded("import detector")
    assert not loaded & (HEAVY | TEMPLATING | {"numpy", "click", "tqdm"})


def test_help_loads_no_model_and_nothing_heavy() -> None:
    code = (
        "import sys\nfrom detector.cli import main\nsys.argv = ['detector', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded(code)
    assert not loaded & (HEAVY | TEMPLATING | {"numpy", "tqdm", "threadpoolctl"})


def test_clean_text_never_imports_trafilatura_or_scikit_learn() -> None:
    loaded = _loaded("import detector\ndetector.clean('x')")
    assert "numpy" in loaded  # the cleaner did run
    assert not loaded & ({"sklearn", "scipy", "trafilatura", "lxml"} | TEMPLATING)


@pytest.mark.parametrize("command", ["clean", "score"])
def test_cli_text_file_never_imports_trafilatura(command: str) -> None:
    code = (
        "import sys\nfrom detector.cli import main\n"
        f"sys.argv = ['detector', {command!r}, {str(SEED)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code"
    )
    loaded = _loaded(code)
    assert not loaded & ({"sklearn", "scipy", "trafilatura", "lxml"} | TEMPLATING)
    # One file runs in this process: the worker pool is not even imported.
    assert "multiprocessing" not in loaded


def test_only_the_report_page_loads_the_template_engine() -> None:
    """The other side of the checks above: rendering the page does load it."""
    loaded = _loaded("from detector.report.html import render_page")
    assert loaded >= TEMPLATING
    assert not loaded & {"sklearn", "scipy", "trafilatura", "lxml"}
