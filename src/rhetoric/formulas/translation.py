"""Versions of one text: paragraph alignment and side-by-side formula renderings.

Documents that share a ``translation_group`` in ``corpus.csv`` are versions of
one text (here the official Xinhua English and an unofficial English of Xi
Jinping's 2022 article; a Chinese original and its English translations).
:func:`align_paragraphs` pairs their paragraphs; :func:`rendering_table` says,
for every formula, which rendering each version uses ("community with a shared
future" <-> "community of common destiny", 人类命运共同体 <-> "community with a
shared future"), in how many aligned paragraph pairs both versions have it, and
where one version has it and the other not: in an aligned paragraph without it
(reworded or left out by the translator) or in a paragraph the other version
does not have at all (absent from that version: an excerpt, an omitted
paragraph). :func:`rendering_pairs` lists every occurrence beside its
counterpart. The reference version of a group (``doc_a``) is its original
(``translation`` "original", or empty while the others are translations),
else its official translation, else the first in corpus order.

The alignment
-------------
Three kinds of evidence say that paragraph ``a`` of version A and ``b`` of B
are one paragraph:

* **vocabulary**: each paragraph becomes a TF-IDF vector over the tokens of the
  group (stop words removed by default; smoothed IDF ``idf(t) = ln((1 + n) /
  (1 + df(t))) + 1`` over the paragraphs of the versions being aligned; rows
  L2-normalised, as scikit-learn's ``TfidfTransformer``), and ``cos(a, b) = a .
  b / (|a| |b|)``;
* **length** (Gale & Church 1993): with ``l`` a paragraph's characters other
  than white space and ``c = L_B / L_A`` the ratio of the two versions' total
  lengths, ``delta = (l_b - c l_a) / sqrt(s2 c l_a)`` (``s2 = 6.8``, Gale and
  Church's variance) and ``len(a, b) = 2 (1 - Phi(|delta|))``, the probability
  of a length difference at least this large between translations;
* **anchors**: the formula families (:func:`rhetoric.formulas.lexicon.formula_levels`:
  a formula and its broader ones are one anchor, so 中哈命运共同体 anchors "a
  community with a shared future") and the numbers ("2022", "21.2") each
  paragraph holds, compared by the Dice coefficient ``anc(a, b) = 2 |A & B| /
  (|A| + |B|)`` (0 when neither has one).

Versions in one language (the same ``language``, or by their tokens) are
scored ``s = cos (1 - 0.3 + 0.3 len) + 0.2 anc``: the cosine, lowered by up to
30% when the lengths disagree, plus shared anchors (a version whose language is
not stated is taken for its tokens: Chinese or not). Versions in two languages
(a Chinese original and an English translation share few words) are scored
``s = 0.5 len + 0.5 anc``. Paragraphs are then aligned in order by dynamic
programming, as Gale & Church (1993) align sentences and Needleman & Wunsch
(1970) align sequences: ``D[i, j]``, the best score of aligning the first ``i``
paragraphs of version A with the first ``j`` of B, is the maximum of

* ``D[i-1, j-1] + s(a_i, b_j) - min_cosine``                   (1-1, a pair)
* ``D[i-1, j]`` and ``D[i, j-1]``                              (1-0, 0-1: a paragraph left unpaired)
* ``D[i-1, j-2] + s(a_i, b_{j-1} + b_j) - min_cosine - merge_penalty``  (1-2)
* ``D[i-2, j-1] + s(a_{i-1} + a_i, b_j) - min_cosine - merge_penalty``  (2-1)

where ``b_{j-1} + b_j`` is the merged paragraph (the sum of the two unit
vectors, the two lengths added, the two anchor sets joined), so a split
paragraph is recognised when the two halves together match better than either
alone. A pair scores only if its score exceeds ``min_cosine``; otherwise leaving
both paragraphs unpaired is better: a paragraph one version omits stays alone. The path
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
Dice, L. R. (1945). Measures of the amount of ecologic association between species. *Ecology* 26(3), 297-302.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..counts import stop_word_list
from ..errors import ParameterError

ALIGN_COLUMNS = ["group", "bead", "kind", "doc_a", "para_a", "doc_b", "para_b", "cosine", "score", "anchors",
                 "text_a", "text_b"]
"""Columns of :func:`align_paragraphs`."""
RENDERING_COLUMNS = ["group", "doc_a", "doc_b", "language_a", "language_b", "formula_id", "label", "rendering_a",
                     "rendering_b", "count_a", "count_b", "same_paragraph_pairs", "without_in_b", "absent_from_b",
                     "without_in_a", "absent_from_a", "aligned_renderings"]
"""Columns of :func:`rendering_table`."""
PAIR_COLUMNS = ["group", "doc_a", "doc_b", "bead", "para_a", "para_b", "family", "formula_id_a", "variant_a",
                "surface_a", "formula_id_b", "variant_b", "surface_b", "status"]
"""Columns of :func:`rendering_pairs`."""
GALE_CHURCH_VARIANCE = 6.8
"""``s2`` of the length score: variance of the length difference per character (Gale & Church 1993)."""
SAME_LANGUAGE_WEIGHTS = (0.3, 0.2)
"""(length, anchors) of the score of two versions in one language: ``cos (1 - 0.3 + 0.3 len) + 0.2 anc``."""
CROSS_LANGUAGE_WEIGHTS = (0.5, 0.5)
"""(length, anchors) of the score of versions in two languages: ``0.5 len + 0.5 anc``."""
_NUMBER = __import__("re").compile(r"^\d[\d.,]*$")


def translation_groups(docs: pd.DataFrame) -> pd.DataFrame:
    """Translation groups with two or more documents.

    Returns
    -------
    DataFrame
        ``group, doc_ids`` (the reference version first: the original -
        ``translation`` "original", or empty while the others name their
        translation - then the official translation, then the others, in
        corpus order), ``n_docs``.

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
        kind = members["translation"].fillna("").astype(str).str.strip().str.lower() \
            if "translation" in members.columns else pd.Series("", index=members.index)
        labelled = (kind != "").any() and (kind != "").sum() < len(kind)
        rank = np.where(kind == "original", 0, np.where((kind == "") & labelled, 1, np.where(kind == "official", 2, 3)))
        ordered = list(members["doc_id"].iloc[np.argsort(rank, kind="stable")])
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


