"""``report.html``: one self-contained page that a person would rather look at than read.

Top to bottom: a summary (documents, text removed, filler scores), three
charts drawn as inline SVG (filler-score histogram, share removed per
document, label shares), errors by reason, a table of documents that sorts
by any column and filters by score, status and id; opening a row shows that
document's text with every block coloured by its label (boilerplate and SEO
filler struck through, generated sections highlighted) and its probabilities
and evidence on hover.

Safety: every piece of scraped text in the markup goes through ``html.escape``
(quotes included) and is only ever placed in element text or quoted
attributes, never inside the script or a URL; in the JSON data elements it is
JSON with no ``<`` at all, and the script puts it into the page only as
``textContent`` or ``title``, never as markup; the page links nowhere. A Content-Security-Policy
allows no network access at all and only the page's own script (by its
sha256), so even a mistake in escaping could not load or run anything.

Size: the table holds at most ``max_rows`` documents (failures first, then the
highest filler scores); every document is in results.jsonl. Every row of the
table opens its document: each document's blocks are in the page as compact
JSON, ``DETAIL_CHUNK`` documents per ``<script type="application/json">``
(data, never run; every ``<`` in it written as ``\\u003c`` so no text can
close the element), and the page's script turns a document into elements with
``textContent`` only when its row is opened, so a page of thousands of
documents loads as fast as its table.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import html
import itertools
import json
from collections.abc import Iterable
from typing import Any

from detector.document import LABELS
from detector.report.stats import summarize

MAX_ROWS = 5000
DETAIL_CHUNK = 250
"""Documents per JSON data element of the page."""
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


def render_report(
    records: Iterable[dict[str, Any]],
    stats: dict[str, Any],
    *,
    title: str = "detector report",
    max_rows: int = MAX_ROWS,
) -> str:
    """The whole report page for ``records`` (streamed once) and their ``stats``.

    Each of the (at most ``max_rows``) documents in the table keeps its
    summary and its compact detail (:func:`detail_data`), not its record."""
    rows: list[tuple[float, int, tuple[dict[str, Any], str]]] = []
    counter = itertools.count()
    for record in records:
        summary = summarize(record)
        order = next(counter)
        score = summary["filler_score"]
        priority = 2.0 if summary["status"] != "ok" else float(score or 0.0)
        if _wanted(rows, (priority, -order), max_rows):
            detail = json.dumps(
                detail_data(record, summary), ensure_ascii=False, separators=(",", ":")
            )
            _push(rows, (priority, -order, (summary, detail)), max_rows)
    total = next(counter)
    ordered = [item for _, _, item in sorted(rows, key=lambda t: (-t[0], -t[1]))]
    table_rows = [summary for summary, _ in ordered]
    threshold = (stats.get("filler_score") or {}).get("threshold")

    body = [
        _header(title, stats),
        _cards(stats),
        _charts(stats),
        _errors(stats),
        _table(table_rows, total, threshold),
        _detail_data([detail for _, detail in ordered]),
        _footer(stats),
    ]
    return _page(title, "\n".join(part for part in body if part))


def _wanted(heap: list[Any], rank: tuple[float, int], limit: int) -> bool:
    return limit > 0 and (len(heap) < limit or rank > heap[0][:2])


def _push(heap: list[Any], item: tuple[float, int, Any], limit: int) -> None:
    if limit <= 0:
        return
    if len(heap) < limit:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)


def detail_data(record: dict[str, Any], summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """One document as the page's script draws it: ``w`` where it came from (text),
    ``b`` its blocks as ``[label code, kind, text, [p_content, p_boilerplate,
    p_seo_filler, p_generated], evidence, place]``, and ``s`` the generated
    sections as ``{index: [p_generated, evidence]}``. Plain data: the script
    only ever sets it as text."""
    s = summary or summarize(record)
    where = [f"source {s['source']}"] if s["source"] else []
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
            block.get("text", ""),
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


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)


def _detail_data(details: list[str]) -> str:
    """The documents' details, ``DETAIL_CHUNK`` to a JSON data element."""
    parts = []
    for start in range(0, len(details), DETAIL_CHUNK):
        chunk = "[" + ",".join(details[start : start + DETAIL_CHUNK]) + "]"
        # data, not script: no "<" at all, so no "</script" or "<!--" can end it early
        chunk = chunk.replace("<", "\\u003c")
        parts.append(
            f'<script type="application/json" id="d-{start // DETAIL_CHUNK}">{chunk}</script>'
        )
    return "\n".join(parts)


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
  var table = document.getElementById("docs");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById("f-q"), min = document.getElementById("f-min");
  var status = document.getElementById("f-status"), minOut = document.getElementById("f-min-v");
  var shown = document.getElementById("f-shown");
  var LABELS = ["content", "boilerplate", "seo_filler", "generated"];
  var NAMES = ["content", "boilerplate", "SEO filler", "generated"];
  var chunks = {}, CHUNK = @CHUNK@;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function num(x) { return x == null ? "\u2013" : x.toFixed(2); }
  function detail(i) {
    var c = Math.floor(i / CHUNK);
    if (!(c in chunks)) {
      var node = document.getElementById("d-" + c);
      chunks[c] = node ? JSON.parse(node.textContent) : [];
    }
    return chunks[c][i - c * CHUNK];
  }
  function render(d) {
    var box = el("div", "doc");
    box.appendChild(el("div", "docmeta", d.w));
    var blocks = el("div", "blocks"), last = null, secs = d.s || {};
    d.b.forEach(function (b) {
      var label = b[0], p = b[3], sec = b.length > 6 ? b[6] : null;
      if (sec != null && sec !== last) {
        var s = secs[sec] || [null, ""];
        blocks.appendChild(el("div", "sect", "generated section \u00b7 p=" + num(s[0]) +
          (s[1] ? " \u00b7 " + s[1] : "")));
      }
      last = sec;
      var div = el("div", "b l-" + LABELS[label] + " k-" + b[1], b[2]);
      var tip = [NAMES[label] + " (" + b[1] + ")", "p_content " + num(p[0]) +
        " \u00b7 p_boilerplate " + num(p[1]) + " \u00b7 p_seo_filler " + num(p[2])];
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
  function toggle(r, open) {
    var btn = r.querySelector("button.open");
    if (open === undefined) open = !r.detailRow;
    if (!open && r.detailRow) {
      r.detailRow.remove(); r.detailRow = null;
    } else if (open && !r.detailRow) {
      var tr = el("tr", "detail"), td = el("td");
      td.colSpan = r.cells.length;
      td.appendChild(render(detail(parseInt(r.getAttribute("data-i"), 10))));
      tr.appendChild(td);
      r.parentNode.insertBefore(tr, r.nextSibling);
      r.detailRow = tr;
    }
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  }
  body.addEventListener("click", function (e) {
    var btn = e.target.closest("button.open");
    if (btn) toggle(btn.closest("tr"));
  });
  function apply() {
    var text = q.value.trim().toLowerCase(), low = parseFloat(min.value), want = status.value;
    var n = 0;
    minOut.textContent = low.toFixed(2);
    rows.forEach(function (r) {
      var s = parseFloat(r.getAttribute("data-score"));
      var ok = (!text || r.getAttribute("data-id").toLowerCase().indexOf(text) >= 0) &&
        (want === "all" || r.getAttribute("data-status") === want) &&
        (isNaN(s) ? low <= 0 : s >= low);
      r.hidden = !ok;
      if (r.detailRow) r.detailRow.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n;
  }
  [q, min, status].forEach(function (el) { el.addEventListener("input", apply); });
  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th");
    if (!th || !th.getAttribute("data-key")) return;
    var key = "data-" + th.getAttribute("data-key"), numeric = th.classList.contains("num");
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.getAttribute(key), y = b.getAttribute(key);
      if (numeric) {
        x = parseFloat(x); y = parseFloat(y);
        if (isNaN(x)) x = -Infinity;
        if (isNaN(y)) y = -Infinity;
        return (x - y) * dir;
      }
      return x.localeCompare(y) * dir;
    });
    rows.forEach(function (r) {
      body.appendChild(r);
      if (r.detailRow) body.appendChild(r.detailRow);
    });
  });
  if (rows.length <= @OPEN@) rows.forEach(function (r) { toggle(r, true); });
  apply();
})();
""".replace("@CHUNK@", str(DETAIL_CHUNK)).replace("@OPEN@", str(OPEN_DETAILS))


def _page(title: str, body: str) -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="referrer" content="no-referrer">\n<title>{esc(title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


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


def _table(rows: list[dict[str, Any]], total: int, threshold: float | None) -> str:
    body = []
    for index, s in enumerate(rows):
        score = s["filler_score"]
        ident = f'<button type="button" class="open" aria-expanded="false">{esc(s["id"])}</button>'
        where = s["source"] if s["source"] != s["id"] else ""
        sub = f"<small>{esc(where)}</small>" if where else ""
        ok = s["status"] == "ok"
        if not ok:
            status = f'<span class="status-error">error</span><br><small>{esc(s["error"])}</small>'
        else:
            status = "ok"
        attrs = {
            "i": index,
            "id": s["id"],
            "status": s["status"],
            "score": "" if score is None else f"{score:.4f}",
            "removed": _attr_num(s["removed_share"]),
            "generated": _attr_num(s["generated_share"]),
            "blocks": s["blocks"] if ok else "",
            "tokens": s["tokens"] if ok else "",
            "time": _attr_num(s["seconds"]) if ok else "",
        }
        data = " ".join(f'data-{k}="{esc(v)}"' for k, v in attrs.items())
        klass = "" if ok else ' class="err"'
        body.append(
            f'<tr{klass} {data}><td class="id">{ident}{sub}</td><td>{status}</td>'
            f'<td class="num">{_score_cell(score)}</td>'
            f'<td class="num">{_pct(s["removed_share"])}</td>'
            f'<td class="num">{_pct(s["generated_share"])}</td>'
            f'<td class="num">{s["blocks"] if ok else "–"}</td>'
            f'<td class="num">{_count(s["tokens"]) if ok else "–"}</td>'
            f'<td class="num">{_ms(s["seconds"]) if ok else "–"}</td></tr>'
        )
    note = ""
    if total > len(rows):
        note = (
            f'<p class="muted">The table lists {len(rows):,} of {total:,} documents: failures '
            "first, then the highest filler scores. results.jsonl has them all.</p>"
        )
    note += (
        '<p class="muted">Open a document to see every block as the cleaner and the filler '
        "model saw it. Struck through: removed by cleaning. Highlighted: a section the filler "
        "model flags as generated. Hover a block for its probabilities and the evidence.</p>"
        + _legend()
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
        f'<span class="muted"><b id="f-shown">{len(rows):,}</b> shown</span></div>'
    )
    return (
        f'<h2>Documents</h2>{filters}{note}<div class="tablewrap"><table id="docs">'
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _score_cell(score: float | None) -> str:
    if score is None:
        return '<span class="muted">–</span>'
    width = round(100 * min(1.0, max(0.0, score)))
    return (
        f'<span class="bar"><b style="width:{width}%;background:{score_colour(score)}"></b></span>'
        f"{score:.3f}"
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


def _count(value: int) -> str:
    return f"{value:,}"


def _num(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"


def _ms(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 1000:,.0f} ms"


def _attr_num(value: Any) -> str:
    return "" if value is None else f"{float(value):.4f}"
