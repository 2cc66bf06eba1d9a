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

This module turns the records and the stats into plain values (numbers
formatted, chart geometry computed); the markup is in Jinja2 templates
shipped beside it in ``templates/``: the page (``report.html.j2``), its
charts (``charts.html.j2``), its style and its script. A template engine with
autoescaping, rather than markup built from strings, so that no value can
reach the page unescaped by a forgotten call.

Size: the page holds one short row of numbers per document (compact JSON in a
data element, drawn a page at a time), so that it loads fast with 100,000
documents. The documents' blocks are in ``report-details/N.js``,
``DETAIL_CHUNK`` documents a file in the order the records were read; the
page loads a file when one of its documents is opened.

Safety: the templates are rendered with autoescape on, so every value in the
markup is HTML-escaped (quotes included) unless marked safe, and scraped text
is only ever placed in element text or quoted attributes, never inside the
script or a URL. The rows are JSON in a data element through ``tojson``,
which escapes ``<``, ``>``, ``&`` and ``'``, so nothing in them can end the
element; the detail files are JSON passed to one function. The page's script
puts all of it into the page only as ``textContent`` or ``title``, never as
markup; the page links nowhere. A Content-Security-Policy allows no network
access and no script but the page's own (by its sha256) and files beside it
(the detail files), so even a mistake in escaping could not load or run
anything from elsewhere.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

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
TEMPLATES = "templates"
"""The folder of the page's templates, in this package."""


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


class JSONText(str):
    """JSON already serialized, which ``tojson`` writes as it is (then escapes
    for HTML as any value): the rows are kept as one short string per document,
    far smaller than lists of Python objects with 100,000 documents."""


def _dumps(value: Any, **kwargs: Any) -> str:
    return str(value) if isinstance(value, JSONText) else json.dumps(value, **kwargs)


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates' environment: autoescape on, undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("detector.report", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        PAGE_ROWS=PAGE_ROWS,
        DETAIL_CHUNK=DETAIL_CHUNK,
        DETAILS=DETAILS,
        OPEN_DETAILS=OPEN_DETAILS,
        LABELS=LABELS,
        LABEL_COLOURS=LABEL_COLOURS,
        LABEL_NAMES=LABEL_NAMES,
    )
    env.policies["json.dumps_function"] = _dumps
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env


@functools.cache
def _script_sha256() -> str:
    """The page's script's sha256 (base64), which the Content-Security-Policy
    names: the page includes the same template as its one inline script."""
    script = _environment().get_template("report.js.j2").render()
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def render_page(rows: str, documents: int, stats: dict[str, Any], *, title: str) -> str:
    """The page, with ``rows`` (the JSON array of every document's
    :func:`row_data`, in the table's first order)."""
    filler = stats.get("filler_score") or {}
    removed = stats.get("removed") or {}
    threshold = filler.get("threshold")
    run = stats.get("run") or {}
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            script_sha256=_script_sha256(),
            **_header(stats),
            cards=_cards(stats),
            score_chart=histogram_chart(
                (filler.get("histogram") or {}).get("counts") or [0] * 20,
                x_label="filler score (document)",
                colour=score_colour,
                marker=threshold,
                marker_label="threshold" if threshold is not None else "",
            ),
            removed_chart=histogram_chart(
                (removed.get("per_document_histogram") or {}).get("counts") or [0] * 10,
                x_label="share of the document's text removed",
                colour="#7d8694",
                percent_axis=True,
            ),
            label_chart=label_bars_chart(
                [
                    ("tokens", (stats.get("tokens") or {}).get("by_label") or {}),
                    ("blocks", (stats.get("blocks") or {}).get("by_label") or {}),
                ]
            ),
            errors=_errors(stats),
            documents=f"{documents:,}",
            rows=JSONText(rows),
            options=[(str(k), _text(v)) for k, v in (run.get("options") or {}).items()],
        )
    )


# -- summary -------------------------------------------------------------------


def _header(stats: dict[str, Any]) -> dict[str, Any]:
    """The line under the title: the first inputs, when the run finished, and
    the models by name and sha256."""
    run = stats.get("run") or {}
    models = stats.get("models") or {}
    return {
        "inputs": [_text(p) for p in (run.get("inputs") or [])[:5]],
        "finished": _text(run.get("finished")),
        "models": [
            (_text(name), str(info.get("sha256", ""))[:12]) for name, info in sorted(models.items())
        ],
    }


def _card(number: str, label: str, detail: str = "") -> dict[str, str]:
    return {"number": number, "label": label, "detail": detail}


