"""Versions of one text: paragraph alignment and side-by-side formula renderings.

Documents that share a ``translation_group`` in ``corpus.csv`` are versions of
one text (here the official Xinhua English and an unofficial English of Xi
Jinping's 2022 article). :func:`align_paragraphs` pairs their paragraphs;
:func:`rendering_table` says, for every formula, which rendering each version
uses ("community with a shared future" <-> "community of common destiny") and
in how many aligned paragraph pairs both versions have it.

The alignment
-------------
Each paragraph becomes a TF-IDF vector over the tokens of the group (stop words
removed by default; smoothed IDF ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` over
the paragraphs of the versions being aligned; rows L2-normalised, as
scikit-learn's ``TfidfTransformer``), and the similarity of two paragraphs is
their cosine ``cos(a, b) = a . b / (|a| |b|)``. Paragraphs are then aligned in
order by dynamic programming, as Gale & Church (1993) align sentences and
Needleman & Wunsch (1970) align sequences: ``D[i, j]``, the best score of
aligning the first ``i`` paragraphs of version A with the first ``j`` of B, is
the maximum of

* ``D[i-1, j-1] + cos(a_i, b_j) - min_cosine``                 (1-1, a pair)
* ``D[i-1, j]`` and ``D[i, j-1]``                              (1-0, 0-1: a paragraph left unpaired)
* ``D[i-1, j-2] + cos(a_i, b_{j-1} + b_j) - min_cosine - merge_penalty``  (1-2)
* ``D[i-2, j-1] + cos(a_{i-1} + a_i, b_j) - min_cosine - merge_penalty``  (2-1)

where ``b_{j-1} + b_j`` is the sum of the two unit vectors (the merged
paragraph), so a split paragraph is recognised when the two halves together
match better than either alone. A pair scores only if its cosine exceeds
``min_cosine``; otherwise leaving both paragraphs unpaired is better. The path
is traced back from ``D[n, m]``. Ties are broken the same way every time: at
each cell 1-1 first, then 0-1, then 1-0, then the merges - so of two unpaired
paragraphs facing each other, A's comes first in the output. Beyond ``max_cells`` cells the
search is restricted to a band around the diagonal.

References
----------
Gale, W. A. & Church, K. W. (1993). A program for aligning sentences in bilingual
corpora. *Computational Linguistics* 19(1), 75-102.
Needleman, S. B. & Wunsch, C. D. (1970). A general method applicable to the search
for similarities in the amino acid sequence of two proteins. *J. Mol. Biol.* 48(3), 443-453.
Salton, G. & Buckley, C. (1988). Term-weighting approaches in automatic text retrieval.
*Information Processing & Management* 24(5), 513-523.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..counts import stop_word_list
from ..errors import ParameterError

ALIGN_COLUMNS = ["group", "bead", "kind", "doc_a", "para_a", "doc_b", "para_b", "cosine", "text_a", "text_b"]
"""Columns of :func:`align_paragraphs`."""
RENDERING_COLUMNS = ["group", "doc_a", "doc_b", "formula_id", "label", "rendering_a", "rendering_b", "count_a",
                     "count_b", "same_paragraph_pairs", "aligned_renderings"]
"""Columns of :func:`rendering_table`."""


def translation_groups(docs: pd.DataFrame) -> pd.DataFrame:
    """Translation groups with two or more documents.

    Returns
    -------
    DataFrame
        ``group, doc_ids`` (the reference version first: ``translation ==
        "official"`` if there is one, then corpus order), ``n_docs``.

    Examples
    --------
    >>> from rhetoric import load_corpus
    >>> translation_groups(load_corpus()).to_dict("records")
    [{'group': 'xi2022_article', 'doc_ids': ['xi2022_xinhua', 'xi2022_unofficial'], 'n_docs': 2}]
    """
    if "translation_group" not in docs.columns:
        return pd.DataFrame(columns=["group", "doc_ids", "n_docs"])
    rows = []
    groups = docs["translation_group"].fillna("").astype(str)
    for group in dict.fromkeys(groups):
        if not group:
            continue
        members = docs[groups == group]
        if len(members) < 2:
            continue
        official = (members["translation"].fillna("").astype(str) == "official") \
            if "translation" in members.columns else pd.Series(False, index=members.index)
        ordered = list(members.loc[official, "doc_id"]) + list(members.loc[~official, "doc_id"])
        rows.append({"group": group, "doc_ids": ordered, "n_docs": len(ordered)})
    return pd.DataFrame(rows, columns=["group", "doc_ids", "n_docs"])


def _group_members(docs: pd.DataFrame, group: str | None) -> list[tuple[str, list[str]]]:
    table = translation_groups(docs)
    if not len(table):
        raise ParameterError("no translation_group has two or more documents; give versions of one text the same "
                             "translation_group in corpus.csv.")
    if group is None:
        return list(zip(table["group"], table["doc_ids"]))
    if group not in set(table["group"]):
        raise ParameterError(f"group='{group}' is not a translation group with two or more documents; "
                             f"groups are: {', '.join(table['group'])}.")
    row = table[table["group"] == group].iloc[0]
    return [(row["group"], row["doc_ids"])]


def _paragraphs(tokens, docs: pd.DataFrame, doc_id: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Corpus-wide paragraph numbers of a document, their texts, and the token range of the document."""
    index = int(np.flatnonzero(tokens.doc_ids == doc_id)[0])
    para_ids = np.flatnonzero(tokens.paragraph_doc == index)
    text = docs.loc[docs["doc_id"] == doc_id, "text"].iloc[0]
    texts = [text[s:e] for s, e in tokens.paragraph_spans[para_ids]]
    return para_ids, texts, np.arange(tokens.bounds[index], tokens.bounds[index + 1])


