"""One pattern language and one matcher for every analysis that looks something up.

KWIC lines, formula and frame lexicons, phrase frequencies, dispersion and
x-ray positions, collocation nodes and bundle lookups all find their words
here, with the same rules, so the same pattern gives the same hits
everywhere.

The language (``valuetype="glob"``, the default)
------------------------------------------------
==============================  =================================================
``community with a shared``     words, matched against tokens case-insensitively
``win-win`` / ``win win``       the same by default (``hyphens="loose"``)
``golden *``, ``develop*``      a glob matches one whole token (``*`` any
                                characters, ``[ou]`` one of them)
``(shared|common) future``      alternatives
``the?``, ``(for mankind)?``    an optional word or group
``/partner(s|ship)/``           a regular expression that must match one whole
                                token (``regex`` module, case-insensitive)
==============================  =================================================

Pattern words are cut into tokens by the corpus tokenizer
(:func:`rhetoric.corpus.tokens.tokenize_text`), so a pattern reads like the text
it matches: punctuation and quotes are ignored, ``China's`` is ``china 's``,
``China+Central`` is two words, and Chinese words are cut as Chinese text is,
with the token store's lexicon words kept whole (``人类命运共同体`` is one
word, ``共建“一带一路”`` is ``共建 一带一路``; traditional characters are
folded to simplified ones). ``valuetype="regex"``
makes every space-separated part a regular expression for one token;
``valuetype="fixed"`` takes every space-separated part literally (no globs,
groups or optional words).

One rule each for
-----------------
* case: case-insensitive; ``case_sensitive=True`` matches the tokens as written;
* spelling: a word matches its British and American spellings alike
  (``data/spelling.csv``: ``neighbour`` = ``neighbor``, ``good-neighbourly`` =
  ``good-neighborly``), whether or not the store was built with
  ``fold_spelling=True``; not with ``case_sensitive=True`` or
  ``valuetype="fixed"`` (literal words), and not inside globs or regular
  expressions (write ``neighbo*``);
* hyphens: ``hyphens="loose"`` (default) matches a hyphenated token part by
  part, so ``win-win``, ``win win`` and ``win-win`` written as two words are
  the same, but a hit always starts and ends at a token boundary
  (``Kazakhstan community`` does not match inside ``China-Kazakhstan community``);
  ``hyphens="strict"`` matches whole tokens only. A glob or regex matches one
  whole token (``win*`` matches ``win-win``, ``golden *`` matches ``golden
  win-win``) or, with loose hyphens, one hyphen-part of a token (``good
  neighbo*`` matches ``good-neighborly``, as ``good neighborly`` would);
* sentences: a hit never crosses a sentence boundary;
* where hits start: at each token, the longest hit (of patterns matching
  exactly the same words, the one listed first); a hit lying wholly inside an
  earlier one is part of it and is dropped (``the? belt and road`` finds
  ``the belt and road`` once, not also ``belt and road``); hits that only
  partly overlap are all kept, as in a concordancer or an n-gram count
  (``very very`` occurs twice in ``very very very``). A lexicon is matched with
  ``overlapping=False``: leftmost-longest and non-overlapping, as a
  regular-expression engine scans, so a formula nested in a longer one that
  was found is not counted again. Terms listed for frequencies or dispersion
  are matched one by one.

Writing variants (the idioms lexicons use): an optional article
``community of (a)? common destiny``; number ``(partnership | partnerships)``;
an inserted qualifier ``(closer)?`` or any one word ``*?``; a reordering as a
variant of its own (``jointly build (the)? Belt and Road with high quality``).

Limits: a pattern has at most :data:`MAX_PATTERN_CHARS` characters,
:data:`MAX_DEPTH` nested groups and :data:`MAX_EXPANSIONS` word sequences; a
regular expression may spend at most :data:`REGEX_TIMEOUT` seconds on one
word of the vocabulary, and as long again per :data:`REGEX_WORDS_PER_TIMEOUT`
words on the whole vocabulary (the ``regex`` module's timeout, so
catastrophic backtracking stops with a message instead of hanging).

References
----------
Benoit, K. et al. (2018). quanteda: An R package for the quantitative analysis
of textual data. *Journal of Open Source Software* 3(30), 774 (``pattern`` with
``valuetype`` "glob", "regex", "fixed"; ``phrase()``).
Aho, A. V. & Corasick, M. J. (1975). Efficient string matching: an aid to
bibliographic search. *Communications of the ACM* 18(6), 333-340 (the trie).
"""

from __future__ import annotations

import fnmatch
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import config
from .corpus.tokens import _HAN, Tokens, _spelling_table, fold_spelling, raw_spans, token_spans
from .corpus.lemmas import lemma_of
from .errors import ParameterError

