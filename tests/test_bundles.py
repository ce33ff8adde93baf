"""Lexical bundles: hand-worked counts on the tiny corpus, and a brute-force Counter on random corpora."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhetoric import bundles as bundles_module
from rhetoric.bundles import bundle_occurrences, lexical_bundles, ngram_levels, parse_ngram
from rhetoric.errors import ParameterError
from rhetoric.tokens import Tokens


def make_tokens(docs: dict[str, list[list[str]]]) -> Tokens:
    """A token store from ``{doc_id: [[word, ...] per sentence]}`` (offsets as if words were joined by spaces)."""
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
    start = np.array(starts, dtype=np.int64)
    end = start + np.array([len(w) for w in words], dtype=np.int64)
    spans_arr = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return Tokens(doc_ids=np.array(list(docs), dtype=str), bounds=np.array(bounds, dtype=np.int64), vocab=vocab,
                  ids=ids, start=start, end=end, raw_start=start.copy(), raw_end=end.copy(),
                  sentence=np.array(sents, dtype=np.int32), paragraph=np.array(sents, dtype=np.int32),
                  sentence_spans=spans_arr, sentence_doc=np.array(sent_doc, dtype=np.int32),
                  paragraph_spans=spans_arr.copy(), paragraph_doc=np.array(sent_doc, dtype=np.int32))


def brute_force_bundles(docs, *, min_n, max_n, min_freq, min_range, stop, maximal) -> dict:
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
            if c >= min_freq and len({d for d, _ in where[gram]}) >= min_range
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


def as_dict(table: pd.DataFrame) -> dict:
    return {r.bundle: (r.n, r.freq, r.range, r.subsumes) for r in table.itertuples()}


# --- the tiny corpus, by hand ------------------------------------------------------------------------------

# Sentences of the tiny corpus (conftest.TINY_TEXTS):
#   a: [the community with a shared future] [win-win cooperation is key] [trade is up]
#   b: [the community of common destiny] [mutually beneficial cooperation is key] [trade is up]
#   c: [trade grew to $21.2 billion] [trade and security matter] [security security]
#      [the community with a shared future]
# With min_freq=2, min_range=2: "the community" occurs 3 times (a, b, c); everything inside
# "the community with a shared future" occurs twice (a, c); "cooperation is key" and "trade is up"
# twice (a, b). "security security" occurs twice but only in c (range 1). "with a" and "is up" are
# made only of stop words (scikit-learn's list) and go.
SIX = "the community with a shared future"
INSIDE_SIX = ("community with a shared future; the community with a shared; "       # 5-grams
              "community with a shared; the community with a; with a shared future; "  # 4-grams
              "a shared future; community with a; the community with; with a shared; "  # 3-grams
              "a shared; community with; shared future")                               # 2-grams


def test_tiny_maximal_bundles_by_hand(tiny_tokens):
    table = lexical_bundles(tiny_tokens, min_freq=2, min_range=2)
    assert list(table.columns) == ["bundle", "n", "freq", "range", "subsumes"]
    assert table.to_dict("records") == [
        {"bundle": "the community", "n": 2, "freq": 3, "range": 3, "subsumes": ""},
        {"bundle": SIX, "n": 6, "freq": 2, "range": 2, "subsumes": INSIDE_SIX},
        {"bundle": "cooperation is key", "n": 3, "freq": 2, "range": 2, "subsumes": "cooperation is; is key"},
        {"bundle": "trade is up", "n": 3, "freq": 2, "range": 2, "subsumes": "trade is"},
    ]


def test_tiny_all_bundles_by_hand(tiny_tokens):
    table = lexical_bundles(tiny_tokens, min_freq=2, min_range=2, maximal=False)
    # 2-grams: the community, community with, a shared, shared future, cooperation is, is key, trade is (7)
    # 3-grams: the community with, community with a, with a shared, a shared future, cooperation is key,
    #          trade is up (6); 4-grams: 3; 5-grams: 2; 6-grams: 1  -> 19
    assert len(table) == 19
    assert table["n"].value_counts().sort_index().to_dict() == {2: 7, 3: 6, 4: 3, 5: 2, 6: 1}
    assert (table["subsumes"] == "").all()
    assert "with a" not in set(table["bundle"]) and "is up" not in set(table["bundle"])
    # no stop-word filter: "with a" (2, in a and c) and "is up" (2, in a and b) come back
    unfiltered = lexical_bundles(tiny_tokens, min_freq=2, min_range=2, maximal=False, stop_words=None)
    assert set(unfiltered["bundle"]) - set(table["bundle"]) == {"with a", "is up"}


def test_range_threshold(tiny_tokens):
    # only "the community" occurs in all three documents
    assert as_dict(lexical_bundles(tiny_tokens, min_freq=2, min_range=3)) == {"the community": (2, 3, 3, "")}
    # "security security" (c: "Security, security!") occurs once, in one document
    everything = as_dict(lexical_bundles(tiny_tokens, min_freq=1, min_range=1, maximal=False))
    assert everything["security security"] == (2, 1, 1, "")
    assert "security security" not in as_dict(lexical_bundles(tiny_tokens, min_freq=1, min_range=2))


def test_money_token_and_occurrences(tiny_tokens):
    # "$21.2 billion" is one token whose type holds a space: the bundle string must still parse
    table = lexical_bundles(tiny_tokens, min_n=3, max_n=3, min_freq=1, min_range=1, maximal=False)
    assert "grew to $21.2 billion" in set(table["bundle"])
    ids = parse_ngram(tiny_tokens, "grew to $21.2 billion")
    assert [tiny_tokens.vocab[i] for i in ids] == ["grew", "to", "$21.2 billion"]
    occ = bundle_occurrences(tiny_tokens, ["grew to $21.2 billion", "not in corpus"])
    assert occ.to_dict("records") == [{"doc_id": "c_2024", "bundle": "grew to $21.2 billion",
                                       "token_start": 1, "token_end": 4}]


def test_occurrences_match_frequencies(tiny_tokens):
    table = lexical_bundles(tiny_tokens, min_freq=2, min_range=2, maximal=False)
    occ = bundle_occurrences(tiny_tokens, table)
    assert list(occ.columns) == ["doc_id", "bundle", "token_start", "token_end"]
    assert occ.groupby("bundle").size().to_dict() == dict(zip(table["bundle"], table["freq"]))
    six = occ[occ["bundle"] == SIX]
    # a: tokens 0-5 of a_official; c: "the community ..." starts at token 10 of c_2024
    assert six[["doc_id", "token_start", "token_end"]].values.tolist() == [["a_official", 0, 6], ["c_2024", 10, 16]]
    lengths = dict(zip(tiny_tokens.doc_ids, np.diff(tiny_tokens.bounds)))
    for row in occ.itertuples():
        base = tiny_tokens.bounds[list(tiny_tokens.doc_ids).index(row.doc_id)]
        words = tiny_tokens.vocab[tiny_tokens.ids[base + row.token_start:base + row.token_end]]
        assert " ".join(words) == row.bundle
        assert row.token_end <= lengths[row.doc_id]


def test_bad_parameters(tiny_tokens):
    with pytest.raises(ParameterError, match="max_n=2 is smaller than min_n=3"):
        lexical_bundles(tiny_tokens, min_n=3, max_n=2)
    with pytest.raises(ParameterError, match="min_freq=0"):
        lexical_bundles(tiny_tokens, min_freq=0)
    with pytest.raises(ParameterError, match="min_range"):
        lexical_bundles(tiny_tokens, min_range=-1)
    with pytest.raises(ParameterError, match="stop_words"):
        lexical_bundles(tiny_tokens, stop_words="klingon")
    with pytest.raises(ParameterError, match="'bundle' column"):
        bundle_occurrences(tiny_tokens, pd.DataFrame({"ngram": ["the community"]}))


def test_deterministic_and_input_untouched(tiny_tokens):
    before = tiny_tokens.ids.copy()
    first = lexical_bundles(tiny_tokens, min_freq=1, min_range=1)
    second = lexical_bundles(tiny_tokens, min_freq=1, min_range=1)
    pd.testing.assert_frame_equal(first, second)
    assert first.to_csv() == second.to_csv()
    np.testing.assert_array_equal(tiny_tokens.ids, before)


def test_empty_results(tiny_tokens):
    table = lexical_bundles(tiny_tokens, min_freq=50)
    assert table.empty and list(table.columns) == ["bundle", "n", "freq", "range", "subsumes"]
    assert bundle_occurrences(tiny_tokens, []).empty


def test_levels_count_every_ngram_once(tiny_tokens):
    # every n-gram inside a sentence, min_freq=1: the level sizes are the numbers of distinct n-grams
    levels = ngram_levels(tiny_tokens, max_n=2)
    # tokens: 13 + 13 + 16 = 42; bigrams within sentences: sentence lengths a: 6,4,3 b: 5,5,3 c: 4,4,2,6
    # -> (5+3+2) + (4+4+2) + (3+3+1+5) = 32 bigram tokens
    assert levels[0].freq.sum() == 42 and levels[1].freq.sum() == 32


# --- random corpora against the brute force --------------------------------------------------------------

corpora = st.dictionaries(
    keys=st.sampled_from([f"d{i}" for i in range(5)]),
    values=st.lists(st.lists(st.sampled_from(list("abcde")), max_size=12), min_size=1, max_size=4),
    min_size=1, max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpora, min_n=st.integers(1, 3), extra=st.integers(0, 4), min_freq=st.integers(1, 4),
       min_range=st.integers(1, 3), stop=st.sets(st.sampled_from(list("abcde")), max_size=2),
       maximal=st.booleans(), bucket=st.sampled_from([3, 1 << 22]))
def test_against_brute_force(docs, min_n, extra, min_freq, min_range, stop, maximal, bucket):
    if not any(any(s) for s in docs.values()):
        return
    max_n = min_n + extra
    expected = brute_force_bundles(docs, min_n=min_n, max_n=max_n, min_freq=min_freq, min_range=min_range,
                                   stop=stop, maximal=maximal)
    tokens = make_tokens(docs)
    old = bundles_module.BUCKET_SIZE
    bundles_module.BUCKET_SIZE = bucket          # tiny buckets exercise the hash partition
    try:
        table = lexical_bundles(tokens, min_n=min_n, max_n=max_n, min_freq=min_freq, min_range=min_range,
                                stop_words=stop, maximal=maximal)
    finally:
        bundles_module.BUCKET_SIZE = old
    assert as_dict(table) == expected
    order = list(zip(-table["freq"], -table["n"], table["bundle"]))
    assert order == sorted(order)
    occ = bundle_occurrences(tokens, table)
    assert occ.groupby("bundle").size().reindex(table["bundle"]).tolist() == table["freq"].tolist()


def test_find_sequences_duplicates_and_sentences():
    from rhetoric.bundles import find_sequences

    tokens = make_tokens({"d": [["a", "b", "a", "b"], ["b", "a"]], "e": [["a", "b", "c"]]})
    v = {w: i for i, w in enumerate(tokens.vocab)}
    # positions: d 0 a, 1 b, 2 a, 3 b | 4 b, 5 a; e 6 a, 7 b, 8 c  (| = sentence end)
    seqs = [(v["a"], v["b"]), (v["b"],), (), (v["a"], v["b"]), (v["a"], v["b"], v["c"]), (v["b"], v["a"])]
    positions, which = find_sequences(tokens, seqs)
    found = sorted(zip(which.tolist(), positions.tolist()))
    assert found == [(0, 0), (0, 2), (0, 6),            # "a b" (not 5-6: another document)
                     (1, 1), (1, 3), (1, 4), (1, 7),    # "b"
                     (3, 0), (3, 2), (3, 6),            # "a b" listed twice: reported twice
                     (4, 6),                            # "a b c"
                     (5, 1), (5, 4)]                    # "b a" (not 3-4: across a sentence end)
