"""Tokens, sentences and paragraphs of a corpus, with exact type ids and offsets; the cached token store.

A **token** is what :data:`TOKEN_PATTERN` matches: a run of word characters,
joined across a single hyphen, full stop, comma or apostrophe between two word
characters (``win-win``, ``people-to-people``, ``21.2``, ``2,552``, ``U.S``,
``Xi'an``); a possessive or clitic ``'s`` is a token of its own ("China's" ->
``china``, ``'s``); ``%``, ``$``, ``€``, ``£`` and ``¥`` are tokens of their own
("$21.2 billion" -> ``$``, ``21.2``, ``billion``). Punctuation is not a token.
A token's **type** is its lower-cased form (curly apostrophes and Unicode
hyphens made ASCII), optionally with British spellings folded to American ones
(``data/spelling.csv``). Type ids come from :func:`pandas.factorize` over the
type strings, so two tokens share an id exactly when their types are equal.

**Chinese.** A run of Chinese characters (Han script, :data:`HAN_CHARACTERS`)
is cut into words by jieba (its bundled dictionary, loaded once and quietly; no
download), after traditional characters are folded to simplified ones with
OpenCC (``t2s``) so that 人類命運共同體 and 人类命运共同体 are one type; offsets
still point at the characters as written. The words of the lexicons' Chinese
patterns (:func:`lexicon_words`: each run of at least
:data:`FORCED_MIN_CHARS` Chinese characters in a ``pattern`` of
``lexicons/formulas.yml`` or a ``terms`` entry of ``lexicons/frames.yml``, the
project's and the corpus folder's own) are kept whole: in each run they are
found first, leftmost-longest, and jieba cuts only the text between them, so
no formula is ever split ("构建人类命运共同体" -> 构建, 人类命运共同体); a word
added to jieba's own dictionary would only be made more probable, and a
neighbouring character could still pull it apart. Shorter words (共建, 互信)
are jieba's dictionary words already and are left to it, so that they are not
forced inside longer words (公共建设 stays 公共 / 建设). The
other tokens of such a text are those above with every Chinese character read
as a space ("2022年" -> 2022, 年). This applies to every document, whatever its
``language``.

A **paragraph** is text between blank lines (a line holding only white
space counts as blank), trimmed of white space -- unless the text is laid out
one paragraph per line: when more of its single line breaks follow the end of
a sentence (``. ! ? … 。 ！ ？ : ; ： ；``, possibly followed by closing quotes
or brackets) than fall inside a sentence (a line ending otherwise, the next
starting with a lower-case letter) and than it has blank lines, every line is
a paragraph (:func:`lines_are_paragraphs`). A text laid out with blank lines
(the project's texts), a text without single line breaks and a hard-wrapped
text keep their blank-line paragraphs.

A **sentence** ends at the end of its paragraph, or at a run of ``.``, ``!``,
``?`` or ``…`` (with any closing quotes or brackets after it) that is followed
by white space and then a capital letter or a digit, optionally after one
opening quote or bracket; the next sentence starts at that quote or bracket.
So "?" or "!" before a lower-case word ('"Why not?" he asked') ends nothing,
an ellipsis before a capital ends a sentence ("We waited... The guests came"),
and a decimal point never does ("21.2" has no white space after its point).
A run of ``。``, ``！`` or ``？`` ends a sentence wherever it stands, with the
closing quotes and brackets after it (a straight quote only when it closes a
quote opened in the sentence: the cleaning rules make curly quotes straight).
A single full stop does not end a sentence when the word before it is

* initials: one letter, or letters each followed by a full stop ("M. Smith",
  "K.K. Tokayev", "U.S. President", "e.g. Astana"), but not the clitic of
  "China's.";
* a title or another word that always precedes what it abbreviates
  (:data:`ABBREVIATIONS`: "Mr.", "Dr.", "Prof.", "St.", "vs.");
* before a digit, a month or a numbering word (:data:`NUMBER_ABBREVIATIONS`:
  "Sept. 13", "No. 5", "Art. 3"); "said no. The" does end a sentence;
* a number of at most three digits that starts the sentence (a list number:
  "1. Introduction").

Other abbreviations ("etc.", "Inc.", "Ltd.") end a sentence before a capital
letter: "... energy, etc. The talks" are two sentences. The rule cannot tell
initials that end a sentence ("moved to the U.S. Then", "Plan B. Nobody")
from initials that do not: such a full stop never ends a sentence. The word
before a full stop is the run of letters, digits and full stops before it (at
most 24 characters).

Offsets: every token keeps its span in the cleaned text; :func:`raw_spans`
maps spans back to the raw file through the cleaning rules' offset map.

The store is built once per corpus and cached under
``<corpus>/interim/token-cache/`` (or ``$RHETORIC_CACHE_DIR``), keyed by the
cleaned texts, the tokenizer version and its settings; a cache file that fails
to load is rebuilt.
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
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

TOKENIZER_VERSION = "7"

TOKEN_PATTERN = re.compile(r"\w+(?:(?:[-\u2010\u2011.,]|['\u2019](?![sS]\b))\w+)*|['\u2019][sS]\b|[%$€£¥]")
"""One token (see the module docstring)."""
_TOKEN_SPLIT = re.compile(f"({TOKEN_PATTERN.pattern})")
_TYPE_CHARS = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})

ABBREVIATIONS = frozenset("""
mr mrs ms messrs dr prof gen col lt capt cmdr adm maj sgt gov sen rep rev hon amb pres st mt vs cf
""".split())
"""Words (lower case, without their full stop) after which a full stop never ends a sentence: titles and
other words that precede what they abbreviate."""
NUMBER_ABBREVIATIONS = frozenset("""
jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vols fig figs art arts para paras pp ch sec
""".split())
"""Words (lower case, without their full stop) after which a full stop does not end a sentence before a digit:
months and numbering words ("Sept. 13", "No. 5")."""
_OPENERS = "\"'(\\[\u201c\u2018"
_CLOSERS = "\"')\\]\u201d\u2019"
_SENTENCE_END = re.compile(
    r"([.!?\u2026](?<![.!?\u2026]{2})[.!?\u2026]*)"  # 1: the punctuation, a whole run (each run tried once)
    f"[{_CLOSERS}]*"                        # closing quotes and brackets
    f"(?=\\s+([{_OPENERS}]?)(\\S))")         # white space, then 2: an opening quote or bracket, 3: a character
_WORD_BEFORE = re.compile(r"(?<![\w.])(?:\w+\.)*\w+\Z")  # "Mr", "U.S", "21.2" before a full stop
_WORD_WINDOW = 24
"""Characters looked back for the word before a full stop (a longer word is no abbreviation)."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_WRAPPED_BREAK = re.compile("[^\\s.!?\u2026\u3002\uff01\uff1f:;\uff1a\uff1b\"'\u201d\u2019)\uff09\u300d\u300f"
                            "\u300b\u3011\\]]" r"[ \t]*\n[ \t]*(?=[a-z\u00df-\u00f6\u00f8-\u00ff\u0430-\u045f])")
