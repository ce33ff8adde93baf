"""Matching many multi-word phrases at once: the matcher behind formulas and frames.

A phrase pattern is a small token-level language, not a regular expression, so
it cannot backtrack catastrophically:

============================  ==============================================
``community with a shared``   words, matched case-insensitively against tokens
``win-win``                   hyphens are optional: also matches ``win win``
``(for mankind)?``, ``the?``  an optional word or group
``(shared|common) future``    alternatives
``develop*``                  a glob within one word (``*`` any letters,
                              ``[ou]`` one of the letters)
``/partner(s|ship)/``         a regular expression for one word (full match,
                              case-insensitive, checked against the vocabulary
                              with a time limit)
============================  ==============================================

Pattern words are cut into tokens by the corpus tokenizer
(:data:`rhetoric.tokens.TOKEN_PATTERN`), so a pattern reads like the text it
matches: quotes and punctuation are ignored (``"golden thirty years"``,
``terrorism, separatism and extremism``), curly apostrophes are straight, a
possessive ``'s`` is dropped (``China's`` = ``China``), and ``China+Central``
is two words. Hyphenated tokens are matched part by part, so ``win-win``,
``win win`` and ``win–win`` are the same, but a hit always starts and ends at a
token boundary (``Kazakhstan community`` does not match inside
``China-Kazakhstan community``). A ``/regex/`` or glob is matched against one
such hyphen-free part. When the tokens were made with ``fold_spelling=True``,
pattern words are folded the same way (``neighbourly`` -> ``neighborly``).

All patterns of a lexicon are compiled into one trie over word ids, flattened
into sorted NumPy arrays and walked for all candidate start positions at once,
one pattern word per step. Matching is leftmost-longest and non-overlapping:
where two phrases overlap, the one that starts first wins, and of those starting
together, the longest; of two patterns matching exactly the same words, the
earlier row. Hits never cross a sentence boundary.

Regular expressions are the one place where matching time could explode. A
``/regex/`` is rejected when a repeated group contains another repetition or
alternatives (star height above one: ``(a+)+``, ``(\\w+\\s?)+``, ``(a|aa)*``,
the shapes that backtrack exponentially), when it times out on adversarial
strings, or when matching it against the vocabulary takes longer than
:data:`REGEX_TIMEOUT` seconds in total.

References
----------
Aho, A. V. & Corasick, M. J. (1975). Efficient string matching: an aid to
bibliographic search. *Communications of the ACM* 18(6), 333-340 (the trie).
Davis, J. C. et al. (2018). The impact of regular expression denial of service
(ReDoS) in practice. *ESEC/FSE 2018* (star height and catastrophic backtracking).
"""

from __future__ import annotations

import fnmatch
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import LexiconError

MAX_EXPANSIONS = 4096
"""Most word sequences one pattern may expand to (optional parts and alternatives multiply)."""
REGEX_TIMEOUT = 0.5
"""Seconds a ``/regex/`` word may spend in total matching the whole vocabulary (and its self-test)."""
HIT_COLUMNS = ["doc_id", "token_start", "token_end", "start", "end", "raw_start", "raw_end",
               "sentence", "paragraph"]
"""Columns :func:`match_phrases` adds to the phrase table's own."""

_SPECIAL = re.compile(r"\s+|[()|?]|/(?:[^/\\]|\\.)+/|[^\s()|?/]+|/")
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2212]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})


def normalize_word(word: str) -> list[str]:
    """The sub-tokens a pattern word stands for, as the corpus tokenizer would cut them.

    Lower-cased, quotes and punctuation dropped, a possessive ``'s`` dropped,
    hyphenated compounds split into their parts; a glob word (``develop*``,
    ``neighbo[u]rly``) is only lower-cased and split at hyphens. An empty list
    means the word is punctuation only.

    Examples
    --------
    >>> normalize_word("China's")
    ['china']
    >>> normalize_word('"Good-Neighbourly')
    ['good', 'neighbourly']
    >>> normalize_word("China+Central")
    ['china', 'central']
    """
    from .tokens import TOKEN_PATTERN

    word = word.translate(_QUOTES)
    if any(c in word for c in "*["):
        word = word.strip("\"',.;:!").lower()
        return [part for part in _HYPHENS.split(word) if part]
    word = _HYPHENS.sub("-", word)
    parts: list[str] = []
    for token in TOKEN_PATTERN.findall(word):
        parts.extend(p for p in token.lower().split("-") if p)
    return parts


@dataclass(frozen=True)
class _Part:
    kind: str   # "word", "glob" or "regex"
    text: str


def _parse(pattern: str) -> list[list[_Part]]:
    """Expand a pattern into its word sequences (each a list of parts)."""
    return [list(seq) for seq in _parse_cached(pattern)]


