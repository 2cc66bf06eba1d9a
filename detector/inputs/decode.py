"""Bytes of unknown origin -> text: encoding, binary refusal, gzip within limits.

Decoded text is returned as it is apart from removed control characters: line
endings (``\\r\\n``, ``\\r``) are kept, so character offsets computed
downstream refer to exactly the string returned here.
"""

from __future__ import annotations

import codecs
import re
import zlib

GZIP_MAGIC = b"\x1f\x8b"

_SAMPLE = 64 * 1024
"""Bytes inspected by the binary and UTF-16 sniffers."""

_DECLARATION_SCAN = 16 * 1024
"""Bytes searched for an in-document charset declaration."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (re.compile(rb"\s*%PDF-"), "PDF"),
    (re.compile(rb"\x89PNG\r\n\x1a\n"), "PNG"),
    (re.compile(rb"\xff\xd8\xff"), "JPEG"),
    (re.compile(rb"GIF8[79]a"), "GIF"),
    (re.compile(rb"RIFF.{4}WEBP", re.S), "WebP"),
    (re.compile(rb"RIFF.{4}WAVE", re.S), "WAV"),
    (re.compile(rb"II\*\x00|MM\x00\*"), "TIFF"),
    (re.compile(rb".{4}ftyp", re.S), "MP4/MOV"),
    (re.compile(rb"ID3[\x02-\x04]\x00|OggS\x00|fLaC[\x00\x80]"), "audio"),
    (re.compile(rb"wOF[F2](?:\x00\x01\x00\x00|OTTO|true)"), "WOFF font"),
    (re.compile(rb"PK\x03\x04|PK\x05\x06"), "ZIP/Office document"),
    (re.compile(rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "legacy Office document"),
    (re.compile(GZIP_MAGIC), "gzip"),
    (re.compile(rb"BZh[1-9]1AY&SY"), "bzip2"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd"),
    (re.compile(rb"7z\xbc\xaf\x27\x1c"), "7-Zip"),
    (re.compile(rb"Rar!\x1a\x07"), "RAR"),
    (re.compile(rb"\x7fELF"), "ELF executable"),
    (re.compile(rb"MZ.{0,62}\x00", re.S), "Windows executable"),
    (re.compile(rb"\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe|\xce\xfa\xed\xfe"), "Mach-O/Java class"),
    (re.compile(rb"\x00asm"), "WebAssembly"),
    (re.compile(rb"SQLite format 3\x00"), "SQLite database"),
)

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
"""C0 controls that never occur in text (tab, newlines, form feed and ESC,
which ISO-2022 encodings use, are not counted)."""

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0/C1 control characters removed from decoded text (all but \\t \\n \\r)."""

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:+-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([\w.:+-]+)[\"']", re.I)

_LABEL_ALIASES = {
    # WHATWG: these labels mean windows-1252 / its Turkish and Thai siblings
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    # legacy CJK labels mean the vendor supersets actually in use
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gbk",
    "gb_2312-80": "gbk",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
}

_REFUSED_CODECS = ("utf-16", "utf-32", "utf-7")
"""Declared charsets not believed: a declaration readable as ASCII cannot be
UTF-16/32 (real BOM-less UTF-16 is sniffed instead), and UTF-7 is unsafe."""

_COMMON_LEGACY = ("cp1252", "cp1251", "cp1250", "cp932", "euc_jp", "gbk", "cp949", "big5")
"""Legacy web encodings, most common first."""

_BINARY_SHARE_UTF8 = 0.30
_BINARY_SHARE_OTHER = 0.01


class InputError(Exception):
    """An input that cannot be turned into text; the message is a short reason."""


