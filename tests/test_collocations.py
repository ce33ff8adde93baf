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

from rhetoric.corpus.tokens import Tokens
from rhetoric.errors import ParameterError
from rhetoric.stats.association import association
from rhetoric.stats.collocations import COLLOCATE_COLUMNS, NGRAM_COLUMNS, collocates, recurring_ngrams

EVERY = dict(all_versions=True)


def single_document(words: list[str]) -> tuple[Tokens, pd.DataFrame]:
    """A one-document, one-sentence token store of ``words``, and its documents table."""
    vocab = np.array(sorted(set(words)), dtype=str)
    ids = np.searchsorted(vocab, np.array(words, dtype=str)).astype(np.int32)
    start = np.cumsum([0] + [len(w) + 1 for w in words[:-1]]).astype(np.int32)
    end = start + np.array([len(w) for w in words], dtype=np.int32)
    zeros = np.zeros(len(words), dtype=np.int32)
    span = np.array([[0, int(end[-1])]], dtype=np.int64)
    tokens = Tokens(doc_ids=np.array(["d"]), bounds=np.array([0, len(words)], dtype=np.int64), vocab=vocab, ids=ids,
                    start=start, end=end, sentence=zeros, sentence_spans=span, sentence_doc=np.zeros(1, np.int32),
                    sentence_paragraph=np.zeros(1, np.int32), paragraph_spans=span,
                    paragraph_doc=np.zeros(1, np.int32))
    docs = pd.DataFrame({"doc_id": ["d"], "translation_group": ["d"], "translation": [""],
                         "text": [" ".join(words)]})
    return tokens, docs


def g2_scipy(o11, r1, c1, n) -> float:
    table = np.array([[o11, r1 - o11], [c1 - o11, n - r1 - c1 + o11]], dtype=float)
    stat, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return stat


# --- wider windows, by hand on the tiny corpus ---------------------------------------------------------------
# c_2024 tokens: 0 trade 1 grew 2 to 3 $ 4 21.2 5 billion | 6 trade 7 and 8 security 9 matter | 10 security
#                11 security | 12 the 13 community 14 with 15 a 16 shared 17 future      (| = sentence end)
# With every version: N = 13 + 13 + 18 = 44 tokens; "security" occurs 3 times (8, 10, 11), "trade" 4 times
# (a, b, c twice).

def test_window_counts_by_hand_within_sentence(tiny_tokens, tiny_docs):
    table = collocates(tiny_tokens, tiny_docs, "security", left=2, right=2, min_count=1, **EVERY)
    # windows stop at sentence ends: hit 8 -> {6, 7} + {9}; hit 10 -> {} + {11}; hit 11 -> {10} + {}
    # union {6, 7, 9, 10, 11}: R1 = 5 tokens; trade 1, and 1, matter 1, security 2
    assert table.attrs["window_tokens"] == 5 and table.attrs["corpus_tokens"] == 44
    got = table.set_index("collocate")
    assert got["observed"].to_dict() == {"security": 2, "and": 1, "matter": 1, "trade": 1}
    assert got["collocate_freq"].to_dict() == {"security": 3, "and": 1, "matter": 1, "trade": 4}
    assert (got["node_freq"] == 3).all()
    sec = got.loc["security"]
    # E = R1 * C1 / N = 5 * 3 / 44 = 0.340909...
    assert sec["expected"] == pytest.approx(5 * 3 / 44)
    assert sec["mi"] == pytest.approx(math.log2(2 / (15 / 44)))             # log2(5.8667) = 2.5525
    assert sec["mi"] == pytest.approx(2.552541, abs=1e-6)
    assert sec["mi3"] == pytest.approx(math.log2(2 ** 3 / (15 / 44)))
    assert sec["t_score"] == pytest.approx((2 - 15 / 44) / math.sqrt(2))     # 1.1731
    assert sec["log_dice"] == pytest.approx(14 + math.log2(2 * 2 / (3 + 3)))  # 13.415
    # table: [[2, 3], [1, 38]] (R2 = 39, C2 = 41); G2 = 2 * sum O ln(O / E)
    by_hand = 2 * (2 * math.log(2 / (5 * 3 / 44)) + 3 * math.log(3 / (5 * 41 / 44))
                   + 1 * math.log(1 / (39 * 3 / 44)) + 38 * math.log(38 / (39 * 41 / 44)))
    assert sec["g2"] == pytest.approx(by_hand)
    assert sec["g2"] == pytest.approx(g2_scipy(2, 5, 3, 44))
    assert list(table.columns) == COLLOCATE_COLUMNS
    assert table["g2"].is_monotonic_decreasing