@lru_cache(maxsize=8192)
def _parse_cached(pattern: str) -> tuple[tuple[_Part, ...], ...]:
    return tuple(tuple(seq) for seq in _parse_uncached(pattern))


def _parse_uncached(pattern: str) -> list[list[_Part]]:
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
                if not parts:  # punctuation only ("–", ","): tokens carry no punctuation
                    if pos < len(tokens) and tokens[pos] == "?":
                        pos += 1
                    continue
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
        raise ValueError(f"unexpected '{tokens[pos]}' (a ')' without its '('?)")
    result = [seq for seq in result if seq]
    if not result:
        raise ValueError("matches nothing (it has no words, or every word is optional)")
    return result


def pattern_sequences(pattern: str) -> list[tuple[tuple[str, str], ...]]:
    """The word sequences a pattern expands to, as tuples of ``(kind, text)`` parts.

    Two patterns with a common sequence match the same words; the lexicon
    loader uses this to find one variant listed under two formulas.

    Raises
    ------
    ValueError
        If the pattern is malformed (see :func:`check_pattern`).
    """
    return [tuple((p.kind, p.text) for p in seq) for seq in _parse(pattern)]


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


def _star_height_problem(text: str) -> str | None:
    """Describe a repeated group holding another repetition or alternatives, or None.

    Uses Python's own regular-expression parser; syntax only the ``regex``
    module knows is left to the timing checks.
    """
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse  # type: ignore[no-redef]
    from re import _constants as c

    try:
        tree = sre_parse.parse(text)
    except Exception:  # noqa: BLE001 - not Python syntax; the timing checks still apply
        return None
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT}
    if hasattr(c, "POSSESSIVE_REPEAT"):
        repeats.add(c.POSSESSIVE_REPEAT)

    def walk(items, inside: bool) -> str | None:
        for op, av in items:
            if op in repeats:
                lo, hi, sub = av
                if inside:
                    return "a repeated group contains another repetition or an optional part"
                found = walk(sub, hi > 1)
            elif op is c.BRANCH:
                if inside:
                    return "a repeated group contains alternatives"
                found = next((f for f in (walk(b, inside) for b in av[1]) if f), None)
            elif op is c.SUBPATTERN:
                found = walk(av[-1], inside)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                found = walk(av[1], inside)
            elif op is c.GROUPREF_EXISTS:
                found = walk(av[1], inside) or (walk(av[2], inside) if av[2] else None)
            elif getattr(c, "ATOMIC_GROUP", None) is op:
                found = walk(av, inside)
            else:
                found = None
            if found:
                return found
        return None

    return walk(tree, False)


def _compile_regex(text: str):
    import regex

    try:
        compiled = regex.compile(text, flags=regex.IGNORECASE | regex.V1)
    except regex.error as exc:
        raise ValueError(f"'/{text}/' is not a valid regular expression ({exc})") from exc
    problem = _star_height_problem(text)
    if problem:
        raise ValueError(f"'/{text}/' can backtrack catastrophically: {problem} (as in '(a+)+' or "
                         "'(a|aa)*'); write the alternatives as separate variants, or use a glob like 'develop*'")
    letters = sorted({ch.lower() for ch in re.sub(r"\\.", "", text) if ch.isalnum()})[:6] or ["a"]
    probes = ["a" * 48 + "!"] + [ch * 32 + "!" for ch in letters]
    deadline = time.perf_counter() + REGEX_TIMEOUT
    try:  # a catastrophic pattern shows itself on a short adversarial string
        for probe in probes:
            compiled.fullmatch(probe, timeout=max(deadline - time.perf_counter(), 1e-3))
    except TimeoutError as exc:
        raise ValueError(f"'/{text}/' backtracks catastrophically (a {len(probes[0])}-letter test word took "
                         f"over {REGEX_TIMEOUT}s); simplify it (no nested or overlapping repetition)") from exc
    return compiled


