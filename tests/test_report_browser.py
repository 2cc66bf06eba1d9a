"""report.html in a real browser (issue 19): a report of 2,000 mixed documents
opens every document's detail in headless Chromium, the page loads in under
2 s, and results.jsonl is no larger than the input; a page of 100,000
documents stays as fast.

Needs Chromium and its driver (Debian: ``apt-get install chromium
chromium-driver``) and Selenium (the dev extra); skipped with the reason
when one is missing. Run with ``make test-browser`` (``pytest -m browser``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mixed_batch
import pytest
from test_report import fake_record

from detector.report.command import load_results
from detector.report.html import PAGE_ROWS
from detector.report.stats import build_stats

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # the machines this runs on have no network: without these Chromium waits on connections
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOAD_BUDGET_MS = 2000
RUN_CLI = "from detector.cli import main; main()"


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium with a fresh profile, driven by Selenium."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="needs Selenium: pip install -e '.[dev]'"
    )
    from selenium.webdriver.chrome.service import Service

    binary, driver = _find(CHROMIUM), _find(CHROMEDRIVER)
    if binary is None or driver is None:
        pytest.skip("needs Chromium and chromedriver: apt-get install chromium chromium-driver")
    with tempfile.TemporaryDirectory(prefix="detector-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        chrome = webdriver.Chrome(service=Service(driver), options=options)
        chrome.set_script_timeout(120)
        try:
            yield chrome
        finally:
            chrome.quit()


def load(browser: Any, page: Path) -> dict[str, float]:
    """Open ``page``; its navigation timing in ms (DOMContentLoaded and load
    event ends, from the start of navigation) and what the console said."""
    browser.get(page.resolve().as_uri())
    timing = browser.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd};"
    )
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    return timing


OPEN_PAGE = """
var done = arguments[arguments.length - 1], page = arguments[0];
detectorReport.page(page);
var buttons = document.querySelectorAll("#docs tbody button.open");
buttons.forEach(function (b) { b.click(); });  // the rows' own click handler
var details = Array.prototype.map.call(document.querySelectorAll("#docs tbody tr.detail"),
  function (tr) { return tr.ready; });
Promise.all(details).then(function () {
  done(Array.prototype.map.call(document.querySelectorAll("#docs tbody tr[data-i]"),
    function (tr) {
      var detail = tr.nextElementSibling;
      return {
        id: tr.querySelector("button.open").textContent,
        expanded: tr.querySelector("button.open").getAttribute("aria-expanded"),
        state: detail.getAttribute("data-state"),
        meta: (detail.querySelector(".docmeta") || {}).textContent,
        blocks: Array.prototype.map.call(detail.querySelectorAll(".blocks > .b"), function (b) {
          var first = b.firstChild;
          return first && first.nodeType === 3 ? first.nodeValue : "";
        })
      };
    }));
}, function (error) { done(String(error)); });
"""


def open_every_page(browser: Any) -> list[dict[str, Any]]:
    """Every row of the table, page by page, each opened by a click, with what
    its detail shows."""
    shown: list[dict[str, Any]] = []
    for page in range(browser.execute_script("return detectorReport.pages();")):
        rows = browser.execute_async_script(OPEN_PAGE, page)
        assert isinstance(rows, list), rows
        shown += rows
    return shown


def test_report_of_2000_mixed_documents_opens_every_one_in_chromium(
    browser: Any, tmp_path: Path
) -> None:
    batch = mixed_batch.build(tmp_path / "docs", 2000)
    out = tmp_path / "report"
    # what `make report INPUT=... OUT=... JOBS=2` runs
    entry = Path(sys.executable).with_name("detector")
    command = [str(entry)] if entry.exists() else [sys.executable, "-c", RUN_CLI]
    started = time.perf_counter()
    run = subprocess.run(
        [*command, "report", str(batch.folder), "--out", str(out), "-j", "2", "-q"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - started
    assert run.returncode == 1, run.stderr  # the failing inputs fail, the rest is done
    results = (out / "results.jsonl").stat().st_size
    print(
        f"\n{batch.documents} documents ({batch.kinds}): report in {seconds:.0f} s with -j 2; "
        f"input {batch.input_bytes:,} B, results.jsonl {results:,} B "
        f"({results / batch.input_bytes:.2f}x)"
    )
    assert results <= batch.input_bytes

    records = {r["id"]: r for r in load_results(out)}
    assert len(records) == batch.documents
    timing = load(browser, out / "report.html")
    print(f"page: DOMContentLoaded {timing['dom']:.0f} ms, load {timing['load']:.0f} ms")
    assert timing["load"] < LOAD_BUDGET_MS

    started = time.perf_counter()
    shown = open_every_page(browser)
    print(f"opened {len(shown)} documents in {time.perf_counter() - started:.0f} s")
    assert sorted(row["id"] for row in shown) == sorted(records)
    for row in shown:
        record = records[row["id"]]
        assert row["expanded"] == "true" and row["state"] == "ready", row
        assert row["meta"].startswith(f"document {row['id']}")
        if record["status"] == "ok":
            assert row["blocks"] == [b["text"] for b in record["blocks"]], row["id"]
        else:
            assert f"error {record['error']}" in row["meta"] and not row["blocks"]


def test_a_page_of_100000_documents_loads_fast_and_opens_any_of_them(
    browser: Any, tmp_path: Path
) -> None:
    from detector.report.html import write_report

    count = 100_000
    scores = [i * 7919 % count / count for i in range(count)]  # spread, not sorted
    records = [
        fake_record(i, id=f"site-{i % 977}/page-{i:06d}.html", filler_score=scores[i])
        for i in range(count)
    ]
    page = write_report(records, build_stats(records), tmp_path)
    timing = load(browser, page)
    print(f"\n{count:,} documents: page {page.stat().st_size:,} B, load {timing['load']:.0f} ms")
    assert timing["load"] < LOAD_BUDGET_MS
    assert browser.execute_script("return detectorReport.pages();") == count // PAGE_ROWS
    for index in (0, count // 2, count - 1):
        meta = browser.execute_async_script(
            "var i = arguments[0], done = arguments[1];"
            "detectorReport.open(i).then(function () {"
            "  var row = document.querySelector('tr[data-i=\"' + i + '\"]');"
            "  done(row.nextElementSibling.querySelector('.docmeta').textContent);"
            "}, function (error) { done(String(error)); });",
            index,
        )
        assert meta.startswith(f"document {records[index]['id']}")
        browser.execute_script("detectorReport.page(0);")
