"""Matching many multi-word phrases at once: the matcher behind formulas and frames.

A phrase pattern is a small token-level language, not a regular expression, so
it cannot backtrack catastrophically:

============================  ==============================================
``community with a shared``   words, matched case-insensitively against tokens
``win-win``                   hyphens are optional: also matches ``win win``
``(for mankind)?``, ``the?``  an optional word or group
``(shared|common) future``    alternatives
``develop*``                  a glob within one word (``*`` any letters)
``/partner(s|ship)/``         a regular expression for one word (full match,
                              checked against the vocabulary with a time limit)
============================  ==============================================

All patterns of a lexicon are compiled into one trie over word ids; matching is
leftmost-longest and non-overlapping: where two phrases overlap, the one that
starts first wins, and of those starting together, the longest. Hits never cross
a sentence boundary and always cover whole tokens.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import LexiconError

MAX_EXPANSIONS = 4096
"""Most word sequences one pattern may expand to (optional parts and alternatives multiply)."""
REGEX_TIMEOUT = 0.5
"""Seconds a ``/regex/`` word may spend matching the whole vocabulary."""

_SPECIAL = re.compile(r"\s+|[()|?]|/(?:[^/\\]|\\.)+/|[^\s()|?/]+|/")


def normalize_word(word: str) -> list[str]:
    """Lower-case a pattern word, drop a possessive ``'s``, split it on hyphens."""
    word = word.lower().replace("\u2019", "'").replace("\u2018", "'")
    word = re.sub(r"'s$", "", word).strip("'\"")
    return [part for part in re.split(r"[-\u2010\u2011\u2013\u2014]", word) if part]


@dataclass(frozen=True)
class _Part:
    kind: str   # "word", "glob" or "regex"
    text: str


def _parse(pattern: str) -> list[list[_Part]]:
    """Expand a pattern into its word sequences (each a list of parts)."""
    tokens = [t for t in _SPECIAL.findall(pattern) if not t.isspace()]
    pos = 0

    def alternatives() -> list[list[_Part]]:
        nonlocal pos
        options = [sequence()]
        while pos < len(tokens) and tokens[pos] == "|":
            pos += 1
            options.append(sequence())
        return [seq for option in options for seq in option]

    def sequence() -> list[list[_Part]]:
        nonlocal pos
        seqs: list[list[_Part]] = [[]]
        while pos < len(tokens) and tokens[pos] not in ("|", ")"):
            tok = tokens[pos]
            pos += 1
            if tok == "(":
                inner = alternatives()
                if pos >= len(tokens) or tokens[pos] != ")":
                    raise ValueError("a '(' is not closed")
                pos += 1
            elif tok == "?":
                raise ValueError("'?' must follow a word or a group")
            elif tok.startswith("/") and tok.endswith("/") and len(tok) > 2:
                inner = [[_Part("regex", tok[1:-1])]]
            elif tok == "/":
                raise ValueError("a '/regex/' word is not closed")
            else:
                parts = normalize_word(tok)
                if not parts:
                    raise ValueError(f"'{tok}' has no letters or digits")
                inner = [[_Part("glob" if any(c in p for c in "*[") else "word", p) for p in parts]]
            if pos < len(tokens) and tokens[pos] == "?":
                pos += 1
                inner = inner + [[]]
            seqs = [s + i for s in seqs for i in inner]
            if len(seqs) > MAX_EXPANSIONS:
                raise ValueError(f"expands to more than {MAX_EXPANSIONS} word sequences; split it into variants")
        return seqs

    result = alternatives()
    if pos != len(tokens):
        raise ValueError(f"unexpected '{tokens[pos]}'")
    result = [seq for seq in result if seq]
    if not result:
        raise ValueError("matches nothing (every word is optional)")
    return result