VALUETYPES = ("glob", "regex", "fixed")
HYPHENS = ("loose", "strict")
MAX_PATTERN_CHARS = 2000
"""Longest pattern, in characters."""
MAX_DEPTH = 16
"""Most groups nested in one another."""
MAX_EXPANSIONS = 4096
"""Most word sequences one pattern may expand to (optional parts and alternatives multiply)."""
REGEX_TIMEOUT = 1.0
"""Seconds one ``/regex/`` may spend on one word (and on each :data:`REGEX_WORDS_PER_TIMEOUT` words)."""
REGEX_WORDS_PER_TIMEOUT = 100_000
"""Vocabulary words per :data:`REGEX_TIMEOUT` of a ``/regex/``'s time budget (a large vocabulary takes longer)."""
HIT_COLUMNS = ["doc_id", "token_start", "token_end", "start", "end", "sentence", "paragraph"]
"""Columns :func:`find` adds (then ``raw_start, raw_end`` when ``docs`` is given)."""

_LEX = re.compile(r"\s+|[()|?]|/(?:[^/\\]|\\.)+/|[^\s()|?/]+|/")
_GLOB = re.compile(r"[*\[]")
_CHARS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


class Element(NamedTuple):
    """One token position of a pattern: a literal word (part), a glob or a regular expression."""

    kind: str   # "word", "glob" or "regex"
    text: str


# --- parsing ------------------------------------------------------------------------------

NO_CHINESE_TEXT = ("<the corpus has no Chinese text>",)
"""``chinese`` for a corpus without Chinese text: a Chinese pattern word is kept whole instead of being cut like
the corpus's text (it cannot match either way), so jieba's dictionary (about 1 s to load) is never loaded."""


def _literal_words(word: str, *, case_sensitive: bool, chinese: tuple[str, ...] | None = None) -> list[str]:
    """The token types a pattern word stands for (as the corpus tokenizer cuts it)."""
    word = word.translate(_CHARS)
    if word.lower() in ("'s",):
        return [word if case_sensitive else word.lower()]
    if chinese == NO_CHINESE_TEXT:
        if _HAN.search(word) is not None:
            return [word if case_sensitive else word.lower()]
        chinese = None
    spans, types = token_spans(word, words=chinese)
    return [word[a:b] for a, b in spans.tolist()] if case_sensitive else types


def _word_elements(word: str, *, case_sensitive: bool, glob: bool, chinese: tuple[str, ...] | None = None
                   ) -> list[Element]:
    if glob and _GLOB.search(word):
        text = word.translate(_CHARS).strip("\"',.;:!")
        return [Element("glob", text if case_sensitive else text.lower())]
    return [Element("word", w) for w in _literal_words(word, case_sensitive=case_sensitive, chinese=chinese)]


def _check_length(pattern) -> str:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ParameterError(f"pattern {pattern!r} is empty; give a word ('cooperation'), a phrase ('shared "
                             "future'), a glob ('develop*') or a regular expression ('/partner(s|ship)/').")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ParameterError(f"pattern of {len(pattern)} characters is too long (at most {MAX_PATTERN_CHARS}); "
                             "split it into several patterns.")
    return pattern


