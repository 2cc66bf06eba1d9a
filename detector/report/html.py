"""``report.html``: one page that a person would rather look at than read, and
beside it the folder ``report-details/`` that holds each document's blocks.

Top to bottom: a summary (documents, text removed, filler scores), three
charts drawn as inline SVG (filler-score histogram, share removed per
document, label shares), errors by reason, and a table of every document that
sorts by any column, filters by score, status and id, and shows
``PAGE_ROWS`` documents a page; opening a row shows that document's text with
every block coloured by its label (boilerplate and SEO filler struck
through, generated sections highlighted) and its probabilities and evidence
on hover.

Size: the page holds one short row of numbers per document (compact JSON in a
data element, drawn a page at a time), so that it loads fast with 100,000
documents. The documents' blocks are in ``report-details/N.js``,
``DETAIL_CHUNK`` documents a file in the order the records were read; the
page loads a file when one of its documents is opened.

Safety: every piece of scraped text in the markup goes through ``html.escape``
(quotes included) and is only ever placed in element text or quoted
attributes, never inside the script or a URL; in the JSON data element it is
JSON with no ``<`` at all; the detail files are JSON passed to one function.
The page's script puts all of it into the page only as ``textContent`` or
``title``, never as markup; the page links nowhere. A Content-Security-Policy
allows no network access and no script but the page's own (by its sha256) and
files beside it (the detail files), so even a mistake in escaping could not
load or run anything from elsewhere.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from detector.document import LABELS
from detector.report.stats import summarize

REPORT = "report.html"
DETAILS = "report-details"
"""The folder beside report.html that holds the documents' blocks."""
PAGE_ROWS = 100
"""Documents a page of the table shows."""
DETAIL_CHUNK = 50
"""Documents per detail file."""
OPEN_DETAILS = 12
"""Documents shown unfolded when there are at most this many."""
LABEL_CODES = {label: i for i, label in enumerate(LABELS)}

LABEL_COLOURS = {
    "content": "#2f7d4f",
    "boilerplate": "#8a8f98",
    "seo_filler": "#9c4dcc",
    "generated": "#e07b00",
}
LABEL_NAMES = {
    "content": "content",
    "boilerplate": "boilerplate",
    "seo_filler": "SEO filler",
    "generated": "generated",
}


def esc(value: Any) -> str:
    """Text made safe for HTML element content and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


class ReportWriter:
    """Writes report.html and ``report-details/`` into ``folder`` from records
    streamed once; memory: one short row per document.

    >>> with ReportWriter("reports/crawl") as report:    # doctest: +SKIP
    ...     for record in records:
    ...         report.add(record)
    ...     report.finish(stats)

    The details go into a temporary folder that replaces ``report-details/``
    when ``finish`` writes the page, so an interrupted run leaves the last
    report as it was.
    """

    def __init__(self, folder: str | os.PathLike[str], *, title: str = "detector report"):
        self.folder = Path(folder)
        self.title = title
        self.folder.mkdir(parents=True, exist_ok=True)
        self._details = Path(tempfile.mkdtemp(dir=self.folder, prefix=f".{DETAILS}."))
        self._details.chmod(0o755)
        self._rows: list[tuple[bool, float, int, str]] = []
        self._chunk: list[str] = []
        self.count = 0

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self._details, ignore_errors=True)

    def add(self, record: dict[str, Any], summary: dict[str, Any] | None = None) -> None:
        """One document: its row of the table and its detail."""
        s = summary or summarize(record)
        index = self.count
        self.count += 1
        failed = s["status"] != "ok"
        score = float(s["filler_score"] or 0.0)
        self._rows.append((failed, score, index, _json(row_data(index, s))))
        self._chunk.append(_json(detail_data(record, s)))
        if len(self._chunk) == DETAIL_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._chunk:
            return
        number = (self.count - 1) // DETAIL_CHUNK
        data = "[" + ",".join(self._chunk) + "]"
        # JSON is a JavaScript expression; U+2028/2029 escaped for older parsers
        data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        path = self._details / f"{number}.js"
        path.write_text(f"detectorDetails({number},{data});\n", encoding="utf-8")
        self._chunk = []

    def finish(self, stats: dict[str, Any]) -> Path:
        """Write the page (failures first, then the highest filler scores) and put
        the details in place; returns the page's path."""
        self._flush()
        self._rows.sort(key=lambda row: (not row[0], -row[1], row[2]))
        rows = "[" + ",".join(row[3] for row in self._rows) + "]"
        page = render_page(rows, self.count, stats, title=self.title)
        final = self.folder / DETAILS
        old = self.folder / f".{DETAILS}.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        self._details.rename(final)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{REPORT}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(page.encode("utf-8", "surrogatepass"))
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.folder / REPORT)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return self.folder / REPORT


