"""The filler scorer: seed acceptance results with the shipped pipeline (cleaner
and filler model), and unit tests of sections, features and evidence on small
inline texts."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np
import pytest
from conftest import seed_line_labels, seed_path

from detector.document import KIND_HEADING, KIND_LIST, KIND_PARAGRAPH, KIND_TABLE, Block, Document
from detector.filler import load_filler_model, score_document
from detector.filler.features import (
    FEATURE_NAMES,
    FillerFeatures,
    analyse,
    analyse_texts,
    normalise_lexical,
    skeleton,
)
from detector.filler.sections import build_sections, count_words, section_text
from detector.pipeline import Options, Pipeline
from detector.text_mode.segment import segment_text

DROPPED_BY_CLEANING = ("boilerplate", "seo_filler")


# ---------------------------------------------------------------- helpers


@lru_cache(maxsize=1)
def model():
    return load_filler_model()


@cache
def scored(prefix: str) -> Document:
    """The seed as ``detector score`` sees it: cleaned by the shipped cleaner, then
    scored by the shipped filler model (the seed labels are used only to check)."""
    path = seed_path(prefix)
    pipeline = Pipeline(options=Options(mode="text", score=True)).load()
    return pipeline.process(path.read_text(encoding="utf-8"), doc_id=path.name)


def flagged_lines(doc: Document) -> set[int]:
    """Lines of the blocks labelled "generated"."""
    return {
        n for b in doc.blocks if b.label == "generated" for n in range(b.line_start, b.line_end + 1)
    }


# ------------------------------------------------------- seed acceptance


def test_model_loads_from_plain_arrays():
    m = model()
    assert 0.0 < m.threshold_ < 1.0
    assert type(m).__name__ == "FillerModel" and "sklearn" not in type(m).__module__


def test_seed_ranking():
    scores = {p: scored(p).filler_score for p in ("000", "001", "002", "003", "004")}
    assert scores["004"] > scores["003"], scores
    assert scores["003"] > max(scores["000"], scores["001"], scores["002"]), scores


def test_seed_004_mostly_generated():
    doc = scored("004")
    lines = set(seed_line_labels("004"))
    share = len(flagged_lines(doc) & lines) / len(lines)
    assert share >= 0.8, f"{share:.0%} of 004's lines flagged"


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_original_reporting_not_flagged(prefix):
    content = {n for n, label in seed_line_labels(prefix).items() if label == "content"}
    doc = scored(prefix)
    wrongly = sorted(content & flagged_lines(doc))
    assert not wrongly, (prefix, wrongly, [round(s.p_generated, 3) for s in doc.sections])


def test_scored_blocks_carry_sections_and_evidence():
    doc = scored("004")
    assert doc.sections and 0.0 <= doc.filler_score <= 1.0
    for section in doc.sections:
        for i in section.block_ids:
            assert doc.blocks[i].section == section.index
            assert doc.blocks[i].p_generated == section.p_generated
    flagged = [s for s in doc.sections if s.label == "generated"]
    assert flagged and all(s.evidence for s in flagged)
    record = doc.to_dict()
    assert "filler_score" in record and record["sections"]


def test_skipped_blocks_keep_no_score():
    doc = scored("000")
    dropped = [b for b in doc.blocks if b.label in DROPPED_BY_CLEANING]
    assert dropped, "the cleaner drops the menu label and the reading-time badge"
    for block in dropped:
        assert block.p_generated is None and block.section is None


# ----------------------------------------------------------- edge cases


def test_document_without_kept_blocks():
    doc = Document(id="x", blocks=[Block(text="Menu", label="boilerplate")])
    score_document(doc, model())
    assert doc.filler_score is None and doc.sections == [] and doc.verdict == "not scored"
    assert doc.to_dict()["verdict"] == "not scored" and doc.to_dict()["filler_score"] is None
    empty = Document(id="y")
    score_document(empty, model())
    assert empty.filler_score is None and empty.verdict == "not scored"


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "🙂🙂🙂 \u200b\u0000 \ufeff",
        "| a |\n|---|\n| |",
        "日本語のテキストです。これは試験です。",
        "Ünïcödé — “quotes” «guillemets» „Anführung“ ‘single’ 1,000.5% (and) [brackets]",
        "\n\n\n",
    ],
)
def test_arbitrary_text_does_not_raise(text):
    doc = Document(id="u", blocks=segment_text(text) or [Block(text=text)])
    score_document(doc, model())
    assert 0.0 <= doc.filler_score <= 1.0


# -------------------------------------------------------------- sections


def _blocks(*specs: tuple[str, str]) -> list[Block]:
    return [Block(text=text, kind=kind) for kind, text in specs]


def test_heading_starts_a_section_with_its_list_and_table():
    para = "word " * 50
    blocks = _blocks(
        (KIND_PARAGRAPH, para),
        (KIND_HEADING, "Key Takeaways"),
        (KIND_PARAGRAPH, para),
        (KIND_LIST, "- one: a, b\n- two: c, d"),
        (KIND_TABLE, "| A | B |\n|---|---|\n| x | y |"),
        (KIND_HEADING, "Next"),
        (KIND_PARAGRAPH, para),
    )
    spans = build_sections(blocks)
    assert [s.block_ids for s in spans] == [[0], [1, 2, 3, 4], [5, 6]]
    assert spans[1].heading == "Key Takeaways"
    assert "| A | B |" in section_text(blocks, spans[1])


def test_long_runs_of_paragraphs_are_windowed():
    blocks = _blocks(*[(KIND_PARAGRAPH, "word " * 60)] * 7)
    spans = build_sections(blocks, max_words=200)
    assert len(spans) > 1
    assert all(s.words <= 200 for s in spans)
    assert sorted(i for s in spans for i in s.block_ids) == list(range(7))


def test_a_list_or_table_stays_with_the_prose_that_introduces_it():
    blocks = _blocks(
        (KIND_PARAGRAPH, "word " * 90),
        (KIND_PARAGRAPH, "word " * 90),
        (KIND_TABLE, "| A | B |\n|---|---|\n" + "| cell cell | cell cell |\n" * 8),
    )
    assert [s.block_ids for s in build_sections(blocks, max_words=200)] == [[0, 1, 2]]


def test_short_pieces_join_a_neighbour_and_ids_subset_is_respected():
    blocks = _blocks(
        (KIND_PARAGRAPH, "word " * 50),
        (KIND_PARAGRAPH, "skipped " * 50),
        (KIND_HEADING, "Trailing heading"),
    )
    spans = build_sections(blocks, [0, 2])
    assert [s.block_ids for s in spans] == [[0, 2]]


def test_count_words_counts_cjk_characters():
    assert count_words("two words") == 2
    assert count_words("日本語") == 3


# -------------------------------------------------------------- features


def _feature(text: str, name: str) -> float:
    x, _ = analyse(text)
    return x[FEATURE_NAMES.index(name)]


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Tuesday that talks would resume.",
        "Der Minister sagte am Dienstag, die Gespräche würden fortgesetzt.",
        "Ministrul a declarat marți că discuțiile vor continua.",
        "Министр заявил во вторник, что переговоры продолжатся.",
        "Menteri mengatakan pada hari Selasa bahwa pembicaraan akan berlanjut.",
        "Le ministre a déclaré mardi que les pourparlers reprendraient.",
    ],
)
def test_attribution_and_dates_in_several_languages(text):
    assert _feature(text, "attribution") > 0
    assert _feature(text, "dates") > 0
    assert _feature(text, "no_reporting") == 0


def test_quotes_of_every_kind_are_counted():
    for text in ["He said “yes”.", "Er sagte „ja“.", "Il a dit «oui».", 'He said "yes".']:
        assert _feature(text, "quotes") > 0, text


def test_filler_templates_and_generic_table():
    text = (
        "Blockchain refers to a distributed ledger.\n"
        "In Conclusion\n"
        "In conclusion, the future remains to be seen.\n"
        "| Aspect | Benefit | Risk |\n|---|---|---|\n"
        "| Trade | Market access | Volatility |\n| Energy | Supply | Dependence |"
    )
    x, found = analyse(text)
    assert x[FEATURE_NAMES.index("definition")] > 0 and "refers to" in found["definition"]
    assert x[FEATURE_NAMES.index("conclusion")] > 0
    assert x[FEATURE_NAMES.index("generic_heading")] > 0
    assert x[FEATURE_NAMES.index("generic_cells")] > 0
    assert x[FEATURE_NAMES.index("no_reporting")] == 1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Sure, here's a rewritten version:\nThe talks resumed.", ["sure here's"]),
        ("Конечно! Вот переформулированный текст:\nТекст.", ["конечно вот"]),
        ("当然，以下是答案\n内容\n希望对你有帮助。", ["当然以下", "希望对你有帮助"]),
        ("The talks resumed.\nI hope this helps!", ["i hope this helps"]),
    ],
)  # fmt: skip
def test_assistant_framing_at_the_start_and_end_of_a_text(text, found):
    x, ex = analyse(text)
    assert x[FEATURE_NAMES.index("assistant_framing")] == len(found)
    assert ex["assistant_framing"] == found


def test_assistant_phrases_elsewhere_are_not_framing():
    text = (
        "Sure enough, the minister said on Monday that talks would resume.\n"
        "Sure, here is what he said.\n"  # not the first line
        "The ministry closed the briefing."
    )
    assert _feature(text, "assistant_framing") == 0


def test_feature_transformer_shape():
    X = FillerFeatures().fit_transform(["One sentence here.", "Another, with 3 numbers: 1, 2."])
    assert X.shape == (2, len(FEATURE_NAMES)) and np.isfinite(X).all()


def test_lexical_normalisation_drops_formatting():
    assert normalise_lexical("## **Key** “quote”\n- item 42") == 'key "quote" item 00'


# -------------------------------------------------------------- evidence

FARM = (
    "Understanding the Partnership\n"
    "This development underscores a pivotal shift in the landscape, fostering robust and "
    "innovative avenues for strategic cooperation that could reshape regional dynamics.\n"
    "- Focus areas: sustainable growth, enhanced efficiency, and regional stability\n"
    "- Key risks: dependency, volatility, and reputational exposure\n"
    "| Aspect | Benefit | Risk |\n|---|---|---|\n"
    "| Trade | Market access | Volatility |\n| Energy | Supply security | Dependence |\n"
    "| Governance | Legitimacy | Pressure |\n"
    "In Conclusion\n"
    "Ultimately, how this will unfold remains to be seen."
)
REPORT = (
    "Police in Leeds said on Monday that 14 people had been arrested after a protest "
    'outside the town hall. "We will not tolerate violence," Chief Inspector Mark Hall '
    "told reporters, adding that two officers were treated in hospital."
)


def test_evidence_names_filler_signals():
    m = model()
    p_farm, ev_farm = m.score([FARM])[0]
    p_report, _ = m.score([REPORT])[0]
    assert p_farm > m.threshold_ > p_report
    assert 1 <= len(ev_farm) <= 3
    assert all(isinstance(e, str) and e for e in ev_farm)
    assert m.explain(FARM) == ev_farm


def test_evidence_for_reporting_points_to_reporting():
    _, evidence = model().score([REPORT])[0]
    assert evidence, "an unflagged section still says why"
    assert not any("buzzword" in e for e in evidence)


def test_lexical_counts_match_count_vectorizer():
    """The scorer's own n-gram counting gives what scikit-learn's CountVectorizer
    gives with the same vocabulary (the model was fitted with the latter)."""
    from sklearn.feature_extraction.text import CountVectorizer

    lexical = model().lexical_
    texts = [
        FARM,
        REPORT,
        seed_path("002").read_text(encoding="utf-8"),
        "",
        "x",
        "日本語のテキスト 42",
        "Ünïcödé — “q” «g» 1,000.5% [b]\n\n- a: b\n| c | d |",
    ]
    from detector_dev.train.filler_model import lexical_counts

    counts = lexical_counts(lexical, texts, total=True)
    docs = [normalise_lexical(t) for t in texts]
    analysers = {
        "word": {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b"},
        "char": {"analyzer": "char_wb", "ngram_range": (3, 5)},
        "skeleton": {"analyzer": "word", "ngram_range": (3, 5), "token_pattern": r"\S+"},
    }
    for family, params in analysers.items():
        vocabulary = {term: i for i, term in enumerate(lexical.terms(family))}
        vec = CountVectorizer(lowercase=False, vocabulary=vocabulary, **params)
        expected = vec.transform([skeleton(d) for d in docs] if family == "skeleton" else docs)
        expected = expected.toarray()
        got = counts[family].toarray()
        assert (got[:-1] == expected).all(), family
        assert (got[-1] == expected.sum(axis=0)).all(), family


def test_scoring_equals_the_training_route():
    """The shipped model's numpy scoring equals the estimator's sparse-matrix route
    (scikit-learn's TF-IDF arithmetic and the fitted coefficients) with the same
    fitted state."""
    from detector_dev.train.filler_model import FillerEstimator, lexical_matrix

    m = model()
    estimator = FillerEstimator()
    estimator.__dict__.update(m.__dict__)
    texts = [FARM, REPORT, seed_path("001").read_text(encoding="utf-8")]
    lexical = np.asarray(lexical_matrix(m.lexical_, texts) @ m.lex_coef_).ravel()
    logits = estimator.component_logits(texts)
    assert np.allclose(logits["lexical"], lexical + m.lex_intercept_, atol=1e-5)
    got = np.array([p for p, _ in m.score(texts)])
    assert np.allclose(got, estimator.predict_proba(texts)[:, 1], rtol=0, atol=1e-6)


def test_document_features_do_not_depend_on_lines_seen_before():
    """A text's features are the same whether its lines were parsed for
    another text first (a document after its sections) or not."""
    text = FARM + "\n" + REPORT
    shared, found_shared = analyse_texts([FARM, REPORT, text])[-1]
    alone, found_alone = analyse(text)
    assert np.array_equal(shared, alone)
    for name in ("attribution", "buzzwords", "names", "generic_heading", "dates", "bullets"):
        assert list(found_shared[name]) == list(found_alone[name]), name


def test_names_are_runs_of_capitalised_words_inside_sentences():
    _, found = analyse("Officials met John Smith and Mary Jane Watson in New York. Then Paris.")
    assert list(found["names"]) == ["John Smith", "Mary Jane Watson", "New York"]


SENTENCE_END = r"[.!?…。！？][\"'”’»)\]]*\s+|[。！？]"
"""Where a line's sentences end, as the scorer defined it before it tokenised
all lines together."""


def plain_sentences(line: str) -> list[list[str]]:
    """A line's sentences with tokens, each as its tokens."""
    from detector.filler.features import _TOKEN

    return [t for sent in re.split(SENTENCE_END, line) if (t := _TOKEN.findall(sent))]


def tokenising_lines() -> list[str]:
    """Lines (no line breaks inside) with sentence ends of every kind."""
    lines = [*FARM.splitlines(), *REPORT.splitlines(), "Él dijo. Über Alles Nach Berlin! 東京"]
    lines += ["東京 Tokyo Tower 2024 Q3 Report", "", "...", "a. b", "3.5 and 3. 5"]
    lines += ["Done!” Next?) Then。東京！ x… y", "“Hi.” ‘x’. z", "| A | b c |"]
    return lines + seed_path("003").read_text(encoding="utf-8").splitlines()


def test_lines_tokenised_together_equal_each_line_cut_into_sentences():
    """``_tokenise`` over many lines gives each line's tokens and sentences as
    cutting the line at its sentence ends, then finding the tokens of each piece."""
    from detector.filler.features import _tokenise

    lines = tokenising_lines()
    tokens, bounds, sentence_ends = _tokenise(lines)
    expected_ends, total = [], 0
    for k, line in enumerate(lines):
        sentences = plain_sentences(line)
        assert tokens[bounds[k] : bounds[k + 1]] == [t for sent in sentences for t in sent]
        for sent in sentences:
            total += len(sent)
            expected_ends.append(total)
    assert bounds[-1] == len(tokens) == total
    assert sentence_ends.tolist() == expected_ends


def test_names_equal_the_plain_scan_of_each_sentence():
    """``_names`` over the tokens of many sentences equals a scan of each sentence
    for runs of capitalised words after its first word."""
    from detector.filler.features import _initial, _names

    sentences = [sent for line in tokenising_lines() for sent in plain_sentences(line)]
    names, upper = [], []
    for sent in sentences:
        run: list[str] = []
        for j, token in enumerate(sent):
            capital = j > 0 and _initial(token) == 2
            upper.append(capital)
            if capital:
                run.append(token)
            if run and (not capital or j == len(sent) - 1):
                if len(run) >= 2:
                    names.append(" ".join(run))
                run = []
    tokens = [t for sent in sentences for t in sent]
    starts = np.cumsum([0] + [len(sent) for sent in sentences[:-1]])
    got, got_upper = _names(tokens, [_initial(t) for t in tokens], starts)
    assert [name for _, name in got] == names
    assert [" ".join(tokens[i : i + len(n.split())]) for i, n in got] == names
    assert got_upper.tolist() == upper


def test_vocabulary_and_repeated_trigrams_of_many_texts_equal_their_plain_definitions():
    """The moving type-token ratio and the repeated trigrams of several code
    sequences at once equal each sequence's plain definition: distinct words of
    every 50-word window, averaged; trigrams seen twice or more, and where each
    first starts."""
    from detector.filler.features import _mattr, _repeated_trigrams

    rng = np.random.default_rng(3)
    seqs = [rng.integers(-5, v, n) for n, v in ((0, 3), (1, 3), (2, 3), (49, 30), (50, 9),
            (51, 40), (300, 60), (120, 4), (3, 1), (7, 2))]  # fmt: skip
    seqs.append(np.array([2**62, -(2**62), 2**62, -(2**62), 2**62], dtype=np.int64))
    for codes, got in zip(seqs, _mattr(seqs), strict=True):
        n = len(codes)
        windows = [codes[i : i + 50] for i in range(max(n - 49, 1))]
        expected = (
            np.mean([len(set(w.tolist())) / 50 for w in windows])
            if n > 50
            else len(set(codes.tolist())) / max(n, 1)
        )
        assert got == pytest.approx(expected, abs=1e-12)
    for codes, (share, starts) in zip(seqs, _repeated_trigrams(seqs), strict=True):
        grams = [tuple(codes[i : i + 3].tolist()) for i in range(len(codes) - 2)]
        many = {g for g in grams if grams.count(g) > 1}
        assert share == (sum(g in many for g in grams) / len(grams) if grams else 0.0)
        assert starts.tolist() == sorted({grams.index(g) for g in many})


def test_threshold_lies_between_human_scores():
    from detector_dev.train.filler import threshold_at_fpr

    scores = np.linspace(0.0, 0.99, 370)
    t = threshold_at_fpr(scores)
    assert (scores > t).sum() <= 3
    assert not np.isclose(scores, t).any()
    assert threshold_at_fpr([0.2, 0.2, 0.4]) == pytest.approx(0.7)


def test_count_keys_equals_unique():
    """Both routes of ``_count_keys`` (dense count, sort) give the distinct keys
    and how often each occurs, as ``np.unique`` defines them."""
    from detector.filler.features import _count_keys

    rng = np.random.default_rng(7)
    for n_keys, size in ((50, 400), (100_000, 300), (10, 0), (1, 1)):
        keys = rng.integers(0, n_keys, size)
        distinct, counts = np.unique(keys, return_counts=True)
        got_keys, got_counts = _count_keys(keys, n_keys)
        assert np.array_equal(got_keys, distinct)
        assert np.array_equal(got_counts, counts)
        assert got_counts.dtype == np.float64


def test_lexicon_phrases_found_as_a_plain_scan_finds_them():
    """Lexicon hits (words and phrases, in text order) equal a scan that tries
    every entry length at every position."""
    from detector.filler.features import _TOKEN, LEXICONS

    longest = max(len(key) for key in LEXICONS.index)
    for text in (FARM, REPORT, seed_path("002").read_text(encoding="utf-8")):
        lower = text.lower().replace("’", "'")
        tokens = tuple(_TOKEN.findall(lower))
        expected: dict[str, list[str]] = {name: [] for name in LEXICONS.names}
        for i in range(len(tokens)):
            for k in range(1, longest + 1):
                for name in (
                    LEXICONS.index.get(tokens[i : i + k], ()) if i + k <= len(tokens) else ()
                ):
                    expected[name].append(" ".join(tokens[i : i + k]))
        got = LEXICONS.find(tokens, "")
        assert {n: h for n, h in got.items() if h} == {n: h for n, h in expected.items() if h}


def test_code_table_finds_what_a_dict_finds():
    """The hash table of n-gram codes answers as a dict of the same codes would,
    for codes present, absent and crowded into few slots."""
    from detector.filler.features import _code_table, _find_codes, _first_slots

    rng = np.random.default_rng(11)
    for size in (0, 1, 7, 3000):
        codes = np.unique(rng.integers(0, 2**50, size))
        columns = rng.permutation(len(codes))
        table = _code_table(codes, columns)
        assert (table.keys >= 0).sum() == len(codes)
        known = dict(zip(codes.tolist(), columns.tolist(), strict=True))
        queries = np.concatenate([codes, rng.integers(0, 2**50, 500), codes[::3]])
        expected = [known.get(q, -1) for q in queries.tolist()]
        assert _find_codes(table, queries).tolist() == expected
    # 19 codes whose first slot is the last of 128: they wrap round to the start
    candidates = np.unique(rng.integers(0, 2**50, 20_000))
    crowded = candidates[_first_slots(candidates, np.uint64(64 - 7)) == 127][:19]
    table = _code_table(crowded, np.arange(len(crowded)))
    assert len(crowded) == 19 and len(table.keys) == 128 and len(table.reach) == 18
    assert _find_codes(table, crowded).tolist() == list(range(19))
    assert (_find_codes(table, candidates[:1000]) == -1).sum() >= 1000 - 19


def test_store_gives_each_strings_values_end_to_end():
    """``_Store`` numbers strings as first seen and returns their values one run
    after another, also after it empties itself at its limit."""
    from detector.filler.features import _Store

    calls = []

    def values_of(s: str) -> list[int]:
        calls.append(s)
        return [ord(c) for c in s]

    store = _Store(values_of, limit=5)
    for strings in (["ab", "", "c", "ab"], ["c", "dd", "eee"], [], ["x"] * 3):
        values, lengths = store.runs(store.numbers(strings))
        assert values.tolist() == [ord(c) for s in strings for c in s]
        assert lengths.tolist() == [len(s) for s in strings]
    assert calls == ["ab", "", "c", "c", "dd", "eee", "x"]  # emptied before the second list


def test_sublinear_tf_equals_one_plus_log():
    from detector.filler.features import _sublinear_tf

    for counts in (np.arange(1.0, 1025.0), np.array([3.0, 5000.0, 1.0]), np.zeros(0)):
        assert np.array_equal(_sublinear_tf(counts), 1.0 + np.log(counts))


def test_lines_parsed_together_equal_each_line_parsed_alone():
    """Parsing lines together (tokens counted over all of them at once) gives
    every line what it gets alone: counts, names, tokens and their codes."""
    from detector.filler.features import _parse_lines

    lines = [*tokenising_lines(), "| --- | --- |", "| Year | 2024 Revenue |", "- **Cost:** low"]
    lines += seed_path("004").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if line.strip()]
    for together, line in zip(_parse_lines(lines), lines, strict=True):
        (alone,) = _parse_lines([line])
        for field, value in alone._asdict().items():
            got = getattr(together, field)
            same = np.array_equal(got, value) if isinstance(value, np.ndarray) else got == value
            assert same, (line, field)


