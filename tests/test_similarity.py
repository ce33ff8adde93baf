"""Document similarity: against scikit-learn's TF-IDF + cosine; the two translations stand out; bounded memory."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from rhetoric.corpus import tokenize
from rhetoric.corpus.tokens import doc_token_lists
from rhetoric.counts import stop_word_list
from rhetoric.errors import ParameterError
from rhetoric.stats.similarity import MAX_SQUARE, document_similarity, similarity_pairs


def sklearn_cosine(tokens, doc_ids, stop=frozenset()):
    """Cosine of scikit-learn TF-IDF vectors of the listed documents' token lists (stop words removed)."""
    lists = dict(zip(tokens.doc_ids, doc_token_lists(tokens)))
    weights = TfidfVectorizer(analyzer=lambda doc: doc).fit_transform(
        [[w for w in lists[d] if w not in stop] for d in doc_ids])
    return cosine_similarity(weights)


def test_matches_sklearn(project_tokens, project_docs):
    stop = stop_word_list(True)
    for selection in ({}, {"all_versions": True}):
        square = document_similarity(project_tokens, project_docs, **selection)
        expected = sklearn_cosine(project_tokens, square.index.tolist(), stop)
        assert square.index.name == "doc_id" and square.index.tolist() == square.columns.tolist()
        assert np.allclose(square.to_numpy(), expected, rtol=0, atol=1e-12)
        assert np.array_equal(square.to_numpy(), square.to_numpy().T)
        assert np.diag(square.to_numpy()).tolist() == [1.0] * len(square)
    assert square.index.tolist() == project_docs["doc_id"].tolist()
    # counted once: the unofficial version of the Xi article is left out
    once = document_similarity(project_tokens, project_docs)
    assert once.index.tolist() == [d for d in project_docs["doc_id"] if d != "xi2022_unofficial"]


def test_the_two_translations_are_the_most_similar_pair(project_tokens, project_docs):
    pairs = similarity_pairs(project_tokens, project_docs, all_versions=True)
    assert len(pairs) == 5 * 4 // 2
    assert {pairs["doc_a"].iloc[0], pairs["doc_b"].iloc[0]} == {"xi2022_unofficial", "xi2022_xinhua"}
    assert pairs["cosine"].is_monotonic_decreasing
    with_bigrams = similarity_pairs(project_tokens, project_docs, ngram_range=(1, 2), all_versions=True)
    assert {with_bigrams["doc_a"].iloc[0], with_bigrams["doc_b"].iloc[0]} == {"xi2022_unofficial", "xi2022_xinhua"}
    once = similarity_pairs(project_tokens, project_docs)
    assert len(once) == 4 * 3 // 2 and "xi2022_unofficial" not in set(once["doc_a"]) | set(once["doc_b"])


def test_tiny_pairs_and_order(tiny_tokens, tiny_docs):
    pairs = similarity_pairs(tiny_tokens, tiny_docs, stop_words=None, all_versions=True)
    assert pairs.columns.tolist() == ["doc_a", "doc_b", "cosine"]
    # a_official shares "the community with a shared future" and "trade" with c_2024, but with b_unofficial
    # shares the, community, cooperation, is (twice), key, trade, up: a and b are the closest pair
    assert pairs[["doc_a", "doc_b"]].values.tolist() == [
        ["a_official", "b_unofficial"], ["a_official", "c_2024"], ["b_unofficial", "c_2024"]]
    assert ((pairs["cosine"] > 0) & (pairs["cosine"] < 1)).all()
    expected = sklearn_cosine(tiny_tokens, ["a_official", "b_unofficial", "c_2024"])
    assert pairs["cosine"].tolist() == pytest.approx([expected[0, 1], expected[0, 2], expected[1, 2]], abs=1e-12)


def test_documents_come_in_corpus_order(tiny_tokens, tiny_docs):
    reordered = document_similarity(tiny_tokens, tiny_docs.iloc[::-1], all_versions=True)
    original = document_similarity(tiny_tokens, tiny_docs, all_versions=True)
    assert reordered.index.tolist() == ["a_official", "b_unofficial", "c_2024"]
    pd.testing.assert_frame_equal(reordered, original)


