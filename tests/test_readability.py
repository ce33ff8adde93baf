"""Readability (rhetoric.stats.readability): the formulas by hand, against textstat, per document."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import write_corpus
from rhetoric.corpus import load_corpus, tokenize, tokens_frame
from rhetoric.corpus.lemmas import lemmatize
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_readability, save_figure
from rhetoric.stats.diversity import word_types
from rhetoric.stats.readability import (
    MEASURES,
    READABILITY_COLUMNS,
    readability,
    scores,
    syllables,
)

HAND = ("The ministers signed a railway plan. Leaders discussed energy security and regional development. "
        "Two countries trade grain by river.")
"""By hand (syllables as spoken, which pyphen's en_US patterns + 1 also give for these words):
S1 the 1, ministers 3, signed 1, a 1, railway 2, plan 1                       6 words  9 syllables  1 of 3+
S2 leaders 2, discussed 2, energy 3, security 4, and 1, regional 3, development 4
                                                                              7 words 19 syllables  4 of 3+
S3 two 1, countries 2, trade 1, grain 1, by 1, river 2                        6 words  8 syllables  0 of 3+
W = 19, S = 3, Y = 36, C = 5; letters 30 + 52 + 29 = 111.
"""
OTHER = ("Every morning the river boats carried grain to the market town. The traders counted their money "
         "carefully before the evening rain. Children watched the water and waited for the ferry. Nobody "
         "remembered when the old bridge had fallen into the river. The mayor promised a new bridge before "
         "winter, but the engineers needed more time and more money.")
"""A second text of our own (no hyphen, digit, apostrophe or abbreviation, every sentence of three words or more,
so that textstat cuts words and sentences as we do)."""


def _docs(tmp_path, texts: dict):
    folder = write_corpus(tmp_path / "read", {k: ("2024-01-01", k, "", "p", v) for k, v in texts.items()})
    docs = load_corpus(folder)
    return docs, tokenize(docs, cache=False)


def test_syllables_of_words_by_hand():
    words = {"the": 1, "ministers": 3, "railway": 2, "leaders": 2, "discussed": 2, "energy": 3, "security": 4,
             "regional": 3, "development": 4, "countries": 2, "river": 2, "cooperation": 5, "community": 4}
    assert {w: syllables(w) for w in words} == words
    assert syllables("win-win") == 2 and syllables("21.2") == 0 and syllables("Xi'an") == 2


def test_the_formulas_by_hand(tmp_path):
    docs, tokens = _docs(tmp_path, {"hand": HAND})
    row = readability(tokens, docs).iloc[0]
    assert list(row.index) == READABILITY_COLUMNS
    assert (row["n_words"], row["n_sentences"], row["n_syllables"], row["n_complex"]) == (19, 3, 36, 5)
    w, s, y, c, letters = 19, 3, 36, 5, 111
    assert row["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * w / s - 84.6 * y / w)  # 40.11
    assert row["flesch_kincaid_grade"] == pytest.approx(0.39 * w / s + 11.8 * y / w - 15.59)  # 9.24
    assert row["gunning_fog"] == pytest.approx(0.4 * (w / s + 100 * c / w))  # 13.06
    assert row["smog"] == pytest.approx(1.043 * math.sqrt(30 * c / s) + 3.1291)  # 10.50
    assert row["coleman_liau"] == pytest.approx(0.0588 * 100 * letters / w - 0.296 * 100 * s / w - 15.8)  # 13.88
    assert row["flesch_reading_ease"] == pytest.approx(40.1119, abs=1e-4)


def test_scores_without_words_are_nan():
    values = scores([0, 10], [0, 2], [0, 15], [0, 1], [0, 40])
    assert all(np.isnan(v[0]) and np.isfinite(v[1]) for v in values.values())
    assert set(values) == set(MEASURES)


@pytest.fixture
def textstat_without_download(monkeypatch):
    """textstat 0.7 with its pronouncing-dictionary lookup switched off: it then counts syllables with pyphen
    (its own fallback, hyphenation points + 1) and downloads nothing."""
    from textstat.backend.counts import _count_syllables
    from textstat.textstat import textstatistics

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    engine = textstatistics()
    engine.set_lang("en_US")
    engine.set_rounding_points(None)
    return engine


@pytest.mark.parametrize("text", [HAND, OTHER], ids=["hand", "other"])
def test_against_textstat(tmp_path, textstat_without_download, text):
    engine = textstat_without_download
    docs, tokens = _docs(tmp_path, {"doc": text})
    row = readability(tokens, docs).iloc[0]
    assert row["n_words"] == engine.lexicon_count(text)
    assert row["n_sentences"] == engine.sentence_count(text)
    assert row["n_syllables"] == engine.syllable_count(text)
    assert row["n_complex"] == engine.polysyllabcount(text)
    assert row["flesch_reading_ease"] == pytest.approx(engine.flesch_reading_ease(text), rel=1e-12)
    assert row["flesch_kincaid_grade"] == pytest.approx(engine.flesch_kincaid_grade(text), rel=1e-12)
    assert row["smog"] == pytest.approx(engine.smog_index(text), rel=1e-12)


def test_words_and_sentences_on_the_project_corpus(project_docs, project_tokens):
    """Words and sentences counted from the one-row-per-token table, in plain pandas."""
    table = readability(project_tokens, project_docs, all_versions=True).set_index("doc_id")
    frame = tokens_frame(project_tokens)
    frame = frame[word_types(frame["type"].to_numpy(dtype=object))]
    assert frame.groupby("doc_id").size().reindex(table.index).tolist() == table["n_words"].tolist()
    assert frame.groupby("doc_id")["sentence"].nunique().reindex(table.index).tolist() == \
        table["n_sentences"].tolist()
    syllable_sum = frame["type"].map(syllables).groupby(frame["doc_id"]).sum().reindex(table.index)
    assert syllable_sum.tolist() == table["n_syllables"].tolist()


def test_readability_refuses_lemmas_and_counts_a_translation_once(tiny_docs, tiny_tokens):
    with pytest.raises(ParameterError, match="not a lemmatized"):
        readability(lemmatize(tiny_tokens), tiny_docs)
    assert readability(tiny_tokens, tiny_docs)["doc_id"].tolist() == ["a_official", "c_2024"]
    both = readability(tiny_tokens, tiny_docs, all_versions=True)
    assert both["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    # c_2024 by hand: 16 words ($ and 21.2 are not words) in 4 sentences ("Security, security!" is one)
    assert both.set_index("doc_id").loc["c_2024", ["n_words", "n_sentences"]].tolist() == [16, 4]


def test_readability_figure(tmp_path, project_docs, project_tokens):
    table = readability(project_tokens, project_docs, all_versions=True)
    fig = plot_readability(table, measures=["flesch_reading_ease", "words_per_sentence"])
    assert [ax.get_xlabel() for ax in fig.axes] == ["Flesch reading ease (higher = easier)", "words per sentence"]
    dots = fig.axes[0].collections[-1].get_offsets()[:, 0]
    np.testing.assert_allclose(dots, table["flesch_reading_ease"].to_numpy())
    paths = save_figure(fig, "readability", out_dir=tmp_path)
    assert pd.read_csv(paths["csv"])["doc_id"].tolist() == table["doc_id"].tolist()
    with pytest.raises(ParameterError, match="unknown measure"):
        plot_readability(table, measures=["lix"])
