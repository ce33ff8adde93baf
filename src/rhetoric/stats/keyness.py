"""Keyness: which terms characterise one group of documents against another.

With a = freq_target, b = freq_reference, c = size_target, d = size_reference
(running tokens), N = c + d, the 2×2 table O = [[a, b], [c - a, d - b]] and
E_ij = row_i * col_j / N::

    G2        = 2 * sum O_ij * ln(O_ij / E_ij), + when a/c > b/d, - when a/c < b/d  (Dunning 1993)
    p_value   = P(chi2 with 1 df >= |G2|)
    log_ratio = log2((a / c) / (b / d)), a zero count replaced by 0.5                 (Hardie 2014)
    SE        = sqrt(1/a + 1/b) / ln 2, the same 0.5 for a zero count: standard error of the log2 of the
                ratio of two Poisson rates (Wald interval of a rate ratio; Rothman et al. 2008, ch. 14)
    CI        = log_ratio -/+ z * SE, z = the (1 + level) / 2 quantile of the standard normal (1.96 for 95%)
    Holm      : p_(i) adjusted = max_{j <= i} min(1, (m - j + 1) * p_(j)), m terms tested (Holm 1979)
    Bonferroni: min(1, m * p)

References
----------
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74.
Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus
Approaches to Social Science (CASS), Lancaster University.
Holm, S. (1979). A simple sequentially rejective multiple test procedure.
*Scandinavian Journal of Statistics* 6(2), 65-70.
Rothman, K. J., Greenland, S. & Lash, T. L. (2008). *Modern Epidemiology*, 3rd ed.,
ch. 14 (confidence interval of a rate ratio from the standard error of its log). Lippincott
Williams & Wilkins.
Gabrielatos, C. (2018). Keyness analysis: nature, metrics and techniques. In
C. Taylor & A. Marchi (eds.), *Corpus Approaches to Discourse*, 225-258. Routledge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_choice, check_int, check_number
from ..corpus.tokens import Tokens
from ..counts import check_column, count_terms, group_counts
from ..errors import ParameterError
from .association import g2_p_value, signed_g2

KEYNESS_COLUMNS = ("term", "freq_target", "freq_reference", "size_target", "size_reference", "range_target",
                   "range_reference", "g2", "p_value", "p_adjusted", "log_ratio", "log_ratio_ci_low",
                   "log_ratio_ci_high")
CORRECTIONS = ("holm", "bonferroni", None)
ZERO_FREQUENCY = 0.5
"""Count used in place of a zero frequency in the log ratio (Hardie 2014)."""
CI_LEVEL = 0.95
"""Coverage of the log ratio's confidence interval."""
KEYNESS_FORMULA = (
    "2x2 table per term: a = freq_target, b = freq_reference, c = size_target, d = size_reference, N = c + d; "
    "observed O = [[a, b], [c - a, d - b]], expected E_ij = row_i * col_j / N; "
    "G2 = 2 * sum O_ij * ln(O_ij / E_ij) (0 ln 0 = 0), signed + when a/c > b/d and - when a/c < b/d; "
    "p_value = P(chi2 with 1 df >= |G2|); "
    "log_ratio = log2(a' / c) - log2(b' / d) with a' = a, b' = b, except that a zero count is replaced by 0.5; "
    "its 95% confidence interval = log_ratio -/+ 1.96 * sqrt(1/a' + 1/b') / ln 2 (Wald interval of the ratio of "
    "two Poisson rates)."
)


def adjust_p_values(p_values, correction: str | None = "holm") -> np.ndarray:
    """P-values adjusted for ``m`` tests: Holm's step-down, Bonferroni, or none.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], "holm").tolist()
    [0.03, 0.06, 0.06]
    """
    check_choice("correction", correction, CORRECTIONS)
    p = np.asarray(p_values, dtype=np.float64)
    m = len(p)
    if correction is None or m == 0:
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(np.minimum((m - np.arange(m)) * p[order], 1.0))
    return adjusted