def write_report(
    records: Iterable[dict[str, Any]],
    stats: dict[str, Any],
    folder: str | os.PathLike[str],
    *,
    title: str = "detector report",
) -> Path:
    """report.html and ``report-details/`` in ``folder`` for ``records`` (streamed
    once) and their ``stats``; returns the page's path."""
    with ReportWriter(folder, title=title) as report:
        for record in records:
            report.add(record)
        return report.finish(stats)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def row_data(index: int, s: dict[str, Any]) -> list[Any]:
    """One document's row of the table: ``[index, id, error (0/1), error message,
    filler score, removed share, generated share, blocks, tokens, seconds]``."""
    ok = s["status"] == "ok"
    return [
        index,
        s["id"],
        0 if ok else 1,
        "" if ok else str(s["error"] or ""),
        _round(s["filler_score"], 4),
        _round(s["removed_share"]),
        _round(s["generated_share"]),
        s["blocks"] if ok else None,
        s["tokens"] if ok else None,
        _round(s["seconds"], 4) if ok else None,
    ]


def detail_data(record: dict[str, Any], summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """One document as the page's script draws it: ``w`` which document it is and
    where it came from (text), ``b`` its blocks as ``[label code, kind, text,
    [p_content, p_boilerplate, p_seo_filler, p_generated], evidence, place]``,
    and ``s`` the generated sections as ``{index: [p_generated, evidence]}``.
    Plain data: the script only ever sets it as text. A block whose text is not
    at hand (its input was not found) has null for it."""
    s = summary or summarize(record)
    where = [f"document {s['id']}"]
    if s["source"] and s["source"] != s["id"]:
        where.append(f"source {s['source']}")
    if s["url"]:
        where.append(f"url {s['url']}")
    where.append(f"mode {s['mode']}")
    title = (record.get("metadata") or {}).get("title")
    if title:
        where.append(f"title “{title}”")
    if s["status"] != "ok":
        where.append(f"error {s['error']}")
    blocks = []
    for block in record.get("blocks") or []:
        probs = [
            _round(block.get(name))
            for name in ("p_content", "p_boilerplate", "p_seo_filler", "p_generated")
        ]
        place = ""
        if block.get("path"):
            place = f"source {block['path']}"
            if block.get("source_start") is not None:
                place += f" @{block['source_start']}–{block.get('source_end')}"
        elif block.get("line_start") is not None:
            place = f"lines {block.get('line_start')}–{block.get('line_end')}"
        row: list[Any] = [
            LABEL_CODES.get(block.get("label", "content"), 0),
            block.get("kind", "paragraph"),
            block.get("text"),
            probs,
        ]
        evidence = "; ".join(str(e) for e in block.get("evidence") or [])
        section = block.get("section") if block.get("label") == "generated" else None
        if evidence or place or section is not None:
            row += [evidence, place]
        if section is not None:
            row.append(section)
        blocks.append(row)
    sections = {
        str(sec.get("index")): [
            _round(sec.get("p_generated")),
            "; ".join(str(e) for e in sec.get("evidence") or []),
        ]
        for sec in record.get("sections") or []
    }
    data: dict[str, Any] = {"w": " · ".join(where), "b": blocks}
    if sections:
        data["s"] = sections
    return data


def _round(value: Any, digits: int = 3) -> float | None:
    return None if value is None else round(float(value), digits)


# -- page ----------------------------------------------------------------------

_CSS = """
:root{--ink:#1d2430;--muted:#5b6573;--line:#e3e6eb;--bg:#f6f7f9;--card:#fff;--content:#2f7d4f;
  --boilerplate:#8a8f98;--seo:#9c4dcc;--gen:#e07b00;--genbg:#fff1dc}
*{box-sizing:border-box}
body{margin:0;
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
  color:var(--ink);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:28px 28px 60px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:36px 0 12px}
.sub{color:var(--muted);margin:0;font-size:14px}
.sub code{font-size:12.5px;background:#eceff3;padding:1px 5px;border-radius:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;
  margin-top:20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .n{font-size:26px;font-weight:650;letter-spacing:-.5px}
.card .k{color:var(--muted);font-size:13px}
.card .d{color:var(--muted);font-size:12.5px;margin-top:2px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px;
  margin-top:12px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;
  padding:12px 14px}
figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
figcaption span{font-weight:400;color:var(--muted);font-size:12.5px;display:block}
svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
  fill:#5b6573}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:8px 0 0}
.legend i{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;
  vertical-align:-1px}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:13.5px}
.tablewrap{border:1px solid var(--line);border-radius:10px;overflow:auto;max-height:640px;
  background:var(--card)}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f0f2f5;font-weight:600;white-space:nowrap;z-index:1}
th[data-key]{cursor:pointer;user-select:none}
th[data-key]:after{content:" \\2195";color:#a0a7b1;font-weight:400}
th[aria-sort=ascending]:after{content:" \\2191";color:var(--ink)}
th[aria-sort=descending]:after{content:" \\2193";color:var(--ink)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.id{max-width:420px;overflow-wrap:anywhere}
td.id small{display:block;color:var(--muted);overflow-wrap:anywhere}
td small{overflow-wrap:anywhere}
tr.err td{background:#fff5f5}
.bar{display:inline-block;height:8px;border-radius:4px;background:#e9ecf0;width:64px;
  margin-right:8px;vertical-align:0;overflow:hidden}
.bar b{display:block;height:100%}
.filters{display:flex;flex-wrap:wrap;gap:10px 22px;align-items:center;margin:0 0 10px;
  font-size:14px}
.filters input[type=search]{padding:6px 10px;border:1px solid #cdd2d9;border-radius:6px;
  min-width:240px;font:inherit}
.filters select{padding:5px 8px;border:1px solid #cdd2d9;border-radius:6px;font:inherit;
  background:#fff}
.filters output{font-variant-numeric:tabular-nums;font-weight:600;display:inline-block;
  min-width:34px}
.muted{color:var(--muted)}
.pill{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;
  color:#fff}
.status-error{color:#b3261e;font-weight:600}
button.open{all:unset;cursor:pointer;color:#1a56b0;overflow-wrap:anywhere}
button.open:before{content:"\\25B8\\00a0";color:var(--muted)}
button.open[aria-expanded=true]:before{content:"\\25BE\\00a0"}
button.open:focus-visible{outline:2px solid #1a56b0}
tr.detail>td{background:#fbfbfc;padding:0}
.docmeta{color:var(--muted);font-size:12.5px;padding:8px 16px 0;overflow-wrap:anywhere}
.blocks{padding:10px 16px 14px}
.b{position:relative;white-space:pre-wrap;word-wrap:break-word;padding:4px 118px 4px 12px;
  margin:2px 0;border-left:4px solid var(--content);border-radius:2px}
.b .t{position:absolute;right:6px;top:5px;font-size:11px;font-weight:400;color:var(--muted);
  white-space:nowrap}
.b.l-boilerplate{border-left-color:var(--boilerplate);color:#7b818b;
  text-decoration:line-through;text-decoration-color:#a3a8b0}
.b.l-seo_filler{border-left-color:var(--seo);color:#7a5a8c;text-decoration:line-through;
  text-decoration-color:#b993d1;background:#faf5fd}
.b.l-generated{border-left-color:var(--gen);background:var(--genbg)}
.b.k-heading{font-weight:650}
.b:hover{outline:1px solid #c9ced6}
.sect{font-size:12px;color:#9a5a00;margin:10px 0 2px 16px;font-weight:600}
.pager{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:center;margin:0 0 10px;
  font-size:14px}
.pager button{padding:4px 10px;border:1px solid #cdd2d9;border-radius:6px;background:#fff;
  font:inherit;cursor:pointer}
.pager button:disabled{color:#a0a7b1;cursor:default}
.pager span{font-variant-numeric:tabular-nums;padding:0 6px}
footer{margin-top:40px;color:var(--muted);font-size:13px}
@media (max-width:960px){main{padding:18px 12px 40px}
  .tablewrap{overflow-x:hidden}table{table-layout:fixed;font-size:12.5px}
  th{white-space:normal}th,td{padding:6px 5px}th[data-key]:after{content:none}
  th:first-child{width:34%}th:nth-child(2){width:9%}th:nth-child(3){width:13%}
  .bar{display:none}.filters input[type=search]{min-width:0;width:100%}
  .b{padding-right:12px}.b .t{position:static;display:block}
  .charts{grid-template-columns:1fr}td.id small,td small{overflow-wrap:anywhere}}
"""

_SCRIPT = """
(function () {
  "use strict";
  var data = document.getElementById("rows"), table = document.getElementById("docs");
  if (!data || !table) return;
  var ROWS = JSON.parse(data.textContent);
  var body = table.tBodies[0];
  var q = byId("f-q"), min = byId("f-min"), status = byId("f-status");
  var minOut = byId("f-min-v"), shown = byId("f-shown"), info = byId("p-info");
  var nav = {first: byId("p-first"), prev: byId("p-prev"), next: byId("p-next"),
    last: byId("p-last")};
  var PAGE = @PAGE@, CHUNK = @CHUNK@, DIR = "@DIR@";
  var LABELS = ["content", "boilerplate", "seo_filler", "generated"];
  var NAMES = ["content", "boilerplate", "SEO filler", "generated"];
  var COLUMNS = {id: 1, status: 2, score: 4, removed: 5, generated: 6, blocks: 7, tokens: 8,
    time: 9};
  var order = ROWS.slice(), view = order, page = 0, opened = {}, chunks = {}, waiting = {};
  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function num(x) { return x == null ? "\\u2013" : x.toFixed(2); }
  function pct(x) { return x == null ? "\\u2013" : Math.round(x * 100) + "%"; }
  function count(x) { return x == null ? "\\u2013" : x.toLocaleString("en"); }
  function ms(x) {
    return x == null ? "\\u2013" : Math.round(x * 1000).toLocaleString("en") + " ms";
  }
  function colour(x) {
    var stops = [[0, [47, 125, 79]], [0.5, [214, 170, 40]], [1, [214, 84, 24]]];
    x = Math.min(1, Math.max(0, x));
    var a = x <= 0.5 ? stops[0] : stops[1], b = x <= 0.5 ? stops[1] : stops[2];
    var t = (x - a[0]) / (b[0] - a[0]);
    return "rgb(" + a[1].map(function (v, k) { return Math.round(v + (b[1][k] - v) * t); }) + ")";
  }
  // the detail files call this with their documents
  window.detectorDetails = function (c, list) {
    chunks[c] = list;
    (waiting[c] || []).forEach(function (w) { w[0](list); });
    delete waiting[c];
  };
  function chunk(c) {
    return new Promise(function (resolve, reject) {
      if (chunks[c]) return resolve(chunks[c]);
      if (waiting[c]) return waiting[c].push([resolve, reject]);
      waiting[c] = [[resolve, reject]];
      var s = document.createElement("script"), name = DIR + "/" + c + ".js";
      s.src = name;
      s.onload = s.onerror = function () {
        s.remove();
        var w = waiting[c];
        if (!w) return;
        delete waiting[c];
        w.forEach(function (x) {
          x[1](new Error("could not read " + name + ": it must be in the folder of this page"));
        });
      };
      document.head.appendChild(s);
    });
  }
  function detail(i) {
    var c = Math.floor(i / CHUNK);
    return chunk(c).then(function (list) { return list[i - c * CHUNK]; });
  }
  function render(d) {
    var box = el("div", "doc");
    box.appendChild(el("div", "docmeta", d.w));
    var blocks = el("div", "blocks"), last = null, secs = d.s || {};
    d.b.forEach(function (b) {
      var label = b[0], p = b[3], sec = b.length > 6 ? b[6] : null;
      if (sec != null && sec !== last) {
        var s = secs[sec] || [null, ""];
        blocks.appendChild(el("div", "sect", "generated section \\u00b7 p=" + num(s[0]) +
          (s[1] ? " \\u00b7 " + s[1] : "")));
      }
      last = sec;
      var text = b[2] == null ? "(text not at hand: its input was not found)" : b[2];
      var div = el("div", "b l-" + LABELS[label] + " k-" + b[1], text);
      var tip = [NAMES[label] + " (" + b[1] + ")", "p_content " + num(p[0]) +
        " \\u00b7 p_boilerplate " + num(p[1]) + " \\u00b7 p_seo_filler " + num(p[2])];
      if (p[3] != null) tip.push("p_generated " + num(p[3]));
      if (b[4]) tip.push("evidence: " + b[4]);
      if (b[5]) tip.push(b[5]);
      div.title = tip.join("\\n");
      div.appendChild(el("span", "t", NAMES[label] + " " + num(p[label])));
      blocks.appendChild(div);
    });
    if (!d.b.length) blocks.appendChild(el("div", "muted", "no blocks"));
    box.appendChild(blocks);
    return box;
  }
  function detailRow(i) {
    var tr = el("tr", "detail"), td = el("td", null, "loading\\u2026");
    td.colSpan = 8;
    tr.setAttribute("data-state", "loading");
    tr.appendChild(td);
    tr.ready = detail(i).then(function (d) {
      td.textContent = "";
      td.appendChild(render(d));
      tr.setAttribute("data-state", "ready");
    }, function (err) {
      td.textContent = err.message;
      tr.setAttribute("data-state", "failed");
    });
    return tr;
  }
  function row(r) {
    var tr = el("tr", r[2] ? "err" : null);
    tr.setAttribute("data-i", r[0]);
    var id = el("td", "id"), btn = el("button", "open", r[1]);
    btn.type = "button";
    btn.setAttribute("aria-expanded", opened[r[0]] ? "true" : "false");
    id.appendChild(btn);
    tr.appendChild(id);
    var st = el("td");
    if (r[2]) {
      st.appendChild(el("span", "status-error", "error"));
      st.appendChild(el("br"));
      st.appendChild(el("small", null, r[3]));
    } else {
      st.textContent = "ok";
    }
    tr.appendChild(st);
    var score = el("td", "num");
    if (r[4] == null) {
      score.appendChild(el("span", "muted", "\\u2013"));
    } else {
      var bar = el("span", "bar"), fill = el("b");
      fill.style.width = Math.round(100 * Math.min(1, Math.max(0, r[4]))) + "%";
      fill.style.background = colour(r[4]);
      bar.appendChild(fill);
      score.appendChild(bar);
      score.appendChild(document.createTextNode(r[4].toFixed(3)));
    }
    tr.appendChild(score);
    [pct(r[5]), pct(r[6]), count(r[7]), count(r[8]), ms(r[9])].forEach(function (text) {
      tr.appendChild(el("td", "num", text));
    });
    return tr;
  }
  function pages() { return Math.max(1, Math.ceil(view.length / PAGE)); }
  function draw() {
    page = Math.min(Math.max(0, page), pages() - 1);
    var rows = view.slice(page * PAGE, (page + 1) * PAGE), frag = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = row(r);
      frag.appendChild(tr);
      if (opened[r[0]]) {
        tr.detailRow = detailRow(r[0]);
        frag.appendChild(tr.detailRow);
      }
    });
    body.textContent = "";
    body.appendChild(frag);
    shown.textContent = view.length.toLocaleString("en");
    info.textContent = view.length ? "page " + (page + 1) + " of " + pages() + " \\u00b7 " +
      (page * PAGE + 1).toLocaleString("en") + "\\u2013" +
      (page * PAGE + rows.length).toLocaleString("en") : "no documents";
    nav.first.disabled = nav.prev.disabled = page === 0;
    nav.next.disabled = nav.last.disabled = page >= pages() - 1;
  }
  function toggle(tr, open) {
    var i = parseInt(tr.getAttribute("data-i"), 10);
    if (open === undefined) open = !opened[i];
    if (!open && tr.detailRow) {
      tr.detailRow.remove();
      tr.detailRow = null;
      delete opened[i];
    } else if (open && !tr.detailRow) {
      opened[i] = true;
      tr.detailRow = detailRow(i);
      tr.parentNode.insertBefore(tr.detailRow, tr.nextSibling);
    }
    tr.querySelector("button.open").setAttribute("aria-expanded", open ? "true" : "false");
    return tr.detailRow ? tr.detailRow.ready : Promise.resolve();
  }
  body.addEventListener("click", function (e) {
    var btn = e.target.closest("button.open");
    if (btn) toggle(btn.closest("tr"));
  });
  function filter() {
    var text = q.value.trim().toLowerCase(), low = parseFloat(min.value), want = status.value;
    minOut.textContent = low.toFixed(2);
    view = order.filter(function (r) {
      return (!text || r[1].toLowerCase().indexOf(text) >= 0) &&
        (want === "all" || (want === "error") === (r[2] === 1)) &&
        (r[4] == null ? low <= 0 : r[4] >= low);
    });
    page = 0;
    draw();
  }
  [q, min, status].forEach(function (input) { input.addEventListener("input", filter); });
  nav.first.addEventListener("click", function () { page = 0; draw(); });
  nav.prev.addEventListener("click", function () { page -= 1; draw(); });
  nav.next.addEventListener("click", function () { page += 1; draw(); });
  nav.last.addEventListener("click", function () { page = pages() - 1; draw(); });
  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (!th || !th.getAttribute("data-key")) return;
    var k = COLUMNS[th.getAttribute("data-key")], numeric = th.classList.contains("num");
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    order.sort(function (a, b) {
      var x = a[k], y = b[k];
      if (numeric) {
        x = x == null ? -Infinity : x;
        y = y == null ? -Infinity : y;
        return x === y ? a[0] - b[0] : (x < y ? -1 : 1) * dir;
      }
      return String(x).localeCompare(String(y)) * dir || a[0] - b[0];
    });
    filter();
  });
  // for people and tests alike: show document i (clearing filters that hide it) and open it
  window.detectorReport = {
    documents: ROWS.length,
    pages: pages,
    page: function (n) { page = n; draw(); return page; },
    open: function (i) {
      if (!view.some(function (r) { return r[0] === i; })) {
        q.value = ""; min.value = "0"; status.value = "all";
        filter();
      }
      page = Math.floor(view.findIndex(function (r) { return r[0] === i; }) / PAGE);
      draw();
      return toggle(body.querySelector('tr[data-i="' + i + '"]'), true);
    }
  };
  if (ROWS.length <= @OPEN@) ROWS.forEach(function (r) { opened[r[0]] = true; });
  filter();
})();
""".replace("@CHUNK@", str(DETAIL_CHUNK)).replace("@OPEN@", str(OPEN_DETAILS))
_SCRIPT = _SCRIPT.replace("@PAGE@", str(PAGE_ROWS)).replace("@DIR@", DETAILS)


def _page(title: str, body: str) -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}' 'self'; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="referrer" content="no-referrer">\n<title>{esc(title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def render_page(rows: str, documents: int, stats: dict[str, Any], *, title: str) -> str:
    """The page, with ``rows`` (the JSON array of every document's
    :func:`row_data`, in the table's first order)."""
    # data, not script: no "<" at all, so no "</script" or "<!--" can end it early
    rows = rows.replace("<", "\\u003c")
    body = [
        _header(title, stats),
        _cards(stats),
        _charts(stats),
        _errors(stats),
        _table(documents),
        f'<script type="application/json" id="rows">{rows}</script>',
        _footer(stats),
    ]
    return _page(title, "\n".join(part for part in body if part))


