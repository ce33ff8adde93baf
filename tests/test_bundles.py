"""Lexical bundles: hand-worked counts on the tiny corpus, and a brute-force Counter on random corpora."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhetoric.corpus.tokens import Tokens
from rhetoric.errors import ParameterError
from rhetoric.stats.bundles import bundle_occurrences, lexical_bundles, ngram_levels

EVERY = dict(all_versions=True)


def make_tokens(docs: dict[str, list[list[str]]]) -> Tokens:
    """A token store from ``{doc_id: [[word, ...] per sentence]}`` (offsets as if words were joined by spaces;
    one paragraph per sentence)."""
    words, starts, sents, bounds, spans, sent_doc = [], [], [], [0], [], []
    for d, sentences in enumerate(docs.values()):
        offset = 0
        for sentence in sentences:
            if not sentence:
                continue
            first = offset
            for word in sentence:
                words.append(word)
                starts.append(offset)
                sents.append(len(spans))
                offset += len(word) + 1
            spans.append((first, offset - 1))
            sent_doc.append(d)
        bounds.append(len(words))
    vocab = np.array(sorted(set(words)), dtype=str)
    ids = np.searchsorted(vocab, np.array(words, dtype=str)).astype(np.int32) if words else np.zeros(0, np.int32)
    start = np.array(starts, dtype=np.int32)
    end = start + np.array([len(w) for w in words], dtype=np.int32)
    spans_arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return Tokens(doc_ids=np.array(list(docs), dtype=str), bounds=np.array(bounds, dtype=np.int64), vocab=vocab,
                  ids=ids, start=start, end=end, sentence=np.array(sents, dtype=np.int32),
                  sentence_spans=spans_arr, sentence_doc=np.array(sent_doc, dtype=np.int32),
                  sentence_paragraph=np.arange(len(spans), dtype=np.int32),
                  paragraph_spans=spans_arr.copy(), paragraph_doc=np.array(sent_doc, dtype=np.int32))


def make_docs(docs: dict[str, list[list[str]]], groups: dict[str, tuple[str, str, str]] | None = None
              ) -> pd.DataFrame:
    """The documents table of ``make_tokens(docs)``: each document its own translation group, unless ``groups``
    gives ``{doc_id: (translation_group, translation, date)}``."""
    groups = groups or {}
    rows = [{"doc_id": d, "translation_group": groups.get(d, (d, "", ""))[0],
             "translation": groups.get(d, (d, "", ""))[1],
             "date_start": pd.Timestamp(groups.get(d, (d, "", "2022-01-01"))[2] or "2022-01-01"),
             "text": " ".join(" ".join(s) for s in sentences)} for d, sentences in docs.items()]
    return pd.DataFrame(rows, columns=["doc_id", "translation_group", "translation", "date_start", "text"])


def brute_force_bundles(docs, *, min_n, max_n, min_count, min_range, stop, maximal) -> dict:
    """The definition, spelled out with a Counter over every n-gram of every sentence."""
    where = defaultdict(list)                       # n-gram -> [(doc number, start position in the doc)]
    for d, sentences in enumerate(docs.values()):
        position = 0
        for sentence in sentences:
            for n in range(min_n, max_n + 1):
                for i in range(len(sentence) - n + 1):
                    where[tuple(sentence[i:i + n])].append((d, position + i))
            position += len(sentence)
    counts = Counter({gram: len(occ) for gram, occ in where.items()})
    kept = {gram for gram, c in counts.items()
            if c >= min_count and len({d for d, _ in where[gram]}) >= min_range
            and not all(w in stop for w in gram)}
    final, under = set(kept), defaultdict(list)
    if maximal:
        for n in range(max_n - 1, min_n - 1, -1):
            for b in sorted(g for g in kept if len(g) == n):
                hosts = []
                for host in final:
                    if len(host) <= n:
                        continue
                    starts = set(where[host])
                    inside = [off for off in range(len(host) - n + 1) if host[off:off + n] == b]
                    if all(any((d, p - off) in starts for off in inside) for d, p in where[b]):
                        hosts.append((len(host), -counts[host], host))
                if hosts:
                    final.discard(b)
                    under[min(hosts)[2]].append(b)
    return {" ".join(g): (len(g), counts[g], len({d for d, _ in where[g]}),
                          "; ".join(" ".join(s) for s in sorted(under[g], key=lambda s: (-len(s), " ".join(s)))))
            for g in final}


def chosen_versions(docs: dict, groups: dict) -> dict:
    """Count-once by hand: in each translation group the official version, else the earliest (then the first)."""
    best: dict[str, tuple] = {}
    for position, d in enumerate(docs):
        group, translation, date = groups.get(d, (d, "", "2022-01-01"))
        key = (translation != "official", date or "2022-01-01", position)
        if group not in best or key < best[group][0]:
            best[group] = (key, d)
    keep = {d for _, d in best.values()}
    return {d: sentences for d, sentences in docs.items() if d in keep}


def as_dict(table: pd.DataFrame) -> dict:
    return {r.bundle: (r.n, r.freq, r.range, r.subsumes) for r in table.itertuples()}


# --- the tiny corpus, by hand ------------------------------------------------------------------------------

# Sentences of the tiny corpus (conftest.TINY_TEXTS):
#   a: [the community with a shared future] [win-win cooperation is key] [trade is up]
#   b: [the community of common destiny] [mutually beneficial cooperation is key] [trade is up]
#   c: [trade grew to $ 21.2 billion] [trade and security matter] [security security]
#      [the community with a shared future]
# Every version, min_count=2, min_range=2: "the community" occurs 3 times (a, b, c); everything inside
# "the community with a shared future" occurs twice (a, c); "cooperation is key" and "trade is up" twice (a, b).
# "security security" occurs once. "with a" and "is up" are made only of stop words (data/stopwords.txt) and go.
SIX = "the community with a shared future"
INSIDE_SIX = ("community with a shared future; the community with a shared; "       # 5-grams
              "community with a shared; the community with a; with a shared future; "  # 4-grams
              "a shared future; community with a; the community with; with a shared; "  # 3-grams
              "a shared; community with; shared future")                               # 2-grams


def test_tiny_maximal_bundles_by_hand(tiny_tokens, tiny_docs):
    table = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2, **EVERY)
    assert list(table.columns) == ["bundle", "n", "freq", "range", "subsumes"]
    assert table.to_dict("records") == [
        {"bundle": "the community", "n": 2, "freq": 3, "range": 3, "subsumes": ""},
        {"bundle": SIX, "n": 6, "freq": 2, "range": 2, "subsumes": INSIDE_SIX},
        {"bundle": "cooperation is key", "n": 3, "freq": 2, "range": 2, "subsumes": "cooperation is; is key"},
        {"bundle": "trade is up", "n": 3, "freq": 2, "range": 2, "subsumes": "trade is"},
    ]


def test_tiny_bundles_count_a_translated_text_once(tiny_tokens, tiny_docs):
    # a_official and c_2024 only: "the community" occurs twice, both times inside SIX, which takes it in
    table = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2)
    assert table.to_dict("records") == [
        {"bundle": SIX, "n": 6, "freq": 2, "range": 2, "subsumes": INSIDE_SIX + "; the community"}]
    assert table.attrs["n_docs"] == 2
    # preferring the unofficial version: b_unofficial and c_2024 share only "the community"
    other = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2, prefer="unofficial")
    assert as_dict(other) == {"the community": (2, 2, 2, "")}


def test_tiny_all_bundles_by_hand(tiny_tokens, tiny_docs):
    table = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2, maximal=False, **EVERY)
    # 2-grams: the community, community with, a shared, shared future, cooperation is, is key, trade is (7)
    # 3-grams: the community with, community with a, with a shared, a shared future, cooperation is key,
    #          trade is up (6); 4-grams: 3; 5-grams: 2; 6-grams: 1  -> 19
    assert len(table) == 19
    assert table["n"].value_counts().sort_index().to_dict() == {2: 7, 3: 6, 4: 3, 5: 2, 6: 1}
    assert (table["subsumes"] == "").all()
    assert "with a" not in set(table["bundle"]) and "is up" not in set(table["bundle"])
    # no stop-word filter: "with a" (2, in a and c) and "is up" (2, in a and b) come back
    unfiltered = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2, maximal=False, stop_words=None,
                                 **EVERY)
    assert set(unfiltered["bundle"]) - set(table["bundle"]) == {"with a", "is up"}


def test_range_threshold(tiny_tokens, tiny_docs):
    # only "the community" occurs in all three documents
    assert as_dict(lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=3, **EVERY)) == {
        "the community": (2, 3, 3, "")}
    assert lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=3).empty   # two documents count
    # "security security" (c: "Security, security!") occurs once, in one document
    everything = as_dict(lexical_bundles(tiny_tokens, tiny_docs, min_count=1, min_range=1, maximal=False))
    assert everything["security security"] == (2, 1, 1, "")
    assert "security security" not in as_dict(lexical_bundles(tiny_tokens, tiny_docs, min_count=1, min_range=2))


def test_money_tokens_and_occurrences(tiny_tokens, tiny_docs):
    # "$21.2 billion" is three tokens: "$", "21.2", "billion"
    table = lexical_bundles(tiny_tokens, tiny_docs, min_n=3, max_n=3, min_count=1, min_range=1, maximal=False)
    assert {"grew to $", "to $ 21.2", "$ 21.2 billion"} <= set(table["bundle"])
    occ = bundle_occurrences(tiny_tokens, tiny_docs, ["$ 21.2 billion", "not in corpus"])
    assert occ.to_dict("records") == [{"doc_id": "c_2024", "bundle": "$ 21.2 billion",
                                       "token_start": 3, "token_end": 6}]


def test_occurrences_are_exact_token_sequences(tiny_tokens, tiny_docs):
    # a bundle is looked up literally: hyphens strict, no globs or optional words
    assert bundle_occurrences(tiny_tokens, tiny_docs, ["win win cooperation"]).empty
    assert len(bundle_occurrences(tiny_tokens, tiny_docs, ["win-win cooperation"])) == 1
    assert bundle_occurrences(tiny_tokens, tiny_docs, ["co*"]).empty              # not a glob: no token "co"
    # brackets and "?" are punctuation here, not a group and an optional word: "trade is" only, not "trade"
    literal = bundle_occurrences(tiny_tokens, tiny_docs, ["(trade) is?"])
    assert literal[["doc_id", "token_start", "token_end"]].values.tolist() == [["a_official", 10, 12]]
    tokens = make_tokens({"d": [["a", "b", "a", "b"], ["b", "a"]], "e": [["a", "b", "c"]]})
    docs = make_docs({"d": [], "e": []})
    # positions: d 0 a, 1 b, 2 a, 3 b | 4 b, 5 a; e 0 a, 1 b, 2 c  (| = sentence end)
    occ = bundle_occurrences(tokens, docs, ["a b", "b", "a b", "a b c", "b a"])
    assert list(zip(occ["doc_id"], occ["bundle"], occ["token_start"], occ["token_end"])) == [
        ("d", "a b", 0, 2), ("d", "a b", 0, 2), ("d", "b", 1, 2), ("d", "b a", 1, 3),   # "a b" listed twice
        ("d", "a b", 2, 4), ("d", "a b", 2, 4), ("d", "b", 3, 4),                       # not "b a" at 3-5:
        ("d", "b", 4, 5), ("d", "b a", 4, 6),                                           # a sentence ends at 4
        ("e", "a b", 0, 2), ("e", "a b", 0, 2), ("e", "a b c", 0, 3), ("e", "b", 1, 2)]


def test_occurrences_match_frequencies(tiny_tokens, tiny_docs):
    table = lexical_bundles(tiny_tokens, tiny_docs, min_count=2, min_range=2, maximal=False, **EVERY)
    occ = bundle_occurrences(tiny_tokens, tiny_docs, table, **EVERY)
    assert list(occ.columns) == ["doc_id", "bundle", "token_start", "token_end"]
    assert occ.groupby("bundle").size().to_dict() == dict(zip(table["bundle"], table["freq"]))
    six = occ[occ["bundle"] == SIX]
    # a: tokens 0-5 of a_official; c: "the community ..." starts at token 12 of c_2024
    assert six[["doc_id", "token_start", "token_end"]].values.tolist() == [["a_official", 0, 6], ["c_2024", 12, 18]]
    lengths = dict(zip(tiny_tokens.doc_ids, np.diff(tiny_tokens.bounds)))
    for row in occ.itertuples():
        base = tiny_tokens.bounds[list(tiny_tokens.doc_ids).index(row.doc_id)]
        words = tiny_tokens.vocab[tiny_tokens.ids[base + row.token_start:base + row.token_end]]
        assert " ".join(words) == row.bundle
        assert row.token_end <= lengths[row.doc_id]
    once = bundle_occurrences(tiny_tokens, tiny_docs, [SIX, "cooperation is key"])
    assert once["doc_id"].tolist() == ["a_official", "a_official", "c_2024"]


def test_project_bundles_are_found_again_where_they_were_counted(project_tokens, project_docs):
    # every bundle string (with 's, $, numbers, initials, hyphenated words) looked up gives its frequency
    table = lexical_bundles(project_tokens, project_docs, min_n=1, max_n=4, min_count=2, min_range=1,
                            stop_words=None, maximal=False)
    assert len(table) > 1000
    assert {"'s", "$", "china-kazakhstan", "u.s"} & set(table["bundle"])
    occ = bundle_occurrences(project_tokens, project_docs, table)
    assert occ.groupby("bundle").size().reindex(table["bundle"]).tolist() == table["freq"].tolist()
    assert occ.groupby("bundle")["doc_id"].nunique().reindex(table["bundle"]).tolist() == table["range"].tolist()


def test_bad_parameters(tiny_tokens, tiny_docs):
    with pytest.raises(ParameterError, match="max_n=2 must be a whole number between 3 and 12"):
        lexical_bundles(tiny_tokens, tiny_docs, min_n=3, max_n=2)
    with pytest.raises(ParameterError, match="min_count=0"):
        lexical_bundles(tiny_tokens, tiny_docs, min_count=0)
    with pytest.raises(ParameterError, match="min_range"):
        lexical_bundles(tiny_tokens, tiny_docs, min_range=-1)
    with pytest.raises(ParameterError, match="stop_words='klingon' is not a file"):
        lexical_bundles(tiny_tokens, tiny_docs, stop_words="klingon")
    with pytest.raises(ParameterError, match="'bundle' column"):
        bundle_occurrences(tiny_tokens, tiny_docs, pd.DataFrame({"ngram": ["the community"]}))


def test_deterministic_and_input_untouched(tiny_tokens, tiny_docs):
    before = tiny_tokens.ids.copy()
    first = lexical_bundles(tiny_tokens, tiny_docs, min_count=1, min_range=1)
    second = lexical_bundles(tiny_tokens, tiny_docs, min_count=1, min_range=1)
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv() == second.to_csv()
    np.testing.assert_array_equal(tiny_tokens.ids, before)


def test_empty_results(tiny_tokens, tiny_docs):
    table = lexical_bundles(tiny_tokens, tiny_docs, min_count=50)
    assert table.empty and list(table.columns) == ["bundle", "n", "freq", "range", "subsumes"]
    assert bundle_occurrences(tiny_tokens, tiny_docs, []).empty


def test_levels_count_every_ngram_once(tiny_tokens):
    # every n-gram inside a sentence, min_count=1: the level sizes are the numbers of n-grams
    levels = ngram_levels(tiny_tokens, max_n=2)
    # tokens: 13 + 13 + 18 = 44; bigrams within sentences: sentence lengths a: 6,4,3 b: 5,5,3 c: 6,4,2,6
    # -> (5+3+2) + (4+4+2) + (5+3+1+5) = 34 bigram tokens
    assert levels[0].freq.sum() == 44 and levels[1].freq.sum() == 34
    assert levels[1].seqs.shape[1] == 2 and len(levels[1].freq) == len(levels[1].range)


# --- random corpora against the brute force --------------------------------------------------------------

DOC_IDS = [f"d{i}" for i in range(5)]
corpora = st.dictionaries(
    keys=st.sampled_from(DOC_IDS),
    values=st.lists(st.lists(st.sampled_from(list("abcde")), max_size=12), min_size=1, max_size=4),
    min_size=1, max_size=5,
)
groupings = st.dictionaries(                        # some documents are versions of one translated text
    keys=st.sampled_from(DOC_IDS),
    values=st.tuples(st.sampled_from(["g1", "g2"]), st.sampled_from(["official", "unofficial", ""]),
                     st.sampled_from(["2021-05-01", "2022-01-01", "2023-03-01"])),
    max_size=5,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpora, groups=groupings, min_n=st.integers(1, 3), extra=st.integers(0, 4), min_count=st.integers(1, 4),
       min_range=st.integers(1, 3), stop=st.sets(st.sampled_from(list("abcde")), max_size=2),
       maximal=st.booleans(), all_versions=st.booleans())
def test_against_brute_force(docs, groups, min_n, extra, min_count, min_range, stop, maximal, all_versions):
    if not any(any(s) for s in docs.values()):
        return
    max_n = min_n + extra
    counted = docs if all_versions else chosen_versions(docs, groups)
    expected = brute_force_bundles(counted, min_n=min_n, max_n=max_n, min_count=min_count, min_range=min_range,
                                   stop=stop, maximal=maximal)
    tokens, table_of_docs = make_tokens(docs), make_docs(docs, groups)
    table = lexical_bundles(tokens, table_of_docs, min_n=min_n, max_n=max_n, min_count=min_count,
                            min_range=min_range, stop_words=stop, maximal=maximal, all_versions=all_versions)
    assert as_dict(table) == expected
    order = list(zip(-table["freq"], -table["n"], table["bundle"]))
    assert order == sorted(order)
    occ = bundle_occurrences(tokens, table_of_docs, table, all_versions=all_versions)
    assert occ.groupby("bundle").size().reindex(table["bundle"]).tolist() == table["freq"].tolist()
