"""Lexical bundles: recurrent contiguous n-grams with frequency and range thresholds; maximal bundles.

A lexical bundle (Biber et al. 1999) is a sequence of words that recurs: here
every contiguous n-gram of ``min_n..max_n`` tokens inside one sentence that
occurs at least ``min_count`` times in at least ``min_range`` documents (raw
thresholds: on a small corpus a per-million threshold means little), and is
not made only of stop words.

Counting, level by level: an n-gram is an integer code,
``factorize(code of its (n-1)-gram prefix * n_types + its last type)``, and is
counted only where its (n-1)-gram prefix and suffix both passed the
thresholds, since frequency and range can only fall as an n-gram grows (the
Apriori principle). Strings are made only for the bundles in the result.

References
----------
Biber, D., Johansson, S., Leech, G., Conrad, S. & Finegan, E. (1999).
*Longman Grammar of Spoken and Written English*, ch. 13 (lexical bundles).
Agrawal, R. & Srikant, R. (1994). Fast algorithms for mining association rules.
*VLDB 1994* (Apriori pruning).
Cortes, V. (2004). Lexical bundles in published and student disciplinary
writing. *English for Specific Purposes* 23(4), 397-423 (frequency and range).
Chen, Y.-H. & Baker, P. (2010). Lexical bundles in L1 and L2 academic writing.
*Language Learning & Technology* 14(2), 30-49 (overlapping bundles).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..checks import MAX_NGRAM, check_int
from ..corpus.tokens import Tokens
from ..counts import distinct_values, select_documents, select_tokens, stop_word_list
from ..errors import ParameterError
from ..patterns import match_each

BUNDLE_COLUMNS = ["bundle", "n", "freq", "range", "subsumes"]
OCCURRENCE_COLUMNS = ["doc_id", "bundle", "token_start", "token_end"]


@dataclass(frozen=True)
class NgramLevel:
    """The n-grams of one length that passed the thresholds, and where they occur.

    Ids are compact (``0 .. k-1``), in order of first occurrence.
    """

    n: int
    positions: np.ndarray   # corpus-wide start of every occurrence, sorted
    gram: np.ndarray        # id of the n-gram at each of those positions
    freq: np.ndarray        # occurrences of each id
    range: np.ndarray       # documents of each id
    seqs: np.ndarray        # (k, n) type ids of each id


def ngram_levels(tokens: Tokens, *, max_n: int, min_count: int = 1, min_range: int = 1) -> list[NgramLevel]:
    """N-grams of 1..max_n tokens inside sentences that occur ``min_count`` times in ``min_range`` documents."""
    doc_of = tokens.doc_index.astype(np.int64)
    width = max(len(tokens.vocab), 1)
    ids = tokens.ids.astype(np.int64)
    levels: list[NgramLevel] = []
    previous = None  # id of the kept (n-1)-gram starting at each position, -1 where none
    for n in range(1, min(max_n, tokens.n_tokens) + 1):
        count = tokens.n_tokens - n + 1
        if n == 1:
            where = np.arange(count, dtype=np.int64)
            key = ids
        else:
            ok = (previous[:count] >= 0) & (previous[1:count + 1] >= 0)
            ok &= tokens.sentence[:count] == tokens.sentence[n - 1:]
            where = np.flatnonzero(ok)
            key = previous[where] * width + ids[where + n - 1]
        code = pd.factorize(key)[0]
        n_codes = int(code.max()) + 1 if len(code) else 0
        freq = np.bincount(code, minlength=n_codes)
        in_range = np.bincount(distinct_values(doc_of[where] * n_codes + code) % n_codes if n_codes else code,
                               minlength=n_codes)
        kept = np.flatnonzero((freq >= min_count) & (in_range >= min_range))
        compact = np.full(n_codes, -1, dtype=np.int64)
        compact[kept] = np.arange(len(kept))
        gram = compact[code]
        stays = gram >= 0
        positions, gram = where[stays], gram[stays]
        first = np.zeros(len(kept), dtype=np.int64)
        first[gram[::-1]] = positions[::-1]  # the first occurrence of each id
        seqs = np.stack([ids[first + j] for j in range(n)], axis=1) if len(kept) else np.zeros((0, n), np.int64)
        levels.append(NgramLevel(n, positions, gram, freq[kept], in_range[kept], seqs))
        if not len(kept):
            break
        previous = np.full(tokens.n_tokens + 1, -1, dtype=np.int64)
        previous[positions] = gram
    return levels


def join_types(vocab: np.ndarray, seqs: np.ndarray) -> np.ndarray:
    """N-grams given as rows of type ids, as strings (types joined by spaces)."""
    words = np.asarray(vocab, dtype=object)
    out = words[seqs[:, 0]] if len(seqs) else np.array([], dtype=object)
    for j in range(1, seqs.shape[1] if len(seqs) else 0):
        out = out + " " + words[seqs[:, j]]
    return out


def _word_order(seqs: np.ndarray) -> np.ndarray:
    """Rank of each row of type ids in word order (the vocabulary is sorted, so id order is word order)."""
    order = np.lexsort(seqs.T[::-1]) if len(seqs) else np.zeros(0, dtype=np.int64)
    rank = np.empty(len(seqs), dtype=np.int64)
    rank[order] = np.arange(len(seqs))
    return rank


def _maximal(levels: list[NgramLevel], final: dict[int, np.ndarray], n_tokens: int
             ) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Drop each bundle whose every occurrence lies inside occurrences of one longer bundle still kept.

    Lengths go from the longest down, so the longer bundles are settled when a
    length is examined. A host must cover the bundle's first occurrence, so
    only the longer bundles found there are tried, each against every
    occurrence. Of several hosts, a bundle goes to the shortest, then the most
    frequent, then the first in word order. ``final`` is updated in place;
    returns ``{(m, host id): [(n, dropped id), ...]}``.
    """
    under: dict[tuple[int, int], list[tuple[int, int]]] = {}
    lengths = sorted(final)
    rank = {m: _word_order(levels[m - 1].seqs) for m in lengths}
    for n in lengths[::-1][1:]:
        level = levels[n - 1]
        bundles = np.flatnonzero(final[n])
        if not len(bundles):
            continue
        by_gram = np.argsort(level.gram, kind="stable")          # occurrences of each id, in corpus order
        occurrences = level.positions[by_gram]
        starts = np.concatenate([[0], np.cumsum(level.freq)])
        found_b, found_m, found_host = [], [], []
        for m in (m for m in lengths if m > n):
            host_level = levels[m - 1]
            at = np.full(n_tokens, -1, dtype=np.int32)              # the kept level-m bundle starting here
            hosting = final[m][host_level.gram]
            at[host_level.positions[hosting]] = host_level.gram[hosting]
            first = occurrences[starts[bundles]]
            pair_b, pair_host = [], []
            for offset in range(m - n + 1):                        # hosts over the first occurrence
                q = first - offset
                host = np.where(q >= 0, at[np.maximum(q, 0)], -1)
                pair_b.append(bundles[host >= 0])
                pair_host.append(host[host >= 0])
            pair_b, pair_host = np.concatenate(pair_b), np.concatenate(pair_host)
            # a host that occurs f times holds at most f * (m - n + 1) occurrences of b
            room = host_level.freq[pair_host] * (m - n + 1) >= level.freq[pair_b]
            pair_b, pair_host = pair_b[room], pair_host[room]
            if not len(pair_b):
                continue
            # every occurrence of b must lie inside an occurrence of the host: first a quick look at two of them
            for last in (True, False):
                position = occurrences[starts[pair_b] + (level.freq[pair_b] - 1 if last else level.freq[pair_b] // 2)]
                inside = np.zeros(len(pair_b), dtype=bool)
                for offset in range(m - n + 1):
                    q = position - offset
                    inside |= (q >= 0) & (at[np.maximum(q, 0)] == pair_host)
                pair_b, pair_host = pair_b[inside], pair_host[inside]
            freq = level.freq[pair_b]
            pair = np.repeat(np.arange(len(pair_b)), freq)
            position = occurrences[np.repeat(starts[pair_b], freq) + np.arange(len(pair)) - np.repeat(
                np.cumsum(freq) - freq, freq)]
            inside = np.zeros(len(pair), dtype=bool)
            for offset in range(m - n + 1):
                q = position - offset
                inside |= (q >= 0) & (at[np.maximum(q, 0)] == pair_host[pair])
            whole = np.bincount(pair, weights=inside, minlength=len(pair_b)) == freq
            found_b.append(pair_b[whole])
            found_m.append(np.full(int(whole.sum()), m, dtype=np.int64))
            found_host.append(pair_host[whole])
        if not found_b:
            continue
        cb, cm, ch = (np.concatenate(x) for x in (found_b, found_m, found_host))
        if not len(cb):
            continue
        host_freq = np.array([levels[m - 1].freq[h] for m, h in zip(cm.tolist(), ch.tolist())], dtype=np.int64)
        order_rank = np.array([rank[m][h] for m, h in zip(cm.tolist(), ch.tolist())], dtype=np.int64)
        best = np.lexsort((order_rank, -host_freq, cm, cb))  # per b: shortest, most frequent, first in word order
        take = best[np.r_[True, cb[best][1:] != cb[best][:-1]]]
        for dropped, m, h in zip(cb[take].tolist(), cm[take].tolist(), ch[take].tolist()):
            final[n][dropped] = False
            under.setdefault((m, h), []).append((n, dropped))
    return under


def lexical_bundles(tokens: Tokens, docs: pd.DataFrame, *, min_n: int = 2, max_n: int = 6, min_count: int = 3,
                    min_range: int = 2, stop_words=True, maximal: bool = True, all_versions: bool = False,
                    prefer: str = "official") -> pd.DataFrame:
    """Lexical bundles: recurrent contiguous n-grams within sentences.

    With ``maximal=True`` a bundle ``B`` is dropped when one longer bundle
    ``L`` holds every occurrence of ``B`` (``B`` never occurs on its own); ``B``
    is then listed in ``L``'s ``subsumes`` column. Of several such ``L``, ``B``
    goes to the shortest, then the most frequent, then the first in word order.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    min_n, max_n : int, default 2 and 6
        Shortest and longest bundle, in tokens (at most :data:`rhetoric.checks.MAX_NGRAM`).
    min_count : int, default 3
        Minimum number of occurrences.
    min_range : int, default 2
        Minimum number of documents.
    stop_words : default True
        Bundles made only of stop words are dropped (:func:`rhetoric.counts.stop_word_list`).
    maximal : bool, default True
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`): by
        default a translated text once, so two translations of one article do
        not make a range of two.

    Returns
    -------
    DataFrame
        ``bundle`` (types joined by spaces), ``n``, ``freq``, ``range``,
        ``subsumes`` (bundles dropped in its favour, longest first then A-Z,
        joined by ``"; "``). Sorted by freq descending, then n descending, then bundle.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> bundles = lexical_bundles(tokenize(docs), docs)
    >>> bundles[["bundle", "n", "freq", "range"]].head(1).to_dict("records")
    [{'bundle': 'and kazakhstan', 'n': 2, 'freq': 33, 'range': 4}]
    """
    min_n = check_int("min_n", min_n, minimum=1, maximum=MAX_NGRAM)
    max_n = check_int("max_n", max_n, minimum=min_n, maximum=MAX_NGRAM)
    min_count = check_int("min_count", min_count, minimum=1)
    min_range = check_int("min_range", min_range, minimum=1)
    stop = stop_word_list(stop_words)
    sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
    levels = ngram_levels(sub, max_n=max_n, min_count=min_count, min_range=min_range)
    is_stop = np.isin(sub.vocab, np.array(sorted(stop), dtype=str)) if stop else np.zeros(len(sub.vocab), bool)
    final = {lv.n: ~np.all(is_stop[lv.seqs], axis=1) for lv in levels if lv.n >= min_n and len(lv.seqs)}
    if not final:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("n", "freq", "range") else object)
                             for c in BUNDLE_COLUMNS})
    under = _maximal(levels, final, sub.n_tokens) if maximal else {}
    names = {n: join_types(sub.vocab, levels[n - 1].seqs) for n in final}
    rows = []
    for n, keep in final.items():
        level = levels[n - 1]
        for i in np.flatnonzero(keep).tolist():
            dropped = sorted(((n_b, names[n_b][b]) for n_b, b in under.get((n, i), [])), key=lambda x: (-x[0], x[1]))
            rows.append((names[n][i], n, int(level.freq[i]), int(level.range[i]), "; ".join(s for _, s in dropped)))
    table = pd.DataFrame(rows, columns=BUNDLE_COLUMNS).astype({"n": np.int64, "freq": np.int64, "range": np.int64})
    table = table.sort_values(["freq", "n", "bundle"], ascending=[False, False, True], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs.update(min_n=min_n, max_n=max_n, min_count=min_count, min_range=min_range, maximal=maximal,
                       n_docs=len(sub.doc_ids), all_versions=all_versions, prefer=prefer)
    return table


def bundle_occurrences(tokens: Tokens, docs: pd.DataFrame, bundles, *, all_versions: bool = False,
                       prefer: str = "official") -> pd.DataFrame:
    """Where each bundle occurs, as token spans (inside one sentence, like the counts).

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    bundles : DataFrame with a ``bundle`` column, or iterable of str
        Bundles as :func:`lexical_bundles` writes them (types joined by spaces),
        looked up as exact token sequences (:mod:`rhetoric.patterns`,
        ``valuetype="fixed"``, ``hyphens="strict"``).
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        ``doc_id, bundle, token_start, token_end``: one row per occurrence
        (positions in the document, end exclusive), sorted by document order,
        position, then bundle order. A bundle has as many rows as its ``freq``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> len(bundle_occurrences(tokenize(docs), docs, ["china and kazakhstan"]))
    30
    """
    if isinstance(bundles, pd.DataFrame):
        if "bundle" not in bundles.columns:
            raise ParameterError(f"bundles has no 'bundle' column (it has: {', '.join(map(str, bundles.columns))}); "
                                 "pass the table lexical_bundles() returns or a list of strings.")
        names = bundles["bundle"].astype(str).tolist()
    else:
        names = [bundles] if isinstance(bundles, str) else [str(b) for b in bundles]
    sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
    start, end, which = match_each(sub, names, valuetype="fixed", hyphens="strict")
    doc = np.searchsorted(sub.bounds, start, side="right") - 1
    return pd.DataFrame({
        "doc_id": pd.Series(sub.doc_ids[doc], dtype=object),
        "bundle": pd.Series(np.asarray(names, dtype=object)[which], dtype=object),
        "token_start": (start - sub.bounds[doc]).astype(np.int64),
        "token_end": (end - sub.bounds[doc]).astype(np.int64),
    })[OCCURRENCE_COLUMNS]