# -- summary -------------------------------------------------------------------


def _header(title: str, stats: dict[str, Any]) -> str:
    run = stats.get("run") or {}
    models = stats.get("models") or {}
    bits = []
    if run.get("inputs"):
        bits.append("inputs " + ", ".join(f"<code>{esc(p)}</code>" for p in run["inputs"][:5]))
    if run.get("finished"):
        bits.append(f"finished {esc(run['finished'])}")
    if models:
        bits.append(
            "models "
            + ", ".join(
                f"{esc(name)} <code>{esc(str(info.get('sha256', ''))[:12])}</code>"
                for name, info in sorted(models.items())
            )
        )
    return f'<header><h1>{esc(title)}</h1><p class="sub">{" · ".join(bits)}</p></header>'


def _card(number: str, label: str, detail: str = "") -> str:
    extra = f'<div class="d">{detail}</div>' if detail else ""
    return (
        f'<div class="card"><div class="n">{number}</div><div class="k">{label}</div>{extra}</div>'
    )


def _cards(stats: dict[str, Any]) -> str:
    docs = stats.get("documents") or {}
    removed = stats.get("removed") or {}
    filler = stats.get("filler_score") or {}
    generated = stats.get("generated") or {}
    tokens = stats.get("tokens") or {}
    seconds = stats.get("seconds_per_document") or {}
    quant = filler.get("quantiles") or {}
    cards = [
        _card(
            f"{docs.get('total', 0):,}",
            "documents",
            f"{docs.get('ok', 0):,} ok · {docs.get('error', 0):,} failed",
        ),
        _card(
            _pct(removed.get("share_of_tokens")),
            "of the text removed",
            f"{removed.get('tokens', 0):,} of {tokens.get('total', 0):,} tokens "
            "(boilerplate, SEO filler)",
        ),
        _card(
            _num(quant.get("median")),
            "median filler score",
            f"p90 {_num(quant.get('p90'))} · max {_num(quant.get('max'))}",
        ),
    ]
    if filler.get("threshold") is not None:
        cards.append(
            _card(
                f"{filler.get('above_threshold', 0):,}",
                "documents likely filler",
                f"filler score above {filler['threshold']:.2f}",
            )
        )
    cards.append(
        _card(
            f"{generated.get('documents_with_generated_blocks', 0):,}",
            "documents with generated sections",
            f"{_pct(generated.get('share_of_tokens'))} of all tokens",
        )
    )
    if seconds:
        run = stats.get("run") or {}
        rate = run.get("documents_per_second")
        detail = f"p95 {seconds.get('p95', 0) * 1000:.0f} ms"
        if rate:
            detail += f" · {rate:.1f} docs/s with -j {run.get('jobs', '?')}"
        cards.append(_card(f"{seconds.get('median', 0) * 1000:.0f} ms", "per document", detail))
    return f'<section class="cards">{"".join(cards)}</section>'


