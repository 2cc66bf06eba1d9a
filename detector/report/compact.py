"""The compact form of a results.jsonl record: what the input holds is pointed
at, not copied, so that results.jsonl stays smaller than the input.

A full record is what ``detector score --format jsonl`` prints plus the
report's fields (``source``, ``content_sha256``, ...). Its compact form:

- leaves out what can be rebuilt: ``error`` when null; ``title``, ``author``,
  ``date`` and ``url`` when ``metadata`` has the same value (or neither has
  one); for text input, ``text``, the kept blocks joined by blank lines
  (``drop_generated: true`` when generated blocks were not kept);
- writes the cleaned ``text`` of an HTML page as a list of pieces, each a
  string or ``[a, b]`` for ``input[a:b]`` (the kept blocks that stand in the
  page's source as they are);
- writes each section as ``[label, p_generated, evidence, blocks, heading]``
  (its index is its position; its place comes from its blocks);
- writes each block as an array, trailing nulls left out::

      [label, kind, p_boilerplate, p_seo_filler, start, length, text,
       source_start, source_length, path]

  ``label`` and ``kind`` are positions in ``LABELS`` and ``KINDS``;
  ``p_content`` is ``1 - p_boilerplate - p_seo_filler``; probabilities have
  3 decimals; ``p_generated``, ``section`` and ``evidence`` come from the
  section that lists the block. ``start`` is counted from the previous
  block's ``end`` and ``source_start`` from the last ``source_start`` that
  is not null (both from 0 for the first block); ``end`` is ``start + length``, ``source_end``
  ``source_start + source_length``. ``text`` is null when the block's text
  is ``base[start:end]`` (``base``: the decoded input for text input,
  ``metadata["extracted"]`` for an HTML page read through the extracted-text
  fallback, the record's ``text`` for HTML), ``[a, n]`` when it is the ``n``
  characters of the input from ``source_start + a`` (a dropped HTML block, in
  its element's source), else the text itself. ``line_start``/``line_end``
  are counted in ``base`` (null for a dropped block's empty span). For text
  input ``source_start``/``source_end`` are ``start``/``end``, not written.
  ``path`` is written relative to the previous block's path when that is
  shorter, as a relative URL would be (``../li[3]``: the previous path's
  parent, then ``li[3]``; ``.``: the same path).

A block or section whose array would not give back exactly the full one is
written in full (a JSON object), and so is a record that would not: every
compact record is checked by expanding it when it is written.

Reading a compact record needs its input where it points into it
(:func:`expand_record` with the decoded input, which
:func:`detector.report.store.iter_records` reads again); without it, those
texts and the line numbers counted in them come back null.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from detector.document import KINDS, LABELS

DIGITS = 3
"""Decimals of the probabilities in a compact record."""

_KEPT = ("content", "generated")
_DERIVED_META = ("title", "author", "date")
_RECORD_ORDER = (
    "id", "status", "error", "mode", "text", "title", "author", "date", "url", "metadata",
    "verdict", "filler_score", "filler_threshold", "sections", "blocks",
)  # fmt: skip


def round_probabilities(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with the probabilities of its blocks and sections rounded to
    ``DIGITS`` decimals (in place; the document's ``filler_score`` keeps its
    own); a block's ``p_content`` becomes ``1 - p_boilerplate - p_seo_filler``
    when that differs by at most one in the last decimal from its own rounding."""
    for block in record.get("blocks") or []:
        for key in ("p_boilerplate", "p_seo_filler", "p_generated"):
            if block.get(key) is not None:
                block[key] = round(block[key], DIGITS)
        if block.get("p_content") is not None:
            others = (block.get("p_boilerplate") or 0) + (block.get("p_seo_filler") or 0)
            rest = round(1 - others, DIGITS)
            if abs(rest - block["p_content"]) < 0.0015:
                block["p_content"] = rest
            else:
                block["p_content"] = round(block["p_content"], DIGITS)
    for section in record.get("sections") or []:
        if section.get("p_generated") is not None:
            section["p_generated"] = round(section["p_generated"], DIGITS)
    return record


