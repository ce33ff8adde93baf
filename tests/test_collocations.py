"""Collocations: window counts by hand, measures against NLTK's BigramAssocMeasures and scipy."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.collocations import BigramCollocationFinder
from nltk.metrics.association import BigramAssocMeasures
from scipy.stats import chi2_contingency

from rhetoric.collocations import COLLOCATE_COLUMNS, NGRAM_COLUMNS, association, collocates, recurring_ngrams
from rhetoric.errors import ParameterError
from rhetoric.tokens import Tokens


def single_document(words: list[str]) -> Tokens:
    """A one-document, one-sentence token store of ``words``."""
    vocab = np.array(sorted(set(words)), dtype=str)
    ids = np.searchsorted(vocab, np.array(words, dtype=str)).astype(np.int32)
    start = np.cumsum([0] + [len(w) + 1 for w in words[:-1]]).astype(np.int64)
    end = start + np.array([len(w) for w in words], dtype=np.int64)
    zeros = np.zeros(len(words), dtype=np.int32)
    span = np.array([[0, int(end[-1])]], dtype=np.int64)
    return Tokens(doc_ids=np.array(["d"]), bounds=np.array([0, len(words)], dtype=np.int64), vocab=vocab, ids=ids,
                  start=start, end=end, raw_start=start, raw_end=end, sentence=zeros, paragraph=zeros,
                  sentence_spans=span, sentence_doc=np.zeros(1, np.int32), paragraph_spans=span,
                  paragraph_doc=np.zeros(1, np.int32))


def g2_scipy(o11, r1, c1, n) -> float:
    table = np.array([[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]], dtype=float)
    stat, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return stat


# --- wider windows, by hand on the tiny corpus ---------------------------------------------------------------
# c_2024 tokens: 0 trade 1 grew 2 to 3 $21.2-billion | 4 trade 5 and 6 security 7 matter | 8 security 9 security
#                | 10 the 11 community 12 with 13 a 14 shared 15 future      (| = sentence end)
# N = 13 + 13 + 16 = 42 tokens; "security" occurs 3 times (6, 8, 9), "trade" 4 times (a, b, c twice).

def test_window_counts_by_hand_within_sentence(tiny_tokens):
    table = collocates(tiny_tokens, "security", left=2, right=2, min_freq=1)
    # windows stop at sentence ends: hit 6 -> {4, 5} + {7}; hit 8 -> {} + {9}; hit 9 -> {8} + {}
    # union {4, 5, 7, 8, 9}: R1 = 5 tokens; trade 1, and 1, matter 1, security 2
    assert table.attrs["window_tokens"] == 5 and table.attrs["corpus_tokens"] == 42
    got = table.set_index("collocate")
    assert got["observed"].to_dict() == {"security": 2, "and": 1, "matter": 1, "trade": 1}
    assert got["collocate_freq"].to_dict() == {"security": 3, "and": 1, "matter": 1, "trade": 4}
    assert (got["node_freq"] == 3).all()
    sec = got.loc["security"]
    # E = R1 * C1 / N = 5 * 3 / 42 = 0.357142...
    assert sec["expected"] == pytest.approx(5 * 3 / 42)
    assert sec["mi"] == pytest.approx(math.log2(2 / (15 / 42)))             # log2(5.6) = 2.4854
    assert sec["mi3"] == pytest.approx(math.log2(2 ** 3 / (15 / 42)))
    assert sec["t_score"] == pytest.approx((2 - 15 / 42) / math.sqrt(2))     # 1.1617
    assert sec["log_dice"] == pytest.approx(14 + math.log2(2 * 2 / (3 + 3)))  # 13.415
    # table: [[2, 3], [1, 36]]; G2 = 2 * sum O ln(O / E)
    by_hand = 2 * (2 * math.log(2 / (5 * 3 / 42)) + 3 * math.log(3 / (5 * 39 / 42))
                   + 1 * math.log(1 / (37 * 3 / 42)) + 36 * math.log(36 / (37 * 39 / 42)))
    assert sec["g2"] == pytest.approx(by_hand)
    assert sec["g2"] == pytest.approx(g2_scipy(2, 5, 3, 42))
    assert list(table.columns) == COLLOCATE_COLUMNS
    assert table["g2"].is_monotonic_decreasing


def test_window_counts_by_hand_across_sentences(tiny_tokens):
    table = collocates(tiny_tokens, "security", left=2, right=2, min_freq=1, within_sentence=False)
    # hit 6 -> {4, 5} + {7, 8}; hit 8 -> {6, 7} + {9, 10}; hit 9 -> {7, 8} + {10, 11}
    # union {4..11}: R1 = 8; security at 6, 8, 9 -> O = 3 (each token once, though 8 is in two windows)
    assert table.attrs["window_tokens"] == 8
    got = table.set_index("collocate")["observed"].to_dict()
    assert got == {"security": 3, "trade": 1, "and": 1, "matter": 1, "the": 1, "community": 1}
    sec = table.set_index("collocate").loc["security"]
    assert sec["g2"] == pytest.approx(g2_scipy(3, 8, 3, 42))


def test_phrase_node_and_negative_association(tiny_tokens):
    # node "the community" (3 hits); right window 1: with, of, with -> R1 = 3
    table = collocates(tiny_tokens, "the community", left=0, right=1, min_freq=1)
    assert table.set_index("collocate")["observed"].to_dict() == {"with": 2, "of": 1}
    # a collocate seen less often than expected gets a negative G2
    m = association(1, 20, 15, 42)            # E = 20 * 15 / 42 = 7.1 > O = 1
    assert m["g2"] < 0 and m["g2"] == pytest.approx(-g2_scipy(1, 20, 15, 42))


def test_stop_words_leave_totals_alone(tiny_tokens):
    full = collocates(tiny_tokens, "security", left=2, right=2, min_freq=1)
    filtered = collocates(tiny_tokens, "security", left=2, right=2, min_freq=1, stop_words=["and", "matter"])
    assert set(filtered["collocate"]) == {"security", "trade"}
    pd.testing.assert_frame_equal(full[full["collocate"].isin(["security", "trade"])].reset_index(drop=True),
                                  filtered)
    assert collocates(tiny_tokens, "security", min_freq=2)["collocate"].tolist() == ["security"]


def test_sorting_and_missing_node(tiny_tokens):
    table = collocates(tiny_tokens, "community", min_freq=1, sort_by="observed")
    order = list(zip(-table["observed"], table["collocate"]))
    assert order == sorted(order)
    empty = collocates(tiny_tokens, "nowhere")
    assert empty.empty and list(empty.columns) == COLLOCATE_COLUMNS


def test_bad_parameters(tiny_tokens):
    with pytest.raises(ParameterError, match="left=-1"):
        collocates(tiny_tokens, "trade", left=-1)
    with pytest.raises(ParameterError, match="leave no window"):
        collocates(tiny_tokens, "trade", left=0, right=0)
    with pytest.raises(ParameterError, match="min_freq=0"):
        collocates(tiny_tokens, "trade", min_freq=0)
    with pytest.raises(ParameterError, match="sort_by='dice'"):
        collocates(tiny_tokens, "trade", sort_by="dice")
    with pytest.raises(ParameterError, match="is empty"):
        collocates(tiny_tokens, " ")
    with pytest.raises(ParameterError, match="n=1"):
        recurring_ngrams(tiny_tokens, n=1)


# --- window of one to the right = NLTK's bigram measures --------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=2, max_size=60),
       node=st.sampled_from(["a", "b", "c"]))
def test_next_word_matches_nltk(words, node):
    words = words + ["end"]                      # the node is never last, so every hit has a right neighbour
    if node not in words:
        return
    table = collocates(single_document(words), node, left=0, right=1, min_freq=1, within_sentence=False)
    finder = BigramCollocationFinder.from_words(words)
    measures = BigramAssocMeasures()
    n_ii = finder.ngram_fd
    n = finder.word_fd.N()
    assert table.attrs["window_tokens"] == finder.word_fd[node]
    for row in table.itertuples():
        marginals = (n_ii[(node, row.collocate)], (finder.word_fd[node], finder.word_fd[row.collocate]), n)
        assert row.observed == marginals[0]
        assert row.expected == pytest.approx(marginals[1][0] * marginals[1][1] / n)
        assert row.mi == pytest.approx(measures.pmi(*marginals), rel=1e-9)
        assert row.t_score == pytest.approx(measures.student_t(*marginals), rel=1e-9, abs=1e-12)
        assert abs(row.g2) == pytest.approx(measures.likelihood_ratio(*marginals), rel=1e-7, abs=1e-9)
        assert row.log_dice == pytest.approx(14 + math.log2(measures.dice(*marginals)))
    # every bigram starting with the node is there
    assert sorted(table["collocate"]) == sorted(w2 for (w1, w2) in n_ii if w1 == node)


def test_recurring_bigrams_by_hand(tiny_tokens):
    table = recurring_ngrams(tiny_tokens, n=2, min_freq=2)
    assert list(table.columns) == NGRAM_COLUMNS
    # bigram positions inside sentences: a 5+3+2, b 4+4+2, c 3+3+1+5 -> N = 32
    sentences = []
    for a, b in zip(tiny_tokens.bounds[:-1], tiny_tokens.bounds[1:]):
        for s in np.unique(tiny_tokens.sentence[a:b]):
            sentences.append(list(tiny_tokens.vocab[tiny_tokens.ids[a:b][tiny_tokens.sentence[a:b] == s]]))
    pairs = Counter((x, y) for s in sentences for x, y in zip(s, s[1:]))
    firsts = Counter(x for s in sentences for x in s[:-1])
    seconds = Counter(y for s in sentences for y in s[1:])
    total = sum(pairs.values())
    assert total == 32
    expected = {" ".join(p): c for p, c in pairs.items() if c >= 2}
    assert dict(zip(table["ngram"], table["freq"])) == expected
    measures = BigramAssocMeasures()
    for row in table.itertuples():
        x, y = row.ngram.split()
        marginals = (pairs[(x, y)], (firsts[x], seconds[y]), total)
        assert row.mi == pytest.approx(measures.pmi(*marginals))
        assert row.t_score == pytest.approx(measures.student_t(*marginals))
        assert abs(row.g2) == pytest.approx(measures.likelihood_ratio(*marginals), rel=1e-7)
    top = table.iloc[0]
    # "the community": 3 times, in 3 documents; "the" starts 3 bigrams, "community" ends 3
    assert (top["ngram"], top["freq"], top["range"]) == ("the community", 3, 3)
    assert top["mi"] == pytest.approx(math.log2(3 * 32 / (3 * 3)))


def test_recurring_trigrams_and_stop_words(tiny_tokens):
    tri = recurring_ngrams(tiny_tokens, n=3, min_freq=2)
    assert tri.set_index("ngram")["freq"].to_dict() == {
        "the community with": 2, "community with a": 2, "with a shared": 2, "a shared future": 2,
        "cooperation is key": 2, "trade is up": 2}
    assert tri["g2"].isna().all()
    # n-grams beginning or ending with a stop word go: "with a", "is up", "trade is", "cooperation is", ...
    bi = recurring_ngrams(tiny_tokens, n=2, min_freq=2, stop_words="english")
    assert set(bi["ngram"]) == {"shared future"}
    ordered = recurring_ngrams(tiny_tokens, n=2, min_freq=1, sort_by="g2")
    assert ordered["g2"].is_monotonic_decreasing
