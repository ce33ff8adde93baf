"""Tokenizer, sentences and paragraphs; token ids with offsets; the cached token store.

Tokens are words (hyphenated compounds kept whole: ``win-win``,
``people-to-people``), numbers (``30th``, ``2,552``, ``12.5%``) and money
(``$21.2 billion``). Each token has a type id (lower-cased, optionally with
British spellings folded to American ones), its span in the cleaned text and in
the raw file, and the ids of its sentence and paragraph. A corpus is tokenized
once; the result is cached under ``<corpus>/interim/token-cache/`` keyed by the
texts' hashes, the cleaning rules and the tokenizer settings.
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
from .cleaning import load_rules, rules_fingerprint

TOKENIZER_VERSION = "1"

_SCALE = r"(?:trillion|billion|million|thousand|bn|mn)\b"
TOKEN_PATTERN = re.compile(
    r"(?:US|RMB|CN)?[$€£¥]\s?\d+(?:[.,]\d+)*(?:\s" + _SCALE + r")?"  # money: $21.2 billion
    r"|\d+(?:[.,]\d+)*\s" + _SCALE +                                 # 21.2 billion
    r"|\d+(?:[.,]\d+)+%?|\d+%"                                         # 2,552  12.5%  30%
    r"|(?<!\w')[^\W_]+(?:-[^\W_]+)*"                                   # words, 30th, win-win
)
"""One token. A possessive or clitic after an apostrophe ("China's" -> "China") is not a token."""

_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr gen col lt gov sen rep vs etc approx no nos vol fig
jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.n u.k a.m p.m
""".split())
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def sentence_spans(text: str) -> np.ndarray:
    """Sentence ``[start, end)`` offsets in ``text``; paragraph breaks always end a sentence.

    A full stop ends a sentence when followed by white space and a capital,
    digit or opening quote, unless it closes a known abbreviation ("Sept.",
    "Mr.", "U.S.") or a single initial ("M.").
    """
    spans = []
    for para_start, para_end in paragraph_spans(text):
        start = para_start
        for match in _SENTENCE_END.finditer(text, para_start, para_end):
            word = re.search(r"([\w.]+)\.$", text[max(start, match.start() - 12):match.start() + 1])
            if match.group(0).startswith(".") and word:
                w = word.group(1).lower()
                if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                    continue
            spans.append((start, match.end()))
            start = match.end()
            while start < para_end and text[start].isspace():
                start += 1
        if start < para_end:
            spans.append((start, para_end))
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


def paragraph_spans(text: str) -> np.ndarray:
    """Paragraph ``[start, end)`` offsets: text between blank lines, trimmed of white space."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


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
        hits = np.flatnonzero(self.vocab == term)
        return int(hits[0]) if hits.size else None

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
    spans, forms = [], []
    for match in TOKEN_PATTERN.finditer(text):
        forms.append(match.group(0))
        spans.append(match.span())
    return forms, np.array(spans, dtype=np.int64).reshape(-1, 2)


def _build(docs: pd.DataFrame, *, fold: bool, progress: bool) -> Tokens:
    from .progress import progress_bar

    all_forms: list[str] = []
    starts, ends, raw_starts, raw_ends, sents, paras = [], [], [], [], [], []
    sentence_spans_all, sentence_doc, paragraph_spans_all, paragraph_doc = [], [], [], []
    bounds = [0]
    n_sent = n_para = 0
    for i, (text, offsets) in enumerate(progress_bar(list(zip(docs["text"], docs["offsets"])),
                                                       desc="tokenizing", unit="doc", enable=progress)):
        forms, spans = _tokenize_one(text)
        all_forms.extend(forms)
        raw_s, raw_e = offsets.to_raw(spans[:, 0], spans[:, 1])
        s_spans = sentence_spans(text)
        p_spans = paragraph_spans(text)
        # token -> sentence/paragraph: the last one starting at or before the token
        sents.append(n_sent + np.maximum(np.searchsorted(s_spans[:, 0], spans[:, 0], side="right") - 1, 0))
        paras.append(n_para + np.maximum(np.searchsorted(p_spans[:, 0], spans[:, 0], side="right") - 1, 0))
        starts.append(spans[:, 0]); ends.append(spans[:, 1])
        raw_starts.append(raw_s); raw_ends.append(raw_e)
        sentence_spans_all.append(s_spans); sentence_doc.append(np.full(len(s_spans), i, dtype=np.int32))
        paragraph_spans_all.append(p_spans); paragraph_doc.append(np.full(len(p_spans), i, dtype=np.int32))
        n_sent += len(s_spans); n_para += len(p_spans)
        bounds.append(bounds[-1] + len(forms))
    lowered = pd.Series(all_forms, dtype=object).str.lower()
    codes, uniques = pd.factorize(lowered, sort=True)
    vocab = np.asarray(uniques, dtype=str)
    if fold:
        folded = np.array([fold_spelling(v) for v in vocab], dtype=str)
        remap, vocab = pd.factorize(pd.Series(folded), sort=True)
        codes = remap[codes]
        vocab = np.asarray(vocab, dtype=str)

    def cat(parts, dtype, shape=(0,)):
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(shape, dtype=dtype)

    return Tokens(
        doc_ids=docs["doc_id"].to_numpy(dtype=str),
        bounds=np.array(bounds, dtype=np.int64),
        vocab=vocab if len(vocab) else np.array([], dtype=str),
        ids=np.asarray(codes, dtype=np.int32),
        start=cat(starts, np.int64), end=cat(ends, np.int64),
        raw_start=cat(raw_starts, np.int64), raw_end=cat(raw_ends, np.int64),
        sentence=cat(sents, np.int32), paragraph=cat(paras, np.int32),
        sentence_spans=cat(sentence_spans_all, np.int64, (0, 2)), sentence_doc=cat(sentence_doc, np.int32),
        paragraph_spans=cat(paragraph_spans_all, np.int64, (0, 2)), paragraph_doc=cat(paragraph_doc, np.int32),
        settings={"fold_spelling": fold, "tokenizer_version": TOKENIZER_VERSION},
    )


def cache_key(docs: pd.DataFrame, *, fold_spelling: bool = False, rules_path=None) -> str:
    """Key of a token store: hashes of the texts, ids, cleaning rules and tokenizer settings."""
    digest = hashlib.sha256()
    spelling = hashlib.sha256(config.SPELLING_FILE.read_bytes()).hexdigest() if fold_spelling else ""
    digest.update(json.dumps({
        "tokenizer": TOKENIZER_VERSION, "pattern": TOKEN_PATTERN.pattern, "fold": fold_spelling,
        "spelling": spelling, "rules": rules_fingerprint(load_rules(rules_path)),
    }, sort_keys=True).encode())
    for doc_id, sha in zip(docs["doc_id"], docs["sha256"]):
        digest.update(f"{doc_id}\0{sha}\n".encode())
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
        From :func:`rhetoric.corpus.load_corpus` (needs ``doc_id, text, offsets, sha256``).
    fold_spelling : bool, default False
        Fold British spellings to American ones (``neighbourly`` -> ``neighborly``),
        from ``data/spelling.csv``.
    cache : bool, default True
        Read and write ``<corpus>/interim/token-cache/<key>.npz`` (or ``$RHETORIC_CACHE_DIR``).
        A cache that cannot be written is skipped with a warning.
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
                return Tokens(**arrays, settings=settings)
            except (OSError, ValueError, KeyError):
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