@dataclass
class _Context:
    """What the blocks of one record are read against, and the running values
    that their relative numbers and paths are counted from."""

    mode: str
    source: str | None
    base: str | None
    sections: dict[int, tuple[int, Any, list[str]]] = field(default_factory=dict)
    """Block index -> (section index, p_generated, evidence)."""
    end: int = 0
    source_start: int = 0
    path: str | None = None
    _newlines: list[int] | None = None

    def line(self, offset: int) -> int:
        """The 1-based line of ``base`` that holds ``offset``."""
        if self._newlines is None:
            text = self.base or ""
            found, at = [], text.find("\n")
            while at >= 0:
                found.append(at)
                at = text.find("\n", at + 1)
            self._newlines = found
        return bisect_left(self._newlines, offset) + 1

    def follow(self, block: dict[str, Any]) -> None:
        """Move the running values past ``block``."""
        if isinstance(block.get("end"), int):
            self.end = block["end"]
        if isinstance(block.get("source_start"), int):
            self.source_start = block["source_start"]
        self.path = block.get("path") or self.path

    def section_of(self, sections: list[dict[str, Any]]) -> None:
        """Learn which section lists which block."""
        self.sections = {
            block: (section.get("index", i), section.get("p_generated"), section.get("evidence"))
            for i, section in enumerate(sections)
            for block in section.get("blocks") or []
        }


