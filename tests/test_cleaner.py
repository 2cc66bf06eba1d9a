"""The block classifier's own arithmetic."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from detector.modelstore import read_manifest
from detector.text_mode.features import BlockFeatures
from detector.text_mode.model import _GAP_BEFORE, CLASSES, FEATURE_NAMES, context
from detector.text_mode.segment import segment_text
from detector_dev.corpus.cleaner_data import CORPUS
from detector_dev.train.options import model_params
from detector_dev.train.text import cv_cache_path
from detector_dev.train.text_model import BlockClassifier


def test_context_holds_each_neighbours_probabilities_within_its_document() -> None:
    rng = np.random.default_rng(1)
    lengths = [0, 1, 2, 5, 9]
    n, k, window = sum(lengths), len(CLASSES), 3
    proba = rng.random((n, k)).astype(np.float32)
    own = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    own[:, _GAP_BEFORE] = 1.0  # every block a chunk of its own
    out = context(proba, lengths, window, own)
    offsets = [o for o in range(-window, window + 1) if o != 0]
    start = 0
    for length in lengths:
        for i in range(length):
            for j, offset in enumerate(offsets):
                cells = out[start + i, j * (k + 1) : (j + 1) * (k + 1)]
                if 0 <= i + offset < length:
                    assert cells.tolist() == [*proba[start + i + offset].tolist(), 1.0]
                else:
                    assert not cells.any()
        start += length


def test_no_selection_of_blocks_beats_the_selection_ceiling() -> None:
    from itertools import combinations

    from detector_dev.metrics import selection_ceiling, token_prf

    gold = "the minister said on monday that talks would resume next week in geneva"
    # an extractor's output: part of the gold is missing, one line is boilerplate
    lines = ["the minister said on monday", "that talks would resume", "Share this story"]
    everything_recall = token_prf("\n".join(lines), gold)[1]
    best = max(
        token_prf("\n".join(subset), gold)[2]
        for k in range(1, len(lines) + 1)
        for subset in combinations(lines, k)
    )
    precision, recall, ceiling = selection_ceiling(everything_recall)
    assert recall == everything_recall < 1
    assert best <= ceiling
    # reached when the selection is exactly the gold text the rendering holds
    assert best == pytest.approx(ceiling)
    assert selection_ceiling(0.0) == (1.0, 0.0, 0.0)


def test_short_clean_articles_have_their_own_row() -> None:
    from detector.document import Block
    from detector_dev.corpus.cleaner_data import LabelledPage
    from detector_dev.train.text import SHORT_ARTICLES, evaluate

    def page(key: str, rendering: str, page_type: str, lines: list[str]) -> LabelledPage:
        blocks = [Block(text=t, start=0, end=len(t)) for t in lines]
        return LabelledPage(
            key, key, "site", "wcxb", page_type, rendering, True, blocks, ["content"] * len(lines)
        )

    two = ["Rain fell on the valley all night.", "The river rose by a metre."]
    pages = [
        page("a", "gold", "article", two),
        page("b", "gold", "article", two[:1]),  # one line: not in the row
        page("c", "gold", "forum", two),  # not an article
    ]
    gold = {p.page: "\n".join(b.text for b in p.blocks) for p in pages}
    proba = np.zeros((6, len(CLASSES)))
    proba[:, CLASSES.index("content")] = 1.0
    proba[1, :] = 0.0
    proba[1, CLASSES.index("seo_filler")] = 1.0  # page a loses its second line
    results = evaluate(pages, gold, proba)
    row = results[SHORT_ARTICLES]
    assert row["pages"] == 1
    assert row["ours"]["recall"] < 1.0
    assert row["false_seo_pages"] == 1.0
    assert results["gold [article]"]["pages"] == 2


def test_ceilings_score_keeping_everything_and_the_labels_without_a_model() -> None:
    from detector.document import Block
    from detector_dev.corpus.cleaner_data import LabelledPage
    from detector_dev.train.text import ceilings

    # a gold text that holds a line the corpus labels boilerplate ("posted by ..."):
    # keeping everything then beats keeping exactly the lines labelled content
    lines = ["Posted by admin in news", "The river rose by a metre overnight."]
    blocks = [Block(text=t, start=0, end=len(t)) for t in lines]
    page = LabelledPage(
        "a", "a", "site", "wcxb", "forum", "recall", False, blocks, ["boilerplate", "content"]
    )
    gold = {"a": "Posted by admin\nThe river rose by a metre overnight, officials said."}
    rows = ceilings([page], gold)
    assert set(rows) == {"recall", "recall (wcxb)", "recall [forum]"}
    assert rows["recall"]["pages"] == 1
    row = rows["recall [forum]"]
    assert row["oracle"] < row["keep_all"] < row["ceiling"] < 1.0


def _tiny_documents() -> tuple[list[list], list[str]]:
    """Twelve made-up pages: a menu line, three article paragraphs, a footer."""
    docs, labels = [], []
    for n in range(12):
        text = (
            f"Home | News | Sport {n}\n\n"
            f"The council met on Tuesday {n} and voted to repair the bridge, officials said.\n\n"
            f"Work on the bridge will start in spring and cost about {n + 2} million euros.\n\n"
            "Residents welcomed the vote, saying the crossing had been unsafe for years.\n\n"
            f"© 2026 Example News {n}. All rights reserved."
        )
        blocks = segment_text(text)
        docs.append(blocks)
        labels += ["boilerplate", "content", "content", "content", "boilerplate"]
    return docs, labels


def test_bagged_passes_average_boosters_on_their_own_samples() -> None:
    docs, labels = _tiny_documents()
    settings = {"max_iter": 5, "min_samples_leaf": 2, "max_rows": 40}
    bagged = BlockClassifier(n_bags=3, **settings).fit(docs, labels)
    assert len(bagged.first_) == len(bagged.second_) == 3
    assert [b.random_state for b in bagged.first_] == [0, 1, 2]
    assert len(bagged.model_.first) == len(bagged.model_.second) == 3
    proba = bagged.predict_proba(docs)
    assert proba.shape == (len(labels), len(CLASSES))
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    # each bag drew its own rows (60 rows, 40 drawn): the boosters differ
    first, second = (b.predict_proba(BlockFeatures().transform(docs)) for b in bagged.first_[:2])
    assert not np.allclose(first, second)
    single = BlockClassifier(**settings).fit(docs, labels)
    assert len(single.first_) == 1 and single.first_[0].random_state == 0


def test_command_line_settings_become_classifier_parameters() -> None:
    assert model_params() == {}
    assert model_params(max_rows=0, n_bags=2, random_state=3) == {
        "max_rows": None,
        "n_bags": 2,
        "random_state": 3,
    }
    assert BlockClassifier(**model_params(max_iter=50)).get_params()["max_iter"] == 50


def test_an_experiment_never_shares_the_shipped_recipes_cache() -> None:
    shipped = cv_cache_path(CORPUS, 5)
    assert cv_cache_path(CORPUS, 5, {}) == shipped
    assert cv_cache_path(CORPUS, 5, {"n_bags": 1, "random_state": 0}) == shipped  # the defaults
    assert cv_cache_path(CORPUS, 5, {"random_state": 2}) != shipped
    assert cv_cache_path(CORPUS, 5, {"n_bags": 2}) != cv_cache_path(CORPUS, 5, {"n_bags": 3})


@pytest.mark.parametrize(
    "module",
    [
        "detector.text_mode.features",
        "detector.text_mode.model",
        "detector_dev.train.text_renderings",
        "detector_dev.train.text_model",
    ],
)
def test_an_edit_to_either_pass_starts_a_new_cache(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probabilities depend on the features, the renderings and both passes
    (the second pass's context is in the runtime model): editing any of them
    must not reuse the last run's."""
    source = Path(importlib.import_module(module).__file__)
    edited = tmp_path / source.name
    edited.write_bytes(source.read_bytes() + b"\n# edited\n")
    shipped = cv_cache_path(CORPUS, 5)
    monkeypatch.setattr(importlib.import_module(module), "__file__", str(edited))
    assert cv_cache_path(CORPUS, 5) != shipped


def test_shipped_cleaner_was_trained_with_the_default_recipe() -> None:
    """The manifest records the trainer's settings: a change to the defaults
    that was not followed by a retrain (make train) fails here."""
    shipped = read_manifest()["models"]["cleaner"]["params"]
    assert shipped == BlockClassifier().get_params()
