"""Concordance (KWIC) lines for any pattern; sorting; HTML.

Hits come from :mod:`rhetoric.patterns` (the one matcher: words, phrases,
globs, regular expressions, with its rules for case, hyphens and sentence
boundaries), so a concordance has exactly as many lines as the pattern's
frequency elsewhere. Only the display text of the hits is built in Python.

Display text is cut from the cleaned text between token offsets, so the
punctuation between tokens shows; runs of white space become one space. Every
line also carries its offsets in the cleaned text (``start, end``) and in the
raw file (``raw_start, raw_end``), so it can always be checked against the
source.

References
----------
Anthony, L. (2023). *AntConc* (Version 4.2) [Computer software]. Waseda
University (KWIC display and the 1L/1R sort levels).
Sinclair, J. (1991). *Corpus, Concordance, Collocation*. Oxford University Press.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from ..corpus.tokens import Tokens, raw_spans
from ..counts import select_documents, select_tokens
from ..errors import ParameterError
from ..patterns import match_positions

KWIC_COLUMNS = ["doc_id", "token_start", "token_end", "left", "match", "right", "start", "end",
                "raw_start", "raw_end"]
SPAN_COLUMNS = ["doc_id", "token_start", "token_end"]
_SORT_KEY = re.compile(r"^\s*(\d+)\s*([LR])\s*$", re.IGNORECASE)
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                           "base-uri 'none'; form-action 'none'")
"""The policy of every HTML page the project writes: nothing runs, nothing loads from elsewhere."""


def _texts(tokens: Tokens, docs: pd.DataFrame) -> list[str]:
    """Cleaned text of each document of the token store, in the store's order."""
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ParameterError("docs must be the documents table (load_corpus()) with 'doc_id' and 'text' columns.")
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    missing = [d for d in tokens.doc_ids.tolist() if d not in texts]
    if missing:
        raise ParameterError(f"doc_id '{missing[0]}' of the tokens is not in docs; pass the documents table the "
                             "tokens were made from.")
    return [texts[d] for d in tokens.doc_ids.tolist()]


