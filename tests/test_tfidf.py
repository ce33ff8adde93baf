"""TF-IDF keywords against scikit-learn's TfidfVectorizer called directly on the same token lists."""

from __future__ import annotations

import math

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rhetoric.corpus.tokens import tokens_frame
from rhetoric.counts import select_documents, stop_word_list
from rhetoric.errors import ParameterError
from rhetoric.stats.tfidf import KEYWORD_COLUMNS, TFIDF_FORMULA, tfidf_keywords


def ngram_lists(tokens, ngram_range, stop):
    """Per document, its n-grams built in plain Python, sentence by sentence; n-grams starting or
    ending with a stop word left out (the rule of rhetoric.counts)."""
    frame = tokens_frame(tokens)
    out = {d: [] for d in tokens.doc_ids}
    for (doc_id, _), sentence in frame.groupby(["doc_id", "sentence"], sort=False):
        words = sentence["type"].tolist()
        for n in range(ngram_range[0], ngram_range[1] + 1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] not in stop and gram[-1] not in stop:
                    out[doc_id].append(" ".join(gram))
    return out


def sklearn_weights(units: dict[str, list[str]], min_df=1):
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, norm="l2", use_idf=True, smooth_idf=True,
                                 sublinear_tf=False, min_df=min_df)
    matrix = vectorizer.fit_transform(list(units.values())).toarray()
    terms = vectorizer.get_feature_names_out()
    return {(unit, terms[j]): matrix[i, j] for i, unit in enumerate(units) for j in range(len(terms))
            if matrix[i, j] > 0}


def test_per_document_matches_sklearn(project_tokens, project_docs):
    stop = stop_word_list(True)
    table = tfidf_keywords(project_tokens, project_docs, top_n=100_000)
    assert tuple(table.columns) == KEYWORD_COLUMNS
    # documents that count: all but the unofficial version of the Xi article
    lists = ngram_lists(project_tokens, (1, 3), stop)
    assert set(table["group"]) == set(lists) - {"xi2022_unofficial"}
    expected = sklearn_weights({d: terms for d, terms in lists.items() if d != "xi2022_unofficial"})
    got = {(g, t): w for g, t, w in zip(table["group"], table["term"], table["tfidf"])}
    assert got.keys() == expected.keys()
    for key, weight in expected.items():
        assert got[key] == pytest.approx(weight, rel=1e-12)


def test_per_group_matches_sklearn_with_translations_once(project_tokens, project_docs):
    lists = ngram_lists(project_tokens, (1, 2), frozenset())
    chosen = select_documents(project_docs)
    assert "xi2022_unofficial" not in set(chosen["doc_id"])
    units: dict = {}
    for doc_id, period in zip(chosen["doc_id"], chosen["period"]):
        units.setdefault(period, []).extend(lists[doc_id])
    units = dict(sorted(units.items()))
    table = tfidf_keywords(project_tokens, project_docs, by="period", ngram_range=(1, 2), stop_words=None,
                           top_n=100_000, min_range=2)
    expected = sklearn_weights(units, min_df=2)
    got = {(g, t): w for g, t, w in zip(table["group"], table["term"], table["tfidf"])}
    assert got.keys() == expected.keys()
    for key, weight in expected.items():
        assert got[key] == pytest.approx(weight, rel=1e-12)


def test_tiny_by_hand(tiny_tokens, tiny_docs):
    table = tfidf_keywords(tiny_tokens, tiny_docs, ngram_range=(1, 1), stop_words=None, top_n=2, all_versions=True)
    top = table[table["group"] == "c_2024"].set_index("term")
    # n = 3 documents. c_2024: security tf = 3, df = 1, idf = ln(4/2) + 1; trade tf = 2, df = 3, idf = ln(4/4) + 1
    assert top.index.tolist() == ["security", "trade"]
    assert top.loc["security", "count"] == 3 and top.loc["security", "rank"] == 1
    ratio = top.loc["security", "tfidf"] / top.loc["trade", "tfidf"]
    assert ratio == pytest.approx(3 * (math.log(4 / 2) + 1) / (2 * 1))
    # counted once (n = 2: a_official, c_2024): trade df = 2, idf = ln(3/3) + 1 = 1; security idf = ln(3/2) + 1
    once = tfidf_keywords(tiny_tokens, tiny_docs, ngram_range=(1, 1), stop_words=None, top_n=2)
    c = once[once["group"] == "c_2024"].set_index("term")
    assert c.loc["security", "tfidf"] / c.loc["trade", "tfidf"] == pytest.approx(3 * (math.log(3 / 2) + 1) / 2)
    # the L2 norm of c_2024's vector (all its 13 types): sqrt(sum of squares) = 1
    full = tfidf_keywords(tiny_tokens, tiny_docs, ngram_range=(1, 1), stop_words=None, top_n=100)
    assert (full[full["group"] == "c_2024"]["tfidf"] ** 2).sum() == pytest.approx(1.0)


def test_ranks_top_n_and_ties(tiny_tokens, tiny_docs):
    table = tfidf_keywords(tiny_tokens, tiny_docs, top_n=3, all_versions=True)
    assert table.groupby("group")["rank"].apply(list).to_dict() == {
        "a_official": [1, 2, 3], "b_unofficial": [1, 2, 3], "c_2024": [1, 2, 3]}
    for _, part in table.groupby("group"):
        weights = part["tfidf"].tolist()
        assert weights == sorted(weights, reverse=True)
        for (w1, t1), (w2, t2) in zip(zip(weights, part["term"]), zip(weights[1:], part["term"].iloc[1:])):
            if w1 == w2:
                assert t1 < t2


def test_formula_is_stated(tiny_tokens, tiny_docs):
    table = tfidf_keywords(tiny_tokens, tiny_docs)
    assert table.attrs["formula"] == TFIDF_FORMULA
    assert "ln((1 + n) / (1 + df(t))) + 1" in TFIDF_FORMULA and "L2" in TFIDF_FORMULA
    assert "idf(t) = ln((1 + n) / (1 + df(t))) + 1" in tfidf_keywords.__doc__


def test_errors(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="top_n=0"):
        tfidf_keywords(tiny_tokens, tiny_docs, top_n=0)
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'"):
        tfidf_keywords(tiny_tokens, tiny_docs, by="decade")
    with pytest.raises(ParameterError, match="by='corpus' makes a single unit"):
        tfidf_keywords(tiny_tokens, tiny_docs, by="corpus")
    with pytest.raises(ParameterError, match="min_range=0"):
        tfidf_keywords(tiny_tokens, tiny_docs, min_range=0)


def test_a_range_no_term_reaches_is_named(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match=r"no term is left to weigh: none occurs in 99 of the 2 units.*min_range"):
        tfidf_keywords(tiny_tokens, tiny_docs, min_range=99)
