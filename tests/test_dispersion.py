"""Juilland's D, DP and DP_norm against hand-worked examples (Gries 2008); listed terms against the full table for
every word type of the bundled corpus; positions for x-ray plots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.corpus.tokens import doc_token_lists
from rhetoric.errors import ParameterError
from rhetoric.stats.dispersion import DISPERSION_COLUMNS, POSITION_COLUMNS, dispersion, dispersion_positions

EVERY = dict(all_versions=True)
MEASURES = ["freq", "range", "juilland_d", "dp", "dp_norm"]


@pytest.fixture
def one_doc(tmp_path):
    """One sentence of 20 tokens; in four parts of five:  x y y y y | x x y y y | y y y y y | x y y y y."""
    words = "x y y y y x x y y y y y y y y x y y y y".split()
    docs = load_corpus(write_corpus(tmp_path / "one", {"only": ("2022", "only", "", "p", " ".join(words) + ".")}))
    return tokenize(docs, cache=False), docs


def juilland(v, s):
    """Reference: D = 1 - (sd_pop(p) / mean(p)) / sqrt(n - 1) with p_i = v_i / s_i."""
    p = [vi / si for vi, si in zip(v, s)]
    n = len(p)
    mean = sum(p) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in p) / n)
    return 1 - (sd / mean) / math.sqrt(n - 1)


def dp(v, s):
    """Reference: DP = 0.5 * sum |v_i / f - s_i|."""
    f = sum(v)
    return 0.5 * sum(abs(vi / f - si) for vi, si in zip(v, s))


def test_equal_parts_by_hand(one_doc):
    tokens, docs = one_doc
    table = dispersion(tokens, docs, parts=4).set_index("term")
    assert tuple(table.reset_index().columns) == DISPERSION_COLUMNS
    # x: v = (1, 2, 0, 1), f = 4, s_i = 1/4
    #   DP = 0.5 * (|1/4 - 1/4| + |2/4 - 1/4| + |0 - 1/4| + |1/4 - 1/4|) = 0.5 * 0.5 = 0.25
    #   DP_norm = 0.25 / (1 - 1/4) = 1/3
    #   mean = 1, sd_pop = sqrt((0 + 1 + 1 + 0) / 4) = sqrt(0.5), D = 1 - sqrt(0.5) / sqrt(3) = 0.59175
    x = table.loc["x"]
    assert (x["freq"], x["range"]) == (4, 3)
    assert x["dp"] == pytest.approx(0.25)
    assert x["dp_norm"] == pytest.approx(1 / 3)
    assert x["juilland_d"] == pytest.approx(1 - math.sqrt(0.5) / math.sqrt(3))
    assert x["juilland_d"] == pytest.approx(0.591752, abs=1e-6)
    # y: v = (4, 3, 5, 4), f = 16: DP = 0.5 * (0 + 1/16 + 1/16 + 0) = 0.0625;
    #   mean 4, sd_pop = sqrt(0.5), D = 1 - (sqrt(0.5) / 4) / sqrt(3) = 0.897938
    y = table.loc["y"]
    assert y["dp"] == pytest.approx(0.0625)
    assert y["juilland_d"] == pytest.approx(1 - (math.sqrt(0.5) / 4) / math.sqrt(3))
    assert table.index.tolist() == ["y", "x"]  # freq descending
    assert table.attrs["n_parts"] == 4


def test_gries_2008_example():
    # The worked example of Gries (2008): five corpus parts of 9, 10, 10, 10, 11 words (s = .18, .2, .2, .2, .22)
    # and a word occurring 1, 2, 3, 4, 5 times in them: DP = 0.5 * (|1/15 - .18| + |2/15 - .2| + |3/15 - .2| +
    # |4/15 - .2| + |5/15 - .22|) = 0.5 * (.1133 + .0667 + 0 + .0667 + .1133) = 0.18; DP_norm = .18 / .82 = 0.2195
    # (Lijffijt & Gries 2012)
    parts = [["b"] * hits + ["a"] * (size - hits) for size, hits in zip((9, 10, 10, 10, 11), (1, 2, 3, 4, 5))]
    docs = pd.DataFrame({"doc_id": [f"p{i}" for i in range(5)], "text": [" ".join(p) + "." for p in parts]})
    table = dispersion(tokenize(docs, cache=False), docs, terms=["b"]).iloc[0]
    assert table["dp"] == pytest.approx(0.18, abs=1e-12)
    assert table["dp"] == pytest.approx(dp([1, 2, 3, 4, 5], [.18, .2, .2, .2, .22]))
    assert table["dp_norm"] == pytest.approx(0.18 / 0.82) == pytest.approx(0.2195, abs=1e-4)
    assert table["juilland_d"] == pytest.approx(juilland([1, 2, 3, 4, 5], [.18, .2, .2, .2, .22]))
    assert (table["freq"], table["range"]) == (15, 5)


def test_documents_of_unequal_size_by_hand(tiny_tokens, tiny_docs):
    table = dispersion(tiny_tokens, tiny_docs, **EVERY).set_index("term")
    s = [13 / 44, 13 / 44, 18 / 44]  # document sizes 13, 13, 18
    # trade: v = (1, 1, 2): DP = 0.5 * (2 * |1/4 - 13/44| + |1/2 - 18/44|) = 0.5 * (4/44 + 4/44) = 4/44
    trade = table.loc["trade"]
    assert trade["dp"] == pytest.approx(4 / 44) == dp([1, 1, 2], s)
    assert trade["dp_norm"] == pytest.approx((4 / 44) / (1 - 13 / 44))
    # rates p = (1/13, 1/13, 1/9): mean 0.088319, sd_pop 0.016116, D = 1 - (0.016116 / 0.088319) / sqrt(2)
    #   = 0.870968
    assert trade["juilland_d"] == pytest.approx(juilland([1, 1, 2], s))
    assert trade["juilland_d"] == pytest.approx(0.870968, abs=1e-6)
    # security: all 3 in the largest document: DP = 0.5 * (13/44 + 13/44 + (1 - 18/44)) = 26/44,
    #   DP_norm = (26/44) / (1 - 13/44) = 26/31, D = 0 (all in one part)
    security = table.loc["security"]
    assert security["dp"] == pytest.approx(26 / 44)
    assert security["dp_norm"] == pytest.approx(26 / 31)
    assert security["juilland_d"] == 0.0
    # community: once in each document: DP = 0.5 * (2 * (1/3 - 13/44) + (18/44 - 1/3)) = 5/66
    community = table.loc["community"]
    assert community["dp"] == pytest.approx(5 / 66)
    assert community["juilland_d"] == pytest.approx(juilland([1, 1, 1], s))
    # counted once (a_official 13, c_2024 18 tokens): trade v = (1, 2), DP = 0.5 * (|1/3 - 13/31| + |2/3 - 18/31|)
    once = dispersion(tiny_tokens, tiny_docs).set_index("term")
    assert once.attrs["n_parts"] == 2
    assert once.loc["trade", "dp"] == pytest.approx(8 / 93) == dp([1, 2], [13 / 31, 18 / 31])


def test_perfectly_even_term_gets_d_one_and_dp_zero(tmp_path):
    texts = {f"d{i}": ("2022", f"d{i}", "", "p", "Peace and trade.") for i in range(3)}
    docs = load_corpus(write_corpus(tmp_path / "even", texts))
    table = dispersion(tokenize(docs, cache=False), docs)
    assert table["juilland_d"].tolist() == [1.0, 1.0, 1.0]
    assert table["dp"].tolist() == [0.0, 0.0, 0.0]


def test_phrases_and_absent_terms_keep_their_order(tiny_tokens, tiny_docs):
    table = dispersion(tiny_tokens, tiny_docs, terms=["shared future", "nowhere", "trade"], **EVERY)
    assert table["term"].tolist() == ["shared future", "nowhere", "trade"]
    # shared future: v = (1, 0, 1): DP = 0.5 * (|1/2 - 13/44| + 13/44 + |1/2 - 18/44|) = 0.5 * 26/44 = 13/44
    phrase = table.iloc[0]
    assert (phrase["freq"], phrase["range"]) == (2, 2)
    assert phrase["dp"] == pytest.approx(13 / 44)
    absent = table.iloc[1]
    assert absent["freq"] == 0 and absent["range"] == 0
    assert np.isnan(absent["dp"]) and np.isnan(absent["juilland_d"]) and np.isnan(absent["dp_norm"])
    assert dispersion(tiny_tokens, tiny_docs, terms="win win", hyphens="strict", **EVERY)["freq"].tolist() == [0]
    assert dispersion(tiny_tokens, tiny_docs, terms="win win", **EVERY)["freq"].tolist() == [1]


def test_vectorised_measures_match_a_plain_loop(project_tokens, project_docs):
    parts = 7
    table = dispersion(project_tokens, project_docs, parts=parts, min_count=5)
    # the documents that count: every one but the unofficial version of the Xi article
    words = np.array([w for d, doc in zip(project_tokens.doc_ids, doc_token_lists(project_tokens))
                      if d != "xi2022_unofficial" for w in doc])
    sizes = [len(a) for a in np.array_split(words, parts)]
    s = [x / len(words) for x in sizes]
    chunks = np.array_split(words, parts)
    for row in table.head(40).itertuples():
        v = [int((chunk == row.term).sum()) for chunk in chunks]
        assert row.freq == sum(v) and row.range == sum(x > 0 for x in v)
        assert row.dp == pytest.approx(dp(v, s), abs=1e-12)
        assert row.dp_norm == pytest.approx(dp(v, s) / (1 - min(s)), abs=1e-12)
        assert row.juilland_d == pytest.approx(max(juilland(v, s), 0.0), abs=1e-9)
    assert (table["freq"] >= 5).all()


# --- issue 13: listed terms give the rows of the full table ------------------------------------------------------

@pytest.mark.parametrize("parts", [None, 2, 3, 7, 50])
@pytest.mark.parametrize("selection", [{}, EVERY])
def test_every_word_type_listed_equals_its_row(project_tokens, project_docs, parts, selection):
    full = dispersion(project_tokens, project_docs, parts=parts, **selection).set_index("term")
    assert len(full) > 1000
    listed = dispersion(project_tokens, project_docs, terms=full.index.tolist(), parts=parts, hyphens="strict",
                        **selection).set_index("term")
    assert listed.index.tolist() == full.index.tolist()
    pd.testing.assert_frame_equal(listed[MEASURES], full[MEASURES])
    # with loose hyphens (the default) a word without a hyphen still matches only itself
    plain = [t for t in full.index if "-" not in t]
    loose = dispersion(project_tokens, project_docs, terms=plain, parts=parts, **selection).set_index("term")
    pd.testing.assert_frame_equal(loose[MEASURES], full.loc[plain, MEASURES])


def _edge_terms(tokens, docs, parts_list) -> list[str]:
    """Types at the very first token, at the first and last token of every document, on both sides of every
    part boundary, plus token residue (possessive, currency, numbers, initials) and a spread sample."""
    from rhetoric.counts import select_documents, select_tokens

    sub = select_tokens(tokens, select_documents(docs))
    types = sub.vocab[sub.ids]
    positions = {0, sub.n_tokens - 1}
    for a, b in zip(sub.bounds[:-1], sub.bounds[1:]):
        positions |= {int(a), int(b) - 1}
    for k in parts_list:
        cuts = np.cumsum([len(c) for c in np.array_split(np.arange(sub.n_tokens), k)])[:-1]
        positions |= {int(c) - 1 for c in cuts} | {int(c) for c in cuts}
    chosen = {types[p] for p in positions}
    chosen |= {"'s", "$", "%", "u.s", "k.k", "2022", "win-win", "china-kazakhstan", "president", "the"}
    sample = sorted(set(types))[::23]
    return sorted((chosen & set(types)) | set(sample))


def test_each_term_on_its_own_equals_its_row(project_tokens, project_docs):
    parts_list = [2, 3, 7]
    terms = _edge_terms(project_tokens, project_docs, parts_list)
    assert project_tokens.vocab[project_tokens.ids[0]] in terms and len(terms) > 60
    for parts in [None] + parts_list:
        full = dispersion(project_tokens, project_docs, parts=parts).set_index("term")
        for term in terms:
            one = dispersion(project_tokens, project_docs, terms=[term], parts=parts,
                             hyphens="strict" if "-" in term else "loose").set_index("term")
            pd.testing.assert_frame_equal(one[MEASURES], full.loc[[term], MEASURES], obj=f"{term!r}, parts={parts}")


def test_a_term_at_the_first_token_and_at_a_part_boundary(tmp_path):
    # d0: alpha beta gamma | d1: delta alpha beta; parts=2 cuts after the third token (between d0 and d1)
    docs = pd.DataFrame({"doc_id": ["d0", "d1"], "text": ["Alpha beta gamma.", "Delta alpha beta."]})
    tokens = tokenize(docs, cache=False)
    by_parts = dispersion(tokens, docs, parts=2, terms=["alpha", "gamma", "delta", "beta gamma delta"])
    # alpha at 0 (part 0) and 4 (part 1); gamma at 2 (part 0, last token); delta at 3 (part 1, first token);
    # "beta gamma delta" crosses the document boundary: no hit
    assert by_parts[["term", "freq", "range"]].values.tolist() == [
        ["alpha", 2, 2], ["gamma", 1, 1], ["delta", 1, 1], ["beta gamma delta", 0, 0]]
    assert by_parts["dp"].iloc[:3].tolist() == [0.0, 0.5, 0.5]
    three = dispersion(tokens, docs, parts=3, terms=["alpha", "beta"])
    # parts of 2 tokens: [alpha beta] [gamma delta] [alpha beta]: alpha and beta in parts 0 and 2
    assert three[["freq", "range"]].values.tolist() == [[2, 2], [2, 2]]
    assert three["dp"].tolist() == pytest.approx([dp([1, 0, 1], [1 / 3] * 3)] * 2)


def test_parts_errors(tiny_tokens, tiny_docs, one_doc):
    with pytest.raises(ParameterError, match="parts=1"):
        dispersion(tiny_tokens, tiny_docs, parts=1)
    with pytest.raises(ParameterError, match="parts=100 is more than the 31 tokens that count; use fewer parts"):
        dispersion(tiny_tokens, tiny_docs, parts=100)
    with pytest.raises(ParameterError, match="at least two non-empty documents; with one document, pass parts=k"):
        dispersion(*one_doc)
    with pytest.raises(ParameterError, match="terms is empty"):
        dispersion(tiny_tokens, tiny_docs, terms=[])
    with pytest.raises(ParameterError, match="min_count=0"):
        dispersion(tiny_tokens, tiny_docs, min_count=0)


def test_positions_by_hand(tiny_tokens, tiny_docs):
    table = dispersion_positions(tiny_tokens, tiny_docs, ["trade", "shared future", "future win-win"])
    assert tuple(table.columns) == POSITION_COLUMNS
    # a: ... shared(4) future | ... trade(10) is up   c: trade(0) grew to $ 21.2 billion trade(6) ... shared(16) future
    # (b_unofficial, the other version of a_official, does not count)
    assert table[["doc_id", "term", "position"]].values.tolist() == [
        ["a_official", "shared future", 4], ["a_official", "trade", 10],
        ["c_2024", "trade", 0], ["c_2024", "trade", 6], ["c_2024", "shared future", 16]]
    assert table["relative_position"].tolist() == pytest.approx([4 / 13, 10 / 13, 0, 6 / 18, 16 / 18])
    every = dispersion_positions(tiny_tokens, tiny_docs, "trade", **EVERY)
    assert every["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024", "c_2024"]
    assert dispersion_positions(tiny_tokens, tiny_docs, "Security", case_sensitive=True)["position"].tolist() == [10]
    with pytest.raises(ParameterError, match="terms is empty"):
        dispersion_positions(tiny_tokens, tiny_docs, [])
