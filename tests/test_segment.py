"""Plain-text segmentation: blocks, kinds, and their place in the input."""

from __future__ import annotations

import random
import re

from detector.text_mode import segment
from detector.text_mode.segment import segment_text


def test_lines_tables_and_lists_become_blocks() -> None:
    text = (
        "Europe\n\nA headline about a deal\n"
        "The president said on Tuesday that he was ready.\n"
        "- first point\n- second point\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
        "Closing line."
    )
    blocks = segment_text(text)
    assert [(b.kind, b.line_start, b.line_end) for b in blocks] == [
        ("heading", 1, 1),
        ("heading", 3, 3),
        ("paragraph", 4, 4),
        ("list", 5, 6),
        ("table", 7, 9),
        ("paragraph", 10, 10),
    ]
    for block in blocks:
        assert text[block.start : block.end] == block.text


def test_hard_wrapped_prose_is_joined_into_one_paragraph() -> None:
    para = (
        "The comments come amid intensifying dialogue between the Trump\n"
        "administration and Minsk, a key ally of Russia during its all-out\n"
        "war against Ukraine, which began in February 2022 and goes on.\n"
        "It ended there."
    )
    blocks = segment_text(para + "\n\nNext paragraph here.")
    assert len(blocks) == 2
    assert blocks[0].line_start == 1 and blocks[0].line_end == 4
    assert "Trump administration" in blocks[0].text


def test_empty_and_blank_text_have_no_blocks() -> None:
    assert segment_text("") == []
    assert segment_text("\n \n\t\n") == []


def test_crlf_offsets_point_back_at_the_text() -> None:
    text = "First line.\r\n\r\nSecond line here.\r\n"
    blocks = segment_text(text)
    assert [text[b.start : b.end] for b in blocks] == ["First line.", "Second line here."]
    assert [b.line_start for b in blocks] == [1, 3]


def test_line_tests_equal_their_expressions() -> None:
    rng = random.Random(0)
    alphabet = "aB1٣²|#-*•·–— .:;)\"'”\t\u00a0\u2003Éx"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    sentence_end = re.compile(r"[.!?…:;\"'”’»)\]]\s*$")
    for line in lines:
        assert segment._is_table_row(line) == bool(segment._TABLE_ROW.match(line)), repr(line)
        assert segment._is_bullet(line) == bool(segment._BULLET.match(line)), repr(line)
        stripped = line.strip()
        heading = bool(segment._MD_HEADING.match(stripped)) or (
            0 < len(stripped.split()) <= 14
            and not sentence_end.search(stripped)
            and stripped[:1].isupper()
        )
        assert segment._looks_like_heading(line) == heading, repr(line)
