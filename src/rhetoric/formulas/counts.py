"""Formula phrases: matching every variant, counting per document and group (discovery: :mod:`.discovery`).

A formula (*tifa*) has one id and many renderings; the lexicon
(:func:`rhetoric.formulas.lexicon.load_formula_lexicon`) lists them as patterns
of :mod:`rhetoric.patterns`, matched together in one pass with
``overlapping=False`` (leftmost-longest, non-overlapping), so a stretch of text
is counted once, for the longest formula that covers it ("permanent
comprehensive strategic partnership" is not also a "strategic partnership").
Every hit keeps its token positions and its offsets in the cleaned and raw
text, for KWIC lines and highlighting. Counts go through the one counts model
(:mod:`rhetoric.counts`): a translated text counts once unless
``all_versions=True``.

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
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..checks import check_choice
from ..corpus.tokens import raw_spans
from ..counts import count_hits, group_counts, select_documents, select_tokens
from ..errors import LexiconError
from ..patterns import find
from .lexicon import default_formula_lexicon, load_formula_lexicon

HIT_COLUMNS = ["doc_id", "formula_id", "variant", "surface", "token_start", "token_end", "start", "end",
               "raw_start", "raw_end", "sentence", "paragraph"]
"""Columns of :func:`formula_hits`."""


def resolve_lexicon(lexicon=None, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """A loaded formula lexicon from a table, a path, or the default for the corpus.

    Parameters
    ----------
    lexicon : DataFrame, str, Path or None
        A table from :func:`~rhetoric.formulas.lexicon.load_formula_lexicon` (used as is),
        a YAML path, or None for ``<corpus>/lexicons/formulas.yml`` if the
        corpus folder has one, else the project's lexicon.
    docs : DataFrame, optional
        The documents table (for its ``attrs["corpus_dir"]``).

    Examples
    --------
    >>> from rhetoric import load_corpus
    >>> table = resolve_lexicon(None, load_corpus())
    >>> table.attrs["path"].endswith("formulas.yml"), resolve_lexicon(table) is table
    (True, True)
    """
    if isinstance(lexicon, pd.DataFrame):
        missing = [c for c in ("formula_id", "variant", "pattern") if c not in lexicon.columns]
        if missing:
            raise LexiconError(f"lexicon table lacks column(s) {missing}; load it with "
                               "rhetoric.formulas.lexicon.load_formula_lexicon().")
        return lexicon
    if lexicon is None:
        corpus_dir = docs.attrs.get("corpus_dir") if docs is not None else None
        lexicon = default_formula_lexicon(corpus_dir)
    return load_formula_lexicon(Path(lexicon))


def _formula_ids(lexicon: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(lexicon["formula_id"]))


def formula_hits(tokens, docs: pd.DataFrame, lexicon=None) -> pd.DataFrame:
    """Every occurrence of every formula variant in the documents of ``docs``.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize` (of ``docs`` or a superset).
    docs : DataFrame
        The documents table; hits are found in each of its documents (every
        version of a translated text: the counts choose which count).
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
        paragraph`` (corpus-wide numbers of the token store); in corpus
        order. ``attrs["lexicon"]`` is the lexicon path.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> hits = formula_hits(tokenize(docs), docs)
    >>> hits.loc[0, ["doc_id", "formula_id", "surface"]].tolist()
    ['zhang2022_visit', 'permanent_comprehensive_strategic_partnership', 'permanent comprehensive strategic partnership']
    """
    table = resolve_lexicon(lexicon, docs)
    select_tokens(tokens, docs)  # every document of docs is in the store
    phrases = table[["formula_id", "variant", "pattern"]].reset_index(drop=True)
    hits = find(tokens, phrases, overlapping=False)
    hits = hits[hits["doc_id"].isin(set(docs["doc_id"].astype(str)))].reset_index(drop=True)
    hits["raw_start"], hits["raw_end"] = raw_spans(docs, hits["doc_id"], hits["start"], hits["end"])
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    hits.insert(3, "surface", pd.Series([" ".join(texts[d][s:e].split()) for d, s, e in
                                         zip(hits["doc_id"], hits["start"], hits["end"])], dtype=object))
    out = hits[HIT_COLUMNS].reset_index(drop=True)
    out.attrs["lexicon"] = table.attrs.get("path", "")
    return out


def _hits_or_compute(tokens, docs, lexicon, hits):
    table = resolve_lexicon(lexicon, docs)
    if hits is None:
        hits = formula_hits(tokens, docs, table)
    return table, hits[hits["doc_id"].isin(set(docs["doc_id"].astype(str)))]


def formula_counts(tokens, docs: pd.DataFrame, lexicon=None, *, by: str | None = None, all_versions: bool = False,
                   prefer: str = "official", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """How often each formula occurs, per document or per group of documents (zeros included).

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    lexicon : DataFrame, str, Path or None
        See :func:`resolve_lexicon`.
    by : str, optional
        ``None``: per document; ``"corpus"`` or a metadata column (``year``,
        ``period``, ``author``): per group.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).
    hits : DataFrame, optional
        From :func:`formula_hits`, to avoid matching again.

    Returns
    -------
    DataFrame
        ``group`` (the doc_id without ``by``), ``formula_id, count, per_10k,
        n_docs, n_tokens``: one row per group and formula (groups in corpus
        or sorted order, formulas in lexicon order). ``per_10k = 10 000 *
        count / n_tokens`` (0 for an empty group).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> counts = formula_counts(tokenize(docs), docs, by="year")
    >>> counts[counts["formula_id"] == "golden_thirty_years"][["group", "count", "n_docs"]].to_dict("records")
    [{'group': 2022, 'count': 2, 'n_docs': 2}, {'group': 2023, 'count': 1, 'n_docs': 1}, {'group': 2024, 'count': 0, 'n_docs': 1}]
    """
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    grouped = group_counts(count_hits(tokens, docs, hits, column="formula_id", terms=_formula_ids(table),
                                      all_versions=all_versions, prefer=prefer), by)
    dense = grouped.matrix.toarray()
    n_groups, n_formulas = dense.shape
    sizes = np.repeat(grouped.n_tokens, n_formulas)
    count = dense.ravel().astype(np.int64)
    long = pd.DataFrame({
        "group": grouped.rows["group"].iloc[np.repeat(np.arange(n_groups), n_formulas)].reset_index(drop=True),
        "formula_id": pd.Series(np.tile(grouped.terms, n_groups), dtype=object),
        "count": count,
        "per_10k": np.divide(count * 1e4, sizes, out=np.zeros(len(count)), where=sizes > 0),
        "n_docs": np.repeat(grouped.rows["n_docs"].to_numpy(), n_formulas),
        "n_tokens": sizes,
    })
    long.attrs.update(by=by or "doc_id", all_versions=all_versions, prefer=prefer)
    return long


def variant_counts(tokens, docs: pd.DataFrame, lexicon=None, *, all_versions: bool = True, prefer: str = "official",
                   hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which rendering of each formula each document uses, and how often.

    By default every version of a translated text is listed (``all_versions=True``):
    the point is to compare renderings.

    Returns
    -------
    DataFrame
        ``doc_id, formula_id, variant, count``: one row per document and
        variant that occurs (count > 0); documents in corpus order, formulas
        and variants in lexicon order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = variant_counts(tokenize(docs), docs)
    >>> table[table["formula_id"] == "golden_thirty_years"]["doc_id"].tolist()
    ['zhang2022_visit', 'xi2022_unofficial', 'xi2022_xinhua', 'zhang2023_newyear']
    """
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
    hits = hits[hits["doc_id"].isin(set(chosen["doc_id"].astype(str)))]
    columns = ["doc_id", "formula_id", "variant", "count"]
    if not len(hits):
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c == "count" else object) for c in columns})
    counts = hits.groupby(["doc_id", "formula_id", "variant"], sort=False).size().rename("count").reset_index()
    doc_rank = {d: i for i, d in enumerate(docs["doc_id"].astype(str))}
    variant_rank = {(f, v): i for i, (f, v) in enumerate(zip(table["formula_id"], table["variant"]))}
    counts["_d"] = counts["doc_id"].map(doc_rank)
    counts["_v"] = [variant_rank.get((f, v), len(variant_rank)) for f, v in zip(counts["formula_id"],
                                                                                 counts["variant"])]
    counts = counts.sort_values(["_d", "_v"], kind="stable")
    counts["count"] = counts["count"].astype(np.int64)
    return counts[columns].reset_index(drop=True)


def formula_matrix(tokens, docs: pd.DataFrame, lexicon=None, *, value: str = "count", all_versions: bool = False,
                   prefer: str = "official", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document x formula table, ready for a heat map.

    Parameters
    ----------
    value : {"count", "per_10k"}, default "count"
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        Index ``doc_id`` (corpus order), one column per formula (lexicon
        order), values ``count`` (int) or ``per_10k`` (float).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> formula_matrix(tokenize(docs), docs).shape[0]
    4
    """
    check_choice("value", value, ("count", "per_10k"))
    long = formula_counts(tokens, docs, lexicon, all_versions=all_versions, prefer=prefer, hits=hits)
    matrix = long.pivot(index="group", columns="formula_id", values=value)
    matrix = matrix.reindex(index=list(dict.fromkeys(long["group"])), columns=list(dict.fromkeys(long["formula_id"])))
    matrix.index.name, matrix.columns.name = "doc_id", "formula_id"
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

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = first_last_appearance(tokenize(docs), docs)
    >>> table[table["formula_id"] == "golden_thirty_years"].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'formula_id': 'golden_thirty_years', 'first_doc': 'zhang2022_visit', 'first_date': '2022-09',
      'last_doc': 'zhang2023_newyear', 'last_date': '2023-12', 'n_docs': 4, 'n_texts': 3}]
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
    """Concordance lines for formula hits (via :func:`rhetoric.stats.kwic.kwic_for_spans`).

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
        The KWIC columns of :func:`rhetoric.stats.kwic.kwic_for_spans`, carrying
        ``formula_id, variant`` from the hits.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> tokens = tokenize(docs)
    >>> hits = formula_hits(tokens, docs)
    >>> lines = formula_kwic(tokens, docs, hits[hits["formula_id"] == "golden_thirty_years"], window=2)
    >>> lines.loc[2, ["left", "match", "right"]].tolist()
    ['in a', 'more splendid thirty years', 'in China-Kazakhstan']
    """
    from ..stats.kwic import kwic_for_spans

    spans = hits[["doc_id", "token_start", "token_end", "formula_id", "variant"]].reset_index(drop=True)
    return kwic_for_spans(tokens, docs, spans, window=window, sentence=sentence)
