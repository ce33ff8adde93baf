"""How evenly terms are spread: Juilland's D, Gries's DP and DP_norm; positions for x-ray plots.

A term that is frequent only because one document repeats it is a different
thing from a term that every text uses. The measures compare a term's
frequency in each part of the corpus (its documents, or ``k`` equal-sized
slices of the running text) with the sizes of those parts. Parts are the
documents that count (:func:`rhetoric.counts.select_documents`: a translated
text once), and listed terms are matched by :mod:`rhetoric.patterns`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from ..checks import check_int
from ..corpus.tokens import Tokens
from ..counts import count_matches, count_terms, select_documents, select_tokens, stop_word_list
from ..errors import ParameterError
from ..patterns import match_each

DISPERSION_COLUMNS = ("term", "freq", "range", "juilland_d", "dp", "dp_norm")
POSITION_COLUMNS = ("doc_id", "term", "position", "relative_position")


def _measures(counts: sparse.csc_matrix, shares: np.ndarray) -> dict[str, np.ndarray]:
    """Juilland's D, DP and DP_norm for each column of ``counts`` (parts × terms)."""
    n = len(shares)
    counts = counts.tocsc()
    counts.sum_duplicates()
    freq = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    nnz = np.diff(counts.indptr)
    col = np.repeat(np.arange(counts.shape[1]), nnz)
    v = counts.data.astype(np.float64)
    s = shares[counts.indices]
    with np.errstate(divide="ignore", invalid="ignore"):
        # DP: 0.5 * sum_i |v_i/f - s_i|; a part without the term contributes s_i
        absdiff = np.abs(v / freq[col] - s) - s
        dp = 0.5 * (1.0 + np.bincount(col, weights=absdiff, minlength=counts.shape[1]))
        dp_norm = dp / (1.0 - shares.min())
        # Juilland's D on the rates p_i = v_i / s_i: D = 1 - (sd_pop(p) / mean(p)) / sqrt(n - 1)
        p = v / s
        mean = np.bincount(col, weights=p, minlength=counts.shape[1]) / n
        sq = np.bincount(col, weights=(p - mean[col]) ** 2, minlength=counts.shape[1]) + (n - nnz) * mean ** 2
        sd = np.sqrt(sq / n)
        d = 1.0 - (sd / mean) / np.sqrt(n - 1)
    zero = freq == 0
    dp[zero] = np.nan
    dp_norm[zero] = np.nan
    d[zero] = np.nan
    return {"freq": freq.astype(np.int64), "range": nnz.astype(np.int64),
            "juilland_d": _snap(d), "dp": _snap(dp), "dp_norm": _snap(dp_norm)}