def test_window_counts_by_hand_across_sentences(tiny_tokens, tiny_docs):
    table = collocates(tiny_tokens, tiny_docs, "security", left=2, right=2, min_count=1, within_sentence=False,
                       **EVERY)
    # hit 8 -> {6, 7} + {9, 10}; hit 10 -> {8, 9} + {11, 12}; hit 11 -> {9, 10} + {12, 13}
    # union {6..13}: R1 = 8; security at 8, 10, 11 -> O = 3 (each token once, though 10 is in two windows)
    assert table.attrs["window_tokens"] == 8
    got = table.set_index("collocate")["observed"].to_dict()
    assert got == {"security": 3, "trade": 1, "and": 1, "matter": 1, "the": 1, "community": 1}
    sec = table.set_index("collocate").loc["security"]
    assert sec["g2"] == pytest.approx(g2_scipy(3, 8, 3, 44))


def test_windows_stop_at_document_edges_and_count_once(tiny_tokens, tiny_docs):
    # counted once (a_official, c_2024: N = 31). "the community" opens a_official: nothing left of it there;
    # in c_2024 (hit at 12) the three tokens before it are matter, security, security (across sentences)
    table = collocates(tiny_tokens, tiny_docs, "the community", left=3, right=0, min_count=1, within_sentence=False)
    assert table.attrs["window_tokens"] == 3 and table.attrs["corpus_tokens"] == 31
    assert table.set_index("collocate")["observed"].to_dict() == {"security": 2, "matter": 1}
    assert table["node_freq"].tolist() == [2, 2]
    # every version: b_unofficial also opens with "the community", and a_official's last words are not its context
    every = collocates(tiny_tokens, tiny_docs, "the community", left=3, right=0, min_count=1, within_sentence=False,
                       **EVERY)
    assert every.attrs["window_tokens"] == 3 and every.attrs["corpus_tokens"] == 44
    assert every["node_freq"].tolist() == [3, 3]
    # within the sentence, "The community" starts its sentence in c_2024 too: no window at all
    assert collocates(tiny_tokens, tiny_docs, "the community", left=3, right=0, min_count=1).empty
    unofficial = collocates(tiny_tokens, tiny_docs, "common", left=0, right=1, min_count=1, prefer="unofficial")
    assert unofficial["collocate"].tolist() == ["destiny"]
    assert collocates(tiny_tokens, tiny_docs, "common", left=0, right=1).empty


def test_phrase_node_and_negative_association(tiny_tokens, tiny_docs):
    # node "the community" (3 hits); right window 1: with, of, with -> R1 = 3
    table = collocates(tiny_tokens, tiny_docs, "the community", left=0, right=1, min_count=1, **EVERY)
    assert table.set_index("collocate")["observed"].to_dict() == {"with": 2, "of": 1}
    # a collocate seen less often than expected gets a negative G2
    m = association(1, 20, 15, 42)            # E = 20 * 15 / 42 = 7.1 > O = 1
    assert m["g2"] < 0 and m["g2"] == pytest.approx(-g2_scipy(1, 20, 15, 42))


def test_stop_words_leave_totals_alone(tiny_tokens, tiny_docs):
    full = collocates(tiny_tokens, tiny_docs, "security", left=2, right=2, min_count=1)
    filtered = collocates(tiny_tokens, tiny_docs, "security", left=2, right=2, min_count=1,
                          stop_words=["and", "matter"])
    assert set(filtered["collocate"]) == {"security", "trade"}
    pd.testing.assert_frame_equal(full[full["collocate"].isin(["security", "trade"])].reset_index(drop=True),
                                  filtered)
    assert collocates(tiny_tokens, tiny_docs, "security", min_count=2)["collocate"].tolist() == ["security"]


def test_pattern_rules_apply_to_the_node(tiny_tokens, tiny_docs):
    # win win = win-win (loose hyphens, the default), not with strict hyphens; case and regular expressions
    assert collocates(tiny_tokens, tiny_docs, "win win", left=0, right=1, min_count=1)["collocate"].tolist() == [
        "cooperation"]
    assert collocates(tiny_tokens, tiny_docs, "win win", hyphens="strict").empty
    cased = collocates(tiny_tokens, tiny_docs, "Security", left=0, right=1, min_count=1, case_sensitive=True)
    assert cased["node_freq"].tolist() == [1] and cased["collocate"].tolist() == ["security"]
    regex = collocates(tiny_tokens, tiny_docs, "secur.*", left=0, right=1, min_count=1, valuetype="regex")
    assert regex["node_freq"].iloc[0] == 3


def test_sorting_and_missing_node(tiny_tokens, tiny_docs):
    table = collocates(tiny_tokens, tiny_docs, "community", min_count=1, sort_by="observed")
    order = list(zip(-table["observed"], table["collocate"]))
    assert order == sorted(order)
    empty = collocates(tiny_tokens, tiny_docs, "nowhere")
    assert empty.empty and list(empty.columns) == COLLOCATE_COLUMNS


