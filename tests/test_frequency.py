"""Term frequencies (count, per 10,000 tokens, range) by hand on the tiny corpus; sums on random corpora.

The document x term counts behind them are tested in test_counts.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.errors import ParameterError
from rhetoric.stats.frequency import FREQUENCY_COLUMNS, term_frequencies

# Tiny corpus (conftest.TINY_TEXTS): a_official 13 tokens, b_unofficial 13 (the other version of a_official,
# left out by default), c_2024 18 ("$21.2 billion" is "$", "21.2", "billion").


def test_per_document_frequencies(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs)
    assert tuple(table.columns) == FREQUENCY_COLUMNS
    assert table["group"].drop_duplicates().tolist() == ["a_official", "c_2024"]
    row = table[(table["group"] == "c_2024") & (table["term"] == "security")].iloc[0]
    assert (row["count"], row["range"], row["n_docs"]) == (3, 1, 1)
    assert row["per_10k"] == pytest.approx(3 / 18 * 10_000)
    first = table[table["group"] == "a_official"].head(3)
    assert first["term"].tolist() == ["is", "a", "community"]  # count 2 first, then 1s alphabetically
    assert table.groupby("group")["count"].sum().to_dict() == {"a_official": 13, "c_2024": 18}
    every = term_frequencies(tiny_tokens, tiny_docs, all_versions=True)
    assert every.groupby("group")["count"].sum().to_dict() == {"a_official": 13, "b_unofficial": 13, "c_2024": 18}


def test_grouped_frequencies_count_translations_once(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, by="period")
    early = table[table["group"] == "early"].set_index("term")
    # early = a_official only (b_unofficial is its other translation): 13 tokens
    assert early.loc["trade", "count"] == 1 and early.loc["trade", "range"] == 1
    assert early.loc["trade", "per_10k"] == pytest.approx(1 / 13 * 10_000)
    assert (early["n_docs"] == 1).all()
    assert "destiny" not in early.index
    unofficial = term_frequencies(tiny_tokens, tiny_docs, by="period", prefer="unofficial")
    assert "destiny" in set(unofficial.loc[unofficial["group"] == "early", "term"])
    both = term_frequencies(tiny_tokens, tiny_docs, by="period", all_versions=True).query("group == 'early'")
    assert both.set_index("term").loc["trade", ["count", "range", "n_docs"]].tolist() == [2, 2, 2]


def test_corpus_frequencies(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, by="corpus").set_index("term")
    assert set(table["group"]) == {"corpus"}
    # a_official + c_2024: trade 1 + 2, in 2 documents, of 13 + 18 tokens
    assert table.loc["trade", "count"] == 3 and table.loc["trade", "range"] == 2
    assert table.loc["trade", "per_10k"] == pytest.approx(3 / 31 * 10_000)
    assert table["count"].sum() == 31


def test_listed_terms_are_patterns(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, by="corpus",
                             terms=["shared future", "win win", "co*", "nowhere", "$21.2 billion"])
    # shared future: a + c; win win = win-win (a); co*: community (a, c), cooperation (a); "$21.2 billion": c
    assert table[["term", "count", "range"]].values.tolist() == [
        ["co*", 3, 2], ["shared future", 2, 2], ["$21.2 billion", 1, 1], ["win win", 1, 1]]
    assert table["per_10k"].iloc[0] == pytest.approx(3 / 31 * 10_000)   # the size is still running tokens
    strict = term_frequencies(tiny_tokens, tiny_docs, by="corpus", terms=["win win"], hyphens="strict")
    assert strict.empty
    cased = term_frequencies(tiny_tokens, tiny_docs, terms=["Security"], case_sensitive=True)
    assert cased[["group", "count"]].values.tolist() == [["c_2024", 1]]
    regex = term_frequencies(tiny_tokens, tiny_docs, by="corpus", terms=["secur.*"], valuetype="regex")
    assert regex["count"].tolist() == [3]


def test_year_groups_are_integers_and_sorted(project_tokens, project_docs):
    table = term_frequencies(project_tokens, project_docs, by="year", top_n=2)
    assert table["group"].dtype == np.int64
    assert table["group"].tolist() == [2022, 2022, 2023, 2023, 2024, 2024]
    counts = table["count"].tolist()
    assert counts[0] >= counts[1] and counts[2] >= counts[3]
    # 2022 counts zhang2022_visit and xi2022_xinhua, not the unofficial version of the same article
    assert table.loc[table["group"] == 2022, "n_docs"].tolist() == [2, 2]


def test_min_count_top_n_and_selection(tiny_tokens, tiny_docs):
    table = term_frequencies(tiny_tokens, tiny_docs, min_count=2)
    assert table[["group", "term", "count"]].values.tolist() == [
        ["a_official", "is", 2], ["c_2024", "security", 3], ["c_2024", "trade", 2]]
    only_c = term_frequencies(tiny_tokens, tiny_docs[tiny_docs["doc_id"] == "c_2024"])
    assert set(only_c["group"]) == {"c_2024"}
    assert term_frequencies(tiny_tokens, tiny_docs, top_n=1)["term"].tolist() == ["is", "security"]
    with pytest.raises(ParameterError, match="top_n=0 must be a whole number of at least 1"):
        term_frequencies(tiny_tokens, tiny_docs, top_n=0)
    with pytest.raises(ParameterError, match="min_count=0"):
        term_frequencies(tiny_tokens, tiny_docs, min_count=0)


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
    # per_10k is count / running tokens of the document, whatever n is
    sizes = {f"d{i}": sum(len(s) for s in t) for i, t in enumerate(texts)}
    assert np.allclose(table["per_10k"], table["count"] * 10_000 / table["group"].map(sizes))