def test_needs_two_documents(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="at least two documents"):
        document_similarity(tiny_tokens, tiny_docs.head(1))
    with pytest.raises(ParameterError, match="top_n=0"):
        similarity_pairs(tiny_tokens, tiny_docs, top_n=0)


# --- many documents (issue 14) -------------------------------------------------------------------------------

def many_documents(n: int, seed: int = 0):
    """``n`` short documents of 3 to 8 words drawn from 400 (many pairs share no word; some repeat exactly)."""
    rng = np.random.default_rng(seed)
    words = [f"w{i:03d}" for i in range(400)]
    texts = [" ".join(rng.choice(words, size=rng.integers(3, 9))) + "." for _ in range(n)]
    docs = pd.DataFrame({"doc_id": [f"d{i:05d}" for i in range(n)], "text": texts})
    return tokenize(docs, cache=False), docs


def check_top_pairs(pairs: pd.DataFrame, dense: np.ndarray, doc_ids: list[str], top_n: int):
    """The pairs are the ``top_n`` largest cosines of the dense matrix (ties at the cut either way)."""
    index = {d: i for i, d in enumerate(doc_ids)}
    a = pairs["doc_a"].map(index).to_numpy()
    b = pairs["doc_b"].map(index).to_numpy()
    assert len(pairs) == top_n and (a < b).all()
    assert len(set(zip(a.tolist(), b.tolist()))) == top_n
    assert np.allclose(pairs["cosine"], dense[a, b], rtol=0, atol=1e-12)
    upper = dense[np.triu_indices(len(doc_ids), k=1)]
    best = np.sort(upper)[::-1][:top_n]
    assert np.allclose(np.sort(pairs["cosine"].to_numpy())[::-1], best, rtol=0, atol=1e-12)
    assert pairs["cosine"].is_monotonic_decreasing
    ties = pairs["cosine"].to_numpy()
    for i in range(1, top_n):                                    # equal cosines: corpus order
        if ties[i] == ties[i - 1]:
            assert (a[i - 1], b[i - 1]) < (a[i], b[i])


def test_pairs_equal_a_dense_computation():
    tokens, docs = many_documents(300, seed=1)
    dense = sklearn_cosine(tokens, docs["doc_id"].tolist())
    for top_n in (1, 25, 400):
        pairs = similarity_pairs(tokens, docs, top_n=top_n, stop_words=None)
        check_top_pairs(pairs, dense, docs["doc_id"].tolist(), top_n)
    every = similarity_pairs(tokens, docs, stop_words=None)
    assert len(every) == 300 * 299 // 2
    check_top_pairs(every, dense, docs["doc_id"].tolist(), len(every))


def test_pairs_of_many_documents_stay_in_bounded_memory():
    n = 3000
    tokens, docs = many_documents(n)
    similarity_pairs(tokens, docs, top_n=5, stop_words=None)        # imports and caches warmed up
    tracemalloc.start()
    try:
        began = time.monotonic()
        pairs = similarity_pairs(tokens, docs, top_n=50, stop_words=None)
        seconds = time.monotonic() - began
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    dense_bytes = n * n * 8
    assert peak < dense_bytes / 2, f"peak {peak / 1e6:.0f} MB, a dense matrix is {dense_bytes / 1e6:.0f} MB"
    assert seconds < 30
    check_top_pairs(pairs, sklearn_cosine(tokens, docs["doc_id"].tolist()), docs["doc_id"].tolist(), 50)
    with pytest.raises(ParameterError, match=r"3000 documents make 4,498,500 pairs .* pass top_n \(--top-n N\)"):
        similarity_pairs(tokens, docs, stop_words=None)


def test_the_square_table_is_refused_for_too_many_documents():
    tokens, docs = many_documents(MAX_SQUARE + 1, seed=2)
    began = time.monotonic()
    with pytest.raises(ParameterError, match=rf"{MAX_SQUARE + 1} documents make a .* at most {MAX_SQUARE} are "
                                             r"compared at once\. Use similarity_pairs\(\.\.\., top_n=100\) "
                                             r"\(rhetoric similarity --pairs --top-n 100\)"):
        document_similarity(tokens, docs, stop_words=None)
    assert time.monotonic() - began < 10
