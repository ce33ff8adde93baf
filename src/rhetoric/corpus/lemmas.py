"""Lemmas: a view of the token store in which every word form is replaced by its lemma.

:func:`lemmatize` keeps every token where it is (offsets, sentences,
paragraphs, documents) and only maps the vocabulary: ``cooperated``,
``cooperating`` and ``cooperates`` become one type ``cooperate``, so every
analysis (frequencies, keyness, collocations, bundles, diversity, ...) can run
on lemmas unchanged. A lemma groups the inflections of one word, not a word
family: ``cooperation`` stays its own lemma (use a glob such as ``cooperat*``
for the family).

The lemmatizer is **lemminflect** (Jascoll 2019): a dictionary of English word
forms with their lemmas per part of speech, shipped inside the package (nothing
is downloaded at run time). Without a part-of-speech tagger a form can have
several lemmas; the first is taken in the order :data:`POS_ORDER`:
``AUX`` (so ``does`` -> ``do``, ``being`` -> ``be``; a noun-first rule would
give ``does`` -> ``doe``), then ``NOUN`` (``meeting``, ``understanding`` stay
nouns), ``VERB``, ``ADJ``, ``ADV``. A form the dictionary does not know
(names, ``kazakhstan``) is kept as it is: the lemmatizer never invents a word.
Only types made of the letters a-z are looked up; hyphenated compounds
(``win-win``, ``state-owned``), numbers, initials (``k.k``), the clitic ``'s``
and the signs ``$ %`` are kept.

Why lemminflect and not simplemma (both ship their data): on this corpus's
1,370 alphabetic types the two differ on 65. simplemma invents non-words
(``developed`` -> ``develope``, ``playing`` -> ``playe``, ``thinking`` ->
``thinke``, ``singing`` -> ``singe``), capitalises proper nouns (``Kazakhstan``)
and turns American spellings British (``neighborly`` -> ``neighbourly``);
lemminflect never does, at the price of leaving forms that are also nouns in
their own right unchanged (``meeting``, ``taking``, ``known``).

Known limits of any lemmatizer without a tagger: ``shared`` (in "a shared
future") becomes ``share``, ``united`` ``unite`` ("united state" for "United
States"), ``most`` ``much``, ``could`` ``can``; read lemma counts with the
form table (:func:`rhetoric.stats.lemma_list.lemma_forms`) beside them.

References
----------
Jascoll, B. (2019). LemmInflect: a Python module for English lemmatization and
inflection. https://github.com/bjascob/LemmInflect
Anthony, L. (2022). AntConc 4 (lemma lists). Waseda University.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .tokens import Tokens

LEMMATIZER = "lemminflect"
"""The lemmatizer :func:`lemmatize` uses (recorded in ``Tokens.settings["lemmas"]``)."""
POS_ORDER = ("AUX", "NOUN", "VERB", "ADJ", "ADV")
"""Parts of speech tried in turn; the first that has a lemma for the form gives it."""
_LOOKED_UP = re.compile(r"[a-z]+")


@lru_cache(maxsize=None)
def lemma_of(word: str) -> str:
    """The lemma of one type (a lower-cased token), or the type itself.

    Parameters
    ----------
    word : str
        A type as the token store holds it (lower case).

    Returns
    -------
    str
        The first lemma lemminflect gives in the order :data:`POS_ORDER`; the
        word itself when it is not made of the letters a-z or the dictionary
        does not know it.

    Examples
    --------
    >>> [lemma_of(w) for w in ["cooperated", "countries", "does", "meeting", "kazakhstan", "win-win", "'s"]]
    ['cooperate', 'country', 'do', 'meeting', 'kazakhstan', 'win-win', "'s"]
    """
    if not _LOOKED_UP.fullmatch(word):
        return word
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    for pos in POS_ORDER:
        if found.get(pos):
            return found[pos][0]
    return word


def lemmatize(tokens: Tokens) -> Tokens:
    """The token store with every type replaced by its lemma (a view: same tokens, new vocabulary).

    Token positions, offsets, sentences, paragraphs and documents are those of
    ``tokens``; the vocabulary is the sorted set of lemmas and the type ids are
    remapped with :func:`pandas.factorize`, so two tokens share an id exactly
    when their lemmas are equal (and ids follow string order, as in
    :func:`rhetoric.corpus.tokens.tokenize`). Calling it on a store that is
    already lemmatized returns that store.

    Parameters
    ----------
    tokens : Tokens
        From :func:`rhetoric.corpus.tokens.tokenize`.

    Returns
    -------
    Tokens
        ``settings["lemmas"]`` is ``"lemminflect"``.

    Examples
    --------
    >>> from rhetoric.corpus import tokenize
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Countries cooperated; the country cooperates."]})
    >>> lemmas = lemmatize(tokenize(docs, cache=False))
    >>> lemmas.vocab[lemmas.ids].tolist()
    ['country', 'cooperate', 'the', 'country', 'cooperate']
    >>> lemmas.vocab.tolist()
    ['cooperate', 'country', 'the']
    """
    if tokens.settings.get("lemmas"):
        return tokens
    forms = tokens.vocab.tolist()
    lemma_id, vocab = pd.factorize(np.array([lemma_of(w) for w in forms], dtype=object), sort=True)
    ids = lemma_id[tokens.ids] if tokens.n_tokens else np.zeros(0, dtype=np.int64)
    return dataclasses.replace(tokens, vocab=np.asarray(vocab, dtype=object), ids=ids.astype(np.int32),
                               settings={**tokens.settings, "lemmas": LEMMATIZER})