# -- charts --------------------------------------------------------------------

_W, _H = 420, 190
_PAD_L, _PAD_R, _PAD_T, _PAD_B = 40, 12, 14, 34


def score_colour(score: float) -> str:
    """Green (0) through amber to deep orange (1)."""
    stops = [(0.0, (47, 125, 79)), (0.5, (214, 170, 40)), (1.0, (214, 84, 24))]
    score = min(1.0, max(0.0, score))
    for (a, ca), (b, cb) in itertools.pairwise(stops):
        if score <= b:
            t = (score - a) / (b - a)
            rgb = [round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#d65418"


def svg_histogram(
    counts: list[int],
    *,
    x_label: str,
    colour: Any = None,
    marker: float | None = None,
    marker_label: str = "",
    percent_axis: bool = False,
) -> str:
    """Bars of ``counts`` over equal bins of [0, 1], with axes, as inline SVG."""
    bins = max(1, len(counts))
    top = max(counts or [0]) or 1
    plot_w, plot_h = _W - _PAD_L - _PAD_R, _H - _PAD_T - _PAD_B
    step = plot_w / bins
    parts = [f'<svg viewBox="0 0 {_W} {_H}" width="100%" role="img" aria-label="{esc(x_label)}">']
    for tick in _ticks(top):
        y = _PAD_T + plot_h - plot_h * tick / top
        parts.append(
            f'<line x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eceff3"/>'
            f'<text x="{_PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>'
        )
    for i, count in enumerate(counts):
        height = plot_h * count / top
        x = _PAD_L + i * step
        fill = colour((i + 0.5) / bins) if callable(colour) else (colour or "#4c78a8")
        low, high = i / bins, (i + 1) / bins
        span = f"{low:.0%}–{high:.0%}" if percent_axis else f"{low:.2f}–{high:.2f}"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{_PAD_T + plot_h - height:.1f}" '
            f'width="{max(1.0, step - 2):.1f}" height="{height:.1f}" rx="2" fill="{fill}">'
            f"<title>{span}: {count:,} documents</title></rect>"
        )
    base = _PAD_T + plot_h
    parts.append(
        f'<line x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{base}" y2="{base}" stroke="#9aa2ad"/>'
    )
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = _PAD_L + plot_w * tick
        text = f"{tick:.0%}" if percent_axis else f"{tick:g}"
        parts.append(f'<text x="{x:.1f}" y="{base + 15}" text-anchor="middle">{text}</text>')
    parts.append(
        f'<text x="{_PAD_L + plot_w / 2:.1f}" y="{_H - 3}" text-anchor="middle">'
        f"{esc(x_label)}</text>"
    )
    if marker is not None:
        x = _PAD_L + plot_w * min(1.0, max(0.0, marker))
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_PAD_T - 4}" y2="{base}" stroke="#b3261e" '
            f'stroke-dasharray="4 3"/><text x="{x - 4:.1f}" y="{_PAD_T + 6}" text-anchor="end" '
            f'style="fill:#b3261e">{esc(marker_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _ticks(top: int) -> list[int]:
    if top <= 5:
        return list(range(0, top + 1))
    raw = top / 4
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, top + 1, int(step)))


