"""Command-line options that every command reading documents shares."""

from __future__ import annotations

import click

from detector.inputs.sources import FORMATS as INPUT_FORMATS
from detector.pipeline import MODES

DEFAULT_MAX_BYTES = 5 * 2**20

inputs_argument = click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(allow_dash=True)
)
mode_option = click.option(
    "--mode",
    type=click.Choice(MODES),
    default="auto",
    show_default=True,
    help="Read inputs as plain text, as HTML, or guess per document.",
)
input_format_option = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="One document per file, JSONL records {id, text|html, url?}, or WARC; "
    "auto goes by extension.",
)
max_bytes_option = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Refuse inputs larger than this.",
)
model_dir_option = click.option(
    "--model-dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Folder with the model files and manifest (default: the shipped models).",
)