def parse_pattern(pattern: str, *, valuetype: str = "glob", case_sensitive: bool = False,
                  chinese: tuple[str, ...] | None = None) -> tuple[tuple[Element, ...], ...]:
    """The word sequences a pattern expands to.

    ``chinese``: the Chinese words kept whole (a token store's
    ``settings["chinese_words"]``; default the project's lexicon words), or
    :data:`NO_CHINESE_TEXT` for a corpus without Chinese text.

    Raises
    ------
    ParameterError
        Saying what is wrong: empty, too long, unbalanced or too deeply nested
        groups, a misplaced ``?``, too many expansions, every word optional.

    Examples
    --------
    >>> [[e.text for e in seq] for seq in parse_pattern("community of (a)? common destiny")]
    [['community', 'of', 'a', 'common', 'destiny'], ['community', 'of', 'common', 'destiny']]
    >>> [(e.kind, e.text) for e in parse_pattern("China's golden *")[0]]
    [('word', 'china'), ('word', "'s"), ('word', 'golden'), ('glob', '*')]
    >>> [e.text for e in parse_pattern("高质量共建“一带一路”")[0]]
    ['高质量', '共建', '一带一路']
    """
    _check_length(pattern)
    if valuetype not in VALUETYPES:
        raise ParameterError(f"valuetype={valuetype!r} is not known; use one of {', '.join(VALUETYPES)}.")
    if valuetype == "regex":
        sequence = tuple(Element("regex", part) for part in pattern.split())
        return (sequence,)
    if valuetype == "fixed":
        sequence = tuple(Element("word", w) for part in pattern.split()
                         for w in _literal_words(part, case_sensitive=case_sensitive, chinese=chinese))
        if not sequence:
            raise ParameterError(f"pattern {pattern!r} holds no word the tokenizer would find.")
        return (sequence,)
    items = [t for t in _LEX.findall(pattern) if not t.isspace()]
    depth = 0
    for item in items:
        depth += {"(": 1, ")": -1}.get(item, 0)
        if depth > MAX_DEPTH:
            raise ParameterError(f"pattern {pattern[:60]!r}... nests groups more than {MAX_DEPTH} deep; "
                                 "write the alternatives as separate patterns.")
    pos = 0

    def alternatives() -> list[tuple[Element, ...]]:
        nonlocal pos
        options = sequence()
        while pos < len(items) and items[pos] == "|":
            pos += 1
            options = options + sequence()
            if len(options) > MAX_EXPANSIONS:
                raise ParameterError(f"pattern {pattern[:60]!r} expands to more than {MAX_EXPANSIONS} word "
                                     "sequences; split it into several patterns.")
        return options

    def sequence() -> list[tuple[Element, ...]]:
        nonlocal pos
        sequences: list[tuple[Element, ...]] = [()]
        while pos < len(items) and items[pos] not in ("|", ")"):
            item = items[pos]
            pos += 1
            if item == "(":
                inner = alternatives()
                if pos >= len(items) or items[pos] != ")":
                    raise ParameterError(f"pattern {pattern!r}: a '(' is not closed.")
                pos += 1
            elif item == "?":
                raise ParameterError(f"pattern {pattern!r}: '?' must follow a word or a group "
                                     "(it makes them optional).")
            elif len(item) > 2 and item[0] == "/" and item[-1] == "/":
                inner = [(Element("regex", item[1:-1]),)]
            elif item == "/":
                raise ParameterError(f"pattern {pattern!r}: a '/regex/' is not closed.")
            else:
                words = _word_elements(item, case_sensitive=case_sensitive, glob=True, chinese=chinese)
                if not words:  # punctuation only: tokens carry none
                    if pos < len(items) and items[pos] == "?":
                        pos += 1
                    continue
                inner = [tuple(words)]
            if pos < len(items) and items[pos] == "?":
                pos += 1
                inner = inner + [()]
            if len(sequences) * len(inner) > MAX_EXPANSIONS:
                raise ParameterError(f"pattern {pattern[:60]!r} expands to more than {MAX_EXPANSIONS} word "
                                     "sequences; split it into several patterns.")
            sequences = [s + i for s in sequences for i in inner]
        return sequences

    found = alternatives()
    if pos != len(items):
        raise ParameterError(f"pattern {pattern!r}: unexpected '{items[pos]}' (a ')' without its '('?).")
    found = list(dict.fromkeys(s for s in found if s))
    if not found:
        raise ParameterError(f"pattern {pattern!r} matches nothing (it has no words, or every word is optional).")
    return tuple(found)


@lru_cache(maxsize=8192)
def _parsed(pattern: str, valuetype: str, case_sensitive: bool, chinese: tuple[str, ...] | None
            ) -> tuple[tuple[Element, ...], ...]:
    """:func:`parse_pattern`, remembered (a lexicon is compiled for every search; its patterns do not change)."""
    return parse_pattern(pattern, valuetype=valuetype, case_sensitive=case_sensitive, chinese=chinese)


def pattern_sequences(pattern: str, *, valuetype: str = "glob", chinese: tuple[str, ...] | None = None
                      ) -> list[tuple[tuple[str, str], ...]]:
    """The word sequences of a pattern as ``(kind, text)`` tuples (two patterns sharing one match the same words).

    ``chinese``: see :func:`parse_pattern`.

    Examples
    --------
    >>> pattern_sequences("win-win")
    [(('word', 'win-win'),)]
    """
    return [tuple((e.kind, e.text) for e in seq) for seq in parse_pattern(pattern, valuetype=valuetype,
                                                                          chinese=chinese)]


def check_pattern(pattern: str, *, valuetype: str = "glob") -> int:
    """Validate a pattern without a corpus; return how many word sequences it expands to.

    Raises
    ------
    ParameterError
        Saying what is wrong (see :func:`parse_pattern`), or that a regular
        expression does not compile.

    Examples
    --------
    >>> check_pattern("(shared|common) future")
    2
    """
    sequences = parse_pattern(pattern, valuetype=valuetype, chinese=NO_CHINESE_TEXT)  # the count needs no cutting
    for element in {e for seq in sequences for e in seq if e.kind == "regex"}:
        _compile_regex(element.text, case_sensitive=False)
    return len(sequences)


