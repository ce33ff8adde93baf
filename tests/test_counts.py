"""The counts model: which documents count (a translated text once), document x term counts, groups, stop words.

Counts are checked by hand on the tiny corpus, against scikit-learn's CountVectorizer and a plain-Python
n-gram count on the project corpus, and every statistic is checked to count the preferred version of a
translated text even when the other version is dated earlier.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from conftest import write_corpus
from rhetoric import config
from rhetoric.checks import MAX_NGRAM
from rhetoric.corpus import load_corpus, tokenize
from rhetoric.corpus.tokens import doc_token_lists, tokens_frame
from rhetoric.counts import (CORPUS_GROUP, Counts, check_column, check_prefer, count_hits, count_matches, count_terms,
                             group_counts, long_table, one_per_translation_group, select_documents, select_tokens,
                             stop_word_list)
from rhetoric.errors import ParameterError
from rhetoric.stats.bundles import lexical_bundles
from rhetoric.stats.collocations import recurring_ngrams
from rhetoric.stats.dispersion import dispersion
from rhetoric.stats.frequency import term_frequencies
from rhetoric.stats.keyness import keyness
from rhetoric.stats.similarity import document_similarity, similarity_pairs
from rhetoric.stats.tfidf import tfidf_keywords

EVERY = dict(all_versions=True)


def counts_of(counts: Counts, term):
    j = counts.term_index(term)
    assert j is not None, term
    return counts.matrix[:, j].toarray().ravel().tolist()


# --- document x term counts, by hand ------------------------------------------------------------------------

def test_unigram_counts_by_hand(tiny_tokens, tiny_docs):
    counts = count_terms(tiny_tokens, tiny_docs, **EVERY)
    assert isinstance(counts.matrix, sparse.csr_matrix)
    assert counts.rows["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    # a: the community with a shared future | win-win cooperation is key | trade is up
    # b: the community of common destiny | mutually beneficial cooperation is key | trade is up
    # c: trade grew to $ 21.2 billion | trade and security matter | security security |
    #    the community with a shared future
    assert counts_of(counts, "trade") == [1, 1, 2]
    assert counts_of(counts, "is") == [2, 2, 0]
    assert counts_of(counts, "security") == [0, 0, 3]
    assert counts_of(counts, "$") == counts_of(counts, "21.2") == counts_of(counts, "billion") == [0, 0, 1]
    assert counts_of(counts, "win-win") == [1, 0, 0]
    assert np.asarray(counts.matrix.sum(axis=1)).ravel().tolist() == [13, 13, 18]
    assert counts.n_tokens.tolist() == [13, 13, 18]
    assert list(counts.terms) == sorted(counts.terms)
    # 12 types in a; b adds of, common, destiny, mutually, beneficial; c adds grew, to, $, 21.2, billion, and,
    # security, matter
    assert len(counts.terms) == 12 + 5 + 8


def test_a_translated_text_counts_once_by_default(tiny_tokens, tiny_docs):
    once = count_terms(tiny_tokens, tiny_docs)
    assert once.rows["doc_id"].tolist() == ["a_official", "c_2024"]
    assert "destiny" not in set(once.terms)                        # only in b_unofficial
    assert once.n_tokens.tolist() == [13, 18]
    other = count_terms(tiny_tokens, tiny_docs, prefer="unofficial")
    assert other.rows["doc_id"].tolist() == ["b_unofficial", "c_2024"]
    by_id = count_terms(tiny_tokens, tiny_docs, prefer="b_unofficial")
    assert by_id.rows["doc_id"].tolist() == ["b_unofficial", "c_2024"]
    # the rows carry the metadata, never the texts
    assert {"period", "translation", "n_tokens"} <= set(once.rows.columns)
    assert not {"text", "raw_text", "offsets"} & set(once.rows.columns)


def test_bigrams_stay_inside_sentences(tiny_tokens, tiny_docs):
    counts = count_terms(tiny_tokens, tiny_docs, ngram_range=(2, 2), **EVERY)
    terms = set(counts.terms)
    # pairs that only meet across a sentence (or paragraph) boundary
    for crossing in ("future win-win", "key trade", "billion trade", "matter security", "security the"):
        assert crossing not in terms
    assert counts_of(counts, "security security") == [0, 0, 1]
    assert counts_of(counts, "the community") == [1, 1, 1]
    assert counts_of(counts, "$ 21.2") == [0, 0, 1]
    # bigrams per document = sum over sentences of (length - 1): a 5+3+2, b 4+4+2, c 5+3+1+5
    assert np.asarray(counts.matrix.sum(axis=1)).ravel().tolist() == [10, 10, 14]
    assert counts.n_tokens.tolist() == [13, 13, 18]                # sizes are running tokens, not bigrams


def test_ngram_range_and_stop_words_follow_the_edge_rule(tiny_tokens, tiny_docs):
    counts = count_terms(tiny_tokens, tiny_docs, ngram_range=(1, 3), stop_words=["the", "is", "a", "with"], **EVERY)
    terms = set(counts.terms)
    assert {"shared future", "cooperation is key", "community", "win-win cooperation"} <= terms
    # dropped: a stop word alone, or at the start or end of an n-gram
    assert not {"the", "a shared", "cooperation is", "is key", "community with", "with a shared"} & terms
    assert counts_of(counts, "cooperation is key") == [1, 1, 0]
    assert counts.stop_words == frozenset({"the", "is", "a", "with"})


def test_min_count_and_min_range_prune_columns(tiny_tokens, tiny_docs):
    assert count_terms(tiny_tokens, tiny_docs, min_count=3, **EVERY).terms.tolist() == [
        "community", "is", "security", "the", "trade"]
    assert count_terms(tiny_tokens, tiny_docs, min_range=3, **EVERY).terms.tolist() == ["community", "the", "trade"]
    # counted once (a_official, c_2024): "community" and "is" occur twice, "security" and "trade" three times
    assert count_terms(tiny_tokens, tiny_docs, min_count=3).terms.tolist() == ["security", "trade"]


def test_matches_count_vectorizer_on_the_project_corpus(project_tokens, project_docs):
    lists = doc_token_lists(project_tokens)
    for selection in (EVERY, {}):
        chosen = select_documents(project_docs, **selection)["doc_id"].tolist()
        keep = [i for i, d in enumerate(project_tokens.doc_ids.tolist()) if d in chosen]
        vectorizer = CountVectorizer(analyzer=lambda doc: doc)
        expected = vectorizer.fit_transform([lists[i] for i in keep])
        counts = count_terms(project_tokens, project_docs, **selection)
        assert counts.rows["doc_id"].tolist() == [project_tokens.doc_ids[i] for i in keep]
        assert counts.terms.tolist() == vectorizer.get_feature_names_out().tolist()
        assert (counts.matrix != expected).nnz == 0
    assert len(keep) == 4 and "xi2022_unofficial" not in chosen


def test_ngrams_match_a_plain_python_count(project_tokens, project_docs):
    frame = tokens_frame(project_tokens)
    expected: dict[tuple[str, str], int] = {}
    for (doc_id, _), sentence in frame.groupby(["doc_id", "sentence"], sort=False):
        words = sentence["type"].tolist()
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                key = (doc_id, " ".join(words[i:i + n]))
                expected[key] = expected.get(key, 0) + 1
    counts = count_terms(project_tokens, project_docs, ngram_range=(2, 3), **EVERY)
    coo = counts.matrix.tocoo()
    doc_ids = counts.rows["doc_id"].to_numpy()
    got = {(doc_ids[r], counts.terms[c]): int(v) for r, c, v in zip(coo.row, coo.col, coo.data)}
    assert got == expected
    assert list(counts.terms) == sorted(counts.terms) and len(set(counts.terms)) == len(counts.terms)


def test_money_and_percent_tokens(tmp_path):
    texts = {"x": ("2022", "x", "", "p", "Trade of US$25 billion. Deals worth $21.2-billion rose 12.5%."),
             "y": ("2023", "y", "", "p", "Trade grew to $21.2 billion.")}
    docs = load_corpus(write_corpus(tmp_path / "money", texts))
    tokens = tokenize(docs, cache=False)
    counts = count_terms(tokens, docs, ngram_range=(1, 3))
    # x: trade of us $ 25 billion | deals worth $ 21.2-billion rose 12.5 %   y: trade grew to $ 21.2 billion
    assert counts_of(counts, "$") == [2, 1]
    assert counts_of(counts, "$ 21.2 billion") == [0, 1]
    assert counts_of(counts, "$ 21.2-billion") == [1, 0]
    assert counts_of(counts, "us $ 25") == [1, 0]
    assert counts_of(counts, "12.5 %") == [1, 0]
    assert list(counts.terms) == sorted(counts.terms)


# --- option checks -------------------------------------------------------------------------------------------

def test_bad_ngram_range_is_a_parameter_error(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match=r"ngram_range\[1\]=2 must be a whole number between 3 and 12"):
        count_terms(tiny_tokens, tiny_docs, ngram_range=(3, 2))
    with pytest.raises(ParameterError, match=r"ngram_range='12' must be two whole numbers \(min_n, max_n\)"):
        count_terms(tiny_tokens, tiny_docs, ngram_range="12")
    with pytest.raises(ParameterError, match=r"ngram_range\[0\]=0"):
        count_terms(tiny_tokens, tiny_docs, ngram_range=(0, 2))


@pytest.mark.parametrize("call", [
    lambda t, d: count_terms(t, d, ngram_range=(1, 100_000)),
    lambda t, d: term_frequencies(t, d, ngram_range=(1, 100_000)),
    lambda t, d: keyness(t, d, by="period", target="late", ngram_range=(1, 100_000)),
    lambda t, d: tfidf_keywords(t, d, ngram_range=(1, 100_000)),
    lambda t, d: document_similarity(t, d, ngram_range=(1, 100_000)),
    lambda t, d: similarity_pairs(t, d, ngram_range=(1, 100_000)),
])
def test_huge_ngram_range_is_refused_at_once(tiny_tokens, tiny_docs, call):
    began = time.process_time()
    with pytest.raises(ParameterError, match=rf"ngram_range=\(1, 100000\) asks for n-grams of up to 100000 tokens; "
                                             rf"at most {MAX_NGRAM} .* e\.g\. \(1, 3\)"):
        call(tiny_tokens, tiny_docs)
    assert time.process_time() - began < 1.0                        # refused before any counting


def test_longest_bundles_and_ngrams_are_refused_at_once(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match=f"max_n=100000 must be a whole number between 2 and {MAX_NGRAM}"):
        lexical_bundles(tiny_tokens, tiny_docs, max_n=100_000)
    with pytest.raises(ParameterError, match=f"n=100000 must be a whole number between 2 and {MAX_NGRAM}"):
        recurring_ngrams(tiny_tokens, tiny_docs, n=100_000)
    assert len(count_terms(tiny_tokens, tiny_docs, ngram_range=(MAX_NGRAM, MAX_NGRAM)).terms) == 0


def test_stop_word_list_options(tmp_path):
    project = stop_word_list(True)
    assert {"the", "of", "'s", "said"} <= project and "cooperation" not in project
    assert stop_word_list(None) == frozenset() == stop_word_list(False)
    assert stop_word_list(["The", "OF"]) == {"the", "of"}
    own = tmp_path / "words.txt"
    own.write_text("# my list\nTrade\n\nsecurity  # a comment\n", encoding="utf-8")
    assert stop_word_list(own) == {"trade", "security"} == stop_word_list(str(own))
    assert stop_word_list(config.STOPWORDS_FILE) == project
    with pytest.raises(ParameterError, match="stop_words='german' is not a file; give True"):
        stop_word_list("german")
    with pytest.raises(ParameterError, match="stop_words=3 is not understood"):
        stop_word_list(3)


def test_check_column_and_prefer(tiny_docs):
    assert check_column(tiny_docs, "period") == "period"
    assert check_column(tiny_docs, "period", values=["early", "late"]) == "period"
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'; the corpus has: .*period"):
        check_column(tiny_docs, "decade")
    with pytest.raises(ParameterError, match="unknown grouping column 'text'"):
        check_column(tiny_docs, "text")
    with pytest.raises(ParameterError, match="no document has period = 'middle'; values are: early, late"):
        check_column(tiny_docs, "period", values="middle")
    assert check_prefer(tiny_docs, "unofficial") == "unofficial"
    assert check_prefer(tiny_docs, "b_unofficial") == "b_unofficial"
    with pytest.raises(ParameterError, match="prefer='russian' is neither a translation value .*official, "
                                             "unofficial.* nor a doc_id"):
        check_prefer(tiny_docs, "russian")
    with pytest.raises(ParameterError, match="docs must be the documents table"):
        select_documents(pd.DataFrame({"x": [1]}))


def test_select_tokens_refuses_documents_it_does_not_have(tiny_tokens, tiny_docs):
    sub = select_tokens(tiny_tokens, tiny_docs[tiny_docs["doc_id"] != "b_unofficial"])
    assert sub.doc_ids.tolist() == ["a_official", "c_2024"] and sub.n_tokens == 31
    extra = pd.concat([tiny_docs, pd.DataFrame({"doc_id": ["zz"], "text": ["x"]})])
    with pytest.raises(ParameterError, match="documents zz are not in the token store"):
        select_tokens(tiny_tokens, extra)


# --- which version counts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("prefer", ["official", "unofficial", "b_unofficial"])
def test_one_version_per_translation_group_keeps_row_order(tiny_docs, prefer):
    got = one_per_translation_group(tiny_docs.iloc[::-1], prefer=prefer)["doc_id"].tolist()
    assert got == [d for d in tiny_docs["doc_id"][::-1] if d in set(got)]
    assert len(got) == 2 and "c_2024" in got
    assert ("b_unofficial" in got) == (prefer != "official")


EARLIER = {
    # doc_id: (date, translation_group, translation, period, text). The unofficial version is dated EARLIER
    # (another year) than the official one; counting once must still take the official one.
    "g_unofficial": ("2021-11-20", "g", "unofficial", "before",
                     "Both sides agree on eternal friendship. Friendship matters."),
    "g_official": ("2022-03-01", "g", "official", "after",
                   "Both sides agree on golden partnership. Partnership matters."),
    "x_2021": ("2021-06-01", "x", "", "before", "Both sides agree on trade and friendship."),
    "y_2022": ("2022-08-01", "y", "", "after", "Trade grows. Both sides agree."),
}
# tokens: g_unofficial both sides agree on eternal friendship | friendship matters (8)
#         g_official   both sides agree on golden partnership | partnership matters (8)
#         x_2021       both sides agree on trade and friendship (7)
#         y_2022       trade grows | both sides agree (5)


@pytest.fixture
def earlier(tmp_path):
    docs = load_corpus(write_corpus(tmp_path / "earlier", EARLIER))
    return tokenize(docs, cache=False), docs


def test_the_preferred_version_counts_even_when_dated_later(earlier):
    tokens, docs = earlier
    assert select_documents(docs)["doc_id"].tolist() == [d for d in docs["doc_id"] if d != "g_unofficial"]
    assert "g_official" in set(select_documents(docs)["doc_id"])
    assert "g_unofficial" in set(select_documents(docs, prefer="unofficial")["doc_id"])
    assert len(select_documents(docs, **EVERY)) == 4
    # with no version of the preferred kind, the earliest is kept
    assert "g_unofficial" in set(one_per_translation_group(docs, prefer="russian")["doc_id"])


def test_every_statistic_counts_the_preferred_version(earlier):
    tokens, docs = earlier
    by_year = term_frequencies(tokens, docs, by="year")
    assert by_year.groupby("group")["n_docs"].first().to_dict() == {2021: 1, 2022: 2}
    assert not by_year["term"].isin(["eternal"]).any()
    y2022 = by_year[by_year["group"] == 2022].set_index("term")
    assert y2022.loc["partnership", "count"] == 2 and y2022.loc["golden", "count"] == 1
    y2021 = by_year[by_year["group"] == 2021].set_index("term")
    assert y2021.loc["friendship", "count"] == 1                     # x_2021 only, not the unofficial version
    assert y2021["count"].sum() == 7                                 # x_2021's 7 tokens
    listed = term_frequencies(tokens, docs, by="year", terms=["friendship", "partnership"])
    assert listed[["group", "term", "count"]].values.tolist() == [[2021, "friendship", 1], [2022, "partnership", 2]]

    table = keyness(tokens, docs, by="year", target=2022, min_count=1, correction=None).set_index("term")
    assert table["size_target"].iloc[0] == 8 + 5 and table["size_reference"].iloc[0] == 7
    assert table.loc["partnership", "freq_target"] == 2 and table.loc["friendship", "freq_reference"] == 1
    assert "eternal" not in table.index
    assert (table.attrs["n_docs_target"], table.attrs["n_docs_reference"]) == (2, 1)

    spread = dispersion(tokens, docs).set_index("term")
    assert spread.attrs["n_parts"] == 3
    assert spread.loc["friendship", "freq"] == 1 and spread.loc["both", "range"] == 3
    assert "eternal" not in spread.index
    assert dispersion(tokens, docs, terms=["friendship"])["freq"].tolist() == [1]

    bundles = lexical_bundles(tokens, docs, min_count=2, min_range=2, stop_words=None, maximal=False)
    found = bundles.set_index("bundle")
    assert (found.loc["both sides agree", "freq"], found.loc["both sides agree", "range"]) == (3, 3)
    assert (found.loc["both sides agree on", "freq"], found.loc["both sides agree on", "range"]) == (2, 2)
    every = lexical_bundles(tokens, docs, min_count=2, min_range=2, stop_words=None, maximal=False, **EVERY)
    assert every.set_index("bundle").loc["both sides agree", "range"] == 4


# --- matches, hits and groups -----------------------------------------------------------------------------------

def test_count_matches_by_hand(tiny_tokens, tiny_docs):
    counts = count_matches(tiny_tokens, tiny_docs, ["trade", "shared future", "security", "co*", "nowhere"])
    assert counts.terms.tolist() == ["trade", "shared future", "security", "co*", "nowhere"]
    # a_official: trade 1, shared future 1, community + cooperation; c_2024: trade 2, shared future 1,
    # security 3, community
    assert counts.to_frame().to_dict("index") == {
        "a_official": {"trade": 1, "shared future": 1, "security": 0, "co*": 2, "nowhere": 0},
        "c_2024": {"trade": 2, "shared future": 1, "security": 3, "co*": 1, "nowhere": 0}}
    strict = count_matches(tiny_tokens, tiny_docs, ["win win", "win-win"], hyphens="strict", **EVERY)
    assert strict.to_frame().sum().to_dict() == {"win win": 0, "win-win": 1}
    cased = count_matches(tiny_tokens, tiny_docs, ["Security", "security"], case_sensitive=True)
    assert cased.to_frame().loc["c_2024"].tolist() == [1, 2]
    with pytest.raises(ParameterError, match="terms is empty"):
        count_matches(tiny_tokens, tiny_docs, [])


def test_count_hits(tiny_tokens, tiny_docs):
    hits = pd.DataFrame({"doc_id": ["a_official", "b_unofficial", "c_2024", "c_2024", "c_2024"],
                         "frame": ["trade", "trade", "trade", "security", "unlisted"]})
    counts = count_hits(tiny_tokens, tiny_docs, hits, column="frame", terms=["trade", "security", "trade"])
    assert counts.terms.tolist() == ["trade", "security"]
    assert counts.to_frame().to_dict("index") == {"a_official": {"trade": 1, "security": 0},
                                                  "c_2024": {"trade": 1, "security": 1}}
    every = count_hits(tiny_tokens, tiny_docs, hits, column="frame", terms=["trade"], **EVERY)
    assert every.to_frame()["trade"].tolist() == [1, 1, 1]


def test_group_counts_and_long_table(tiny_tokens, tiny_docs):
    counts = count_terms(tiny_tokens, tiny_docs, **EVERY)
    by_period = group_counts(counts, "period")
    assert by_period.rows.to_dict("list") == {"group": ["early", "late"], "n_docs": [2, 1], "n_tokens": [26, 18]}
    j = by_period.term_index("trade")
    assert by_period.matrix[:, j].toarray().ravel().tolist() == [2, 2]
    assert by_period.ranges[:, j].toarray().ravel().tolist() == [2, 1]
    whole = group_counts(counts, CORPUS_GROUP)
    assert whole.rows["group"].tolist() == ["corpus"] and whole.n_tokens.tolist() == [44]
    assert group_counts(counts, None).rows["group"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    with pytest.raises(ParameterError, match="already grouped"):
        group_counts(by_period, "period")
    with pytest.raises(ParameterError, match="unknown grouping column 'decade'"):
        group_counts(counts, "decade")
    unknown = pd.DataFrame({"doc_id": ["x", "y"], "text": ["Peace.", "Trade."], "period": ["p", None]})
    with pytest.raises(ParameterError, match="1 documents have no period \\(the first: 'y'\\); fill the column"):
        group_counts(count_terms(tokenize(unknown, cache=False), unknown), "period")
    table = long_table(by_period)
    assert list(table.columns) == ["group", "term", "count", "per_10k", "range"]
    late = table[table["group"] == "late"]
    assert late[["term", "count", "range"]].head(2).values.tolist() == [["security", 3, 1], ["trade", 2, 1]]
    assert late["per_10k"].iloc[0] == pytest.approx(3 / 18 * 10_000)
    assert table["count"].sum() == 44


def test_the_stop_word_list_covers_chinese_function_words():
    from rhetoric.stats.frequency import term_frequencies

    assert {"的", "了", "和", "是", "我们"} <= stop_word_list(True) and "合作" not in stop_word_list(True)
    docs = pd.DataFrame({"doc_id": ["z"], "language": ["zh"],
                         "text": ["我们和哈萨克斯坦的合作是全面的。中哈两国的友谊与合作将不断发展。"]})
    tokens = tokenize(docs, cache=False)
    content = term_frequencies(tokens, docs, stop_words=True)
    # by hand: 17 words (jieba), of them 我们 和 的 的 的 是 与 将 are stop words; 合作 twice
    assert tokens.n_tokens == 17
    assert dict(zip(content["term"], content["count"])) == {"合作": 2, "不断": 1, "两国": 1, "中哈": 1, "全面": 1,
                                                            "友谊": 1, "发展": 1, "哈萨克斯坦": 1}
