"""TF-IDF keywords per document or per group, computed with scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError
from .frequency import document_term_matrix, group_column, group_labels, group_matrix, select_tokens

TFIDF_FORMULA = (
    "tfidf(t, d) = tf(t, d) * idf(t), then each row divided by its L2 norm sqrt(sum_t tfidf(t, d)^2); "
    "tf(t, d) = raw count of term t in d; idf(t) = ln((1 + n) / (1 + df(t))) + 1 (smoothed), "
    "n = number of documents (or groups), df(t) = how many of them contain t. "
    "scikit-learn TfidfTransformer(norm='l2', use_idf=True, smooth_idf=True, sublinear_tf=False)."
)
"""The TF-IDF weighting used here, as written into ``DataFrame.attrs["formula"]``."""

KEYWORD_COLUMNS = ("group", "rank", "term", "tfidf", "count")


def tfidf_transformer():
    """The scikit-learn transformer behind :data:`TFIDF_FORMULA`."""
    from sklearn.feature_extraction.text import TfidfTransformer  # imported here: scikit-learn takes ~1 s to import

    return TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False)


def tfidf_keywords(tokens, docs: pd.DataFrame, *, by: str | None = None, top_n: int = 10, ngram_range=(1, 3),
                   stop_words=True, min_df: int = 1, prefer: str = "official") -> pd.DataFrame:
    """The terms with the highest TF-IDF weight in each document or group.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    docs : DataFrame
        Documents table; only its documents are used.
    by : str, optional
        ``None``: each document is a unit (every document, both versions of a
        translated text included). A column of ``docs`` (``"year"``,
        ``"period"``): the documents of each value are summed into one unit,
        each translation group counted once.
    top_n : int, default 10
        Terms kept per unit.
    ngram_range : tuple of int, default (1, 3)
        Uni- to tri-grams (never crossing a sentence boundary); see
        :func:`rhetoric.frequency.document_term_matrix`.
    stop_words : None, bool, str or iterable, default True
        Both stop-word lists (:func:`rhetoric.frequency.stop_word_set`); n-grams
        that start or end with a stop word are dropped.
    min_df : int, default 1
        Keep terms occurring in at least this many units (before weighting, as
        scikit-learn's ``min_df``).
    prefer : str, default "official"
        Which version of a translated text counts when ``by`` is a column.

    Returns
    -------
    DataFrame
        ``group`` (doc_id or the column's value), ``rank`` (1 = highest),
        ``term``, ``tfidf`` (float), ``count`` (raw count in the unit). Sorted by
        group, then rank; ties in tfidf are ranked by term.
        ``attrs["formula"]`` holds :data:`TFIDF_FORMULA`:

        tfidf(t, d) = tf(t, d) · idf(t), idf(t) = ln((1 + n) / (1 + df(t))) + 1,
        then each unit's vector is divided by its L2 norm; tf is the raw count,
        n the number of units, df(t) the number of units containing t.

    References
    ----------
    Spärck Jones, K. (1972). A statistical interpretation of term specificity and its application in
    retrieval. *Journal of Documentation*, 28(1), 11–21.
    scikit-learn User Guide, "Tf–idf term weighting" (``TfidfTransformer``).
    """
    if top_n < 1:
        raise ParameterError(f"top_n={top_n} must be at least 1.")
    if min_df < 1:
        raise ParameterError(f"min_df={min_df} must be at least 1.")
    if by == "corpus":
        raise ParameterError("by='corpus' makes a single unit, for which every IDF is 1; "
                             "use by=None (documents) or a column such as 'year' or 'period'.")
    labels = group_labels(docs, by, prefer=prefer)
    sub = select_tokens(tokens, docs.loc[docs["doc_id"].astype(str).isin(labels["doc_id"])])
    dtm = document_term_matrix(sub, ngram_range=ngram_range, stop_words=stop_words)
    groups, counts, _, _ = group_matrix(dtm, labels)
    terms = dtm.terms
    if min_df > 1:
        keep = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]) >= min_df)
        counts = counts[:, keep].tocsr()
        terms = terms[keep]
    weights = tfidf_transformer().fit_transform(counts).tocsr()
    weights.sort_indices()
    row, col, value = _top_entries(weights, top_n)
    order = np.lexsort((col, -value, row))
    row, col, value = row[order], col[order], value[order]
    first = np.searchsorted(row, row, side="left")
    rank = np.arange(len(row)) - first + 1
    top = rank <= top_n
    row, col, value, rank = row[top], col[top], value[top], rank[top]
    count = np.asarray(counts[row, col]).ravel().astype(np.int64) if len(row) else np.zeros(0, dtype=np.int64)
    frame = pd.DataFrame({
        "group": group_column(groups, row),
        "rank": rank.astype(np.int64),
        "term": pd.Series(terms[col] if len(row) else [], dtype=object),
        "tfidf": value.astype(np.float64),
        "count": count,
    })
    frame.attrs.update(formula=TFIDF_FORMULA, by=by or "doc_id", n_units=len(groups),
                       ngram_range=list(dtm.ngram_range), stop_words=len(dtm.stop_words), min_df=min_df,
                       top_n=top_n, prefer=prefer)
    return frame


def _top_entries(weights, top_n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and value of the entries at or above each row's ``top_n``-th largest value.

    One ``np.partition`` per row (per unit, not per token), so that only a few
    entries per row are sorted afterwards; ties at the threshold are all kept.
    """
    indptr, data = weights.indptr, weights.data
    keep = np.zeros(len(data), dtype=bool)
    for i in range(weights.shape[0]):
        a, b = indptr[i], indptr[i + 1]
        if b - a <= top_n:
            keep[a:b] = True
        else:
            cut = (b - a) - top_n
            keep[a:b] = data[a:b] >= np.partition(data[a:b], cut)[cut]
    row = np.repeat(np.arange(weights.shape[0], dtype=np.int64), np.diff(indptr))
    return row[keep], weights.indices[keep].astype(np.int64), data[keep]