def test_quote_expressions_equal_their_one_class_forms():
    """``_QUOTE_MARK`` and ``_QUOTED_SPAN`` (every branch one literal first) find
    what their first forms (a character class first) found."""
    from detector.filler.features import _QUOTE_MARK, _QUOTED_SPAN

    marks = re.compile(
        r"[\"“”„«»「」『』‹›]|['‘](?<![\w'’]['‘])(?=\w)|['’](?<=[\w.,!?]['’])(?![\w'’])"
    )
    spans = re.compile(
        r"“[^“”]{1,600}”|„[^„“”]{1,600}[“”]|«[^«»]{1,600}»|\"[^\"]{1,600}\"|「[^」]{1,600}」"
        r"|[‘'](?<!\w[‘'])[^‘’']{3,300}[’'](?!\w)"
    )
    rng = np.random.default_rng(5)
    alphabet = list("ab 1.,!?'‘’\"“”„«»「」『』‹›-")
    texts = ["".join(rng.choice(alphabet, 40)) for _ in range(3000)]
    texts += [FARM, REPORT, *(seed_path(p).read_text(encoding="utf-8") for p in ("000", "002"))]
    for text in texts:
        assert _QUOTE_MARK.findall(text) == marks.findall(text), text
        assert _QUOTED_SPAN.findall(text) == spans.findall(text), text


