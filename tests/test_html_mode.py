"""HTML mode: DOM blocks, features, the classifier, html_document, fetch and the bench metric."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detector.html_mode import (
    DEFAULT_BETAS,
    decide,
    extraction_overlaps,
    html_document,
    load_html_model,
)
from detector.html_mode.blocks import CUE_NAMES, dom_blocks
from detector.html_mode.features import FEATURE_NAMES, page_features
from detector.html_mode.model import CLASSES, HtmlModel
from detector.html_mode.page import analyse_page, trafilatura_parts
from detector.html_mode.render import parse_html
from detector.inputs.fetch import FetchError, fetch
from detector_dev.train.html_model import HtmlBlockClassifier

ARTICLE = """<html lang="en"><head><title>Rivers of the north | Daily Paper</title>
<meta property="og:title" content="Rivers of the north">
<meta name="author" content="Jane Doe"></head><body>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<article class="post-content"><h1>Rivers of the north</h1>
<p>The northern rivers carry meltwater from the mountains through wide valleys, and their
flow changes a great deal between the seasons of the year.</p>
<p>Scientists who measured the water for ten years found that the spring floods now arrive
almost two weeks earlier than they did at the start of the century.</p>
<p>Farmers along the banks say the change has forced them to plant earlier and to build new
channels that keep the fields from drowning in April.</p>
<figure><figcaption class="caption">A river in spring. Photo: Agency</figcaption></figure>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Lakes are warming</a></li>
<li><a href="/b">Snow melts early</a></li></ul></aside>
<footer class="site-footer"><p>Copyright 2024 Daily Paper. All rights reserved.</p></footer>
</body></html>"""


def _tiny_data() -> tuple:
    """Features, labels, page lengths, groups and sizes of variants of ARTICLE
    (article paragraphs are content)."""
    matrices, groups, sizes, labels, lengths = [], [], [], [], []
    for variant in range(6):
        html = ARTICLE.replace("ten years", f"{variant + 5} years")
        analysis = analyse_page(html, metadata=False)
        blocks = analysis.blocks
        overlaps = [1.0 if b.tag == "p" and "/article/" in b.path else 0.0 for b in blocks]
        m, g = page_features(blocks, overlaps, extraction_empty=variant == 5)
        matrices.append(m)
        groups.append(g)
        sizes.append(np.array([len(b.text) for b in blocks], dtype=float))
        labels += [
            "content" if b.tag == "p" and "/article/" in b.path else "boilerplate" for b in blocks
        ]
        lengths.append(len(blocks))
    return np.vstack(matrices), labels, lengths, np.vstack(groups), np.concatenate(sizes)


def _tiny_model(**params: int) -> HtmlBlockClassifier:
    """A small classifier trained on variants of ARTICLE."""
    model = HtmlBlockClassifier(max_iter=10, min_samples_leaf=2, n_folds=2, **params)
    return model.fit(*_tiny_data())


def test_bagged_passes_average_boosters_on_their_own_samples() -> None:
    matrix, _, lengths, groups, sizes = _tiny_data()
    bagged = _tiny_model(n_bags=3, max_rows=40)
    assert len(bagged.first_) == len(bagged.second_) == 3
    assert [b.random_state for b in bagged.first_] == [0, 1, 2]
    proba = bagged.predict_proba(matrix, lengths, groups, sizes)
    assert proba.shape == (len(matrix), len(CLASSES))
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    single = _tiny_model(n_bags=1)
    assert len(single.first_) == 1
    expected = single.predict_proba(matrix, lengths, groups, sizes)
    reloaded = HtmlModel.from_arrays(single.model_.to_arrays())
    assert np.array_equal(reloaded.predict_proba(matrix, lengths, groups, sizes), expected)


def test_exported_model_predicts_what_the_fitted_boosters_predict() -> None:
    """The runtime model (packed trees) against scikit-learn's own predict_proba
    of the fitted boosters, pass by pass."""
    matrix, _, lengths, groups, sizes = _tiny_data()
    fitted = _tiny_model(n_bags=2, max_rows=40)
    first = np.mean([_by_class(b, b.predict_proba(matrix)) for b in fitted.first_], axis=0)
    stacked = fitted.model_.second_input(matrix, first.astype(np.float32), lengths, groups, sizes)
    second = np.mean([_by_class(b, b.predict_proba(stacked)) for b in fitted.second_], axis=0)
    got = fitted.model_.predict_proba(matrix, lengths, groups, sizes)
    np.testing.assert_allclose(got, second, rtol=0, atol=1e-6)  # the runtime averages in float32


def _by_class(booster, proba: np.ndarray) -> np.ndarray:
    out = np.zeros((len(proba), len(CLASSES)))
    for j, label in enumerate(booster.classes_):
        out[:, CLASSES.index(label)] = proba[:, j]
    return out


@pytest.fixture(scope="module")
def tiny_model() -> HtmlModel:
    return _tiny_model().model_


def test_dom_blocks_keep_paths_links_and_cues() -> None:
    blocks = dom_blocks(parse_html(ARTICLE))
    texts = [b.text for b in blocks]
    assert texts[:3] == ["Home", "News", "Sport"]
    home = blocks[0]
    assert home.path == "/html/body/header/nav/ul/li[1]"
    assert home.tag == "li"
    assert home.link_chars == len("Home")
    nav_bit = 1 << CUE_NAMES.index("nav")
    assert home.near & nav_bit or home.outer & nav_bit
    caption = next(b for b in blocks if b.text.startswith("A river"))
    assert caption.tag == "figcaption"
    assert caption.cues & (1 << CUE_NAMES.index("caption"))
    paragraph = next(b for b in blocks if b.text.startswith("The northern"))
    assert paragraph.link_chars == 0
    assert paragraph.near & (1 << CUE_NAMES.index("content"))


def test_trafilatura_comments_are_evidence_apart_from_its_main_text() -> None:
    html = (Path(__file__).parent / "fixtures" / "comments.html").read_text(encoding="utf-8")
    main, comments = trafilatura_parts(parse_html(html))
    assert "steady rain fell" in main and "creek behind" not in main
    assert "creek behind" in comments and "steady rain fell" not in comments
    blocks = dom_blocks(parse_html(html))
    matrix, _ = page_features(
        blocks,
        extraction_overlaps(blocks, main),
        False,
        extraction_overlaps(blocks, comments),
    )
    row = {b.text[:20]: r for b, r in zip(blocks, matrix, strict=True)}
    article, comment = row["After four months wi"], row["We finally saw the c"]
    main_col, comment_col = (FEATURE_NAMES.index(c) for c in ("ext_overlap", "ext_comment_overlap"))
    assert (article[main_col], article[comment_col]) == (1.0, 0.0)
    assert (comment[main_col], comment[comment_col]) == (0.0, 1.0)
    # the page-level share of comments is the same on every row, and above zero
    share = matrix[:, FEATURE_NAMES.index("ext_page_comment_share")]
    assert share.min() == share.max() > 0


def test_page_features_shape_and_extractor_columns() -> None:
    blocks = dom_blocks(parse_html(ARTICLE))
    overlaps = [float(i % 2) for i in range(len(blocks))]
    matrix, groups = page_features(blocks, overlaps, extraction_empty=False)
    assert matrix.shape == (len(blocks), len(FEATURE_NAMES))
    assert groups.shape[0] == len(blocks)
    assert np.isfinite(matrix).all()
    assert matrix[:, FEATURE_NAMES.index("ext_overlap")].tolist() == overlaps
    empty = page_features([], [], extraction_empty=True)[0]
    assert empty.shape == (0, len(FEATURE_NAMES))


def test_one_classification_cut_per_mode_is_each_modes_own_run(
    tiny_model: HtmlModel,
) -> None:
    from detector.html_mode import FAVORS, betas_of, classify_page, cut_page

    page = classify_page(ARTICLE, tiny_model)
    for favor in FAVORS:
        cut = cut_page(page, betas_of(tiny_model)[favor], recover=favor != "precision")
        assert cut[2] == html_document(ARTICLE, tiny_model, favor=favor)[2]
    assert cut_page(classify_page("<html></html>", tiny_model), 1.0) == (
        [],
        {"extractor": "html-model"},
        "",
    )


def test_html_document_labels_spans_and_metadata(tiny_model: HtmlModel) -> None:
    blocks, metadata, text = html_document(ARTICLE, tiny_model)
    assert metadata["title"] == "Rivers of the north"
    assert metadata.get("language") == "en"
    kept = [b for b in blocks if b.label == "content"]
    assert kept, "something must be kept"
    assert any(b.text.startswith("Scientists who measured") for b in kept)
    assert not any(b.text == "Home" for b in kept)
    assert text == "\n\n".join(b.text for b in kept)
    for block in blocks:
        assert block.path and block.path.startswith("/html")
        if block.label == "content":
            assert text[block.start : block.end] == block.text
            assert block.line_start is not None
        else:
            assert block.start == block.end
        assert 0.0 <= block.p_content <= 1.0
    with pytest.raises(ValueError):
        html_document(ARTICLE, tiny_model, favor="everything")


def test_favor_modes_are_ordered(tiny_model: HtmlModel) -> None:
    sizes = {
        favor: len(html_document(ARTICLE, tiny_model, favor=favor)[2])
        for favor in ("precision", "balanced", "recall")
    }
    assert sizes["precision"] <= sizes["balanced"] <= sizes["recall"]


def test_empty_and_text_free_pages(tiny_model: HtmlModel) -> None:
    assert html_document("", tiny_model)[0] == []
    blocks, _, text = html_document("<html><body><div> </div></body></html>", tiny_model)
    assert blocks == [] and text == ""


def test_pages_deeper_than_the_parser_limit_keep_their_text(
    tiny_model: HtmlModel,
) -> None:
    deep = (
        "<div>" * 400 + "<p>Deeply nested words are still read by the model.</p>" + "</div>" * 400
    )
    html = f"<html><body>{deep}</body></html>"
    blocks, _, text = html_document(html, tiny_model)
    assert any("Deeply nested words" in b.text for b in blocks)
    assert text, "the only text of the page is never dropped"


def test_decide_never_returns_nothing_for_a_page_with_text() -> None:
    proba = np.zeros((3, len(CLASSES)), dtype=np.float32)
    proba[:, CLASSES.index("boilerplate")] = [0.9, 0.8, 0.95]
    proba[:, CLASSES.index("content")] = [0.1, 0.2, 0.05]
    keep = decide(proba, 0.7, np.array([10.0, 10.0, 10.0]))
    assert keep.any() and keep[1]
    assert decide(np.zeros((0, len(CLASSES))), 0.7, np.zeros(0)).tolist() == []


def _proba(content: list[float]) -> np.ndarray:
    proba = np.zeros((len(content), len(CLASSES)), dtype=np.float32)
    proba[:, CLASSES.index("content")] = content
    proba[:, CLASSES.index("boilerplate")] = 1 - np.asarray(content)
    return proba


def test_decide_cuts_where_the_expected_f_score_peaks() -> None:
    words = np.array([100.0, 100.0, 100.0, 20.0, 20.0])
    article = _proba([0.98, 0.97, 0.95, 0.45, 0.3])  # a sure body, two doubtful teasers
    assert decide(article, 1.0, words).tolist() == [True, True, True, False, False]
    listing = _proba([0.6, 0.5, 0.45, 0.45, 0.4])  # content spread thin: reach lower
    assert decide(listing, 1.0, words).tolist() == [True, True, True, True, True]
    kept = [int(decide(listing, beta, words).sum()) for beta in (0.3, 1.0, 3.0)]
    assert kept == sorted(kept) and kept[0] < kept[-1]  # higher beta keeps more


def test_long_factor_leans_to_recall_on_long_articles_only() -> None:
    """A doubtful section of a long article (expected content words above
    LONG_ARTICLE_WORDS) is kept when the long factor raises β; the same page
    ten times shorter is cut as before."""
    from detector.html_mode import LONG_ARTICLE_WORDS

    proba = _proba([0.95] * 10 + [0.4])
    for scale, kept_when_long in ((300.0, True), (30.0, False)):
        words = np.full(11, scale)
        assert (float(proba[:, CLASSES.index("content")] @ words) > LONG_ARTICLE_WORDS) is (
            kept_when_long
        )
        assert not decide(proba, 0.7, words)[-1]
        assert bool(decide(proba, 0.7, words, long_factor=2.0)[-1]) is kept_when_long
        assert decide(proba, 0.7, words, long_factor=2.0)[:10].all()


def test_tune_betas_takes_the_smallest_long_factor_that_keeps_long_articles() -> None:
    """Short pages whose doubtful last block is boilerplate pull the balanced β
    down; a long article whose doubtful section is content then needs a larger
    β, and the long factor is the smallest on the grid that keeps it. Without
    a page over 3,000 gold words the factor stays 1."""
    from detector.html_mode.blocks import DomBlock
    from detector_dev.train.html import LONG_FACTOR_GRID, CorpusPage, Features, tune_betas

    doubtful = {"short": [0.95] * 10 + [0.7], "long": [0.95] * 10 + [0.65]}

    def page(name: str, dataset: str, words: int, last_is_content: bool) -> CorpusPage:
        texts = [" ".join(f"{name}{i}w{j}" for j in range(words)) for i in range(11)]
        blocks = [DomBlock(t, f"/html/body/p[{i + 1}]", "p") for i, t in enumerate(texts)]
        gold = texts if last_is_content else texts[:-1]
        return CorpusPage(
            name, dataset, name, "article", blocks, [0.0] * 11, False,
            ["content"] * 10 + ["content" if last_is_content else "boilerplate"],
            "\n\n".join(gold), None, None, [0.0] * 11,
        )  # fmt: skip

    def tuned(long_words: int) -> dict:
        pages = [page(f"short{k}", ("wcxb", "scrapinghub")[k % 2], 30, False) for k in range(6)]
        pages.append(page("long", "wcxb", long_words, True))
        proba = np.vstack([_proba(doubtful[p.page.rstrip("012345")]) for p in pages])
        offsets = np.arange(len(pages) + 1) * 11
        n = len(proba)
        return tune_betas(
            pages, Features(np.zeros((n, 1)), np.zeros((n, 1), int), offsets, np.ones(n)), proba
        )

    betas = tuned(300)  # the long page: 3,300 gold words
    words = np.full(11, 300.0)
    long = _proba(doubtful["long"])
    keeps = [f for f in LONG_FACTOR_GRID if decide(long, betas["balanced"], words, f)[-1]]
    assert keeps and 1.0 < keeps[0] < LONG_FACTOR_GRID[-1]  # the grid's middle is reached
    assert betas["long"] == keeps[0]
    assert tuned(100)["long"] == 1.0  # 1,100 gold words: no long article to keep


def test_html_ceilings_score_every_block_and_the_labels_without_a_model() -> None:
    from detector.html_mode.blocks import DomBlock
    from detector_dev.train.html import CorpusPage, ceilings

    texts = ["Recent posts", "The ferry will run again from May, the council said."]
    blocks = [DomBlock(t, f"/html/body/div[{i + 1}]", "div") for i, t in enumerate(texts)]
    page = CorpusPage(
        "wcxb/1", "wcxb", "site", "forum", blocks, [0.0, 0.0], False,
        ["boilerplate", "content"], "The ferry will run again from May.", None, None, [0.0, 0.0],
    )  # fmt: skip
    rows = ceilings([page])
    assert set(rows) == {"wcxb", "wcxb [forum]"}
    row = rows["wcxb [forum]"]
    assert row["pages"] == 1
    # keeping everything adds "recent posts" and the attribution; the labels keep the
    # attribution only, and the ceiling (every gold word, nothing else) is 1
    assert row["keep_all"] < row["oracle"] < row["ceiling"] == 1.0


def test_main_text_features_tell_an_article_from_a_listing() -> None:
    blocks = dom_blocks(parse_html(ARTICLE))
    matrix, _ = page_features(blocks, [0.0] * len(blocks), extraction_empty=True)
    col = {name: FEATURE_NAMES.index(name) for name in FEATURE_NAMES}
    paragraph = next(i for i, b in enumerate(blocks) if b.text.startswith("Scientists"))
    teaser = next(i for i, b in enumerate(blocks) if b.text == "Snow melts early")
    assert matrix[paragraph, col["main1_in"]] == 1 and matrix[teaser, col["main1_in"]] == 0
    assert matrix[paragraph, col["main3_in"]] == 1  # three levels up: the whole (shallow) page
    assert 0.4 < matrix[0, col["page_prose_share"]] < 0.6  # the long paragraphs
    assert matrix[0, col["page_log_prose"]] == pytest.approx(np.log1p(2))  # 25 words or more
    listing = "<html><body><ul>" + "<li><a href='/x'>A story title</a></li>" * 20
    listing += "</ul></body></html>"
    lblocks = dom_blocks(parse_html(listing))
    lmatrix, _ = page_features(lblocks, [0.0] * len(lblocks), extraction_empty=True)
    assert lmatrix[0, col["page_prose_share"]] == 0 and lmatrix[0, col["page_link_only_share"]] == 1
    assert lmatrix[:, col["main1_in"]].sum() == 0


def test_fetch_refuses_non_http_and_reports_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FetchError):
        fetch("file:///etc/passwd")
    import trafilatura

    monkeypatch.setattr(trafilatura, "fetch_url", lambda url, **kw: None)
    with pytest.raises(FetchError, match="empty"):
        fetch("https://example.invalid/a.html")

    def boom(url: str, **kw: object) -> str:
        raise OSError("no network")

    monkeypatch.setattr(trafilatura, "fetch_url", boom)
    with pytest.raises(FetchError, match="no network"):
        fetch("https://example.invalid/a.html")


def test_scrapinghub_shingle_metric() -> None:
    from detector_dev.bench.html import shingle_counts, shingle_f1

    gold = "one two three four five six"
    assert shingle_counts(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts(gold, "one two three four")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 0.0, 2 / 3))
    assert shingle_counts(gold, "One two three four")[0] == 0.0  # case-sensitive
    result = shingle_f1([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])  # second: empty output
    assert result["precision"] == 1.0  # empty outputs are left out of the precision mean
    assert result["recall"] == 0.5


def test_shipped_model_loads_and_cleans() -> None:
    try:
        model = load_html_model()
    except Exception as exc:  # the model is built by `make train`
        pytest.skip(f"no shipped HTML model: {exc}")
    assert type(model).__name__ == "HtmlModel"
    blocks, _, text = html_document(ARTICLE, model)
    assert "meltwater" in text
    assert "All rights reserved" not in text
    assert all(b.path for b in blocks)


@pytest.mark.shared_data
def test_corpus_record_of_a_real_page(shared_data) -> None:
    from detector_dev.corpus.cleaner import load_pages
    from detector_dev.corpus.html import page_record

    pages, _ = load_pages(shared_data)
    page = next(p for p in pages if p.dataset == "scrapinghub")
    record = page_record(page)
    labels = [row[8] for row in record["blocks"]]
    assert "content" in labels and "boilerplate" in labels
    assert all(row[1].startswith("/html") for row in record["blocks"])
    json.dumps(record)


@pytest.mark.shared_data
def test_bench_runs_on_a_sample(shared_data, tmp_path) -> None:
    from detector_dev.bench.html import run_bench
    from detector_dev.train.html import CORPUS, fold_models_path

    if not CORPUS.exists():
        pytest.skip("corpus/html.jsonl.gz is not built")
    if not fold_models_path(CORPUS, 5).exists():
        pytest.skip("no cached fold models (python -m detector_dev.train.html makes them)")
    result = run_bench(shared_data, CORPUS, limit=2, progress=False)
    assert "ours" in result["sets"]["all"]
    assert result["sets"]["all"]["ours"]["pages"] == 4
    assert result["speed_ratio_details"] > 0  # json output's time, beside text output's


def test_text_only_the_extractor_saw_is_recovered_after_the_kept_blocks() -> None:
    from detector.document import Block
    from detector.html_mode import _with_recovered

    blocks = [
        Block("Menu", path="/html/body/nav", label="boilerplate"),
        Block("A kept paragraph of the article body text.", path="/html/body/p[1]"),
        Block("Footer links", path="/html/body/footer", label="boilerplate"),
    ]
    extracted = (
        "A kept paragraph of the article body text.\n"
        "- Hidden tab text about the product that the page never shows.\nToo short"
    )
    out = _with_recovered(blocks, extracted)
    assert [b.text for b in out] == [
        "Menu",
        "A kept paragraph of the article body text.",
        "Hidden tab text about the product that the page never shows.",
        "Footer links",
    ]
    assert out[2].path is None and out[2].label == "content"
    assert _with_recovered(blocks, "A kept paragraph of the article body text.") == blocks


def test_a_line_counts_as_on_the_page_only_between_word_boundaries() -> None:
    from detector.html_mode import _on_page

    page = "Menu\nSwordfish is here and there today.\nfish is here and there today, too"
    assert _on_page("fish is here and there today", page)  # the third line, whole words
    assert not _on_page("fish is here and there today", page.split("\n", 2)[1])
    assert not _on_page("is here and there tod", page)


# --- HTML mode in the pipeline ---------------------------------------------------------


def _html_pipeline(model: HtmlModel | None = None, favor: str = "balanced"):
    from detector.pipeline import Options, Pipeline

    pipeline = Pipeline(options=Options(mode="html", favor=favor))
    if model is not None:
        pipeline.html_model = model  # the cached_property's slot: no model file read
    return pipeline


def test_pipeline_cleans_html_with_the_html_model(tiny_model: HtmlModel) -> None:
    doc = _html_pipeline(tiny_model).process(ARTICLE, url="https://paper.example/rivers")
    assert doc.mode == "html"
    assert doc.metadata["extractor"] == "html-model"
    assert doc.metadata["title"] == "Rivers of the north"
    assert doc.metadata["url"] == "https://paper.example/rivers"
    assert "Scientists who measured" in doc.text and "Home" not in doc.text.split("\n")
    for block in doc.blocks:
        assert block.path and block.path.startswith("/html")
        if doc.kept(block):
            assert doc.text[block.start : block.end] == block.text
    record = doc.to_dict()
    assert all("path" in b for b in record["blocks"])


def test_pipeline_passes_favor_to_the_html_model(tiny_model: HtmlModel) -> None:
    sizes = {
        favor: len(_html_pipeline(tiny_model, favor).process(ARTICLE).text)
        for favor in ("precision", "balanced", "recall")
    }
    assert sizes["precision"] <= sizes["balanced"] <= sizes["recall"]


def test_pipeline_falls_back_when_the_model_finds_no_block(
    monkeypatch: pytest.MonkeyPatch, tiny_model: HtmlModel
) -> None:
    import detector.html_mode

    monkeypatch.setattr(detector.html_mode, "html_document", lambda *a, **k: ([], {}, ""))
    doc = _html_pipeline(tiny_model).process(ARTICLE)
    assert doc.metadata["extractor"] in ("trafilatura-recall", "render")
    assert "meltwater" in doc.text
    assert all(b.path is None for b in doc.blocks)


def test_pipeline_loads_the_shipped_html_model_verified(tmp_path) -> None:

    from detector.modelstore import ModelError, default_model_dir
    from detector.pipeline import Options, Pipeline

    assert type(_html_pipeline().html_model).__name__ == "HtmlModel"
    for name in ("manifest.json", "html.npz", "cleaner.npz"):
        (tmp_path / name).write_bytes((default_model_dir() / name).read_bytes())
    with open(tmp_path / "html.npz", "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="sha256"):
        Pipeline(model_dir=tmp_path, options=Options(mode="html")).load()
    Pipeline(model_dir=tmp_path, options=Options(mode="text")).load()  # no HTML model needed
    auto = Pipeline(model_dir=tmp_path, options=Options(mode="auto")).load()
    assert "html_model" not in vars(auto)  # loaded when an HTML document arrives
    assert auto.process("Plain text, one line of it.").mode == "text"
    with pytest.raises(ModelError, match="sha256"):
        auto.process("<html><body><p>A page.</p></body></html>")


def test_html_mode_loads_the_text_cleaner_only_for_its_fallback() -> None:
    from detector.pipeline import Options, Pipeline

    pipeline = Pipeline(options=Options(mode="html")).load()
    assert "html_model" in vars(pipeline) and "cleaner" not in vars(pipeline)
    doc = pipeline.process(ARTICLE)
    assert "meltwater" in doc.text and "cleaner" not in vars(pipeline)


def test_fold_models_of_another_recipe_are_cached_apart_from_the_shipped_ones(
    tmp_path,
) -> None:
    from detector_dev.train.html import fold_models_path

    corpus = tmp_path / "html.jsonl.gz"
    corpus.write_bytes(b"a corpus")
    shipped = fold_models_path(corpus, 5)
    assert fold_models_path(corpus, 5, HtmlBlockClassifier().get_params()) == shipped
    for other in (HtmlBlockClassifier(max_iter=80), HtmlBlockClassifier(n_bags=1)):
        assert fold_models_path(corpus, 5, other.get_params()) != shipped


def test_fold_models_of_other_code_are_cached_apart(tmp_path, monkeypatch) -> None:
    """Same column names, other arithmetic: an edit to the features, the blocks,
    the context, the trainer or the synthetic pages must not reuse the fold
    models the bench cached."""
    from detector.html_mode import blocks, features, model
    from detector_dev.train import html as html_training
    from detector_dev.train import html_model, long_pages

    corpus = tmp_path / "html.jsonl.gz"
    corpus.write_bytes(b"a corpus")
    shipped = html_training.fold_models_path(corpus, 5)
    # named here, not read from the key's own list, so that a module left out of it fails
    for module in (features, blocks, model, html_model, long_pages):
        source = Path(module.__file__)
        edited = tmp_path / f"edited_{source.name}"
        edited.write_bytes(source.read_bytes() + b"\n# edited\n")
        with monkeypatch.context() as patch:
            patch.setattr(module, "__file__", str(edited))
            assert html_training.fold_models_path(corpus, 5) != shipped, module.__name__
    assert html_training.fold_models_path(corpus, 5) == shipped


@pytest.mark.slow
def test_training_without_cv_warns_that_the_cut_is_untuned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--no-cv`` has no out-of-fold probabilities to tune β on: the model it
    saves keeps the default cut, and the trainer says so (25 s)."""
    from click.testing import CliRunner

    from detector.modelstore import load_arrays
    from detector_dev.train.html import main

    monkeypatch.setenv("DETECTOR_CACHE", str(tmp_path / "cache"))
    args = ["--limit", "12", "--no-cv", "--max-iter", "3", "--model-dir", str(tmp_path / "m")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "without cross-validation the model keeps the default cut" in result.stderr
    saved = HtmlModel.from_arrays(load_arrays("html", model_dir=tmp_path / "m"))
    assert saved.betas == DEFAULT_BETAS