def _window(window) -> tuple[int, int]:
    if isinstance(window, (tuple, list)) and len(window) == 2:
        left, right = window
    elif isinstance(window, (int, np.integer)) and not isinstance(window, bool):
        left = right = window
    else:
        raise ParameterError(f"window={window!r} must be a number of tokens (5) or a (left, right) pair ((3, 8)).")
    for name, value in (("left", left), ("right", right)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ParameterError(f"window={window!r}: the {name} size {value!r} must be a whole number >= 0.")
    return int(left), int(right)


def _sort_keys(sort) -> list[tuple[int, str]]:
    if sort is None:
        return []
    items = sort.split(",") if isinstance(sort, str) else list(sort)
    keys = []
    for item in items:
        m = _SORT_KEY.match(str(item))
        if not m or int(m.group(1)) < 1:
            raise ParameterError(f"sort={sort!r}: '{item}' is not a sort level; write positions such as "
                                 "'1R' (first word right of the match), '2R', '1L' (first word left), as a list "
                                 "or comma-separated.")
        keys.append((int(m.group(1)), m.group(2).upper()))
    return keys


def _clean(piece: str) -> str:
    return " ".join(piece.split())


def _lines(tokens: Tokens, docs: pd.DataFrame, gs: np.ndarray, ge: np.ndarray, *, window, sentence: bool
           ) -> pd.DataFrame:
    """KWIC columns for corpus-wide token spans ``[gs, ge)``."""
    texts = _texts(tokens, docs)
    left_n, right_n = _window(window)
    doc = np.searchsorted(tokens.bounds, gs, side="right") - 1
    lo, hi = tokens.bounds[doc], tokens.bounds[doc + 1]
    m_start = tokens.start[gs]
    m_end = tokens.end[ge - 1]
    if sentence:
        left_from = tokens.sentence_spans[tokens.sentence[gs], 0]
        right_to = tokens.sentence_spans[tokens.sentence[ge - 1], 1]
        left_from = np.minimum(left_from, m_start)
        right_to = np.maximum(right_to, m_end)
    else:
        first = np.maximum(gs - left_n, lo)
        last = np.minimum(ge + right_n, hi)           # exclusive
        left_from = np.where(first < gs, tokens.start[np.minimum(first, gs)], m_start)
        right_to = np.where(last > ge, tokens.end[np.maximum(last - 1, 0)], m_end)
    left, match, right = [], [], []
    for d, a, b, c, e in zip(doc.tolist(), left_from.tolist(), m_start.tolist(), m_end.tolist(), right_to.tolist()):
        text = texts[d]
        left.append(_clean(text[a:b]))
        match.append(_clean(text[b:c]))
        right.append(_clean(text[c:e]))
    doc_ids = tokens.doc_ids[doc] if len(doc) else np.array([], dtype=str)
    raw_start, raw_end = raw_spans(docs, doc_ids, m_start, m_end)
    return pd.DataFrame({
        "doc_id": pd.Series(doc_ids, dtype=object),
        "token_start": (gs - lo).astype(np.int64), "token_end": (ge - lo).astype(np.int64),
        "left": pd.Series(left, dtype=object), "match": pd.Series(match, dtype=object),
        "right": pd.Series(right, dtype=object),
        "start": m_start.astype(np.int64), "end": m_end.astype(np.int64),
        "raw_start": raw_start, "raw_end": raw_end,
    })


def _sorted_order(tokens: Tokens, gs: np.ndarray, ge: np.ndarray, keys: list[tuple[int, str]]) -> np.ndarray:
    """Order of hits by the words at the sort positions (alphabetical, missing first), then corpus order."""
    doc = np.searchsorted(tokens.bounds, gs, side="right") - 1
    lo, hi = tokens.bounds[doc], tokens.bounds[doc + 1]
    rank = np.empty(len(tokens.vocab), dtype=np.int64)
    rank[np.argsort(tokens.vocab, kind="stable")] = np.arange(len(tokens.vocab))
    columns = []
    for k, side in keys:
        pos = gs - k if side == "L" else ge - 1 + k
        ok = (pos >= lo) & (pos < hi)
        columns.append(np.where(ok, rank[tokens.ids[np.clip(pos, 0, max(tokens.n_tokens - 1, 0))]], -1))
    # np.lexsort sorts by the last key first
    return np.lexsort([ge, gs] + columns[::-1])


def kwic(tokens: Tokens, docs: pd.DataFrame, pattern: str, *, valuetype: str = "glob", hyphens: str = "loose",
         case_sensitive: bool = False, window=5, sentence: bool = False, sort=None, all_versions: bool = False,
         prefer: str = "official") -> pd.DataFrame:
    """Concordance lines (key word in context) for a word, phrase, glob or regular expression.

    Parameters
    ----------
    tokens : Tokens
        The token store (:func:`rhetoric.corpus.tokenize`).
    docs : DataFrame
        The documents table the tokens were made from (for the display text).
    pattern : str
        A pattern of :mod:`rhetoric.patterns` (``"shared future"``,
        ``"golden *"``, ``"develop*"``, ``"(shared|common) future"``,
        ``"/partner(s|ship)/"``).
    valuetype, hyphens, case_sensitive
        The matching rules of :func:`rhetoric.patterns.find`.
    window : int or (int, int), default 5
        Context size in tokens, the same on both sides or ``(left, right)``;
        the context stops at the document's edges.
    sentence : bool, default False
        Show the whole sentence around the match instead of a token window.
    sort : list of str or str, optional
        Sort levels as in AntConc: ``["1R", "2R"]`` sorts by the first word to
        the right of the match, then the second; ``"1L"`` by the first word to
        the left. Words are compared as types; a position outside the document
        sorts first; ties keep corpus order. Default: corpus order.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        ``doc_id``; ``token_start, token_end`` (positions in the document, end
        exclusive); ``left, match, right`` (display text, punctuation kept,
        white space collapsed); ``start, end`` (offsets in ``docs.text``);
        ``raw_start, raw_end`` (offsets in ``docs.raw_text``). One row per hit.

    Raises
    ------
    ParameterError
        For a malformed pattern, an unknown option, a negative window or an
        unreadable sort level.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> lines = kwic(tokenize(docs), docs, "win win", window=2)
    >>> lines[["left", "match", "right"]].iloc[0].tolist()
    ['friendship and', 'win-win', 'cooperation. Chinese']
    """
    keys = _sort_keys(sort)
    _window(window)
    sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
    gs, ge, _ = match_positions(sub, [pattern], valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                                docs=docs)
    if keys and len(gs):
        order = _sorted_order(sub, gs, ge, keys)
        gs, ge = gs[order], ge[order]
    return _lines(sub, docs, gs, ge, window=window, sentence=sentence)


def kwic_for_spans(tokens: Tokens, docs: pd.DataFrame, spans: pd.DataFrame, *, window=5, sentence: bool = False,
                   sort=None) -> pd.DataFrame:
    """Concordance lines for hits found elsewhere (formula variants, bundles).

    Parameters
    ----------
    tokens : Tokens
        The token store.
    docs : DataFrame
        The documents table the tokens were made from.
    spans : DataFrame
        ``doc_id, token_start, token_end`` (positions within the document, end
        exclusive); any other columns (``formula_id``, ``variant``, ...) are
        carried through.
    window, sentence, sort
        As in :func:`kwic`.

    Returns
    -------
    DataFrame
        The :func:`kwic` columns, then the other columns of ``spans``; rows in
        the order of ``spans`` (or sorted by ``sort``).
    """
    if not isinstance(spans, pd.DataFrame) or not set(SPAN_COLUMNS) <= set(spans.columns):
        have = ", ".join(map(str, spans.columns)) if isinstance(spans, pd.DataFrame) else type(spans).__name__
        raise ParameterError(f"spans needs the columns doc_id, token_start, token_end (it has: {have}).")
    keys = _sort_keys(sort)
    _window(window)
    index = {d: i for i, d in enumerate(tokens.doc_ids.tolist())}
    unknown = [d for d in spans["doc_id"] if d not in index]
    if unknown:
        raise ParameterError(f"spans: doc_id '{unknown[0]}' is not in the tokens.")
    doc = np.array([index[d] for d in spans["doc_id"]], dtype=np.int64)
    ts = spans["token_start"].to_numpy(dtype=np.int64)
    te = spans["token_end"].to_numpy(dtype=np.int64)
    lengths = np.diff(tokens.bounds)[doc] if len(doc) else np.zeros(0, dtype=np.int64)
    bad = np.flatnonzero((ts < 0) | (te <= ts) | (te > lengths))
    if len(bad):
        i = int(bad[0])
        raise ParameterError(f"spans row {i}: token_start={ts[i]}, token_end={te[i]} is not a span of document "
                             f"'{spans['doc_id'].iloc[i]}' (0 <= token_start < token_end <= {lengths[i]}).")
    gs = tokens.bounds[doc] + ts if len(doc) else np.zeros(0, dtype=np.int64)
    ge = tokens.bounds[doc] + te if len(doc) else np.zeros(0, dtype=np.int64)
    order = _sorted_order(tokens, gs, ge, keys) if keys and len(gs) else np.arange(len(gs))
    lines = _lines(tokens, docs, gs[order], ge[order], window=window, sentence=sentence)
    extra = [c for c in spans.columns if c not in KWIC_COLUMNS]
    if extra:
        carried = spans[extra].iloc[order].reset_index(drop=True)
        lines = pd.concat([lines, carried], axis=1)
    return lines


_STYLE = (".rhetoric-kwic{border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,monospace;"
          "font-size:0.9em}.rhetoric-kwic td,.rhetoric-kwic th{padding:2px 6px;vertical-align:top}"
          ".rhetoric-kwic td.left{text-align:right;white-space:nowrap;color:#444}"
          ".rhetoric-kwic td.match{text-align:center;font-weight:bold;background:#fff3b0;white-space:nowrap}"
          ".rhetoric-kwic td.right{text-align:left;white-space:nowrap;color:#444}"
          ".rhetoric-kwic td.doc{color:#777;font-size:0.85em}"
          ".rhetoric-kwic caption{caption-side:top;text-align:left;font-weight:bold}")


def kwic_html(table: pd.DataFrame, *, caption: str | None = None) -> str:
    """An HTML table of concordance lines, AntConc-style: left context right-aligned, match highlighted.

    Every piece of text (corpus text, ids, extra columns, the caption) is
    escaped with :func:`html.escape`, so markup in a corpus shows as text and
    never runs. Show it in a notebook with ``IPython.display.HTML(kwic_html(df))``.

    Parameters
    ----------
    table : DataFrame
        From :func:`kwic` or :func:`kwic_for_spans` (needs ``left, match,
        right``; ``doc_id`` and any carried columns are shown too).
    caption : str, optional
        A caption above the table.

    Returns
    -------
    str
        A ``<style>`` block and a ``<table class="rhetoric-kwic">``.
    """
    if not isinstance(table, pd.DataFrame) or not {"left", "match", "right"} <= set(table.columns):
        raise ParameterError("kwic_html needs a table with 'left', 'match' and 'right' columns (from kwic()).")
    esc = lambda value: html.escape("" if value is None or (isinstance(value, float) and np.isnan(value))  # noqa: E731
                                    else str(value), quote=True)
    extra = [c for c in table.columns if c not in KWIC_COLUMNS]
    head = ["doc_id"] if "doc_id" in table.columns else []
    parts = [f"<style>{_STYLE}</style>", '<table class="rhetoric-kwic">']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in head + extra)
                 + '<th class="left">left</th><th class="match">match</th><th class="right">right</th></tr></thead>')
    parts.append("<tbody>")
    for row in table.to_dict("records"):
        cells = "".join(f'<td class="doc">{esc(row[c])}</td>' for c in head + extra)
        title = ""
        if "raw_start" in row and "raw_end" in row:
            title = f' title="raw {esc(row["raw_start"])}-{esc(row["raw_end"])}"'
        parts.append(f"<tr>{cells}<td class=\"left\">{esc(row['left'])}</td>"
                     f"<td class=\"match\"{title}>{esc(row['match'])}</td>"
                     f"<td class=\"right\">{esc(row['right'])}</td></tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def kwic_page(table: pd.DataFrame, *, title: str = "Concordance") -> str:
    """A whole HTML page of concordance lines (:func:`kwic_html`) under the strict
    :data:`CONTENT_SECURITY_POLICY`: nothing on it runs or loads from elsewhere.

    Examples
    --------
    >>> page = kwic_page(pd.DataFrame({"left": ["<b>"], "match": ["x"], "right": [""]}), title="a <test>")
    >>> "Content-Security-Policy" in page and "&lt;b&gt;" in page and "<b>" not in page
    True
    """
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n"
            f"<title>{html.escape(title)}</title></head>\n<body>\n"
            + kwic_html(table, caption=title) + "\n</body></html>\n")