def _compile_regex(text: str, *, case_sensitive: bool):
    import regex

    try:
        return regex.compile(text, flags=0 if case_sensitive else regex.IGNORECASE)
    except regex.error as exc:
        raise ParameterError(f"'/{text}/' is not a valid regular expression ({exc}); it must match one whole "
                             "token, e.g. /partner(s|ship)/.") from None
    except RecursionError:
        raise ParameterError(f"'/{text[:40]}...' nests too deeply to compile; simplify it.") from None


# --- the streams the matcher walks ---------------------------------------------------------

@dataclass(frozen=True)
class _Stream:
    """Units to match pattern words against: tokens, or (hyphens="loose") their hyphen-separated parts.

    Per unit only its id and its token are stored; what a unit's token is and where it ends is looked up
    through the token (a few bytes a unit, however large the corpus).
    """

    ids: np.ndarray            # unit -> id in vocab (int32)
    vocab: np.ndarray          # unit vocabulary (sorted)
    token: np.ndarray | None   # unit -> corpus-wide token index (None: a unit is a token)
    unit_start: np.ndarray | None  # token -> its first unit, plus the end (None: a unit is a token)
    token_types: np.ndarray    # token -> id in type_vocab
    type_vocab: np.ndarray     # whole-token vocabulary (sorted)
    sentence: np.ndarray       # token -> sentence number
    index: dict                # unit vocabulary -> id
    spellings: dict            # American spelling -> ids of its spellings in the unit vocabulary (where British)

    def tokens_of(self, pos: np.ndarray) -> np.ndarray:
        return pos if self.token is None else self.token[pos]

    def first(self, pos: np.ndarray) -> np.ndarray:
        """Whether each unit is the first part of its token."""
        return np.ones(len(pos), dtype=bool) if self.token is None else self.unit_start[self.token[pos]] == pos

    def after_token(self, pos: np.ndarray) -> np.ndarray:
        """The unit just after each unit's token (where a glob's match continues)."""
        return pos + 1 if self.token is None else self.unit_start[self.token[pos] + 1].astype(np.int64)


