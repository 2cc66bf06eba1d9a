"""Model files: hash-checked against the manifest, loaded only with trusted types."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, seed_path
from sklearn.linear_model import LogisticRegression

from detector.cli import main
from detector.modelstore import ModelError, load_model, read_manifest, save_model


def _tiny_model(model_dir: Path) -> Path:
    model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    return save_model(model, "tiny", model_dir=model_dir, metrics={"note": "test"})


def test_round_trip_records_hash_versions_and_metrics(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path)
    entry = read_manifest(tmp_path)["models"]["tiny"]
    assert entry["file"] == path.name and len(entry["sha256"]) == 64
    assert entry["metrics"] == {"note": "test"} and "scikit-learn" in entry["library_versions"]
    loaded = load_model("tiny", [], model_dir=tmp_path)
    assert loaded.predict([[1.0]]).tolist() == [1]


def test_one_changed_byte_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"tiny\.skops: sha256 .* does not match the manifest"):
        load_model("tiny", [], model_dir=tmp_path)


def test_untrusted_types_are_refused(tmp_path: Path) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=2).fit([[0.0], [1.0]] * 20, [0, 1] * 20)
    save_model(model, "boosted", model_dir=tmp_path)
    with pytest.raises(ModelError, match="outside the trusted list: .*TreePredictor"):
        load_model("boosted", [], model_dir=tmp_path)


def test_missing_entry_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no entry for model 'cleaner'"):
        load_model("cleaner", [], model_dir=tmp_path)
    path = _tiny_model(tmp_path)
    path.unlink()
    with pytest.raises(ModelError, match="model file missing"):
        load_model("tiny", [], model_dir=tmp_path)


@pytest.mark.parametrize("where", [[], ["--timeout", "5"]], ids=["in-process", "worker"])
def test_cli_refuses_a_tampered_model_dir(tmp_path: Path, where: list[str]) -> None:
    model_dir = tmp_path / "models"
    shutil.copytree(ROOT / "models", model_dir)
    cleaner = model_dir / "cleaner.skops"
    data = bytearray(cleaner.read_bytes())
    data[100] ^= 0xFF
    cleaner.write_bytes(bytes(data))
    result = CliRunner().invoke(
        main, ["clean", str(seed_path("000")), "--model-dir", str(model_dir), *where]
    )
    assert result.exit_code == 2
    assert "cleaner.skops" in result.output and "sha256" in result.output
    assert "Traceback" not in result.output