def decode_bytes(
    data: bytes,
    *,
    html: bool | None = None,
    encoding: str | None = None,
    force_encoding: str | None = None,
) -> str:
    """Decode ``data`` of any common encoding to text.

    ``force_encoding`` (``--encoding``) decodes with that codec whatever the
    bytes or their declarations say (a byte order mark of that codec is
    dropped); binary input is still refused.

    Precedence: a byte order mark; then strictly valid UTF-8 (which beats
    declarations, as pages re-encoded by scrapers keep stale ones); then a
    charset declared by the transport (``encoding``, e.g. from an HTTP header)
    or, unless ``html`` is False, by the document (``<meta charset>``,
    ``http-equiv`` content type, XML declaration), if the bytes decode with it;
    then mostly-valid UTF-8; then detection; finally windows-1252. Invalid
    sequences become U+FFFD. Control characters other than tab, newline and
    carriage return are removed; nothing else is changed.

    Returns "" for empty or whitespace-only input. Raises InputError for
    binary input (a known file signature, or too many control bytes).
    """
    if not data.strip():
        return ""
    if force_encoding:
        _refuse_binary(data[:_SAMPLE])
        return _finish(data.decode(force_encoding, "replace"))
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _finish(data[len(bom) :].decode(codec, "replace"))
    _refuse_binary(data[:_SAMPLE])
    utf16 = _bomless_utf16(data[:_SAMPLE])
    if utf16:
        return _finish(data.decode(utf16, "replace"))
    _refuse_control_bytes(data[:_SAMPLE])
    return _finish(_decode_unmarked(data, html, encoding))


def strip_controls(text: str) -> str:
    """``text`` without C0/C1 control characters other than ``\\t \\n \\r``."""
    return _CONTROL_CHARS.sub("", text)


def _finish(text: str) -> str:
    text = strip_controls(text).removeprefix("\ufeff")
    return text if text.strip() else ""


def _refuse_binary(sample: bytes) -> None:
    for pattern, kind in _MAGIC:
        if pattern.match(sample):
            raise InputError(f"binary input ({kind})")


def _bomless_utf16(sample: bytes) -> str | None:
    """The UTF-16 codec when NUL bytes fall on one side of each code unit, as
    in BOM-less UTF-16 text of mostly Latin script; else None."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _refuse_control_bytes(sample: bytes) -> None:
    share = len(_CONTROL_BYTES.findall(sample)) / len(sample)
    limit = _BINARY_SHARE_UTF8 if _is_utf8_prefix(sample) else _BINARY_SHARE_OTHER
    if share > limit:
        raise InputError(f"binary input ({share:.0%} control bytes)")


def _is_utf8_prefix(sample: bytes) -> bool:
    """Whether ``sample`` is valid UTF-8, allowing a character cut at its end."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _decode_unmarked(data: bytes, html: bool | None, encoding: str | None) -> str:
    if b"\x1b" not in data:  # ESC: 7-bit ISO-2022 text is also valid UTF-8
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for codec in _declared_codecs(data, html, encoding):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", "replace")
    if _mostly_valid_utf8(text):
        return text
    return data.decode(_detect(data) or "cp1252", "replace")


_COHERENCE_MARGIN = 0.1
"""How much less coherent than the best guess a common web codec may be and still
win: on short texts the language-coherence scores of single-byte code pages
differ by chance (cp1252 French scored 0.35 against 0.42 for ISO-8859-14)."""


def _detect(data: bytes) -> str | None:
    """The detected codec: windows-1252 for bytes that read as Western European
    text in it (see :func:`_looks_western`); else charset_normalizer's guess,
    among nearly equally plausible guesses (same chaos, coherence within a
    small margin) the most common on the web."""
    if _looks_western(data):
        return "cp1252"
    from charset_normalizer import from_bytes  # ~60 ms to import: only for undeclared bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    chaos = matches[0].chaos
    coherence = max(m.coherence for m in matches if m.chaos == chaos)
    tied = [
        m.encoding
        for m in matches
        if m.chaos == chaos and m.coherence >= coherence - _COHERENCE_MARGIN
    ]
    return min(tied, key=_rarity)


_WESTERN_LETTERS = frozenset("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒ")
"""Letters of French, German, Spanish, Portuguese, Italian, Dutch, Catalan and
the Scandinavian languages in windows-1252. Left out on purpose: ð þ š ž, whose
bytes are the commonest letters of Baltic (š ž), Cyrillic (р ю) and Central
European (š ž in windows-1250) text."""

_WESTERN_SIGNS = frozenset("«»‘’‚“”„–—…•€£°·§©®™×¡¿ªº\xa0†‰")
"""Punctuation and signs common in Western European text in windows-1252."""

_WORD = re.compile(r"[^\W\d_]+")