def check_pattern(pattern: str) -> int:
    """Validate a pattern without a corpus; return how many word sequences it expands to.

    Raises
    ------
    ValueError
        Saying what is wrong (unbalanced group, empty pattern, bad or slow regex).
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("is empty")
    seqs = _parse(pattern)
    for seq in seqs:
        for part in seq:
            if part.kind == "regex":
                _compile_regex(part.text)
    return len(seqs)


def _compile_regex(text: str):
    import regex

    try:
        compiled = regex.compile(text, flags=regex.IGNORECASE | regex.V1)
    except regex.error as exc:
        raise ValueError(f"'/{text}/' is not a valid regular expression ({exc})") from exc
    try:  # a catastrophic pattern shows itself on a short adversarial string
        compiled.fullmatch("a" * 64 + "!", timeout=REGEX_TIMEOUT)
    except TimeoutError as exc:
        raise ValueError(f"'/{text}/' backtracks catastrophically; simplify it (e.g. no nested '+' like (a+)+)") \
            from exc
    return compiled


@dataclass
class _Node:
    children: dict = field(default_factory=dict)
    terminal: tuple | None = None  # (row index in the phrase table,)


@dataclass(frozen=True)
class SubTokens:
    """Tokens split at hyphens: ``win-win`` is two sub-tokens of one token."""

    ids: np.ndarray          # sub-token id per sub-token (into vocab)
    vocab: np.ndarray
    token: np.ndarray        # token index (corpus-wide) of each sub-token
    first: np.ndarray        # bool: first part of its token
    last: np.ndarray         # bool: last part of its token


def split_subtokens(tokens) -> SubTokens:
    """Split every token of a :class:`~rhetoric.tokens.Tokens` store at its hyphens (vectorised)."""
    parts_of_type = [v.split("-") for v in tokens.vocab.tolist()]
    flat = [p for parts in parts_of_type for p in parts]
    n_parts = np.array([len(p) for p in parts_of_type], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(n_parts)])
    sub_codes, sub_vocab = pd.factorize(pd.Series(flat, dtype=object), sort=True)
    sub_codes = np.asarray(sub_codes, dtype=np.int32)
    per_token = n_parts[tokens.ids] if tokens.n_tokens else np.zeros(0, dtype=np.int64)
    token_index = np.repeat(np.arange(tokens.n_tokens, dtype=np.int64), per_token)
    group_start = np.repeat(np.cumsum(per_token) - per_token, per_token)
    within = np.arange(len(token_index), dtype=np.int64) - group_start
    flat_index = offsets[tokens.ids[token_index]] + within if len(token_index) else np.zeros(0, dtype=np.int64)
    return SubTokens(
        ids=sub_codes[flat_index] if len(flat_index) else np.zeros(0, dtype=np.int32),
        vocab=np.asarray(sub_vocab, dtype=str),
        token=token_index,
        first=within == 0,
        last=within == per_token[token_index] - 1 if len(token_index) else np.zeros(0, dtype=bool),
    )


def _resolve(part: _Part, vocab: np.ndarray, index: dict) -> list[int]:
    if part.kind == "word":
        hit = index.get(part.text)
        return [] if hit is None else [hit]
    if part.kind == "glob":
        return [index[w] for w in fnmatch.filter(vocab.tolist(), part.text)]
    compiled = _compile_regex(part.text)
    return [i for i, w in enumerate(vocab.tolist()) if compiled.fullmatch(w, timeout=REGEX_TIMEOUT)]


def compile_phrases(patterns: list[str], sub_vocab: np.ndarray) -> _Node:
    """Build one trie over sub-token ids from every pattern (row order = priority on exact ties)."""
    root = _Node()
    index = {w: i for i, w in enumerate(sub_vocab.tolist())}
    for row, pattern in enumerate(patterns):
        try:
            sequences = _parse(pattern)
        except ValueError as exc:
            raise LexiconError(f"pattern '{pattern}': {exc}") from exc
        for seq in sequences:
            choices = [_resolve(part, sub_vocab, index) for part in seq]
            if any(not c for c in choices):
                continue  # a word the corpus never uses: this sequence cannot match
            frontier = [root]
            for ids in choices:
                nxt = []
                for node in frontier:
                    for i in ids:
                        nxt.append(node.children.setdefault(i, _Node()))
                frontier = nxt
            for node in frontier:
                if node.terminal is None:
                    node.terminal = (row,)
    return root


def match_phrases(tokens, phrases: pd.DataFrame, *, pattern_column: str = "pattern") -> pd.DataFrame:
    """Find every phrase of a table in a token store: leftmost-longest, non-overlapping.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    phrases : DataFrame
        One row per pattern; ``pattern_column`` holds the pattern, every other
        column (e.g. ``formula_id``, ``variant``) is copied onto its hits.
    pattern_column : str, default "pattern"

    Returns
    -------
    DataFrame
        The phrase table's columns plus ``doc_id, token_start, token_end``
        (positions within the document, end exclusive), ``start, end`` (cleaned
        text), ``raw_start, raw_end`` (raw file), ``sentence, paragraph``; in
        document order then position.
    """
    if pattern_column not in phrases.columns:
        raise LexiconError(f"phrase table has no '{pattern_column}' column; columns are {list(phrases.columns)}.")
    sub = split_subtokens(tokens)
    root = compile_phrases(phrases[pattern_column].tolist(), sub.vocab)
    extra_cols = [c for c in phrases.columns]
    hit_columns = ["doc_id", "token_start", "token_end", "start", "end", "raw_start", "raw_end",
                   "sentence", "paragraph"]
    if not root.children or not len(sub.ids):
        return pd.DataFrame(columns=extra_cols + hit_columns)
    first_ids = np.fromiter(root.children.keys(), dtype=np.int64)
    candidates = np.flatnonzero(np.isin(sub.ids, first_ids) & sub.first)
    sentence_of = tokens.sentence[sub.token]
    ids = sub.ids.tolist()
    last = sub.last.tolist()
    sent = sentence_of.tolist()
    n = len(ids)
    hits_rows, hits_sub_start, hits_sub_end = [], [], []
    blocked_until = 0
    for start in candidates.tolist():
        if start < blocked_until:
            continue
        node, pos, best = root, start, None
        while pos < n and sent[pos] == sent[start]:
            node = node.children.get(ids[pos])
            if node is None:
                break
            if node.terminal is not None and last[pos]:
                best = (node.terminal[0], pos + 1)
            pos += 1
        if best is not None:
            hits_rows.append(best[0]); hits_sub_start.append(start); hits_sub_end.append(best[1])
            blocked_until = best[1]
    if not hits_rows:
        return pd.DataFrame(columns=extra_cols + hit_columns)
    tok_start = sub.token[np.array(hits_sub_start)]
    tok_end = sub.token[np.array(hits_sub_end) - 1] + 1
    doc = np.searchsorted(tokens.bounds, tok_start, side="right") - 1
    out = phrases.iloc[hits_rows].reset_index(drop=True)
    out["doc_id"] = tokens.doc_ids[doc]
    out["token_start"] = tok_start - tokens.bounds[doc]
    out["token_end"] = tok_end - tokens.bounds[doc]
    out["start"] = tokens.start[tok_start]
    out["end"] = tokens.end[tok_end - 1]
    out["raw_start"] = tokens.raw_start[tok_start]
    out["raw_end"] = tokens.raw_end[tok_end - 1]
    out["sentence"] = tokens.sentence[tok_start]
    out["paragraph"] = tokens.paragraph[tok_start]
    return out[extra_cols + hit_columns]
