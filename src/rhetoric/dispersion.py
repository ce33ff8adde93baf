"""How evenly terms are spread: Juilland's D, Gries's DP and DP_norm; positions for x-ray plots.

A term that is frequent only because one document repeats it is a different
thing from a term that every text uses. The measures compare a term's
frequency in each part of the corpus (its documents, or ``k`` equal-sized
slices of the running text) with the sizes of those parts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .errors import ParameterError
from .frequency import phrase_starts
from .tokens import Tokens

DISPERSION_COLUMNS = ("term", "freq", "range", "juilland_d", "dp", "dp_norm")
POSITION_COLUMNS = ("doc_id", "term", "position", "relative_position")


def _part_bounds(tokens: Tokens, parts: int | None) -> np.ndarray:
    """Token offsets where each part starts, plus the end: documents, or ``parts`` equal slices."""
    if parts is None:
        bounds = np.asarray(tokens.bounds, dtype=np.int64)
        bounds = np.concatenate([bounds[:1], bounds[1:][np.diff(bounds) > 0]])  # drop empty documents
        if len(bounds) - 1 < 2:
            raise ParameterError("dispersion needs at least two non-empty documents; with one document, "
                                 "pass parts=k to split the running text into k equal parts.")
        return bounds
    if isinstance(parts, bool) or not isinstance(parts, (int, np.integer)) or parts < 2:
        raise ParameterError(f"parts={parts!r} must be an integer of at least 2 (or None for documents).")
    if parts > tokens.n_tokens:
        raise ParameterError(f"parts={parts} is more than the {tokens.n_tokens} tokens of the corpus; "
                             "use fewer parts.")
    # sizes differ by at most one token: the first (n_tokens mod parts) parts get one more
    size, extra = divmod(tokens.n_tokens, parts)
    sizes = np.full(parts, size, dtype=np.int64)
    sizes[:extra] += 1
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


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


def dispersion(tokens: Tokens, *, terms=None, parts: int | None = None, min_count: int = 1) -> pd.DataFrame:
    """Juilland's D, Gries's DP and DP_norm of terms across documents or equal-sized parts.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    terms : list of str, optional
        Words or phrases (``"shared future"``; tokenized like the corpus, matched
        as consecutive tokens within one sentence). Default: every word type.
    parts : int, optional
        ``None``: the parts are the documents (empty ones left out). ``k``: the
        running text of the whole corpus cut into ``k`` parts of equal size
        (sizes differ by at most one token; a phrase belongs to the part of its
        first token).
    min_count : int, default 1
        With ``terms=None``, keep types occurring at least this often. Listed
        ``terms`` are always reported, with ``freq`` 0 and NaN measures if absent.

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

    References
    ----------
    Juilland, A., & Chang-Rodríguez, E. (1964). *Frequency Dictionary of Spanish Words*. Mouton.
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora.
    *International Journal of Corpus Linguistics*, 13(4), 403–437.
    Lijffijt, J., & Gries, S. Th. (2012). Correction to Stefan Th. Gries' "Dispersions and adjusted
    frequencies in corpora". *International Journal of Corpus Linguistics*, 17(1), 147–149.
    """
    if min_count < 1:
        raise ParameterError(f"min_count={min_count} must be at least 1.")
    bounds = _part_bounds(tokens, parts)
    sizes = np.diff(bounds).astype(np.float64)
    shares = sizes / sizes.sum()
    n_parts = len(sizes)
    if terms is None:
        part_of = np.repeat(np.arange(n_parts), np.diff(bounds))
        ids = tokens.ids[bounds[0]:bounds[-1]]
        counts = sparse.csc_matrix((np.ones(len(ids), dtype=np.int64), (part_of, ids)),
                                   shape=(n_parts, len(tokens.vocab)))
        labels = np.asarray(tokens.vocab, dtype=object)
    else:
        terms = [terms] if isinstance(terms, str) else list(terms)
        rows, cols = [], []
        for j, term in enumerate(terms):
            starts = phrase_starts(tokens, term)
            starts = starts[(starts >= bounds[0]) & (starts < bounds[-1])]
            rows.append(np.searchsorted(bounds, starts, side="right") - 1)
            cols.append(np.full(len(starts), j))
        rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        counts = sparse.csc_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                   shape=(n_parts, len(terms)))
        labels = np.asarray(terms, dtype=object)
    table = pd.DataFrame({"term": labels, **_measures(counts, shares)})
    if terms is None:
        table = table[table["freq"] >= min_count]
        order = np.lexsort((table["term"].to_numpy().astype(str), -table["freq"].to_numpy()))
        table = table.iloc[order]
    table = table.reset_index(drop=True)
    table.attrs.update(parts="documents" if parts is None else int(parts), n_parts=n_parts, min_count=min_count)
    return table


def dispersion_positions(tokens: Tokens, terms) -> pd.DataFrame:
    """Where each occurrence of some terms falls in its document (for a lexical dispersion / x-ray plot).

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    terms : str or list of str
        Words or phrases, tokenized like the corpus and matched as consecutive
        tokens within one sentence (``"shared future"``, ``"win-win"``).

    Returns
    -------
    DataFrame
        ``doc_id, term, position`` (0-based token index of the first token in its
        document), ``relative_position`` = position / tokens in the document
        (0 ≤ value < 1). Sorted by document (corpus order), position, then the
        order of ``terms``.
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ParameterError("terms is empty; give at least one word or phrase.")
    starts, which = [], []
    for j, term in enumerate(terms):
        hit = phrase_starts(tokens, term)
        starts.append(hit)
        which.append(np.full(len(hit), j, dtype=np.int64))
    starts = np.concatenate(starts)
    which = np.concatenate(which)
    doc = np.searchsorted(tokens.bounds, starts, side="right") - 1
    position = starts - tokens.bounds[doc]
    order = np.lexsort((which, position, doc))
    doc, position, which = doc[order], position[order], which[order]
    lengths = np.diff(tokens.bounds)[doc]
    return pd.DataFrame({
        "doc_id": pd.Series(np.asarray(tokens.doc_ids, dtype=object)[doc], dtype=object),
        "term": pd.Series(np.asarray(terms, dtype=object)[which], dtype=object),
        "position": position.astype(np.int64),
        "relative_position": position / np.maximum(lengths, 1),
    })
