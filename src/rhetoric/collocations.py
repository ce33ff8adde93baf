"""Window collocates of a node word or phrase, and corpus-wide recurring n-grams, with association measures.

Counting works on token ids: the windows around every hit of the node are
merged into disjoint token ranges (a token inside two overlapping windows counts
once) and the collocates are one ``numpy.bincount`` over the ids in them.

The 2x2 contingency table of a collocate c (Evert 2005, 2008)::

                        c            not c
    in the windows      O11 = O      O12 = R1 - O        R1 = tokens in the windows
    elsewhere           O21 = C1-O   O22 = N-R1-C1+O
                        C1 = f(c)                          N = tokens in the corpus

    E11 = R1 * C1 / N   (expected co-occurrences; = k * f(node) * f(c) / N for
                          a window of k tokens that never overlaps or stops early)
    E_ij = R_i * C_j / N

Measures (log2 unless ln)::

    G2       = 2 * sum_ij O_ij * ln(O_ij / E_ij)     (0 * ln 0 = 0), signed: negative when O < E
                                                      (Dunning 1993)
    MI       = log2(O / E)                           (Church & Hanks 1990)
    MI3      = log2(O**3 / E)                        (Oakes 1998; Hunston 2002 on MI vs frequency)
    t-score  = (O - E) / sqrt(O)                     (Church et al. 1991; Hunston 2002, Gries 2010)
    logDice  = 14 + log2(2 * O / (f(node) + f(c)))   (Rychly 2008)

With a one-token window to the right (``left=0, right=1``) O is the bigram
count, R1 the node's frequency (minus hits with nothing to their right) and
the table is exactly the one of NLTK's ``BigramAssocMeasures``.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
and lexicography. *Computational Linguistics* 16(1), 22-29.
Church, K., Gale, W., Hanks, P. & Hindle, D. (1991). Using statistics in lexical
analysis. In U. Zernik (ed.), *Lexical Acquisition*, 115-164. Erlbaum.
Dunning, T. (1993). Accurate methods for the statistics of surprise and
coincidence. *Computational Linguistics* 19(1), 61-74.
Evert, S. (2005). *The Statistics of Word Cooccurrences: Word Pairs and
Collocations*. PhD thesis, University of Stuttgart.
Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.),
*Corpus Linguistics: An International Handbook*, vol. 2, 1212-1248 (section
on surface co-occurrence: windows, merging overlaps, expected frequencies).
Gries, S. Th. (2010). Useful statistics for corpus linguistics. In A. Sánchez &
M. Almela (eds.), *A Mosaic of Corpus Linguistics*, 269-291.
Hunston, S. (2002). *Corpora in Applied Linguistics*. Cambridge University Press
(MI, MI3 and t-score compared).
Oakes, M. P. (1998). *Statistics for Corpus Linguistics*. Edinburgh UP (MI3).
Rychlý, P. (2008). A lexicographer-friendly association score. *Proceedings of
RASLAN 2008*, 6-9.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bundles import join_types, ngram_levels
from .errors import ParameterError
from .frequency import stop_word_set
from .kwic import match_positions
from .tokens import Tokens

COLLOCATE_COLUMNS = ["collocate", "observed", "expected", "node_freq", "collocate_freq", "g2", "mi", "mi3",
                     "t_score", "log_dice"]
NGRAM_COLUMNS = ["ngram", "freq", "range", "g2", "mi", "t_score", "log_dice"]
COLLOCATE_MEASURES = ("g2", "mi", "mi3", "t_score", "log_dice", "observed", "expected", "collocate_freq")
NGRAM_MEASURES = ("freq", "range", "g2", "mi", "t_score", "log_dice")


def association(observed, row_total, col_total, total) -> dict[str, np.ndarray]:
    """Association measures of 2x2 tables given O11, R1, C1 and N (arrays or numbers).

    Returns
    -------
    dict
        ``expected`` (E11 = R1 * C1 / N), ``g2`` (signed log-likelihood),
        ``mi``, ``mi3``, ``t_score``; formulas in the module docstring.
    """
    o11 = np.asarray(observed, dtype=np.float64)
    r1 = np.asarray(row_total, dtype=np.float64)
    c1 = np.asarray(col_total, dtype=np.float64)
    n = np.asarray(total, dtype=np.float64)
    o12, o21 = r1 - o11, c1 - o11
    o22 = n - r1 - c1 + o11
    r2, c2 = n - r1, n - c1
    cells = ((o11, r1 * c1 / n), (o12, r1 * c2 / n), (o21, r2 * c1 / n), (o22, r2 * c2 / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0) for o, e in cells)
        e11 = cells[0][1]
        g2 = np.where(o11 < e11, -g2, g2)
        mi = np.log2(o11 / e11)
        mi3 = np.log2(o11 ** 3 / e11)
        t = (o11 - e11) / np.sqrt(o11)
    return {"expected": e11, "g2": g2, "mi": mi, "mi3": mi3, "t_score": t}


def log_dice(observed, freq_x, freq_y) -> np.ndarray:
    """logDice = 14 + log2(2 * O / (f(x) + f(y)))  (Rychlý 2008)."""
    with np.errstate(divide="ignore"):
        return 14 + np.log2(2 * np.asarray(observed, dtype=np.float64)
                            / (np.asarray(freq_x, dtype=np.float64) + np.asarray(freq_y, dtype=np.float64)))


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(f"{name}={value!r} must be a whole number >= {low}.")
    return int(value)


def _merge(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint ranges covering the union of ``[starts, ends)`` (empty ranges ignored)."""
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if len(starts) == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], np.maximum.accumulate(ends[order])
    new = np.ones(len(starts), dtype=bool)
    new[1:] = starts[1:] > ends[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(starts)) - 1
    return starts[first], ends[last]


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """All positions of the ranges ``[starts, ends)`` concatenated."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(np.append(0, lengths[:-1])), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _sort(table: pd.DataFrame, by: str, name_column: str, allowed) -> pd.DataFrame:
    if by not in allowed:
        raise ParameterError(f"sort_by={by!r} is not a column to sort by; use one of {', '.join(allowed)}.")
    out = table.sort_values([name_column], kind="stable")
    out = out.sort_values(by, ascending=False, kind="stable", na_position="last")
    return out.reset_index(drop=True)


def collocates(tokens: Tokens, node: str, *, left: int = 5, right: int = 5, min_freq: int = 2, stop_words=None,
               within_sentence: bool = True, sort_by: str = "g2") -> pd.DataFrame:
    """Collocates of a node word or phrase in a window of tokens, with association measures.

    The window of a hit covers ``left`` tokens before its first token and
    ``right`` tokens after its last; it stops at the document's edges and, with
    ``within_sentence=True``, at the sentence's. Windows of nearby hits that
    overlap are merged, so each token is counted once (Evert 2008). The node's
    own tokens are not in its window, but may be in a neighbouring hit's
    window. Formulas: see the module docstring.

    Parameters
    ----------
    tokens : Tokens
        The token store.
    node : str
        A word, a phrase or a glob, as in :func:`rhetoric.kwic.kwic`
        (case-insensitive).
    left, right : int, default 5
        Window size in tokens on each side (``left=0, right=1``: the next word).
    min_freq : int, default 2
        Keep collocates seen at least this often in the windows.
    stop_words : None, True, str or iterable of str, default None
        Collocates to leave out of the table (they still count in the
        totals); see :func:`rhetoric.frequency.stop_word_set`.
    within_sentence : bool, default True
        Stop windows at sentence ends.
    sort_by : str, default "g2"
        Column to sort by, descending (ties: collocate A-Z): ``g2, mi, mi3,
        t_score, log_dice, observed, expected, collocate_freq``.

    Returns
    -------
    DataFrame
        ``collocate`` (type), ``observed`` (O: its tokens in the windows),
        ``expected`` (E = R1 * C1 / N, R1 the number of tokens in all windows,
        C1 the collocate's corpus frequency, N the corpus size), ``node_freq``
        (hits of the node), ``collocate_freq`` (C1), ``g2`` (signed
        log-likelihood), ``mi``, ``mi3``, ``t_score``, ``log_dice``.
        ``attrs`` records ``window_tokens`` (R1) and ``corpus_tokens`` (N).

    References
    ----------
    Church & Hanks (1990); Dunning (1993); Evert (2005, 2008); Rychlý (2008);
    Hunston (2002); Gries (2010): full entries in the module docstring.
    """
    left = _check_int("left", left, 0)
    right = _check_int("right", right, 0)
    if left + right == 0:
        raise ParameterError("left=0 and right=0 leave no window; use e.g. left=5, right=5.")
    min_freq = _check_int("min_freq", min_freq, 1)
    stop = stop_word_set(stop_words)
    if sort_by not in COLLOCATE_MEASURES:
        raise ParameterError(f"sort_by={sort_by!r} is not a column to sort by; use one of "
                             f"{', '.join(COLLOCATE_MEASURES)}.")
    gs, ge = match_positions(tokens, node)
    n_tok = tokens.n_tokens
    if len(gs) == 0:
        return _empty_collocates()
    doc = np.searchsorted(tokens.bounds, gs, side="right") - 1
    lo, hi = tokens.bounds[doc], tokens.bounds[doc + 1]
    if within_sentence:
        lo = np.maximum(lo, np.searchsorted(tokens.sentence, tokens.sentence[gs], side="left"))
        hi = np.minimum(hi, np.searchsorted(tokens.sentence, tokens.sentence[ge - 1], side="right"))
    starts = np.concatenate([np.maximum(gs - left, lo), ge])
    ends = np.concatenate([gs, np.minimum(ge + right, hi)])
    starts, ends = _merge(starts, ends)
    positions = _ranges(starts, ends)
    window_tokens = len(positions)
    n_types = len(tokens.vocab)
    observed = np.bincount(tokens.ids[positions], minlength=n_types)
    corpus = np.bincount(tokens.ids, minlength=n_types)
    keep = observed >= min_freq
    if stop:
        keep &= ~np.isin(tokens.vocab, np.array(sorted(stop), dtype=str))
    ids = np.flatnonzero(keep)
    o, c = observed[ids], corpus[ids]
    m = association(o, window_tokens, c, n_tok)
    table = pd.DataFrame({
        "collocate": pd.Series(tokens.vocab[ids], dtype=object),
        "observed": o.astype(np.int64), "expected": m["expected"],
        "node_freq": np.full(len(ids), len(gs), dtype=np.int64), "collocate_freq": c.astype(np.int64),
        "g2": m["g2"], "mi": m["mi"], "mi3": m["mi3"], "t_score": m["t_score"],
        "log_dice": log_dice(o, len(gs), c),
    })
    table = _sort(table, sort_by, "collocate", COLLOCATE_MEASURES)
    table.attrs.update(window_tokens=int(window_tokens), corpus_tokens=int(n_tok), node=node,
                       left=left, right=right, within_sentence=within_sentence)
    return table


def _empty_collocates() -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in COLLOCATE_COLUMNS})
    return table.astype({"collocate": object, "observed": np.int64, "node_freq": np.int64,
                         "collocate_freq": np.int64})


def recurring_ngrams(tokens: Tokens, *, n: int = 2, min_freq: int = 2, stop_words=None,
                     sort_by: str = "freq") -> pd.DataFrame:
    """Recurring n-grams of the whole corpus (inside sentences), with association measures for bigrams.

    For a bigram (w1, w2) the 2x2 table is over all bigram positions inside
    sentences (Evert 2005): O = f(w1 w2), R1 = bigrams starting with w1,
    C1 = bigrams ending with w2, N = bigram positions; then G2, MI, t-score as
    in the module docstring, and logDice = 14 + log2(2 * O / (R1 + C1)).
    For n >= 3 the association columns are NaN (frequency and range only).

    Parameters
    ----------
    tokens : Tokens
        The token store.
    n : int, default 2
        N-gram length.
    min_freq : int, default 2
        Minimum frequency.
    stop_words : None, True, str or iterable of str, default None
        N-grams beginning or ending with one of these words are left out
        (``belt and road`` stays, ``of the`` goes); see
        :func:`rhetoric.frequency.stop_word_set`.
    sort_by : str, default "freq"
        Column to sort by, descending (ties: n-gram A-Z): ``freq, range, g2,
        mi, t_score, log_dice``.

    Returns
    -------
    DataFrame
        ``ngram`` (types joined by spaces), ``freq``, ``range`` (documents),
        ``g2`` (signed), ``mi``, ``t_score``, ``log_dice``.
    """
    n = _check_int("n", n, 2)
    if n > 12:
        raise ParameterError(f"n={n} is too long; use 2 to 12.")
    min_freq = _check_int("min_freq", min_freq, 1)
    if sort_by not in NGRAM_MEASURES:
        raise ParameterError(f"sort_by={sort_by!r} is not a column to sort by; use one of {', '.join(NGRAM_MEASURES)}.")
    stop = stop_word_set(stop_words)
    levels = ngram_levels(tokens, max_n=n, min_freq=min_freq, min_range=1, progress=False)
    if len(levels) < n:
        return _empty_ngrams()
    level = levels[n - 1]
    seqs = level.seqs
    keep = np.ones(len(seqs), dtype=bool)
    if stop:
        is_stop = np.isin(tokens.vocab, np.array(sorted(stop), dtype=str))
        keep &= ~is_stop[seqs[:, 0]] & ~is_stop[seqs[:, -1]]
    rows = np.flatnonzero(keep)
    seqs, freq, rng = seqs[rows], level.freq[rows], level.range[rows]
    nan = np.full(len(rows), np.nan)
    g2 = mi = t = ld = nan
    if n == 2:
        inside = tokens.sentence[:-1] == tokens.sentence[1:]
        first = np.bincount(tokens.ids[:-1][inside], minlength=len(tokens.vocab))
        second = np.bincount(tokens.ids[1:][inside], minlength=len(tokens.vocab))
        total = int(inside.sum())
        r1, c1 = first[seqs[:, 0]], second[seqs[:, 1]]
        m = association(freq, r1, c1, total)
        g2, mi, t = m["g2"], m["mi"], m["t_score"]
        ld = log_dice(freq, r1, c1)
    table = pd.DataFrame({"ngram": pd.Series(join_types(tokens.vocab, seqs), dtype=object),
                          "freq": freq.astype(np.int64), "range": rng.astype(np.int64),
                          "g2": g2, "mi": mi, "t_score": t, "log_dice": ld})
    return _sort(table, sort_by, "ngram", NGRAM_MEASURES)


def _empty_ngrams() -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in NGRAM_COLUMNS})
    return table.astype({"ngram": object, "freq": np.int64, "range": np.int64})