def log_ratio_interval(freq_target, freq_reference, size_target, size_reference, *,
                       level: float = CI_LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log ratio (Hardie 2014) with its confidence interval, from counts and sizes.

    With a = freq_target, b = freq_reference (a zero count replaced by
    :data:`ZERO_FREQUENCY`), c, d the sizes in running tokens::

        log_ratio = log2((a / c) / (b / d))
        SE        = sqrt(1/a + 1/b) / ln 2
        interval  = log_ratio -/+ z * SE,  z = Phi^-1((1 + level) / 2)

    ``sqrt(1/a + 1/b)`` is the standard error of the natural log of the ratio
    of two Poisson rates (the Wald interval of a rate ratio; Rothman et al.
    2008, ch. 14); dividing by ln 2 puts it on the log2 scale of the log ratio.
    A term seen 3 times against 0 gets a wide interval: its large log ratio is
    an estimate from very few tokens.

    Parameters
    ----------
    freq_target, freq_reference : array of int
    size_target, size_reference : int or array of int
        Running tokens of the target and of the reference.
    level : float, default 0.95
        Coverage of the interval, strictly between 0 and 1.

    Returns
    -------
    (log_ratio, low, high) : three arrays of float (log2 units)

    Examples
    --------
    >>> lr, low, high = log_ratio_interval([10], [5], 1000, 2000)
    >>> [round(float(x), 3) for x in (lr[0], low[0], high[0])]
    [2.0, 0.451, 3.549]
    """
    from scipy.special import ndtri

    level = check_number("level", level, minimum=0, maximum=1, open_interval=True)
    a = np.asarray(freq_target, dtype=np.float64)
    b = np.asarray(freq_reference, dtype=np.float64)
    a = np.where(a == 0, ZERO_FREQUENCY, a)
    b = np.where(b == 0, ZERO_FREQUENCY, b)
    c = np.asarray(size_target, dtype=np.float64)
    d = np.asarray(size_reference, dtype=np.float64)
    log_ratio = (np.log2(a / c) - np.log2(b / d)) + 0.0
    half = float(ndtri((1 + level) / 2)) * np.sqrt(1 / a + 1 / b) / np.log(2)
    return log_ratio, log_ratio - half, log_ratio + half


def keyness_table(freq_target, freq_reference, size_target: int, size_reference: int, terms, *,
                  range_target=None, range_reference=None, min_count: int = 1,
                  correction: str | None = "holm") -> pd.DataFrame:
    """Keyness statistics from counts (the computation behind :func:`keyness`).

    Parameters
    ----------
    freq_target, freq_reference : array of int
        Count of each term in the target and in the reference.
    size_target, size_reference : int
        Running tokens of the target and of the reference.
    terms : array of str
    range_target, range_reference : array of int, optional
        Documents containing each term (zeros if not given).
    min_count : int, default 1
        Test only terms with freq_target + freq_reference >= min_count.
    correction : {"holm", "bonferroni", None}, default "holm"

    Returns
    -------
    DataFrame
        The columns of :func:`keyness`, sorted by g2 descending, then term.

    Examples
    --------
    >>> table = keyness_table([10, 2], [5, 20], 1000, 2000, ["peace", "trade"])
    >>> table[["term", "log_ratio"]].round(3).to_dict("records")
    [{'term': 'peace', 'log_ratio': 2.0}, {'term': 'trade', 'log_ratio': -2.322}]
    """
    min_count = check_int("min_count", min_count, minimum=1)
    check_choice("correction", correction, CORRECTIONS)
    a = np.asarray(freq_target, dtype=np.int64)
    b = np.asarray(freq_reference, dtype=np.int64)
    terms = np.asarray(terms, dtype=object)
    ra = np.zeros_like(a) if range_target is None else np.asarray(range_target, dtype=np.int64)
    rb = np.zeros_like(b) if range_reference is None else np.asarray(range_reference, dtype=np.int64)
    keep = (a + b) >= min_count
    a, b, terms, ra, rb = a[keep], b[keep], terms[keep], ra[keep], rb[keep]
    c, d = int(size_target), int(size_reference)
    if c <= 0 or d <= 0:
        raise ParameterError(f"target ({c} tokens) and reference ({d} tokens) must both contain tokens.")
    if np.any(a > c) or np.any(b > d):
        raise ParameterError("a term count exceeds the size of its group; sizes must be running tokens.")
    g2 = signed_g2(a, a + b, np.full(len(a), c, dtype=np.int64), np.full(len(a), c + d, dtype=np.int64))
    p_value = g2_p_value(g2)
    log_ratio, ci_low, ci_high = log_ratio_interval(a, b, c, d)
    table = pd.DataFrame({
        "term": pd.Series(terms, dtype=object), "freq_target": a, "freq_reference": b,
        "size_target": np.full(len(a), c, dtype=np.int64), "size_reference": np.full(len(a), d, dtype=np.int64),
        "range_target": ra, "range_reference": rb, "g2": g2, "p_value": p_value,
        "p_adjusted": adjust_p_values(p_value, correction), "log_ratio": log_ratio,
        "log_ratio_ci_low": ci_low, "log_ratio_ci_high": ci_high,
    })
    order = np.lexsort((table["term"].to_numpy().astype(str), -table["g2"].to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    table.attrs.update(formula=KEYNESS_FORMULA, min_count=min_count, correction=correction or "none",
                       n_tested=len(table), ci_level=CI_LEVEL)
    return table


def _grouped(tokens, docs, by, ngram_range, stop_words, all_versions, prefer):
    return group_counts(count_terms(tokens, docs, ngram_range=ngram_range, stop_words=stop_words,
                                    all_versions=all_versions, prefer=prefer), by)


def _row_sum(matrix, rows: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[np.flatnonzero(rows)].sum(axis=0)).ravel().astype(np.int64)


def keyness(tokens: Tokens, docs: pd.DataFrame, *, by: str, target, reference=None, min_count: int = 3,
            correction: str | None = "holm", ngram_range=(1, 1), stop_words=None, all_versions: bool = False,
            prefer: str = "official") -> pd.DataFrame:
    """Keyness of every term in a target group of documents against a reference.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    by : str
        Metadata column defining the groups (``"year"``, ``"period"``, ``"author"``).
    target : str or int
        Value of ``by`` for the target (compared as text: ``"2022"`` = ``2022``).
    reference : str or int, optional
        Value of ``by`` for the reference; default every other document.
    min_count : int, default 3
        Test only terms with freq_target + freq_reference >= min_count.
    correction : {"holm", "bonferroni", None}, default "holm"
        Adjust p-values for the number of terms tested (``p_adjusted``).
    ngram_range, stop_words
        As for :func:`rhetoric.counts.count_terms`; sizes count every token.
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.

    Returns
    -------
    DataFrame
        ``term, freq_target, freq_reference, size_target, size_reference``,
        ``range_target, range_reference`` (documents containing the term),
        ``g2, p_value, p_adjusted, log_ratio``, ``log_ratio_ci_low,
        log_ratio_ci_high`` (95% interval, :func:`log_ratio_interval`); sorted
        by g2 descending, then term. ``attrs`` records the formula, the groups and the documents
        behind each side (``n_docs_target``, ``n_docs_reference``).

    Raises
    ------
    ParameterError
        Unknown ``by``, a ``target`` or ``reference`` that is not one of its
        values (the message lists them), target equal to reference, or an empty group.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = keyness(tokenize(docs), docs, by="year", target=2024, reference=2022)
    >>> table[["term", "freq_target", "freq_reference"]].head(1).to_dict("records")
    [{'term': 'xi', 'freq_target': 12, 'freq_reference': 5}]
    """
    min_count = check_int("min_count", min_count, minimum=1)
    check_choice("correction", correction, CORRECTIONS)
    check_column(docs, by, values=[target] if reference is None else [target, reference])
    if reference is not None and str(reference) == str(target):
        raise ParameterError(f"target and reference are both {by} = {target!r}; choose two different values, "
                             "or leave out the reference to compare with all other documents.")
    grouped = _grouped(tokens, docs, by, ngram_range, stop_words, all_versions, prefer)
    names = grouped.rows["group"].astype(str).to_numpy()
    is_target = names == str(target)
    is_reference = names == str(reference) if reference is not None else ~is_target
    for label, mask, value in (("target", is_target, target), ("reference", is_reference, reference)):
        if not mask.any():
            what = f"{by} = {value!r}" if value is not None else f"{by} other than {target!r}"
            raise ParameterError(f"the {label} ({what}) has no documents once a translated text counts once "
                                 f"(prefer={prefer!r}); pass all_versions=True (--all-versions) or another "
                                 "prefer, or choose another value.")
    sizes, n_docs = grouped.n_tokens, grouped.rows["n_docs"].to_numpy()
    table = keyness_table(_row_sum(grouped.matrix, is_target), _row_sum(grouped.matrix, is_reference),
                          int(sizes[is_target].sum()), int(sizes[is_reference].sum()), grouped.terms,
                          range_target=_row_sum(grouped.ranges, is_target),
                          range_reference=_row_sum(grouped.ranges, is_reference),
                          min_count=min_count, correction=correction)
    table.attrs.update(by=by, target=str(target), reference="rest" if reference is None else str(reference),
                       n_docs_target=int(n_docs[is_target].sum()), n_docs_reference=int(n_docs[is_reference].sum()),
                       ngram_range=list(grouped.ngram_range), n_stop_words=len(grouped.stop_words),
                       all_versions=all_versions, prefer=prefer)
    return table


def keyness_each_vs_rest(tokens: Tokens, docs: pd.DataFrame, *, by: str, min_count: int = 3,
                         correction: str | None = "holm", ngram_range=(1, 1), stop_words=None,
                         all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Keyness of each group of documents against all the others.

    Parameters and formulas as for :func:`keyness`; the correction applies
    within each comparison.

    Returns
    -------
    DataFrame
        ``group``, ``n_docs_target``, ``n_docs_reference``, then the columns of
        :func:`keyness`; sorted by group, then g2 descending, then term. A group
        whose documents hold no token is left out.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = keyness_each_vs_rest(tokenize(docs), docs, by="year")
    >>> table.groupby("group")["n_docs_target"].first().to_dict()
    {2022: 2, 2023: 1, 2024: 1}
    """
    min_count = check_int("min_count", min_count, minimum=1)
    check_choice("correction", correction, CORRECTIONS)
    check_column(docs, by)
    grouped = _grouped(tokens, docs, by, ngram_range, stop_words, all_versions, prefer)
    groups = grouped.rows["group"]
    if len(groups) < 2:
        raise ParameterError(f"keyness needs at least two groups, but every document that counts has {by} = "
                             f"{groups.iloc[0] if len(groups) else ''!r}; choose another column.")
    everything = np.ones(len(groups), dtype=bool)
    total, total_range = _row_sum(grouped.matrix, everything), _row_sum(grouped.ranges, everything)
    sizes, n_docs = grouped.n_tokens, grouped.rows["n_docs"].to_numpy()
    parts = []
    for i in range(len(groups)):
        if sizes[i] == 0:  # a group whose documents hold no token has nothing to compare
            continue
        own = grouped.matrix[i].toarray().ravel().astype(np.int64)
        own_range = grouped.ranges[i].toarray().ravel().astype(np.int64)
        part = keyness_table(own, total - own, int(sizes[i]), int(sizes.sum() - sizes[i]), grouped.terms,
                             range_target=own_range, range_reference=total_range - own_range,
                             min_count=min_count, correction=correction)
        part.insert(0, "n_docs_reference", int(n_docs.sum() - n_docs[i]))
        part.insert(0, "n_docs_target", int(n_docs[i]))
        part.insert(0, "group", groups.iloc[[i] * len(part)].reset_index(drop=True))
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table.attrs.update(formula=KEYNESS_FORMULA, by=by, reference="rest", min_count=min_count,
                       correction=correction or "none", ngram_range=list(grouped.ngram_range),
                       n_stop_words=len(grouped.stop_words), all_versions=all_versions, prefer=prefer)
    return table
