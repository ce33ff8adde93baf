"""Formula phrases: matching every variant, counting per document and group, discovering new ones.

A formula (*tifa*) has one id and many renderings; the lexicon
(:func:`rhetoric.lexicon.load_formula_lexicon`) lists them as phrase patterns.
All patterns are compiled into one trie and matched in one pass
(:func:`rhetoric.phrases.match_phrases`): leftmost-longest and non-overlapping,
so a stretch of text is counted once, for the longest formula that covers it
("permanent comprehensive strategic partnership" is not also a "strategic
partnership"). Every hit keeps its token positions and its offsets in the
cleaned and raw text, for KWIC lines and highlighting.

The lexicon defaults to the corpus folder's own ``lexicons/formulas.yml`` when
it has one, else the project's ``data/lexicons/formulas.yml``.

Relative frequency, as in the China Media Project's "discourse scale" and
corpus linguistics generally (Biber et al. 2004; Brezina 2018)::

    per_10k = 10 000 * count / n_tokens

References
----------
Schoenhals, M. (1992). *Doing Things with Words in Chinese Politics*. Berkeley: IEAS.
Biber, D., Conrad, S. & Cortes, V. (2004). If you look at...: Lexical bundles in
university teaching and textbooks. *Applied Linguistics* 25(3), 371-405.
Brezina, V. (2018). *Statistics in Corpus Linguistics*. Cambridge UP, ch. 2.
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and
lexicography. *Computational Linguistics* 16(1), 22-29.
Bouma, G. (2009). Normalized (pointwise) mutual information in collocation
extraction. *Proceedings of GSCL 2009*, 31-40.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import check_column, one_per_translation_group
from .errors import LexiconError, ParameterError
from .lexicon import default_formula_lexicon, load_formula_lexicon
from .phrases import match_phrases

HIT_COLUMNS = ["doc_id", "formula_id", "variant", "surface", "token_start", "token_end", "start", "end",
               "raw_start", "raw_end", "sentence", "paragraph"]
"""Columns of :func:`formula_hits`."""


def resolve_lexicon(lexicon=None, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """A loaded formula lexicon from a table, a path, or the default for the corpus.

    Parameters
    ----------
    lexicon : DataFrame, str, Path or None
        A table from :func:`~rhetoric.lexicon.load_formula_lexicon` (used as is),
        a YAML path, or None for ``<corpus>/lexicons/formulas.yml`` if the
        corpus folder has one, else the project's lexicon.
    docs : DataFrame, optional
        The documents table (for its ``attrs["corpus_dir"]``).
    """
    if isinstance(lexicon, pd.DataFrame):
        missing = [c for c in ("formula_id", "variant", "pattern") if c not in lexicon.columns]
        if missing:
            raise LexiconError(f"lexicon table lacks column(s) {missing}; load it with "
                               "rhetoric.lexicon.load_formula_lexicon().")
        return lexicon
    if lexicon is None:
        corpus_dir = docs.attrs.get("corpus_dir") if docs is not None else None
        lexicon = default_formula_lexicon(corpus_dir)
    return load_formula_lexicon(Path(lexicon))


def _formula_ids(lexicon: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(lexicon["formula_id"]))


def _check_docs(tokens, docs: pd.DataFrame) -> None:
    missing = sorted(set(docs["doc_id"]) - set(tokens.doc_ids.tolist()))
    if missing:
        raise ParameterError(f"documents {missing} are not in the token store; tokenize the same documents "
                             "table (tokenize(docs)).")


def formula_hits(tokens, docs: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Every occurrence of every formula variant.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize` (of ``docs`` or a superset).
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus`; hits are kept for these documents.
    lexicon : DataFrame, str, Path or None
        See :func:`resolve_lexicon`.

    Returns
    -------
    DataFrame
        ``doc_id, formula_id, variant`` (the rendering's name in the lexicon),
        ``surface`` (the text matched, white space collapsed),
        ``token_start, token_end`` (token positions in the document, end
        exclusive), ``start, end`` (offsets in the cleaned text),
        ``raw_start, raw_end`` (offsets in the raw file), ``sentence,
        paragraph`` (corpus-wide numbers of the token store); in the order of
        ``docs``, then by position. ``attrs["lexicon"]`` is the lexicon path.
    """
    _check_docs(tokens, docs)
    table = resolve_lexicon(lexicon, docs)
    phrases = table[["formula_id", "variant", "pattern"]].reset_index(drop=True)
    hits = match_phrases(tokens, phrases)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    hits = hits[hits["doc_id"].isin(order)]
    texts = dict(zip(docs["doc_id"], docs["text"]))
    surface = [" ".join(texts[d][s:e].split()) for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"])]
    out = hits.assign(surface=pd.Series(surface, index=hits.index, dtype=object),
                      _doc=hits["doc_id"].map(order))
    out = out.sort_values(["_doc", "token_start"], kind="stable")[HIT_COLUMNS].reset_index(drop=True)
    out.attrs["lexicon"] = table.attrs.get("path", "")
    return out


def _hits_or_compute(tokens, docs, lexicon, hits):
    table = resolve_lexicon(lexicon, docs)
    if hits is None:
        hits = formula_hits(tokens, docs, table)
    return table, hits[hits["doc_id"].isin(set(docs["doc_id"]))]


def formula_counts(tokens, docs: pd.DataFrame, lexicon=None, *, by: str | None = None,
                   prefer: str = "official", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each formula occurs, per document or per group of documents (zeros included).

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    lexicon : DataFrame, str, Path or None
        See :func:`resolve_lexicon`.
    by : str, optional
        A column of ``docs`` (``year``, ``period``, ``author``, ...) to
        aggregate by. Translation groups are counted once: only the version
        chosen by :func:`rhetoric.corpus.one_per_translation_group` is used.
    prefer : str, default "official"
        Which version of a translation group to keep when ``by`` is given.
    hits : DataFrame, optional
        From :func:`formula_hits`, to avoid matching again.

    Returns
    -------
    DataFrame
        Without ``by``: ``doc_id, formula_id, count, per_10k``, one row per
        document and formula (documents in corpus order, formulas in lexicon
        order). With ``by``: ``group, formula_id, count, per_10k, n_docs``,
        groups sorted. ``per_10k = 10 000 * count / n_tokens`` (tokens of the
        document or group; 0 for an empty one).
    """
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    formula_ids = _formula_ids(table)
    lengths = tokens.doc_lengths()
    if by is None:
        counts = pd.crosstab(hits["doc_id"], hits["formula_id"]) if len(hits) else pd.DataFrame()
        counts = counts.reindex(index=list(docs["doc_id"]), columns=formula_ids, fill_value=0)
        long = counts.stack().rename("count").reset_index()
        long.columns = ["doc_id", "formula_id", "count"]
        n = long["doc_id"].map(lengths).to_numpy(dtype=float)
        long["count"] = long["count"].astype(np.int64)
        long["per_10k"] = np.where(n > 0, 1e4 * long["count"] / np.where(n > 0, n, 1), 0.0)
        return long.reset_index(drop=True)
    check_column(docs, by)
    kept = one_per_translation_group(docs, prefer=prefer)
    group_of = dict(zip(kept["doc_id"], kept[by]))
    groups = sorted(kept[by].unique(), key=lambda v: (str(type(v)), v))
    kept_hits = hits[hits["doc_id"].isin(group_of)]
    counts = (pd.crosstab(kept_hits["doc_id"].map(group_of), kept_hits["formula_id"])
              if len(kept_hits) else pd.DataFrame())
    counts = counts.reindex(index=groups, columns=formula_ids, fill_value=0)
    long = counts.stack().rename("count").reset_index()
    long.columns = ["group", "formula_id", "count"]
    n_tokens = kept.assign(_n=kept["doc_id"].map(lengths)).groupby(by)["_n"].sum()
    n_docs = kept.groupby(by)["doc_id"].size()
    n = long["group"].map(n_tokens).to_numpy(dtype=float)
    long["count"] = long["count"].astype(np.int64)
    long["per_10k"] = np.where(n > 0, 1e4 * long["count"] / np.where(n > 0, n, 1), 0.0)
    long["n_docs"] = long["group"].map(n_docs).astype(np.int64)
    long.attrs["by"] = by
    long.attrs["prefer"] = prefer
    return long.reset_index(drop=True)


def variant_counts(tokens, docs: pd.DataFrame, lexicon=None, *, hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which rendering of each formula each document uses, and how often.

    Returns
    -------
    DataFrame
        ``doc_id, formula_id, variant, count``: one row per document and
        variant that occurs (count > 0); documents in corpus order, formulas
        and variants in lexicon order.
    """
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    columns = ["doc_id", "formula_id", "variant", "count"]
    if not len(hits):
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "count" else object) for c in columns})
    counts = hits.groupby(["doc_id", "formula_id", "variant"], sort=False).size().rename("count").reset_index()
    doc_rank = {d: i for i, d in enumerate(docs["doc_id"])}
    variant_rank = {(f, v): i for i, (f, v) in enumerate(zip(table["formula_id"], table["variant"]))}
    counts["_d"] = counts["doc_id"].map(doc_rank)
    counts["_v"] = [variant_rank.get((f, v), len(variant_rank)) for f, v in zip(counts["formula_id"],
                                                                                 counts["variant"])]
    counts = counts.sort_values(["_d", "_v"], kind="stable")
    counts["count"] = counts["count"].astype(np.int64)
    return counts[columns].reset_index(drop=True)


