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

Levels. A hit belongs to one formula, its own (the longest match). Where the
lexicon names a ``broader`` formula, counts can be reported at the formula's
own level (``level="own"``, the default), rolled up (``level="rolled_up"``:
a formula counts its own hits and those of every narrower formula below it,
:func:`rolled_up_hits`), or both (``level="both"``, with a ``level`` column).
A document with one "high-quality Belt and Road cooperation" and one "Belt and
Road" counts 1 + 1 at the own level and 2 for the Belt and Road rolled up::

    rolled_up(f) = own(f) + sum of own(g) for every g below f

Formula ids are shared by every language: a Chinese original and its English
translations count under the same ids (:func:`formula_timeline` puts them side
by side).

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
from .lexicon import default_formula_lexicon, formula_levels, load_formula_lexicon

HIT_COLUMNS = ["doc_id", "formula_id", "variant", "surface", "token_start", "token_end", "start", "end",
               "raw_start", "raw_end", "sentence", "paragraph"]
"""Columns of :func:`formula_hits`."""
LEVELS = ("own", "rolled_up", "both")
"""Values of the ``level`` option."""
TIMELINE_COLUMNS = ["date", "doc_id", "language", "translation_group", "translation", "formula_id", "level",
                    "count", "per_10k", "n_tokens"]
"""Columns of :func:`formula_timeline`."""


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


def rolled_up_hits(hits: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Every hit once for its own formula and once for each broader formula above it.

    Parameters
    ----------
    hits : DataFrame
        From :func:`formula_hits`.
    lexicon : DataFrame
        The loaded lexicon (its ``broader`` column gives the levels;
        :func:`rhetoric.formulas.lexicon.formula_levels`).

    Returns
    -------
    DataFrame
        The hits' columns, ``formula_id`` now the formula counted, plus
        ``own_formula_id`` (the formula the hit belongs to) and ``depth_up``
        (0 for the hit itself, 1 for its broader formula, ...); sorted as the
        hits, each hit's rows from its own formula upward.

    Examples
    --------
    >>> from rhetoric.formulas.lexicon import load_formula_lexicon
    >>> hits = pd.DataFrame({"doc_id": ["d"], "formula_id": ["china_kazakhstan_community"]})
    >>> rolled_up_hits(hits, load_formula_lexicon())["formula_id"].tolist()
    ['china_kazakhstan_community', 'bilateral_community', 'community_shared_future']
    """
    levels = formula_levels(lexicon)
    chains = {f: (f,) + tuple(a) for f, a in zip(levels["formula_id"], levels["ancestors"])}
    own = hits["formula_id"].tolist()
    lengths = np.array([len(chains.get(f, (f,))) for f in own], dtype=np.int64)
    out = hits.iloc[np.repeat(np.arange(len(hits)), lengths)].reset_index(drop=True)
    out["own_formula_id"] = pd.Series(np.repeat(np.array(own, dtype=object), lengths), dtype=object)
    out["formula_id"] = pd.Series([g for f in own for g in chains.get(f, (f,))], dtype=object)
    out["depth_up"] = np.concatenate([np.arange(n) for n in lengths]).astype(np.int64) if len(lengths) \
        else np.zeros(0, dtype=np.int64)
    out.attrs = dict(hits.attrs)
    return out


def _at_level(hits: pd.DataFrame, table: pd.DataFrame, level: str) -> pd.DataFrame:
    return rolled_up_hits(hits, table) if level == "rolled_up" else hits


def formula_counts(tokens, docs: pd.DataFrame, lexicon=None, *, by: str | None = None, all_versions: bool = False,
                   prefer: str = "official", hits: pd.DataFrame | None = None, level: str = "own") -> pd.DataFrame:
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
    level : {"own", "rolled_up", "both"}, default "own"
        Count each hit for its own formula; or for it and every broader
        formula (see the module docstring); or both, one row per level.

    Returns
    -------
    DataFrame
        ``group`` (the doc_id without ``by``), ``formula_id``, (with
        ``level="both"``) ``level`` ("own" or "rolled_up"), ``count, per_10k,
        n_docs, n_tokens``: one row per group and formula (and level; groups
        in corpus or sorted order, formulas in lexicon order). ``per_10k =
        10 000 * count / n_tokens`` (0 for an empty group). ``attrs["level"]``
        is the level asked for.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> counts = formula_counts(tokenize(docs), docs, by="year")
    >>> counts[counts["formula_id"] == "golden_thirty_years"][["group", "count", "n_docs"]].to_dict("records")
    [{'group': 2022, 'count': 2, 'n_docs': 2}, {'group': 2023, 'count': 1, 'n_docs': 1}, {'group': 2024, 'count': 0, 'n_docs': 1}]
    >>> both = formula_counts(tokenize(docs), docs, by="corpus", level="both").set_index(["formula_id", "level"])
    >>> both.loc["belt_and_road", "count"].to_dict()
    {'own': 9, 'rolled_up': 13}
    """
    check_choice("level", level, LEVELS)
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    if level == "both":
        own = formula_counts(tokens, docs, table, by=by, all_versions=all_versions, prefer=prefer, hits=hits)
        rolled = formula_counts(tokens, docs, table, by=by, all_versions=all_versions, prefer=prefer, hits=hits,
                                level="rolled_up")
        n = len(own)
        both = pd.concat([own.assign(level="own"), rolled.assign(level="rolled_up")], ignore_index=True)
        both = both.iloc[np.argsort(np.concatenate([np.arange(n) * 2, np.arange(n) * 2 + 1]), kind="stable")]
        both = both[["group", "formula_id", "level", "count", "per_10k", "n_docs", "n_tokens"]].reset_index(drop=True)
        both.attrs.update(own.attrs, level="both")
        return both
    hits = _at_level(hits, table, level)
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
    long.attrs.update(by=by or "doc_id", all_versions=all_versions, prefer=prefer, level=level)
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
                   prefer: str = "official", hits: pd.DataFrame | None = None, level: str = "own") -> pd.DataFrame:
    """Document x formula table, ready for a heat map.

    Parameters
    ----------
    value : {"count", "per_10k"}, default "count"
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).
    level : {"own", "rolled_up"}, default "own"
        See :func:`formula_counts`.

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
    check_choice("level", level, LEVELS[:2])
    long = formula_counts(tokens, docs, lexicon, all_versions=all_versions, prefer=prefer, hits=hits, level=level)
    matrix = long.pivot(index="group", columns="formula_id", values=value)
    matrix = matrix.reindex(index=list(dict.fromkeys(long["group"])), columns=list(dict.fromkeys(long["formula_id"])))
    matrix.index.name, matrix.columns.name = "doc_id", "formula_id"
    return matrix


def first_last_appearance(tokens, docs: pd.DataFrame, lexicon=None, *, hits: pd.DataFrame | None = None,
                          level: str = "own") -> pd.DataFrame:
    """When each formula first and last appears in the corpus.

    ``level="rolled_up"``: a formula appears where it or a narrower formula
    does (see :func:`formula_counts`).

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
    check_choice("level", level, LEVELS[:2])
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    hits = _at_level(hits, table, level)
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


