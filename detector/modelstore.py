"""Model files: saved with skops (no pickle), listed in a manifest with their
sha256, and loaded only after the hash matches and every type in the file is
on the caller's explicit list of trusted types."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import skops.io as sio

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
MANIFEST = "manifest.json"
_TRACKED_LIBRARIES = ("detector", "scikit-learn", "numpy", "scipy", "skops", "trafilatura", "lxml")


class ModelError(Exception):
    """A model file is missing, does not match its manifest, or holds untrusted types."""


def default_model_dir() -> Path:
    """The model folder: ``$DETECTOR_MODEL_DIR`` or the ``models/`` shipped with the code."""
    env = os.environ.get("DETECTOR_MODEL_DIR")
    return Path(env) if env else DEFAULT_MODEL_DIR


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model file depends on."""
    versions = {"python": platform.python_version()}
    for name in _TRACKED_LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def read_manifest(model_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a model folder, or an empty one."""
    path = Path(model_dir) / MANIFEST
    if not path.exists():
        return {"models": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable manifest ({exc})") from exc


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_model(
    obj: Any,
    name: str,
    *,
    model_dir: str | os.PathLike[str] | None = None,
    corpus_sha256: str | None = None,
    metrics: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Save ``obj`` as ``<name>.skops`` and record it in the manifest."""
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    path = model_dir / f"{name}.skops"
    write_atomic(path, sio.dumps(obj))
    manifest = read_manifest(model_dir)
    entry: dict[str, Any] = {
        "file": path.name,
        "sha256": sha256_file(path),
        "types": sorted(sio.get_untrusted_types(file=path)),
        "corpus_sha256": corpus_sha256,
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library_versions": library_versions(),
        "metrics": metrics or {},
    }
    if extra:
        entry.update(extra)
    manifest.setdefault("models", {})[name] = entry
    write_atomic(
        model_dir / MANIFEST,
        (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"),
    )
    return path


def load_model(
    name: str,
    trusted: Sequence[str],
    *,
    model_dir: str | os.PathLike[str] | None = None,
) -> Any:
    """Load ``<name>.skops`` after checking its sha256 and its types.

    Raises ModelError, naming the file and the reason, when the file is
    missing, its hash differs from the manifest, or it holds a type that is
    not in ``trusted``.
    """
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    manifest = read_manifest(model_dir)
    entry = manifest.get("models", {}).get(name)
    if entry is None:
        raise ModelError(f"{model_dir / MANIFEST}: no entry for model '{name}'")
    path = model_dir / entry["file"]
    if not path.is_file():
        raise ModelError(f"{path}: model file missing")
    actual = sha256_file(path)
    if actual != entry["sha256"]:
        raise ModelError(
            f"{path}: sha256 {actual[:16]}... does not match the manifest "
            f"({entry['sha256'][:16]}...); refusing to load a modified model file"
        )
    try:
        found = set(sio.get_untrusted_types(file=path))
    except Exception as exc:  # a corrupt archive raises many kinds of errors
        raise ModelError(f"{path}: not a readable skops file ({exc})") from exc
    unexpected = sorted(found - set(trusted))
    if unexpected:
        raise ModelError(f"{path}: holds types outside the trusted list: {', '.join(unexpected)}")
    try:
        return sio.load(path, trusted=sorted(found))
    except Exception as exc:
        raise ModelError(f"{path}: failed to load ({exc})") from exc


def model_info(model_dir: str | os.PathLike[str] | None = None) -> dict[str, dict[str, str]]:
    """Name -> {file, sha256} for every model in the manifest (for reports)."""
    manifest = read_manifest(model_dir or default_model_dir())
    return {
        name: {"file": entry.get("file", ""), "sha256": entry.get("sha256", "")}
        for name, entry in manifest.get("models", {}).items()
    }