def _cards(stats: dict[str, Any]) -> list[dict[str, str]]:
    """The summary cards: each a number, what it counts and a line of detail."""
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
    return cards


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


def histogram_chart(
    counts: list[int],
    *,
    x_label: str,
    colour: Any = None,
    marker: float | None = None,
    marker_label: str = "",
    percent_axis: bool = False,
) -> dict[str, Any]:
    """Bars of ``counts`` over equal bins of [0, 1], with axes: the geometry that
    the ``histogram`` macro of ``charts.html.j2`` draws as inline SVG."""
    bins = max(1, len(counts))
    top = max(counts or [0]) or 1
    plot_w, plot_h = _W - _PAD_L - _PAD_R, _H - _PAD_T - _PAD_B
    step = plot_w / bins
    base = _PAD_T + plot_h
    grid = []
    for tick in _ticks(top):
        y = _PAD_T + plot_h - plot_h * tick / top
        grid.append({"y": f"{y:.1f}", "text_y": f"{y + 4:.1f}", "text": f"{tick:,}"})
    bars = []
    for i, count in enumerate(counts):
        height = plot_h * count / top
        low, high = i / bins, (i + 1) / bins
        span = f"{low:.0%}–{high:.0%}" if percent_axis else f"{low:.2f}–{high:.2f}"
        bars.append(
            {
                "x": f"{_PAD_L + i * step + 1:.1f}",
                "y": f"{base - height:.1f}",
                "width": f"{max(1.0, step - 2):.1f}",
                "height": f"{height:.1f}",
                "fill": colour((i + 0.5) / bins) if callable(colour) else (colour or "#4c78a8"),
                "title": f"{span}: {count:,} documents",
            }
        )
    x_ticks = [
        {"x": f"{_PAD_L + plot_w * t:.1f}", "text": f"{t:.0%}" if percent_axis else f"{t:g}"}
        for t in (0, 0.25, 0.5, 0.75, 1.0)
    ]
    chart: dict[str, Any] = {
        "width": _W,
        "height": _H,
        "left": _PAD_L,
        "right": _W - _PAD_R,
        "base": base,
        "grid": grid,
        "grid_text_x": _PAD_L - 6,
        "bars": bars,
        "x_ticks": x_ticks,
        "x_tick_y": base + 15,
        "x_label": x_label,
        "x_label_x": f"{_PAD_L + plot_w / 2:.1f}",
        "x_label_y": _H - 3,
        "marker": None,
    }
    if marker is not None:
        x = _PAD_L + plot_w * min(1.0, max(0.0, marker))
        chart["marker"] = {
            "x": f"{x:.1f}",
            "top": _PAD_T - 4,
            "text_x": f"{x - 4:.1f}",
            "text_y": _PAD_T + 6,
            "label": marker_label,
        }
    return chart


def _ticks(top: int) -> list[int]:
    if top <= 5:
        return list(range(0, top + 1))
    raw = top / 4
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, top + 1, int(step)))


def label_bars_chart(rows: list[tuple[str, dict[str, int]]]) -> dict[str, Any]:
    """One stacked horizontal bar per row (share of each label): the geometry
    that the ``label_bars`` macro of ``charts.html.j2`` draws as inline SVG."""
    left, right = 70, 12
    width = _W - left - right
    bars = []
    for r, (name, counts) in enumerate(rows):
        total = sum(counts.values()) or 1
        y = 14 + r * 46
        x = float(left)
        parts = []
        for label in LABELS:
            value = counts.get(label, 0)
            if not value:
                continue
            w = width * value / total
            parts.append(
                {
                    "x": f"{x:.1f}",
                    "width": f"{w:.1f}",
                    "fill": LABEL_COLOURS[label],
                    "title": f"{LABEL_NAMES[label]}: {value:,} ({value / total:.1%})",
                    # the share written on the bar where it fits
                    "text": f"{value / total:.0%}" if w > 34 else "",
                    "text_x": f"{x + w / 2:.1f}",
                }
            )
            x += w
        bars.append({"name": name, "y": y, "text_y": y + 17, "parts": parts})
    return {"width": _W, "height": 34 + 46 * len(rows), "name_x": left - 8, "bars": bars}


def _errors(stats: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Errors by reason: ``(documents, reason, an example id)``."""
    errors = stats.get("errors") or {}
    examples = errors.get("example_ids") or {}
    return [
        (f"{count:,}", _text(reason), _text(examples.get(reason)))
        for reason, count in (errors.get("by_reason") or {}).items()
    ]


# -- formatting ----------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: Any) -> str:
    return "–" if value is None else f"{float(value):.2f}"
