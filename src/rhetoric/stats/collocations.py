"""Window collocates of a node word or phrase, and corpus-wide recurring n-grams, with association measures.

The node's hits come from :mod:`rhetoric.patterns`; the windows around them
are merged into disjoint token ranges (a token inside two overlapping windows
counts once) and the collocates are counted over the tokens in them. The
measures are those of :mod:`rhetoric.stats.association` (one G² for the whole
project).

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
    MI3      = log2(O**3 / E)                        (Daille 1994, in Oakes 1998; Hunston 2002)
    t-score  = (O - E) / sqrt(O)                     (Church et al. 1991; Hunston 2002, Gries 2010)
    logDice  = 14 + log2(2 * O / (f(node) + f(c)))   (Rychly 2008)

With a one-token window to the right (``left=0, right=1``) O is the bigram
count and R1 the number of the node's hits that have a token to their right.
NLTK's ``BigramCollocationFinder.from_words`` builds the same 2x2 table only
when no hit of the node is the last token of a sentence or text and windows
may cross sentences (``within_sentence=False``): NLTK takes R1 = the node's
whole frequency, counting a final hit that has no right neighbour, and its
bigrams run over sentence ends, where ours stop (the default). In that case,
and only then, O, E, MI, t-score and |G2| equal NLTK's
``BigramAssocMeasures`` (tested); otherwise R1, E and the measures differ.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information,
and lexicography. *Computational Linguistics* 16(1), 22-29.
Church, K., Gale, W., Hanks, P. & Hindle, D. (1991). Using statistics in lexical
analysis. In U. Zernik (ed.), *Lexical Acquisition*, 115-164. Erlbaum.
Daille, B. (1994). *Approche mixte pour l'extraction automatique de
terminologie : statistiques lexicales et filtres linguistiques*. PhD thesis,
Université Paris 7 (the cubed MI, MI3).
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
Oakes, M. P. (1998). *Statistics for Corpus Linguistics*. Edinburgh UP (MI3, after Daille 1994).
Rychlý, P. (2008). A lexicographer-friendly association score. *Proceedings of
RASLAN 2008*, 6-9.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import MAX_NGRAM, check_choice, check_int
from ..corpus.tokens import Tokens, positions_in
from ..counts import count_terms, select_documents, select_tokens, stop_word_list
from ..errors import ParameterError
from ..patterns import match_positions
from .association import association, log_dice

COLLOCATE_COLUMNS = ["collocate", "observed", "expected", "node_freq", "collocate_freq", "g2", "mi", "mi3",
                     "t_score", "log_dice"]
NGRAM_COLUMNS = ["ngram", "freq", "range", "g2", "mi", "t_score", "log_dice"]
COLLOCATE_MEASURES = ("g2", "mi", "mi3", "t_score", "log_dice", "observed", "expected", "collocate_freq")
NGRAM_MEASURES = ("freq", "range", "g2", "mi", "t_score", "log_dice")


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


def _sorted(table: pd.DataFrame, by: str, name_column: str) -> pd.DataFrame:
    out = table.sort_values([name_column], kind="stable")
    return out.sort_values(by, ascending=False, kind="stable", na_position="last").reset_index(drop=True)


def collocates(tokens: Tokens, docs: pd.DataFrame, node: str, *, left: int = 5, right: int = 5, min_count: int = 2,
               stop_words=None, within_sentence: bool = True, sort_by: str = "g2", all_versions: bool = False,
               prefer: str = "official", valuetype: str = "glob", hyphens: str = "loose",
               case_sensitive: bool = False) -> pd.DataFrame:
    """Collocates of a node word or phrase in a window of tokens, with association measures.

    The window of a hit covers ``left`` tokens before its first token and
    ``right`` tokens after its last; it stops at the document's edges and, with
    ``within_sentence=True``, at the sentence's. Windows of nearby hits that
    overlap are merged, so each token counts once (Evert 2008). The node's own
    tokens are not in its window, but may be in a neighbouring hit's.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    node : str
        A pattern (:mod:`rhetoric.patterns`), matched with the rules
        ``valuetype``, ``hyphens``, ``case_sensitive`` (:func:`rhetoric.patterns.match_positions`).
    left, right : int, default 5
        Window size in tokens on each side (``left=0, right=1``: the next word).
    min_count : int, default 2
        Keep collocates seen at least this often in the windows.
    stop_words : default None
        Collocates left out of the table (they still count in the totals); see
        :func:`rhetoric.counts.stop_word_list`.
    within_sentence : bool, default True
        Stop windows at sentence ends.
    sort_by : str, default "g2"
        Column to sort by, descending (ties: collocate A-Z).
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.

    Returns
    -------
    DataFrame
        ``collocate``, ``observed`` (O: its tokens in the windows), ``expected``
        (E = R1 * C1 / N; R1 tokens in all windows, C1 the collocate's
        frequency, N the tokens that count), ``node_freq`` (hits of the node),
        ``collocate_freq`` (C1), ``g2, mi, mi3, t_score, log_dice``.
        ``attrs`` records ``window_tokens`` (R1) and ``corpus_tokens`` (N).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = collocates(tokenize(docs), docs, "win-win", left=0, right=1, min_count=1)
    >>> table[["collocate", "observed"]].to_dict("records")
    [{'collocate': 'cooperation', 'observed': 4}]
    """
    left = check_int("left", left, minimum=0)
    right = check_int("right", right, minimum=0)
    if left + right == 0:
        raise ParameterError("left=0 and right=0 leave no window; use e.g. left=5, right=5.")
    min_count = check_int("min_count", min_count, minimum=1)
    check_choice("sort_by", sort_by, COLLOCATE_MEASURES)
    stop = stop_word_list(stop_words)
    chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
    sub = select_tokens(tokens, chosen)
    gs, ge, _ = match_positions(sub, [node], valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                                docs=chosen)
    if len(gs) == 0:
        return _empty(COLLOCATE_COLUMNS, ("collocate",), ("observed", "node_freq", "collocate_freq"))
    doc = np.searchsorted(sub.bounds, gs, side="right") - 1
    lo, hi = sub.bounds[doc], sub.bounds[doc + 1]
    if within_sentence:
        lo = np.maximum(lo, np.searchsorted(sub.sentence, sub.sentence[gs], side="left"))
        hi = np.minimum(hi, np.searchsorted(sub.sentence, sub.sentence[ge - 1], side="right"))
    starts, ends = _merge(np.concatenate([np.maximum(gs - left, lo), ge]),
                          np.concatenate([gs, np.minimum(ge + right, hi)]))
    positions = positions_in(starts, ends)
    observed = np.bincount(sub.ids[positions], minlength=len(sub.vocab))
    corpus = np.bincount(sub.ids, minlength=len(sub.vocab))
    keep = observed >= min_count
    if stop:
        keep &= ~np.isin(sub.vocab, np.array(sorted(stop), dtype=str))
    ids = np.flatnonzero(keep)
    o, c = observed[ids], corpus[ids]
    m = association(o, len(positions), c, sub.n_tokens)
    table = pd.DataFrame({
        "collocate": pd.Series(sub.vocab[ids], dtype=object), "observed": o.astype(np.int64),
        "expected": m["expected"], "node_freq": np.full(len(ids), len(gs), dtype=np.int64),
        "collocate_freq": c.astype(np.int64), "g2": m["g2"], "mi": m["mi"], "mi3": m["mi3"],
        "t_score": m["t_score"], "log_dice": log_dice(o, len(gs), c),
    })
    table = _sorted(table, sort_by, "collocate")
    table.attrs.update(window_tokens=int(len(positions)), corpus_tokens=int(sub.n_tokens), node=node, left=left,
                       right=right, within_sentence=within_sentence, all_versions=all_versions, prefer=prefer)
    return table


def _empty(columns, text_columns, int_columns) -> pd.DataFrame:
    table = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in columns})
    return table.astype({**{c: object for c in text_columns}, **{c: np.int64 for c in int_columns}})


def recurring_ngrams(tokens: Tokens, docs: pd.DataFrame, *, n: int = 2, min_count: int = 2, stop_words=None,
                     sort_by: str = "freq", all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """Recurring n-grams of the documents that count (inside sentences), with association measures for bigrams.

    For a bigram (w1, w2) the 2x2 table is over all bigram positions inside
    sentences (Evert 2005): O = f(w1 w2), R1 = bigrams starting with w1,
    C1 = bigrams ending with w2, N = bigram positions; then G², MI, t-score,
    and logDice = 14 + log2(2 * O / (R1 + C1)). For n >= 3 the association
    columns are NaN.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    n : int, default 2
    min_count : int, default 2
    stop_words : default None
        N-grams beginning or ending with one of these words are left out.
    sort_by : str, default "freq"
        ``freq, range, g2, mi, t_score, log_dice``, descending (ties: n-gram A-Z).
    all_versions, prefer
        See :func:`rhetoric.counts.select_documents`.

    Returns
    -------
    DataFrame
        ``ngram, freq, range`` (documents), ``g2, mi, t_score, log_dice``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> recurring_ngrams(tokenize(docs), docs, stop_words=True)[["ngram", "freq"]].head(1).to_dict("records")
    [{'ngram': 'china-kazakhstan relations', 'freq': 9}]
    """
    n = check_int("n", n, minimum=2, maximum=MAX_NGRAM)
    min_count = check_int("min_count", min_count, minimum=1)
    check_choice("sort_by", sort_by, NGRAM_MEASURES)
    counts = count_terms(tokens, docs, ngram_range=(n, n), stop_words=stop_words, min_count=min_count,
                         all_versions=all_versions, prefer=prefer)
    freq = np.asarray(counts.matrix.sum(axis=0)).ravel().astype(np.int64)
    in_range = np.asarray(counts.range_matrix.sum(axis=0)).ravel().astype(np.int64)
    nan = np.full(len(freq), np.nan)
    g2 = mi = t = ld = nan
    if n == 2 and len(freq):
        sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
        inside = sub.sentence[:-1] == sub.sentence[1:]
        first = np.bincount(sub.ids[:-1][inside], minlength=len(sub.vocab))
        second = np.bincount(sub.ids[1:][inside], minlength=len(sub.vocab))
        index = {w: i for i, w in enumerate(sub.vocab.tolist())}
        pairs = [term.split(" ") for term in counts.terms.tolist()]
        r1 = first[[index[a] for a, _ in pairs]]
        c1 = second[[index[b] for _, b in pairs]]
        m = association(freq, r1, c1, int(inside.sum()))
        g2, mi, t, ld = m["g2"], m["mi"], m["t_score"], log_dice(freq, r1, c1)
    table = pd.DataFrame({"ngram": pd.Series(counts.terms, dtype=object), "freq": freq, "range": in_range,
                          "g2": g2, "mi": mi, "t_score": t, "log_dice": ld})
    return _sorted(table, sort_by, "ngram")
