"""Document similarity: against scikit-learn's TF-IDF + cosine; the two translations stand out."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from rhetoric.errors import ParameterError
from rhetoric.similarity import document_similarity, similarity_pairs
from rhetoric.tokens import doc_token_lists, stopwords


def test_matches_sklearn(project_tokens, project_docs):
    stop = stopwords()
    lists = [[w for w in doc if w not in stop] for doc in doc_token_lists(project_tokens)]
    weights = TfidfVectorizer(analyzer=lambda doc: doc).fit_transform(lists)
    expected = cosine_similarity(weights)
    square = document_similarity(project_tokens, project_docs)
    assert square.index.tolist() == square.columns.tolist() == project_docs["doc_id"].tolist()
    assert square.index.name == "doc_id"
    assert np.allclose(square.to_numpy(), expected, rtol=0, atol=1e-12)
    assert np.array_equal(square.to_numpy(), square.to_numpy().T)
    assert np.diag(square.to_numpy()).tolist() == [1.0] * 5


def test_the_two_translations_are_the_most_similar_pair(project_tokens, project_docs):
    pairs = similarity_pairs(project_tokens, project_docs)
    assert len(pairs) == 5 * 4 // 2
    assert {pairs["doc_a"].iloc[0], pairs["doc_b"].iloc[0]} == {"xi2022_unofficial", "xi2022_xinhua"}
    assert pairs["cosine"].is_monotonic_decreasing
    with_bigrams = similarity_pairs(project_tokens, project_docs, ngram_range=(1, 2))
    assert {with_bigrams["doc_a"].iloc[0], with_bigrams["doc_b"].iloc[0]} == {"xi2022_unofficial", "xi2022_xinhua"}


def test_tiny_pairs_and_order(tiny_tokens, tiny_docs):
    pairs = similarity_pairs(tiny_tokens, tiny_docs, stop_words=None)
    assert pairs.columns.tolist() == ["doc_a", "doc_b", "cosine"]
    # a_official shares "the community with a shared future" and "trade" with c_2024, but with b_unofficial
    # shares the, community, cooperation, is (twice), key, trade, up: a and b are the closest pair
    assert pairs[["doc_a", "doc_b"]].values.tolist() == [
        ["a_official", "b_unofficial"], ["a_official", "c_2024"], ["b_unofficial", "c_2024"]]
    assert ((pairs["cosine"] > 0) & (pairs["cosine"] < 1)).all()


def test_document_order_follows_docs(tiny_tokens, tiny_docs):
    reordered = tiny_docs.iloc[::-1]
    square = document_similarity(tiny_tokens, reordered)
    assert square.index.tolist() == ["c_2024", "b_unofficial", "a_official"]
    original = document_similarity(tiny_tokens, tiny_docs)
    assert square.loc["a_official", "c_2024"] == original.loc["a_official", "c_2024"]


def test_needs_two_documents(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="at least two documents"):
        document_similarity(tiny_tokens, tiny_docs.head(1))