def formula_timeline(tokens, docs: pd.DataFrame, lexicon=None, *, level: str = "own",
                     hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each formula in each document by date, every version and language side by side.

    Every document counts here (every version of a translated text, the
    Chinese original beside its English translations): formula ids are shared
    across languages, so the rows of one text's versions share a date and a
    ``translation_group`` and can be read across.

    Parameters
    ----------
    level : {"own", "rolled_up", "both"}, default "own"
        See :func:`formula_counts`.

    Returns
    -------
    DataFrame
        ``date, doc_id, language, translation_group, translation, formula_id,
        level, count, per_10k, n_tokens``: one row per document and formula
        (and level) for the formulas found in at least one document (zeros
        included, so a version without a formula shows 0); documents by date,
        then corpus order; formulas in lexicon order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = formula_timeline(tokenize(docs), docs)
    >>> rows = table[table["formula_id"] == "golden_thirty_years"]
    >>> rows[["date", "doc_id", "count"]].head(3).values.tolist()
    [['2022-09', 'zhang2022_visit', 1], ['2022-09-13', 'xi2022_unofficial', 1], ['2022-09-13', 'xi2022_xinhua', 1]]
    """
    check_choice("level", level, LEVELS)
    table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    counts = formula_counts(tokens, docs, table, all_versions=True, hits=hits, level=level)
    if "level" not in counts.columns:
        counts.insert(2, "level", level)
    used = set(counts.loc[counts["count"] > 0, "formula_id"])
    counts = counts[counts["formula_id"].isin(used)]
    meta = docs.assign(_pos=np.arange(len(docs))).set_index(docs["doc_id"].astype(str))
    for column in ("language", "translation_group", "translation"):
        if column not in meta.columns:
            meta[column] = ""
    order = meta.sort_values(["date_start", "_pos"] if "date_start" in meta.columns else ["_pos"], kind="stable")
    rank = {d: i for i, d in enumerate(order.index)}
    out = counts.rename(columns={"group": "doc_id"}).assign(_rank=lambda t: t["doc_id"].map(rank),
                                                           _row=np.arange(len(counts)))
    out = out.sort_values(["_rank", "_row"], kind="stable")
    for column in ("date", "language", "translation_group", "translation"):
        out[column] = out["doc_id"].map(meta[column].fillna("").astype(str))
    out = out[TIMELINE_COLUMNS].reset_index(drop=True)
    out.attrs.update(level=level)
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