def test_bad_parameters(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="left=-1"):
        collocates(tiny_tokens, tiny_docs, "trade", left=-1)
    with pytest.raises(ParameterError, match="leave no window"):
        collocates(tiny_tokens, tiny_docs, "trade", left=0, right=0)
    with pytest.raises(ParameterError, match="min_count=0"):
        collocates(tiny_tokens, tiny_docs, "trade", min_count=0)
    with pytest.raises(ParameterError, match="sort_by='dice'"):
        collocates(tiny_tokens, tiny_docs, "trade", sort_by="dice")
    with pytest.raises(ParameterError, match="is empty"):
        collocates(tiny_tokens, tiny_docs, " ")
    with pytest.raises(TypeError, match="min_freq"):
        collocates(tiny_tokens, tiny_docs, "trade", min_freq=2)          # the old name is not silently ignored
    with pytest.raises(ParameterError, match="n=1"):
        recurring_ngrams(tiny_tokens, tiny_docs, n=1)


# --- window of one to the right = NLTK's bigram measures --------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=2, max_size=60),
       node=st.sampled_from(["a", "b", "c"]))
def test_next_word_matches_nltk(words, node):
    words = words + ["end"]                      # the node is never last, so every hit has a right neighbour
    if node not in words:
        return
    table = collocates(*single_document(words), node, left=0, right=1, min_count=1, within_sentence=False)
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


def test_next_word_differs_from_nltk_where_a_hit_ends_a_sentence_or_the_text(tiny_tokens, tiny_docs):
    """The docstring's limit of the NLTK equality: NLTK counts a final hit in R1 and bigrams across sentences.

    c_2024: "... Trade and security matter. | Security, security! | The community ..." (| = sentence end):
    'security' at 8, 10, 11; 10 is followed by 11 in its sentence; 11 ends its sentence (and 8 is followed by
    'matter').
    """
    table = collocates(tiny_tokens, tiny_docs, "security", left=0, right=1, min_count=1, all_versions=True)
    # inside sentences: 8 -> matter, 10 -> security; 11 has nothing to its right: R1 = 2 hits with a right word
    assert table.attrs["window_tokens"] == 2
    assert dict(zip(table["collocate"], table["observed"])) == {"matter": 1, "security": 1}
    # NLTK over the same document's words: R1 = f(security) = 3, and the bigram (security, the) crosses a sentence
    words = list(tiny_tokens.vocab[tiny_tokens.ids[tiny_tokens.bounds[2]:tiny_tokens.bounds[3]]])
    finder = BigramCollocationFinder.from_words(words)
    assert finder.word_fd["security"] == 3 and finder.ngram_fd[("security", "the")] == 1
    assert "the" not in set(table["collocate"])


def test_recurring_bigrams_by_hand(tiny_tokens, tiny_docs):
    table = recurring_ngrams(tiny_tokens, tiny_docs, n=2, min_count=2, **EVERY)
    assert list(table.columns) == NGRAM_COLUMNS
    # bigram positions inside sentences: a 5+3+2, b 4+4+2, c 5+3+1+5 -> N = 34
    sentences = []
    for a, b in zip(tiny_tokens.bounds[:-1], tiny_tokens.bounds[1:]):
        for s in np.unique(tiny_tokens.sentence[a:b]):
            sentences.append(list(tiny_tokens.vocab[tiny_tokens.ids[a:b][tiny_tokens.sentence[a:b] == s]]))
    pairs = Counter((x, y) for s in sentences for x, y in zip(s, s[1:]))
    firsts = Counter(x for s in sentences for x in s[:-1])
    seconds = Counter(y for s in sentences for y in s[1:])
    total = sum(pairs.values())
    assert total == 34
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
    assert top["mi"] == pytest.approx(math.log2(3 * 34 / (3 * 3)))
    # counted once (a_official, c_2024): "the community" twice, in two documents
    once = recurring_ngrams(tiny_tokens, tiny_docs, n=2, min_count=2).set_index("ngram")
    assert once.loc["the community", ["freq", "range"]].tolist() == [2, 2]
    assert "cooperation is" not in once.index                        # a_official and b_unofficial only


def test_recurring_trigrams_and_stop_words(tiny_tokens, tiny_docs):
    tri = recurring_ngrams(tiny_tokens, tiny_docs, n=3, min_count=2, **EVERY)
    assert tri.set_index("ngram")["freq"].to_dict() == {
        "the community with": 2, "community with a": 2, "with a shared": 2, "a shared future": 2,
        "cooperation is key": 2, "trade is up": 2}
    assert tri["g2"].isna().all()
    # n-grams beginning or ending with a stop word go: "with a", "is up", "trade is", "cooperation is", ...
    bi = recurring_ngrams(tiny_tokens, tiny_docs, n=2, min_count=2, stop_words=True, **EVERY)
    assert set(bi["ngram"]) == {"shared future"}
    ordered = recurring_ngrams(tiny_tokens, tiny_docs, n=2, min_count=1, sort_by="g2")
    assert ordered["g2"].is_monotonic_decreasing