def test_lexicons_of_many_lines_equal_each_line_alone():
    """``find_lines`` gives each line the hits ``find`` gives it alone; a phrase
    cut by a line end is no hit."""
    from detector.filler.features import _TOKEN, LEXICONS

    phrase = next(key for key in LEXICONS.index if len(key) == 2)
    lines = [*tokenising_lines(), f"and {phrase[0]}", f"{phrase[1]} too", " ".join(phrase)]
    lines += [
        "",
        "— in other words, this",
        *seed_path("004").read_text(encoding="utf-8").splitlines(),
    ]
    lower_texts = [line.lower().replace("’", "'") for line in lines]
    tokens = [_TOKEN.findall(text) for text in lower_texts]
    ends = np.cumsum([len(t) for t in tokens]).tolist()
    got = LEXICONS.find_lines([t for line in tokens for t in line], ends, lower_texts)
    for hits, line_tokens, text in zip(got, tokens, lower_texts, strict=True):
        alone = LEXICONS.find(line_tokens, text)
        assert hits == {name: found for name, found in alone.items() if found}, text
    whole = lines.index(" ".join(phrase))
    assert " ".join(phrase) in [hit for hits in got[whole].values() for hit in hits]


RUSSIA_FARM = (
    "Russian President Vladimir Putin and US President Donald Trump held a significant meeting "
    "that underscores a notable shift in Russian foreign policy. This development highlights "
    "the complex landscape of Russian and American relations, fostering potential avenues for "
    "cooperation. Trump emphasized the significant importance of dialogue with Russian officials, "
    "while Russian diplomats signaled notable openness to Trump's proposals.\n"
    "In conclusion, the Russian and Trump administrations navigate a pivotal moment, and it "
    "remains to be seen how Russian strategy will evolve in this significant and notable context."
)


