"""Lexical diversity per document: TTR, moving-average TTR (MATTR) and MTLD.

With ``N`` word tokens and ``V`` distinct types::

    TTR   = V / N                                          (depends on length: longer texts score lower)
    MATTR = mean over every window of W consecutive tokens of V_window / W
            (windows start at 0, 1, ..., N - W; Covington & McFall 2010)
    MTLD  = mean of a forward and a backward pass; a pass reads the tokens in
            order keeping the TTR of the current stretch; when it falls to the
            threshold (TTR <= 0.72 by default) a factor is complete and a new
            stretch starts. The stretch left at the end counts as the partial
            factor (1 - TTR) / (1 - threshold). MTLD_pass = N / factors
            (McCarthy & Jarvis 2010; a pass without any repetition counts one
            factor, so MTLD = N)

MATTR and MTLD do not fall with text length as TTR does, so documents of
different lengths can be compared. Which tokens are words: those whose type
holds a letter, without the clitic ``'s``; numbers and the signs ``$ % ...``
are left out (quanteda's ``textstat_lexdiv`` drops numbers, punctuation and
symbols too). Types are the token store's (lower case; with
:func:`rhetoric.corpus.lemmas.lemmatize` they are lemmas).

A translated text measures its translator as much as its author: the
diversity of an English translation is the diversity of the translator's
English (two translations of one speech can differ more than two speeches).

References
----------
Covington, M. A. & McFall, J. D. (2010). Cutting the Gordian knot: the
moving-average type-token ratio (MATTR). *Journal of Quantitative Linguistics*
17(2), 94-100.
McCarthy, P. M. & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: a validation study
of sophisticated approaches to lexical diversity assessment. *Behavior Research
Methods* 42(2), 381-392.
Benoit, K. et al. (2018). quanteda, ``textstat_lexdiv``. *JOSS* 3(30), 774.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..checks import check_int, check_number
from ..corpus.tokens import Tokens
from ..counts import select_documents, select_tokens

DIVERSITY_COLUMNS = ["doc_id", "n_words", "n_types", "ttr", "mattr", "mtld"]
_LETTER = re.compile(r"[^\W\d_]")


def word_types(vocab) -> np.ndarray:
    """Which types are words for diversity and readability: a letter in them, and not the clitic ``'s``.

    Examples
    --------
    >>> word_types(np.array(["china", "'s", "21.2", "$", "win-win", "k.k", "2nd"], dtype=object)).tolist()
    [True, False, False, False, True, True, True]
    """
    return np.array([bool(_LETTER.search(v)) and v != "'s" for v in np.asarray(vocab, dtype=object).tolist()],
                    dtype=bool)


def _codes(words) -> np.ndarray:
    """Integer codes of a sequence of tokens (equal tokens, equal codes)."""
    if isinstance(words, np.ndarray) and words.dtype.kind in "iu":
        return words.astype(np.int64)
    return pd.factorize(np.asarray(list(words), dtype=object))[0].astype(np.int64)


def ttr(words) -> float:
    """Type-token ratio V / N of a sequence of tokens (NaN when empty).

    Examples
    --------
    >>> ttr("the cat saw the dog".split())
    0.8
    """
    codes = _codes(words)
    return float(len(np.unique(codes)) / len(codes)) if len(codes) else float("nan")


def mattr(words, *, window: int = 100) -> float:
    """Moving-average type-token ratio over every window of ``window`` consecutive tokens.

    Computed in one pass: a token at position j is new in the windows starting
    after the previous occurrence of its type (and at most j, at least j - W + 1),
    so the sum of the windows' type counts is a sum over tokens. NaN when the
    sequence is shorter than the window.

    Examples
    --------
    >>> mattr("a b a c".split(), window=2)  # windows ab, ba, ac: (2 + 2 + 2) / (3 * 2)
    1.0
    >>> round(mattr("a a b a".split(), window=3), 4)  # aab, aba: (2 + 2) / (2 * 3)
    0.6667
    """
    window = check_int("window", window, minimum=1)
    codes = _codes(words)
    n = len(codes)
    if n < window:
        return float("nan")
    order = np.argsort(codes, kind="stable")
    previous = np.full(n, -1, dtype=np.int64)
    same = codes[order[1:]] == codes[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    j = np.arange(n, dtype=np.int64)
    low = np.maximum(np.maximum(j - window + 1, 0), previous + 1)
    high = np.minimum(j, n - window)
    total = np.maximum(high - low + 1, 0).sum()
    return float(total / (window * (n - window + 1)))


def _mtld_pass(codes: list, threshold: float) -> float:
    seen: set = set()
    count = 0
    factors = 0.0
    for code in codes:
        count += 1
        seen.add(code)
        if len(seen) / count <= threshold:
            factors += 1
            seen = set()
            count = 0
    if count:
        factors += (1 - len(seen) / count) / (1 - threshold)
    if factors == 0:  # no repetition at all: one whole factor
        factors = 1.0
    return len(codes) / factors


def mtld(words, *, threshold: float = 0.72) -> float:
    """Measure of textual lexical diversity (McCarthy & Jarvis 2010), mean of the forward and backward passes.

    Parameters
    ----------
    words : sequence
        Tokens (strings or integer codes), in text order.
    threshold : float, default 0.72
        The TTR at which a factor is complete (McCarthy & Jarvis recommend 0.66-0.75).

    Returns
    -------
    float
        NaN for an empty sequence.

    Examples
    --------
    Forward over ``a b a b``: the TTR runs 1, 1, 0.67 (<= 0.72: one factor
    after three tokens); ``b`` is left, TTR 1, a partial factor of 0; so
    forward = 4 / 1. Backward ``b a b a`` alike: MTLD = 4.

    >>> mtld("a b a b".split())
    4.0
    """
    threshold = check_number("threshold", threshold, minimum=0, maximum=1, open_interval=True)
    codes = _codes(words).tolist()
    if not codes:
        return float("nan")
    return (_mtld_pass(codes, threshold) + _mtld_pass(codes[::-1], threshold)) / 2


def lexical_diversity(tokens: Tokens, docs: pd.DataFrame, *, window: int = 100, threshold: float = 0.72,
                      all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """TTR, MATTR and MTLD of each document's words.

    Parameters
    ----------
    tokens, docs
        The token store (word forms, or lemmas from
        :func:`rhetoric.corpus.lemmas.lemmatize`) and the documents table.
    window : int, default 100
        MATTR window in tokens (quanteda's default; Covington & McFall used 500);
        a document with fewer words gets NaN.
    threshold : float, default 0.72
        MTLD factor threshold.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`); with
        ``all_versions=True`` both translations of a text are measured.

    Returns
    -------
    DataFrame
        ``doc_id, n_words, n_types, ttr, mattr, mtld``, one row per document in
        corpus order. ``attrs`` records the options.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = lexical_diversity(tokenize(docs), docs, all_versions=True)
    >>> table.set_index("doc_id").loc["xi2022_xinhua", ["n_words", "n_types"]].tolist()
    [1499, 618]
    """
    window = check_int("window", window, minimum=1)
    threshold = check_number("threshold", threshold, minimum=0, maximum=1, open_interval=True)
    sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
    is_word = word_types(sub.vocab)
    rows = []
    for i, doc_id in enumerate(sub.doc_ids.tolist()):
        ids = sub.ids[sub.bounds[i]:sub.bounds[i + 1]].astype(np.int64)
        ids = ids[is_word[ids]]
        rows.append({"doc_id": doc_id, "n_words": len(ids), "n_types": len(np.unique(ids)),
                     "ttr": ttr(ids), "mattr": mattr(ids, window=window), "mtld": mtld(ids, threshold=threshold)})
    table = pd.DataFrame(rows, columns=DIVERSITY_COLUMNS).astype({"doc_id": object, "n_words": np.int64,
                                                                   "n_types": np.int64, "ttr": float,
                                                                   "mattr": float, "mtld": float})
    table.attrs.update(window=window, threshold=threshold, all_versions=all_versions, prefer=prefer,
                       lemmas=bool(sub.settings.get("lemmas")),
                       caveat="a translated text measures its translator's English as much as its author's")
    return table