def svg_label_bars(rows: list[tuple[str, dict[str, int]]]) -> str:
    """One stacked horizontal bar per row (share of each label), as inline SVG."""
    height = 34 + 46 * len(rows)
    left, right = 70, 12
    width = _W - left - right
    parts = [f'<svg viewBox="0 0 {_W} {height}" width="100%" role="img" aria-label="label shares">']
    for r, (name, counts) in enumerate(rows):
        total = sum(counts.values()) or 1
        y = 14 + r * 46
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{esc(name)}</text>')
        x = float(left)
        for label in LABELS:
            value = counts.get(label, 0)
            if not value:
                continue
            w = width * value / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="26" '
                f'fill="{LABEL_COLOURS[label]}">'
                f"<title>{esc(LABEL_NAMES[label])}: {value:,} ({value / total:.1%})</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                    f'style="fill:#fff;font-weight:600">{value / total:.0%}</text>'
                )
            x += w
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{LABEL_COLOURS[label]}"></i>{esc(LABEL_NAMES[label])}</span>'
        for label in LABELS
    )
    return f'<div class="legend">{items}</div>'


def _charts(stats: dict[str, Any]) -> str:
    filler = stats.get("filler_score") or {}
    removed = stats.get("removed") or {}
    threshold = filler.get("threshold")
    score_chart = svg_histogram(
        (filler.get("histogram") or {}).get("counts") or [0] * 20,
        x_label="filler score (document)",
        colour=score_colour,
        marker=threshold,
        marker_label="threshold" if threshold is not None else "",
    )
    removed_chart = svg_histogram(
        (removed.get("per_document_histogram") or {}).get("counts") or [0] * 10,
        x_label="share of the document's text removed",
        colour="#7d8694",
        percent_axis=True,
    )
    label_chart = svg_label_bars(
        [
            ("tokens", (stats.get("tokens") or {}).get("by_label") or {}),
            ("blocks", (stats.get("blocks") or {}).get("by_label") or {}),
        ]
    )
    return (
        '<section class="charts">'
        f"<figure><figcaption>Filler scores<span>documents per score band; higher means more "
        f"likely generated or padded</span></figcaption>{score_chart}</figure>"
        f"<figure><figcaption>Text removed per document<span>boilerplate and SEO filler, as a "
        f"share of each document's blocks</span></figcaption>{removed_chart}</figure>"
        f"<figure><figcaption>Label shares<span>all documents together</span></figcaption>"
        f"{label_chart}{_legend()}</figure>"
        "</section>"
    )