def length_scores(len_a: np.ndarray, len_b: np.ndarray, ratio: float | None = None) -> np.ndarray:
    """Gale-Church probability that paragraphs of these lengths translate each other.

    ``len(a, b) = 2 (1 - Phi(|delta|))`` with ``delta = (l_b - c l_a) /
    sqrt(s2 c l_a)``, ``c`` the ratio of the versions' total lengths (or
    ``ratio``) and ``s2`` :data:`GALE_CHURCH_VARIANCE` (Gale & Church 1993).

    Parameters
    ----------
    len_a, len_b : ndarray
        Lengths (characters other than white space) of A's and B's paragraphs.

    Returns
    -------
    ndarray (n, m)
        Between 0 and 1; 1 when ``l_b = c l_a``.

    Examples
    --------
    >>> length_scores(np.array([100, 300]), np.array([100, 300])).round(3).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    >>> float(length_scores(np.array([100]), np.array([110]), ratio=1.0)[0, 0].round(3))
    0.701
    """
    from scipy.special import erfc

    len_a = np.maximum(np.asarray(len_a, dtype=float), 1.0)
    len_b = np.asarray(len_b, dtype=float)
    c = ratio if ratio is not None else (len_b.sum() / len_a.sum() if len_a.sum() and len_b.sum() else 1.0)
    delta = (len_b[None, :] - c * len_a[:, None]) / np.sqrt(GALE_CHURCH_VARIANCE * c * len_a[:, None])
    return erfc(np.abs(delta) / np.sqrt(2.0))


