"""Discovering formula candidates: recurring phrases the lexicon does not cover yet.

A formula (*tifa*) recurs across texts and authors, always in the same words,
and its writers mark it: they put it in quotes, capitalise it like a name
("Global Development Initiative"), and build it from the vocabulary of the
other formulas. :func:`candidate_formulas` ranks recurring phrases by these
signs, so that formula-like phrases come before names and reporting phrases.

References
----------
Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and
lexicography. *Computational Linguistics* 16(1), 22-29.
Bouma, G. (2009). Normalized (pointwise) mutual information in collocation
extraction. *Proceedings of GSCL 2009*, 31-40.
Biber, D., Conrad, S. & Cortes, V. (2004). If you look at...: Lexical bundles in
university teaching and textbooks. *Applied Linguistics* 25(3), 371-405.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_int
from ..counts import select_documents, select_tokens, stop_word_list
from ..stats.bundles import bundle_occurrences, lexical_bundles
from ..stats.kwic import kwic_for_spans
from .counts import _hits_or_compute

_HAN = __import__("re").compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

CANDIDATE_COLUMNS = ["candidate", "n", "freq", "range", "n_texts", "n_authors", "authors", "total_freq", "pmi",
                     "npmi", "quoted", "capitalised", "coined", "names", "formula_words", "score", "example"]
"""Columns of :func:`candidate_formulas`."""
QUOTES = "\"\u201c\u201d\u00ab\u00bb\u300c\u300d\u300e\u300f\u300a\u300b"
"""Quotation marks that mark a phrase as quoted (double quotes, guillemets, Chinese corner and title brackets)."""
NAME_RATE = 0.9
"""A word written with a capital in at least this share of its occurrences not starting a sentence is a name."""


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


def _first_upper(tokens, doc_texts: dict, positions: np.ndarray) -> np.ndarray:
    """Whether the token at each corpus-wide position starts with an upper-case letter (as written)."""
    out = np.zeros(len(positions), dtype=bool)
    if not len(positions):
        return out
    doc = np.searchsorted(tokens.bounds, positions, side="right") - 1
    for d in np.unique(doc).tolist():
        rows = np.flatnonzero(doc == d)
        text = doc_texts[tokens.doc_ids[d]]
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        first = codes[tokens.start[positions[rows]].astype(np.int64)]
        upper = (first >= 65) & (first <= 90)
        other = np.flatnonzero(first > 127)
        upper[other] = [chr(c).isupper() for c in first[other].tolist()]
        out[rows] = upper
    return out


def formula_signs(tokens, docs: pd.DataFrame, occ: pd.DataFrame, candidates: list[str], hits: pd.DataFrame, *,
                  stop_words=True) -> pd.DataFrame:
    """How formula-like each candidate is: quoted, marked, made of names, made of formula words.

    Parameters
    ----------
    tokens, docs
        The token store and the documents table.
    occ : DataFrame
        The candidates' occurrences (``doc_id, bundle, token_start,
        token_end``, from :func:`rhetoric.stats.bundles.bundle_occurrences`).
    candidates : list of str
        Phrases (types joined by spaces).
    hits : DataFrame
        The lexicon's hits in ``docs`` (:func:`rhetoric.formulas.formula_hits`).

    Returns
    -------
    DataFrame indexed by candidate
        ``quoted``: share of occurrences with a quotation mark (:data:`QUOTES`)
        right before or right after (a space between allowed);
        ``capitalised``: share of occurrences whose content words (not stop
        words, starting with a letter other than a Chinese character) all
        start with a capital, the first word of a sentence not judged, at
        least one word judged;
        ``coined``: share of its content words that are hyphenated
        compounds and not names ("win-win", "people-to-people",
        "good-neighborly": the calques formulas are made of);
        ``names``: share of its content words that are names (written with a
        capital in at least :data:`NAME_RATE` of their occurrences that do
        not start a sentence);
        ``formula_words``: the mean, over its content words, of the share of
        each word's occurrences in the corpus that lie inside a lexicon hit
        (how much its words belong to the formulas already known);
        ``number``: whether it holds a number. Chinese words have no case: they
        are neither capitalised nor names.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> from rhetoric.formulas.counts import formula_hits
    >>> from rhetoric.stats.bundles import bundle_occurrences
    >>> docs = load_corpus()
    >>> tokens = tokenize(docs)
    >>> occ = bundle_occurrences(tokens, docs, ["xi jinping"])
    >>> float(formula_signs(tokens, docs, occ, ["xi jinping"], formula_hits(tokens, docs)).loc["xi jinping", "names"])
    1.0
    """
    stop = stop_word_list(stop_words)
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    vocab = tokens.vocab
    index = {w: i for i, w in enumerate(vocab.tolist())}
    content = {c: [w for w in c.split(" ") if w not in stop and w[:1].isalpha()] for c in candidates}
    word_ids = np.array(sorted({index[w] for ws in content.values() for w in ws if w in index}), dtype=np.int64)
    initial = np.ones(tokens.n_tokens, dtype=bool)
    initial[1:] = tokens.sentence[1:] != tokens.sentence[:-1]
    doc_pos = {d: i for i, d in enumerate(tokens.doc_ids.tolist())}
    # names: words written with a capital wherever they do not start a sentence
    where = np.flatnonzero(np.isin(tokens.ids, word_ids) & ~initial) if len(word_ids) else np.zeros(0, np.int64)
    upper = _first_upper(tokens, texts, where)
    n_upper = np.bincount(tokens.ids[where], weights=upper, minlength=len(vocab))
    n_seen = np.bincount(tokens.ids[where], minlength=len(vocab))
    is_name = (n_seen > 0) & (n_upper >= NAME_RATE * np.maximum(n_seen, 1))
    # formula words: the share of each word's occurrences inside a lexicon hit
    inside = np.zeros(tokens.n_tokens + 1, dtype=np.int64)
    if len(hits):
        hit_doc = hits["doc_id"].astype(str).map(doc_pos)
        ok = hit_doc.notna().to_numpy()
        base = tokens.bounds[hit_doc[ok].to_numpy(dtype=np.int64)]
        np.add.at(inside, base + hits["token_start"].to_numpy(dtype=np.int64)[ok], 1)
        np.add.at(inside, base + hits["token_end"].to_numpy(dtype=np.int64)[ok], -1)
    covered = np.cumsum(inside)[:-1] > 0
    in_hits = np.bincount(tokens.ids, weights=covered, minlength=len(vocab))
    total = np.maximum(np.bincount(tokens.ids, minlength=len(vocab)), 1)
    quoted = capitalised = None
    if len(occ):
        doc = occ["doc_id"].map(doc_pos).to_numpy(dtype=np.int64)
        start = tokens.bounds[doc] + occ["token_start"].to_numpy(dtype=np.int64)
        end = tokens.bounds[doc] + occ["token_end"].to_numpy(dtype=np.int64)

        def quote_near(text, a, b):
            before = text[max(0, a - 2):a].rstrip(" ")[-1:]
            after = text[b:b + 2].lstrip(" ")[:1]
            return bool(before and before in QUOTES) or bool(after and after in QUOTES)

        quoted = [quote_near(texts[d], int(tokens.start[a]), int(tokens.end[b - 1]))
                  for d, a, b in zip(occ["doc_id"], start.tolist(), end.tolist())]
        lengths = end - start
        positions = np.repeat(start, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths,
                                                                                        lengths))
        words = vocab[tokens.ids[positions]]
        judged = np.array([w not in stop and w[:1].isalpha() and not _HAN.match(w) for w in words.tolist()],
                          dtype=bool) & ~initial[positions]
        ok = _first_upper(tokens, texts, positions) | ~judged
        occurrence = np.repeat(np.arange(len(occ)), lengths)
        all_ok = np.bincount(occurrence, weights=~ok, minlength=len(occ)) == 0
        any_judged = np.bincount(occurrence, weights=judged, minlength=len(occ)) > 0
        capitalised = all_ok & any_judged
    frame = pd.DataFrame({"bundle": occ["bundle"].to_numpy() if len(occ) else [],
                          "quoted": quoted if quoted is not None else [],
                          "capitalised": capitalised if capitalised is not None else []})
    shares = frame.groupby("bundle")[["quoted", "capitalised"]].mean() if len(frame) else \
        pd.DataFrame(columns=["quoted", "capitalised"], dtype=float)
    rows = []
    for c in candidates:
        ws = [w for w in content[c] if w in index]
        ids = [index[w] for w in ws]
        names = sum(bool(is_name[i]) for i in ids)
        rows.append({"candidate": c,
                     "quoted": float(shares.loc[c, "quoted"]) if c in shares.index else 0.0,
                     "capitalised": float(shares.loc[c, "capitalised"]) if c in shares.index else 0.0,
                     "coined": sum("-" in w and not is_name[i] for w, i in zip(ws, ids)) / len(ws) if ws else 0.0,
                     "names": names / len(ws) if ws else 0.0,
                     "formula_words": float(np.mean([in_hits[i] / total[i] for i in ids])) if ids else 0.0,
                     "number": any(w[:1].isdigit() for w in c.split(" "))})
    return pd.DataFrame(rows, columns=["candidate", "quoted", "capitalised", "coined", "names", "formula_words",
                                       "number"]).set_index("candidate")


def candidate_occurrences(tokens, docs: pd.DataFrame, candidates, lexicon=None, *, all_versions: bool = False,
                          prefer: str = "official", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where candidate phrases occur outside every lexicon hit.

    Parameters
    ----------
    candidates : DataFrame with a ``candidate`` column, or iterable of str
        Phrases as :func:`candidate_formulas` writes them.

    Returns
    -------
    DataFrame
        ``doc_id, candidate, token_start, token_end`` (sorted by document, then
        position); pass it to :func:`rhetoric.stats.kwic.kwic_for_spans`.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> occ = candidate_occurrences(tokenize(docs), docs, ["the two countries"])
    >>> len(occ) > 0
    True
    """
    names = candidates["candidate"].tolist() if isinstance(candidates, pd.DataFrame) else list(candidates)
    _, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    occ = bundle_occurrences(tokens, docs, names, all_versions=all_versions, prefer=prefer)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    occ = occ[~_covered(occ, hits, order)].rename(columns={"bundle": "candidate"})
    occ = occ.assign(_d=occ["doc_id"].map(order)).sort_values(["_d", "token_start"], kind="stable")
    return occ[["doc_id", "candidate", "token_start", "token_end"]].reset_index(drop=True)


