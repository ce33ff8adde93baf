"""Trends: the relative frequency of words or phrases across time or documents (as Voyant's Trends).

For each term ``t`` and each point ``g`` (a year, a period, a document)::

    per_10k(t, g) = 10 000 * count(t, g) / n_tokens(g)
    range(t, g)   = documents of g containing t;   n_docs(g) = documents behind the point

Counts come from :func:`rhetoric.counts.count_matches` (each term matched on
its own with the rules of :mod:`rhetoric.patterns`) and
:func:`rhetoric.counts.group_counts`; a translated text counts once unless
``all_versions=True``. Every point is listed, zeros included (a trend line
needs its zeros), with the number of documents behind it: a point resting on
one document is one author's habit, not a trend.

References
----------
Sinclair, S. & Rockwell, G. (2016). Voyant Tools (Trends). https://voyant-tools.org
Brezina, V. (2018). *Statistics in Corpus Linguistics*. Cambridge UP, ch. 2 (relative frequency).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..corpus.tokens import Tokens
from ..counts import count_matches, group_counts

TREND_COLUMNS = ["term", "group", "count", "n_tokens", "per_10k", "range", "n_docs"]


def trends(tokens: Tokens, docs: pd.DataFrame, terms, *, by: str | None = "year", all_versions: bool = False,
           prefer: str = "official", valuetype: str = "glob", hyphens: str = "loose",
           case_sensitive: bool = False) -> pd.DataFrame:
    """Relative frequency of each term at each point of ``by``, with the documents behind every point.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    terms : str or list of str
        Words, phrases or globs (:mod:`rhetoric.patterns`), each counted on its own.
    by : str or None, default "year"
        A metadata column (``"year"``, ``"period"``, ``"author"``): one point
        per value, sorted; ``None``: one point per document, in corpus order
        (``group`` = ``doc_id``).
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).
    valuetype, hyphens, case_sensitive
        How terms are matched (:func:`rhetoric.patterns.match_positions`).

    Returns
    -------
    DataFrame
        ``term, group, count, n_tokens`` (running tokens of the point),
        ``per_10k, range`` (documents of the point containing the term),
        ``n_docs`` (documents behind the point); every term × point, zeros
        included, terms in the order given, points in order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = trends(tokenize(docs), docs, ["belt and road"], by="year")
    >>> table[["group", "count", "range", "n_docs"]].to_dict("records")
    [{'group': 2022, 'count': 3, 'range': 2, 'n_docs': 2}, {'group': 2023, 'count': 7, 'range': 1, 'n_docs': 1}, {'group': 2024, 'count': 1, 'range': 1, 'n_docs': 1}]
    """
    counts = count_matches(tokens, docs, terms, all_versions=all_versions, prefer=prefer, valuetype=valuetype,
                           hyphens=hyphens, case_sensitive=case_sensitive)
    grouped = group_counts(counts, by)
    n_groups, n_terms = grouped.matrix.shape
    count = grouped.matrix.toarray().astype(np.int64).T.ravel()  # term-major: each term's points together
    in_range = grouped.range_matrix.toarray().astype(np.int64).T.ravel()
    size = np.tile(grouped.n_tokens, n_terms)
    table = pd.DataFrame({
        "term": pd.Series(np.repeat(grouped.terms, n_groups), dtype=object),
        "group": pd.concat([grouped.rows["group"]] * n_terms, ignore_index=True),
        "count": count, "n_tokens": size,
        "per_10k": np.divide(count * 10_000.0, size, out=np.zeros(len(count)), where=size > 0),
        "range": in_range, "n_docs": np.tile(grouped.rows["n_docs"].to_numpy(dtype=np.int64), n_terms),
    })
    table.attrs.update(by=by or "doc_id", all_versions=all_versions, prefer=prefer, valuetype=valuetype,
                       hyphens=hyphens, case_sensitive=case_sensitive)
    return table[TREND_COLUMNS]
