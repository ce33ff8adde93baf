"""Juilland's D, DP and DP_norm against hand-worked examples; positions for x-ray plots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import write_corpus
from rhetoric.corpus import load_corpus
from rhetoric.dispersion import DISPERSION_COLUMNS, POSITION_COLUMNS, dispersion, dispersion_positions
from rhetoric.errors import ParameterError
from rhetoric.tokens import tokenize


@pytest.fixture
def one_doc_tokens(tmp_path):
    """One sentence of 20 tokens; in four parts of five:  x y y y y | x x y y y | y y y y y | x y y y y."""
    words = "x y y y y x x y y y y y y y y x y y y y".split()
    docs = load_corpus(write_corpus(tmp_path / "one", {"only": ("2022", "only", "", "p", " ".join(words) + ".")}))
    return tokenize(docs, cache=False)


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


def test_equal_parts_by_hand(one_doc_tokens):
    table = dispersion(one_doc_tokens, parts=4).set_index("term")
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


def test_documents_of_unequal_size_by_hand(tiny_tokens):
    table = dispersion(tiny_tokens).set_index("term")
    s = [13 / 42, 13 / 42, 16 / 42]  # document sizes 13, 13, 16
    # trade: v = (1, 1, 2): DP = 0.5 * (2 * |1/4 - 13/42| + |1/2 - 16/42|) = 0.5 * (5/42 + 5/42) = 5/42
    trade = table.loc["trade"]
    assert trade["dp"] == pytest.approx(5 / 42) == dp([1, 1, 2], s)
    assert trade["dp_norm"] == pytest.approx((5 / 42) / (1 - 13 / 42))
    # rates p = (1/13, 1/13, 2/16): mean 0.092949, sd_pop 0.022664, D = 1 - (0.022664 / 0.092949) / sqrt(2) = 0.827586
    assert trade["juilland_d"] == pytest.approx(juilland([1, 1, 2], s))
    assert trade["juilland_d"] == pytest.approx(0.827586, abs=1e-6)
    # security: all 3 in the largest document: DP = 0.5 * (13/42 + 13/42 + (1 - 16/42)) = 26/42,
    #   DP_norm = (26/42) / (1 - 13/42) = 26/29, D = 0 (all in one part)
    security = table.loc["security"]
    assert security["dp"] == pytest.approx(26 / 42)
    assert security["dp_norm"] == pytest.approx(26 / 29)
    assert security["juilland_d"] == 0.0
    # community: once in each document; the rates differ only by size: D < 1, DP = 0.5 * (2 * |1/3 - 13/42| + |1/3 - 16/42|)
    community = table.loc["community"]
    assert community["dp"] == pytest.approx(0.5 * (2 * (14 / 42 - 13 / 42) + (16 / 42 - 14 / 42)))
    assert community["juilland_d"] == pytest.approx(juilland([1, 1, 1], s))


def test_perfectly_even_term_gets_d_one_and_dp_zero(tmp_path):
    texts = {f"d{i}": ("2022", f"d{i}", "", "p", "Peace and trade.") for i in range(3)}
    tokens = tokenize(load_corpus(write_corpus(tmp_path / "even", texts)), cache=False)
    table = dispersion(tokens)
    assert table["juilland_d"].tolist() == [1.0, 1.0, 1.0]
    assert table["dp"].tolist() == [0.0, 0.0, 0.0]


def test_phrases_and_absent_terms_keep_their_order(tiny_tokens):
    table = dispersion(tiny_tokens, terms=["shared future", "nowhere", "trade"])
    assert table["term"].tolist() == ["shared future", "nowhere", "trade"]
    # shared future: v = (1, 0, 1): DP = 0.5 * (|1/2 - 13/42| + 13/42 + |1/2 - 16/42|) = 0.5 * 26/42 = 13/42
    phrase = table.iloc[0]
    assert (phrase["freq"], phrase["range"]) == (2, 2)
    assert phrase["dp"] == pytest.approx(13 / 42)
    absent = table.iloc[1]
    assert absent["freq"] == 0 and absent["range"] == 0
    assert np.isnan(absent["dp"]) and np.isnan(absent["juilland_d"]) and np.isnan(absent["dp_norm"])


def test_vectorised_measures_match_a_plain_loop(project_tokens):
    parts = 7
    table = dispersion(project_tokens, parts=parts, min_count=5)
    sizes = [len(a) for a in np.array_split(np.arange(project_tokens.n_tokens), parts)]
    s = [x / project_tokens.n_tokens for x in sizes]
    chunks = np.array_split(project_tokens.vocab[project_tokens.ids], parts)
    for row in table.head(40).itertuples():
        v = [int((chunk == row.term).sum()) for chunk in chunks]
        assert row.freq == sum(v) and row.range == sum(x > 0 for x in v)
        assert row.dp == pytest.approx(dp(v, s), abs=1e-12)
        assert row.dp_norm == pytest.approx(dp(v, s) / (1 - min(s)), abs=1e-12)
        assert row.juilland_d == pytest.approx(max(juilland(v, s), 0.0), abs=1e-9)
    assert (table["freq"] >= 5).all()


def test_parts_errors(tiny_tokens, one_doc_tokens):
    with pytest.raises(ParameterError, match="parts=1"):
        dispersion(tiny_tokens, parts=1)
    with pytest.raises(ParameterError, match="more than the 42 tokens"):
        dispersion(tiny_tokens, parts=100)
    with pytest.raises(ParameterError, match="at least two non-empty documents"):
        dispersion(one_doc_tokens)


def test_positions_by_hand(tiny_tokens):
    table = dispersion_positions(tiny_tokens, ["trade", "shared future", "future win-win"])
    assert tuple(table.columns) == POSITION_COLUMNS
    # a: ... shared(4) future | ... trade(10) is up   c: trade(0) grew to $21.2-billion trade(4) ... shared(14) future
    assert table[["doc_id", "term", "position"]].values.tolist() == [
        ["a_official", "shared future", 4], ["a_official", "trade", 10],
        ["b_unofficial", "trade", 10],
        ["c_2024", "trade", 0], ["c_2024", "trade", 4], ["c_2024", "shared future", 14]]
    assert table["relative_position"].tolist() == pytest.approx([4 / 13, 10 / 13, 10 / 13, 0, 4 / 16, 14 / 16])
    with pytest.raises(ParameterError, match="terms is empty"):
        dispersion_positions(tiny_tokens, [])
