"""Build the stop-word index the runtime reads instead of indexing jusText's
stop lists at every start (:class:`detector.language.StopIndex`).

    python -m detector_dev.stopwords [--compressed]

Writes ``detector/data/stopwords.npz`` and its entry in
``detector/data/manifest.json``, with the sha256 of the stop lists it was
built from: where the installed jusText's lists differ, the runtime ignores
the index and reads the lists (same results, a tenth of a second slower).
Run it again after upgrading jusText.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from detector.language import STOP_INDEX, StopIndex, _stoplists, stoplists_digest
from detector_dev.export import save_arrays


def index_arrays() -> dict[str, np.ndarray]:
    """The index of the installed jusText's stop lists, with their digest."""
    _, lists, _ = _stoplists()
    return {**StopIndex.to_arrays(lists), "stoplists_sha256": np.array(stoplists_digest())}


def data_dir() -> Path:
    """The package's data folder (``detector/data``)."""
    return Path(str(resources.files("detector") / "data"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--compressed", action="store_true", help="zip-deflate the arrays (smaller, slower load)"
    )
    args = parser.parse_args(argv)
    path = save_arrays(
        index_arrays(),
        STOP_INDEX,
        model_dir=data_dir(),
        extra={"source": "jusText stop lists", "justext": metadata.version("justext")},
        compressed=args.compressed,
    )
    print(f"saved {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
