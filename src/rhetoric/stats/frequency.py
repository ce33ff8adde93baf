"""Term frequencies: counts, rates per 10,000 tokens and range, per document or group.

    per_10k(t, g) = 10 000 * count(t, g) / n_tokens(g)
    range(t, g)   = number of the group's documents containing t

``n_tokens`` counts every running token of the group, stop words included.

References
----------
Brezina, V. (2018). *Statistics in Corpus Linguistics: A Practical Guide*.
Cambridge University Press, ch. 2 (relative frequency, range).
"""

from __future__ import annotations

import pandas as pd

from ..checks import check_int
from ..corpus.tokens import Tokens
from ..counts import count_matches, count_terms, group_counts, long_table

FREQUENCY_COLUMNS = ("group", "term", "count", "per_10k", "range", "n_docs")


def term_frequencies(tokens: Tokens, docs: pd.DataFrame, *, by: str | None = None, terms=None,
                     ngram_range=(1, 1), stop_words=None, min_count: int = 1, top_n: int | None = None,
                     all_versions: bool = False, prefer: str = "official", valuetype: str = "glob",
               hyphens: str = "loose", case_sensitive: bool = False) -> pd.DataFrame:
    """Count, rate per 10,000 tokens and range of every term (or of listed terms), per document or group.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize`.
    docs : DataFrame
        The documents table; only its documents count.
    by : str, optional
        ``None``: one group per document (``group`` = ``doc_id``). ``"corpus"``:
        one group. A metadata column (``"year"``, ``"period"``, ``"author"``):
        one group per value.
    terms : list of str, optional
        Words, phrases or globs to count (:mod:`rhetoric.patterns`), each on its
        own; default every word or n-gram.
    ngram_range : (int, int), default (1, 1)
        With ``terms=None``: words to n-grams (never across a sentence).
    stop_words : default None
        With ``terms=None``: see :func:`rhetoric.counts.stop_word_list`.
    min_count : int, default 1
        Keep rows whose count in the group is at least this.
    top_n : int, optional
        Keep the first ``top_n`` rows of each group.
    all_versions : bool, default False
        Count every version of a translated text (default: the preferred one).
    prefer : str, default "official"
    valuetype, hyphens, case_sensitive
        How listed ``terms`` are matched (:func:`rhetoric.patterns.match_positions`).

    Returns
    -------
    DataFrame
        ``group, term, count, per_10k, range, n_docs`` (documents in the
        group), sorted by group, then count descending, then term. Listed
        ``terms`` that do not occur in a group are not listed for it.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> freq = term_frequencies(tokenize(docs), docs, by="corpus", terms=["win-win", "golden *"])
    >>> freq[["term", "count", "range", "n_docs"]].to_dict("records")
    [{'term': 'win-win', 'count': 4, 'range': 2, 'n_docs': 4}, {'term': 'golden *', 'count': 3, 'range': 2, 'n_docs': 4}]
    """
    min_count = check_int("min_count", min_count, minimum=1)
    if top_n is not None:
        top_n = check_int("top_n", top_n, minimum=1)
    if terms is None:
        counts = count_terms(tokens, docs, ngram_range=ngram_range, stop_words=stop_words,
                             all_versions=all_versions, prefer=prefer)
    else:
        counts = count_matches(tokens, docs, terms, all_versions=all_versions, prefer=prefer,
                               valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive)
    grouped = group_counts(counts, by)
    frame = long_table(grouped)
    frame["n_docs"] = frame["group"].map(dict(zip(grouped.rows["group"], grouped.rows["n_docs"]))).astype("int64")
    if min_count > 1:
        frame = frame[frame["count"] >= min_count]
    if top_n is not None:
        frame = frame.groupby("group", sort=False).head(top_n)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(by=by or "doc_id", ngram_range=list(counts.ngram_range), n_stop_words=len(counts.stop_words),
                       min_count=min_count, all_versions=all_versions, prefer=prefer)
    return frame
