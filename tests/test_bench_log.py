"""The measurement log: each bench part replaces its own marked section."""

from __future__ import annotations

from pathlib import Path

from detector_dev.bench.log import captured, write_section


def test_a_part_replaces_only_its_own_section(tmp_path: Path) -> None:
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# Benchmarks\n\nhand-written text\n", encoding="utf-8")
    write_section("speed", "Speed", "python -m detector_dev.bench --only speed", "1.0x\n", page)
    write_section("html", "HTML", "python -m detector_dev.bench --only html", "F1 0.87\n", page)
    write_section("speed", "Speed", "python -m detector_dev.bench --only speed", "2.0x\n", page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nhand-written text\n")
    assert text.count("<!-- bench:speed -->") == text.count("<!-- /bench:speed -->") == 1
    assert "2.0x" in text and "1.0x" not in text and "F1 0.87" in text
    assert text.index("bench:speed") < text.index("bench:html")  # replaced in place
    assert "commit " in text and "load average" in text and "cores" in text


def test_captured_keeps_a_copy_of_what_is_printed(capsys) -> None:
    import click

    with captured() as printed:
        click.echo("a table")
        print("a line")
    assert printed.getvalue() == "a table\na line\n"
    assert capsys.readouterr().out == "a table\na line\n"
