"""Keyness: which terms are characteristic of one group of documents against another.

Signed log-likelihood G² (Dunning 1993) for significance, Hardie's (2014) log
ratio for effect size, optional Bonferroni or Holm correction for the number of
terms tested. Translation groups count once (the preferred version is kept).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scipy.special import chdtrc, xlogy

from .corpus import check_column, one_per_translation_group
from .errors import ParameterError
from .frequency import document_term_matrix, group_column, group_matrix, select_tokens

KEYNESS_COLUMNS = ("term", "freq_target", "freq_reference", "size_target", "size_reference", "range_target",
                   "range_reference", "g2", "p_value", "p_adjusted", "log_ratio")
CORRECTIONS = (None, "bonferroni", "holm")
ZERO_FREQUENCY = 0.5
"""Count used in place of a zero frequency in the log ratio (Hardie 2014)."""

KEYNESS_FORMULA = (
    "2x2 table per term: a = freq_target, b = freq_reference, c = size_target, d = size_reference, N = c + d; "
    "observed O = [[a, b], [c - a, d - b]], expected E_ij = row_i * col_j / N; "
    "G2 = 2 * sum O_ij * ln(O_ij / E_ij) (0 ln 0 = 0), signed + when a/c > b/d and - when a/c < b/d; "
    "p_value = P(chi2 with 1 df >= |G2|); "
    "log_ratio = log2(a' / c) - log2(b' / d) with a' = a, b' = b, except that a zero count is replaced by 0.5."
)


def _adjust(p: np.ndarray, correction: str | None) -> np.ndarray:
    m = len(p)
    if correction is None or m == 0:
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    stepped = np.minimum((m - np.arange(m)) * p[order], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(stepped)
    return adjusted


def _check_options(min_freq: int, correction) -> None:
    if isinstance(min_freq, bool) or not isinstance(min_freq, (int, np.integer)) or min_freq < 1:
        raise ParameterError(f"min_freq={min_freq!r} must be an integer of at least 1.")
    if correction not in CORRECTIONS:
        raise ParameterError(f"correction={correction!r} is not known; use None, 'bonferroni' or 'holm'.")


def keyness_table(freq_target, freq_reference, size_target: int, size_reference: int, terms, *,
                  range_target=None, range_reference=None, min_freq: int = 1,
                  correction: str | None = None) -> pd.DataFrame:
    """Keyness statistics from counts: the computation behind :func:`keyness`.

    Parameters
    ----------
    freq_target, freq_reference : array of int
        Count of each term in the target and in the reference.
    size_target, size_reference : int
        Running tokens of the target and of the reference.
    terms : array of str
    range_target, range_reference : array of int, optional
        Documents containing each term (zeros if not given).
    min_freq : int, default 1
        Keep terms with freq_target + freq_reference >= min_freq.
    correction : {None, "bonferroni", "holm"}, default None

    Returns
    -------
    DataFrame
        The columns of :func:`keyness`, sorted by g2 descending, then term.
    """
    _check_options(min_freq, correction)
    a = np.asarray(freq_target, dtype=np.int64)
    b = np.asarray(freq_reference, dtype=np.int64)
    terms = np.asarray(terms, dtype=object)
    ra = np.zeros_like(a) if range_target is None else np.asarray(range_target, dtype=np.int64)
    rb = np.zeros_like(b) if range_reference is None else np.asarray(range_reference, dtype=np.int64)
    keep = (a + b) >= min_freq
    a, b, terms, ra, rb = a[keep], b[keep], terms[keep], ra[keep], rb[keep]
    c, d = int(size_target), int(size_reference)
    if c <= 0 or d <= 0:
        raise ParameterError(f"target ({c} tokens) and reference ({d} tokens) must both contain tokens.")
    if np.any(a > c) or np.any(b > d):
        raise ParameterError("a term count exceeds the size of its group; sizes must be running tokens.")
    n = float(c + d)
    row1 = (a + b).astype(np.float64)
    row2 = n - row1
    with np.errstate(divide="ignore", invalid="ignore"):
        # cells grouped by column so that swapping target and reference gives bit-identical |G2|
        col_t = _cell(a, row1 * c / n) + _cell(c - a, row2 * c / n)
        col_r = _cell(b, row1 * d / n) + _cell(d - b, row2 * d / n)
    g2 = np.maximum(2.0 * (col_t + col_r), 0.0)
    direction = np.sign(a * d - b * c)  # exact in integers
    g2 = np.where(direction == 0, 0.0, g2 * direction)
    p_value = chdtrc(1, np.abs(g2))  # chi-squared survival function, 1 df (scipy.stats.chi2.sf)
    a_adj = np.where(a == 0, ZERO_FREQUENCY, a.astype(np.float64))
    b_adj = np.where(b == 0, ZERO_FREQUENCY, b.astype(np.float64))
    log_ratio = np.log2(a_adj / c) - np.log2(b_adj / d)
    table = pd.DataFrame({
        "term": pd.Series(terms, dtype=object),
        "freq_target": a, "freq_reference": b,
        "size_target": np.full(len(a), c, dtype=np.int64), "size_reference": np.full(len(a), d, dtype=np.int64),
        "range_target": ra, "range_reference": rb,
        "g2": g2 + 0.0, "p_value": p_value, "p_adjusted": _adjust(p_value, correction), "log_ratio": log_ratio + 0.0,
    })
    order = np.lexsort((table["term"].to_numpy().astype(str), -table["g2"].to_numpy()))
    table = table.iloc[order].reset_index(drop=True)
    table.attrs.update(formula=KEYNESS_FORMULA, min_freq=min_freq, correction=correction or "none",
                       n_tested=len(table))
    return table


def _cell(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """O * ln(O / E), 0 when O = 0."""
    return xlogy(observed, np.where(observed > 0, observed / np.where(expected > 0, expected, 1.0), 1.0))


def _counts_by_group(tokens, docs, by, prefer, ngram_range, stop_words):
    chosen = one_per_translation_group(docs, prefer=prefer)
    labels = pd.DataFrame({"doc_id": chosen["doc_id"].astype(str).to_numpy(), "group": chosen[by].to_numpy()})
    sub = select_tokens(tokens, chosen)
    dtm = document_term_matrix(sub, ngram_range=ngram_range, stop_words=stop_words)
    groups, counts, ranges, sizes = group_matrix(dtm, labels)
    return groups, counts, ranges, sizes, dtm


def _row_sum(matrix, rows) -> np.ndarray:
    return np.asarray(matrix[np.flatnonzero(rows)].sum(axis=0)).ravel()


def keyness(tokens, docs: pd.DataFrame, *, by: str, target, reference=None, min_freq: int = 3,
            correction: str | None = None, prefer: str = "official", ngram_range=(1, 1),
            stop_words=None) -> pd.DataFrame:
    """Keyness of every term in a target group of documents against a reference.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    docs : DataFrame
        Documents table; only its documents are used.
    by : str
        Column of ``docs`` defining the groups (``"period"``, ``"year"``, ``"author"``).
    target : str or int
        Value of ``by`` for the target documents (compared as text, so ``"2022"``
        and ``2022`` are the same year).
    reference : str or int, optional
        Value of ``by`` for the reference; default all other documents.
    min_freq : int, default 3
        Test only terms with freq_target + freq_reference >= min_freq.
    correction : {None, "bonferroni", "holm"}, default None
        Adjust p-values for the number of terms tested (``p_adjusted``; equal to
        ``p_value`` without a correction).
    prefer : str, default "official"
        Which version of a translated text counts (each translation group counts once).
    ngram_range : tuple of int, default (1, 1)
    stop_words : None, bool, str or iterable, default None
        See :func:`rhetoric.frequency.stop_word_set`; sizes still count every token.

    Returns
    -------
    DataFrame
        ``term, freq_target, freq_reference, size_target, size_reference``
        (running tokens), ``range_target, range_reference`` (documents containing
        the term), ``g2, p_value, p_adjusted, log_ratio``. Sorted by g2
        descending, then term. ``attrs["formula"]`` states the formulas:

        With a = freq_target, b = freq_reference, c = size_target, d = size_reference,
        N = c + d, the 2×2 table O = [[a, b], [c − a, d − b]] and E_ij = row_i · col_j / N:

        G² = 2 Σ O_ij ln(O_ij / E_ij), positive when a/c > b/d (key in the target),
        negative when a/c < b/d (key in the reference);
        p_value = P(χ²₁ ≥ |G²|);
        log_ratio = log2((a / c) / (b / d)), a zero count replaced by 0.5;
        Bonferroni: min(1, m·p); Holm: the step-down max_{j≤i} min(1, (m − j + 1) p_(j)),
        m = number of terms tested.

    Raises
    ------
    ParameterError
        Unknown ``by``, a ``target`` or ``reference`` that is not a value of it
        (the message lists the values), target equal to reference, or an empty group.

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics*, 19(1), 61–74.
    Rayson, P., & Garside, R. (2000). Comparing corpora using frequency profiling. *Workshop on
    Comparing Corpora*, ACL 2000, 1–6.
    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus Approaches to
    Social Science (CASS), Lancaster University.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
    of Statistics*, 6(2), 65–70.
    """
    _check_options(min_freq, correction)
    check_column(docs, by, values=[target] if reference is None else [target, reference])
    if reference is not None and str(reference) == str(target):
        raise ParameterError(f"target and reference are both {by} = '{target}'; choose two different values "
                             "or leave out the reference to compare with all other documents.")
    groups, counts, ranges, sizes, dtm = _counts_by_group(tokens, docs, by, prefer, ngram_range, stop_words)
    names = np.array([str(g) for g in groups])
    is_target = names == str(target)
    is_reference = names == str(reference) if reference is not None else ~is_target
    for label, mask, value in (("target", is_target, target), ("reference", is_reference, reference)):
        if not mask.any():
            what = f"{by} = '{value}'" if value is not None else f"{by} other than '{target}'"
            raise ParameterError(f"the {label} ({what}) has no documents once each translation group counts "
                                 f"once (prefer='{prefer}'); pass prefer=<doc_id or translation> to keep "
                                 "another version, or choose another value.")
    table = keyness_table(_row_sum(counts, is_target), _row_sum(counts, is_reference),
                          sizes[is_target].sum(), sizes[is_reference].sum(), dtm.terms,
                          range_target=_row_sum(ranges, is_target), range_reference=_row_sum(ranges, is_reference),
                          min_freq=min_freq, correction=correction)
    table.attrs.update(by=by, target=str(target), reference="rest" if reference is None else str(reference),
                       prefer=prefer, ngram_range=list(dtm.ngram_range), stop_words=len(dtm.stop_words))
    return table


def keyness_each_vs_rest(tokens, docs: pd.DataFrame, *, by: str, min_freq: int = 3, correction: str | None = None,
                         prefer: str = "official", ngram_range=(1, 1), stop_words=None) -> pd.DataFrame:
    """Keyness of each group of documents against all the others (for two or more groups).

    Parameters
    ----------
    tokens, docs, by, min_freq, correction, prefer, ngram_range, stop_words
        As for :func:`keyness`; the correction is applied within each comparison.

    Returns
    -------
    DataFrame
        ``group`` (the target value) followed by the columns of :func:`keyness`;
        sorted by group, then g2 descending, then term.

    Raises
    ------
    ParameterError
        Unknown ``by``, or fewer than two groups.
    """
    _check_options(min_freq, correction)
    check_column(docs, by)
    groups, counts, ranges, sizes, dtm = _counts_by_group(tokens, docs, by, prefer, ngram_range, stop_words)
    if len(groups) < 2:
        raise ParameterError(f"keyness needs at least two groups, but every document has {by} = "
                             f"'{groups[0] if len(groups) else ''}'; choose another column.")
    everything = np.ones(len(groups), dtype=bool)
    total, total_range, total_size = _row_sum(counts, everything), _row_sum(ranges, everything), int(sizes.sum())
    parts = []
    for i, group in enumerate(groups):
        own, own_range = counts[i].toarray().ravel(), ranges[i].toarray().ravel()
        part = keyness_table(own, total - own, int(sizes[i]), total_size - int(sizes[i]), dtm.terms,
                             range_target=own_range, range_reference=total_range - own_range,
                             min_freq=min_freq, correction=correction)
        part.insert(0, "group", group_column(groups, np.full(len(part), i)))
        parts.append(part)
    table = pd.concat(parts, ignore_index=True)
    table.attrs.update(formula=parts[0].attrs["formula"], by=by, reference="rest", min_freq=min_freq,
                       correction=correction or "none", prefer=prefer, ngram_range=list(dtm.ngram_range),
                       stop_words=len(dtm.stop_words))
    return table