_FINAL_BREAK = re.compile("[.!?\u2026\u3002\uff01\uff1f:;\uff1a\uff1b]"
                          "[\"'\u201d\u2019)\uff09\u300d\u300f\u300b\u3011\\]]*" r"[ \t]*\n[ \t]*(?=\S)")

HAN_CHARACTERS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Chinese characters (Han script, with its extensions and compatibility ideographs): cut into words by jieba."""
FORCED_MIN_CHARS = 3
"""Lexicon words of at least this many Chinese characters are never split; shorter ones are left to jieba."""
_HAN = re.compile(f"[{HAN_CHARACTERS}]")
_HAN_RUN = re.compile(f"[{HAN_CHARACTERS}]+")
_CHINESE_END = re.compile("[\u3002\uff01\uff1f]+")
_CHINESE_CLOSERS = "\u201d\u2019\u300d\u300f\uff09\u300b\u3011\u3015)]"


# --- Chinese words ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _jieba():
    """jieba's tokenizer with its bundled dictionary, built in memory once per process (about 1 s).

    ``Tokenizer.initialize`` would write a cache file into the system's temporary folder, and loading that
    cache was measured no faster here; the prefix dictionary is built from the bundled dictionary instead, so
    nothing is written. Called only when a run of Chinese characters has text outside the lexicon's words.
    """
    import jieba

    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as dictionary:
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(dictionary)
    tokenizer.initialized = True
    return tokenizer


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with traditional Chinese characters folded to simplified ones (OpenCC ``t2s``), same length.

    Where the conversion would change the length (a phrase rule), each character is converted on its own
    and kept as written if it would become several, so position ``i`` is still character ``i``.

    Examples
    --------
    >>> to_simplified("人類命運共同體")
    '人类命运共同体'
    """
    converted = _opencc().convert(text)
    if len(converted) == len(text):
        return converted
    convert = _opencc().convert
    return "".join(c if len(d := convert(c)) != 1 else d for c in text)


@lru_cache(maxsize=4)
def _forced_words(words: tuple[str, ...]):
    forced = sorted({to_simplified(w) for w in words if len(w) >= FORCED_MIN_CHARS}, key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, forced))) if forced else None


def _cut_run(run: str, words: tuple[str, ...]) -> tuple[list[tuple[int, int]], str]:
    """Word spans of a run of Chinese characters and the run in simplified characters."""
    simple = to_simplified(run)
    forced = _forced_words(words)
    spans: list[tuple[int, int]] = []

    def free(a: int, b: int) -> None:
        for word in _jieba().cut(simple[a:b], HMM=True):
            spans.append((a, a + len(word)))
            a += len(word)

    pos = 0
    if forced is not None:
        for m in forced.finditer(simple):
            if m.start() > pos:
                free(pos, m.start())
            spans.append(m.span())
            pos = m.end()
    if pos < len(simple):
        free(pos, len(simple))
    return spans, simple