def _snap(values: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] and snap rounding residue (within 1e-12 of 0 or 1) to the bound."""
    out = np.clip(values, 0.0, 1.0)
    out[np.abs(out) < 1e-12] = 0.0
    out[np.abs(out - 1.0) < 1e-12] = 1.0
    return out


def _slices(n_tokens: int, parts: int) -> np.ndarray:
    """Where each of ``parts`` equal slices of the running text starts, plus the end (sizes differ by one at most)."""
    parts = check_int("parts", parts, minimum=2)
    if parts > n_tokens:
        raise ParameterError(f"parts={parts} is more than the {n_tokens} tokens that count; use fewer parts.")
    size, extra = divmod(n_tokens, parts)
    sizes = np.full(parts, size, dtype=np.int64)
    sizes[:extra] += 1
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def dispersion(tokens: Tokens, docs: pd.DataFrame, *, terms=None, parts: int | None = None, min_count: int = 1,
               stop_words=None, all_versions: bool = False, prefer: str = "official", valuetype: str = "glob",
               hyphens: str = "loose", case_sensitive: bool = False) -> pd.DataFrame:
    """Juilland's D, Gries's DP and DP_norm of terms across documents or equal-sized parts.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    terms : list of str, optional
        Words, phrases or globs (:mod:`rhetoric.patterns`), each matched on its
        own. Default: every word type.
    parts : int, optional
        ``None``: the parts are the documents (empty ones left out). ``k``: the
        running text of the whole corpus cut into ``k`` parts of equal size
        (sizes differ by at most one token; a phrase belongs to the part of its
        first token).
    min_count : int, default 1
        With ``terms=None``, keep types occurring at least this often. Listed
        ``terms`` are always reported, with ``freq`` 0 and NaN measures if absent.
    stop_words : default None
        With ``terms=None``, leave these words out of the table (the measures
        of the others do not change); see :func:`rhetoric.counts.stop_word_list`.
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.
    valuetype, hyphens, case_sensitive
        How listed ``terms`` are matched (:func:`rhetoric.patterns.match_positions`).

    Returns
    -------
    DataFrame
        ``term, freq`` (total count), ``range`` (parts containing the term),
        ``juilland_d``, ``dp``, ``dp_norm``. Listed ``terms`` keep their order;
        otherwise sorted by freq descending, then term.

        With ``n`` parts, ``v_i`` the term's count in part ``i``, ``f = sum v_i``,
        and ``s_i`` the share of the corpus's tokens in part ``i``:

        * Juilland's D = 1 - (sd(p) / mean(p)) / sqrt(n - 1), with ``p_i = v_i / s_i``
          (the rate in each part, so unequal parts are allowed) and ``sd`` the
          population standard deviation. 1 = perfectly even, 0 = all in one part.
        * DP = 0.5 * sum_i |v_i / f - s_i|. 0 = perfectly even, near 1 = all in
          one small part.
        * DP_norm = DP / (1 - min_i s_i), which reaches 1 when the term is
          confined to the smallest part.

        Values within 1e-12 of 0 or 1 (floating-point residue) are reported as 0 or 1.

    Raises
    ------
    ParameterError
        Fewer than two parts, or ``parts`` larger than the corpus.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = dispersion(tokenize(docs), docs, terms=["win-win", "golden *"])
    >>> table[["term", "freq", "range"]].to_dict("records")
    [{'term': 'win-win', 'freq': 4, 'range': 2}, {'term': 'golden *', 'freq': 3, 'range': 2}]

    References
    ----------
    Juilland, A., & Chang-Rodríguez, E. (1964). *Frequency Dictionary of Spanish Words*. Mouton.
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora.
    *International Journal of Corpus Linguistics*, 13(4), 403–437.
    Lijffijt, J., & Gries, S. Th. (2012). Correction to Stefan Th. Gries' "Dispersions and adjusted
    frequencies in corpora". *International Journal of Corpus Linguistics*, 17(1), 147–149.
    """
    min_count = check_int("min_count", min_count, minimum=1)
    listed = None if terms is None else ([terms] if isinstance(terms, str) else list(terms))
    if listed is not None and not listed:
        raise ParameterError("terms is empty; give at least one word or phrase, or terms=None for every word.")
    if parts is None:
        counts = (count_terms(tokens, docs, all_versions=all_versions, prefer=prefer) if listed is None
                  else count_matches(tokens, docs, listed, all_versions=all_versions, prefer=prefer,
                                     valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive))
        sizes = counts.n_tokens
        nonempty = sizes > 0
        if nonempty.sum() < 2:
            raise ParameterError("dispersion needs at least two non-empty documents; with one document, pass "
                                 "parts=k to cut the running text into k equal parts.")
        matrix, sizes, labels = counts.matrix[np.flatnonzero(nonempty)], sizes[nonempty], counts.terms
    else:
        chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
        sub = select_tokens(tokens, chosen)
        bounds = _slices(sub.n_tokens, parts)
        if listed is None:
            positions, columns, labels = np.arange(sub.n_tokens), sub.ids, np.asarray(sub.vocab, dtype=object)
        else:
            positions, _, columns = match_each(sub, listed, valuetype=valuetype, hyphens=hyphens,
                                               case_sensitive=case_sensitive, docs=chosen)
            labels = np.asarray(listed, dtype=object)
        part_of = np.searchsorted(bounds, positions, side="right") - 1  # a phrase belongs to its first token's part
        matrix = sparse.csr_matrix((np.ones(len(positions), dtype=np.int64), (part_of, columns)),
                                   shape=(len(bounds) - 1, len(labels)))
        sizes = np.diff(bounds)
    table = pd.DataFrame({"term": pd.Series(labels, dtype=object),
                          **_measures(matrix, sizes.astype(np.float64) / sizes.sum())})
    if listed is None:
        table = table[(table["freq"] >= min_count) & ~table["term"].isin(stop_word_list(stop_words))]
        order = np.lexsort((table["term"].to_numpy().astype(str), -table["freq"].to_numpy()))
        table = table.iloc[order]
    table = table.reset_index(drop=True)
    table.attrs.update(parts="documents" if parts is None else int(parts), n_parts=int(matrix.shape[0]),
                       min_count=min_count, n_stop_words=len(stop_word_list(stop_words)), all_versions=all_versions,
                       prefer=prefer)
    return table


def dispersion_positions(tokens: Tokens, docs: pd.DataFrame, terms, *, all_versions: bool = False,
                         prefer: str = "official", valuetype: str = "glob", hyphens: str = "loose",
                         case_sensitive: bool = False) -> pd.DataFrame:
    """Where each occurrence of some terms falls in its document (for a lexical dispersion or x-ray plot).

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    terms : str or list of str
        Words, phrases or globs (:mod:`rhetoric.patterns`), each matched on its own.
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.
    valuetype, hyphens, case_sensitive
        How ``terms`` are matched (:func:`rhetoric.patterns.match_positions`).

    Returns
    -------
    DataFrame
        ``doc_id, term, position`` (0-based token index of the first token in
        its document), ``relative_position`` = position / tokens in the document
        (0 <= value < 1). Sorted by document (corpus order), position, then the
        order of ``terms``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> dispersion_positions(tokenize(docs), docs, "win-win")["doc_id"].value_counts().to_dict()
    {'xi2022_xinhua': 3, 'zhang2022_visit': 1}
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ParameterError("terms is empty; give at least one word or phrase.")
    chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
    sub = select_tokens(tokens, chosen)
    starts, _, which = match_each(sub, terms, valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                                  docs=chosen)
    doc = np.searchsorted(sub.bounds, starts, side="right") - 1
    position = starts - sub.bounds[doc]
    return pd.DataFrame({
        "doc_id": pd.Series(sub.doc_ids[doc], dtype=object),
        "term": pd.Series(np.asarray(terms, dtype=object)[which], dtype=object),
        "position": position.astype(np.int64),
        "relative_position": position / np.maximum(np.diff(sub.bounds)[doc], 1),
    })
