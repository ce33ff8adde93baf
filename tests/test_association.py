"""Association measures of 2x2 tables: the one G2 against scipy, MI / t-score / logDice by hand and against NLTK;
keyness and collocations both use it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.association import BigramAssocMeasures
from scipy.stats import chi2, chi2_contingency

from rhetoric.stats import association as association_module
from rhetoric.stats import collocations, keyness
from rhetoric.stats.association import association, g2_p_value, log_dice, signed_g2


def g2_scipy(o11, r1, c1, n) -> float:
    table = np.array([[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]], dtype=float)
    stat, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return float(stat)


@st.composite
def tables(draw):
    """(O11, R1, C1, N) of a 2x2 table with no empty row or column."""
    o11 = draw(st.integers(0, 400))
    o12 = draw(st.integers(0, 400))
    o21 = draw(st.integers(0, 400))
    o22 = draw(st.integers(0, 5000))
    if o11 + o12 == 0 or o21 + o22 == 0 or o11 + o21 == 0 or o12 + o22 == 0:
        o22 += 1
        o11 += 1
    return o11, o11 + o12, o11 + o21, o11 + o12 + o21 + o22


@settings(max_examples=300, deadline=None)
@given(table=tables())
def test_g2_matches_scipy_with_a_sign(table):
    o11, r1, c1, n = table
    g2 = float(signed_g2(o11, r1, c1, n))
    assert abs(g2) == pytest.approx(g2_scipy(o11, r1, c1, n), rel=1e-9, abs=1e-9)
    if o11 * n > r1 * c1:
        assert g2 > 0
    elif o11 * n < r1 * c1:
        assert g2 < 0
    else:
        assert g2 == 0.0 and not np.signbit(g2)
    assert float(g2_p_value(g2)) == pytest.approx(chi2.sf(abs(g2), 1), rel=1e-9, abs=1e-300)
    # swapping the rows flips the sign and keeps the value bit for bit
    assert float(signed_g2(c1 - o11, n - r1, c1, n)) == -g2


def test_g2_by_hand():
    # O = [[10, 90], [10, 890]], N = 1000, E11 = 100 * 20 / 1000 = 2, E12 = 98, E21 = 18, E22 = 882
    by_hand = 2 * (10 * math.log(10 / 2) + 90 * math.log(90 / 98) + 10 * math.log(10 / 18)
                   + 890 * math.log(890 / 882))
    assert float(signed_g2(10, 100, 20, 1000)) == pytest.approx(by_hand) == pytest.approx(21.177, abs=1e-3)
    assert float(signed_g2(0, 100, 20, 1000)) < 0                    # a zero cell: 0 * ln 0 = 0
    assert np.isfinite(signed_g2(np.array([0, 20]), 100, 20, 1000)).all()
    assert signed_g2([10, 2, 0], [100] * 3, [20] * 3, [1000] * 3).shape == (3,)


def test_mi_mi3_t_score_by_hand():
    m = association(10, 100, 20, 1000)                              # E11 = 2
    assert float(m["expected"]) == 2.0
    assert float(m["mi"]) == pytest.approx(math.log2(10 / 2))
    assert float(m["mi3"]) == pytest.approx(math.log2(10 ** 3 / 2))
    assert float(m["t_score"]) == pytest.approx((10 - 2) / math.sqrt(10))
    assert float(m["g2"]) == float(signed_g2(10, 100, 20, 1000))
    assert float(log_dice(10, 100, 20)) == pytest.approx(14 + math.log2(2 * 10 / 120))
    assert float(log_dice(5, 5, 5)) == 14.0                           # the maximum: always together


@settings(max_examples=200, deadline=None)
@given(table=tables())
def test_bigram_measures_match_nltk(table):
    o11, r1, c1, n = table
    if o11 == 0:
        return
    measures = BigramAssocMeasures()
    marginals = (o11, (r1, c1), n)
    m = association(o11, r1, c1, n)
    assert float(m["mi"]) == pytest.approx(measures.pmi(*marginals), rel=1e-9, abs=1e-12)
    assert float(m["t_score"]) == pytest.approx(measures.student_t(*marginals), rel=1e-9, abs=1e-12)
    assert abs(float(m["g2"])) == pytest.approx(measures.likelihood_ratio(*marginals), rel=1e-7, abs=1e-7)
    assert float(log_dice(o11, r1, c1)) == pytest.approx(14 + math.log2(measures.dice(*marginals)))


def test_keyness_and_collocations_share_the_one_g2(monkeypatch, project_tokens, project_docs, tiny_tokens,
                                                   tiny_docs):
    assert keyness.signed_g2 is association_module.signed_g2
    assert collocations.association is association_module.association
    calls = []
    original = association_module.signed_g2
    monkeypatch.setattr(association_module, "signed_g2", lambda *a: calls.append(a) or original(*a))
    table = collocations.collocates(tiny_tokens, tiny_docs, "security", min_count=1)
    assert calls and len(calls[0][0]) == len(table)                   # the collocation G2 comes from it
    monkeypatch.undo()
    # and both agree with scipy on the project corpus
    key = keyness.keyness(project_tokens, project_docs, by="year", target=2022, min_count=2)
    for row in key.head(50).itertuples():
        g2 = g2_scipy(row.freq_target, row.freq_target + row.freq_reference, row.size_target,
                      row.size_target + row.size_reference)
        assert abs(row.g2) == pytest.approx(g2, rel=1e-9)
    coll = collocations.collocates(project_tokens, project_docs, "cooperation", min_count=2)
    assert len(coll) > 10
    for row in coll.itertuples():
        g2 = g2_scipy(row.observed, coll.attrs["window_tokens"], row.collocate_freq, coll.attrs["corpus_tokens"])
        assert abs(row.g2) == pytest.approx(g2, rel=1e-9, abs=1e-9)
        assert np.sign(row.g2) == np.sign(row.observed - row.expected)