@dataclass
class _Node:
    children: dict = field(default_factory=dict)
    terminal: int | None = None  # row index in the phrase table


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
    offsets = np.concatenate([[0], np.cumsum(n_parts)]).astype(np.int64)
    sub_codes, sub_vocab = pd.factorize(pd.Series(flat, dtype=object), sort=True)
    sub_codes = np.asarray(sub_codes, dtype=np.int32)
    if not tokens.n_tokens:
        empty = np.zeros(0, dtype=np.int64)
        return SubTokens(ids=np.zeros(0, dtype=np.int32), vocab=np.asarray(sub_vocab, dtype=str), token=empty,
                         first=np.zeros(0, dtype=bool), last=np.zeros(0, dtype=bool))
    if np.all(n_parts == 1):  # no hyphenated type: one sub-token per token
        return SubTokens(ids=sub_codes[tokens.ids], vocab=np.asarray(sub_vocab, dtype=str),
                         token=np.arange(tokens.n_tokens, dtype=np.int64),
                         first=np.ones(tokens.n_tokens, dtype=bool), last=np.ones(tokens.n_tokens, dtype=bool))
    per_token = n_parts[tokens.ids]
    token_index = np.repeat(np.arange(tokens.n_tokens, dtype=np.int64), per_token)
    group_start = np.repeat(np.cumsum(per_token) - per_token, per_token)
    within = np.arange(len(token_index), dtype=np.int64) - group_start
    flat_index = offsets[tokens.ids[token_index]] + within
    return SubTokens(
        ids=sub_codes[flat_index],
        vocab=np.asarray(sub_vocab, dtype=str),
        token=token_index,
        first=within == 0,
        last=within == per_token[token_index] - 1,
    )


def _resolve(part: _Part, vocab: list[str], index: dict, fold) -> list[int]:
    if part.kind == "word":
        hit = index.get(fold(part.text))
        return [] if hit is None else [hit]
    if part.kind == "glob":
        matcher = re.compile(fnmatch.translate(part.text))
        return [i for i, w in enumerate(vocab) if matcher.match(w)]
    compiled = _compile_regex(part.text)
    deadline = time.perf_counter() + REGEX_TIMEOUT
    out = []
    try:
        for i, w in enumerate(vocab):
            if compiled.fullmatch(w, timeout=max(deadline - time.perf_counter(), 1e-3)):
                out.append(i)
    except TimeoutError as exc:
        raise ValueError(f"'/{part.text}/' took over {REGEX_TIMEOUT}s on the vocabulary of {len(vocab)} words; "
                         "simplify it or use a glob") from exc
    return out


@dataclass(frozen=True)
class CompiledPhrases:
    """A lexicon's trie flattened into arrays: edge ``(node, word id) -> child``."""

    edge_keys: np.ndarray    # sorted int64: node * n_vocab + word id
    edge_child: np.ndarray   # int64 child node of each edge
    terminal: np.ndarray     # int64 per node: phrase row ending there, or -1
    first_ids: np.ndarray    # word ids that start some phrase
    n_vocab: int
    depth: int               # longest word sequence


def compile_phrases(patterns: list[str], sub_vocab: np.ndarray, *, fold_spelling: bool = False) -> CompiledPhrases:
    """Build one trie over sub-token ids from every pattern (row order = priority on exact ties).

    Raises
    ------
    LexiconError
        Naming the pattern that is malformed or whose regex is too slow.
    """
    vocab = sub_vocab.tolist()
    index = {w: i for i, w in enumerate(vocab)}
    if fold_spelling:
        from .tokens import fold_spelling as _fold
        fold = _fold
    else:
        def fold(word):
            return word
    root = _Node()
    nodes = [root]
    resolved: dict[_Part, list[int]] = {}
    for row, pattern in enumerate(patterns):
        try:
            sequences = _parse(pattern)
            for seq in sequences:
                for part in seq:
                    if part not in resolved:
                        resolved[part] = _resolve(part, vocab, index, fold)
        except ValueError as exc:
            raise LexiconError(f"pattern '{pattern}': {exc}") from exc
        for seq in sequences:
            choices = [resolved[part] for part in seq]
            if any(not ch for ch in choices):
                continue  # a word the corpus never uses: this sequence cannot match
            frontier = [root]
            for ids in choices:
                nxt = []
                for node in frontier:
                    for i in ids:
                        child = node.children.get(i)
                        if child is None:
                            child = node.children[i] = _Node()
                            nodes.append(child)
                        nxt.append(child)
                frontier = nxt
            for node in frontier:
                if node.terminal is None:
                    node.terminal = row
    number = {id(node): k for k, node in enumerate(nodes)}
    n_vocab = max(len(vocab), 1)
    keys, children = [], []
    for node in nodes:
        base = number[id(node)] * n_vocab
        for word, child in node.children.items():
            keys.append(base + word)
            children.append(number[id(child)])
    keys_arr = np.array(keys, dtype=np.int64)
    order = np.argsort(keys_arr, kind="stable")

    def depth(node) -> int:
        return 1 + max((depth(c) for c in node.children.values()), default=0)

    return CompiledPhrases(
        edge_keys=keys_arr[order], edge_child=np.array(children, dtype=np.int64)[order],
        terminal=np.array([-1 if n.terminal is None else n.terminal for n in nodes], dtype=np.int64),
        first_ids=np.array(sorted(root.children), dtype=np.int64), n_vocab=n_vocab, depth=depth(root) - 1,
    )