def _looks_western(data: bytes) -> bool:
    """Whether ``data`` reads in windows-1252 as Western European text: every
    non-ASCII character is one of that text's letters or signs, and no word of
    three letters or more is made of such letters alone (as the words of
    Cyrillic, Greek or Hebrew text read as windows-1252 are). Short texts give
    charset_normalizer's language models little to go on, and it then picks
    Baltic or Cyrillic code pages for Latin-1 French ("forêt à côté" came out
    as "forкt а cфtй")."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    extra = {c for c in text if ord(c) > 127}
    if not extra or not extra <= _WESTERN_LETTERS | _WESTERN_SIGNS:
        return False
    return not any(
        len(word) >= 3 and all(c in _WESTERN_LETTERS for c in word) for word in _WORD.findall(text)
    )


def _rarity(codec: str) -> int:
    return _COMMON_LEGACY.index(codec) if codec in _COMMON_LEGACY else len(_COMMON_LEGACY)


def _declared_codecs(data: bytes, html: bool | None, encoding: str | None) -> list[str]:
    labels = [encoding] if encoding else []
    if html is not False:
        head = data[:_DECLARATION_SCAN]
        found = (_META_CHARSET.search(head), _XML_ENCODING.match(head))
        labels += [m.group(1).decode("ascii") for m in found if m]
    return [codec for codec in map(_codec, labels) if codec]


def _codec(label: str) -> str | None:
    """The Python text codec for a charset label, or None if unknown or refused."""
    label = label.strip().lower()
    try:
        info = codecs.lookup(_LABEL_ALIASES.get(label, label))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith(_REFUSED_CODECS):
        return None
    return info.name


def _mostly_valid_utf8(text: str) -> bool:
    """Whether UTF-8 decoding with replacement kept at least ten valid non-ASCII
    characters for each invalid sequence (UTF-8 with a few corrupt bytes)."""
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good > 0 and good >= 10 * bad


_MODE_SCAN = 64 * 1024
_TAG_NAMES = (
    r"(?:a|abbr|article|aside|b|blockquote|body|br|code|dd|div|dl|dt|em|figcaption|figure"
    r"|footer|form|h[1-6]|head|header|hr|html|i|img|input|label|li|link|main|meta|nav|ol|p"
    r"|pre|script|section|small|span|strong|style|table|tbody|td|th|thead|title|tr|u|ul)"
)
_HTML_START = re.compile(
    rf"\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<{_TAG_NAMES}[\s/>])",
    re.I | re.S,
)
_HTML_MARKER = re.compile(r"<!doctype\s+html|<(?:html|head|body)[\s>]", re.I)
_HTML_TAG = re.compile(rf"</?{_TAG_NAMES}(?:\s[^<>]*)?/?>", re.I)


def detect_mode(text: str) -> str:
    """Whether ``text`` is an HTML page or fragment ("html") or not ("text").

    Only a prefix is inspected: a leading tag or doctype, an ``<html>``,
    ``<head>`` or ``<body>`` tag near the start, or a high density of common
    HTML tags.
    """
    head = text[:_MODE_SCAN]
    if _HTML_START.match(head) or _HTML_MARKER.search(head, 0, 2048):
        return "html"
    tags = len(_HTML_TAG.findall(head))
    return "html" if tags >= 5 and tags * 300 >= len(head) else "text"


def gunzip_limited(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip ``data`` (one or more concatenated members).

    Raises InputError as soon as the output would exceed ``max_bytes``, so a
    decompression bomb never takes more than about ``max_bytes`` of memory, and
    for corrupt or truncated data.
    """
    out = bytearray()
    pending = data
    while pending:
        pending = _inflate_member(pending, out, max_bytes).lstrip(b"\x00")  # NUL padding
    return bytes(out)


def _inflate_member(data: bytes, out: bytearray, limit: int) -> bytes:
    """Append one gzip member of ``data`` to ``out``; return the bytes after it."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    while not inflater.eof:
        try:
            piece = inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise InputError("invalid gzip data") from exc
        out += piece
        if len(out) > limit:
            raise InputError(f"gzip: decompressed size exceeds limit ({limit} bytes)")
        data = inflater.unconsumed_tail
        if not piece and not data:
            raise InputError("invalid gzip data (truncated)")
    return inflater.unused_data