def _dice(sets_a: sp.csr_matrix, sets_b: sp.csr_matrix) -> np.ndarray:
    """Dice coefficient of binary rows: 2 |A & B| / (|A| + |B|), 0 where both are empty."""
    both = (sets_a @ sets_b.T).toarray()
    size = np.asarray(sets_a.sum(axis=1)).reshape(-1, 1) + np.asarray(sets_b.sum(axis=1)).reshape(1, -1)
    return np.divide(2.0 * both, size, out=np.zeros_like(both, dtype=float), where=size > 0)


def _merged_rows(sets: sp.csr_matrix) -> sp.csr_matrix:
    """Each pair of neighbouring binary rows joined (the anchors of two paragraphs taken together)."""
    if sets.shape[0] < 2:
        return sp.csr_matrix((0, sets.shape[1]))
    joined = (sets[:-1] + sets[1:]).tocsr()
    joined.data = np.ones_like(joined.data)
    return joined


def _doc_language(tokens, docs: pd.DataFrame, doc_id: str) -> str:
    """A document's language: its ``language`` column, else "zh" when most of its tokens are Chinese words."""
    from ..corpus.tokens import HAN_CHARACTERS

    if "language" in docs.columns:
        stated = str(docs.loc[docs["doc_id"] == doc_id, "language"].iloc[0] or "").strip().lower()
        if stated:
            return "zh" if stated.startswith("zh") else stated
    index = int(np.flatnonzero(tokens.doc_ids == doc_id)[0])
    ids = tokens.ids[tokens.bounds[index]:tokens.bounds[index + 1]]
    han = __import__("re").compile(f"[{HAN_CHARACTERS}]")
    is_han = np.fromiter((han.match(v) is not None for v in tokens.vocab.tolist()), dtype=bool,
                         count=len(tokens.vocab))
    return "zh" if len(ids) and is_han[ids].mean() > 0.5 else ""


def _same_language(a: str, b: str) -> bool:
    """Whether two versions share a language: the same code, or one unknown and neither Chinese."""
    return a == b or (not a and b != "zh") or (not b and a != "zh")


def _anchor_sets(tokens, docs, paragraph_ids: np.ndarray, token_index: np.ndarray, hits: pd.DataFrame | None,
                 families: dict, vocabulary: dict) -> tuple[sp.csr_matrix, list[set]]:
    """Binary paragraph x anchor rows: formula families (from ``hits``) and numbers; and each row's set."""
    row_of = {int(p): i for i, p in enumerate(paragraph_ids.tolist())}
    found: list[set] = [set() for _ in paragraph_ids]
    ids = tokens.ids[token_index]
    numeric = np.fromiter((_NUMBER.match(v) is not None for v in tokens.vocab.tolist()), dtype=bool,
                          count=len(tokens.vocab))
    where = token_index[numeric[ids]]
    for para, word in zip(tokens.paragraph[where].tolist(), tokens.vocab[tokens.ids[where]].tolist()):
        if para in row_of:
            found[row_of[para]].add("#" + word.replace(",", ""))
    if hits is not None and len(hits):
        for para, fid in zip(hits["paragraph"].tolist(), hits["formula_id"].tolist()):
            if para in row_of:
                found[row_of[para]].add(families.get(fid, fid))
    for items in found:
        for item in items:
            vocabulary.setdefault(item, len(vocabulary))
    rows = [r for r, items in enumerate(found) for _ in items]
    cols = [vocabulary[item] for items in found for item in items]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(found), max(len(vocabulary), 1))), found


