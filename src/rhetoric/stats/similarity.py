"""Document similarity: cosine of TF-IDF vectors (:mod:`rhetoric.stats.tfidf`).

    cosine(x, y) = x · y / (|x| |y|)

References
----------
Salton, G. & McGill, M. J. (1983). *Introduction to Modern Information Retrieval*. McGraw-Hill.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_int
from ..corpus.tokens import Tokens
from ..counts import count_terms
from ..errors import ParameterError
from .tfidf import TFIDF_FORMULA, tfidf_weights

SIMILARITY_FORMULA = "cosine(x, y) = x·y / (|x| |y|) of the TF-IDF vectors of two documents; " + TFIDF_FORMULA
MAX_SQUARE = 2000
"""Most documents :func:`document_similarity` compares all at once (a dense square of this size)."""
MAX_PAIRS = 1_000_000
"""Most pairs :func:`similarity_pairs` lists without ``top_n``."""
BLOCK_CELLS = 1 << 20
"""Most cells of the similarity matrix :func:`similarity_pairs` holds at once (rows per block = this / n)."""


def _weights(tokens, docs, ngram_range, stop_words, all_versions, prefer):
    counts = count_terms(tokens, docs, ngram_range=ngram_range, stop_words=stop_words, all_versions=all_versions,
                         prefer=prefer)
    if counts.shape[0] < 2:
        raise ParameterError(f"similarity needs at least two documents; {counts.shape[0]} count here "
                             "(all_versions=True counts every version of a translated text).")
    return tfidf_weights(counts.matrix), counts.rows["doc_id"].to_numpy(dtype=object), counts


def document_similarity(tokens: Tokens, docs: pd.DataFrame, *, ngram_range=(1, 1), stop_words=True,
                        all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Cosine similarity between every pair of documents (at most :data:`MAX_SQUARE` of them).

    Returns
    -------
    DataFrame
        Square, index and columns ``doc_id`` in corpus order, values in [0, 1];
        the diagonal is 1 (0 for a document without a counted term).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> square = document_similarity(tokenize(docs), docs, all_versions=True)
    >>> round(float(square.loc["xi2022_xinhua", "xi2022_unofficial"]), 2)
    0.59
    """
    weights, ids, counts = _weights(tokens, docs, ngram_range, stop_words, all_versions, prefer)
    if len(ids) > MAX_SQUARE:
        raise ParameterError(f"{len(ids)} documents make a {len(ids)} x {len(ids)} table; at most {MAX_SQUARE} are "
                             "compared at once. Use similarity_pairs(..., top_n=100) (rhetoric similarity --pairs "
                             "--top-n 100) for the most similar pairs.")
    cosine = np.clip((weights @ weights.T).toarray(), 0.0, 1.0)
    np.fill_diagonal(cosine, np.where(np.diff(weights.indptr) > 0, 1.0, 0.0))
    frame = pd.DataFrame(cosine, index=pd.Index(ids, name="doc_id"), columns=pd.Index(ids, name="doc_id"))
    frame.attrs.update(formula=SIMILARITY_FORMULA, ngram_range=list(counts.ngram_range),
                       n_stop_words=len(counts.stop_words), all_versions=all_versions, prefer=prefer)
    return frame


def similarity_pairs(tokens: Tokens, docs: pd.DataFrame, *, top_n: int | None = None, ngram_range=(1, 1),
                     stop_words=True, all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Pairs of documents with their cosine similarity, most similar first.

    Rows of the similarity matrix are computed a block of at most
    :data:`BLOCK_CELLS` cells at a time, and only each block's best pairs are
    kept, so memory stays bounded however many documents there are.

    Parameters
    ----------
    top_n : int, optional
        Keep the ``top_n`` most similar pairs. Without it every pair is listed,
        up to :data:`MAX_PAIRS`.

    Returns
    -------
    DataFrame
        ``doc_a, doc_b`` (``doc_a`` first in corpus order), ``cosine``; sorted by
        cosine descending, then by the documents' corpus order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> pairs = similarity_pairs(tokenize(docs), docs, all_versions=True, top_n=1)
    >>> pairs[["doc_a", "doc_b"]].iloc[0].tolist()
    ['xi2022_unofficial', 'xi2022_xinhua']
    """
    weights, ids, counts = _weights(tokens, docs, ngram_range, stop_words, all_versions, prefer)
    n = len(ids)
    n_pairs = n * (n - 1) // 2
    if top_n is None and n_pairs > MAX_PAIRS:
        raise ParameterError(f"{n} documents make {n_pairs:,} pairs (more than {MAX_PAIRS:,}); pass top_n "
                             "(--top-n N) to keep the most similar ones.")
    keep = n_pairs if top_n is None else min(check_int("top_n", top_n, minimum=1), n_pairs)
    found_a, found_b, found_v = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    transposed = weights.T.tocsc()
    rows = max(1, BLOCK_CELLS // max(n, 1))
    for lo in range(0, n - 1, rows):
        hi = min(lo + rows, n - 1)
        # rows a = lo..hi-1 against columns b = lo+1..n-1; cells with b <= a set to -1 (not a pair)
        block = np.clip((weights[lo:hi] @ transposed[:, lo + 1:]).toarray(), 0.0, 1.0)
        block[np.arange(hi - lo)[:, None] > np.arange(n - lo - 1)[None, :]] = -1.0
        flat = block.ravel()
        n_valid = int((flat >= 0).sum())
        threshold = 0.0 if keep >= n_valid else np.partition(flat, flat.size - keep)[flat.size - keep]
        cells = np.flatnonzero(flat >= threshold)  # this block's best (every tie at the threshold kept)
        found_a.append(lo + cells // block.shape[1])
        found_b.append(lo + 1 + cells % block.shape[1])
        found_v.append(flat[cells])
        if sum(map(len, found_v)) > 2 * keep:  # keep the best so far (ties broken as in the final order)
            a_all, b_all, v_all = (np.concatenate(x) for x in (found_a, found_b, found_v))
            best = np.lexsort((b_all, a_all, -v_all))[:keep]
            found_a, found_b, found_v = [a_all[best]], [b_all[best]], [v_all[best]]
    a, b, values = (np.concatenate(x) for x in (found_a, found_b, found_v))
    order = np.lexsort((b, a, -values))[:keep]
    pairs = pd.DataFrame({"doc_a": pd.Series(ids[a[order]], dtype=object),
                          "doc_b": pd.Series(ids[b[order]], dtype=object), "cosine": values[order]})
    pairs.attrs.update(formula=SIMILARITY_FORMULA, ngram_range=list(counts.ngram_range),
                       n_stop_words=len(counts.stop_words), top_n=top_n, all_versions=all_versions, prefer=prefer)
    return pairs
