"""Lexical bundles: recurrent contiguous n-grams with frequency and range thresholds, maximal bundles.

A lexical bundle (Biber et al. 1999) is a sequence of words that recurs: here
every contiguous n-gram of ``min_n..max_n`` tokens inside one sentence that
occurs at least ``min_freq`` times in at least ``min_range`` documents. Raw
thresholds, not per-million ones: on a small corpus a per-million threshold is
meaningless.

How the counting scales (issue 8): n-grams are never strings while they are
counted. Level 1 gives every frequent token a compact id; an n-gram at position
``i`` is counted only where the (n-1)-gram at ``i`` and the (n-1)-gram at
``i + 1`` both survived the thresholds (frequency and range can only fall as an
n-gram grows, so nothing is lost: the Apriori principle), and it is encoded as
one int64, ``prefix_id * n_frequent_tokens + last_token_id``. The keys are
hash-partitioned into buckets of about a million (a radix sort of 16-bit bucket
numbers) and each bucket is sorted on its own, so the sorts stay in cache and
the time grows linearly with the corpus; distinct (key, document) pairs give the
range. Surviving n-grams get new compact ids for the next level. Memory is a few
integer arrays the length of the corpus; strings are built only for the bundles
in the result.

References
----------
Biber, D., Johansson, S., Leech, G., Conrad, S. & Finegan, E. (1999).
*Longman Grammar of Spoken and Written English*, ch. 13 (lexical bundles).
Agrawal, R. & Srikant, R. (1994). Fast algorithms for mining association rules.
*VLDB 1994* (the Apriori pruning).
Cortes, V. (2004). Lexical bundles in published and student disciplinary
writing. *English for Specific Purposes* 23(4), 397-423 (frequency and range
thresholds).
Chen, Y.-H. & Baker, P. (2010). Lexical bundles in L1 and L2 academic writing.
*Language Learning & Technology* 14(2), 30-49 (overlapping bundles: keeping the
longer one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ParameterError
from .frequency import stop_word_set
from .progress import progress_bar
from .tokens import Tokens

BUNDLE_COLUMNS = ["bundle", "n", "freq", "range", "subsumes"]
OCCURRENCE_COLUMNS = ["doc_id", "bundle", "token_start", "token_end"]
BUCKET_SIZE = 1 << 22
"""Keys per hash bucket when counting n-grams (bounds the size of each sort)."""
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class NgramLevel:
    """The surviving n-grams of one length ``n`` and where they occur.

    ``seqs[g]`` are the token ids of n-gram ``g``; ``freq[g]`` its occurrences;
    ``range[g]`` the number of documents it occurs in; ``pos`` (sorted) the
    corpus-wide start of every occurrence and ``gid`` the n-gram there.
    """

    n: int
    seqs: np.ndarray   # (n_grams, n) int32 token ids
    freq: np.ndarray   # (n_grams,) int64
    range: np.ndarray  # (n_grams,) int64
    pos: np.ndarray    # (n_occurrences,) int64, sorted
    gid: np.ndarray    # (n_occurrences,) int32


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(f"{name}={value!r} must be an integer >= {low}.")
    return int(value)


def _count_keys(keys: np.ndarray, docs: np.ndarray, *, min_freq: int, min_range: int,
                bucket_size: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Count distinct non-negative int64 ``keys`` (one per occurrence, in corpus order;
    ``docs`` the document number of each, non-decreasing).

    Returns the surviving keys (frequency >= min_freq and range >= min_range),
    their frequencies and ranges, and for every occurrence the index of its key
    among the survivors (-1 when dropped). Keys are hash-partitioned into
    buckets of about ``bucket_size`` (a radix sort of the bucket numbers); each
    bucket is sorted with the occurrence index packed into the low bits of the
    key, so one plain sort gives both the groups and the way back.
    """
    bucket_size = bucket_size or BUCKET_SIZE
    n = len(keys)
    out_gid = np.full(n, -1, dtype=np.int32)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return empty, empty, empty, out_gid
    n_buckets = -(-n // bucket_size)
    if n_buckets > 1:
        bits = int(np.ceil(np.log2(n_buckets)))
        n_buckets = 1 << bits
        bucket = ((keys.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - bits)).astype(np.uint16)
        order = np.argsort(bucket, kind="stable")  # radix sort: O(n); positions stay ascending
        edges = np.searchsorted(bucket[order], np.arange(n_buckets + 1), side="left")
        del bucket
    else:
        order = None
        edges = np.array([0, n])
    max_key = int(keys.max())
    kept_keys, kept_freq, kept_range = [], [], []
    next_id = 0
    for b in range(len(edges) - 1):
        lo, hi = int(edges[b]), int(edges[b + 1])
        if hi == lo:
            continue
        idx = order[lo:hi] if order is not None else None
        k = keys[idx] if idx is not None else keys
        size = hi - lo
        shift = max(int(size - 1).bit_length(), 1)
        if max_key < (1 << (62 - shift)):
            v = np.sort((k << shift) | np.arange(size, dtype=np.int64))
            k = v >> shift
            loc = v & ((1 << shift) - 1)
            del v
        else:  # keys too wide to pack the index beside them
            loc = np.argsort(k, kind="stable")
            k = k[loc]
        idx = idx[loc] if idx is not None else loc
        d = docs[idx]                      # within a key, occurrences (and so documents) ascend
        new_key = np.empty(size, dtype=bool)
        new_key[0] = True
        np.not_equal(k[1:], k[:-1], out=new_key[1:])
        new_pair = new_key.copy()
        new_pair[1:] |= d[1:] != d[:-1]
        starts = np.flatnonzero(new_key)
        freq = np.diff(np.append(starts, size))
        rng = np.add.reduceat(new_pair.astype(np.int64), starts)
        keep = (freq >= min_freq) & (rng >= min_range)
        n_keep = int(keep.sum())
        if n_keep:
            local = np.full(len(starts), -1, dtype=np.int32)
            local[keep] = np.arange(next_id, next_id + n_keep, dtype=np.int32)
            out_gid[idx] = np.repeat(local, freq)
            kept_keys.append(k[starts[keep]])
            kept_freq.append(freq[keep])
            kept_range.append(rng[keep])
            next_id += n_keep
    if not kept_keys:
        return empty, empty, empty, out_gid
    return (np.concatenate(kept_keys), np.concatenate(kept_freq).astype(np.int64),
            np.concatenate(kept_range).astype(np.int64), out_gid)


def ngram_levels(tokens: Tokens, *, max_n: int, min_freq: int = 1, min_range: int = 1,
                 progress: bool | None = None) -> list[NgramLevel]:
    """Every n-gram of length ``1..max_n`` inside a sentence that passes both thresholds.

    Parameters
    ----------
    tokens : Tokens
        The token store.
    max_n : int
        Longest n-gram.
    min_freq, min_range : int, default 1
        Minimum occurrences and minimum number of documents.
    progress : bool, optional
        Progress bar over the lengths (default: only in a terminal).

    Returns
    -------
    list of NgramLevel
        ``levels[n - 1]`` holds the surviving n-grams; the list stops early when
        a length has none.
    """
    ids = tokens.ids
    n_tok = len(ids)
    doc = tokens.doc_index.astype(np.int64)
    sentence = tokens.sentence
    levels: list[NgramLevel] = []
    keys, freq, rng, gid = _count_keys(ids.astype(np.int64), doc, min_freq=min_freq, min_range=min_range)
    first_tokens = keys.astype(np.int32)          # level-1 id -> token id
    tok1 = gid                                     # level-1 id of every token (-1: rare)
    pos = np.flatnonzero(gid >= 0)
    levels.append(NgramLevel(1, first_tokens[:, None], freq, rng, pos, gid[pos]))
    n1 = max(len(first_tokens), 1)
    gid_prev = gid
    for n in progress_bar(range(2, max_n + 1), desc="counting n-grams", unit="length", enable=progress):
        prev = levels[-1]
        p = prev.pos[prev.pos + 1 < n_tok]
        p = p[(gid_prev[p + 1] >= 0) & (sentence[p] == sentence[p + 1])]
        if len(p) == 0:
            break
        key = gid_prev[p].astype(np.int64) * n1 + tok1[p + n - 1]
        keys, freq, rng, g = _count_keys(key, doc[p], min_freq=min_freq, min_range=min_range)
        del key
        if len(keys) == 0:
            break
        seqs = np.hstack([prev.seqs[keys // n1], first_tokens[keys % n1][:, None]]).astype(np.int32)
        gid_prev = np.full(n_tok, -1, dtype=np.int32)
        gid_prev[p] = g
        hit = g >= 0
        levels.append(NgramLevel(n, seqs, freq, rng, p[hit], g[hit]))
    return levels


def join_types(vocab: np.ndarray, seqs: np.ndarray) -> np.ndarray:
    """Each row of token ids as one string, types joined by single spaces."""
    if len(seqs) == 0:
        return np.array([], dtype=object)
    words = vocab.astype(object)
    out = pd.Series(words[seqs[:, 0]])
    for j in range(1, seqs.shape[1]):
        out = out + " " + words[seqs[:, j]]
    return out.to_numpy(dtype=object)


def _seq_order(seqs: np.ndarray) -> np.ndarray:
    """Rank of each row of token ids in lexicographic order (ties impossible: rows are distinct)."""
    if len(seqs) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(seqs.T[::-1])
    rank = np.empty(len(seqs), dtype=np.int64)
    rank[order] = np.arange(len(seqs))
    return rank


def _maximal(levels: list[NgramLevel], kept: dict[int, np.ndarray], min_n: int, max_n: int, n_tok: int
             ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Drop bundles whose every occurrence lies inside occurrences of one longer kept bundle.

    Lengths are processed from the longest down, so the longer kept bundles are
    final when a length is examined. ``kept[n]`` (bool per n-gram of level n)
    is updated in place. Returns, per length n, the dropped n-gram ids and, for
    each, the packed id ``m << 32 | L`` of the bundle it is listed under.

    For bundle B of length n: (1) every occurrence must be covered by some
    longer kept occurrence (a running maximum of their end positions); (2) the
    kept bundles covering one occurrence of B are its only possible hosts
    (witnesses); (3) they are tried in the order shortest, most frequent, first
    in word order, and the first that covers every occurrence of B wins. A dense
    table (the kept bundle of each length starting at each position) makes each
    test one gather.
    """
    subsumed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    ranks: dict[int, np.ndarray] = {}
    base = min_n + 1
    dense = np.full((max_n - min_n, n_tok), -1, dtype=np.int32)   # row m - base: kept m-gram starting here
    flat = dense.reshape(-1)
    reach = np.full(n_tok, -1, dtype=np.int64)   # furthest end of a kept longer occurrence starting here
    for n in range(max_n - 1, min_n - 1, -1):
        m = n + 1                                # level m is final: index it
        lm = levels[m - 1]
        on = kept[m][lm.gid]
        at = lm.pos[on]
        dense[m - base, at] = lm.gid[on]
        reach[at] = np.maximum(reach[at], at + m)
        ranks[m] = _seq_order(lm.seqs)
        level = levels[n - 1]
        cand = kept[n].copy()
        if not cand.any():
            continue
        # 1. every occurrence covered by some longer kept occurrence?
        furthest = np.maximum.accumulate(reach)
        occ = cand[level.gid]
        p, g = level.pos[occ], level.gid[occ]
        cand &= np.bincount(g[furthest[p] < p + n], minlength=len(cand)) == 0
        if not cand.any():
            continue
        occ = cand[level.gid]
        p, g = level.pos[occ], level.gid[occ]
        # 2. witnesses: the kept bundles covering one occurrence of each candidate
        one = np.zeros(len(cand), dtype=np.int64)
        one[g] = p                               # any occurrence will do
        bs = np.flatnonzero(cand)
        p0 = one[bs]
        wb, wm, wl = [], [], []
        for mm in range(n + 1, max_n + 1):
            for off in range(mm - n + 1):
                q = p0 - off
                lid = np.where(q >= 0, dense[mm - base, np.maximum(q, 0)], -1)
                ok = lid >= 0
                wb.append(bs[ok])
                wm.append(np.full(int(ok.sum()), mm, dtype=np.int64))
                wl.append(lid[ok].astype(np.int64))
        wb, wm, wl = np.concatenate(wb), np.concatenate(wm), np.concatenate(wl)
        if len(wb) == 0:
            continue
        key = np.unique((wb << 36) | (wm << 32) | wl)  # distinct (B, L); ids fit: < 2**32 n-grams, m < 16
        wb, wm, wl = key >> 36, (key >> 32) & 0xF, key & 0xFFFFFFFF
        # offsets at which B sits inside L (more than one only when B repeats inside L)
        inside = np.zeros((len(wb), max_n - n + 1), dtype=bool)
        wfreq = np.zeros(len(wm), dtype=np.int64)
        wrank = np.zeros(len(wm), dtype=np.int64)
        for mm in np.unique(wm):
            sel = np.flatnonzero(wm == mm)
            wfreq[sel] = levels[mm - 1].freq[wl[sel]]
            wrank[sel] = ranks[mm][wl[sel]]
            lseq, bseq = levels[mm - 1].seqs[wl[sel]], level.seqs[wb[sel]]
            for off in range(mm - n + 1):
                inside[sel, off] = np.all(lseq[:, off:off + n] == bseq, axis=1)
        # L can hold at most freq(L) * (times B sits inside L) occurrences of B
        possible = wfreq * inside.sum(axis=1) >= level.freq[wb]
        wb, wm, wl, wfreq, wrank, inside = (x[possible] for x in (wb, wm, wl, wfreq, wrank, inside))
        if len(wb) == 0:
            continue
        order = np.lexsort((wrank, -wfreq, wm, wb))   # per B: shortest, most frequent, first in word order
        wb, wm, wl, inside = wb[order], wm[order], wl[order], inside[order]
        first_of_b = np.ones(len(wb), dtype=bool)
        first_of_b[1:] = wb[1:] != wb[:-1]
        turn = np.arange(len(wb)) - np.maximum.accumulate(np.where(first_of_b, np.arange(len(wb)), 0))
        w_first = np.argmax(inside, axis=1)
        w_more = inside.sum(axis=1) > 1
        # 3. try the witnesses in that order; the first that covers every occurrence wins
        resolved = np.full(len(cand), -1, dtype=np.int64)
        last_turn = np.zeros(len(cand), dtype=np.int64)
        np.maximum.at(last_turn, wb, turn)
        try_row = np.zeros(len(cand), dtype=np.int64)
        try_l = np.full(len(cand), -1, dtype=np.int64)
        try_off = np.zeros(len(cand), dtype=np.int64)
        for r in range(int(turn.max()) + 1):
            sel = np.flatnonzero(turn == r)
            sel = sel[resolved[wb[sel]] < 0]
            if len(sel) == 0:
                continue
            if r > 0:                                 # only occurrences of still-open bundles
                keep_occ = (resolved[g] < 0) & (last_turn[g] >= r)
                p, g = p[keep_occ], g[keep_occ]
            try_l[:] = -1
            b_sel = wb[sel]
            try_row[b_sel], try_l[b_sel], try_off[b_sel] = wm[sel] - base, wl[sel], w_first[sel]
            active = try_l[g] >= 0
            ap, ag = (p, g) if active.all() else (p[active], g[active])
            q = ap - try_off[ag]
            hit = flat[try_row[ag] * n_tok + np.maximum(q, 0)] == try_l[ag]
            hit &= q >= 0
            if w_more[sel].any():                     # B repeated inside L: try the other offsets
                w_of_b = np.zeros(len(cand), dtype=np.int64)
                w_of_b[b_sel] = sel
                idx = np.flatnonzero(~hit & w_more[w_of_b[ag]])
                w = w_of_b[ag[idx]]
                for off in range(max_n - n + 1):
                    sub = inside[w, off] & (ap[idx] - off >= 0)
                    j = idx[sub]
                    hit[j] |= dense[wm[w[sub]] - base, ap[j] - off] == wl[w[sub]]
            misses = np.bincount(ag[~hit], minlength=len(cand))
            won = b_sel[misses[b_sel] == 0]
            resolved[won] = ((try_row[won] + base) << 32) | try_l[won]
        dropped = np.flatnonzero(resolved >= 0)
        kept[n][dropped] = False
        subsumed[n] = (dropped, resolved[dropped])
    return subsumed


def lexical_bundles(tokens: Tokens, *, min_n: int = 2, max_n: int = 6, min_freq: int = 3, min_range: int = 2,
                    stop_words="english", maximal: bool = True, progress: bool | None = None) -> pd.DataFrame:
    """Lexical bundles: recurrent contiguous n-grams within sentences.

    An n-gram of ``min_n..max_n`` tokens is a bundle when it lies inside one
    sentence, occurs at least ``min_freq`` times (raw count) in at least
    ``min_range`` documents, and is not made only of stop words (stop words
    inside a bundle are fine: ``the belt and road``). With ``maximal=True`` a
    bundle ``B`` is dropped when there is one longer bundle ``L`` such that
    every occurrence of ``B`` lies inside an occurrence of ``L`` (``B`` never
    occurs on its own); ``B`` is then listed in ``L``'s ``subsumes`` column. Of
    several such ``L``, ``B`` goes to the shortest, then the most frequent, then
    the first in word order. Lengths are processed from the longest down, so a
    bundle is only ever listed under a bundle that is itself kept.

    Parameters
    ----------
    tokens : Tokens
        The token store (:func:`rhetoric.tokens.tokenize`).
    min_n, max_n : int, default 2 and 6
        Shortest and longest bundle, in tokens.
    min_freq : int, default 3
        Minimum number of occurrences (raw frequency).
    min_range : int, default 2
        Minimum number of documents the bundle occurs in.
    stop_words : None, True, str or iterable of str, default "english"
        Bundles made only of these words are dropped (see
        :func:`rhetoric.frequency.stop_word_set`: ``"english"`` is
        scikit-learn's list, ``True`` adds the project list, ``None`` keeps all).
    maximal : bool, default True
        Drop bundles that only ever occur inside one longer bundle.
    progress : bool, optional
        Progress bar (default: only in a terminal).

    Returns
    -------
    DataFrame
        ``bundle`` (types joined by spaces), ``n`` (tokens), ``freq`` (occurrences),
        ``range`` (documents), ``subsumes`` (the shorter bundles dropped in its
        favour, longest first then in alphabetical order, joined by ``"; "``;
        ``""`` if none). Sorted by ``freq`` descending, then ``n`` descending,
        then ``bundle``.

    Notes
    -----
    Frequency and range can only fall as an n-gram grows, so an n-gram is
    counted only where its (n-1)-gram prefix and suffix passed both thresholds
    (Apriori pruning); counting works on integer ids in hash buckets, never on
    strings, so memory and time grow linearly with the corpus.

    References
    ----------
    Biber et al. (1999), *Longman Grammar of Spoken and Written English*, ch. 13;
    Cortes (2004), *English for Specific Purposes* 23(4); Chen & Baker (2010),
    *Language Learning & Technology* 14(2).
    """
    min_n = _check_int("min_n", min_n, 1)
    max_n = _check_int("max_n", max_n, 1)
    if max_n < min_n:
        raise ParameterError(f"max_n={max_n} is smaller than min_n={min_n}; use e.g. min_n=2, max_n=6.")
    if max_n > 12:
        raise ParameterError(f"max_n={max_n} is too long for a bundle; use at most 12 (usually 6).")
    min_freq = _check_int("min_freq", min_freq, 1)
    min_range = _check_int("min_range", min_range, 1)
    stop = stop_word_set(stop_words)
    levels = ngram_levels(tokens, max_n=max_n, min_freq=min_freq, min_range=min_range, progress=progress)
    is_stop = np.isin(tokens.vocab, np.array(sorted(stop), dtype=str)) if stop else \
        np.zeros(len(tokens.vocab), dtype=bool)
    top = min(max_n, len(levels))
    kept = {}
    for n in range(min_n, max_n + 1):
        if n <= top:
            lv = levels[n - 1]
            kept[n] = ~np.all(is_stop[lv.seqs], axis=1) if len(lv.seqs) else np.zeros(0, dtype=bool)
    if not kept:
        return _empty_bundles()
    top_kept = max(kept)
    subsumed = _maximal(levels, kept, min_n, top_kept, tokens.n_tokens) if maximal and top_kept > min_n else {}
    strings = {n: join_types(tokens.vocab, levels[n - 1].seqs) for n in kept}
    under: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for n, (dropped, by) in subsumed.items():
        for b, packed in zip(dropped.tolist(), by.tolist()):
            under.setdefault((packed >> 32, packed & 0xFFFFFFFF), []).append((n, strings[n][b]))
    parts = []
    for n in sorted(kept):
        rows = np.flatnonzero(kept[n])
        lv = levels[n - 1]
        subs = [_join_subsumed(under.get((n, int(r)))) for r in rows] if under else [""] * len(rows)
        parts.append(pd.DataFrame({"bundle": strings[n][rows], "n": n, "freq": lv.freq[rows],
                                   "range": lv.range[rows], "subsumes": subs}))
    table = pd.concat(parts, ignore_index=True) if parts else _empty_bundles()
    table = table.astype({"bundle": object, "n": np.int64, "freq": np.int64, "range": np.int64, "subsumes": object})
    table = table.sort_values(["freq", "n", "bundle"], ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)[BUNDLE_COLUMNS]


def _join_subsumed(items) -> str:
    if not items:
        return ""
    return "; ".join(s for _, s in sorted(items, key=lambda t: (-t[0], t[1])))


def _empty_bundles() -> pd.DataFrame:
    return pd.DataFrame({"bundle": pd.Series([], dtype=object), "n": pd.Series([], dtype=np.int64),
                         "freq": pd.Series([], dtype=np.int64), "range": pd.Series([], dtype=np.int64),
                         "subsumes": pd.Series([], dtype=object)})


def parse_ngram(tokens: Tokens, ngram: str) -> list[int] | None:
    """Token ids of an n-gram written as types joined by spaces (as in :func:`lexical_bundles`).

    A type may itself contain a space (``$21.2 billion``): adjacent pieces are
    joined when the joined form is a type of the vocabulary. Returns None when a
    piece is not in the vocabulary (the n-gram cannot occur).
    """
    pieces = ngram.lower().split()
    vocab = tokens.vocab
    out, i = [], 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + 4), i, -1):
            word = " ".join(pieces[i:j])
            k = int(np.searchsorted(vocab, word))
            if k < len(vocab) and vocab[k] == word:
                out.append(k)
                i = j
                break
        else:
            return None
    return out


def find_sequences(tokens: Tokens, seqs: list) -> tuple[np.ndarray, np.ndarray]:
    """Every occurrence, inside one sentence, of each token-id sequence in ``seqs``.

    The sequences are compiled into a trie of prefixes (sorted int64 keys) and
    walked for all start positions at once, one token per step.

    Returns
    -------
    (positions, which) : two int64 arrays
        Corpus-wide start of each occurrence and the index in ``seqs`` of the
        sequence found there; sorted by position, then index.
    """
    seqs = [tuple(int(t) for t in s) for s in seqs]
    ids = tokens.ids
    n_tok = len(ids)
    width = max(len(tokens.vocab), 1)
    longest = max((len(s) for s in seqs), default=0)
    if longest == 0 or n_tok == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # prefix tables per depth: sorted keys parent * width + token -> prefix id
    prefix_ids: list[dict] = []
    tables = []
    for depth in range(1, longest + 1):
        table: dict[tuple, int] = {}
        for s in seqs:
            if len(s) >= depth and s[:depth] not in table:
                table[s[:depth]] = len(table)
        prefix_ids.append(table)
        parents = prefix_ids[depth - 2] if depth > 1 else None
        keys = np.array([(parents[p[:-1]] if parents is not None else 0) * width + p[-1] for p in table],
                        dtype=np.int64)
        values = np.array(list(table.values()), dtype=np.int64)
        o = np.argsort(keys)
        tables.append((keys[o], values[o]))
    ends: list[dict[int, list[int]]] = [dict() for _ in range(longest)]
    for i, s in enumerate(seqs):
        if s:
            ends[len(s) - 1].setdefault(prefix_ids[len(s) - 1][s], []).append(i)
    found_pos, found_which = [], []
    pos = np.arange(n_tok, dtype=np.int64)
    state = np.zeros(n_tok, dtype=np.int64)
    for depth in range(1, longest + 1):
        keys, values = tables[depth - 1]
        at = pos + depth - 1
        ok = at < n_tok
        pos, state, at = pos[ok], state[ok], at[ok]
        if depth > 1:
            same = tokens.sentence[pos] == tokens.sentence[at]
            pos, state, at = pos[same], state[same], at[same]
        key = state * width + ids[at]
        j = np.searchsorted(keys, key)
        jc = np.minimum(j, len(keys) - 1)
        hit = (j < len(keys)) & (keys[jc] == key)
        pos, state = pos[hit], values[jc[hit]]
        if len(pos) == 0:
            break
        for prefix, which in ends[depth - 1].items():
            at_end = pos[state == prefix]
            for w in which:
                found_pos.append(at_end)
                found_which.append(np.full(len(at_end), w, dtype=np.int64))
    if not found_pos:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    positions, which = np.concatenate(found_pos), np.concatenate(found_which)
    o = np.lexsort((which, positions))
    return positions[o], which[o]


def bundle_occurrences(tokens: Tokens, bundles) -> pd.DataFrame:
    """Where each bundle occurs, as token spans (inside one sentence, like the counts).

    Parameters
    ----------
    tokens : Tokens
        The token store the bundles were found in.
    bundles : DataFrame with a ``bundle`` column, or iterable of str
        Bundles as :func:`lexical_bundles` writes them (types joined by spaces).
        A bundle whose words are not in the vocabulary has no occurrences.

    Returns
    -------
    DataFrame
        ``doc_id, bundle, token_start, token_end``: one row per occurrence,
        token positions within the document (end exclusive), sorted by document
        order, position, then bundle order. The number of rows of a bundle
        equals its ``freq``. Pass it to :func:`rhetoric.kwic.kwic_for_spans`
        for concordance lines.
    """
    if isinstance(bundles, pd.DataFrame):
        if "bundle" not in bundles.columns:
            raise ParameterError(f"bundles has no 'bundle' column (it has: {', '.join(map(str, bundles.columns))}); "
                                 "pass the table lexical_bundles() returns or a list of strings.")
        names = bundles["bundle"].astype(str).tolist()
    elif isinstance(bundles, str):
        names = [bundles]
    else:
        names = [str(b) for b in bundles]
    parsed = [parse_ngram(tokens, b) for b in names]
    usable = [i for i, s in enumerate(parsed) if s]
    positions, which = find_sequences(tokens, [parsed[i] for i in usable])
    which = np.array(usable, dtype=np.int64)[which] if len(which) else which
    lengths = np.array([len(parsed[i]) if parsed[i] else 0 for i in range(len(names))], dtype=np.int64)
    doc = np.searchsorted(tokens.bounds, positions, side="right") - 1
    start = positions - tokens.bounds[doc]
    return pd.DataFrame({
        "doc_id": tokens.doc_ids[doc] if len(doc) else np.array([], dtype=str),
        "bundle": np.array(names, dtype=object)[which] if len(which) else np.array([], dtype=object),
        "token_start": start.astype(np.int64),
        "token_end": (start + lengths[which]).astype(np.int64),
    }).astype({"doc_id": object, "bundle": object})[OCCURRENCE_COLUMNS]
