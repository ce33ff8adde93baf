"""The lemma list (as in AntConc): each lemma with the word forms counted under it.

A lemma's count is the sum of its forms' counts, its range the documents
containing any of them; lemmas come from :func:`rhetoric.corpus.lemmas.lemmatize`
(lemminflect), forms and lemmas are counted by :func:`rhetoric.counts.count_terms`.

References
----------
Anthony, L. (2022). AntConc 4 (word list with lemma forms). Waseda University.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..checks import check_int
from ..corpus.lemmas import LEMMATIZER, POS_ORDER, lemma_of, lemmatize
from ..corpus.tokens import Tokens
from ..counts import count_terms, stop_word_list
from ..errors import ParameterError

LEMMA_FORM_COLUMNS = ["lemma", "form", "count", "lemma_count", "lemma_range", "n_forms"]


def lemma_forms(tokens: Tokens, docs: pd.DataFrame, *, stop_words=None, min_count: int = 1,
                all_versions: bool = False, prefer: str = "official") -> pd.DataFrame:
    """The lemma list (as in AntConc): each lemma with the word forms counted under it.

    Parameters
    ----------
    tokens, docs
        The token store (word forms, not lemmatized) and the documents table.
    stop_words : default None
        Lemmas left out (see :func:`rhetoric.counts.stop_word_list`); a form is
        left out when its lemma is a stop word.
    min_count : int, default 1
        Keep lemmas occurring at least this often.
    all_versions, prefer
        Which documents count (:func:`rhetoric.counts.select_documents`).

    Returns
    -------
    DataFrame
        One row per form: ``lemma, form, count`` (of the form), ``lemma_count``
        (all its forms), ``lemma_range`` (documents containing any form),
        ``n_forms``; sorted by lemma count (descending), lemma, form count
        (descending), form.

    Examples
    --------
    >>> from rhetoric import load_corpus, tokenize
    >>> docs = load_corpus()
    >>> table = lemma_forms(tokenize(docs), docs)
    >>> table[table["lemma"] == "visit"][["form", "count", "lemma_count", "lemma_range"]].to_dict("records")
    [{'form': 'visit', 'count': 11, 'lemma_count': 15, 'lemma_range': 4}, {'form': 'visited', 'count': 2, 'lemma_count': 15, 'lemma_range': 4}, {'form': 'visits', 'count': 2, 'lemma_count': 15, 'lemma_range': 4}]
    """
    if tokens.settings.get("lemmas"):
        raise ParameterError("lemma_forms needs the token store of word forms (tokenize(docs)), not a lemmatized "
                             "one: it counts each form under its lemma.")
    min_count = check_int("min_count", min_count, minimum=1)
    stop = stop_word_list(stop_words)
    options = dict(all_versions=all_versions, prefer=prefer)
    forms = count_terms(tokens, docs, **options)
    lemmas = count_terms(lemmatize(tokens), docs, **options)
    form_count = np.asarray(forms.matrix.sum(axis=0)).ravel().astype(np.int64)
    lemma_count = np.asarray(lemmas.matrix.sum(axis=0)).ravel().astype(np.int64)
    lemma_range = np.asarray(lemmas.range_matrix.sum(axis=0)).ravel().astype(np.int64)
    table = pd.DataFrame({"lemma": pd.Series([lemma_of(f) for f in forms.terms.tolist()], dtype=object),
                          "form": pd.Series(forms.terms, dtype=object), "count": form_count})
    table = table[table["count"] > 0]
    column = {t: j for j, t in enumerate(lemmas.terms.tolist())}
    where = table["lemma"].map(column).to_numpy(dtype=np.int64)
    table = table.assign(lemma_count=lemma_count[where], lemma_range=lemma_range[where])
    table["n_forms"] = table.groupby("lemma")["form"].transform("size").astype(np.int64)
    keep = table["lemma_count"] >= min_count
    if stop:
        keep &= ~table["lemma"].isin(stop)
    table = table[keep].sort_values(["form"], kind="stable")
    table = table.sort_values(["lemma_count", "lemma", "count"], ascending=[False, True, False], kind="stable")
    table = table[LEMMA_FORM_COLUMNS].reset_index(drop=True)
    table.attrs.update(lemmatizer=LEMMATIZER, pos_order=list(POS_ORDER), stop_words=len(stop), min_count=min_count,
                       all_versions=all_versions, prefer=prefer)
    return table