def align_paragraphs(tokens, docs: pd.DataFrame, group: str | None = None, *, min_cosine: float = 0.1,
                     merge_penalty: float = 0.05, merges: bool = True, stop_words: bool = True, lexicon=None,
                     anchors: bool = True, hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Align the paragraphs of the versions of a text, in order, by vocabulary, length and anchors.

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    group : str, optional
        A ``translation_group`` with two or more documents; default: every such group.
        Each version is aligned with the reference version (the original, else
        the official one, else the first in corpus order).
    min_cosine : float, default 0.1
        Paragraphs whose score (see the module docstring; for versions in one
        language mostly their cosine) is below this are left unpaired rather
        than paired.
    merge_penalty : float, default 0.05
        Cost of pairing one paragraph with two (1-2, 2-1 beads).
    merges : bool, default True
        Allow 1-2 and 2-1 beads.
    stop_words : bool, default True
        Leave stop words out of the TF-IDF vectors.
    lexicon : DataFrame, str, Path or None
        The formula lexicon whose hits are anchors (:func:`rhetoric.formulas.resolve_lexicon`).
    anchors : bool, default True
        Use formulas and numbers as anchors.
    hits : DataFrame, optional
        From :func:`rhetoric.formulas.formula_hits`.

    Returns
    -------
    DataFrame
        ``group, bead`` (number of the alignment step, from 0), ``kind``
        (``1-1``, ``1-0``, ``0-1``, ``1-2``, ``2-1``), ``doc_a, para_a, doc_b,
        para_b`` (paragraph numbers within each document, from 0; empty for the
        missing side of a 1-0 or 0-1 bead), ``cosine`` (TF-IDF cosine of the
        bead), ``score`` (the score the alignment used; both empty for 1-0 and
        0-1), ``anchors`` (the anchors both sides share, "; "-joined: formula
        families and numbers as "#2022"), ``text_a, text_b`` (the paragraphs'
        cleaned text). A 1-2 or 2-1 bead has one row per paragraph of its
        longer side. ``attrs["languages"]``: each aligned pair's languages.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = align_paragraphs(tokenize(docs), docs)
    >>> table.loc[table["kind"] == "1-1", ["para_a", "para_b"]].iloc[0].tolist()
    [3, 2]
    """
    members = _group_members(docs, group)
    table = None
    if anchors:
        from .counts import formula_hits, resolve_lexicon

        table = resolve_lexicon(lexicon, docs)
        if hits is None:
            wanted = {d for _, ids in members for d in ids}
            hits = formula_hits(tokens, docs[docs["doc_id"].isin(wanted)], table)
    out, languages = [], {}
    for name, ids in members:
        ref = ids[0]
        for other in ids[1:]:
            pair_languages = (_doc_language(tokens, docs, ref), _doc_language(tokens, docs, other))
            languages[(name, ref, other)] = pair_languages
            out.append(_align_pair(tokens, docs, name, ref, other, min_cosine=min_cosine, merge_penalty=merge_penalty,
                                   merges=merges, stop_words=stop_words, hits=hits if anchors else None,
                                   lexicon=table, same_language=_same_language(*pair_languages)))
    result = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=ALIGN_COLUMNS)
    result.attrs.update({"min_cosine": min_cosine, "merge_penalty": merge_penalty, "merges": merges,
                         "stop_words": stop_words, "anchors": anchors,
                         "languages": {f"{g}: {a} / {b}": "/".join(v) for (g, a, b), v in languages.items()}})
    return result


def _align_pair(tokens, docs, group, doc_a, doc_b, *, min_cosine, merge_penalty, merges, stop_words, hits=None,
                lexicon=None, same_language=True):
    from .lexicon import formula_levels

    paras_a, texts_a, tok_a = _paragraphs(tokens, docs, doc_a)
    paras_b, texts_b, tok_b = _paragraphs(tokens, docs, doc_b)
    vectors = paragraph_vectors(tokens, np.concatenate([paras_a, paras_b]), np.concatenate([tok_a, tok_b]),
                                stop_words=stop_words)
    a, b = vectors[:len(paras_a)], vectors[len(paras_a):]
    cos = (a @ b.T).toarray()
    len_a = np.array([len("".join(t.split())) for t in texts_a], dtype=float)
    len_b = np.array([len("".join(t.split())) for t in texts_b], dtype=float)
    ratio = len_b.sum() / len_a.sum() if len_a.sum() and len_b.sum() else 1.0
    lengths = length_scores(len_a, len_b, ratio)
    families = {}
    if lexicon is not None:
        levels = formula_levels(lexicon)
        families = dict(zip(levels["formula_id"], levels["family"]))
    vocabulary: dict = {}
    hits_a = hits[hits["doc_id"] == doc_a] if hits is not None else None
    hits_b = hits[hits["doc_id"] == doc_b] if hits is not None else None
    sets_a, found_a = _anchor_sets(tokens, docs, paras_a, tok_a, hits_a, families, vocabulary)
    sets_b, found_b = _anchor_sets(tokens, docs, paras_b, tok_b, hits_b, families, vocabulary)
    width = max(len(vocabulary), 1)
    sets_a.resize((sets_a.shape[0], width))
    sets_b.resize((sets_b.shape[0], width))
    use_anchors = hits is not None
    length_weight, anchor_weight = SAME_LANGUAGE_WEIGHTS if same_language else CROSS_LANGUAGE_WEIGHTS

    def score(cosine, length, anchor):
        anchor = anchor if use_anchors else np.zeros_like(anchor)
        if same_language:
            return cosine * (1 - length_weight + length_weight * length) + anchor_weight * anchor
        if not use_anchors:
            return length
        return length_weight * length + anchor_weight * anchor

    sim = score(cos, lengths, _dice(sets_a, sets_b))
    merge_ab = merge_ba = cos_ab = cos_ba = None
    if merges:
        cos_ab = _merged_cosines(cos, (b @ b.T).toarray())
        cos_ba = _merged_cosines(cos.T, (a @ a.T).toarray()).T
        merge_ab = score(cos_ab, length_scores(len_a, len_b[:-1] + len_b[1:], ratio),
                         _dice(sets_a, _merged_rows(sets_b)))
        merge_ba = score(cos_ba, length_scores(len_a[:-1] + len_a[1:], len_b, ratio),
                         _dice(_merged_rows(sets_a), sets_b))
    beads = align_sequences(sim, merge_ab, merge_ba, min_cosine=min_cosine, merge_penalty=merge_penalty)
    rows = []
    for number, (kind, items_a, items_b, value) in enumerate(beads):
        if kind == "1-1":
            cosine = cos[items_a[0], items_b[0]]
        elif kind == "1-2":
            cosine = cos_ab[items_a[0], items_b[0]]
        elif kind == "2-1":
            cosine = cos_ba[items_a[0], items_b[0]]
        else:
            cosine = float("nan")
        shared = sorted(set().union(*(found_a[i] for i in items_a)) & set().union(*(found_b[j] for j in items_b))) \
            if items_a and items_b else []
        for k in range(max(len(items_a), len(items_b))):
            ia = items_a[min(k, len(items_a) - 1)] if items_a else None
            ib = items_b[min(k, len(items_b) - 1)] if items_b else None
            rows.append({"group": group, "bead": number, "kind": kind, "doc_a": doc_a, "para_a": ia,
                         "doc_b": doc_b, "para_b": ib, "cosine": cosine, "score": value,
                         "anchors": "; ".join(shared),
                         "text_a": texts_a[ia] if ia is not None else "",
                         "text_b": texts_b[ib] if ib is not None else ""})
    table = pd.DataFrame(rows, columns=ALIGN_COLUMNS)
    for col in ("para_a", "para_b"):
        table[col] = table[col].astype("Int64")
    table["bead"] = table["bead"].astype(np.int64)
    table["cosine"] = table["cosine"].astype(float).round(6)
    table["score"] = table["score"].astype(float).round(6)
    return table


def _renderings(variants: list[str]) -> str:
    counts: dict[str, int] = {}
    for name in variants:
        counts[name] = counts.get(name, 0) + 1
    return "; ".join(f"{name} ×{n}" if n > 1 else str(name) for name, n in counts.items())


def _prepare(tokens, docs, lexicon, group, alignment, hits):
    """The lexicon, groups, hits (with ``_para``: paragraph within the document) and the alignment."""
    from .counts import formula_hits, resolve_lexicon

    table = resolve_lexicon(lexicon, docs)
    members = _group_members(docs, group)
    if hits is None:
        wanted = {d for _, ids in members for d in ids}
        hits = formula_hits(tokens, docs[docs["doc_id"].isin(wanted)], table)
    if alignment is None:
        alignment = align_paragraphs(tokens, docs, group, lexicon=table, hits=hits)
    first_para = {d: int(np.flatnonzero(tokens.paragraph_doc == i)[0]) if np.any(tokens.paragraph_doc == i) else 0
                  for i, d in enumerate(tokens.doc_ids.tolist())}
    hits = hits.assign(_para=hits["paragraph"] - hits["doc_id"].map(first_para))
    return table, members, hits, alignment


def _beads(alignment: pd.DataFrame, name: str, ref: str, other: str) -> dict[int, tuple[set, set]]:
    """Each bead of one aligned pair: (A's paragraphs, B's paragraphs), either possibly empty."""
    pairs = alignment[(alignment["group"] == name) & (alignment["doc_a"] == ref) & (alignment["doc_b"] == other)]
    beads: dict[int, tuple[set, set]] = {}
    for bead, pa, pb in zip(pairs["bead"], pairs["para_a"], pairs["para_b"]):
        sides = beads.setdefault(int(bead), (set(), set()))
        if not pd.isna(pa):
            sides[0].add(int(pa))
        if not pd.isna(pb):
            sides[1].add(int(pb))
    return beads


def _missing(own: list, other_hits: list, bead_of: dict, beads: dict, side: int) -> tuple[int, int]:
    """(without, absent): occurrences whose bead lacks the formula on the other side, or has no paragraph there."""
    other_paras = {p for p, _ in other_hits}
    without = absent = 0
    for p, _ in own:
        bead = bead_of.get(p)
        facing = beads[bead][side] if bead is not None else set()
        if not facing:
            absent += 1
        elif not facing & other_paras:
            without += 1
    return without, absent


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
        ``language_a, language_b``, ``formula_id, label``, ``rendering_a,
        rendering_b`` (the variants each version uses, in lexicon order,
        "name ×n" when used n > 1 times), ``count_a, count_b``,
        ``same_paragraph_pairs`` (aligned paragraph pairs in which both
        versions have the formula), ``without_in_b`` (A's occurrences whose
        paragraph is aligned with a paragraph of B without the formula:
        reworded or left out by the translator), ``absent_from_b`` (A's
        occurrences in a paragraph B does not have at all), ``without_in_a``,
        ``absent_from_a`` (the same for B's occurrences) and
        ``aligned_renderings`` (for the pairs, "rendering in A <-> rendering in
        B", distinct, joined by "; "). One row per formula used by either
        version, in lexicon order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = rendering_table(tokenize(docs), docs).set_index("formula_id")
    >>> table.loc["golden_thirty_years", ["rendering_a", "rendering_b"]].tolist()
    ['more splendid thirty years', 'golden 30th anniversary']
    """
    table, members, hits, alignment = _prepare(tokens, docs, lexicon, group, alignment, hits)
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
            beads = _beads(alignment, name, ref, other)
            bead_of_a = {p: k for k, (pa, _) in beads.items() for p in pa}
            bead_of_b = {p: k for k, (_, pb) in beads.items() for p in pb}
            language = (_doc_language(tokens, docs, ref), _doc_language(tokens, docs, other))
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
                without_b, absent_b = _missing(fa, fb, bead_of_a, beads, 1)
                without_a, absent_a = _missing(fb, fa, bead_of_b, beads, 0)
                rows.append({"group": name, "doc_a": ref, "doc_b": other, "language_a": language[0],
                             "language_b": language[1], "formula_id": fid, "label": labels.get(fid, ""),
                             "rendering_a": _renderings([v for _, v in fa]),
                             "rendering_b": _renderings([v for _, v in fb]), "count_a": len(fa),
                             "count_b": len(fb), "same_paragraph_pairs": same, "without_in_b": without_b,
                             "absent_from_b": absent_b, "without_in_a": without_a, "absent_from_a": absent_a,
                             "aligned_renderings": "; ".join(pairs_text)})
    out = pd.DataFrame(rows, columns=RENDERING_COLUMNS)
    for col in ("count_a", "count_b", "same_paragraph_pairs", "without_in_b", "absent_from_b", "without_in_a",
                "absent_from_a"):
        out[col] = out[col].astype(np.int64)
    return out


def rendering_pairs(tokens, docs: pd.DataFrame, lexicon=None, *, group: str | None = None,
                    alignment: pd.DataFrame | None = None, hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every formula occurrence of a version beside its counterpart in the other, bead by bead.

    In each aligned bead, the occurrences of one formula family (a formula
    and its broader ones: 中哈命运共同体 and "community with a shared future"
    are one family) in A and in B are paired in order; what is left over has
    no counterpart.

    Parameters
    ----------
    See :func:`rendering_table`.

    Returns
    -------
    DataFrame
        ``group, doc_a, doc_b, bead, para_a, para_b`` (paragraphs within the
        documents; empty on a side without the occurrence), ``family``,
        ``formula_id_a, variant_a, surface_a, formula_id_b, variant_b,
        surface_b`` (empty on the side without it) and ``status``: "both",
        "without in b" (B's aligned paragraph lacks the formula family),
        "more in a" (B's aligned paragraph has it, but fewer times), "absent
        from b" (B has no paragraph here), and "without in a", "more in b",
        "absent from a" the other way round; in bead order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> pairs = rendering_pairs(tokenize(docs), docs)
    >>> row = pairs[pairs["family"] == "golden_thirty_years"].iloc[0]
    >>> row[["surface_a", "surface_b", "status"]].tolist()
    ['more splendid thirty years', 'golden 30th anniversary', 'both']
    """
    from .lexicon import formula_levels

    table, members, hits, alignment = _prepare(tokens, docs, lexicon, group, alignment, hits)
    levels = formula_levels(table)
    family = dict(zip(levels["formula_id"], levels["family"]))
    rows = []
    for name, ids in members:
        ref = ids[0]
        for other in ids[1:]:
            beads = _beads(alignment, name, ref, other)
            in_a = hits[hits["doc_id"] == ref]
            in_b = hits[hits["doc_id"] == other]
            for bead in sorted(beads):
                paras_a, paras_b = beads[bead]
                side_a = in_a[in_a["_para"].isin(paras_a)]
                side_b = in_b[in_b["_para"].isin(paras_b)]
                fams = list(dict.fromkeys([family.get(f, f) for f in side_a["formula_id"]]
                                          + [family.get(f, f) for f in side_b["formula_id"]]))
                for fam in fams:
                    a_rows = side_a[side_a["formula_id"].map(lambda f: family.get(f, f)) == fam]
                    b_rows = side_b[side_b["formula_id"].map(lambda f: family.get(f, f)) == fam]
                    for k in range(max(len(a_rows), len(b_rows))):
                        ra = a_rows.iloc[k] if k < len(a_rows) else None
                        rb = b_rows.iloc[k] if k < len(b_rows) else None
                        if ra is not None and rb is not None:
                            status = "both"
                        elif ra is not None:
                            status = ("more in a" if len(b_rows) else "without in b") if paras_b else "absent from b"
                        else:
                            status = ("more in b" if len(a_rows) else "without in a") if paras_a else "absent from a"
                        rows.append({
                            "group": name, "doc_a": ref, "doc_b": other, "bead": bead,
                            "para_a": int(ra["_para"]) if ra is not None else None,
                            "para_b": int(rb["_para"]) if rb is not None else None, "family": fam,
                            "formula_id_a": ra["formula_id"] if ra is not None else "",
                            "variant_a": ra["variant"] if ra is not None else "",
                            "surface_a": ra["surface"] if ra is not None else "",
                            "formula_id_b": rb["formula_id"] if rb is not None else "",
                            "variant_b": rb["variant"] if rb is not None else "",
                            "surface_b": rb["surface"] if rb is not None else "", "status": status})
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    for col in ("para_a", "para_b"):
        out[col] = out[col].astype("Int64")
    out["bead"] = out["bead"].astype(np.int64)
    return out
