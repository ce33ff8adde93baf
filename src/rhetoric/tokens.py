"""Tokenizer, sentences and paragraphs; token ids with offsets; the cached token store.

Tokens are words (hyphenated compounds kept whole: ``win-win``,
``people-to-people``; an apostrophe inside a name kept: ``Xi'an``), numbers
(``30th``, ``2,552``, ``12.5%``) and money (``$21.2 billion``). A possessive or
clitic after an apostrophe is not a token ("China's" -> ``China``, "they're"
-> ``they``). Each token has a type id (lower-cased, white space inside a
money token read as one space, optionally with British spellings folded to
American ones), its span in the cleaned text and in the raw file, and the ids
of its sentence and paragraph. A corpus is tokenized once; the result is
cached under ``<corpus>/interim/token-cache/`` keyed by the texts' hashes, the
cleaning rules and the tokenizer settings.

How it is fast
--------------
:data:`TOKEN_PATTERN` is the definition of a token, and what the other modules
use on short strings. On a corpus the same tokens are found without running it
over every character: the texts are read as arrays of code points, and a
stretch of letters between spaces and plain punctuation is a token by itself,
found with NumPy; only the stretches between spaces that hold a digit, a
currency sign, a hyphen, an apostrophe or an underscore go through the regular
expression. Types are identified by two 64-bit polynomial hashes of their
lower-cased code points (computed from prefix sums), so no Python string is
made per token, only one per distinct type. Sentence ends are found the same
way, from the positions of ``.``, ``!`` and ``?``. The tests check all of it
against :data:`TOKEN_PATTERN` and a plain re-implementation of the sentence
rule on random strings.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .cleaning import OffsetMap, load_rules, rules_fingerprint

TOKENIZER_VERSION = "3"

_SCALE = r"(?:trillion|billion|million|thousand|bn|mn)\b"
_CLITIC = r"(?i:s|t|d|m|re|ve|ll)\b"
TOKEN_PATTERN = re.compile(
    r"(?:US|RMB|CN)?[$€£¥]\s?\d+(?:[.,]\d+)*(?:\s" + _SCALE + r")?"  # money: $21.2 billion
    r"|\d+(?:[.,]\d+)*\s" + _SCALE +                                 # 21.2 billion
    r"|\d+(?:[.,]\d+)+%?|\d+%"                                         # 2,552  12.5%  30%
    r"|(?<!\w')(?<!\w'[rvlRVL])[^\W_]+(?:(?:-|'(?!" + _CLITIC + r"))[^\W_]+)*"  # words, 30th, win-win, Xi'an
)
"""One token. A possessive or clitic after an apostrophe ("China's", "they're") is not a token."""

_MONEY_TAIL = r"\s?\d+(?:[.,]\d+)*(?:\s" + _SCALE + r")?"
_WORD_TAIL = r"[^\W_]*(?:(?:-|'(?!" + _CLITIC + r"))[^\W_]+)*"
_TOKEN_SPLIT = re.compile(
    # TOKEN_PATTERN rewritten to start with one character class, which the regular-expression
    # engine skips to quickly; the branches then look back at that character. Same matches.
    r"([\w$€£¥](?<!_)(?:"
    r"(?<=[^\W\d_URC])(?<!\w'.)(?<!\w'[rvlRVL].)" + _WORD_TAIL +       # a word not starting with U, R, C
    r"|(?<=[$€£¥])" + _MONEY_TAIL +
    r"|(?<=U)S[$€£¥]" + _MONEY_TAIL + r"|(?<=R)MB[$€£¥]" + _MONEY_TAIL + r"|(?<=C)N[$€£¥]" + _MONEY_TAIL +
    r"|(?<=\d)\d*(?:[.,]\d+)*\s" + _SCALE +
    r"|(?<=\d)\d*(?:[.,]\d+)+%?|(?<=\d)\d*%"
    r"|(?<=[^\W_])(?<!\w'.)(?<!\w'[rvlRVL].)" + _WORD_TAIL +
    r"))"
)
"""Splits a text around its tokens (``re.split``); equivalent to :data:`TOKEN_PATTERN`, faster."""

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr gen col lt gov sen rep vs etc approx no nos vol fig
jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.n u.k a.m p.m
""".split())
_MAX_WORD = 12
"""Longest word before a full stop that is checked for being an abbreviation or initials."""
_SHORTEST_CHECK = max(map(len, _ABBREVIATIONS))
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
"""A candidate sentence end (the rule; :func:`sentence_spans` applies it with NumPy)."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_PARAGRAPH_SPLIT = re.compile(r"(\n[ \t]*\n\s*)")
_WHITE = re.compile(r"\s")

_PIECE_CHARS = 1 << 20
"""Texts are processed in blocks of about this many characters (bounded memory)."""
_SEP = "\n\n"
"""Between texts in a block: two white-space characters, which no token, sentence or paragraph crosses."""

# --- character tables -----------------------------------------------------------

_W, _D, _S, _CPX, _WORD, _SPECIAL, _CUR, _TERM = 1, 2, 4, 8, 16, 32, 64, 128
# _W: [^\W_] (letters and digits); _D: \d; _S: \s; _CPX: makes a stretch "complex" (digit,
# currency sign, apostrophe, underscore); _WORD: \w; _SPECIAL: lower-casing needs
# context or gives several characters (e.g. U+0130, final sigma); _CUR: currency sign;
# _TERM: ends a sentence (. ! ?).
_CURRENCY = "$€£¥"


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Flags and lower-case code point for every character of the Basic Multilingual Plane."""
    n = 0x10000
    chars = np.arange(n, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    flags = np.zeros(n, dtype=np.uint8)
    for bit, pattern in ((_W, r"[^\W_]"), (_D, r"\d"), (_S, r"\s"), (_WORD, r"\w")):
        flags |= _class_mask(chars, pattern) * np.uint8(bit)
    for c in _CURRENCY:
        flags[ord(c)] |= _CUR | _CPX
    flags[(flags & _D) != 0] |= _CPX
    for c in "'_":
        flags[ord(c)] |= _CPX
    for c in ".!?":
        flags[ord(c)] |= _TERM
    multi = [i for i, c in enumerate(chars) if len(c.lower()) != 1]
    plain = chars.translate({i: "\uffff" for i in multi})
    lower = np.frombuffer(plain.lower().encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    lower[multi] = np.array(multi, dtype=np.uint32)
    flags[multi] |= _SPECIAL
    flags[0x03A3] |= _SPECIAL  # capital sigma: lower-cases to a final or a medial sigma
    lower[0xFFFF] = 0xFFFF
    lower[(flags & _S) != 0] = ord(" ")
    return flags, lower


def _class_mask(chars: str, pattern: str) -> np.ndarray:
    marked = re.sub(pattern, "\uffff", chars)
    mask = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) == 0xFFFF
    mask[0xFFFF] = re.fullmatch(pattern, "\uffff") is not None
    return mask


def _astral(code: int) -> tuple[int, int]:
    """Flags and lower-case code point of a character outside the Basic Multilingual Plane."""
    c = chr(code)
    bits = 0
    for bit, pattern in ((_W, r"[^\W_]"), (_D, r"\d"), (_S, r"\s"), (_WORD, r"\w")):
        if re.fullmatch(pattern, c):
            bits |= bit
    if bits & _D:
        bits |= _CPX
    low = c.lower()
    if len(low) != 1:
        return bits | _SPECIAL, code
    return bits, ord(" ") if bits & _S else ord(low)


def _codes(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of ``text``, their flags, and their lower-case code points."""
    flags_table, lower_table = _tables()
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        return codes, flags_table[codes], lower_table[codes]
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    astral = np.flatnonzero(codes >= 0x10000)
    if not len(astral):
        return codes, flags_table[codes], lower_table[codes]
    index = np.minimum(codes, 0xFFFF)
    flags, lower = flags_table[index], lower_table[index]
    values = codes[astral]
    uniq, inv = np.unique(values, return_inverse=True)
    info = np.array([_astral(int(u)) for u in uniq], dtype=np.int64).reshape(-1, 2)
    flags[astral] = info[inv, 0].astype(np.uint8)
    lower[astral] = info[inv, 1].astype(np.uint32)
    return codes, flags, lower


# --- hashing --------------------------------------------------------------------

_B = np.uint64(0x9E3779B97F4A7C15)  # odd: invertible modulo 2**64
_K1 = np.uint64(0x165667B19E3779F9)
_K2 = np.uint64(0x27D4EB2F165667C5)


def _inverse(b: int) -> int:
    """Inverse of an odd number modulo 2**64 (Newton's iteration)."""
    inv = b
    for _ in range(7):
        inv = (inv * (2 - b * inv)) % (1 << 64)
    return inv


_POWERS: dict[str, np.ndarray] = {}


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B**i and B**-i (mod 2**64) for i < n."""
    if "p" not in _POWERS or len(_POWERS["p"]) < n:
        size = max(n, 1 << 16)
        for kind, value in (("p", _B), ("i", np.uint64(_inverse(int(_B))))):
            arr = np.empty(size, dtype=np.uint64)
            arr[0] = 1
            if size > 1:
                np.cumprod(np.full(size - 1, value, dtype=np.uint64), out=arr[1:])
            _POWERS[kind] = arr
    return _POWERS["p"], _POWERS["i"]


def _span_hashes(lower: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two 64-bit keys of each ``lower[start:end]``.

    ``h1`` is the polynomial hash ``sum(c[j] * B**(j - start))`` plus the length
    times a constant, ``h2`` the plain sum of the code points plus the length
    times another (both modulo 2**64, from prefix sums). Two different strings
    of a corpus would need to agree on both to be counted as one type.
    """
    n = len(lower)
    powers, inverse = _powers(n + 1)
    length = (ends - starts).astype(np.uint64)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(lower * powers[:n], out=prefix[1:])
        h1 = (prefix[ends] - prefix[starts]) * inverse[starts] + length * _K1
        np.cumsum(lower, out=prefix[1:], dtype=np.uint64)
        h2 = (prefix[ends] - prefix[starts]) + length * _K2
    return h1, h2


def _string_hashes(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The hashes :func:`_span_hashes` gives, for already lower-cased and normalised strings."""
    if not strings:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64)
    joined = "".join(strings)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    ends = np.cumsum(lengths)
    return _span_hashes(codes, ends - lengths, ends)


def _type_string(form: str) -> str:
    """The counted type of a token's surface form: lower-cased, white space read as one space."""
    return _WHITE.sub(" ", form.lower())


# --- scanning a block of text -------------------------------------------------------

def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of True in a boolean array."""
    if not len(mask):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    if mask[0]:
        edges = np.concatenate([[0], edges])
    if mask[-1]:
        edges = np.concatenate([edges, [len(mask)]])
    return edges[0::2], edges[1::2]


def _regex_tokens(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Token spans of ``text`` by :data:`TOKEN_PATTERN` (``re.split``: no Python work per token)."""
    pieces = _TOKEN_SPLIT.split(text)
    if len(pieces) == 1:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ends = np.cumsum(lengths)
    return (ends - lengths)[1::2], ends[1::2]


@dataclass
class _Scan:
    starts: np.ndarray       # token spans in the block
    ends: np.ndarray
    h1: np.ndarray           # type hashes
    h2: np.ndarray
    ends_of_sentence: np.ndarray   # accepted sentence ends (exclusive) in the block
    next_sentence: np.ndarray      # where the next sentence starts
    end_position: np.ndarray       # position of the terminator (to check it is in the same paragraph)
    paragraphs: np.ndarray         # (n, 2) paragraph spans in the block


def _scan(text: str, *, want_tokens: bool = True) -> _Scan:
    """Tokens (with type hashes) and sentence-end candidates of one block of text."""
    n = len(text)
    codes, flags, lower = _codes(text)
    nonspace = (flags & _S) == 0
    chunk_s, chunk_e = _runs(nonspace)
    empty = np.zeros(0, dtype=np.int64)
    if want_tokens:
        starts, ends = _token_spans(text, codes, flags, chunk_s, chunk_e)
        h1, h2 = _span_hashes(lower, starts, ends)
        special = np.flatnonzero(flags & _SPECIAL)
        if len(special):  # tokens whose lower-casing needs str.lower()
            k = np.searchsorted(starts, special, side="right") - 1
            k = np.unique(k[(k >= 0) & (special < ends[np.maximum(k, 0)])])
            if len(k):
                s1, s2 = _string_hashes([_type_string(text[a:b]) for a, b in zip(starts[k], ends[k])])
                h1[k], h2[k] = s1, s2
    else:
        starts = ends = empty
        h1 = h2 = np.zeros(0, dtype=np.uint64)
    q, r, t0 = _sentence_candidates(text, codes, flags, chunk_s)
    return _Scan(starts, ends, h1, h2, q, r, t0, _paragraphs(text, chunk_s, chunk_e))


def _token_spans(text: str, codes: np.ndarray, flags: np.ndarray, chunk_s: np.ndarray, chunk_e: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Token spans of a block: letter runs in plain stretches, the regular expression elsewhere.

    A "chunk" is a maximal stretch without white space. A token crosses white
    space only after a digit or a currency sign, by one white-space character
    (``$ 5``, ``21.2 billion``), so each chunk can be tokenized alone, except a
    chunk right after one ending in a digit or currency sign. A chunk without a
    digit, currency sign, apostrophe or underscore holds only plain words: its
    tokens are its runs of letters, joined where one hyphen stands between two
    (``win-win``). Every other chunk (with its neighbours one space away) is
    tokenized by :data:`TOKEN_PATTERN`.
    """
    n_chunks = len(chunk_s)
    if not n_chunks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    complex_ = np.zeros(n_chunks, dtype=bool)
    cpx = np.flatnonzero(flags & _CPX)
    if len(cpx):
        complex_[np.searchsorted(chunk_s, cpx, side="right") - 1] = True
    gap = np.empty(n_chunks, dtype=np.int64)
    gap[0] = 2
    gap[1:] = chunk_s[1:] - chunk_e[:-1]
    numeric_end = (flags[chunk_e - 1] & (_D | _CUR)) != 0
    complex_[1:] |= (gap[1:] == 1) & numeric_end[:-1]
    if complex_.all():
        return _regex_tokens(text)
    isword = (flags & _W) != 0
    run_s, run_e = _runs(isword)
    plain = ~complex_[np.searchsorted(chunk_s, run_s, side="right") - 1]
    run_s, run_e = run_s[plain], run_e[plain]
    if len(run_s) > 1:  # hyphenated compounds: runs one hyphen apart are one token
        hyphen = (run_s[1:] - run_e[:-1] == 1) & (codes[run_e[:-1]] == 45)
        if hyphen.any():
            run_s = run_s[np.concatenate([[True], ~hyphen])]
            run_e = run_e[np.concatenate([~hyphen, [True]])]
    if not complex_.any():
        return run_s, run_e
    joined = np.zeros(n_chunks, dtype=bool)
    joined[1:] = complex_[1:] & complex_[:-1] & (gap[1:] == 1)
    first = np.flatnonzero(complex_ & ~joined)
    last_mask = complex_.copy()
    last_mask[:-1] &= ~joined[1:]
    last = np.flatnonzero(last_mask)
    win_s, win_e = chunk_s[first], chunk_e[last]
    if int((win_e - win_s).sum()) * 2 > len(text):
        return _regex_tokens(text)
    pieces = [text[a:b] for a, b in zip(win_s.tolist(), win_e.tolist())]
    cs, ce = _regex_tokens(_SEP.join(pieces))
    if len(cs):
        offsets = np.cumsum(win_e - win_s + len(_SEP)) - (win_e - win_s + len(_SEP))
        w = np.searchsorted(offsets, cs, side="right") - 1
        shift = win_s[w] - offsets[w]
        cs, ce = cs + shift, ce + shift
    starts = np.concatenate([run_s, cs])
    ends = np.concatenate([run_e, ce])
    order = np.argsort(starts, kind="stable")
    return starts[order].astype(np.int64), ends[order].astype(np.int64)


_CLOSERS = tuple(map(ord, "\"')]"))
_OPENERS = tuple(map(ord, "\"'(["))


def _isin(codes: np.ndarray, values: tuple[int, ...]) -> np.ndarray:
    out = codes == values[0]
    for v in values[1:]:
        out |= codes == v
    return out


def _sentence_candidates(text: str, codes: np.ndarray, flags: np.ndarray, chunk_s: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Accepted sentence ends of a block: (end after closing quotes, next sentence start, terminator).

    The rule of :data:`_SENTENCE_END`: a run of ``.!?`` with any closing quotes
    or brackets, followed by white space and an (optionally quoted or
    bracketed) capital or digit; a run starting with ``.`` does not end a
    sentence after a known abbreviation or initials (:func:`_no_sentence_end`).
    """
    n = len(codes)
    term = np.flatnonzero(flags & _TERM)
    empty = np.zeros(0, dtype=np.int64)
    if not len(term):
        return empty, empty, empty
    new_run = np.ones(len(term), dtype=bool)
    new_run[1:] = np.diff(term) != 1
    t0 = term[new_run]
    run_end = np.append(np.flatnonzero(new_run)[1:], len(term)) - 1
    q = term[run_end] + 1
    # closing quotes and brackets after the run
    active = np.flatnonzero(q < n)
    while len(active):
        step = _isin(codes[q[active]], _CLOSERS)
        active = active[step]
        q[active] += 1
        active = active[q[active] < n]
    ok = q < n
    qq = np.minimum(q, n - 1)
    ok &= (flags[qq] & _S) != 0
    nxt = np.searchsorted(chunk_s, q)  # the next stretch without white space
    ok &= nxt < len(chunk_s)
    r = np.where(ok, chunk_s[np.minimum(nxt, len(chunk_s) - 1)], n)
    rr = np.minimum(r, n - 1)

    def capital_or_digit(c):
        return ((c >= 65) & (c <= 90)) | ((c >= 48) & (c <= 57))

    c0 = codes[rr].astype(np.int64)
    c1 = codes[np.minimum(rr + 1, n - 1)].astype(np.int64)
    ok &= capital_or_digit(c0) | (_isin(c0, _OPENERS) & (rr + 1 < n) & capital_or_digit(c1))
    # abbreviations and initials: the [\w.] run before a "." that starts the run
    check = np.flatnonzero(ok & (codes[t0] == 46))
    if len(check):
        length = np.zeros(len(check), dtype=np.int64)
        pos = t0[check] - 1
        active = np.arange(len(check))
        for _ in range(_MAX_WORD + 1):
            inside = active[(pos[active] >= 0)]
            p = pos[inside]
            inside = inside[((flags[p] & _WORD) != 0) | (codes[p] == 46)]
            length[inside] += 1
            pos[inside] -= 1
            active = inside
            if not len(active):
                break
        ok[check[_closes_abbreviation(codes, t0[check], length)]] = False
    keep = np.flatnonzero(ok)
    return q[keep].astype(np.int64), r[keep].astype(np.int64), t0[keep].astype(np.int64)


@lru_cache(maxsize=1)
def _abbreviation_keys() -> np.ndarray:
    """Each abbreviation packed into one integer, 7 bits per (ASCII) character."""
    keys = []
    for word in _ABBREVIATIONS:
        key = 0
        for c in word:
            key = key * 128 + ord(c)
        keys.append(key * 8 + len(word))
    return np.array(sorted(keys), dtype=np.int64)


@lru_cache(maxsize=1)
def _alpha_table() -> np.ndarray:
    """Characters of the Basic Multilingual Plane that lower-case to one letter (``c.lower().isalpha()``
    with one character: so U+0130, which lower-cases to two, is not one)."""
    chars = np.arange(0x10000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    return np.fromiter((len(low) == 1 and low.isalpha() for low in map(str.lower, chars)), dtype=bool,
                       count=0x10000)


def _closes_abbreviation(codes: np.ndarray, ends: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Which words ``codes[ends - length:ends]`` are abbreviations or initials (:func:`_no_sentence_end`),
    for words of at most :data:`_MAX_WORD` characters (longer ones never are)."""
    flags_table, lower_table = _tables()
    alpha = _alpha_table()
    result = np.zeros(len(ends), dtype=bool)
    candidates = np.flatnonzero((length >= 1) & (length <= _MAX_WORD))
    if not len(candidates):
        return result
    e, n = ends[candidates], length[candidates]
    start = e - n
    # initials: letter, dot, letter, ... (odd length)
    initials = (n % 2) == 1
    key = np.zeros(len(e), dtype=np.int64)
    ascii_ = np.ones(len(e), dtype=bool)
    for k in range(_MAX_WORD):
        inside = k < n
        c = codes[np.minimum(start + k, len(codes) - 1)].astype(np.int64)
        if k % 2 == 0:
            is_letter = alpha[np.minimum(c, 0xFFFF)]
            if (c > 0xFFFF).any():
                astral = np.flatnonzero(c > 0xFFFF)
                is_letter[astral] = [len(chr(x).lower()) == 1 and chr(x).lower().isalpha()
                                     for x in c[astral].tolist()]
            initials &= ~inside | is_letter
        else:
            initials &= ~inside | (c == 46)
        if k < _SHORTEST_CHECK:
            low = lower_table[np.minimum(c, 0xFFFF)].astype(np.int64)
            ascii_ &= ~inside | (low < 128)
            key = np.where(inside, key * 128 + low, key)
    key = key * 8 + n
    keys = _abbreviation_keys()
    abbreviation = (n <= _SHORTEST_CHECK) & ascii_ & np.isin(key, keys)
    result[candidates] = initials | abbreviation
    return result


def _no_sentence_end(word: str) -> bool:
    """Whether a full stop after ``word`` (the letters, digits and dots before it) closes an
    abbreviation ("Sept", "U.S") or initials ("M", "K.K") rather than a sentence."""
    word = word.lower()
    return word in _ABBREVIATIONS or all(len(part) == 1 and part.isalpha() for part in word.split("."))


def _paragraphs(text: str, chunk_s: np.ndarray | None = None, chunk_e: np.ndarray | None = None
                ) -> np.ndarray:
    """Paragraph spans of a text: between blank lines, trimmed of white space."""
    pieces = _PARAGRAPH_SPLIT.split(text)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    p_s, p_e = starts[0::2], ends[0::2]
    if chunk_s is None:
        _, flags, _ = _codes(text)
        chunk_s, chunk_e = _runs((flags & _S) == 0)
    if not len(chunk_s):
        return np.zeros((0, 2), dtype=np.int64)
    i = np.searchsorted(chunk_s, p_s)
    j = np.searchsorted(chunk_e, p_e, side="right") - 1
    ok = (i < len(chunk_s)) & (j >= 0)
    s = chunk_s[np.minimum(i, len(chunk_s) - 1)]
    e = chunk_e[np.maximum(j, 0)]
    ok &= (s < e) & (s < p_e) & (e > p_s)
    return np.stack([s[ok], e[ok]], axis=1).astype(np.int64).reshape(-1, 2)


def _assemble_sentences(paragraphs: np.ndarray, ends: np.ndarray, nexts: np.ndarray, terms: np.ndarray
                        ) -> np.ndarray:
    """Sentence spans from paragraph spans and accepted sentence ends (all in one coordinate system)."""
    if not len(paragraphs):
        return np.zeros((0, 2), dtype=np.int64)
    if len(ends):
        pa = np.searchsorted(paragraphs[:, 0], terms, side="right") - 1
        pb = np.searchsorted(paragraphs[:, 0], nexts, side="right") - 1
        same = (pa == pb) & (pa >= 0) & (nexts < paragraphs[np.maximum(pb, 0), 1])
        ends, nexts = ends[same], nexts[same]
    s = np.sort(np.concatenate([paragraphs[:, 0], nexts]), kind="stable")
    e = np.sort(np.concatenate([ends, paragraphs[:, 1]]), kind="stable")
    return np.stack([s, e], axis=1).astype(np.int64).reshape(-1, 2)


def sentence_spans(text: str) -> np.ndarray:
    """Sentence ``[start, end)`` offsets in ``text``; paragraph breaks always end a sentence.

    A full stop ends a sentence when followed by white space and a capital,
    digit or opening quote, unless it closes a known abbreviation ("Sept.",
    "Mr.", "U.S.") or initials ("M.", "K.K.").
    """
    layout = _layout([text], want_tokens=False)
    return layout.sentences


def paragraph_spans(text: str) -> np.ndarray:
    """Paragraph ``[start, end)`` offsets: text between blank lines, trimmed of white space."""
    return _paragraphs(text)


# --- the whole corpus -----------------------------------------------------------------

def _safe_cuts(text: str, size: int) -> list[tuple[int, bool]]:
    """Where a long text can be cut into pieces of about ``size`` characters.

    Returns ``(position, soft)``: a hard cut is at the start of a paragraph
    break; a soft cut (no break near) is at white space after a letter, inside
    a paragraph, which no token or sentence end crosses.
    """
    cuts, pos = [], size
    soft_cut = re.compile(r"(?<=[^\W\d_])\s")
    while pos < len(text):
        m = _PARAGRAPH_BREAK.search(text, pos, min(len(text), pos + size // 2))
        if m:
            cuts.append((m.start(), False))
        else:
            m = soft_cut.search(text, pos)
            if not m:
                break
            cuts.append((m.start(), True))
        pos = cuts[-1][0] + size
    return cuts


@dataclass
class _Layout:
    """Tokens, sentences and paragraphs of a list of texts, in one coordinate system.

    Global offset = offset in the concatenation of the texts (no separator).
    """

    base: np.ndarray         # (n_texts + 1,) start of each text
    starts: np.ndarray       # tokens (global)
    ends: np.ndarray
    ids: np.ndarray          # type ids into vocab (sorted)
    vocab: list[str]
    sentences: np.ndarray    # (n, 2) global
    paragraphs: np.ndarray   # (n, 2) global


def _layout(texts: list[str], *, want_tokens: bool = True, progress: bool | None = None) -> _Layout:
    from .progress import progress_bar

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    base = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    # pieces: (text index, start, end, soft cut before this piece)
    pieces: list[tuple[int, int, int, bool]] = []
    for i, text in enumerate(texts):
        if len(text) <= _PIECE_CHARS:
            pieces.append((i, 0, len(text), False))
            continue
        prev, soft_prev = 0, False
        for cut, soft in _safe_cuts(text, _PIECE_CHARS):
            pieces.append((i, prev, cut, soft_prev))
            prev, soft_prev = cut, soft
        pieces.append((i, prev, len(text), soft_prev))
    blocks: list[list[int]] = []
    size = 0
    for k, (_, a, b, _) in enumerate(pieces):
        if not blocks or size + (b - a) > _PIECE_CHARS:
            blocks.append([])
            size = 0
        blocks[-1].append(k)
        size += b - a + len(_SEP)

    tok_s, tok_e, groups, block_types = [], [], [], []
    par_parts, end_parts, next_parts, term_parts = [], [], [], []
    soft_starts = []
    bar = progress_bar(blocks, desc="tokenizing", unit="block", enable=progress)
    for block in bar:
        parts = [texts[pieces[k][0]][pieces[k][1]:pieces[k][2]] for k in block]
        block_text = _SEP.join(parts)
        part_len = np.array([pieces[k][2] - pieces[k][1] for k in block], dtype=np.int64)
        part_pos = np.concatenate([[0], np.cumsum(part_len + len(_SEP))[:-1]]).astype(np.int64)
        part_global = np.array([base[pieces[k][0]] + pieces[k][1] for k in block], dtype=np.int64)
        for k in block:
            if pieces[k][3]:
                soft_starts.append((pieces[k][0], pieces[k][1]))

        def to_global(x, part=None):
            if part is None:
                part = np.searchsorted(part_pos, x, side="right") - 1
            return x - part_pos[part] + part_global[part]

        scan = _scan(block_text, want_tokens=want_tokens)
        if want_tokens and len(scan.starts):
            part = np.searchsorted(part_pos, scan.starts, side="right") - 1
            tok_s.append(to_global(scan.starts, part))
            tok_e.append(to_global(scan.ends, part))
            inverse, firsts = _group(scan.h1, scan.h2)
            names = [_type_string(block_text[a:b]) for a, b in zip(scan.starts[firsts].tolist(),
                                                                     scan.ends[firsts].tolist())]
            block_types.append((scan.h1[firsts], scan.h2[firsts], names))
            groups.append(inverse)
        # paragraphs of each piece, and sentence ends that stay inside their piece
        para = scan.paragraphs
        if len(para):
            part = np.searchsorted(part_pos, para[:, 0], side="right") - 1
            par_parts.append(np.stack([to_global(para[:, 0], part), to_global(para[:, 1], part)], axis=1))
        if len(scan.ends_of_sentence):
            part_t = np.searchsorted(part_pos, scan.end_position, side="right") - 1
            part_r = np.searchsorted(part_pos, scan.next_sentence, side="right") - 1
            inside = (part_t == part_r) & (scan.next_sentence < part_pos[part_t] + part_len[part_t])
            end_parts.append(to_global(scan.ends_of_sentence[inside], part_t[inside]))
            next_parts.append(to_global(scan.next_sentence[inside], part_t[inside]))
            term_parts.append(to_global(scan.end_position[inside], part_t[inside]))

    def cat(parts, shape=(0,), dtype=np.int64):
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(shape, dtype=dtype)

    paragraphs = cat(par_parts, (0, 2))
    if soft_starts and len(paragraphs):  # a soft cut split a paragraph in two: join them again
        merge = np.zeros(len(paragraphs), dtype=bool)
        for i, local in soft_starts:
            cut = base[i] + local
            k = int(np.searchsorted(paragraphs[:, 1], cut))
            if k + 1 < len(paragraphs) and paragraphs[k, 1] == cut and paragraphs[k + 1, 0] < base[i + 1] \
                    and not _PARAGRAPH_BREAK.search(texts[i], local, int(paragraphs[k + 1, 0] - base[i])):
                merge[k + 1] = True
        keep_end = np.append(~merge[1:], True)
        paragraphs = np.stack([paragraphs[~merge, 0], paragraphs[keep_end, 1]], axis=1).reshape(-1, 2)
    sentences = _assemble_sentences(paragraphs, cat(end_parts), cat(next_parts), cat(term_parts))

    starts, ends = cat(tok_s), cat(tok_e)
    ids, vocab = _global_ids(groups, block_types) if want_tokens else (np.zeros(0, np.int32), [])
    return _Layout(base, starts, ends, ids, vocab, sentences, paragraphs)


def _group(h1: np.ndarray, h2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group equal (h1, h2) pairs: group number of each item, and the first item of each group."""
    codes, _ = pd.factorize(h1)  # hashing, in order of first appearance
    if len(codes):
        seen = np.maximum.accumulate(codes)
        new = np.ones(len(codes), dtype=bool)
        new[1:] = seen[1:] > seen[:-1]
        firsts = np.flatnonzero(new)
        if np.array_equal(h2, h2[firsts[codes]]):
            return codes.astype(np.int64), firsts
    order = np.lexsort((h2, h1))  # two pairs share h1 but not h2: group on both
    s1, s2 = h1[order], h2[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (s1[1:] != s1[:-1]) | (s2[1:] != s2[:-1])
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return inverse, order[new]


def _global_ids(groups: list[np.ndarray], block_types: list[tuple]) -> tuple[np.ndarray, list[str]]:
    """Type ids (into an alphabetically sorted vocabulary) from each block's local type numbers."""
    if not groups:
        return np.zeros(0, dtype=np.int32), []
    h1 = np.concatenate([b[0] for b in block_types])
    h2 = np.concatenate([b[1] for b in block_types])
    names = [name for b in block_types for name in b[2]]
    global_of, firsts = _group(h1, h2)
    uniq_names = [names[i] for i in firsts.tolist()]
    alpha = sorted(range(len(uniq_names)), key=uniq_names.__getitem__)
    rank = np.empty(len(alpha), dtype=np.int64)
    rank[alpha] = np.arange(len(alpha))
    vocab = [uniq_names[i] for i in alpha]
    ids, offset = [], 0
    for inverse, (bh1, _, _) in zip(groups, block_types):
        ids.append(rank[global_of[offset:offset + len(bh1)]][inverse])
        offset += len(bh1)
    return np.concatenate(ids).astype(np.int32), vocab


@lru_cache(maxsize=4)
def _spelling_table(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["british"].strip().lower(): row["american"].strip().lower()
                for row in csv.DictReader(handle) if row.get("british")}


def fold_spelling(term: str, table: dict[str, str] | None = None) -> str:
    """American spelling of ``term`` (each hyphen-part looked up in ``data/spelling.csv``)."""
    table = table if table is not None else _spelling_table(str(config.SPELLING_FILE))
    return "-".join(table.get(part, part) for part in term.split("-"))


@lru_cache(maxsize=8)
def _stopwords(english: bool, project: bool, path: str) -> frozenset[str]:
    words: set[str] = set()
    if english:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        words |= set(ENGLISH_STOP_WORDS)
    if project and Path(path).exists():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip().lower()
            if line:
                words.add(line)
    return frozenset(words)


def stopwords(*, english: bool = True, project: bool = True, path: str | Path | None = None) -> frozenset[str]:
    """Stop words: scikit-learn's English list and/or the project list (``data/stopwords.txt``)."""
    return _stopwords(english, project, str(path or config.STOPWORDS_FILE))


@dataclass(frozen=True)
class Tokens:
    """The token store of a corpus: integer ids and offsets, one entry per token.

    All per-token arrays have length ``n_tokens`` and are ordered by document,
    then position. Document ``i`` owns tokens ``bounds[i]:bounds[i+1]``.
    """

    doc_ids: np.ndarray          # (n_docs,) str
    bounds: np.ndarray           # (n_docs + 1,) int64
    vocab: np.ndarray            # (n_types,) str: lower-cased (folded) type of each id
    ids: np.ndarray              # (n_tokens,) int32 index into vocab
    start: np.ndarray            # (n_tokens,) int64 offsets in the cleaned text
    end: np.ndarray
    raw_start: np.ndarray        # (n_tokens,) int64 offsets in the raw file
    raw_end: np.ndarray
    sentence: np.ndarray         # (n_tokens,) int32 corpus-wide sentence number
    paragraph: np.ndarray        # (n_tokens,) int32 corpus-wide paragraph number
    sentence_spans: np.ndarray   # (n_sentences, 2) int64 cleaned offsets
    sentence_doc: np.ndarray     # (n_sentences,) int32 document index
    paragraph_spans: np.ndarray  # (n_paragraphs, 2)
    paragraph_doc: np.ndarray    # (n_paragraphs,) int32
    settings: dict = field(default_factory=dict)

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])

    @property
    def doc_index(self) -> np.ndarray:
        """Document number (0..n_docs-1) of every token."""
        return np.repeat(np.arange(len(self.doc_ids), dtype=np.int32), np.diff(self.bounds))

    def doc_lengths(self) -> pd.Series:
        """Tokens per document, indexed by ``doc_id``."""
        return pd.Series(np.diff(self.bounds), index=pd.Index(self.doc_ids, name="doc_id"), name="n_tokens")

    def term_id(self, term: str) -> int | None:
        """Id of a (lower-cased) type, or None if the corpus does not have it."""
        j = int(np.searchsorted(self.vocab, term))
        return j if j < len(self.vocab) and self.vocab[j] == term else None

    def subset(self, doc_ids) -> "Tokens":
        """The store restricted to ``doc_ids`` (in the store's order); the vocabulary is kept."""
        wanted = set(doc_ids)
        keep = [i for i, d in enumerate(self.doc_ids) if d in wanted]
        take = np.concatenate([np.arange(self.bounds[i], self.bounds[i + 1]) for i in keep]) if keep \
            else np.array([], dtype=np.int64)
        lengths = np.diff(self.bounds)[keep]
        sent_keep = np.isin(self.sentence_doc, keep)
        para_keep = np.isin(self.paragraph_doc, keep)
        remap_doc = np.full(len(self.doc_ids), -1, dtype=np.int32)
        remap_doc[keep] = np.arange(len(keep), dtype=np.int32)
        sent_new = np.cumsum(sent_keep) - 1
        para_new = np.cumsum(para_keep) - 1
        return Tokens(
            doc_ids=self.doc_ids[keep], bounds=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            vocab=self.vocab, ids=self.ids[take], start=self.start[take], end=self.end[take],
            raw_start=self.raw_start[take], raw_end=self.raw_end[take],
            sentence=sent_new[self.sentence[take]].astype(np.int32),
            paragraph=para_new[self.paragraph[take]].astype(np.int32),
            sentence_spans=self.sentence_spans[sent_keep], sentence_doc=remap_doc[self.sentence_doc[sent_keep]],
            paragraph_spans=self.paragraph_spans[para_keep], paragraph_doc=remap_doc[self.paragraph_doc[para_keep]],
            settings=dict(self.settings),
        )


_ARRAYS = ("doc_ids", "bounds", "vocab", "ids", "start", "end", "raw_start", "raw_end", "sentence",
           "paragraph", "sentence_spans", "sentence_doc", "paragraph_spans", "paragraph_doc")


def _tokenize_one(text: str) -> tuple[list[str], np.ndarray]:
    """Surface forms and spans of the tokens of one text, by :data:`TOKEN_PATTERN` (a reference)."""
    spans, forms = [], []
    for match in TOKEN_PATTERN.finditer(text):
        forms.append(match.group(0))
        spans.append(match.span())
    return forms, np.array(spans, dtype=np.int64).reshape(-1, 2)


def _raw_offsets(docs: pd.DataFrame, starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Raw offsets of every token (``starts``/``ends`` in each document's cleaned text)."""
    raw_s, raw_e = starts.copy(), ends.copy()
    if "offsets" not in docs.columns:
        return raw_s, raw_e
    for i, offsets in enumerate(docs["offsets"]):
        a, b = int(bounds[i]), int(bounds[i + 1])
        if b > a and isinstance(offsets, OffsetMap) and offsets.steps:
            raw_s[a:b], raw_e[a:b] = offsets._to_raw_sorted(starts[a:b], ends[a:b])
    return raw_s, raw_e


def _build(docs: pd.DataFrame, *, fold: bool, progress: bool | None) -> Tokens:
    texts = [str(t) for t in docs["text"]]
    layout = _layout(texts, progress=progress)
    base = layout.base
    bounds = np.append(np.searchsorted(layout.starts, base[:-1]), len(layout.starts)).astype(np.int64)
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(bounds))
    start = layout.starts - base[doc_of]
    end = layout.ends - base[doc_of]
    raw_s, raw_e = _raw_offsets(docs, start, end, bounds)
    sent, para = layout.sentences, layout.paragraphs
    sent_doc = (np.searchsorted(base, sent[:, 0], side="right") - 1).astype(np.int32)
    para_doc = (np.searchsorted(base, para[:, 0], side="right") - 1).astype(np.int32)
    # every token lies in a sentence and a paragraph: the last one starting at or before it
    sentence = (np.searchsorted(sent[:, 0], layout.starts, side="right") - 1).astype(np.int32)
    paragraph = (np.searchsorted(para[:, 0], layout.starts, side="right") - 1).astype(np.int32)
    vocab = np.asarray(layout.vocab, dtype=str) if layout.vocab else np.array([], dtype=str)
    codes = layout.ids
    if fold and len(vocab):
        table = _spelling_table(str(config.SPELLING_FILE))
        folded = np.array([fold_spelling(v, table) for v in vocab], dtype=str)
        remap, uniques = pd.factorize(pd.Series(folded), sort=True)
        codes = remap[codes]
        vocab = np.asarray(uniques, dtype=str)
    return Tokens(
        doc_ids=docs["doc_id"].to_numpy(dtype=str),
        bounds=bounds,
        vocab=vocab,
        ids=np.asarray(codes, dtype=np.int32),
        start=start, end=end,
        raw_start=raw_s, raw_end=raw_e,
        sentence=sentence, paragraph=paragraph,
        sentence_spans=(sent - base[sent_doc][:, None]).astype(np.int64).reshape(-1, 2),
        sentence_doc=sent_doc,
        paragraph_spans=(para - base[para_doc][:, None]).astype(np.int64).reshape(-1, 2),
        paragraph_doc=para_doc,
        settings={"fold_spelling": fold, "tokenizer_version": TOKENIZER_VERSION},
    )


def cache_key(docs: pd.DataFrame, *, fold_spelling: bool = False, rules_path=None) -> str:
    """Key of a token store: the texts, ids, cleaning rules and tokenizer settings.

    The cleaned texts themselves are hashed (so an edited ``docs.text`` is never
    served a stale store), with each raw file's ``sha256`` (the offsets depend
    on it) and the fingerprint of the rules the documents were cleaned with
    (``docs.attrs["rules_fingerprint"]``, set by :func:`~rhetoric.corpus.load_corpus`).
    """
    digest = hashlib.sha256()
    spelling = hashlib.sha256(config.SPELLING_FILE.read_bytes()).hexdigest() if fold_spelling else ""
    rules = docs.attrs.get("rules_fingerprint") or rules_fingerprint(load_rules(rules_path))
    digest.update(json.dumps({
        "tokenizer": TOKENIZER_VERSION, "pattern": TOKEN_PATTERN.pattern, "fold": fold_spelling,
        "spelling": spelling, "rules": rules, "abbreviations": sorted(_ABBREVIATIONS), "max_word": _MAX_WORD,
    }, sort_keys=True).encode())
    shas = docs["sha256"] if "sha256" in docs.columns else [""] * len(docs)
    for doc_id, sha, text in zip(docs["doc_id"], shas, docs["text"]):
        digest.update(f"{doc_id}\0{sha}\0{len(text)}\0".encode())
        digest.update(str(text).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()[:24]


def _cache_dir(docs: pd.DataFrame) -> Path | None:
    env = os.environ.get("RHETORIC_CACHE_DIR")
    if env:
        return Path(env)
    corpus_dir = docs.attrs.get("corpus_dir")
    return Path(corpus_dir) / config.CACHE_SUBDIR if corpus_dir else None


def tokenize(docs: pd.DataFrame, *, fold_spelling: bool = False, cache: bool = True,
             progress: bool | None = None) -> Tokens:
    """Tokenize every document of a corpus table, using the cache when it is current.

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus` (needs ``doc_id`` and ``text``;
        uses ``offsets``, ``raw_text`` and ``sha256`` when present).
    fold_spelling : bool, default False
        Fold British spellings to American ones (``neighbourly`` -> ``neighborly``),
        from ``data/spelling.csv``.
    cache : bool, default True
        Read and write ``<corpus>/interim/token-cache/<key>.npz`` (or ``$RHETORIC_CACHE_DIR``).
        A cache that cannot be read is rebuilt; one that cannot be written is
        skipped with a warning.
    progress : bool, optional
        Show a progress bar (default: only in a terminal, see :mod:`rhetoric.progress`).

    Returns
    -------
    Tokens
    """
    cache_dir = _cache_dir(docs) if cache else None
    key = cache_key(docs, fold_spelling=fold_spelling) if cache_dir else None
    if cache_dir is not None:
        path = cache_dir / f"{key}.npz"
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as data:
                    arrays = {name: data[name] for name in _ARRAYS}
                    settings = json.loads(str(data["settings"]))
                if list(arrays["doc_ids"]) == [str(d) for d in docs["doc_id"]]:
                    return Tokens(**arrays, settings=settings)
            except (OSError, ValueError, KeyError, EOFError):
                pass  # unreadable cache: rebuild below
    tokens = _build(docs, fold=fold_spelling, progress=progress)
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as handle:
                np.savez(handle, **{name: getattr(tokens, name) for name in _ARRAYS},
                         settings=np.array(json.dumps(tokens.settings)))
            os.replace(handle.name, cache_dir / f"{key}.npz")
        except OSError as exc:
            warnings.warn(f"token cache not written to {cache_dir} ({exc}); continuing without it.", stacklevel=2)
    return tokens


def tokens_frame(tokens: Tokens, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per token.

    Returns
    -------
    DataFrame
        ``doc_id, position`` (0-based within the document), ``type`` (counted
        form), ``start, end`` (cleaned text), ``raw_start, raw_end`` (raw file),
        ``sentence, paragraph`` (corpus-wide numbers); plus ``token`` (the
        original surface form) when ``docs`` is given.
    """
    doc_index = tokens.doc_index
    frame = pd.DataFrame({
        "doc_id": tokens.doc_ids[doc_index] if tokens.n_tokens else np.array([], dtype=str),
        "position": np.arange(tokens.n_tokens) - tokens.bounds[doc_index],
        "type": tokens.vocab[tokens.ids] if tokens.n_tokens else np.array([], dtype=str),
        "start": tokens.start, "end": tokens.end,
        "raw_start": tokens.raw_start, "raw_end": tokens.raw_end,
        "sentence": tokens.sentence, "paragraph": tokens.paragraph,
    })
    if docs is not None:
        texts = docs.set_index("doc_id")["text"]
        frame.insert(2, "token", [texts[d][s:e] for d, s, e in zip(frame["doc_id"], frame["start"], frame["end"])])
    return frame


def doc_token_lists(tokens: Tokens) -> list[list[str]]:
    """Each document's token types as a list of strings (for libraries that want them)."""
    types = tokens.vocab[tokens.ids] if tokens.n_tokens else np.array([], dtype=str)
    return [types[a:b].tolist() for a, b in zip(tokens.bounds[:-1], tokens.bounds[1:])]
