"""Document similarity: cosine similarity of TF-IDF vectors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError
from .frequency import document_term_matrix, select_tokens
from .keywords import TFIDF_FORMULA, tfidf_transformer

SIMILARITY_FORMULA = ("cosine(x, y) = x·y / (|x| |y|) of the TF-IDF vectors of two documents; " + TFIDF_FORMULA)


def document_similarity(tokens, docs: pd.DataFrame, *, ngram_range=(1, 1), stop_words=True) -> pd.DataFrame:
    """Cosine similarity between every pair of documents, on TF-IDF vectors.

    Every document of ``docs`` is a unit, both versions of a translated text
    included (how similar they are is one of the things to see).

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    docs : DataFrame
        Documents table; its documents, in its order, are compared.
    ngram_range : tuple of int, default (1, 1)
        See :func:`rhetoric.frequency.document_term_matrix`.
    stop_words : None, bool, str or iterable, default True
        See :func:`rhetoric.frequency.stop_word_set`.

    Returns
    -------
    DataFrame
        Square, index and columns ``doc_id`` (in the order of ``docs``), values in
        [0, 1]; the diagonal is 1 (0 for a document without any counted term).

        cosine(x, y) = x · y / (‖x‖ ‖y‖), where x and y are the documents'
        TF-IDF vectors (see :data:`rhetoric.keywords.TFIDF_FORMULA`: raw counts
        times idf = ln((1 + n) / (1 + df)) + 1, L2-normalised, so the cosine is
        the dot product). ``attrs["formula"]`` states it.

    References
    ----------
    Salton, G., & McGill, M. J. (1983). *Introduction to Modern Information Retrieval*. McGraw-Hill.
    """
    order = docs["doc_id"].astype(str).tolist()
    if len(order) < 2:
        raise ParameterError(f"document similarity needs at least two documents; docs has {len(order)}.")
    sub = select_tokens(tokens, docs)
    dtm = document_term_matrix(sub, ngram_range=ngram_range, stop_words=stop_words)
    weights = tfidf_transformer().fit_transform(dtm.matrix).tocsr()
    cosine = np.asarray((weights @ weights.T).toarray(), dtype=np.float64)
    nonempty = np.diff(weights.indptr) > 0
    cosine = np.clip(cosine, 0.0, 1.0)
    np.fill_diagonal(cosine, np.where(nonempty, 1.0, 0.0))
    frame = pd.DataFrame(cosine, index=pd.Index(dtm.doc_ids.astype(str), name="doc_id"),
                         columns=pd.Index(dtm.doc_ids.astype(str), name="doc_id"))
    frame = frame.loc[order, order]
    frame.attrs.update(formula=SIMILARITY_FORMULA, ngram_range=list(dtm.ngram_range),
                       stop_words=len(dtm.stop_words))
    return frame


def similarity_pairs(tokens, docs: pd.DataFrame, *, ngram_range=(1, 1), stop_words=True) -> pd.DataFrame:
    """Every pair of documents with its cosine similarity, most similar first.

    Parameters
    ----------
    tokens, docs, ngram_range, stop_words
        As for :func:`document_similarity`.

    Returns
    -------
    DataFrame
        ``doc_a, doc_b`` (``doc_a`` before ``doc_b`` in the order of ``docs``),
        ``cosine``; one row per unordered pair, sorted by cosine descending, then
        doc_a, then doc_b.
    """
    square = document_similarity(tokens, docs, ngram_range=ngram_range, stop_words=stop_words)
    ids = square.index.to_numpy(dtype=object)
    i, j = np.triu_indices(len(ids), k=1)
    values = square.to_numpy()[i, j]
    pairs = pd.DataFrame({"doc_a": pd.Series(ids[i], dtype=object), "doc_b": pd.Series(ids[j], dtype=object),
                          "cosine": values})
    order = np.lexsort((pairs["doc_b"].to_numpy().astype(str), pairs["doc_a"].to_numpy().astype(str), -values))
    pairs = pairs.iloc[order].reset_index(drop=True)
    pairs.attrs.update(square.attrs)
    return pairs
