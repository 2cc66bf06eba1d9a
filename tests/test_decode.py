"""Decoding bytes of unknown encoding, refusing binary input, bounded gunzip."""

from __future__ import annotations

import gzip
import os
import tracemalloc

import pytest

from detector.inputs.decode import InputError, decode_bytes, detect_mode, gunzip_limited

FRENCH = (
    "Le café était délicieux, et la crème brûlée aussi. Nous avons passé une très "
    "belle soirée à côté de la rivière, où les enfants jouaient près de l'église. "
)
GERMAN = "Die Straße war schön und grün. Über den Fluss führte eine Brücke, während Möwen flogen. "
RUSSIAN = "Москва является столицей России и крупнейшим городом страны. Здесь много музеев. "
JAPANESE = (
    "東京は日本の首都であり、世界でも有数の大都市です。多くの人々が毎日電車で通勤しています。"
)


def page(body: bytes, charset: str | None = None) -> bytes:
    meta = f'<meta charset="{charset}">'.encode() if charset else b""
    return (
        b"<!DOCTYPE html><html><head>" + meta + b"</head><body><p>" + body + b"</p></body></html>"
    )


def test_utf8_is_decoded_as_is() -> None:
    text = "Ünïcödé — “quotes” and emoji 🎉\r\nsecond line\n"
    assert decode_bytes(text.encode("utf-8")) == text


def test_carriage_returns_and_tabs_are_kept() -> None:
    assert decode_bytes(b"a\r\nb\rc\td") == "a\r\nb\rc\td"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
    + [(b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be")],
)
def test_byte_order_mark_decides_and_is_removed(bom: bytes, codec: str) -> None:
    assert decode_bytes(bom + FRENCH.encode(codec)) == FRENCH


def test_bom_beats_a_wrong_declaration() -> None:
    data = b"\xef\xbb\xbf" + page(FRENCH.encode(), charset="windows-1251")
    assert FRENCH in decode_bytes(data)


def test_utf16_without_bom_is_recognised() -> None:
    assert decode_bytes(FRENCH.encode("utf-16-le")) == FRENCH
    assert decode_bytes(FRENCH.encode("utf-16-be")) == FRENCH


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (FRENCH, "cp1252"),
        (GERMAN, "latin-1"),
        (RUSSIAN, "windows-1251"),
        (RUSSIAN, "koi8-r"),
        (JAPANESE, "shift_jis"),
        (JAPANESE, "euc-jp"),
        (JAPANESE, "iso-2022-jp"),
    ],
)
def test_legacy_page_with_declared_charset(text: str, codec: str) -> None:
    assert text in decode_bytes(page(text.encode(codec), charset=codec), html=True)


@pytest.mark.parametrize(
    ("text", "codec"),
    [(FRENCH, "cp1252"), (GERMAN, "latin-1"), (RUSSIAN, "windows-1251"), (JAPANESE, "shift_jis")],
)
def test_legacy_encoding_without_declaration_is_detected(text: str, codec: str) -> None:
    assert decode_bytes((text * 3).encode(codec)) == text * 3
    assert text in decode_bytes(page(text.encode(codec)))


def test_short_western_text_prefers_windows_1252() -> None:
    assert decode_bytes("El niño comió paella en España.".encode("cp1252")) == (
        "El niño comió paella en España."
    )


def test_http_equiv_and_xml_declarations_are_read() -> None:
    body = RUSSIAN.encode("windows-1251")
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert RUSSIAN in decode_bytes(b"<html><head>" + http_equiv + b"</head><p>" + body)
    xml = b'<?xml version="1.0" encoding="windows-1251"?><html><p>' + body
    assert RUSSIAN in decode_bytes(xml)


def test_transport_encoding_is_a_hint() -> None:
    body = RUSSIAN.encode("koi8-r")
    assert decode_bytes(body, encoding="koi8-r") == RUSSIAN


def test_valid_utf8_beats_a_stale_declaration() -> None:
    data = page(FRENCH.encode("utf-8"), charset="iso-8859-1")
    assert FRENCH in decode_bytes(data)


def test_unknown_or_wrong_declaration_falls_back() -> None:
    assert FRENCH in decode_bytes(page(FRENCH.encode("cp1252"), charset="no-such-charset"))
    assert FRENCH in decode_bytes(page(FRENCH.encode("cp1252"), charset="utf-16"))


def test_declarations_are_ignored_for_plain_text() -> None:
    data = b'<meta charset="koi8-r"> ' + FRENCH.encode("cp1252")
    assert FRENCH in decode_bytes(data, html=False)