def _walk(compiled: CompiledPhrases, ids: np.ndarray, sentence: np.ndarray, last: np.ndarray,
          starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longest phrase starting at each of ``starts``: (end sub-token, exclusive; row), -1 where none."""
    n = len(ids)
    best_end = np.full(len(starts), -1, dtype=np.int64)
    best_row = np.full(len(starts), -1, dtype=np.int64)
    alive = np.arange(len(starts), dtype=np.int64)
    node = np.zeros(len(starts), dtype=np.int64)
    for step in range(compiled.depth):
        pos = starts[alive] + step
        ok = pos < n
        alive, node, pos = alive[ok], node[ok], pos[ok]
        if step:
            same = sentence[pos] == sentence[starts[alive]]
            alive, node, pos = alive[same], node[same], pos[same]
        if not len(alive):
            break
        key = node * compiled.n_vocab + ids[pos]
        where = np.searchsorted(compiled.edge_keys, key)
        where = np.minimum(where, len(compiled.edge_keys) - 1)
        found = compiled.edge_keys[where] == key
        alive, pos, node = alive[found], pos[found], compiled.edge_child[where[found]]
        term = compiled.terminal[node]
        done = (term >= 0) & last[pos]
        best_end[alive[done]] = pos[done] + 1
        best_row[alive[done]] = term[done]
    return best_end, best_row


def match_phrases(tokens, phrases: pd.DataFrame, *, pattern_column: str = "pattern") -> pd.DataFrame:
    """Find every phrase of a table in a token store: leftmost-longest, non-overlapping.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.tokens.tokenize`.
    phrases : DataFrame
        One row per pattern; ``pattern_column`` holds the pattern, every other
        column (e.g. ``formula_id``, ``variant``) is copied onto its hits.
        Row order breaks ties between patterns matching the same words.
    pattern_column : str, default "pattern"

    Returns
    -------
    DataFrame
        The phrase table's columns plus ``doc_id, token_start, token_end``
        (positions within the document, end exclusive), ``start, end`` (cleaned
        text), ``raw_start, raw_end`` (raw file), ``sentence, paragraph``
        (corpus-wide numbers, as in the token store); in document order, then
        position.

    Raises
    ------
    LexiconError
        If the column is missing or a pattern is malformed.
    """
    if pattern_column not in phrases.columns:
        raise LexiconError(f"phrase table has no '{pattern_column}' column; columns are {list(phrases.columns)}.")
    extra_cols = list(phrases.columns)
    empty = pd.DataFrame({c: pd.Series(dtype=phrases[c].dtype) for c in extra_cols}
                         | {c: pd.Series(dtype=object if c == "doc_id" else np.int64) for c in HIT_COLUMNS})
    sub = split_subtokens(tokens)
    compiled = compile_phrases(phrases[pattern_column].tolist(), sub.vocab,
                               fold_spelling=bool(getattr(tokens, "settings", {}).get("fold_spelling")))
    if not len(compiled.first_ids) or not len(sub.ids):
        return empty
    starts_phrase = np.zeros(compiled.n_vocab, dtype=bool)
    starts_phrase[compiled.first_ids] = True
    starts = np.flatnonzero(starts_phrase[sub.ids] & sub.first)
    sentence_of = tokens.sentence[sub.token]
    ends, rows = _walk(compiled, sub.ids.astype(np.int64), sentence_of, sub.last, starts)
    matched = ends >= 0
    starts, ends, rows = starts[matched], ends[matched], rows[matched]
    keep = np.zeros(len(starts), dtype=bool)
    blocked_until = 0
    for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist())):  # only over starts that matched
        if s >= blocked_until:
            keep[k] = True
            blocked_until = e
    if not keep.any():
        return empty
    starts, ends, rows = starts[keep], ends[keep], rows[keep]
    tok_start = sub.token[starts]
    tok_end = sub.token[ends - 1] + 1
    doc = np.searchsorted(tokens.bounds, tok_start, side="right") - 1
    out = phrases.iloc[rows].reset_index(drop=True)
    out["doc_id"] = tokens.doc_ids[doc].astype(object)
    out["token_start"] = (tok_start - tokens.bounds[doc]).astype(np.int64)
    out["token_end"] = (tok_end - tokens.bounds[doc]).astype(np.int64)
    out["start"] = tokens.start[tok_start].astype(np.int64)
    out["end"] = tokens.end[tok_end - 1].astype(np.int64)
    out["raw_start"] = tokens.raw_start[tok_start].astype(np.int64)
    out["raw_end"] = tokens.raw_end[tok_end - 1].astype(np.int64)
    out["sentence"] = tokens.sentence[tok_start].astype(np.int64)
    out["paragraph"] = tokens.paragraph[tok_start].astype(np.int64)
    return out[extra_cols + HIT_COLUMNS]
