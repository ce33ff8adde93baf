"""Document-term matrix and term frequencies, checked by hand on the tiny corpus and against scikit-learn."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from conftest import write_corpus
from rhetoric.corpus import load_corpus, one_per_translation_group
from rhetoric.errors import ParameterError
from rhetoric.frequency import (FREQUENCY_COLUMNS, document_term_matrix, phrase_starts, stop_word_set,
                                term_frequencies)
from rhetoric.tokens import doc_token_lists, stopwords, tokenize, tokens_frame


def counts_of(dtm, term):
    j = dtm.term_index(term)
    assert j is not None, term
    return dtm.matrix[:, j].toarray().ravel().tolist()


def test_unigram_counts_by_hand(tiny_tokens):
    dtm = document_term_matrix(tiny_tokens)
    assert isinstance(dtm.matrix, sparse.csr_matrix)
    assert dtm.doc_ids.tolist() == ["a_official", "b_unofficial", "c_2024"]
    # a: the community with a shared future | win-win cooperation is key | trade is up
    # b: the community of common destiny | mutually beneficial cooperation is key | trade is up
    # c: trade grew to $21.2 billion | trade and security matter | security security | the community with a shared future
    assert counts_of(dtm, "trade") == [1, 1, 2]
    assert counts_of(dtm, "is") == [2, 2, 0]
    assert counts_of(dtm, "security") == [0, 0, 3]
    assert counts_of(dtm, "$21.2 billion") == [0, 0, 1]
    assert counts_of(dtm, "win-win") == [1, 0, 0]
    assert np.asarray(dtm.matrix.sum(axis=1)).ravel().tolist() == [13, 13, 16]
    assert dtm.doc_tokens.tolist() == [13, 13, 16]
    assert list(dtm.terms) == sorted(dtm.terms)
    assert len(dtm.terms) == 23  # 12 types in a, 5 more in b, 6 more in c


def test_bigrams_stay_inside_sentences(tiny_tokens):
    dtm = document_term_matrix(tiny_tokens, ngram_range=(2, 2))
    terms = set(dtm.terms)
    # pairs that only meet across a sentence (or paragraph) boundary
    for crossing in ("future win-win", "key trade", "$21.2 billion trade", "matter security", "security the"):
        assert crossing not in terms
    assert counts_of(dtm, "security security") == [0, 0, 1]
    assert counts_of(dtm, "the community") == [1, 1, 1]
    assert counts_of(dtm, "to $21.2 billion") == [0, 0, 1]
    # bigrams per document = sum over sentences of (length - 1): a 5+3+2, b 4+4+2, c 3+3+1+5
    assert np.asarray(dtm.matrix.sum(axis=1)).ravel().tolist() == [10, 10, 12]


def test_ngram_range_and_stop_words_follow_the_edge_rule(tiny_tokens):
    dtm = document_term_matrix(tiny_tokens, ngram_range=(1, 3), stop_words=["the", "is", "a", "with"])
    terms = set(dtm.terms)
    assert {"shared future", "cooperation is key", "community", "win-win cooperation"} <= terms
    # dropped: a stop word alone, or at the start or end of an n-gram
    assert not {"the", "a shared", "cooperation is", "is key", "community with", "with a shared"} & terms
    assert counts_of(dtm, "cooperation is key") == [1, 1, 0]


def test_stop_word_set_options():
    both = stopwords(english=True, project=True)
    assert stop_word_set(None) == frozenset() == stop_word_set(False)
    assert stop_word_set(True) == both == stop_word_set("both")
    assert "the" in stop_word_set("english") and "said" not in stop_word_set("english")
    assert "said" in stop_word_set("project") and "the" not in stop_word_set("project")
    assert stop_word_set(["The", "OF"]) == {"the", "of"}
    with pytest.raises(ParameterError, match="stop_words='german'"):
        stop_word_set("german")


def test_matches_count_vectorizer_on_the_project_corpus(project_tokens):
    lists = doc_token_lists(project_tokens)
    vectorizer = CountVectorizer(analyzer=lambda doc: doc)
    expected = vectorizer.fit_transform(lists)
    dtm = document_term_matrix(project_tokens)
    assert dtm.terms.tolist() == vectorizer.get_feature_names_out().tolist()
    assert (dtm.matrix != expected).nnz == 0


def test_ngrams_match_a_plain_python_count(project_tokens):
    frame = tokens_frame(project_tokens)
    expected: dict[tuple[str, str], int] = {}
    for (doc_id, _), sentence in frame.groupby(["doc_id", "sentence"], sort=False):
        words = sentence["type"].tolist()
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                key = (doc_id, " ".join(words[i:i + n]))
                expected[key] = expected.get(key, 0) + 1
    dtm = document_term_matrix(project_tokens, ngram_range=(2, 3))
    coo = dtm.matrix.tocoo()
    got = {(dtm.doc_ids[r], dtm.terms[c]): int(v) for r, c, v in zip(coo.row, coo.col, coo.data)}
    assert got == expected


def test_min_count_and_min_df_prune_columns(tiny_tokens):
    dtm = document_term_matrix(tiny_tokens, min_count=3)
    assert dtm.terms.tolist() == ["community", "is", "security", "the", "trade"]
    dtm = document_term_matrix(tiny_tokens, min_df=3)
    assert dtm.terms.tolist() == ["community", "the", "trade"]


def test_bad_ngram_range_is_a_parameter_error(tiny_tokens):
    with pytest.raises(ParameterError, match="ngram_range"):
        document_term_matrix(tiny_tokens, ngram_range=(3, 2))
    with pytest.raises(ParameterError, match="ngram_range"):
        document_term_matrix(tiny_tokens, ngram_range="12")


def test_phrase_starts_do_not_cross_sentences(tiny_tokens):
    # c_2024 starts at token 26: trade grew to $21.2-billion(29) trade and security matter security security
    # the(36) community with a shared(40) future
    assert phrase_starts(tiny_tokens, "shared future").tolist() == [4, 40]
    assert phrase_starts(tiny_tokens, "Future win-win").tolist() == []
    assert phrase_starts(tiny_tokens, "$21.2 billion").tolist() == [29]
    assert phrase_starts(tiny_tokens, "not in corpus").tolist() == []


def test_per_document_frequencies(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs)
    assert tuple(table.columns) == FREQUENCY_COLUMNS
    row = table[(table["group"] == "c_2024") & (table["term"] == "security")].iloc[0]
    assert (row["count"], row["range"]) == (3, 1)
    assert row["per_10k"] == pytest.approx(3 / 16 * 10_000)
    first = table[table["group"] == "a_official"].head(3)
    assert first["term"].tolist() == ["is", "a", "community"]  # count 2 first, then 1s alphabetically
    assert table.groupby("group")["count"].sum().to_dict() == {"a_official": 13, "b_unofficial": 13, "c_2024": 16}
    assert table["group"].tolist() == sorted(table["group"])


def test_grouped_frequencies_count_translations_once(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, by="period")
    early = table[table["group"] == "early"].set_index("term")
    # early = a_official only (b_unofficial is its other translation): 13 tokens
    assert early.loc["trade", "count"] == 1 and early.loc["trade", "range"] == 1
    assert early.loc["trade", "per_10k"] == pytest.approx(1 / 13 * 10_000)
    assert "destiny" not in early.index
    unofficial = term_frequencies(tiny_tokens, tiny_docs, by="period", prefer="unofficial")
    assert "destiny" in set(unofficial.loc[unofficial["group"] == "early", "term"])


def test_corpus_frequencies(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, by="corpus").set_index("term")
    assert set(table["group"]) == {"corpus"}
    # a_official + c_2024: trade 1 + 2, in 2 documents, of 13 + 16 tokens
    assert table.loc["trade", "count"] == 3 and table.loc["trade", "range"] == 2
    assert table.loc["trade", "per_10k"] == pytest.approx(3 / 29 * 10_000)
    assert table["count"].sum() == 29


def test_year_groups_are_integers_and_sorted(project_tokens, project_docs):
    table = term_frequencies(project_tokens, project_docs, by="year", top=2)
    assert table["group"].dtype == np.int64
    assert table["group"].tolist() == [2022, 2022, 2023, 2023, 2024, 2024]
    counts = table["count"].tolist()
    assert counts[0] >= counts[1] and counts[2] >= counts[3]


def test_min_count_top_and_selection(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, min_count=2)
    assert table[["group", "term", "count"]].values.tolist() == [
        ["a_official", "is", 2], ["b_unofficial", "is", 2], ["c_2024", "security", 3], ["c_2024", "trade", 2]]
    only_c = term_frequencies(tiny_tokens, tiny_docs[tiny_docs["doc_id"] == "c_2024"])
    assert set(only_c["group"]) == {"c_2024"}
    assert term_frequencies(tiny_tokens, tiny_docs, top=1)["term"].tolist() == ["is", "is", "security"]


def test_unknown_column_lists_the_columns(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'.*period"):
        term_frequencies(tiny_tokens, tiny_docs, by="decade")


def test_input_is_not_modified(tiny_tokens, tiny_docs):
    before = tiny_docs.copy()
    ids = tiny_tokens.ids.copy()
    term_frequencies(tiny_tokens, tiny_docs, by="period", ngram_range=(1, 2), stop_words=True)
    assert tiny_docs.drop(columns=["offsets"]).equals(before.drop(columns=["offsets"]))
    assert np.array_equal(tiny_tokens.ids, ids)


def test_deterministic(project_tokens, project_docs):
    one = term_frequencies(project_tokens, project_docs, by="period", ngram_range=(1, 3)).to_csv()
    two = term_frequencies(project_tokens, project_docs, by="period", ngram_range=(1, 3)).to_csv()
    assert one == two


WORDS = ["peace", "trade", "the", "win-win", "of", "security", "Kazakhstan"]
sentence_st = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)
text_st = st.lists(sentence_st, min_size=1, max_size=4)


def _text(sentences) -> str:
    return " ".join(" ".join(s)[0].upper() + " ".join(s)[1:] + "." for s in sentences)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(text_st, min_size=1, max_size=3), n=st.integers(1, 3))
def test_counts_sum_to_token_totals(texts, n):
    with tempfile.TemporaryDirectory() as folder:
        corpus = {f"d{i}": ("2022", f"d{i}", "", "p", _text(t)) for i, t in enumerate(texts)}
        docs = load_corpus(write_corpus(Path(folder), corpus))
        tokens = tokenize(docs, cache=False)
    lengths = [len(s) for t in texts for s in t]
    assert tokens.n_tokens == sum(lengths)
    table = term_frequencies(tokens, docs, ngram_range=(n, n))
    by_doc = table.groupby("group")["count"].sum().to_dict()
    expected = {f"d{i}": sum(max(len(s) - n + 1, 0) for s in t) for i, t in enumerate(texts)}
    assert by_doc == {d: c for d, c in expected.items() if c}
    corpus_total = term_frequencies(tokens, docs, by="corpus", ngram_range=(n, n))["count"].sum()
    assert corpus_total == sum(expected.values())


def test_terms_with_a_space_are_sorted_and_merged(tmp_path):
    # "US$25 billion" is one token, "US$25" another; "$21.2-billion" gives the bigram "$21.2 billion",
    # the same string as the one-token "$21.2 billion": one column, counted twice
    texts = {"x": ("2022", "x", "", "p", "Trade of US$25 billion. US$25 zone. Deals worth $21.2-billion."),
             "y": ("2023", "y", "", "p", "Trade grew to $21.2 billion.")}
    tokens = tokenize(load_corpus(write_corpus(tmp_path / "money", texts)), cache=False)
    assert {"us$25 billion", "us$25", "$21.2 billion", "$21.2"} <= set(tokens.vocab)
    dtm = document_term_matrix(tokens, ngram_range=(1, 2))
    assert list(dtm.terms) == sorted(dtm.terms)
    assert len(set(dtm.terms)) == len(dtm.terms)
    assert counts_of(dtm, "$21.2 billion") == [1, 1]
    assert dtm.terms.tolist().index("us$25 billion") < dtm.terms.tolist().index("us$25 zone")


@pytest.mark.parametrize("prefer", ["official", "unofficial", "xi2022_unofficial"])
def test_one_version_per_translation_group_keeps_row_order(tiny_docs, prefer):
    # grouped frequencies rely on one_per_translation_group keeping the order rows come in
    got = one_per_translation_group(tiny_docs.iloc[::-1], prefer=prefer)["doc_id"].tolist()
    assert got == [d for d in tiny_docs["doc_id"][::-1] if d in set(got)]
    assert len(got) == 2 and "c_2024" in got
    assert ("b_unofficial" in got) == (prefer != "official")


