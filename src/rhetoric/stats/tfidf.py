"""TF-IDF keywords per document or group, weighted with scikit-learn.

    tfidf(t, d) = tf(t, d) * idf(t),  idf(t) = ln((1 + n) / (1 + df(t))) + 1,

then each unit's vector divided by its L2 norm; ``tf`` is the raw count, ``n``
the number of units, ``df(t)`` the units containing ``t`` (scikit-learn's
``TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True)``).

References
----------
Spärck Jones, K. (1972). A statistical interpretation of term specificity and
its application in retrieval. *Journal of Documentation* 28(1), 11-21.
scikit-learn User Guide, "Tf–idf term weighting".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_int
from ..corpus.tokens import Tokens
from ..counts import CORPUS_GROUP, count_terms, group_counts
from ..errors import ParameterError

TFIDF_FORMULA = (
    "tfidf(t, d) = tf(t, d) * idf(t), then each row divided by its L2 norm sqrt(sum_t tfidf(t, d)^2); "
    "tf(t, d) = raw count of term t in d; idf(t) = ln((1 + n) / (1 + df(t))) + 1 (smoothed), "
    "n = number of documents (or groups), df(t) = how many of them contain t. "
    "scikit-learn TfidfTransformer(norm='l2', use_idf=True, smooth_idf=True, sublinear_tf=False)."
)
KEYWORD_COLUMNS = ("group", "rank", "term", "tfidf", "count")


def tfidf_transformer():
    """The scikit-learn transformer behind :data:`TFIDF_FORMULA`."""
    from sklearn.feature_extraction.text import TfidfTransformer  # imported here: scikit-learn is slow to import

    return TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False)


def tfidf_weights(matrix):
    """TF-IDF weights (CSR, rows L2-normalised) of a count matrix (rows = units)."""
    weights = tfidf_transformer().fit_transform(matrix).tocsr()
    weights.sort_indices()
    return weights


def tfidf_keywords(tokens: Tokens, docs: pd.DataFrame, *, by: str | None = None, top_n: int = 10,
                   ngram_range=(1, 3), stop_words=True, min_range: int = 1, all_versions: bool = False,
                   prefer: str = "official") -> pd.DataFrame:
    """The terms with the highest TF-IDF weight in each document or group.

    Weights: tfidf(t, d) = tf(t, d) * idf(t), idf(t) = ln((1 + n) / (1 + df(t))) + 1, each unit's vector
    divided by its L2 norm (:data:`TFIDF_FORMULA`; Spärck Jones 1972).

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    by : str, optional
        ``None``: each document is a unit; a metadata column: the documents of
        each value are summed into one unit.
    top_n : int, default 10
        Terms per unit (ties at the cut are ranked by term and cut).
    ngram_range : (int, int), default (1, 3)
    stop_words : default True
        See :func:`rhetoric.counts.stop_word_list`.
    min_range : int, default 1
        Keep terms found in at least this many units (scikit-learn's ``min_df``).
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.

    Returns
    -------
    DataFrame
        ``group, rank`` (1 = highest), ``term, tfidf, count`` (raw count in
        the unit); sorted by group, then rank. ``attrs["formula"]`` holds
        :data:`TFIDF_FORMULA`.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> keywords = tfidf_keywords(tokenize(docs), docs, by="year", top_n=1)
    >>> keywords[["group", "term"]].to_dict("records")
    [{'group': 2022, 'term': 'kazakhstan'}, {'group': 2023, 'term': 'kazakhstan'}, {'group': 2024, 'term': 'china'}]
    """
    top_n = check_int("top_n", top_n, minimum=1)
    min_range = check_int("min_range", min_range, minimum=1)
    if by == CORPUS_GROUP:
        raise ParameterError("by='corpus' makes a single unit, for which every IDF is 1; use by=None (documents) "
                             "or a column such as 'year' or 'period'.")
    grouped = group_counts(count_terms(tokens, docs, ngram_range=ngram_range, stop_words=stop_words,
                                       all_versions=all_versions, prefer=prefer), by)
    matrix, terms = grouped.matrix, grouped.terms
    if min_range > 1:
        keep = np.flatnonzero(np.bincount(matrix.indices, minlength=matrix.shape[1]) >= min_range)
        matrix, terms = matrix[:, keep].tocsr(), terms[keep]
    if matrix.shape[1] == 0:
        raise ParameterError(f"no term is left to weigh: none occurs in {min_range} of the {matrix.shape[0]} units "
                             "(or every term is a stop word); lower min_range (--min-range).")
    weights = tfidf_weights(matrix)
    coo = weights.tocoo()
    row, col, value = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    order = np.lexsort((terms[col].astype(str) if len(col) else col, -value, row))
    row, col, value = row[order], col[order], value[order]
    rank = np.arange(len(row)) - np.searchsorted(row, row, side="left") + 1
    top = rank <= top_n
    row, col, value, rank = row[top], col[top], value[top], rank[top]
    frame = pd.DataFrame({
        "group": grouped.rows["group"].iloc[row].reset_index(drop=True),
        "rank": rank.astype(np.int64),
        "term": pd.Series(terms[col], dtype=object),
        "tfidf": value.astype(np.float64),
        "count": np.asarray(matrix[row, col]).ravel().astype(np.int64) if len(row) else np.zeros(0, np.int64),
    })
    frame.attrs.update(formula=TFIDF_FORMULA, by=by or "doc_id", n_units=int(matrix.shape[0]),
                       ngram_range=list(grouped.ngram_range), n_stop_words=len(grouped.stop_words),
                       min_range=min_range, top_n=top_n, all_versions=all_versions, prefer=prefer)
    return frame
