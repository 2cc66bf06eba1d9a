"""Model files: plain arrays, hash-checked against the manifest before use."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import seed_path

from detector.cli import main
from detector.modelstore import ModelError, default_model_dir, load_arrays, read_manifest
from detector_dev.export import save_arrays


def _tiny_model(model_dir: Path) -> Path:
    arrays = {"coef": np.array([0.5, -1.0]), "names": np.array(["a", "b"])}
    return save_arrays(arrays, "tiny", model_dir=model_dir, metrics={"note": "test"})


def test_round_trip_records_hash_versions_and_metrics(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path)
    entry = read_manifest(tmp_path)["models"]["tiny"]
    assert entry["file"] == path.name == "tiny.npz" and len(entry["sha256"]) == 64
    assert entry["metrics"] == {"note": "test"} and "numpy" in entry["library_versions"]
    loaded = load_arrays("tiny", model_dir=tmp_path)
    assert loaded["coef"].tolist() == [0.5, -1.0] and loaded["names"].tolist() == ["a", "b"]


def test_versions_name_the_project_by_its_distribution() -> None:
    """The project is installed as ``detector-clean``; its version was lost
    when the manifest asked for a distribution named ``detector``."""
    from importlib import metadata

    from detector_dev.export import library_versions

    if "detector" not in metadata.packages_distributions():
        pytest.skip("the project is not installed (run from a source tree by PYTHONPATH)")
    assert library_versions()["detector-clean"] == metadata.version("detector-clean")


def test_object_arrays_are_never_saved(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="object arrays"):
        save_arrays({"x": np.array([{"a": 1}], dtype=object)}, "bad", model_dir=tmp_path)


def test_a_pickle_inside_a_hash_checked_file_is_not_loaded(tmp_path: Path) -> None:
    """Even a file whose hash matches (someone rewrote the manifest too) cannot
    run code: arrays are read with allow_pickle=False."""
    path = _tiny_model(tmp_path)
    np.savez(path, x=np.array([{"a": 1}], dtype=object))
    manifest = read_manifest(tmp_path)
    manifest["models"]["tiny"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="not a readable model file"):
        load_arrays("tiny", model_dir=tmp_path)


def test_one_changed_byte_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"tiny\.npz: sha256 .* does not match the manifest"):
        load_arrays("tiny", model_dir=tmp_path)


def test_missing_entry_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no entry for model 'cleaner'"):
        load_arrays("cleaner", model_dir=tmp_path)
    path = _tiny_model(tmp_path)
    path.unlink()
    with pytest.raises(ModelError, match="model file missing"):
        load_arrays("tiny", model_dir=tmp_path)


def test_shipped_models_are_package_data_listed_with_their_hashes() -> None:
    manifest = read_manifest()
    assert set(manifest["models"]) == {"cleaner", "filler", "html"}
    for name, entry in manifest["models"].items():
        assert entry["file"] == f"{name}.npz"
        assert (default_model_dir() / entry["file"]).is_file()


@pytest.mark.parametrize("where", [[], ["--timeout", "5"]], ids=["in-process", "worker"])
def test_cli_refuses_a_tampered_model_dir(tmp_path: Path, where: list[str]) -> None:
    model_dir = tmp_path / "models"
    shutil.copytree(str(default_model_dir()), model_dir)
    cleaner = model_dir / "cleaner.npz"
    data = bytearray(cleaner.read_bytes())
    data[100] ^= 0xFF
    cleaner.write_bytes(bytes(data))
    result = CliRunner().invoke(
        main, ["clean", str(seed_path("000")), "--model-dir", str(model_dir), *where]
    )
    assert result.exit_code == 2
    assert "cleaner.npz" in result.output and "sha256" in result.output
    assert "Traceback" not in result.output


def test_cli_auto_mode_refuses_a_tampered_html_model_when_a_page_arrives(tmp_path: Path) -> None:
    model_dir = tmp_path / "models"
    shutil.copytree(str(default_model_dir()), model_dir)
    with open(model_dir / "html.npz", "ab") as handle:
        handle.write(b"tampered")
    text = CliRunner().invoke(main, ["clean", str(seed_path("000")), "--model-dir", str(model_dir)])
    assert text.exit_code == 0  # a text file needs no HTML model
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>A page of one paragraph.</p></body></html>")
    result = CliRunner().invoke(main, ["clean", str(page), "--model-dir", str(model_dir)])
    assert result.exit_code == 2
    assert "html.npz" in result.output and "sha256" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "mode"), [("cleaner", "text"), ("html", "html")])
def test_a_model_of_another_second_pass_context_is_refused_at_load(name: str, mode: str) -> None:
    """The second pass's context columns have no saved names: a model trained
    on other context code (one column more here) is refused when it loads,
    not half-way through a batch with a booster's shape error."""
    from detector.html_mode.model import HtmlModel
    from detector.text_mode.model import TextModel

    model_class = TextModel if mode == "text" else HtmlModel
    arrays = load_arrays(name)
    model_class.from_arrays(arrays)  # the shipped model loads
    arrays["second/0/n_features"] = arrays["second/0/n_features"] + 1
    with pytest.raises(ValueError, match="trained on other second-pass context"):
        model_class.from_arrays(arrays)