def _short(value: Any) -> Any:
    """A probability as written: 0 and 1 without their ".0"."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _float(value: Any) -> Any:
    return float(value) if isinstance(value, int) else value


def _code(value: Any, names: tuple[str, ...]) -> Any:
    return names.index(value) if value in names else value


def _name(value: Any, names: tuple[str, ...]) -> Any:
    return names[value] if isinstance(value, int) and 0 <= value < len(names) else value


def relative_path(previous: str | None, path: str) -> str:
    """``path`` as written after a block at ``previous``: relative when shorter."""
    if not previous:
        return path
    old, new = previous.split("/")[1:], path.split("/")[1:]
    common = 0
    while common < min(len(old), len(new)) and old[common] == new[common]:
        common += 1
    relative = "../" * (len(old) - common) + "/".join(new[common:]) or "."
    return relative if len(relative) < len(path) else path


def resolve_path(previous: str | None, written: str) -> str:
    """The absolute path of a block written as ``written`` after one at ``previous``."""
    if written.startswith("/") or not previous:
        return written
    steps = previous.split("/")[1:]
    if written == ".":
        return previous
    while written.startswith("../"):
        steps.pop()
        written = written[3:]
    if written:
        steps += written.split("/")
    return "/" + "/".join(steps)


def _encode_block(index: int, block: dict[str, Any], ctx: _Context) -> list[Any] | dict[str, Any]:
    text, start, end = block.get("text"), block.get("start"), block.get("end")
    source_start, source_end = block.get("source_start"), block.get("source_end")
    if not (isinstance(start, int) and isinstance(end, int)):
        ctx.follow(block)
        return dict(block)
    where: Any = text
    if ctx.base is not None and ctx.base[start:end] == text:
        where = None
    elif ctx.source is not None and isinstance(source_start, int) and text:
        at = ctx.source.find(text, source_start, source_end)
        if at >= 0:
            where = [at - source_start, len(text)]
    row: list[Any] = [
        _code(block.get("label"), LABELS),
        _code(block.get("kind"), KINDS),
        _short(block.get("p_boilerplate")),
        _short(block.get("p_seo_filler")),
        start - ctx.end,
        end - start,
        where,
    ]
    implied = (start, end) if ctx.mode == "text" else (None, None)
    path = block.get("path")
    if (source_start, source_end) != implied or path is not None:
        if isinstance(source_start, int) and isinstance(source_end, int):
            row += [source_start - ctx.source_start, source_end - source_start]
        else:
            row += [None, None]
    if path is not None:
        row.append(relative_path(ctx.path, path))
    while row and row[-1] is None:
        row.pop()
    trial = _Context(ctx.mode, ctx.source, ctx.base, ctx.sections, ctx.end, ctx.source_start)
    trial.path, trial._newlines = ctx.path, ctx._newlines
    same = _decode_block(index, row, trial) == block
    ctx._newlines = trial._newlines
    ctx.follow(block)
    return row if same else dict(block)


def _decode_block(index: int, row: list[Any] | dict[str, Any], ctx: _Context) -> dict[str, Any]:
    if isinstance(row, dict):
        ctx.follow(row)
        return dict(row)
    values = list(row) + [None] * (10 - len(row))
    label, kind, p_boilerplate, p_seo_filler, start, length, where = values[:7]
    p_boilerplate, p_seo_filler = _float(p_boilerplate), _float(p_seo_filler)
    start += ctx.end
    end = start + length
    if values[7] is not None:
        source_start = ctx.source_start + values[7]
        source_end = source_start + values[8]
    elif ctx.mode == "text" and len(row) <= 7:
        source_start, source_end = start, end
    else:
        source_start = source_end = None
    if where is None:
        text = None if ctx.base is None else ctx.base[start:end]
    elif isinstance(where, list):
        at = (source_start or 0) + where[0]
        text = None if ctx.source is None else ctx.source[at : at + where[1]]
    else:
        text = where
    label = _name(label, LABELS)
    lines = (None, None)
    if ctx.base is not None and (start < end or label in _KEPT):
        lines = (ctx.line(start), ctx.line(end))
    block: dict[str, Any] = {
        "text": text,
        "kind": _name(kind, KINDS),
        "label": label,
        "p_content": round(1 - (p_boilerplate or 0) - (p_seo_filler or 0), DIGITS),
        "p_boilerplate": p_boilerplate,
        "p_seo_filler": p_seo_filler,
        "line_start": lines[0],
        "line_end": lines[1],
        "start": start,
        "end": end,
        "source_start": source_start,
        "source_end": source_end,
    }
    if values[9] is not None:
        block["path"] = resolve_path(ctx.path, values[9])
    if index in ctx.sections:
        section, p_generated, evidence = ctx.sections[index]
        block["p_generated"] = p_generated
        block["section"] = section
        block["evidence"] = list(evidence or [])
    ctx.follow(block)
    return block


def _section_head(section: dict[str, Any]) -> list[Any]:
    row = [
        _code(section.get("label"), LABELS),
        section.get("p_generated"),
        list(section.get("evidence") or []),
        list(section.get("blocks") or []),
        section.get("heading"),
    ]
    while row and row[-1] is None:
        row.pop()
    return row


def _decode_section(row: list[Any] | dict[str, Any], index: int) -> dict[str, Any]:
    if isinstance(row, dict):
        return dict(row)
    values = list(row) + [None] * (5 - len(row))
    return {
        "index": index,
        "heading": values[4],
        "label": _name(values[0], LABELS),
        "p_generated": values[1],
        "evidence": list(values[2] or []),
        "blocks": list(values[3] or []),
    }


def _place_section(section: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """A section head with its place, from its first and last block."""
    if "start" in section:
        return section
    ids = [i for i in section["blocks"] if 0 <= i < len(blocks)]
    first = blocks[ids[0]] if ids else {}
    last = blocks[ids[-1]] if ids else {}
    return {
        **section,
        "line_start": first.get("line_start"),
        "line_end": last.get("line_end"),
        "start": first.get("start"),
        "end": last.get("end"),
    }


def _base(record: dict[str, Any], source: str | None) -> str | None:
    if record.get("mode") == "text":
        return source
    extracted = (record.get("metadata") or {}).get("extracted")
    return extracted if isinstance(extracted, str) else _text(record.get("text"), source)


def _pieces(text: str, blocks: list[dict[str, Any]], source: str | None) -> str | list[Any]:
    """``text`` as a list of its pieces, each a string or ``[a, b]`` for
    ``source[a:b]``: the kept blocks' texts that stand as they are both in
    ``text`` and in ``source`` (within the block's span there) are pointed at;
    ``text`` itself when nothing is."""
    if source is None or not text:
        return text
    pieces: list[Any] = []
    cursor = 0
    for block in blocks:
        start, end, part = block.get("start"), block.get("end"), block.get("text")
        at = block.get("source_start")
        if not (part and isinstance(start, int) and isinstance(at, int) and start >= cursor):
            continue
        if text[start:end] != part:
            continue
        found = source.find(part, at, block.get("source_end"))
        if found < 0:
            continue
        if start > cursor:
            pieces.append(text[cursor:start])
        pieces.append([found, found + len(part)])
        cursor = end
    if not pieces:
        return text
    if cursor < len(text):
        pieces.append(text[cursor:])
    return pieces


def _text(value: Any, source: str | None) -> str | None:
    """A text written as a string or as pieces (:func:`_pieces`)."""
    if not isinstance(value, list):
        return value
    if source is None:
        return None
    return "".join(p if isinstance(p, str) else source[p[0] : p[1]] for p in value)


def _joined(blocks: list[dict[str, Any]], drop_generated: bool) -> str | None:
    kept = ("content",) if drop_generated else _KEPT
    texts = [b.get("text") for b in blocks if b.get("label") in kept]
    return None if None in texts else "\n\n".join(texts)  # type: ignore[arg-type]


def compact_record(record: dict[str, Any], source: str | None) -> dict[str, Any]:
    """The compact form of a full ``record`` (probabilities already rounded to
    ``DIGITS``: :func:`round_probabilities`) whose decoded input is ``source``;
    ``record`` itself when no compact form gives it back exactly."""
    blocks = record.get("blocks") or []
    metadata = record.get("metadata") or {}
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("blocks", "sections", "text"):
            continue
        if key == "error" and value is None:
            continue
        if key in _DERIVED_META + ("url",) and value == metadata.get(key):
            continue
        out[key] = value
    if record.get("mode") == "text" and source is not None:
        if _joined(blocks, False) == record.get("text"):
            pass
        elif _joined(blocks, True) == record.get("text"):
            out["drop_generated"] = True
        else:
            out["text"] = record.get("text")
    elif "text" in record:
        out["text"] = _pieces(record["text"], blocks, source)
    ctx = _Context(record.get("mode") or "", source, _base(record, source))
    sections = record.get("sections") or []
    heads = [_section_head(s) for s in sections]
    ctx.section_of([_decode_section(head, i) for i, head in enumerate(heads)])
    if "blocks" in record:
        out["blocks"] = [_encode_block(i, block, ctx) for i, block in enumerate(blocks)]
    if "sections" in record:
        out["sections"] = [
            head if _place_section(_decode_section(head, i), blocks) == section else dict(section)
            for i, (head, section) in enumerate(zip(heads, sections, strict=True))
        ]
    return out if expand_record(out, source) == record else record


def expand_record(record: dict[str, Any], source: str | None) -> dict[str, Any]:
    """The full record of a compact (or full) ``record`` whose decoded input is
    ``source`` (None when it is not at hand: the texts that only the input holds
    come back null)."""
    if not _is_compact(record):
        return record
    metadata = record.get("metadata") or {}
    full: dict[str, Any] = {}
    ctx = _Context(record.get("mode") or "", source, _base(record, source))
    heads = [_decode_section(s, i) for i, s in enumerate(record.get("sections") or [])]
    ctx.section_of(heads)
    blocks = [_decode_block(i, row, ctx) for i, row in enumerate(record.get("blocks") or [])]
    for key in _RECORD_ORDER:
        if key == "error":
            full[key] = record.get("error")
        elif key in _DERIVED_META + ("url",):
            full[key] = record.get(key, metadata.get(key))
        elif key == "text":
            if "text" in record:
                full[key] = _text(record["text"], source)
            elif record.get("mode") == "text":
                full[key] = _joined(blocks, bool(record.get("drop_generated")))
        elif key == "sections":
            if "sections" in record:
                full[key] = [_place_section(s, blocks) for s in heads]
        elif key == "blocks":
            if "blocks" in record:
                full[key] = blocks
        elif key in record:
            full[key] = record[key]
    for key, value in record.items():
        if key not in full and key != "drop_generated":
            full[key] = value
    return full


def _is_compact(record: dict[str, Any]) -> bool:
    """Whether ``record`` is in compact form (full records have every key of
    ``Document.to_dict`` and blocks and sections as objects)."""
    if any(isinstance(b, list) for b in record.get("blocks") or []):
        return True
    if any(isinstance(s, list) for s in record.get("sections") or []):
        return True
    return any(key not in record for key in ("error", "text", "title", "author", "date", "url"))