def _errors(stats: dict[str, Any]) -> str:
    errors = stats.get("errors") or {}
    by_reason = errors.get("by_reason") or {}
    if not by_reason:
        return ""
    examples = errors.get("example_ids") or {}
    rows = "".join(
        f'<tr><td class="num">{count:,}</td><td>{esc(reason)}</td>'
        f'<td class="id">{esc(examples.get(reason, ""))}</td></tr>'
        for reason, count in by_reason.items()
    )
    return (
        f'<h2>Errors by reason</h2><div class="tablewrap"><table><thead><tr><th class="num">'
        f"documents</th><th>reason</th><th>for example</th></tr></thead><tbody>{rows}</tbody>"
        "</table></div>"
    )


# -- table ---------------------------------------------------------------------


def _table(documents: int) -> str:
    note = (
        f'<p class="muted">All {documents:,} documents, {PAGE_ROWS} a page: failures first, '
        "then the highest filler scores. Open a document to see every block as the cleaner "
        "and the filler model saw it. Struck through: removed by cleaning. Highlighted: a "
        "section the filler model flags as generated. Hover a block for its probabilities "
        "and the evidence.</p>" + _legend()
    )
    head = (
        '<tr><th data-key="id">document</th><th data-key="status">status</th>'
        '<th class="num" data-key="score" aria-sort="descending">filler score</th>'
        '<th class="num" data-key="removed">removed</th>'
        '<th class="num" data-key="generated">generated</th>'
        '<th class="num" data-key="blocks">blocks</th><th class="num" data-key="tokens">tokens</th>'
        '<th class="num" data-key="time">time</th></tr>'
    )
    filters = (
        '<div class="filters">'
        '<label>Find <input type="search" id="f-q" placeholder="id contains…"></label>'
        '<label>Filler score at least <input type="range" id="f-min" min="0" max="1" step="0.01" '
        'value="0"> <output id="f-min-v">0.00</output></label>'
        '<label>Status <select id="f-status"><option value="all">all</option>'
        '<option value="ok">ok</option><option value="error">error</option></select></label>'
        f'<span class="muted"><b id="f-shown">{documents:,}</b> shown</span></div>'
    )
    pager = (
        '<nav class="pager" aria-label="pages of the table">'
        '<button type="button" id="p-first">« first</button>'
        '<button type="button" id="p-prev">‹ previous</button>'
        '<span id="p-info" aria-live="polite"></span>'
        '<button type="button" id="p-next">next ›</button>'
        '<button type="button" id="p-last">last »</button></nav>'
    )
    return (
        f"<h2>Documents</h2>{filters}{note}{pager}"
        '<noscript><p class="muted">The table needs JavaScript; results.jsonl holds every '
        "document.</p></noscript>"
        f'<div class="tablewrap"><table id="docs"><thead>{head}</thead><tbody></tbody>'
        "</table></div>"
    )


def _footer(stats: dict[str, Any]) -> str:
    run = stats.get("run") or {}
    bits = [
        "Machine-readable results: <code>results.jsonl</code> (one record per document) and "
        "<code>stats.json</code>, beside this file."
    ]
    if run.get("options"):
        options = ", ".join(f"{esc(k)}={esc(v)}" for k, v in run["options"].items())
        bits.append(f"Options: {options}.")
    bits.append(
        "Scores are the models' probabilities, a likelihood of filler, not proof of authorship."
    )
    return f"<footer>{' '.join(bits)}</footer>"


# -- formatting ----------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"
