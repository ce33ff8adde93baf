"""Lexical diversity (rhetoric.stats.diversity): TTR, MATTR, MTLD by hand, against LexicalRichness, per document."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from rhetoric.corpus.lemmas import lemmatize
from rhetoric.errors import ParameterError
from rhetoric.report.measures import plot_diversity, save_figure
from rhetoric.stats.diversity import DIVERSITY_COLUMNS, lexical_diversity, mattr, mtld, ttr, word_types

# Our own text for the comparison with LexicalRichness (no punctuation, digits or hyphens, so its tokenizer and
# a plain split give the same 66 words).
RIVER = ("the river runs past the old mill and the mill wheel turns as the river runs "
         "children walk along the bank and count the boats that pass the mill "
         "every boat carries grain or wood to the town where the market opens early "
         "and the traders call out prices while the river keeps running past the town "
         "toward the sea where the boats turn back again")
LEXICALRICHNESS = {  # LexicalRichness 0.5.1 (LSYS/LexicalRichness), run on RIVER: lex.words, lex.terms, lex.ttr,
    "words": 66, "terms": 42, "ttr": 0.6363636363636364,  # lex.mattr(window_size=W), lex.mtld(threshold=T)
    "mattr": {10: 0.8807017543859641, 25: 0.803809523809524, 50: 0.7247058823529412},
    "mtld": {0.72: 34.59036144578313, 0.6: 72.60000000000001, 0.8: 21.456043956043956},
}


# --------------------------------------------------------------------------- by hand

def test_ttr_by_hand():
    assert ttr("a b a c".split()) == 0.75
    assert ttr(np.array([3, 3, 3])) == pytest.approx(1 / 3)
    assert np.isnan(ttr([]))


def test_mattr_by_hand():
    # windows of 3 over a b a c a: aba (2), bac (3), aca (2): (2 + 3 + 2) / (3 windows * 3)
    assert mattr("a b a c a".split(), window=3) == pytest.approx(7 / 9)
    # window = length: the TTR; window 1: always 1
    assert mattr("a b a c a".split(), window=5) == pytest.approx(3 / 5)
    assert mattr("a a a".split(), window=1) == 1.0
    assert np.isnan(mattr("a b".split(), window=3))  # shorter than the window


def test_mtld_by_hand():
    """x y x y z z, threshold 0.72 (McCarthy & Jarvis 2010: a factor ends when the running TTR <= 0.72).

    Forward: x 1, xy 1, xyx 0.67 -> factor 1 (reset); y 1, yz 1, yzz 0.67 -> factor 2; nothing left:
    6 / 2 = 3. Backward z z y x y x: z 1, zz 0.5 -> factor 1; y 1, yx 1, yxy 0.67 -> factor 2; x left,
    TTR 1, partial (1 - 1) / (1 - 0.72) = 0: 6 / 2 = 3. MTLD = 3.
    Threshold 0.5: forward x 1, xy 1, xyx .67, xyxy .5 -> factor; z 1, zz .5 -> factor: 6 / 2 = 3;
    backward zz -> factor (.5); yxyx .5 -> factor: 6 / 2 = 3.
    """
    assert mtld("x y x y z z".split()) == 3.0
    assert mtld("x y x y z z".split(), threshold=0.5) == 3.0
    # a partial factor: a b a c, 0.72: forward a, ab, aba (.67 -> factor), c left (TTR 1, partial 0): 4 / 1;
    # backward c a b a: c, ca, cab (1), caba (.75), no factor; partial (1 - .75) / .28: 4 / 0.892857 = 4.48
    assert mtld("a b a c".split()) == pytest.approx((4 + 4 / ((1 - 0.75) / 0.28)) / 2)
    # no repetition at all: one whole factor, MTLD = N
    assert mtld("a b c d".split()) == 4.0
    assert np.isnan(mtld([]))


def test_options_are_checked():
    with pytest.raises(ParameterError, match="threshold"):
        mtld(["a"], threshold=1.0)
    with pytest.raises(ParameterError, match="window"):
        mattr(["a"], window=0)


# --------------------------------------------------------------------------- against a published implementation

def test_against_lexicalrichness_values():
    words = RIVER.split()
    assert len(words) == LEXICALRICHNESS["words"] and len(set(words)) == LEXICALRICHNESS["terms"]
    assert ttr(words) == pytest.approx(LEXICALRICHNESS["ttr"], rel=1e-12)
    for window, value in LEXICALRICHNESS["mattr"].items():
        assert mattr(words, window=window) == pytest.approx(value, rel=1e-12), window
    for threshold, value in LEXICALRICHNESS["mtld"].items():
        assert mtld(words, threshold=threshold) == pytest.approx(value, rel=1e-12), threshold


def _mattr_by_windows(words, window):
    """The definition: the TTR of every window, averaged."""
    return sum(len(set(words[i:i + window])) / window for i in range(len(words) - window + 1)) / (
        len(words) - window + 1)


def test_mattr_equals_the_definition_on_random_texts():
    rng = random.Random(7)
    for _ in range(200):
        words = [rng.choice("abcdefghij"[:rng.randint(1, 10)]) for _ in range(rng.randint(1, 80))]
        for window in (1, 2, 5, 17, 50):
            if window <= len(words):
                assert mattr(words, window=window) == pytest.approx(_mattr_by_windows(words, window), rel=1e-12)


def test_strings_and_codes_give_the_same_values():
    words = RIVER.split()
    codes = pd.factorize(np.array(words, dtype=object))[0]
    assert mtld(codes) == mtld(words) and mattr(codes, window=25) == mattr(words, window=25)


# --------------------------------------------------------------------------- per document

def test_word_types():
    vocab = np.array(["trade", "'s", "$", "21.2", "win-win", "2nd", "%", "人类"], dtype=object)
    assert word_types(vocab).tolist() == [True, False, False, False, True, True, False, True]


def test_lexical_diversity_by_hand(tiny_docs, tiny_tokens):
    """conftest: c_2024 has 18 tokens, of which "$" and "21.2" are not words: 16 words; its types: trade grew
    to billion and security matter the community with a shared future = 13."""
    table = lexical_diversity(tiny_tokens, tiny_docs, window=5, all_versions=True)
    assert list(table.columns) == DIVERSITY_COLUMNS
    assert table["doc_id"].tolist() == ["a_official", "b_unofficial", "c_2024"]
    c = table.set_index("doc_id").loc["c_2024"]
    assert (c["n_words"], c["n_types"]) == (16, 13)
    assert c["ttr"] == pytest.approx(13 / 16)
    words = "trade grew to billion trade and security matter security security the community with a shared future"
    assert c["mattr"] == pytest.approx(_mattr_by_windows(words.split(), 5))
    assert c["mtld"] == pytest.approx(mtld(words.split()))
    # a_official: 13 tokens, all words; "is" twice: 12 types
    a = table.set_index("doc_id").loc["a_official"]
    assert (a["n_words"], a["n_types"]) == (13, 12)
    assert table.attrs["window"] == 5 and "translator" in table.attrs["caveat"]
    once = lexical_diversity(tiny_tokens, tiny_docs, window=5)
    assert once["doc_id"].tolist() == ["a_official", "c_2024"]


def test_a_document_shorter_than_the_window_has_no_mattr(tiny_docs, tiny_tokens):
    table = lexical_diversity(tiny_tokens, tiny_docs)  # window 100 > 16 words
    assert table["mattr"].isna().all() and table["mtld"].notna().all()


def test_lemmas_lower_the_number_of_types(project_docs, project_tokens):
    forms = lexical_diversity(project_tokens, project_docs).set_index("doc_id")
    lemmas = lexical_diversity(lemmatize(project_tokens), project_docs).set_index("doc_id")
    assert (lemmas["n_words"] == forms["n_words"]).all()
    assert (lemmas["n_types"] < forms["n_types"]).all()
    assert lemmas.attrs["lemmas"] and not forms.attrs["lemmas"]


def test_diversity_figure(tmp_path, project_docs, project_tokens):
    table = lexical_diversity(project_tokens, project_docs, all_versions=True)
    window = table.attrs["window"]
    table = table.merge(project_docs[["doc_id", "translation"]], on="doc_id")
    table["translation"] = table["translation"].fillna("").replace("", "not translated")
    fig = plot_diversity(table, colour_by="translation", window=window)
    assert len(fig.axes) == 3
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("zhang2022_visit (") and len(labels) == 5
    assert "100 words" in fig.axes[1].get_xlabel()
    mtld_dots = fig.axes[2].collections[-1].get_offsets()[:, 0]
    np.testing.assert_allclose(mtld_dots, table["mtld"].to_numpy())
    paths = save_figure(fig, "diversity", out_dir=tmp_path)
    assert set(pd.read_csv(paths["csv"]).columns) >= {"doc_id", "mattr", "mtld", "translation"}
    with pytest.raises(ParameterError, match="unknown measure"):
        plot_diversity(table, measures=["hdd"])