def test_invalid_utf8_bytes_are_replaced() -> None:
    data = FRENCH.encode("utf-8") + b"\xff\xfe broken \xc3" + FRENCH.encode("utf-8")
    text = decode_bytes(data)
    assert text.startswith(FRENCH) and text.endswith(FRENCH)
    assert "\ufffd" in text


def test_control_characters_are_removed() -> None:
    data = "a\x00b\x01c\x0bd\x0ce\x1ff\x7fg\u0085h\u009fi\tj\nk\rl".encode()
    assert decode_bytes(data) == "abcdefghi\tj\nk\rl"


def test_nul_bytes_in_otherwise_valid_text_are_removed() -> None:
    data = FRENCH.encode() + b"\x00\x00" + FRENCH.encode() + b"\x00" * 20
    assert decode_bytes(data) == FRENCH * 2


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n ", "\u00a0\u2003\n".encode(), b"\xef\xbb\xbf\n"])
def test_empty_input_gives_empty_text(data: bytes) -> None:
    assert decode_bytes(data) == ""


def test_mostly_nul_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="control bytes"):
        decode_bytes(b"a few words" + b"\x00" * 100)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "ZIP"),
        (gzip.compress(b"<html>hello</html>"), "gzip"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
    ],
)
def test_binary_formats_are_refused_by_signature(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=rf"^binary input \(.*{kind}"):
        decode_bytes(data + b"\x00" * 64)


def test_random_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="binary input"):
        decode_bytes(os.urandom(20_000))


def test_text_starting_like_a_signature_is_not_refused() -> None:
    assert decode_bytes(b"ID3 tags explained") == "ID3 tags explained"
    assert decode_bytes(b"MZ is a postcode prefix.") == "MZ is a postcode prefix."


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>Hi</p></body></html>",
        "  \n<html lang='en'><head><title>x</title></head></html>",
        "<!-- saved page -->\n<div class='article'>Text</div>",
        "<p>Just a fragment of an article.</p>",
        '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
        "Saved from the web\n<html><body>page</body></html>",
        "Intro line\n" + "<li><a href='/x'>link</a></li>\n" * 10,
    ],
)
def test_html_is_detected(text: str) -> None:
    assert detect_mode(text) == "html"


@pytest.mark.parametrize(
    "text",
    [
        "Plain prose about nothing in particular.\n\nA second paragraph.",
        "# A markdown title\n\nSome *markdown* with a <br> tag inline.\n",
        FRENCH * 10 + "It mentions the <div>, <p> and <span> elements. " + FRENCH * 10,
        "",
    ],
)
def test_text_is_detected(text: str) -> None:
    assert detect_mode(text) == "text"


def test_detect_mode_inspects_only_a_prefix() -> None:
    text = "plain prose. " * 200_000 + "<p>late tag</p>" * 1000
    assert detect_mode(text) == "text"


def test_gunzip_round_trip_and_concatenated_members() -> None:
    data = gzip.compress(b"first member, ") + gzip.compress(b"second member")
    assert gunzip_limited(data, 1000) == b"first member, second member"


def test_gunzip_tolerates_trailing_nul_padding() -> None:
    assert gunzip_limited(gzip.compress(b"abc") + b"\x00" * 16, 10) == b"abc"


def test_gunzip_exact_limit_is_allowed() -> None:
    assert gunzip_limited(gzip.compress(b"x" * 100), 100) == b"x" * 100
    with pytest.raises(InputError, match="exceeds limit"):
        gunzip_limited(gzip.compress(b"x" * 101), 100)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x1f\x8b\x08\x00garbage-garbage-garbage", "invalid gzip data"),
        (gzip.compress(b"some text " * 100)[:-30], "truncated"),
        (gzip.compress(b"ok") + b"trailing junk", "invalid gzip data"),
    ],
)
def test_gunzip_rejects_corrupt_data(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        gunzip_limited(data, 10_000)


def gzip_bomb(megabytes: int) -> bytes:
    """That many MiB of zero bytes as concatenated gzip members of 10 MiB each."""
    member = gzip.compress(bytes(10 * 2**20), compresslevel=9)
    return member * (megabytes // 10)


def test_gzip_bomb_is_stopped_early() -> None:
    bomb = gzip_bomb(200)
    assert len(bomb) < 300_000
    limit = 15 * 2**20  # tripped in the second member
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="decompressed size exceeds limit"):
            gunzip_limited(bomb, limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * limit  # the 200 MiB are never materialised


def test_short_cp1252_french_is_not_read_as_a_rarer_code_page() -> None:
    # charset-normalizer scores ISO-8859-14 slightly more coherent on this text
    text = "Le président a déclaré mardi que l'accord était « prêt ». " * 5
    assert decode_bytes(text.encode("cp1252")) == text
