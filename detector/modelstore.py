"""Model files: plain ``.npz`` arrays shipped inside the package, listed in a
manifest with their sha256, and loaded only after the hash matches.

An ``.npz`` read with ``allow_pickle=False`` holds numbers and strings only:
loading it cannot run code, and needs neither scikit-learn nor the versions
the model was trained with. The models are package data, found with
:mod:`importlib.resources`, so a wheel carries them wherever it is installed;
``$DETECTOR_MODEL_DIR`` (or a ``model_dir`` argument) points at another folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # Python 3.10 has it in importlib.abc only (deprecated there from 3.12 on)
    from importlib.abc import Traversable

MANIFEST = "manifest.json"


class ModelError(Exception):
    """A model file is missing, does not match its manifest, or cannot be read."""


def default_model_dir() -> Traversable:
    """The model folder: ``$DETECTOR_MODEL_DIR`` or the models shipped in the package."""
    env = os.environ.get("DETECTOR_MODEL_DIR")
    return Path(env) if env else resources.files("detector") / "models"


def _folder(model_dir: str | os.PathLike[str] | Traversable | None) -> Traversable:
    if model_dir is None:
        return default_model_dir()
    return model_dir if isinstance(model_dir, Traversable) else Path(model_dir)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(model_dir: str | os.PathLike[str] | Traversable | None = None) -> dict[str, Any]:
    """The manifest of a model folder, or an empty one."""
    path = _folder(model_dir) / MANIFEST
    if not path.is_file():
        return {"models": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable manifest ({exc})") from exc


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    import tempfile  # writing is for exports: a command that only reads never imports it

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_arrays(
    name: str, *, model_dir: str | os.PathLike[str] | Traversable | None = None
) -> dict[str, np.ndarray]:
    """The arrays of model ``name``, after checking the file's sha256 against the
    manifest. Raises ModelError, naming the file and the reason, when the entry
    or the file is missing, the hash differs, or the file is not a plain npz."""
    folder = _folder(model_dir)
    entry = read_manifest(folder).get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"{folder / MANIFEST}: no entry for model '{name}'")
    path = folder / entry["file"]
    if not path.is_file():
        raise ModelError(f"{path}: model file missing")
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != entry["sha256"]:
        raise ModelError(
            f"{path}: sha256 {actual[:16]}... does not match the manifest "
            f"({entry['sha256'][:16]}...); refusing to load a modified model file"
        )
    try:
        import numpy as np  # on first load: reading the manifest needs no numpy

        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except Exception as exc:  # a corrupt archive raises many kinds of errors
        raise ModelError(f"{path}: not a readable model file ({exc})") from exc


def check_feature_names(
    arrays: dict[str, np.ndarray], names: list[str] | tuple[str, ...], what: str
) -> None:
    """Refuse a model whose saved ``feature_names`` are not this code's ``names``
    (``what``: the features, for the message): its columns would be read wrong."""
    if [str(n) for n in arrays["feature_names"]] != list(names):
        raise ValueError(f"the model was trained on other {what} than this code's")


def check_input_width(widths: Iterable[int], expected: int, what: str) -> None:
    """Refuse a model whose boosters read rows of other widths than the
    ``expected`` one this code builds (``what``: those rows, for the message).
    The second passes' context columns have no saved names; a model trained
    on other context code would otherwise fail mid-batch with a booster's
    shape error."""
    if any(width != expected for width in widths):
        raise ValueError(f"the model was trained on other {what} than this code's")


def model_info(
    model_dir: str | os.PathLike[str] | Traversable | None = None,
) -> dict[str, dict[str, str]]:
    """Name -> {file, sha256} for every model in the manifest (for reports)."""
    manifest = read_manifest(model_dir)
    return {
        name: {"file": entry.get("file", ""), "sha256": entry.get("sha256", "")}
        for name, entry in manifest.get("models", {}).items()
    }
