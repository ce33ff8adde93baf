"""Counts, relative frequencies and document frequency (range); the document-term matrix.

The document-term matrix is built directly as a SciPy CSR matrix from the
integer token ids of a :class:`~rhetoric.tokens.Tokens` store, not by running
scikit-learn's ``CountVectorizer`` over strings. The matrix is the same kind of
object ``CountVectorizer`` returns (``scipy.sparse.csr_matrix`` of counts, one row
per document, columns sorted by term) and feeds scikit-learn directly
(``TfidfTransformer`` in :mod:`rhetoric.keywords`), but building it from ids

* never re-tokenizes: the tokenizer, its offsets and its sentence boundaries
  stay the single source of truth (``CountVectorizer`` would need a callable
  analyzer and would split ``$21.2 billion`` or join across sentences);
* respects sentence boundaries: an n-gram never spans two sentences;
* builds each n-gram as an integer code, ``code(w1..wn) = factorize(code(w1..wn-1) * V + id(wn))``,
  with vectorised NumPy/pandas calls, and makes a string only once per distinct
  n-gram that survives the thresholds, never once per token position. On a
  two-million-word corpus this is several times faster than ``CountVectorizer``
  with the same ``ngram_range`` and needs far less memory.

Stop words (:func:`stop_word_set`) follow textacy's rule for n-grams: a unigram
that is a stop word is dropped, and an n-gram is dropped when it *starts or ends*
with a stop word (``shared future`` and ``belt and road`` are kept,
``with a shared`` is not). Relative frequencies are always per 10,000 running
tokens, stop words included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .corpus import check_column, one_per_translation_group
from .errors import ParameterError
from .tokens import TOKEN_PATTERN, Tokens, fold_spelling, stopwords

CORPUS_GROUP = "corpus"
"""Value of ``by`` (and of the ``group`` column) for one group holding the whole corpus."""

FREQUENCY_COLUMNS = ("group", "term", "count", "per_10k", "range")


@dataclass(frozen=True, eq=False)
class DocumentTermMatrix:
    """Counts of terms (uni- to n-grams) per document.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of int64, shape (n_docs, n_terms)
        ``matrix[i, j]`` is how often term ``j`` occurs in document ``i``.
    terms : ndarray of str (object dtype), shape (n_terms,)
        Sorted; n-grams are types joined by single spaces (``shared future``).
    doc_ids : ndarray of str, shape (n_docs,)
        In the order of the token store (the corpus order).
    doc_tokens : ndarray of int64, shape (n_docs,)
        Running tokens per document, stop words included (the size used for per-10k rates).
    ngram_range : tuple of int
    stop_words : frozenset of str
        The stop words that were applied (empty if none).
    """

    matrix: sparse.csr_matrix
    terms: np.ndarray
    doc_ids: np.ndarray
    doc_tokens: np.ndarray
    ngram_range: tuple[int, int] = (1, 1)
    stop_words: frozenset = field(default_factory=frozenset)

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def term_index(self, term: str) -> int | None:
        """Column of ``term``, or None if it is not in the matrix."""
        j = int(np.searchsorted(self.terms, term))
        return j if j < len(self.terms) and self.terms[j] == term else None

    def to_frame(self) -> pd.DataFrame:
        """Dense DataFrame (doc_id × term); only for small matrices."""
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(self.doc_ids, name="doc_id"),
                            columns=pd.Index(self.terms, name="term"))


def stop_word_set(stop_words=None) -> frozenset[str]:
    """The stop words meant by a ``stop_words`` option.

    Parameters
    ----------
    stop_words : None, bool, str or iterable of str, default None
        ``None`` or ``False``: none. ``True`` or ``"both"``: scikit-learn's English
        list plus the project list ``data/stopwords.txt``
        (:func:`rhetoric.tokens.stopwords`). ``"english"`` or ``"project"``: one of
        the two. An iterable of strings: exactly those words (lower-cased).

    Returns
    -------
    frozenset of str
    """
    if stop_words is None or stop_words is False:
        return frozenset()
    if stop_words is True:
        return stopwords(english=True, project=True)
    if isinstance(stop_words, str):
        choice = stop_words.lower()
        if choice in ("both", "all", "default"):
            return stopwords(english=True, project=True)
        if choice == "english":
            return stopwords(english=True, project=False)
        if choice == "project":
            return stopwords(english=False, project=True)
        raise ParameterError(f"stop_words='{stop_words}' is not a stop-word list; use None, True, 'english', "
                             "'project', 'both' or a list of words.")
    if isinstance(stop_words, Iterable):
        return frozenset(str(w).lower() for w in stop_words)
    raise ParameterError(f"stop_words={stop_words!r} is not understood; use None, True, 'english', 'project', "
                         "'both' or a list of words.")


def check_ngram_range(ngram_range) -> tuple[int, int]:
    """Validate ``ngram_range`` (``(min_n, max_n)`` with ``1 <= min_n <= max_n``); return it as a tuple."""
    try:
        if isinstance(ngram_range, str):
            raise TypeError
        lo, hi = (int(v) for v in ngram_range)
    except (TypeError, ValueError):
        raise ParameterError(f"ngram_range={ngram_range!r} must be two integers (min_n, max_n), "
                             "e.g. (1, 1) for words or (1, 3) for uni- to tri-grams.") from None
    if lo < 1 or hi < lo:
        raise ParameterError(f"ngram_range={ngram_range!r} must satisfy 1 <= min_n <= max_n, e.g. (1, 3).")
    return lo, hi


def _stop_mask(tokens: Tokens, stop: frozenset) -> np.ndarray | None:
    if not stop:
        return None
    return np.isin(tokens.vocab, np.array(sorted(stop), dtype=str))


def ngram_codes(tokens: Tokens, n: int, prev: np.ndarray | None = None) -> np.ndarray:
    """Integer code of the n-gram starting at each position ``0..n_tokens-n``.

    Equal codes mean equal n-grams. ``prev`` (the codes for ``n - 1``) makes the
    step from ``n - 1`` to ``n`` one ``pandas.factorize`` call over int64 keys.
    Codes say nothing about sentence boundaries; see :func:`ngram_valid`.
    """
    ids = tokens.ids.astype(np.int64)
    if n == 1:
        return ids
    if prev is None:
        prev = ngram_codes(tokens, n - 1)
    width = max(len(tokens.vocab), 1)
    key = prev[:-1] * width + ids[n - 1:]
    codes, _ = pd.factorize(key)
    return codes.astype(np.int64)


def ngram_valid(tokens: Tokens, n: int, stop_mask: np.ndarray | None = None) -> np.ndarray:
    """Whether the n-gram starting at each position lies in one sentence (and, with a
    stop-word mask over the vocabulary, neither starts nor ends with a stop word)."""
    count = max(tokens.n_tokens - n + 1, 0)
    valid = tokens.sentence[:count] == tokens.sentence[n - 1:n - 1 + count]
    if stop_mask is not None:
        valid &= ~stop_mask[tokens.ids[:count]] & ~stop_mask[tokens.ids[n - 1:n - 1 + count]]
    return valid


def ngram_strings(tokens: Tokens, starts: np.ndarray, n: int) -> np.ndarray:
    """The n-grams starting at token positions ``starts``, as strings (types joined by spaces).

    Returns an object array of Python strings: building and moving a million
    n-grams is several times cheaper than with fixed-width NumPy strings.
    """
    if len(starts) == 0:
        return np.array([], dtype=object)
    last = tokens.vocab.astype(object)[tokens.ids[starts + n - 1]]
    if n == 1:
        return last
    spaced = np.array([f"{w} " for w in tokens.vocab.tolist()], dtype=object)
    out = spaced[tokens.ids[starts]]
    for j in range(1, n - 1):
        out = out + spaced[tokens.ids[starts + j]]
    return out + last


def phrase_ids(tokens: Tokens, phrase: str) -> list[int] | None:
    """Type ids of the tokens of ``phrase`` (tokenized like the corpus), or None if a word is absent."""
    words = [m.group(0).lower() for m in TOKEN_PATTERN.finditer(phrase)]
    if tokens.settings.get("fold_spelling"):
        words = [fold_spelling(w) for w in words]
    if not words:
        raise ParameterError(f"term '{phrase}' contains no word; give a word or a phrase such as 'shared future'.")
    ids = []
    for word in words:
        j = int(np.searchsorted(tokens.vocab, word))
        if j >= len(tokens.vocab) or tokens.vocab[j] != word:
            return None
        ids.append(j)
    return ids


def phrase_starts(tokens: Tokens, phrase: str) -> np.ndarray:
    """Token positions (corpus-wide) where ``phrase`` starts; a match never crosses a sentence boundary."""
    ids = phrase_ids(tokens, phrase)
    if ids is None or len(ids) > tokens.n_tokens:
        return np.array([], dtype=np.int64)
    n = len(ids)
    count = tokens.n_tokens - n + 1
    hit = tokens.ids[:count] == ids[0]
    for j in range(1, n):
        hit &= tokens.ids[j:j + count] == ids[j]
    if n > 1:
        hit &= ngram_valid(tokens, n)
    return np.flatnonzero(hit).astype(np.int64)


def document_term_matrix(tokens: Tokens, *, ngram_range=(1, 1), stop_words=None,
                         min_count: int = 1, min_df: int = 1) -> DocumentTermMatrix:
    """Sparse counts of uni- to n-grams per document.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    ngram_range : tuple of int, default (1, 1)
        Smallest and largest n; ``(1, 3)`` counts words, bigrams and trigrams.
        N-grams never cross a sentence boundary.
    stop_words : None, bool, str or iterable, default None
        See :func:`stop_word_set`. Unigrams that are stop words are dropped;
        n-grams that start or end with one are dropped.
    min_count : int, default 1
        Keep terms occurring at least this often in the whole matrix.
    min_df : int, default 1
        Keep terms occurring in at least this many documents.

    Returns
    -------
    DocumentTermMatrix
        ``matrix`` (CSR, int64, documents × terms), ``terms`` (sorted), ``doc_ids``,
        ``doc_tokens`` (running tokens per document, stop words included).

    Notes
    -----
    Each n-gram gets an integer code, ``code_n = factorize(code_{n-1}[i] * V + id[i + n - 1])``
    with ``V`` the vocabulary size, counted per document with one sparse COO → CSR
    conversion (duplicates summed); columns are ordered by their type-id tuples
    (which is string order, checked) and strings are built only for the distinct
    surviving n-grams. See the module docstring for why this is used instead of
    scikit-learn's ``CountVectorizer``.
    """
    lo, hi = check_ngram_range(ngram_range)
    if min_count < 1 or min_df < 1:
        raise ParameterError(f"min_count={min_count} and min_df={min_df} must be at least 1.")
    stop = stop_word_set(stop_words)
    stop_mask = _stop_mask(tokens, stop)
    n_docs = len(tokens.doc_ids)
    doc_index = tokens.doc_index
    rows, cols, keys, strings = [], [], [], []
    n_cols = 0
    codes = None
    for n in range(1, hi + 1):
        if n > tokens.n_tokens:
            break
        codes = ngram_codes(tokens, n, codes)
        if n < lo:
            continue
        pos = np.flatnonzero(ngram_valid(tokens, n, stop_mask))
        c = codes[pos]
        n_codes = int(codes.max()) + 1 if len(codes) else 0
        keep = np.bincount(c, minlength=n_codes) >= min_count
        if min_df > 1:
            level = sparse.csr_matrix((np.ones(len(pos), dtype=np.int64), (doc_index[pos], c)),
                                      shape=(n_docs, n_codes))  # duplicates summed: counts per document
            keep &= np.bincount(level.indices, minlength=n_codes) >= min_df
        kept = np.flatnonzero(keep)
        remap = np.full(n_codes, -1, dtype=np.int64)
        remap[kept] = n_cols + np.arange(len(kept))
        new_cols = remap[c]
        stays = new_cols >= 0
        rows.append(doc_index[pos[stays]].astype(np.int64))  # one entry per occurrence, summed below
        cols.append(new_cols[stays])
        rep = np.zeros(n_codes, dtype=np.int64)
        rep[c] = pos  # any occurrence stands for its n-gram
        starts = rep[kept]
        key = np.full((len(kept), hi), -1, dtype=np.int64)  # type ids, padded: shorter n-grams sort first
        for j in range(n):
            key[:, j] = tokens.ids[starts + j]
        keys.append(key)
        strings.append(ngram_strings(tokens, starts, n))
        n_cols += len(kept)
    if n_cols:
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        key = np.concatenate(keys)
        terms = np.concatenate(strings)
    else:
        rows = cols = np.zeros(0, dtype=np.int64)
        key = np.zeros((0, hi), dtype=np.int64)
        terms = np.array([], dtype=object)
    # Sort the columns by term. The vocabulary is sorted and a space sorts before every character
    # of a token, so ordering by type ids is ordering by string; a token holding a space
    # ("$21.2 billion") can break that, so then the order is checked (and if need be the strings
    # are sorted, and identical strings from different n merged).
    order = np.lexsort(key.T[::-1]) if n_cols else np.zeros(0, dtype=np.int64)
    terms = terms[order]
    rank = np.empty(n_cols, dtype=np.int64)
    rank[order] = np.arange(n_cols)
    cols = rank[cols]
    spaced_types = hi > 1 and re.search(r"[\x00-\x20]", "".join(tokens.vocab.tolist())) is not None
    if spaced_types and n_cols > 1 and not np.all(terms[1:] > terms[:-1]):
        terms, inverse = np.unique(terms.astype(str), return_inverse=True)
        terms = terms.astype(object)
        cols = inverse.ravel()[cols]
    matrix = _count_pairs(rows, cols, (n_docs, len(terms)))
    return DocumentTermMatrix(matrix=matrix, terms=terms, doc_ids=np.asarray(tokens.doc_ids),
                              doc_tokens=np.diff(tokens.bounds).astype(np.int64),
                              ngram_range=(lo, hi), stop_words=stop)


def _count_pairs(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """CSR matrix counting each (row, col) pair; one sort of int64 keys (faster than COO -> CSR)."""
    if len(rows) == 0:
        return sparse.csr_matrix(shape, dtype=np.int64)
    keys, counts = np.unique(rows * np.int64(max(shape[1], 1)) + cols, return_counts=True)
    key_rows, indices = np.divmod(keys, np.int64(max(shape[1], 1)))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(key_rows, minlength=shape[0]))])
    return sparse.csr_matrix((counts.astype(np.int64), indices, indptr), shape=shape)


def select_tokens(tokens: Tokens, docs: pd.DataFrame) -> Tokens:
    """The token store restricted to the documents of ``docs``, in the store's order.

    Raises
    ------
    ParameterError
        When a document of ``docs`` is not in the token store.
    """
    wanted = docs["doc_id"].astype(str).tolist()
    have = set(map(str, tokens.doc_ids))
    missing = [d for d in wanted if d not in have]
    if missing:
        raise ParameterError(f"documents {', '.join(missing)} are not in the token store; "
                             "tokenize the same documents table: tokens = tokenize(docs).")
    if len(set(wanted)) == len(tokens.doc_ids):
        return tokens
    return tokens.subset(wanted)



def group_labels(docs: pd.DataFrame, by: str | None, *, prefer: str = "official") -> pd.DataFrame:
    """Documents with their group: ``doc_id, group``.

    ``by=None``: one group per document (``group`` = ``doc_id``), every document
    kept. ``by="corpus"``: one group ``"corpus"``; ``by=<column>``: the column's
    value. For ``"corpus"`` and columns, translation groups count once
    (:func:`rhetoric.corpus.one_per_translation_group` with ``prefer``).
    """
    if by is None:
        return pd.DataFrame({"doc_id": docs["doc_id"].astype(str).to_numpy(),
                             "group": docs["doc_id"].astype(str).to_numpy()})
    if by != CORPUS_GROUP:
        check_column(docs, by)
    chosen = one_per_translation_group(docs, prefer=prefer)
    values = np.full(len(chosen), CORPUS_GROUP, dtype=object) if by == CORPUS_GROUP else chosen[by].to_numpy()
    return pd.DataFrame({"doc_id": chosen["doc_id"].astype(str).to_numpy(), "group": values})


def group_matrix(dtm: DocumentTermMatrix, labels: pd.DataFrame) -> tuple[np.ndarray, sparse.csr_matrix,
                                                                          sparse.csr_matrix, np.ndarray]:
    """Sum a document-term matrix over groups.

    Parameters
    ----------
    dtm : DocumentTermMatrix
    labels : DataFrame
        ``doc_id, group`` (from :func:`group_labels`); documents not listed are left out.

    Returns
    -------
    groups : ndarray
        Sorted group values (one per row of the outputs).
    counts : csr_matrix (n_groups, n_terms)
        Summed counts.
    ranges : csr_matrix (n_groups, n_terms)
        Number of the group's documents containing each term.
    sizes : ndarray of int64 (n_groups,)
        Running tokens per group.
    """
    row_of = {d: i for i, d in enumerate(map(str, dtm.doc_ids))}
    groups = np.array(sorted(pd.unique(labels["group"])), dtype=object)
    group_pos = {g: i for i, g in enumerate(groups)}
    rows = np.array([group_pos[g] for g in labels["group"]], dtype=np.int64)
    cols = np.array([row_of[d] for d in labels["doc_id"]], dtype=np.int64)
    indicator = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                  shape=(len(groups), len(dtm.doc_ids)))
    counts = (indicator @ dtm.matrix).tocsr()
    present = dtm.matrix.copy()
    present.data = (present.data > 0).astype(np.int64)
    ranges = (indicator @ present).tocsr()
    sizes = indicator @ dtm.doc_tokens
    for m in (counts, ranges):
        m.eliminate_zeros()
        m.sort_indices()
    return groups, counts, ranges, np.asarray(sizes, dtype=np.int64)


def term_frequencies(tokens: Tokens, docs: pd.DataFrame, *, by: str | None = None, ngram_range=(1, 1),
                     stop_words=None, min_count: int = 1, prefer: str = "official",
                     top: int | None = None) -> pd.DataFrame:
    """Term counts, rate per 10,000 tokens and range, per document or per group.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize` (of ``docs`` or a larger table).
    docs : DataFrame
        Documents table (:func:`rhetoric.corpus.load_corpus`); only its documents are counted.
    by : str, optional
        ``None``: one group per document (``group`` = ``doc_id``), all documents.
        ``"corpus"``: one group for the whole corpus. A column of ``docs``
        (``"year"``, ``"period"``, ``"author"``): one group per value. For
        ``"corpus"`` and columns, each translation group counts once.
    ngram_range : tuple of int, default (1, 1)
        See :func:`document_term_matrix`.
    stop_words : None, bool, str or iterable, default None
        See :func:`stop_word_set`.
    min_count : int, default 1
        Keep rows whose ``count`` in the group is at least this.
    prefer : str, default "official"
        Which version of a translated text to keep (see
        :func:`rhetoric.corpus.one_per_translation_group`).
    top : int, optional
        Keep only the first ``top`` rows of each group.

    Returns
    -------
    DataFrame
        ``group`` (doc_id, ``"corpus"`` or the column's value), ``term``,
        ``count`` (int), ``per_10k`` (float), ``range`` (int). Sorted by group,
        then count descending, then term.

        per_10k = count / tokens_in_group × 10,000 (running tokens, stop words included)

        range = number of the group's documents in which the term occurs.

    Raises
    ------
    ParameterError
        When ``by`` is not a column of ``docs`` (the message lists the columns).
    """
    labels = group_labels(docs, by, prefer=prefer)
    sub = select_tokens(tokens, docs.loc[docs["doc_id"].astype(str).isin(labels["doc_id"])])
    dtm = document_term_matrix(sub, ngram_range=ngram_range, stop_words=stop_words)
    groups, counts, ranges, sizes = group_matrix(dtm, labels)
    frame = _long_counts(groups, counts, ranges, sizes, dtm.terms)
    if min_count > 1:
        frame = frame[frame["count"] >= min_count]
    if top is not None:
        if top < 1:
            raise ParameterError(f"top={top} must be at least 1.")
        frame = frame.groupby("group", sort=False).head(top)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(by=by or "doc_id", ngram_range=list(dtm.ngram_range),
                       stop_words=len(dtm.stop_words), min_count=min_count, prefer=prefer)
    return frame


def _long_counts(groups, counts, ranges, sizes, terms) -> pd.DataFrame:
    row = np.repeat(np.arange(counts.shape[0], dtype=np.int64), np.diff(counts.indptr))
    col, count = counts.indices.astype(np.int64), counts.data.astype(np.int64)
    if np.array_equal(counts.indptr, ranges.indptr) and np.array_equal(counts.indices, ranges.indices):
        rng = ranges.data.astype(np.int64)  # same sparsity pattern (both canonical): aligned entries
    else:
        rng = np.asarray(ranges[row, col]).ravel().astype(np.int64) if len(row) else np.zeros(0, dtype=np.int64)
    order = _order_rows_by_count(row, col, count, counts.shape)
    row, col, count, rng = row[order], col[order], count[order], rng[order]
    size = sizes[row]
    per_10k = np.divide(count * 10_000.0, size, out=np.zeros(len(count)), where=size > 0)
    return pd.DataFrame({"group": group_column(groups, row), "term": pd.Series(terms[col], dtype=object), "count": count,
                         "per_10k": per_10k, "range": rng})


def _order_rows_by_count(row: np.ndarray, col: np.ndarray, count: np.ndarray, shape) -> np.ndarray:
    """Order of entries by row, then count descending, then column (each (row, col) occurs once).

    One argsort of a combined int64 key when it fits (several times faster than
    ``np.lexsort`` on three keys for millions of entries), else ``np.lexsort``.
    """
    if len(row) == 0:
        return np.zeros(0, dtype=np.int64)
    top = int(count.max()) + 1
    if int(shape[0]) * top * max(int(shape[1]), 1) < 2 ** 62:
        key = (row * top + (top - 1 - count)) * max(int(shape[1]), 1) + col
        return np.argsort(key)
    return np.lexsort((col, -count, row))


def group_column(groups: np.ndarray, rows: np.ndarray) -> pd.Series:
    """``groups[rows]`` as a Series: int64 when every group value is an integer (years), else object."""
    integer = len(groups) > 0 and all(isinstance(g, (int, np.integer)) and not isinstance(g, bool) for g in groups)
    values = groups[rows] if len(rows) else np.array([], dtype=object)
    return pd.Series(values, dtype=np.int64 if integer else object)
