"""Lemmas (rhetoric.corpus.lemmas): the lemma of a form, the lemma view of the token store, the lemma list."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize, tokenize_text
from rhetoric.corpus.lemmas import LEMMATIZER, lemma_of, lemmatize
from rhetoric.counts import count_terms
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_lemma_forms, save_figure
from rhetoric.stats.lemma_list import lemma_forms

LEMMA_TEXTS = {
    # doc_id: (date, translation_group, translation, period, text)
    "d1": ("2022-01-01", "d1", "", "early",
           "The two countries cooperated closely. They are cooperating again and each country cooperates.\n\n"
           "Leaders visited Astana; the visit was short."),
    "d2": ("2023-01-01", "d2", "", "late",
           "Does the partnership work? It does, and the partners meet every year. The meeting was held in Beijing."),
}
"""By hand (lower case, in order):
d1: the two countries cooperated closely they are cooperating again and each country cooperates
    leaders visited astana the visit was short                                                  = 20 tokens
d2: does the partnership work it does and the partners meet every year the meeting was held in beijing
                                                                                                = 18 tokens
Lemmas: countries/country -> country (2 in d1); cooperated/cooperating/cooperates -> cooperate (3);
are/was -> be (d1 2, d2 1); visited/visit -> visit (2); leaders -> leader; does -> do (2, not "doe");
partners/partnership -> partner/partnership; meet -> meet, meeting stays a noun; held -> hold.
"""


@pytest.fixture
def lemma_dir(tmp_path):
    return write_corpus(tmp_path / "lemmas", LEMMA_TEXTS)


@pytest.fixture
def lemma_docs(lemma_dir):
    return load_corpus(lemma_dir)


@pytest.fixture
def lemma_tokens(lemma_docs):
    return tokenize(lemma_docs, cache=False)


# --------------------------------------------------------------------------- one form

@pytest.mark.parametrize("form, lemma", [
    ("cooperated", "cooperate"), ("cooperating", "cooperate"), ("cooperates", "cooperate"),
    ("countries", "country"), ("was", "be"), ("are", "be"), ("being", "be"), ("does", "do"), ("held", "hold"),
    ("meeting", "meeting"), ("cooperation", "cooperation"), ("relations", "relation"),
    # where simplemma invents a word or changes the spelling (the lead's comparison on this corpus)
    ("developed", "develop"), ("playing", "play"), ("thinking", "think"), ("singing", "sing"),
    ("neighborly", "neighborly"),
])
def test_lemma_of_known_forms(form, lemma):
    assert lemma_of(form) == lemma


@pytest.mark.parametrize("form", ["kazakhstan", "tokayev", "win-win", "state-owned", "'s", "21.2", "$", "k.k",
                                  "xi'an", "Countries", "人类命运共同体"])
def test_forms_outside_the_dictionary_or_not_lower_case_letters_are_kept(form):
    assert lemma_of(form) == form


def test_no_lemma_is_invented_on_the_project_corpus(project_tokens):
    """Every lemma of a corpus type is the type itself or a word lemminflect can inflect (a real lemma), in
    lower case."""
    from lemminflect import getAllInflections

    changed = {w: lemma_of(w) for w in project_tokens.vocab.tolist() if lemma_of(w) != w}
    assert len(changed) > 300  # 407 on the corpus of this commit: the lemmatizer does work
    invented = [(w, l) for w, l in changed.items() if not getAllInflections(l)]
    assert invented == []
    assert all(l == l.lower() for l in changed.values())
    # simplemma's inventions do not happen here
    assert {changed[w] for w in ("developed", "playing", "thinking", "singing")} == {"develop", "play", "think",
                                                                                      "sing"}


# --------------------------------------------------------------------------- the view

def test_lemmatize_keeps_every_token_in_place_and_maps_types(lemma_tokens):
    lemmas = lemmatize(lemma_tokens)
    assert lemmas.n_tokens == lemma_tokens.n_tokens == 38
    for name in ("bounds", "start", "end", "sentence", "sentence_spans", "paragraph_spans", "doc_ids"):
        np.testing.assert_array_equal(getattr(lemmas, name), getattr(lemma_tokens, name))
    forms = lemma_tokens.vocab[lemma_tokens.ids].tolist()
    assert lemmas.vocab[lemmas.ids].tolist() == [lemma_of(f) for f in forms]
    # vocabulary: sorted, unique, so equal ids <=> equal lemmas, and ids follow string order
    vocab = lemmas.vocab.tolist()
    assert vocab == sorted(set(vocab))
    assert lemmas.settings == {**lemma_tokens.settings, "lemmas": LEMMATIZER}
    assert lemmas.term_id("cooperate") is not None and lemmas.term_id("cooperated") is None


def test_lemmatize_by_hand(lemma_tokens):
    lemmas = lemmatize(lemma_tokens)
    d1 = lemmas.vocab[lemmas.ids[lemmas.bounds[0]:lemmas.bounds[1]]].tolist()
    assert d1 == ["the", "two", "country", "cooperate", "closely", "they", "be", "cooperate", "again", "and", "each",
                  "country", "cooperate", "leader", "visit", "astana", "the", "visit", "be", "short"]
    d2 = lemmas.vocab[lemmas.ids[lemmas.bounds[1]:]].tolist()
    assert d2[:2] == ["do", "the"] and d2.count("do") == 2 and "meeting" in d2 and "hold" in d2


def test_lemmatize_is_idempotent_and_a_subset_keeps_the_setting(lemma_tokens):
    lemmas = lemmatize(lemma_tokens)
    assert lemmatize(lemmas) is lemmas
    assert lemmas.subset(["d2"]).settings["lemmas"] == LEMMATIZER


def test_counts_on_lemmas_equal_summed_form_counts(lemma_docs, lemma_tokens):
    """Analyses run on the view unchanged: a lemma's count is the sum of its forms' counts, counted here in
    plain Python from the texts."""
    counts = count_terms(lemmatize(lemma_tokens), lemma_docs)
    total = dict(zip(counts.terms.tolist(), np.asarray(counts.matrix.sum(axis=0)).ravel().tolist()))
    words = Counter(w for text in LEMMA_TEXTS.values() for w in tokenize_text(text[4]))
    assert total["cooperate"] == words["cooperated"] + words["cooperating"] + words["cooperates"] == 3
    assert total["country"] == words["countries"] + words["country"] == 2
    assert total["be"] == words["are"] + words["was"] == 3
    assert total["do"] == words["does"] == 2
    assert sum(total.values()) == 38


def test_lemmatize_an_empty_store():
    empty = tokenize(pd.DataFrame({"doc_id": ["a"], "text": [""]}), cache=False)
    lemmas = lemmatize(empty)
    assert lemmas.n_tokens == 0 and len(lemmas.vocab) == 0


# --------------------------------------------------------------------------- the lemma list

def test_lemma_forms_by_hand(lemma_docs, lemma_tokens):
    table = lemma_forms(lemma_tokens, lemma_docs)
    assert list(table.columns) == ["lemma", "form", "count", "lemma_count", "lemma_range", "n_forms"]
    cooperate = table[table["lemma"] == "cooperate"]
    assert cooperate[["form", "count"]].to_dict("records") == [
        {"form": "cooperated", "count": 1}, {"form": "cooperates", "count": 1}, {"form": "cooperating", "count": 1}]
    assert set(cooperate["lemma_count"]) == {3} and set(cooperate["n_forms"]) == {3}
    be = table[table["lemma"] == "be"]
    assert be[["form", "count"]].to_dict("records") == [{"form": "was", "count": 2}, {"form": "are", "count": 1}]
    assert set(be["lemma_range"]) == {2}  # "was" in both documents
    # the most frequent lemma first: "the" (5 tokens)
    assert table.iloc[0][["lemma", "lemma_count"]].tolist() == ["the", 5]
    assert table["count"].sum() == 38


def test_lemma_forms_options(lemma_docs, lemma_tokens):
    content = lemma_forms(lemma_tokens, lemma_docs, stop_words=True, min_count=2)
    assert "the" not in set(content["lemma"]) and "be" not in set(content["lemma"])
    assert (content["lemma_count"] >= 2).all()
    assert {"cooperate", "country", "visit"} <= set(content["lemma"])
    with pytest.raises(ParameterError, match="not a lemmatized"):
        lemma_forms(lemmatize(lemma_tokens), lemma_docs)
    with pytest.raises(ParameterError, match="min_count"):
        lemma_forms(lemma_tokens, lemma_docs, min_count=0)


def test_lemma_forms_counts_a_translated_text_once(tiny_docs, tiny_tokens):
    once = lemma_forms(tiny_tokens, tiny_docs)
    both = lemma_forms(tiny_tokens, tiny_docs, all_versions=True)
    # "is" occurs twice in each version of the translated text and nowhere else (conftest)
    assert once.set_index("form").loc["is", "count"] == 2 and both.set_index("form").loc["is", "count"] == 4


# --------------------------------------------------------------------------- the figure

def test_lemma_figure_draws_the_lemmas_with_several_forms(tmp_path, lemma_docs, lemma_tokens):
    table = lemma_forms(lemma_tokens, lemma_docs)
    fig = plot_lemma_forms(table, top_n=3)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["be", "cooperate", "country"]  # 3 occurrences each: ties A-Z
    captions = [t.get_text() for t in fig.axes[0].texts]
    assert any(re.search(r"3: cooperated 1, cooperates 1, cooperating 1", c) for c in captions)
    paths = save_figure(fig, "lemmas", out_dir=tmp_path)
    data = pd.read_csv(paths["csv"])
    assert set(data["lemma"]) == {"cooperate", "be", "country"}
    with pytest.raises(ParameterError, match="min_forms"):
        plot_lemma_forms(table, min_forms=9)


def test_tokenize_with_lemmas_and_patterns_find_lemmas():
    from rhetoric.patterns import find

    docs = pd.DataFrame({"doc_id": ["a"], "text": ["He visited Astana. Visits were long. A visit-based plan. "
                                                   "The visiting team."]})
    forms = tokenize(docs, cache=False)
    lemmas = tokenize(docs, lemmas=True, cache=False)
    assert lemmas.settings["lemmas"] == LEMMATIZER and not forms.settings.get("lemmas")
    assert (lemmas.start == forms.start).all() and (lemmas.sentence == forms.sentence).all()
    text = docs["text"][0]

    def matched(store, pattern, **rules):
        hits = find(store, pattern, docs=docs, **rules)
        return [text[a:b] for a, b in zip(hits["start"], hits["end"])]

    assert matched(forms, "visited") == ["visited"]  # on forms a word finds that form
    for pattern in ("visited", "visit", "visits"):  # on lemmas any form finds every form of the lemma
        assert matched(lemmas, pattern) == ["visited", "Visits", "visiting"], pattern  # a word is a whole token
    assert matched(lemmas, "visit-based") == matched(lemmas, "visit based") == ["visit-based"]
    assert matched(lemmas, "Visits", case_sensitive=True) == ["Visits"]  # case-sensitive: the text as written