def formula_matrix(tokens, docs: pd.DataFrame, lexicon=None, *, value: str = "count",
                   hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document x formula table, ready for a heat map.

    Parameters
    ----------
    value : {"count", "per_10k"}, default "count"

    Returns
    -------
    DataFrame
        Index ``doc_id`` (corpus order), one column per formula (lexicon
        order), values ``count`` (int) or ``per_10k`` (float).
    """
    if value not in ("count", "per_10k"):
        raise ParameterError(f"value='{value}' is not one of 'count', 'per_10k'.")
    long = formula_counts(tokens, docs, lexicon, hits=hits)
    matrix = long.pivot(index="doc_id", columns="formula_id", values=value)
    matrix = matrix.reindex(index=list(docs["doc_id"]), columns=list(dict.fromkeys(long["formula_id"])))
    matrix.columns.name = "formula_id"
    return matrix


def first_last_appearance(tokens, docs: pd.DataFrame, lexicon=None, *,
                          hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """When each formula first and last appears in the corpus.

    Returns
    -------
    DataFrame
        ``formula_id, first_doc, first_date, last_doc, last_date, n_docs,
        n_texts`` for every formula in lexicon order; dates as written in
        ``corpus.csv`` (their precision varies); ``n_docs`` documents that
        use it, ``n_texts`` the same with each translation group counted
        once. Formulas that never occur have empty first/last fields and 0.
        Documents of the same date are ordered as in ``docs`` (by date, then
        corpus order).
    """
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    ordered = docs.reset_index(drop=True)
    if "date_start" in ordered.columns:
        ordered = ordered.assign(_pos=np.arange(len(ordered))).sort_values(["date_start", "_pos"], kind="stable")
    rank = {d: i for i, d in enumerate(ordered["doc_id"])}
    date_of = dict(zip(ordered["doc_id"], ordered["date"].astype(str)))
    group_col = ordered["translation_group"] if "translation_group" in ordered.columns else ordered["doc_id"]
    group_of = dict(zip(ordered["doc_id"], group_col.where(group_col.astype(str) != "", ordered["doc_id"])))
    rows = []
    present = hits.groupby("formula_id")["doc_id"].agg(lambda s: sorted(set(s), key=rank.get)) if len(hits) \
        else pd.Series(dtype=object)
    for fid in _formula_ids(table):
        used = present.get(fid, [])
        if len(used):
            rows.append({"formula_id": fid, "first_doc": used[0], "first_date": date_of[used[0]],
                         "last_doc": used[-1], "last_date": date_of[used[-1]], "n_docs": len(used),
                         "n_texts": len({group_of[d] for d in used})})
        else:
            rows.append({"formula_id": fid, "first_doc": None, "first_date": None, "last_doc": None,
                         "last_date": None, "n_docs": 0, "n_texts": 0})
    out = pd.DataFrame(rows, columns=["formula_id", "first_doc", "first_date", "last_doc", "last_date", "n_docs",
                                      "n_texts"])
    out[["n_docs", "n_texts"]] = out[["n_docs", "n_texts"]].astype(np.int64)
    return out


def formula_kwic(tokens, docs: pd.DataFrame, hits: pd.DataFrame, *, window: int = 5,
                 sentence: bool = False) -> pd.DataFrame:
    """Concordance lines for formula hits (via :func:`rhetoric.kwic.kwic_for_spans`).

    Parameters
    ----------
    hits : DataFrame
        From :func:`formula_hits` (possibly filtered, e.g. to one formula).
    window : int, default 5
        Tokens of context on each side.
    sentence : bool, default False
        Cut the context at the sentence boundaries.

    Returns
    -------
    DataFrame
        The KWIC columns of :func:`rhetoric.kwic.kwic_for_spans`, carrying
        ``formula_id, variant`` from the hits.
    """
    from .kwic import kwic_for_spans

    spans = hits[["doc_id", "token_start", "token_end", "formula_id", "variant"]].reset_index(drop=True)
    return kwic_for_spans(tokens, docs, spans, window=window, sentence=sentence)


# --------------------------------------------------------------------------- candidate discovery
CANDIDATE_COLUMNS = ["candidate", "n", "freq", "range", "n_texts", "n_authors", "authors", "total_freq", "pmi",
                     "npmi", "example"]
"""Columns of :func:`candidate_formulas`."""


def _covered(occ: pd.DataFrame, hits: pd.DataFrame, doc_order: dict) -> np.ndarray:
    """Which occurrences (doc_id, token_start, token_end) overlap a lexicon hit."""
    if not len(occ) or not len(hits):
        return np.zeros(len(occ), dtype=bool)
    big = np.int64(1) << 40
    h_doc = hits["doc_id"].map(doc_order).to_numpy(dtype=np.int64)
    h_start = h_doc * big + hits["token_start"].to_numpy(dtype=np.int64)
    h_end = h_doc * big + hits["token_end"].to_numpy(dtype=np.int64)
    order = np.argsort(h_start, kind="stable")
    h_start, h_end = h_start[order], h_end[order]
    h_end = np.maximum.accumulate(h_end)  # hits do not overlap; this keeps it true for any input
    o_doc = occ["doc_id"].map(doc_order).to_numpy(dtype=np.int64)
    o_start = o_doc * big + occ["token_start"].to_numpy(dtype=np.int64)
    o_end = o_doc * big + occ["token_end"].to_numpy(dtype=np.int64)
    last = np.searchsorted(h_start, o_end, side="left") - 1  # last hit starting before the occurrence ends
    ok = last >= 0
    covered = np.zeros(len(occ), dtype=bool)
    covered[ok] = h_end[last[ok]] > o_start[ok]
    return covered


def _ngram_pmi(tokens, sequences: list[list[int]], freq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """n-gram PMI and its normalised form from corpus-wide type counts (see :func:`candidate_formulas`)."""
    unigram = np.bincount(tokens.ids, minlength=len(tokens.vocab)).astype(float)
    total = float(tokens.n_tokens)
    pmi, npmi = np.empty(len(sequences)), np.empty(len(sequences))
    for k, (ids, f) in enumerate(zip(sequences, freq)):
        log_p = np.log2(f / total)
        pmi[k] = log_p - np.sum(np.log2(unigram[ids] / total))
        npmi[k] = pmi[k] / (-(len(ids) - 1) * log_p) if log_p < 0 else 1.0
    return pmi, npmi


def candidate_occurrences(tokens, docs: pd.DataFrame, candidates, lexicon=None, *,
                          hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where candidate phrases occur outside every lexicon hit.

    Parameters
    ----------
    candidates : DataFrame with a ``candidate`` column, or iterable of str
        Phrases as :func:`candidate_formulas` writes them.

    Returns
    -------
    DataFrame
        ``doc_id, candidate, token_start, token_end`` (sorted by document, then
        position); pass it to :func:`rhetoric.kwic.kwic_for_spans`.
    """
    from .bundles import bundle_occurrences

    names = candidates["candidate"].tolist() if isinstance(candidates, pd.DataFrame) else list(candidates)
    _, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    occ = bundle_occurrences(tokens, names)
    occ = occ[occ["doc_id"].isin(set(docs["doc_id"]))].reset_index(drop=True)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    occ = occ[~_covered(occ, hits, order)].rename(columns={"bundle": "candidate"})
    occ = occ.assign(_d=occ["doc_id"].map(order)).sort_values(["_d", "token_start"], kind="stable")
    return occ[["doc_id", "candidate", "token_start", "token_end"]].reset_index(drop=True)


def candidate_formulas(tokens, docs: pd.DataFrame, lexicon=None, *, min_n: int = 2, max_n: int = 6,
                       min_freq: int = 2, min_range: int = 2, min_authors: int = 1, stop_words="english",
                       examples: int = 1, window: int = 5, top: int | None = None,
                       hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recurring multi-word sequences that the formula lexicon does not cover yet.

    The lexical bundles of the corpus (:func:`rhetoric.bundles.lexical_bundles`,
    contiguous n-grams within sentences) are located, their occurrences that
    overlap a lexicon hit are dropped, and what remains is re-counted and
    filtered. A candidate must not start or end with a stop word ("of the belt"
    is not a phrase), and a candidate that only ever occurs inside a longer
    candidate (same frequency) is dropped in favour of the longer one.

    Candidates are ranked by how widely they recur - distinct authors, then
    texts (translation groups counted once), then documents - and then by how
    strongly their words belong together: the pointwise mutual information of
    the n-gram (Church & Hanks 1990, generalised to n words), normalised as
    Bouma (2009) does for two words so that long and short candidates compare::

        pmi  = log2( p(w1 ... wn) / (p(w1) * ... * p(wn)) ),   p(x) = f(x) / N
        npmi = pmi / ( -(n - 1) * log2 p(w1 ... wn) )

    with ``f`` raw corpus frequencies and ``N`` the corpus size in tokens.
    ``npmi`` is 1 when the words only ever occur together, 0 when they are
    independent. Ties are broken by frequency, then alphabetically.

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    lexicon : DataFrame, str, Path or None
        See :func:`resolve_lexicon`.
    min_n, max_n : int, default 2 and 6
        Shortest and longest candidate, in tokens.
    min_freq : int, default 2
        Minimum occurrences outside lexicon hits.
    min_range : int, default 2
        Minimum documents it occurs in (outside lexicon hits).
    min_authors : int, default 1
        Minimum distinct authors (``author`` column; a document without one
        counts as its own author).
    stop_words : None, bool, str or iterable, default "english"
        Words a candidate may not start or end with, and bundles made only of
        them are dropped (see :func:`rhetoric.frequency.stop_word_set`).
    examples : int, default 1
        KWIC lines to show per candidate in ``example`` (joined by " | ").
    window : int, default 5
        Context tokens on each side in the examples.
    top : int, optional
        Keep only the first ``top`` candidates.
    hits : DataFrame, optional
        From :func:`formula_hits`.

    Returns
    -------
    DataFrame
        ``candidate`` (types joined by spaces), ``n``, ``freq`` (occurrences
        outside lexicon hits), ``range`` (documents), ``n_texts``,
        ``n_authors``, ``authors`` (joined by "; "), ``total_freq`` (all
        occurrences), ``pmi``, ``npmi``, ``example`` (KWIC line(s): ``left [phrase]
        right``). Ranked as described above.
    """
    from .bundles import bundle_occurrences, lexical_bundles, parse_ngram
    from .frequency import stop_word_set

    if examples < 0 or window < 0:
        raise ParameterError(f"examples={examples} and window={window} must be >= 0.")
    if min_authors < 1:
        raise ParameterError(f"min_authors={min_authors} must be at least 1.")
    _check_docs(tokens, docs)
    _, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    sub = tokens if list(tokens.doc_ids) == list(docs["doc_id"]) else tokens.subset(docs["doc_id"])
    bundles = lexical_bundles(sub, min_n=min_n, max_n=max_n, min_freq=min_freq, min_range=min_range,
                              stop_words=stop_words, maximal=False)
    stop = stop_word_set(stop_words)
    sequences = {b: parse_ngram(sub, b) for b in bundles["bundle"]}
    vocab = sub.vocab
    clean = np.array([vocab[sequences[b][0]] not in stop and vocab[sequences[b][-1]] not in stop
                      for b in bundles["bundle"]], dtype=bool) if len(bundles) else np.zeros(0, dtype=bool)
    bundles = bundles[clean].reset_index(drop=True)
    empty = pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("n", "freq", "range", "n_texts", "n_authors",
                                                                 "total_freq")
                                       else float if c in ("pmi", "npmi") else object)
                          for c in CANDIDATE_COLUMNS})
    if not len(bundles):
        return empty
    occ = bundle_occurrences(sub, bundles)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    occ = occ[~_covered(occ, hits, order)]
    meta = docs.set_index("doc_id")
    author = meta["author"].fillna("").astype(str) if "author" in meta.columns \
        else pd.Series("", index=meta.index)
    author = author.where(author.str.strip() != "", meta.index.to_series())
    group = meta["translation_group"].fillna("").astype(str) if "translation_group" in meta.columns \
        else pd.Series("", index=meta.index)
    group = group.where(group != "", meta.index.to_series())
    occ = occ.assign(_author=occ["doc_id"].map(author), _text=occ["doc_id"].map(group))
    stats = occ.groupby("bundle", sort=False).agg(
        freq=("doc_id", "size"), range=("doc_id", "nunique"), n_texts=("_text", "nunique"),
        n_authors=("_author", "nunique"), authors=("_author", lambda s: "; ".join(sorted(set(s)))))
    table = bundles.rename(columns={"freq": "total_freq", "range": "total_range"}).join(stats, on="bundle",
                                                                                       how="inner")
    table = table[(table["freq"] >= min_freq) & (table["range"] >= min_range)
                  & (table["n_authors"] >= min_authors)].rename(columns={"bundle": "candidate"})
    if not len(table):
        return empty
    # a candidate that only occurs inside a longer one (same count outside the lexicon) goes
    freq_of = {tuple(sequences[c]): f for c, f in zip(table["candidate"], table["freq"])}
    inside_longer = set()
    for seq, f in freq_of.items():
        for a in range(len(seq)):
            for b in range(a + 1, len(seq) + 1):
                if b - a < len(seq) and freq_of.get(seq[a:b]) == f:
                    inside_longer.add(seq[a:b])
    inside_longer = {" ".join(vocab[list(seq)]) for seq in inside_longer}
    table = table[~table["candidate"].isin(inside_longer)].copy()
    pmi, npmi = _ngram_pmi(sub, [sequences[c] for c in table["candidate"]], table["total_freq"].to_numpy())
    table["pmi"], table["npmi"] = pmi.round(4), npmi.round(4)
    table = table.sort_values(["n_authors", "n_texts", "range", "npmi", "freq", "candidate"],
                              ascending=[False, False, False, False, False, True], kind="stable")
    if top is not None:
        table = table.head(int(top))
    table["example"] = _examples(tokens, docs, occ, table["candidate"], examples=examples, window=window)
    for col in ("n", "freq", "range", "n_texts", "n_authors", "total_freq"):
        table[col] = table[col].astype(np.int64)
    out = table[CANDIDATE_COLUMNS].reset_index(drop=True)
    out.attrs.update({"min_n": min_n, "max_n": max_n, "min_freq": min_freq, "min_range": min_range,
                      "min_authors": min_authors, "lexicon": hits.attrs.get("lexicon", "")})
    return out


def _examples(tokens, docs, occ: pd.DataFrame, candidates: pd.Series, *, examples: int, window: int) -> list[str]:
    if examples == 0 or not len(candidates):
        return [""] * len(candidates)
    from .kwic import kwic_for_spans

    order = {d: i for i, d in enumerate(docs["doc_id"])}
    wanted = occ[occ["bundle"].isin(set(candidates))]
    wanted = wanted.assign(_d=wanted["doc_id"].map(order)).sort_values(["_d", "token_start"], kind="stable")
    wanted = wanted.groupby("bundle", sort=False).head(examples)
    spans = wanted[["doc_id", "token_start", "token_end", "bundle"]].reset_index(drop=True)
    lines = kwic_for_spans(tokens, docs, spans, window=window)
    text = [_kwic_text(row) for _, row in lines.iterrows()]
    joined: dict[str, list[str]] = {}
    for bundle, line in zip(lines["bundle"], text):
        joined.setdefault(bundle, []).append(line)
    return [" | ".join(joined.get(c, [])) for c in candidates]


def _kwic_text(row) -> str:
    return f"{row['left']} [{row['match']}] {row['right']}".strip()