def _surface_types(tokens: Tokens, docs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Type ids and vocabulary of the tokens as written (for case-sensitive matching)."""
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ParameterError("case_sensitive=True needs docs, the documents table (load_corpus()), for the "
                             "tokens as written.")
    texts = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    missing = [d for d in tokens.doc_ids.tolist() if d not in texts]
    if missing:
        raise ParameterError(f"doc_id '{missing[0]}' of the tokens is not in docs; pass the documents table the "
                             "tokens were made from.")
    forms = []
    for i, doc_id in enumerate(tokens.doc_ids.tolist()):
        text = texts[doc_id]
        a, b = tokens.bounds[i], tokens.bounds[i + 1]
        forms += [text[s:e].translate(_CHARS) for s, e in zip(tokens.start[a:b].tolist(), tokens.end[a:b].tolist())]
    ids, vocab = pd.factorize(np.array(forms, dtype=object), sort=True)
    return ids.astype(np.int64), np.asarray(vocab, dtype=object)


@lru_cache(maxsize=2)
def _british_words(path: str) -> re.Pattern | None:
    """A regex finding, in vocabulary lines joined by newlines, the lines with a British spelling in a part."""
    words = sorted(_spelling_table(path), key=lambda w: (-len(w), w))
    if not words:
        return None
    return re.compile("(?m)(?:^|-)(?:" + "|".join(map(re.escape, words)) + ")(?=-|$)")


def _spelling_classes(vocab: np.ndarray) -> dict[str, tuple[int, ...]]:
    """American spelling -> ids of the units spelled that way or the British way, where a unit is British.

    Only the lines the spelling table's regex finds are folded: a pass over the vocabulary at C speed.
    """
    found = _british_words(str(config.SPELLING_FILE))
    words = vocab.tolist()
    if found is None or not words:
        return {}
    joined = "\n".join(words)
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    lines = np.searchsorted(starts, [m.start() for m in found.finditer(joined)], side="right") - 1
    classes: dict[str, list[int]] = {}
    index = None
    for i in sorted(set(lines.tolist())):
        american = fold_spelling(words[i])
        if american == words[i]:
            continue
        if american not in classes:
            if index is None:
                index = {w: j for j, w in enumerate(words)}
            classes[american] = [index[american]] if american in index else []
        classes[american].append(i)
    return {k: tuple(v) for k, v in classes.items()}


def _stream(tokens: Tokens, *, hyphens: str, case_sensitive: bool, docs) -> _Stream:
    if case_sensitive:
        type_ids, type_vocab = _surface_types(tokens, docs)
    else:
        type_ids, type_vocab = tokens.ids, np.asarray(tokens.vocab, dtype=object)
    n = len(type_ids)
    parts = [t.split("-") for t in type_vocab.tolist()] if hyphens == "loose" else []
    n_parts = np.array([len(p) for p in parts], dtype=np.int64)
    if hyphens == "strict" or (n_parts == 1).all():  # a unit is a token
        unit_ids, unit_vocab = type_ids, type_vocab
        token = unit_start = None
    else:
        part_ids, part_vocab = pd.factorize(np.array([w for p in parts for w in p], dtype=object), sort=True)
        unit_vocab = np.asarray(part_vocab, dtype=object)
        first_part = np.concatenate([[0], np.cumsum(n_parts)[:-1]])
        per_token = n_parts[type_ids]
        starts = np.concatenate([[0], np.cumsum(per_token)])
        token = np.repeat(np.arange(n, dtype=np.int32), per_token)
        within = np.arange(len(token), dtype=np.int64) - starts[token]
        unit_ids = part_ids[first_part[type_ids[token]] + within].astype(np.int32)
        unit_start = starts.astype(np.int64 if starts[-1] >= 2 ** 31 else np.int32)
    return _Stream(ids=unit_ids, vocab=unit_vocab, token=token, unit_start=unit_start, token_types=type_ids,
                   type_vocab=type_vocab, sentence=tokens.sentence,
                   index={w: i for i, w in enumerate(unit_vocab.tolist())},
                   spellings={} if case_sensitive else _spelling_classes(unit_vocab))


# --- compiling patterns into a trie ------------------------------------------------------------

@dataclass(frozen=True)
class _Trie:
    word_keys: np.ndarray     # sorted: node * n_vocab + unit id
    word_child: np.ndarray
    class_edges: tuple        # (node, mask over type_vocab, mask over the part vocabulary or None, child)
    terminal: np.ndarray      # node -> pattern row ending there, or -1
    n_vocab: int
    depth: int


def _class_mask(element: Element, vocab: np.ndarray, *, case_sensitive: bool) -> np.ndarray:
    """Which whole-token types a glob or regular expression matches."""
    words = vocab.tolist()
    if element.kind == "glob":
        text = element.text
        if text == "*":
            return np.ones(len(words), dtype=bool)
        if text.endswith("*") and not _GLOB.search(text[:-1]):  # a prefix: a range of the sorted vocabulary
            mask = np.zeros(len(words), dtype=bool)
            mask[np.searchsorted(vocab, text[:-1]):np.searchsorted(vocab, text[:-1] + "\U0010ffff")] = True
            return mask
        match = re.compile(fnmatch.translate(text), 0 if case_sensitive else re.IGNORECASE).match
        return np.fromiter((match(w) is not None for w in words), dtype=bool, count=len(words))
    compiled = _compile_regex(element.text, case_sensitive=case_sensitive)
    budget = REGEX_TIMEOUT * (1 + len(words) / REGEX_WORDS_PER_TIMEOUT)
    deadline = time.monotonic() + budget
    mask = np.zeros(len(words), dtype=bool)
    try:
        for i, w in enumerate(words):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            mask[i] = compiled.fullmatch(w, timeout=min(REGEX_TIMEOUT, left)) is not None
    except TimeoutError:
        raise ParameterError(f"'/{element.text}/' took over {min(REGEX_TIMEOUT, budget):g} s on one word or "
                             f"{budget:.3g} s on the {len(words)} words of the vocabulary (nested repetition such "
                             "as '(a+)+' backtracks without end); simplify it or use a glob such as "
                             "'develop*'.") from None
    return mask


def _compile(patterns: list[str], stream: _Stream, *, valuetype: str, case_sensitive: bool,
             fold: bool, hyphens: str, chinese: tuple[str, ...] | None = None, lemmas: bool = False) -> _Trie:
    index = stream.index
    masks: dict[Element, np.ndarray] = {}
    children: list[dict] = [{}]
    terminal: list[int] = [-1]
    loose = hyphens == "loose"  # pattern words are cut at hyphens like the stream's tokens
    keys_of: dict[Element, list[tuple] | None] = {}  # each element's trie keys, worked out once (None: no match)

    def element_keys(element: Element) -> list[tuple] | None:
        if element.kind == "word":
            word = fold_spelling(element.text) if fold else element.text
            keys = []
            for part in (word.split("-") if loose else [word]):
                spelled = stream.spellings.get(part) if fold else None  # every spelling of the word
                units = spelled or ((index[part],) if part in index else ())
                if lemmas:  # a lemmatized store: "visited" finds the lemma "visit" (a compound's part keeps its form)
                    lemma = lemma_of(part)
                    if lemma != part and lemma in index:
                        units = tuple(sorted({*units, index[lemma]}))
                if not units:
                    return None  # a word the corpus does not have
                keys.append(("w", units))
            return keys
        masks[element] = (_class_mask(element, stream.type_vocab, case_sensitive=case_sensitive),
                          _class_mask(element, stream.vocab, case_sensitive=case_sensitive) if loose else None)
        return [("c", element)] if any(m is not None and m.any() for m in masks[element]) else None

    for row, pattern in enumerate(patterns):
        for sequence in _parsed(pattern, valuetype, case_sensitive, chinese):
            keys: list[tuple] = []
            for element in sequence:
                if element not in keys_of:  # whole tokens; with loose hyphens also one hyphen-part of a token
                    keys_of[element] = element_keys(element)
                found = keys_of[element]
                if found is None:
                    break
                keys += found
            else:
                found = keys
            if found is None:
                continue  # a word the corpus does not have: this sequence cannot match
            node = 0
            for kind, what in keys:
                here = children[node]
                if kind == "w" and len(what) == 1:
                    edges = (("w", what[0]),)
                else:
                    edges = tuple(("w", unit) for unit in what) if kind == "w" else ((kind, what),)
                child = here.get(edges[0])
                if child is None:
                    child = next((here[e] for e in edges[1:] if e in here), None)
                if child is None:
                    child = len(children)
                    children.append({})
                    terminal.append(-1)
                for edge in edges:  # the spellings of a word lead to one node
                    here[edge] = child
                node = child
            if terminal[node] < 0:
                terminal[node] = row
    n_vocab = max(len(stream.vocab), 1)
    word_edges = [(node * n_vocab + key[1], child) for node, edges in enumerate(children)
                  for key, child in edges.items() if key[0] == "w"]
    class_edges = tuple((node, *masks[key[1]], child) for node, edges in enumerate(children)
                        for key, child in edges.items() if key[0] == "c")
    word_edges.sort()
    depth = [0] * len(children)
    for node in range(len(children)):  # children are numbered after their parents
        for child in children[node].values():
            depth[child] = depth[node] + 1
    return _Trie(word_keys=np.array([k for k, _ in word_edges], dtype=np.int64),
                 word_child=np.array([c for _, c in word_edges], dtype=np.int64), class_edges=class_edges,
                 terminal=np.array(terminal, dtype=np.int64), n_vocab=n_vocab, depth=max(depth))


def _walk(trie: _Trie, stream: _Stream, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (start, end, row) where a pattern matches from unit ``start`` to a token boundary ``end``."""
    n = len(stream.ids)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    origin, node, pos = starts, np.zeros(len(starts), dtype=np.int64), starts.copy()
    for _ in range(trie.depth):
        inside = pos < n
        origin, node, pos = origin[inside], node[inside], pos[inside]
        same = stream.sentence[stream.tokens_of(pos)] == stream.sentence[stream.tokens_of(origin)]
        origin, node, pos = origin[same], node[same], pos[same]
        if not len(origin):
            break
        next_origin, next_node, next_pos = [], [], []
        if len(trie.word_keys):
            key = node * trie.n_vocab + stream.ids[pos]
            at = np.minimum(np.searchsorted(trie.word_keys, key), len(trie.word_keys) - 1)
            hit = trie.word_keys[at] == key
            next_origin.append(origin[hit])
            next_node.append(trie.word_child[at[hit]])
            next_pos.append(pos[hit] + 1)
        for edge_node, token_mask, part_mask, child in trie.class_edges:
            here = node == edge_node
            first, after = stream.first(pos), stream.after_token(pos)
            whole = here & first                                  # the glob or regex takes a whole token
            whole[whole] = token_mask[stream.token_types[stream.tokens_of(pos[whole])]]
            next_origin.append(origin[whole])
            next_node.append(np.full(int(whole.sum()), child, dtype=np.int64))
            next_pos.append(after[whole])
            if part_mask is not None:                             # or one hyphen-part of a hyphenated token
                part = here & ((after > pos + 1) | ~first)
                part[part] = part_mask[stream.ids[pos[part]]]
                next_origin.append(origin[part])
                next_node.append(np.full(int(part.sum()), child, dtype=np.int64))
                next_pos.append(pos[part] + 1)
        origin, node, pos = (np.concatenate(a) for a in (next_origin, next_node, next_pos))
        row = trie.terminal[node]
        done = (row >= 0) & ((pos >= n) | stream.first(np.minimum(pos, n - 1)))
        found.append((origin[done], pos[done], row[done]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return tuple(np.concatenate(a) for a in zip(*found))


def _longest_per_start(start: np.ndarray, end: np.ndarray, row: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One hit per start (the longest, then the lowest row), without hits inside an earlier one; by start."""
    order = np.lexsort((row, -end, start))
    start, end, row = start[order], end[order], row[order]
    first = np.ones(len(start), dtype=bool)
    first[1:] = start[1:] != start[:-1]
    start, end, row = start[first], end[first], row[first]
    inside = np.zeros(len(start), dtype=bool)
    inside[1:] = end[1:] <= np.maximum.accumulate(end)[:-1]  # ends no later than an earlier hit: nested in it
    return start[~inside], end[~inside], row[~inside]


def _leftmost_longest(start: np.ndarray, end: np.ndarray, row: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-overlapping hits (from :func:`_longest_per_start`): a hit overlapping an earlier kept one goes."""
    if len(start) < 2 or (start[1:] >= end[:-1]).all():
        return start, end, row
    keep = np.zeros(len(start), dtype=bool)
    blocked = -1
    for k, (s, e) in enumerate(zip(start.tolist(), end.tolist())):  # only where hits overlap
        if s >= blocked:
            keep[k] = True
            blocked = e
    return start[keep], end[keep], row[keep]


def _check_options(valuetype: str, hyphens: str) -> None:
    if valuetype not in VALUETYPES:
        raise ParameterError(f"valuetype={valuetype!r} is not known; use one of {', '.join(VALUETYPES)}.")
    if hyphens not in HYPHENS:
        raise ParameterError(f"hyphens={hyphens!r} is not known; use 'loose' (win-win = win win) or 'strict'.")


def match_positions(tokens: Tokens, patterns, *, valuetype: str = "glob", hyphens: str = "loose",
                    case_sensitive: bool = False, overlapping: bool = True, docs: pd.DataFrame | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Corpus-wide token spans of the hits of one or more patterns: ``(start, end, row)``.

    ``end`` is exclusive, ``row`` the index of the pattern in ``patterns``; in
    corpus order. ``overlapping=False`` keeps leftmost-longest non-overlapping
    hits. See the module docstring for the rules.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> tokens = tokenize(load_corpus())
    >>> start, end, row = match_positions(tokens, ["win win"])
    >>> len(start), tokens.vocab[tokens.ids[start[0]:end[0]]].tolist()
    (4, ['win-win'])
    """
    _check_options(valuetype, hyphens)
    patterns = [patterns] if isinstance(patterns, str) else list(patterns)
    if not patterns:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    stream = _stream(tokens, hyphens=hyphens, case_sensitive=case_sensitive, docs=docs)
    return _match(tokens, stream, patterns, valuetype=valuetype, hyphens=hyphens, case_sensitive=case_sensitive,
                  overlapping=overlapping)


def _match(tokens: Tokens, stream: _Stream, patterns: list[str], *, valuetype: str, hyphens: str,
           case_sensitive: bool, overlapping: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    empty = np.zeros(0, dtype=np.int64)
    chinese = tokens.settings.get("chinese_words")
    trie = _compile(patterns, stream, valuetype=valuetype, case_sensitive=case_sensitive,
                    fold=not case_sensitive and (valuetype != "fixed" or bool(tokens.settings.get("fold_spelling"))),
                    hyphens=hyphens, lemmas=not case_sensitive and bool(tokens.settings.get("lemmas")),
                    chinese=tuple(chinese) if chinese is not None else NO_CHINESE_TEXT)
    if not tokens.n_tokens or trie.depth == 0:
        return empty, empty, empty
    can_start = np.zeros(trie.n_vocab, dtype=bool)
    can_start[trie.word_keys[trie.word_keys < trie.n_vocab]] = True
    candidate = can_start[stream.ids]
    for edge_node, token_mask, part_mask, _ in trie.class_edges:
        if edge_node == 0:
            candidate |= token_mask[stream.token_types] if stream.token is None else \
                token_mask[stream.token_types[stream.token]]
            if part_mask is not None:
                candidate |= part_mask[stream.ids]
    starts = np.flatnonzero(candidate)
    starts = starts[stream.first(starts)]
    start, end, row = _longest_per_start(*_walk(trie, stream, starts))
    if not overlapping:
        start, end, row = _leftmost_longest(start, end, row)
    return stream.tokens_of(start).astype(np.int64), stream.tokens_of(end - 1).astype(np.int64) + 1, row


def find(tokens: Tokens, patterns, *, valuetype: str = "glob", hyphens: str = "loose",
         case_sensitive: bool = False, overlapping: bool = True, docs: pd.DataFrame | None = None,
         pattern_column: str = "pattern") -> pd.DataFrame:
    """Every hit of a pattern, or of a table of patterns (a lexicon), as a table.

    Parameters
    ----------
    tokens : Tokens
        The token store (:func:`rhetoric.corpus.tokenize`).
    patterns : str, list of str or DataFrame
        One pattern, several, or a table with a ``pattern_column`` whose other
        columns (``formula_id``, ``variant``, ...) are copied onto their hits.
    valuetype : {"glob", "regex", "fixed"}, default "glob"
    hyphens : {"loose", "strict"}, default "loose"
    case_sensitive : bool, default False
        Needs ``docs``.
    overlapping : bool, default True
        ``False``: leftmost-longest, non-overlapping (for a lexicon).
    docs : DataFrame, optional
        The documents table; with it, hits also get ``raw_start, raw_end``.
    pattern_column : str, default "pattern"

    Returns
    -------
    DataFrame
        The table's columns (or ``pattern``), then ``doc_id, token_start,
        token_end`` (positions in the document, end exclusive), ``start, end``
        (offsets in the cleaned text), ``sentence, paragraph`` (corpus-wide
        numbers), and with ``docs`` ``raw_start, raw_end``; in corpus order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> hits = find(tokenize(docs), "golden *", docs=docs)
    >>> hits[["pattern", "doc_id", "token_start", "token_end"]].head(2).to_dict("records")
    [{'pattern': 'golden *', 'doc_id': 'zhang2022_visit', 'token_start': 90, 'token_end': 92}, \
{'pattern': 'golden *', 'doc_id': 'xi2022_unofficial', 'token_start': 14, 'token_end': 16}]
    """
    if isinstance(patterns, pd.DataFrame):
        if pattern_column not in patterns.columns:
            raise ParameterError(f"the pattern table has no '{pattern_column}' column; its columns are "
                                 f"{', '.join(map(str, patterns.columns))}.")
        table = patterns.reset_index(drop=True)
    else:
        table = pd.DataFrame({pattern_column: [patterns] if isinstance(patterns, str) else list(patterns)},
                             dtype=object)
    start, end, row = match_positions(tokens, table[pattern_column].tolist(), valuetype=valuetype, hyphens=hyphens,
                                      case_sensitive=case_sensitive, overlapping=overlapping, docs=docs)
    doc = np.searchsorted(tokens.bounds, start, side="right") - 1
    out = table.iloc[row].reset_index(drop=True)
    out["doc_id"] = pd.Series(tokens.doc_ids[doc], dtype=object)
    out["token_start"] = (start - tokens.bounds[doc]).astype(np.int64)
    out["token_end"] = (end - tokens.bounds[doc]).astype(np.int64)
    out["start"] = tokens.start[start].astype(np.int64)
    out["end"] = tokens.end[end - 1].astype(np.int64) if len(end) else np.zeros(0, dtype=np.int64)
    out["sentence"] = tokens.sentence[start].astype(np.int64)
    out["paragraph"] = tokens.paragraph[start].astype(np.int64) if len(start) else np.zeros(0, dtype=np.int64)
    if docs is not None:
        out["raw_start"], out["raw_end"] = raw_spans(docs, out["doc_id"], out["start"], out["end"])
    return out


def match_each(tokens: Tokens, terms, *, valuetype: str = "glob", hyphens: str = "loose",
               case_sensitive: bool = False, overlapping: bool = True, docs: pd.DataFrame | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hits of each term matched on its own: ``(start, end, which)`` sorted by start, then term.

    Corpus-wide token positions (end exclusive) and the index of the term;
    the same hits as :func:`match_positions` called with each term alone.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> tokens = tokenize(load_corpus())
    >>> start, end, which = match_each(tokens, ["golden thirty years", "thirty years"])
    >>> list(zip(start.tolist(), end.tolist(), which.tolist()))
    [(3773, 3775, 1), (4190, 4193, 0), (4191, 4193, 1)]
    """
    _check_options(valuetype, hyphens)
    terms = [terms] if isinstance(terms, str) else list(terms)
    empty = np.zeros(0, dtype=np.int64)
    if not terms:
        return empty, empty, empty
    stream = _stream(tokens, hyphens=hyphens, case_sensitive=case_sensitive, docs=docs)  # built once
    found = []
    for j, term in enumerate(terms):
        start, end, _ = _match(tokens, stream, [term], valuetype=valuetype, hyphens=hyphens,
                               case_sensitive=case_sensitive, overlapping=overlapping)
        found.append((start, end, np.full(len(start), j, dtype=np.int64)))
    start, end, which = (np.concatenate(a) for a in zip(*found))
    order = np.lexsort((which, start))
    return start[order], end[order], which[order]