def paragraph_vectors(tokens, paragraph_ids: np.ndarray, token_index: np.ndarray, *,
                      stop_words: bool = True) -> sp.csr_matrix:
    """TF-IDF rows (L2-normalised) of the given paragraphs, from their tokens.

    Parameters
    ----------
    paragraph_ids : ndarray
        Corpus-wide paragraph numbers, one row each in this order.
    token_index : ndarray
        Tokens to count (those of the paragraphs' documents).
    stop_words : bool, default True
        Leave out the project's stop words (:func:`rhetoric.counts.stop_word_list`).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> tokens = tokenize(load_corpus())
    >>> first = np.flatnonzero(tokens.paragraph_doc == 0)[:2]
    >>> vectors = paragraph_vectors(tokens, first, np.arange(tokens.bounds[0], tokens.bounds[1]))
    >>> vectors.shape[0], np.allclose(sp.linalg.norm(vectors, axis=1), 1)
    (2, True)
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    row_of = np.full(max(len(tokens.paragraph_doc), 1), -1, dtype=np.int64)
    row_of[paragraph_ids] = np.arange(len(paragraph_ids))
    ids = tokens.ids[token_index]
    rows = row_of[tokens.sentence_paragraph[tokens.sentence[token_index]]]
    keep = rows >= 0
    if stop_words:
        stops = stop_word_list()
        is_stop = np.fromiter((v in stops for v in tokens.vocab.tolist()), dtype=bool, count=len(tokens.vocab))
        keep &= ~is_stop[ids]
    counts = sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], ids[keep])),
                           shape=(len(paragraph_ids), max(len(tokens.vocab), 1)))
    counts.sum_duplicates()
    return TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=False).fit_transform(counts).tocsr()


def _merged_cosines(sim: np.ndarray, self_b: np.ndarray) -> np.ndarray:
    """cos(a_i, b_{j-1} + b_j) for unit (or zero) rows: (s[i,j-1] + s[i,j]) / |b_{j-1} + b_j|."""
    if sim.shape[1] < 2:
        return np.zeros((sim.shape[0], 0))
    norm_sq = np.diag(self_b)
    pair = norm_sq[:-1] + norm_sq[1:] + 2 * np.diag(self_b, 1)
    norm = np.sqrt(np.maximum(pair, 0))
    total = sim[:, :-1] + sim[:, 1:]
    return np.divide(total, norm, out=np.zeros_like(total), where=norm > 0)


def align_sequences(sim: np.ndarray, merge_ab: np.ndarray | None = None, merge_ba: np.ndarray | None = None, *,
                    min_cosine: float = 0.1, merge_penalty: float = 0.05,
                    max_cells: int = 4_000_000) -> list[tuple[str, list[int], list[int], float]]:
    """Order-preserving alignment of two sequences from a similarity matrix (see the module docstring).

    Parameters
    ----------
    sim : ndarray (n, m)
        ``sim[i, j]`` similarity of item ``i`` of A and item ``j`` of B.
    merge_ab : ndarray (n, m-1), optional
        ``merge_ab[i, j]`` similarity of A's item ``i`` with B's items ``j, j+1`` merged (1-2 beads).
    merge_ba : ndarray (n-1, m), optional
        ``merge_ba[i, j]`` similarity of A's items ``i, i+1`` merged with B's item ``j`` (2-1 beads).
    min_cosine : float, default 0.1
    merge_penalty : float, default 0.05
    max_cells : int, default 4 000 000
        Above ``n * m`` cells, only a band around the diagonal is searched.

    Returns
    -------
    list of (kind, A items, B items, similarity)
        In order; ``kind`` is ``"1-1"``, ``"1-0"``, ``"0-1"``, ``"1-2"`` or ``"2-1"``.

    Examples
    --------
    >>> align_sequences(np.array([[0.9, 0.0], [0.1, 0.8]]))
    [('1-1', [0], [0], 0.9), ('1-1', [1], [1], 0.8)]
    >>> [bead[0] for bead in align_sequences(np.array([[0.9, 0.0, 0.0], [0.0, 0.0, 0.8]]))]
    ['1-1', '0-1', '1-1']
    """
    n, m = sim.shape
    if min_cosine < 0 or merge_penalty < 0:
        raise ParameterError(f"min_cosine={min_cosine} and merge_penalty={merge_penalty} must be >= 0.")
    band = None
    if n * m > max_cells:
        band = max(abs(n - m) + 1, int(max_cells / max(n, m) / 2))
    neg = -np.inf
    score = np.full((n + 1, m + 1), neg)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    score[0, 0] = 0.0
    # moves: 1 = 1-1, 2 = 1-0, 3 = 0-1, 4 = 1-2, 5 = 2-1
    for i in range(n + 1):
        if band is None:
            j_lo, j_hi = 0, m
        else:
            centre = int(round(i * m / max(n, 1)))
            j_lo, j_hi = max(0, centre - band), min(m, centre + band)
        for j in range(j_lo, j_hi + 1):
            if i == 0 and j == 0:
                continue
            best, how = neg, 0
            if i and j and score[i - 1, j - 1] > neg:
                value = score[i - 1, j - 1] + sim[i - 1, j - 1] - min_cosine
                if value > best:
                    best, how = value, 1
            if j and score[i, j - 1] > best:
                best, how = score[i, j - 1], 3
            if i and score[i - 1, j] > best:
                best, how = score[i - 1, j], 2
            if merge_ab is not None and i and j >= 2 and score[i - 1, j - 2] > neg:
                value = score[i - 1, j - 2] + merge_ab[i - 1, j - 2] - min_cosine - merge_penalty
                if value > best:
                    best, how = value, 4
            if merge_ba is not None and i >= 2 and j and score[i - 2, j - 1] > neg:
                value = score[i - 2, j - 1] + merge_ba[i - 2, j - 1] - min_cosine - merge_penalty
                if value > best:
                    best, how = value, 5
            score[i, j], move[i, j] = best, how
    if score[n, m] == neg:  # outside the band: should not happen, the band always holds the corner
        raise ParameterError("alignment failed; increase max_cells.")
    beads = []
    i, j = n, m
    while i or j:
        how = move[i, j]
        if how == 1:
            beads.append(("1-1", [i - 1], [j - 1], float(sim[i - 1, j - 1]))); i, j = i - 1, j - 1
        elif how == 2:
            beads.append(("1-0", [i - 1], [], float("nan"))); i -= 1
        elif how == 3:
            beads.append(("0-1", [], [j - 1], float("nan"))); j -= 1
        elif how == 4:
            beads.append(("1-2", [i - 1], [j - 2, j - 1], float(merge_ab[i - 1, j - 2]))); i, j = i - 1, j - 2
        else:
            beads.append(("2-1", [i - 2, i - 1], [j - 1], float(merge_ba[i - 2, j - 1]))); i, j = i - 2, j - 1
    return beads[::-1]


def align_paragraphs(tokens, docs: pd.DataFrame, group: str | None = None, *, min_cosine: float = 0.1,
                     merge_penalty: float = 0.05, merges: bool = True, stop_words: bool = True) -> pd.DataFrame:
    """Align the paragraphs of the versions of a text, in order, by TF-IDF cosine.

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    group : str, optional
        A ``translation_group`` with two or more documents; default: every such group.
        Each version is aligned with the reference version (the official one if
        there is one, else the first in corpus order).
    min_cosine : float, default 0.1
        Paragraphs less similar than this are left unpaired rather than paired.
    merge_penalty : float, default 0.05
        Cost of pairing one paragraph with two (1-2, 2-1 beads).
    merges : bool, default True
        Allow 1-2 and 2-1 beads.
    stop_words : bool, default True
        Leave stop words out of the TF-IDF vectors.

    Returns
    -------
    DataFrame
        ``group, bead`` (number of the alignment step, from 0), ``kind``
        (``1-1``, ``1-0``, ``0-1``, ``1-2``, ``2-1``), ``doc_a, para_a, doc_b,
        para_b`` (paragraph numbers within each document, from 0; empty for the
        missing side of a 1-0 or 0-1 bead), ``cosine`` (of the bead; empty for
        1-0 and 0-1), ``text_a, text_b`` (the paragraphs' cleaned text). A 1-2
        or 2-1 bead has one row per paragraph of its longer side.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = align_paragraphs(tokenize(docs), docs)
    >>> table.loc[table["kind"] == "1-1", ["para_a", "para_b"]].iloc[0].tolist()
    [5, 2]
    """
    out = []
    for name, members in _group_members(docs, group):
        ref = members[0]
        for other in members[1:]:
            out.append(_align_pair(tokens, docs, name, ref, other, min_cosine=min_cosine,
                                   merge_penalty=merge_penalty, merges=merges, stop_words=stop_words))
    table = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=ALIGN_COLUMNS)
    table.attrs.update({"min_cosine": min_cosine, "merge_penalty": merge_penalty, "merges": merges,
                        "stop_words": stop_words})
    return table


def _align_pair(tokens, docs, group, doc_a, doc_b, *, min_cosine, merge_penalty, merges, stop_words):
    paras_a, texts_a, tok_a = _paragraphs(tokens, docs, doc_a)
    paras_b, texts_b, tok_b = _paragraphs(tokens, docs, doc_b)
    vectors = paragraph_vectors(tokens, np.concatenate([paras_a, paras_b]), np.concatenate([tok_a, tok_b]),
                                stop_words=stop_words)
    a, b = vectors[:len(paras_a)], vectors[len(paras_a):]
    sim = (a @ b.T).toarray()
    merge_ab = merge_ba = None
    if merges:
        merge_ab = _merged_cosines(sim, (b @ b.T).toarray())
        merge_ba = _merged_cosines(sim.T, (a @ a.T).toarray()).T
    beads = align_sequences(sim, merge_ab, merge_ba, min_cosine=min_cosine, merge_penalty=merge_penalty)
    rows = []
    for number, (kind, items_a, items_b, cosine) in enumerate(beads):
        for k in range(max(len(items_a), len(items_b))):
            ia = items_a[min(k, len(items_a) - 1)] if items_a else None
            ib = items_b[min(k, len(items_b) - 1)] if items_b else None
            rows.append({"group": group, "bead": number, "kind": kind, "doc_a": doc_a, "para_a": ia,
                         "doc_b": doc_b, "para_b": ib, "cosine": cosine,
                         "text_a": texts_a[ia] if ia is not None else "",
                         "text_b": texts_b[ib] if ib is not None else ""})
    table = pd.DataFrame(rows, columns=ALIGN_COLUMNS)
    for col in ("para_a", "para_b"):
        table[col] = table[col].astype("Int64")
    table["bead"] = table["bead"].astype(np.int64)
    table["cosine"] = table["cosine"].astype(float).round(6)
    return table


def _renderings(variants: list[str]) -> str:
    counts: dict[str, int] = {}
    for name in variants:
        counts[name] = counts.get(name, 0) + 1
    return "; ".join(f"{name} ×{n}" if n > 1 else str(name) for name, n in counts.items())


def rendering_table(tokens, docs: pd.DataFrame, lexicon=None, *, group: str | None = None,
                    alignment: pd.DataFrame | None = None, hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Side by side: which rendering of each formula each version of a text uses.

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    lexicon : DataFrame, str, Path or None
        See :func:`rhetoric.formulas.resolve_lexicon`.
    group : str, optional
        A translation group; default every group with two or more documents.
    alignment : DataFrame, optional
        From :func:`align_paragraphs` (computed when not given).
    hits : DataFrame, optional
        From :func:`rhetoric.formulas.formula_hits`.

    Returns
    -------
    DataFrame
        ``group, doc_a, doc_b`` (``doc_a`` the reference version),
        ``formula_id, label``, ``rendering_a, rendering_b`` (the variants each
        version uses, in lexicon order, "name ×n" when used n > 1 times),
        ``count_a, count_b``, ``same_paragraph_pairs`` (aligned paragraph
        pairs in which both versions have the formula) and
        ``aligned_renderings`` (for those pairs, "rendering in A <-> rendering
        in B", distinct, joined by "; "). One row per formula used by either
        version, in lexicon order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = rendering_table(tokenize(docs), docs).set_index("formula_id")
    >>> table.loc["golden_thirty_years", ["rendering_a", "rendering_b"]].tolist()
    ['more splendid thirty years', 'golden 30th anniversary']
    """
    from .counts import formula_hits, resolve_lexicon

    table = resolve_lexicon(lexicon, docs)
    members = _group_members(docs, group)
    if hits is None:
        wanted = {d for _, ids in members for d in ids}
        hits = formula_hits(tokens, docs[docs["doc_id"].isin(wanted)], table)
    if alignment is None:
        alignment = align_paragraphs(tokens, docs, group)
    first_para = {d: int(np.flatnonzero(tokens.paragraph_doc == i)[0]) if np.any(tokens.paragraph_doc == i) else 0
                  for i, d in enumerate(tokens.doc_ids.tolist())}
    hits = hits.assign(_para=hits["paragraph"] - hits["doc_id"].map(first_para))
    labels = dict(zip(table["formula_id"], table["label"])) if "label" in table.columns else {}
    variant_rank = {(f, v): i for i, (f, v) in enumerate(zip(table["formula_id"], table["variant"]))}
    # per (doc, formula): [(paragraph within the document, variant)], variants in lexicon order
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for d, f, v, para in zip(hits["doc_id"], hits["formula_id"], hits["variant"], hits["_para"]):
        found.setdefault((d, f), []).append((int(para), v))
    for key, items in found.items():
        items.sort(key=lambda item: variant_rank.get((key[1], item[1]), 0))
    formula_ids = list(dict.fromkeys(table["formula_id"]))
    rows = []
    for name, ids in members:
        ref = ids[0]
        for other in ids[1:]:
            pairs = alignment[(alignment["group"] == name) & (alignment["doc_a"] == ref)
                              & (alignment["doc_b"] == other) & alignment["para_a"].notna()
                              & alignment["para_b"].notna()]
            beads: dict[int, tuple[set, set]] = {}
            for bead, pa, pb in zip(pairs["bead"], pairs["para_a"], pairs["para_b"]):
                beads.setdefault(int(bead), (set(), set()))
                beads[int(bead)][0].add(int(pa))
                beads[int(bead)][1].add(int(pb))
            for fid in formula_ids:
                fa, fb = found.get((ref, fid), []), found.get((other, fid), [])
                if not fa and not fb:
                    continue
                same, pairs_text = 0, []
                for bead in sorted(beads):
                    paras_a, paras_b = beads[bead]
                    in_a = [v for p, v in fa if p in paras_a]
                    in_b = [v for p, v in fb if p in paras_b]
                    if in_a and in_b:
                        same += 1
                        text = " / ".join(dict.fromkeys(in_a)) + " <-> " + " / ".join(dict.fromkeys(in_b))
                        if text not in pairs_text:
                            pairs_text.append(text)
                rows.append({"group": name, "doc_a": ref, "doc_b": other, "formula_id": fid,
                             "label": labels.get(fid, ""), "rendering_a": _renderings([v for _, v in fa]),
                             "rendering_b": _renderings([v for _, v in fb]), "count_a": len(fa),
                             "count_b": len(fb), "same_paragraph_pairs": same,
                             "aligned_renderings": "; ".join(pairs_text)})
    out = pd.DataFrame(rows, columns=RENDERING_COLUMNS)
    for col in ("count_a", "count_b", "same_paragraph_pairs"):
        out[col] = out[col].astype(np.int64)
    return out
