"""One counts model: documents × terms, with the documents table beside it, and the verbs every statistic needs.

Every statistic that counts asks this module, so the same question gets the
same counts everywhere (Python, the command line, the notebooks, the report):

* :func:`select_documents`: which documents count. A text translated more
  than once is counted **once** (the version preferred by ``prefer``; the one
  place this rule lives), unless ``all_versions=True``;
* :func:`count_terms`: a :class:`Counts` of words or n-grams per document
  (n-grams never cross a sentence boundary);
* :func:`count_matches`: a :class:`Counts` of patterns (words, phrases, globs;
  :mod:`rhetoric.patterns`) per document, each matched on its own;
* :func:`group_counts`: the same summed over groups of documents (a column
  of the documents table), with each term's range (documents containing it);
* :func:`stop_word_list`: the one stop-word list, ``data/stopwords.txt``.

Stop words in n-grams follow textacy's rule: a unigram that is a stop word
is dropped, an n-gram is dropped when it starts or ends with one (``belt and
road`` stays, ``with a shared`` goes). Sizes (``n_tokens``) always count every
running token, stop words included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from . import config
from .checks import check_int, check_ngram_range
from .corpus.tokens import Tokens
from .errors import ParameterError

TRANSLATION_VALUES = ("official", "unofficial")
"""Values of the ``translation`` column that ``prefer`` knows by name."""
TEXT_COLUMNS = ("raw_text", "text", "offsets", "rule_counts", "path")
"""Columns of the documents table that are not metadata."""
CORPUS_GROUP = "corpus"
"""Value of ``by`` (and of ``group``) for one group holding the whole corpus."""


def distinct_values(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (``np.unique``, by sorting: NumPy 2.4's hash-based
    ``np.unique`` takes 20 times as long on millions of integers).

    Examples
    --------
    >>> distinct_values(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


# --- which documents count ------------------------------------------------------------------

def one_per_translation_group(docs: pd.DataFrame, *, prefer: str = "official") -> pd.DataFrame:
    """Keep one version of each translated text.

    Within each ``translation_group``, the document whose ``translation``
    equals ``prefer`` (or whose ``doc_id`` equals it) is kept; a group without
    one keeps its earliest document (by ``date_start``, then table order).

    Returns
    -------
    DataFrame
        The same columns and ``attrs``, fewer rows, in the original order.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "translation_group": ["g", "g", "c"],
    ...                      "translation": ["unofficial", "official", ""]})
    >>> one_per_translation_group(docs)["doc_id"].tolist()
    ['b', 'c']
    >>> one_per_translation_group(docs, prefer="unofficial")["doc_id"].tolist()
    ['a', 'c']
    """
    doc_id = docs["doc_id"].astype(str)
    translation = (docs["translation"].fillna("").astype(str) if "translation" in docs.columns
                   else pd.Series("", index=docs.index))
    groups = docs["translation_group"].fillna("").astype(str) if "translation_group" in docs.columns else doc_id
    groups = groups.where(groups != "", doc_id)
    key = pd.DataFrame({"group": groups.to_numpy(), "miss": ~((translation == prefer) | (doc_id == prefer)).to_numpy(),
                        "position": np.arange(len(docs))})
    order = ["miss", "position"]
    if "date_start" in docs.columns:
        key["date"] = docs["date_start"].to_numpy()
        order = ["miss", "date", "position"]
    chosen = key.sort_values(order, kind="stable").drop_duplicates("group")["position"].to_numpy()
    out = docs.iloc[np.sort(chosen)]
    out.attrs = dict(docs.attrs)
    return out


def check_prefer(docs: pd.DataFrame, prefer: str) -> str:
    """``prefer`` if it is a translation value or a ``doc_id`` of ``docs``, else a :class:`ParameterError`."""
    translation = set(docs["translation"].fillna("").astype(str)) if "translation" in docs.columns else set()
    if prefer in set(TRANSLATION_VALUES) | translation | set(docs["doc_id"].astype(str)):
        return prefer
    values = sorted(set(TRANSLATION_VALUES) | (translation - {""}))
    raise ParameterError(f"prefer={prefer!r} is neither a translation value ({', '.join(values)}) nor a doc_id "
                         "of the corpus; give one of those.")


def select_documents(docs: pd.DataFrame, *, all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """The documents that count: every version of a translated text, or (default) one.

    Examples
    --------
    >>> from rhetoric import load_corpus
    >>> docs = load_corpus()
    >>> len(docs), len(select_documents(docs)), len(select_documents(docs, all_versions=True))
    (5, 4, 5)
    """
    if not isinstance(docs, pd.DataFrame) or "doc_id" not in docs.columns:
        raise ParameterError("docs must be the documents table (load_corpus()), with a doc_id column.")
    if all_versions:
        return docs
    return one_per_translation_group(docs, prefer=check_prefer(docs, prefer))


def check_column(docs: pd.DataFrame, column: str, *, values=None) -> str:
    """``column`` if it is a metadata column of ``docs`` (and holds ``values``), else a :class:`ParameterError`."""
    usable = [c for c in docs.columns if c not in TEXT_COLUMNS]
    if column not in usable:
        raise ParameterError(f"unknown grouping column {column!r}; the corpus has: {', '.join(map(str, usable))}.")
    if values is not None:
        present = sorted(map(str, docs[column].unique()))
        for value in ([values] if isinstance(values, (str, int)) else values):
            if str(value) not in present:
                raise ParameterError(f"no document has {column} = {value!r}; values are: {', '.join(present)}.")
    return column


def select_tokens(tokens: Tokens, docs: pd.DataFrame) -> Tokens:
    """The token store restricted to the documents of ``docs`` (in the store's order).

    Raises
    ------
    ParameterError
        When a document of ``docs`` is not in the token store.
    """
    wanted = docs["doc_id"].astype(str).tolist()
    have = set(tokens.doc_ids.tolist())
    missing = [d for d in wanted if d not in have]
    if missing:
        raise ParameterError(f"documents {', '.join(missing[:5])} are not in the token store; tokenize the same "
                             "documents table: tokens = tokenize(docs).")
    return tokens.subset(wanted)


# --- stop words --------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _read_word_list(path: str) -> frozenset[str]:
    words = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


def stop_word_list(stop_words=True) -> frozenset[str]:
    """The stop words meant by a ``stop_words`` option.

    Parameters
    ----------
    stop_words : bool, str, Path or iterable of str, default True
        ``True``: the project list ``data/stopwords.txt`` (English function
        words, news reporting verbs, token residue such as ``'s``). ``None`` or
        ``False``: none. A path: a file with one word per line (``#`` starts a
        comment). An iterable of strings: exactly those words (lower-cased).

    Examples
    --------
    >>> {"the", "'s", "said"} <= stop_word_list()
    True
    >>> sorted(stop_word_list(["The", "of"]))
    ['of', 'the']
    """
    if stop_words is None or stop_words is False:
        return frozenset()
    if stop_words is True:
        return _read_word_list(str(config.STOPWORDS_FILE))
    if isinstance(stop_words, (str, Path)):
        path = Path(stop_words)
        if not path.is_file():
            raise ParameterError(f"stop_words={str(stop_words)!r} is not a file; give True (the project list), "
                                 "None, a word-list file or a list of words.")
        return _read_word_list(str(path))
    if isinstance(stop_words, Iterable):
        return frozenset(str(w).lower() for w in stop_words)
    raise ParameterError(f"stop_words={stop_words!r} is not understood; give True (the project list), None, "
                         "a word-list file or a list of words.")


# --- the counts ------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Counts:
    """Counts of terms per row: documents (from :func:`count_terms`) or groups (from :func:`group_counts`).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of int64, shape (n_rows, n_terms)
        ``matrix[i, j]``: occurrences of term ``j`` in row ``i``.
    terms : ndarray of object, shape (n_terms,)
        Terms (n-grams are types joined by single spaces), sorted; or the
        patterns counted, in the order given.
    rows : DataFrame
        One row per matrix row: ``doc_id`` and the documents' metadata, or
        ``group`` and ``n_docs``; always ``n_tokens`` (running tokens).
    ranges : csr_matrix or None
        For groups: documents of the group containing each term.
    ngram_range : tuple of int
    stop_words : frozenset of str
    """

    matrix: sparse.csr_matrix
    terms: np.ndarray
    rows: pd.DataFrame
    ranges: sparse.csr_matrix | None = None
    ngram_range: tuple[int, int] = (1, 1)
    stop_words: frozenset = frozenset()

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @property
    def n_tokens(self) -> np.ndarray:
        """Running tokens of each row (stop words included)."""
        return self.rows["n_tokens"].to_numpy(dtype=np.int64)

    @property
    def range_matrix(self) -> sparse.csr_matrix:
        """Documents containing each term, per row (1 or 0 for a document)."""
        if self.ranges is not None:
            return self.ranges
        present = self.matrix.copy()
        present.data = (present.data > 0).astype(np.int64)
        return present

    def term_index(self, term: str) -> int | None:
        """Column of ``term``, or None."""
        hits = np.flatnonzero(self.terms == term)
        return int(hits[0]) if len(hits) else None

    def to_frame(self) -> pd.DataFrame:
        """Dense table (rows × terms); only for small matrices."""
        label = "group" if "group" in self.rows.columns else "doc_id"
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(self.rows[label], name=label),
                            columns=pd.Index(self.terms, name="term"))


def _rows_table(docs: pd.DataFrame, tokens: Tokens) -> pd.DataFrame:
    rows = docs[[c for c in docs.columns if c not in TEXT_COLUMNS]].reset_index(drop=True).copy()
    rows["doc_id"] = rows["doc_id"].astype(str)
    rows["n_tokens"] = rows["doc_id"].map(tokens.doc_lengths()).astype(np.int64)
    return rows


def _selected(tokens: Tokens, docs: pd.DataFrame, all_versions: bool, prefer: str
              ) -> tuple[Tokens, pd.DataFrame]:
    chosen = select_documents(docs, all_versions=all_versions, prefer=prefer)
    sub = select_tokens(tokens, chosen)
    order = {d: i for i, d in enumerate(sub.doc_ids.tolist())}
    chosen = chosen.iloc[np.argsort(chosen["doc_id"].astype(str).map(order).to_numpy(), kind="stable")]
    return sub, chosen


def ngram_codes(tokens: Tokens, n: int, previous: np.ndarray | None = None) -> np.ndarray:
    """An integer code of the n-gram starting at each position ``0 .. n_tokens - n``; equal codes, equal n-grams.

    ``previous`` (the codes for ``n - 1``) makes the step one :func:`pandas.factorize`
    of ``previous[i] * n_types + id[i + n - 1]``.
    """
    if n == 1:
        return tokens.ids
    if previous is None:
        previous = ngram_codes(tokens, n - 1)
    codes, _ = pd.factorize(previous[:-1].astype(np.int64) * max(len(tokens.vocab), 1) + tokens.ids[n - 1:])
    return codes.astype(np.int32 if len(codes) < 2 ** 31 else np.int64)


def ngram_inside_sentence(tokens: Tokens, n: int) -> np.ndarray:
    """Whether the n-gram starting at each position ``0 .. n_tokens - n`` lies inside one sentence."""
    count = max(tokens.n_tokens - n + 1, 0)
    return tokens.sentence[:count] == tokens.sentence[n - 1:n - 1 + count]


def ngram_strings(tokens: Tokens, starts: np.ndarray, n: int) -> np.ndarray:
    """The n-grams starting at token positions ``starts``, as strings (types joined by spaces)."""
    vocab = np.asarray(tokens.vocab, dtype=object)
    out = vocab[tokens.ids[starts]]
    for j in range(1, n):
        out = out + " " + vocab[tokens.ids[starts + j]]
    return out


def _entries(doc_of: np.ndarray, code: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(doc, code, count)`` of every distinct (document, code) pair: one sort of int64 keys, no per-position copy."""
    key = doc_of.astype(np.int64) * n_codes
    key += code
    key.sort()
    new = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    count = np.diff(np.r_[new, len(key)])
    doc, code = np.divmod(key[new], n_codes)
    return doc, code, count


def _document_matrix(tokens: Tokens, ngram_range: tuple[int, int], stop: frozenset, min_count: int,
                     min_range: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Documents × n-grams of the token store; columns sorted by term.

    Each n-gram length is counted as sorted (document, code) keys; strings are made only for the n-grams kept.
    """
    low, high = ngram_range
    n_docs = len(tokens.doc_ids)
    doc_index = tokens.doc_index
    is_stop = np.isin(tokens.vocab, np.array(sorted(stop), dtype=object)) if stop else None
    rows, cols, counts, keys, names = [], [], [], [], []
    n_cols, codes = 0, None
    for n in range(1, min(high, tokens.n_tokens) + 1):
        codes = ngram_codes(tokens, n, codes)
        if n < low:
            continue
        valid = ngram_inside_sentence(tokens, n)
        if is_stop is not None:
            valid &= ~is_stop[tokens.ids[:len(valid)]] & ~is_stop[tokens.ids[n - 1:]]
        n_codes = int(codes.max()) + 1 if len(codes) else 0
        doc, code, count = _entries(doc_index[:len(valid)][valid], codes[:len(valid)][valid], n_codes)
        del valid
        keep = (np.bincount(code, weights=count, minlength=n_codes) >= min_count) \
            & (np.bincount(code, minlength=n_codes) >= min_range)
        kept = np.flatnonzero(keep)
        column = np.full(n_codes, -1, dtype=np.int64)
        column[kept] = n_cols + np.arange(len(kept))
        stays = keep[code]
        rows.append(doc[stays])
        cols.append(column[code[stays]])
        counts.append(count[stays])
        if n == 1:
            where = kept  # a word's code is its type id
        else:
            where = np.zeros(n_codes, dtype=np.int64)
            where[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # an occurrence stands for its n-gram
            where = where[kept]
        key = np.full((len(kept), high), -1, dtype=np.int64)  # type ids, padded: shorter n-grams sort first
        for j in range(n):
            key[:, j] = tokens.ids[where + j] if n > 1 else where
        keys.append(key)
        names.append(ngram_strings(tokens, where, n) if n > 1 else np.asarray(tokens.vocab, dtype=object)[where])
        n_cols += len(kept)
    if not n_cols:
        return sparse.csr_matrix((n_docs, 0), dtype=np.int64), np.array([], dtype=object)
    # Type ids follow string order and every token character sorts after a space, so ordering
    # n-grams by their id tuples is ordering their strings.
    key = np.concatenate(keys)
    order = np.lexsort(key.T[::-1])
    rank = np.empty(n_cols, dtype=np.int64)
    rank[order] = np.arange(n_cols)
    matrix = sparse.csr_matrix((np.concatenate(counts).astype(np.int64),
                                (np.concatenate(rows), rank[np.concatenate(cols)])), shape=(n_docs, n_cols))
    matrix.sum_duplicates()
    return matrix, np.concatenate(names)[order]


def count_terms(tokens: Tokens, docs: pd.DataFrame, *, ngram_range=(1, 1), stop_words=None, min_count: int = 1,
                min_range: int = 1, all_versions: bool = False, prefer: str = "official") -> Counts:
    """Counts of words or n-grams in each document that counts.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokenize` (of ``docs`` or a larger table).
    docs : DataFrame
        The documents table; only its documents are counted.
    ngram_range : (int, int), default (1, 1)
        Shortest and longest n; n-grams never cross a sentence boundary.
    stop_words : see :func:`stop_word_list`, default None
        Unigrams that are stop words are dropped, n-grams starting or ending with one.
    min_count, min_range : int, default 1
        Keep terms occurring at least ``min_count`` times in at least ``min_range`` documents.
    all_versions : bool, default False
        Count every version of a translated text (default: one, see :func:`select_documents`).
    prefer : str, default "official"
        The version kept.

    Returns
    -------
    Counts
        Rows: the documents (metadata and ``n_tokens``), in corpus order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> counts = count_terms(tokenize(docs), docs, ngram_range=(2, 2))
    >>> counts.shape[0], int(counts.matrix[:, counts.term_index("win-win cooperation")].sum())
    (4, 4)
    """
    ngram_range = check_ngram_range(ngram_range)
    min_count = check_int("min_count", min_count, minimum=1)
    min_range = check_int("min_range", min_range, minimum=1)
    stop = stop_word_list(stop_words)
    sub, chosen = _selected(tokens, docs, all_versions, prefer)
    matrix, terms = _document_matrix(sub, ngram_range, stop, min_count, min_range)
    return Counts(matrix=matrix, terms=terms, rows=_rows_table(chosen, sub), ngram_range=ngram_range,
                  stop_words=stop)


def count_matches(tokens: Tokens, docs: pd.DataFrame, terms, *, valuetype: str = "glob", hyphens: str = "loose",
                  case_sensitive: bool = False, all_versions: bool = False, prefer: str = "official") -> Counts:
    """Counts of patterns (each matched on its own) in each document that counts.

    ``terms`` are words, phrases, globs or regular expressions, matched with
    the rules ``valuetype``, ``hyphens``, ``case_sensitive`` of
    :func:`rhetoric.patterns.match_positions`; one hit per start (the
    longest), hits may overlap. Columns keep the order of ``terms``.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> counts = count_matches(tokenize(docs), docs, ["win win", "golden *"])
    >>> counts.matrix.sum(axis=0).tolist()
    [[4, 3]]
    """
    from .patterns import match_each

    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ParameterError("terms is empty; give at least one word, phrase or glob.")
    sub, chosen = _selected(tokens, docs, all_versions, prefer)
    starts, _, which = match_each(sub, terms, valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                                  docs=chosen)
    doc = np.searchsorted(sub.bounds, starts, side="right") - 1
    matrix = sparse.csr_matrix((np.ones(len(starts), dtype=np.int64), (doc, which)),
                               shape=(len(sub.doc_ids), len(terms)))
    matrix.sum_duplicates()
    return Counts(matrix=matrix, terms=np.array(terms, dtype=object), rows=_rows_table(chosen, sub))


def count_hits(tokens: Tokens, docs: pd.DataFrame, hits: pd.DataFrame, *, column: str, terms,
               all_versions: bool = False, prefer: str = "official") -> Counts:
    """Counts per document of the values of ``hits[column]`` (formula ids, frames, variants).

    ``hits`` has a ``doc_id`` column (from :func:`rhetoric.patterns.find` or a
    lexicon matcher); ``terms`` fixes the columns and their order (values not
    listed are not counted). Rows: the documents that count, zeros included.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> hits = pd.DataFrame({"doc_id": ["cgtn2024_visit"] * 2, "frame": ["trade", "trade"]})
    >>> count_hits(tokenize(docs), docs, hits, column="frame", terms=["trade", "security"]).to_frame().sum().to_dict()
    {'trade': 2, 'security': 0}
    """
    terms = list(dict.fromkeys(terms))
    sub, chosen = _selected(tokens, docs, all_versions, prefer)
    row_of = {d: i for i, d in enumerate(sub.doc_ids.tolist())}
    col_of = {t: j for j, t in enumerate(terms)}
    rows = hits["doc_id"].astype(str).map(row_of)
    cols = hits[column].map(col_of)
    ok = (rows.notna() & cols.notna()).to_numpy()
    matrix = sparse.csr_matrix((np.ones(int(ok.sum()), dtype=np.int64),
                                (rows[ok].to_numpy(dtype=np.int64), cols[ok].to_numpy(dtype=np.int64))),
                               shape=(len(row_of), len(terms)))
    matrix.sum_duplicates()
    return Counts(matrix=matrix, terms=np.array(terms, dtype=object), rows=_rows_table(chosen, sub))


def group_counts(counts: Counts, by: str | None) -> Counts:
    """Sum document counts over groups.

    Parameters
    ----------
    counts : Counts
        Per document (from :func:`count_terms` or :func:`count_matches`).
    by : str or None
        ``None``: one group per document (``group`` = ``doc_id``);
        ``"corpus"``: one group; a metadata column (``"year"``, ``"period"``,
        ``"author"``): one group per value, sorted.

    Returns
    -------
    Counts
        Rows: ``group``, ``n_docs`` (documents in the group), ``n_tokens``;
        ``ranges`` holds how many of the group's documents contain each term.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> by_year = group_counts(count_terms(tokenize(docs), docs), "year")
    >>> by_year.rows[["group", "n_docs"]].to_dict("records")
    [{'group': 2022, 'n_docs': 2}, {'group': 2023, 'n_docs': 1}, {'group': 2024, 'n_docs': 1}]
    """
    if counts.ranges is not None:
        raise ParameterError("these counts are already grouped; group the per-document counts.")
    rows = counts.rows
    if by is None:
        labels = rows["doc_id"].to_numpy(dtype=object)
    elif by == CORPUS_GROUP:
        labels = np.full(len(rows), CORPUS_GROUP, dtype=object)
    else:
        check_column(rows, by)
        missing = pd.isna(rows[by]).to_numpy()
        if missing.any():
            raise ParameterError(f"{int(missing.sum())} documents have no {by} (the first: "
                                 f"'{rows['doc_id'].to_numpy()[missing][0]}'); fill the column in corpus.csv or "
                                 "group by another column.")
        labels = rows[by].to_numpy()
    if by is None:
        groups, index = labels, np.arange(len(labels))
    else:
        groups, index = np.unique(labels, return_inverse=True) if len(labels) else (labels, labels)
    indicator = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (index, np.arange(len(rows)))),
                                  shape=(len(groups), len(rows)))
    summed = (indicator @ counts.matrix).tocsr()
    ranges = (indicator @ counts.range_matrix).tocsr()
    for m in (summed, ranges):
        m.eliminate_zeros()
        m.sort_indices()
    table = pd.DataFrame({"group": _group_values(groups),
                          "n_docs": np.asarray(indicator.sum(axis=1)).ravel().astype(np.int64),
                          "n_tokens": np.asarray(indicator @ counts.n_tokens, dtype=np.int64)})
    return replace(counts, matrix=summed, rows=table, ranges=ranges)


def _group_values(groups: np.ndarray) -> pd.Series:
    """Group values as a Series: int64 when they are all whole numbers (years), else object."""
    whole = len(groups) > 0 and all(isinstance(g, (int, np.integer)) and not isinstance(g, bool) for g in groups)
    return pd.Series(list(groups), dtype=np.int64 if whole else object)


def long_table(counts: Counts) -> pd.DataFrame:
    """Grouped counts as a long table: ``group, term, count, per_10k, range``, rows with a count only.

    Sorted by group, then count descending, then term. ``per_10k`` =
    10,000 × count / ``n_tokens`` of the group.
    """
    if counts.ranges is None:
        counts = group_counts(counts, None)
    matrix, ranges = counts.matrix, counts.ranges
    row = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    col, count = matrix.indices.astype(np.int64), matrix.data.astype(np.int64)
    if np.array_equal(matrix.indptr, ranges.indptr) and np.array_equal(matrix.indices, ranges.indices):
        in_range = ranges.data.astype(np.int64)  # both canonical with the same entries: aligned
    else:
        in_range = np.asarray(ranges[row, col]).ravel().astype(np.int64) if len(row) else np.zeros(0, np.int64)
    term_rank = np.empty(len(counts.terms), dtype=np.int64)  # ties by term (listed patterns come in any order)
    term_rank[np.argsort(counts.terms.astype(str), kind="stable")] = np.arange(len(counts.terms))
    order = np.lexsort((term_rank[col], -count, row))
    row, col, count, in_range = row[order], col[order], count[order], in_range[order]
    size = counts.n_tokens[row]
    return pd.DataFrame({
        "group": counts.rows["group"].iloc[row].reset_index(drop=True),
        "term": pd.Series(counts.terms[col], dtype=object),
        "count": count,
        "per_10k": np.divide(count * 10_000.0, size, out=np.zeros(len(count)), where=size > 0),
        "range": in_range,
    })
