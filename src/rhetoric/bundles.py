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
sorted in place with the occurrence index packed into their low bits (one
plain sort gives the groups and the way back to the positions); above
:data:`BUCKET_SIZE` keys they are first hash-partitioned into buckets (a radix
sort of 16-bit bucket numbers) sorted one by one. Distinct (key, document) pairs give the range. Surviving n-grams get new
compact ids for the next level. Memory is a few integer arrays the length of
the corpus (``int32`` positions); strings are built only for the bundles in the
result. The maximal-bundle step needs positions only for the few bundles whose
host cannot be read off the n-gram tables (see :func:`_maximal`).

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

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .errors import ParameterError
from .frequency import stop_word_set
from .progress import progress_bar
from .tokens import Tokens

BUNDLE_COLUMNS = ["bundle", "n", "freq", "range", "subsumes"]
OCCURRENCE_COLUMNS = ["doc_id", "bundle", "token_start", "token_end"]
BUCKET_SIZE = 1 << 25
"""Most keys sorted at once when counting n-grams; more are hash-partitioned into buckets first
(measured: one in-place sort of up to tens of millions of keys beats partitioning them)."""
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class NgramLevel:
    """The surviving n-grams of one length ``n`` and where they occur.

    ``seqs[g]`` are the token ids of n-gram ``g``; ``freq[g]`` its occurrences;
    ``range[g]`` the number of documents it occurs in; ``first[g]`` where it
    first occurs (corpus-wide token position). Where every occurrence is: in
    ``at`` (the n-gram starting at each token position, -1 where none: 4 bytes
    a token) when most positions start one, else in ``sparse`` (sorted
    positions and their n-grams); see :meth:`occurrences`.
    """

    n: int
    seqs: np.ndarray   # (n_grams, n) int32 token ids
    freq: np.ndarray   # (n_grams,) int64
    range: np.ndarray  # (n_grams,) int64
    first: np.ndarray  # (n_grams,) int64
    at: np.ndarray | None = None                               # (n_tokens,) int32
    sparse: tuple[np.ndarray, np.ndarray] | None = None        # (positions, ids)

    def occurrences(self, wanted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(positions, ids)`` of every occurrence (only of the n-grams where ``wanted`` is True), sorted."""
        if self.sparse is not None:
            pos, gid = self.sparse
            if wanted is None:
                return pos, gid
            keep = wanted[gid]
            return pos[keep], gid[keep]
        if self.at is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
        mask = self.at >= 0 if wanted is None else np.append(wanted, False)[self.at]
        pos = _positions(mask)
        return pos, self.at[pos]


def _positions(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` as int32 (int64 for huge arrays), in blocks to bound the int64 temporaries."""
    if len(mask) >= np.iinfo(np.int32).max - 16:
        return np.flatnonzero(mask)
    block = 1 << 22
    parts = [(np.flatnonzero(mask[a:a + block]) + a).astype(np.int32) for a in range(0, len(mask), block)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _level(n: int, seqs, freq, rng, first, dense: np.ndarray, p: np.ndarray, g: np.ndarray) -> NgramLevel:
    """A level stored densely (``dense``) or sparsely (``p, g`` where ``g >= 0``), whichever is smaller."""
    hit = g >= 0
    if 2 * int(hit.sum()) > len(dense):
        return NgramLevel(n, seqs, freq, rng, first, at=dense)
    return NgramLevel(n, seqs, freq, rng, first, sparse=(p[hit], g[hit]))


def _check_int(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ParameterError(f"{name}={value!r} must be an integer >= {low}.")
    return int(value)


def _count_keys(keys: np.ndarray, docs: np.ndarray, *, min_freq: int, min_range: int,
                bucket_size: int | None = None) -> tuple[np.ndarray, ...]:
    """Count distinct non-negative int64 ``keys`` (one per occurrence, in corpus order;
    ``docs`` the document number of each, non-decreasing). ``keys`` is used as
    scratch space and overwritten.

    Returns the surviving keys (frequency >= min_freq and range >= min_range),
    their frequencies and ranges, the index of each one's first occurrence, and
    for every occurrence the index of its key among the survivors (-1 when
    dropped). Keys are hash-partitioned into
    buckets of about ``bucket_size`` (a radix sort of the bucket numbers); each
    bucket is sorted with the occurrence index packed into the low bits of the
    key, so one plain sort gives both the groups and the way back.
    """
    bucket_size = bucket_size or BUCKET_SIZE
    n = len(keys)
    out_gid = np.full(n, -1, dtype=np.int32)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        return empty, empty, empty, empty, out_gid
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
    kept_keys, kept_freq, kept_range, kept_first = [], [], [], []
    next_id = 0
    for b in range(len(edges) - 1):
        lo, hi = int(edges[b]), int(edges[b + 1])
        if hi == lo:
            continue
        idx = order[lo:hi] if order is not None else None
        k = keys[idx] if idx is not None else keys   # without buckets: ``keys`` itself is overwritten
        size = hi - lo
        shift = max(int(size - 1).bit_length(), 1)
        if max_key < (1 << (62 - shift)):            # pack the occurrence index beside the key, sort in place
            k <<= shift
            for a in range(0, size, 1 << 22):                  # in blocks: no full-size temporary
                k[a:a + (1 << 22)] |= np.arange(a, min(a + (1 << 22), size), dtype=np.int64)
            k.sort()
            loc = np.empty(size, dtype=np.int32 if size < 2**31 else np.int64)
            np.bitwise_and(k, (1 << shift) - 1, out=loc, casting="unsafe")
            k >>= shift
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
        rng = np.add.reduceat(new_pair, starts, dtype=np.int64)
        keep = (freq >= min_freq) & (rng >= min_range)
        n_keep = int(keep.sum())
        if n_keep:
            local = np.full(len(starts), -1, dtype=np.int32)
            local[keep] = np.arange(next_id, next_id + n_keep, dtype=np.int32)
            out_gid[idx] = np.repeat(local, freq)
            kept_keys.append(k[starts[keep]])
            kept_freq.append(freq[keep])
            kept_range.append(rng[keep])
            kept_first.append(idx[starts[keep]])   # smallest index of the group: the first occurrence
            next_id += n_keep
    if not kept_keys:
        return empty, empty, empty, empty, out_gid
    return (np.concatenate(kept_keys), np.concatenate(kept_freq).astype(np.int64),
            np.concatenate(kept_range).astype(np.int64), np.concatenate(kept_first).astype(np.int64), out_gid)


def ngram_levels(tokens: Tokens, *, max_n: int, min_freq: int = 1, min_range: int = 1,
                 progress: bool | None = None, occurrences_from: int = 1) -> list[NgramLevel]:
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
    occurrences_from : int, default 1
        Keep ``pos`` and ``gid`` only for lengths from this one on (shorter
        levels get empty arrays once the next length is counted: less memory).

    Returns
    -------
    list of NgramLevel
        ``levels[n - 1]`` holds the surviving n-grams; the list stops early when
        a length has none.
    """
    ids = tokens.ids
    n_tok = len(ids)
    sentence = tokens.sentence
    levels: list[NgramLevel] = []
    doc_of = tokens.doc_index                     # document number of every token
    keys, freq, rng, first, gid = _count_keys(ids.astype(np.int64), doc_of, min_freq=min_freq, min_range=min_range)
    first_tokens = keys.astype(np.int32)          # level-1 id -> token id
    tok1 = gid                                     # level-1 id of every token (-1: rare)
    everywhere = np.arange(n_tok, dtype=np.int32 if n_tok < 2**31 - 16 else np.int64)
    levels.append(_level(1, first_tokens[:, None], freq, rng, first, gid, everywhere, gid))
    del everywhere
    n1 = max(len(first_tokens), 1)
    gid_prev = gid                                 # the previous level, densely
    for n in progress_bar(range(2, max_n + 1), desc="counting n-grams", unit="length", enable=progress):
        prev = levels[-1]
        p, key = prev.occurrences()
        end = np.searchsorted(p, n_tok - 1)                         # a next token exists
        p, key = p[:end], key[:end]
        # the (n-1)-gram at p + 1 survived too; for n = 2 it must also be in p's sentence (for n > 2 the
        # (n-1)-gram at p already spans p and p + 1, so they share a sentence)
        ok = gid_prev[p + 1] >= 0
        if n == 2:
            ok &= sentence[p] == sentence[p + 1]
        p, key = p[ok], key[ok].astype(np.int64)
        del ok
        if len(p) == 0:
            break
        key *= n1
        key += tok1[p + (n - 1)]
        keys, freq, rng, first, g = _count_keys(key, doc_of[p], min_freq=min_freq, min_range=min_range)
        del key
        if len(keys) == 0:
            break
        seqs = np.hstack([prev.seqs[keys // n1], first_tokens[keys % n1][:, None]]).astype(np.int32)
        gid_prev = np.full(n_tok, -1, dtype=np.int32)
        gid_prev[p] = g
        levels.append(_level(n, seqs, freq, rng, p[first].astype(np.int64), gid_prev, p, g))
        del p, g
        if n - 1 < occurrences_from:
            levels[n - 2] = _without_occurrences(levels[n - 2])
    return levels


def _without_occurrences(level: NgramLevel) -> NgramLevel:
    return replace(level, at=None, sparse=None)


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


def _match_rows(table: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index of each row of ``queries`` in ``table`` (rows of token ids; -1 where absent)."""
    if len(table) == 0 or len(queries) == 0:
        return np.full(len(queries), -1, dtype=np.int64)
    both = np.vstack([table, queries])
    order = np.lexsort(both.T[::-1])
    rows = both[order]
    new = np.ones(len(rows), dtype=bool)
    new[1:] = np.any(rows[1:] != rows[:-1], axis=1)
    group = np.empty(len(both), dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    owner = np.full(int(group.max()) + 1, -1, dtype=np.int64)
    owner[group[:len(table)]] = np.arange(len(table))
    return owner[group[len(table):]]


def _maximal(levels: list[NgramLevel], kept: dict[int, np.ndarray], min_n: int, max_n: int, n_tok: int
             ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Drop bundles whose every occurrence lies inside occurrences of one longer kept bundle.

    Lengths are processed from the longest down, so the longer kept bundles are
    final when a length is examined. ``kept[n]`` (bool per n-gram of level n)
    is updated in place, and the occurrence arrays of ``levels`` above
    ``min_n`` are emptied (replaced by a dense table) to save memory. Returns,
    per length n, the dropped n-gram ids and, for each, the packed id
    ``m << 32 | L`` of the bundle it is listed under.

    Hosts are ranked shortest first, then most frequent, then in word order.
    For bundle B of length n:

    1. Its possible hosts are the kept bundles covering its first occurrence
       (the witnesses), and a host L can hold at most ``freq(L) * c``
       occurrences of B (c = times B sits inside L), which must reach freq(B).
    2. A chain host needs no positions: if every occurrence of B continues with
       the same word (the (n+1)-gram B+w has B's frequency) or follows the same
       word, that (n+1)-gram covers all of B, and so does its own host. The
       best such chain host H covers every occurrence by construction.
    3. Witnesses ranked before H (all of them if there is no H) are tried in
       rank order against every occurrence of B (one gather each, in a dense
       table of the kept bundle starting at each position); the first that
       covers them all wins, else H.
    """
    subsumed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    base = min_n + 1
    # global rank of every possible host: shortest, most frequent, first in word order
    grank: dict[int, np.ndarray] = {}
    ms, fs, rs, ids = [], [], [], []
    for m in range(base, max_n + 1):
        k = np.flatnonzero(kept[m])
        ms.append(np.full(len(k), m)); fs.append(-levels[m - 1].freq[k])
        rs.append(_seq_order(levels[m - 1].seqs)[k]); ids.append(k)
        grank[m] = np.full(len(kept[m]), np.iinfo(np.int64).max, dtype=np.int64)
    if ids:
        all_m, all_id = np.concatenate(ms), np.concatenate(ids)
        order = np.lexsort((np.concatenate(rs), np.concatenate(fs), all_m))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        for m in range(base, max_n + 1):
            at = all_m == m
            grank[m][all_id[at]] = position[at]
    dense = np.full((max_n - min_n, n_tok), -1, dtype=np.int32)   # row m - base: kept m-gram starting here
    flat = dense.reshape(-1)
    host: dict[int, np.ndarray] = {}      # per level: packed final host of each n-gram (-1: none)
    NONE = np.iinfo(np.int64).max
    for n in range(max_n - 1, min_n - 1, -1):
        m = n + 1                          # level m is final: index it
        lm = levels[m - 1]
        if lm.at is not None:
            np.copyto(dense[m - base], lm.at, where=np.append(kept[m], False)[lm.at])
        else:
            pos, gid = lm.sparse
            on = kept[m][gid]
            dense[m - base, pos[on]] = gid[on]
            del on, pos, gid
        levels[m - 1] = _without_occurrences(lm)
        host_m = np.full(len(kept[m]), -1, dtype=np.int64)
        own = np.flatnonzero(kept[m])
        host_m[own] = (m << 32) | own
        if m in subsumed:
            host_m[subsumed[m][0]] = subsumed[m][1]
        host[m] = host_m
        level = levels[n - 1]
        cand = kept[n].copy()
        if not cand.any():
            continue

        def rank_of(packed):
            out = np.full(len(packed), NONE, dtype=np.int64)
            for mm in np.unique(packed[packed >= 0] >> 32):
                sel = (packed >= 0) & ((packed >> 32) == mm)
                out[sel] = grank[int(mm)][packed[sel] & 0xFFFFFFFF]
            return out

        # 2. chain hosts through the (n+1)-grams that hold every occurrence of B
        chain = np.full(len(cand), -1, dtype=np.int64)
        chain_rank = np.full(len(cand), NONE, dtype=np.int64)
        for part in (lm.seqs[:, :-1], lm.seqs[:, 1:]):          # B + w, then w + B
            b = _match_rows(level.seqs, part)
            x = np.flatnonzero((b >= 0) & (lm.freq == level.freq[np.maximum(b, 0)]))
            h = host_m[x]
            x, h, b = x[h >= 0], h[h >= 0], b[x[h >= 0]]
            r = rank_of(h)
            better = r < chain_rank[b]
            chain[b[better]], chain_rank[b[better]] = h[better], r[better]
        # 1. witnesses: kept bundles covering the first occurrence
        bs = np.flatnonzero(cand)
        p0 = level.first[bs]
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
        key = np.unique((wb << 36) | (wm << 32) | wl)  # distinct (B, L); B < 2**27 n-grams, m < 16
        wb, wm, wl = key >> 36, (key >> 32) & 0xF, key & 0xFFFFFFFF
        wrank = rank_of((wm << 32) | wl)
        # only witnesses ranked before the chain host need testing
        worth = wrank < chain_rank[wb]
        wb, wm, wl, wrank = wb[worth], wm[worth], wl[worth], wrank[worth]
        inside = np.zeros((len(wb), max_n - n + 1), dtype=bool)
        wfreq = np.zeros(len(wb), dtype=np.int64)
        for mm in np.unique(wm):
            sel = np.flatnonzero(wm == mm)
            wfreq[sel] = levels[mm - 1].freq[wl[sel]]
            lseq, bseq = levels[mm - 1].seqs[wl[sel]], level.seqs[wb[sel]]
            for off in range(mm - n + 1):
                inside[sel, off] = np.all(lseq[:, off:off + n] == bseq, axis=1)
        possible = wfreq * inside.sum(axis=1) >= level.freq[wb]
        wb, wm, wl, wrank, inside = wb[possible], wm[possible], wl[possible], wrank[possible], inside[possible]
        resolved = np.where(cand, chain, -1)
        if len(wb):
            # 3. test in rank order; the first host covering every occurrence wins
            order = np.lexsort((wrank, wb))
            wb, wm, wl, inside = wb[order], wm[order], wl[order], inside[order]
            first_of_b = np.ones(len(wb), dtype=bool)
            first_of_b[1:] = wb[1:] != wb[:-1]
            turn = np.arange(len(wb)) - np.maximum.accumulate(np.where(first_of_b, np.arange(len(wb)), 0))
            w_first = np.argmax(inside, axis=1)
            w_more = inside.sum(axis=1) > 1
            open_b = np.zeros(len(cand), dtype=bool)
            open_b[wb] = True
            p, g = level.occurrences(open_b)
            found = np.zeros(len(cand), dtype=bool)
            last_turn = np.zeros(len(cand), dtype=np.int64)
            np.maximum.at(last_turn, wb, turn)
            try_row = np.zeros(len(cand), dtype=np.int64)
            try_l = np.full(len(cand), -1, dtype=np.int64)
            try_off = np.zeros(len(cand), dtype=np.int64)
            for r in range(int(turn.max()) + 1):
                sel = np.flatnonzero(turn == r)
                sel = sel[~found[wb[sel]]]
                if len(sel) == 0:
                    continue
                if r > 0:                                 # only occurrences of still-open bundles
                    keep_occ = ~found[g] & (last_turn[g] >= r)
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
                found[won] = True
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
    levels = ngram_levels(tokens, max_n=max_n, min_freq=min_freq, min_range=min_range, progress=progress,
                          occurrences_from=min_n)
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
    listed = {n: k.copy() for n, k in kept.items()}
    subsumed = _maximal(levels, kept, min_n, top_kept, tokens.n_tokens) if maximal and top_kept > min_n else {}
    strings = {}
    for n in kept:   # strings only for bundles that are kept or listed
        strings[n] = np.full(len(levels[n - 1].seqs), "", dtype=object)
        named = np.flatnonzero(listed[n])
        strings[n][named] = join_types(tokens.vocab, levels[n - 1].seqs[named])
    parts = []
    for n in sorted(kept):
        rows = np.flatnonzero(kept[n])
        lv = levels[n - 1]
        parts.append(pd.DataFrame({"bundle": strings[n][rows], "n": n, "freq": lv.freq[rows],
                                   "range": lv.range[rows], "subsumes": "", "_id": rows}))
    table = pd.concat(parts, ignore_index=True)
    if subsumed:
        subs = pd.concat([pd.DataFrame({"n": by >> 32, "_id": by & 0xFFFFFFFF, "sub_n": n,
                                        "sub": strings[n][dropped]})
                          for n, (dropped, by) in subsumed.items()], ignore_index=True)
        subs = subs.sort_values(["n", "_id", "sub_n", "sub"], ascending=[True, True, False, True], kind="stable")
        owner = (subs["n"].to_numpy() << 32) | subs["_id"].to_numpy()
        cut = np.flatnonzero(np.diff(owner)) + 1
        starts, ends = (np.append(0, cut), np.append(cut, len(owner))) if len(owner) else ([], [])
        names = subs["sub"].tolist()
        joined = {int(owner[a]): "; ".join(names[a:b]) for a, b in zip(starts, ends)}
        keys = ((table["n"].to_numpy() << 32) | table["_id"].to_numpy()).tolist()
        table["subsumes"] = [joined.get(k, "") for k in keys]
    table = table.drop(columns="_id")
    table = table.astype({"bundle": object, "n": np.int64, "freq": np.int64, "range": np.int64, "subsumes": object})
    table = table.sort_values(["freq", "n", "bundle"], ascending=[False, False, True], kind="stable")
    return table.reset_index(drop=True)[BUNDLE_COLUMNS]


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

    The sequences are compiled into a trie of prefixes (sorted int64 keys
    ``parent * n_types + token``) and walked for all start positions at once,
    one token per step.

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
    empty = np.zeros(0, dtype=np.int64)
    unique = list(dict.fromkeys(s for s in seqs if s))
    if not unique or n_tok == 0:
        return empty, empty
    longest = max(len(s) for s in unique)
    # prefix tables per depth: sorted keys parent * width + token -> prefix id; where a sequence ends
    prefix_ids: list[dict] = []
    tables, ends = [], []
    for depth in range(1, longest + 1):
        table: dict[tuple, int] = {}
        for q in unique:
            if len(q) >= depth and q[:depth] not in table:
                table[q[:depth]] = len(table)
        prefix_ids.append(table)
        parents = prefix_ids[depth - 2] if depth > 1 else None
        keys = np.array([(parents[q[:-1]] if parents is not None else 0) * width + q[-1] for q in table],
                        dtype=np.int64)
        values = np.arange(len(table), dtype=np.int64)
        o = np.argsort(keys)
        tables.append((keys[o], values[o]))
        end_at = np.full(len(table), -1, dtype=np.int64)
        for u, q in enumerate(unique):
            if len(q) == depth:
                end_at[table[q]] = u
        ends.append(end_at)
    found_pos, found_which = [], []
    first_state = np.full(width, -1, dtype=np.int64)
    first_state[[q[0] for q in prefix_ids[0]]] = list(prefix_ids[0].values())
    pos = _positions(first_state[ids] >= 0).astype(np.int64)
    state = first_state[ids[pos]]
    for depth in range(1, longest + 1):
        if depth > 1:
            keys, values = tables[depth - 1]
            at = pos + depth - 1
            ok = at < n_tok
            pos, state, at = pos[ok], state[ok], at[ok]
            same = tokens.sentence[pos] == tokens.sentence[at]
            pos, state, at = pos[same], state[same], at[same]
            key = state * width + ids[at]
            j = np.searchsorted(keys, key)
            jc = np.minimum(j, len(keys) - 1)
            hit = (j < len(keys)) & (keys[jc] == key)
            pos, state = pos[hit], values[jc[hit]]
        if len(pos) == 0:
            break
        which = ends[depth - 1][state]
        done = which >= 0
        found_pos.append(pos[done])
        found_which.append(which[done])
    positions, which = np.concatenate(found_pos), np.concatenate(found_which)
    if len(unique) < len([q for q in seqs if q]) or any(not q for q in seqs) or unique != seqs:
        # map back to the caller's indices (a sequence listed twice is reported twice)
        index_of: dict[tuple, list[int]] = {}
        for i, q in enumerate(seqs):
            if q:
                index_of.setdefault(q, []).append(i)
        lists = [index_of[q] for q in unique]
        counts = np.array([len(v) for v in lists], dtype=np.int64)
        flat_idx = np.array([i for v in lists for i in v], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        reps = counts[which]
        positions = np.repeat(positions, reps)
        which = flat_idx[np.repeat(offsets[which], reps) + (np.arange(int(reps.sum())) -
                                                           np.repeat(np.cumsum(reps) - reps, reps))]
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