def candidate_formulas(tokens, docs: pd.DataFrame, lexicon=None, *, min_n: int = 2, max_n: int = 6,
                       min_count: int = 2, min_range: int = 2, min_authors: int = 1, stop_words=True,
                       examples: int = 1, window: int = 5, top_n: int | None = None, all_versions: bool = False,
                       prefer: str = "official", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recurring multi-word sequences that the formula lexicon does not cover yet.

    The lexical bundles of the corpus (:func:`rhetoric.stats.bundles.lexical_bundles`,
    contiguous n-grams within sentences) are located, their occurrences that
    overlap a lexicon hit are dropped, and what remains is re-counted and
    filtered. A candidate must not start or end with a stop word ("of the belt"
    is not a phrase), and a candidate that only ever occurs inside a longer
    candidate (same frequency) is dropped in favour of the longer one.

    Candidates are ranked by how formula-like they are: a formula recurs
    across texts and authors, in a fixed form, and is often quoted or
    capitalised; names and reporting phrases recur too, but are not built from
    the vocabulary of formulas. The fixed form is measured by the pointwise
    mutual information of the n-gram (Church & Hanks 1990, generalised to n
    words), normalised as Bouma (2009) does for two words so that long and
    short candidates compare::

        pmi  = log2( p(w1 ... wn) / (p(w1) * ... * p(wn)) ),   p(x) = f(x) / N
        npmi = pmi / ( -(n - 1) * log2 p(w1 ... wn) )

    with ``f`` raw corpus frequencies and ``N`` the corpus size in tokens
    (``npmi`` is 1 when the words only ever occur together, 0 when they are
    independent); the other signs come from :func:`formula_signs`. The score::

        marked = max(capitalised * (1 - names), coined)
        score  = sqrt(n_texts * n_authors) * (0.5 + 0.5 npmi)
                 * (1 + quoted + marked + formula_words)
                 * (1 - 0.75 names) * (0.5 if it holds a number else 1)

    so a phrase used by more texts and authors, whose words belong together,
    that its writers quote, capitalise or coin with hyphens, and whose words
    already serve in known formulas comes first; a name ("Xi Jinping") and a
    figure ("52 projects") come last. Ties are broken by frequency, then
    alphabetically.

    Parameters
    ----------
    tokens : Tokens
    docs : DataFrame
    lexicon : DataFrame, str, Path or None
        See :func:`resolve_lexicon`.
    min_n, max_n : int, default 2 and 6
        Shortest and longest candidate, in tokens.
    min_count : int, default 2
        Minimum occurrences outside lexicon hits.
    min_range : int, default 2
        Minimum documents it occurs in (outside lexicon hits; a translated text
        counts once unless ``all_versions=True``).
    min_authors : int, default 1
        Minimum distinct authors (``author`` column; a document without one
        counts as its own author).
    stop_words : default True
        Words a candidate may not start or end with (see
        :func:`rhetoric.counts.stop_word_list`).
    examples : int, default 1
        KWIC lines to show per candidate in ``example`` (joined by " | ").
    window : int, default 5
        Context tokens on each side in the examples.
    top_n : int, optional
        Keep only the first ``top_n`` candidates.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).
    hits : DataFrame, optional
        From :func:`rhetoric.formulas.counts.formula_hits`.

    Returns
    -------
    DataFrame
        ``candidate`` (types joined by spaces), ``n``, ``freq`` (occurrences
        outside lexicon hits), ``range`` (documents), ``n_texts``,
        ``n_authors``, ``authors`` (joined by "; "), ``total_freq`` (all
        occurrences), ``pmi``, ``npmi``, ``quoted, capitalised, coined,
        names, formula_words`` (:func:`formula_signs`), ``score``, ``example`` (KWIC
        line(s): ``left [phrase] right``). Ranked by ``score``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> found = candidate_formulas(tokenize(docs), docs, top_n=3, examples=0)
    >>> len(found), list(found.columns[:4])
    (3, ['candidate', 'n', 'freq', 'range'])
    """
    examples = check_int("examples", examples, minimum=0)
    window = check_int("window", window, minimum=0)
    min_authors = check_int("min_authors", min_authors, minimum=1)
    min_count = check_int("min_count", min_count, minimum=1)
    min_range = check_int("min_range", min_range, minimum=1)
    docs = select_documents(docs, all_versions=all_versions, prefer=prefer)
    lexicon_table, hits = _hits_or_compute(tokens, docs, lexicon, hits)
    sub = select_tokens(tokens, docs)
    bundles = lexical_bundles(sub, docs, min_n=min_n, max_n=max_n, min_count=min_count, min_range=min_range,
                              stop_words=stop_words, maximal=False, all_versions=True)
    stop = stop_word_list(stop_words)
    vocab = sub.vocab
    index = {w: i for i, w in enumerate(vocab.tolist())}
    sequences = {b: [index[w] for w in b.split(" ")] for b in bundles["bundle"]}
    clean = np.array([vocab[sequences[b][0]] not in stop and vocab[sequences[b][-1]] not in stop
                      for b in bundles["bundle"]], dtype=bool) if len(bundles) else np.zeros(0, dtype=bool)
    bundles = bundles[clean].reset_index(drop=True)
    empty = pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("n", "freq", "range", "n_texts", "n_authors",
                                                                 "total_freq")
                                       else object if c in ("candidate", "authors", "example") else float)
                          for c in CANDIDATE_COLUMNS})
    if not len(bundles):
        return empty
    occ = bundle_occurrences(sub, docs, bundles, all_versions=True)
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
    table = table[(table["freq"] >= min_count) & (table["range"] >= min_range)
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
    signs = formula_signs(sub, docs, occ[occ["bundle"].isin(set(table["candidate"]))], table["candidate"].tolist(),
                          hits, stop_words=stop_words)
    for column in ("quoted", "capitalised", "coined", "names", "formula_words"):
        table[column] = table["candidate"].map(signs[column]).astype(float).round(4)
    number = table["candidate"].map(signs["number"]).astype(bool)
    marked = np.maximum(table["capitalised"] * (1 - table["names"]), table["coined"])
    table["score"] = (np.sqrt(table["n_texts"] * table["n_authors"]) * (0.5 + 0.5 * table["npmi"])
                      * (1 + table["quoted"] + marked + table["formula_words"])
                      * (1 - 0.75 * table["names"]) * np.where(number, 0.5, 1.0)).round(4)
    table = table.sort_values(["score", "freq", "candidate"], ascending=[False, False, True], kind="stable")
    if top_n is not None:
        table = table.head(check_int("top_n", top_n, minimum=1))
    table["example"] = _examples(sub, docs, occ, table["candidate"], examples=examples, window=window)
    for col in ("n", "freq", "range", "n_texts", "n_authors", "total_freq"):
        table[col] = table[col].astype(np.int64)
    out = table[CANDIDATE_COLUMNS].reset_index(drop=True)
    out.attrs.update({"min_n": min_n, "max_n": max_n, "min_count": min_count, "min_range": min_range,
                      "min_authors": min_authors, "lexicon": hits.attrs.get("lexicon", ""),
                      "all_versions": all_versions, "prefer": prefer})
    return out


def _examples(tokens, docs, occ: pd.DataFrame, candidates: pd.Series, *, examples: int, window: int) -> list[str]:
    if examples == 0 or not len(candidates):
        return [""] * len(candidates)
    order = {d: i for i, d in enumerate(docs["doc_id"])}
    wanted = occ[occ["bundle"].isin(set(candidates))]
    wanted = wanted.assign(_d=wanted["doc_id"].map(order)).sort_values(["_d", "token_start"], kind="stable")
    wanted = wanted.groupby("bundle", sort=False).head(examples)
    spans = wanted[["doc_id", "token_start", "token_end", "bundle"]].reset_index(drop=True)
    lines = kwic_for_spans(tokens, docs, spans, window=window)
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    text = [_kwic_text(row, texts[row["doc_id"]]) for _, row in lines.iterrows()]
    joined: dict[str, list[str]] = {}
    for bundle, line in zip(lines["bundle"], text):
        joined.setdefault(bundle, []).append(line)
    return [" | ".join(joined.get(c, [])) for c in candidates]


def _kwic_text(row, text: str) -> str:
    """``left [match] right``, with a space beside the brackets only where the text has one ("[Xi Jinping]'s")."""
    before = " " if row["start"] > 0 and text[row["start"] - 1].isspace() else ""
    after = " " if row["end"] < len(text) and text[row["end"]].isspace() else ""
    return f"{row['left']}{before}[{row['match']}]{after}{row['right']}".strip()
