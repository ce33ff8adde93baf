"""Readability per document: Flesch reading ease, Flesch-Kincaid grade, Gunning fog, SMOG and Coleman-Liau.

With ``W`` words, ``S`` sentences, ``Y`` syllables, ``C`` words of three or
more syllables and ``L`` letters of a document::

    flesch_reading_ease  = 206.835 - 1.015 * W / S - 84.6 * Y / W        (Flesch 1948; higher = easier)
    flesch_kincaid_grade = 0.39 * W / S + 11.8 * Y / W - 15.59           (Kincaid et al. 1975; US school grade)
    gunning_fog          = 0.4 * (W / S + 100 * C / W)                   (Gunning 1952)
    smog                 = 1.0430 * sqrt(30 * C / S) + 3.1291            (McLaughlin 1969)
    coleman_liau         = 0.0588 * (100 * L / W) - 0.296 * (100 * S / W) - 15.8   (Coleman & Liau 1975)

The counts are the project's own, so they agree with every other table:
words are the tokens whose type holds a letter (not the clitic ``'s``, not
numbers or signs; :func:`rhetoric.stats.diversity.word_types`), sentences are
those of :mod:`rhetoric.corpus.tokens` that hold a word (a headline or a
dateline is a sentence of its own). Syllables are estimated as textstat does
for words outside its pronouncing dictionary: the hyphenation points that
**pyphen**'s bundled ``en_US`` dictionary finds, plus one, for each run of
letters of a word (``cooperation`` 5, ``the`` 1; it undercounts some short
words, ``area`` 1). The pronouncing dictionary textstat 0.7 prefers
(CMUdict through NLTK) is downloaded on first use, which this project does not
allow, so textstat is the test's reference, not the engine.

These formulas were fitted to American school texts; on diplomatic prose read
them as relative (long sentences, long words), not as grade levels. A
translated text measures its translator: sentence length and word choice are
the translation's, not the original's.

References
----------
Flesch, R. (1948). A new readability yardstick. *Journal of Applied Psychology* 32(3), 221-233.
Kincaid, J. P., Fishburne, R. P., Rogers, R. L. & Chissom, B. S. (1975). *Derivation of new
readability formulas for Navy enlisted personnel*. Research Branch Report 8-75.
Gunning, R. (1952). *The Technique of Clear Writing*. McGraw-Hill.
McLaughlin, G. H. (1969). SMOG grading: a new readability formula. *Journal of Reading* 12(8), 639-646.
Coleman, M. & Liau, T. L. (1975). A computer readability formula designed for machine scoring.
*Journal of Applied Psychology* 60(2), 283-284.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..corpus.tokens import Tokens
from ..counts import select_documents, select_tokens
from ..errors import ParameterError
from .diversity import word_types

READABILITY_COLUMNS = ["doc_id", "n_sentences", "n_words", "n_syllables", "n_complex", "words_per_sentence",
                       "syllables_per_word", "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog",
                       "coleman_liau"]
MEASURES = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau")
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=None)
def syllables(word: str) -> int:
    """Estimated syllables of a word: for each run of letters, its pyphen hyphenation points plus one.

    Examples
    --------
    >>> [syllables(w) for w in ["the", "cooperation", "community", "win-win", "21.2"]]
    [1, 5, 4, 2, 0]
    """
    hyphenator = _hyphenator()
    return sum(len(hyphenator.positions(run)) + 1 for run in _LETTERS.findall(word.lower()))


def scores(n_words, n_sentences, n_syllables, n_complex, n_letters) -> dict[str, np.ndarray]:
    """The five formulas (module docstring) from counts; NaN where a document has no word.

    Examples
    --------
    >>> {k: round(float(v), 3) for k, v in scores(100, 5, 150, 10, 450).items()}
    {'flesch_reading_ease': 59.635, 'flesch_kincaid_grade': 9.91, 'gunning_fog': 12.0, 'smog': 11.208, 'coleman_liau': 9.18}
    """
    w, s, y, c, letters = (np.asarray(x, dtype=np.float64) for x in (n_words, n_sentences, n_syllables, n_complex,
                                                                     n_letters))
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (w > 0) & (s > 0)
        per_sentence, per_word = np.where(ok, w / s, np.nan), np.where(ok, y / w, np.nan)
        return {
            "flesch_reading_ease": 206.835 - 1.015 * per_sentence - 84.6 * per_word,
            "flesch_kincaid_grade": 0.39 * per_sentence + 11.8 * per_word - 15.59,
            "gunning_fog": 0.4 * (per_sentence + 100 * np.where(ok, c / w, np.nan)),
            "smog": 1.0430 * np.sqrt(30 * np.where(ok, c / s, np.nan)) + 3.1291,
            "coleman_liau": 0.0588 * np.where(ok, 100 * letters / w, np.nan)
                            - 0.296 * np.where(ok, 100 * s / w, np.nan) - 15.8,
        }


def readability(tokens: Tokens, docs: pd.DataFrame, *, all_versions: bool = False,
                prefer: str = "official") -> pd.DataFrame:
    """Readability formulas of each document, from the project's words and sentences.

    Parameters
    ----------
    tokens, docs
        The token store of word forms (not lemmas: syllables are counted on the
        words as written) and the documents table.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`); with
        ``all_versions=True`` both translations of a text are measured.

    Returns
    -------
    DataFrame
        ``doc_id, n_sentences, n_words, n_syllables, n_complex`` (words of 3+
        syllables), ``words_per_sentence, syllables_per_word``, then
        ``flesch_reading_ease, flesch_kincaid_grade, gunning_fog, smog,
        coleman_liau``; one row per document in corpus order.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = readability(tokenize(docs), docs)
    >>> table.set_index("doc_id").loc["cgtn2024_visit", ["n_sentences", "n_words"]].tolist()
    [24, 662]
    """
    if tokens.settings.get("lemmas"):
        raise ParameterError("readability counts syllables of the words as written; pass the token store of word "
                             "forms (tokenize(docs)), not a lemmatized one.")
    sub = select_tokens(tokens, select_documents(docs, all_versions=all_versions, prefer=prefer))
    vocab = sub.vocab.tolist()
    is_word = word_types(sub.vocab)
    type_syllables = np.array([syllables(v) if ok else 0 for v, ok in zip(vocab, is_word.tolist())], dtype=np.int64)
    type_letters = np.array([sum(map(len, _LETTERS.findall(v))) if ok else 0
                             for v, ok in zip(vocab, is_word.tolist())], dtype=np.int64)
    words = is_word[sub.ids]
    doc = sub.doc_index[words]
    n_docs = len(sub.doc_ids)
    ids = sub.ids[words]

    def per_doc(values) -> np.ndarray:
        return np.bincount(doc, weights=values, minlength=n_docs).round().astype(np.int64)

    n_words = np.bincount(doc, minlength=n_docs).astype(np.int64)
    n_syllables = per_doc(type_syllables[ids])
    n_complex = per_doc((type_syllables[ids] >= 3).astype(np.int64))
    n_letters = per_doc(type_letters[ids])
    sentence_of_word = sub.sentence[words]
    first = np.ones(len(sentence_of_word), dtype=bool)
    first[1:] = sentence_of_word[1:] != sentence_of_word[:-1]  # tokens are in order: one run per sentence
    n_sentences = np.bincount(doc[first], minlength=n_docs).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame({
            "doc_id": pd.Series(sub.doc_ids, dtype=object), "n_sentences": n_sentences, "n_words": n_words,
            "n_syllables": n_syllables, "n_complex": n_complex,
            "words_per_sentence": np.where(n_sentences > 0, n_words / np.maximum(n_sentences, 1), np.nan),
            "syllables_per_word": np.where(n_words > 0, n_syllables / np.maximum(n_words, 1), np.nan),
            **scores(n_words, n_sentences, n_syllables, n_complex, n_letters)})
    table.attrs.update(all_versions=all_versions, prefer=prefer, syllables="pyphen en_US hyphenation points + 1",
                       caveat="a translated text measures its translator: sentence length and word choice are "
                              "the translation's")
    return table[READABILITY_COLUMNS]