def test_topic_words_are_names_not_style():
    from detector.filler.model import topic_words

    topics = topic_words(RUSSIA_FARM)
    assert {"russian", "trump", "putin", "us"} <= topics
    assert not topics & {"significant", "notable", "conclusion", "this", "i"}
    # headings and 'Label: ...' items are title case whatever their words are
    assert not topic_words("In Conclusion\nKey Risks: the outlook is uncertain.\n") & {
        "conclusion",
        "risks",
    }
    # a quotation starts a sentence
    assert "perhaps" not in topic_words('He added, "Perhaps it is time to talk."')


def test_lexical_evidence_leaves_out_topic_words():
    p, evidence = model().score([RUSSIA_FARM])[0]
    wording = [e for e in evidence if e.startswith("wording typical")]
    assert p > model().threshold_ and wording
    assert "'significant'" in wording[0] or "'notable'" in wording[0]
    assert "russian" not in wording[0] and "trump" not in wording[0]


def test_case_cues_not_shown_for_caseless_script():
    from detector.filler.features import CASE_FEATURES, FEATURES, cased_share

    zh = "北京市政府今天宣布，将在明年投入更多资金用于城市交通建设。" * 6
    assert cased_share(zh) == 0.0 and cased_share("Москва и Russia") == 1.0
    m = model()
    _, evidence = m.score([zh], k=10)[0]
    templates = {
        t.split("{")[0].split(":")[0]
        for f in FEATURES
        if f.name in CASE_FEATURES
        for t in (f.high, f.low)
    }
    assert not any(e.startswith(t) for e in evidence for t in templates)