def _split_mixed(text: str, words: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """:func:`_split` for a text with Chinese characters.

    The other tokens are those :data:`TOKEN_PATTERN` finds with every Chinese character read as a space;
    each run of Chinese characters is cut by :func:`_cut_run`.
    """
    masked = _HAN.sub(" ", text)
    spans = [m.span() for m in TOKEN_PATTERN.finditer(masked)]
    types = [text[a:b].lower() for a, b in spans]
    for m in _HAN_RUN.finditer(text):
        start = m.start()
        cut, simple = _cut_run(m.group(), words)
        spans += [(start + a, start + b) for a, b in cut]
        types += [simple[a:b] for a, b in cut]
    order = sorted(range(len(spans)), key=spans.__getitem__)
    return (np.array([spans[i] for i in order], dtype=np.int64).reshape(-1, 2), [types[i] for i in order])


def _lexicon_strings(data, out: list[str]) -> None:
    """Every pattern string of a lexicon's YAML data (formulas' variants, frames' terms)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "pattern" and isinstance(value, str):
                out.append(value)
            elif key in ("variants", "terms") and isinstance(value, list):
                for item in value:
                    if isinstance(item, str):
                        out.append(item)
                    else:
                        _lexicon_strings(item, out)
            else:
                _lexicon_strings(value, out)
    elif isinstance(data, list):
        for item in data:
            _lexicon_strings(item, out)


@lru_cache(maxsize=8)
def _words_of_file(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    from ..errors import CorpusError
    from ..yamlfiles import load_yaml_with_lines

    try:
        data, _ = load_yaml_with_lines(path, error=CorpusError, what="lexicon file")
    except Exception:  # a broken lexicon is reported by its own loader; here it only adds no words
        return ()
    strings: list[str] = []
    _lexicon_strings(data, strings)
    return tuple(sorted({run for text in strings for run in _HAN_RUN.findall(text)}))


def lexicon_words(corpus_dir: str | Path | None = None) -> tuple[str, ...]:
    """The Chinese words of the lexicons, kept whole when Chinese text is cut into words.

    Each run of Chinese characters in a pattern of the project's
    ``lexicons/formulas.yml`` and ``lexicons/frames.yml`` and of the corpus
    folder's own ones (when it has them); sorted, without repeats. A lexicon
    file that cannot be read adds nothing here (its loader says what is wrong).

    Examples
    --------
    >>> words = lexicon_words()
    >>> "人类命运共同体" in words, "黄金三十年" in words
    (True, True)
    """
    paths = [config.FORMULA_LEXICON, config.FRAME_LEXICON]
    if corpus_dir is not None:
        paths += [Path(corpus_dir) / "lexicons" / config.FORMULA_LEXICON.name,
                  Path(corpus_dir) / "lexicons" / config.FRAME_LEXICON.name]
    found: set[str] = set()
    for path in dict.fromkeys(Path(p) for p in paths):
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_file():
            found.update(_words_of_file(str(path), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


# --- one text ------------------------------------------------------------------------

def _split(text: str, words: tuple[str, ...] | None = None) -> tuple[np.ndarray, list[str]]:
    """Token spans of ``text`` and each token lower-cased (before apostrophes and hyphens are made ASCII).

    The whole text is lower-cased at once when that lower-cases each token as on its own: not when a
    character lower-cases to two (U+0130) or when a capital sigma's lower case depends on what follows it.
    Chinese characters are cut into words (:func:`_split_mixed`), keeping ``words`` whole (default: the
    project's :func:`lexicon_words`).
    """
    if _HAN.search(text) is not None:
        return _split_mixed(text, lexicon_words() if words is None else tuple(words))
    lowered = text.lower()
    at_once = len(lowered) == len(text) and "\u03a3" not in text
    pieces = _TOKEN_SPLIT.split(lowered if at_once else text)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ends = np.cumsum(lengths)
    spans = np.stack([(ends - lengths)[1::2], ends[1::2]], axis=1).reshape(-1, 2)
    return spans, pieces[1::2] if at_once else [t.lower() for t in pieces[1::2]]


def token_spans(text: str, *, words: tuple[str, ...] | None = None) -> tuple[np.ndarray, list[str]]:
    """Spans and types of the tokens of ``text``.

    Parameters
    ----------
    text : str
    words : tuple of str, optional
        Chinese words kept whole (default: the project's :func:`lexicon_words`).

    Returns
    -------
    spans : ndarray of int64, shape (n, 2)
        ``[start, end)`` of each token in ``text``.
    types : list of str
        Each token's type (lower-cased, apostrophes and hyphens made ASCII).

    Examples
    --------
    >>> spans, types = token_spans("China's win-win plan: $21.2 billion (12.5%).")
    >>> types
    ['china', "'s", 'win-win', 'plan', '$', '21.2', 'billion', '12.5', '%']
    >>> spans[:2].tolist()
    [[0, 5], [5, 7]]
    >>> token_spans("推动構建人类命运共同体，2022年。")[1]
    ['推动', '构建', '人类命运共同体', '2022', '年']
    """
    spans, types = _split(text, words)
    return spans, [t.translate(_TYPE_CHARS) for t in types]


def tokenize_text(text: str, *, words: tuple[str, ...] | None = None) -> list[str]:
    """The types of the tokens of ``text``, as the corpus tokenizer finds them.

    Examples
    --------
    >>> tokenize_text("The People's Republic, K.K. Tokayev and the U.S.")
    ['the', 'people', "'s", 'republic', 'k.k', 'tokayev', 'and', 'the', 'u.s']
    """
    return token_spans(text, words=words)[1]


def lines_are_paragraphs(text: str) -> bool:
    """Whether ``text`` is laid out one paragraph per line (see the module docstring).

    True when the single line breaks (between two non-blank lines) that
    follow the end of a sentence (``. ! ? … 。 ！ ？ : ; ： ；`` and any closing
    quotes or brackets) outnumber both the single line breaks inside a
    sentence (the line ends otherwise and the next one starts with a lower-case
    Latin or Cyrillic letter: a hard-wrapped line) and the blank lines. Other
    breaks (after a heading, before a name) decide nothing. So a text laid out
    with blank lines keeps its paragraphs, a stray line break inside one
    included; a heading set off by a blank line above paragraphs one per line
    does not.

    Examples
    --------
    >>> lines_are_paragraphs("Title\\nFirst paragraph.\\nSecond one.\\n")
    True
    >>> lines_are_paragraphs("A hard-wrapped line\\nthat goes on.\\n\\nNext paragraph.")
    False
    >>> lines_are_paragraphs("One.\\n\\nTwo. And\\nthree.\\nFour.\\n\\nFive.")
    False
    """
    ends = len(_FINAL_BREAK.findall(text))
    return ends > 0 and ends > len(_WRAPPED_BREAK.findall(text)) and ends > len(_PARAGRAPH_BREAK.findall(text))


def paragraph_spans(text: str) -> np.ndarray:
    """``[start, end)`` of each paragraph: text between blank lines (or lines), trimmed of white space.

    A text laid out one paragraph per line (:func:`lines_are_paragraphs`) has one
    paragraph per non-blank line.

    Examples
    --------
    >>> paragraph_spans("First one.\\n\\n  Second\\none.  \\n").tolist()
    [[0, 10], [14, 25]]
    >>> paragraph_spans("First one.\\nSecond one.\\n").tolist()
    [[0, 10], [11, 22]]
    """
    spans, start = [], 0
    breaks = _LINE_BREAK if lines_are_paragraphs(text) else _PARAGRAPH_BREAK
    for stop, after in [(m.start(), m.end()) for m in breaks.finditer(text)] + [(len(text), len(text))]:
        piece = text[start:stop]
        lead = len(piece) - len(piece.lstrip())
        if lead < len(piece):
            spans.append((start + lead, start + len(piece.rstrip())))
        start = after
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


def _continues(text: str, stop: int, next_char: str, sentence_start: int) -> bool:
    """Whether the single full stop at ``text[stop]`` leaves the sentence open (see the module docstring)."""
    found = _WORD_BEFORE.search(text, max(0, stop - _WORD_WINDOW), stop)
    if found is None:
        return False
    word, start = found.group(0), found.start()
    lower = word.lower()
    if lower in ABBREVIATIONS:
        return True
    if lower in NUMBER_ABBREVIATIONS:
        return next_char.isdigit()
    if all(len(part) == 1 and part.isalpha() for part in word.split(".")):  # initials, but not "China's."
        return not (len(word) == 1 and start >= 2 and text[start - 1] in "'\u2019" and text[start - 2].isalnum())
    return start == sentence_start and len(word) <= 3 and word.isdecimal()  # a list number: "1. Introduction"


def sentence_spans(text: str) -> np.ndarray:
    """``[start, end)`` of each sentence of ``text`` (see the module docstring for the rule).

    Examples
    --------
    >>> text = "K.K. Tokayev met Mr. Li on Sept. 13. Trade grew 21.2 percent. Why? Because."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['K.K. Tokayev met Mr. Li on Sept. 13.', 'Trade grew 21.2 percent.', 'Why?', 'Because.']
    """
    return _sentences(text, paragraph_spans(text))


def _chinese_end(text: str, end: int, p_end: int, start: int) -> tuple[int, int]:
    """End of a sentence closed by 。！？ ending at ``end`` (with its closers) and where the next one starts."""
    while end < p_end:
        ch = text[end]
        if ch in _CHINESE_CLOSERS or (ch in "\"'" and text.count(ch, start, end) % 2 == 1):
            end += 1
        else:
            break
    after = end
    while after < p_end and text[after].isspace():
        after += 1
    return end, after


def _sentences(text: str, paragraphs: np.ndarray) -> np.ndarray:
    spans = []
    chinese = _CHINESE_END.search(text) is not None
    for p_start, p_end in paragraphs.tolist():
        start = p_start
        ends = _CHINESE_END.finditer(text, p_start, p_end) if chinese else iter(())
        upcoming = next(ends, None)

        def split_at_chinese_ends(limit: int) -> None:
            """End a sentence at each Chinese sentence end before ``limit`` (one that does not end the paragraph)."""
            nonlocal start, upcoming
            while upcoming is not None and upcoming.start() < limit:
                if upcoming.start() >= start:
                    end, after = _chinese_end(text, upcoming.end(), p_end, start)
                    if after < p_end and end > start:
                        spans.append((start, end))
                        start = after
                upcoming = next(ends, None)

        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            split_at_chinese_ends(m.start())  # a Chinese end that comes first
            if m.start() < start:
                continue
            punctuation, _, next_char = m.groups()
            if not (next_char.isupper() or next_char.isdigit()):
                continue
            if punctuation == "." and _continues(text, m.start(), next_char, start):
                continue
            spans.append((start, m.end()))
            start = m.start(2)
        split_at_chinese_ends(p_end)  # every Chinese end left in the paragraph
        spans.append((start, p_end))
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


# --- spelling --------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _spelling_table(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["british"].strip().lower(): row["american"].strip().lower()
                for row in csv.DictReader(handle) if row.get("british")}


def fold_spelling(term: str, table: dict[str, str] | None = None) -> str:
    """American spelling of ``term``, each hyphen-part looked up in ``data/spelling.csv``.

    Examples
    --------
    >>> fold_spelling("good-neighbourly")
    'good-neighborly'
    """
    table = table if table is not None else _spelling_table(str(config.SPELLING_FILE))
    return "-".join(table.get(part, part) for part in term.split("-"))


# --- the token store ---------------------------------------------------------------------

@dataclass(frozen=True)
class Tokens:
    """The token store of a corpus: one entry per token, ordered by document, then position.

    Document ``i`` owns tokens ``bounds[i]:bounds[i + 1]``. Offsets are
    character offsets in the document's cleaned text (``docs.text``).
    """

    doc_ids: np.ndarray             # (n_docs,) str
    bounds: np.ndarray              # (n_docs + 1,) int64
    vocab: np.ndarray               # (n_types,) object (Python str), sorted: the type of each id
    ids: np.ndarray                 # (n_tokens,) int32 index into vocab
    start: np.ndarray               # (n_tokens,) int32 cleaned-text offsets
    end: np.ndarray
    sentence: np.ndarray            # (n_tokens,) int32 corpus-wide sentence number
    sentence_spans: np.ndarray      # (n_sentences, 2) int64 cleaned offsets in their document
    sentence_doc: np.ndarray        # (n_sentences,) int32 document index
    sentence_paragraph: np.ndarray  # (n_sentences,) int32 corpus-wide paragraph number
    paragraph_spans: np.ndarray     # (n_paragraphs, 2) int64
    paragraph_doc: np.ndarray       # (n_paragraphs,) int32
    settings: dict = field(default_factory=dict)

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])

    @property
    def doc_index(self) -> np.ndarray:
        """Document number (0..n_docs-1) of every token."""
        return np.repeat(np.arange(len(self.doc_ids), dtype=np.int32), np.diff(self.bounds))

    @property
    def paragraph(self) -> np.ndarray:
        """Corpus-wide paragraph number of every token."""
        return self.sentence_paragraph[self.sentence] if self.n_tokens else np.zeros(0, dtype=np.int32)

    def doc_lengths(self) -> pd.Series:
        """Tokens per document, indexed by ``doc_id``."""
        return pd.Series(np.diff(self.bounds), index=pd.Index(self.doc_ids, name="doc_id"), name="n_tokens")

    def term_id(self, term: str) -> int | None:
        """Id of a type, or None if the corpus does not have it."""
        j = int(np.searchsorted(self.vocab, term))
        return j if j < len(self.vocab) and self.vocab[j] == term else None

    def subset(self, doc_ids) -> "Tokens":
        """The store restricted to ``doc_ids`` (kept in the store's order); the vocabulary is kept."""
        wanted = set(map(str, doc_ids))
        keep = np.array([i for i, d in enumerate(self.doc_ids.tolist()) if d in wanted], dtype=np.int64)
        if len(keep) == len(self.doc_ids):
            return self
        lengths = np.diff(self.bounds)[keep]
        take = positions_in(self.bounds[keep], self.bounds[keep + 1])
        sent_keep = np.isin(self.sentence_doc, keep)
        para_keep = np.isin(self.paragraph_doc, keep)
        doc_new = np.full(len(self.doc_ids), -1, dtype=np.int32)
        doc_new[keep] = np.arange(len(keep), dtype=np.int32)
        sent_new = (np.cumsum(sent_keep) - 1).astype(np.int32)
        para_new = (np.cumsum(para_keep) - 1).astype(np.int32)
        return Tokens(
            doc_ids=self.doc_ids[keep], bounds=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            vocab=self.vocab, ids=self.ids[take], start=self.start[take], end=self.end[take],
            sentence=sent_new[self.sentence[take]],
            sentence_spans=self.sentence_spans[sent_keep], sentence_doc=doc_new[self.sentence_doc[sent_keep]],
            sentence_paragraph=para_new[self.sentence_paragraph[sent_keep]],
            paragraph_spans=self.paragraph_spans[para_keep], paragraph_doc=doc_new[self.paragraph_doc[para_keep]],
            settings=dict(self.settings))


_ARRAYS = ("doc_ids", "bounds", "vocab", "ids", "start", "end", "sentence", "sentence_spans", "sentence_doc",
           "sentence_paragraph", "paragraph_spans", "paragraph_doc")


def positions_in(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """All integers of the ranges ``[starts, ends)``, concatenated (token positions of spans).

    Examples
    --------
    >>> positions_in(np.array([0, 5]), np.array([2, 8])).tolist()
    [0, 1, 5, 6, 7]
    """
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total, dtype=np.int64)


BLOCK_CHARS = 8_000_000
"""Texts are tokenized in blocks of at most about this many characters: memory stays bounded at any corpus size."""
PARALLEL_CHARS = 4_000_000
"""From this many characters on, the blocks are tokenized in parallel, one process per core (at most 4)."""


def _tokenize_block(texts: list[str], chinese: tuple[str, ...] = ()) -> tuple:
    """Spans, exact form codes, sentences and paragraphs of some texts (one block of :func:`_build`)."""
    spans, words, n_tok, sentences, paragraphs = [], [], [], [], []
    for text in texts:
        span, lowered = _split(text, chinese)
        spans.append(span)
        words += lowered
        n_tok.append(len(lowered))
        paragraph = paragraph_spans(text)
        paragraphs.append(paragraph)
        sentences.append(_sentences(text, paragraph))
    codes, forms = pd.factorize(np.array(words, dtype=object))
    spans = [span.astype(np.int32) for span in spans]  # half the size to send back from a worker
    return spans, n_tok, codes.astype(np.int32), np.asarray(forms, dtype=object), sentences, paragraphs


def _blocks(texts: list[str], size: int) -> list[list[str]]:
    """Consecutive runs of texts of about ``size`` characters (a longer text is a block alone)."""
    blocks, filled = [[]], 0
    for text in texts:
        if blocks[-1] and filled + len(text) > size:
            blocks.append([])
            filled = 0
        blocks[-1].append(text)
        filled += len(text)
    return blocks


def _tokenize_all(texts: list[str], *, progress: bool | None, chinese: tuple[str, ...] = ()) -> list[tuple]:
    """:func:`_tokenize_block` over blocks of the texts, in order; in worker processes when they are large."""
    from ..progress import progress_bar

    total = sum(map(len, texts))
    workers = min(os.cpu_count() or 1, 4) if total >= PARALLEL_CHARS else 1
    blocks = _blocks(texts, min(BLOCK_CHARS, -(-total // workers)))  # as many blocks as workers, at least
    work = partial(_tokenize_block, chinese=chinese)
    if workers > 1 and len(blocks) > 1:
        import concurrent.futures
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        try:
            with concurrent.futures.ProcessPoolExecutor(min(workers, len(blocks)),
                                                        mp_context=multiprocessing.get_context(method)) as pool:
                return list(progress_bar(pool.map(work, blocks), desc="tokenizing", unit="block",
                                         total=len(blocks), enable=progress))
        except (OSError, concurrent.futures.process.BrokenProcessPool):
            pass  # no processes here (a sandbox, a memory limit): the same work in this process
    return [work(block) for block in progress_bar(blocks, desc="tokenizing", unit="block", enable=progress)]


def _chinese_words(docs: pd.DataFrame) -> list[str] | None:
    """The lexicon words kept whole (:func:`lexicon_words`) if a text has Chinese characters, else None."""
    if not any(_HAN.search(str(t)) is not None for t in docs["text"]):
        return None
    return list(lexicon_words(docs.attrs.get("corpus_dir")))


def _settings(fold: bool, chinese: list[str] | None) -> dict:
    return {"fold_spelling": fold, "tokenizer_version": TOKENIZER_VERSION, "chinese_words": chinese}


def _build(docs: pd.DataFrame, *, fold: bool, progress: bool | None, chinese: list[str] | None = None) -> Tokens:
    texts = [str(t) for t in docs["text"]]
    if any(len(t) >= 2 ** 31 for t in texts):
        raise ValueError("a text is longer than 2**31 characters; split it into several documents.")
    spans, n_tok, sentences, paragraphs, codes, forms = [], [], [], [], [], []
    for block_spans, block_n, block_codes, block_forms, block_sentences, block_paragraphs in \
            _tokenize_all(texts, progress=progress, chinese=tuple(chinese or ())):
        spans += block_spans
        n_tok += block_n
        sentences += block_sentences
        paragraphs += block_paragraphs
        codes.append(block_codes.astype(np.int64) + sum(len(f) for f in forms))
        forms.append(block_forms)
    # exact ids: each block's distinct lower-cased forms made types, then all types factorized together, sorted
    types = [form.translate(_TYPE_CHARS) for block in forms for form in block]
    if fold:
        table = _spelling_table(str(config.SPELLING_FILE))
        types = [fold_spelling(t, table) for t in types]
    type_of_form, vocab = pd.factorize(np.array(types, dtype=object), sort=True)
    ids = type_of_form[np.concatenate(codes)] if codes else np.zeros(0, dtype=np.int64)
    n_tok = np.array(n_tok, dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(n_tok)]).astype(np.int64)
    n_sent = np.array([len(s) for s in sentences], dtype=np.int64)
    n_para = np.array([len(p) for p in paragraphs], dtype=np.int64)
    sent_spans = np.concatenate(sentences) if sentences else np.zeros((0, 2), dtype=np.int64)
    para_spans = np.concatenate(paragraphs) if paragraphs else np.zeros((0, 2), dtype=np.int64)
    token_spans_all = np.concatenate(spans) if spans else np.zeros((0, 2), dtype=np.int64)
    sentence_doc = np.repeat(np.arange(len(texts), dtype=np.int32), n_sent)
    paragraph_doc = np.repeat(np.arange(len(texts), dtype=np.int32), n_para)
    # every token lies in one sentence, every sentence in one paragraph: the last one starting at or before it
    doc_of_token = np.repeat(np.arange(len(texts), dtype=np.int64), n_tok)
    scale = np.int64(1 << 32)
    sent_key = sentence_doc.astype(np.int64) * scale + sent_spans[:, 0]
    sentence = np.searchsorted(sent_key, doc_of_token * scale + token_spans_all[:, 0], side="right") - 1
    para_key = paragraph_doc.astype(np.int64) * scale + para_spans[:, 0]
    sentence_paragraph = np.searchsorted(para_key, sent_key, side="right") - 1
    return Tokens(
        doc_ids=docs["doc_id"].astype(str).to_numpy(dtype=str),
        bounds=bounds,
        vocab=np.asarray(vocab, dtype=object),
        ids=ids.astype(np.int32),
        start=token_spans_all[:, 0].astype(np.int32), end=token_spans_all[:, 1].astype(np.int32),
        sentence=sentence.astype(np.int32),
        sentence_spans=sent_spans, sentence_doc=sentence_doc,
        sentence_paragraph=sentence_paragraph.astype(np.int32),
        paragraph_spans=para_spans, paragraph_doc=paragraph_doc,
        settings=_settings(fold, chinese),
    )


# --- the cache ------------------------------------------------------------------------------

def cache_key(docs: pd.DataFrame, *, fold_spelling: bool = False, chinese: list[str] | None = None) -> str:
    """Key of a token store: the documents' ids and cleaned texts, the tokenizer and its settings.

    ``chinese``: the Chinese words kept whole (when a text has Chinese characters).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["One text."]})
    >>> len(cache_key(docs)), cache_key(docs) == cache_key(docs.assign(text=["Another text."]))
    (32, False)
    """
    digest = hashlib.blake2b(digest_size=16)
    spelling = hashlib.sha256(config.SPELLING_FILE.read_bytes()).hexdigest() if fold_spelling else ""
    digest.update(json.dumps({"tokenizer": TOKENIZER_VERSION, "pattern": TOKEN_PATTERN.pattern,
                              "abbreviations": sorted(ABBREVIATIONS),
                              "number_abbreviations": sorted(NUMBER_ABBREVIATIONS), "fold": fold_spelling,
                              "spelling": spelling, "chinese": chinese}, sort_keys=True).encode())
    for doc_id, text in zip(docs["doc_id"], docs["text"]):
        text = str(text)
        digest.update(f"{doc_id}\0{len(text)}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _cache_dir(docs: pd.DataFrame) -> Path | None:
    env = os.environ.get("RHETORIC_CACHE_DIR")
    if env:
        return Path(env)
    corpus_dir = docs.attrs.get("corpus_dir")
    return Path(corpus_dir) / config.CACHE_SUBDIR if corpus_dir else None


def _read_cache(path: Path, docs: pd.DataFrame, fold: bool, chinese: list[str] | None = None) -> Tokens | None:
    """The store saved at ``path``, or None if it cannot be read or does not fit ``docs`` (then it is rebuilt)."""
    try:
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:  # closed even if np.load fails
            arrays = {name: data[name] for name in _ARRAYS if name != "vocab"}
            joined = str(data["vocab"])
            arrays["vocab"] = np.array(joined.split("\n") if joined else [], dtype=object)
            settings = json.loads(str(data["settings"]))
    except Exception:  # a truncated, corrupted (the zip CRC) or foreign file: the cache is only a cache
        return None
    if settings != _settings(fold, chinese) \
            or arrays["doc_ids"].tolist() != docs["doc_id"].astype(str).tolist() or not _consistent(arrays):
        return None
    return Tokens(**arrays, settings=settings)


def _consistent(a: dict) -> bool:
    """Whether arrays read from a cache file have the shapes, types and ranges of a token store."""
    n_docs, n_tokens = len(a["doc_ids"]), len(a["ids"])
    n_sent, n_para = len(a["sentence_doc"]), len(a["paragraph_doc"])
    integer = all(a[name].dtype.kind == "i" for name in _ARRAYS if name not in ("doc_ids", "vocab"))
    if not (integer and a["bounds"].shape == (n_docs + 1,)
            and all(a[name].shape == (n_tokens,) for name in ("start", "end", "sentence"))
            and a["sentence_spans"].shape == (n_sent, 2) and a["sentence_paragraph"].shape == (n_sent,)
            and a["paragraph_spans"].shape == (n_para, 2)):
        return False

    def within(x, high):
        return x.size == 0 or (x.min() >= 0 and x.max() < high)

    return bool(a["bounds"][0] == 0 and a["bounds"][-1] == n_tokens and (np.diff(a["bounds"]) >= 0).all()
                and within(a["ids"], len(a["vocab"])) and within(a["sentence"], n_sent)
                and within(a["sentence_doc"], n_docs) and within(a["sentence_paragraph"], n_para)
                and within(a["paragraph_doc"], n_docs))


def _write_cache(tokens: Tokens, folder: Path, key: str) -> None:
    """Save the store as ``folder/<key>.npz``: written to a temporary file beside it, then renamed into place."""
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", suffix=".npz", delete=False) as handle:
            temporary = Path(handle.name)
            arrays = {name: getattr(tokens, name) for name in _ARRAYS if name != "vocab"}
            np.savez(handle, **arrays, vocab=np.array("\n".join(tokens.vocab.tolist())),
                     settings=np.array(json.dumps(tokens.settings)))
        os.replace(temporary, folder / f"{key}.npz")
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        warnings.warn(f"token cache not written to {folder} ({exc}); continuing without it.", stacklevel=3)


def tokenize(docs: pd.DataFrame, *, fold_spelling: bool = False, lemmas: bool = False, cache: bool = True,
             progress: bool | None = None) -> Tokens:
    """Tokenize every document of a documents table, from the cache when it is current.

    Parameters
    ----------
    docs : DataFrame
        From :func:`rhetoric.corpus.load_corpus` (needs ``doc_id`` and ``text``).
    fold_spelling : bool, default False
        Fold British spellings to American ones (``neighbourly`` -> ``neighborly``).
    lemmas : bool, default False
        Every type replaced by its lemma (:func:`rhetoric.corpus.lemmas.lemmatize`:
        ``visited``, ``visits`` -> ``visit``); patterns then find lemmas too.
    cache : bool, default True
        Read and write ``<corpus>/interim/token-cache/<key>.npz`` (or
        ``$RHETORIC_CACHE_DIR``). A cache file that cannot be read is rebuilt;
        one that cannot be written is skipped with a warning.
    progress : bool, optional
        Show a progress bar (default: only in a terminal).

    Returns
    -------
    Tokens
        ``settings["chinese_words"]``: the lexicon words kept whole in Chinese
        text (:func:`lexicon_words` of the corpus folder), or None when no text
        has Chinese characters; patterns are cut with the same words.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> tokens = tokenize(load_corpus())
    >>> tokens.vocab[tokens.ids[:4]].tolist()
    ['president', 'xi', 'jinping', "'s"]
    """
    chinese = _chinese_words(docs)
    folder = _cache_dir(docs) if cache else None
    key = cache_key(docs, fold_spelling=fold_spelling, chinese=chinese) if folder is not None else ""
    if folder is not None and (folder / f"{key}.npz").is_file():
        found = _read_cache(folder / f"{key}.npz", docs, fold_spelling, chinese)
        if found is not None:
            return _lemmatized(found, lemmas)
    tokens = _build(docs, fold=fold_spelling, progress=progress, chinese=chinese)
    if folder is not None:
        _write_cache(tokens, folder, key)  # the cache keeps word forms; the lemma view costs one lookup a type
    return _lemmatized(tokens, lemmas)


def _lemmatized(tokens: Tokens, lemmas: bool) -> Tokens:
    if not lemmas:
        return tokens
    from .lemmas import lemmatize

    return lemmatize(tokens)


# --- views ---------------------------------------------------------------------------------

def raw_spans(docs: pd.DataFrame, doc_ids, start, end) -> tuple[np.ndarray, np.ndarray]:
    """Offsets in the raw files of cleaned-text spans ``[start, end)`` of the documents ``doc_ids``.

    Uses each document's ``offsets`` (:class:`~rhetoric.corpus.cleaning.OffsetMap`);
    without that column the offsets are returned unchanged.

    Examples
    --------
    >>> from rhetoric.corpus.cleaning import clean_text, load_rules
    >>> cleaned = clean_text("A\\r\\nwin\\u2013win deal", load_rules())
    >>> docs = pd.DataFrame({"doc_id": ["d"], "text": [cleaned.text], "offsets": [cleaned.offsets]})
    >>> cleaned.text, [a.tolist() for a in raw_spans(docs, ["d"], [2], [9])]
    ('A\\nwin-win deal', [[3], [10]])
    """
    doc_ids = np.asarray(doc_ids, dtype=object)
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    raw_start, raw_end = start.copy(), end.copy()
    if "offsets" not in docs.columns or not len(doc_ids):
        return raw_start, raw_end
    maps = dict(zip(docs["doc_id"], docs["offsets"]))
    for doc_id in pd.unique(doc_ids):
        offsets = maps.get(doc_id)
        if offsets is None or not getattr(offsets, "steps", ()):
            continue
        rows = np.flatnonzero(doc_ids == doc_id)
        raw_start[rows], raw_end[rows] = offsets.to_raw(start[rows], end[rows])
    return raw_start, raw_end


def tokens_frame(tokens: Tokens, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per token.

    Returns
    -------
    DataFrame
        ``doc_id, position`` (0-based in the document), ``type``, ``start, end``
        (cleaned text), ``sentence, paragraph`` (corpus-wide numbers); with
        ``docs``, also ``token`` (the text as written) and ``raw_start, raw_end``
        (offsets in the raw file).

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> tokens_frame(tokenize(docs), docs).loc[0, ["doc_id", "token", "type"]].tolist()
    ['zhang2022_visit', 'President', 'president']
    """
    doc_index = tokens.doc_index
    frame = pd.DataFrame({
        "doc_id": pd.Series(tokens.doc_ids[doc_index], dtype=object),
        "position": np.arange(tokens.n_tokens, dtype=np.int64) - tokens.bounds[doc_index],
        "type": pd.Series(tokens.vocab[tokens.ids] if tokens.n_tokens else [], dtype=object),
        "start": tokens.start.astype(np.int64), "end": tokens.end.astype(np.int64),
        "sentence": tokens.sentence.astype(np.int64), "paragraph": tokens.paragraph.astype(np.int64),
    })
    if docs is not None:
        texts = dict(zip(docs["doc_id"], docs["text"]))
        frame.insert(2, "token", [texts[d][s:e] for d, s, e in zip(frame["doc_id"], frame["start"], frame["end"])])
        frame["raw_start"], frame["raw_end"] = raw_spans(docs, frame["doc_id"], frame["start"], frame["end"])
    return frame


def doc_token_lists(tokens: Tokens) -> list[list[str]]:
    """Each document's token types as a list of strings (for libraries that want them).

    Examples
    --------
    >>> doc_token_lists(tokenize(pd.DataFrame({"doc_id": ["a", "b"], "text": ["China's way.", "Win-win!"]}),
    ...                          cache=False))
    [['china', "'s", 'way'], ['win-win']]
    """
    types = tokens.vocab[tokens.ids] if tokens.n_tokens else np.array([], dtype=str)
    return [types[a:b].tolist() for a, b in zip(tokens.bounds[:-1], tokens.bounds[1:])]
